//! Issue 21, "Safe round two": holes a hostile-client probe found after
//! the first round of defences, each with a test that failed before the
//! fix, over real WebSockets.

use buzzboard::game::{HostCommand, TeamId};
use buzzboard::protocol::{ClientMsg, ServerMsg};

use crate::common::{Client, TestServer};

fn code_of(msg: &ServerMsg) -> Option<String> {
    match msg {
        ServerMsg::Error { code, .. } => Some(code.clone()),
        _ => None,
    }
}

/// Hole 1: a player at -1200 who joined Red dragged Red from +800 to -400;
/// after the first clue players could still hop; a change to the same team
/// was saved.
#[tokio::test]
async fn team_hopping_cannot_change_another_teams_score_and_teams_fix_once_play_begins() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    for name in ["Red", "Blue"] {
        host.send(&ClientMsg::Host(HostCommand::CreateTeam {
            name: name.into(),
        }))
        .await;
    }
    let mut ana = server.player(&room, "Ana").await;
    let mut mallory = server.player(&room, "Mallory").await;
    ana.client
        .send(&ClientMsg::ChooseTeam {
            team: Some(TeamId(1)),
        })
        .await;
    mallory
        .client
        .send(&ClientMsg::ChooseTeam {
            team: Some(TeamId(2)),
        })
        .await;
    host.send(&ClientMsg::Host(HostCommand::AdjustScore {
        player: ana.id,
        delta: 800,
    }))
    .await;
    host.send(&ClientMsg::Host(HostCommand::AdjustScore {
        player: mallory.id,
        delta: -1200,
    }))
    .await;
    host.expect("Blue at -1200", |m| {
        matches!(
            m,
            ServerMsg::TeamScore {
                team: TeamId(2),
                score: -1200
            }
        )
        .then_some(())
    })
    .await;
    // Mallory joins Red: Red keeps its 800.
    mallory
        .client
        .send(&ClientMsg::ChooseTeam {
            team: Some(TeamId(1)),
        })
        .await;
    host.expect("Mallory on Red", |m| {
        matches!(
            m,
            ServerMsg::TeamChanged {
                team: Some(TeamId(1)),
                ..
            }
        )
        .then_some(())
    })
    .await;
    let (_, snapshot) = server.host(&room).await;
    let red = snapshot.teams.iter().find(|t| t.id == TeamId(1)).unwrap();
    assert_eq!(red.score, 800, "Red's points stay Red's");
    // The same team again is refused, not saved.
    mallory
        .client
        .send(&ClientMsg::ChooseTeam {
            team: Some(TeamId(1)),
        })
        .await;
    assert_eq!(
        mallory.client.expect("a refusal", code_of).await,
        "already_on_team"
    );
    // Once a clue has opened, only the host moves players.
    host.send(&ClientMsg::OpenClue {
        category: 0,
        row: 0,
    })
    .await;
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
    host.expect("the clue closed", |m| {
        matches!(m, ServerMsg::ClueClosed { .. }).then_some(())
    })
    .await;
    mallory
        .client
        .send(&ClientMsg::ChooseTeam {
            team: Some(TeamId(2)),
        })
        .await;
    assert_eq!(
        mallory.client.expect("a refusal", code_of).await,
        "teams_locked"
    );
    host.send(&ClientMsg::SetTeam {
        player: mallory.id,
        team: Some(TeamId(2)),
    })
    .await;
    host.expect("the host moved Mallory", |m| {
        matches!(
            m,
            ServerMsg::TeamChanged {
                team: Some(TeamId(2)),
                ..
            }
        )
        .then_some(())
    })
    .await;
}

/// A guest page that asks to join `name` with `nonce`.
async fn ask(client: &mut Client, name: &str, nonce: &str) {
    client
        .send(&ClientMsg::Join {
            name: name.into(),
            nonce: Some(nonce.into()),
        })
        .await;
}

async fn approval_room(server: &TestServer) -> (crate::common::Room, Client) {
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    host.send(&ClientMsg::Host(HostCommand::SetApproval { on: true }))
        .await;
    host.expect("approval on", |m| {
        matches!(m, ServerMsg::Approval { on: true }).then_some(())
    })
    .await;
    (room, host)
}

/// Hole 2: 30 sockets sending 20 joins each with fresh nonces filled the
/// request list; a real student was then told "The host did not let you
/// in." while the host saw nobody waiting.
#[tokio::test]
async fn bots_flooding_join_requests_cannot_lock_the_room_shut() {
    let server = TestServer::start().await;
    let (room, mut host) = approval_room(&server).await;
    let mut bots = Vec::new();
    for socket in 0..30 {
        let mut bot = server.connect(&room.code, "role=player").await;
        bot.snapshot().await;
        for join in 0..20 {
            ask(&mut bot, "Bot", &format!("bot-{socket:03}-{join:03}")).await;
        }
        bots.push(bot);
    }
    // Each bot page holds one request at most.
    let (_, snapshot) = server.host(&room).await;
    assert!(
        snapshot.join_requests.len() <= 30,
        "{} waiting",
        snapshot.join_requests.len()
    );
    // A real student still gets in line, and is let in.
    let mut ana = server.connect(&room.code, "role=player").await;
    ana.snapshot().await;
    ask(&mut ana, "Ana", "ana-nonce-0001").await;
    ana.expect("join_waiting", |m| {
        matches!(m, ServerMsg::JoinWaiting).then_some(())
    })
    .await;
    let request = host
        .expect("Ana's request", |m| match m {
            ServerMsg::JoinRequest(r) if r.name == "Ana" => Some(r.request),
            _ => None,
        })
        .await;
    // The host lets Ana in, then sends every bot away at once.
    host.send(&ClientMsg::AnswerJoin {
        request,
        admit: true,
    })
    .await;
    host.send(&ClientMsg::RefuseAllJoins).await;
    let (_, snapshot) = server.host(&room).await;
    assert!(snapshot.join_requests.is_empty(), "nobody left waiting");
    for bot in bots {
        bot.close().await;
    }
    ask(&mut ana, "Ana", "ana-nonce-0001").await;
    ana.expect("Ana seated", |m| {
        matches!(m, ServerMsg::Welcome { name, .. } if name == "Ana").then_some(())
    })
    .await;
}

/// Hole 2, the other half: when the list is full the page is told the
/// room is busy (try again), not that the host refused it; a request goes
/// when its page closes.
#[tokio::test]
async fn a_closed_page_takes_its_request_with_it() {
    let server = TestServer::start().await;
    let (room, mut host) = approval_room(&server).await;
    let mut bot = server.connect(&room.code, "role=player").await;
    bot.snapshot().await;
    ask(&mut bot, "Bot", "bot-nonce-0001").await;
    let request = host
        .expect("the bot's request", |m| match m {
            ServerMsg::JoinRequest(r) => Some(r.request),
            _ => None,
        })
        .await;
    bot.close().await;
    host.expect("the request withdrawn", |m| {
        matches!(m, ServerMsg::JoinAnswered { request: r } if *r == request).then_some(())
    })
    .await;
    let (_, snapshot) = server.host(&room).await;
    assert!(snapshot.join_requests.is_empty());
}

/// Hole 3: the host approved "Alice"; the same nonce sent again with "Mr
/// Smith (teacher)" was seated under the new name.
#[tokio::test]
async fn the_name_seated_is_the_one_the_host_approved() {
    let server = TestServer::start().await;
    let (room, mut host) = approval_room(&server).await;
    let mut page = server.connect(&room.code, "role=player").await;
    page.snapshot().await;
    ask(&mut page, "Alice", "alice-nonce-01").await;
    let request = host
        .expect("Alice's request", |m| match m {
            ServerMsg::JoinRequest(r) => Some(r.request),
            _ => None,
        })
        .await;
    host.send(&ClientMsg::AnswerJoin {
        request,
        admit: true,
    })
    .await;
    host.expect("answered", |m| {
        matches!(m, ServerMsg::JoinAnswered { .. }).then_some(())
    })
    .await;
    ask(&mut page, "Mr Smith (teacher)", "alice-nonce-01").await;
    let name = page
        .expect("a welcome", |m| match m {
            ServerMsg::Welcome { name, .. } => Some(name.clone()),
            _ => None,
        })
        .await;
    assert_eq!(name, "Alice");
}

/// Real names in our languages get in; a name posing as staff waits for
/// the host; an address in a name is refused; a slur is refused.
#[tokio::test]
async fn real_names_get_in_staff_names_wait_for_the_host_and_addresses_are_refused() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    for name in [
        "Phuc",
        "Analía",
        "Ana-Lucía",
        "Arsène",
        "Assunção",
        "Hancock",
        "p95",
    ] {
        server.player(&room, name).await;
    }
    let mut page = server.connect(&room.code, "role=player").await;
    page.snapshot().await;
    ask(&mut page, "Teacher", "teacher-nonce-1").await;
    page.expect("join_waiting", |m| {
        matches!(m, ServerMsg::JoinWaiting).then_some(())
    })
    .await;
    let held = host
        .expect("the held name", |m| match m {
            ServerMsg::JoinRequest(r) if r.name == "Teacher" => Some(r.held),
            _ => None,
        })
        .await;
    assert_eq!(
        held,
        Some(buzzboard::game::words::HoldReason::LooksLikeStaff)
    );
    ask(&mut page, "answers at evil.example", "evil-nonce-0001").await;
    assert_eq!(page.expect("a refusal", code_of).await, "name_with_address");
    ask(&mut page, "fuck you", "rude-nonce-0001").await;
    assert_eq!(page.expect("a refusal", code_of).await, "offensive_name");
}

/// Hole 6: ten sockets with `&token=garbage` filled the reserve kept for
/// returning players, and a student coming back with a real token got 503.
/// (The token now comes in the page's hello: a socket let into the reserve
/// whose hello names no seat of the room is closed at once.)
#[tokio::test]
async fn made_up_tokens_cannot_take_the_sockets_kept_for_returning_players() {
    let server = TestServer::start_limited(buzzboard::web::Limits {
        max_sockets: 20,
        ..buzzboard::web::Limits::default()
    })
    .await;
    let room = server.create_room(None).await;
    let ana = server.player(&room, "Ana").await;
    let mut open = Vec::new();
    // The ordinary share (18 of 20) is taken, Ana's page included.
    for _ in 0..17 {
        open.push(server.connect(&room.code, "role=player").await);
    }
    for query in ["role=player&token=garbage", "role=player"] {
        for _ in 0..10 {
            use futures_util::StreamExt;
            let Ok(mut socket) = crate::common::open_socket(server.addr, &room.code, query).await
            else {
                continue;
            };
            let answer = tokio::time::timeout(crate::common::WAIT, socket.next())
                .await
                .expect("an answer in time");
            assert!(
                matches!(
                    &answer,
                    Some(Ok(tokio_tungstenite::tungstenite::Message::Close(Some(frame))))
                        if u16::from(frame.code) == 1013
                ),
                "{query}: a page that is no seat gets no reserve socket: {answer:?}"
            );
        }
    }
    // Ana's phone comes back with her real token: a reserve socket.
    let token = ana.token.clone();
    let socket = crate::common::open_socket(
        server.addr,
        &room.code,
        &format!("role=player&token={token}"),
    )
    .await
    .expect("a real seat token gets the reserve");
    let mut back = crate::common::Client::from_stream(socket);
    assert!(back.snapshot().await.you.is_some());
}

/// Hole 5: once one address had spent its budget on wrong codes, right
/// codes from it waited too, so one student's script stalled every join in
/// the school. A code the address already uses (the classroom's projector
/// and host are on the same network) always answers; a code it never used
/// waits like a wrong one, so the sweep learns nothing.
#[tokio::test]
async fn a_student_sweeping_codes_does_not_stall_300_classmates_behind_the_same_address() {
    let server = TestServer::start_limited(buzzboard::web::Limits {
        sockets_per_address: 400,
        ..buzzboard::web::Limits::default()
    })
    .await;
    let room = server.create_room(None).await;
    let other = server.create_room(None).await;
    // The classroom's projector and host are on the school network.
    let _projector = server.board(&room).await;
    let (mut host, _) = server.host(&room).await;
    host.send(&ClientMsg::Host(HostCommand::SetPlayerCap { max: 400 }))
        .await;
    host.expect("the cap", |m| {
        matches!(m, ServerMsg::PlayerCap { max: 400 }).then_some(())
    })
    .await;
    // One student's script sweeps codes until it is refused.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut refused = 0;
    for i in 0..200 {
        let status = client
            .get(server.url(&format!("/join?code=QQ{i:03}")))
            .send()
            .await
            .unwrap()
            .status();
        if status == 429 {
            refused += 1;
        }
    }
    assert!(
        refused > 100,
        "the sweep is slowed down ({refused} refused)"
    );
    // A real code the address never used answers like a wrong one now.
    let status = client
        .get(server.url(&format!("/join?code={}", other.code)))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(
        status, 429,
        "the sweep cannot tell a real code from a wrong one"
    );
    // The 300 students of the class join their room all the same.
    let mut students = Vec::new();
    for n in 0..300 {
        let mut phone = server.connect(&room.code, "role=player").await;
        phone.snapshot().await;
        phone
            .send(&ClientMsg::Join {
                name: format!("Student {n}"),
                nonce: None,
            })
            .await;
        phone
            .expect("a welcome", |m| {
                matches!(m, ServerMsg::Welcome { .. }).then_some(())
            })
            .await;
        students.push(phone);
    }
    let page = client
        .get(server.url(&format!("/join?code={}", room.code)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        303,
        "the join page sends them on to the room"
    );
}

/// Weak spot: 300 binary frames got 300 replies; text frames get 20 and
/// then `slow_down`.
#[tokio::test]
async fn binary_frames_are_refused_and_counted_like_any_message() {
    use futures_util::SinkExt;
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let mut socket = crate::common::open_socket(server.addr, &room.code, "role=player")
        .await
        .unwrap();
    for _ in 0..300 {
        socket
            .send(tokio_tungstenite::tungstenite::Message::binary(vec![
                1u8;
                16
            ]))
            .await
            .unwrap();
    }
    let mut client = crate::common::Client::from_stream(socket);
    client.snapshot().await;
    let mut not_json = 0;
    loop {
        match client.expect("a refusal", code_of).await.as_str() {
            "not_json" => not_json += 1,
            "slow_down" => break,
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        not_json <= 25,
        "{not_json} binary frames answered before slow_down"
    );
}

/// Weak spot: `teacher.key` and `buzzboard.db` were created readable by
/// everyone (0644).
#[cfg(unix)]
#[tokio::test]
async fn the_data_folder_and_its_secrets_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = crate::common::temp_dir("private-data");
    let data = dir.join("data");
    let binary =
        crate::fault::Binary::start(&data, crate::fault::free_port(), &[]).expect("it starts");
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("teacher.key")), 0o600);
    assert_eq!(mode(&data.join("buzzboard.db")), 0o600);
    binary.kill9();
    let _ = std::fs::remove_dir_all(&dir);
}
