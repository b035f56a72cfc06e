//! Clue timers: time to buzz once the buzzers open, and time to answer once
//! a player has the floor. Both are off unless the host sets them.
//!
//! When the buzz timer runs out with nobody buzzing, the buzzers close (the
//! host can reveal the answer). When the answer timer runs out, the answer
//! counts as wrong, as on the show. Timers are armed by looking at what a
//! command did (buzzers opened, someone answering), so every path that opens
//! the buzzers or gives someone the floor gets them without knowing of them.

use std::time::Duration;

use super::{Buzzers, Event, Game, Refusal};

/// The longest a host may set either timer to.
pub const MAX_TIMER_SECONDS: u32 = 120;

/// A room's timer settings; zero turns a timer off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Timers {
    pub buzz: Duration,
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

    /// Starts, restarts or stops the clue timer after `events` happened.
    pub(super) fn arm_timers(&mut self, now: Duration, events: &[Event]) -> Vec<Event> {
        let timers = self.timers;
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
                Event::Answering { .. } if !timers.answer.is_zero() => {
                    started = Some(ClueTimer {
                        kind: TimerKind::Answer,
                        ends: now + timers.answer,
                    });
                }
                Event::BuzzersOpened
                | Event::Answering { .. }
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
