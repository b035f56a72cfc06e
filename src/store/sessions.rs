//! Who is signed in: server-side sessions, kept with the games.
//!
//! A browser holds only a random session id (in an HttpOnly cookie); the
//! database holds its SHA-256 digest, whom it signs in (a teacher, or
//! nobody but the rooms it was given), until when, and the rooms a host
//! link opened in it. A room is opened by the digest of its host key at
//! the time: a new host key shuts every session the old one opened out of
//! that room. Signing out deletes the row, and an expired session is
//! treated as gone (and swept away). Being in the database, a session is
//! valid on every server of a cluster.

use std::time::Duration;

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
        let expires = now + lifetime.as_millis() as i64;
        let id_digest = id_digest.to_owned();
        match self {
            Store::Sqlite(db) => {
                Store::sqlite(db, move |db| {
                    db.create_session(&id_digest, teacher, now, expires)
                })
                .await
            }
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.create_session(&id_digest, teacher, now, expires).await,
        }
    }

    /// The session whose id has this digest, unless it is gone or expired.
    pub async fn session(&self, id_digest: &str) -> Result<Option<SessionRecord>, StoreError> {
        let id_digest = id_digest.to_owned();
        let found = match self {
            Store::Sqlite(db) => Store::sqlite(db, move |db| db.session(&id_digest)).await?,
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.session(&id_digest).await?,
        };
        Ok(found.filter(|s| s.expires_unix_ms > now_unix_ms()))
    }

    /// Opens `room` to the session, with the digest of the host key that
    /// opened it (replacing what an older key opened).
    pub async fn open_room_to_session(
        &self,
        id_digest: &str,
        room: &str,
        key_digest: &str,
    ) -> Result<(), StoreError> {
        let (id_digest, room, key_digest) =
            (id_digest.to_owned(), room.to_owned(), key_digest.to_owned());
        match self {
            Store::Sqlite(db) => {
                Store::sqlite(db, move |db| {
                    db.open_room_to_session(&id_digest, &room, &key_digest)
                })
                .await
            }
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => {
                db.open_room_to_session(&id_digest, &room, &key_digest)
                    .await
            }
        }
    }

    /// Ends a session (signing out): it opens nothing from now on.
    pub async fn end_session(&self, id_digest: &str) -> Result<(), StoreError> {
        let id_digest = id_digest.to_owned();
        match self {
            Store::Sqlite(db) => Store::sqlite(db, move |db| db.end_session(&id_digest)).await,
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.end_session(&id_digest).await,
        }
    }

    /// Deletes the sessions that have run out; returns how many.
    pub async fn sweep_sessions(&self) -> Result<u64, StoreError> {
        let now = now_unix_ms();
        match self {
            Store::Sqlite(db) => Store::sqlite(db, move |db| db.sweep_sessions(now)).await,
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.sweep_sessions(now).await,
        }
    }

    /// Saves a room's new host key.
    pub async fn set_host_key(&self, room: &str, key: &str) -> Result<(), StoreError> {
        let (room, key) = (room.to_owned(), key.to_owned());
        match self {
            Store::Sqlite(db) => Store::sqlite(db, move |db| db.set_host_key(&room, &key)).await,
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => db.set_host_key(&room, &key).await,
        }
    }
}
