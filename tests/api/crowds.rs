//! Crowds: many phones joining or buzzing at once, and pages that fall
//! behind. Nobody is dropped, nobody is seated twice, and the host and the
//! projector keep up (issue 12; issue 10, finding 4).

use crate::common;
use buzzboard::game::HostCommand;

use std::collections::HashSet;

use buzzboard::protocol::{ClientMsg, ServerMsg};
use common::{Client, Room, TestServer};
use futures_util::future::join_all;

/// `n` phones that connect and join at the same moment.
async fn crowd(server: &TestServer, room: &Room, n: usize) -> Vec<common::Player> {
    join_all((0..n).map(|i| async move { server.player(room, &format!("Student {i}")).await }))
        .await
}

/// The host lets `max` players in.
async fn allow(host: &mut Client, max: u32) {
    host.send(&ClientMsg::Host(HostCommand::SetPlayerCap { max }))
        .await;
    host.expect("player_cap", |m| {
        matches!(m, ServerMsg::PlayerCap { .. }).then_some(())
    })
    .await;
}

async fn open_buzzers(host: &mut Client) {
    host.open_clue_and_buzzers(0, 0).await;
    host.await_buzzers_open().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_joining_at_once_is_seated_once_each_and_the_host_and_projector_keep_up() {
    let _turn = common::heavy().await;
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut projector = server.board(&room).await;
    allow(&mut host, 300).await;
    let players = crowd(&server, &room, 300).await;
    let ids: HashSet<_> = players.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), 300, "every phone has its own seat");
    // The host and the projector heard of every join, batched or not, and
    // were never closed.
    for page in [&mut host, &mut projector] {
        let mut joined = HashSet::new();
        while joined.len() < 300 {
            if let ServerMsg::PlayerJoined { player, .. } = page.next().await {
                joined.insert(player);
            }
        }
    }
    let (_, snapshot) = server.host(&room).await;
    assert_eq!(snapshot.player_count, 300);
    assert_eq!(snapshot.players.len(), 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buzz_storm_names_the_winner_on_every_page_and_closes_none() {
    let _turn = common::heavy().await;
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut projector = server.board(&room).await;
    allow(&mut host, 200).await;
    let mut players = crowd(&server, &room, 200).await;
    open_buzzers(&mut host).await;
    join_all(players.iter_mut().map(|p| async {
        p.client.await_buzzers_open().await;
        p.client.buzz().await;
    }))
    .await;
    let answering = |m: &ServerMsg| match m {
        ServerMsg::Answering { player, .. } => Some(*player),
        _ => None,
    };
    let winner = host.expect("answering", answering).await;
    assert_eq!(projector.expect("answering", answering).await, winner);
    let seen = join_all(
        players
            .iter_mut()
            .map(|p| async { p.client.expect("answering", answering).await }),
    )
    .await;
    assert!(
        seen.iter().all(|&w| w == winner),
        "every phone has the winner"
    );
    // The host got every buzz line, in order.
    let mut positions = Vec::new();
    while positions.len() < 200 {
        if let ServerMsg::BuzzAudit { entry, .. } = host.next().await {
            positions.push(entry.position);
        }
    }
    let mut places: Vec<usize> = positions.into_iter().flatten().collect();
    places.sort_unstable();
    assert_eq!(places, (1..=200).collect::<Vec<_>>());
}

/// Issue 12: a socket closed after its join was taken but before its
/// welcome arrived left a seat nobody held, and the student's retry was
/// told the name was taken.
#[tokio::test]
async fn a_join_sent_again_with_its_nonce_gets_the_same_seat_back() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let join = ClientMsg::Join {
        name: "Ana".into(),
        nonce: Some("f3a9c2d4e5b6a7980112233445566778".into()),
    };
    let mut first = server.connect(&room.code, "role=player").await;
    first.snapshot().await;
    first.send(&join).await;
    // The welcome is lost with the connection.
    first.close().await;
    let mut again = server.connect(&room.code, "role=player").await;
    again.snapshot().await;
    again.send(&join).await;
    let seat = match again.next().await {
        ServerMsg::Welcome { player, name, .. } => (player, name),
        other => panic!("expected a welcome, got {other:?}"),
    };
    let (_, snapshot) = server.host(&room).await;
    assert_eq!(snapshot.player_count, 1, "no ghost seat");
    assert_eq!(snapshot.players[0].id, seat.0);
    assert_eq!(seat.1, "Ana");
    // Without the nonce the name is taken, as before.
    let mut stranger = server.connect(&room.code, "role=player").await;
    stranger.snapshot().await;
    stranger
        .send(&ClientMsg::Join {
            name: "Ana".into(),
            nonce: None,
        })
        .await;
    assert!(stranger.error().await.contains("already has that name"));
}

/// docs/protocol.md promises a page that falls a whole buffer behind a
/// fresh snapshot; the first version closed it (1013), and with it, in a
/// burst, every page in the room.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_falls_a_buffer_behind_gets_a_fresh_snapshot_and_stays() {
    let _turn = common::heavy().await;
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;

    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let ana = server.player(&room, "Ana").await;
    // A projector on a link so small that it holds only a few updates, and
    // that stops reading for a while.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(server.addr).await.unwrap();
    let url = format!("ws://{}/ws/{}?role=board", server.addr, room.code);
    let (mut slow, _) = tokio_tungstenite::client_async(url, stream).await.unwrap();
    // Its first message: the snapshot.
    let first = slow.next().await.unwrap().unwrap();
    assert!(first.to_text().unwrap().contains("\"snapshot\""));
    let changes = buzzboard::room::UPDATE_BUFFER * 20;
    for _ in 0..changes {
        host.send(&ClientMsg::Host(HostCommand::AdjustScore {
            player: ana.id,
            delta: 1,
        }))
        .await;
        // One change at a time, so each is its own update.
        host.expect("score_adjusted", |m| {
            matches!(m, ServerMsg::ScoreAdjusted { .. }).then_some(())
        })
        .await;
    }
    // Reading again, it gets a fresh snapshot with the final score, and the
    // connection was never closed.
    let mut resynced = false;
    let mut last_score = None;
    while last_score != Some(changes as i64) {
        let frame = tokio::time::timeout(common::WAIT, slow.next())
            .await
            .expect("the slow page is still served")
            .expect("the slow page was not closed")
            .unwrap();
        let Message::Text(text) = frame else {
            assert!(!matches!(frame, Message::Close(_)), "closed: {frame:?}");
            continue;
        };
        match serde_json::from_str::<ServerMsg>(&text).unwrap() {
            ServerMsg::Snapshot(snapshot) => {
                resynced = true;
                last_score = snapshot.players.first().map(|p| p.score);
            }
            ServerMsg::ScoreAdjusted { score, .. } => last_score = Some(score),
            _ => {}
        }
    }
    assert!(resynced, "it caught up from a fresh snapshot");
}

#[tokio::test]
async fn a_full_game_says_so_and_the_host_can_make_room() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    allow(&mut host, 1).await;
    let ana = server.player(&room, "Ana").await;
    let mut ben = server.connect(&room.code, "role=player").await;
    ben.snapshot().await;
    let join = ClientMsg::Join {
        name: "Ben".into(),
        nonce: None,
    };
    ben.send(&join).await;
    assert_eq!(
        ben.error().await,
        "This game is full (it takes 1 player). Ask the host to make room."
    );
    host.send(&ClientMsg::Host(HostCommand::RemovePlayer {
        player: ana.id,
    }))
    .await;
    host.expect("player_removed", |m| {
        matches!(m, ServerMsg::PlayerRemoved { .. }).then_some(())
    })
    .await;
    ben.send(&join).await;
    ben.expect("a welcome", |m| {
        matches!(m, ServerMsg::Welcome { .. }).then_some(())
    })
    .await;
}
