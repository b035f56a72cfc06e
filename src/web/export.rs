//! "Everything of mine": a teacher downloads their own boards (each in its
//! folder, with its pictures, sounds and videos, ready to upload or edit
//! again) and the results workbook of each of their games, in one ZIP.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::access::Teacher;
use super::error::PageError;
use super::shelf::Shelf;
use crate::room::reports::Report;
use crate::table::{Zip, to_xlsx};

/// `GET /export.zip`: the signed-in teacher's boards and games' results.
pub async fn everything_of_mine(
    teacher: Teacher,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let shelf = Shelf::of(&state, teacher.id)
        .await
        .map_err(|e| PageError::Internal(format!("cannot read board owners: {e}")))?;
    let mut zip = Zip::default();
    {
        // The library's guard is dropped before the games are asked.
        let library = state.boards();
        for board in library
            .boards()
            .filter(|b| shelf.may_change(&library, b.id.as_str()))
        {
            let folder = format!("boards/{}", board.id);
            zip.add(
                &format!("{folder}/{}.toml", board.id),
                crate::board::format::write(board).as_bytes(),
            );
            for (path, media) in &board.media {
                zip.add(&format!("{folder}/{path}"), &media.bytes);
            }
        }
    }
    let mine: Vec<_> = state
        .rooms()
        .list()
        .into_iter()
        .filter(|room| room.owner() == teacher.id)
        .collect();
    for room in &mine {
        // A game that closed in between has nothing more to give.
        if let Ok(tables) = room.report(Report::Workbook).await {
            zip.add(
                &format!("games/{}-results.xlsx", room.code()),
                &to_xlsx(&tables),
            );
        }
    }
    // In a cluster, a game another server runs is downloaded from its host
    // page (its journal is there); the archive says which.
    if let Some(everywhere) = state.cluster_games().await {
        let elsewhere: Vec<String> = everywhere
            .into_iter()
            .filter(|g| g.owner == teacher.id && !mine.iter().any(|r| r.code() == g.code))
            .map(|g| format!("{} ({})\r\n", g.code, g.board_id))
            .collect();
        if !elsewhere.is_empty() {
            let note = format!(
                "These games run on another server of this site: download their results from each game's host page.\r\n\r\n{}",
                elsewhere.concat()
            );
            zip.add("games/ON-OTHER-SERVERS.txt", note.as_bytes());
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"buzzboard-export.zip\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        zip.finish(),
    )
        .into_response())
}
