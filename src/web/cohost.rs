//! Co-host links: a teacher hands a game's host link (its QR code on the
//! host page) to a teaching assistant, and takes every such link back by
//! giving the game a new host key.
//!
//! A host link opens the game to the browser it is opened in, by the
//! digest of the key at the time ([`crate::store::sessions`]); a new key
//! matches none of those, so every co-host's browser is shut out at once,
//! and their open host pages are closed (code 4003). The teacher's own
//! pages, opened by the teacher's session, stay.

use axum::extract::State;
use axum::response::Redirect;

use super::AppState;
use super::access::{HostRoom, Teacher};
use super::error::PageError;
use crate::secret::Token;

/// `POST /host/{code}/key`: a new host key for the game (its teacher only:
/// a co-host cannot shut the others out). Back to the host page, whose QR
/// code now holds the new link.
pub async fn new_host_key(
    teacher: Teacher,
    State(state): State<AppState>,
    HostRoom { room }: HostRoom,
) -> Result<Redirect, PageError> {
    // The game's own teacher: a colleague who holds a co-host link may not.
    if room.owner() != teacher.id {
        return Err(PageError::BadHostKey);
    }
    let key = Token::generate();
    if let Some(store) = state.rooms().store() {
        store
            .set_host_key(room.code(), key.as_str())
            .await
            .map_err(|e| PageError::Internal(format!("cannot save a new host key: {e}")))?;
    }
    room.replace_host_key(key).await;
    tracing::info!(room = room.code(), "the host key was replaced");
    Ok(Redirect::to(&format!("/host/{}", room.code())))
}
