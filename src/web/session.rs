//! Signing in: a server-side session behind an HttpOnly cookie.
//!
//! A secret travels in an address once, on the first click (the teacher
//! link printed at start-up, a host link): the page it opens signs the
//! browser in and sends it on to the same address without the secret
//! ([`sign_in_and_redirect`]), so the secret leaves the address bar, the
//! history and any proxy's later log lines. From then on the browser shows
//! a random session id in a cookie: `HttpOnly` (no script reads it),
//! `SameSite=Lax` (another site's forms and scripts do not carry it; the
//! origin guard refuses their writes besides), `Secure` when the site is
//! served over HTTPS. The database keeps the id's digest
//! ([`crate::store::sessions`]); signing out deletes it.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::AppState;
use crate::secret::{Token, digest};
use crate::store::SessionRecord;

/// The cookie's name.
pub const COOKIE: &str = "buzzboard_session";
/// How long a sign-in lasts.
pub const LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);

/// A signed-in browser's session, as the database has it.
#[derive(Debug, Clone)]
pub struct Session {
    /// The digest of the session id (the database's key).
    pub id_digest: String,
    /// What the session opens.
    pub record: SessionRecord,
}

/// The value of the request's cookie `name`, if it is a 128-bit secret
/// (32 hex digits); anything else is no cookie at all.
pub fn secret_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.trim())
        .filter(|value| value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The session id a request's cookie carries, if any.
fn presented_id(headers: &HeaderMap) -> Option<&str> {
    secret_cookie(headers, COOKIE)
}

/// The request's session, if it has a live one. Looked up once per
/// request (the answer is kept in the request's extensions).
#[derive(Debug, Clone)]
pub struct MaybeSession(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, std::convert::Infallible> {
        if let Some(known) = parts.extensions.get::<MaybeSession>() {
            return Ok(known.clone());
        }
        let found = match presented_id(&parts.headers) {
            Some(id) => lookup(state, id).await,
            None => None,
        };
        let found = MaybeSession(found);
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}

/// The live session with this id; a database that cannot answer opens
/// nothing (and is logged).
async fn lookup(state: &AppState, id: &str) -> Option<Session> {
    let id_digest = digest(id);
    match state.sessions().session(&id_digest).await {
        Ok(record) => record.map(|record| Session { id_digest, record }),
        Err(e) => {
            tracing::warn!("cannot read a session: {e}");
            None
        }
    }
}

/// Whether pages are served over HTTPS (the public address says so, or a
/// trusted proxy does): the cookie is then `Secure`.
fn served_over_https(state: &AppState, headers: &HeaderMap) -> bool {
    state.public_url().starts_with("https://")
        || (state.limits().trust_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("https")))
}

/// The `Set-Cookie` value for session `id` (or, with `None`, one that
/// clears it).
fn cookie(id: Option<&str>, secure: bool) -> HeaderValue {
    let (value, age) = match id {
        Some(id) => (id, LIFETIME.as_secs()),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; Max-Age={age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("a session cookie is plain ASCII")
}

/// The address a page was asked at, without its `key` (the rest of its
/// query, such as `?lang=`, is kept): where signing in sends the browser.
pub fn address_without_key(uri: &axum::http::Uri) -> String {
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("key"))
        .collect();
    if kept.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{}", uri.path(), kept.join("&"))
    }
}

/// What a secret in an address opened.
pub enum Opened {
    /// The teacher's space (the teacher key, teacher number 1).
    Teacher(i64),
    /// One room's controls, with its host key.
    Room { code: String, host_key: String },
}

/// Signs the browser in with what a secret in its address opened, and sends
/// it to `to` (the same page without the secret). A teacher's sign-in is a
/// new session; a room is added to the browser's live session if it has
/// one, so a teacher who opens a co-host link keeps their own space.
pub async fn sign_in_and_redirect(
    state: &AppState,
    headers: &HeaderMap,
    current: Option<Session>,
    opened: Opened,
    to: &str,
) -> Response {
    let secure = served_over_https(state, headers);
    let result: Result<Option<Token>, crate::store::StoreError> = async {
        match opened {
            Opened::Teacher(teacher) => {
                let id = Token::generate();
                state
                    .sessions()
                    .create_session(&digest(id.as_str()), Some(teacher), LIFETIME)
                    .await?;
                Ok(Some(id))
            }
            Opened::Room { code, host_key } => {
                let (id, id_digest) = match current {
                    Some(session) => (None, session.id_digest),
                    None => {
                        let id = Token::generate();
                        let id_digest = digest(id.as_str());
                        state
                            .sessions()
                            .create_session(&id_digest, None, LIFETIME)
                            .await?;
                        (Some(id), id_digest)
                    }
                };
                state
                    .sessions()
                    .open_room_to_session(&id_digest, &code, &digest(&host_key))
                    .await?;
                Ok(id)
            }
        }
    }
    .await;
    match result {
        Ok(new_id) => {
            let mut response = Redirect::to(to).into_response();
            if let Some(id) = new_id {
                response
                    .headers_mut()
                    .insert(header::SET_COOKIE, cookie(Some(id.as_str()), secure));
            }
            // The page with the secret in its address is never kept.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => super::error::PageError::Internal(format!("cannot sign in: {e}")).into_response(),
    }
}

/// `POST /signout`: ends the browser's session and sends it to the start
/// page.
pub async fn sign_out(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    MaybeSession(session): MaybeSession,
) -> Response {
    if let Some(session) = session
        && let Err(e) = state.sessions().end_session(&session.id_digest).await
    {
        return super::error::PageError::Internal(format!("cannot sign out: {e}")).into_response();
    }
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        cookie(None, served_over_https(&state, &headers)),
    );
    response
}

#[cfg(test)]
mod tests {
    //! The cookie: found among others, ignored when malformed.
    use super::*;

    fn headers(cookie_line: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(cookie_line).unwrap());
        headers
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            presented_id(&headers(&format!("theme=dark; {COOKIE}={id}; lang=fr"))),
            Some(id)
        );
    }

    #[test]
    fn a_malformed_session_cookie_is_no_session() {
        assert_eq!(presented_id(&headers(&format!("{COOKIE}=short"))), None);
        assert_eq!(
            presented_id(&headers("other=0123456789abcdef0123456789abcdef")),
            None
        );
    }

    #[test]
    fn signing_in_keeps_the_rest_of_the_address_but_the_key() {
        let uri = |text: &str| text.parse::<axum::http::Uri>().unwrap();
        assert_eq!(
            address_without_key(&uri("/host/ABCDE?key=k")),
            "/host/ABCDE"
        );
        assert_eq!(
            address_without_key(&uri("/host/ABCDE?key=k&lang=ar-XB")),
            "/host/ABCDE?lang=ar-XB"
        );
        assert_eq!(
            address_without_key(&uri("/editor?board=x&key=k&key=again")),
            "/editor?board=x"
        );
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_under_https() {
        let plain = cookie(Some("ab"), false);
        let plain = plain.to_str().unwrap();
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        assert!(
            cookie(Some("ab"), true)
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
        assert!(cookie(None, false).to_str().unwrap().contains("Max-Age=0"));
    }
}
