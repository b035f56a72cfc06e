//! Every message that crosses the WebSocket.
//!
//! Pages send [`ClientMsg`] and receive [`ServerMsg`], both JSON objects
//! with a `"type"` field naming the variant in `snake_case`. On connecting,
//! a page first receives a [`ServerMsg::Snapshot`] with everything it needs to
//! draw itself, then small updates as things change. `docs/protocol.md` shows
//! real examples of each.
//!
//! Answers only ever appear in messages for the host, or after the host has
//! revealed them: the types make the answer an `Option`, and the room's view
//! module ([`crate::room::view`]) is the one place that fills it in.

use serde::{Deserialize, Serialize};

use crate::game::{
    AnswerTime, BuzzMode, HostCommand, PlayerId, SuspicionReason, TeamId, TimerKind, Verdict,
};

/// The largest WebSocket message a page may send, in bytes. Real messages
/// are well under 200 bytes; anything larger is refused without being read.
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 4 * 1024;

/// Which page a connection belongs to. It decides what the connection may do
/// and which version of each update it receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The teacher's controls; holds the room's host key.
    Host,
    /// The projector view; read-only.
    Board,
    /// A student's phone.
    Player,
}

/// A message from a page to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// Player page: join the game under this name. Answered with
    /// [`ServerMsg::Welcome`] or an [`ServerMsg::Error`]. `nonce` is a
    /// random string the page keeps until it is welcomed: a join sent again
    /// with the same nonce (its welcome was lost with the connection) gets
    /// the same seat back instead of a second one.
    Join {
        /// The name, as shown.
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        /// A random string kept by the page until it is welcomed.
        nonce: Option<String>,
    },
    /// Player page: press the buzzer. `reaction_ms` is the time from the
    /// moment the page showed the buzzers as open to the press, measured by
    /// the page; the server checks it against what it measured itself.
    /// `early` says the press came before the page showed the buzzers as
    /// open (it locks the player out, whatever the server saw). Answered
    /// with [`ServerMsg::BuzzReceived`], [`ServerMsg::LockedOut`] or an
    /// [`ServerMsg::Error`].
    Buzz {
        #[serde(default)]
        /// The reaction the page measured, in milliseconds.
        reaction_ms: Option<f64>,
        #[serde(default, skip_serializing_if = "is_false")]
        /// Whether the page saw the press before it showed the buzzers open.
        early: bool,
    },
    /// Any page: the answer to a [`ServerMsg::Ping`], sent at once.
    Pong {
        /// The id of the ping it answers.
        id: u64,
    },
    /// Host: show the clue in this column (`category`) and row, both from 0.
    OpenClue {
        /// The column on the board, from 0.
        category: usize,
        /// The row on the board, from 0.
        row: usize,
    },
    /// Player: my Daily Double wager.
    Wager {
        /// The points wagered.
        amount: i64,
    },
    /// Player: my Final wager.
    FinalWager {
        /// The points wagered.
        amount: i64,
    },
    /// Player: my Final answer (plain text, at most 200 characters).
    FinalAnswer {
        /// The text.
        text: String,
    },
    /// Host: place this many Daily Doubles at random in each round still to
    /// play (0 to 3), on top of those the board marks.
    PlaceDailyDoubles {
        /// How many in each round.
        per_round: u8,
    },
    /// Host: put a player in a team (`null`: no team).
    SetTeam {
        /// The player concerned.
        player: PlayerId,
        /// The team concerned.
        team: Option<TeamId>,
    },
    /// Player: join this team (`null`: leave mine).
    ChooseTeam {
        /// The team concerned.
        team: Option<TeamId>,
    },
    /// Host: how buzzes are ordered, and the early-buzz lockout (0 turns it off, at most 2000).
    SetBuzzSettings {
        /// How buzzes are ordered.
        mode: BuzzMode,
        /// How long an early press locks a phone out, in milliseconds.
        early_lockout_ms: u64,
    },
    /// Host: play (`true`) or pause the open clue's sound or video on the projector.
    PlayMedia {
        /// Whether to play (or pause).
        playing: bool,
    },
    /// Host: refuse everyone waiting to join.
    RefuseAllJoins,
    /// Host: let a waiting player in (`admit`), or not.
    AnswerJoin {
        /// The number of the waiting join request.
        request: u64,
        /// Whether to let them in.
        admit: bool,
    },
    /// Host: a command for the game, sent as it is ([`HostCommand`]: open
    /// the buzzers, judge, reveal, undo, the room's settings...).
    #[serde(untagged)]
    Host(HostCommand),
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

/// Who may send a message: checked by the room before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The host's page (with the host key) only.
    Host,
    /// A player page that has joined (it acts for its own seat).
    Seat,
    /// A player page that has not joined yet.
    Guest,
    /// Any page (link upkeep).
    Any,
}

impl ClientMsg {
    /// Who may send this message. Every message is classified here, with
    /// no catch-all: a new message does not compile until it is.
    pub fn sender(&self) -> Sender {
        use ClientMsg::*;
        match self {
            Pong { .. } => Sender::Any,
            Join { .. } => Sender::Guest,
            Buzz { .. }
            | Wager { .. }
            | FinalWager { .. }
            | FinalAnswer { .. }
            | ChooseTeam { .. } => Sender::Seat,
            OpenClue { .. }
            | PlaceDailyDoubles { .. }
            | SetTeam { .. }
            | SetBuzzSettings { .. }
            | PlayMedia { .. }
            | AnswerJoin { .. }
            | RefuseAllJoins
            | Host(_) => Sender::Host,
        }
    }
}

impl ClientMsg {
    /// Reads a page's message. A message that does not read says why in
    /// terms of its own type (the host's commands are tried as such, so
    /// their errors name the field at fault, not "no variant matched").
    pub fn read(text: &str) -> Result<ClientMsg, serde_json::Error> {
        match serde_json::from_str(text) {
            Ok(msg) => Ok(msg),
            Err(first) => match serde_json::from_str::<HostCommand>(text) {
                Ok(command) => Ok(ClientMsg::Host(command)),
                Err(host) if host.to_string().starts_with("unknown variant") => {
                    let kind = serde_json::from_str::<serde_json::Value>(text)
                        .ok()
                        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned));
                    Err(match kind {
                        Some(kind) => serde::de::Error::custom(format!(
                            "there is no message of type {kind:?} (docs/protocol.md lists them)"
                        )),
                        None => first,
                    })
                }
                Err(host) => Err(host),
            },
        }
    }
}

/// A message from the server to a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// Everything a page needs to draw itself; sent first on every connection
    /// and again after the connection fell behind.
    Snapshot(Box<Snapshot>),
    /// The game room has closed (deleted for being idle, or ended by the
    /// teacher); `reason` says why. The connection closes next and the page
    /// does not reconnect.
    RoomClosed {
        /// Why.
        reason: String,
    },
    /// Several messages that happened together (a crowd joining, a buzz
    /// storm), to be applied in order, as if sent one by one.
    Batch {
        /// The messages, in order.
        messages: Vec<ServerMsg>,
    },
    /// Player page: you have joined. Keep `token` to come back as yourself.
    Welcome {
        /// The player concerned.
        player: PlayerId,
        /// The name, as shown.
        name: String,
        /// The seat's secret: kept by the page to come back as this player.
        token: String,
        /// The score now.
        score: i64,
        /// The scores as this phone should show them now, counting itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        standings: Option<Standings>,
    },
    /// Host and board: a new player joined.
    PlayerJoined {
        /// The player concerned.
        player: PlayerId,
        /// The name, as shown.
        name: String,
        /// The score now.
        score: i64,
        /// A team the host added without phones.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        no_phone: bool,
    },
    /// A tile was opened. `clue.answer` is present for the host only.
    ClueOpened {
        /// The clue.
        clue: ClueView,
    },
    /// Players who have not tried this clue may buzz now.
    BuzzersOpened,
    /// Host and board: a buzz arrived; `position` 1 is the first since the
    /// buzzers opened.
    Buzzed {
        /// The player concerned.
        player: PlayerId,
        /// The name, as shown.
        name: String,
        /// Place in the buzz order, from 1.
        position: usize,
    },
    /// Player page: your buzz arrived and counts; `answering` tells who won.
    BuzzReceived,
    /// Player page: you pressed too early; you cannot buzz for `ms`.
    LockedOut {
        /// Milliseconds.
        ms: u64,
    },
    /// Any page: answer with [`ClientMsg::Pong`] and the same `id` at once.
    /// The server times the round trip to compensate buzzes fairly.
    Ping {
        /// Sent back in the page's pong.
        id: u64,
    },
    /// This player won the buzz and is answering.
    Answering {
        /// The player concerned.
        player: PlayerId,
        /// The name, as shown.
        name: String,
    },
    /// The host judged the answering player; `score` is their new total.
    Judged {
        /// The player concerned.
        player: PlayerId,
        /// Whether the answer was judged right.
        correct: bool,
        /// The points added (negative: taken away).
        delta: i64,
        /// The score now.
        score: i64,
        /// The player's team, whose other members are locked out of the
        /// clue too after a wrong answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<TeamId>,
    },
    /// No more buzzing on this clue.
    BuzzersClosed,
    /// The open clue's answer, now public.
    AnswerRevealed {
        /// The column on the board, from 0.
        category: usize,
        /// The row on the board, from 0.
        row: usize,
        /// The answer.
        answer: AnswerView,
    },
    /// The clue was put away; its tile is used up.
    ClueClosed {
        /// The column on the board, from 0.
        category: usize,
        /// The row on the board, from 0.
        row: usize,
        /// Phones: the scores between clues (see [`Standings`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        standings: Option<Standings>,
    },
    /// Every tile of this round has been played.
    BoardCleared,
    /// A new round began: redraw the board.
    RoundStarted {
        /// The board.
        board: BoardView,
    },
    /// This player picks the next tile.
    PickerChanged {
        /// The player concerned.
        player: PlayerId,
        /// The name, as shown.
        name: String,
    },
    /// The open tile is a Daily Double, played by this player, who may wager
    /// between `min` and `max`.
    DailyDouble {
        /// The player concerned.
        player: PlayerId,
        /// The name, as shown.
        name: String,
        /// The smallest allowed.
        min: i64,
        /// The largest allowed.
        max: i64,
    },
    /// The Daily Double player wagered this much.
    Wagered {
        /// The player concerned.
        player: PlayerId,
        /// The points wagered.
        amount: i64,
        /// The projector and phones: the clue, now that the wager is in
        /// (until then they see only its category and value).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clue: Option<ClueView>,
    },
    /// The Final, as it now stands: when it starts, when the clue is shown,
    /// and when time is up.
    Final(FinalView),
    /// One player's part in the Final changed (a wager or answer came in, or
    /// the host revealed it). Others see only that it came in until revealed.
    FinalPlayer(FinalPlayerView),
    /// The host judged a Final answer; `score` is the player's new total.
    FinalJudged {
        /// The Final seat judged (the player, or a team's first member).
        seat: PlayerId,
        /// Who typed the answer and gets the points.
        player: PlayerId,
        /// Whether the answer was judged right.
        correct: bool,
        /// The points added (negative: taken away).
        delta: i64,
        /// The score now.
        score: i64,
    },
    /// Every page: the game is over, with the final places (the top ten
    /// players, every team, and the count at each score for a phone's own
    /// place).
    GameOver(Standings),
    /// Phones: the scores changed while no clue is open (players joined or
    /// left); sent at most once a second.
    Standings(Standings),
    /// Host: whether wrong answers now cost points.
    WrongCostsPoints {
        /// Whether a wrong answer costs the clue's value.
        wrong_costs_points: bool,
    },
    /// Host: Daily Doubles were placed at random (their places stay secret).
    DailyDoublesPlaced {
        /// How many in each round.
        per_round: u8,
        /// The host's board, with every Daily Double marked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        board: Option<BoardView>,
    },
    /// A clue timer started: `buzz` (time to buzz) or `answer`.
    Timer {
        /// Which timer.
        kind: TimerKind,
        /// Milliseconds left.
        ms_left: u64,
    },
    /// A clue timer ran out.
    TimeUp {
        /// Which timer.
        kind: TimerKind,
    },
    /// The host added a team.
    TeamCreated {
        /// The team concerned.
        team: TeamId,
        /// The name, as shown.
        name: String,
        /// The host added it to play without phones.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        no_phone: bool,
    },
    /// Every page: whether players may still pick their team.
    TeamsLocked {
        /// Whether players are kept from changing team.
        locked: bool,
    },
    /// A player joined a team (`null`: left theirs).
    TeamChanged {
        /// The player concerned.
        player: PlayerId,
        /// The team concerned.
        team: Option<TeamId>,
    },
    /// A team's total points.
    TeamScore {
        /// The team concerned.
        team: TeamId,
        /// The score now.
        score: i64,
    },
    /// Host: the room's timer settings changed.
    Timers {
        /// Seconds to buzz once the buzzers open (0: no timer).
        buzz_seconds: u64,
        /// Seconds to answer once a player holds the buzz (0: no timer).
        answer_seconds: u64,
    },
    /// The host changed a score by hand; `score` is the new total.
    ScoreAdjusted {
        /// The player concerned.
        player: PlayerId,
        /// The points added (negative: taken away).
        delta: i64,
        /// The score now.
        score: i64,
        /// Set when this change takes back an earlier one (the host's undo).
        #[serde(default, skip_serializing_if = "is_false")]
        undone: bool,
    },
    /// Host: one line of the open clue's buzz audit.
    BuzzAudit {
        /// The column on the board, from 0.
        category: usize,
        /// The row on the board, from 0.
        row: usize,
        /// The audit line.
        entry: AuditEntry,
    },
    /// The host removed this player from the game.
    PlayerRemoved {
        /// The player concerned.
        player: PlayerId,
    },
    /// Host: a player's phone connected (`online`) or lost its last connection.
    Presence {
        /// The player concerned.
        player: PlayerId,
        /// Whether a page is connected.
        online: bool,
    },
    /// Host: the room's buzz settings changed.
    BuzzSettings(BuzzSettingsView),
    /// Host: the filter for offensive names and answers was turned on or off.
    TextFilter {
        /// Whether it is on.
        on: bool,
    },
    /// Every page: whether phones play the show's sounds.
    PhoneSounds {
        /// Whether it is on.
        on: bool,
    },
    /// Every page: the room's language changed.
    Language {
        /// A language code: `en`, `es`, `fr`, `de` or `pt`.
        language: String,
    },
    /// Host: a player's extra reaction time changed (0: none).
    ExtraTime {
        /// The player concerned.
        player: PlayerId,
        /// Milliseconds.
        ms: u64,
    },
    /// Host: a player's time to answer changed.
    AnswerTime {
        /// The player concerned.
        player: PlayerId,
        /// The time to answer.
        time: AnswerTime,
    },
    /// Host: the room now takes this many players.
    PlayerCap {
        /// The largest allowed.
        max: usize,
    },
    /// Host and projector: the room was locked (no new players) or opened.
    RoomLocked {
        /// Whether new players are kept out.
        locked: bool,
    },
    /// Host: join approval was turned on or off.
    Approval {
        /// Whether it is on.
        on: bool,
    },
    /// Host: someone asks to join; let them in with `answer_join`.
    JoinRequest(JoinRequestView),
    /// Host: a join request was answered (or withdrawn).
    JoinAnswered {
        /// The number of the waiting join request.
        request: u64,
    },
    /// Player page: your join waits for the host. Send the same join again
    /// (same nonce) in a moment to learn the answer.
    JoinWaiting,
    /// Host: a player's reactions over the game look like a bot's, with the
    /// evidence. Nothing changes in the game; the teacher decides.
    Flagged(FlagView),
    /// Host and projector: play or pause the open clue's sound or video.
    MediaPlayback {
        /// Whether to play (or pause).
        playing: bool,
    },
    /// Your last message was refused; nothing changed. Shown to that page
    /// only. `code` names the problem for translated pages (their catalogues
    /// hold `error.<code>`, filled in with `params`); `message` is the same
    /// in English.
    Error {
        /// What went wrong, in English.
        message: String,
        #[serde(default)]
        /// The room's code.
        code: String,
        #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
        /// The numbers the message needs, by name.
        params: serde_json::Map<String, serde_json::Value>,
    },
}

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
    /// Host: the bounds of its settings, so its forms offer and check what
    /// the game accepts (none of these numbers is written in the page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<LimitsView>,
    /// Phones: the scores so far (the host and projector have every player).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standings: Option<Standings>,
    /// Once the game is over, every page: the final places, as
    /// [`ServerMsg::GameOver`] gave them.
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

#[cfg(test)]
mod tests {
    //! The wire format: what the JSON looks like.
    use super::*;

    #[test]
    fn client_messages_are_tagged_with_their_type() {
        let msg: ClientMsg =
            serde_json::from_str(r#"{"type":"open_clue","category":2,"row":4}"#).unwrap();
        assert_eq!(
            msg,
            ClientMsg::OpenClue {
                category: 2,
                row: 4
            }
        );
        let buzz: ClientMsg = serde_json::from_str(r#"{"type":"buzz"}"#).unwrap();
        assert_eq!(
            buzz,
            ClientMsg::Buzz {
                reaction_ms: None,
                early: false
            }
        );
        let timed: ClientMsg =
            serde_json::from_str(r#"{"type":"buzz","reaction_ms":212.5}"#).unwrap();
        assert_eq!(
            timed,
            ClientMsg::Buzz {
                reaction_ms: Some(212.5),
                early: false
            }
        );
        let early: ClientMsg = serde_json::from_str(r#"{"type":"buzz","early":true}"#).unwrap();
        assert_eq!(
            early,
            ClientMsg::Buzz {
                reaction_ms: None,
                early: true
            }
        );
    }

    #[test]
    fn an_unknown_message_type_does_not_parse() {
        assert!(serde_json::from_str::<ClientMsg>(r#"{"type":"win_game"}"#).is_err());
    }

    #[test]
    fn a_non_numeric_reaction_time_does_not_parse() {
        assert!(
            serde_json::from_str::<ClientMsg>(r#"{"type":"buzz","reaction_ms":"fast"}"#).is_err()
        );
    }

    #[test]
    fn server_messages_are_tagged_with_their_type() {
        let json = serde_json::to_string(&ServerMsg::LockedOut { ms: 250 }).unwrap();
        assert_eq!(json, r#"{"type":"locked_out","ms":250}"#);
    }
}

#[cfg(test)]
mod reading {
    //! What a page is told when its message cannot be read.
    use super::*;

    #[test]
    fn an_unknown_or_malformed_message_is_named_in_the_error() {
        for text in [
            r#"{"type":"nope"}"#,
            r#"{"type":"judge","correct":"yes"}"#,
            r#"{"type":"buzz","reaction_ms":"fast"}"#,
        ] {
            let error = ClientMsg::read(text).unwrap_err().to_string();
            assert!(!error.contains("untagged"), "{text}: {error}");
        }
    }
}
