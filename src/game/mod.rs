//! The rules of the game, as a pure state machine.
//!
//! [`Game::apply`] takes a [`Command`] and the current time and returns the
//! [`Event`]s that happened, or a [`Refusal`] that says why nothing did. A
//! refused command never changes the game. Nothing here reads a clock, opens a
//! socket or knows who is connected: the room task ([`crate::room`]) feeds it
//! commands and turns events into messages.
//!
//! One clue goes like this: the host opens a tile (the clue is read out), then
//! opens the buzzers. The first player to buzz answers; later buzzes queue
//! behind for the host to see. A right answer scores the clue's value and
//! reveals the answer. A wrong answer costs the value and reopens the buzzers
//! for the players who have not tried this clue yet. The host can reveal the
//! answer at any time, and closes the clue to return to the board (closing an
//! unanswered clue is how a clue is skipped).
//!
//! Time is a [`Duration`] since the room started, passed in with every
//! command, so the same commands at the same times always give the same game.
//! How buzzes are ordered (latency compensation, the collection window, the
//! early-buzz lockout) lives in `buzz.rs` and [`fairness`].

mod buzz;
mod command;
mod event;
pub(crate) mod fairness;
mod finale;
mod name;
mod player;
mod refusal;
mod suspicion;
mod teams;
#[cfg(test)]
mod tests;
pub(crate) mod text;
mod timers;
pub mod words;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use crate::board::{Board, TileId};

pub use buzz::{BuzzMode, BuzzRecord, BuzzSettings, MAX_EARLY_LOCKOUT, MAX_EXTRA_TIME, Rivals};
pub use command::{Command, HostCommand};
pub use event::{Event, ScoreChange};
pub use fairness::{BuzzTiming, Verdict};
pub use finale::{
    FinalStage, FinalState, MAX_FINAL_ANSWER_CHARS, MAX_FINAL_SECONDS, MAX_RANDOM_DAILY_DOUBLES,
    MIN_DAILY_DOUBLE_WAGER, MIN_FINAL_SECONDS,
};
pub use name::{MAX_NAME_GRAPHEMES, NameError, PlayerName};
pub use player::{AnswerTime, Player, PlayerId};
pub use refusal::Refusal;
pub use suspicion::{Suspicion, SuspicionReason};
pub use teams::{MAX_TEAM_NAME_CHARS, MAX_TEAMS, Team, TeamId};
pub use timers::{ClueTimer, MAX_TIMER_SECONDS, TimerKind, Timers};

/// The most players a host may let into one room (the server's
/// `--max-players` may set a lower ceiling).
pub const MAX_PLAYERS: usize = 5_000;
/// Players a new room takes until the host changes it: a large class.
pub const DEFAULT_PLAYER_CAP: usize = 100;
/// Seats one room ever hands out, removed ones included, so removing and
/// rejoining in a loop cannot grow a room without bound.
pub const MAX_SEATS: usize = 2 * MAX_PLAYERS;
/// The languages the pages are translated into; the first is the default.
pub const LANGUAGES: &[&str] = &["en", "es", "fr", "de", "pt"];
/// Largest single manual score change.
pub const MAX_ADJUSTMENT: i64 = 1_000_000;
/// Scores stay within plus or minus this.
pub const MAX_SCORE: i64 = 1_000_000_000;

/// Where the buzzers stand for the open clue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Buzzers {
    /// The clue is on screen and being read; buzzing is not open yet.
    Waiting,
    /// Buzzing is open to every player who has not tried this clue.
    Open,
    /// This player won the buzz (or is playing the Daily Double) and is answering.
    Answering(PlayerId),
    /// Daily Double: this player, who picked the tile, is choosing a wager.
    Wagering(PlayerId),
    /// The clue is settled: answered right, everyone tried, or revealed.
    Closed,
}

/// The clue currently on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenClue {
    /// Which tile.
    pub tile: TileId,
    /// Its value.
    pub value: i64,
    /// The state of the buzzers.
    pub buzzers: Buzzers,
    /// Buzzes since the buzzers last opened, first to arrive first.
    pub buzz_order: Vec<PlayerId>,
    /// Players who answered this clue wrong and may not buzz again.
    pub tried: BTreeSet<PlayerId>,
    /// Whether the answer has been shown to everyone.
    pub revealed: bool,
    /// Buzzes being collected before the winner is named.
    pub window: Option<buzz::Window>,
    /// Every buzz and early press on this clue, for the host's audit.
    pub audit: Vec<BuzzRecord>,
    /// Whether this is a Daily Double (no buzzers; the picker wagers).
    pub daily_double: bool,
    /// The Daily Double wager, once made: the clue is worth this.
    pub wager: Option<i64>,
    /// The timer running on this clue, if any.
    pub timer: Option<ClueTimer>,
}

/// How many score changes can be taken back.
pub const UNDO_STEPS: usize = 10;

/// One game of one board.
#[derive(Debug, Clone)]
pub struct Game {
    board: Arc<Board>,
    players: Vec<Player>,
    /// Lower-cased names, so a join checks for clashes in constant time.
    names: HashMap<String, PlayerId>,
    played: BTreeSet<TileId>,
    clue: Option<OpenClue>,
    /// The round being played, from 0.
    round: usize,
    /// Who picks the next tile (and plays a Daily Double).
    picker: Option<PlayerId>,
    /// The Final, once started.
    finale: Option<FinalState>,
    /// Whether a wrong answer on an ordinary clue costs its value.
    wrong_costs_points: bool,
    /// Whether offensive names and Final answers are refused.
    text_filter: bool,
    /// Whether phones play the show's sounds.
    phone_sounds: bool,
    /// Whether the scores are hidden from the projector and the phones.
    scores_hidden: bool,
    /// The room's language (one of [`LANGUAGES`]).
    language: String,
    /// Daily Doubles placed at random, on top of the board's own.
    random_daily_doubles: BTreeSet<TileId>,
    /// Time to buzz and to answer.
    timers: Timers,
    /// The teams, once the host creates any.
    teams: Vec<Team>,
    /// The host locked the teams: players may not change team themselves.
    teams_locked: bool,
    /// Teams whose totals changed while applying the current command.
    teams_touched: Vec<TeamId>,
    /// Every score change, oldest first.
    changes: Vec<ScoreChange>,
    settings: BuzzSettings,
    /// Until when each early presser is locked out.
    lockouts: HashMap<PlayerId, Duration>,
    /// The audits of closed clues, oldest first, for the CSV download.
    past_audits: Vec<(TileId, Vec<BuzzRecord>)>,
    /// Each player's recent claimed reactions, for the bot check.
    reactions: HashMap<PlayerId, suspicion::Reactions>,
    /// The host ended the game early.
    ended: bool,
    /// No new players may join.
    locked: bool,
    /// New players wait for the host's approval.
    approval: bool,
    /// Players in the game (not removed), and how many the host allows.
    active: usize,
    player_cap: usize,
}

impl Game {
    /// A new game on `board` with no players.
    pub fn new(board: Arc<Board>) -> Game {
        Game {
            board,
            players: Vec::new(),
            names: HashMap::new(),
            played: BTreeSet::new(),
            clue: None,
            round: 0,
            picker: None,
            finale: None,
            wrong_costs_points: true,
            text_filter: true,
            phone_sounds: false,
            scores_hidden: false,
            language: LANGUAGES[0].to_owned(),
            random_daily_doubles: BTreeSet::new(),
            timers: Timers::default(),
            teams: Vec::new(),
            teams_locked: false,
            teams_touched: Vec::new(),
            changes: Vec::new(),
            settings: BuzzSettings::default(),
            lockouts: HashMap::new(),
            past_audits: Vec::new(),
            reactions: HashMap::new(),
            ended: false,
            locked: false,
            approval: false,
            active: 0,
            player_cap: DEFAULT_PLAYER_CAP,
        }
    }

    /// Whether the room takes no new players.
    pub fn locked(&self) -> bool {
        self.locked
    }

    /// Whether new players wait for the host's approval.
    pub fn approval(&self) -> bool {
        self.approval
    }

    /// How many players the room takes.
    pub fn player_cap(&self) -> usize {
        self.player_cap
    }

    /// How many players are in the game (not removed).
    pub fn active_players(&self) -> usize {
        self.active
    }

    /// Players whose reactions look like a bot's, with the evidence.
    pub fn suspicions(&self) -> impl Iterator<Item = (PlayerId, Suspicion)> + '_ {
        self.reactions
            .iter()
            .filter_map(|(p, log)| log.flag().map(|s| (*p, s)))
    }

    /// The board being played.
    pub fn board(&self) -> &Arc<Board> {
        &self.board
    }

    /// Every player, in joining order.
    pub fn players(&self) -> &[Player] {
        &self.players
    }

    /// One player.
    pub fn player(&self, id: PlayerId) -> Option<&Player> {
        // Ids are handed out as index + 1 and players are never removed.
        self.players.get((id.0 as usize).checked_sub(1)?)
    }

    /// Tiles already played.
    pub fn played(&self) -> &BTreeSet<TileId> {
        &self.played
    }

    /// The clue on screen, if any.
    pub fn open_clue(&self) -> Option<&OpenClue> {
        self.clue.as_ref()
    }

    /// The round being played, from 0.
    pub fn round(&self) -> usize {
        self.round
    }

    /// Who picks the next tile, if anyone yet.
    pub fn picker(&self) -> Option<PlayerId> {
        self.picker
    }

    /// The Final, once it has started.
    pub fn finale(&self) -> Option<&FinalState> {
        self.finale.as_ref()
    }

    /// Whether a wrong answer on an ordinary clue costs its value.
    pub fn wrong_costs_points(&self) -> bool {
        self.wrong_costs_points
    }

    /// Whether offensive names and Final answers are refused.
    pub fn text_filter(&self) -> bool {
        self.text_filter
    }

    /// Whether the scores are hidden from the projector and the phones.
    pub fn scores_hidden(&self) -> bool {
        self.scores_hidden
    }

    /// Whether phones play the show's sounds.
    pub fn phone_sounds(&self) -> bool {
        self.phone_sounds
    }

    /// The room's language, for pages that do not ask for their own.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Every score change so far, oldest first (for the results).
    pub fn score_changes(&self) -> &[ScoreChange] {
        &self.changes
    }

    /// Whether this tile is a Daily Double (marked by the board, or placed
    /// at random by the host).
    pub fn is_daily_double(&self, tile: TileId) -> bool {
        self.board.clue(tile).is_some_and(|c| c.daily_double)
            || self.random_daily_doubles.contains(&tile)
    }

    /// Whether every tile of the current round has been played.
    pub fn round_cleared(&self) -> bool {
        self.board
            .tiles(self.round)
            .all(|tile| self.played.contains(&tile))
    }

    /// How buzzes are ordered in this room.
    pub fn buzz_settings(&self) -> BuzzSettings {
        self.settings
    }

    /// Every clue's buzz audit so far, closed clues first, with its tile.
    pub fn audits(&self) -> impl Iterator<Item = (TileId, &[BuzzRecord])> {
        self.past_audits
            .iter()
            .map(|(tile, records)| (*tile, records.as_slice()))
            .chain(self.clue.iter().map(|c| (c.tile, c.audit.as_slice())))
    }

    /// When the room should send [`Command::Tick`], if the game is waiting
    /// for a deadline.
    pub fn next_deadline(&self) -> Option<Duration> {
        if let Some(FinalState {
            stage: FinalStage::Answering { closes_at },
            ..
        }) = &self.finale
        {
            return Some(*closes_at);
        }
        let clue = self.clue.as_ref()?;
        let window = clue.window.as_ref().map(|w| w.closes_at);
        let timer = clue.timer.map(|t| t.ends);
        match (window, timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether every tile has been played.
    pub fn is_cleared(&self) -> bool {
        if self.ended {
            return true;
        }
        // Once the Final starts, it alone decides.
        if let Some(finale) = &self.finale {
            return finale.stage == FinalStage::Over;
        }
        let last_round = self.round + 1 >= self.board.rounds.len();
        last_round && self.board.final_clue.is_none() && self.round_cleared()
    }

    /// Carries out `command` at time `now` (since the room started). On
    /// refusal nothing has changed, except that a collection window whose
    /// deadline has passed is settled first, as it would have been on time.
    pub fn apply(&mut self, command: Command, now: Duration) -> Result<Vec<Event>, Refusal> {
        let mut events = self.settle(now);
        events.extend(self.settle_final(now));
        events.extend(self.settle_timers(now));
        let result = match command {
            Command::Join { name } => self.join(name),
            Command::OpenClue { tile } => self.open_clue_at(tile),
            Command::Host(HostCommand::OpenBuzzers) => self.open_buzzers(),
            Command::Buzz {
                player,
                timing,
                window,
                rivals,
            } => self.buzz(player, timing, window, rivals, now),
            Command::Host(HostCommand::SetPlayerCap { max }) => self.set_player_cap(max as usize),
            Command::Host(HostCommand::EndGame) => self.end_game(),
            Command::Host(HostCommand::SetApproval { on }) => {
                self.approval = on;
                Ok(vec![Event::ApprovalChanged { on }])
            }
            Command::Host(HostCommand::LockRoom { locked }) => {
                self.locked = locked;
                Ok(vec![Event::RoomLocked { locked }])
            }
            Command::Host(HostCommand::SetExtraTime { player, ms }) => {
                self.set_extra_time(player, Duration::from_millis(ms.into()))
            }
            Command::Host(HostCommand::SetAnswerTime { player, time }) => {
                self.set_answer_time(player, time)
            }
            Command::Tick => Ok(Vec::new()),
            Command::Host(HostCommand::Judge { correct }) => self.judge(correct),
            Command::Host(HostCommand::RevealAnswer) => self.reveal(),
            Command::Host(HostCommand::CloseClue) => self.close_clue(),
            Command::Host(HostCommand::AdjustScore { player, delta }) => self.adjust(player, delta),
            Command::Host(HostCommand::RemovePlayer { player }) => self.remove(player),
            Command::SetBuzzSettings { settings } => self.change_settings(settings),
            Command::Host(HostCommand::NextRound) => self.next_round(),
            Command::Host(HostCommand::SetPicker { player }) => self.set_picker(player),
            Command::Wager { player, amount } => self.wager(player, amount),
            Command::Host(HostCommand::StartFinal) => self.start_final(),
            Command::FinalWager { player, amount } => self.final_wager(player, amount),
            Command::Host(HostCommand::ShowFinalClue { seconds }) => {
                self.show_final_clue(seconds, now)
            }
            Command::FinalAnswer { player, text } => self.final_answer(player, &text, now),
            Command::Host(HostCommand::RevealFinal { player }) => self.reveal_final(player),
            Command::Host(HostCommand::JudgeFinal { player, correct }) => {
                self.judge_final(player, correct)
            }
            Command::Host(HostCommand::CloseFinalAnswers) => self.close_final_answers(),
            Command::Host(HostCommand::ShowFinalAnswer) => self.show_final_answer(),
            Command::Host(HostCommand::ShowWinner) => self.show_winner(),
            Command::Host(HostCommand::SetTextFilter { on }) => {
                self.text_filter = on;
                Ok(vec![Event::TextFilterChanged { on }])
            }
            Command::Host(HostCommand::SetScoresHidden { on }) => {
                if self.scores_hidden == on {
                    return Ok(Vec::new());
                }
                self.scores_hidden = on;
                Ok(vec![Event::ScoresHiddenChanged { on }])
            }
            Command::Host(HostCommand::SetPhoneSounds { on }) => {
                self.phone_sounds = on;
                Ok(vec![Event::PhoneSoundsChanged { on }])
            }
            Command::Host(HostCommand::SetLanguage { language }) => {
                if !LANGUAGES.contains(&language.as_str()) {
                    return Err(Refusal::UnknownLanguage);
                }
                self.language = language.clone();
                Ok(vec![Event::LanguageChanged { language }])
            }
            Command::Host(HostCommand::SetWrongCostsPoints { costs }) => {
                self.wrong_costs_points = costs;
                Ok(vec![Event::WrongCostsPointsChanged { costs }])
            }
            Command::Host(HostCommand::Undo) => self.undo(),
            Command::PlaceDailyDoubles { per_round, seed } => {
                self.place_daily_doubles(per_round, seed)
            }
            Command::Host(HostCommand::SetTimers {
                buzz_seconds,
                answer_seconds,
            }) => self.set_timers(buzz_seconds, answer_seconds),
            Command::Host(HostCommand::CreateTeam { name }) => self.create_team(&name),
            Command::Host(HostCommand::LockTeams { locked }) => self.lock_teams(locked),
            Command::Host(HostCommand::AddTeamWithoutPhones { name }) => {
                self.add_team_without_phones(&name)
            }
            Command::Host(HostCommand::GiveFloor { player }) => self.give_floor(player),
            Command::Host(HostCommand::WagerFor { player, amount }) => self.wager(player, amount),
            Command::Host(HostCommand::FinalWagerFor { player, amount }) => {
                self.final_wager(player, amount)
            }
            Command::Host(HostCommand::FinalAnswerFor { player, text }) => {
                self.final_answer(player, &text, now)
            }
            Command::SetTeam { player, team } => self.set_team(player, team),
        };
        match result {
            Ok(more) => events.extend(more),
            // Settling is not undone: it is what the deadline already decided.
            Err(refusal) if events.is_empty() => return Err(refusal),
            Err(_) => {}
        }
        let armed = self.arm_timers(now, &events);
        events.extend(armed);
        let totals = self.team_totals();
        events.extend(totals);
        Ok(events)
    }

    fn join(&mut self, name: PlayerName) -> Result<Vec<Event>, Refusal> {
        if self.locked {
            return Err(Refusal::RoomLocked);
        }
        if self.active >= self.player_cap || self.players.len() >= MAX_SEATS {
            return Err(Refusal::RoomFull {
                cap: self.player_cap,
            });
        }
        let key = name.key();
        if self.names.contains_key(&key) {
            return Err(Refusal::NameTaken);
        }
        let id = PlayerId(self.players.len() as u32 + 1);
        self.names.insert(key, id);
        self.active += 1;
        self.players.push(Player {
            id,
            name,
            score: 0,
            removed: false,
            team: None,
            extra_time: Duration::ZERO,
            answer_time: AnswerTime::Usual,
            device: true,
        });
        Ok(vec![Event::PlayerJoined { player: id }])
    }

    fn open_clue_at(&mut self, tile: TileId) -> Result<Vec<Event>, Refusal> {
        if self.ended {
            return Err(Refusal::GameIsOver);
        }
        if self.clue.is_some() {
            return Err(Refusal::ClueAlreadyOpen);
        }
        if tile.round != self.round {
            return Err(Refusal::NoSuchTile);
        }
        let clue = self.board.clue(tile).ok_or(Refusal::NoSuchTile)?;
        if self.played.contains(&tile) {
            return Err(Refusal::TileAlreadyPlayed);
        }
        if self.finale.is_some() {
            return Err(Refusal::WrongFinalStage);
        }
        let daily_double = clue.daily_double || self.random_daily_doubles.contains(&tile);
        let dd_player = if daily_double {
            let picker = self
                .picker
                .filter(|&p| self.active(p).is_some())
                .ok_or(Refusal::NoPicker)?;
            Some(picker)
        } else {
            None
        };
        self.clue = Some(OpenClue {
            tile,
            value: clue.value,
            buzzers: dd_player.map_or(Buzzers::Waiting, Buzzers::Wagering),
            daily_double,
            wager: None,
            timer: None,
            buzz_order: Vec::new(),
            tried: BTreeSet::new(),
            revealed: false,
            window: None,
            audit: Vec::new(),
        });
        self.lockouts.clear();
        let mut events = vec![Event::ClueOpened { tile }];
        if let Some(player) = dd_player {
            events.push(Event::DailyDouble { player });
        }
        Ok(events)
    }

    fn open_buzzers(&mut self) -> Result<Vec<Event>, Refusal> {
        let clue = self.clue.as_mut().ok_or(Refusal::NoClueOpen)?;
        if clue.daily_double {
            return Err(Refusal::DailyDoubleHasNoBuzzers);
        }
        match clue.buzzers {
            Buzzers::Open | Buzzers::Answering(_) | Buzzers::Wagering(_) => {
                return Err(Refusal::BuzzersAlreadyOpen);
            }
            Buzzers::Closed if clue.revealed => return Err(Refusal::AlreadyRevealed),
            Buzzers::Waiting | Buzzers::Closed => {}
        }
        if !self.players.is_empty() && untried(&self.players, &clue.tried) == 0 {
            return Err(Refusal::EveryoneTried);
        }
        clue.buzzers = Buzzers::Open;
        clue.buzz_order.clear();
        clue.window = None;
        Ok(vec![Event::BuzzersOpened])
    }

    fn give_floor(&mut self, player: PlayerId) -> Result<Vec<Event>, Refusal> {
        if self.active(player).is_none() {
            return Err(Refusal::UnknownPlayer);
        }
        let side = self.side_of(player);
        let clue = self.clue.as_mut().ok_or(Refusal::NoClueOpen)?;
        if clue.daily_double {
            return Err(Refusal::DailyDoubleHasNoBuzzers);
        }
        if clue.revealed {
            return Err(Refusal::AlreadyRevealed);
        }
        if matches!(clue.buzzers, Buzzers::Answering(_) | Buzzers::Wagering(_)) {
            return Err(Refusal::BuzzersAlreadyOpen);
        }
        if side.iter().any(|p| clue.tried.contains(p)) {
            return Err(Refusal::AlreadyTried);
        }
        let was_open = clue.buzzers == Buzzers::Open;
        clue.buzzers = Buzzers::Answering(player);
        clue.buzz_order = vec![player];
        clue.window = None;
        let mut events = Vec::new();
        if was_open {
            events.push(Event::BuzzersClosed);
        }
        events.push(Event::Answering { player });
        Ok(events)
    }

    fn judge(&mut self, correct: bool) -> Result<Vec<Event>, Refusal> {
        let side = match self.clue.as_ref().map(|c| c.buzzers) {
            Some(Buzzers::Answering(player)) => self.side_of(player),
            _ => Vec::new(),
        };
        let clue = self.clue.as_mut().ok_or(Refusal::NoClueOpen)?;
        let Buzzers::Answering(player) = clue.buzzers else {
            return Err(Refusal::NobodyAnswering);
        };
        let worth = clue.wager.unwrap_or(clue.value);
        let delta = match (correct, clue.daily_double || self.wrong_costs_points) {
            (true, _) => worth,
            (false, true) => -worth,
            (false, false) => 0,
        };
        let tile = clue.tile;
        // What the clue does next; the points follow below.
        let mut after = Vec::new();
        if correct {
            clue.buzzers = Buzzers::Closed;
            clue.revealed = true;
            after.push(Event::BuzzersClosed);
            after.push(Event::AnswerRevealed { tile });
        } else if clue.daily_double {
            // A missed Daily Double goes to nobody else.
            clue.buzzers = Buzzers::Closed;
            after.push(Event::BuzzersClosed);
        } else {
            // A wrong answer locks the whole team out of this clue.
            for member in &side {
                clue.tried.insert(*member);
            }
            clue.buzz_order.clear();
            clue.window = None;
            if untried(&self.players, &clue.tried) == 0 {
                clue.buzzers = Buzzers::Closed;
                after.push(Event::BuzzersClosed);
            } else {
                clue.buzzers = Buzzers::Open;
                after.push(Event::BuzzersOpened);
            }
        }
        let (score, team) = self.credit(player, delta);
        self.changes.push(ScoreChange {
            tile: Some(tile),
            player,
            team,
            correct: Some(correct),
            delta,
            in_final: false,
            undone: false,
        });
        let mut events = vec![Event::Judged {
            player,
            correct,
            delta,
            score,
        }];
        events.extend(after);
        // The player who answered right picks next.
        if correct && self.picker != Some(player) {
            self.picker = Some(player);
            events.push(Event::PickerChanged { player });
        }
        Ok(events)
    }

    fn reveal(&mut self) -> Result<Vec<Event>, Refusal> {
        let clue = self.clue.as_mut().ok_or(Refusal::NoClueOpen)?;
        if clue.revealed {
            return Err(Refusal::AlreadyRevealed);
        }
        clue.revealed = true;
        clue.window = None;
        let mut events = Vec::new();
        if clue.buzzers != Buzzers::Closed {
            clue.buzzers = Buzzers::Closed;
            events.push(Event::BuzzersClosed);
        }
        events.push(Event::AnswerRevealed { tile: clue.tile });
        Ok(events)
    }

    fn close_clue(&mut self) -> Result<Vec<Event>, Refusal> {
        let clue = self.clue.take().ok_or(Refusal::NoClueOpen)?;
        self.played.insert(clue.tile);
        self.lockouts.clear();
        if !clue.audit.is_empty() {
            self.past_audits.push((clue.tile, clue.audit));
        }
        let mut events = vec![Event::ClueClosed { tile: clue.tile }];
        if self.round_cleared() {
            events.push(Event::BoardCleared);
        }
        // With no Final to come, clearing the last round ends the game.
        if self.is_cleared() {
            events.push(Event::GameOver);
        }
        Ok(events)
    }

    fn adjust(&mut self, player: PlayerId, delta: i64) -> Result<Vec<Event>, Refusal> {
        if self.active(player).is_none() {
            return Err(Refusal::UnknownPlayer);
        }
        if delta == 0 || delta.unsigned_abs() > MAX_ADJUSTMENT as u64 {
            return Err(Refusal::BadAdjustment);
        }
        if (self.players[player.0 as usize - 1].score + delta).abs() > MAX_SCORE {
            return Err(Refusal::BadAdjustment);
        }
        let (score, team) = self.credit(player, delta);
        self.changes.push(ScoreChange {
            tile: None,
            player,
            team,
            correct: None,
            delta,
            in_final: false,
            undone: false,
        });
        Ok(vec![Event::ScoreAdjusted {
            player,
            delta,
            score,
        }])
    }

    fn remove(&mut self, player: PlayerId) -> Result<Vec<Event>, Refusal> {
        let index = (player.0 as usize)
            .checked_sub(1)
            .filter(|&i| i < self.players.len() && !self.players[i].removed)
            .ok_or(Refusal::UnknownPlayer)?;
        self.players[index].removed = true;
        // The seat is free for someone else.
        self.active -= 1;
        // The name is free again, for the student to rejoin with it.
        self.names.remove(&self.players[index].name.key());
        let mut events = vec![Event::PlayerRemoved { player }];
        if let Some(clue) = self.clue.as_mut() {
            clue.buzz_order.retain(|&p| p != player);
            if let Some(window) = clue.window.as_mut() {
                window.entries.retain(|e| e.player != player);
            }
            self.reschedule_window();
            let Some(clue) = self.clue.as_mut() else {
                return Ok(events);
            };
            let answering = clue.buzzers == Buzzers::Answering(player);
            let waiting_only_on_them = clue.window.as_ref().is_some_and(|w| w.entries.is_empty());
            if answering || waiting_only_on_them {
                clue.window = None;
                if untried(&self.players, &clue.tried) > 0 {
                    clue.buzzers = Buzzers::Open;
                    clue.buzz_order.clear();
                    events.push(Event::BuzzersOpened);
                } else {
                    clue.buzzers = Buzzers::Closed;
                    events.push(Event::BuzzersClosed);
                }
            }
        }
        Ok(events)
    }

    /// Takes back the points of the latest change not yet taken back, if it
    /// is among the last [`UNDO_STEPS`]. The board is left as it is.
    fn undo(&mut self) -> Result<Vec<Event>, Refusal> {
        let first_undoable = self.changes.len().saturating_sub(UNDO_STEPS);
        let index = (first_undoable..self.changes.len())
            .rev()
            .find(|&i| !self.changes[i].undone)
            .ok_or(Refusal::NothingToUndo)?;
        let change = &mut self.changes[index];
        change.undone = true;
        let (player, team, delta) = (change.player, change.team, -change.delta);
        // Taken back from whom it was given: the player, and the team they
        // were in then.
        let score = add_to_score(&mut self.players, player, delta);
        if let Some(team) = team {
            self.add_to_team(team, delta);
        }
        Ok(vec![Event::Undone {
            player,
            delta,
            score,
        }])
    }

    fn next_round(&mut self) -> Result<Vec<Event>, Refusal> {
        if self.ended {
            return Err(Refusal::GameIsOver);
        }
        if self.clue.is_some() {
            return Err(Refusal::ClueAlreadyOpen);
        }
        if self.round + 1 >= self.board.rounds.len() {
            return Err(Refusal::NoMoreRounds);
        }
        self.round += 1;
        Ok(vec![Event::RoundStarted { round: self.round }])
    }

    /// Ends the game now: an open clue is put away (its tile counts as
    /// played), a Final in progress stops where it is, and the standings
    /// are final.
    fn end_game(&mut self) -> Result<Vec<Event>, Refusal> {
        if self.is_cleared() {
            return Err(Refusal::GameIsOver);
        }
        let mut events = Vec::new();
        if let Some(clue) = self.clue.take() {
            self.played.insert(clue.tile);
            self.past_audits.push((clue.tile, clue.audit));
            events.push(Event::ClueClosed { tile: clue.tile });
        }
        if let Some(finale) = self.finale.as_mut() {
            finale.stage = FinalStage::Over;
        }
        self.ended = true;
        events.push(Event::GameOver);
        Ok(events)
    }

    fn set_player_cap(&mut self, max: usize) -> Result<Vec<Event>, Refusal> {
        if !(1..=MAX_PLAYERS).contains(&max) {
            return Err(Refusal::BadSetting);
        }
        self.player_cap = max;
        Ok(vec![Event::PlayerCapChanged { max }])
    }

    fn change_settings(&mut self, settings: BuzzSettings) -> Result<Vec<Event>, Refusal> {
        if settings.early_lockout > MAX_EARLY_LOCKOUT {
            return Err(Refusal::BadSetting);
        }
        self.settings = settings;
        Ok(vec![Event::BuzzSettingsChanged { settings }])
    }

    /// The player with this id, if they are still in the game.
    fn active(&self, id: PlayerId) -> Option<&Player> {
        self.player(id).filter(|p| !p.removed)
    }
}

impl Game {
    /// Adds `delta` to a player's score and to their team's, if they are in
    /// one: points scored for a team stay with it, whoever moves later.
    /// Returns the player's new score and the team credited.
    fn credit(&mut self, player: PlayerId, delta: i64) -> (i64, Option<TeamId>) {
        let score = add_to_score(&mut self.players, player, delta);
        let team = self.player(player).and_then(|p| p.team);
        if let Some(team) = team {
            self.add_to_team(team, delta);
        }
        (score, team)
    }
}

/// Adds `delta` to a player's score and returns the new score. Scores are
/// bounded by [`MAX_SCORE`] and clue values by the board's limit, so the sum
/// cannot overflow; it is clamped so a score never leaves its range. The
/// player exists: every caller has checked it (ids are index + 1).
fn add_to_score(players: &mut [Player], player: PlayerId, delta: i64) -> i64 {
    let slot = &mut players[player.0 as usize - 1];
    slot.score = (slot.score + delta).clamp(-MAX_SCORE, MAX_SCORE);
    slot.score
}

/// How many players still in the game have not tried the clue.
fn untried(players: &[Player], tried: &BTreeSet<PlayerId>) -> usize {
    players
        .iter()
        .filter(|p| !p.removed && !tried.contains(&p.id))
        .count()
}
