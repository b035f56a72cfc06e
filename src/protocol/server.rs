//! What pages are told: [`ServerMsg`], a snapshot first and then small
//! updates.

use serde::{Deserialize, Serialize};

use super::is_false;
use super::views::*;
use crate::game::{AnswerTime, PlayerId, TeamId, TimerKind};

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
    /// Any page: answer with [`super::ClientMsg::Pong`] and the same `id` at once.
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
    /// Every page: the host hid the scores from the projector and the
    /// phones (`on`), or showed them again.
    ScoresHidden {
        /// Whether they are hidden.
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
