//! Clue media in play: a video the host plays on the projector, and an
//! answer picture that no phone receives before the reveal.

use crate::common;
use buzzboard::game::HostCommand;

use buzzboard::board::BoardLibrary;
use buzzboard::protocol::{ClientMsg, ServerMsg};
use common::TestServer;

const BOARD: &str = r#"
title = "Media"

[[category]]
name = "Watch"

[[category.clue]]
value = 100
clue = "Name this animal"
answer = "A cat"
video = "media/cat.mp4"
answer_image = "media/cat.png"

[[category.clue]]
value = 200
clue = "No media here"
answer = "Right"
"#;

fn boards() -> (BoardLibrary, std::path::PathBuf) {
    let dir = common::temp_dir("media");
    std::fs::create_dir_all(dir.join("media")).unwrap();
    std::fs::write(dir.join("media.toml"), BOARD).unwrap();
    std::fs::write(
        dir.join("media/cat.mp4"),
        b"\0\0\0\x18ftypmp42 a tiny video",
    )
    .unwrap();
    std::fs::write(
        dir.join("media/cat.png"),
        b"\x89PNG\r\n\x1a\n a tiny picture",
    )
    .unwrap();
    let library = BoardLibrary::load(&dir);
    assert!(library.problems().is_empty(), "{:?}", library.problems());
    (library, dir)
}

#[tokio::test]
async fn the_host_plays_a_clue_video_on_the_projector_and_the_answer_picture_waits_for_the_reveal()
{
    let (library, dir) = boards();
    let server = TestServer::start_with(library).await;
    let room = server.create_room(Some("media")).await;
    let (mut host, _) = server.host(&room).await;
    let mut projector = server.board(&room).await;
    let mut ana = server.player(&room, "Ana").await;

    host.send(&ClientMsg::OpenClue {
        category: 0,
        row: 0,
    })
    .await;
    let clue = projector
        .expect("clue_opened", |m| match m {
            ServerMsg::ClueOpened { clue } => Some(clue.clone()),
            _ => None,
        })
        .await;
    let video = clue.video.expect("the projector gets the video");
    let served = reqwest::get(server.url(&video)).await.unwrap();
    assert_eq!(served.headers()["content-type"], "video/mp4");

    host.send(&ClientMsg::PlayMedia { playing: true }).await;
    let playing = projector
        .expect("media_playback", |m| match m {
            ServerMsg::MediaPlayback { playing } => Some(*playing),
            _ => None,
        })
        .await;
    assert!(playing);
    ana.client
        .send(&ClientMsg::PlayMedia { playing: false })
        .await;
    let refused = ana
        .client
        .expect("an error", |m| match m {
            ServerMsg::Error { message, .. } => Some(message.clone()),
            _ => None,
        })
        .await;
    assert_eq!(refused, "Only the host can do that.");

    // The answer picture reaches nobody but the host until the reveal.
    host.send(&ClientMsg::Host(HostCommand::RevealAnswer)).await;
    let picture = ana
        .client
        .expect("answer_revealed", |m| match m {
            ServerMsg::AnswerRevealed { answer, .. } => Some(answer.image.clone()),
            _ => None,
        })
        .await
        .expect("the revealed answer has its picture");
    let before_reveal = ana
        .client
        .seen
        .iter()
        .take_while(|t| !t.contains("answer_revealed"))
        .chain(
            projector
                .seen
                .iter()
                .take_while(|t| !t.contains("answer_revealed")),
        )
        .any(|t| t.contains(&picture));
    assert!(
        !before_reveal,
        "the answer picture leaked before the reveal"
    );

    // A clue without media cannot be played.
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
    host.send(&ClientMsg::OpenClue {
        category: 0,
        row: 1,
    })
    .await;
    host.expect("clue_opened", |m| match m {
        ServerMsg::ClueOpened { clue } if clue.row == 1 => Some(()),
        _ => None,
    })
    .await;
    host.send(&ClientMsg::PlayMedia { playing: true }).await;
    let error = host
        .expect("an error", |m| match m {
            ServerMsg::Error { message, .. } => Some(message.clone()),
            _ => None,
        })
        .await;
    assert_eq!(error, "This clue has no sound or video.");
    let _ = std::fs::remove_dir_all(&dir);
}
