//! Who buzzed first: the collection window, the early-buzz lockout, and the
//! buzz audit.
//!
//! In the default mode a buzz does not win by arriving first. The first
//! buzz to arrive opens a collection window; buzzes are ranked by arrival
//! minus the delay each is forgiven ([`super::fairness`]) minus any extra
//! reaction time the host gave the player. The window closes as soon as the
//! winner is certain: when no armed player who has not buzzed could still be
//! ranked ahead of the best buzz so far (the best buzz's rank plus the
//! longest any of them could be forgiven), and never later than 450 ms after
//! the first buzz (plus extra time, for a player who has it). In "first to
//! reach the server" mode nothing is forgiven, so arrival order decides
//! (extra time still counts).
//!
//! A press while the clue is still being read (buzzers not open yet), or an
//! early one by [`fairness::early`] or the claim, is an early buzz: that
//! player is locked out for a moment (250 ms by default), and every early
//! press starts the lockout again.

use std::collections::BTreeSet;
use std::time::Duration;

use super::fairness::{self, Assessment, BuzzTiming, Verdict};
use super::{Buzzers, Event, Game, PlayerId, Refusal, TeamId};

/// The longest early-buzz lockout a host may set.
pub const MAX_EARLY_LOCKOUT: Duration = Duration::from_secs(2);
/// The most extra reaction time the host may give one player.
pub const MAX_EXTRA_TIME: Duration = Duration::from_secs(1);
/// How many of the armed players a window lists by name (the longest
/// allowances); the others are bounded by one figure.
pub const RIVALS_LISTED: usize = 16;

/// Who could still beat the best buzz of a window: for the players armed
/// when its first buzz arrived, the longest each could be forgiven (latency
/// allowance plus extra time), longest first. Worked out by the room once
/// per window ([`Game::rivals`]) and saved with that buzz, so a replayed game
/// closes its windows at the same moments.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Rivals {
    /// The longest allowances, by player.
    pub listed: Vec<(PlayerId, Duration)>,
    /// An upper bound for every armed player not listed; `None` if there
    /// are none.
    pub rest: Option<Duration>,
}

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
    /// Extra reaction time the host gave this player, taken off their rank.
    pub extra: Duration,
}

/// Buzzes held while the window is open.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// When the first buzz arrived.
    pub opened_at: Duration,
    /// When the window closes and the winner is named.
    pub closes_at: Duration,
    /// Who could still beat the best buzz; `None` for a buzz saved before
    /// windows closed early, whose window has a fixed length.
    pub rivals: Option<Rivals>,
    /// The buzzes so far, in arrival order.
    pub entries: Vec<Entry>,
    /// Players and teams with a buzz in the window.
    done: BTreeSet<PlayerId>,
    done_teams: BTreeSet<TeamId>,
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

    /// Who could beat a first buzz arriving now: every armed player whose
    /// connection reported a latency allowance (`allowance`; players without
    /// one are not connected or not measured yet), plus their extra time.
    pub fn rivals(&self, allowance: impl Fn(PlayerId) -> Option<Duration>) -> Rivals {
        let compensated = self.settings.mode == BuzzMode::Compensated;
        let mut all: Vec<(PlayerId, Duration)> = self
            .players
            .iter()
            .filter(|p| self.is_armed(p.id))
            .filter_map(|p| {
                let latency = allowance(p.id)?;
                let forgiven = if compensated { latency } else { Duration::ZERO };
                Some((p.id, forgiven + p.extra_time))
            })
            .collect();
        // Longest first; ties by id, so the list is the same on every run.
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let rest = all.get(RIVALS_LISTED).map(|(_, d)| *d);
        all.truncate(RIVALS_LISTED);
        Rivals { listed: all, rest }
    }

    /// Host: gives a player extra reaction time (a motor or visual
    /// impairment); zero takes it away.
    pub(super) fn set_extra_time(
        &mut self,
        player: PlayerId,
        extra: Duration,
    ) -> Result<Vec<Event>, Refusal> {
        if extra > MAX_EXTRA_TIME {
            return Err(Refusal::BadSetting);
        }
        if self.active(player).is_none() {
            return Err(Refusal::UnknownPlayer);
        }
        self.players[player.0 as usize - 1].extra_time = extra;
        Ok(vec![Event::ExtraTimeChanged { player, extra }])
    }

    pub(super) fn buzz(
        &mut self,
        player: PlayerId,
        timing: BuzzTiming,
        window: Duration,
        rivals: Option<Rivals>,
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
        // A press while already locked out is refused, not another early
        // press: mashing is counted by the room, not saved and broadcast
        // press by press. (Buzzes saved before this rule carry no `min_rtt`
        // and replay as they were: each press restarted the lockout.)
        let locked = self.lockouts.get(&player).is_some_and(|&until| now < until);
        if locked && timing.min_rtt.is_some() {
            return Err(Refusal::LockedOut);
        }
        let clue = self.clue.as_mut().ok_or(Refusal::BuzzersNotOpen)?;
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
                verdict: fairness::early(&timing).unwrap_or(Verdict::ArrivalOrder),
                compensation: Duration::ZERO,
            },
        };
        if assessment.verdict.is_early() {
            return Ok(self.early_press(player, timing, assessment.verdict, now));
        }
        let extra = self.player(player).map_or(Duration::ZERO, |p| p.extra_time);
        let team = self.player(player).and_then(|p| p.team);
        let record = BuzzRecord {
            player,
            elapsed: timing.elapsed,
            claimed_ms: timing.claimed_ms,
            recent_rtt: timing.recent_rtt,
            verdict: assessment.verdict,
            compensation: assessment.compensation,
            position: None,
            extra,
        };
        let mut events = self.note_reaction(&record);
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
            events.push(Event::Buzzed { player, position });
            events.push(Event::Audited { record });
            return Ok(events);
        }

        let entry = Entry {
            player,
            arrived: now,
            ranked_at: now.saturating_sub(assessment.compensation + extra),
            record,
        };
        let window = clue.window.get_or_insert_with(|| {
            // A buzz saved before windows closed early has no rivals and
            // keeps the fixed length it was given.
            let length = match (settings.mode, &rivals) {
                (BuzzMode::Compensated, None) => window.min(fairness::MAX_WINDOW),
                (BuzzMode::FirstArrival, None) => Duration::ZERO,
                (_, Some(_)) => fairness::MAX_WINDOW,
            };
            Window {
                opened_at: now,
                closes_at: now + length,
                rivals,
                entries: Vec::new(),
                done: BTreeSet::new(),
                done_teams: BTreeSet::new(),
            }
        });
        window.entries.push(entry);
        window.done.insert(player);
        if let Some(team) = team {
            window.done_teams.insert(team);
        }
        self.reschedule_window();
        events.push(Event::BuzzHeld { player });
        events.extend(self.settle(now));
        Ok(events)
    }

    /// Moves the open window's closing time to the moment its winner is
    /// certain: the best rank so far plus the longest allowance of an armed
    /// player who has not buzzed, capped at 450 ms after the first buzz plus
    /// the extra time of those players. With nobody left who could buzz,
    /// that is now.
    pub(super) fn reschedule_window(&mut self) {
        let Some(window) = self.clue.as_ref().and_then(|c| c.window.as_ref()) else {
            return;
        };
        let Some(rivals) = &window.rivals else {
            return;
        };
        let waiting = |p: PlayerId| {
            self.is_armed(p)
                && !window.done.contains(&p)
                && !self
                    .player(p)
                    .and_then(|p| p.team)
                    .is_some_and(|t| window.done_teams.contains(&t))
        };
        let mut longest = rivals.rest;
        let mut extra = Duration::ZERO;
        for (p, allowance) in &rivals.listed {
            if waiting(*p) {
                longest = longest.max(Some(*allowance));
                extra = extra.max(self.player(*p).map_or(Duration::ZERO, |p| p.extra_time));
            }
        }
        let best = window.entries.iter().map(|e| e.ranked_at).min();
        let cap = window.opened_at + fairness::MAX_WINDOW + extra;
        let closes_at = match (best, longest) {
            (Some(best), Some(longest)) => (best + longest).min(cap),
            // Nobody else could still buzz, or nobody has (a removal).
            (Some(_), None) => window
                .entries
                .iter()
                .map(|e| e.arrived)
                .max()
                .unwrap_or(cap),
            (None, _) => cap,
        };
        if let Some(window) = self.clue.as_mut().and_then(|c| c.window.as_mut()) {
            window.closes_at = closes_at;
        }
    }

    /// Records a counted buzz's claimed reaction for the bot check; returns
    /// the flag, the first time the player's reactions look like a bot's.
    fn note_reaction(&mut self, record: &BuzzRecord) -> Vec<Event> {
        let Some(claimed) = record.claimed_ms else {
            return Vec::new();
        };
        let log = self.reactions.entry(record.player).or_default();
        match log.note(claimed) {
            Some(suspicion) => vec![Event::Suspected {
                player: record.player,
                suspicion,
            }],
            None => Vec::new(),
        }
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
            extra: Duration::ZERO,
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
