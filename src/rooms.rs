//! The registry of live rooms, by code.
//!
//! Creating a room picks an unused code and starts the room's task. The map
//! sits behind a std `Mutex`: it is touched only to insert or look up a
//! handle, never across an `.await`, so the lock is held for microseconds and
//! an async lock would only add cost.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::board::Board;
use crate::room::RoomHandle;
use crate::secret;

/// Most rooms one server holds at once, so a script creating rooms in a loop
/// cannot exhaust the server's memory.
pub const MAX_ROOMS: usize = 10_000;

/// The server cannot take another room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyRooms;

/// All live rooms.
#[derive(Default)]
pub struct Rooms {
    by_code: Mutex<HashMap<String, RoomHandle>>,
}

impl Rooms {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, RoomHandle>> {
        // A panic while holding this lock cannot leave the map half-updated
        // (each use is a single insert or get), so a poisoned lock is safe to use.
        self.by_code.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a room playing `board`; `join_url` turns its code into the
    /// address students open.
    pub fn create(
        &self,
        board: Arc<Board>,
        join_url: impl Fn(&str) -> String,
    ) -> Result<RoomHandle, TooManyRooms> {
        let mut rooms = self.lock();
        if rooms.len() >= MAX_ROOMS {
            return Err(TooManyRooms);
        }
        let code = loop {
            let code = secret::room_code();
            if !rooms.contains_key(&code) {
                break code;
            }
        };
        let handle = RoomHandle::spawn(code.clone(), board, join_url(&code));
        rooms.insert(code, handle.clone());
        Ok(handle)
    }

    /// The room with this code, as typed (any case, spaces around).
    pub fn get(&self, code: &str) -> Option<RoomHandle> {
        self.lock().get(&secret::normalise_code(code)).cloned()
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
