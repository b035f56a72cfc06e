//! Bad input over the WebSocket: wrong roles, malformed and oversized
//! messages, hostile names. Each gets an error on that connection only, and
//! the room and its scores stay as they were.

use crate::common;
use buzzboard::game::HostCommand;

use buzzboard::protocol::{ClientMsg, ServerMsg};
use common::TestServer;

mod permissions {
    use super::*;

    #[tokio::test]
    async fn a_player_cannot_open_a_clue_or_change_scores() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let mut ana = server.player(&room, "Ana").await;
        ana.client
            .send(&ClientMsg::OpenClue {
                category: 0,
                row: 0,
            })
            .await;
        assert_eq!(ana.client.error().await, "Only the host can do that.");
        ana.client
            .send(&ClientMsg::Host(HostCommand::AdjustScore {
                player: ana.id,
                delta: 500,
            }))
            .await;
        assert_eq!(ana.client.error().await, "Only the host can do that.");
        let (_, state) = server.host(&room).await;
        assert!(state.clue.is_none());
        assert_eq!(state.players[0].score, 0);
    }

    #[tokio::test]
    async fn the_projector_view_cannot_act() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let mut projector = server.board(&room).await;
        projector
            .send(&ClientMsg::Host(HostCommand::RevealAnswer))
            .await;
        assert_eq!(projector.error().await, "Only the host can do that.");
        projector
            .send(&ClientMsg::Buzz {
                reaction_ms: None,
                early: false,
            })
            .await;
        assert_eq!(projector.error().await, "Join the game before buzzing.");
        projector
            .send(&ClientMsg::Join {
                name: "Sneaky".into(),
                nonce: None,
            })
            .await;
        assert_eq!(projector.error().await, "Only a new player page can join.");
    }

    #[tokio::test]
    async fn a_wrong_host_key_cannot_open_the_host_socket() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        for query in [
            "role=host",
            "role=host&key=",
            "role=host&key=0123456789abcdef0123456789abcdef",
        ] {
            let err = common::open_socket(server.addr, &room.code, query)
                .await
                .unwrap_err();
            assert!(err.to_string().contains("403"), "{query}: {err}");
        }
    }

    #[tokio::test]
    async fn a_host_key_in_the_socket_address_is_not_read() {
        // Addresses land in proxy logs: even the right key is ignored there.
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let url = format!(
            "ws://{}/ws/{}?role=host&key={}",
            server.addr, room.code, room.host_key
        );
        let err = tokio_tungstenite::connect_async(url).await.unwrap_err();
        assert!(err.to_string().contains("403"), "{err}");
    }

    #[tokio::test]
    async fn a_player_page_that_does_not_say_hello_first_is_closed() {
        use futures_util::{SinkExt, StreamExt};
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let url = format!("ws://{}/ws/{}?role=player", server.addr, room.code);
        let (mut raw, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        raw.send(tokio_tungstenite::tungstenite::Message::text(
            r#"{"type":"join","name":"Ana"}"#,
        ))
        .await
        .unwrap();
        let closed = tokio::time::timeout(common::WAIT, raw.next())
            .await
            .expect("an answer in time");
        match closed {
            Some(Ok(tokio_tungstenite::tungstenite::Message::Close(Some(frame)))) => {
                assert_eq!(u16::from(frame.code), 1008);
                assert!(frame.reason.contains("hello"), "{}", frame.reason);
            }
            other => panic!("expected the socket closed, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_buzz_always_counts_for_the_player_who_sent_it() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let (mut host, _) = server.host(&room).await;
        let ana = server.player(&room, "Ana").await;
        let mut ben = server.player(&room, "Ben").await;
        host.open_clue_and_buzzers(0, 0).await;
        host.await_buzzers_open().await;
        // Ben claims to be Ana; the extra field is ignored and the buzz is his.
        tokio::time::sleep(common::REACTION).await;
        ben.client
            .send_text(&format!(r#"{{"type":"buzz","player":{}}}"#, ana.id.0))
            .await;
        let buzzer = host
            .expect("buzzed", |m| match m {
                ServerMsg::Buzzed { player, .. } => Some(*player),
                _ => None,
            })
            .await;
        assert_eq!(buzzer, ben.id);
    }

    #[tokio::test]
    async fn a_player_who_was_wrong_cannot_buzz_again_on_that_clue() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let (mut host, _) = server.host(&room).await;
        let mut ana = server.player(&room, "Ana").await;
        let _ben = server.player(&room, "Ben").await;
        host.open_clue_and_buzzers(0, 0).await;
        ana.buzz_in(&mut host).await;
        host.send(&ClientMsg::Host(HostCommand::Judge { correct: false }))
            .await;
        ana.client
            .expect("buzzers reopened", |m| {
                matches!(m, ServerMsg::BuzzersOpened).then_some(())
            })
            .await;
        ana.client.buzz().await;
        let message = ana
            .client
            .expect("an error", |m| match m {
                ServerMsg::Error { message, .. } => Some(message.clone()),
                _ => None,
            })
            .await;
        assert_eq!(message, "You have already tried this clue.");
    }
}

mod malformed_messages {
    use super::*;

    #[tokio::test]
    async fn malformed_and_unknown_messages_get_an_error_and_the_connection_stays() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let mut phone = server.connect(&room.code, "role=player").await;
        phone.snapshot().await;
        for bad in [
            "not json",
            "{}",
            r#"{"type":"win_the_game"}"#,
            r#"{"type":"open_clue","category":"zero"}"#,
            r#"{"type":"adjust_score","player":1,"delta":1e309}"#,
        ] {
            phone.send_text(bad).await;
            let message = phone.error().await;
            assert!(
                message.starts_with("That message was not understood"),
                "{bad}: {message}"
            );
        }
        // The same connection still works.
        phone
            .send(&ClientMsg::Join {
                name: "Ana".into(),
                nonce: None,
            })
            .await;
        assert!(matches!(phone.next().await, ServerMsg::Welcome { .. }));
    }

    #[tokio::test]
    async fn a_message_over_4_kib_is_refused_and_the_connection_stays() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let mut phone = server.connect(&room.code, "role=player").await;
        phone.snapshot().await;
        let huge_name = "x".repeat(10 * 1024);
        phone
            .send(&ClientMsg::Join {
                name: huge_name,
                nonce: None,
            })
            .await;
        let message = phone.error().await;
        assert!(message.contains("too large"), "{message}");
        phone
            .send(&ClientMsg::Join {
                name: "Ana".into(),
                nonce: None,
            })
            .await;
        assert!(matches!(phone.next().await, ServerMsg::Welcome { .. }));
    }

    #[tokio::test]
    async fn a_giant_frame_closes_only_that_connection() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let mut ana = server.player(&room, "Ana").await;
        let mut rogue = server.connect(&room.code, "role=player").await;
        rogue.snapshot().await;
        rogue.send_text(&"x".repeat(1024 * 1024)).await;
        assert!(
            rogue.try_next().await.is_none(),
            "the rogue connection should close"
        );
        // Everyone else carries on.
        let (_, state) = server.host(&room).await;
        assert_eq!(state.player_count, 1);
        ana.client
            .send(&ClientMsg::Buzz {
                reaction_ms: None,
                early: false,
            })
            .await;
        assert_eq!(ana.client.error().await, "The buzzers are not open.");
    }

    #[tokio::test]
    async fn a_binary_message_is_refused_with_an_error() {
        use futures_util::SinkExt;
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let mut raw = common::open_socket(server.addr, &room.code, "role=player")
            .await
            .unwrap();
        raw.send(tokio_tungstenite::tungstenite::Message::binary(vec![
            1, 2, 3,
        ]))
        .await
        .unwrap();
        // Past the snapshot (and any round-trip ping), the reply is an error.
        let mut client = common::Client::from_stream(raw);
        client.snapshot().await;
        assert_eq!(client.error().await, "Messages must be JSON text.");
    }
}

mod names {
    use super::*;

    #[tokio::test]
    async fn an_html_name_reaches_every_view_as_literal_text() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let (mut host, _) = server.host(&room).await;
        let mut projector = server.board(&room).await;
        let evil = "<img src=x onerror=alert(1)>";
        let player = server.player(&room, evil).await;
        for page in [&mut host, &mut projector] {
            let name = page
                .expect("player_joined", |m| match m {
                    ServerMsg::PlayerJoined { name, .. } => Some(name.clone()),
                    _ => None,
                })
                .await;
            assert_eq!(name, evil);
        }
        drop(player);
    }

    #[tokio::test]
    async fn names_are_trimmed_and_bad_names_refused() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let mut phone = server.connect(&room.code, "role=player").await;
        phone.snapshot().await;
        for (bad, why) in [
            ("   ", "Please type a name."),
            (
                &"x".repeat(33),
                "That name is too long: use at most 32 characters.",
            ),
            (
                "two\nlines",
                "A name cannot contain line breaks or control characters.",
            ),
        ] {
            phone
                .send(&ClientMsg::Join {
                    name: bad.into(),
                    nonce: None,
                })
                .await;
            assert_eq!(phone.error().await, why);
        }
        phone
            .send(&ClientMsg::Join {
                name: "  Ana  ".into(),
                nonce: None,
            })
            .await;
        match phone.next().await {
            ServerMsg::Welcome { name, .. } => assert_eq!(name, "Ana"),
            other => panic!("{other:?}"),
        }
        let mut twin = server.connect(&room.code, "role=player").await;
        twin.snapshot().await;
        twin.send(&ClientMsg::Join {
            name: "ANA".into(),
            nonce: None,
        })
        .await;
        assert_eq!(
            twin.error().await,
            "Someone in this game already has that name; pick another."
        );
    }
}

mod seats {
    use super::*;

    #[tokio::test]
    async fn a_player_who_reconnects_with_their_token_keeps_their_seat_and_score() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let (mut host, _) = server.host(&room).await;
        let ana = server.player(&room, "Ana").await;
        host.send(&ClientMsg::Host(HostCommand::AdjustScore {
            player: ana.id,
            delta: 300,
        }))
        .await;
        host.expect("score_adjusted", |m| {
            matches!(m, ServerMsg::ScoreAdjusted { .. }).then_some(())
        })
        .await;
        let (id, token) = (ana.id, ana.token.clone());
        ana.client.close().await;

        let mut again = server
            .connect(&room.code, &format!("role=player&token={token}"))
            .await;
        let snapshot = again.snapshot().await;
        let you = snapshot.you.expect("the seat should be recognised");
        assert_eq!((you.id, you.name.as_str(), you.score), (id, "Ana", 300));
        // And the seat can act: a buzz is answered as Ana, not as a guest.
        again
            .send(&ClientMsg::Buzz {
                reaction_ms: None,
                early: false,
            })
            .await;
        assert_eq!(again.error().await, "The buzzers are not open.");
    }

    #[tokio::test]
    async fn an_unknown_token_gets_no_seat() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let _ana = server.player(&room, "Ana").await;
        let mut stranger = server
            .connect(
                &room.code,
                "role=player&token=ffffffffffffffffffffffffffffffff",
            )
            .await;
        assert!(stranger.snapshot().await.you.is_none());
        stranger
            .send(&ClientMsg::Buzz {
                reaction_ms: None,
                early: false,
            })
            .await;
        assert_eq!(stranger.error().await, "Join the game before buzzing.");
    }

    #[tokio::test]
    async fn players_get_no_roster_and_no_seat_tokens_reach_anyone_else() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let (mut host, _) = server.host(&room).await;
        let ana = server.player(&room, "Ana").await;
        let mut ben = server.player(&room, "Ben").await;
        host.expect("two joins", |m| match m {
            ServerMsg::PlayerJoined { name, .. } if name == "Ben" => Some(()),
            _ => None,
        })
        .await;
        let (_, host_view) = server.host(&room).await;
        assert_eq!(host_view.players.len(), 2);
        let mut phone = server.connect(&room.code, "role=player").await;
        assert!(phone.snapshot().await.players.is_empty());
        for text in host.seen.iter().chain(&ben.client.seen) {
            assert!(!text.contains(&ana.token), "Ana's token leaked: {text}");
        }
        ben.client
            .send(&ClientMsg::Buzz {
                reaction_ms: None,
                early: false,
            })
            .await;
        ben.client.error().await;
    }
}

mod shutdown {
    use super::*;

    #[tokio::test]
    async fn on_shutdown_every_page_is_told_the_server_is_restarting() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let mut ana = server.player(&room, "Ana").await;
        let mut projector = server.board(&room).await;
        server.state.begin_shutdown();
        assert_eq!(ana.client.close_code().await, Some(1012));
        assert_eq!(projector.close_code().await, Some(1012));
    }
}
