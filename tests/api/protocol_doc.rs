//! `docs/protocol.md` stays true: every JSON example in it parses as the
//! message type its section says, and every message type has an example.

use std::collections::BTreeSet;

use buzzboard::protocol::{ClientMsg, ServerMsg};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn json_blocks(text: &str) -> Vec<&str> {
    text.split("```json")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().trim())
        .collect()
}

/// The page-to-server examples after the opening `hello` (which is
/// checked to be one, with one example).
fn messages_after_hello(text: &str) -> Vec<&str> {
    let (hello, rest): (Vec<&str>, Vec<&str>) = json_blocks(text)
        .into_iter()
        .partition(|block| buzzboard::protocol::Hello::parse(block).is_some());
    assert_eq!(hello.len(), 1, "the hello has one example: {hello:?}");
    rest
}

/// Parses every block as `T` and returns the set of `type` tags seen.
fn tags<T: DeserializeOwned + Serialize>(blocks: Vec<&str>) -> BTreeSet<String> {
    blocks
        .into_iter()
        .map(|block| {
            let msg: T = serde_json::from_str(block)
                .unwrap_or_else(|e| panic!("this example does not parse ({e}):\n{block}"));
            serde_json::to_value(&msg).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn every_example_in_the_protocol_doc_is_a_real_message() {
    let doc = include_str!("../../docs/protocol.md");
    let (to_server, to_page) = doc
        .split_once("## Server to page")
        .expect("the doc has a 'Server to page' section");
    let client = tags::<ClientMsg>(messages_after_hello(to_server));
    assert_eq!(
        client.len(),
        44,
        "one example per page-to-server message: {client:?}"
    );
    let server = tags::<ServerMsg>(json_blocks(to_page));
    assert_eq!(
        server.len(),
        55,
        "one example per server-to-page message: {server:?}"
    );
}

/// Every host action in the doc, sent from a player's phone, is refused as
/// host-only and changes nothing; every seat action from a page that has
/// not joined is refused too.
#[tokio::test]
async fn no_player_page_can_send_any_host_action() {
    use buzzboard::protocol::Sender;
    let doc = include_str!("../../docs/protocol.md");
    let (to_server, _) = doc.split_once("## Server to page").unwrap();
    let server = crate::common::TestServer::start().await;
    let room = server.create_room(None).await;
    let mut ana = server.player(&room, "Ana").await;
    let mut guest = server.connect(&room.code, "role=player").await;
    guest.snapshot().await;
    let (mut host_only, mut seat_only) = (0, 0);
    let seat_query = format!("role=player&token={}", ana.token);
    for block in messages_after_hello(to_server) {
        let msg: ClientMsg = serde_json::from_str(block).unwrap();
        // Each socket may send 20 messages at once: Ana's phone opens a
        // fresh one (the same seat) every 15, to stay within it.
        if msg.sender() == Sender::Host && host_only % 15 == 14 {
            ana.client = server.connect(&room.code, &seat_query).await;
            ana.client.snapshot().await;
        }
        let (client, wanted) = match msg.sender() {
            Sender::Host => (&mut ana.client, "host_only"),
            Sender::Seat => (&mut guest, "join_first"),
            Sender::Guest | Sender::Any => continue,
        };
        if wanted == "host_only" {
            host_only += 1;
        } else {
            seat_only += 1;
        }
        client.send_text(block).await;
        let code = client
            .expect("a refusal", |m| match m {
                ServerMsg::Error { code, .. } => Some(code.clone()),
                _ => None,
            })
            .await;
        assert_eq!(code, wanted, "{block}");
    }
    assert!(
        host_only >= 30 && seat_only >= 5,
        "{host_only} host, {seat_only} seat actions tried"
    );
    // Nothing changed: a fresh host page sees the untouched game.
    let (_, snapshot) = server.host(&room).await;
    assert!(snapshot.clue.is_none());
    assert_eq!(snapshot.players.len(), 1);
    assert_eq!(snapshot.players[0].score, 0);
}
