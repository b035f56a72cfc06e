//! Who may do what over HTTP, checked once, before any body is read.
//!
//! Two secrets open things: the **teacher key** (kept in
//! `data/teacher.key`; starting games, board files, uploads, the editor,
//! the list of running games) and each room's **host key** (that room's
//! controls and downloads). A browser presents neither: the link that
//! carries one signs it in once ([`super::session`]) and its session opens
//! what the key opened. A script sends the key in an `X-Buzzboard-Key`
//! header; no key is read from an address (it would land in logs and
//! histories). Keys are compared in constant time.
//!
//! Handlers take [`Teacher`] or [`HostRoom`] as an extractor; the check
//! runs before the handler, so a request without the right to it is
//! refused before its body (an upload, a picture) is read. What each
//! secret and session opens, and what a refusal says, is decided here
//! only.

use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::error::{ApiError, PageError};
use super::session::{MaybeSession, Session};
use crate::room::RoomHandle;

/// The header a script sends a key in.
pub const KEY_HEADER: &str = "x-buzzboard-key";

/// The number of the teacher the teacher key signs in: the server's owner.
pub const OWNER: i64 = 1;

/// The key a script's request carries in its header.
pub fn presented_key(headers: &axum::http::HeaderMap) -> &str {
    headers
        .get(KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Proof that an admin sent the request: an admin teacher's session, or
/// the teacher key (the owner's) in a script's header.
#[derive(Debug, Clone)]
pub struct Admin {
    /// Which teacher.
    pub id: i64,
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Denied;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Denied> {
        let json = wants_json(parts);
        let teacher = Teacher::from_request_parts(parts, state).await?;
        match state.sessions().teacher(teacher.id).await {
            Ok(Some(record)) if record.admin && !record.disabled => Ok(Admin { id: teacher.id }),
            Ok(_) => Err(Denied::NotAdmin { json }),
            Err(e) => {
                tracing::warn!("cannot read a teacher: {e}");
                Err(Denied::NotAdmin { json })
            }
        }
    }
}

/// A secret a page's address carries on the first click (`?key=`), which
/// signs the browser in ([`super::session::sign_in_and_redirect`]).
#[derive(Deserialize)]
pub struct KeyInAddress {
    pub key: Option<String>,
}

/// Whether a request may run `room`'s controls: it carries the host key
/// (a script), or its session is the teacher's whose game it is, or was
/// given the room by its current host key (a co-host link).
pub fn may_host(
    room: &RoomHandle,
    headers: &axum::http::HeaderMap,
    session: &Option<Session>,
) -> bool {
    if room.host_key().matches(presented_key(headers)) {
        return true;
    }
    session.as_ref().is_some_and(|session| {
        session.record.teacher == Some(room.owner())
            || session.record.opens_room(
                room.code(),
                &crate::secret::digest(room.host_key().as_str()),
            )
    })
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
    /// The teacher is not an admin.
    NotAdmin { json: bool },
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
            Denied::NotAdmin { json: true } => {
                ApiError::new(StatusCode::FORBIDDEN, "this is for the server's admin")
                    .into_response()
            }
            Denied::NotAdmin { json: false } => PageError::NeedsAdmin.into_response(),
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

/// Proof that a teacher sent the request: a teacher's session, or the
/// teacher key in a script's header.
#[derive(Debug, Clone)]
pub struct Teacher {
    /// Which teacher.
    pub id: i64,
}

impl FromRequestParts<AppState> for Teacher {
    type Rejection = Denied;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Denied> {
        if state.teacher_key().matches(presented_key(&parts.headers)) {
            return Ok(Teacher { id: OWNER });
        }
        let Ok(MaybeSession(session)) = MaybeSession::from_request_parts(parts, state).await;
        if let Some(id) = session.and_then(|s| s.record.teacher) {
            Ok(Teacher { id })
        } else {
            Err(Denied::TeacherKey {
                json: wants_json(parts),
            })
        }
    }
}

/// The teacher, when a teacher sent the request; pages that also serve
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

/// A room the request may run (the route's `{code}`; see [`may_host`]).
pub struct HostRoom {
    pub room: RoomHandle,
}

impl FromRequestParts<AppState> for HostRoom {
    type Rejection = Denied;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Denied> {
        let json = wants_json(parts);
        let FoundRoom(room) = FoundRoom::from_request_parts(parts, state).await?;
        let Ok(MaybeSession(session)) = MaybeSession::from_request_parts(parts, state).await;
        if may_host(&room, &parts.headers, &session) {
            Ok(HostRoom { room })
        } else {
            Err(Denied::HostKey { json })
        }
    }
}
