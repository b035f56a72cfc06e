//! Which sites may talk to this server from a visitor's browser.
//!
//! Two checks, on every request, before any handler:
//!
//! - **Host.** A request whose `Host` names a domain this server does not
//!   answer to is refused. That stops DNS rebinding: a page on another site
//!   whose domain is made to resolve to a classroom laptop still sends its
//!   own domain as `Host`. IP addresses (the LAN address phones use, or
//!   127.0.0.1) and `localhost` are always answered: a browser only sends
//!   them when the user typed them.
//! - **Origin.** A WebSocket upgrade or a state-changing request (anything
//!   but `GET`/`HEAD`) that comes from a page of another site is refused, so
//!   a page elsewhere cannot join players or start games from a visitor's
//!   browser. Browsers send `Origin` with both; programs that send none
//!   (scripts with the teacher key, test clients) are not browsers acting
//!   for someone else, and pass.
//!
//! The server answers to the host of `--public-url` and of every
//! `--allowed-origin` (behind a reverse proxy, the public address).

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

/// The host part of `authority` ("example.org:3000" -> "example.org",
/// "[::1]:3000" -> "::1"), lower case.
fn hostname(authority: &str) -> String {
    let authority = authority.trim().to_ascii_lowercase();
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("").to_owned();
    }
    authority
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map(|(host, _)| host.to_owned())
        .unwrap_or(authority)
}

/// The host of a URL or origin ("https://quiz.example.org:443/x" ->
/// "quiz.example.org").
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, rest)| rest)?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = hostname(authority);
    (!host.is_empty()).then_some(host)
}

/// Whether the server answers to `host` (a `Host` header's host name).
fn known_host(state: &AppState, host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
        || host == "localhost"
        || state.allowed_hosts().iter().any(|h| h == host)
}

/// The middleware: refuses foreign hosts and cross-site writes.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(hostname)
        .or_else(|| request.uri().host().map(hostname));
    if let Some(host) = &host
        && !known_host(&state, host)
    {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "This Buzzboard server does not answer to {host:?}. Its address is {}; the operator can add others with --allowed-origin.",
                state.public_url()
            ),
        )
            .into_response();
    }
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
    let upgrade = request.headers().contains_key(header::UPGRADE);
    if writes || upgrade {
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok());
        if let Some(origin) = origin {
            let same_site = url_host(origin)
                .is_some_and(|o| Some(&o) == host.as_ref() || state.allowed_hosts().contains(&o));
            if !same_site {
                return (
                    StatusCode::FORBIDDEN,
                    "Pages of other sites cannot act on this server.",
                )
                    .into_response();
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    //! Reading hosts out of headers and URLs.
    use super::*;

    #[test]
    fn a_host_header_loses_its_port_and_case() {
        assert_eq!(hostname("Quiz.Example.org:3000"), "quiz.example.org");
        assert_eq!(hostname("127.0.0.1"), "127.0.0.1");
        assert_eq!(hostname("[::1]:3000"), "::1");
    }

    #[test]
    fn an_origin_gives_its_host() {
        assert_eq!(
            url_host("https://quiz.example.org").as_deref(),
            Some("quiz.example.org")
        );
        assert_eq!(
            url_host("http://192.168.1.20:3000/").as_deref(),
            Some("192.168.1.20")
        );
        assert_eq!(url_host("null"), None);
    }
}
