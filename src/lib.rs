#![warn(missing_docs)]
//! Buzzboard: a Jeopardy-style classroom quiz show with phone buzzers.
//!
//! # Layout
//!
//! - [`board`]: the board model, the board file format, importers and the
//!   library of boards loaded at start-up. Once a `Board` exists it is valid.
//! - [`game`]: the rules, as a pure state machine. Commands and the current
//!   time go in, events come out; no IO, no clocks, no tokio.
//! - [`room`]: one tokio task per game room owns its `Game` and fans out what
//!   changed to the connected pages. Everything else talks to a room through
//!   a cloneable [`room::RoomHandle`].
//! - [`rooms`]: the registry of live rooms by code, and their secrets.
//! - [`protocol`]: every message that crosses the WebSocket, as typed enums.
//! - [`store`]: the journal games are saved in, so they survive a restart or
//!   a crash: an embedded SQLite file, or PostgreSQL shared by a cluster.
//! - `cluster` (with the `cluster` feature): many servers on one PostgreSQL database: one owner per
//!   room by lease, takeover by replaying the journal.
//! - [`web`]: the thin HTTP/WebSocket layer: routes, pages, assets.
//! - [`config`]: command-line and environment options.
//! - [`bucket`]: the token bucket behind every rate limit.
//! - [`table`]: the tables teachers download, written as CSV or as an
//!   Excel workbook.
//!
//! `main.rs` only wires these together.

pub mod board;
mod bucket;
#[cfg(feature = "cluster")]
pub mod cluster;
pub mod config;
#[doc(hidden)]
pub mod fuzzing;
pub mod game;
pub mod net;
pub mod password;
pub mod protocol;
pub mod room;
pub mod rooms;
pub mod secret;
pub mod seeded;
pub mod store;
pub mod table;
pub mod web;

pub use web::{AppState, app};
