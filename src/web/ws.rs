//! The WebSocket loop: one connection per open page.
//!
//! Each socket is split into a receive task, which parses the page's
//! messages and passes them to the room, and a send task, which forwards the
//! room's updates and the direct replies. Either ending ends both.
//!
//! Flow control: the send task never buffers more than the room's broadcast
//! buffer for a slow page. When a page falls behind by more than that (a phone
//! that stopped reading), it skips the missed updates and gets a fresh
//! snapshot instead, so the room and the other pages never wait for it.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::{broadcast, mpsc, watch};

use super::AppState;
use crate::protocol::{ClientMsg, MAX_CLIENT_MESSAGE_BYTES, Role, ServerMsg};
use crate::room::{Actor, Connect, RoomHandle, Subscription};

/// Frames larger than this close the connection before they are read into
/// memory; messages between [`MAX_CLIENT_MESSAGE_BYTES`] and this get an
/// error reply and the connection stays.
const MAX_FRAME_BYTES: usize = 64 * 1024;
/// Replies meant for this page only. The receive task waits when it is full,
/// which slows only the page that is flooding.
const DIRECT_QUEUE: usize = 32;
/// How often the server pings, so dead connections are noticed and idle
/// ones are not closed by proxies.
const PING_EVERY: Duration = Duration::from_secs(10);
/// A page silent this long (no message, no pong) is taken to be gone.
const SILENT_LIMIT: Duration = Duration::from_secs(30);

/// The query string of `/ws/{code}`.
#[derive(Deserialize)]
pub struct WsQuery {
    role: Role,
    /// The host key, for `role=host`.
    key: Option<String>,
    /// A player's seat token from an earlier visit, for `role=player`.
    token: Option<String>,
}

/// `GET /ws/{code}?role=...`: upgrades to the room's WebSocket.
pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<WsQuery>,
) -> Response {
    let Some(room) = state.rooms().get(&code) else {
        return (StatusCode::NOT_FOUND, "no game has this code").into_response();
    };
    let who = match query.role {
        Role::Host => {
            if !room.host_key().matches(query.key.as_deref().unwrap_or("")) {
                return (StatusCode::FORBIDDEN, "the host key is missing or wrong").into_response();
            }
            Connect::Host
        }
        Role::Board => Connect::Board,
        Role::Player => Connect::Player { token: query.token },
    };
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(move |socket| serve(socket, room, who, state.closing()))
}

async fn serve(socket: WebSocket, room: RoomHandle, who: Connect, closing: watch::Receiver<bool>) {
    let Ok(subscription) = room.connect(who).await else {
        return;
    };
    let (sink, stream) = socket.split();
    let (direct_tx, direct_rx) = mpsc::channel(DIRECT_QUEUE);
    let (actor_tx, actor_rx) = watch::channel(subscription.actor);

    let mut send = tokio::spawn(send_loop(
        sink,
        room.clone(),
        subscription,
        direct_rx,
        actor_rx,
        closing,
    ));
    let mut receive = tokio::spawn(receive_loop(stream, room, direct_tx, actor_tx));
    tokio::select! {
        _ = &mut send => receive.abort(),
        _ = &mut receive => send.abort(),
    }
}

type Sink = futures_util::stream::SplitSink<WebSocket, Message>;
type Stream = futures_util::stream::SplitStream<WebSocket>;

fn encode(msg: &ServerMsg) -> Option<Message> {
    match serde_json::to_string(msg) {
        Ok(text) => Some(Message::Text(Utf8Bytes::from(text))),
        Err(e) => {
            tracing::error!("cannot serialise a message: {e}");
            None
        }
    }
}

async fn send_loop(
    mut sink: Sink,
    room: RoomHandle,
    subscription: Subscription,
    mut direct: mpsc::Receiver<ServerMsg>,
    actor: watch::Receiver<Actor>,
    mut closing: watch::Receiver<bool>,
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
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.reset();
    loop {
        let outgoing = tokio::select! {
            update = updates.recv() => match update {
                Ok(update) => {
                    let role = actor.borrow().role();
                    match update.for_role(role) {
                        Some(text) => Message::Text(text.clone()),
                        None => continue,
                    }
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    let me = *actor.borrow();
                    tracing::debug!(room = room.code(), missed, "page fell behind; resyncing");
                    let Ok(fresh) = room.connect(Connect::Resync(me)).await else { return };
                    updates = fresh.updates;
                    match encode(&fresh.snapshot) {
                        Some(message) => message,
                        None => continue,
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            reply = direct.recv() => match reply {
                Some(msg) => match encode(&msg) {
                    Some(message) => message,
                    None => continue,
                },
                None => return,
            },
            _ = ping.tick() => Message::Ping(Default::default()),
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
        if sink.send(outgoing).await.is_err() {
            return;
        }
    }
}

async fn receive_loop(
    mut stream: Stream,
    room: RoomHandle,
    direct: mpsc::Sender<ServerMsg>,
    actor: watch::Sender<Actor>,
) {
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
                let error = refusal("Messages must be JSON text.");
                if direct.send(error).await.is_err() {
                    return;
                }
                continue;
            }
            Message::Close(_) => return,
            // Pings are answered by the WebSocket layer; any frame shows the
            // page is alive, which the timeout above already counted.
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        for reply in handle_text(&room, &actor, &text).await {
            if direct.send(reply).await.is_err() {
                return;
            }
        }
    }
}

/// Parses one message from the page and passes it to the room.
async fn handle_text(
    room: &RoomHandle,
    actor: &watch::Sender<Actor>,
    text: &str,
) -> Vec<ServerMsg> {
    if text.len() > MAX_CLIENT_MESSAGE_BYTES {
        return vec![refusal(&format!(
            "That message is too large ({} bytes; the limit is {MAX_CLIENT_MESSAGE_BYTES}).",
            text.len()
        ))];
    }
    let msg: ClientMsg = match serde_json::from_str(text) {
        Ok(msg) => msg,
        Err(e) => return vec![refusal(&format!("That message was not understood: {e}."))],
    };
    let me = *actor.borrow();
    match room.act(me, msg).await {
        Ok(reply) => {
            if let Some(now) = reply.now_acting_as {
                actor.send_replace(now);
            }
            reply.direct
        }
        Err(closed) => vec![refusal(&closed.to_string())],
    }
}

fn refusal(message: &str) -> ServerMsg {
    ServerMsg::Error {
        message: message.to_owned(),
    }
}
