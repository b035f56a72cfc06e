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

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::board::Board;
use crate::room::RoomHandle;
use crate::rooms::Rooms;
use crate::secret::{self, Token};
use crate::store::postgres::Lease;
use crate::store::{Postgres, RoomRecord, RoomSummary, Store, StoreError};

/// How long a lease lasts unless `--lease-seconds` says otherwise: the
/// longest a room is unreachable after its server dies.
pub const DEFAULT_LEASE: Duration =
    Duration::from_millis((crate::config::DEFAULT_LEASE_SECONDS * 1000.0) as u64);

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
    /// One gate per room being looked up or taken here, so two pages
    /// arriving together for the same room do not both replay it (rooms
    /// are taken in parallel). A gate is never held while waiting for
    /// another server's lease, and is dropped from the map when the last
    /// request through it is done.
    gates: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// The last shared saved-boards file this server has written into its
    /// folder; held while fetching, so fetches do not overlap.
    files_seen: tokio::sync::Mutex<i64>,
    /// When this server last renewed its leases, in milliseconds since
    /// `started` (joining the cluster counts as the first).
    renewed_ms: AtomicU64,
    started: Instant,
}

impl Cluster {
    /// A cluster member over `store` (which must be PostgreSQL), with
    /// leases of `lease`.
    pub fn new(store: Arc<Store>, lease: Duration) -> Option<Cluster> {
        store.postgres()?;
        Some(Cluster {
            store,
            lease,
            gates: std::sync::Mutex::default(),
            files_seen: tokio::sync::Mutex::new(0),
            renewed_ms: AtomicU64::new(0),
            started: Instant::now(),
        })
    }

    fn db(&self) -> &Postgres {
        self.store
            .postgres()
            .expect("a cluster is only made over PostgreSQL")
    }

    /// Whether this server renewed its leases within the last lease: if
    /// not, it cannot reach the database and its rooms may be running
    /// elsewhere, so the load balancer should send their pages elsewhere
    /// (`/healthz` answers 503).
    pub fn is_healthy(&self) -> bool {
        let renewed = Duration::from_millis(self.renewed_ms.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(renewed) < self.lease
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
        owner: i64,
    ) -> Result<(String, Token), StoreError> {
        let host_key = Token::generate();
        loop {
            let code = secret::room_code();
            let record = RoomRecord {
                code: code.clone(),
                board_id: board.id.to_string(),
                board_toml: board_toml.clone(),
                host_key: host_key.as_str().to_owned(),
                owner: Some(owner),
            };
            if self.store.create_room(&record).await? {
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
        let _one_at_a_time = Gate::enter(&self.gates, code).await;
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
                        if problem.needs_newer_server() {
                            // Left free for a newer server; the page is
                            // asked to try again, not told the game is gone.
                            return Err(StoreError::new(
                                self.db().place(),
                                format!("room {code} was saved by a newer Buzzboard"),
                            ));
                        }
                        Ok(Place::Nowhere)
                    }
                }
            }
            Lease::Held { address, remaining } => Ok(Place::There { address, remaining }),
            Lease::NoSuchRoom => Ok(Place::Nowhere),
        }
    }

    /// Every saved game of the cluster.
    pub async fn list_rooms(&self) -> Result<Vec<RoomSummary>, StoreError> {
        self.store.list_rooms().await
    }

    /// Shares files this server just wrote into its saved-boards `folder`
    /// (named relative to it), so every server offers them. Pictures go
    /// before the board that shows them.
    pub async fn share_files(&self, folder: &Path, names: &[String]) -> Result<(), StoreError> {
        for name in names {
            let bytes = std::fs::read(folder.join(name)).map_err(|e| {
                StoreError::new(
                    self.db().place(),
                    format!("cannot read {name} to share it: {e}"),
                )
            })?;
            self.db().put_file(name, &bytes).await?;
        }
        Ok(())
    }

    /// Writes the files other servers shared since the last fetch into this
    /// server's saved-boards `folder`; returns the boards among them.
    pub async fn fetch_files(&self, folder: &Path) -> Result<Vec<PathBuf>, StoreError> {
        let mut seen = self.files_seen.lock().await;
        let files = self.db().files_since(*seen).await?;
        let mut boards = Vec::new();
        for (name, bytes, version) in files {
            // Names come from the servers' own saves; anything that could
            // leave the folder is skipped all the same.
            let safe = !name.is_empty()
                && Path::new(&name)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)));
            if safe {
                let path = folder.join(&name);
                let partial = path.with_extension("partial-from-cluster");
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&partial, &bytes))
                    .and_then(|()| std::fs::rename(&partial, &path));
                match written {
                    Ok(()) if name.ends_with(".toml") => boards.push(path),
                    Ok(()) => {}
                    Err(e) => tracing::error!("cannot write shared file {name}: {e}"),
                }
            } else {
                tracing::warn!("a shared file with an unsafe name was skipped: {name:?}");
            }
            *seen = version;
        }
        Ok(boards)
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
                    self.renewed_ms
                        .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
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

/// A room's gate, held: one request at a time looks the room up and takes
/// it over on this server.
struct Gate<'a> {
    gates: &'a std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    code: String,
    gate: Arc<tokio::sync::Mutex<()>>,
    held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl<'a> Gate<'a> {
    async fn enter(
        gates: &'a std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
        code: &str,
    ) -> Gate<'a> {
        let gate = gates
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(code.to_owned())
            .or_default()
            .clone();
        let held = Some(gate.clone().lock_owned().await);
        Gate {
            gates,
            code: code.to_owned(),
            gate,
            held,
        }
    }
}

impl Drop for Gate<'_> {
    fn drop(&mut self) {
        drop(self.held.take());
        let mut gates = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        // Only the map's handle and this one left: nobody else waits.
        if Arc::strong_count(&self.gate) == 2 {
            gates.remove(&self.code);
        }
    }
}

#[cfg(test)]
mod tests {
    //! The per-room gates of takeovers.
    use super::*;

    #[tokio::test]
    async fn one_request_at_a_time_takes_a_room_but_rooms_are_taken_in_parallel() {
        let gates = std::sync::Mutex::default();
        let first = Gate::enter(&gates, "AAAAA").await;
        // Another room's gate opens at once.
        let other = Gate::enter(&gates, "BBBBB").await;
        // The same room's waits for the first.
        let mut second = std::pin::pin!(Gate::enter(&gates, "AAAAA"));
        let waits = std::future::poll_fn(|cx| {
            std::task::Poll::Ready(second.as_mut().poll(cx).is_pending())
        })
        .await;
        assert!(waits, "a second request for the same room waits");
        drop(first);
        let second = second.await;
        drop(second);
        drop(other);
        assert!(
            gates.lock().unwrap().is_empty(),
            "gates are forgotten once nobody holds or waits for them"
        );
    }
}
