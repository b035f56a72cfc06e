//! A contestant: their number in the room, name, score, team and the
//! accommodations the host gave them.

use std::fmt;
use std::time::Duration;

use super::{PlayerName, TeamId};

/// A player's number within one room, given out in joining order from 1.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct PlayerId(pub u32);

impl fmt::Display for PlayerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One contestant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Player {
    /// Their number in this room.
    pub id: PlayerId,
    /// What every view shows for them.
    pub name: PlayerName,
    /// Their points; may be negative.
    pub score: i64,
    /// Removed by the host: hidden from the roster, cannot buzz.
    pub removed: bool,
    /// Their team, when the room plays by teams.
    pub team: Option<TeamId>,
    /// Extra reaction time the host gave them (an accommodation).
    pub extra_time: Duration,
    /// How long they may take to answer, when the room times answers.
    pub answer_time: AnswerTime,
    /// Whether they play from a phone. A team the host added without
    /// phones plays as one seat with none: the host gives it the floor,
    /// enters its wagers and scores it.
    pub device: bool,
}

/// A player's time to answer, set by the host as an accommodation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "seconds")]
pub enum AnswerTime {
    /// The room's answer timer, as everyone has it.
    #[default]
    Usual,
    /// The room's timer plus this many seconds (1 to 120).
    Longer(u32),
    /// No timer for this player's answers.
    NoLimit,
}
