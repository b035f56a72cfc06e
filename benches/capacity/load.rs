//! The load client: phones that join, watch for the buzzers, buzz and
//! time what they see, and the arithmetic of their timings.

use super::*;

/// What a phone saw, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Opened,
    Answering,
    /// A snapshot that knows this phone's seat.
    Seated,
    Closed,
}

pub(crate) struct Seen {
    pub(crate) phone: usize,
    pub(crate) kind: Kind,
    pub(crate) at: Instant,
}

/// One simulated phone: a real WebSocket read all the time (so protocol
/// pings are answered, as a browser does), and a writer.
pub(crate) struct Phone {
    pub(crate) out: mpsc::UnboundedSender<Message>,
    pub(crate) id: Option<u32>,
    pub(crate) token: Option<String>,
}

pub(crate) fn text(msg: &ClientMsg) -> Message {
    Message::text(serde_json::to_string(msg).unwrap())
}

/// Connects a phone to `url`; what it sees goes to `seen`. With `buzz`, it
/// presses 150 ms after each "buzzers open" while the flag's value is odd.
pub(crate) async fn phone(
    url: String,
    index: usize,
    seen: mpsc::UnboundedSender<Seen>,
    storm: Arc<AtomicUsize>,
    welcome: Option<tokio::sync::oneshot::Sender<(u32, String)>>,
) -> Option<mpsc::UnboundedSender<Message>> {
    let socket = common::open_socket_at(&url).await.ok()?;
    let (mut sink, mut stream) = socket.split();
    let (out, mut out_rx) = mpsc::unbounded_channel::<Message>();
    tokio::spawn(async move {
        while let Some(message) = out_rx.recv().await {
            if sink.send(message).await.is_err() {
                return;
            }
        }
        let _ = sink.close().await;
    });
    let writer = out.clone();
    tokio::spawn(async move {
        let mut welcome = welcome;
        while let Some(frame) = stream.next().await {
            let Ok(Message::Text(body)) = frame else {
                if matches!(frame, Ok(Message::Close(_)) | Err(_)) {
                    break;
                }
                continue;
            };
            let at = Instant::now();
            let body = body.as_str();
            // Answer the server's probes at once, as a page does.
            if body.starts_with(r#"{"type":"ping""#)
                && let Ok(ServerMsg::Ping { id }) = serde_json::from_str(body)
            {
                let _ = writer.send(text(&ClientMsg::Pong { id }));
                continue;
            }

            // Cheap checks first: most messages are not for us.
            if body.contains(r#""type":"buzzers_opened""#) {
                let _ = seen.send(Seen {
                    phone: index,
                    kind: Kind::Opened,
                    at,
                });
                if storm.load(Ordering::Relaxed) % 2 == 1 {
                    let writer = writer.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(Duration::from_millis(150)).await;
                        let _ = writer.send(text(&ClientMsg::Buzz {
                            reaction_ms: None,
                            early: false,
                        }));
                    });
                }
            }
            if body.contains(r#""type":"answering""#) {
                let _ = seen.send(Seen {
                    phone: index,
                    kind: Kind::Answering,
                    at,
                });
            }
            if body.starts_with(r#"{"type":"snapshot""#) && !body.contains(r#""you":null"#) {
                let _ = seen.send(Seen {
                    phone: index,
                    kind: Kind::Seated,
                    at,
                });
            }
            if body.starts_with(r#"{"type":"welcome""#)
                && let Some(reply) = welcome.take()
                && let Ok(ServerMsg::Welcome { player, token, .. }) = serde_json::from_str(body)
            {
                let _ = reply.send((player.0, token));
            }
        }
        let _ = seen.send(Seen {
            phone: index,
            kind: Kind::Closed,
            at: Instant::now(),
        });
    });
    Some(out)
}

pub(crate) fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Waits until `count` events of `kind` arrived after `since`; returns
/// each one's delay. Gives up after `limit`, with what it has.
pub(crate) async fn collect(
    seen: &mut mpsc::UnboundedReceiver<Seen>,
    kind: Kind,
    count: usize,
    since: Instant,
    limit: Duration,
    closed: &mut usize,
) -> Vec<f64> {
    let deadline = since + limit;
    let mut delays = Vec::with_capacity(count);
    let mut phones = HashSet::new();
    while phones.len() < count {
        match tokio::time::timeout_at(deadline, seen.recv()).await {
            Ok(Some(event)) if event.kind == kind && event.at >= since => {
                if phones.insert(event.phone) {
                    delays.push(ms(event.at - since));
                }
            }
            Ok(Some(event)) if event.kind == Kind::Closed => *closed += 1,
            Ok(Some(_)) => {}
            _ => break,
        }
    }
    delays
}
