//! The HTML pages: landing, join, host controls, board view, player view.
//!
//! Each handler builds its askama template and renders it. The pages are
//! shells: the JavaScript in `static/` connects to the room's WebSocket and
//! draws the game from the snapshot and updates. Values the scripts need
//! (room code, role) travel in `data-` attributes, never in inline scripts.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect};
use serde::Deserialize;

use super::AppState;
use super::access::{
    ClientAddress, FoundRoom, HostRoom, KeyInAddress, MaybeTeacher, OWNER, Teacher,
};
use super::error::PageError;
use super::session::{MaybeSession, Opened, sign_in_and_redirect};
use crate::board::Source;
use crate::board::library::DEFAULT_BOARD;
use crate::room::RoomHandle;

/// A board as the landing page lists it.
struct BoardChoice {
    id: String,
    title: String,
    description: String,
    default: bool,
    /// "built in", "shipped", "uploaded" (the teacher's own) or "shared"
    /// (a colleague's, in the school's library).
    origin: &'static str,
    /// The teacher's own: they may change it and share it.
    mine: bool,
    /// In the school's library.
    shared: bool,
    /// The same for the translation catalogues.
    origin_key: &'static str,
    /// `size` for the catalogues: two counted parts ("5 categories",
    /// "25 clues"), each a key and its count.
    size_parts: [(&'static str, usize); 2],
    has_final: bool,
}

/// A running game as the teacher page lists it.
struct GameLink {
    code: String,
    /// The game is over (its results can still be downloaded).
    finished: bool,
    title: String,
    host_url: String,
    board_url: String,
    join_url: String,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    boards: Vec<BoardChoice>,
    problems: Vec<String>,
    /// Whether the upload form is shown.
    uploads: bool,
    /// Whether a teacher is signed in: starting games, their running
    /// games and board management are shown only then.
    teacher: bool,
    /// The signed-in teacher's name.
    teacher_name: String,
    /// The signed-in teacher is an admin (a link to the admin page).
    admin: bool,
    games: Vec<GameLink>,
    /// Who can open this server's links: `computer`, `network` or
    /// `anywhere` ([`crate::net::reach`]).
    reach: &'static str,
}

/// `GET /`: a join box; for a signed-in teacher, also the boards, starting
/// a game, the running games, uploads and downloads. The teacher link
/// (`/?key=...`) signs its holder in and comes back here without the key.
pub async fn index(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    Query(address): Query<KeyInAddress>,
    MaybeSession(session): MaybeSession,
    MaybeTeacher(teacher): MaybeTeacher,
) -> Result<axum::response::Response, PageError> {
    if let Some(key) = address.key {
        if !state.teacher_key().matches(&key) {
            return Err(PageError::NeedsTeacherKey);
        }
        let back = super::session::address_without_key(&uri);
        return Ok(
            sign_in_and_redirect(&state, &headers, session, Opened::Teacher(OWNER), &back).await,
        );
    }
    // In a cluster, every server's games, from the shared database.
    let cluster_games = match &teacher {
        Some(_) => state.cluster_games().await,
        None => None,
    };
    let me = teacher.as_ref().map_or(0, |t| t.id);
    let games = match (&teacher, cluster_games) {
        (Some(_), Some(saved)) => {
            let library = state.boards();
            saved
                .into_iter()
                .filter(|game| game.owner == me)
                .map(|crate::store::RoomSummary { code, board_id, .. }| {
                    let links = state.links(&code, "");
                    GameLink {
                        finished: state.rooms().get(&code).is_some_and(|r| r.is_finished()),
                        title: library.get(&board_id).map_or(board_id, |b| b.title.clone()),
                        host_url: format!("/host/{code}"),
                        code,
                        board_url: links.board_url,
                        join_url: links.join_url,
                    }
                })
                .collect()
        }
        (Some(_), None) => state
            .rooms()
            .list()
            .into_iter()
            .filter(|room| room.owner() == me)
            .map(|room| {
                let links = state.links(room.code(), "");
                GameLink {
                    finished: room.is_finished(),
                    code: room.code().to_owned(),
                    title: room.board().title.clone(),
                    host_url: format!("/host/{}", room.code()),
                    board_url: links.board_url,
                    join_url: links.join_url,
                }
            })
            .collect(),
        (None, _) => Vec::new(),
    };
    // Games still being played first.
    let mut games = games;
    games.sort_by_key(|g| g.finished);
    let account = match &teacher {
        Some(t) => state.sessions().teacher(t.id).await.ok().flatten(),
        None => None,
    };
    let shelf = match &teacher {
        Some(t) => Some(
            super::shelf::Shelf::of(&state, t.id)
                .await
                .map_err(|e| PageError::Internal(format!("cannot read board owners: {e}")))?,
        ),
        None => None,
    };
    let library = state.boards();
    let page = IndexPage {
        teacher_name: account.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        admin: account.as_ref().is_some_and(|a| a.admin),
        reach: reach_word(state.public_url()),
        uploads: state.accepts_uploads(),
        teacher: teacher.is_some(),
        games,
        boards: library
            .boards()
            .filter(|b| {
                shelf
                    .as_ref()
                    .is_some_and(|s| s.may_see(&library, b.id.as_str()))
            })
            .map(|b| {
                let id = b.id.as_str();
                let mine = shelf.as_ref().is_some_and(|s| s.may_change(&library, id));
                let origin = match library.source(id) {
                    Some(Source::Saved) if mine => "uploaded",
                    Some(Source::Saved) => "shared",
                    Some(Source::Shipped) => "shipped",
                    _ => "built in",
                };
                (b, mine, origin)
            })
            .map(|(b, mine, origin)| BoardChoice {
                origin,
                origin_key: if origin == "built in" {
                    "built_in"
                } else {
                    origin
                },
                mine,
                shared: shelf.as_ref().is_some_and(|s| s.is_shared(b.id.as_str())),
                size_parts: {
                    let clues = (0..b.rounds.len()).map(|r| b.round_clue_count(r)).sum();
                    let first = if b.rounds.len() == 1 {
                        ("teacher.size.categories", b.categories().len())
                    } else {
                        ("teacher.size.rounds", b.rounds.len())
                    };
                    [first, ("teacher.size.clues", clues)]
                },
                has_final: b.final_clue.is_some(),
                id: b.id.to_string(),
                title: b.title.clone(),
                description: b.description.clone().unwrap_or_default(),
                default: b.id.as_str() == DEFAULT_BOARD,
            })
            .collect(),
        problems: library.problems().iter().map(|p| p.to_string()).collect(),
    };
    drop(library);
    Ok(Html(page.render()?).into_response())
}

/// The landing page's "start a game" form.
#[derive(Deserialize)]
pub struct StartForm {
    board: Option<String>,
}

/// `POST /rooms`: starts a game and sends the teacher to its host
/// controls. Only teachers start games: a game's host sees every answer.
pub async fn create_room(
    teacher: Teacher,
    State(state): State<AppState>,
    Form(form): Form<StartForm>,
) -> Result<Redirect, PageError> {
    let room = super::api::start_room(&state, form.board.as_deref(), teacher.id).await?;
    // Relative, so the teacher's own browser stays on the address it used;
    // the teacher's session opens the controls.
    Ok(Redirect::to(&format!("/host/{}", room.code)))
}

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    code: String,
    /// The code typed that found no game.
    error: Option<String>,
    /// The same, as the translated message's parameters (JSON).
    error_params: String,
}

/// The join form's query.
#[derive(Deserialize)]
pub struct JoinQuery {
    code: Option<String>,
}

/// `GET /join`: a box to type a room code; with `?code=` it goes to the room.
pub async fn join(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(query): Query<JoinQuery>,
) -> Result<axum::response::Response, PageError> {
    let typed = query.code.unwrap_or_default();
    if typed.trim().is_empty() {
        let page = JoinPage {
            code: String::new(),
            error: None,
            error_params: String::new(),
        };
        return Ok(Html(page.render()?).into_response());
    }
    match state.find_room(&typed, address) {
        Ok(room) => Ok(Redirect::to(&format!("/play/{}", room.code())).into_response()),
        Err(denied @ super::access::Denied::TooManyLookups) => Ok(denied.into_response()),
        Err(_) => {
            let page = JoinPage {
                code: typed.trim().to_owned(),
                error: Some(typed.trim().to_owned()),
                error_params: serde_json::json!({ "code": typed.trim() }).to_string(),
            };
            Ok((axum::http::StatusCode::NOT_FOUND, Html(page.render()?)).into_response())
        }
    }
}

/// What every game page needs to know.
struct RoomInfo {
    code: String,
    title: String,
}

fn room_info(room: &RoomHandle) -> RoomInfo {
    RoomInfo {
        code: room.code().to_owned(),
        title: room.board().title.clone(),
    }
}

#[derive(Template)]
#[template(path = "host.html")]
struct HostPage {
    room: RoomInfo,
    /// A teacher (not a co-host) is signed in: they may replace the key.
    teacher: bool,
    join_url: String,
    board_url: String,
    /// Who can open the join link: `computer`, `network` or `anywhere`.
    reach: &'static str,
}

/// `GET /host/{code}`: the game's controls, for a teacher or a browser
/// the room was opened to. The host link (`?key=...`) opens the room to
/// the browser's session and comes back here without the key.
pub async fn host(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    Query(address): Query<KeyInAddress>,
    MaybeSession(session): MaybeSession,
    FoundRoom(room): FoundRoom,
) -> Result<axum::response::Response, PageError> {
    if let Some(key) = address.key {
        let here = super::session::address_without_key(&uri);
        if !room.host_key().matches(&key) {
            return Err(PageError::BadHostKey);
        }
        let opened = Opened::Room {
            code: room.code().to_owned(),
            host_key: key,
        };
        return Ok(sign_in_and_redirect(&state, &headers, session, opened, &here).await);
    }
    if !super::access::may_host(&room, &headers, &session) {
        return Err(PageError::BadHostKey);
    }
    let links = state.links(room.code(), "");
    let reach = reach_word(&links.join_url);
    let page = HostPage {
        room: room_info(&room),
        teacher: session
            .as_ref()
            .is_some_and(|s| s.record.teacher == Some(room.owner())),
        join_url: links.join_url,
        board_url: links.board_url,
        reach,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    room: RoomInfo,
    join_url: String,
    /// Where a code can be typed: `/join` on the public address.
    join_page: String,
}

/// `GET /board/{code}`: the projector view.
pub async fn board(
    State(state): State<AppState>,
    FoundRoom(room): FoundRoom,
) -> Result<Html<String>, PageError> {
    let page = BoardPage {
        join_url: state.links(room.code(), "").join_url,
        join_page: format!("{}/join", state.public_url()),
        room: room_info(&room),
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "play.html")]
struct PlayPage {
    room: RoomInfo,
}

/// `GET /play/{code}`: a student's buzzer.
pub async fn play(FoundRoom(room): FoundRoom) -> Result<Html<String>, PageError> {
    let page = PlayPage {
        room: room_info(&room),
    };
    Ok(Html(page.render()?))
}

/// `GET /host/{code}/{file}`: the host's downloads: `results.csv`
/// (each player's place and score), `clues.csv` (every score change),
/// `audit.csv` (every buzz, to check buzzing was fair) and `results.xlsx`
/// (all three as sheets of one workbook).
pub async fn report(
    HostRoom { room }: HostRoom,
    axum::extract::Path((_, file)): axum::extract::Path<(String, String)>,
) -> Result<axum::response::Response, PageError> {
    use crate::room::reports::Report;
    let (which, name) = match file.as_str() {
        "results.csv" => (Report::Results, "results"),
        "clues.csv" => (Report::Clues, "clues"),
        "audit.csv" => (Report::Audit, "buzz-audit"),
        "results.xlsx" => (Report::Workbook, "results"),
        _ => return Err(PageError::NotFound),
    };
    let code = room.code().to_owned();
    let tables = room
        .report(which)
        .await
        .map_err(|e| PageError::Internal(format!("room {code}: {e}")))?;
    let (content_type, body) = if file.ends_with(".xlsx") {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            crate::table::to_xlsx(&tables),
        )
    } else {
        // A byte-order mark, so Excel reads the names as UTF-8.
        let csv: String = tables.iter().map(|t| t.to_csv()).collect();
        (
            "text/csv; charset=utf-8",
            format!("\u{FEFF}{csv}").into_bytes(),
        )
    };
    let extension = file.rsplit('.').next().unwrap_or("csv");
    let disposition = format!("attachment; filename=\"{name}-{code}.{extension}\"");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// Any other address.
pub async fn not_found() -> PageError {
    PageError::NotFound
}

/// Who can open `url`, as the templates name it.
fn reach_word(url: &str) -> &'static str {
    match crate::net::reach(url) {
        crate::net::Reach::ThisComputer => "computer",
        crate::net::Reach::ThisNetwork => "network",
        crate::net::Reach::Anywhere => "anywhere",
    }
}
