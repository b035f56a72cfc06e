//! What happened: [`Event`]s, the facts the room turns into messages, and
//! [`ScoreChange`], one change to a score kept for undo and the results.

use super::*;

/// Something that happened. Events are facts: the room turns each into the
/// messages each kind of page may see.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A player joined.
    PlayerJoined {
        /// The player concerned.
        player: PlayerId,
    },
    /// A tile was opened.
    ClueOpened {
        /// The tile.
        tile: TileId,
    },
    /// Buzzing opened (or reopened after a wrong answer).
    BuzzersOpened,
    /// A buzz arrived; `position` is 1 for the first since the buzzers opened.
    Buzzed {
        /// The player concerned.
        player: PlayerId,
        /// Place in the buzz order, from 1.
        position: usize,
    },
    /// This player has the floor.
    Answering {
        /// The player concerned.
        player: PlayerId,
    },
    /// The host judged the answering player.
    Judged {
        /// The player concerned.
        player: PlayerId,
        /// Whether the answer was judged right.
        correct: bool,
        /// The points added (negative: taken away).
        delta: i64,
        /// The score now.
        score: i64,
    },
    /// No more buzzing on this clue.
    BuzzersClosed,
    /// The answer of the open clue is now public.
    AnswerRevealed {
        /// The tile.
        tile: TileId,
    },
    /// The clue was put away; the tile is used up.
    ClueClosed {
        /// The tile.
        tile: TileId,
    },
    /// Every tile has been played.
    BoardCleared,
    /// The host changed a score by hand.
    ScoreAdjusted {
        /// The player concerned.
        player: PlayerId,
        /// The points added (negative: taken away).
        delta: i64,
        /// The score now.
        score: i64,
    },
    /// A press before the buzzers opened (or too fast to be a reaction):
    /// the player may not buzz for `lockout`.
    EarlyBuzz {
        /// The player concerned.
        player: PlayerId,
        /// How long the press locks the phone out.
        lockout: Duration,
    },
    /// A buzz was taken in and is being weighed; the winner is named when
    /// the collection window closes.
    BuzzHeld {
        /// The player concerned.
        player: PlayerId,
    },
    /// A new line of the open clue's buzz audit.
    Audited {
        /// The audit record.
        record: BuzzRecord,
    },
    /// The host removed a player.
    PlayerRemoved {
        /// The player concerned.
        player: PlayerId,
    },
    /// The host changed the buzz settings.
    BuzzSettingsChanged {
        /// The buzz settings.
        settings: BuzzSettings,
    },
    /// The host changed how many players the room takes.
    PlayerCapChanged {
        /// The largest allowed.
        max: usize,
    },
    /// The host locked the room (or opened it again).
    RoomLocked {
        /// Whether new players are kept out.
        locked: bool,
    },
    /// The host turned join approval on or off.
    ApprovalChanged {
        /// Whether it is on.
        on: bool,
    },
    /// The host gave a player extra reaction time (zero: none).
    ExtraTimeChanged {
        /// The player concerned.
        player: PlayerId,
        /// The extra reaction time.
        extra: Duration,
    },
    /// The host changed a player's time to answer.
    AnswerTimeChanged {
        /// The player concerned.
        player: PlayerId,
        /// The time to answer.
        time: AnswerTime,
    },
    /// A player's reactions over the game look like a bot's; the evidence,
    /// for the host.
    Suspected {
        /// The player concerned.
        player: PlayerId,
        /// What the bot check found.
        suspicion: Suspicion,
    },
    /// A new round began, with a fresh board.
    RoundStarted {
        /// The round on show, from 0.
        round: usize,
    },
    /// This player picks the next tile.
    PickerChanged {
        /// The player concerned.
        player: PlayerId,
    },
    /// The opened tile is a Daily Double for this player.
    DailyDouble {
        /// The player concerned.
        player: PlayerId,
    },
    /// The Daily Double player wagered.
    Wagered {
        /// The player concerned.
        player: PlayerId,
        /// The points wagered.
        amount: i64,
    },
    /// The Final began: its category is shown; these players may wager.
    FinalStarted {
        /// The players.
        players: Vec<PlayerId>,
    },
    /// A player's Final wager is in (its amount stays private until revealed).
    FinalWagered {
        /// The player concerned.
        player: PlayerId,
    },
    /// The Final clue is shown; answers close at `closes_at` (room clock).
    FinalClueShown {
        /// When answers stop being taken, on the room's clock.
        closes_at: Duration,
    },
    /// A player's Final answer is in.
    FinalAnswered {
        /// The player concerned.
        player: PlayerId,
    },
    /// Time is up for Final answers.
    FinalClosed,
    /// The Final's correct answer is shown to everyone.
    FinalAnswerShown,
    /// A player's Final answer and wager are shown to everyone.
    FinalRevealed {
        /// The player concerned.
        player: PlayerId,
    },
    /// The host judged a Final answer.
    FinalJudged {
        /// The Final seat judged.
        seat: PlayerId,
        /// Who typed the answer and gets the points (the seat's player, or
        /// in a team game the member who typed it).
        player: PlayerId,
        /// Whether the answer was judged right.
        correct: bool,
        /// The points added (negative: taken away).
        delta: i64,
        /// The score now.
        score: i64,
    },
    /// The game is over: the last clue of a board with no Final, the
    /// Final's winner shown, or the host ended it.
    GameOver,
    /// The host changed whether wrong answers cost points.
    WrongCostsPointsChanged {
        /// Whether a wrong answer costs the clue's value.
        costs: bool,
    },
    /// The host turned the filter for offensive text on or off.
    TextFilterChanged {
        /// Whether it is on.
        on: bool,
    },
    /// The host hid the scores from the room, or showed them again.
    ScoresHiddenChanged {
        /// Whether they are hidden.
        on: bool,
    },
    /// The host turned the phones' sounds on or off.
    PhoneSoundsChanged {
        /// Whether it is on.
        on: bool,
    },
    /// The host changed the room's language.
    LanguageChanged {
        /// A language code: `en`, `es`, `fr`, `de` or `pt`.
        language: String,
    },
    /// Daily Doubles were placed at random (where is not said).
    DailyDoublesPlaced {
        /// How many in each round.
        per_round: u8,
    },
    /// The host changed the timers.
    TimersChanged {
        /// The timers.
        timers: Timers,
    },
    /// A clue timer started; it runs out at `ends` (room clock).
    TimerStarted {
        /// Which timer.
        kind: TimerKind,
        /// When it runs out, on the room's clock.
        ends: Duration,
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
    },
    /// A player joined a team (or left theirs).
    TeamChanged {
        /// The player concerned.
        player: PlayerId,
        /// The team concerned.
        team: Option<TeamId>,
    },
    /// The host locked or unlocked the teams.
    TeamsLocked {
        /// Whether players are kept from changing team.
        locked: bool,
    },
    /// A team's total changed.
    TeamScore {
        /// The team concerned.
        team: TeamId,
        /// The score now.
        score: i64,
    },
    /// The host took back a score change; `score` is the new total.
    Undone {
        /// The player concerned.
        player: PlayerId,
        /// The points added (negative: taken away).
        delta: i64,
        /// The score now.
        score: i64,
    },
}

/// One change to a score, kept for undo and for the results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreChange {
    /// The clue it was for; `None` for a manual change or the Final.
    pub tile: Option<TileId>,
    /// Whose score.
    pub player: PlayerId,
    /// The team the points went to as well, if the player was in one.
    pub team: Option<TeamId>,
    /// `Some(right)` for a judgement, `None` for a manual change.
    pub correct: Option<bool>,
    /// Points added (negative: taken).
    pub delta: i64,
    /// Whether it was the Final.
    pub in_final: bool,
    /// Whether it has been taken back.
    pub undone: bool,
}
