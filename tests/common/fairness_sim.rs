//! The fairness harness: simulated players on simulated networks, buzzing
//! against the real server over real WebSockets on 127.0.0.1.
//!
//! Each simulated phone holds a real WebSocket. Its network is simulated in
//! the phone: every message the server sends is "delivered" after the path's
//! downlink delay (plus jitter), every message the phone sends is written to
//! the socket after the uplink delay (plus jitter), and both directions keep
//! their order, as TCP does. The phone answers pings, and when it is shown
//! the buzzers open it presses after its scripted true reaction time and
//! claims that reaction time (or, for a forger, a made-up one).
//!
//! Used by `tests/fair_buzzing.rs` (a short run with a fixed seed that checks
//! the targets) and `benches/fairness.rs` (the large run behind the table in
//! `docs/fairness.md`).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use buzzboard::board::BoardLibrary;
use buzzboard::game::{BuzzMode, PlayerId};
use buzzboard::protocol::{ClientMsg, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use crate::common::{Client, TestServer};

/// One player's network path.
#[derive(Debug, Clone, Copy)]
pub struct Path {
    /// Server to phone, in milliseconds.
    pub down_ms: f64,
    /// Phone to server.
    pub up_ms: f64,
    /// Each message's delay varies by up to this much either way.
    pub jitter_ms: f64,
}

impl Path {
    pub const fn symmetric(rtt_ms: f64, jitter_ms: f64) -> Path {
        Path {
            down_ms: rtt_ms / 2.0,
            up_ms: rtt_ms / 2.0,
            jitter_ms,
        }
    }
}

/// A classroom: the players' paths, and which (if any) forges its claims.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: &'static str,
    pub paths: Vec<Path>,
    /// This player always claims [`FORGED_CLAIM_MS`], whatever its reaction.
    pub forger: Option<usize>,
}

/// What a forger claims: the fastest claim that is not rejected outright as
/// anticipation.
pub const FORGED_CLAIM_MS: f64 = 100.0;

/// The scenarios of issue 3: round trips from 20 to 400 ms, jitter,
/// asymmetric paths, and a forger.
pub fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "round trips 20/100/250/400 ms",
            paths: [20.0, 100.0, 250.0, 400.0]
                .map(|rtt| Path::symmetric(rtt, 0.0))
                .to_vec(),
            forger: None,
        },
        Scenario {
            name: "round trips 20/100/200/300 ms, ±50 ms jitter each way",
            paths: [20.0, 100.0, 200.0, 300.0]
                .map(|rtt| Path::symmetric(rtt, 50.0))
                .to_vec(),
            forger: None,
        },
        Scenario {
            name: "asymmetric paths (10↓/200↑, 200↓/10↑, 50↓/50↑, 150↓/150↑)",
            paths: vec![
                Path {
                    down_ms: 10.0,
                    up_ms: 200.0,
                    jitter_ms: 10.0,
                },
                Path {
                    down_ms: 200.0,
                    up_ms: 10.0,
                    jitter_ms: 10.0,
                },
                Path {
                    down_ms: 50.0,
                    up_ms: 50.0,
                    jitter_ms: 10.0,
                },
                Path {
                    down_ms: 150.0,
                    up_ms: 150.0,
                    jitter_ms: 10.0,
                },
            ],
            forger: None,
        },
        Scenario {
            name: "a forger (round trip 100 ms) claiming 100 ms, vs honest 20 and 300 ms",
            paths: vec![
                Path::symmetric(20.0, 10.0),
                Path::symmetric(300.0, 10.0),
                Path::symmetric(100.0, 10.0),
            ],
            forger: Some(2),
        },
    ]
}

/// One trial's result.
#[derive(Debug, Clone)]
pub struct Trial {
    /// How much faster (true reaction) the fastest player was than the next.
    pub gap_ms: f64,
    /// Whether the truly fastest player won the buzz.
    pub fastest_won: bool,
    /// From the first buzz leaving a phone to the host seeing the winner.
    pub announce_ms: f64,
    /// Forger scenarios: the forger won although an honest player was faster
    /// by more than the forger's checked latency margin.
    pub forger_violation: bool,
    /// Forger scenarios: the forger won.
    pub forger_won: bool,
}

/// A small, seedable random source (SplitMix64), so runs are repeatable.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }
}

fn ms(value: f64) -> Duration {
    Duration::from_secs_f64(value.max(0.0) / 1000.0)
}

/// What a phone is told to do in the next trial.
#[derive(Debug, Clone, Copy)]
struct Script {
    reaction_ms: f64,
    claim_ms: f64,
}

/// What a phone reports back.
#[derive(Debug, Clone, Copy)]
struct Pressed {
    /// When the buzz was written to the socket.
    sent_at: Instant,
    /// The simulated network delay this buzz really had (down + up).
    delay_ms: f64,
}

struct Phone {
    id: PlayerId,
    script: Arc<Mutex<Option<Script>>>,
    pressed: mpsc::UnboundedReceiver<Pressed>,
}

/// Writes the trial board (8 categories of 10 clues) into `dir` as
/// `trials.toml`.
pub fn write_trial_board(dir: &std::path::Path) {
    let mut text = String::from("title = \"Fairness trials\"\n");
    for c in 0..8 {
        text.push_str(&format!("[[category]]\nname = \"C{c}\"\n"));
        for r in 0..10 {
            text.push_str(&format!(
                "[[category.clue]]\nvalue = {}\nclue = \"q\"\nanswer = \"a\"\n",
                (r + 1) * 100
            ));
        }
    }
    std::fs::write(dir.join("trials.toml"), text).unwrap();
}

/// A board big enough for many trials: 8 categories of 10 clues.
pub fn trial_boards() -> BoardLibrary {
    let dir = crate::common::temp_dir("trials");
    write_trial_board(&dir);
    let library = BoardLibrary::load(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(library.problems().is_empty(), "{:?}", library.problems());
    library
}

/// Starts a simulated phone: joins, then runs its network and script.
async fn phone(server: &TestServer, code: &str, name: &str, path: Path, seed: u64) -> Phone {
    let url = format!("ws://{}/ws/{code}?role=player", server.addr);
    let (socket, _) = tokio_tungstenite::connect_async_with_config(url, None, true)
        .await
        .unwrap();
    let (mut sink, mut stream) = socket.split();
    let join = serde_json::to_string(&ClientMsg::Join { name: name.into() }).unwrap();
    sink.send(Message::text(join)).await.unwrap();
    let id = loop {
        let Some(Ok(Message::Text(text))) = stream.next().await else {
            continue;
        };
        if let Ok(ServerMsg::Welcome { player, .. }) = serde_json::from_str(&text) {
            break player;
        }
    };

    let rng = Arc::new(Mutex::new(Rng::new(seed)));
    let jitter = {
        let rng = rng.clone();
        move |base: f64| {
            let j = rng.lock().unwrap().range(-path.jitter_ms, path.jitter_ms);
            (base + j).max(0.0)
        }
    };

    // Uplink: messages leave in order, each after its delay.
    let (up_tx, mut up_rx) = mpsc::unbounded_channel::<(
        Message,
        Instant,
        Option<(mpsc::UnboundedSender<Pressed>, f64)>,
    )>();
    tokio::spawn(async move {
        while let Some((message, at, report)) = up_rx.recv().await {
            tokio::time::sleep_until(at).await;
            if sink.send(message).await.is_err() {
                return;
            }
            if let Some((report, delay_ms)) = report {
                let _ = report.send(Pressed {
                    sent_at: Instant::now(),
                    delay_ms,
                });
            }
        }
    });
    let last_up = Arc::new(Mutex::new(Instant::now()));
    let send_up = {
        let up_tx = up_tx.clone();
        let last_up = last_up.clone();
        let jitter = jitter.clone();
        move |msg: &ClientMsg, report: Option<(mpsc::UnboundedSender<Pressed>, f64)>| -> f64 {
            let delay = jitter(path.up_ms);
            let mut last = last_up.lock().unwrap();
            let at = (Instant::now() + ms(delay)).max(*last);
            *last = at;
            let text = serde_json::to_string(msg).unwrap();
            let report = report.map(|(tx, down)| (tx, down + delay));
            let _ = up_tx.send((Message::text(text), at, report));
            delay
        }
    };

    // Downlink: each message is seen after its delay, in order.
    let (down_tx, mut down_rx) = mpsc::unbounded_channel::<(ServerMsg, Instant, f64)>();
    {
        let jitter = jitter.clone();
        tokio::spawn(async move {
            let mut last = Instant::now();
            while let Some(Ok(frame)) = stream.next().await {
                let Message::Text(text) = frame else { continue };
                let Ok(msg) = serde_json::from_str::<ServerMsg>(&text) else {
                    continue;
                };
                let delay = jitter(path.down_ms);
                let at = (Instant::now() + ms(delay)).max(last);
                last = at;
                if down_tx.send((msg, at, delay)).is_err() {
                    return;
                }
            }
        });
    }

    let script: Arc<Mutex<Option<Script>>> = Arc::default();
    let (pressed_tx, pressed_rx) = mpsc::unbounded_channel();
    {
        let script = script.clone();
        tokio::spawn(async move {
            while let Some((msg, at, down_delay)) = down_rx.recv().await {
                tokio::time::sleep_until(at).await;
                match msg {
                    ServerMsg::Ping { id } => {
                        send_up(&ClientMsg::Pong { id }, None);
                    }
                    ServerMsg::BuzzersOpened => {
                        let Some(plan) = script.lock().unwrap().take() else {
                            continue;
                        };
                        // Shown now; the press comes after the true reaction.
                        let press_at = Instant::now() + ms(plan.reaction_ms);
                        let send_up = send_up.clone();
                        let report = pressed_tx.clone();
                        tokio::spawn(async move {
                            tokio::time::sleep_until(press_at).await;
                            let buzz = ClientMsg::Buzz {
                                reaction_ms: Some(plan.claim_ms),
                            };
                            send_up(&buzz, Some((report, down_delay)));
                        });
                    }
                    _ => {}
                }
            }
        });
    }
    Phone {
        id,
        script,
        pressed: pressed_rx,
    }
}

/// Runs `trials` trials of `scenario` in a fresh room with `mode`.
pub async fn run(
    server: &TestServer,
    scenario: &Scenario,
    mode: BuzzMode,
    trials: usize,
    seed: u64,
) -> Vec<Trial> {
    let mut rng = Rng::new(seed);
    let mut results = Vec::with_capacity(trials);
    let mut done = 0;
    while done < trials {
        // A room has 80 tiles; start another for longer runs.
        let batch = (trials - done).min(80);
        results.extend(run_room(server, scenario, mode, batch, &mut rng).await);
        done += batch;
    }
    results
}

async fn run_room(
    server: &TestServer,
    scenario: &Scenario,
    mode: BuzzMode,
    trials: usize,
    rng: &mut Rng,
) -> Vec<Trial> {
    let room = server.create_room(Some("trials")).await;
    let (mut host, _) = server.host(&room).await;
    host.send(&ClientMsg::SetBuzzSettings {
        mode,
        early_lockout_ms: 250,
    })
    .await;
    let mut phones = Vec::new();
    for (i, path) in scenario.paths.iter().enumerate() {
        phones.push(phone(server, &room.code, &format!("P{i}"), *path, rng.next_u64()).await);
    }
    // Let every phone answer a few pings, so its latency is known.
    tokio::time::sleep(Duration::from_millis(4_500)).await;

    let mut results = Vec::with_capacity(trials);
    for trial in 0..trials {
        let (category, row) = (trial / 10, trial % 10);
        host.send(&ClientMsg::OpenClue { category, row }).await;
        host.expect("clue_opened", |m| {
            matches!(m, ServerMsg::ClueOpened { .. }).then_some(())
        })
        .await;

        // True reactions: one fastest player, the next `gap` behind, the rest further.
        let n = phones.len();
        let fastest = (rng.next_u64() % n as u64) as usize;
        let gap = rng.range(5.0, 60.0);
        let base = rng.range(180.0, 320.0);
        let mut reactions = vec![0.0; n];
        let mut others: Vec<usize> = (0..n).filter(|&i| i != fastest).collect();
        let second = others.remove((rng.next_u64() % others.len() as u64) as usize);
        reactions[fastest] = base;
        reactions[second] = base + gap;
        for &i in &others {
            reactions[i] = base + gap + rng.range(0.0, 150.0);
        }
        for (i, phone) in phones.iter().enumerate() {
            let claim = if scenario.forger == Some(i) {
                FORGED_CLAIM_MS
            } else {
                reactions[i]
            };
            *phone.script.lock().unwrap() = Some(Script {
                reaction_ms: reactions[i],
                claim_ms: claim,
            });
        }

        host.send(&ClientMsg::OpenBuzzers).await;
        let winner = host
            .expect("answering", |m| match m {
                ServerMsg::Answering { player, .. } => Some(*player),
                _ => None,
            })
            .await;
        let announced_at = Instant::now();
        let mut pressed = Vec::with_capacity(n);
        for phone in &mut phones {
            let report = tokio::time::timeout(Duration::from_secs(5), phone.pressed.recv())
                .await
                .expect("a phone never buzzed")
                .unwrap();
            pressed.push(report);
        }
        // Every buzz is audited once settled: wait for all of them, so no
        // buzz of this trial spills into the next clue.
        let mut audited = std::collections::HashMap::new();
        while audited.len() < n {
            let (player, compensation) = host
                .expect("buzz_audit", |m| match m {
                    ServerMsg::BuzzAudit { entry, .. } => {
                        Some((entry.player, entry.compensation_ms))
                    }
                    _ => None,
                })
                .await;
            audited.insert(player, compensation);
        }
        host.send(&ClientMsg::RevealAnswer).await;
        host.send(&ClientMsg::CloseClue).await;
        host.expect("clue_closed", |m| {
            matches!(m, ServerMsg::ClueClosed { .. }).then_some(())
        })
        .await;

        let winner_index = phones.iter().position(|p| p.id == winner).unwrap();
        let first_sent = pressed.iter().map(|p| p.sent_at).min().unwrap();
        let (forger_won, forger_violation) = match scenario.forger {
            None => (false, false),
            Some(f) => {
                let won = winner_index == f;
                let fastest_honest = (0..n)
                    .filter(|&i| i != f)
                    .map(|i| reactions[i])
                    .fold(f64::INFINITY, f64::min);
                // What the forger's claim bought: forgiven delay beyond the
                // delay its buzz really had.
                let forgiven = audited.get(&phones[f].id).copied().unwrap_or(0.0);
                let margin = (forgiven - pressed[f].delay_ms).max(0.0);
                let honest_lead = reactions[f] - fastest_honest;
                // 2 ms for timer resolution.
                (won, won && honest_lead > margin + 2.0)
            }
        };
        results.push(Trial {
            gap_ms: gap,
            fastest_won: winner_index == fastest,
            announce_ms: announced_at
                .saturating_duration_since(first_sent)
                .as_secs_f64()
                * 1000.0,
            forger_violation,
            forger_won,
        });
    }
    host.close().await;
    results
}

/// The figures of one scenario in one mode.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub trials: usize,
    /// Share of trials the truly fastest won, gap ≥ 25 ms.
    pub wide_gap_rate: f64,
    pub wide_gap_trials: usize,
    /// Share for gaps of 10 to 25 ms.
    pub narrow_gap_rate: f64,
    pub narrow_gap_trials: usize,
    /// The slowest announcement after the first buzz left a phone.
    pub max_announce_ms: f64,
    pub forger_violations: usize,
    pub forger_wins: usize,
}

pub fn summarise(trials: &[Trial]) -> Summary {
    let rate = |filter: &dyn Fn(&Trial) -> bool| {
        let chosen: Vec<_> = trials.iter().filter(|t| filter(t)).collect();
        let wins = chosen.iter().filter(|t| t.fastest_won).count();
        (
            if chosen.is_empty() {
                f64::NAN
            } else {
                wins as f64 / chosen.len() as f64
            },
            chosen.len(),
        )
    };
    let (wide_gap_rate, wide_gap_trials) = rate(&|t| t.gap_ms >= 25.0);
    let (narrow_gap_rate, narrow_gap_trials) = rate(&|t| (10.0..25.0).contains(&t.gap_ms));
    Summary {
        trials: trials.len(),
        wide_gap_rate,
        wide_gap_trials,
        narrow_gap_rate,
        narrow_gap_trials,
        max_announce_ms: trials.iter().map(|t| t.announce_ms).fold(0.0, f64::max),
        forger_violations: trials.iter().filter(|t| t.forger_violation).count(),
        forger_wins: trials.iter().filter(|t| t.forger_won).count(),
    }
}

/// A host connection, for tests that want to drive a trial room by hand.
pub type Host = Client;
