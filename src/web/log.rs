//! One log line per request: method, address with its secrets blanked,
//! status, time taken and the client's address, for an admin's access
//! log. A secret can still arrive in an address on a link's first click
//! (`?key=`, `?token=`): its value is written as `…`, so the server's own
//! log never holds one. Static files, pictures and health checks log at
//! debug level (a class loading its pages would bury the rest); the other
//! requests at info. WebSocket sessions log one line when they end
//! ([`super::ws`]).

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use super::access::ClientAddress;

/// Query parameters whose values are secrets.
const SECRET_PARAMETERS: [&str; 2] = ["key", "token"];

/// The request's path and query as they may be logged: every secret
/// parameter's value blanked.
pub fn loggable(uri: &axum::http::Uri) -> String {
    let Some(query) = uri.query() else {
        return uri.path().to_owned();
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_PARAMETERS.contains(&name) => format!("{name}=…"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{}?{}", uri.path(), query.join("&"))
}

/// Whether a path is one of the many quiet ones (assets, pictures, health).
fn quiet(path: &str) -> bool {
    path.starts_with("/static/") || path.starts_with("/media/") || path == "/healthz"
}

/// The middleware: lets the request through, then logs it.
pub async fn access_log(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let address = loggable(request.uri());
    let (mut parts, body) = request.into_parts();
    let Ok(ClientAddress(client)) =
        <ClientAddress as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, &state,
        )
        .await;
    let response = next.run(Request::from_parts(parts, body)).await;
    let status = response.status().as_u16();
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let client = client.map(|c| c.to_string()).unwrap_or_default();
    if quiet(&address) {
        tracing::debug!(target: "buzzboard::access", %method, path = %address, status, ms = millis, client = %client, "request");
    } else {
        tracing::info!(target: "buzzboard::access", %method, path = %address, status, ms = millis, client = %client, "request");
    }
    response
}

#[cfg(test)]
mod tests {
    //! What an access log line may say about an address.
    use super::*;

    #[test]
    fn secrets_in_an_address_are_blanked_and_the_rest_kept() {
        let uri = |text: &str| text.parse::<axum::http::Uri>().unwrap();
        assert_eq!(
            loggable(&uri("/host/ABCDE?key=0123&lang=fr")),
            "/host/ABCDE?key=…&lang=fr"
        );
        assert_eq!(loggable(&uri("/invite?token=abcd")), "/invite?token=…");
        assert_eq!(loggable(&uri("/join?code=ABCDE")), "/join?code=ABCDE");
        assert_eq!(loggable(&uri("/play/ABCDE")), "/play/ABCDE");
    }
}
