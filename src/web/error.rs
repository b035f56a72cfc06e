//! Errors a handler can return, and how each is shown.
//!
//! Pages get a friendly HTML page with the right status; the JSON API gets
//! `{"error": "..."}`. A 500 is logged with its cause and shows the user no
//! internals.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// A failed page request.
#[derive(Debug)]
pub enum PageError {
    /// No room has this code.
    NoSuchRoom(String),
    /// The host link's key is missing or wrong.
    BadHostKey,
    /// Board files hold answers: only the teacher link may fetch them.
    NeedsTeacherKey,
    /// The page is for the server's admin.
    NeedsAdmin,
    /// Some other page does not exist.
    NotFound,
    /// The request was wrong; the text says how.
    BadRequest(String),
    /// The server cannot take it now (too many rooms).
    Unavailable(String),
    /// In a cluster: the game's server is changing; it is back in moments.
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))]
    Moving,
    /// Our fault; the text is logged, not shown.
    Internal(String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    /// The page's key in the translation catalogues (`page_error.<key>`),
    /// when its words are fixed; `params` (JSON) fills them in.
    key: Option<&'static str>,
    params: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            PageError::NoSuchRoom(code) => (
                StatusCode::NOT_FOUND,
                "No such game",
                format!(
                    "There is no game with the code \u{201c}{code}\u{201d}. Check the code on the projector and try again."
                ),
            ),
            PageError::BadHostKey => (
                StatusCode::FORBIDDEN,
                "This host link is not valid",
                "The link is missing its key or the key is wrong. Open the exact host link that was shown when the game was started.".to_owned(),
            ),
            PageError::NeedsTeacherKey => (
                StatusCode::FORBIDDEN,
                "Teachers only",
                "This page holds answers, so it is for teachers: sign in first (at /signin), or, on the computer running Buzzboard, open the teacher link it printed when it started.".to_owned(),
            ),
            PageError::NeedsAdmin => (
                StatusCode::FORBIDDEN,
                "This is for the server's admin",
                "Only an admin of this Buzzboard server can open this page.".to_owned(),
            ),
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is nothing at this address.".to_owned(),
            ),
            PageError::BadRequest(why) => (StatusCode::BAD_REQUEST, "That did not work", why.clone()),
            PageError::Unavailable(why) => {
                (StatusCode::SERVICE_UNAVAILABLE, "Please try again later", why.clone())
            }
            PageError::Moving => (
                StatusCode::SERVICE_UNAVAILABLE,
                "This game is moving between servers",
                "It will be back in a moment: reload this page in a few seconds. Nothing is lost."
                    .to_owned(),
            ),
            PageError::Internal(cause) => {
                tracing::error!("internal error: {cause}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The server hit an error. Please try again.".to_owned(),
                )
            }
        };
        let (key, params) = match &self {
            PageError::NoSuchRoom(code) => (
                Some("no_such_room"),
                serde_json::json!({ "code": code }).to_string(),
            ),
            PageError::BadHostKey => (Some("bad_host_key"), "{}".to_owned()),
            PageError::NeedsTeacherKey => (Some("needs_teacher_key"), "{}".to_owned()),
            PageError::NotFound => (Some("not_found"), "{}".to_owned()),
            PageError::NeedsAdmin => (Some("needs_admin"), "{}".to_owned()),
            PageError::Internal(_) => (Some("internal"), "{}".to_owned()),
            PageError::Moving => (Some("moving"), "{}".to_owned()),
            PageError::BadRequest(_) | PageError::Unavailable(_) => (None, String::new()),
        };
        let page = ErrorPage {
            title,
            message: &message,
            key,
            params,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!("cannot render the error page: {e}");
                (status, message).into_response()
            }
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        PageError::Internal(format!("template: {e}"))
    }
}

/// A failed API request.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    /// More for the caller, beside `error` (say, where in a board).
    detail: Option<(&'static str, serde_json::Value)>,
}

impl ApiError {
    /// A 4xx or 5xx with a message for the caller.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            detail: None,
        }
    }

    /// Adds a field to the error's JSON body, beside `error`.
    pub fn with_detail(mut self, name: &'static str, value: impl serde::Serialize) -> ApiError {
        self.detail = serde_json::to_value(value).ok().map(|v| (name, v));
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// What went wrong, for the caller.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.message });
        if let Some((name, value)) = self.detail {
            body[name] = value;
        }
        (self.status, Json(body)).into_response()
    }
}

// Domain errors become HTTP answers here, and only here.

impl From<super::api::StartError> for ApiError {
    fn from(e: super::api::StartError) -> Self {
        use super::api::StartError;
        let status = match &e {
            StartError::NoSuchBoard { .. } => StatusCode::NOT_FOUND,
            StartError::Create(crate::rooms::CreateError::TooManyRooms) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            StartError::Create(crate::rooms::CreateError::NotSaved(cause)) => {
                tracing::error!("cannot save a new room: {cause}");
                StatusCode::SERVICE_UNAVAILABLE
            }
        };
        ApiError::new(status, e.to_string())
    }
}

impl From<super::api::StartError> for PageError {
    fn from(e: super::api::StartError) -> Self {
        use super::api::StartError;
        match &e {
            StartError::NoSuchBoard { .. } => PageError::BadRequest(e.to_string()),
            StartError::Create(crate::rooms::CreateError::NotSaved(cause)) => {
                tracing::error!("cannot save a new room: {cause}");
                PageError::Unavailable(e.to_string())
            }
            StartError::Create(_) => PageError::Unavailable(e.to_string()),
        }
    }
}
