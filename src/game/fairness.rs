//! Fair buzzing: how much of a buzz's delay the server forgives, and which
//! presses are early.
//!
//! A phone measures the player's reaction time itself, from the moment it
//! *showed* the buzzers as open to the press, and sends it with the buzz. The
//! server cannot trust that number blindly, but it can bound it. It knows
//! when it sent "open" to that phone and when the buzz arrived (`elapsed`);
//! whatever part of `elapsed` the claim does not account for is network delay
//! (down, up, and the phone's own processing). That delay is forgiven only up
//! to what the connection's recent round trips show, plus a small margin, and
//! never more than [`MAX_COMPENSATION`].
//!
//! The round trips are WebSocket protocol pings, which the browser's network
//! stack answers: a modified page cannot delay them. The page's own
//! processing (its script answering an app-level ping) is forgiven only up
//! to [`PROCESSING_CAP`].
//!
//! A press is early, and locks the player out, when the page says it came
//! before it showed "open", when the claim is faster than a human can react
//! ([`ANTICIPATION`]), when the server's own clock proves it (the buzz arrived
//! sooner after "open" was sent than the connection's fastest round trip plus
//! [`ANTICIPATION`]), or when the claim is longer than the server measured
//! (impossible, so false).
//!
//! The buzz is then ranked by `arrival - compensation`: the moment the player
//! pressed, on the server's clock, as far as the server can check it.
//! `docs/fairness.md` explains the method, its bounds and its limits.

use std::time::Duration;

/// Reactions faster than this are anticipation, not reaction.
pub const ANTICIPATION: Duration = Duration::from_millis(100);
/// The most network delay one buzz can be forgiven.
pub const MAX_COMPENSATION: Duration = Duration::from_millis(500);
/// Slack on top of a connection's measured round trip, for jitter.
pub const LATENCY_MARGIN: Duration = Duration::from_millis(15);
/// The most of a page's own processing (its script's delay in answering a
/// ping, beyond the network round trip) that is forgiven. A page that
/// answers late gains no more than this.
pub const PROCESSING_CAP: Duration = Duration::from_millis(15);
/// Margin for buzzes saved before this version, whose round trips were
/// measured by the page's script (processing included).
const LEGACY_MARGIN: Duration = Duration::from_millis(30);
/// How much longer than the server's measurement a claim may be before it
/// is impossible: timer granularity on the page and the server.
pub const CLAIM_TOLERANCE: Duration = Duration::from_millis(2);
/// The longest the server waits after the first buzz before naming the
/// winner (plus any extra time the host gave a player still to buzz).
pub const MAX_WINDOW: Duration = Duration::from_millis(450);
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
    /// The longest of the connection's recent network round trips.
    pub recent_rtt: Option<Duration>,
    /// The shortest of the connection's recent network round trips: no
    /// buzz can travel faster. `None` only in buzzes saved before this
    /// version.
    #[serde(default)]
    pub min_rtt: Option<Duration>,
    /// How long the page's script took to answer a ping beyond the network
    /// round trip (its own processing). `None` in buzzes saved before this
    /// version, whose `recent_rtt` already included it.
    #[serde(default)]
    pub processing: Option<Duration>,
    /// The page says the press came before it showed the buzzers as open.
    #[serde(default)]
    pub pressed_early: bool,
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
    /// Too fast to be a reaction, by the claim or by the server's clock: an
    /// early buzz.
    Anticipated,
    /// Pressed before the buzzers opened (on the server, or on the page).
    Early,
    /// The claim is longer than the time the server measured since it sent
    /// "open": false, so the press counts as early.
    Impossible,
    /// Ranked by arrival alone: the room plays "first to reach the server".
    ArrivalOrder,
}

impl Verdict {
    /// Whether this verdict makes the press an early one (a lockout, no place).
    pub fn is_early(self) -> bool {
        matches!(
            self,
            Verdict::Anticipated | Verdict::Early | Verdict::Impossible
        )
    }
}

/// The server's reading of one buzz.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessment {
    /// How the claim was judged.
    pub verdict: Verdict,
    /// How much earlier than its arrival the buzz is ranked.
    pub compensation: Duration,
}

impl Assessment {
    fn plain(verdict: Verdict) -> Assessment {
        Assessment {
            verdict,
            compensation: Duration::ZERO,
        }
    }
}

/// Whether a press is early whatever the room's mode: the page says so, or
/// the server's clock proves it came too soon after "open" to be a reaction.
pub fn early(timing: &BuzzTiming) -> Option<Verdict> {
    if timing.pressed_early {
        return Some(Verdict::Early);
    }
    // The press happened at most `elapsed - min_rtt` after the page got
    // "open": the buzz spent at least one round trip on the network.
    if let (Some(elapsed), Some(min_rtt)) = (timing.elapsed, timing.min_rtt)
        && elapsed.saturating_sub(min_rtt) < ANTICIPATION
    {
        return Some(Verdict::Anticipated);
    }
    None
}

/// How much delay `timing` is forgiven in the compensated mode.
pub fn assess(timing: &BuzzTiming) -> Assessment {
    if let Some(verdict) = early(timing) {
        return Assessment::plain(verdict);
    }
    let Some(elapsed) = timing.elapsed else {
        return Assessment::plain(Verdict::Rejected);
    };
    let claim = match timing.claimed_ms {
        Some(ms) if ms.is_finite() && (0.0..=MAX_CLAIM_MS).contains(&ms) => {
            Duration::from_secs_f64(ms / 1000.0)
        }
        _ => return Assessment::plain(Verdict::Rejected),
    };
    if claim < ANTICIPATION {
        return Assessment::plain(Verdict::Anticipated);
    }
    // No reaction is longer than the time since "open" was sent. (Buzzes
    // saved before this check existed carry no `min_rtt` and replay as they
    // were judged.)
    if timing.min_rtt.is_some() && claim > elapsed + CLAIM_TOLERANCE {
        return Assessment::plain(Verdict::Impossible);
    }
    let allowed = latency_allowance(timing.recent_rtt, timing.processing);
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

/// The most delay a connection with this recent round trip and page
/// processing can be forgiven.
pub fn latency_allowance(recent_rtt: Option<Duration>, processing: Option<Duration>) -> Duration {
    let rtt = recent_rtt.unwrap_or(Duration::ZERO);
    let slack = match processing {
        Some(processing) => processing.min(PROCESSING_CAP) + LATENCY_MARGIN,
        None => LEGACY_MARGIN,
    };
    (rtt + slack).min(MAX_COMPENSATION)
}

#[cfg(test)]
mod tests {
    //! What delay a buzz is forgiven, and which presses are early.
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// A buzz measured by this version: network round trips of `rtt`
    /// (fastest 0), 5 ms of page processing.
    fn timing(elapsed: u64, claimed: f64, rtt: u64) -> BuzzTiming {
        BuzzTiming {
            elapsed: Some(ms(elapsed)),
            claimed_ms: Some(claimed),
            recent_rtt: Some(ms(rtt)),
            min_rtt: Some(Duration::ZERO),
            processing: Some(ms(5)),
            pressed_early: false,
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
        // 400 ms unexplained, but round trips of 50 ms: only 50 + 5 + margin forgiven.
        let a = assess(&timing(600, 200.0, 50));
        assert_eq!(a.verdict, Verdict::Adjusted);
        assert_eq!(a.compensation, ms(55) + LATENCY_MARGIN);
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
            ..timing(0, 250.0, 100)
        });
        assert_eq!(a.verdict, Verdict::Rejected);
    }

    #[test]
    fn a_press_the_page_made_before_it_showed_open_is_early_in_both_modes() {
        let pressed = BuzzTiming {
            pressed_early: true,
            ..timing(500, 250.0, 100)
        };
        assert_eq!(early(&pressed), Some(Verdict::Early));
        assert_eq!(assess(&pressed).verdict, Verdict::Early);
    }

    #[test]
    fn a_buzz_sooner_after_open_than_the_fastest_round_trip_plus_100_ms_is_anticipated() {
        // Issue 11, cheat 1: a 100 ms link, pressed 50 ms before the screen
        // showed open; it arrives 50 ms after the server sent "open".
        let slow_link = BuzzTiming {
            claimed_ms: None,
            min_rtt: Some(ms(100)),
            ..timing(50, 0.0, 100)
        };
        assert_eq!(early(&slow_link), Some(Verdict::Anticipated));
        // Issue 11, cheat 3: a bot buzzing 1 ms after "open", claiming 150 ms.
        let bot = BuzzTiming {
            min_rtt: Some(Duration::from_micros(200)),
            ..timing(1, 150.0, 1)
        };
        assert_eq!(assess(&bot).verdict, Verdict::Anticipated);
        // A fast honest reaction on the same 100 ms link is not.
        let honest = BuzzTiming {
            min_rtt: Some(ms(100)),
            ..timing(100 + 140, 140.0, 100)
        };
        assert_eq!(early(&honest), None);
        assert_eq!(assess(&honest).verdict, Verdict::Accepted);
    }

    #[test]
    fn a_claim_longer_than_the_server_measured_is_impossible_and_early() {
        let a = assess(&timing(300, 400.0, 100));
        assert_eq!(a.verdict, Verdict::Impossible);
        assert!(a.verdict.is_early());
        assert_eq!(a.compensation, Duration::ZERO);
        // Within the timer tolerance it stands.
        assert_eq!(assess(&timing(300, 301.0, 100)).verdict, Verdict::Accepted);
    }

    #[test]
    fn a_page_that_answers_pings_late_is_forgiven_at_most_the_processing_cap() {
        // Issue 11, cheat 2: network round trip 100 ms, the script answers
        // 200 ms late and claims 100 ms.
        let inflated = BuzzTiming {
            processing: Some(ms(200)),
            min_rtt: Some(ms(100)),
            ..timing(400, 100.0, 100)
        };
        let a = assess(&inflated);
        assert_eq!(a.verdict, Verdict::Adjusted);
        assert_eq!(a.compensation, ms(100) + PROCESSING_CAP + LATENCY_MARGIN);
    }

    #[test]
    fn a_buzz_saved_before_these_checks_replays_as_it_was_judged() {
        // No min_rtt, no processing: app-level round trips, 30 ms margin,
        // and a claim longer than elapsed was accepted with nothing forgiven.
        let legacy = BuzzTiming {
            elapsed: Some(ms(150)),
            claimed_ms: Some(400.0),
            recent_rtt: Some(ms(100)),
            ..BuzzTiming::default()
        };
        let a = assess(&legacy);
        assert_eq!(a.verdict, Verdict::Accepted);
        assert_eq!(a.compensation, Duration::ZERO);
        let legacy = BuzzTiming {
            elapsed: Some(ms(700)),
            claimed_ms: Some(200.0),
            ..legacy
        };
        assert_eq!(assess(&legacy).compensation, ms(130));
    }
}
