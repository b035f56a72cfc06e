//! Who buzzed first: the collection window, the early-buzz lockout, and the
//! buzz audit.
//!
//! In the default mode a buzz does not win by arriving first. The first
//! buzz to arrive opens a short collection window (long enough for the armed
//! players' measured latency, at most 450 ms); when it closes, the buzzes are
//! ranked by arrival minus the delay each is forgiven ([`super::fairness`]).
//! In "first to reach the server" mode the window is zero and arrival order
//! decides.
//!
//! A press while the clue is still being read (buzzers not open yet), or a
//! claimed reaction too fast to be human, is an early buzz: that player is
//! locked out for a moment (250 ms by default), and every early press starts
//! the lockout again.

use std::time::Duration;

use super::fairness::{self, Assessment, BuzzTiming, Verdict};
use super::{Buzzers, Event, Game, PlayerId, Refusal};

/// The longest early-buzz lockout a host may set.
pub const MAX_EARLY_LOCKOUT: Duration = Duration::from_secs(2);

/// How buzzes are put in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuzzMode {
    /// The fastest human wins: latency-compensated, within checked bounds.
    #[default]
    Compensated,
    /// The first buzz to reach the server wins.
    FirstArrival,
}

/// A room's buzzing rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BuzzSettings {
    /// How buzzes are ordered.
    pub mode: BuzzMode,
    /// How long an early press locks a player out; zero turns it off.
    pub early_lockout: Duration,
}

impl Default for BuzzSettings {
    fn default() -> Self {
        BuzzSettings {
            mode: BuzzMode::Compensated,
            early_lockout: Duration::from_millis(250),
        }
    }
}

/// One line of a clue's buzz audit: a buzz or an early press, and how the
/// server weighed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuzzRecord {
    /// Who pressed.
    pub player: PlayerId,
    /// From the server sending "open" to this player until the buzz arrived.
    pub elapsed: Option<Duration>,
    /// The reaction time the page claimed, in milliseconds.
    pub claimed_ms: Option<f64>,
    /// The player's recent round trip, as measured.
    pub recent_rtt: Option<Duration>,
    /// How the claim was judged.
    pub verdict: Verdict,
    /// How much earlier than its arrival the buzz was ranked.
    pub compensation: Duration,
    /// Place in the buzz order; `None` for early presses.
    pub position: Option<usize>,
}

/// Buzzes held while the window is open.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// When the window closes and the winner is named.
    pub closes_at: Duration,
    /// The buzzes so far, in arrival order.
    pub entries: Vec<Entry>,
}

/// One held buzz.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Who buzzed.
    pub player: PlayerId,
    /// When it arrived.
    pub arrived: Duration,
    /// Arrival minus compensation: what the buzz is ranked by.
    pub ranked_at: Duration,
    /// The audit line, without its position yet.
    pub record: BuzzRecord,
}

impl Game {
    /// Whether a buzz now would be the first of a new collection window (so
    /// the room knows when to work out the window's length).
    pub fn awaiting_first_buzz(&self) -> bool {
        self.clue
            .as_ref()
            .is_some_and(|c| c.buzzers == Buzzers::Open && c.window.is_none())
    }

    /// Whether `player` is still in the game and has not tried this clue.
    pub fn is_armed(&self, player: PlayerId) -> bool {
        self.active(player).is_some()
            && self
                .clue
                .as_ref()
                .is_some_and(|c| !c.tried.contains(&player))
    }

    pub(super) fn buzz(
        &mut self,
        player: PlayerId,
        timing: BuzzTiming,
        window: Duration,
        now: Duration,
    ) -> Result<Vec<Event>, Refusal> {
        if self.active(player).is_none() {
            return Err(Refusal::UnknownPlayer);
        }
        let settings = self.settings;
        let clue = self.clue.as_mut().ok_or(Refusal::BuzzersNotOpen)?;
        if clue.daily_double {
            return Err(Refusal::DailyDoubleHasNoBuzzers);
        }
        if clue.tried.contains(&player) {
            return Err(Refusal::AlreadyTried);
        }
        match clue.buzzers {
            Buzzers::Waiting => return Ok(self.early_press(player, timing, Verdict::Early, now)),
            Buzzers::Closed | Buzzers::Wagering(_) => return Err(Refusal::BuzzersNotOpen),
            Buzzers::Open | Buzzers::Answering(_) => {}
        }
        if self.lockouts.get(&player).is_some_and(|&until| now < until) {
            return Err(Refusal::LockedOut);
        }
        // A team buzzes once per opening, whichever member presses.
        let side = self.side_of(player);
        let clue = self.clue.as_mut().ok_or(Refusal::BuzzersNotOpen)?;
        let held = clue
            .window
            .as_ref()
            .is_some_and(|w| w.entries.iter().any(|e| side.contains(&e.player)));
        if held || clue.buzz_order.iter().any(|p| side.contains(p)) {
            return Err(Refusal::AlreadyBuzzed);
        }
        let assessment = match settings.mode {
            BuzzMode::Compensated => fairness::assess(&timing),
            BuzzMode::FirstArrival => Assessment {
                verdict: Verdict::ArrivalOrder,
                compensation: Duration::ZERO,
            },
        };
        if assessment.verdict == Verdict::Anticipated {
            return Ok(self.early_press(player, timing, Verdict::Anticipated, now));
        }
        let record = BuzzRecord {
            player,
            elapsed: timing.elapsed,
            claimed_ms: timing.claimed_ms,
            recent_rtt: timing.recent_rtt,
            verdict: assessment.verdict,
            compensation: assessment.compensation,
            position: None,
        };
        // Re-borrow: early_press above needed all of `self`.
        let clue = self.clue.as_mut().ok_or(Refusal::BuzzersNotOpen)?;

        if let Buzzers::Answering(_) = clue.buzzers {
            // The winner is named; later buzzes queue in arrival order.
            clue.buzz_order.push(player);
            let position = clue.buzz_order.len();
            let record = BuzzRecord {
                position: Some(position),
                ..record
            };
            clue.audit.push(record);
            return Ok(vec![
                Event::Buzzed { player, position },
                Event::Audited { record },
            ]);
        }

        let entry = Entry {
            player,
            arrived: now,
            ranked_at: now.saturating_sub(assessment.compensation),
            record,
        };
        match clue.window.as_mut() {
            Some(open) => open.entries.push(entry),
            None => {
                let length = match settings.mode {
                    BuzzMode::Compensated => window.min(fairness::MAX_WINDOW),
                    BuzzMode::FirstArrival => Duration::ZERO,
                };
                clue.window = Some(Window {
                    closes_at: now + length,
                    entries: vec![entry],
                });
            }
        }
        let mut events = vec![Event::BuzzHeld { player }];
        events.extend(self.settle(now));
        Ok(events)
    }

    /// A press that does not count as a buzz: it locks the player out.
    fn early_press(
        &mut self,
        player: PlayerId,
        timing: BuzzTiming,
        verdict: Verdict,
        now: Duration,
    ) -> Vec<Event> {
        let lockout = self.settings.early_lockout;
        if !lockout.is_zero() {
            self.lockouts.insert(player, now + lockout);
        }
        let record = BuzzRecord {
            player,
            elapsed: timing.elapsed,
            claimed_ms: timing.claimed_ms,
            recent_rtt: timing.recent_rtt,
            verdict,
            compensation: Duration::ZERO,
            position: None,
        };
        if let Some(clue) = self.clue.as_mut() {
            clue.audit.push(record);
        }
        vec![
            Event::EarlyBuzz { player, lockout },
            Event::Audited { record },
        ]
    }

    /// Names the winner of a collection window whose time is up.
    pub(super) fn settle(&mut self, now: Duration) -> Vec<Event> {
        let Some(clue) = self.clue.as_mut() else {
            return Vec::new();
        };
        let due = clue.window.as_ref().is_some_and(|w| now >= w.closes_at);
        if !due {
            return Vec::new();
        }
        let Some(mut window) = clue.window.take() else {
            return Vec::new();
        };
        // Stable: equal ranks keep arrival order.
        window.entries.sort_by_key(|e| e.ranked_at);
        let mut events = Vec::with_capacity(window.entries.len() * 2 + 1);
        for (index, entry) in window.entries.iter().enumerate() {
            clue.buzz_order.push(entry.player);
            events.push(Event::Buzzed {
                player: entry.player,
                position: index + 1,
            });
        }
        if let Some(first) = window.entries.first() {
            clue.buzzers = Buzzers::Answering(first.player);
            events.push(Event::Answering {
                player: first.player,
            });
        }
        for (index, entry) in window.entries.into_iter().enumerate() {
            let record = BuzzRecord {
                position: Some(index + 1),
                ..entry.record
            };
            clue.audit.push(record);
            events.push(Event::Audited { record });
        }
        events
    }
}
