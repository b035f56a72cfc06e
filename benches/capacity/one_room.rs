//! One room of `n` phones on the real server: the join burst, the fan-out
//! rounds, the buzz storm, the reconnect wave and memory per phone.

use super::*;

pub(crate) struct Row {
    /// Which of the cluster's servers ran the room.
    pub(crate) owner: Option<usize>,
    pub(crate) phones: usize,
    pub(crate) floor: (f64, f64),
    pub(crate) fanout: (f64, f64),
    pub(crate) joined: usize,
    pub(crate) join_ms: f64,
    pub(crate) storm_ms: f64,
    pub(crate) storm_named: bool,
    pub(crate) reconnected: usize,
    pub(crate) reconnect_ms: f64,
    pub(crate) kib_per_phone: f64,
    pub(crate) closed: usize,
    pub(crate) staff_closed: bool,
}

impl Row {
    /// The table's cells from the join burst on: join, storm, reconnect,
    /// memory, pages closed.
    pub(crate) fn crowd_cells(&self) -> String {
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

/// The real server (or cluster) with `n` phones.
pub(crate) async fn buzzboard(n: usize, rounds: usize, deployment: Deployment) -> Row {
    let server = Target::start(deployment).await;
    let room = server.room.clone();
    let connect = |query: String| {
        let addr = server.addr;
        let code = room.code.clone();
        async move {
            common::Client::from_stream(common::open_socket(addr, &code, &query).await.unwrap())
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
pub(crate) async fn alive(page: &mut common::Client) -> bool {
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

/// Host: opens a tile, waits `after`, opens the buzzers, and returns how
/// long each of the room's `phones` took to see them.
pub(crate) async fn open_and_time(
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
pub(crate) async fn class_host(
    addr: std::net::SocketAddr,
    room: &common::Room,
    per_room: usize,
) -> common::Client {
    let socket = common::open_socket(
        addr,
        &room.code,
        &format!("role=host&key={}", room.host_key),
    )
    .await
    .unwrap();
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
