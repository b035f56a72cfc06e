//! How many phones one server holds: the real binary (persistence on, as
//! shipped) against a floor, a bare tokio-tungstenite server that forwards
//! one frame to every socket, driven by the same load client in the same
//! run on 127.0.0.1. Prints the table in `docs/capacity.md`.
//!
//! ```text
//! cargo bench --bench capacity                        # 10, 100, 500, 2000 phones
//! CAPACITY_PHONES=500,1000 cargo bench --bench capacity
//! CAPACITY_ROUNDS=20 cargo bench --bench capacity     # fan-out rounds per size
//! CAPACITY_SOAK_SECS=600 cargo bench --bench capacity # also 10,000 phones over 50 rooms
//! ```
//!
//! For each size: every phone connects and joins at once (the join burst);
//! the host opens the buzzers again and again (fan-out: from the host's
//! "open" to each phone seeing it); every phone buzzes 150 ms after it sees
//! the buzzers open (the storm: from the host learning the winner to every
//! phone knowing it); every phone drops and comes back with its seat token
//! at once (reconnect); and the server's memory per idle phone.

#[path = "../tests/common/mod.rs"]
#[allow(unused)]
mod common;

#[path = "../tests/common/fault.rs"]
#[allow(unused)]
mod fault;

#[path = "../tests/common/cluster.rs"]
#[allow(unused)]
mod cluster;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use buzzboard::game::HostCommand;
use buzzboard::protocol::{ClientMsg, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

/// What a phone saw, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Opened,
    Answering,
    /// A snapshot that knows this phone's seat.
    Seated,
    Closed,
}

struct Seen {
    phone: usize,
    kind: Kind,
    at: Instant,
}

/// One simulated phone: a real WebSocket read all the time (so protocol
/// pings are answered, as a browser does), and a writer.
struct Phone {
    out: mpsc::UnboundedSender<Message>,
    id: Option<u32>,
    token: Option<String>,
}

fn text(msg: &ClientMsg) -> Message {
    Message::text(serde_json::to_string(msg).unwrap())
}

/// Connects a phone to `url`; what it sees goes to `seen`. With `buzz`, it
/// presses 150 ms after each "buzzers open" while the flag's value is odd.
async fn phone(
    url: String,
    index: usize,
    seen: mpsc::UnboundedSender<Seen>,
    storm: Arc<AtomicUsize>,
    welcome: Option<tokio::sync::oneshot::Sender<(u32, String)>>,
) -> Option<mpsc::UnboundedSender<Message>> {
    let (socket, _) = tokio_tungstenite::connect_async(url).await.ok()?;
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

fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Waits until `count` events of `kind` arrived after `since`; returns
/// each one's delay. Gives up after `limit`, with what it has.
async fn collect(
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

struct Row {
    /// Which of the cluster's servers ran the room.
    owner: Option<usize>,
    phones: usize,
    floor: (f64, f64),
    fanout: (f64, f64),
    joined: usize,
    join_ms: f64,
    storm_ms: f64,
    storm_named: bool,
    reconnected: usize,
    reconnect_ms: f64,
    kib_per_phone: f64,
    closed: usize,
    staff_closed: bool,
}

impl Row {
    /// The table's cells from the join burst on: join, storm, reconnect,
    /// memory, pages closed.
    fn crowd_cells(&self) -> String {
        format!(
            "{}/{}, {:.0} ms | {} | {}/{}, {:.0} ms | {:.1} KiB | {}{}",
            self.joined,
            self.phones,
            self.join_ms,
            if self.storm_named {
                format!("{:.0} ms", self.storm_ms)
            } else {
                "never named".into()
            },
            self.reconnected,
            self.joined,
            self.reconnect_ms,
            self.kib_per_phone,
            self.closed,
            if self.staff_closed {
                " (host or projector!)"
            } else {
                ""
            },
        )
    }
}

/// Where the pages connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deployment {
    /// One server, its SQLite journal, no proxy: the laptop in the classroom.
    Single,
    /// The same server with every page through HAProxy (the shipped
    /// configuration, all three server lines pointing at it): the cost of
    /// the proxy hop alone.
    Proxied,
    /// Three servers on one PostgreSQL, every page through HAProxy
    /// (`deploy/haproxy.cfg`).
    Cluster,
}

/// The server (or servers) under test, and the room the phones play in.
struct Target {
    /// Where pages connect.
    addr: std::net::SocketAddr,
    room: common::Room,
    /// The process running the room, for its memory.
    pid: u32,
    /// Which server runs it (in a cluster).
    owner: Option<usize>,
    _single: Option<fault::Binary>,
    _proxy: Option<cluster::HaProxy>,
    _cluster: Option<cluster::Cluster>,
    data: Option<std::path::PathBuf>,
}

impl Target {
    async fn start(deployment: Deployment) -> Target {
        match deployment {
            Deployment::Single => {
                let data = fault::temp_dir("capacity");
                let port = fault::free_port();
                let server = fault::Binary::start(&data, port, &["--max-players", "5000"])
                    .expect("the server starts");
                let room = server.create_room("rlhf").await;
                Target {
                    addr: server.addr,
                    room,
                    pid: server.pid(),
                    owner: None,
                    _single: Some(server),
                    _proxy: None,
                    _cluster: None,
                    data: Some(data),
                }
            }
            Deployment::Proxied => {
                let data = fault::temp_dir("capacity");
                let port = fault::free_port();
                let proxy_port = fault::free_port();
                let boards = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("boards");
                let server = fault::Binary::launch(
                    &data,
                    port,
                    &format!("http://127.0.0.1:{proxy_port}"),
                    &boards,
                    &["--max-players", "5000", "--trust-proxy"],
                )
                .expect("the server starts");
                let room = server.create_room("rlhf").await;
                let proxy = cluster::HaProxy::start(proxy_port, [server.addr; 3]).await;
                Target {
                    addr: proxy.addr,
                    room,
                    pid: server.pid(),
                    owner: None,
                    _single: Some(server),
                    _proxy: Some(proxy),
                    _cluster: None,
                    data: Some(data),
                }
            }
            Deployment::Cluster => {
                let cluster = cluster::Cluster::start(&["--max-players", "5000"]).await;
                let room = cluster.create_room("rlhf").await;
                // The first page starts the room on the server its code
                // hashes to.
                let url = format!(
                    "ws://{}/ws/{}?role=host&key={}",
                    cluster.proxy.addr, room.code, room.host_key
                );
                let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
                drop(socket);
                let db = cluster.postgres.connect().await;
                let owner = cluster.owner(&db, &room.code).await.expect("an owner");
                Target {
                    addr: cluster.proxy.addr,
                    room,
                    pid: cluster.servers[owner].as_ref().unwrap().pid(),
                    owner: Some(owner),
                    _single: None,
                    _proxy: None,
                    _cluster: Some(cluster),
                    data: None,
                }
            }
        }
    }

    fn rss_kib(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(data) = &self.data {
            let _ = std::fs::remove_dir_all(data);
        }
    }
}

/// The real server (or cluster) with `n` phones.
async fn buzzboard(n: usize, rounds: usize, deployment: Deployment) -> Row {
    let server = Target::start(deployment).await;
    let room = server.room.clone();
    let connect = |query: String| {
        let addr = server.addr;
        let code = room.code.clone();
        async move {
            let url = format!("ws://{addr}/ws/{code}?{query}");
            let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
            common::Client::from_stream(socket)
        }
    };
    let mut host = connect(format!("role=host&key={}", room.host_key)).await;
    host.snapshot().await;
    let mut projector = connect("role=board".into()).await;
    projector.snapshot().await;
    // Numbered names include some a profanity filter rightly refuses
    // ("Phone 1488"); this measures capacity, not moderation.
    host.send(&ClientMsg::Host(HostCommand::SetTextFilter { on: false }))
        .await;
    host.send(&ClientMsg::Host(HostCommand::SetPlayerCap {
        max: n as u32,
    }))
    .await;
    host.expect("player_cap", |m| {
        matches!(m, ServerMsg::PlayerCap { .. }).then_some(())
    })
    .await;
    let rss_before = server.rss_kib();

    // The join burst: every phone connects and joins at once.
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let storm = Arc::new(AtomicUsize::new(0));
    let url = format!("ws://{}/ws/{}?role=player", server.addr, room.code);
    let started = Instant::now();
    let joins = (0..n).map(|i| {
        let (url, seen_tx, storm) = (url.clone(), seen_tx.clone(), storm.clone());
        async move {
            let (reply, welcomed) = tokio::sync::oneshot::channel();
            let out = phone(url, i, seen_tx, storm, Some(reply)).await?;
            let _ = out.send(text(&ClientMsg::Join {
                name: format!("Phone {i}"),
                nonce: Some(format!("capacity-{i:08}")),
            }));
            let welcome = tokio::time::timeout(Duration::from_secs(30), welcomed)
                .await
                .ok()
                .and_then(Result::ok);
            Some((out, welcome))
        }
    });
    let joined: Vec<_> = futures_util::future::join_all(joins).await;
    let join_ms = ms(started.elapsed());
    let mut phones: Vec<Phone> = joined
        .into_iter()
        .map(|j| match j {
            Some((out, welcome)) => Phone {
                out,
                id: welcome.as_ref().map(|w| w.0),
                token: welcome.map(|w| w.1),
            },
            None => Phone {
                out: mpsc::unbounded_channel().0,
                id: None,
                token: None,
            },
        })
        .collect();
    let seats: HashSet<u32> = phones.iter().filter_map(|p| p.id).collect();
    let joined = seats.len();

    // Memory per idle phone, once the burst has settled.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let kib_per_phone = (server.rss_kib().saturating_sub(rss_before)) as f64 / n as f64;

    // Fan-out: the host opens the buzzers; each phone sees it.
    let mut closed = 0;
    let mut fanout = Vec::new();
    for round in 0..rounds {
        let (category, row) = (round % 5, round / 5);
        host.send(&ClientMsg::OpenClue { category, row }).await;
        host.expect("clue_opened", |m| {
            matches!(m, ServerMsg::ClueOpened { .. }).then_some(())
        })
        .await;
        let opened = Instant::now();
        host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
        fanout.extend(
            collect(
                &mut seen,
                Kind::Opened,
                n,
                opened,
                Duration::from_secs(20),
                &mut closed,
            )
            .await,
        );
        host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
        host.expect("clue_closed", |m| {
            matches!(m, ServerMsg::ClueClosed { .. }).then_some(())
        })
        .await;
    }

    // The storm: everyone buzzes 150 ms after seeing the buzzers open.
    storm.store(1, Ordering::Relaxed);
    host.send(&ClientMsg::OpenClue {
        category: 4,
        row: 4,
    })
    .await;
    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    let named = tokio::time::timeout(
        Duration::from_secs(30),
        host.expect("answering", |m| {
            matches!(m, ServerMsg::Answering { .. }).then_some(())
        }),
    )
    .await
    .is_ok();
    let named_at = Instant::now();
    let storm_delays = collect(
        &mut seen,
        Kind::Answering,
        n,
        named_at - Duration::from_millis(50),
        Duration::from_secs(20),
        &mut closed,
    )
    .await;
    storm.store(0, Ordering::Relaxed);
    // Each delay is from 50 ms before the host heard; the settle time is
    // from the host hearing to the last phone.
    let storm_ms = storm_delays.iter().fold(0.0f64, |a, &b| a.max(b)) - 50.0;
    // The host and the projector are still there: both see the answer.
    host.send(&ClientMsg::Host(HostCommand::RevealAnswer)).await;
    let staff_open = alive(&mut host).await && alive(&mut projector).await;

    // Reconnect: every phone drops, then all come back with their tokens.
    for phone in std::mem::take(&mut phones) {
        let _ = phone.out.send(Message::Close(None));
        if let Some(token) = phone.token {
            phones.push(Phone {
                out: mpsc::unbounded_channel().0,
                id: None,
                token: Some(token),
            });
        }
    }
    // Let the server see them go before they come back.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let back = Instant::now();
    let comebacks = phones.iter().enumerate().map(|(i, p)| {
        let url = format!(
            "ws://{}/ws/{}?role=player&token={}",
            server.addr,
            room.code,
            p.token.clone().unwrap_or_default()
        );
        phone(url, n + i, seen_tx.clone(), storm.clone(), None)
    });
    let _outs: Vec<_> = futures_util::future::join_all(comebacks).await;
    // The phones closed on purpose here; those closes are not counted.
    let mut dropped_on_purpose = 0;
    let mut reconnect = collect(
        &mut seen,
        Kind::Seated,
        phones.len(),
        back,
        Duration::from_secs(30),
        &mut dropped_on_purpose,
    )
    .await;
    let reconnected = reconnect.len();
    let reconnect_ms = percentile(&mut reconnect, 1.0);

    let owner = server.owner;
    drop(server);
    Row {
        owner,
        phones: n,
        floor: (0.0, 0.0),
        fanout: (percentile(&mut fanout, 0.5), percentile(&mut fanout, 0.99)),
        joined,
        join_ms,
        storm_ms,
        storm_named: named,
        reconnected,
        reconnect_ms,
        kib_per_phone,
        closed,
        staff_closed: !staff_open,
    }
}

/// Whether a page still gets updates: it sees the answer revealed.
async fn alive(page: &mut common::Client) -> bool {
    let look = async {
        while let Some(msg) = page.try_next().await {
            if matches!(msg, ServerMsg::AnswerRevealed { .. }) {
                return true;
            }
        }
        false
    };
    tokio::time::timeout(Duration::from_secs(20), look)
        .await
        .unwrap_or(false)
}

/// The floor: a bare server that forwards one frame to every socket.
async fn floor(n: usize, rounds: usize) -> (f64, f64) {
    use tokio_tungstenite::tungstenite::Utf8Bytes;
    let listener = buzzboard::net::listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    let (fan, _) = tokio::sync::broadcast::channel::<Utf8Bytes>(16);
    let server = {
        let fan = fan.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let mut updates = fan.subscribe();
                let fan = fan.clone();
                tokio::spawn(async move {
                    let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
                        return;
                    };
                    let (mut sink, mut stream) = socket.split();
                    loop {
                        tokio::select! {
                            update = updates.recv() => match update {
                                Ok(text) => if sink.send(Message::Text(text)).await.is_err() { return },
                                Err(_) => return,
                            },
                            frame = stream.next() => match frame {
                                // Any text from a client is the "host" asking for a round.
                                Some(Ok(Message::Text(_))) => {
                                    let _ = fan.send(Utf8Bytes::from_static(r#"{"type":"buzzers_opened"}"#));
                                }
                                Some(Ok(_)) => {}
                                _ => return,
                            },
                        }
                    }
                });
            }
        })
    };
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let storm = Arc::new(AtomicUsize::new(0));
    let url = format!("ws://{addr}/");
    let phones: Vec<_> = futures_util::future::join_all(
        (0..n).map(|i| phone(url.clone(), i, seen_tx.clone(), storm.clone(), None)),
    )
    .await;
    let (mut host, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut closed = 0;
    let mut delays = Vec::new();
    for _ in 0..rounds {
        let opened = Instant::now();
        host.send(Message::text("go")).await.unwrap();
        delays.extend(
            collect(
                &mut seen,
                Kind::Opened,
                n,
                opened,
                Duration::from_secs(20),
                &mut closed,
            )
            .await,
        );
        // The host's own copy.
        let _ = host.next().await;
    }
    drop(phones);
    server.abort();
    (percentile(&mut delays, 0.5), percentile(&mut delays, 0.99))
}

/// Host: opens a tile, waits `after`, opens the buzzers, and returns how
/// long each of the room's `phones` took to see them.
async fn open_and_time(
    host: &mut common::Client,
    (category, row): (usize, usize),
    after: Duration,
    seen: &mut mpsc::UnboundedReceiver<Seen>,
    phones: usize,
    closed: &mut usize,
) -> Vec<f64> {
    host.send(&ClientMsg::OpenClue { category, row }).await;
    host.expect("clue_opened", |m| {
        matches!(m, ServerMsg::ClueOpened { .. }).then_some(())
    })
    .await;
    tokio::time::sleep(after).await;
    let opened = Instant::now();
    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    collect(
        seen,
        Kind::Opened,
        phones,
        opened,
        Duration::from_secs(20),
        closed,
    )
    .await
}

/// The host of a class's room at `addr`: connected, the name filter off
/// (numbered names include some it rightly refuses) and room for
/// `per_room` players.
async fn class_host(
    addr: std::net::SocketAddr,
    room: &common::Room,
    per_room: usize,
) -> common::Client {
    let url = format!(
        "ws://{addr}/ws/{}?role=host&key={}",
        room.code, room.host_key
    );
    let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let mut host = common::Client::from_stream(socket);
    host.snapshot().await;
    host.send(&ClientMsg::Host(HostCommand::SetTextFilter { on: false }))
        .await;
    host.send(&ClientMsg::Host(HostCommand::SetPlayerCap {
        max: per_room as u32,
    }))
    .await;
    host
}

/// Many classes at once: `rooms` rooms of `per_room` phones held for
/// `minutes`, every phone answering the server's probes. Every cycle one
/// room (the quiet room) opens its buzzers twice, once alone and once while
/// another room storms (all its phones buzz at once); the quiet room's
/// fan-out in the two cases is compared.
async fn soak(rooms: usize, per_room: usize, minutes: f64) {
    let data = fault::temp_dir("soak");
    let port = fault::free_port();
    // Room for every phone twice over: a join told to wait is retried on a
    // new socket while the old one closes.
    let sockets = (rooms * (per_room + 2) * 2).to_string();
    let server = fault::Binary::start(
        &data,
        port,
        &[
            "--max-players",
            "5000",
            "--sockets-per-address",
            &sockets,
            "--max-sockets",
            &(rooms * (per_room + 2) * 2).to_string(),
        ],
    )
    .expect("the server starts");
    let rss_empty = server.rss_kib();
    let mut hosts = Vec::new();
    let mut codes = Vec::new();
    for _ in 0..rooms {
        let room = server.create_room("rlhf").await;
        hosts.push(class_host(server.addr, &room, per_room).await);
        codes.push(room.code);
    }
    // The quiet room and the storming room report what their phones see;
    // the others only count pages that closed.
    let (quiet_tx, mut quiet_seen) = mpsc::unbounded_channel();
    let (storm_tx, mut storm_seen) = mpsc::unbounded_channel();
    let (others_tx, mut others_seen) = mpsc::unbounded_channel::<Seen>();
    let others_closed = Arc::new(AtomicUsize::new(0));
    let counted = others_closed.clone();
    tokio::spawn(async move {
        while let Some(event) = others_seen.recv().await {
            if event.kind == Kind::Closed {
                counted.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    let storm_flags: Vec<Arc<AtomicUsize>> =
        (0..rooms).map(|_| Arc::new(AtomicUsize::new(0))).collect();
    let started = Instant::now();
    let mut outs = Vec::new();
    let mut seated = 0;
    let mut failed_connects = 0;
    for (r, code) in codes.iter().enumerate() {
        let seen = match r {
            0 => quiet_tx.clone(),
            1 => storm_tx.clone(),
            _ => others_tx.clone(),
        };
        let url = format!("ws://{}/ws/{code}?role=player", server.addr);
        // A class joins together; the server lets one address seat 2,500 at
        // once and then 100 a second, so later classes may be told to wait.
        let mut waiting: Vec<usize> = (0..per_room).collect();
        while !waiting.is_empty() {
            let joins = waiting.iter().map(|&i| {
                let (url, seen, storm) = (url.clone(), seen.clone(), storm_flags[r].clone());
                async move {
                    let (reply, welcomed) = tokio::sync::oneshot::channel();
                    let Some(out) = phone(url, r * per_room + i, seen, storm, Some(reply)).await
                    else {
                        return (i, None, true);
                    };
                    let _ = out.send(text(&ClientMsg::Join {
                        name: format!("Room {r} phone {i}"),
                        nonce: Some(format!("soak-{r:03}-{i:05}")),
                    }));
                    let welcome = tokio::time::timeout(Duration::from_secs(10), welcomed)
                        .await
                        .ok()
                        .and_then(Result::ok);
                    (i, welcome.map(|_| out), false)
                }
            });
            let results: Vec<_> = futures_util::future::join_all(joins).await;
            let mut again = Vec::new();
            for (i, seat, unconnected) in results {
                match seat {
                    Some(out) => {
                        seated += 1;
                        outs.push(out);
                    }
                    // Not connected, or told to wait: it tries again.
                    None => {
                        failed_connects += usize::from(unconnected);
                        again.push(i);
                    }
                }
            }
            if !again.is_empty() {
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            waiting = again;
        }
    }
    let join_s = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let kib_per_phone = server.rss_kib().saturating_sub(rss_empty) as f64 / seated as f64;
    eprintln!(
        "soak: {seated} phones seated in {join_s:.0} s ({failed_connects} connection attempts failed and were retried), {kib_per_phone:.1} KiB each"
    );

    let cycles = ((minutes * 60.0 / 50.0).round() as usize).clamp(1, 12);
    let pause = Duration::from_secs_f64((minutes * 60.0 / cycles as f64 - 4.0).max(1.0));
    let (mut alone, mut beside_storm) = (Vec::new(), Vec::new());
    let mut quiet_closed = 0;
    let mut storm_closed = 0;
    let mut storms_named = 0;
    for cycle in 0..cycles {
        let tile = |n: usize| (n % 5, n / 5);
        // The quiet room alone.
        let (c, row) = tile(2 * cycle);
        alone.extend(
            open_and_time(
                &mut hosts[0],
                (c, row),
                Duration::ZERO,
                &mut quiet_seen,
                per_room,
                &mut quiet_closed,
            )
            .await,
        );
        hosts[0]
            .send(&ClientMsg::Host(HostCommand::CloseClue))
            .await;
        // The storming room's phones all buzz 150 ms after their buzzers
        // open; the quiet room opens its buzzers as the storm lands.
        storm_flags[1].store(1, Ordering::Relaxed);
        let (c, row) = tile(cycle);
        hosts[1]
            .send(&ClientMsg::OpenClue { category: c, row })
            .await;
        hosts[1]
            .send(&ClientMsg::Host(HostCommand::OpenBuzzers))
            .await;
        beside_storm.extend(
            open_and_time(
                &mut hosts[0],
                tile(2 * cycle + 1),
                Duration::from_millis(150),
                &mut quiet_seen,
                per_room,
                &mut quiet_closed,
            )
            .await,
        );
        if tokio::time::timeout(
            Duration::from_secs(10),
            hosts[1].expect("answering", |m| {
                matches!(m, ServerMsg::Answering { .. }).then_some(())
            }),
        )
        .await
        .is_ok()
        {
            storms_named += 1;
        }
        storm_flags[1].store(0, Ordering::Relaxed);
        hosts[0]
            .send(&ClientMsg::Host(HostCommand::CloseClue))
            .await;
        hosts[1]
            .send(&ClientMsg::Host(HostCommand::CloseClue))
            .await;
        // Drain the storm room's reports (its closures count).
        while let Ok(event) = storm_seen.try_recv() {
            if event.kind == Kind::Closed {
                storm_closed += 1;
            }
        }
        eprintln!(
            "soak: cycle {}/{cycles} done at {:.0} s",
            cycle + 1,
            started.elapsed().as_secs_f64()
        );
        tokio::time::sleep(pause).await;
    }
    // Held for the whole time asked, counted from when everyone was in.
    let hold_until = started + Duration::from_secs_f64(join_s + minutes * 60.0);
    tokio::time::sleep_until(hold_until).await;
    let held_s = started.elapsed().as_secs_f64() - join_s;
    let closed = quiet_closed + storm_closed + others_closed.load(Ordering::Relaxed);
    let rss_end = server.rss_kib();
    println!(
        "soak: {rooms} rooms x {per_room} phones, held {:.1} min after joining ({join_s:.0} s to seat {seated}; {failed_connects} connection attempts failed and were retried)\n",
        held_s / 60.0
    );
    println!("| quiet room's \"buzzers open\" to its {per_room} phones | p50 | p99 |");
    println!("|---|---|---|");
    println!(
        "| alone | {:.2} ms | {:.2} ms |",
        percentile(&mut alone, 0.5),
        percentile(&mut alone, 0.99)
    );
    println!(
        "| while another room storms | {:.2} ms | {:.2} ms |",
        percentile(&mut beside_storm, 0.5),
        percentile(&mut beside_storm, 0.99)
    );
    println!(
        "\nstorms named: {storms_named}/{cycles}; pages closed: {closed}; memory: {kib_per_phone:.1} KiB per phone after joining, {:.1} KiB at the end",
        rss_end.saturating_sub(rss_empty) as f64 / seated as f64
    );
    drop(outs);
    server.kill9();
}

/// What many rooms at once saw: every phone's "buzzers open" delay (all
/// rooms opening together), pages closed, and rooms per server.
struct Spread {
    fanout: (f64, f64),
    seated: usize,
    closed: usize,
    per_server: Vec<usize>,
}

/// `rooms` rooms of `per_room` phones at once, on one server or through
/// HAProxy on the cluster; every round, every host opens its buzzers at the
/// same moment.
async fn spread(deployment: Deployment, rooms: usize, per_room: usize, rounds: usize) -> Spread {
    let args = ["--max-players", "5000"];
    let (addr, creator, _single, _cluster, data) = match deployment {
        Deployment::Cluster => {
            let cluster = cluster::Cluster::start(&args).await;
            let creator = (cluster.proxy.addr, cluster.teacher_key.clone());
            (cluster.proxy.addr, creator, None, Some(cluster), None)
        }
        _ => {
            let data = fault::temp_dir("spread");
            let server =
                fault::Binary::start(&data, fault::free_port(), &args).expect("the server starts");
            let key = std::fs::read_to_string(data.join("teacher.key")).unwrap();
            let creator = (server.addr, key.trim().to_owned());
            (server.addr, creator, Some(server), None, Some(data))
        }
    };
    let mut hosts = Vec::new();
    let mut codes = Vec::new();
    for _ in 0..rooms {
        let room = fault::create_room_at(creator.0, &creator.1, "rlhf").await;
        hosts.push(class_host(addr, &room, per_room).await);
        codes.push(room.code);
    }
    let mut per_server = vec![0; 3];
    if let Some(cluster) = &_cluster {
        let db = cluster.postgres.connect().await;
        for code in &codes {
            per_server[cluster.owner(&db, code).await.expect("an owner")] += 1;
        }
    } else {
        per_server = vec![rooms];
    }
    // Each class joins in turn, all its phones at once.
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let mut outs = Vec::new();
    let mut seated = 0;
    for (r, code) in codes.iter().enumerate() {
        let url = format!("ws://{addr}/ws/{code}?role=player");
        let joins = (0..per_room).map(|i| {
            let (url, seen_tx) = (url.clone(), seen_tx.clone());
            async move {
                let (reply, welcomed) = tokio::sync::oneshot::channel();
                let index = r * per_room + i;
                let out = phone(
                    url,
                    index,
                    seen_tx,
                    Arc::new(AtomicUsize::new(0)),
                    Some(reply),
                )
                .await?;
                let _ = out.send(text(&ClientMsg::Join {
                    name: format!("Phone {index}"),
                    nonce: Some(format!("spread-{index:08}")),
                }));
                let welcome = tokio::time::timeout(Duration::from_secs(30), welcomed)
                    .await
                    .ok()
                    .and_then(Result::ok);
                Some((out, welcome.is_some()))
            }
        });
        for joined in futures_util::future::join_all(joins)
            .await
            .into_iter()
            .flatten()
        {
            seated += usize::from(joined.1);
            outs.push(joined.0);
        }
    }
    let mut closed = 0;
    let mut delays = Vec::new();
    for round in 0..rounds {
        let (category, row) = (round % 5, round / 5);
        for host in &mut hosts {
            host.send(&ClientMsg::OpenClue { category, row }).await;
            host.expect("clue_opened", |m| {
                matches!(m, ServerMsg::ClueOpened { .. }).then_some(())
            })
            .await;
        }
        let opened = Instant::now();
        for host in &mut hosts {
            host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
        }
        delays.extend(
            collect(
                &mut seen,
                Kind::Opened,
                rooms * per_room,
                opened,
                Duration::from_secs(20),
                &mut closed,
            )
            .await,
        );
        for host in &mut hosts {
            host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
            host.expect("clue_closed", |m| {
                matches!(m, ServerMsg::ClueClosed { .. }).then_some(())
            })
            .await;
        }
    }
    drop(outs);
    if let Some(data) = data {
        let _ = std::fs::remove_dir_all(data);
    }
    Spread {
        fanout: (percentile(&mut delays, 0.5), percentile(&mut delays, 0.99)),
        seated,
        closed,
        per_server,
    }
}

/// The same figures through HAProxy in front of three servers on one
/// PostgreSQL, beside one server alone in the same run; and how rooms
/// spread over the three servers.
async fn through_haproxy(sizes: &[usize], rounds: usize) {
    let started = std::time::Instant::now();
    let mut pairs = Vec::new();
    for &n in sizes {
        let single = buzzboard(n, rounds, Deployment::Single).await;
        let proxied = buzzboard(n, rounds, Deployment::Proxied).await;
        let cluster = buzzboard(n, rounds, Deployment::Cluster).await;
        eprintln!("{n} phones done");
        pairs.push((single, proxied, cluster));
    }
    // Many rooms at once, spread over the servers.
    let (rooms, per_room) = (
        env_number("SPREAD_ROOMS", 6),
        env_number("SPREAD_PHONES", 300),
    );
    let alone = spread(Deployment::Single, rooms, per_room, rounds).await;
    let spread_out = spread(Deployment::Cluster, rooms, per_room, rounds).await;
    eprintln!("{rooms} rooms of {per_room} done");
    // Spread: rooms made through the balancer, each started by its first
    // page, counted by the server that runs it.
    let spread_rooms = 60;
    let mut cluster = cluster::Cluster::start(&[]).await;
    let db = cluster.postgres.connect().await;
    let mut per_server = [0usize; 3];
    let mut hosts = Vec::new();
    for _ in 0..spread_rooms {
        let room = cluster.create_room("rlhf").await;
        let page = reqwest::get(format!("http://{}/board/{}", cluster.proxy.addr, room.code))
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let owner = cluster.owner(&db, &room.code).await.expect("an owner");
        per_server[owner] += 1;
        let mut host = fault::Resilient::new(
            cluster.proxy.addr,
            &room.code,
            format!("role=host&key={}", room.host_key),
        );
        host.connect().await;
        hosts.push((owner, host));
    }
    // The server running the most rooms dies; its rooms' host pages come
    // back once other servers have taken every one of them over.
    let victim = (0..3).max_by_key(|&i| per_server[i]).unwrap();
    let killed = Instant::now();
    cluster.servers[victim].take().unwrap().kill9();
    let returns =
        hosts
            .into_iter()
            .filter(|(owner, _)| *owner == victim)
            .map(|(_, mut host)| async move {
                while host.get().try_next().await.is_some() {}
                host.lost();
                host.connect().await;
                Instant::now()
            });
    let back = futures_util::future::join_all(returns).await;
    let all_back = back.iter().max().map_or(0.0, |at| ms(*at - killed));
    drop(cluster);
    println!(
        "capacity through HAProxy: {rounds} fan-out rounds per size, {:.0} s\n",
        started.elapsed().as_secs_f64()
    );
    println!(
        "| phones | deployment | \"buzzers open\" to each phone, p50 / p99 | p99 / one server's | join burst: seated, all welcomed in | storm: winner on every phone after the host | reconnect with tokens: back, all in | memory per idle phone (server running the room) | pages closed |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (single, proxied, cluster) in pairs {
        let on = cluster
            .owner
            .map_or(String::new(), |i| format!(" (room on server {})", i + 1));
        for (name, r) in [
            ("one server, SQLite".to_owned(), &single),
            ("one server, SQLite, through HAProxy".to_owned(), &proxied),
            (format!("3 servers + HAProxy, PostgreSQL{on}"), &cluster),
        ] {
            println!(
                "| {} | {name} | {:.2} / {:.2} ms | {:.2} | {} |",
                r.phones,
                r.fanout.0,
                r.fanout.1,
                r.fanout.1 / single.fanout.1,
                r.crowd_cells(),
            );
        }
    }
    println!(
        "\n{spread_rooms} rooms created through HAProxy, each started by its first page: {} / {} / {} on the three servers",
        per_server[0], per_server[1], per_server[2]
    );
    println!(
        "kill -9 of the server running {} of them: every one of those rooms taken over and its host page back in {all_back:.0} ms (lease {} s)",
        back.len(),
        buzzboard::cluster::DEFAULT_LEASE.as_secs_f64()
    );
    println!(
        "\n{rooms} rooms of {per_room} phones at once, every host opening its buzzers together ({rounds} rounds):\n"
    );
    println!(
        "| deployment | rooms per server | seated | \"buzzers open\" to each phone, p50 / p99 | p99 / one server's | pages closed |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, r) in [
        ("one server, SQLite", &alone),
        ("3 servers + HAProxy, PostgreSQL", &spread_out),
    ] {
        println!(
            "| {name} | {} | {}/{} | {:.2} / {:.2} ms | {:.2} | {} |",
            r.per_server
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" / "),
            r.seated,
            rooms * per_room,
            r.fanout.0,
            r.fanout.1,
            r.fanout.1 / alone.fanout.1,
            r.closed,
        );
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("CAPACITY_PHONES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 100, 500, 2000]);
    let rounds: usize = std::env::var("CAPACITY_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
        .clamp(1, 24);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if std::env::var("CAPACITY_SOAK").is_ok() {
        let number = |name: &str, default: f64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        runtime.block_on(soak(
            number("SOAK_ROOMS", 50.0) as usize,
            number("SOAK_PHONES", 200.0) as usize,
            number("SOAK_MINUTES", 10.0),
        ));
        return;
    }
    if std::env::var("CAPACITY_CLUSTER").is_ok() {
        runtime.block_on(through_haproxy(&sizes, rounds));
        return;
    }
    runtime.block_on(async move {
        let started = std::time::Instant::now();
        let mut rows = Vec::new();
        for &n in &sizes {
            let floor = floor(n, rounds).await;
            let mut row = buzzboard(n, rounds, Deployment::Single).await;
            row.floor = floor;
            eprintln!("{n} phones done");
            rows.push(row);
        }
        println!(
            "capacity: {rounds} fan-out rounds per size, {:.0} s\n",
            started.elapsed().as_secs_f64()
        );
        println!("| phones | floor: each phone receives, p50 / p99 | Buzzboard: \"buzzers open\" to each phone, p50 / p99 | ratio p99 | join burst: seated, all welcomed in | storm: winner on every phone after the host | reconnect with tokens: back, all in | memory per idle phone | pages closed |");
        println!("|---|---|---|---|---|---|---|---|---|");
        for r in rows {
            println!(
                "| {} | {:.2} / {:.2} ms | {:.2} / {:.2} ms | {:.2} | {} |",
                r.phones,
                r.floor.0,
                r.floor.1,
                r.fanout.0,
                r.fanout.1,
                r.fanout.1 / r.floor.1,
                r.crowd_cells(),
            );
        }
    });
}
