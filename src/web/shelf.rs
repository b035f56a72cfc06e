//! Which boards a teacher sees and may change: the built-in and shipped
//! boards (everyone plays and duplicates them), their own saved boards, and
//! the boards colleagues shared to the school's library (played and
//! duplicated, never changed). A board file holds every answer, so every
//! route that names a board asks here first, and a board a teacher may not
//! see is answered as if it did not exist.

use std::collections::HashMap;

use super::AppState;
use crate::board::BoardLibrary;
use crate::board::library::Source;
use crate::store::StoreError;
use crate::store::accounts::OWNER;
use crate::store::boards::BoardOwner;

/// One teacher's view of the library.
pub struct Shelf {
    teacher: i64,
    owners: HashMap<String, BoardOwner>,
}

impl Shelf {
    /// `teacher`'s view, from the saved boards' owners.
    pub async fn of(state: &AppState, teacher: i64) -> Result<Shelf, StoreError> {
        Ok(Shelf {
            teacher,
            owners: state.sessions().board_owners().await?,
        })
    }

    /// A saved board's owner (the server's owner for a board saved before
    /// boards had owners).
    fn owner(&self, id: &str) -> BoardOwner {
        self.owners.get(id).copied().unwrap_or(BoardOwner {
            teacher: OWNER,
            shared: false,
        })
    }

    /// Whether the teacher may play, download and duplicate the board.
    pub fn may_see(&self, library: &BoardLibrary, id: &str) -> bool {
        match library.source(id) {
            None => false,
            Some(Source::BuiltIn | Source::Shipped) => true,
            Some(Source::Saved) => {
                let owner = self.owner(id);
                owner.teacher == self.teacher || owner.shared
            }
        }
    }

    /// Whether the teacher may change (save over) the board: their own.
    pub fn may_change(&self, library: &BoardLibrary, id: &str) -> bool {
        library.source(id) == Some(Source::Saved) && self.owner(id).teacher == self.teacher
    }

    /// Whether the board is in the school's library.
    pub fn is_shared(&self, id: &str) -> bool {
        self.owners.get(id).is_some_and(|o| o.shared)
    }
}
