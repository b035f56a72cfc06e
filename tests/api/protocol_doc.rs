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

/// Parses every block as `T` and returns the set of `type` tags seen.
fn tags<T: DeserializeOwned + Serialize>(text: &str) -> BTreeSet<String> {
    json_blocks(text)
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
    let client = tags::<ClientMsg>(to_server);
    assert_eq!(
        client.len(),
        38,
        "one example per page-to-server message: {client:?}"
    );
    let server = tags::<ServerMsg>(to_page);
    assert_eq!(
        server.len(),
        52,
        "one example per server-to-page message: {server:?}"
    );
}
