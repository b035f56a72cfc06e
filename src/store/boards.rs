//! Whose each saved board is, and whether its teacher shared it to the
//! school's library; and whose each game is, when it is handed on. Shipped and built-in boards have no row: everyone may
//! play and duplicate them. A saved board with no row (saved before boards
//! had owners) is the server owner's. Shared statements ([`super::sql`]).

use std::collections::HashMap;

use super::{Store, StoreError};

/// A saved board's teacher and whether it is in the school's library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardOwner {
    /// The teacher who saved it.
    pub teacher: i64,
    /// Shared: other teachers may play and duplicate it, not change it.
    pub shared: bool,
}

impl Store {
    /// Records `teacher` as the owner of a board they just saved (a board
    /// saved again keeps its owner and its sharing).
    pub async fn claim_board(&self, board: &str, teacher: i64) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO board_owners (board, owner, shared) VALUES (?1, ?2, 0)
             ON CONFLICT (board) DO NOTHING",
            vec![board.into(), teacher.into()],
        )
        .await
        .map(|_| ())
    }

    /// Every saved board's owner, by board id.
    pub async fn board_owners(&self) -> Result<HashMap<String, BoardOwner>, StoreError> {
        let rows = self
            .query("SELECT board, owner, shared FROM board_owners", vec![])
            .await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some((
                    row.first()?.text()?,
                    BoardOwner {
                        teacher: row.get(1)?.int()?,
                        shared: row.get(2)?.int()? != 0,
                    },
                ))
            })
            .collect())
    }

    /// Makes a game another teacher's.
    pub async fn set_room_owner(&self, room: &str, teacher: i64) -> Result<(), StoreError> {
        self.execute(
            "UPDATE rooms SET owner = ?2 WHERE code = ?1",
            vec![room.into(), teacher.into()],
        )
        .await
        .map(|_| ())
    }

    /// Shares a board to the school's library, or takes it back.
    pub async fn share_board(&self, board: &str, shared: bool) -> Result<(), StoreError> {
        self.execute(
            "UPDATE board_owners SET shared = ?2 WHERE board = ?1",
            vec![board.into(), shared.into()],
        )
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    //! Owners and sharing.
    use super::*;

    #[tokio::test]
    async fn a_board_keeps_its_first_owner_and_can_be_shared() {
        let store = Store::in_memory();
        store.claim_board("maps", 2).await.unwrap();
        store.claim_board("maps", 3).await.unwrap();
        store.share_board("maps", true).await.unwrap();
        let owners = store.board_owners().await.unwrap();
        assert_eq!(
            owners["maps"],
            BoardOwner {
                teacher: 2,
                shared: true
            }
        );
    }
}
