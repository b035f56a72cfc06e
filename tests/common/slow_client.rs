//! A phone that stops reading while the class plays on: the others' buzz
//! latency and the server's memory, with and without it.
//!
//! Used by `tests/api/reliability.rs` (which checks the stalled page is dropped
//! and memory stays bounded) and `benches/slow_client.rs` (which reports the
//! latency ratio; timing is measured, not asserted in tests).
#![allow(dead_code)]

use std::time::Duration;

use buzzboard::game::{HostCommand, PlayerId};
use buzzboard::protocol::{ClientMsg, ServerMsg};
use tokio::net::TcpSocket;
use tokio::time::Instant;

use crate::common::Client;
use crate::fault::{Binary, Resilient, free_port, temp_dir};

/// What one run measured.
#[derive(Debug, Clone)]
pub struct SlowClientRun {
    /// Buzz-to-answering latencies without the stalled page, in ms.
    pub baseline_ms: Vec<f64>,
    /// The same while the stalled page was connected and not reading.
    pub stalled_ms: Vec<f64>,
    /// Server memory before the flood, right after it, and after the stalled
    /// page was dropped, in KiB.
    pub rss_kib: [u64; 3],
    /// Whether the server closed the stalled page's connection.
    pub stalled_page_dropped: bool,
    /// Whether the stalled page was still connected during the timed rounds.
    pub stalled_present: bool,
    /// Updates pushed at the stalled page.
    pub flood: usize,
}

pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

pub fn p95(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[(sorted.len() * 95 / 100).min(sorted.len() - 1)]
}

async fn round(host: &mut Client, phone: &mut Client, id: PlayerId, tile: usize) -> f64 {
    let (category, row) = (tile / 10, tile % 10);
    host.send(&ClientMsg::OpenClue { category, row }).await;
    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    // This phone has also been receiving the other phones' rounds: skip to
    // this clue's opening.
    phone
        .expect("this clue", |m| match m {
            ServerMsg::ClueOpened { clue } if clue.category == category && clue.row == row => {
                Some(())
            }
            _ => None,
        })
        .await;
    phone
        .expect("buzzers_opened", |m| {
            matches!(m, ServerMsg::BuzzersOpened).then_some(())
        })
        .await;
    // A person's reaction first (a faster press would count as early).
    tokio::time::sleep(crate::common::REACTION).await;
    let pressed = Instant::now();
    phone
        .send(&ClientMsg::Buzz {
            reaction_ms: None,
            early: false,
        })
        .await;
    phone
        .expect("answering", |m| match m {
            ServerMsg::Answering { player, .. } if *player == id => Some(()),
            _ => None,
        })
        .await;
    let latency = pressed.elapsed().as_secs_f64() * 1000.0;
    host.send(&ClientMsg::Host(HostCommand::RevealAnswer)).await;
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
    host.expect("clue_closed", |m| {
        matches!(m, ServerMsg::ClueClosed { .. }).then_some(())
    })
    .await;
    latency
}

/// Pushes `count` score changes at every page; the reading pages read them
/// all, in batches that fit the room's update buffer.
async fn push_updates(
    host: &mut Resilient,
    projector: &mut Resilient,
    phones: &mut [Resilient],
    player: PlayerId,
    sent: &mut usize,
    count: usize,
) {
    let target = *sent + count;
    while *sent < target {
        let batch = (target - *sent).min(200);
        for _ in 0..batch {
            host.get()
                .send(&ClientMsg::Host(HostCommand::AdjustScore {
                    player,
                    delta: 1,
                }))
                .await;
        }
        *sent += batch;
        let expected = *sent as i64;
        let caught_up = |m: &ServerMsg| match m {
            ServerMsg::ScoreAdjusted { score, .. } if *score == expected => Some(()),
            _ => None,
        };
        let mut readers = vec![host.get(), projector.get()];
        readers.extend(phones.iter_mut().map(|p| p.get()));
        futures_util::future::join_all(
            readers
                .into_iter()
                .map(|client| client.expect("the batch's last score change", caught_up)),
        )
        .await;
    }
}

/// Runs the scenario: `rounds` timed buzzes; then a page that never reads
/// connects, 1000 updates reach it, and `rounds` more timed buzzes run while
/// it is still connected; then `flood` more updates are pushed until the
/// server drops it.
pub async fn run(rounds: usize, flood: usize) -> SlowClientRun {
    let data = temp_dir("slow");
    let boards = temp_dir("slow-boards");
    crate::sim::write_trial_board(&boards);
    let server = Binary::start_with_boards(&data, free_port(), &boards, &[]).expect("starts");
    let room = server.create_room("trials").await;
    let mut host = Resilient::new(
        server.addr,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    // Arrival order, so the figure is the server's own latency, not the window.
    host.get()
        .send(&ClientMsg::SetBuzzSettings {
            mode: buzzboard::game::BuzzMode::FirstArrival,
            early_lockout_ms: 250,
        })
        .await;
    let mut projector = Resilient::new(server.addr, &room.code, "role=board".into());
    projector.connect().await;
    // Three phones take turns to buzz, so no phone buzzes faster than a
    // person could (the server rate-limits each page).
    let mut phones = Vec::new();
    for name in ["Ana", "Ben", "Cy"] {
        let mut phone = Resilient::new(server.addr, &room.code, "role=player".into());
        phone.connect().await;
        phone
            .get()
            .send(&ClientMsg::Join {
                name: name.into(),
                nonce: None,
            })
            .await;
        phone
            .get()
            .expect("welcome", |m| {
                matches!(m, ServerMsg::Welcome { .. }).then_some(())
            })
            .await;
        phones.push(phone);
    }
    let ana_id = PlayerId(1);
    let mut tile = 0;
    let mut baseline_ms = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let id = PlayerId(tile as u32 % 3 + 1);
        let phone = phones[tile % 3].get();
        baseline_ms.push(round(host.get(), phone, id, tile).await);
        tile += 1;
    }
    let rss_before = server.rss_kib();

    // A page with a tiny receive buffer that never reads a byte.
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(server.addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let url = format!("ws://{}/ws/{}?role=board", server.addr, room.code);
    let (stalled, _) = tokio_tungstenite::client_async(url, stream).await.unwrap();

    // Some updates reach it (it reads none of them), then the timed rounds
    // run while it is still connected, then many more updates are pushed at
    // it until the server gives up on it.
    let health = format!("http://{}/healthz", server.addr);
    let connections = || async {
        let status: serde_json::Value = reqwest::get(&health).await.unwrap().json().await.unwrap();
        status["connections"].as_u64().unwrap_or(0)
    };
    let mut sent = 0;
    push_updates(
        &mut host,
        &mut projector,
        &mut phones,
        ana_id,
        &mut sent,
        1_000,
    )
    .await;
    let connected_before = connections().await;

    let mut stalled_ms = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let id = PlayerId(tile as u32 % 3 + 1);
        let phone = phones[tile % 3].get();
        stalled_ms.push(round(host.get(), phone, id, tile).await);
        tile += 1;
    }
    // Host, projector, three phones and the stalled page: six.
    let stalled_present = connected_before == 6 && connections().await == 6;

    push_updates(
        &mut host,
        &mut projector,
        &mut phones,
        ana_id,
        &mut sent,
        flood,
    )
    .await;
    let rss_flooded = server.rss_kib();

    // The server gives up on the stalled page once it cannot write to it
    // for 10 s, and closes it: wait until only the five readers are left.
    let dropped = {
        let deadline = Instant::now() + Duration::from_secs(40);
        let mut dropped = false;
        while Instant::now() < deadline {
            let status: serde_json::Value =
                reqwest::get(&health).await.unwrap().json().await.unwrap();
            // The host, the projector and the three phones.
            if status["connections"] == 5 {
                dropped = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        drop(stalled);
        dropped
    };
    let rss_after = server.rss_kib();
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_dir_all(&boards);
    SlowClientRun {
        baseline_ms,
        stalled_ms,
        rss_kib: [rss_before, rss_flooded, rss_after],
        stalled_page_dropped: dropped,
        stalled_present,
        flood: sent,
    }
}
