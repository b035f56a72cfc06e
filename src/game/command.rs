//! What the game is asked to do: [`HostCommand`] (the host's page, on the
//! wire and in the journal under one name) and [`Command`] (everything the
//! rules take, which is what a game is saved as).

use std::time::Duration;

use super::*;

/// What the host's page asks of the game, exactly as it sends it: each of
/// these is one message on the wire ([`crate::protocol::ClientMsg::Host`])
/// and one command in the journal, under one name.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HostCommand {
    /// Host: let players buzz.
    OpenBuzzers,
    /// Host: give a player extra reaction time, in milliseconds (0 to 1000;
    /// 0 takes it away).
    SetExtraTime {
        /// The player concerned.
        player: PlayerId,
        /// Milliseconds.
        ms: u32,
    },
    /// Host: a player's time to answer (longer, or no limit), an
    /// accommodation; applies from their next answer.
    SetAnswerTime {
        /// The player concerned.
        player: PlayerId,
        /// The time to answer.
        time: AnswerTime,
    },
    /// Host: lock the room (no new players; seats already taken still come
    /// back) or open it again.
    LockRoom {
        /// Whether new players are kept out.
        locked: bool,
    },
    /// Host: new players wait until the host lets them in (or not).
    SetApproval {
        /// Whether it is on.
        on: bool,
    },
    /// Host: end the game now, whatever is on screen: the clue (if any) is
    /// put away and everyone sees the final standings.
    EndGame,
    /// Host: how many players the room takes (1 to [`MAX_PLAYERS`]). Nobody
    /// is removed by a lower cap; new joins wait for room.
    SetPlayerCap {
        /// The largest allowed.
        max: u32,
    },
    /// Host: the answering player was right or wrong.
    Judge {
        /// Whether the answer was judged right.
        correct: bool,
    },
    /// Host: show the answer to everyone.
    RevealAnswer,
    /// Host: put the clue away and go back to the board (skips it if unanswered).
    CloseClue,
    /// Host: change a score by hand.
    AdjustScore {
        /// The player concerned.
        player: PlayerId,
        /// The points added (negative: taken away).
        delta: i64,
    },
    /// Host: remove a player (an unwanted name, a student who left).
    RemovePlayer {
        /// The player concerned.
        player: PlayerId,
    },
    /// Host: move on to the next round (whenever they choose).
    NextRound,
    /// Host: this player picks the next tile (and plays a Daily Double).
    SetPicker {
        /// The player concerned.
        player: PlayerId,
    },
    /// Host: start the Final: show its category and take wagers.
    StartFinal,
    /// Host: show the Final clue; answers are taken for `seconds`.
    ShowFinalClue {
        /// How many seconds.
        seconds: u64,
    },
    /// Host: show this player's Final answer and wager to everyone.
    RevealFinal {
        /// The player concerned.
        player: PlayerId,
    },
    /// Host: stop taking Final answers before the timer runs out, once
    /// every player's answer is in.
    CloseFinalAnswers,
    /// Host: show the room the Final's correct answer, once every answer
    /// is judged.
    ShowFinalAnswer,
    /// Host: end the Final: the room sees the winner, then the podium.
    ShowWinner,
    /// Host: judge this player's revealed Final answer.
    JudgeFinal {
        /// The player concerned.
        player: PlayerId,
        /// Whether the answer was judged right.
        correct: bool,
    },
    /// Host: whether a wrong answer on an ordinary clue costs its value.
    SetWrongCostsPoints {
        /// Whether a wrong answer costs the clue's value.
        costs: bool,
    },
    /// Host: whether offensive names and Final answers are refused (on by
    /// default). The room applies the filter before a join or an answer
    /// becomes a command, so a replay never depends on the filter's words.
    SetTextFilter {
        /// Whether it is on.
        on: bool,
    },
    /// Host: hide the scores from the projector and the phones (a
    /// low-stakes review), or show them again. The game goes on scoring;
    /// only the host sees the numbers meanwhile.
    SetScoresHidden {
        /// Whether they are hidden.
        on: bool,
    },
    /// Host: whether the phones play the show's sounds too (off by default).
    SetPhoneSounds {
        /// Whether it is on.
        on: bool,
    },
    /// Host: the room's language for pages that do not ask for their own
    /// (one of [`LANGUAGES`]).
    SetLanguage {
        /// A language code: `en`, `es`, `fr`, `de` or `pt`.
        language: String,
    },
    /// Host: take back the last judgement or score change (up to ten back).
    Undo,
    /// Host: seconds to buzz and to answer (0 turns a timer off).
    SetTimers {
        /// Seconds to buzz once the buzzers open (0: no timer).
        buzz_seconds: u32,
        /// Seconds to answer once a player holds the buzz (0: no timer).
        answer_seconds: u32,
    },
    /// Host: lock the teams (players can no longer pick theirs; the host
    /// still moves players), or unlock them before the game begins. Teams
    /// lock by themselves when the first clue opens.
    LockTeams {
        /// Whether players are kept from changing team.
        locked: bool,
    },
    /// Host: add a team that plays without phones (a table in the room, a
    /// class in a school that bans phones): a team and one seat for it with
    /// no device. The host gives it the floor, enters its wagers and Final
    /// answer, and scores it.
    AddTeamWithoutPhones {
        /// The team's name, as shown.
        name: String,
    },
    /// Host: this player (or team without phones) answers now, as if they
    /// had buzzed first: for a hand raised, or a team with no phone.
    GiveFloor {
        /// The player concerned.
        player: PlayerId,
    },
    /// Host: the Daily Double wager for the player who picked it (told
    /// aloud by a team without phones).
    WagerFor {
        /// The player concerned.
        player: PlayerId,
        /// The points wagered.
        amount: i64,
    },
    /// Host: a Final wager for a seat (a team without phones).
    FinalWagerFor {
        /// The player concerned.
        player: PlayerId,
        /// The points wagered.
        amount: i64,
    },
    /// Host: a Final answer for a seat (written on paper by a team without
    /// phones, typed in by the host).
    FinalAnswerFor {
        /// The player concerned.
        player: PlayerId,
        /// The text.
        text: String,
    },
    /// Host: add a team; the room plays by teams from then on.
    CreateTeam {
        /// The name, as shown.
        name: String,
    },
}

/// Something the host or a player asks the game to do. Commands are also
/// what a game is saved as ([`crate::store`]), so they serialise.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// A student joins under a name.
    Join {
        /// The name, as shown.
        name: PlayerName,
    },
    /// Host: show this tile's clue.
    OpenClue {
        /// The tile.
        tile: TileId,
    },
    /// A player presses their buzzer. `timing` is what the server measured
    /// and the page claimed. For the first buzz of a window, `rivals` says
    /// who could still beat it ([`Game::rivals`]). Buzzes saved before
    /// windows closed early carry a fixed `window` length instead.
    Buzz {
        /// The player concerned.
        player: PlayerId,
        /// What the connection measured about the press.
        timing: BuzzTiming,
        #[serde(default)]
        /// How long the buzz window stays open.
        window: Duration,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        /// The armed players' allowances, saved with the first buzz.
        rivals: Option<Rivals>,
    },
    /// The room's clock reached a deadline the game asked for
    /// ([`Game::next_deadline`]): name the winner of a collection window.
    Tick,
    /// Host: change how buzzes are ordered and the early-buzz lockout.
    #[serde(alias = "change_buzz_settings")]
    SetBuzzSettings {
        /// The buzz settings.
        settings: BuzzSettings,
    },
    /// The Daily Double player states their wager.
    Wager {
        /// The player concerned.
        player: PlayerId,
        /// The points wagered.
        amount: i64,
    },
    /// A player with points wagers on the Final.
    FinalWager {
        /// The player concerned.
        player: PlayerId,
        /// The points wagered.
        amount: i64,
    },
    /// A player writes their Final answer.
    FinalAnswer {
        /// The player concerned.
        player: PlayerId,
        /// The text.
        text: String,
    },
    /// Host: place `per_round` Daily Doubles at random on the unplayed tiles
    /// of this and later rounds, on top of those the board marks. `seed`
    /// (chosen by the room) makes the draw repeatable, so a saved game
    /// replays to the same places.
    PlaceDailyDoubles {
        /// How many in each round.
        per_round: u8,
        /// The random draw's seed, so a replay draws the same.
        seed: u64,
    },
    /// A player picks a team (or the host puts them in one); `None` leaves it.
    SetTeam {
        /// The player concerned.
        player: PlayerId,
        /// The team concerned.
        team: Option<TeamId>,
    },
    /// A host command, as the host's page sends it (see [`HostCommand`]).
    #[serde(untagged)]
    Host(HostCommand),
}
