//! The shared journal: a PostgreSQL server that several Buzzboard servers
//! use at once (`--database-url postgres://...`).
//!
//! It keeps the same journal as the SQLite file (rooms, their commands with
//! their room-clock times, seats) and two things a cluster needs:
//!
//! - **Leases**: one row per running room naming the server that owns it,
//!   an epoch that grows at every change of owner, and an expiry the owner
//!   keeps pushing forward. A server takes a room only when it has no lease
//!   or its lease has run out; the database decides, so two servers never
//!   both win.
//! - **Fencing**: every journal write names the epoch its server was given
//!   and takes a share lock on the lease row in the same statement. A write
//!   from a server that lost the room (its epoch is gone) saves nothing and
//!   is refused, and a takeover waits for any write already holding the row,
//!   so the new owner's replay sees every command the old owner was told
//!   was saved.
//!
//! A small pool of pipelined connections: each journal write is one
//! statement (its own transaction), so any connection serves any room, and
//! tokio-postgres sends statements from many rooms over one connection
//! without waiting. PostgreSQL runs one connection's statements one after
//! another, so [`CONNECTIONS`] of them let commits of different rooms
//! proceed (and share WAL flushes) at once; one room's commits never
//! overlap (its task waits for each). A dropped connection is opened again
//! at its next use.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_postgres::{Client, Config, NoTls};

use super::{
    JOURNAL_VERSION, JournalEntry, RoomRecord, RoomSummary, SavedCommand, SavedRoom, StoreError,
    idle_cutoffs, now_unix_ms,
};

/// Connections each server keeps to the database.
pub const CONNECTIONS: usize = 4;

/// Who holds a room.
#[derive(Debug, Clone, PartialEq)]
pub enum Lease {
    /// This server does now, under this epoch.
    Mine(i64),
    /// Another server does, reachable at `address`, for at most `remaining`
    /// unless it renews.
    Held {
        /// The owner's address for other servers (`host:port`).
        address: String,
        /// Time left on its lease.
        remaining: Duration,
    },
    /// No room has this code.
    NoSuchRoom,
}

/// The shared PostgreSQL database, as one server of a cluster sees it.
pub struct Postgres {
    config: Config,
    /// Where the database is, for messages (no password).
    place: String,
    /// The pool, used in turn.
    clients: Vec<Mutex<Arc<Client>>>,
    next: std::sync::atomic::AtomicUsize,
    /// This server's id in the lease table: new at every start, so a
    /// restarted server never mistakes its old leases for its own.
    server: String,
    /// This server's address for the others (`host:port`).
    address: String,
    /// The epoch of each room this server holds.
    epochs: Mutex<HashMap<String, i64>>,
}

const SCHEMA: &str = "
    SET LOCAL client_min_messages = warning;
    SELECT pg_advisory_xact_lock(7340421);
    CREATE TABLE IF NOT EXISTS rooms (
        code TEXT PRIMARY KEY,
        board_id TEXT NOT NULL,
        board_toml TEXT NOT NULL,
        host_key TEXT NOT NULL,
        created_unix_ms BIGINT NOT NULL,
        active_unix_ms BIGINT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS commands (
        room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
        seq BIGINT NOT NULL,
        at_ns BIGINT NOT NULL,
        command TEXT NOT NULL,
        PRIMARY KEY (room, seq)
    );
    ALTER TABLE commands ADD COLUMN IF NOT EXISTS version BIGINT NOT NULL DEFAULT 0;
    CREATE TABLE IF NOT EXISTS seats (
        room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
        token TEXT NOT NULL,
        player INTEGER NOT NULL,
        PRIMARY KEY (room, token)
    );
    CREATE TABLE IF NOT EXISTS leases (
        room TEXT PRIMARY KEY REFERENCES rooms(code) ON DELETE CASCADE,
        owner TEXT NOT NULL,
        address TEXT NOT NULL,
        epoch BIGINT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX IF NOT EXISTS leases_by_owner ON leases (owner);
    CREATE SEQUENCE IF NOT EXISTS saved_files_version;
    CREATE TABLE IF NOT EXISTS saved_files (
        name TEXT PRIMARY KEY,
        bytes BYTEA NOT NULL,
        version BIGINT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    ALTER TABLE rooms ADD COLUMN IF NOT EXISTS owner BIGINT;
    CREATE SEQUENCE IF NOT EXISTS teacher_ids START 2;
    CREATE TABLE IF NOT EXISTS teachers (
        id BIGINT PRIMARY KEY DEFAULT nextval('teacher_ids'),
        email TEXT UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT,
        admin BIGINT NOT NULL DEFAULT 0,
        disabled BIGINT NOT NULL DEFAULT 0,
        created_unix_ms BIGINT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sign_in_links (
        digest TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        teacher BIGINT,
        email TEXT,
        created_by BIGINT NOT NULL,
        expires_unix_ms BIGINT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS board_owners (
        board TEXT PRIMARY KEY,
        owner BIGINT NOT NULL,
        shared BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS admin_log (
        at_unix_ms BIGINT NOT NULL,
        actor BIGINT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sessions (
        id_digest TEXT PRIMARY KEY,
        teacher BIGINT,
        created_unix_ms BIGINT NOT NULL,
        expires_unix_ms BIGINT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS session_rooms (
        session TEXT NOT NULL REFERENCES sessions(id_digest) ON DELETE CASCADE,
        room TEXT NOT NULL,
        key_digest TEXT NOT NULL,
        PRIMARY KEY (session, room)
    );
";

/// Journal writes, fenced by the lease: one statement (so one transaction)
/// for a whole burst of entries. Nothing is written unless the lease row
/// still names this server and epoch, and the row is share-locked until
/// the write commits, so a takeover (which updates the row) waits for it or
/// makes it save nothing.
const APPEND: &str = "
    WITH lease AS (
        SELECT 1 FROM leases WHERE room = $1::text AND owner = $2::text AND epoch = $3::bigint
        FOR SHARE
    ), entries AS (
        SELECT * FROM unnest($4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::integer[])
            AS e(seq, at_ns, command, token, player)
    ), command AS (
        INSERT INTO commands (room, seq, at_ns, command, version)
        SELECT $1::text, seq, at_ns, command, $11::bigint FROM entries, lease
        RETURNING 1
    ), seat AS (
        INSERT INTO seats (room, token, player)
        SELECT $1::text, token, player FROM entries, lease WHERE token IS NOT NULL
        RETURNING 1
    ), forget AS (
        DELETE FROM seats WHERE room = $1::text AND player = ANY($9::integer[])
        AND EXISTS (SELECT 1 FROM lease)
        RETURNING 1
    ), touch AS (
        UPDATE rooms SET active_unix_ms = $10::bigint
        WHERE code = $1::text AND EXISTS (SELECT 1 FROM lease)
        RETURNING 1
    )
    SELECT count(*) FROM command";

/// Takes a room that has no lease, or whose lease has run out.
const ACQUIRE: &str = "
    INSERT INTO leases (room, owner, address, epoch, expires_at)
    SELECT code, $2::text, $3::text, 1, now() + make_interval(secs => $4::float8)
    FROM rooms WHERE code = $1::text
    ON CONFLICT (room) DO UPDATE
    SET owner = EXCLUDED.owner, address = EXCLUDED.address,
        epoch = leases.epoch + 1, expires_at = EXCLUDED.expires_at
    WHERE leases.expires_at < now()
    RETURNING epoch";

impl Postgres {
    /// Connects to `url`, creates the tables if they are missing, and joins
    /// the cluster as a new server reachable by the others at `address`.
    pub async fn connect(url: &str, address: &str) -> Result<Postgres, StoreError> {
        let config: Config = url.parse().map_err(|e| {
            StoreError::new(
                "--database-url",
                format!("is not a PostgreSQL address like postgres://user@host/db: {e}"),
            )
        })?;
        let place = describe(&config);
        let client = open(&config, &place).await?;
        client
            .batch_execute(&format!("BEGIN; {SCHEMA} COMMIT;"))
            .await
            .map_err(|e| StoreError::caused_by(place.clone(), e))?;
        // The newest journal version any server of the cluster writes: a
        // server older than that refuses to start (docs/reliability.md).
        let newest: String = client
            .query_one(
                "INSERT INTO settings (name, value) VALUES ('journal_version', $1::text)
                 ON CONFLICT (name) DO UPDATE
                 SET value = GREATEST(settings.value::bigint, EXCLUDED.value::bigint)::text
                 RETURNING value",
                &[&JOURNAL_VERSION.to_string()],
            )
            .await
            .map_err(|e| StoreError::caused_by(place.clone(), e))?
            .get(0);
        if newest.parse::<u32>().unwrap_or(u32::MAX) > JOURNAL_VERSION {
            return Err(StoreError::new(
                place,
                format!(
                    "servers of a newer Buzzboard (journal version {newest}) use this database; this one writes version {JOURNAL_VERSION}: upgrade it before starting it (docs/reliability.md, Upgrades)"
                ),
            ));
        }
        let mut clients = vec![Mutex::new(Arc::new(client))];
        for _ in 1..CONNECTIONS {
            clients.push(Mutex::new(Arc::new(open(&config, &place).await?)));
        }
        Ok(Postgres {
            config,
            place,
            clients,
            next: std::sync::atomic::AtomicUsize::new(0),
            server: crate::secret::Token::generate().as_str().to_owned(),
            address: address.to_owned(),
            epochs: Mutex::default(),
        })
    }

    /// Where the database is, for messages.
    pub fn place(&self) -> &str {
        &self.place
    }

    /// This server's address for the others.
    pub fn address(&self) -> &str {
        &self.address
    }

    fn error(&self, e: tokio_postgres::Error) -> StoreError {
        StoreError::caused_by(self.place.clone(), e)
    }

    /// The pool's next connection, opened again if it dropped.
    async fn client(&self) -> Result<Arc<Client>, StoreError> {
        let slot = &self.clients
            [self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.clients.len()];
        let current = slot.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if !current.is_closed() {
            return Ok(current);
        }
        let fresh = Arc::new(open(&self.config, &self.place).await?);
        *slot.lock().unwrap_or_else(|p| p.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    /// Runs a query on the pool's next connection.
    pub(crate) async fn rows(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<tokio_postgres::Row>, StoreError> {
        self.client()
            .await?
            .query(sql, params)
            .await
            .map_err(|e| self.error(e))
    }

    fn epochs(&self) -> std::sync::MutexGuard<'_, HashMap<String, i64>> {
        self.epochs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The key teachers use on every server: the first server to start
    /// saves `proposed`; everyone then reads the saved one.
    pub async fn teacher_key(&self, proposed: &str) -> Result<String, StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO settings (name, value) VALUES ('teacher_key', $1::text)
                 ON CONFLICT (name) DO NOTHING",
                &[&proposed],
            )
            .await
            .map_err(|e| self.error(e))?;
        let row = client
            .query_one("SELECT value FROM settings WHERE name = 'teacher_key'", &[])
            .await
            .map_err(|e| self.error(e))?;
        Ok(row.get(0))
    }

    /// Records a new room; `false` if its code is taken (the database
    /// decides, across every server).
    pub async fn create_room(&self, record: &RoomRecord) -> Result<bool, StoreError> {
        let now = now_unix_ms();
        let inserted = self
            .client()
            .await?
            .execute(
                "INSERT INTO rooms (code, board_id, board_toml, host_key, created_unix_ms, active_unix_ms, owner)
                 VALUES ($1::text, $2::text, $3::text, $4::text, $5::bigint, $5::bigint, $6::bigint)
                 ON CONFLICT (code) DO NOTHING",
                &[
                    &record.code,
                    &record.board_id,
                    &record.board_toml,
                    &record.host_key,
                    &now,
                    &record.owner,
                ],
            )
            .await
            .map_err(|e| self.error(e))?;
        Ok(inserted == 1)
    }

    /// Commits a burst of journal entries in one transaction, fenced by
    /// this server's lease on `room`: all of them are saved, or none.
    pub async fn append(&self, room: &str, entries: &[JournalEntry]) -> Result<(), StoreError> {
        let Some(epoch) = self.epochs().get(room).copied() else {
            return Err(StoreError {
                room_lost: true,
                ..StoreError::new(
                    self.place.clone(),
                    format!("this server no longer holds room {room}"),
                )
            });
        };
        let mut seqs = Vec::with_capacity(entries.len());
        let mut times = Vec::with_capacity(entries.len());
        let mut commands = Vec::with_capacity(entries.len());
        let mut tokens: Vec<Option<&str>> = Vec::with_capacity(entries.len());
        let mut players: Vec<Option<i32>> = Vec::with_capacity(entries.len());
        let mut forget: Vec<i32> = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            seqs.push(entry.seq as i64);
            times.push(entry.at.as_nanos() as i64);
            commands.push(entry.command_json(room, &self.place)?);
            // A seat made and taken away in the same burst is never saved
            // (one statement cannot delete what it inserts).
            let seat = entry.new_seat.as_ref().filter(|(_, player)| {
                !entries[index..]
                    .iter()
                    .any(|later| later.forget_seats_of == Some(*player))
            });
            tokens.push(seat.map(|(token, _)| token.as_str()));
            players.push(seat.map(|(_, player)| player.0 as i32));
            if let Some(player) = entry.forget_seats_of {
                forget.push(player.0 as i32);
            }
        }
        let row = self
            .client()
            .await?
            .query_one(
                APPEND,
                &[
                    &room,
                    &self.server,
                    &epoch,
                    &seqs,
                    &times,
                    &commands,
                    &tokens,
                    &players,
                    &forget,
                    &now_unix_ms(),
                    &i64::from(JOURNAL_VERSION),
                ],
            )
            .await
            .map_err(|e| self.error(e))?;
        if row.get::<_, i64>(0) == entries.len() as i64 {
            Ok(())
        } else {
            self.epochs().remove(room);
            Err(StoreError {
                room_lost: true,
                ..StoreError::new(
                    self.place.clone(),
                    format!("room {room} was taken over by another server; nothing was saved"),
                )
            })
        }
    }

    /// Takes `code` for this server for `lease`, unless another server holds
    /// it.
    pub async fn acquire(&self, code: &str, lease: Duration) -> Result<Lease, StoreError> {
        let client = self.client().await?;
        let taken = client
            .query_opt(
                ACQUIRE,
                &[&code, &self.server, &self.address, &lease.as_secs_f64()],
            )
            .await
            .map_err(|e| self.error(e))?;
        if let Some(row) = taken {
            let epoch: i64 = row.get(0);
            self.epochs().insert(code.to_owned(), epoch);
            return Ok(Lease::Mine(epoch));
        }
        let held = client
            .query_opt(
                "SELECT address, GREATEST(EXTRACT(EPOCH FROM (expires_at - now())), 0)::float8
                 FROM leases WHERE room = $1::text",
                &[&code],
            )
            .await
            .map_err(|e| self.error(e))?;
        Ok(match held {
            Some(row) => Lease::Held {
                address: row.get(0),
                remaining: Duration::from_secs_f64(row.get::<_, f64>(1)),
            },
            // The room was deleted between the two statements, or never was.
            None => Lease::NoSuchRoom,
        })
    }

    /// Pushes every lease this server holds `lease` into the future; returns
    /// the rooms it still holds (a room missing from the answer was taken
    /// over or deleted, and must stop here). Only leases under the epoch
    /// this server was given are renewed, so a room it gave up is never
    /// kept from the others.
    pub async fn renew(&self, lease: Duration) -> Result<HashSet<String>, StoreError> {
        let before = self.epochs().clone();
        let (rooms, epochs): (Vec<&str>, Vec<i64>) = before
            .iter()
            .map(|(room, epoch)| (room.as_str(), *epoch))
            .unzip();
        let rows = self
            .rows(
                "UPDATE leases SET expires_at = now() + make_interval(secs => $4::float8)
                 WHERE owner = $1::text
                 AND (room, epoch) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))
                 RETURNING room, epoch",
                &[&self.server, &rooms, &epochs, &lease.as_secs_f64()],
            )
            .await?;
        let held: HashMap<String, i64> = rows
            .iter()
            .map(|row| (row.get::<_, String>(0), row.get::<_, i64>(1)))
            .collect();
        // Only rooms held before the renewal can have been lost by it: a
        // room taken while it ran is left alone.
        let mut epochs = self.epochs();
        for (room, epoch) in before {
            if held.get(&room) != Some(&epoch) && epochs.get(&room) == Some(&epoch) {
                epochs.remove(&room);
            }
        }
        Ok(epochs.keys().cloned().collect())
    }

    /// Forgets that this server holds `code` (fencing its writes from now
    /// on) and, when `release`, hands the lease back at once so another
    /// server can take the room without waiting for it to run out.
    pub async fn give_up(&self, code: &str, release: bool) -> Result<(), StoreError> {
        let Some(epoch) = self.epochs().remove(code) else {
            return Ok(());
        };
        if release {
            self.client()
                .await?
                // Expired, not deleted: the next owner's epoch goes on
                // from this one, so fencing never depends on an epoch
                // being reused.
                .execute(
                    "UPDATE leases SET expires_at = now() - interval '1 millisecond'
                     WHERE room = $1::text AND owner = $2::text AND epoch = $3::bigint",
                    &[&code, &self.server, &epoch],
                )
                .await
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// Hands back every lease this server holds (a clean shutdown).
    pub async fn release_all(&self) -> Result<(), StoreError> {
        self.epochs().clear();
        self.client()
            .await?
            .execute(
                "UPDATE leases SET expires_at = now() - interval '1 millisecond' WHERE owner = $1::text",
                &[&self.server],
            )
            .await
            .map_err(|e| self.error(e))?;
        Ok(())
    }

    /// One room with its commands and seats.
    pub async fn load_room(&self, code: &str) -> Result<Option<SavedRoom>, StoreError> {
        let client = self.client().await?;
        let Some(row) = client
            .query_opt(
                "SELECT code, board_id, board_toml, host_key, owner FROM rooms WHERE code = $1::text",
                &[&code],
            )
            .await
            .map_err(|e| self.error(e))?
        else {
            return Ok(None);
        };
        let record = RoomRecord {
            code: row.get(0),
            board_id: row.get(1),
            board_toml: row.get(2),
            host_key: row.get(3),
            owner: row.get(4),
        };
        let commands = client
            .query(
                "SELECT at_ns, command, seq, version FROM commands WHERE room = $1::text ORDER BY seq",
                &[&code],
            )
            .await
            .map_err(|e| self.error(e))?;
        let last_seq = commands.last().map_or(0, |row| row.get::<_, i64>(2) as u64);
        let commands = commands
            .iter()
            .map(|row| SavedCommand {
                at: Duration::from_nanos(row.get::<_, i64>(0) as u64),
                json: row.get(1),
                version: u32::try_from(row.get::<_, i64>(3)).unwrap_or(u32::MAX),
            })
            .collect();
        let seats = client
            .query(
                "SELECT token, player FROM seats WHERE room = $1::text",
                &[&code],
            )
            .await
            .map_err(|e| self.error(e))?
            .iter()
            .map(|row| (row.get::<_, String>(0), row.get::<_, i32>(1) as u32))
            .collect();
        Ok(Some(SavedRoom {
            last_seq,
            record,
            commands,
            seats,
        }))
    }

    /// Shares one file of the saved-boards folder (a board, or a picture or
    /// sound of one) with every server.
    pub async fn put_file(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO saved_files (name, bytes, version)
                 VALUES ($1::text, $2::bytea, nextval('saved_files_version'))
                 ON CONFLICT (name) DO UPDATE SET bytes = EXCLUDED.bytes, version = EXCLUDED.version",
                &[&name, &bytes],
            )
            .await
            .map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Files of the saved-boards folder shared after `version`:
    /// `(name, bytes, version)`, oldest first.
    pub async fn files_since(
        &self,
        version: i64,
    ) -> Result<Vec<(String, Vec<u8>, i64)>, StoreError> {
        let rows = self
            .rows(
                "SELECT name, bytes, version FROM saved_files WHERE version > $1::bigint ORDER BY version",
                &[&version],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect())
    }

    /// Every saved game, oldest first.
    pub async fn list_rooms(&self) -> Result<Vec<RoomSummary>, StoreError> {
        let rows = self
            .rows(
                "SELECT code, board_id, host_key, owner FROM rooms ORDER BY created_unix_ms, code",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|row| RoomSummary {
                code: row.get(0),
                board_id: row.get(1),
                host_key: row.get(2),
                owner: row
                    .get::<_, Option<i64>>(3)
                    .unwrap_or(super::accounts::OWNER),
            })
            .collect())
    }

    /// Rooms with no command for longer than `idle`, and rooms nobody ever
    /// joined with no command for longer than `idle_empty`.
    pub async fn idle_rooms(
        &self,
        idle: Duration,
        idle_empty: Duration,
    ) -> Result<Vec<String>, StoreError> {
        let (cutoff, cutoff_empty) = idle_cutoffs(idle, idle_empty);
        let rows = self
            .rows(
                "SELECT code FROM rooms r WHERE active_unix_ms <= $1::bigint
                 OR (active_unix_ms <= $2::bigint AND NOT EXISTS (SELECT 1 FROM seats s WHERE s.room = r.code))",
                &[&cutoff, &cutoff_empty],
            )
            .await?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    /// Deletes a room and everything saved with it.
    pub async fn delete_room(&self, code: &str) -> Result<(), StoreError> {
        self.execute("DELETE FROM rooms WHERE code = $1::text", &[&code])
            .await
            .map(|_| ())
    }

    /// Runs a statement on the pool's next connection; returns the rows it
    /// changed.
    pub(crate) async fn execute(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<u64, StoreError> {
        self.client()
            .await?
            .execute(sql, params)
            .await
            .map_err(|e| self.error(e))
    }
}

async fn open(config: &Config, place: &str) -> Result<Client, StoreError> {
    let (client, connection) = tokio::time::timeout(Duration::from_secs(10), config.connect(NoTls))
        .await
        .map_err(|_| {
            StoreError::new(
                place,
                "no answer within 10 s; check that PostgreSQL runs there (--database-url)",
            )
        })?
        .map_err(|e| {
            let cause = std::error::Error::source(&e)
                .map(|cause| format!(": {cause}"))
                .unwrap_or_default();
            StoreError {
                place: place.to_owned(),
                message: format!(
                    "cannot connect ({e}{cause}); check that PostgreSQL runs there and accepts this user (--database-url)"
                ),
                source: Some(Box::new(e)),
                room_lost: false,
            }
        })?;
    let place = place.to_owned();
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!("the connection to {place} ended: {e}");
        }
    });
    Ok(client)
}

/// `host:port/database`, for messages: never the password.
fn describe(config: &Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().unwrap_or("");
    format!("postgres://{host}:{port}/{db}")
}

#[cfg(test)]
mod tests {
    //! What the shared database is called in messages.
    use super::*;

    #[test]
    fn the_database_is_named_in_messages_without_its_password() {
        let config: Config = "postgres://buzzboard:s3cret@db.internal:6543/quiz"
            .parse()
            .unwrap();
        let place = describe(&config);
        assert_eq!(place, "postgres://db.internal:6543/quiz");
        assert!(!place.contains("s3cret"));
    }
}
