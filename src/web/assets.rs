//! Static files and board media, compiled into the binary.
//!
//! The pages' CSS and JavaScript are embedded with `include_str!`, so the
//! single binary serves everything and works on a classroom LAN with no
//! internet and no files beside it.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;

use super::AppState;
use super::access::MaybeTeacher;
use super::error::PageError;

/// The files under `static/`, by name.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../../static/style.css"),
    ),
    (
        "common.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/common.js"),
    ),
    (
        "host.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/host.js"),
    ),
    (
        "board.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/board.js"),
    ),
    (
        "play.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/play.js"),
    ),
    (
        "upload.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/upload.js"),
    ),
    (
        "editor.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/editor.js"),
    ),
    (
        "page.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/page.js"),
    ),
    (
        "speech.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/speech.js"),
    ),
    (
        "i18n.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/i18n.js"),
    ),
    (
        "i18n/en.json",
        "application/json",
        include_str!("../../static/i18n/en.json"),
    ),
    (
        "i18n/es.json",
        "application/json",
        include_str!("../../static/i18n/es.json"),
    ),
    (
        "i18n/fr.json",
        "application/json",
        include_str!("../../static/i18n/fr.json"),
    ),
    (
        "i18n/de.json",
        "application/json",
        include_str!("../../static/i18n/de.json"),
    ),
    (
        "i18n/pt.json",
        "application/json",
        include_str!("../../static/i18n/pt.json"),
    ),
    (
        "sound.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/sound.js"),
    ),
];

/// `GET /static/{file}` (and `/static/i18n/{language}.json`).
pub async fn asset(Path(file): Path<String>) -> Result<impl IntoResponse, PageError> {
    let (_, content_type, body) = ASSETS
        .iter()
        .find(|(name, _, _)| *name == file)
        .ok_or(PageError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, *content_type),
            // Short, so a teacher who upgrades the binary sees the new pages.
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        *body,
    ))
}

/// `GET /media/{board}/{path}`: an image a board's clue shows.
pub async fn media(
    teacher: MaybeTeacher,
    State(state): State<AppState>,
    Path((board, path)): Path<(String, String)>,
) -> Result<impl IntoResponse, PageError> {
    // By file name only for a teacher who may see the board (the editor's
    // previews), so a guessed name finds nothing.
    let by_name_allowed = match &teacher.0 {
        Some(teacher) => super::shelf::Shelf::of(&state, teacher.id)
            .await
            .is_ok_and(|shelf| shelf.may_see(&state.boards(), &board)),
        None => false,
    };
    let board = state.boards().get(&board).ok_or(PageError::NotFound)?;
    // By content-derived address for everyone (the projector and phones are
    // sent it with the clue).
    let by_address = board.media.values().find(|m| m.address == path);
    let by_name = by_name_allowed.then(|| board.media.get(&path)).flatten();
    let media = by_address.or(by_name).ok_or(PageError::NotFound)?.clone();
    Ok((
        [
            (header::CONTENT_TYPE, media.content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            // An SVG opened directly must not run scripts on our origin.
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
            ),
        ],
        media.bytes.clone(),
    ))
}
