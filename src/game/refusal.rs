//! Why a command changed nothing: [`Refusal`], in words for the person who
//! sent it, with a stable code for the translated pages.

use std::fmt;

use super::*;

/// Why a command changed nothing, in words for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The name failed [`PlayerName::parse`] rules.
    BadName(NameError),
    /// Someone in the room already has that name.
    NameTaken,
    /// The room holds as many players as the host allows.
    RoomFull {
        /// How many players the room takes.
        cap: usize,
    },
    /// No player has that id.
    UnknownPlayer,
    /// The board has no tile there.
    NoSuchTile,
    /// That tile was played already.
    TileAlreadyPlayed,
    /// Another clue is open; close it first.
    ClueAlreadyOpen,
    /// There is no open clue.
    NoClueOpen,
    /// The buzzers are not open.
    BuzzersNotOpen,
    /// The buzzers are open already, or someone holds the buzz.
    BuzzersAlreadyOpen,
    /// Everyone has tried this clue; there is nobody left to buzz.
    EveryoneTried,
    /// The player answered this clue wrong already.
    AlreadyTried,
    /// The player buzzed already since the buzzers opened.
    AlreadyBuzzed,
    /// Nobody holds the buzz, so there is no answer to judge.
    NobodyAnswering,
    /// The answer is already showing.
    AlreadyRevealed,
    /// The change is zero, too large, or would push a score out of range.
    BadAdjustment,
    /// The player pressed too early and is still locked out.
    LockedOut,
    /// A buzz setting is out of range.
    BadSetting,
    /// This is the last round.
    NoMoreRounds,
    /// A Daily Double needs someone to pick it: the host chooses who picks.
    NoPicker,
    /// A Daily Double is played by its picker alone.
    DailyDoubleHasNoBuzzers,
    /// No wager is being waited for from this player.
    NotYourWager,
    /// The wager is outside what the rules allow.
    WagerOutOfBounds {
        /// The smallest allowed.
        min: i64,
        /// The largest allowed.
        max: i64,
    },
    /// The board has no Final clue, or it has not reached that stage.
    NoFinal,
    /// The Final is not at the stage this needs.
    WrongFinalStage,
    /// Only players with points when the Final started play it.
    NotInFinal,
    /// This player already did that.
    AlreadyDone,
    /// Time is up.
    TooLate,
    /// A Final answer is too long.
    AnswerTooLong,
    /// That Final answer has not been revealed yet.
    NotRevealed,
    /// Some Final answers are not in yet.
    StillAnswering,
    /// Some Final answers are not judged yet.
    JudgeEveryAnswerFirst,
    /// There is nothing (left) to take back.
    NothingToUndo,
    /// A team name must be 1 to 32 visible characters.
    BadTeamName,
    /// No team has that number.
    NoSuchTeam,
    /// The player is on that team already.
    AlreadyOnTeam,
    /// Teams are fixed: the game has begun or the host locked them.
    TeamsLocked,
    /// That team plays without phones: the host answers for it.
    TeamWithoutPhones,
    /// The game is over.
    GameIsOver,
    /// A letter carries a pile of accents.
    TooManyMarks,
    /// The host locked the room.
    RoomLocked,
    /// The pages have no translation for that language.
    UnknownLanguage,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Refusal::BadName(e) => return e.fmt(f),
            Refusal::NameTaken => "Someone in this game already has that name; pick another.",
            Refusal::RoomFull { cap } => {
                let players = if *cap == 1 { "player" } else { "players" };
                return write!(
                    f,
                    "This game is full (it takes {cap} {players}). Ask the host to make room."
                );
            }
            Refusal::UnknownPlayer => "There is no such player in this game.",
            Refusal::NoSuchTile => "There is no such tile on this board.",
            Refusal::TileAlreadyPlayed => "That tile has been played already.",
            Refusal::ClueAlreadyOpen => "A clue is open: close it before opening another.",
            Refusal::NoClueOpen => "No clue is open.",
            Refusal::BuzzersNotOpen => "The buzzers are not open.",
            Refusal::BuzzersAlreadyOpen => "The buzzers are already open.",
            Refusal::EveryoneTried => "Everyone has tried this clue.",
            Refusal::AlreadyTried => "You have already tried this clue.",
            Refusal::AlreadyBuzzed => "You have already buzzed.",
            Refusal::NobodyAnswering => "Nobody is answering right now.",
            Refusal::AlreadyRevealed => "The answer is already showing.",
            Refusal::BadAdjustment => "That score change is not allowed.",
            Refusal::LockedOut => "Too early! Wait a moment before buzzing again.",
            Refusal::BadSetting => "That setting is out of range.",
            Refusal::NoMoreRounds => "This is the last round.",
            Refusal::NoPicker => {
                "This is a Daily Double: first choose who picks (the player who plays it)."
            }
            Refusal::DailyDoubleHasNoBuzzers => {
                "A Daily Double has no buzzers: the player who picked it answers."
            }
            Refusal::NotYourWager => "No wager is expected from you right now.",
            Refusal::WagerOutOfBounds { min, max } => {
                return write!(f, "Wager a whole number between {min} and {max}.");
            }
            Refusal::NoFinal => "This board has no Final round.",
            Refusal::WrongFinalStage => "The Final is not at that step.",
            Refusal::NotInFinal => "Only players with points when the Final began play it.",
            Refusal::AlreadyDone => "You have already sent that.",
            Refusal::TooLate => "Time is up.",
            Refusal::AnswerTooLong => "That answer is too long.",
            Refusal::NotRevealed => "Reveal that answer first.",
            Refusal::StillAnswering => {
                "Some answers are not in yet: wait for them or for the timer."
            }
            Refusal::JudgeEveryAnswerFirst => "Judge every answer first.",
            Refusal::NothingToUndo => "There is nothing left to undo.",
            Refusal::BadTeamName => "A team name needs 1 to 32 characters.",
            Refusal::NoSuchTeam => "There is no such team.",
            Refusal::AlreadyOnTeam => "You are on that team already.",
            Refusal::TeamsLocked => "Teams are fixed now: ask the host if you need to change team.",
            Refusal::TeamWithoutPhones => "That team plays without phones: pick another.",
            Refusal::GameIsOver => "The game is over.",
            Refusal::TooManyMarks => "Too many accents on one letter.",
            Refusal::RoomLocked => "The host has locked this game: no new players.",
            Refusal::UnknownLanguage => "The pages are not translated into that language.",
        };
        f.write_str(text)
    }
}

impl Refusal {
    /// One of each refusal, for checks over every code.
    pub const ALL: &'static [Refusal] = &[
        Refusal::BadName(NameError::Empty),
        Refusal::BadName(NameError::TooLong),
        Refusal::BadName(NameError::ControlCharacter),
        Refusal::BadName(NameError::TooManyMarks),
        Refusal::NameTaken,
        Refusal::RoomFull { cap: 0 },
        Refusal::UnknownPlayer,
        Refusal::NoSuchTile,
        Refusal::TileAlreadyPlayed,
        Refusal::ClueAlreadyOpen,
        Refusal::NoClueOpen,
        Refusal::BuzzersNotOpen,
        Refusal::BuzzersAlreadyOpen,
        Refusal::EveryoneTried,
        Refusal::AlreadyTried,
        Refusal::AlreadyBuzzed,
        Refusal::NobodyAnswering,
        Refusal::AlreadyRevealed,
        Refusal::BadAdjustment,
        Refusal::LockedOut,
        Refusal::BadSetting,
        Refusal::NoMoreRounds,
        Refusal::NoPicker,
        Refusal::DailyDoubleHasNoBuzzers,
        Refusal::NotYourWager,
        Refusal::WagerOutOfBounds { min: 0, max: 0 },
        Refusal::NoFinal,
        Refusal::WrongFinalStage,
        Refusal::NotInFinal,
        Refusal::AlreadyDone,
        Refusal::TooLate,
        Refusal::AnswerTooLong,
        Refusal::NotRevealed,
        Refusal::StillAnswering,
        Refusal::JudgeEveryAnswerFirst,
        Refusal::NothingToUndo,
        Refusal::BadTeamName,
        Refusal::NoSuchTeam,
        Refusal::AlreadyOnTeam,
        Refusal::TeamsLocked,
        Refusal::TeamWithoutPhones,
        Refusal::GameIsOver,
        Refusal::TooManyMarks,
        Refusal::RoomLocked,
        Refusal::UnknownLanguage,
    ];

    /// A stable name for this refusal, which pages look up in their
    /// translation catalogues (`error.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::BadName(e) => e.code(),
            Refusal::NameTaken => "name_taken",
            Refusal::RoomFull { .. } => "room_full",
            Refusal::UnknownPlayer => "unknown_player",
            Refusal::NoSuchTile => "no_such_tile",
            Refusal::TileAlreadyPlayed => "tile_already_played",
            Refusal::ClueAlreadyOpen => "clue_already_open",
            Refusal::NoClueOpen => "no_clue_open",
            Refusal::BuzzersNotOpen => "buzzers_not_open",
            Refusal::BuzzersAlreadyOpen => "buzzers_already_open",
            Refusal::EveryoneTried => "everyone_tried",
            Refusal::AlreadyTried => "already_tried",
            Refusal::AlreadyBuzzed => "already_buzzed",
            Refusal::NobodyAnswering => "nobody_answering",
            Refusal::AlreadyRevealed => "already_revealed",
            Refusal::BadAdjustment => "bad_adjustment",
            Refusal::LockedOut => "locked_out",
            Refusal::BadSetting => "bad_setting",
            Refusal::NoMoreRounds => "no_more_rounds",
            Refusal::NoPicker => "no_picker",
            Refusal::DailyDoubleHasNoBuzzers => "daily_double_has_no_buzzers",
            Refusal::NotYourWager => "not_your_wager",
            Refusal::WagerOutOfBounds { .. } => "wager_out_of_bounds",
            Refusal::NoFinal => "no_final",
            Refusal::WrongFinalStage => "wrong_final_stage",
            Refusal::NotInFinal => "not_in_final",
            Refusal::AlreadyDone => "already_done",
            Refusal::TooLate => "too_late",
            Refusal::AnswerTooLong => "answer_too_long",
            Refusal::NotRevealed => "not_revealed",
            Refusal::StillAnswering => "still_answering",
            Refusal::JudgeEveryAnswerFirst => "judge_every_answer_first",
            Refusal::NothingToUndo => "nothing_to_undo",
            Refusal::BadTeamName => "bad_team_name",
            Refusal::NoSuchTeam => "no_such_team",
            Refusal::AlreadyOnTeam => "already_on_team",
            Refusal::TeamsLocked => "teams_locked",
            Refusal::TeamWithoutPhones => "team_without_phones",
            Refusal::GameIsOver => "game_over",
            Refusal::TooManyMarks => "too_many_marks",
            Refusal::RoomLocked => "room_locked",
            Refusal::UnknownLanguage => "unknown_language",
        }
    }

    /// The numbers a translated message needs, by name.
    pub fn params(&self) -> Vec<(&'static str, i64)> {
        match self {
            Refusal::BadName(e) => e.params(),
            Refusal::RoomFull { cap } => vec![("count", *cap as i64)],
            Refusal::WagerOutOfBounds { min, max } => vec![("min", *min), ("max", *max)],
            _ => Vec::new(),
        }
    }
}

impl std::error::Error for Refusal {}
