//! Sharing a game's controls: a teacher hands the game's host link (its QR
//! code on the host page) to a teaching assistant, takes every such link
//! back by giving the game a new host key, or hands the whole game to a
//! colleague.
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

/// The hand-over form: the colleague's sign-in address.
#[derive(serde::Deserialize)]
pub struct HandOverForm {
    email: String,
}

/// `POST /host/{code}/owner`: the game's teacher hands it, running, to a
/// colleague (by their sign-in address): from then on it is the
/// colleague's, on their teacher page, and no longer the first teacher's.
/// Co-host links keep working (the host key is unchanged).
pub async fn hand_over(
    teacher: Teacher,
    State(state): State<AppState>,
    HostRoom { room }: HostRoom,
    axum::Form(form): axum::Form<HandOverForm>,
) -> Result<Redirect, PageError> {
    if room.owner() != teacher.id {
        return Err(PageError::BadHostKey);
    }
    let failed = |e: crate::store::StoreError| PageError::Internal(format!("hand-over: {e}"));
    let colleague = state
        .sessions()
        .teacher_by_email(&form.email)
        .await
        .map_err(failed)?
        .filter(|c| !c.disabled)
        .ok_or_else(|| {
            PageError::BadRequest(format!(
                "no teacher of this server signs in as {:?}; check the address",
                form.email.trim()
            ))
        })?;
    if let Some(store) = state.rooms().store() {
        store
            .set_room_owner(room.code(), colleague.id)
            .await
            .map_err(failed)?;
    }
    room.set_owner(colleague.id);
    tracing::info!(room = room.code(), "a game was handed to another teacher");
    Ok(Redirect::to("/"))
}
