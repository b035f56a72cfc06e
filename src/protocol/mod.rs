//! Every message that crosses the WebSocket.
//!
//! Pages send [`ClientMsg`] and receive [`ServerMsg`], both JSON objects
//! with a `"type"` field naming the variant in `snake_case`. On connecting,
//! a page first receives a [`ServerMsg::Snapshot`] with everything it needs to
//! draw itself, then small updates as things change. `docs/protocol.md` shows
//! real examples of each.
//!
//! Answers only ever appear in messages for the host, or after the host has
//! revealed them: the types make the answer an `Option`, and the room's view
//! module ([`crate::room::view`]) is the one place that fills it in.
mod client;
mod error;
mod server;
mod views;

use serde::{Deserialize, Serialize};

pub use client::{ClientMsg, Hello, MAX_CLIENT_MESSAGE_BYTES, Sender};
pub use error::WireError;
pub use server::ServerMsg;
pub use views::*;

/// Which page a connection belongs to. It decides what the connection may do
/// and which version of each update it receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The teacher's controls; holds the room's host key.
    Host,
    /// The projector view; read-only.
    Board,
    /// A student's phone.
    Player,
}

impl Role {
    /// Every page, in the order [`crate::room::Update`] stores their
    /// versions of an update.
    pub const ALL: [Role; 3] = [Role::Host, Role::Board, Role::Player];
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}
