//! Fair buzzing over real WebSockets: early presses, the audit, floods, and
//! a short run of the fairness harness with a fixed seed that checks the
//! targets of issue 3. (The long run is `cargo bench --bench fairness`.)

use crate::common;
use buzzboard::game::HostCommand;

use crate::sim;

use buzzboard::game::BuzzMode;
use buzzboard::protocol::{ClientMsg, ServerMsg};
use common::TestServer;

async fn open_clue(host: &mut common::Client) {
    host.send(&ClientMsg::OpenClue {
        category: 0,
        row: 0,
    })
    .await;
    host.expect("clue_opened", |m| {
        matches!(m, ServerMsg::ClueOpened { .. }).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_press_before_the_buzzers_open_locks_out_and_shows_in_the_audit() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    open_clue(&mut host).await;
    ana.client
        .expect("clue_opened", |m| {
            matches!(m, ServerMsg::ClueOpened { .. }).then_some(())
        })
        .await;
    ana.client
        .send(&ClientMsg::Buzz {
            reaction_ms: None,
            early: false,
        })
        .await;
    let locked = ana
        .client
        .expect("locked_out", |m| match m {
            ServerMsg::LockedOut { ms } => Some(*ms),
            _ => None,
        })
        .await;
    assert_eq!(locked, 250);
    let entry = host
        .expect("buzz_audit", |m| match m {
            ServerMsg::BuzzAudit { entry, .. } => Some(entry.clone()),
            _ => None,
        })
        .await;
    assert_eq!(entry.name, "Ana");
    assert_eq!(entry.position, None);
    assert_eq!(
        serde_json::to_value(entry.verdict).unwrap(),
        serde_json::json!("early")
    );
}

#[tokio::test]
async fn a_buzz_with_a_non_numeric_reaction_time_is_refused_and_changes_nothing() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    open_clue(&mut host).await;
    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    ana.client.await_buzzers_open().await;
    ana.client
        .send_text(r#"{"type":"buzz","reaction_ms":"quick"}"#)
        .await;
    let error = ana
        .client
        .expect("error", |m| match m {
            ServerMsg::Error { message, .. } => Some(message.clone()),
            _ => None,
        })
        .await;
    assert!(
        error.starts_with("That message was not understood"),
        "{error}"
    );
    // Nothing was held: a proper buzz now wins (a person's reaction later).
    tokio::time::sleep(common::REACTION).await;
    ana.client
        .send(&ClientMsg::Buzz {
            reaction_ms: Some(-40.0),
            early: false,
        })
        .await;
    let answering = host
        .expect("answering", |m| match m {
            ServerMsg::Answering { player, .. } => Some(*player),
            _ => None,
        })
        .await;
    assert_eq!(answering, ana.id);
}

#[tokio::test]
async fn a_player_mashing_the_buzzer_is_slowed_and_the_room_keeps_going() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut masher = server.player(&room, "Masher").await;
    let mut ben = server.player(&room, "Ben").await;
    open_clue(&mut host).await;
    for _ in 0..200 {
        masher
            .client
            .send(&ClientMsg::Buzz {
                reaction_ms: None,
                early: false,
            })
            .await;
    }
    masher
        .client
        .expect("a slow-down error", |m| match m {
            ServerMsg::Error { message, .. } if message.contains("slow down") => Some(()),
            _ => None,
        })
        .await;
    // The host and the others are unaffected.
    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    ben.client.await_buzzers_open().await;
    ben.client.buzz().await;
    let answering = host
        .expect("answering", |m| match m {
            ServerMsg::Answering { player, .. } => Some(*player),
            _ => None,
        })
        .await;
    assert_eq!(
        answering, ben.id,
        "the masher was locked out by its early presses"
    );
}

#[tokio::test]
async fn the_buzz_audit_downloads_as_csv_with_the_host_key_only() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut ana = server.player(&room, "=Ana").await;
    open_clue(&mut host).await;
    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    ana.client.await_buzzers_open().await;
    tokio::time::sleep(common::REACTION).await;
    ana.client
        .send(&ClientMsg::Buzz {
            reaction_ms: Some(120.0),
            early: false,
        })
        .await;
    host.expect("buzz_audit", |m| {
        matches!(m, ServerMsg::BuzzAudit { .. }).then_some(())
    })
    .await;
    let url = server.url(&format!("/host/{}/audit.csv", room.code));
    let denied = reqwest::get(&url).await.unwrap();
    assert_eq!(denied.status(), 403);
    let csv = server
        .get_with_key(&format!("/host/{}/audit.csv", room.code), &room.host_key)
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    // A byte-order mark first, so Excel reads it as UTF-8.
    assert!(
        lines[0].starts_with("\u{FEFF}category,value,position,player,what happened"),
        "{csv}"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    // A name that looks like a formula is defused for spreadsheets.
    assert!(
        lines[1].starts_with("Technical RLHF,100,1,'=Ana,\"counted"),
        "{csv}"
    );
}

#[tokio::test]
async fn extra_time_is_the_hosts_to_give_and_shows_in_the_audit_only_for_the_host() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let projector = server.board(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    // A player cannot give themselves extra time.
    ana.client
        .send(&ClientMsg::Host(HostCommand::SetExtraTime {
            player: ana.id,
            ms: 300,
        }))
        .await;
    assert_eq!(ana.client.error().await, "Only the host can do that.");
    host.send(&ClientMsg::Host(HostCommand::SetExtraTime {
        player: ana.id,
        ms: 300,
    }))
    .await;
    let given = host
        .expect("extra_time", |m| match m {
            ServerMsg::ExtraTime { player, ms } => Some((*player, *ms)),
            _ => None,
        })
        .await;
    assert_eq!(given, (ana.id, 300));
    let (_, snapshot) = server.host(&room).await;
    assert_eq!(snapshot.players[0].extra_ms, 300);
    open_clue(&mut host).await;
    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    ana.client.await_buzzers_open().await;
    ana.client.buzz().await;
    let entry = host
        .expect("buzz_audit", |m| match m {
            ServerMsg::BuzzAudit { entry, .. } => Some(entry.clone()),
            _ => None,
        })
        .await;
    assert_eq!((entry.position, entry.extra_ms), (Some(1), 300.0));
    // Who has an accommodation is the teacher's business.
    let late_projector = server.board(&room).await;
    for text in projector
        .seen
        .iter()
        .chain(&late_projector.seen)
        .chain(&ana.client.seen)
    {
        assert!(!text.contains("extra"), "{text}");
    }
    projector.close().await;
}

#[tokio::test]
async fn a_press_the_page_made_before_it_showed_open_is_locked_out_though_the_buzzers_were_open() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    open_clue(&mut host).await;
    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    ana.client.await_buzzers_open().await;
    tokio::time::sleep(common::REACTION).await;
    ana.client
        .send(&ClientMsg::Buzz {
            reaction_ms: None,
            early: true,
        })
        .await;
    let locked = ana
        .client
        .expect("locked_out", |m| match m {
            ServerMsg::LockedOut { ms } => Some(*ms),
            _ => None,
        })
        .await;
    assert_eq!(locked, 250);
}

/// The short harness run: every honest and cheating scenario that has a
/// target, each in its own room, all at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_truly_fastest_player_wins_whatever_their_network_and_cheats_gain_nothing() {
    let _turn = common::heavy().await;
    let server = TestServer::start_with(sim::trial_boards()).await;
    let scenarios = sim::scenarios();
    let run = |i: usize, trials: usize, seed: u64| {
        sim::run(&server, &scenarios[i], BuzzMode::Compensated, trials, seed)
    };
    let (jittery, forger, inflater, early, bot, classroom) = tokio::join!(
        run(1, 16, 7),
        run(3, 10, 11),
        run(4, 10, 13),
        run(5, 8, 17),
        run(6, 8, 19),
        run(7, 10, 23),
    );
    let summaries = [jittery, forger, inflater, early, bot, classroom].map(|t| sim::summarise(&t));
    for (i, summary) in [1, 3, 4, 5, 6, 7].iter().zip(&summaries) {
        eprintln!("{}: {summary:?}", scenarios[*i].name);
    }
    let [jittery, forger, inflater, early, bot, classroom] = summaries;
    for honest in [jittery, classroom] {
        assert!(honest.wide_gap_trials > 0);
        assert!(honest.wide_gap_rate >= 0.99, "{honest:?}");
        if honest.narrow_gap_trials > 0 {
            assert!(honest.narrow_gap_rate >= 0.9, "{honest:?}");
        }
    }
    // Issue 3 and issue 11, cheat 2: a made-up claim or late app pongs buy
    // no more than the checked margin.
    for cheat in [forger, inflater] {
        assert_eq!(cheat.violations, 0, "{cheat:?}");
    }
    // Issue 11, cheats 1 and 3: early presses lose, on every link.
    for cheat in [early, bot] {
        assert_eq!(cheat.cheater_wins, 0, "{cheat:?}");
        assert_eq!(cheat.locked, cheat.must_lock, "{cheat:?}");
        assert!(cheat.must_lock > 0);
    }
    for summary in summaries {
        assert!(summary.max_announce_ms <= 500.0, "{summary:?}");
    }
}
