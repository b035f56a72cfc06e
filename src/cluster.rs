//! Many servers, one database: who runs each room, taking rooms over, and
//! keeping them (`--database-url postgres://...`; see `docs/scaling.md`).
//!
//! A room runs on exactly one server at a time, the holder of its lease in
//! PostgreSQL ([`crate::store::postgres`]). A server runs only the rooms it
//! holds; when a request arrives for a room it does not run, it asks the
//! database: a room with no live owner is taken (the lease is won in the
//! database, the journal replayed, the room started here); a room another
//! live server owns is forwarded to it ([`crate::web`]'s routing layer).
//! Each server renews all its leases every third of the lease time; a room
//! whose lease was lost (taken over while this server was cut off or
//! stalled) is stopped here at the next renewal, and its journal writes
//! were refused from the moment the other server took it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::board::Board;
use crate::room::RoomHandle;
use crate::rooms::Rooms;
use crate::secret::{self, Token};
use crate::store::postgres::Lease;
use crate::store::{Postgres, RoomRecord, Store, StoreError};

/// How long a lease lasts unless `--lease-seconds` says otherwise: the
/// longest a room is unreachable after its server dies.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(3);

/// Where a room runs.
#[derive(Debug)]
pub enum Place {
    /// On this server (now, if it was just taken over).
    Here(RoomHandle),
    /// On another server, at `address` (`host:port`), whose lease has
    /// `remaining` to run.
    There {
        /// The owner's address.
        address: String,
        /// Time left on the owner's lease.
        remaining: Duration,
    },
    /// Nowhere: no room has this code.
    Nowhere,
}

/// This server's part in a cluster.
pub struct Cluster {
    store: Arc<Store>,
    lease: Duration,
    /// Held while a room is being taken: one takeover at a time on this
    /// server, so two pages arriving together for the same room do not both
    /// replay it. Never held while waiting for another server's lease.
    takeover: tokio::sync::Mutex<()>,
}

impl Cluster {
    /// A cluster member over `store` (which must be PostgreSQL), with
    /// leases of `lease`.
    pub fn new(store: Arc<Store>, lease: Duration) -> Option<Cluster> {
        store.postgres()?;
        Some(Cluster {
            store,
            lease,
            takeover: tokio::sync::Mutex::new(()),
        })
    }

    fn db(&self) -> &Postgres {
        self.store
            .postgres()
            .expect("a cluster is only made over PostgreSQL")
    }

    /// How long a lease lasts.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    /// This server's address for the others.
    pub fn address(&self) -> &str {
        self.db().address()
    }

    /// Records a new room in the shared database, with a code no server has
    /// used, and leaves it for the first request to start it: the room then
    /// runs on the server the load balancer sends its code to.
    pub async fn create_room(
        &self,
        board: &Board,
        board_toml: String,
    ) -> Result<(String, Token), StoreError> {
        let host_key = Token::generate();
        loop {
            let code = secret::room_code();
            let record = RoomRecord {
                code: code.clone(),
                board_id: board.id.to_string(),
                board_toml: board_toml.clone(),
                host_key: host_key.as_str().to_owned(),
            };
            if self.db().create_room(&record).await? {
                return Ok((code, host_key));
            }
        }
    }

    /// Where `code` runs, taking it over if nobody holds it. `code` is
    /// already normalised.
    pub async fn locate(
        &self,
        rooms: &Rooms,
        code: &str,
        restore: impl FnOnce(
            crate::store::SavedRoom,
        ) -> Result<RoomHandle, crate::rooms::RestoreProblem>,
    ) -> Result<Place, StoreError> {
        if let Some(room) = rooms.get(code)
            && room.is_running()
        {
            return Ok(Place::Here(room));
        }
        let _one_at_a_time = self.takeover.lock().await;
        if let Some(room) = rooms.get(code) {
            if room.is_running() {
                return Ok(Place::Here(room));
            }
            // It stopped itself (a burst could not be saved): take it up
            // again from the journal, here or wherever it now runs.
            rooms.remove(code);
            self.db().give_up(code, true).await?;
        }
        match self.db().acquire(code, self.lease).await? {
            Lease::Mine(epoch) => {
                let started = Instant::now();
                let Some(saved) = self.db().load_room(code).await? else {
                    self.db().give_up(code, true).await?;
                    return Ok(Place::Nowhere);
                };
                let commands = saved.commands.len();
                match restore(saved) {
                    Ok(room) => {
                        tracing::info!(
                            room = code,
                            epoch,
                            commands,
                            "room taken over in {:?}",
                            started.elapsed()
                        );
                        Ok(Place::Here(room))
                    }
                    Err(problem) => {
                        tracing::error!("cannot run room {code} here: {problem}");
                        self.db().give_up(code, true).await?;
                        Ok(Place::Nowhere)
                    }
                }
            }
            Lease::Held { address, remaining } => Ok(Place::There { address, remaining }),
            Lease::NoSuchRoom => Ok(Place::Nowhere),
        }
    }

    /// Renews this server's leases for ever; a room whose lease was lost is
    /// stopped here (its pages reconnect and reach the new owner). If the
    /// database cannot be reached for a whole lease, every room is stopped:
    /// another server may already run it.
    pub async fn keep_leases(&self, rooms: &Rooms) {
        let mut last_renewed = Instant::now();
        loop {
            tokio::time::sleep(self.lease / 3).await;
            match self.db().renew(self.lease).await {
                Ok(held) => {
                    last_renewed = Instant::now();
                    self.stop_rooms_not_in(rooms, &held).await;
                }
                Err(e) => {
                    tracing::warn!("cannot renew this server's leases: {e}");
                    if last_renewed.elapsed() >= self.lease {
                        self.stop_rooms_not_in(rooms, &HashSet::new()).await;
                    }
                }
            }
        }
    }

    async fn stop_rooms_not_in(&self, rooms: &Rooms, held: &HashSet<String>) {
        for room in rooms.list() {
            if !room.is_running() {
                // Stopped by itself: its lease is handed back, so the next
                // page takes it up again from the journal at once.
                rooms.remove(room.code());
                let _ = self.db().give_up(room.code(), true).await;
            } else if !held.contains(room.code()) {
                tracing::warn!(room = room.code(), "lease lost; the room stops here");
                rooms.remove(room.code());
                let _ = self.db().give_up(room.code(), false).await;
                room.hand_over().await;
            }
        }
    }

    /// A clean shutdown: hands every room back at once, so the other servers
    /// take them without waiting for the leases to run out.
    pub async fn release_all(&self, rooms: &Rooms) {
        for room in rooms.list() {
            rooms.remove(room.code());
            room.hand_over().await;
        }
        if let Err(e) = self.db().release_all().await {
            tracing::warn!("cannot hand the rooms back: {e}");
        }
    }
}
