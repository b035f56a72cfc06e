//! Who is signed in: server-side sessions, kept with the games.
//!
//! A browser holds only a random session id (in an HttpOnly cookie); the
//! database holds its SHA-256 digest, whom it signs in (a teacher, or
//! nobody but the rooms it was given), until when, and the rooms a host
//! link opened in it. A room is opened by the digest of its host key at
//! the time: a new host key shuts every session the old one opened out of
//! that room. Signing out deletes the row, and an expired session is
//! treated as gone (and swept away). Being in the database, a session is
//! valid on every server of a cluster. The statements are written once for
//! both engines ([`super::sql`]).

use std::time::Duration;

use super::sql::Value;
use super::{Store, StoreError, now_unix_ms};

/// A session read back from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// The teacher signed in, if a teacher is (else only its rooms open).
    pub teacher: Option<i64>,
    /// When it runs out (Unix milliseconds).
    pub expires_unix_ms: i64,
    /// `(room code, digest of the host key that opened it)`.
    pub rooms: Vec<(String, String)>,
}

impl SessionRecord {
    /// Whether this session was given `room` with the host key whose digest
    /// is `key_digest` (the room's current key).
    pub fn opens_room(&self, room: &str, key_digest: &str) -> bool {
        self.rooms
            .iter()
            .any(|(code, digest)| code == room && digest == key_digest)
    }
}

impl Store {
    /// Records a new session (by its id's digest), signing in `teacher`
    /// if any, for `lifetime`.
    pub async fn create_session(
        &self,
        id_digest: &str,
        teacher: Option<i64>,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        let now = now_unix_ms();
        self.execute(
            "INSERT INTO sessions (id_digest, teacher, created_unix_ms, expires_unix_ms)
             VALUES (?1, ?2, ?3, ?4)",
            vec![
                id_digest.into(),
                teacher.into(),
                now.into(),
                (now + lifetime.as_millis() as i64).into(),
            ],
        )
        .await
        .map(|_| ())
    }

    /// The session whose id has this digest, unless it is gone or expired.
    pub async fn session(&self, id_digest: &str) -> Result<Option<SessionRecord>, StoreError> {
        let rows = self
            .query(
                "SELECT teacher, expires_unix_ms FROM sessions WHERE id_digest = ?1",
                vec![id_digest.into()],
            )
            .await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let expires_unix_ms = row.get(1).and_then(Value::int).unwrap_or(0);
        if expires_unix_ms <= now_unix_ms() {
            return Ok(None);
        }
        let rooms = self
            .query(
                "SELECT room, key_digest FROM session_rooms WHERE session = ?1",
                vec![id_digest.into()],
            )
            .await?
            .iter()
            .filter_map(|row| Some((row.first()?.text()?, row.get(1)?.text()?)))
            .collect();
        Ok(Some(SessionRecord {
            teacher: row.first().and_then(Value::int),
            expires_unix_ms,
            rooms,
        }))
    }

    /// Opens `room` to the session, with the digest of the host key that
    /// opened it (replacing what an older key opened).
    pub async fn open_room_to_session(
        &self,
        id_digest: &str,
        room: &str,
        key_digest: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO session_rooms (session, room, key_digest) VALUES (?1, ?2, ?3)
             ON CONFLICT (session, room) DO UPDATE SET key_digest = excluded.key_digest",
            vec![id_digest.into(), room.into(), key_digest.into()],
        )
        .await
        .map(|_| ())
    }

    /// Ends a session (signing out): it opens nothing from now on.
    pub async fn end_session(&self, id_digest: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM sessions WHERE id_digest = ?1",
            vec![id_digest.into()],
        )
        .await
        .map(|_| ())
    }

    /// Deletes the sessions that have run out; returns how many.
    pub async fn sweep_sessions(&self) -> Result<u64, StoreError> {
        self.execute(
            "DELETE FROM sessions WHERE expires_unix_ms <= ?1",
            vec![now_unix_ms().into()],
        )
        .await
    }

    /// Saves a room's new host key.
    pub async fn set_host_key(&self, room: &str, key: &str) -> Result<(), StoreError> {
        self.execute(
            "UPDATE rooms SET host_key = ?2 WHERE code = ?1",
            vec![room.into(), key.into()],
        )
        .await
        .map(|_| ())
    }
}
