//! Boards teachers bring: uploading a board file (it is the uploader's),
//! downloading a board in the board format (one the teacher may see,
//! [`super::shelf`]), sharing one's own board to the school's library, and
//! the spreadsheet template.
//!
//! An upload is the file's bytes as the request body, with its name (and an
//! optional title) in the query string, sent by the start page's script. It
//! is checked like any board file; a good one is saved in the data folder
//! and offered at once, a bad one is refused with the line and what to fix.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;

use super::AppState;
use super::access::Teacher;
use super::error::{ApiError, PageError};
use super::shelf::Shelf;
use crate::board::{self, MAX_UPLOAD_BYTES, csv};

/// The query of `POST /api/boards`.
#[derive(Deserialize)]
pub struct UploadQuery {
    /// The uploaded file's name; its extension says what kind of file it is.
    filename: String,
    /// A title for files that carry none (CSV and JeopardyLabs exports).
    title: Option<String>,
}

/// `POST /api/boards?filename=...&title=...` with the file as the body.
pub async fn upload(
    teacher: Teacher,
    State(state): State<AppState>,
    Query(query): Query<UploadQuery>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let Some(folder) = state.saved_boards().map(|p| p.to_path_buf()) else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this server does not accept uploaded boards",
        ));
    };
    if body.len() > MAX_UPLOAD_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the file is {} KiB; a board file may be at most {} KiB",
                body.len() / 1024,
                MAX_UPLOAD_BYTES / 1024
            ),
        ));
    }
    // Only the last path component: a name like "../../x.toml" names nothing.
    let file_name = query
        .filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .take(120)
        .collect::<String>();
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("{file_name} is not UTF-8 text; export it as text (UTF-8) and try again"),
        )
    })?;
    let wanted = query
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(&file_name);
    let id = state
        .boards()
        .unused_id(wanted.rsplit_once('.').map_or(wanted, |(s, _)| s));
    let parsed = board::import_any(
        id,
        &file_name,
        query.title.as_deref(),
        text,
        &board::csv::NoMedia,
    )
    .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    let saved = state
        .save_board(parsed, &folder, Vec::new(), teacher.id)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({
            "id": saved.id,
            "title": saved.title,
            "categories": saved.categories().len(),
            "clues": saved.clue_count(),
        })),
    ))
}

/// `GET /boards/{id}.toml`: a board in the board format, to keep or edit.
/// It holds every answer, so only a teacher who may see the board gets it.
pub async fn download(
    teacher: Teacher,
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<impl IntoResponse, PageError> {
    let id = file.strip_suffix(".toml").ok_or(PageError::NotFound)?;
    let shelf = Shelf::of(&state, teacher.id)
        .await
        .map_err(|e| PageError::Internal(format!("cannot read board owners: {e}")))?;
    if !shelf.may_see(&state.boards(), id) {
        return Err(PageError::NotFound);
    }
    let board = state.boards().get(id).ok_or(PageError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/toml; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.toml\"", board.id),
            ),
        ],
        board::format::write(&board),
    ))
}

/// The sharing form: `shared=1` puts the board in the school's library,
/// `shared=0` takes it back.
#[derive(Deserialize)]
pub struct ShareForm {
    shared: u8,
}

/// `POST /boards/{id}/share`: a teacher shares their own board to the
/// school's library (colleagues may play and duplicate it, not change it),
/// or takes it back. Back to the teacher page.
pub async fn share(
    teacher: Teacher,
    State(state): State<AppState>,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ShareForm>,
) -> Result<axum::response::Redirect, PageError> {
    let shelf = Shelf::of(&state, teacher.id)
        .await
        .map_err(|e| PageError::Internal(format!("cannot read board owners: {e}")))?;
    if !shelf.may_change(&state.boards(), &id) {
        return Err(PageError::NotFound);
    }
    state
        .sessions()
        .share_board(&id, form.shared != 0)
        .await
        .map_err(|e| PageError::Internal(format!("cannot share a board: {e}")))?;
    Ok(axum::response::Redirect::to("/"))
}

/// `GET /boards/template.csv`: a spreadsheet to fill in.
pub async fn template() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"buzzboard-template.csv\"",
            ),
        ],
        csv::TEMPLATE,
    )
}
