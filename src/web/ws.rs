//! The WebSocket loop: one connection per open page.
//!
//! Each socket is split into a receive task, which parses the page's
//! messages and passes them to the room, and a send task, which forwards the
//! room's updates and the direct replies. Either ending ends both.
//!
//! Flow control: what the server holds for a slow page is bounded by the
//! room's broadcast buffer (256 updates, shared by all pages; one update per
//! burst of requests) and the socket's send buffer (64 KiB). A page that
//! falls a whole broadcast buffer behind gets a fresh snapshot in place of
//! what it missed; a page whose write cannot finish in 10 s has stopped
//! reading and is dropped (it reconnects by itself). The room and the other
//! pages never wait for it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::{broadcast, mpsc, watch};

use super::AppState;
use super::access::{ClientAddress, may_host};
use super::session::MaybeSession;
use crate::bucket::TokenBucket;
use tokio::time::Instant;

use crate::protocol::{ClientMsg, Hello, MAX_CLIENT_MESSAGE_BYTES, Role, ServerMsg, WireError};
use crate::room::{
    Connect, LinkInfo, MESSAGE_BURST, MESSAGES_PER_SECOND, Mark, RoomHandle, Subscription, Viewer,
};

/// Frames larger than this close the connection before they are read into
/// memory; messages between [`MAX_CLIENT_MESSAGE_BYTES`] and this get an
/// error reply and the connection stays.
const MAX_FRAME_BYTES: usize = 64 * 1024;
/// Round trips after which a link is measured well enough that "buzzers
/// open" goes out without a probe of its own.
const WELL_MEASURED: usize = 4;
/// How often a page is probed until it is well measured.
const FIRST_PROBES_EVERY: Duration = Duration::from_millis(300);
/// Bytes read from a socket at a time: pages send short messages (a buzz,
/// a pong), and every idle socket keeps this much, so it is small (1 KiB
/// took a phone from 32 to 21 KiB of server memory); a longer message is
/// read in more steps.
const READ_BUFFER: usize = 1024;
/// Bytes gathered before a write, when several messages are fed at once.
const WRITE_BUFFER: usize = 16 * 1024;
/// Replies meant for this page only, already encoded (a queue of encoded
/// texts is a tenth of the memory of one of messages). The receive task
/// waits when it is full, which slows only the page that is flooding.
const DIRECT_QUEUE: usize = 32;
/// A write that cannot finish in this long means the page stopped reading.
const WRITE_LIMIT: Duration = Duration::from_secs(10);
/// Time a player page has to send its [`Hello`] after connecting.
const HELLO_LIMIT: Duration = Duration::from_secs(10);
/// A page silent this long (no message, no pong) is taken to be gone.
const SILENT_LIMIT: Duration = Duration::from_secs(30);
/// How often the server probes the page's latency (which also keeps idle
/// connections open through proxies and shows the page is alive).
const RTT_PING_EVERY: Duration = Duration::from_secs(2);
/// How many recent round trips the latency bound looks at.
const RTT_SAMPLES: usize = 8;

/// One latency probe: a WebSocket protocol ping (answered by the browser's
/// network stack, which page scripts cannot delay) and an app-level `ping`
/// (answered by the page's script), sent together with the same id.
struct Probe {
    id: u64,
    sent: Instant,
    /// The protocol pong's round trip, once back.
    net: Option<Duration>,
    /// The script's pong's round trip, once back.
    app: Option<Duration>,
}

/// What one connection knows about its link, shared by its send task (which
/// stamps probes and the buzzers' opening) and its receive task (which reads
/// pongs and buzzes). A std mutex: held for a few instructions, never across
/// an `.await`.
#[derive(Default)]
struct Link {
    /// Probes not fully answered yet, oldest first.
    probes: VecDeque<Probe>,
    next_id: u64,
    /// Recent network round trips, newest last.
    net_rtts: VecDeque<Duration>,
    /// Recent page processing times (script pong minus protocol pong).
    processing: VecDeque<Duration>,
    /// When this connection sent the latest "buzzers open", if still open.
    buzzers_opened: Option<Instant>,
    /// This connection's number, unique in the server's life.
    connection: u64,
    /// The client's address, if known.
    address: Option<std::net::IpAddr>,
}

/// Numbers connections, so what a page leaves waiting goes with it.
static CONNECTIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Link {
    fn info(&self, now: Instant) -> LinkInfo {
        LinkInfo {
            since_buzzers_opened: self
                .buzzers_opened
                .map(|at| now.saturating_duration_since(at)),
            recent_rtt: self.net_rtts.iter().max().copied(),
            min_rtt: self.net_rtts.iter().min().copied(),
            processing: self.processing.iter().max().copied(),
            connection: self.connection,
            address: self.address,
        }
    }

    /// Registers a probe about to be sent; returns its id.
    fn probe(&mut self, now: Instant) -> u64 {
        self.next_id += 1;
        if self.probes.len() >= 8 {
            self.probes.pop_front();
        }
        self.probes.push_back(Probe {
            id: self.next_id,
            sent: now,
            net: None,
            app: None,
        });
        self.next_id
    }

    /// Records a protocol pong; returns whether it was one of ours.
    fn net_pong(&mut self, id: u64, now: Instant) -> bool {
        let Some(probe) = self
            .probes
            .iter_mut()
            .find(|p| p.id == id && p.net.is_none())
        else {
            return false;
        };
        let rtt = now.saturating_duration_since(probe.sent);
        probe.net = Some(rtt);
        push_sample(&mut self.net_rtts, rtt);
        self.finish(id);
        true
    }

    /// Records the page script's pong; returns whether it was one of ours.
    fn app_pong(&mut self, id: u64, now: Instant) -> bool {
        let Some(probe) = self
            .probes
            .iter_mut()
            .find(|p| p.id == id && p.app.is_none())
        else {
            return false;
        };
        probe.app = Some(now.saturating_duration_since(probe.sent));
        self.finish(id);
        true
    }

    /// Once both pongs of a probe are back, the difference is the page's
    /// own processing.
    fn finish(&mut self, id: u64) {
        let Some(index) = self.probes.iter().position(|p| p.id == id) else {
            return;
        };
        if let Probe {
            net: Some(net),
            app: Some(app),
            ..
        } = self.probes[index]
        {
            push_sample(&mut self.processing, app.saturating_sub(net));
            self.probes.remove(index);
        }
    }
}

fn push_sample(samples: &mut VecDeque<Duration>, sample: Duration) {
    if samples.len() >= RTT_SAMPLES {
        samples.pop_front();
    }
    samples.push_back(sample);
}

type SharedLink = Arc<Mutex<Link>>;

fn lock(link: &SharedLink) -> std::sync::MutexGuard<'_, Link> {
    // The guarded data is plain numbers; a panic elsewhere cannot leave it
    // inconsistent, so a poisoned lock is still safe to use.
    link.lock().unwrap_or_else(|p| p.into_inner())
}

/// The query string of `/ws/{code}`: no secret travels in it. The host's
/// page is recognised by its session cookie (a script sends the host key
/// in the `X-Buzzboard-Key` header); a player's seat token comes in its
/// first message ([`Hello`]).
#[derive(Deserialize)]
pub struct WsQuery {
    role: Role,
}

/// `GET /ws/{code}?role=...`: upgrades to the room's WebSocket.
pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<WsQuery>,
    ClientAddress(address): ClientAddress,
    headers: axum::http::HeaderMap,
    MaybeSession(session): MaybeSession,
) -> Response {
    let room = match state.find_room(&code, address) {
        Ok(room) => room,
        Err(denied) => return denied.into_response(),
    };
    if query.role == Role::Host && !may_host(&room, &headers, &session) {
        return (
            StatusCode::FORBIDDEN,
            "open the host link again: this browser is not signed in to this game",
        )
            .into_response();
    }
    // One address may hold many sockets (a class behind one school
    // address), but not the whole server; the last tenth of the server's
    // sockets is kept for pages returning to a running game. No address
    // means the app is not served by this server's accept loop.
    let mut on_probation = false;
    let counted = match address {
        Some(address) => {
            // The reserve is for a page the room recognises: its host, or
            // one of its seats (which a player page proves in its first
            // message, or is closed); asked only once the rest is full.
            let admitted = match state.admit_socket(address, false) {
                Some(counted) => Some(counted),
                None => match query.role {
                    Role::Host => state.admit_socket(address, true),
                    Role::Player => {
                        on_probation = true;
                        state.admit_socket(address, true)
                    }
                    Role::Board => None,
                },
            };
            match admitted {
                Some(counted) => Some(counted),
                None => {
                    tracing::info!(%address, "socket refused: too many open");
                    return (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "too many connections from this address or to this server; try again in a moment",
                    )
                        .into_response();
                }
            }
        }
        None => None,
    };
    let opening = Opening {
        role: query.role,
        on_probation,
        // A teacher's host page outlives a new host key; one the key opened
        // (a co-host link, a script) does not.
        closes_on_new_key: query.role == Role::Host
            && session.as_ref().is_none_or(|s| s.record.teacher.is_none()),
    };
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        // The defaults reserve 128 KiB per socket for reading (zero-filled,
        // so resident): most of a phone's memory. Messages from pages are
        // under 4 KiB; larger frames are simply read in more steps.
        .read_buffer_size(READ_BUFFER)
        // Messages fed together go out in one write; every send is flushed,
        // so nothing waits in it.
        .write_buffer_size(WRITE_BUFFER)
        .on_upgrade(move |socket| async move {
            let _address = counted;
            let _counted = state.count_connection();
            // Joins from one address draw on its budget ([`super::budget`]).
            let gate: JoinGate = {
                let state = state.clone();
                Arc::new(move || address.is_none_or(|a| state.may_join(a)))
            };
            serve(socket, room, opening, state.closing(), gate, address).await;
        })
}

/// Whether the connection's address may join one more player.
type JoinGate = Arc<dyn Fn() -> bool + Send + Sync>;

/// Reads a player page's [`Hello`]; `None` (and the socket closed) if the
/// page sends anything else first, or nothing in time.
async fn read_hello(socket: &mut WebSocket) -> Option<Hello> {
    let refuse = |reason: &'static str| {
        Message::Close(Some(CloseFrame {
            code: 1008,
            reason: Utf8Bytes::from_static(reason),
        }))
    };
    loop {
        let message = match tokio::time::timeout(HELLO_LIMIT, socket.next()).await {
            Ok(Some(Ok(message))) => message,
            Ok(_) => return None,
            Err(_) => {
                let _ = socket.send(refuse("no hello in time")).await;
                return None;
            }
        };
        match message {
            Message::Text(text) => {
                if let Some(hello) = Hello::parse(&text) {
                    return Some(hello);
                }
                let _ = socket
                    .send(refuse("the first message must be a hello"))
                    .await;
                return None;
            }
            Message::Ping(_) | Message::Pong(_) => continue,
            _ => return None,
        }
    }
}

/// How a socket was let in.
struct Opening {
    role: Role,
    /// Let into the reserve kept for returning pages: a player page must
    /// then name one of the room's seats in its hello.
    on_probation: bool,
    /// A host page to close when the room's host key is replaced.
    closes_on_new_key: bool,
}

async fn serve(
    mut socket: WebSocket,
    room: RoomHandle,
    Opening {
        role,
        on_probation,
        closes_on_new_key,
    }: Opening,
    closing: watch::Receiver<bool>,
    gate: JoinGate,
    address: Option<std::net::IpAddr>,
) {
    let opened = Instant::now();
    let who = match role {
        Role::Host => Connect::Host,
        Role::Board => Connect::Board,
        Role::Player => {
            let Some(Hello { token }) = read_hello(&mut socket).await else {
                return;
            };
            // A page let into the reserve must be one of the room's seats.
            let known = match &token {
                Some(token) if on_probation => room.knows_seat(token.clone()).await,
                _ => !on_probation,
            };
            if !known {
                let _ = socket
                    .send(Message::Close(Some(CloseFrame {
                        code: 1013,
                        reason: Utf8Bytes::from_static("the server is full; try again in a moment"),
                    })))
                    .await;
                return;
            }
            Connect::Player { token }
        }
    };
    let Ok(subscription) = room.connect(who).await else {
        return;
    };
    let (sink, stream) = socket.split();
    let (direct_tx, direct_rx) = mpsc::channel(DIRECT_QUEUE);
    let (viewer_tx, viewer_rx) = watch::channel(subscription.viewer);
    let connection = CONNECTIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let link = SharedLink::new(Mutex::new(Link {
        connection,
        address,
        ..Link::default()
    }));
    let last_viewer = viewer_rx.clone();

    let mut send = tokio::spawn(send_loop(
        sink,
        room.clone(),
        subscription,
        direct_rx,
        viewer_rx,
        closing,
        link.clone(),
        closes_on_new_key,
    ));
    let mut receive = tokio::spawn(receive_loop(
        stream,
        room.clone(),
        direct_tx,
        viewer_tx,
        link,
        gate,
    ));
    tokio::select! {
        _ = &mut send => receive.abort(),
        _ = &mut receive => send.abort(),
    }
    let viewer = *last_viewer.borrow();
    room.disconnected(viewer, connection).await;
    // One access-log line per socket, when it ends.
    tracing::info!(
        target: "buzzboard::access",
        room = room.code(),
        role = ?role,
        seconds = opened.elapsed().as_secs_f64(),
        client = %address.map(|a| a.to_string()).unwrap_or_default(),
        "socket closed"
    );
}

type Sink = futures_util::stream::SplitSink<WebSocket, Message>;
type Stream = futures_util::stream::SplitStream<WebSocket>;

/// A reply's text; our own messages always serialise.
fn text_of(msg: &ServerMsg) -> Utf8Bytes {
    match serde_json::to_string(msg) {
        Ok(text) => Utf8Bytes::from(text),
        Err(e) => {
            tracing::error!("cannot serialise a reply: {e}");
            Utf8Bytes::from_static(r#"{"type":"error","message":"The server could not answer."}"#)
        }
    }
}

fn encode(msg: &ServerMsg) -> Option<Message> {
    match serde_json::to_string(msg) {
        Ok(text) => Some(Message::Text(Utf8Bytes::from(text))),
        Err(e) => {
            tracing::error!("cannot serialise a message: {e}");
            None
        }
    }
}

#[allow(clippy::too_many_arguments)] // One connection's whole state.
async fn send_loop(
    mut sink: Sink,
    room: RoomHandle,
    subscription: Subscription,
    mut direct: mpsc::Receiver<Utf8Bytes>,
    viewer: watch::Receiver<Viewer>,
    mut closing: watch::Receiver<bool>,
    link: SharedLink,
    closes_on_new_key: bool,
) {
    let Subscription {
        snapshot,
        mut updates,
        ..
    } = subscription;
    if let Some(first) = encode(&snapshot)
        && sink.send(first).await.is_err()
    {
        return;
    }
    // The first round trip is timed at once, so a new phone has a latency
    // figure before its first buzz.
    let mut rtt_ping = tokio::time::interval(RTT_PING_EVERY);
    loop {
        let mut mark = Mark::None;
        let outgoing = tokio::select! {
            update = updates.recv() => match update {
                Ok(update) if update.mark == Mark::HostKeyChanged => {
                    if closes_on_new_key {
                        close(&mut sink, 4003, "the host key was changed").await;
                        return;
                    }
                    continue;
                }
                Ok(update) if update.mark != Mark::Resync => {
                    let me = *viewer.borrow();
                    mark = update.mark;
                    match update.for_viewer(me) {
                        Some(text) => Message::Text(text.clone()),
                        None => continue,
                    }
                }
                // The page fell a whole buffer behind, or what it was about
                // to be told was taken back (it could not be saved). Rather
                // than hold anything more for it (or drop it, and have it
                // and its neighbours reconnect at once), it starts again
                // from a fresh snapshot.
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    tracing::info!(room = room.code(), "sending a page a fresh snapshot");
                    let me = *viewer.borrow();
                    match room.resync(me).await {
                        Ok(fresh) => {
                            updates = fresh.updates;
                            match encode(&fresh.snapshot) {
                                Some(message) => message,
                                None => continue,
                            }
                        }
                        Err(_) => return,
                    }
                }
                Err(broadcast::error::RecvError::Closed) => {
                    // The room closed (the page was told why just before).
                    close(&mut sink, 1000, "the game room has closed").await;
                    return;
                }
            },
            reply = direct.recv() => match reply {
                Some(text) => Message::Text(text),
                None => return,
            },
            _ = rtt_ping.tick() => {
                if send_probe(&mut sink, &link).await.is_err() {
                    return;
                }
                // A new page is measured a few times in its first second, so
                // it has its figures before its first buzz.
                if lock(&link).net_rtts.len() < WELL_MEASURED {
                    rtt_ping.reset_after(FIRST_PROBES_EVERY);
                }
                continue;
            }
            () = async { let _ = closing.wait_for(|closing| *closing).await; } => {
                // 1012: "service restart"; the pages reconnect by themselves.
                let _ = sink
                    .send(Message::Close(Some(CloseFrame {
                        code: 1012,
                        reason: Utf8Bytes::from_static("the server is restarting"),
                    })))
                    .await;
                return;
            }
        };
        // A page that stops reading fills its socket; rather than hold its
        // task (and updates) forever, drop it. It resyncs when it comes back.
        // A page that has been measured only a few times gets a latency probe
        // in the same write as "buzzers open", so its allowance reflects its
        // link now; a page measured enough does not: a whole crowd answering
        // probes at that moment competes with the fan-out to the last phones
        // (it doubled the p99 at 2,000 phones).
        let written = async {
            sink.feed(outgoing).await?;
            if mark == Mark::BuzzersOpened && lock(&link).net_rtts.len() < WELL_MEASURED {
                let id = lock(&link).probe(Instant::now());
                sink.feed(Message::Ping(id.to_be_bytes().to_vec().into()))
                    .await?;
                if let Some(app) = encode(&ServerMsg::Ping { id }) {
                    sink.feed(app).await?;
                }
            }
            sink.flush().await
        };
        match tokio::time::timeout(WRITE_LIMIT, written).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return,
            Err(_) => {
                tracing::debug!(room = room.code(), "page stopped reading; dropping it");
                return;
            }
        }
        match mark {
            Mark::None | Mark::Resync | Mark::HostKeyChanged => {}
            Mark::Removed(player) => {
                if *viewer.borrow() == Viewer::Seat(player) {
                    // The page has been told; the seat's sockets go with it.
                    close(&mut sink, 4001, "removed by the host").await;
                    return;
                }
            }
            Mark::BuzzersStopped => lock(&link).buzzers_opened = None,
            Mark::BuzzersOpened => {
                // Stamped once the message is written: the player's reaction
                // is measured from here, on the server's side. The next probe
                // waits its full 2 s, so none lands in the buzz window.
                lock(&link).buzzers_opened = Some(Instant::now());
                rtt_ping.reset();
            }
        }
    }
}

/// Closes the page's socket with `code` and `reason`, waiting at most
/// [`WRITE_LIMIT`] for a page that has stopped reading.
async fn close(sink: &mut Sink, code: u16, reason: &'static str) {
    let frame = Message::Close(Some(CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    }));
    let _ = tokio::time::timeout(WRITE_LIMIT, sink.send(frame)).await;
}

/// Sends one latency probe: a protocol ping and an app-level ping with the
/// same id, so the difference in their answers is the page's own processing.
async fn send_probe(sink: &mut Sink, link: &SharedLink) -> Result<(), ()> {
    let id = lock(link).probe(Instant::now());
    let app = encode(&ServerMsg::Ping { id }).ok_or(())?;
    let write = async {
        sink.feed(Message::Ping(id.to_be_bytes().to_vec().into()))
            .await?;
        sink.send(app).await
    };
    match tokio::time::timeout(WRITE_LIMIT, write).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(()),
    }
}

async fn receive_loop(
    mut stream: Stream,
    room: RoomHandle,
    direct: mpsc::Sender<Utf8Bytes>,
    viewer: watch::Sender<Viewer>,
    link: SharedLink,
    gate: JoinGate,
) {
    // A page mashing the buzzer far faster than a seat may send gets an
    // error, not a stalled room: each page has the budget of a whole seat.
    let mut rate = TokenBucket::new(MESSAGE_BURST, MESSAGES_PER_SECOND, Instant::now());
    loop {
        let message = match tokio::time::timeout(SILENT_LIMIT, stream.next()).await {
            Err(_) => {
                tracing::debug!(room = room.code(), "page silent too long; closing");
                return;
            }
            Ok(None) | Ok(Some(Err(_))) => return,
            Ok(Some(Ok(message))) => message,
        };
        let text = match message {
            Message::Text(text) => text,
            Message::Binary(_) => {
                // Refused, and counted like any message: binary frames buy
                // no more replies than text ones.
                let limited = *viewer.borrow() != Viewer::Host;
                let error = if limited && !rate.allow(Instant::now()) {
                    WireError::SlowDown.to_msg()
                } else {
                    WireError::NotJson.to_msg()
                };
                // A page not reading its replies loses this one.
                let _ = direct.try_send(text_of(&error));
                continue;
            }
            Message::Close(_) => return,
            Message::Pong(payload) => {
                // The browser's own answer to a probe: the network round trip.
                let arrived = Instant::now();
                if let Ok(bytes) = <[u8; 8]>::try_from(payload.as_ref()) {
                    let id = u64::from_be_bytes(bytes);
                    let info = {
                        let mut link = lock(&link);
                        link.net_pong(id, arrived).then(|| link.info(arrived))
                    };
                    if let (Some(info), Viewer::Seat(player)) = (info, *viewer.borrow()) {
                        room.report_latency(player, info);
                    }
                }
                continue;
            }
            // Pings are answered by the WebSocket layer; any frame shows the
            // page is alive, which the timeout above already counted.
            Message::Ping(_) => continue,
        };
        let arrived = Instant::now();
        // The host holds the room's key and may click as fast as they like;
        // everyone else is held to a human pace.
        let limited = *viewer.borrow() != Viewer::Host;
        if limited && !rate.allow(arrived) {
            if direct
                .try_send(text_of(&WireError::SlowDown.to_msg()))
                .is_err()
            {
                // The page is not reading its replies either; drop this one.
            }
            continue;
        }
        for reply in handle_text(&room, &viewer, &link, &gate, &text, arrived).await {
            if direct.send(text_of(&reply)).await.is_err() {
                return;
            }
        }
    }
}

/// Parses one message from the page and passes it to the room.
async fn handle_text(
    room: &RoomHandle,
    viewer: &watch::Sender<Viewer>,
    link: &SharedLink,
    gate: &JoinGate,
    text: &str,
    arrived: Instant,
) -> Vec<ServerMsg> {
    if text.len() > MAX_CLIENT_MESSAGE_BYTES {
        return vec![WireError::TooLarge { bytes: text.len() }.to_msg()];
    }
    let msg: ClientMsg = match ClientMsg::read(text) {
        Ok(msg) => msg,
        Err(e) => {
            return vec![
                WireError::NotUnderstood {
                    detail: e.to_string().into(),
                }
                .to_msg(),
            ];
        }
    };
    if matches!(msg, ClientMsg::Join { .. }) && !gate() {
        return vec![WireError::BusyNetwork.to_msg()];
    }
    let me = *viewer.borrow();
    if let ClientMsg::Pong { id } = msg {
        let info = {
            let mut link = lock(link);
            link.app_pong(id, arrived).then(|| link.info(arrived))
        };
        if let (Some(info), Viewer::Seat(player)) = (info, me) {
            room.report_latency(player, info);
        }
        return Vec::new();
    }
    let info = lock(link).info(arrived);
    match room.act(me, msg, info).await {
        Ok(reply) => {
            if let Some(now) = reply.now_acting_as {
                viewer.send_replace(now);
            }
            reply.direct
        }
        Err(_) => vec![WireError::RoomClosed.to_msg()],
    }
}
