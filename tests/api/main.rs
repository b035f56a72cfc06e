//! The integration tests, in one binary: the real server on 127.0.0.1 (or
//! the real `buzzboard` binary, for crashes and restarts), real WebSocket
//! and HTTP clients, and a real browser for the pages. Shared helpers live
//! in `tests/common/` (also used by the benchmarks).

#[path = "../common/mod.rs"]
mod common;

#[path = "../common/fault.rs"]
mod fault;

#[path = "../common/fairness_sim.rs"]
mod sim;

#[path = "../common/slow_client.rs"]
mod slow_client;

#[path = "../common/browser.rs"]
mod driver;

#[cfg(feature = "cluster")]
#[path = "../common/cluster.rs"]
mod cluster;

#[path = "../common/pages.rs"]
mod pages;

#[path = "../common/webkit.rs"]
mod webkit;

mod access;
mod accounts;
mod bad_input;
mod behind_proxy;
mod browser;
#[cfg(feature = "cluster")]
mod cluster_failover;
mod crowds;
mod fair_buzzing;
mod first_minute;
mod full_game;
mod full_rules;
mod hidden_scores;
mod hostile;
mod http;
mod journals;
mod media;
mod names;
mod protocol_doc;
mod reliability;
mod results;
mod room_settings;
mod round_two;
mod translations;
mod uploads;
