//! Forgetting what a class did: a teacher deletes one of their games with
//! its results, and the admin sets how long games are kept after their
//! last play (docs/privacy.md). Both delete the game's journal, players'
//! names, scores, answers and buzz audit from the database.

use axum::Form;
use axum::extract::State;
use axum::response::Redirect;
use serde::Deserialize;

use super::AppState;
use super::access::{Admin, HostRoom, Teacher};
use super::error::PageError;

/// The name of the retention setting, in hours.
pub const RETENTION_SETTING: &str = "retention_hours";
/// The longest retention an admin may set: a school year and a bit.
pub const MAX_RETENTION_HOURS: u32 = 400 * 24;

/// The deletion form: the teacher ticked "delete the results too".
#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// `POST /host/{code}/delete`: the teacher whose game it is deletes it and
/// its results (a co-host may not). Its pages are told and closed.
pub async fn delete_game(
    teacher: Teacher,
    State(state): State<AppState>,
    HostRoom { room }: HostRoom,
    Form(form): Form<DeleteForm>,
) -> Result<Redirect, PageError> {
    if room.owner() != teacher.id {
        return Err(PageError::BadHostKey);
    }
    if form.confirm != "yes" {
        return Err(PageError::BadRequest(
            "tick the box to say the results go too, then delete again".into(),
        ));
    }
    state
        .rooms()
        .delete(room.code(), "The teacher deleted this game.")
        .await
        .map_err(|e| PageError::Internal(format!("cannot delete a game: {e}")))?;
    tracing::info!(room = room.code(), "a teacher deleted a game");
    Ok(Redirect::to("/"))
}

/// The retention form.
#[derive(Deserialize)]
pub struct RetentionForm {
    hours: u32,
}

/// `POST /admin/retention`: how long games are kept after their last play.
pub async fn set_retention(
    admin: Admin,
    State(state): State<AppState>,
    Form(form): Form<RetentionForm>,
) -> Result<Redirect, PageError> {
    if !(1..=MAX_RETENTION_HOURS).contains(&form.hours) {
        return Err(PageError::BadRequest(format!(
            "keep games between 1 and {MAX_RETENTION_HOURS} hours"
        )));
    }
    let store = state.sessions();
    store
        .set_setting(RETENTION_SETTING, &form.hours.to_string())
        .await
        .and(
            store
                .log_admin(admin.id, "retention", &format!("{} hours", form.hours))
                .await,
        )
        .map_err(|e| PageError::Internal(format!("cannot save the retention: {e}")))?;
    // Games already past the new limit go now.
    let retired = state.rooms().retire_idle(state.retention().await).await;
    if retired > 0 {
        tracing::info!("removed {retired} games past the new retention");
    }
    Ok(Redirect::to("/admin"))
}
