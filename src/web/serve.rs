//! Accepting connections, before any HTTP: how many, from whom, how slow.
//!
//! axum's own `serve` sets no limits: 500 connections that never finish
//! their headers, or that say nothing at all, held every descriptor the
//! process had, and then `/healthz` and reconnecting phones timed out. Here
//! every connection must finish a request's headers within
//! [`HEADER_TIMEOUT`] (an idle keep-alive connection too), each address may
//! hold at most `--sockets-per-address` connections that have not become
//! WebSockets yet, and the server as a whole at most `--max-connections` of
//! them. A refused
//! connection is closed at once, before anything is read.
//!
//! WebSockets are counted apart, once upgraded (`src/web/ws.rs`): per
//! address, and in all with a reserve kept for pages coming back to games
//! that are running.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::connect_info::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// Time a connection has to send a request's headers, and that an idle
/// keep-alive connection is kept.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Open connections per address, released as they close.
#[derive(Clone, Default)]
pub struct Counter {
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
    total: Arc<std::sync::atomic::AtomicUsize>,
    /// Woken when the count drops to zero.
    none_left: Arc<tokio::sync::Notify>,
}

/// One counted connection; uncounted on drop.
pub struct Counted {
    counter: Counter,
    address: IpAddr,
}

impl Drop for Counted {
    fn drop(&mut self) {
        if self
            .counter
            .total
            .fetch_sub(1, std::sync::atomic::Ordering::AcqRel)
            == 1
        {
            self.counter.none_left.notify_waiters();
        }
        // A std mutex, held for a map update only, never across an await.
        let mut counts = self
            .counter
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(count) = counts.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

impl Counter {
    /// Counts one more connection from `address`, unless that would pass
    /// `per_address` for it or `total` in all.
    pub fn admit(&self, address: IpAddr, per_address: usize, total: usize) -> Option<Counted> {
        // One IPv6 network is one client.
        let address = crate::net::client_key(address);
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.total.load(std::sync::atomic::Ordering::Relaxed);
        let mine = counts.get(&address).copied().unwrap_or(0);
        if mine >= per_address || now >= total {
            return None;
        }
        counts.insert(address, mine + 1);
        self.total
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(Counted {
            counter: self.clone(),
            address,
        })
    }

    /// Connections counted now, in all.
    pub fn total(&self) -> usize {
        self.total.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Resolves once no connection is counted.
    pub async fn drained(&self) {
        loop {
            let notified = self.none_left.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if self.total() == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets open
/// HTTP requests finish (upgraded WebSockets close themselves).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: super::Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let pending = Counter::default();
    let (stop_tx, stop) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or a transient error: wait a moment
                    // rather than spin.
                    tracing::warn!("accept error: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // A lecture hall behind one school address loads its pages at
        // once: an address may have as many pending as it may have sockets.
        let Some(counted) = pending.admit(
            peer.ip(),
            limits.sockets_per_address,
            limits.max_connections,
        ) else {
            tracing::debug!(%peer, "connection refused: too many from this address or in all");
            drop(stream);
            continue;
        };
        let mut stream = stream;
        super::tune_socket(&mut stream);
        let app = app.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let _counted = counted;
            let service = hyper::service::service_fn(
                move |request: hyper::Request<hyper::body::Incoming>| {
                    let mut request = request.map(axum::body::Body::new);
                    request.extensions_mut().insert(ConnectInfo(peer));
                    app.clone().oneshot(request)
                },
            );
            // HTTP/1.1 only: pages and WebSockets need nothing else, and the
            // HTTP/2 detection of a mixed server would wait on a silent
            // connection with no timeout.
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = stopped(stop) => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    let _ = stop_tx.send(true);
    // Requests in flight get a moment to finish.
    let _ = tokio::time::timeout(Duration::from_secs(2), pending.drained()).await;
    Ok(())
}

/// Resolves once `stop` turns true.
async fn stopped(mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow_and_update() {
            return;
        }
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// The address a request came from: its TCP peer, or, with `--trust-proxy`,
/// the address the reverse proxy in front says it forwarded.
pub fn client_address(
    peer: SocketAddr,
    headers: &axum::http::HeaderMap,
    trust_proxy: bool,
) -> IpAddr {
    if trust_proxy {
        // The proxy appends the address it saw: the last entry is the one
        // this server can trust. Some proxies (HAProxy) add it as a header
        // line of its own after any the client sent, so it is the last
        // entry of the last line.
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok());
        let real = headers
            .get("x-real-ip")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        if let Some(address) = forwarded.or(real) {
            return address;
        }
    }
    peer.ip()
}

#[cfg(test)]
mod tests {
    //! Whom the server believes about a client's address.
    use super::*;

    fn headers(lines: &[(&'static str, &'static str)]) -> axum::http::HeaderMap {
        let mut map = axum::http::HeaderMap::new();
        for (name, value) in lines {
            map.append(*name, axum::http::HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn behind_a_proxy_the_last_forwarded_address_counts_even_on_a_line_of_its_own() {
        let peer: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        // What a client sent, then what HAProxy added on its own line.
        let forged_then_real = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(
            client_address(peer, &forged_then_real, true),
            "198.51.100.1".parse::<IpAddr>().unwrap()
        );
        // nginx appends to the one line.
        let appended = headers(&[("x-forwarded-for", "203.0.113.9, 198.51.100.1")]);
        assert_eq!(
            client_address(peer, &appended, true),
            "198.51.100.1".parse::<IpAddr>().unwrap()
        );
        // Without --trust-proxy the header means nothing.
        assert_eq!(client_address(peer, &appended, false), peer.ip());
    }
}
