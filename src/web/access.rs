//! Who may do what over HTTP, checked once, before any body is read.
//!
//! Two secrets open things: the **teacher key** (kept in
//! `data/teacher.key`; starting games, board files, uploads, the editor,
//! the list of running games) and each room's **host key** (that room's
//! controls and downloads). Handlers take [`Teacher`] or [`HostRoom`] as an
//! extractor; the check runs before the handler, so a request without the
//! key is refused before its body (an upload, a picture) is read. Both keys
//! travel as `?key=` (the links teachers click) or in an `X-Buzzboard-Key`
//! header (scripts), and are compared in constant time.
//!
//! What each key opens, and what a refusal says, is decided here only.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::error::{ApiError, PageError};
use crate::room::RoomHandle;

/// The header a script may send a key in, instead of `?key=`.
pub const KEY_HEADER: &str = "x-buzzboard-key";

#[derive(Deserialize)]
struct KeyQuery {
    key: Option<String>,
}

/// The key a request carries, from its query or its header.
fn presented_key(parts: &Parts) -> String {
    let from_query = Query::<KeyQuery>::try_from_uri(&parts.uri)
        .ok()
        .and_then(|q| q.0.key);
    from_query
        .or_else(|| {
            parts
                .headers
                .get(KEY_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

/// Whether the caller is a script (the JSON API) rather than a browser page,
/// so a refusal is answered in kind.
fn wants_json(parts: &Parts) -> bool {
    parts.uri.path().starts_with("/api/")
}

/// Why a request was refused.
#[derive(Debug)]
pub enum Denied {
    /// The teacher key is missing or wrong.
    TeacherKey { json: bool },
    /// The room's host key is missing or wrong.
    HostKey { json: bool },
    /// No room has this code.
    NoSuchRoom { code: String, json: bool },
    /// This address tried too many wrong codes.
    TooManyLookups,
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        match self {
            Denied::TeacherKey { json: true } => ApiError::new(
                StatusCode::FORBIDDEN,
                "this needs the teacher key (the teacher link printed when the server started, or data/teacher.key)",
            )
            .into_response(),
            Denied::TeacherKey { json: false } => PageError::NeedsTeacherKey.into_response(),
            Denied::HostKey { json: true } => {
                ApiError::new(StatusCode::FORBIDDEN, "the host key is missing or wrong")
                    .into_response()
            }
            Denied::HostKey { json: false } => PageError::BadHostKey.into_response(),
            Denied::NoSuchRoom { code, json: true } => ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no game has the code {code:?}"),
            )
            .into_response(),
            Denied::NoSuchRoom { code, json: false } => PageError::NoSuchRoom(code).into_response(),
            Denied::TooManyLookups => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many wrong game codes from your network. Wait a minute, then check the code on the projector.",
            )
                .into_response(),
        }
    }
}

/// Proof that the request carries the teacher key.
#[derive(Debug, Clone)]
pub struct Teacher {
    /// The key, to put back into links on the teacher's pages.
    pub key: String,
}

impl FromRequestParts<AppState> for Teacher {
    type Rejection = Denied;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Denied> {
        let key = presented_key(parts);
        if state.teacher_key().matches(&key) {
            Ok(Teacher { key })
        } else {
            Err(Denied::TeacherKey {
                json: wants_json(parts),
            })
        }
    }
}

/// The teacher key when the request carries it; pages that also serve
/// students (the start page) show more to the teacher.
#[derive(Debug, Clone)]
pub struct MaybeTeacher(pub Option<Teacher>);

impl FromRequestParts<AppState> for MaybeTeacher {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, std::convert::Infallible> {
        Ok(MaybeTeacher(
            Teacher::from_request_parts(parts, state).await.ok(),
        ))
    }
}

/// The client's address: the TCP peer, or what a trusted reverse proxy
/// forwarded (`--trust-proxy`). `None` when the app is not served by this
/// server's accept loop.
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, std::convert::Infallible> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0);
        Ok(ClientAddress(peer.map(|peer| {
            super::serve::client_address(peer, &parts.headers, state.limits().trust_proxy)
        })))
    }
}

/// The room of the route's `{code}`, looked up within the client address's
/// budget for wrong codes.
pub struct FoundRoom(pub RoomHandle);

impl FromRequestParts<AppState> for FoundRoom {
    type Rejection = Denied;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Denied> {
        let json = wants_json(parts);
        // The route's `{code}`, whatever other parts it has.
        let code =
            Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
                .await
                .ok()
                .and_then(|mut p| p.0.remove("code"))
                .unwrap_or_default();
        let Ok(ClientAddress(address)) = ClientAddress::from_request_parts(parts, state).await;
        state
            .find_room(&code, address)
            .map(FoundRoom)
            .map_err(|denied| match denied {
                Denied::NoSuchRoom { code, .. } => Denied::NoSuchRoom { code, json },
                other => other,
            })
    }
}

/// A room whose host key the request carries (the route's `{code}`).
pub struct HostRoom {
    pub room: RoomHandle,
    /// The key, to put back into links on the host's page.
    pub key: String,
}

impl FromRequestParts<AppState> for HostRoom {
    type Rejection = Denied;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Denied> {
        let json = wants_json(parts);
        let FoundRoom(room) = FoundRoom::from_request_parts(parts, state).await?;
        let key = presented_key(parts);
        if room.host_key().matches(&key) {
            Ok(HostRoom { room, key })
        } else {
            Err(Denied::HostKey { json })
        }
    }
}
