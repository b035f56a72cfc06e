//! A whole class plays the RLHF board over real WebSockets: a host, a
//! projector and three phones, all 25 clues, every kind of outcome. The
//! scores must add up exactly, and no answer may reach the projector or a
//! phone before the host reveals it.

use crate::common;
use buzzboard::game::HostCommand;

use buzzboard::board::{BoardLibrary, TileId};
use buzzboard::protocol::{ClientMsg, ServerMsg};
use common::{Client, Player, TestServer};

struct Class {
    host: Client,
    projector: Client,
    players: Vec<Player>,
}

impl Class {
    async fn host_sends(&mut self, msg: ClientMsg) {
        self.host.send(&msg).await;
    }

    /// Every page (host, projector, phones) receives a message `pick` accepts.
    async fn everyone_sees(&mut self, what: &str, pick: impl Fn(&ServerMsg) -> bool + Copy) {
        self.host.expect(what, |m| pick(m).then_some(())).await;
        self.observers_see(what, pick).await;
    }

    /// The projector and the phones receive a message `pick` accepts.
    async fn observers_see(&mut self, what: &str, pick: impl Fn(&ServerMsg) -> bool + Copy) {
        self.projector.expect(what, |m| pick(m).then_some(())).await;
        for player in &mut self.players {
            player.client.expect(what, |m| pick(m).then_some(())).await;
        }
    }

    async fn open(&mut self, tile: TileId) {
        self.host_sends(ClientMsg::OpenClue {
            category: tile.category,
            row: tile.row,
        })
        .await;
        self.everyone_sees("clue_opened", |m| matches!(m, ServerMsg::ClueOpened { .. }))
            .await;
    }

    async fn open_buzzers(&mut self) {
        self.host_sends(ClientMsg::Host(HostCommand::OpenBuzzers))
            .await;
        self.everyone_sees("buzzers_opened", |m| matches!(m, ServerMsg::BuzzersOpened))
            .await;
    }

    /// Player `p` buzzes; returns the position the host sees for the buzz.
    /// (The phone's own `buzz_received` may arrive before or after the
    /// broadcast `answering`; later `expect`s skip past it.)
    async fn buzz(&mut self, p: usize) -> usize {
        let player = &mut self.players[p];
        player.client.buzz().await;
        let id = player.id;
        self.host
            .expect("buzzed", |m| match m {
                ServerMsg::Buzzed {
                    player, position, ..
                } if *player == id => Some(*position),
                _ => None,
            })
            .await
    }

    /// Player `p` must be the one answering, as every page sees it.
    async fn answering(&mut self, p: usize) {
        let id = self.players[p].id;
        self.everyone_sees(
            "answering",
            move |m| matches!(m, ServerMsg::Answering { player, .. } if *player == id),
        )
        .await;
    }

    /// The host judges; every page sees the new score of player `p`.
    async fn judge(&mut self, p: usize, correct: bool, expected_score: i64) {
        self.host_sends(ClientMsg::Host(HostCommand::Judge { correct }))
            .await;
        let id = self.players[p].id;
        self.everyone_sees("judged", move |m| {
            matches!(m, ServerMsg::Judged { player, score, correct: c, .. }
                if *player == id && *score == expected_score && *c == correct)
        })
        .await;
    }

    async fn reveal(&mut self) {
        self.host_sends(ClientMsg::Host(HostCommand::RevealAnswer))
            .await;
        self.everyone_sees("answer_revealed", |m| {
            matches!(m, ServerMsg::AnswerRevealed { .. })
        })
        .await;
    }

    async fn close(&mut self, tile: TileId) {
        self.host_sends(ClientMsg::Host(HostCommand::CloseClue))
            .await;
        self.everyone_sees("clue_closed", move |m| {
            matches!(m, ServerMsg::ClueClosed { category, row, .. }
                if *category == tile.category && *row == tile.row)
        })
        .await;
    }

    async fn adjust(&mut self, p: usize, delta: i64, expected_score: i64) {
        let id = self.players[p].id;
        self.host_sends(ClientMsg::Host(HostCommand::AdjustScore {
            player: id,
            delta,
        }))
        .await;
        self.everyone_sees("score_adjusted", move |m| {
            matches!(m, ServerMsg::ScoreAdjusted { player, score, .. }
                if *player == id && *score == expected_score)
        })
        .await;
    }
}

/// The text as it appears inside a JSON string.
fn json_fragment(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap();
    quoted[1..quoted.len() - 1].to_owned()
}

#[tokio::test]
async fn a_class_plays_all_25_rlhf_clues_and_the_scores_add_up() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    assert_eq!(room.board, "rlhf");
    let rlhf = BoardLibrary::builtin().get("rlhf").unwrap();

    let (host, snapshot) = server.host(&room).await;
    assert_eq!(snapshot.board.categories.len(), 5);
    let projector = server.board(&room).await;
    let mut players = Vec::new();
    for name in ["Ana", "Ben", "Cy"] {
        players.push(server.player(&room, name).await);
    }
    let mut class = Class {
        host,
        projector,
        players,
    };
    for _ in 0..3 {
        class
            .host
            .expect("player_joined", |m| {
                matches!(m, ServerMsg::PlayerJoined { .. }).then_some(())
            })
            .await;
    }

    // Row by row, left to right, as a class would usually play.
    let mut tiles: Vec<TileId> = rlhf.tiles(0).collect();
    tiles.sort_by_key(|t| (t.row, t.category));
    assert_eq!(tiles.len(), 25);

    let mut scores = [0i64; 3];
    let mut revealed = Vec::new();
    for (i, &tile) in tiles.iter().enumerate() {
        let value = rlhf.clue(tile).unwrap().value;
        class.open(tile).await;
        match i % 6 {
            // Ana buzzes first and is right.
            0 => {
                class.open_buzzers().await;
                assert_eq!(class.buzz(0).await, 1);
                class.answering(0).await;
                scores[0] += value;
                class.judge(0, true, scores[0]).await;
                class
                    .observers_see("answer_revealed", |m| {
                        matches!(m, ServerMsg::AnswerRevealed { .. })
                    })
                    .await;
                revealed.push(tile);
            }
            // Ben is first but wrong; Cy buzzed second, buzzes again after the
            // reopen, and is right.
            1 => {
                class.open_buzzers().await;
                assert_eq!(class.buzz(1).await, 1);
                class.answering(1).await;
                assert_eq!(class.buzz(2).await, 2);
                scores[1] -= value;
                class.judge(1, false, scores[1]).await;
                class
                    .everyone_sees("buzzers_opened", |m| matches!(m, ServerMsg::BuzzersOpened))
                    .await;
                assert_eq!(class.buzz(2).await, 1);
                class.answering(2).await;
                scores[2] += value;
                class.judge(2, true, scores[2]).await;
                revealed.push(tile);
            }
            // Everyone is wrong; the buzzers close and the host reveals.
            2 => {
                class.open_buzzers().await;
                for (p, score) in scores.iter_mut().enumerate() {
                    class.buzz(p).await;
                    class.answering(p).await;
                    *score -= value;
                    class.judge(p, false, *score).await;
                }
                class
                    .everyone_sees("buzzers_closed", |m| matches!(m, ServerMsg::BuzzersClosed))
                    .await;
                class.reveal().await;
                revealed.push(tile);
            }
            // Skipped: never answered, never revealed.
            3 => {}
            // Nobody knows; the host reveals.
            4 => {
                class.open_buzzers().await;
                class.reveal().await;
                revealed.push(tile);
            }
            // Cy is right, then the host fixes two scores by hand.
            _ => {
                class.open_buzzers().await;
                class.buzz(2).await;
                class.answering(2).await;
                scores[2] += value;
                class.judge(2, true, scores[2]).await;
                revealed.push(tile);
                scores[0] += 50;
                class.adjust(0, 50, scores[0]).await;
                scores[1] -= 25;
                class.adjust(1, -25, scores[1]).await;
            }
        }
        class.close(tile).await;
    }
    class
        .everyone_sees("board_cleared", |m| matches!(m, ServerMsg::BoardCleared))
        .await;

    // The scores were computed from the clue values alone; the server agrees.
    let (mut fresh_host, final_state) = server.host(&room).await;
    let final_scores: Vec<i64> = final_state.players.iter().map(|p| p.score).collect();
    assert_eq!(final_scores, scores.to_vec());
    assert!(final_state.cleared);
    assert!(
        final_state
            .board
            .categories
            .iter()
            .all(|c| c.tiles.iter().all(|t| t.played))
    );
    assert_ne!(scores, [0, 0, 0], "the script should move the scores");
    fresh_host
        .send(&ClientMsg::Host(HostCommand::CloseClue))
        .await;
    assert_eq!(fresh_host.error().await, "No clue is open.");

    // No answer reached the projector or a phone before its reveal, and the
    // answer of a skipped clue never reached them at all.
    let mut observers = vec![("projector", &class.projector)];
    for (name, player) in ["Ana", "Ben", "Cy"].iter().zip(&class.players) {
        observers.push((name, &player.client));
    }
    for &tile in &tiles {
        let clue = rlhf.clue(tile).unwrap();
        let secrets: Vec<String> = std::iter::once(&clue.answer)
            .chain(&clue.also_accept)
            .map(|a| json_fragment(a))
            .collect();
        for (who, client) in &observers {
            let reveal_at = client.seen.iter().position(|text| {
                text.contains("\"answer_revealed\"")
                    && text.contains(&format!(
                        "\"category\":{},\"row\":{}",
                        tile.category, tile.row
                    ))
            });
            assert_eq!(
                reveal_at.is_some(),
                revealed.contains(&tile),
                "{who}: reveal of {tile:?}"
            );
            let before = &client.seen[..reveal_at.unwrap_or(client.seen.len())];
            for text in before {
                for secret in &secrets {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{who} saw the answer to {tile:?} before its reveal: {text}"
                    );
                }
            }
        }
    }
    // The host, by contrast, had every answer from the moment each clue opened.
    let host_answers = class
        .host
        .seen
        .iter()
        .filter(|t| t.contains("\"clue_opened\"") && t.contains("\"answer\":{"))
        .count();
    assert_eq!(host_answers, 25);
}
