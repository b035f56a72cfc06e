//! Hide the scores (issue 22's demonstration of adding a host action): the
//! host hides the scoreboard from the projector and the phones for a
//! low-stakes review, and shows it again; the game goes on scoring.

use crate::common::{self, TestServer};
use crate::driver::Browser;
use crate::pages::{HostPage, PhonePage, ProjectorPage};
use buzzboard::game::HostCommand;
use buzzboard::protocol::{ClientMsg, ServerMsg};

#[tokio::test]
async fn the_host_hides_the_scores_from_every_page_and_a_page_that_comes_later_finds_them_hidden() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, snapshot) = server.host(&room).await;
    assert!(!snapshot.scores_hidden, "scores are shown by default");
    let mut projector = server.board(&room).await;
    let mut ana = server.player(&room, "Ana").await;

    host.send(&ClientMsg::Host(HostCommand::SetScoresHidden { on: true }))
        .await;
    for page in [&mut host, &mut projector, &mut ana.client] {
        page.expect("the scores hidden", |m| {
            matches!(m, ServerMsg::ScoresHidden { on: true }).then_some(())
        })
        .await;
    }
    // Scoring goes on while they are hidden.
    host.send(&ClientMsg::Host(HostCommand::AdjustScore {
        player: ana.id,
        delta: 100,
    }))
    .await;
    ana.client
        .expect("the points", |m| match m {
            ServerMsg::ScoreAdjusted { score, .. } => Some(*score),
            _ => None,
        })
        .await;

    // A projector opened now finds them hidden.
    let mut late = server.connect(&room.code, "role=board").await;
    assert!(late.snapshot().await.scores_hidden);

    // Only the host may hide them.
    ana.client
        .send(&ClientMsg::Host(HostCommand::SetScoresHidden { on: false }))
        .await;
    let code = ana
        .client
        .expect("a refusal", |m| match m {
            ServerMsg::Error { code, .. } => Some(code.clone()),
            _ => None,
        })
        .await;
    assert_eq!(code, "host_only");

    host.send(&ClientMsg::Host(HostCommand::SetScoresHidden { on: false }))
        .await;
    projector
        .expect("the scores shown again", |m| {
            matches!(m, ServerMsg::ScoresHidden { on: false }).then_some(())
        })
        .await;
}

/// In a real browser: the teacher ticks "Hide the scores", the projector's
/// scoreboard and the phone's score and places leave the screen (a right
/// answer shows its points, not the new total), the host still sees every
/// score, a reloaded projector stays hidden, and unticking brings it all
/// back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_hides_the_scores_for_a_review_round_and_shows_them_again() {
    let _turn = common::heavy().await;
    let Some(mut browser) = Browser::launch().await else {
        return;
    };
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let host = HostPage::open(&mut browser, &room.host_url, 1366, 768).await;
    let projector = ProjectorPage::open(&mut browser, &room.board_url, 1920, 1080).await;
    let mut ana = PhonePage::open(&mut browser, "ana", &room.join_url).await;
    ana.join(&mut browser, "Ana").await;
    host.wait_for_players(&mut browser, 1).await;
    projector.wait_for_scores_shown(&mut browser, true).await;
    ana.wait_for_score_shown(&mut browser, true).await;

    host.hide_scores(&mut browser, true).await;
    projector.wait_for_scores_shown(&mut browser, false).await;
    ana.wait_for_score_shown(&mut browser, false).await;
    browser
        .assert_accessible(&projector.page, "projector, scores hidden")
        .await;

    // A clue played while hidden: the phone says the points, not the total.
    host.open_tile(&mut browser, 0, 1).await;
    host.open_buzzers(&mut browser).await;
    ana.buzz_after_reacting(&mut browser).await;
    host.wait_for_answerer(&mut browser, "Ana").await;
    host.judge(&mut browser, true).await;
    let said = ana.judgement(&mut browser).await;
    assert!(said.contains("+200"), "{said}");
    assert!(!said.contains("now"), "the total stays hidden: {said}");
    host.back_to_board(&mut browser).await;
    assert_eq!(host.score_of(&mut browser, "Ana").await, "200");
    // The board between clues, as the room sees it: no scores, and the
    // board takes the scoreboard's column.
    projector.wait_for_scores_shown(&mut browser, false).await;
    projector
        .wait_until(
            &mut browser,
            "document.getElementById('grid').getBoundingClientRect().width > innerWidth * 0.9",
        )
        .await;
    browser
        .shoot(&[&projector.page, &ana.page], "scores-hidden")
        .await;

    // Reloaded, the projector still hides them.
    browser.reload(&projector.page).await;
    projector
        .wait_until(
            &mut browser,
            "document.querySelectorAll('#grid .tile').length > 0",
        )
        .await;
    projector.wait_for_scores_shown(&mut browser, false).await;

    host.hide_scores(&mut browser, false).await;
    projector.wait_for_scores_shown(&mut browser, true).await;
    ana.wait_for_score_shown(&mut browser, true).await;
    projector
        .wait_until(
            &mut browser,
            "document.getElementById('scoreboard').textContent.includes('200')",
        )
        .await;
}
