//! Clue timers: time to buzz once the buzzers open, and time to answer once
//! a player has the floor. Both are off unless the host sets them.
//!
//! When the buzz timer runs out with nobody buzzing, the buzzers close (the
//! host can reveal the answer). When the answer timer runs out, the answer
//! counts as wrong, as on the show. Timers are armed by looking at what a
//! command did (buzzers opened, someone answering), so every path that opens
//! the buzzers or gives someone the floor gets them without knowing of them.

use std::time::Duration;

use super::{AnswerTime, Buzzers, Event, Game, PlayerId, Refusal};

/// The longest a host may set either timer to.
pub const MAX_TIMER_SECONDS: u32 = 120;

/// A room's timer settings; zero turns a timer off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Timers {
    /// The buzz.
    pub buzz: Duration,
    /// The answer.
    pub answer: Duration,
}

/// Which timer is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimerKind {
    /// Time to buzz.
    Buzz,
    /// Time to answer.
    Answer,
}

/// The timer running on the open clue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClueTimer {
    /// Which timer.
    pub kind: TimerKind,
    /// When it runs out, on the room clock.
    pub ends: Duration,
}

impl Game {
    /// The room's timer settings.
    pub fn timers(&self) -> Timers {
        self.timers
    }

    pub(super) fn set_timers(
        &mut self,
        buzz_seconds: u32,
        answer_seconds: u32,
    ) -> Result<Vec<Event>, Refusal> {
        if buzz_seconds > MAX_TIMER_SECONDS || answer_seconds > MAX_TIMER_SECONDS {
            return Err(Refusal::BadSetting);
        }
        self.timers = Timers {
            buzz: Duration::from_secs(buzz_seconds.into()),
            answer: Duration::from_secs(answer_seconds.into()),
        };
        Ok(vec![Event::TimersChanged {
            timers: self.timers,
        }])
    }

    /// Host: a player's time to answer (an accommodation).
    pub(super) fn set_answer_time(
        &mut self,
        player: PlayerId,
        time: AnswerTime,
    ) -> Result<Vec<Event>, Refusal> {
        if matches!(time, AnswerTime::Longer(s) if s == 0 || s > MAX_TIMER_SECONDS) {
            return Err(Refusal::BadSetting);
        }
        if self.active(player).is_none() {
            return Err(Refusal::UnknownPlayer);
        }
        self.players[player.0 as usize - 1].answer_time = time;
        Ok(vec![Event::AnswerTimeChanged { player, time }])
    }

    /// How long `player` has to answer: the room's answer timer as the host
    /// set it for them (zero: no timer).
    fn answer_timer_for(&self, player: PlayerId) -> Duration {
        let usual = self.timers.answer;
        if usual.is_zero() {
            return Duration::ZERO;
        }
        match self.player(player).map(|p| p.answer_time) {
            Some(AnswerTime::NoLimit) => Duration::ZERO,
            Some(AnswerTime::Longer(extra)) => usual + Duration::from_secs(extra.into()),
            _ => usual,
        }
    }

    /// Starts, restarts or stops the clue timer after `events` happened.
    pub(super) fn arm_timers(&mut self, now: Duration, events: &[Event]) -> Vec<Event> {
        let timers = self.timers;
        let answer_times: Vec<Duration> = events
            .iter()
            .filter_map(|e| match e {
                Event::Answering { player } => Some(self.answer_timer_for(*player)),
                _ => None,
            })
            .collect();
        let mut answer_times = answer_times.into_iter();
        let Some(clue) = self.clue.as_mut() else {
            return Vec::new();
        };
        let mut started = None;
        for event in events {
            match event {
                Event::BuzzersOpened if !timers.buzz.is_zero() => {
                    started = Some(ClueTimer {
                        kind: TimerKind::Buzz,
                        ends: now + timers.buzz,
                    });
                }
                Event::Answering { .. } => {
                    let time = answer_times.next().unwrap_or(timers.answer);
                    started = (!time.is_zero()).then_some(ClueTimer {
                        kind: TimerKind::Answer,
                        ends: now + time,
                    });
                }
                Event::BuzzersOpened
                | Event::Judged { .. }
                | Event::BuzzersClosed
                | Event::AnswerRevealed { .. } => started = None,
                _ => continue,
            }
            clue.timer = started;
        }
        started
            .map(|t| Event::TimerStarted {
                kind: t.kind,
                ends: t.ends,
            })
            .into_iter()
            .collect()
    }

    /// Acts on a clue timer that has run out.
    pub(super) fn settle_timers(&mut self, now: Duration) -> Vec<Event> {
        let Some(clue) = self.clue.as_mut() else {
            return Vec::new();
        };
        let Some(timer) = clue.timer.filter(|t| now >= t.ends) else {
            return Vec::new();
        };
        clue.timer = None;
        match (timer.kind, clue.buzzers) {
            // A buzz being weighed decides; the timer gives way to it.
            (TimerKind::Buzz, Buzzers::Open) if clue.window.is_none() => {
                clue.buzzers = Buzzers::Closed;
                vec![
                    Event::TimeUp {
                        kind: TimerKind::Buzz,
                    },
                    Event::BuzzersClosed,
                ]
            }
            (TimerKind::Answer, Buzzers::Answering(_)) => {
                let mut events = vec![Event::TimeUp {
                    kind: TimerKind::Answer,
                }];
                events.extend(self.judge(false).unwrap_or_default());
                events
            }
            _ => Vec::new(),
        }
    }
}
