//! Nothing is lost when the server dies: the real binary is killed with
//! SIGKILL mid-game and restarted on the same data folder; the clients come
//! back by themselves and find every acknowledged score, the board and the
//! buzz eligibility as they were. Also: a damaged database is reported, not
//! overwritten. (The long run is `cargo bench --bench reliability`.)

use crate::common;
use buzzboard::game::HostCommand;

use crate::fault;

use crate::sim;

use buzzboard::protocol::{ClientMsg, ServerMsg};
use common::TestServer;
use fault::{Binary, crash_trial, free_port, script, temp_dir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_game_killed_at_random_points_comes_back_exactly_as_acknowledged() {
    let _turn = common::heavy().await;
    let steps = script().len();
    let mut rng = sim::Rng::new(2026);
    for _ in 0..3 {
        let kill_after = 1 + (rng.next_u64() as usize % steps);
        let trial = crash_trial(kill_after).await;
        assert!(
            trial.lost.is_empty(),
            "killed after step {}: {:#?}",
            trial.killed_after,
            trial.lost
        );
    }
}

#[test]
fn a_damaged_database_is_reported_with_its_path_and_left_untouched() {
    let data = temp_dir("damaged");
    let database = data.join("buzzboard.db");
    std::fs::write(&database, b"definitely not sqlite").unwrap();
    let exited = Binary::start(&data, free_port(), &[])
        .err()
        .expect("the server must refuse a damaged database");
    assert_ne!(exited.code, Some(0));
    assert!(
        exited.stderr.contains(&database.display().to_string()),
        "{}",
        exited.stderr
    );
    assert!(
        exited.stderr.contains("--fresh-database"),
        "{}",
        exited.stderr
    );
    assert_eq!(std::fs::read(&database).unwrap(), b"definitely not sqlite");

    // Told to start fresh, it sets the old file aside (kept) and starts.
    let server = Binary::start(&data, free_port(), &["--fresh-database"]).expect("starts fresh");
    assert!(
        server.stdout.iter().any(|l| l.contains("moved to")),
        "{:?}",
        server.stdout
    );
    let kept = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("set-aside"));
    assert!(kept, "the damaged file is kept beside the new one");
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test]
async fn a_seat_token_from_another_room_gets_no_seat() {
    let server = TestServer::start().await;
    let first = server.create_room(None).await;
    let second = server.create_room(None).await;
    let ana = server.player(&first, "Ana").await;
    let mut stranger = server
        .connect(&second.code, &format!("role=player&token={}", ana.token))
        .await;
    assert!(stranger.snapshot().await.you.is_none());
}

use crate::slow_client;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_stops_reading_is_dropped_and_memory_stays_bounded() {
    let _turn = common::heavy().await;
    let run = slow_client::run(10, 10_000).await;
    eprintln!("{run:?}");
    assert!(
        run.stalled_page_dropped,
        "the stalled page was never dropped: {run:?}"
    );
    // The others were served all along (every timed buzz was answered), and
    // the server did not hold the stalled page's backlog in memory.
    assert_eq!(run.stalled_ms.len(), 10);
    let [before, flooded, after] = run.rss_kib;
    assert!(
        flooded < before + 64 * 1024 && after < before + 64 * 1024,
        "memory grew from {before} KiB to {flooded} / {after} KiB"
    );
}

#[tokio::test]
async fn on_sigterm_the_server_tells_the_pages_and_exits_within_seconds() {
    let _turn = common::heavy().await;
    let data = temp_dir("sigterm");
    let server = Binary::start(&data, free_port(), &[]).expect("starts");
    let room = server.create_room("rlhf").await;
    let mut phone = fault::Resilient::new(server.addr, &room.code, "role=board".into());
    phone.connect().await;
    let (took, status) = tokio::task::spawn_blocking(move || server.terminate())
        .await
        .unwrap();
    assert_eq!(phone.get().close_code().await, Some(1012));
    assert_eq!(status, Some(0));
    assert!(took < std::time::Duration::from_secs(6), "took {took:?}");
    let _ = std::fs::remove_dir_all(&data);
}

/// Issue 9: the first version published a command whose save had failed,
/// and numbered the next save from the count of saved commands, so after
/// a restart a save could collide and the replay lose a command.
#[tokio::test]
async fn a_command_that_cannot_be_saved_is_refused_and_a_restart_replays_every_acknowledged_one() {
    use std::sync::Arc;
    let dir = common::temp_dir("failed-save");
    let path = dir.join(buzzboard::store::DATABASE_FILE);
    let store = Arc::new(buzzboard::store::Store::open(&path).unwrap());
    let server = TestServer::start_saved(store).await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let ana = server.player(&room, "Ana").await;
    let adjust = |delta| {
        ClientMsg::Host(HostCommand::AdjustScore {
            player: ana.id,
            delta,
        })
    };
    let adjusted = |m: &ServerMsg| match m {
        ServerMsg::ScoreAdjusted { score, .. } => Some(*score),
        _ => None,
    };
    host.send(&adjust(100)).await;
    assert_eq!(host.expect("score_adjusted", adjusted).await, 100);

    // The disk refuses the next write.
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute_batch(
            "CREATE TRIGGER full BEFORE INSERT ON commands BEGIN SELECT RAISE(ABORT, 'disk is full'); END;",
        )
        .unwrap();
    host.send(&adjust(200)).await;
    // The host is told it was not saved, and its page (every page) starts
    // again from the game as the journal holds it.
    let (mut error, mut fresh) = (None, None);
    while error.is_none() || fresh.is_none() {
        match host.next().await {
            ServerMsg::Error { message, .. } => error = Some(message),
            ServerMsg::Snapshot(snapshot) => fresh = Some(snapshot),
            other => panic!("expected the refusal and a fresh snapshot, got {other:?}"),
        }
    }
    let error = error.unwrap();
    assert!(error.starts_with("That could not be saved"), "{error}");
    assert_eq!(
        fresh.unwrap().players[0].score,
        100,
        "the page is told the game as it was"
    );
    let (_, snapshot) = server.host(&room).await;
    assert_eq!(snapshot.players[0].score, 100, "the game is as it was");

    // Room again: the next command is saved and numbered after the last one.
    other.execute_batch("DROP TRIGGER full;").unwrap();
    host.send(&adjust(300)).await;
    assert_eq!(host.expect("score_adjusted", adjusted).await, 400);
    drop(host);
    drop(server);

    // After a restart, everything acknowledged is back, nothing else.
    let store = Arc::new(buzzboard::store::Store::open(&path).unwrap());
    let server = TestServer::start_saved(store).await;
    let (_, snapshot) = server.host(&room).await;
    assert_eq!(snapshot.players[0].score, 400);
    host_adjusts_once_more(&server, &room, ana.id).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The restored room goes on saving (its next place in the journal is free).
async fn host_adjusts_once_more(
    server: &TestServer,
    room: &common::Room,
    player: buzzboard::game::PlayerId,
) {
    let (mut host, _) = server.host(room).await;
    host.send(&ClientMsg::Host(HostCommand::AdjustScore {
        player,
        delta: 1,
    }))
    .await;
    let score = host
        .expect("score_adjusted", |m| match m {
            ServerMsg::ScoreAdjusted { score, .. } => Some(*score),
            _ => None,
        })
        .await;
    assert_eq!(score, 401);
}

/// Issue 9: retiring an idle room deleted it while its pages kept playing a
/// game that was no longer saved.
#[tokio::test]
async fn a_retired_room_tells_its_pages_why_and_closes_them() {
    use std::sync::Arc;
    let dir = common::temp_dir("retired");
    let store = Arc::new(buzzboard::store::Store::open(&dir.join("games.db")).unwrap());
    let server = TestServer::start_saved(store).await;
    let room = server.create_room(None).await;
    let mut projector = server.board(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    assert_eq!(
        server
            .state
            .rooms()
            .retire_idle(std::time::Duration::ZERO)
            .await,
        1
    );
    for page in [&mut projector, &mut ana.client] {
        let reason = page
            .expect("room_closed", |m| match m {
                ServerMsg::RoomClosed { reason } => Some(reason.clone()),
                _ => None,
            })
            .await;
        assert!(reason.contains("without play"), "{reason}");
        assert_eq!(page.close_code().await, Some(1000));
    }
    assert!(server.state.rooms().get(&room.code).is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 22: a game saved by a newer release is not guessed at; it is left
/// as it is, named, and the other games come back.
#[tokio::test]
async fn a_game_saved_by_a_newer_release_is_named_and_left_alone_while_the_others_come_back() {
    use std::sync::Arc;
    let dir = common::temp_dir("newer-journal");
    let path = dir.join(buzzboard::store::DATABASE_FILE);
    let room = {
        let store = Arc::new(buzzboard::store::Store::open(&path).unwrap());
        let server = TestServer::start_saved(store).await;
        let kept = server.create_room(None).await;
        let newer = server.create_room(None).await;
        let (mut host, _) = server.host(&newer).await;
        host.send(&ClientMsg::Host(HostCommand::SetLanguage {
            language: "de".into(),
        }))
        .await;
        host.expect("the language saved", |m| {
            matches!(m, ServerMsg::Language { .. }).then_some(())
        })
        .await;
        // A newer release wrote its next command.
        let db = rusqlite::Connection::open(&path).unwrap();
        db.execute(
            "UPDATE commands SET version = ?1 WHERE room = ?2",
            rusqlite::params![buzzboard::store::JOURNAL_VERSION + 1, newer.code],
        )
        .unwrap();
        (kept, newer)
    };
    let store = Arc::new(buzzboard::store::Store::open(&path).unwrap());
    let server = TestServer::start_saved(store).await;
    assert!(
        server.state.rooms().get(&room.0.code).is_some(),
        "the other game is back"
    );
    assert!(server.state.rooms().get(&room.1.code).is_none());
    // Asked again, the server names the game and why.
    let (_, problems) = server.state.restore_rooms().await.unwrap();
    let said: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        said.iter()
            .any(|p| p.contains(&room.1.code) && p.contains("newer Buzzboard")),
        "{said:?}"
    );
    // Its journal is untouched.
    let db = rusqlite::Connection::open(&path).unwrap();
    let saved: i64 = db
        .query_row(
            "SELECT count(*) FROM commands WHERE room = ?1",
            [&room.1.code],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(saved, 1);
    let _ = std::fs::remove_dir_all(&dir);
}
