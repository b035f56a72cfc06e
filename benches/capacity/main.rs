//! How many phones one server holds: the real binary (persistence on, as
//! shipped) against a floor, a bare tokio-tungstenite server that forwards
//! one frame to every socket, driven by the same load client in the same
//! run on 127.0.0.1. Prints the table in `docs/capacity.md`.
//!
//! ```text
//! cargo bench --features cluster --bench capacity                        # 10, 100, 500, 2000 phones
//! CAPACITY_PHONES=500,1000 cargo bench --features cluster --bench capacity
//! CAPACITY_ROUNDS=20 cargo bench --features cluster --bench capacity     # fan-out rounds per size
//! CAPACITY_SOAK_SECS=600 cargo bench --features cluster --bench capacity # also 10,000 phones over 50 rooms
//! ```
//!
//! For each size: every phone connects and joins at once (the join burst);
//! the host opens the buzzers again and again (fan-out: from the host's
//! "open" to each phone seeing it); every phone buzzes 150 ms after it sees
//! the buzzers open (the storm: from the host learning the winner to every
//! phone knowing it); every phone drops and comes back with its seat token
//! at once (reconnect); and the server's memory per idle phone.

#[path = "../../tests/common/mod.rs"]
#[allow(unused)]
mod common;

#[path = "../../tests/common/fault.rs"]
#[allow(unused)]
mod fault;

#[path = "../../tests/common/cluster.rs"]
#[allow(unused)]
mod cluster;

mod cluster_runs;
mod floor;
mod load;
mod one_room;
mod soak;
mod target;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use buzzboard::game::HostCommand;
use buzzboard::protocol::{ClientMsg, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use cluster_runs::*;
use floor::*;
use load::*;
use one_room::*;
use soak::*;
use target::*;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("CAPACITY_PHONES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 100, 500, 2000]);
    let rounds: usize = std::env::var("CAPACITY_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
        .clamp(1, 24);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if std::env::var("CAPACITY_SOAK").is_ok() {
        let number = |name: &str, default: f64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        runtime.block_on(soak(
            number("SOAK_ROOMS", 50.0) as usize,
            number("SOAK_PHONES", 200.0) as usize,
            number("SOAK_MINUTES", 10.0),
        ));
        return;
    }
    if std::env::var("CAPACITY_CLUSTER").is_ok() {
        runtime.block_on(through_haproxy(&sizes, rounds));
        return;
    }
    runtime.block_on(async move {
        let started = std::time::Instant::now();
        let mut rows = Vec::new();
        for &n in &sizes {
            let floor = floor(n, rounds).await;
            let mut row = buzzboard(n, rounds, Deployment::Single).await;
            row.floor = floor;
            eprintln!("{n} phones done");
            rows.push(row);
        }
        println!(
            "capacity: {rounds} fan-out rounds per size, {:.0} s\n",
            started.elapsed().as_secs_f64()
        );
        println!("| phones | floor: each phone receives, p50 / p99 | Buzzboard: \"buzzers open\" to each phone, p50 / p99 | ratio p99 | join burst: seated, all welcomed in | storm: winner on every phone after the host | reconnect with tokens: back, all in | memory per idle phone | pages closed |");
        println!("|---|---|---|---|---|---|---|---|---|");
        for r in rows {
            println!(
                "| {} | {:.2} / {:.2} ms | {:.2} / {:.2} ms | {:.2} | {} |",
                r.phones,
                r.floor.0,
                r.floor.1,
                r.fanout.0,
                r.fanout.1,
                r.fanout.1 / r.floor.1,
                r.crowd_cells(),
            );
        }
    });
}
