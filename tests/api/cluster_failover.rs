//! Past one machine: three servers on one PostgreSQL behind HAProxy (the
//! shipped configuration), and the server running a game killed with
//! SIGKILL in the middle of a clue.

use std::time::{Duration, Instant};

use buzzboard::game::{HostCommand, PlayerId};
use buzzboard::protocol::{ClientMsg, ServerMsg, Snapshot};

use crate::cluster::Cluster;
use crate::fault::{Resilient, Step, durable, run_step};

/// A fresh host view of the room, through the load balancer.
async fn witness(addr: std::net::SocketAddr, code: &str, key: &str) -> Snapshot {
    let mut host = Resilient::new(addr, code, format!("role=host&key={key}"));
    host.connect().await.unwrap()
}

/// Waits until the page's connection ends (its server died), then
/// reconnects it like the pages do; returns when it is back, and what it
/// was sent.
async fn come_back(mut page: Resilient) -> (Resilient, Instant, Snapshot) {
    while page.get().try_next().await.is_some() {}
    page.lost();
    let snapshot = page.connect().await.expect("a fresh snapshot");
    (page, Instant::now(), snapshot)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_server_that_runs_a_game_mid_clue_loses_nothing_and_every_page_comes_back() {
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let mut cluster = Cluster::start(&[]).await;
    let db = cluster.postgres.connect().await;
    let proxy = cluster.proxy.addr;
    let room = cluster.create_room("rlhf").await;

    let mut host = Resilient::new(
        proxy,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    let mut board = Resilient::new(proxy, &room.code, "role=board".into());
    board.connect().await;
    let mut phones = Vec::new();
    let mut ids = Vec::new();
    for i in 0..20 {
        let (phone, id) = Resilient::join(proxy, &room.code, &format!("Phone {i}")).await;
        phones.push(phone);
        ids.push(id);
    }
    let owner = cluster
        .owner(&db, &room.code)
        .await
        .expect("the room has a live owner");

    // Two clues scored, then a third open with five buzzes in.
    let steps = [
        Step::Open(0, 0),
        Step::OpenBuzzers,
        Step::Buzz(3),
        Step::Judge(true),
        Step::Close,
        Step::Open(1, 1),
        Step::OpenBuzzers,
        Step::Buzz(7),
        Step::Judge(false),
        Step::Close,
        Step::Open(2, 2),
        Step::OpenBuzzers,
    ];
    for step in steps {
        run_step(step, host.get(), &mut phones, &ids).await;
    }
    for &p in &[11, 4, 15, 0, 9] {
        phones[p].get().buzz().await;
        phones[p]
            .get()
            .expect("the buzz acknowledged", |m| {
                matches!(m, ServerMsg::BuzzReceived).then_some(())
            })
            .await;
    }
    // What every page has been told: read back until all five buzzes are
    // in the order the room decided.
    let deadline = Instant::now() + Duration::from_secs(10);
    let before = loop {
        let seen = witness(proxy, &room.code, &room.host_key).await;
        if seen.clue.as_ref().is_some_and(|c| c.buzz_order.len() == 5) {
            break seen;
        }
        assert!(Instant::now() < deadline, "the five buzzes never showed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let order: Vec<PlayerId> = before
        .clue
        .as_ref()
        .unwrap()
        .buzz_order
        .iter()
        .map(|p| p.id)
        .collect();
    let mut expected: Vec<PlayerId> = [11, 4, 15, 0, 9].iter().map(|&p| ids[p]).collect();
    expected.sort();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "the five buzzers are in the order");
    let score = |id: PlayerId| before.players.iter().find(|p| p.id == id).unwrap().score;
    assert!(
        score(ids[3]) > 0 && score(ids[7]) < 0,
        "two clues were scored"
    );

    // Kill the owner mid-clue.
    let server = cluster.servers[owner].take().unwrap();
    let killed = Instant::now();
    server.kill9();
    let pages: Vec<Resilient> = std::iter::once(host)
        .chain(std::iter::once(board))
        .chain(phones)
        .collect();
    let returns = futures_util::future::join_all(pages.into_iter().map(come_back)).await;
    let all_back = returns.iter().map(|(_, at, _)| *at).max().unwrap() - killed;
    println!(
        "kill -9 of the room's server -> all {} pages back with a snapshot: {} ms (lease {} s)",
        returns.len(),
        all_back.as_millis(),
        buzzboard::cluster::DEFAULT_LEASE.as_secs_f64()
    );
    let new_owner = cluster.owner(&db, &room.code).await.expect("a new owner");
    assert_ne!(new_owner, owner, "another server took the room");

    // Exactly as acknowledged: the host's view (scores, the open clue, its
    // buzz order), and each phone's own seat and score.
    let mut returns = returns.into_iter();
    let (mut host, _, host_after) = returns.next().unwrap();
    assert_eq!(durable(&host_after), durable(&before));
    let (_board, _, board_after) = returns.next().unwrap();
    let board_clue = board_after.clue.expect("the projector shows the open clue");
    assert_eq!(
        board_clue
            .buzz_order
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        order
    );
    assert!(
        board_clue.answer.is_none(),
        "the projector never gets the answer"
    );
    let mut phones: Vec<Resilient> = Vec::new();
    for (index, (phone, _, snapshot)) in returns.enumerate() {
        let you = snapshot.you.expect("the phone is still seated");
        let was = before.players.iter().find(|p| p.id == ids[index]).unwrap();
        assert_eq!((you.id, you.score), (was.id, was.score), "phone {index}");
        phones.push(phone);
    }

    // The game plays on: the first in the order answers right.
    host.get()
        .send(&ClientMsg::Host(HostCommand::Judge { correct: true }))
        .await;
    let judged = host
        .get()
        .expect("the judgement", |m| match m {
            ServerMsg::Judged { player, .. } => Some(*player),
            ServerMsg::Error { message, .. } => panic!("refused after failover: {message}"),
            _ => None,
        })
        .await;
    assert_eq!(judged, order[0]);
    let after = witness(proxy, &room.code, &room.host_key).await;
    let value = before.clue.as_ref().unwrap().value;
    let was = before
        .players
        .iter()
        .find(|p| p.id == order[0])
        .unwrap()
        .score;
    let now = after
        .players
        .iter()
        .find(|p| p.id == order[0])
        .unwrap()
        .score;
    assert_eq!(now, was + value);
    assert!(
        all_back < Duration::from_secs(5),
        "every page should be back within 5 s of the kill, took {all_back:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_lost_a_room_can_save_nothing_more_to_its_journal() {
    use buzzboard::store::postgres::Lease;
    use buzzboard::store::{JournalEntry, Postgres, RoomRecord};

    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let postgres = crate::cluster::Postgres::start();
    let first = Postgres::connect(&postgres.url(), "127.0.0.1:1")
        .await
        .unwrap();
    let second = Postgres::connect(&postgres.url(), "127.0.0.1:2")
        .await
        .unwrap();
    let record = RoomRecord {
        code: "FENCE".into(),
        board_id: "rlhf".into(),
        board_toml: String::new(),
        host_key: "k".into(),
        owner: Some(1),
    };
    assert!(first.create_room(&record).await.unwrap());
    assert!(
        !second.create_room(&record).await.unwrap(),
        "a code is one room across every server"
    );
    let command = buzzboard::game::Command::Host(HostCommand::Undo);
    let entry = |seq| JournalEntry {
        seq,
        at: Duration::from_millis(seq),
        command: command.clone(),
        new_seat: None,
        forget_seats_of: None,
    };

    let lease = Duration::from_millis(300);
    assert_eq!(first.acquire("FENCE", lease).await.unwrap(), Lease::Mine(1));
    first.append("FENCE", &[entry(1)]).await.unwrap();
    match second.acquire("FENCE", lease).await.unwrap() {
        Lease::Held { address, remaining } => {
            assert_eq!(address, "127.0.0.1:1");
            assert!(remaining <= lease);
        }
        other => panic!("a held room was taken: {other:?}"),
    }
    // The first server stalls past its lease; the second takes the room.
    tokio::time::sleep(lease + Duration::from_millis(100)).await;
    assert_eq!(
        second.acquire("FENCE", lease).await.unwrap(),
        Lease::Mine(2)
    );
    let refused = first.append("FENCE", &[entry(2)]).await;
    assert!(refused.is_err(), "the old owner's write must be refused");
    second.append("FENCE", &[entry(2)]).await.unwrap();
    // And the old owner finds out at its next renewal.
    assert!(first.renew(lease).await.unwrap().is_empty());
    assert_eq!(
        second
            .renew(lease)
            .await
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>(),
        vec!["FENCE".to_owned()]
    );
    let saved = second.load_room("FENCE").await.unwrap().unwrap();
    assert_eq!(saved.last_seq, 2);
    assert_eq!(saved.commands.len(), 2, "exactly the owners' writes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_reaches_a_server_not_running_its_room_is_relayed_to_the_one_that_is() {
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let cluster = Cluster::start(&[]).await;
    let db = cluster.postgres.connect().await;
    let room = cluster.create_room("rlhf").await;
    // The first page, through the load balancer, starts the room.
    let mut host = Resilient::new(
        cluster.proxy.addr,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    let owner = cluster.owner(&db, &room.code).await.unwrap();
    let other = cluster.servers[(owner + 1) % 3].as_ref().unwrap().addr;

    // A phone straight to another server: its page and its socket.
    let page = reqwest::get(format!("http://{other}/play/{}", room.code))
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let (mut phone, id) = Resilient::join(other, &room.code, "Relayed").await;
    run_step(Step::Open(0, 0), host.get(), &mut [], &[]).await;
    run_step(Step::OpenBuzzers, host.get(), &mut [], &[]).await;
    phone.get().buzz().await;
    host.get()
        .expect("the relayed phone answering", |m| {
            matches!(m, ServerMsg::Answering { player, .. } if *player == id).then_some(())
        })
        .await;
    // Still one room, on one server.
    assert_eq!(cluster.owner(&db, &room.code).await, Some(owner));
    // A request already relayed once is never relayed again: a person
    // loading the page is asked to reload in a moment, in their language.
    let again = reqwest::Client::new()
        .get(format!("http://{other}/play/{}", room.code))
        .header("x-buzzboard-forwarded", "1")
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 503);
    assert!(again.headers().contains_key("retry-after"));
    let page = again.text().await.unwrap();
    assert!(
        page.contains("data-i18n=\"page_error.moving.title\""),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_fenced_out_by_a_lost_lease_is_never_acknowledged_and_the_room_comes_back_from_its_journal()
 {
    use buzzboard::store::Postgres;
    use buzzboard::store::postgres::Lease;

    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    // A long lease, renewed every 10 s: the owner goes on running the room
    // after the theft until it tries to save.
    let cluster = Cluster::start(&["--lease-seconds", "30"]).await;
    let db = cluster.postgres.connect().await;
    let proxy = cluster.proxy.addr;
    let room = cluster.create_room("rlhf").await;
    let mut host = Resilient::new(
        proxy,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    let (_phone, id) = Resilient::join(proxy, &room.code, "Ana").await;
    run_step(Step::Open(0, 0), host.get(), &mut [], &[]).await;

    // Another server takes the room while its owner still runs it (as if
    // the owner had stalled past its lease), then goes silent.
    let thief = Postgres::connect(&cluster.postgres.url(), "127.0.0.1:9")
        .await
        .unwrap();
    db.execute(
        "UPDATE leases SET expires_at = now() - interval '1 second' WHERE room = $1",
        &[&room.code],
    )
    .await
    .unwrap();
    assert!(matches!(
        thief
            .acquire(&room.code, Duration::from_secs(1))
            .await
            .unwrap(),
        Lease::Mine(_)
    ));

    // The owner's next write is fenced out: the host is told nothing of it,
    // and its page loses the connection.
    host.get()
        .send(&ClientMsg::Host(HostCommand::AdjustScore {
            player: id,
            delta: 500,
        }))
        .await;
    while let Some(msg) = host.get().try_next().await {
        assert!(
            !matches!(msg, ServerMsg::ScoreAdjusted { .. }),
            "an unsaved command was acknowledged"
        );
    }
    host.lost();
    // The page comes back once the silent server's lease runs out, to the
    // room exactly as its journal holds it.
    let after = host.connect().await.unwrap();
    let ana = after.players.iter().find(|p| p.id == id).unwrap();
    assert_eq!(ana.score, 0, "the fenced-out adjustment was not kept");
    assert!(after.clue.is_some(), "the open clue is still open");
    let rows = db
        .query(
            "SELECT command FROM commands WHERE room = $1 AND command LIKE '%adjust%'",
            &[&room.code],
        )
        .await
        .unwrap();
    assert!(rows.is_empty(), "the journal holds no trace of it");
    // And the game plays on.
    run_step(Step::OpenBuzzers, host.get(), &mut [], &[]).await;
}

/// A 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_saved_on_one_server_is_offered_by_all_and_its_game_survives_that_servers_loss() {
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let mut cluster = Cluster::start(&[]).await;
    let db = cluster.postgres.connect().await;
    let http = reqwest::Client::new();
    let key = cluster.teacher_key.clone();
    let server = |i: usize| cluster.servers[i].as_ref().unwrap().addr;

    // The teacher makes a board with a picture, talking to server 0 only.
    let media: serde_json::Value = http
        .post(format!("http://{}/api/media", server(0)))
        .header("x-buzzboard-key", key.as_str())
        .query(&[("filename", "map.png")])
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let image = media["path"]
        .as_str()
        .expect("the picture is stored")
        .to_owned();
    let saved = http
        .post(format!("http://{}/api/editor", server(0)))
        .header("x-buzzboard-key", key.as_str())
        .json(&serde_json::json!({
            "title": "Maps",
            "categories": [{"name": "Europe", "clues": [
                {"value": 100, "clue": "Which country is this?", "answer": "Italy", "image": image}
            ]}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 201);

    // Every server offers it.
    for i in 1..3 {
        let boards: serde_json::Value = http
            .get(format!("http://{}/api/boards", server(i)))
            .header("x-buzzboard-key", key.as_str())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            boards.as_array().unwrap().iter().any(|b| b["id"] == "maps"),
            "server {i} offers the board saved on server 0: {boards}"
        );
    }

    // A game of it, through the balancer, its clue open on the projector.
    let room = cluster.create_room("maps").await;
    let proxy = cluster.proxy.addr;
    let mut host = Resilient::new(
        proxy,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    let mut projector = Resilient::new(proxy, &room.code, "role=board".into());
    projector.connect().await;
    run_step(Step::Open(0, 0), host.get(), &mut [], &[]).await;
    let url = projector
        .get()
        .expect("the clue with its picture", |m| match m {
            ServerMsg::ClueOpened { clue } => clue.image.clone(),
            _ => None,
        })
        .await;
    // The teacher page of any server lists the game.
    for i in 0..3 {
        let page = http
            .get(format!("http://{}/", server(i)))
            .header("x-buzzboard-key", key.as_str())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(&room.code), "server {i} lists the game");
    }

    // The server running it dies; the game comes back elsewhere with its
    // picture, which every server serves.
    let owner = cluster.owner(&db, &room.code).await.unwrap();
    cluster.servers[owner].take().unwrap().kill9();
    let (_projector, _, snapshot) = come_back(projector).await;
    let clue = snapshot.clue.expect("the clue is still open");
    assert_eq!(clue.image.as_deref(), Some(url.as_str()));
    for _ in 0..3 {
        let picture = http
            .get(format!("http://{proxy}{url}"))
            .send()
            .await
            .unwrap();
        assert_eq!(picture.status(), 200);
        assert_eq!(picture.bytes().await.unwrap().as_ref(), PNG);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_pages_reconnect_by_themselves_to_the_server_that_takes_their_game_over() {
    use crate::driver::Browser;

    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let Some(mut browser) = Browser::launch().await else {
        return;
    };
    let mut cluster = Cluster::start(&[]).await;
    let db = cluster.postgres.connect().await;
    let room = cluster.create_room("rlhf").await;
    // The links point at the balancer, as the teacher and students get them.
    let host = browser
        .open("cluster-host", &room.host_url, 1366, 768, false)
        .await;
    let board = browser
        .open("cluster-board", &room.board_url, 1920, 1080, false)
        .await;
    let phone = browser
        .open("cluster-phone", &room.join_url, 390, 844, true)
        .await;
    crate::browser::join(&mut browser, &phone, "Ana").await;
    browser
        .click(&host, "#grid button.tile[data-category='0'][data-row='0']")
        .await;
    browser
        .wait_for(&board, "!document.getElementById('clue-overlay').hidden")
        .await;
    buzz_in(&mut browser, &host, &phone).await;
    let answering = "document.querySelector('#buzz-order li') && document.querySelector('#buzz-order li').textContent === 'Ana'";
    browser.wait_for(&host, answering).await;

    let owner = cluster.owner(&db, &room.code).await.unwrap();
    let killed = Instant::now();
    cluster.servers[owner].take().unwrap().kill9();
    // Each page notices, says so, and comes back by itself: online again,
    // with the open clue, the buzz and the phone's seat as they were.
    let online = "document.getElementById('connection').dataset.state === 'online'";
    for page in [&host, &board, &phone] {
        browser
            .wait_for_within(
                page,
                "document.getElementById('connection').dataset.state !== 'online'",
                5_000,
            )
            .await;
    }
    for page in [&host, &board, &phone] {
        browser.wait_for_within(page, online, 10_000).await;
    }
    let back = killed.elapsed();
    browser.wait_for(&host, answering).await;
    browser
        .wait_for(&board, "!document.getElementById('clue-overlay').hidden")
        .await;
    browser
        .wait_for(
            &phone,
            "document.getElementById('buzz').dataset.state === 'first'",
        )
        .await;
    println!(
        "kill -9 -> host, projector and phone pages online again: {} ms",
        back.as_millis()
    );
    assert_ne!(cluster.owner(&db, &room.code).await, Some(owner));
    // The host's next click works on the new owner.
    browser.click(&host, "#judge-right").await;
    browser
        .wait_for(
            &phone,
            "document.getElementById('buzz').dataset.state !== 'first'",
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_stopped_cleanly_hands_its_games_over_without_waiting_for_the_lease() {
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    // A long lease: waiting for it would take at least 6.6 s.
    let mut cluster = Cluster::start(&["--lease-seconds", "10"]).await;
    let db = cluster.postgres.connect().await;
    let proxy = cluster.proxy.addr;
    let room = cluster.create_room("rlhf").await;
    let mut host = Resilient::new(
        proxy,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    let mut phones = Vec::new();
    let mut ids = Vec::new();
    for name in ["Ana", "Ben", "Cy"] {
        let (phone, id) = Resilient::join(proxy, &room.code, name).await;
        phones.push(phone);
        ids.push(id);
    }
    for step in [Step::Open(0, 0), Step::OpenBuzzers, Step::Buzz(1)] {
        run_step(step, host.get(), &mut phones, &ids).await;
    }
    let before = witness(proxy, &room.code, &room.host_key).await;
    let owner = cluster.owner(&db, &room.code).await.unwrap();
    let stopped = Instant::now();
    let (_, status) = cluster.servers[owner].take().unwrap().terminate();
    assert_eq!(status, Some(0), "a clean exit");
    let pages: Vec<Resilient> = std::iter::once(host).chain(phones).collect();
    let returns = futures_util::future::join_all(pages.into_iter().map(come_back)).await;
    let back = returns.iter().map(|(_, at, _)| *at).max().unwrap() - stopped;
    println!(
        "SIGTERM of the room's server -> all pages back: {} ms",
        back.as_millis()
    );
    assert_eq!(durable(&returns[0].2), durable(&before));
    assert!(
        back < Duration::from_secs(5),
        "the games were handed over, not left to their 10 s lease: {back:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_cannot_reach_the_database_reports_itself_unhealthy() {
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let cluster = Cluster::start(&["--lease-seconds", "1"]).await;
    let server = cluster.servers[0].as_ref().unwrap().addr;
    let health = |addr| async move {
        let response = reqwest::get(format!("http://{addr}/healthz"))
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap();
        (status, body)
    };
    let (status, body) = health(server).await;
    assert_eq!(
        (status, body["database"].as_str()),
        (200, Some("reachable"))
    );
    // The database goes away: within a lease or two the server says so, and
    // HAProxy would stop sending it pages.
    let Cluster {
        servers, postgres, ..
    } = cluster;
    drop(postgres);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = health(server).await;
        if status == 503 {
            assert_eq!(body["database"], "unreachable");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still healthy without a database"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(servers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_game_goes_on_after_postgresql_restarts() {
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let cluster = Cluster::start(&[]).await;
    let proxy = cluster.proxy.addr;
    let room = cluster.create_room("rlhf").await;
    let mut host = Resilient::new(
        proxy,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    let (mut phone, id) = Resilient::join(proxy, &room.code, "Ana").await;
    run_step(Step::Open(0, 0), host.get(), &mut [], &[]).await;
    let before = witness(proxy, &room.code, &room.host_key).await;

    // Every connection to the database is cut.
    cluster.postgres.restart();

    // The host's next change is saved on a fresh connection; or, if the
    // room noticed first, the host's page reconnects and asks again.
    let mut adjusted = false;
    for _ in 0..2 {
        host.get()
            .send(&ClientMsg::Host(HostCommand::AdjustScore {
                player: id,
                delta: 50,
            }))
            .await;
        while let Some(msg) = host.get().try_next().await {
            if matches!(msg, ServerMsg::ScoreAdjusted { .. }) {
                adjusted = true;
                break;
            }
        }
        if adjusted {
            break;
        }
        host.lost();
        let back = host.connect().await.unwrap();
        assert_eq!(durable(&back), durable(&before), "nothing unsaved was kept");
    }
    assert!(adjusted, "the game went on");
    let after = witness(proxy, &room.code, &room.host_key).await;
    let ana = after.players.iter().find(|p| p.id == id).unwrap();
    assert_eq!(ana.score, 50);
    // The phone still plays (on a fresh connection: its old one ended if
    // the room was taken up again).
    phone.lost();
    phone.connect().await;
    run_step(Step::OpenBuzzers, host.get(), &mut [], &[]).await;
    phone.get().buzz().await;
    host.get()
        .expect("Ana answering", |m| {
            matches!(m, ServerMsg::Answering { player, .. } if *player == id).then_some(())
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_address_limits_count_the_real_client_through_haproxy_and_a_proxy_in_front() {
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let cluster = Cluster::start(&[]).await;
    let servers: Vec<_> = cluster
        .servers
        .iter()
        .map(|s| s.as_ref().unwrap().addr)
        .collect();
    // Wrong codes spend an address's budget (60 at once) on the server the
    // code is routed to; the same code always goes to the same server.
    let lookup = |proxy: std::net::SocketAddr, forwarded_for: &'static str| async move {
        reqwest::Client::new()
            .get(format!("http://{proxy}/play/NOSUCHGAME"))
            .header("x-forwarded-for", forwarded_for)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let spend = |proxy, forwarded_for| async move {
        for _ in 0..80 {
            if lookup(proxy, forwarded_for).await == 429 {
                return true;
            }
        }
        false
    };

    // Facing the internet: a client cannot pick its address by sending the
    // header; its budget is its own, whatever it claims.
    let facing = cluster.proxy.addr;
    assert!(
        spend(facing, "203.0.113.9").await,
        "wrong codes are limited"
    );
    assert_eq!(
        lookup(facing, "198.51.100.7").await,
        429,
        "a forged address does not buy a fresh budget"
    );

    // Behind Caddy or nginx (which write the header): each client counts
    // as itself, so one class's mistakes do not lock out another.
    let port = crate::fault::free_port();
    let behind =
        crate::cluster::HaProxy::start_configured(port, [servers[0], servers[1], servers[2]], true)
            .await;
    assert!(spend(behind.addr, "192.0.2.10").await);
    assert_eq!(
        lookup(behind.addr, "192.0.2.11").await,
        404,
        "another client behind the front proxy still has its budget"
    );
}

/// Issue 21, "a frozen server stalls its rooms": the owner is paused
/// (SIGSTOP, as a frozen VM or heavy swapping); its kernel still accepts
/// connections. A request that reaches another server used to hang until
/// the owner woke (15 s), and then got its stale snapshot. Now the relay
/// gives the owner until its lease runs out, the room is taken over, the
/// page is answered with what was acknowledged; and when the owner wakes
/// it serves nothing of the room from its old state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_relayed_to_a_frozen_owner_is_answered_by_the_server_that_takes_the_room_over() {
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let cluster = Cluster::start(&[]).await;
    let db = cluster.postgres.connect().await;
    let room = cluster.create_room("rlhf").await;
    let mut host = Resilient::new(
        cluster.proxy.addr,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    let (_ana, ana) = Resilient::join(cluster.proxy.addr, &room.code, "Ana").await;
    host.get()
        .send(&ClientMsg::Host(HostCommand::AdjustScore {
            player: ana,
            delta: 500,
        }))
        .await;
    host.get()
        .expect("+500 acknowledged", |m| {
            matches!(m, ServerMsg::ScoreAdjusted { score: 500, .. }).then_some(())
        })
        .await;
    let owner = cluster.owner(&db, &room.code).await.unwrap();
    let owner_pid = cluster.servers[owner].as_ref().unwrap().pid();
    let other = cluster.servers[(owner + 1) % 3].as_ref().unwrap().addr;
    let signal = |name: &str| {
        let status = std::process::Command::new("kill")
            .args([name, &owner_pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    };
    signal("-STOP");
    let frozen = Instant::now();
    // The host page, through HAProxy on the paused owner, is cut as soon
    // as HAProxy marks the owner down (not left to its silence watchdog).
    let cut = host.get().close_code().await;
    let cut_after = frozen.elapsed();
    println!(
        "owner paused -> its pages cut by HAProxy: {} ms ({cut:?})",
        cut_after.as_millis()
    );
    assert!(
        cut_after < Duration::from_secs(4),
        "pages on a server marked down are cut at once: {cut_after:?}"
    );
    // A host page straight to another server: relayed to the frozen owner.
    let answered = crate::common::open_socket(
        other,
        &room.code,
        &format!("role=host&key={}", room.host_key),
    )
    .await;
    let Ok(socket) = answered else {
        let log = cluster.servers[(owner + 1) % 3]
            .as_ref()
            .unwrap()
            .stderr
            .clone();
        panic!(
            "not answered after {:?}: {answered:?}\n{:#?}",
            frozen.elapsed(),
            log.lock().unwrap()
        );
    };
    let mut late = crate::common::Client::from_stream(socket);
    let snapshot = late.snapshot().await;
    let waited = frozen.elapsed();
    signal("-CONT");
    println!(
        "owner paused -> relayed page answered by the new owner: {} ms",
        waited.as_millis()
    );
    assert!(
        waited < Duration::from_secs(10),
        "answered within the lease and a margin, not when the owner woke: {waited:?}"
    );
    let ana_seen = snapshot.players.iter().find(|p| p.id == ana).unwrap();
    assert_eq!(ana_seen.score, 500, "what was acknowledged is there");
    let new_owner = cluster.owner(&db, &room.code).await;
    assert!(
        new_owner.is_some() && new_owner != Some(owner),
        "taken over"
    );
    // The woken owner does not serve its old copy: straight to it, a page
    // is sent on to the new owner (or asked to retry), never its state.
    let woken = cluster.servers[owner].as_ref().unwrap().addr;
    let mut straight = Resilient::new(
        woken,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    let seen = straight.connect().await.expect("a snapshot");
    assert_eq!(
        seen.players.iter().find(|p| p.id == ana).unwrap().score,
        500
    );
}

/// Issue 21: the epoch restarted at 1 after a clean hand-over (the lease
/// row was deleted); it now grows for the room's whole life.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rooms_epoch_keeps_growing_across_a_clean_hand_over() {
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let mut cluster = Cluster::start(&[]).await;
    let db = cluster.postgres.connect().await;
    let room = cluster.create_room("rlhf").await;
    let mut host = Resilient::new(
        cluster.proxy.addr,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    let query = "SELECT epoch FROM leases WHERE room = $1";
    let first: i64 = db.query_one(query, &[&room.code]).await.unwrap().get(0);
    let owner = cluster.owner(&db, &room.code).await.unwrap();
    let (_, status) = cluster.servers[owner].take().unwrap().terminate();
    assert_eq!(status, Some(0));
    host.lost();
    host.connect().await.expect("back on another server");
    let second: i64 = db.query_one(query, &[&room.code]).await.unwrap().get(0);
    assert!(second > first, "epoch {first} then {second}");
}

/// Opens the buzzers from the host page and buzzes from `phone` after a
/// human reaction time.
async fn buzz_in(
    browser: &mut crate::driver::Browser,
    host: &crate::driver::Page,
    phone: &crate::driver::Page,
) {
    browser.click(host, "#open-buzzers").await;
    browser
        .wait_for(phone, "document.getElementById('buzz').dataset.state === 'open' && document.getElementById('connection').dataset.state === 'online'")
        .await;
    browser
        .eval(phone, "window.testShownAt = performance.now(); true")
        .await;
    browser
        .wait_for(phone, "performance.now() - window.testShownAt > 250")
        .await;
    browser.click(phone, "#buzz").await;
    browser
        .wait_for(
            phone,
            "document.getElementById('buzz').dataset.state === 'first'",
        )
        .await;
}

/// Issue 23: accounts and sessions live in the shared database. A teacher
/// signed in through one server is signed in on every server; an
/// invitation made on one is accepted through another; each teacher's page
/// lists only their own games, from every server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_made_on_one_server_is_valid_on_every_server_and_each_teacher_sees_their_own() {
    use crate::common::{SignedIn, cookie_set};
    let _heavy = crate::common::heavy().await;
    if !crate::cluster::available() {
        return;
    }
    let cluster = Cluster::start(&[]).await;
    let server = |i: usize| cluster.servers[i].as_ref().unwrap().addr;
    // The same browser (its cookie) talking to one server or another.
    let on =
        |i: usize, cookie: &str| SignedIn::at(format!("http://{}", server(i)), cookie.to_owned());
    let room = cluster.create_room("rlhf").await;

    // The owner signs in through server 0, and is signed in on all.
    let signed_in = on(0, "")
        .get(&format!("/?key={}", cluster.teacher_key))
        .await;
    assert_eq!(signed_in.status(), 303);
    let owner = cookie_set(&signed_in, "buzzboard_session").expect("signed in");
    for i in 0..3 {
        let (_, page) = on(i, &owner).page("/").await;
        assert!(
            page.contains(&room.code),
            "server {i} lists the owner's game"
        );
    }

    // An invitation made on server 1, opened on server 2, accepted on 0.
    let made = on(1, &owner)
        .post_form("/admin/invite", &[("email", "ana@school.example")])
        .await
        .text()
        .await
        .unwrap();
    let at = made.find("/invite?token=").expect("a link");
    let token: String = made[at + "/invite?token=".len()..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    let opened = on(2, "").get(&format!("/invite?token={token}")).await;
    let invitation = cookie_set(&opened, "buzzboard_invite").expect("waiting");
    let accepted = on(0, &invitation)
        .post_form(
            "/invite",
            &[
                ("name", "Ana"),
                ("email", "ana@school.example"),
                ("password", "a long enough secret"),
                ("again", "a long enough secret"),
            ],
        )
        .await;
    assert_eq!(accepted.status(), 303);
    let ana = cookie_set(&accepted, "buzzboard_session").expect("Ana is signed in");
    for i in 0..3 {
        let (_, page) = on(i, &ana).page("/").await;
        assert!(page.contains("id=\"sign-out\""), "server {i} knows Ana");
        assert!(
            !page.contains(&room.code),
            "server {i} hides the owner's game from Ana"
        );
        let (status, _) = on(i, &ana).page(&format!("/host/{}", room.code)).await;
        assert_eq!(status, 403, "server {i}: not Ana's game");
    }
}
