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
//! - **Same origin.** A WebSocket upgrade or a state-changing request
//!   (anything but `GET`/`HEAD`) that a browser sends for a page of another
//!   site is refused, so a page elsewhere cannot join players or start
//!   games from a visitor's browser. The browser's own word decides:
//!   `Sec-Fetch-Site` (sent by every current browser, and not settable by a
//!   page) must be `same-origin` (or `none`: typed by the user). A browser
//!   too old to send it is judged by `Origin`, which must be one of the
//!   addresses this server is served at, scheme, host and port alike; an
//!   opaque `Origin: null` (a sandboxed frame, a `data:` page) is refused.
//!   Programs that send neither header (scripts with the teacher key, test
//!   clients) are not browsers acting for someone else, and pass.
//!
//! Pages are served with `Referrer-Policy: strict-origin`, so a browser's
//! `Origin` is real (under `no-referrer` Chromium sends `Origin: null` with
//! every form post, and old browsers that lack `Sec-Fetch-Site` could not be
//! told from a sandboxed attacker) while no `Referer` ever carries a path or
//! a key.
//!
//! The server is served at `http://` + the request's `Host`, at
//! `--public-url`, at every `--allowed-origin` (behind a reverse proxy, the
//! public address), and, with `--trust-proxy`, at the address the proxy's
//! `X-Forwarded-Proto` and `X-Forwarded-Host` name.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
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

/// A URL's origin in one spelling: lower-case scheme and host, the port
/// only when it is not the scheme's default ("HTTPS://Quiz.example.org:443/x"
/// -> "https://quiz.example.org"). `None` for anything but http(s) URLs
/// (including the opaque origin `null`).
pub fn normal_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    // Credentials never belong in an origin.
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    // "[::1]:3000" and "example.org:3000": the host, and the port if any.
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            let port = match after {
                "" => None,
                other => Some(other.strip_prefix(':')?),
            };
            (format!("[{inside}]"), port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (authority.clone(), None),
        },
    };
    if host.is_empty()
        || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let authority = match port {
        Some(port) if port != default_port => format!("{host}:{port}"),
        _ => host,
    };
    Some(format!("{scheme}://{authority}"))
}

/// Whether the server answers to `host` (a `Host` header's host name).
fn known_host(state: &AppState, host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
        || host == "localhost"
        || state.allowed_hosts().iter().any(|h| h == host)
}

/// Why a browser's request was judged to come from another site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foreign {
    /// The browser said the request came from another site.
    FetchSite(String),
    /// The page's origin is not one this server is served at.
    Origin(String),
}

/// The origins this request may come from: `http://` and its `Host`, the
/// configured addresses, and (behind a trusted proxy) what the proxy says
/// the client asked for.
fn served_origins(state: &AppState, headers: &HeaderMap, authority: Option<&str>) -> Vec<String> {
    let mut origins = state.allowed_origins();
    if let Some(authority) = authority {
        origins.extend(normal_origin(&format!("http://{authority}")));
        if state.limits().trust_proxy {
            let text = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.rsplit(',').next())
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
            };
            let scheme = text("x-forwarded-proto").unwrap_or("http");
            let host = text("x-forwarded-host").unwrap_or(authority);
            origins.extend(normal_origin(&format!("{scheme}://{host}")));
        }
    }
    origins
}

/// Decides whether a browser sent this request for a page of this site.
pub fn same_origin(
    state: &AppState,
    headers: &HeaderMap,
    authority: Option<&str>,
) -> Result<(), Foreign> {
    let header_text = |name: header::HeaderName| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap_or("(unreadable)").trim().to_owned())
    };
    if let Some(site) = header_text(header::HeaderName::from_static("sec-fetch-site")) {
        return match site.to_ascii_lowercase().as_str() {
            "same-origin" | "none" => Ok(()),
            _ => Err(Foreign::FetchSite(site)),
        };
    }
    let Some(origin) = header_text(header::ORIGIN) else {
        return Ok(());
    };
    match normal_origin(&origin) {
        Some(o) if served_origins(state, headers, authority).contains(&o) => Ok(()),
        _ => Err(Foreign::Origin(origin)),
    }
}

/// The middleware: refuses foreign hosts and cross-site writes.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let authority = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    let host = authority.as_deref().map(hostname);
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
    if (writes || upgrade)
        && let Err(foreign) = same_origin(&state, request.headers(), authority.as_deref())
    {
        tracing::info!(
            method = %request.method(),
            path = request.uri().path(),
            "refused a request from another site: {foreign:?}"
        );
        return (
            StatusCode::FORBIDDEN,
            "Pages of other sites cannot act on this server.",
        )
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    //! Reading hosts out of headers and URLs, and telling this site's
    //! requests from another's.
    use super::*;
    use axum::http::HeaderValue;

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

    #[test]
    fn origins_are_compared_in_one_spelling() {
        assert_eq!(
            normal_origin("HTTPS://Quiz.Example.org:443/x?y").as_deref(),
            Some("https://quiz.example.org")
        );
        assert_eq!(
            normal_origin("http://192.168.1.20:3000").as_deref(),
            Some("http://192.168.1.20:3000")
        );
        assert_eq!(
            normal_origin("http://[::1]:3000").as_deref(),
            Some("http://[::1]:3000")
        );
        assert_eq!(
            normal_origin("http://[::1]").as_deref(),
            Some("http://[::1]")
        );
        assert_eq!(normal_origin("null"), None);
        assert_eq!(normal_origin("file:///x"), None);
        assert_eq!(normal_origin("http://a@b.example"), None);
    }

    fn state() -> AppState {
        AppState::new(
            crate::board::BoardLibrary::builtin(),
            "http://192.168.1.20:3000",
        )
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn a_form_posted_by_a_page_of_this_site_passes_even_with_a_null_origin() {
        // Chromium under `Referrer-Policy: no-referrer` posts forms so.
        let sent = headers(&[("sec-fetch-site", "same-origin"), ("origin", "null")]);
        assert_eq!(
            same_origin(&state(), &sent, Some("192.168.1.20:3000")),
            Ok(())
        );
    }

    #[test]
    fn the_browser_saying_another_site_sent_it_is_refused() {
        for site in ["cross-site", "same-site"] {
            let sent = headers(&[
                ("sec-fetch-site", site),
                ("origin", "http://192.168.1.20:3000"),
            ]);
            assert!(same_origin(&state(), &sent, Some("192.168.1.20:3000")).is_err());
        }
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_match_scheme_host_and_port() {
        let st = state();
        let check = |origin: &str| {
            same_origin(
                &st,
                &headers(&[("origin", origin)]),
                Some("192.168.1.20:3000"),
            )
        };
        assert_eq!(check("http://192.168.1.20:3000"), Ok(()));
        assert!(check("null").is_err(), "an opaque origin is refused");
        assert!(check("http://192.168.1.20:8080").is_err(), "another port");
        assert!(
            check("https://192.168.1.20:3000").is_err(),
            "another scheme"
        );
        assert!(check("http://evil.example").is_err());
    }

    #[test]
    fn a_program_that_sends_neither_header_passes() {
        assert_eq!(
            same_origin(&state(), &HeaderMap::new(), Some("127.0.0.1:3000")),
            Ok(())
        );
    }
}
