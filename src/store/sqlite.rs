//! The embedded journal: one SQLite file in the data folder, the default.
//!
//! The database runs in WAL mode with `synchronous = NORMAL`: a commit is in
//! the operating system's hands once it returns, which survives `kill -9`
//! (but not a power cut in the instant after it; see `docs/reliability.md`).
//!
//! One connection behind a std `Mutex`: writes are a few tens of microseconds
//! and never held across an `.await`, so an async lock or a pool would only
//! add cost.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, params};

use super::{JournalEntry, RoomRecord, SavedRoom, StoreError, idle_cutoffs, now_unix_ms};

const SCHEMA_VERSION: i64 = 1;

/// The open SQLite database.
pub struct Sqlite {
    path: PathBuf,
    connection: Mutex<Connection>,
}

impl Sqlite {
    /// Opens (or creates) the database at `path` and checks it is sound. A
    /// file that is not a Buzzboard database, or is damaged, is reported and
    /// left untouched.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let fail = |message: String| StoreError::new(path.display().to_string(), message);
        // Created for this user only (SQLite gives its journal files the
        // same mode): every game's answers and seat tokens are in it.
        if !path.exists() {
            let _ = super::write_private(path, b"");
        }
        let connection = Connection::open(path).map_err(|e| fail(format!("cannot open: {e}")))?;
        let check = |connection: &Connection| -> rusqlite::Result<String> {
            connection.pragma_update(None, "journal_mode", "WAL")?;
            connection.pragma_update(None, "synchronous", "NORMAL")?;
            connection.pragma_update(None, "foreign_keys", "ON")?;
            connection.busy_timeout(Duration::from_secs(5))?;
            connection.query_row("PRAGMA quick_check", [], |row| row.get::<_, String>(0))
        };
        let verdict = check(&connection).map_err(|e| {
            fail(format!(
                "is damaged or not a database ({e}); start with --fresh-database to set it aside and begin again"
            ))
        })?;
        if verdict != "ok" {
            return Err(fail(format!(
                "failed its integrity check ({verdict}); start with --fresh-database to set it aside and begin again"
            )));
        }
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| fail(e.to_string()))?;
        if version > SCHEMA_VERSION {
            return Err(fail(format!(
                "was written by a newer Buzzboard (schema {version}); upgrade, or use another --data-dir"
            )));
        }
        connection
            .execute_batch(
                "CREATE TABLE IF NOT EXISTS rooms (
                    code TEXT PRIMARY KEY,
                    board_id TEXT NOT NULL,
                    board_toml TEXT NOT NULL,
                    host_key TEXT NOT NULL,
                    created_unix_ms INTEGER NOT NULL,
                    active_unix_ms INTEGER NOT NULL
                );
                CREATE TABLE IF NOT EXISTS commands (
                    room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    at_ns INTEGER NOT NULL,
                    command TEXT NOT NULL,
                    PRIMARY KEY (room, seq)
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS seats (
                    room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
                    token TEXT NOT NULL,
                    player INTEGER NOT NULL,
                    PRIMARY KEY (room, token)
                ) WITHOUT ROWID;
                PRAGMA user_version = 1;",
            )
            .map_err(|e| fail(format!("cannot create the tables: {e}")))?;
        Ok(Sqlite {
            path: path.to_path_buf(),
            connection: Mutex::new(connection),
        })
    }

    /// Moves the database at `path` (and its WAL files) aside, so a fresh one
    /// can be created; returns where it went. Nothing is deleted.
    pub fn set_aside(path: &Path) -> Result<Option<PathBuf>, StoreError> {
        if !path.exists() {
            return Ok(None);
        }
        let aside = path.with_extension(format!("db.set-aside-{}", now_unix_ms()));
        std::fs::rename(path, &aside).map_err(|e| {
            StoreError::new(
                path.display().to_string(),
                format!("cannot move it aside to {}: {e}", aside.display()),
            )
        })?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", path.display()));
            if side.exists() {
                let _ = std::fs::rename(&side, format!("{}{suffix}", aside.display()));
            }
        }
        Ok(Some(aside))
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic mid-statement leaves SQLite itself consistent (the
        // transaction rolls back), so a poisoned lock is safe to reuse.
        self.connection.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn error(&self, e: rusqlite::Error) -> StoreError {
        StoreError::caused_by(self.path.display().to_string(), e)
    }

    /// Records a new room.
    pub fn create_room(&self, record: &RoomRecord) -> Result<(), StoreError> {
        let now = now_unix_ms();
        self.lock()
            .execute(
                "INSERT INTO rooms (code, board_id, board_toml, host_key, created_unix_ms, active_unix_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![record.code, record.board_id, record.board_toml, record.host_key, now],
            )
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    /// Commits one journal entry: the command, and the seats it made or
    /// took away, in one transaction. Either all of it is saved or none.
    pub fn append(&self, room: &str, entry: &JournalEntry<'_>) -> Result<(), StoreError> {
        let command = entry.command_json(room, &self.path.display().to_string())?;
        let mut connection = self.lock();
        let run = |connection: &mut Connection| -> rusqlite::Result<()> {
            let tx = connection.transaction()?;
            tx.execute(
                "INSERT INTO commands (room, seq, at_ns, command) VALUES (?1, ?2, ?3, ?4)",
                params![room, entry.seq as i64, entry.at.as_nanos() as i64, command],
            )?;
            if let Some((token, player)) = entry.new_seat {
                tx.execute(
                    "INSERT INTO seats (room, token, player) VALUES (?1, ?2, ?3)",
                    params![room, token, player.0],
                )?;
            }
            if let Some(player) = entry.forget_seats_of {
                tx.execute(
                    "DELETE FROM seats WHERE room = ?1 AND player = ?2",
                    params![room, player.0],
                )?;
            }
            tx.execute(
                "UPDATE rooms SET active_unix_ms = ?2 WHERE code = ?1",
                params![room, now_unix_ms()],
            )?;
            tx.commit()
        };
        run(&mut connection).map_err(|e| self.error(e))
    }

    /// Every saved room, with its commands and seats.
    pub fn load_rooms(&self) -> Result<Vec<SavedRoom>, StoreError> {
        let connection = self.lock();
        let load = || -> rusqlite::Result<Vec<SavedRoom>> {
            let mut rooms_query = connection.prepare(
                "SELECT code, board_id, board_toml, host_key FROM rooms ORDER BY created_unix_ms",
            )?;
            let records = rooms_query
                .query_map([], |row| {
                    Ok(RoomRecord {
                        code: row.get(0)?,
                        board_id: row.get(1)?,
                        board_toml: row.get(2)?,
                        host_key: row.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut commands_query = connection
                .prepare("SELECT at_ns, command, seq FROM commands WHERE room = ?1 ORDER BY seq")?;
            let mut seats_query =
                connection.prepare("SELECT token, player FROM seats WHERE room = ?1")?;
            let mut rooms = Vec::with_capacity(records.len());
            for record in records {
                let mut last_seq = 0;
                let commands = commands_query
                    .query_map([&record.code], |row| {
                        Ok((
                            Duration::from_nanos(row.get::<_, i64>(0)? as u64),
                            row.get::<_, String>(1)?,
                            row.get::<_, i64>(2)?,
                        ))
                    })?
                    .map(|row| {
                        row.map(|(at, command, seq)| {
                            last_seq = seq as u64;
                            (at, command)
                        })
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let seats = seats_query
                    .query_map([&record.code], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                rooms.push(SavedRoom {
                    last_seq,
                    record,
                    commands,
                    seats,
                });
            }
            Ok(rooms)
        };
        load().map_err(|e| self.error(e))
    }

    /// Rooms with no command for longer than `idle`, and rooms nobody ever
    /// joined with no command for longer than `idle_empty` (a room started
    /// and never used, or made by a script, goes within hours).
    pub fn idle_rooms(
        &self,
        idle: Duration,
        idle_empty: Duration,
    ) -> Result<Vec<String>, StoreError> {
        let (cutoff, cutoff_empty) = idle_cutoffs(idle, idle_empty);
        let connection = self.lock();
        let mut query = connection
            .prepare(
                "SELECT code FROM rooms r WHERE active_unix_ms <= ?1
                 OR (active_unix_ms <= ?2 AND NOT EXISTS (SELECT 1 FROM seats s WHERE s.room = r.code))",
            )
            .map_err(|e| self.error(e))?;
        query
            .query_map([cutoff, cutoff_empty], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))
    }

    /// Deletes a room and everything saved with it.
    pub fn delete_room(&self, code: &str) -> Result<(), StoreError> {
        self.lock()
            .execute("DELETE FROM rooms WHERE code = ?1", [code])
            .map(|_| ())
            .map_err(|e| self.error(e))
    }
}

#[cfg(test)]
mod tests {
    //! The database: what goes in comes back, and damage is reported.
    use super::super::{DATABASE_FILE, Store};
    use super::*;
    use crate::game::{Command, HostCommand, PlayerId};

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "buzzboard-store-{name}-{}-{}",
            std::process::id(),
            now_unix_ms()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(DATABASE_FILE)
    }

    fn entry(seq: u64, at_ms: u64, command: &Command) -> JournalEntry<'_> {
        JournalEntry {
            seq,
            at: Duration::from_millis(at_ms),
            command,
            new_seat: None,
            forget_seats_of: None,
        }
    }

    fn record(code: &str) -> RoomRecord {
        RoomRecord {
            code: code.into(),
            board_id: "rlhf".into(),
            board_toml: "title = \"x\"".into(),
            host_key: "k".into(),
        }
    }

    #[test]
    fn a_room_and_its_commands_come_back_in_order_after_reopening() {
        let path = temp("roundtrip");
        {
            let store = Store::open(&path).unwrap();
            store.create_room(&record("ABCDE")).unwrap();
            let mut first = entry(1, 5, &Command::Host(HostCommand::NextRound));
            first.new_seat = Some(("tok", PlayerId(1)));
            store.append("ABCDE", &first).unwrap();
            store
                .append("ABCDE", &entry(2, 9, &Command::Host(HostCommand::Undo)))
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let rooms = store.load_rooms().unwrap();
        assert_eq!(rooms.len(), 1);
        assert_eq!(rooms[0].record, record("ABCDE"));
        assert_eq!(
            rooms[0].commands,
            vec![
                (
                    Duration::from_millis(5),
                    r#"{"type":"next_round"}"#.to_owned()
                ),
                (Duration::from_millis(9), r#"{"type":"undo"}"#.to_owned())
            ]
        );
        assert_eq!(rooms[0].last_seq, 2);
        assert_eq!(rooms[0].seats, vec![("tok".to_owned(), 1)]);
        store.delete_room("ABCDE").unwrap();
        assert!(store.load_rooms().unwrap().is_empty());
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_with_its_path_and_left_alone() {
        let path = temp("garbage");
        std::fs::write(&path, b"this is not a database, just some words").unwrap();
        let err = Store::open(&path).err().expect("garbage must be refused");
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
        assert!(err.message.contains("--fresh-database"), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"this is not a database, just some words"
        );
        let aside = Store::set_aside(&path).unwrap().unwrap();
        assert!(aside.exists());
        Store::open(&path).unwrap();
    }

    #[test]
    fn a_room_counts_as_idle_only_once_it_has_been_quiet_long_enough() {
        let path = temp("idle");
        let store = Store::open(&path).unwrap();
        store.create_room(&record("IDLEE")).unwrap();
        assert!(
            store
                .idle_rooms(Duration::from_secs(3600), Duration::from_secs(3600))
                .unwrap()
                .is_empty()
        );
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(
            store
                .idle_rooms(Duration::ZERO, Duration::from_secs(3600))
                .unwrap(),
            vec!["IDLEE".to_owned()]
        );
    }

    #[test]
    fn a_duplicate_command_number_is_refused() {
        let path = temp("dup");
        let store = Store::open(&path).unwrap();
        store.create_room(&record("QQQQQ")).unwrap();
        store
            .append("QQQQQ", &entry(1, 0, &Command::Host(HostCommand::Undo)))
            .unwrap();
        assert!(
            store
                .append("QQQQQ", &entry(1, 0, &Command::Host(HostCommand::Undo)))
                .is_err()
        );
    }

    #[test]
    fn removing_a_player_forgets_their_seats_with_the_command() {
        let path = temp("forget");
        let store = Store::open(&path).unwrap();
        store.create_room(&record("RRRRR")).unwrap();
        let mut join = entry(1, 0, &Command::Host(HostCommand::Undo));
        join.new_seat = Some(("tok", PlayerId(3)));
        store.append("RRRRR", &join).unwrap();
        let remove = Command::Host(HostCommand::RemovePlayer {
            player: PlayerId(3),
        });
        let mut removal = entry(2, 1, &remove);
        removal.forget_seats_of = Some(PlayerId(3));
        store.append("RRRRR", &removal).unwrap();
        assert!(store.load_rooms().unwrap()[0].seats.is_empty());
    }
}
