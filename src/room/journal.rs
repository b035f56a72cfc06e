//! A room's side of the journal: the commands applied since the last save
//! (staged), the one async commit that saves them, and the game as the
//! saved commands make it, to go back to when a save fails.
//!
//! Decide, save, publish: the room applies a command to its game at once
//! and stages it here; at the end of the burst every staged command is
//! saved in one transaction ([`Journal::commit`]), on either engine, and
//! only then are the pages told. The same path serves SQLite and
//! PostgreSQL ([`crate::store::Store`]).

use std::sync::Arc;
use std::time::Duration;

use crate::board::Board;
use crate::game::{Command, Game, PlayerId};
use crate::store::{JournalEntry, SavedCommand, Store, StoreError};

use super::RestoreError;

/// The journal as one room keeps it.
pub(super) struct Journal {
    /// Where commands are saved; `None` for a room that saves nothing
    /// (tests, and a server run without a data folder).
    store: Option<Arc<Store>>,
    /// The room's code, which names its journal.
    code: String,
    /// The last saved command's place in the journal.
    seq: u64,
    /// Applied, not yet saved: they go together at the next commit.
    staged: Vec<JournalEntry>,
    /// The saved commands with their times, to rebuild the game if a save
    /// fails. Kept only when there is a store.
    log: Vec<(Duration, Command)>,
}

impl Journal {
    /// The journal of a room whose last saved command is `seq`, with the
    /// saved commands `log`.
    pub fn new(
        store: Option<Arc<Store>>,
        code: String,
        seq: u64,
        log: Vec<(Duration, Command)>,
    ) -> Journal {
        Journal {
            store,
            code,
            seq,
            staged: Vec::new(),
            log,
        }
    }

    /// Notes a command the game accepted at `at`, to be saved at the next
    /// commit with the seat it made (a join) or took away (a removal).
    pub fn stage(
        &mut self,
        at: Duration,
        command: Command,
        new_seat: Option<(String, PlayerId)>,
        forget_seats_of: Option<PlayerId>,
    ) {
        self.staged.push(JournalEntry {
            seq: self.seq + self.staged.len() as u64 + 1,
            at,
            command,
            new_seat,
            forget_seats_of,
        });
    }

    /// Whether commands wait to be saved.
    pub fn has_staged(&self) -> bool {
        !self.staged.is_empty()
    }

    /// Saves every staged command in one transaction (a room without a
    /// store just lets them through). On success returns them (their seats
    /// take effect now); on failure none is saved and they are dropped:
    /// the caller puts the game back with [`Journal::rebuild`].
    pub async fn commit(&mut self) -> Result<Vec<JournalEntry>, StoreError> {
        if self.staged.is_empty() {
            return Ok(Vec::new());
        }
        let staged = std::mem::take(&mut self.staged);
        if let Some(store) = &self.store {
            store.append(&self.code, staged.clone()).await?;
            self.log
                .extend(staged.iter().map(|entry| (entry.at, entry.command.clone())));
        }
        self.seq += staged.len() as u64;
        Ok(staged)
    }

    /// The game as the saved commands make it.
    pub fn rebuild(&self, board: Arc<Board>) -> Game {
        let mut game = Game::new(board);
        for (at, command) in &self.log {
            if let Err(refusal) = game.apply(command.clone(), *at) {
                // The same commands at the same times always apply again.
                tracing::error!(room = %self.code, "a saved command no longer applies: {refusal}");
            }
        }
        game
    }
}

/// A game rebuilt from its saved commands.
pub(super) struct Replayed {
    /// The game as the commands left it.
    pub game: Game,
    /// The commands, read, with their times.
    pub log: Vec<(Duration, Command)>,
    /// The room clock at the last command.
    pub clock: Duration,
}

/// Replays the saved `commands` of room `code` on a new game of `board`.
/// Fails, naming the room and the command, if one cannot be read (saved by
/// a newer release, or damaged) or no longer applies (the rules changed
/// under a saved game).
pub(super) fn replay(
    code: &str,
    board: Arc<Board>,
    commands: &[SavedCommand],
) -> Result<Replayed, RestoreError> {
    let mut game = Game::new(board);
    let mut clock = Duration::ZERO;
    let mut log = Vec::with_capacity(commands.len());
    for (index, saved) in commands.iter().enumerate() {
        let command = crate::store::read_command(&saved.json, saved.version).map_err(|source| {
            RestoreError::Unreadable {
                room: code.to_owned(),
                place: index + 1,
                source,
            }
        })?;
        game.apply(command.clone(), saved.at)
            .map_err(|refusal| RestoreError::NoLongerApplies {
                room: code.to_owned(),
                place: index + 1,
                refusal,
            })?;
        log.push((saved.at, command));
        clock = saved.at;
    }
    Ok(Replayed { game, log, clock })
}
