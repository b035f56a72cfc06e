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

use rusqlite::{Connection, OptionalExtension, params};

use super::sql::Value;
use super::{
    JOURNAL_VERSION, JournalEntry, RoomRecord, RoomSummary, SavedCommand, SavedRoom, StoreError,
    idle_cutoffs, now_unix_ms,
};

/// The tables' version (`PRAGMA user_version`):
/// 1: rooms, commands, seats; 2: each command carries its journal version;
/// 3: teachers, sessions, sign-in links, the admin log, each room's owner.
const SCHEMA_VERSION: i64 = 3;

/// The account tables (schema 3), created with the others or added to an
/// older database.
const CREATE_ACCOUNTS: &str = "
    CREATE TABLE teachers (
        id INTEGER PRIMARY KEY,
        email TEXT UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT,
        admin INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_unix_ms INTEGER NOT NULL
    );
    CREATE TABLE sign_in_links (
        digest TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        teacher INTEGER,
        email TEXT,
        created_by INTEGER NOT NULL,
        expires_unix_ms INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE board_owners (
        board TEXT PRIMARY KEY,
        owner INTEGER NOT NULL,
        shared INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE admin_log (
        at_unix_ms INTEGER NOT NULL,
        actor INTEGER NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id_digest TEXT PRIMARY KEY,
        teacher INTEGER,
        created_unix_ms INTEGER NOT NULL,
        expires_unix_ms INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE session_rooms (
        session TEXT NOT NULL REFERENCES sessions(id_digest) ON DELETE CASCADE,
        room TEXT NOT NULL,
        key_digest TEXT NOT NULL,
        PRIMARY KEY (session, room)
    ) WITHOUT ROWID;";

/// The tables as this release creates them.
const CREATE: &str = "
    CREATE TABLE rooms (
        code TEXT PRIMARY KEY,
        board_id TEXT NOT NULL,
        board_toml TEXT NOT NULL,
        host_key TEXT NOT NULL,
        created_unix_ms INTEGER NOT NULL,
        active_unix_ms INTEGER NOT NULL,
        owner INTEGER
    );
    CREATE TABLE commands (
        room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at_ns INTEGER NOT NULL,
        command TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (room, seq)
    ) WITHOUT ROWID;
    CREATE TABLE seats (
        room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
        token TEXT NOT NULL,
        player INTEGER NOT NULL,
        PRIMARY KEY (room, token)
    ) WITHOUT ROWID;";

/// Copies the database, as it is, next to it before an upgrade:
/// `buzzboard.db.before-schema-2-<unix ms>`, for this user only.
fn backup(connection: &Connection, path: &Path, version: i64) -> Result<PathBuf, String> {
    let copy = path.with_extension(format!("db.schema-{version}-backup-{}", now_unix_ms()));
    super::write_private(&copy, b"").map_err(|e| {
        format!(
            "cannot make a copy at {} before upgrading it: {e}",
            copy.display()
        )
    })?;
    connection
        .execute("VACUUM INTO ?1", [copy.display().to_string()])
        .map_err(|e| {
            format!(
                "cannot copy it to {} before upgrading it: {e}",
                copy.display()
            )
        })?;
    Ok(copy)
}

/// Upgrades the tables from schema `from`, in one transaction.
fn migrate(connection: &Connection, from: i64) -> rusqlite::Result<()> {
    let mut steps = String::from("BEGIN;");
    if from < 2 {
        // Commands saved before journals carried their version are of
        // version 0.
        steps.push_str("ALTER TABLE commands ADD COLUMN version INTEGER NOT NULL DEFAULT 0;");
    }
    if from < 3 {
        steps.push_str("ALTER TABLE rooms ADD COLUMN owner INTEGER;");
        steps.push_str(CREATE_ACCOUNTS);
    }
    steps.push_str(&format!("PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"));
    connection.execute_batch(&steps)
}

/// Creates every table of this release in an empty database.
fn create(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(&format!(
        "BEGIN; {CREATE} {CREATE_ACCOUNTS} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
    ))
}

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
        let tables: i64 = connection
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                [],
                |row| row.get(0),
            )
            .map_err(|e| fail(e.to_string()))?;
        if tables == 0 {
            create(&connection).map_err(|e| fail(format!("cannot create the tables: {e}")))?;
        } else if version < SCHEMA_VERSION {
            let copy = backup(&connection, path, version).map_err(&fail)?;
            tracing::info!(
                "the games database of an older Buzzboard (schema {version}) was copied to {} before its upgrade",
                copy.display()
            );
            migrate(&connection, version).map_err(|e| {
                fail(format!(
                    "cannot upgrade it from schema {version}: {e}; the copy made before is at {}",
                    copy.display()
                ))
            })?;
        }
        Ok(Sqlite {
            path: path.to_path_buf(),
            connection: Mutex::new(connection),
        })
    }

    /// A database in memory, gone when the server stops: sessions for a
    /// server that keeps no data folder.
    pub fn in_memory() -> Sqlite {
        let connection = Connection::open_in_memory()
            .and_then(|c| {
                c.pragma_update(None, "foreign_keys", "ON")?;
                create(&c)?;
                Ok(c)
            })
            // Only a lack of memory fails here, and then nothing would run.
            .expect("cannot make a database in memory");
        Sqlite {
            path: PathBuf::from(":memory:"),
            connection: Mutex::new(connection),
        }
    }

    /// Where the database is, for messages.
    pub fn place(&self) -> String {
        self.path.display().to_string()
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

    /// Records a new room; `false` if its code is taken.
    pub fn create_room(&self, record: &RoomRecord) -> Result<bool, StoreError> {
        let now = now_unix_ms();
        self.lock()
            .execute(
                "INSERT INTO rooms (code, board_id, board_toml, host_key, created_unix_ms, active_unix_ms, owner)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6) ON CONFLICT (code) DO NOTHING",
                params![
                    record.code,
                    record.board_id,
                    record.board_toml,
                    record.host_key,
                    now,
                    record.owner
                ],
            )
            .map(|inserted| inserted == 1)
            .map_err(|e| self.error(e))
    }

    /// Commits a burst of journal entries (the commands, and the seats they
    /// made or took away) in one transaction: all of them are saved, or
    /// none.
    pub fn append(&self, room: &str, entries: &[JournalEntry]) -> Result<(), StoreError> {
        let commands = entries
            .iter()
            .map(|entry| entry.command_json(room, &self.place()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut connection = self.lock();
        let run = |connection: &mut Connection| -> rusqlite::Result<()> {
            let tx = connection.transaction()?;
            for (entry, command) in entries.iter().zip(&commands) {
                tx.execute(
                    "INSERT INTO commands (room, seq, at_ns, command, version) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![room, entry.seq as i64, entry.at.as_nanos() as i64, command, JOURNAL_VERSION],
                )?;
                if let Some((token, player)) = &entry.new_seat {
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
            }
            tx.execute(
                "UPDATE rooms SET active_unix_ms = ?2 WHERE code = ?1",
                params![room, now_unix_ms()],
            )?;
            tx.commit()
        };
        run(&mut connection).map_err(|e| self.error(e))
    }

    /// Every saved game, oldest first.
    pub fn list_rooms(&self) -> Result<Vec<RoomSummary>, StoreError> {
        let connection = self.lock();
        let list = || -> rusqlite::Result<Vec<RoomSummary>> {
            connection
                .prepare(
                    "SELECT code, board_id, host_key, owner FROM rooms ORDER BY created_unix_ms, code",
                )?
                .query_map([], |row| {
                    Ok(RoomSummary {
                        code: row.get(0)?,
                        board_id: row.get(1)?,
                        host_key: row.get(2)?,
                        owner: row.get::<_, Option<i64>>(3)?.unwrap_or(super::accounts::OWNER),
                    })
                })?
                .collect()
        };
        list().map_err(|e| self.error(e))
    }

    /// One saved room with its commands and seats.
    pub fn load_room(&self, code: &str) -> Result<Option<SavedRoom>, StoreError> {
        let connection = self.lock();
        let load = || -> rusqlite::Result<Option<SavedRoom>> {
            let record = connection
                .query_row(
                    "SELECT code, board_id, board_toml, host_key, owner FROM rooms WHERE code = ?1",
                    [code],
                    |row| {
                        Ok(RoomRecord {
                            code: row.get(0)?,
                            board_id: row.get(1)?,
                            board_toml: row.get(2)?,
                            host_key: row.get(3)?,
                            owner: row.get(4)?,
                        })
                    },
                )
                .optional()?;
            let Some(record) = record else {
                return Ok(None);
            };
            let mut last_seq = 0;
            let commands = connection
                .prepare(
                    "SELECT at_ns, command, version, seq FROM commands WHERE room = ?1 ORDER BY seq",
                )?
                .query_map([code], |row| {
                    last_seq = row.get::<_, i64>(3)? as u64;
                    Ok(SavedCommand {
                        at: Duration::from_nanos(row.get::<_, i64>(0)? as u64),
                        json: row.get(1)?,
                        version: row.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let seats = connection
                .prepare("SELECT token, player FROM seats WHERE room = ?1")?
                .query_map([code], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(SavedRoom {
                last_seq,
                record,
                commands,
                seats,
            }))
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

    /// Runs a query written for both engines ([`super::sql`]).
    pub fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, StoreError> {
        let connection = self.lock();
        let run = || -> rusqlite::Result<Vec<Vec<Value>>> {
            let mut statement = connection.prepare_cached(sql)?;
            let columns = statement.column_count();
            statement
                .query_map(rusqlite::params_from_iter(params.iter()), |row| {
                    (0..columns).map(|i| row.get::<_, Value>(i)).collect()
                })?
                .collect()
        };
        run().map_err(|e| self.error(e))
    }

    /// Runs a statement written for both engines ([`super::sql`]).
    pub fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        self.lock()
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(params.iter())))
            .map(|n| n as u64)
            .map_err(|e| self.error(e))
    }
}

#[cfg(test)]
mod tests {
    //! The database: what goes in comes back, old files are upgraded after
    //! a copy is made, and damage is reported.
    use super::super::DATABASE_FILE;
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

    fn entry(seq: u64, at_ms: u64, command: Command) -> JournalEntry {
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
            owner: Some(1),
            code: code.into(),
            board_id: "rlhf".into(),
            board_toml: "title = \"x\"".into(),
            host_key: "k".into(),
        }
    }

    fn saved(at_ms: u64, json: &str) -> SavedCommand {
        SavedCommand {
            at: Duration::from_millis(at_ms),
            json: json.to_owned(),
            version: JOURNAL_VERSION,
        }
    }

    #[test]
    fn a_room_and_its_commands_come_back_in_order_after_reopening() {
        let path = temp("roundtrip");
        {
            let db = Sqlite::open(&path).unwrap();
            assert!(db.create_room(&record("ABCDE")).unwrap());
            assert!(
                !db.create_room(&record("ABCDE")).unwrap(),
                "a code is one room"
            );
            let mut first = entry(1, 5, Command::Host(HostCommand::NextRound));
            first.new_seat = Some(("tok".into(), PlayerId(1)));
            db.append("ABCDE", &[first]).unwrap();
            db.append("ABCDE", &[entry(2, 9, Command::Host(HostCommand::Undo))])
                .unwrap();
        }
        let db = Sqlite::open(&path).unwrap();
        let room = db.load_room("ABCDE").unwrap().unwrap();
        assert_eq!(room.record, record("ABCDE"));
        assert_eq!(
            room.commands,
            vec![
                saved(5, r#"{"type":"next_round"}"#),
                saved(9, r#"{"type":"undo"}"#)
            ]
        );
        assert_eq!(room.last_seq, 2);
        assert_eq!(room.seats, vec![("tok".to_owned(), 1)]);
        db.delete_room("ABCDE").unwrap();
        assert!(db.load_room("ABCDE").unwrap().is_none());
        assert!(db.list_rooms().unwrap().is_empty());
    }

    #[test]
    fn a_burst_is_saved_whole_or_not_at_all() {
        let path = temp("burst");
        let db = Sqlite::open(&path).unwrap();
        db.create_room(&record("BURST")).unwrap();
        db.append("BURST", &[entry(1, 0, Command::Host(HostCommand::Undo))])
            .unwrap();
        // The second entry collides with the saved one: nothing of the
        // burst is kept.
        let burst = [
            entry(2, 1, Command::Host(HostCommand::Undo)),
            entry(1, 2, Command::Host(HostCommand::Undo)),
        ];
        assert!(db.append("BURST", &burst).is_err());
        assert_eq!(db.load_room("BURST").unwrap().unwrap().last_seq, 1);
    }

    #[test]
    fn a_database_of_the_previous_release_is_copied_aside_then_upgraded_and_its_games_replay() {
        let path = temp("upgrade");
        {
            // The tables exactly as the previous release (schema 1) made them.
            let old = Connection::open(&path).unwrap();
            old.execute_batch(
                "CREATE TABLE rooms (code TEXT PRIMARY KEY, board_id TEXT NOT NULL,
                    board_toml TEXT NOT NULL, host_key TEXT NOT NULL,
                    created_unix_ms INTEGER NOT NULL, active_unix_ms INTEGER NOT NULL);
                 CREATE TABLE commands (room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
                    seq INTEGER NOT NULL, at_ns INTEGER NOT NULL, command TEXT NOT NULL,
                    PRIMARY KEY (room, seq)) WITHOUT ROWID;
                 CREATE TABLE seats (room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
                    token TEXT NOT NULL, player INTEGER NOT NULL,
                    PRIMARY KEY (room, token)) WITHOUT ROWID;
                 PRAGMA user_version = 1;
                 INSERT INTO rooms VALUES ('OLDER', 'rlhf', 'title = \"x\"', 'k', 1, 1);
                 INSERT INTO commands VALUES ('OLDER', 1, 5000000, '{\"c\":\"next_round\"}');",
            )
            .unwrap();
        }
        let db = Sqlite::open(&path).unwrap();
        let room = db.load_room("OLDER").unwrap().unwrap();
        assert_eq!(room.commands[0].version, 0, "saved before versions");
        assert_eq!(
            super::super::read_command(&room.commands[0].json, 0).unwrap(),
            Command::Host(HostCommand::NextRound)
        );
        db.append("OLDER", &[entry(2, 9, Command::Host(HostCommand::Undo))])
            .unwrap();
        let room = db.load_room("OLDER").unwrap().unwrap();
        assert_eq!(room.commands[1].version, JOURNAL_VERSION);
        // The copy made before the upgrade is the old database, untouched.
        let copies: Vec<PathBuf> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.display().to_string().contains("schema-1-backup"))
            .collect();
        assert_eq!(copies.len(), 1, "{copies:?}");
        let copy = Connection::open(&copies[0]).unwrap();
        let version: i64 = copy
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, 1);
        let commands: i64 = copy
            .query_row("SELECT count(*) FROM commands", [], |row| row.get(0))
            .unwrap();
        assert_eq!(commands, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&copies[0]).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the copy is for this user only");
        }
        // Opened again, nothing more is copied.
        drop(db);
        Sqlite::open(&path).unwrap();
        let copies = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .display()
                    .to_string()
                    .contains("backup")
            })
            .count();
        assert_eq!(copies, 1);
    }

    #[test]
    fn a_command_saved_by_a_newer_release_is_refused_by_name() {
        let err = super::super::read_command(r#"{"type":"undo"}"#, JOURNAL_VERSION + 1)
            .expect_err("a newer journal is not replayed");
        assert!(err.to_string().contains("newer Buzzboard"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_with_its_path_and_left_alone() {
        let path = temp("garbage");
        std::fs::write(&path, b"this is not a database, just some words").unwrap();
        let err = Sqlite::open(&path).err().expect("garbage must be refused");
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
        assert!(err.message.contains("--fresh-database"), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"this is not a database, just some words"
        );
        let aside = Sqlite::set_aside(&path).unwrap().unwrap();
        assert!(aside.exists());
        Sqlite::open(&path).unwrap();
    }

    #[test]
    fn a_room_counts_as_idle_only_once_it_has_been_quiet_long_enough() {
        let path = temp("idle");
        let db = Sqlite::open(&path).unwrap();
        db.create_room(&record("IDLEE")).unwrap();
        assert!(
            db.idle_rooms(Duration::from_secs(3600), Duration::from_secs(3600))
                .unwrap()
                .is_empty()
        );
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(
            db.idle_rooms(Duration::ZERO, Duration::from_secs(3600))
                .unwrap(),
            vec!["IDLEE".to_owned()]
        );
    }

    #[test]
    fn removing_a_player_forgets_their_seats_with_the_command() {
        let path = temp("forget");
        let db = Sqlite::open(&path).unwrap();
        db.create_room(&record("RRRRR")).unwrap();
        let mut join = entry(1, 0, Command::Host(HostCommand::Undo));
        join.new_seat = Some(("tok".into(), PlayerId(3)));
        db.append("RRRRR", &[join]).unwrap();
        let mut removal = entry(
            2,
            1,
            Command::Host(HostCommand::RemovePlayer {
                player: PlayerId(3),
            }),
        );
        removal.forget_seats_of = Some(PlayerId(3));
        db.append("RRRRR", &[removal]).unwrap();
        assert!(db.load_room("RRRRR").unwrap().unwrap().seats.is_empty());
    }
}
