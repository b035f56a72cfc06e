//! The board editor: a page where a teacher makes or edits a board in the
//! browser, and the JSON calls behind it.
//!
//! Saving goes through the board format's checks (the editor's board is
//! written as a board file and parsed back), so the editor cannot save a
//! board the server would refuse; problems come back as messages naming the
//! clue. Shipped boards are read-only: opening one in the editor and saving
//! makes a copy (pictures included). Pictures are uploaded one by one, checked
//! by content, and stored under the data folder's `boards/media/`.

use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::access::Teacher;
use super::error::{ApiError, PageError};
use crate::board::format::{self, MediaSource};
use crate::board::media::{MAX_MEDIA_BYTES, Media, MediaError, check_relative_path};
use crate::board::{Board, BoardId, Category, Clue, FinalClue, Round};

/// The query of the editor's page and picture uploads (the key is read by
/// [`Teacher`]).
#[derive(Deserialize)]
pub struct EditorQuery {
    /// The board to open (`/editor?board=...`).
    board: Option<String>,
    /// A picture's file name (`/api/media?filename=...`).
    filename: Option<String>,
    /// The teacher link's key, on the first click: it signs the browser in.
    key: Option<String>,
}

/// Where boards and media are saved (the teacher key is checked by the
/// [`Teacher`] extractor before this runs).
fn saving_folder(state: &AppState) -> Result<std::path::PathBuf, ApiError> {
    state
        .saved_boards()
        .map(|p| p.to_path_buf())
        .ok_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "this server does not save boards"))
}

/// The teacher's view of the library, or a 500 if the database cannot say.
async fn shelf_of(state: &AppState, teacher: &Teacher) -> Result<super::shelf::Shelf, ApiError> {
    super::shelf::Shelf::of(state, teacher.id)
        .await
        .map_err(|e| {
            tracing::error!("cannot read board owners: {e}");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the boards cannot be read now; try again",
            )
        })
}

#[derive(Template)]
#[template(path = "editor.html")]
struct EditorPage {
    board: String,
}

/// `GET /editor[?board=id]`: the editor page, for a signed-in teacher (a
/// teacher link to it signs its holder in first, and comes back without
/// the key).
pub async fn page(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    super::session::MaybeSession(session): super::session::MaybeSession,
    teacher: super::access::MaybeTeacher,
    Query(query): Query<EditorQuery>,
) -> Result<axum::response::Response, PageError> {
    if let Some(key) = &query.key {
        if !state.teacher_key().matches(key) {
            return Err(PageError::NeedsTeacherKey);
        }
        let back = super::session::address_without_key(&uri);
        let opened = super::session::Opened::Teacher(super::access::OWNER);
        return Ok(
            super::session::sign_in_and_redirect(&state, &headers, session, opened, &back).await,
        );
    }
    if teacher.0.is_none() {
        return Err(PageError::NeedsTeacherKey);
    }
    if !state.accepts_uploads() {
        return Err(PageError::BadRequest(
            "this server does not save boards, so the editor is off".into(),
        ));
    }
    let page = EditorPage {
        board: query.board.unwrap_or_default(),
    };
    Ok(Html(page.render()?).into_response())
}

/// A board as the editor edits it.
#[derive(Debug, Serialize, Deserialize)]
pub struct EditedBoard {
    /// The saved board this replaces; `None` (or a shipped board's id) saves a new board.
    #[serde(default)]
    id: Option<String>,
    /// The board this one was opened from, whose pictures it may reuse.
    #[serde(default)]
    source: Option<String>,
    /// Whether `id` names a board that may be overwritten.
    #[serde(default)]
    editable: bool,
    title: String,
    #[serde(default)]
    description: String,
    /// The rounds, played in order.
    #[serde(default)]
    rounds: Vec<EditedRound>,
    /// A one-round board may be sent as its categories alone.
    #[serde(default, skip_serializing)]
    categories: Vec<EditedCategory>,
    /// The Final clue, if the board has one.
    #[serde(default, rename = "final")]
    final_clue: Option<EditedFinal>,
}

#[derive(Debug, Serialize, Deserialize)]
struct EditedRound {
    #[serde(default)]
    name: String,
    categories: Vec<EditedCategory>,
}

#[derive(Debug, Serialize, Deserialize)]
struct EditedFinal {
    category: String,
    clue: String,
    answer: String,
    #[serde(default)]
    also_accept: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct EditedCategory {
    name: String,
    clues: Vec<EditedClue>,
}

#[derive(Debug, Serialize, Deserialize)]
struct EditedClue {
    value: i64,
    clue: String,
    answer: String,
    #[serde(default)]
    also_accept: Vec<String>,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    audio: Option<String>,
    #[serde(default)]
    video: Option<String>,
    #[serde(default)]
    answer_image: Option<String>,
    #[serde(default)]
    daily_double: bool,
}

/// `GET /api/editor/{id}`: a board's full content, answers included.
pub async fn load(
    teacher: Teacher,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EditedBoard>, ApiError> {
    let shelf = shelf_of(&state, &teacher).await?;
    let library = state.boards();
    let no_such_board = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("there is no board called {id:?}"),
        )
    };
    if !shelf.may_see(&library, &id) {
        return Err(no_such_board());
    }
    let board = library.get(&id).ok_or_else(no_such_board)?;
    Ok(Json(EditedBoard {
        editable: shelf.may_change(&library, &id),
        id: Some(board.id.to_string()),
        source: Some(board.id.to_string()),
        title: board.title.clone(),
        description: board.description.clone().unwrap_or_default(),
        rounds: board
            .rounds
            .iter()
            .map(|round| EditedRound {
                name: round.name.clone(),
                categories: round.categories.iter().map(edited_category).collect(),
            })
            .collect(),
        categories: Vec::new(),
        final_clue: board.final_clue.as_ref().map(|f| EditedFinal {
            category: f.category.clone(),
            clue: f.clue.clone(),
            answer: f.answer.clone(),
            also_accept: f.also_accept.clone(),
        }),
    }))
}

fn edited_category(category: &Category) -> EditedCategory {
    EditedCategory {
        name: category.name.clone(),
        clues: category
            .clues
            .iter()
            .map(|clue| EditedClue {
                value: clue.value,
                clue: clue.clue.clone(),
                answer: clue.answer.clone(),
                also_accept: clue.also_accept.clone(),
                image: clue.image.clone(),
                audio: clue.audio.clone(),
                video: clue.video.clone(),
                answer_image: clue.answer_image.clone(),
                daily_double: clue.daily_double,
            })
            .collect(),
    }
}

fn category(edited: EditedCategory) -> Category {
    Category {
        name: edited.name,
        clues: edited
            .clues
            .into_iter()
            .map(|clue| Clue {
                value: clue.value,
                clue: clue.clue,
                answer: clue.answer,
                also_accept: clean_list(clue.also_accept),
                image: clue.image.filter(|i| !i.trim().is_empty()),
                audio: clue.audio.filter(|i| !i.trim().is_empty()),
                video: clue.video.filter(|i| !i.trim().is_empty()),
                answer_image: clue.answer_image.filter(|i| !i.trim().is_empty()),
                daily_double: clue.daily_double,
            })
            .collect(),
    }
}

fn clean_list(items: Vec<String>) -> Vec<String> {
    items
        .into_iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect()
}

/// The board the editor sent, as the board format holds it.
fn board_of(id: BoardId, edited: EditedBoard) -> Board {
    let mut rounds: Vec<Round> = edited
        .rounds
        .into_iter()
        .enumerate()
        .map(|(i, round)| Round {
            name: Some(round.name.trim().to_owned())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("Round {}", i + 1)),
            categories: round.categories.into_iter().map(category).collect(),
        })
        .collect();
    if rounds.is_empty() {
        rounds.push(Round {
            name: "Round 1".into(),
            categories: edited.categories.into_iter().map(category).collect(),
        });
    }
    Board {
        id,
        title: edited.title,
        description: Some(edited.description).filter(|d| !d.trim().is_empty()),
        rounds,
        final_clue: edited.final_clue.map(|f| FinalClue {
            category: f.category,
            clue: f.clue,
            answer: f.answer,
            also_accept: clean_list(f.also_accept),
        }),
        media: Default::default(),
    }
}

/// Where in the edited board a problem lies, so the editor can point at the
/// field: found from the line of the written board file the check names.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Round, category and clue, from 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    round: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    clue: Option<usize>,
    /// Whether it is in the Final.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    r#final: bool,
    /// The field (`name`, `value`, `clue`, `answer`, `also_accept`, `image`, `title`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

/// Walks the written board file (see [`format::write`]) down to `line`
/// (1-based), counting rounds, categories and clues.
fn place_of(written: &str, line: usize) -> Place {
    let mut place = Place::default();
    let (mut round, mut category, mut clue) = (None::<usize>, None::<usize>, None::<usize>);
    let next = |n: Option<usize>| Some(n.map_or(0, |n| n + 1));
    for text in written.lines().take(line) {
        let text = text.trim();
        match text {
            "[[round]]" => (round, category, clue) = (next(round), None, None),
            "[[category]]" | "[[round.category]]" => (category, clue) = (next(category), None),
            "[[category.clue]]" | "[[round.category.clue]]" => clue = next(clue),
            "[final]" => place.r#final = true,
            _ => {}
        }
    }
    if !place.r#final {
        place.round = Some(round.unwrap_or(0)).filter(|_| category.is_some());
        place.category = category;
        place.clue = clue;
    }
    let at = written.lines().nth(line.saturating_sub(1)).unwrap_or("");
    place.field = at
        .split_once('=')
        .map(|(key, _)| key.trim().to_owned())
        .filter(|key| !key.is_empty() && !key.starts_with('['));
    place
}

/// Reads pictures from the saved-boards folder, or else from the board the
/// edited one was copied from (so a copy of a shipped board keeps its diagram).
struct EditorMedia {
    folder: std::path::PathBuf,
    source: Option<Arc<Board>>,
}

impl MediaSource for EditorMedia {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        check_relative_path(path)?;
        match std::fs::read(self.folder.join(path)) {
            Ok(bytes) => Ok(bytes),
            Err(_) => self
                .source
                .as_ref()
                .and_then(|b| b.media.get(path))
                .map(|m| m.bytes.clone())
                .ok_or_else(|| format!("{path} was not uploaded")),
        }
    }
}

/// `POST /api/editor` with the edited board: checks and saves it.
pub async fn save(
    teacher: Teacher,
    State(state): State<AppState>,
    Json(edited): Json<EditedBoard>,
) -> Result<impl IntoResponse, ApiError> {
    let folder = saving_folder(&state)?;
    let bad = |message: String| ApiError::new(StatusCode::BAD_REQUEST, message);
    let shelf = shelf_of(&state, &teacher).await?;
    // Overwrite only the teacher's own saved board; anything else is saved
    // as a new one, theirs.
    let id = {
        let library = state.boards();
        match edited.id.as_deref() {
            Some(id) if edited.editable && shelf.may_change(&library, id) => {
                BoardId::parse(id).map_err(|e| bad(e.to_string()))?
            }
            _ => library.unused_id(&edited.title),
        }
    };
    // Pictures may be borrowed only from a board the teacher may see.
    let source = edited
        .source
        .as_deref()
        .filter(|s| shelf.may_see(&state.boards(), s))
        .and_then(|s| state.boards().get(s));
    let board = board_of(id.clone(), edited);
    let media = EditorMedia {
        folder: folder.clone(),
        source,
    };
    let written = format::write(&board);
    let checked = format::parse(id, &written, "the board", &media).map_err(|e| {
        let place = e
            .line
            .map(|line| place_of(&written, line))
            .unwrap_or_default();
        ApiError::new(StatusCode::BAD_REQUEST, e.message).with_detail("place", place)
    })?;
    // Pictures borrowed from the source board are copied next to the saved
    // board, so it stands on its own.
    for (path, picture) in &checked.media {
        let target = folder.join(path);
        if !target.exists() {
            let written = target
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&target, &picture.bytes));
            if let Err(e) = written {
                tracing::error!("cannot copy {}: {e}", target.display());
                return Err(ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "a picture could not be saved; nothing was changed",
                ));
            }
        }
    }
    // The pictures first: a server that fetches in between never gets a
    // board without its pictures.
    let pictures: Vec<String> = checked.media.keys().cloned().collect();
    let saved = state
        .save_board(checked, &folder, pictures, teacher.id)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(
            serde_json::json!({ "id": saved.id, "title": saved.title, "clues": saved.clue_count() }),
        ),
    ))
}

/// `POST /api/media?filename=...` with a picture, sound or video as
/// the body: checks it by content and stores it for boards to use. Answers
/// `{"path": "media/...", "kind": "image" | "audio" | "video"}`.
pub async fn upload_media(
    _teacher: Teacher,
    State(state): State<AppState>,
    Query(query): Query<EditorQuery>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let folder = saving_folder(&state)?;
    if body.len() > MAX_MEDIA_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the picture is {} KiB; the limit is {} KiB",
                body.len() / 1024,
                MAX_MEDIA_BYTES / 1024
            ),
        ));
    }
    // Only letters, digits, '-', '_' and one extension survive: a name can
    // never leave the media folder.
    let wanted = query.filename.unwrap_or_default();
    let wanted = wanted.rsplit(['/', '\\']).next().unwrap_or("");
    let (stem, extension) = wanted.rsplit_once('.').unwrap_or((wanted, ""));
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(40)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let name = format!(
        "media/{}-{}.{}",
        &crate::secret::Token::generate().as_str()[..8],
        Some(clean(stem))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "picture".into()),
        clean(extension)
    );
    let media = Media::from_bytes(&name, body.to_vec()).map_err(|e| match e {
        MediaError::TooLarge(why) => ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, why),
        MediaError::Unrecognised(why) => ApiError::new(StatusCode::BAD_REQUEST, why),
    })?;
    let path = folder.join(&name);
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, &body));
    if let Err(e) = written {
        tracing::error!("cannot store {}: {e}", path.display());
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the picture could not be stored",
        ));
    }
    state.share_saved(std::slice::from_ref(&name)).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "path": name, "kind": media.kind })),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_the_written_board_is_traced_back_to_its_round_category_clue_and_field() {
        let written = "title = \"T\"\n\n[[round]]\nname = \"One\"\n\n[[round.category]]\nname = \"A\"\n\n[[round.category.clue]]\nvalue = 100\nclue = \"x\"\nanswer = \"\"\n\n[[round]]\nname = \"Two\"\n\n[[round.category]]\nname = \"B\"\n\n[[round.category]]\nname = \"\"\n\n[final]\ncategory = \"F\"\nclue = \"\"\n";
        let line_of = |needle: &str, nth: usize| {
            written
                .lines()
                .enumerate()
                .filter(|(_, l)| l.starts_with(needle))
                .nth(nth)
                .unwrap()
                .0
                + 1
        };
        let answer = place_of(written, line_of("answer", 0));
        assert_eq!(
            (
                answer.round,
                answer.category,
                answer.clue,
                answer.field.as_deref()
            ),
            (Some(0), Some(0), Some(0), Some("answer"))
        );
        let empty_name = place_of(written, line_of("name = \"\"", 0));
        assert_eq!(
            (empty_name.round, empty_name.category, empty_name.clue),
            (Some(1), Some(1), None)
        );
        let final_clue = place_of(written, line_of("clue = \"\"", 0));
        assert!(final_clue.r#final);
        assert_eq!(final_clue.field.as_deref(), Some("clue"));
        assert_eq!(final_clue.round, None);
        assert_eq!(place_of(written, 1).field.as_deref(), Some("title"));
    }
}
