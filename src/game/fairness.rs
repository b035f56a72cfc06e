//! Fair buzzing: how much of a buzz's delay the server forgives.
//!
//! A phone measures the player's reaction time itself, from the moment it
//! *showed* the buzzers as open to the press, and sends it with the buzz. The
//! server cannot trust that number blindly, but it can bound it. It knows
//! when it sent "open" to that phone and when the buzz arrived (`elapsed`);
//! whatever part of `elapsed` the claim does not account for is network delay
//! (down, up, and the phone's own processing). That delay is forgiven only up
//! to what the player's recent round trips show, plus a small margin, and
//! never more than [`MAX_COMPENSATION`]. A claim faster than a human can react
//! ([`ANTICIPATION`]) is a guess, and counts as an early buzz.
//!
//! The buzz is then ranked by `arrival - compensation`: the moment the player
//! pressed, on the server's clock, as far as the server can check it.
//! `docs/fairness.md` explains the method, its bounds and its limits.

use std::time::Duration;

/// Reactions faster than this are anticipation, not reaction.
pub const ANTICIPATION: Duration = Duration::from_millis(100);
/// The most network delay one buzz can be forgiven.
pub const MAX_COMPENSATION: Duration = Duration::from_millis(500);
/// Slack on top of a player's measured round trip, for jitter.
pub const LATENCY_MARGIN: Duration = Duration::from_millis(30);
/// The longest the server waits after the first buzz before naming the
/// winner, so the announcement comes within 500 ms of that buzz.
pub const MAX_WINDOW: Duration = Duration::from_millis(450);
/// The shortest collection window, for players whose latency is not known yet.
pub const MIN_WINDOW: Duration = Duration::from_millis(40);
/// A claimed reaction above this is not a number we take seriously.
const MAX_CLAIM_MS: f64 = 60_000.0;

/// What the server knows about one buzz's timing.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct BuzzTiming {
    /// From the server sending "buzzers open" to this player's page until
    /// the buzz arrived. `None` if this page was never sent the opening.
    pub elapsed: Option<Duration>,
    /// The reaction time the page reported, in milliseconds, as received.
    pub claimed_ms: Option<f64>,
    /// The longest of this player's recent measured round trips.
    pub recent_rtt: Option<Duration>,
}

/// How the server judged a buzz's claimed reaction time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The claim fits the measured latency; all of the implied delay is forgiven.
    Accepted,
    /// The claim implies more delay than the latency shows; only the
    /// latency's worth is forgiven.
    Adjusted,
    /// No usable claim (missing, negative, absurd, or no opening was sent):
    /// the buzz counts as it arrived.
    Rejected,
    /// Too fast to be a reaction: an early buzz.
    Anticipated,
    /// Pressed before the buzzers opened.
    Early,
    /// Ranked by arrival alone: the room plays "first to reach the server".
    ArrivalOrder,
}

/// The server's reading of one buzz.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessment {
    /// How the claim was judged.
    pub verdict: Verdict,
    /// How much earlier than its arrival the buzz is ranked.
    pub compensation: Duration,
}

/// How much delay `timing` is forgiven.
pub fn assess(timing: &BuzzTiming) -> Assessment {
    let rejected = Assessment {
        verdict: Verdict::Rejected,
        compensation: Duration::ZERO,
    };
    let Some(elapsed) = timing.elapsed else {
        return rejected;
    };
    let claim = match timing.claimed_ms {
        Some(ms) if ms.is_finite() && (0.0..=MAX_CLAIM_MS).contains(&ms) => {
            Duration::from_secs_f64(ms / 1000.0)
        }
        _ => return rejected,
    };
    if claim < ANTICIPATION {
        return Assessment {
            verdict: Verdict::Anticipated,
            compensation: Duration::ZERO,
        };
    }
    let allowed = latency_allowance(timing.recent_rtt);
    let implied = elapsed.saturating_sub(claim);
    if implied <= allowed {
        Assessment {
            verdict: Verdict::Accepted,
            compensation: implied,
        }
    } else {
        Assessment {
            verdict: Verdict::Adjusted,
            compensation: allowed,
        }
    }
}

/// The most delay a player with this recent round trip can be forgiven.
pub fn latency_allowance(recent_rtt: Option<Duration>) -> Duration {
    (recent_rtt.unwrap_or(Duration::ZERO) + LATENCY_MARGIN).min(MAX_COMPENSATION)
}

/// How long to collect buzzes after the first arrives, given the round trips
/// of the players who may still buzz: long enough for the slowest of them
/// to be compensated, never longer than [`MAX_WINDOW`].
pub fn collection_window(armed_rtts: impl IntoIterator<Item = Duration>) -> Duration {
    armed_rtts
        .into_iter()
        .map(|rtt| latency_allowance(Some(rtt)))
        .max()
        .unwrap_or(MIN_WINDOW)
        .clamp(MIN_WINDOW, MAX_WINDOW)
}

#[cfg(test)]
mod tests {
    //! What delay a buzz is forgiven.
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn timing(elapsed: u64, claimed: f64, rtt: u64) -> BuzzTiming {
        BuzzTiming {
            elapsed: Some(ms(elapsed)),
            claimed_ms: Some(claimed),
            recent_rtt: Some(ms(rtt)),
        }
    }

    #[test]
    fn an_honest_claim_within_the_measured_latency_is_forgiven_in_full() {
        let a = assess(&timing(500, 300.0, 210));
        assert_eq!(a.verdict, Verdict::Accepted);
        assert_eq!(a.compensation, ms(200));
    }

    #[test]
    fn a_claim_that_explains_away_more_than_the_latency_is_cut_to_the_latency() {
        // 400 ms unexplained, but round trips of 50 ms: only 80 ms forgiven.
        let a = assess(&timing(600, 200.0, 50));
        assert_eq!(a.verdict, Verdict::Adjusted);
        assert_eq!(a.compensation, ms(50) + LATENCY_MARGIN);
    }

    #[test]
    fn a_claim_under_100_ms_is_anticipation() {
        assert_eq!(
            assess(&timing(400, 99.0, 300)).verdict,
            Verdict::Anticipated
        );
        assert_eq!(assess(&timing(400, 100.0, 300)).verdict, Verdict::Accepted);
    }

    #[test]
    fn compensation_never_exceeds_500_ms() {
        let a = assess(&timing(2_000, 300.0, 1_500));
        assert_eq!(a.compensation, MAX_COMPENSATION);
    }

    #[test]
    fn negative_absurd_or_missing_claims_are_rejected_without_compensation() {
        for claimed in [-5.0, f64::NAN, f64::INFINITY, 1e12] {
            let a = assess(&timing(500, claimed, 200));
            assert_eq!(a.verdict, Verdict::Rejected, "{claimed}");
            assert_eq!(a.compensation, Duration::ZERO);
        }
        let no_claim = BuzzTiming {
            claimed_ms: None,
            ..timing(500, 0.0, 200)
        };
        assert_eq!(assess(&no_claim).verdict, Verdict::Rejected);
    }

    #[test]
    fn a_page_never_sent_the_opening_gets_no_compensation() {
        let a = assess(&BuzzTiming {
            elapsed: None,
            claimed_ms: Some(250.0),
            recent_rtt: Some(ms(100)),
        });
        assert_eq!(a.verdict, Verdict::Rejected);
    }

    #[test]
    fn a_claim_longer_than_the_elapsed_time_gets_no_compensation() {
        let a = assess(&timing(150, 400.0, 100));
        assert_eq!(a.verdict, Verdict::Accepted);
        assert_eq!(a.compensation, Duration::ZERO);
    }

    #[test]
    fn the_window_covers_the_slowest_armed_player_up_to_450_ms() {
        assert_eq!(collection_window([ms(20), ms(120)]), ms(150));
        assert_eq!(collection_window([ms(900)]), MAX_WINDOW);
        assert_eq!(collection_window([]), MIN_WINDOW);
    }
}
