//! Durable games: the journal of every room, behind one interface.
//!
//! A game is stored as the list of commands that made it, each with the
//! room-clock time it was applied at. The rules are a pure function of those
//! commands, so replaying them rebuilds the game exactly: scores, played
//! tiles, who has tried the open clue, the buzz audit. Each room also keeps
//! its code, its host key, a copy of its board (so a board file edited later
//! cannot change a game in progress) and its players' seat tokens.
//!
//! Every accepted command is committed before the room publishes its effect,
//! so anything a page has been told survives the process being killed.
//!
//! Two engines keep the same journal: an embedded SQLite file ([`sqlite`]),
//! the default, and a PostgreSQL server shared by several Buzzboard servers
//! ([`postgres`], `--database-url`), where every write is also fenced by
//! the room's lease (see `docs/scaling.md`).

pub mod postgres;
pub mod sqlite;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::game::{Command, PlayerId};

pub use postgres::Postgres;
pub use sqlite::Sqlite;

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "buzzboard.db";

/// Why the database could not be used.
#[derive(Debug)]
pub struct StoreError {
    /// Which database: the SQLite file, or the PostgreSQL server (never its
    /// password).
    pub place: String,
    /// What went wrong.
    pub message: String,
    /// The database's own error, when there is one.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl StoreError {
    /// An error with no underlying cause.
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> StoreError {
        StoreError {
            place: place.into(),
            message: message.into(),
            source: None,
        }
    }

    /// An error the database engine reported.
    pub fn caused_by(
        place: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> StoreError {
        StoreError {
            place: place.into(),
            message: source.to_string(),
            source: Some(Box::new(source)),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e.as_ref() as _)
    }
}

/// One entry of a room's journal: an accepted command, when it happened on
/// the room's clock, and the seats it changed.
#[derive(Debug)]
pub struct JournalEntry<'a> {
    /// Its place in the room's journal, from 1, with no gaps.
    pub seq: u64,
    /// When, on the room's clock.
    pub at: Duration,
    /// What was asked of the game.
    pub command: &'a Command,
    /// A join's new seat token.
    pub new_seat: Option<(&'a str, PlayerId)>,
    /// A removed player, whose seat tokens stop opening.
    pub forget_seats_of: Option<PlayerId>,
}

impl JournalEntry<'_> {
    /// The command as it is saved.
    fn command_json(&self, room: &str, place: &str) -> Result<String, StoreError> {
        serde_json::to_string(self.command).map_err(|e| {
            StoreError::new(place, format!("cannot write a command of room {room}: {e}"))
        })
    }
}

/// Reads one saved command. Journals written before version 0.2 tagged
/// each command with `"c"` where they now use `"type"` (the same tag as the
/// host's messages on the wire); both are read.
pub fn read_command(json: &str) -> Result<Command, serde_json::Error> {
    let mut value: serde_json::Value = serde_json::from_str(json)?;
    if let Some(object) = value.as_object_mut()
        && !object.contains_key("type")
        && let Some(tag) = object.remove("c")
    {
        object.insert("type".to_owned(), tag);
    }
    serde_json::from_value(value)
}

/// What is saved about a room besides its commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRecord {
    /// The room's code.
    pub code: String,
    /// The board's id.
    pub board_id: String,
    /// The board as it was when the game started, in the board file format.
    pub board_toml: String,
    /// The host's secret key.
    pub host_key: String,
}

/// A room read back from the database.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedRoom {
    /// The highest place in its journal.
    pub last_seq: u64,
    /// The audit record.
    pub record: RoomRecord,
    /// `(room clock, command as JSON)`, in the order they were applied. The
    /// clock is kept to the nanosecond, so a replay decides every deadline
    /// exactly as it was decided.
    pub commands: Vec<(Duration, String)>,
    /// `(seat token, player number)`.
    pub seats: Vec<(String, u32)>,
}

/// The open journal: one engine or the other.
pub enum Store {
    /// The embedded file (the default).
    Sqlite(Sqlite),
    /// A PostgreSQL server shared by a cluster of servers.
    Postgres(Box<Postgres>),
}

fn now_unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The last activity (Unix milliseconds) at which a room counts as idle,
/// and at which a room nobody joined does.
fn idle_cutoffs(idle: Duration, idle_empty: Duration) -> (i64, i64) {
    let now = now_unix_ms();
    (
        now - idle.as_millis() as i64,
        now - idle_empty.as_millis() as i64,
    )
}

impl Store {
    /// Opens (or creates) the SQLite database at `path` and checks it is
    /// sound. A file that is not a Buzzboard database, or is damaged, is
    /// reported and left untouched.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Sqlite::open(path).map(Store::Sqlite)
    }

    /// Moves the SQLite database at `path` (and its WAL files) aside, so a
    /// fresh one can be created; returns where it went. Nothing is deleted.
    pub fn set_aside(path: &Path) -> Result<Option<PathBuf>, StoreError> {
        Sqlite::set_aside(path)
    }

    /// The shared database, when this server is one of a cluster.
    pub fn postgres(&self) -> Option<&Postgres> {
        match self {
            Store::Sqlite(_) => None,
            Store::Postgres(db) => Some(db),
        }
    }

    /// Records a new room.
    pub fn create_room(&self, record: &RoomRecord) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(db) => db.create_room(record),
            Store::Postgres(db) => postgres::block_on(db.create_room(record)).and_then(|made| {
                made.then_some(())
                    .ok_or_else(|| StoreError::new(db.place(), "that room code is taken"))
            }),
        }
    }

    /// Commits one journal entry: the command, and the seats it made or
    /// took away, in one transaction. Either all of it is saved or none.
    /// In a cluster the write is refused unless this server still holds the
    /// room's lease.
    pub fn append(&self, room: &str, entry: &JournalEntry<'_>) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(db) => db.append(room, entry),
            Store::Postgres(db) => postgres::block_on(db.append(room, entry)),
        }
    }

    /// Whether the room should save a burst of commands at once
    /// ([`Store::append_all`]) rather than each as it is applied: a
    /// PostgreSQL write is a network round trip, a SQLite one tens of
    /// microseconds.
    pub fn commits_in_groups(&self) -> bool {
        matches!(self, Store::Postgres(_))
    }

    /// Commits a burst of journal entries. On PostgreSQL: all of them in one
    /// transaction, or none. On SQLite (which saves each command as it is
    /// applied, so never needs this) one after another.
    pub fn append_all(&self, room: &str, entries: &[JournalEntry<'_>]) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(db) => entries.iter().try_for_each(|entry| db.append(room, entry)),
            Store::Postgres(db) => postgres::block_on(db.append_all(room, entries)),
        }
    }

    /// Every saved room, with its commands and seats (used at start-up by a
    /// server on its own; a cluster loads rooms one at a time as it takes
    /// them).
    pub fn load_rooms(&self) -> Result<Vec<SavedRoom>, StoreError> {
        match self {
            Store::Sqlite(db) => db.load_rooms(),
            Store::Postgres(_) => Ok(Vec::new()),
        }
    }

    /// Rooms with no command for longer than `idle`, and rooms nobody ever
    /// joined with no command for longer than `idle_empty`.
    pub fn idle_rooms(
        &self,
        idle: Duration,
        idle_empty: Duration,
    ) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Sqlite(db) => db.idle_rooms(idle, idle_empty),
            Store::Postgres(db) => postgres::block_on(db.idle_rooms(idle, idle_empty)),
        }
    }

    /// Deletes a room and everything saved with it.
    pub fn delete_room(&self, code: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(db) => db.delete_room(code),
            Store::Postgres(db) => postgres::block_on(db.delete_room(code)),
        }
    }
}

/// Writes a new file that only this user may read (mode 0600 on Unix): the
/// teacher key, the database.
pub fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}
