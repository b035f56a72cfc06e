//! Flagging bots for the teacher: reactions too fast or too regular to be
//! human, over a game.
//!
//! Human reaction times to a visual signal sit around 200-300 ms and vary
//! by tens of milliseconds from one press to the next. A script that
//! buzzes as soon as the buzzers open and claims a made-up reaction tends to
//! be faster than that, or suspiciously steady. This module only raises a
//! flag with its evidence; it never changes a ranking. The teacher decides.

use std::collections::VecDeque;
use std::time::Duration;

/// Buzzes needed before a player can be flagged at all.
pub const MIN_BUZZES: usize = 5;
/// A median claimed reaction below this is implausibly fast.
pub const FAST_MEDIAN: Duration = Duration::from_millis(150);
/// Buzzes needed before steadiness counts.
pub const MIN_BUZZES_FOR_SPREAD: usize = 8;
/// A spread (standard deviation) of claimed reactions below this is
/// implausibly regular.
pub const REGULAR_SPREAD: Duration = Duration::from_millis(10);
/// How many recent claims are kept per player.
const KEPT: usize = 30;

/// Why a player was flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspicionReason {
    /// Half their reactions are faster than [`FAST_MEDIAN`].
    TooFast,
    /// Their reactions hardly vary (spread under [`REGULAR_SPREAD`]).
    TooRegular,
}

/// The evidence behind a flag.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Suspicion {
    /// Why.
    pub reason: SuspicionReason,
    /// How many buzzes it is based on.
    pub buzzes: usize,
    /// Their median claimed reaction, in milliseconds.
    pub median_ms: f64,
    /// The standard deviation of their claimed reactions, in milliseconds.
    pub spread_ms: f64,
}

/// One player's recent claimed reactions.
#[derive(Debug, Clone, Default)]
pub struct Reactions {
    claims: VecDeque<f64>,
    flag: Option<Suspicion>,
}

impl Reactions {
    /// Adds a claim; returns the flag if this claim is the one that raised it.
    pub fn note(&mut self, claimed_ms: f64) -> Option<Suspicion> {
        if !claimed_ms.is_finite() || claimed_ms < 0.0 || self.flag.is_some() {
            return None;
        }
        if self.claims.len() == KEPT {
            self.claims.pop_front();
        }
        self.claims.push_back(claimed_ms);
        self.flag = judge(self.claims.iter().copied());
        self.flag
    }

    /// The flag, once raised.
    pub fn flag(&self) -> Option<Suspicion> {
        self.flag
    }
}

fn judge(claims: impl Iterator<Item = f64>) -> Option<Suspicion> {
    let mut sorted: Vec<f64> = claims.collect();
    let n = sorted.len();
    if n < MIN_BUZZES {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let median_ms = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    let mean = sorted.iter().sum::<f64>() / n as f64;
    let spread_ms = (sorted.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    let reason = if median_ms < FAST_MEDIAN.as_secs_f64() * 1000.0 {
        SuspicionReason::TooFast
    } else if n >= MIN_BUZZES_FOR_SPREAD && spread_ms < REGULAR_SPREAD.as_secs_f64() * 1000.0 {
        SuspicionReason::TooRegular
    } else {
        return None;
    };
    Some(Suspicion {
        reason,
        buzzes: n,
        median_ms,
        spread_ms,
    })
}

#[cfg(test)]
mod tests {
    //! When a player's reactions look like a bot's.
    use super::*;

    fn feed(claims: &[f64]) -> Option<Suspicion> {
        let mut log = Reactions::default();
        claims.iter().filter_map(|&c| log.note(c)).last()
    }

    #[test]
    fn human_reactions_raise_no_flag() {
        let human = [
            231.0, 287.0, 198.0, 260.0, 305.0, 244.0, 219.0, 276.0, 252.0, 190.0,
        ];
        assert_eq!(feed(&human), None);
    }

    #[test]
    fn five_reactions_with_a_median_under_150_ms_are_flagged_as_too_fast() {
        let flag = feed(&[120.0, 130.0, 101.0, 140.0, 118.0]).unwrap();
        assert_eq!(flag.reason, SuspicionReason::TooFast);
        assert_eq!(flag.buzzes, 5);
        assert_eq!(flag.median_ms, 120.0);
    }

    #[test]
    fn four_fast_reactions_are_not_enough_evidence() {
        assert_eq!(feed(&[101.0, 102.0, 103.0, 104.0]), None);
    }

    #[test]
    fn eight_reactions_within_a_few_ms_are_flagged_as_too_regular() {
        let bot = [200.0, 203.0, 198.0, 201.0, 205.0, 199.0, 202.0, 200.0];
        let flag = feed(&bot).unwrap();
        assert_eq!(flag.reason, SuspicionReason::TooRegular);
        assert!(flag.spread_ms < 10.0, "{}", flag.spread_ms);
    }

    #[test]
    fn a_flag_is_raised_once() {
        let mut log = Reactions::default();
        let raised: Vec<_> = [110.0; 9].iter().filter_map(|&c| log.note(c)).collect();
        assert_eq!(raised.len(), 1);
        assert!(log.flag().is_some());
    }
}
