//! The registry of live rooms, by code; creating, restoring and retiring them.
//!
//! Creating a room picks an unused code and a host key, saves the room (with a
//! copy of its board) when there is a database, and starts the room's task.
//! At start-up every saved room is rebuilt from its commands.
//!
//! The map sits behind a std `Mutex`: it is touched only to insert, look up
//! or remove a handle, never across an `.await`, so the lock is held for
//! microseconds and an async lock would only add cost.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::board::format::{self, BoardError, MediaSource};
use crate::board::{BadBoardId, Board, BoardId, BoardLibrary};
use crate::room::{RestoreError, RoomHandle};
use crate::secret::{self, Token};
use crate::store::{RoomRecord, SavedRoom, Store, StoreError};

/// Most rooms one server holds at once, so a script creating rooms in a loop
/// cannot exhaust the server's memory.
pub const MAX_ROOMS: usize = 10_000;

/// A room nobody ever joined is deleted after this long without activity.
pub const EMPTY_ROOM_IDLE: Duration = Duration::from_secs(2 * 3600);

/// The most players a host may let into one room unless `--max-players`
/// says otherwise: a lecture hall.
pub const DEFAULT_MAX_PLAYERS: usize = 2_000;

/// Why a room could not be created.
#[derive(Debug)]
pub enum CreateError {
    /// The server holds [`MAX_ROOMS`] already.
    TooManyRooms,
    /// The database refused the new room.
    NotSaved(StoreError),
}

impl std::fmt::Display for CreateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CreateError::TooManyRooms => f.write_str("the server holds as many rooms as it may"),
            CreateError::NotSaved(_) => f.write_str("the new room could not be saved"),
        }
    }
}

impl std::error::Error for CreateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CreateError::TooManyRooms => None,
            CreateError::NotSaved(e) => Some(e),
        }
    }
}

/// Why one saved room did not come back after a restart.
#[derive(Debug)]
pub enum RestoreProblem {
    /// Its board's id is not a usable id.
    BoardId {
        /// The room's code.
        room: String,
        /// What is wrong with the id.
        source: BadBoardId,
    },
    /// Its saved copy of the board no longer passes the board checks.
    Board {
        /// The room's code.
        room: String,
        /// What the checks found.
        source: BoardError,
    },
    /// Its journal does not replay.
    Replay(RestoreError),
    /// This server keeps no games.
    NoStore,
}

impl RestoreProblem {
    /// Whether the game was saved by a newer release: another server (a
    /// newer one) can run it, this one cannot.
    pub fn needs_newer_server(&self) -> bool {
        matches!(
            self,
            RestoreProblem::Replay(RestoreError::Unreadable {
                source: crate::store::ReadError::Newer(_),
                ..
            })
        )
    }
}

impl std::fmt::Display for RestoreProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RestoreProblem::BoardId { room, source } => write!(f, "room {room}: {source}"),
            RestoreProblem::Board { room, source } => write!(f, "room {room}: {source}"),
            RestoreProblem::Replay(e) => match std::error::Error::source(e) {
                Some(cause) => write!(f, "{e}: {cause}"),
                None => write!(f, "{e}"),
            },
            RestoreProblem::NoStore => f.write_str("this server keeps no saved games"),
        }
    }
}

impl std::error::Error for RestoreProblem {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RestoreProblem::BoardId { source, .. } => Some(source),
            RestoreProblem::Board { source, .. } => Some(source),
            RestoreProblem::Replay(e) => Some(e),
            RestoreProblem::NoStore => None,
        }
    }
}

/// All live rooms.
pub struct Rooms {
    by_code: Mutex<HashMap<String, RoomHandle>>,
    store: Option<Arc<Store>>,
    /// The most players a host may let into one room.
    max_players: AtomicUsize,
}

/// Reads a restored board's media from the library's copy of that board.
struct LibraryMedia(Option<Arc<Board>>);

impl MediaSource for LibraryMedia {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.0
            .as_ref()
            .and_then(|b| b.media.get(path))
            .map(|m| m.bytes.clone())
            .ok_or_else(|| format!("{path} is no longer in the boards folder"))
    }
}

impl Rooms {
    /// Rooms saved in `store` (when given).
    pub fn new(store: Option<Arc<Store>>) -> Rooms {
        Rooms {
            by_code: Mutex::default(),
            store,
            max_players: AtomicUsize::new(DEFAULT_MAX_PLAYERS),
        }
    }

    /// Where games are saved, if they are.
    pub fn store(&self) -> Option<&Arc<Store>> {
        self.store.as_ref()
    }

    /// Sets the most players a host may let into one room (`--max-players`),
    /// for rooms created or restored from now on.
    pub fn set_max_players(&self, max: usize) {
        self.max_players
            .store(max.clamp(1, crate::game::MAX_PLAYERS), Ordering::Relaxed);
    }

    fn max_players(&self) -> usize {
        self.max_players.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, RoomHandle>> {
        // A panic while holding this lock cannot leave the map half-updated
        // (each use is a single insert, get or remove), so a poisoned lock is
        // safe to use.
        self.by_code.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a room playing `board`; `join_url` turns its code into the
    /// address students open. The registry is never locked while the room
    /// is saved: a code is taken in the database, which refuses a code
    /// already used.
    pub async fn create(
        &self,
        board: Arc<Board>,
        owner: i64,
        join_url: impl Fn(&str) -> String,
    ) -> Result<RoomHandle, CreateError> {
        let host_key = Token::generate();
        let code = loop {
            let code = {
                let rooms = self.lock();
                if rooms.len() >= MAX_ROOMS {
                    return Err(CreateError::TooManyRooms);
                }
                let code = secret::room_code();
                if rooms.contains_key(&code) {
                    continue;
                }
                code
            };
            let Some(store) = &self.store else {
                break code;
            };
            let record = RoomRecord {
                code: code.clone(),
                board_id: board.id.to_string(),
                board_toml: format::write(&board),
                host_key: host_key.as_str().to_owned(),
                owner: Some(owner),
            };
            if store
                .create_room(&record)
                .await
                .map_err(CreateError::NotSaved)?
            {
                break code;
            }
        };
        let handle = RoomHandle::spawn(
            code.clone(),
            board,
            join_url(&code),
            (host_key, owner),
            self.store.clone(),
            self.max_players(),
        );
        self.lock().insert(code, handle.clone());
        Ok(handle)
    }

    /// Every saved room, read back from the database.
    pub async fn saved(&self) -> Result<Vec<SavedRoom>, StoreError> {
        match &self.store {
            Some(store) => store.load_rooms().await,
            None => Ok(Vec::new()),
        }
    }

    /// Rebuilds the `saved` rooms. Returns how many came back and a
    /// message for each that could not.
    pub fn restore_all(
        &self,
        saved: Vec<SavedRoom>,
        library: &BoardLibrary,
        join_url: impl Fn(&str) -> String,
    ) -> (usize, Vec<RestoreProblem>) {
        let mut problems = Vec::new();
        let mut restored = 0;
        for room in saved {
            match self.restore(room, library, &join_url) {
                Ok(_) => restored += 1,
                Err(problem) => problems.push(problem),
            }
        }
        (restored, problems)
    }

    /// Rebuilds one saved room from its journal and starts it here (at
    /// start-up, or when this server takes the room over in a cluster).
    pub fn restore(
        &self,
        room: SavedRoom,
        library: &BoardLibrary,
        join_url: impl Fn(&str) -> String,
    ) -> Result<RoomHandle, RestoreProblem> {
        let Some(store) = &self.store else {
            return Err(RestoreProblem::NoStore);
        };
        let code = room.record.code.clone();
        let board = BoardId::parse(&room.record.board_id)
            .map_err(|source| RestoreProblem::BoardId {
                room: code.clone(),
                source,
            })
            .and_then(|id| {
                let media = LibraryMedia(library.get(id.as_str()));
                format::parse(
                    id,
                    &room.record.board_toml,
                    &format!("saved board of room {code}"),
                    &media,
                )
                .map_err(|source| RestoreProblem::Board {
                    room: code.clone(),
                    source,
                })
            })?;
        let handle = RoomHandle::restore(
            room,
            Arc::new(board),
            join_url(&code),
            store.clone(),
            self.max_players(),
        )
        .map_err(RestoreProblem::Replay)?;
        self.lock().insert(code, handle.clone());
        Ok(handle)
    }

    /// Takes a room out of this server's registry (its task is told apart).
    pub fn remove(&self, code: &str) -> Option<RoomHandle> {
        self.lock().remove(code)
    }

    /// Removes rooms with no activity for longer than `idle`, from memory and
    /// from the database; returns how many.
    pub async fn retire_idle(&self, idle: Duration) -> usize {
        let Some(store) = &self.store else {
            return 0;
        };
        let codes = match store.idle_rooms(idle, idle.min(EMPTY_ROOM_IDLE)).await {
            Ok(codes) => codes,
            Err(e) => {
                tracing::error!("cannot list idle rooms: {e}");
                return 0;
            }
        };
        for code in &codes {
            if let Err(e) = self
                .delete(
                    code,
                    "This game was closed after hours without play. Ask the teacher for a new one.",
                )
                .await
            {
                tracing::error!("cannot delete idle room {code}: {e}");
            }
        }
        codes.len()
    }

    /// Deletes a game and everything saved with it (its players' names,
    /// scores, answers and buzz audit); its pages are told `reason` and
    /// closed, so nobody keeps playing a game that is no longer saved.
    pub async fn delete(&self, code: &str, reason: &str) -> Result<(), StoreError> {
        let room = self.lock().remove(code);
        if let Some(room) = room {
            room.close(reason).await;
        }
        match &self.store {
            Some(store) => store.delete_room(code).await,
            None => Ok(()),
        }
    }

    /// The room with this code, as typed (any case, spaces around).
    pub fn get(&self, code: &str) -> Option<RoomHandle> {
        self.lock().get(&secret::normalise_code(code)).cloned()
    }

    /// Every live room, by code.
    pub fn list(&self) -> Vec<RoomHandle> {
        let mut rooms: Vec<RoomHandle> = self.lock().values().cloned().collect();
        rooms.sort_by(|a, b| a.code().cmp(b.code()));
        rooms
    }

    /// How many rooms are live.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether there are no rooms.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
