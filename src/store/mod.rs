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
//! Every command is saved with the journal version that wrote it
//! ([`JOURNAL_VERSION`]), and a database written by an older release is
//! copied aside before its tables are upgraded.
//!
//! Two engines keep the same journal: an embedded SQLite file ([`sqlite`]),
//! the default, and a PostgreSQL server shared by several Buzzboard servers
//! (`postgres`, with the `cluster` feature, `--database-url`), where every write is also fenced by
//! the room's lease (see `docs/scaling.md`).

pub mod accounts;
pub mod boards;
#[cfg(feature = "cluster")]
pub mod postgres;
pub mod sessions;
pub mod sql;
pub mod sqlite;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::game::{Command, PlayerId};

#[cfg(feature = "cluster")]
pub use postgres::Postgres;
pub use sessions::SessionRecord;
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
    /// Set when the write was refused because another server of the
    /// cluster runs the room now: the room must stop here.
    pub room_lost: bool,
}

impl StoreError {
    /// An error with no underlying cause.
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> StoreError {
        StoreError {
            place: place.into(),
            message: message.into(),
            source: None,
            room_lost: false,
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
            room_lost: false,
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
#[derive(Debug, Clone)]
pub struct JournalEntry {
    /// Its place in the room's journal, from 1, with no gaps.
    pub seq: u64,
    /// When, on the room's clock.
    pub at: Duration,
    /// What was asked of the game.
    pub command: Command,
    /// A join's new seat token.
    pub new_seat: Option<(String, PlayerId)>,
    /// A removed player, whose seat tokens stop opening.
    pub forget_seats_of: Option<PlayerId>,
}

impl JournalEntry {
    /// The command as it is saved.
    fn command_json(&self, room: &str, place: &str) -> Result<String, StoreError> {
        serde_json::to_string(&self.command).map_err(|e| {
            StoreError::new(place, format!("cannot write a command of room {room}: {e}"))
        })
    }
}

/// The version of the journal this release writes, saved with every
/// command. It goes up whenever a change to the rules, to a command or to
/// a mode changes what a saved journal replays into, so a server never
/// replays a journal it does not understand: a command saved by a newer
/// release is refused by name (see docs/reliability.md, "Upgrades").
///
/// - 0: saved before journals carried their version (releases up to 0.1
///   of the first and second batches); the oldest of them tagged each
///   command with `"c"`.
/// - 1: this release.
pub const JOURNAL_VERSION: u32 = 1;

/// Why a saved command cannot be read.
#[derive(Debug)]
pub enum ReadError {
    /// It is not a command this release knows.
    Json(serde_json::Error),
    /// It was saved by a newer release (journal version `0`).
    Newer(u32),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Json(e) => e.fmt(f),
            ReadError::Newer(version) => write!(
                f,
                "it was saved by a newer Buzzboard (journal version {version}; this one reads up to {JOURNAL_VERSION}): upgrade this server"
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Json(e) => Some(e),
            ReadError::Newer(_) => None,
        }
    }
}

/// Reads one saved command, saved under journal `version`. Journals of
/// version 0 written before release 0.2 of the first batch tagged each
/// command with `"c"` where they now use `"type"` (the same tag as the
/// host's messages on the wire); both are read.
pub fn read_command(json: &str, version: u32) -> Result<Command, ReadError> {
    if version > JOURNAL_VERSION {
        return Err(ReadError::Newer(version));
    }
    let mut value: serde_json::Value = serde_json::from_str(json).map_err(ReadError::Json)?;
    if version == 0
        && let Some(object) = value.as_object_mut()
        && !object.contains_key("type")
        && let Some(tag) = object.remove("c")
    {
        object.insert("type".to_owned(), tag);
    }
    serde_json::from_value(value).map_err(ReadError::Json)
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
    /// The teacher whose game it is (none: saved before games had owners,
    /// so the server's owner's).
    pub owner: Option<i64>,
}

/// One saved command, as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedCommand {
    /// When, on the room's clock, to the nanosecond: a replay decides
    /// every deadline exactly as it was decided.
    pub at: Duration,
    /// The command as JSON ([`read_command`]).
    pub json: String,
    /// The journal version that wrote it ([`JOURNAL_VERSION`]).
    pub version: u32,
}

/// A room read back from the database.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedRoom {
    /// The highest place in its journal.
    pub last_seq: u64,
    /// The audit record.
    pub record: RoomRecord,
    /// Its commands, in the order they were applied.
    pub commands: Vec<SavedCommand>,
    /// `(seat token, player number)`.
    pub seats: Vec<(String, u32)>,
}

/// A saved game, as the teacher page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomSummary {
    /// The room's code.
    pub code: String,
    /// The board's id.
    pub board_id: String,
    /// The host's secret key.
    pub host_key: String,
    /// The teacher whose game it is.
    pub owner: i64,
}

/// The open journal: one engine or the other, each method meaning the same
/// on both. Every method is async: SQLite's run on tokio's blocking
/// threads, PostgreSQL's over the network, so a room's task never blocks a
/// worker thread while its burst is saved.
pub enum Store {
    /// The embedded file (the default).
    Sqlite(Arc<Sqlite>),
    /// A PostgreSQL server shared by a cluster of servers.
    #[cfg(feature = "cluster")]
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
    /// reported and left untouched; one written by an older release is
    /// copied aside before it is upgraded.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Sqlite::open(path).map(|db| Store::Sqlite(Arc::new(db)))
    }

    /// A database in memory, for a server that keeps no data folder: its
    /// sessions live as long as it does.
    pub fn in_memory() -> Store {
        Store::Sqlite(Arc::new(Sqlite::in_memory()))
    }

    /// Moves the SQLite database at `path` (and its WAL files) aside, so a
    /// fresh one can be created; returns where it went. Nothing is deleted.
    pub fn set_aside(path: &Path) -> Result<Option<PathBuf>, StoreError> {
        Sqlite::set_aside(path)
    }

    /// The shared database, when this server is one of a cluster.
    #[cfg(feature = "cluster")]
    pub fn postgres(&self) -> Option<&Postgres> {
        match self {
            Store::Sqlite(_) => None,
            Store::Postgres(db) => Some(db),
        }
    }

    /// Where the database is, for messages (never a password).
    pub fn place(&self) -> String {
        match self {
            Store::Sqlite(db) => db.place(),
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.place().to_owned(),
        }
    }

    /// Runs `work` on the SQLite file on a blocking thread.
    async fn sqlite<T: Send + 'static>(
        db: &Arc<Sqlite>,
        work: impl FnOnce(&Sqlite) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let db = db.clone();
        let place = db.place();
        tokio::task::spawn_blocking(move || work(&db))
            .await
            .map_err(|e| StoreError::new(place, format!("the database task failed: {e}")))?
    }

    /// Records a new room; `false` if its code is taken (on PostgreSQL,
    /// by any server of the cluster).
    pub async fn create_room(&self, record: &RoomRecord) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(db) => {
                let record = record.clone();
                Store::sqlite(db, move |db| db.create_room(&record)).await
            }
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.create_room(record).await,
        }
    }

    /// Commits a burst of journal entries (the commands, and the seats they
    /// made or took away) in one transaction: all of them are saved, or
    /// none. In a cluster the write is refused unless this server still
    /// holds the room's lease ([`StoreError::room_lost`]).
    pub async fn append(&self, room: &str, entries: Vec<JournalEntry>) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        match self {
            Store::Sqlite(db) => {
                let room = room.to_owned();
                Store::sqlite(db, move |db| db.append(&room, &entries)).await
            }
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.append(room, &entries).await,
        }
    }

    /// One saved room with its commands and seats.
    pub async fn load_room(&self, code: &str) -> Result<Option<SavedRoom>, StoreError> {
        match self {
            Store::Sqlite(db) => {
                let code = code.to_owned();
                Store::sqlite(db, move |db| db.load_room(&code)).await
            }
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.load_room(code).await,
        }
    }

    /// Every saved room, oldest first, with its commands and seats.
    pub async fn load_rooms(&self) -> Result<Vec<SavedRoom>, StoreError> {
        let mut rooms = Vec::new();
        for summary in self.list_rooms().await? {
            // A room deleted in between is simply not there.
            if let Some(room) = self.load_room(&summary.code).await? {
                rooms.push(room);
            }
        }
        Ok(rooms)
    }

    /// Every saved game, oldest first.
    pub async fn list_rooms(&self) -> Result<Vec<RoomSummary>, StoreError> {
        match self {
            Store::Sqlite(db) => Store::sqlite(db, Sqlite::list_rooms).await,
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.list_rooms().await,
        }
    }

    /// Rooms with no command for longer than `idle`, and rooms nobody ever
    /// joined with no command for longer than `idle_empty`.
    pub async fn idle_rooms(
        &self,
        idle: Duration,
        idle_empty: Duration,
    ) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Sqlite(db) => Store::sqlite(db, move |db| db.idle_rooms(idle, idle_empty)).await,
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.idle_rooms(idle, idle_empty).await,
        }
    }

    /// Deletes a room and everything saved with it.
    pub async fn delete_room(&self, code: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(db) => {
                let code = code.to_owned();
                Store::sqlite(db, move |db| db.delete_room(&code)).await
            }
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.delete_room(code).await,
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
