//! The parts of a page's picture of the game that messages carry: the
//! board, players, the open clue, the Final, standings, settings, the
//! buzz audit. Filled in by [`crate::room::view`] alone.

use serde::{Deserialize, Serialize};

use super::is_zero;

use super::Role;
use crate::game::{AnswerTime, BuzzMode, PlayerId, SuspicionReason, TeamId, TimerKind, Verdict};

/// The bounds of the host's settings, as the game enforces them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitsView {
    /// The longest buzz or answer timer, in seconds.
    pub max_timer_seconds: u32,
    /// The longest early-press lockout, in milliseconds.
    pub max_early_lockout_ms: u64,
    /// The most Daily Doubles placed at random per round.
    pub max_random_daily_doubles: u8,
    /// The shortest and longest time to answer the Final, in seconds.
    pub min_final_seconds: u64,
    /// The longest time to answer the Final, in seconds.
    pub max_final_seconds: u64,
    /// The most players this server lets into one game.
    pub max_players: usize,
    /// The longest extra reaction time for one player, in milliseconds.
    pub max_extra_ms: u64,
}

/// The scores as a phone shows them between clues and at the end: the
/// leaders by name with their places, every team, and how many players
/// hold each score, so every phone works out its own place without a list
/// of thousands of players.
///
/// One rule for places everywhere (the phones, the projector's podium, the
/// results): equal scores share a place, and the next place counts
/// everyone above it ("1, 2, 2, 4"): a player's place is one more than the
/// number of players with a higher score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standings {
    /// The leaders, highest first (five between clues, ten at the end).
    pub leaders: Vec<Placed>,
    /// `[score, players]` pairs, highest score first.
    pub counts: Vec<(i64, u32)>,
    /// Every team with its place, highest first; empty unless the room
    /// plays by teams.
    #[serde(default)]
    pub teams: Vec<Placed>,
}

/// A player (or a team) with their score and place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    /// The player's (or team's) number in this room.
    pub id: u32,
    /// The name, as shown.
    pub name: String,
    /// The score now.
    pub score: i64,
    /// The place: 1 for the highest score; equal scores share one.
    pub rank: usize,
    /// A player's team, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
}

/// A team and its total points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    /// Its number in this room.
    pub id: TeamId,
    /// The name, as shown.
    pub name: String,
    /// The score now.
    pub score: i64,
    /// The host added it to play without phones (phones cannot join it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_phone: bool,
}

/// The Final as one page may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalView {
    /// The column on the board, from 0.
    pub category: String,
    /// `"wagering"`, `"answering"`, `"judging"` or `"over"`.
    pub stage: String,
    /// The clue, once shown.
    pub clue: Option<String>,
    /// Milliseconds left to answer, while answering.
    pub ms_left: Option<u64>,
    /// The players in the Final, with what each has done so far.
    pub players: Vec<FinalPlayerView>,
    /// The expected answer: for the host, and for everyone once it is over.
    pub answer: Option<AnswerView>,
}

/// One player's part in the Final. Wagers and answers are hidden from
/// everyone but the host until the host reveals them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalPlayerView {
    /// Its number in this room.
    pub id: PlayerId,
    /// The name, as shown.
    pub name: String,
    /// The team this seat plays for, when the room plays by teams.
    #[serde(default)]
    pub team: Option<TeamId>,
    /// Whether a wager is in.
    pub wagered: bool,
    /// Whether an answer is in.
    pub answered: bool,
    /// The points wagered.
    pub wager: Option<i64>,
    /// The answer.
    pub answer: Option<String>,
    /// Whether it is shown to everyone.
    pub revealed: bool,
    /// Whether the answer was judged right.
    pub correct: Option<bool>,
}

fn is_usual(time: &AnswerTime) -> bool {
    *time == AnswerTime::Usual
}

fn english() -> String {
    "en".to_owned()
}

fn yes() -> bool {
    true
}

fn default_cap() -> usize {
    crate::game::DEFAULT_PLAYER_CAP
}

/// How a room orders buzzes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuzzSettingsView {
    /// `"compensated"` (the fastest human wins) or `"first_arrival"`.
    pub mode: BuzzMode,
    /// How long an early press locks a player out, in milliseconds.
    pub early_lockout_ms: u64,
}

/// One line of a buzz audit: a buzz or an early press and how it was weighed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The player concerned.
    pub player: PlayerId,
    /// The name, as shown.
    pub name: String,
    /// `accepted`, `adjusted`, `rejected`, `anticipated`, `early` or `arrival_order`.
    pub verdict: Verdict,
    /// Place in the buzz order; absent for early presses.
    pub position: Option<usize>,
    /// Server-measured time from sending "open" to this page until the buzz arrived.
    pub elapsed_ms: Option<f64>,
    /// The reaction time the page claimed.
    pub claimed_ms: Option<f64>,
    /// The player's recent round trip.
    pub rtt_ms: Option<f64>,
    /// How much earlier than its arrival the buzz was ranked for network delay.
    pub compensation_ms: f64,
    /// Extra reaction time the host gave this player, also taken off its rank.
    #[serde(default)]
    pub extra_ms: f64,
}

/// Someone waiting to be let in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinRequestView {
    /// The number of the waiting join request.
    pub request: u64,
    /// The name, as shown.
    pub name: String,
    /// Why the name filter held it for the host (not set when approval
    /// mode alone made it wait).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<crate::game::words::HoldReason>,
}

/// A player whose reactions look like a bot's, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagView {
    /// The player concerned.
    pub player: PlayerId,
    /// The name, as shown.
    pub name: String,
    /// `too_fast` (median under 150 ms) or `too_regular` (spread under 10 ms).
    pub reason: SuspicionReason,
    /// How many buzzes the flag is based on.
    pub buzzes: usize,
    /// The median claimed reaction, in milliseconds.
    pub median_ms: f64,
    /// Standard deviation of the claimed reactions.
    pub spread_ms: f64,
}

/// The state of a room as one page may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Which page this snapshot was made for.
    pub role: Role,
    /// The room code students type.
    pub code: String,
    /// The address students open to join.
    pub join_url: String,
    /// The board's title and tiles.
    pub board: BoardView,
    /// Every player with their score, for the host and board pages; empty for
    /// players, whose pages do not list the room.
    pub players: Vec<PlayerView>,
    /// How many players have joined.
    pub player_count: usize,
    /// How many players the room takes.
    #[serde(default = "default_cap")]
    pub player_cap: usize,
    /// Whether the room takes no new players.
    #[serde(default)]
    pub locked: bool,
    /// Whether new players wait for the host's approval.
    #[serde(default)]
    pub approval: bool,
    /// Host: the joins waiting for an answer; empty for other pages.
    #[serde(default)]
    pub join_requests: Vec<JoinRequestView>,
    /// The clue on screen, if any.
    pub clue: Option<ClueView>,
    /// Player page: who you are, if this connection has joined.
    pub you: Option<PlayerView>,
    /// Whether every tile has been played.
    pub cleared: bool,
    /// Who picks the next tile, if anyone yet.
    #[serde(default)]
    pub picker: Option<PlayerRef>,
    /// The Final, once started.
    #[serde(default)]
    pub final_round: Option<FinalView>,
    /// Whether a wrong answer on an ordinary clue costs its value.
    #[serde(default = "yes")]
    pub wrong_costs_points: bool,
    /// Whether offensive names and Final answers are refused.
    #[serde(default = "yes")]
    pub text_filter: bool,
    /// Whether phones play the show's sounds.
    #[serde(default)]
    pub phone_sounds: bool,
    /// Whether the host hid the scores from the projector and the phones.
    #[serde(default)]
    pub scores_hidden: bool,
    /// Host: the bounds of its settings, so its forms offer and check what
    /// the game accepts (none of these numbers is written in the page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<LimitsView>,
    /// Phones: the scores so far (the host and projector have every player).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standings: Option<Standings>,
    /// Once the game is over, every page: the final places, as
    /// [`super::ServerMsg::GameOver`] gave them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_standings: Option<Standings>,
    /// The room's language, for pages that do not ask for their own.
    #[serde(default = "english")]
    pub language: String,
    /// The teams, with their totals; empty unless the room plays by teams.
    #[serde(default)]
    pub teams: Vec<TeamView>,
    /// Whether players may no longer pick their team (the game has begun,
    /// or the host locked the teams).
    #[serde(default)]
    pub teams_locked: bool,
    /// Seconds to buzz and to answer (0: off).
    #[serde(default)]
    pub buzz_seconds: u64,
    #[serde(default)]
    /// Seconds to answer once a player holds the buzz (0: no timer).
    pub answer_seconds: u64,
    /// How the room orders buzzes.
    pub buzz_settings: BuzzSettingsView,
    /// Host: the open clue's buzz audit so far; empty for other pages.
    pub audit: Vec<AuditEntry>,
    /// Host: players flagged as possible bots; empty for other pages.
    #[serde(default)]
    pub flags: Vec<FlagView>,
}

/// The board's grid as every page may see it: no clue text, no answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardView {
    /// The board's id (its file name).
    pub id: String,
    /// The title.
    pub title: String,
    /// The round on show, from 0, its name, and how many rounds there are.
    pub round: usize,
    /// The round's name.
    pub round_name: String,
    /// How many rounds.
    pub rounds: usize,
    /// Whether the board has a Final clue after the last round.
    pub has_final: bool,
    /// The columns, left to right.
    pub categories: Vec<CategoryView>,
}

/// One column of the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    /// The name, as shown.
    pub name: String,
    /// One entry per tile, top to bottom.
    pub tiles: Vec<TileView>,
}

/// One tile of the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileView {
    /// Its points.
    pub value: i64,
    /// Whether it has been played.
    pub played: bool,
    /// Host only: the tile is a Daily Double (the board's, or one placed at
    /// random). Never sent to the projector or phones.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub daily_double: bool,
}

/// A player and their score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerView {
    /// Its number in this room.
    pub id: PlayerId,
    /// The name, as shown.
    pub name: String,
    /// The score now.
    pub score: i64,
    /// Their team, when the room plays by teams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
    /// Host only: whether the player has a page connected right now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<bool>,
    /// Host: extra reaction time given to this player, in milliseconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub extra_ms: u64,
    /// Host: this player's time to answer, when not the usual.
    #[serde(default, skip_serializing_if = "is_usual")]
    pub answer_time: AnswerTime,
    /// A team the host added without phones (`true`): the host answers
    /// for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_phone: bool,
}

/// The open clue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClueView {
    /// The column on the board, from 0.
    pub category: usize,
    /// The row on the board, from 0.
    pub row: usize,
    /// The column's heading.
    pub category_name: String,
    /// Its points.
    pub value: i64,
    /// The clue text; empty on the projector and phones while a Daily
    /// Double waits for its wager (TV rules: category and value only).
    pub clue: String,
    /// Address of an image to show with the clue.
    pub image: Option<String>,
    /// Address of a sound the host plays on the projector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<String>,
    /// Address of a video the host plays on the projector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    /// `"waiting"`, `"open"`, `"answering"` or `"closed"`.
    pub buzzers: BuzzersView,
    /// Who holds the buzz, while someone does.
    pub answering: Option<PlayerRef>,
    /// Host and board: buzzes since the buzzers opened, in order.
    pub buzz_order: Vec<PlayerRef>,
    /// Players who answered this clue wrong.
    pub tried: Vec<PlayerId>,
    /// Their teams: every member of these is locked out of the clue.
    #[serde(default)]
    pub tried_teams: Vec<TeamId>,
    /// The answer: present for the host, and for everyone once revealed.
    pub answer: Option<AnswerView>,
    /// Whether the answer has been revealed to everyone.
    pub revealed: bool,
    /// Whether this tile is a Daily Double.
    #[serde(default)]
    pub daily_double: bool,
    /// The Daily Double wager, once made.
    #[serde(default)]
    pub wager: Option<i64>,
    /// The timer running on this clue: which, and milliseconds left.
    #[serde(default)]
    pub timer: Option<(TimerKind, u64)>,
}

/// The buzzers' state for the open clue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuzzersView {
    /// The clue is being read; buzzing is not open yet.
    Waiting,
    /// Buzzing is open.
    Open,
    /// Someone holds the buzz and is answering.
    Answering,
    /// No more buzzing on this clue.
    Closed,
    /// Daily Double: `answering` names the player choosing a wager.
    Wagering,
}

/// A player named in a clue's buzz state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerRef {
    /// Its number in this room.
    pub id: PlayerId,
    /// The name, as shown.
    pub name: String,
}

/// A clue's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerView {
    /// The expected answer; paragraphs are separated by a blank line.
    pub text: String,
    /// Other answers that count as right.
    pub also_accept: Vec<String>,
    /// Address of a picture that goes with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}
