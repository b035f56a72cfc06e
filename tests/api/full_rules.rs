//! A game with two rounds, a Daily Double and a Final, over WebSockets:
//! who picks, wagers and their bounds, written answers kept private until
//! revealed, and the scores at the end.

use crate::common;
use buzzboard::game::HostCommand;

use buzzboard::board::BoardLibrary;
use buzzboard::protocol::{ClientMsg, FinalView, ServerMsg};
use common::{Client, TestServer};

/// Two rounds (a Daily Double in the second) and a Final.
const BOARD: &str = include_str!("../data/two-rounds.toml");

fn error(m: &ServerMsg) -> Option<String> {
    match m {
        ServerMsg::Error { message, .. } => Some(message.clone()),
        _ => None,
    }
}

fn final_at(stage: &'static str) -> impl FnMut(&ServerMsg) -> Option<FinalView> {
    move |m| match m {
        ServerMsg::Final(view) if view.stage == stage => Some(view.clone()),
        _ => None,
    }
}

async fn host_sees(host: &mut Client, what: &str, pick: impl FnMut(&ServerMsg) -> bool) {
    let mut pick = pick;
    host.expect(what, |m| pick(m).then_some(())).await;
}

#[tokio::test]
async fn two_rounds_a_daily_double_and_a_final_play_out_with_the_right_scores() {
    let dir = common::temp_dir("full-rules");
    std::fs::write(dir.join("tworounds.toml"), BOARD).unwrap();
    let library = BoardLibrary::load(&dir);
    assert!(library.problems().is_empty(), "{:?}", library.problems());
    let server = TestServer::start_with(library).await;
    let room = server.create_room(Some("tworounds")).await;
    let (mut host, snapshot) = server.host(&room).await;
    assert_eq!((snapshot.board.rounds, snapshot.board.has_final), (2, true));
    let mut projector = server.board(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    let mut ben = server.player(&room, "Ben").await;

    // Round 1: Ana answers right, so she picks next.
    host.open_clue_and_buzzers(0, 0).await;
    ana.client.await_buzzers_open().await;
    ana.client.buzz().await;
    host_sees(&mut host, "answering", |m| {
        matches!(m, ServerMsg::Answering { .. })
    })
    .await;
    host.send(&ClientMsg::Host(HostCommand::Judge { correct: true }))
        .await;
    host_sees(
        &mut host,
        "picker",
        |m| matches!(m, ServerMsg::PickerChanged { name, .. } if name == "Ana"),
    )
    .await;
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;

    // Round 2 and its Daily Double, played by Ana alone.
    host.send(&ClientMsg::Host(HostCommand::NextRound)).await;
    let board = projector
        .expect("round_started", |m| match m {
            ServerMsg::RoundStarted { board } => Some(board.clone()),
            _ => None,
        })
        .await;
    assert_eq!((board.round, board.round_name.as_str()), (1, "Double"));
    host.send(&ClientMsg::OpenClue {
        category: 0,
        row: 0,
    })
    .await;
    let (min, max) = ana
        .client
        .expect("daily_double", |m| match m {
            ServerMsg::DailyDouble { min, max, name, .. } if name == "Ana" => Some((*min, *max)),
            _ => None,
        })
        .await;
    assert_eq!(
        (min, max),
        (5, 400),
        "Ana has 100; the round's top value is 400"
    );
    ben.client.send(&ClientMsg::Wager { amount: 50 }).await;
    assert_eq!(
        ben.client.expect("an error", error).await,
        "No wager is expected from you right now."
    );
    ana.client.send(&ClientMsg::Wager { amount: 401 }).await;
    assert_eq!(
        ana.client.expect("an error", error).await,
        "Wager a whole number between 5 and 400."
    );
    // Issue 13.6: until the wager is in, the projector and the phones see
    // the category and value only (TV rules); the host sees it all.
    let before = projector
        .expect("the Daily Double's clue_opened", |m| match m {
            ServerMsg::ClueOpened { clue } => Some(clue.clone()),
            _ => None,
        })
        .await;
    assert_eq!((before.category_name.as_str(), before.value), ("Hard", 400));
    assert!(before.clue.is_empty(), "{before:?}");
    assert!(
        !projector
            .seen
            .iter()
            .chain(&ana.client.seen)
            .any(|t| t.contains("capital of Australia"))
    );
    ana.client.send(&ClientMsg::Wager { amount: 300 }).await;
    host_sees(&mut host, "wagered", |m| {
        matches!(m, ServerMsg::Wagered { amount: 300, .. })
    })
    .await;
    let shown = projector
        .expect("wagered, with the clue", |m| match m {
            ServerMsg::Wagered {
                clue: Some(clue), ..
            } => Some(clue.clue.clone()),
            _ => None,
        })
        .await;
    assert_eq!(shown, "The capital of Australia");
    host.send(&ClientMsg::Host(HostCommand::Judge { correct: true }))
        .await;
    host_sees(&mut host, "judged", |m| {
        matches!(m, ServerMsg::Judged { score: 400, .. })
    })
    .await;
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
    host.send(&ClientMsg::Host(HostCommand::AdjustScore {
        player: ben.id,
        delta: 50,
    }))
    .await;
    host_sees(&mut host, "adjusted", |m| {
        matches!(m, ServerMsg::ScoreAdjusted { .. })
    })
    .await;

    // The Final: both have points, both wager.
    host.send(&ClientMsg::Host(HostCommand::StartFinal)).await;
    let view = projector
        .expect("final wagering", final_at("wagering"))
        .await;
    assert_eq!(view.players.len(), 2);
    assert!(
        view.clue.is_none() && view.answer.is_none(),
        "nothing shown before the wagers"
    );
    ben.client.send(&ClientMsg::FinalWager { amount: 51 }).await;
    assert_eq!(
        ben.client.expect("an error", error).await,
        "Wager a whole number between 0 and 50."
    );
    ben.client.send(&ClientMsg::FinalWager { amount: 50 }).await;
    ana.client
        .send(&ClientMsg::FinalWager { amount: 250 })
        .await;
    ana.client.send(&ClientMsg::FinalWager { amount: 10 }).await;
    assert_eq!(
        ana.client.expect("an error", error).await,
        "You have already sent that."
    );
    host.send(&ClientMsg::Host(HostCommand::ShowFinalClue { seconds: 5 }))
        .await;
    ana.client.expect("the clue", final_at("answering")).await;
    ben.client.expect("the clue", final_at("answering")).await;
    ana.client
        .send(&ClientMsg::FinalAnswer {
            text: "What is the Nile?".into(),
        })
        .await;
    ben.client
        .send(&ClientMsg::FinalAnswer {
            text: "<b>the Amazon</b>".into(),
        })
        .await;
    // The timer closes answers by itself.
    host.expect("time up", final_at("judging")).await;
    ben.client
        .send(&ClientMsg::FinalAnswer {
            text: "too late".into(),
        })
        .await;
    assert_eq!(ben.client.expect("an error", error).await, "Time is up.");

    // Nobody but the host saw an answer or a wager before the reveal.
    for text in projector.seen.iter().chain(&ana.client.seen) {
        assert!(!text.contains("the Amazon"), "an answer leaked: {text}");
    }
    for text in &projector.seen {
        assert!(
            !text.contains("What is the Nile?"),
            "an answer leaked: {text}"
        );
    }

    host.send(&ClientMsg::Host(HostCommand::RevealFinal {
        player: ana.id,
    }))
    .await;
    host.send(&ClientMsg::Host(HostCommand::JudgeFinal {
        player: ana.id,
        correct: true,
    }))
    .await;
    host.send(&ClientMsg::Host(HostCommand::RevealFinal {
        player: ben.id,
    }))
    .await;
    let shown = projector
        .expect("Ben's revealed answer", |m| match m {
            ServerMsg::FinalPlayer(p) if p.name == "Ben" && p.revealed => p.answer.clone(),
            _ => None,
        })
        .await;
    assert_eq!(shown, "<b>the Amazon</b>", "shown as typed");
    host.send(&ClientMsg::Host(HostCommand::JudgeFinal {
        player: ben.id,
        correct: false,
    }))
    .await;
    // The ending is staged: the correct answer first (never before), then
    // the winner.
    let ben_judged = ana
        .client
        .expect("Ben's judgement", |m| match m {
            ServerMsg::FinalJudged {
                player, correct, ..
            } if *player == ben.id => Some(*correct),
            _ => None,
        })
        .await;
    assert!(!ben_judged);
    host.send(&ClientMsg::Host(HostCommand::ShowFinalAnswer))
        .await;
    let shown = projector
        .expect("the correct answer", |m| match m {
            ServerMsg::Final(f) if f.stage == "answer_shown" => f.answer.clone(),
            _ => None,
        })
        .await;
    assert_eq!(shown.text, "The Nile");
    host.send(&ClientMsg::Host(HostCommand::ShowWinner)).await;
    let standings = ana
        .client
        .expect("game_over", |m| match m {
            ServerMsg::GameOver(standings) => Some(standings.leaders.clone()),
            _ => None,
        })
        .await;
    let scores: Vec<(&str, i64)> = standings
        .iter()
        .map(|p| (p.name.as_str(), p.score))
        .collect();
    assert_eq!(scores, vec![("Ana", 650), ("Ben", 0)]);
    // The host downloads the results, and every clue.
    let download = |file: &str| {
        let path = format!("/host/{}/{file}", room.code);
        let key = room.host_key.clone();
        let server = &server;
        async move { server.get_with_key(&path, &key).await }
    };
    let results = download("results.csv").await.text().await.unwrap();
    let clues = download("clues.csv").await.text().await.unwrap();
    assert!(
        results.starts_with("\u{FEFF}place,player,score,right,wrong\r\n"),
        "{results}"
    );
    for row in ["1,Ana,650,3,0", "2,Ben,0,0,1"] {
        assert!(
            results.lines().any(|l| l == row),
            "missing {row:?} in\n{results}"
        );
    }
    for row in [
        "Round 1,Warm-up,100,,Ana,right,100,",
        "Double,Hard,400,yes,Ana,right,300,",
        ",,,,Ben,by hand,50,",
        "Final,Rivers,,,Ana,right,250,",
        "Final,Rivers,,,Ben,wrong,-50,",
    ] {
        assert!(
            clues.lines().any(|l| l == row),
            "missing {row:?} in\n{clues}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn when_a_timer_runs_out_the_game_moves_on_by_itself() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut projector = server.board(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    host.send(&ClientMsg::Host(HostCommand::SetTimers {
        buzz_seconds: 1,
        answer_seconds: 1,
    }))
    .await;
    host.open_clue_and_buzzers(0, 0).await;
    let (kind, ms_left) = projector
        .expect("the buzz timer", |m| match m {
            ServerMsg::Timer { kind, ms_left } => Some((*kind, *ms_left)),
            _ => None,
        })
        .await;
    assert_eq!(kind, buzzboard::game::TimerKind::Buzz);
    assert!(ms_left <= 1_000);
    ana.client.buzz().await;
    // Ana has the floor but does not answer: after a second it counts as wrong.
    projector
        .expect("time up", |m| {
            matches!(
                m,
                ServerMsg::TimeUp {
                    kind: buzzboard::game::TimerKind::Answer
                }
            )
            .then_some(())
        })
        .await;
    let score = projector
        .expect("judged", |m| match m {
            ServerMsg::Judged {
                score,
                correct: false,
                ..
            } => Some(*score),
            _ => None,
        })
        .await;
    assert_eq!(score, -100);
    // Nobody else is left to buzz: the buzzers close.
    projector
        .expect("buzzers closed", |m| {
            matches!(m, ServerMsg::BuzzersClosed).then_some(())
        })
        .await;
}

#[tokio::test]
async fn teams_play_two_rounds_a_daily_double_and_a_final_together() {
    use buzzboard::game::TeamId;
    let dir = common::temp_dir("teams");
    std::fs::write(dir.join("tworounds.toml"), BOARD).unwrap();
    let server = TestServer::start_with(BoardLibrary::load(&dir)).await;
    let room = server.create_room(Some("tworounds")).await;
    let (mut host, _) = server.host(&room).await;
    let mut projector = server.board(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    let mut ben = server.player(&room, "Ben").await;
    let mut cy = server.player(&room, "Cy").await;

    for name in ["Owls", "Foxes"] {
        host.send(&ClientMsg::Host(HostCommand::CreateTeam {
            name: name.into(),
        }))
        .await;
    }
    cy.client
        .expect("both teams", |m| match m {
            ServerMsg::TeamCreated { name, .. } if name == "Foxes" => Some(()),
            _ => None,
        })
        .await;
    for (player, team) in [(&mut ana, 1), (&mut ben, 1), (&mut cy, 2)] {
        player
            .client
            .send(&ClientMsg::ChooseTeam {
                team: Some(TeamId(team)),
            })
            .await;
    }
    for _ in 0..3 {
        host_sees(&mut host, "team_changed", |m| {
            matches!(m, ServerMsg::TeamChanged { .. })
        })
        .await;
    }

    // One buzz per team; a wrong answer locks the whole team out.
    host.open_clue_and_buzzers(0, 0).await;
    for phone in [&mut ana.client, &mut ben.client] {
        phone.await_buzzers_open().await;
    }
    ana.client.buzz().await;
    host_sees(&mut host, "answering", |m| {
        matches!(m, ServerMsg::Answering { .. })
    })
    .await;
    ben.client.buzz().await;
    assert_eq!(
        ben.client.expect("an error", error).await,
        "You have already buzzed."
    );
    host.send(&ClientMsg::Host(HostCommand::Judge { correct: false }))
        .await;
    // The Owls' total follows their member's loss.
    projector
        .expect("Owls at -100", |m| match m {
            ServerMsg::TeamScore {
                team: TeamId(1),
                score: -100,
            } => Some(()),
            _ => None,
        })
        .await;
    ben.client
        .expect("reopened", |m| {
            matches!(m, ServerMsg::BuzzersOpened).then_some(())
        })
        .await;
    ben.client.buzz().await;
    assert_eq!(
        ben.client.expect("an error", error).await,
        "You have already tried this clue."
    );
    cy.client.buzz().await;
    host_sees(
        &mut host,
        "Cy answering",
        |m| matches!(m, ServerMsg::Answering { name, .. } if name == "Cy"),
    )
    .await;
    host.send(&ClientMsg::Host(HostCommand::Judge { correct: true }))
        .await;
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;

    // The Foxes picked last, so their Daily Double; the Final is theirs alone.
    host.send(&ClientMsg::Host(HostCommand::NextRound)).await;
    host.send(&ClientMsg::OpenClue {
        category: 0,
        row: 0,
    })
    .await;
    cy.client
        .expect("daily_double", |m| {
            matches!(m, ServerMsg::DailyDouble { name, .. } if name == "Cy").then_some(())
        })
        .await;
    cy.client.send(&ClientMsg::Wager { amount: 100 }).await;
    host_sees(&mut host, "wagered", |m| {
        matches!(m, ServerMsg::Wagered { .. })
    })
    .await;
    host.send(&ClientMsg::Host(HostCommand::Judge { correct: true }))
        .await;
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
    host.send(&ClientMsg::Host(HostCommand::StartFinal)).await;
    let view = cy.client.expect("the Final", final_at("wagering")).await;
    let seats: Vec<&str> = view.players.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(seats, vec!["Foxes"], "only the Foxes have points");
    cy.client.send(&ClientMsg::FinalWager { amount: 200 }).await;
    host.send(&ClientMsg::Host(HostCommand::ShowFinalClue { seconds: 5 }))
        .await;
    cy.client.expect("the clue", final_at("answering")).await;
    cy.client
        .send(&ClientMsg::FinalAnswer {
            text: "The Nile".into(),
        })
        .await;
    host.expect("time up", final_at("judging")).await;
    host.send(&ClientMsg::Host(HostCommand::RevealFinal { player: cy.id }))
        .await;
    host.send(&ClientMsg::Host(HostCommand::JudgeFinal {
        player: cy.id,
        correct: true,
    }))
    .await;
    // 100 + a 100 Daily Double + a 200 Final.
    projector
        .expect("Foxes at 400", |m| match m {
            ServerMsg::TeamScore {
                team: TeamId(2),
                score: 400,
            } => Some(()),
            _ => None,
        })
        .await;
    host.send(&ClientMsg::Host(HostCommand::ShowFinalAnswer))
        .await;
    host.send(&ClientMsg::Host(HostCommand::ShowWinner)).await;
    projector
        .expect("game_over", |m| {
            matches!(m, ServerMsg::GameOver { .. }).then_some(())
        })
        .await;
    let csv = server
        .get_with_key(&format!("/host/{}/results.csv", room.code), &room.host_key)
        .await
        .text()
        .await
        .unwrap();
    // Each player, with their team's place and score.
    assert!(
        csv.contains("place,player,score,right,wrong,team,team place,team score"),
        "{csv}"
    );
    assert!(csv.lines().any(|l| l.ends_with(",Foxes,1,400")), "{csv}");
    assert!(csv.lines().any(|l| l.ends_with(",Owls,2,-100")), "{csv}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_teams_final_wager_is_shown_to_its_members_and_nobody_else() {
    use buzzboard::game::TeamId;
    let dir = common::temp_dir("team-wager");
    std::fs::write(dir.join("tworounds.toml"), BOARD).unwrap();
    let server = TestServer::start_with(BoardLibrary::load(&dir)).await;
    let room = server.create_room(Some("tworounds")).await;
    let (mut host, _) = server.host(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    let mut ben = server.player(&room, "Ben").await;
    let mut cy = server.player(&room, "Cy").await;
    for name in ["Owls", "Foxes"] {
        host.send(&ClientMsg::Host(HostCommand::CreateTeam {
            name: name.into(),
        }))
        .await;
    }
    for (player, team) in [(ana.id, 1), (ben.id, 1), (cy.id, 2)] {
        host.send(&ClientMsg::SetTeam {
            player,
            team: Some(TeamId(team)),
        })
        .await;
    }
    host.send(&ClientMsg::Host(HostCommand::AdjustScore {
        player: ana.id,
        delta: 100,
    }))
    .await;
    host.send(&ClientMsg::Host(HostCommand::StartFinal)).await;
    ben.client.expect("the Final", final_at("wagering")).await;
    ben.client.send(&ClientMsg::FinalWager { amount: 60 }).await;
    let seen_by_ana = ana
        .client
        .expect("the team's wager", |m| match m {
            ServerMsg::FinalPlayer(p) if p.wagered => p.wager,
            _ => None,
        })
        .await;
    assert_eq!(seen_by_ana, 60);
    ana.client.send(&ClientMsg::FinalWager { amount: 10 }).await;
    assert_eq!(
        ana.client.expect("an error", error).await,
        "You have already sent that."
    );
    // The Foxes' phone saw the Final start, never the Owls' wager.
    cy.client.expect("the Final", final_at("wagering")).await;
    host.send(&ClientMsg::Host(HostCommand::ShowFinalClue { seconds: 5 }))
        .await;
    cy.client.expect("the clue", final_at("answering")).await;
    assert!(
        cy.client.seen.iter().all(|t| !t.contains("\"wager\":60")),
        "another team saw the wager"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 9's demonstration action: the host ends the game at any time.
#[tokio::test]
async fn the_host_ends_the_game_mid_clue_and_every_page_gets_the_standings() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let mut projector = server.board(&room).await;
    let mut ana = server.player(&room, "Ana").await;
    host.send(&ClientMsg::Host(HostCommand::AdjustScore {
        player: ana.id,
        delta: 300,
    }))
    .await;
    host.send(&ClientMsg::OpenClue {
        category: 0,
        row: 0,
    })
    .await;
    host.send(&ClientMsg::Host(HostCommand::EndGame)).await;
    let over = |m: &ServerMsg| match m {
        ServerMsg::GameOver(standings) => Some(standings.leaders.clone()),
        _ => None,
    };
    for page in [&mut host, &mut projector, &mut ana.client] {
        let standings = page.expect("game_over", over).await;
        assert_eq!(standings.len(), 1);
        assert_eq!((standings[0].id, standings[0].score), (ana.id.0, 300));
    }
    let (_, snapshot) = server.host(&room).await;
    assert!(snapshot.cleared && snapshot.clue.is_none());
    host.send(&ClientMsg::OpenClue {
        category: 1,
        row: 0,
    })
    .await;
    assert_eq!(host.error().await, "The game is over.");
}

/// Issue 13: undo said nothing of what it undid.
#[tokio::test]
async fn undo_tells_the_host_what_it_took_back() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    let ana = server.player(&room, "Ana").await;
    for delta in [100, 200] {
        host.send(&ClientMsg::Host(HostCommand::AdjustScore {
            player: ana.id,
            delta,
        }))
        .await;
    }
    host.send(&ClientMsg::Host(HostCommand::Undo)).await;
    let undone = host
        .expect("the undo", |m| match m {
            ServerMsg::ScoreAdjusted {
                player,
                delta,
                score,
                undone: true,
            } => Some((*player, *delta, *score)),
            _ => None,
        })
        .await;
    assert_eq!(undone, (ana.id, -200, 100));
}
