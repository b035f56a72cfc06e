//! In a cluster, every request for a room reaches the server that runs it.
//!
//! The load balancer sends each room's requests to one server by hashing
//! the room code, which is almost always the room's owner (a new room is
//! started by the first request for it, on the server the hash picks). When
//! it is not (a server just died, came back, or was added), this layer
//! finds the owner in the database and relays the request to it, WebSocket
//! upgrades included: the page keeps one connection, to this server, which
//! copies bytes both ways. A room whose owner does not answer is taken over
//! once its lease runs out; the request waits for that (a page reconnecting
//! after its server died is served by the new owner as soon as it can be).
//!
//! A relayed request carries [`FORWARDED`], and is never relayed again: if
//! ownership moved once more meanwhile, the page is told to try again.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;

use super::AppState;
use crate::cluster::Place;
use crate::secret;

/// Marks a request one server relayed to another.
pub const FORWARDED: &str = "x-buzzboard-forwarded";

/// How long to wait for the owner to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// The room code a request is for, if it is a room's request: its pages,
/// socket, downloads and QR code, and `/join?code=`.
fn room_code(uri: &Uri) -> Option<String> {
    let mut parts = uri.path().trim_start_matches('/').split('/');
    let code = match parts.next()? {
        "host" | "board" | "play" | "ws" | "rooms" => parts.next()?.to_owned(),
        "join" => {
            axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(uri)
                .ok()?
                .0
                .remove("code")?
        }
        _ => return None,
    };
    let code = secret::normalise_code(&code);
    (!code.is_empty() && code.len() <= 12 && code.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(code)
}

/// Whether a page or call shows or uses the library of boards (the teacher
/// page, the editor, board files and their media, starting a game).
fn shows_boards(path: &str) -> bool {
    path == "/"
        || path == "/rooms"
        || path == "/editor"
        || ["/api/", "/boards/", "/media/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// The layer: runs the request here if this server runs (or can take) the
/// room, otherwise relays it to the owner.
pub async fn route(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(cluster) = state.cluster() else {
        return next.run(request).await;
    };
    let Some(code) = room_code(request.uri()) else {
        if shows_boards(request.uri().path()) {
            // Boards another server saved are offered here too.
            state.fetch_saved().await;
        }
        return next.run(request).await;
    };
    // Served here only while this server's leases are fresh: a server
    // that was paused (SIGSTOP, a frozen VM) may have lost its rooms while
    // it slept, and must not serve their old state before it knows.
    if cluster.is_healthy()
        && state
            .rooms()
            .get(&code)
            .is_some_and(|room| room.is_running())
    {
        return next.run(request).await;
    }
    let client = client_address(&state, &request);
    if let Some(address) = client
        && !state.has_lookup_budget(address)
    {
        // The handler refuses it, without a database query.
        return next.run(request).await;
    }
    let relayed = request.headers().contains_key(FORWARDED);
    // A person loading a page gets a page that says what is going on.
    let page = request.method() == axum::http::Method::GET
        && !request.headers().contains_key(header::UPGRADE)
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    // A room taken over here may play a board saved on another server.
    state.fetch_saved().await;
    // A dead owner's lease runs out within one lease; waiting a little
    // longer covers the renewal it may have made just before it died.
    let give_up_at = Instant::now() + cluster.lease() * 2 + Duration::from_secs(1);
    let mut request = request;
    // An owner that did not answer is not asked again: its lease is
    // waited out instead.
    let mut unreached: Option<String> = None;
    loop {
        let links = state.clone();
        let place = cluster
            .locate(state.rooms(), &code, |saved| {
                let boards = state.boards();
                state
                    .rooms()
                    .restore(saved, &boards, move |code| links.links(code, "").join_url)
            })
            .await;
        let (address, remaining) = match place {
            Ok(Place::Here(_)) | Ok(Place::Nowhere) => return next.run(request).await,
            Ok(Place::There { address, remaining }) => (address, remaining),
            Err(e) => {
                tracing::warn!(room = %code, "cannot find who runs the room: {e}");
                return try_again(page, "the game's database cannot be reached");
            }
        };
        if relayed {
            return try_again(page, "the game is moving between servers");
        }
        if address != cluster.address() && unreached.as_deref() != Some(address.as_str()) {
            // A paused owner still accepts connections but never answers:
            // give it until its lease would run out, then take the room.
            let limit = remaining + cluster.lease() / 2;
            match relay(request, &address, client, limit).await {
                Ok(response) => return response,
                Err(Unreached(back)) => {
                    request = back;
                    unreached = Some(address.clone());
                    // Time has passed: ask again who holds it, and for how long.
                    continue;
                }
            }
        }
        // The owner is gone (or is a previous run of this server): its
        // lease runs out within `remaining`, and the room is then taken.
        let wait = remaining + Duration::from_millis(50);
        if Instant::now() + wait > give_up_at {
            return try_again(page, "the game's server does not answer");
        }
        tokio::time::sleep(wait).await;
    }
}

fn client_address(state: &AppState, request: &Request) -> Option<IpAddr> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0)?;
    Some(super::serve::client_address(
        peer,
        request.headers(),
        state.limits().trust_proxy,
    ))
}

/// 503 with `Retry-After`: the pages' sockets retry by themselves; a person
/// loading a page is told, in their language, to reload in a moment.
fn try_again(page: bool, why: &str) -> Response {
    tracing::debug!("asked to try again: {why}");
    let mut response = if page {
        super::error::PageError::Moving.into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{why}; try again in a moment"),
        )
            .into_response()
    };
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// The owner could not be reached; the request is handed back unsent.
struct Unreached(Request);

/// Sends `request` to the server at `address` and its answer back; a
/// WebSocket upgrade becomes a byte relay between the two connections. An
/// owner that does not answer within `limit` is unreached (the request is
/// handed back when it has no body to lose).
async fn relay(
    mut request: Request,
    address: &str,
    client: Option<IpAddr>,
    limit: Duration,
) -> Result<Response, Unreached> {
    let stream = match tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::TcpStream::connect(address),
    )
    .await
    {
        Ok(Ok(stream)) => stream,
        _ => return Err(Unreached(request)),
    };
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) =
        match hyper::client::conn::http1::handshake::<_, Body>(TokioIo::new(stream)).await {
            Ok(pair) => pair,
            Err(_) => return Err(Unreached(request)),
        };
    tokio::spawn(async move {
        let _ = connection.with_upgrades().await;
    });
    // Kept to rebuild the request if the owner does not answer: the
    // page's own upgrade, and the request without a body.
    let page_upgrade = request
        .extensions_mut()
        .remove::<hyper::upgrade::OnUpgrade>();
    let bodiless =
        request.method() == axum::http::Method::GET || request.method() == axum::http::Method::HEAD;
    let copy = bodiless.then(|| {
        let mut copy = Request::new(Body::empty());
        *copy.method_mut() = request.method().clone();
        *copy.uri_mut() = request.uri().clone();
        *copy.headers_mut() = request.headers().clone();
        // The route's parameters and the client's address go along.
        *copy.extensions_mut() = request.extensions().clone();
        copy
    });
    let upgrade = request.headers().contains_key(header::UPGRADE);
    let headers = request.headers_mut();
    headers.insert(FORWARDED, HeaderValue::from_static("1"));
    // The owner sees the client's address, not this server's (it trusts
    // the forwarded address, as every server behind the balancer must).
    if let Some(client) = client
        && let Ok(value) = HeaderValue::from_str(&client.to_string())
    {
        headers.insert("x-forwarded-for", value.clone());
        headers.insert("x-real-ip", value);
    }
    let mut response = match tokio::time::timeout(limit, sender.send_request(request)).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => {
            tracing::warn!("relay to {address} failed: {e}");
            return Ok(try_again(false, "the game's server did not answer"));
        }
        Err(_) => {
            tracing::warn!("{address} did not answer within {limit:?}: taken as gone");
            return match copy {
                Some(mut copy) => {
                    if let Some(on) = page_upgrade {
                        copy.extensions_mut().insert(on);
                    }
                    Err(Unreached(copy))
                }
                None => Ok(try_again(false, "the game's server did not answer")),
            };
        }
    };
    if response.status() == StatusCode::SWITCHING_PROTOCOLS
        && upgrade
        && let Some(page) = page_upgrade
    {
        let owner = hyper::upgrade::on(&mut response);
        tokio::spawn(async move {
            let (Ok(page), Ok(owner)) = tokio::join!(page, owner) else {
                return;
            };
            let _ =
                tokio::io::copy_bidirectional(&mut TokioIo::new(page), &mut TokioIo::new(owner))
                    .await;
        });
    }
    Ok(response.map(Body::new))
}

#[cfg(test)]
mod tests {
    //! Which requests belong to a room.
    use super::*;

    fn code(uri: &str) -> Option<String> {
        room_code(&uri.parse().unwrap())
    }

    #[test]
    fn every_route_of_a_room_names_its_code() {
        for uri in [
            "/ws/ABCDE?token=x",
            "/host/abcde?key=k",
            "/host/ABCDE/audit.csv",
            "/board/ABCDE",
            "/play/ABCDE",
            "/rooms/ABCDE/qr.svg",
            "/join?code=abcde",
        ] {
            assert_eq!(code(uri).as_deref(), Some("ABCDE"), "{uri}");
        }
    }

    #[test]
    fn other_routes_and_odd_codes_are_not_a_room() {
        for uri in [
            "/",
            "/rooms",
            "/join",
            "/static/app.js",
            "/api/rooms",
            "/play/..%2F",
            "/play/AAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert_eq!(code(uri), None, "{uri}");
        }
    }
}
