//! The room's own settings over WebSockets: the phones' sounds, the room's
//! language, a player's time to answer; refusals that carry a code for
//! translated pages; and the scores phones get between clues.

use crate::common;
use buzzboard::game::HostCommand;

use buzzboard::game::AnswerTime;
use buzzboard::protocol::{ClientMsg, ServerMsg, Standings};
use common::TestServer;

/// The next refusal's code and parameters.
fn refusal(m: &ServerMsg) -> Option<(String, serde_json::Map<String, serde_json::Value>)> {
    match m {
        ServerMsg::Error { code, params, .. } => Some((code.clone(), params.clone())),
        _ => None,
    }
}

#[tokio::test]
async fn the_host_turns_the_phones_sounds_on_and_sets_the_rooms_language_for_every_page() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, snapshot) = server.host(&room).await;
    assert!(!snapshot.phone_sounds, "phones are quiet by default");
    assert_eq!(snapshot.language, "en");
    // The host's forms take their bounds from the server; phones get none.
    let limits = snapshot.limits.expect("the host's snapshot has the limits");
    assert_eq!(
        (
            limits.max_timer_seconds,
            limits.max_final_seconds,
            limits.max_random_daily_doubles
        ),
        (120, 600, 3)
    );
    let mut ana = server.player(&room, "Ana").await;

    host.send(&ClientMsg::Host(HostCommand::SetPhoneSounds { on: true }))
        .await;
    host.send(&ClientMsg::Host(HostCommand::SetLanguage {
        language: "pt".into(),
    }))
    .await;
    ana.client
        .expect("the phones' sounds on", |m| {
            matches!(m, ServerMsg::PhoneSounds { on: true }).then_some(())
        })
        .await;
    ana.client
        .expect("the room's language", |m| match m {
            ServerMsg::Language { language } if language == "pt" => Some(()),
            _ => None,
        })
        .await;

    // A phone that comes later finds both in its snapshot.
    let mut late = server.connect(&room.code, "role=player").await;
    let snapshot = late.snapshot().await;
    assert!(snapshot.phone_sounds);
    assert!(snapshot.limits.is_none());
    assert_eq!(snapshot.language, "pt");

    // A language the pages lack is refused by code; a player cannot set one.
    host.send(&ClientMsg::Host(HostCommand::SetLanguage {
        language: "xx".into(),
    }))
    .await;
    let (code, _) = host.expect("a refusal", refusal).await;
    assert_eq!(code, "unknown_language");
    ana.client
        .send(&ClientMsg::Host(HostCommand::SetLanguage {
            language: "es".into(),
        }))
        .await;
    let (code, _) = ana.client.expect("a refusal", refusal).await;
    assert_eq!(code, "host_only");
}

#[tokio::test]
async fn refusals_carry_a_code_and_their_numbers_for_translated_pages() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut ana = server.player(&room, "Ana").await;

    // A name already taken: a code, no numbers.
    let mut again = server.connect(&room.code, "role=player").await;
    again.snapshot().await;
    again
        .send(&ClientMsg::Join {
            name: "ANA".into(),
            nonce: None,
        })
        .await;
    let (code, params) = again.expect("a refusal", refusal).await;
    assert_eq!((code.as_str(), params.len()), ("name_taken", 0));

    // A full room: the code and the cap as `count`.
    host.send(&ClientMsg::Host(HostCommand::SetPlayerCap { max: 1 }))
        .await;
    host.expect("the cap", |m| {
        matches!(m, ServerMsg::PlayerCap { max: 1 }).then_some(())
    })
    .await;
    again
        .send(&ClientMsg::Join {
            name: "Ben".into(),
            nonce: None,
        })
        .await;
    let (code, params) = again.expect("a refusal", refusal).await;
    assert_eq!(code, "room_full");
    assert_eq!(params["count"], 1);

    // Buzzing with no clue open.
    ana.client.buzz().await;
    let (code, _) = ana.client.expect("a refusal", refusal).await;
    assert_eq!(code, "buzzers_not_open");
}

#[tokio::test]
async fn phones_get_the_leaders_and_the_count_at_each_score_between_clues() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    let mut ben = server.player(&room, "Ben").await;
    let _cid = server.player(&room, "Cid").await;

    host.open_clue_and_buzzers(0, 0).await;
    ben.client.await_buzzers_open().await;
    ben.client.buzz().await;
    host.expect("Ben answering", |m| {
        matches!(m, ServerMsg::Answering { player, .. } if *player == ben.id).then_some(())
    })
    .await;
    host.send(&ClientMsg::Host(HostCommand::Judge { correct: true }))
        .await;
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;

    let standings: Standings = ana
        .client
        .expect("the scores between clues", |m| match m {
            ServerMsg::ClueClosed {
                standings: Some(s), ..
            } => Some(s.clone()),
            _ => None,
        })
        .await;
    assert_eq!(standings.leaders[0].name, "Ben");
    assert_eq!(standings.leaders[0].score, 100);
    assert_eq!(standings.leaders.len(), 3);
    // One player on 100, two on 0: Ana works out she is third-equal.
    assert_eq!(standings.counts, vec![(100, 1), (0, 2)]);
    // The host has every player already; its message carries no standings.
    let standings = host
        .expect("the clue closed", |m| match m {
            ServerMsg::ClueClosed { standings, .. } => Some(standings.clone()),
            _ => None,
        })
        .await;
    assert!(standings.is_none());
}

#[tokio::test]
async fn the_host_gives_one_player_longer_to_answer_and_only_the_host_hears_of_it() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    let mut board = server.board(&room).await;

    host.send(&ClientMsg::Host(HostCommand::SetAnswerTime {
        player: ana.id,
        time: AnswerTime::Longer(30),
    }))
    .await;
    let time = host
        .expect("the answer time", |m| match m {
            ServerMsg::AnswerTime { player, time } if *player == ana.id => Some(*time),
            _ => None,
        })
        .await;
    assert_eq!(time, AnswerTime::Longer(30));
    let (_, snapshot) = server.host(&room).await;
    let seen = snapshot.players.iter().find(|p| p.id == ana.id).unwrap();
    assert_eq!(seen.answer_time, AnswerTime::Longer(30));

    // A later message reaches the projector and the phone; the setting
    // never did.
    host.send(&ClientMsg::Host(HostCommand::SetPhoneSounds { on: true }))
        .await;
    for client in [&mut board, &mut ana.client] {
        client
            .expect("the next message", |m| {
                matches!(m, ServerMsg::PhoneSounds { .. }).then_some(())
            })
            .await;
        assert!(
            !client.seen.iter().any(|text| text.contains("answer_time")),
            "{:?}",
            client.seen
        );
    }
}

#[tokio::test]
async fn a_phone_connecting_after_a_score_changes_sees_the_new_standings() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let ana = server.player(&room, "Ana").await;
    let _ben = server.player(&room, "Ben").await;
    let mut early = server.connect(&room.code, "role=player").await;
    let before = early
        .snapshot()
        .await
        .standings
        .expect("phones get standings");
    assert_eq!(before.counts, vec![(0, 2)]);

    host.send(&ClientMsg::Host(HostCommand::AdjustScore {
        player: ana.id,
        delta: 300,
    }))
    .await;
    host.expect("the adjustment", |m| {
        matches!(m, ServerMsg::ScoreAdjusted { .. }).then_some(())
    })
    .await;
    let mut late = server.connect(&room.code, "role=player").await;
    let after = late
        .snapshot()
        .await
        .standings
        .expect("phones get standings");
    assert_eq!(after.leaders[0].name, "Ana");
    assert_eq!(after.counts, vec![(300, 1), (0, 1)]);
}

/// Issue 20: the host's board marks where the Daily Doubles are; the
/// projector's and the phones' never do, in the snapshot or when a round
/// starts.
#[tokio::test]
async fn only_the_host_sees_where_the_daily_doubles_are() {
    let dir = common::temp_dir("dd-marks");
    std::fs::write(
        dir.join("tworounds.toml"),
        include_str!("../data/two-rounds.toml"),
    )
    .unwrap();
    let server = TestServer::start_with(buzzboard::board::BoardLibrary::load(&dir)).await;
    let room = server.create_room(Some("tworounds")).await;
    let (mut host, _) = server.host(&room).await;
    let mut projector = server.board(&room).await;
    let mut phone = server.connect(&room.code, "role=player").await;
    phone.snapshot().await;
    host.send(&ClientMsg::Host(HostCommand::NextRound)).await;
    let marked = |msg: &ServerMsg| match msg {
        ServerMsg::RoundStarted { board } => Some(
            board
                .categories
                .iter()
                .flat_map(|c| &c.tiles)
                .filter(|t| t.daily_double)
                .count(),
        ),
        _ => None,
    };
    assert_eq!(host.expect("round 2", marked).await, 1);
    assert_eq!(projector.expect("round 2", marked).await, 0);
    assert_eq!(phone.expect("round 2", marked).await, 0);
    let (_, snapshot) = server.host(&room).await;
    let tiles = |s: &buzzboard::protocol::Snapshot| {
        s.board
            .categories
            .iter()
            .flat_map(|c| &c.tiles)
            .filter(|t| t.daily_double)
            .count()
    };
    assert_eq!(tiles(&snapshot), 1);
    let mut late = server.connect(&room.code, "role=board").await;
    assert_eq!(tiles(&late.snapshot().await), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
