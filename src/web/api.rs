//! The JSON API: list boards, create rooms, health check.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::access::Teacher;
use super::error::ApiError;
use crate::board::library::DEFAULT_BOARD;
use std::sync::Arc;

use crate::board::Board;
use crate::rooms::CreateError;
use crate::secret::Token;

/// One entry of `GET /api/boards`.
#[derive(Serialize)]
pub struct BoardSummary {
    id: String,
    title: String,
    description: Option<String>,
    /// How many categories.
    categories: usize,
    /// How many clues.
    clues: usize,
    /// Both in words ("2 rounds, 9 clues and a Final").
    size: String,
}

/// `GET /api/boards`: every board the teacher may play.
pub async fn list_boards(
    teacher: Teacher,
    State(state): State<AppState>,
) -> Result<Json<Vec<BoardSummary>>, ApiError> {
    let shelf = super::shelf::Shelf::of(&state, teacher.id)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let library = state.boards();
    Ok(Json(
        library
            .boards()
            .filter(|b| shelf.may_see(&library, b.id.as_str()))
            .map(|b| BoardSummary {
                id: b.id.to_string(),
                title: b.title.clone(),
                description: b.description.clone(),
                categories: b.categories().len(),
                clues: b.clue_count(),
                size: b.size(),
            })
            .collect(),
    ))
}

/// The body of `POST /api/rooms`; every field is optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CreateRoom {
    /// The board to play; the RLHF board when absent.
    board: Option<String>,
}

/// The answer to `POST /api/rooms`.
#[derive(Serialize)]
pub struct RoomCreated {
    code: String,
    board: String,
    host_url: String,
    board_url: String,
    join_url: String,
    /// The secret in `host_url`; keep it private.
    host_key: String,
}

/// `POST /api/rooms` with `{"board": "<id>"}` and the teacher key: starts
/// a game.
pub async fn create_room(
    teacher: Teacher,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let request: CreateRoom = if body.iter().all(u8::is_ascii_whitespace) {
        CreateRoom::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("the body must be JSON like {{\"board\": \"rlhf\"}}: {e}"),
            )
        })?
    };
    let room = start_room(&state, request.board.as_deref(), teacher.id).await?;
    let links = state.links(&room.code, room.host_key.as_str());
    Ok((
        StatusCode::CREATED,
        Json(RoomCreated {
            code: room.code,
            board: room.board.id.to_string(),
            host_url: links.host_url,
            board_url: links.board_url,
            join_url: links.join_url,
            host_key: room.host_key.as_str().to_owned(),
        }),
    ))
}

/// Why a game could not be started.
#[derive(Debug)]
pub enum StartError {
    /// No board has that id.
    NoSuchBoard {
        /// The id asked for.
        id: String,
        /// The ids there are.
        known: Vec<String>,
    },
    /// The room could not be made.
    Create(CreateError),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::NoSuchBoard { id, known } => write!(
                f,
                "there is no board called {id:?}; the boards are: {}",
                known.join(", ")
            ),
            StartError::Create(CreateError::TooManyRooms) => {
                f.write_str("the server is running as many games as it can; try again later")
            }
            StartError::Create(CreateError::NotSaved(_)) => f.write_str(
                "the game could not be saved (the server's data folder has a problem); try again later",
            ),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::NoSuchBoard { .. } => None,
            StartError::Create(e) => Some(e),
        }
    }
}

/// A game just started.
pub struct StartedRoom {
    /// Its code.
    pub code: String,
    /// The host's secret key.
    pub host_key: Token,
    /// The board it plays.
    pub board: Arc<Board>,
}

/// Starts a room on the named board (the default board when `None`). In a
/// cluster the room is recorded in the shared database and starts on the
/// server its first page reaches.
pub async fn start_room(
    state: &AppState,
    board: Option<&str>,
    owner: i64,
) -> Result<StartedRoom, StartError> {
    let id = board.map(str::trim).unwrap_or(DEFAULT_BOARD);
    // A board the teacher may not see is answered as if it did not exist.
    let shelf = super::shelf::Shelf::of(state, owner)
        .await
        .map_err(|e| StartError::Create(CreateError::NotSaved(e)))?;
    let board = {
        let library = state.boards();
        library
            .get(id)
            .filter(|_| shelf.may_see(&library, id))
            .ok_or_else(|| StartError::NoSuchBoard {
                id: id.to_owned(),
                known: library
                    .boards()
                    .filter(|b| shelf.may_see(&library, b.id.as_str()))
                    .map(|b| b.id.to_string())
                    .collect(),
            })?
    };
    #[cfg(feature = "cluster")]
    if let Some(cluster) = state.cluster() {
        let (code, host_key) = cluster
            .create_room(&board, crate::board::format::write(&board), owner)
            .await
            .map_err(|e| StartError::Create(CreateError::NotSaved(e)))?;
        return Ok(StartedRoom {
            code,
            host_key,
            board,
        });
    }
    let links_state = state.clone();
    let room = state
        .rooms()
        .create(board, owner, move |code| {
            links_state.links(code, "").join_url
        })
        .await
        .map_err(StartError::Create)?;
    Ok(StartedRoom {
        code: room.code().to_owned(),
        host_key: room.host_key().clone(),
        board: room.board().clone(),
    })
}

/// `GET /healthz`: 200 while the server is up; in a cluster, 503 while it
/// cannot renew its leases (it cannot reach the database), so the load
/// balancer sends its rooms' pages to the other servers.
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.database_reachable();
    let status = if database == Some(false) {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (
        status,
        Json(serde_json::json!({
            "ok": status == StatusCode::OK,
            "rooms": state.rooms().len(),
            "connections": state.connections(),
            "database": database.map(|ok| if ok { "reachable" } else { "unreachable" }),
        })),
    )
}
