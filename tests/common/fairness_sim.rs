//! The fairness harness: simulated players on simulated networks, buzzing
//! against the real server over real WebSockets on 127.0.0.1.
//!
//! Each simulated phone holds a real WebSocket that runs through its own
//! delay proxy: a TCP relay on 127.0.0.1 that holds every chunk of bytes for
//! the path's delay in that direction (plus jitter) and keeps each
//! direction in order, as TCP does. Everything is delayed alike: the game's
//! messages, the app-level pings the phone's "script" answers, and the
//! WebSocket protocol pings its WebSocket library answers, as a browser's
//! network stack would. When a phone is shown the buzzers open it presses
//! after its scripted true reaction time and claims that reaction time.
//!
//! Cheats, from issue 11: a forger claims a made-up fast reaction; a pong
//! inflater answers app-level pings late and claims a fast reaction; an
//! early presser presses before its screen shows "open"; an instant bot
//! buzzes the moment "open" arrives and claims a human-looking reaction.
//!
//! Used by `tests/api/fair_buzzing.rs` (a short run with fixed seeds that
//! checks the targets) and `benches/fairness.rs` (the large run behind the
//! table in `docs/fairness.md`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use buzzboard::board::BoardLibrary;
use buzzboard::game::{BuzzMode, HostCommand, PlayerId};
use buzzboard::protocol::{ClientMsg, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
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
    /// Each chunk's delay varies by up to this much either way.
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

/// How a simulated phone behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Behaviour {
    /// Presses after its true reaction and claims it.
    Honest,
    /// Claims this reaction time, whatever its true one.
    Forger { claim_ms: f64 },
    /// Answers app-level pings this late, and claims this reaction.
    PongInflater { delay_ms: f64, claim_ms: f64 },
    /// Presses this long before its screen shows "open" (timed from when
    /// the host opens the buzzers plus its downlink delay), with no claim.
    EarlyPresser { before_ms: f64 },
    /// Presses 1 ms after "open" arrives, claiming this reaction.
    InstantBot { claim_ms: f64 },
}

impl Behaviour {
    fn is_cheat(self) -> bool {
        self != Behaviour::Honest
    }

    /// Cheats whose presses must always count as early.
    fn must_be_locked_out(self) -> bool {
        matches!(
            self,
            Behaviour::EarlyPresser { .. } | Behaviour::InstantBot { .. }
        )
    }
}

/// A classroom: each player's path and behaviour.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: &'static str,
    pub players: Vec<(Path, Behaviour)>,
}

impl Scenario {
    fn honest(name: &'static str, paths: Vec<Path>) -> Scenario {
        Scenario {
            name,
            players: paths.into_iter().map(|p| (p, Behaviour::Honest)).collect(),
        }
    }

    /// Whether any player cheats.
    pub fn has_cheat(&self) -> bool {
        self.players.iter().any(|(_, b)| b.is_cheat())
    }
}

/// The scenarios of issues 3 and 11.
pub fn scenarios() -> Vec<Scenario> {
    let honest = |rtt: f64, jitter: f64| (Path::symmetric(rtt, jitter), Behaviour::Honest);
    vec![
        Scenario::honest(
            "round trips 20/100/250/400 ms",
            [20.0, 100.0, 250.0, 400.0]
                .map(|rtt| Path::symmetric(rtt, 0.0))
                .to_vec(),
        ),
        Scenario::honest(
            "round trips 20/100/200/300 ms, ±50 ms jitter each way",
            [20.0, 100.0, 200.0, 300.0]
                .map(|rtt| Path::symmetric(rtt, 50.0))
                .to_vec(),
        ),
        Scenario::honest(
            "asymmetric paths (10↓/200↑, 200↓/10↑, 50↓/50↑, 150↓/150↑)",
            vec![
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
        ),
        Scenario {
            name: "a forger (round trip 100 ms) claiming 100 ms, vs honest 20 and 300 ms",
            players: vec![
                honest(20.0, 10.0),
                honest(300.0, 10.0),
                (
                    Path::symmetric(100.0, 10.0),
                    Behaviour::Forger { claim_ms: 100.0 },
                ),
            ],
        },
        Scenario {
            name: "a pong inflater (round trip 100 ms, app pongs 200 ms late, claims 100 ms), vs honest 20 and 300 ms",
            players: vec![
                honest(20.0, 10.0),
                honest(300.0, 10.0),
                (
                    Path::symmetric(100.0, 10.0),
                    Behaviour::PongInflater {
                        delay_ms: 200.0,
                        claim_ms: 100.0,
                    },
                ),
            ],
        },
        Scenario {
            name: "early pressers (round trips 100 and 250 ms, 50 ms before their screen opens), vs honest 20 and 300 ms",
            players: vec![
                honest(20.0, 5.0),
                honest(300.0, 5.0),
                (
                    Path::symmetric(100.0, 5.0),
                    Behaviour::EarlyPresser { before_ms: 50.0 },
                ),
                (
                    Path::symmetric(250.0, 5.0),
                    Behaviour::EarlyPresser { before_ms: 50.0 },
                ),
            ],
        },
        Scenario {
            name: "an instant bot (round trip 20 ms, buzzes 1 ms after open, claims 150 ms), vs honest 20 and 100 ms",
            players: vec![
                honest(20.0, 5.0),
                honest(100.0, 5.0),
                (
                    Path::symmetric(20.0, 1.0),
                    Behaviour::InstantBot { claim_ms: 150.0 },
                ),
            ],
        },
        Scenario::honest(
            "a classroom: 6 phones on the LAN (4-10 ms), 2 remote (40 and 60 ms)",
            vec![
                Path::symmetric(4.0, 1.0),
                Path::symmetric(5.0, 1.0),
                Path::symmetric(6.0, 2.0),
                Path::symmetric(8.0, 2.0),
                Path::symmetric(10.0, 2.0),
                Path::symmetric(10.0, 2.0),
                Path::symmetric(40.0, 5.0),
                Path::symmetric(60.0, 5.0),
            ],
        ),
    ]
}

/// The audit verdicts of a press that counts as early.
const EARLY_VERDICTS: [&str; 3] = ["early", "anticipated", "impossible"];

/// One trial's result.
#[derive(Debug, Clone)]
pub struct Trial {
    /// How much faster (true reaction) the fastest honest player was than the next.
    pub gap_ms: f64,
    /// Whether the truly fastest honest player won the buzz.
    pub fastest_won: bool,
    /// From the first buzz leaving a phone to the host seeing the winner.
    pub announce_ms: f64,
    /// From the winning buzz reaching the server to the host seeing the
    /// winner: how long the room waited before it was certain.
    pub settle_ms: f64,
    /// A cheater won.
    pub cheater_won: bool,
    /// A cheater won although an honest player was faster by more than the
    /// cheater's checked margin (what it was forgiven beyond the delay its
    /// buzz really had).
    pub violation: bool,
    /// The cheater's largest unfair lead: how much faster the fastest honest
    /// player was, when a cheater won (0 otherwise).
    pub unfair_ms: f64,
    /// Presses by cheaters that must be early, and how many of them were
    /// counted as early.
    pub must_lock: usize,
    pub locked: usize,
}

/// A small, seedable random source, so runs are repeatable.
pub use buzzboard::seeded::SplitMix64 as Rng;

fn ms(value: f64) -> Duration {
    Duration::from_secs_f64(value.max(0.0) / 1000.0)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Relays one TCP connection to `server`, holding each chunk of bytes for
/// its direction's delay. Returns the address the phone connects to.
async fn delay_proxy(server: SocketAddr, path: Path, seed: u64) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let Ok((phone, _)) = listener.accept().await else {
            return;
        };
        let Ok(upstream) = TcpStream::connect(server).await else {
            return;
        };
        let _ = phone.set_nodelay(true);
        let _ = upstream.set_nodelay(true);
        let rng = Arc::new(Mutex::new(Rng::new(seed)));
        let (phone_read, phone_write) = phone.into_split();
        let (server_read, server_write) = upstream.into_split();
        tokio::spawn(pump(
            phone_read,
            server_write,
            path.up_ms,
            path.jitter_ms,
            rng.clone(),
        ));
        tokio::spawn(pump(
            server_read,
            phone_write,
            path.down_ms,
            path.jitter_ms,
            rng,
        ));
    });
    addr
}

/// One direction of the relay: chunks leave in order, each after its delay.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay_ms: f64,
    jitter_ms: f64,
    rng: Arc<Mutex<Rng>>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(Vec<u8>, Instant)>();
    tokio::spawn(async move {
        while let Some((bytes, at)) = rx.recv().await {
            tokio::time::sleep_until(at).await;
            if to.write_all(&bytes).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    });
    let mut last = Instant::now();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let jitter = rng.lock().unwrap().range(-jitter_ms, jitter_ms);
        let at = (Instant::now() + ms(delay_ms + jitter)).max(last);
        last = at;
        if tx.send((buf[..n].to_vec(), at)).is_err() {
            return;
        }
    }
}

/// What a phone is told to do in the next trial.
#[derive(Debug, Clone, Copy)]
struct Script {
    reaction_ms: f64,
    claim_ms: Option<f64>,
}

/// What a phone reports back about its press.
#[derive(Debug, Clone, Copy)]
struct Pressed {
    /// When the buzz was written to the socket.
    sent_at: Instant,
    /// When the phone's screen showed "open", if it had.
    shown_at: Option<Instant>,
}

struct Phone {
    id: PlayerId,
    behaviour: Behaviour,
    path: Path,
    script: Arc<Mutex<Option<Script>>>,
    out: mpsc::UnboundedSender<ClientMsg>,
    pressed_tx: mpsc::UnboundedSender<Pressed>,
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

/// Starts a simulated phone behind its delay proxy: joins, then runs its
/// script.
async fn phone(
    server: &TestServer,
    code: &str,
    name: &str,
    (path, behaviour): (Path, Behaviour),
    seed: u64,
) -> Phone {
    let proxy = delay_proxy(server.addr, path, seed).await;
    let socket = crate::common::open_socket(proxy, code, "role=player")
        .await
        .unwrap();
    let (mut sink, mut stream) = socket.split();
    let join = serde_json::to_string(&ClientMsg::Join {
        name: name.into(),
        nonce: None,
    })
    .unwrap();
    sink.send(Message::text(join)).await.unwrap();
    let id = loop {
        let Some(Ok(Message::Text(text))) = stream.next().await else {
            continue;
        };
        if let Ok(ServerMsg::Welcome { player, .. }) = serde_json::from_str(&text) {
            break player;
        }
    };

    // The phone's messages go out in order through one writer.
    let (out, mut out_rx) = mpsc::unbounded_channel::<ClientMsg>();
    tokio::spawn(async move {
        while let Some(msg) = out_rx.recv().await {
            let text = serde_json::to_string(&msg).unwrap();
            if sink.send(Message::text(text)).await.is_err() {
                return;
            }
        }
    });

    let script: Arc<Mutex<Option<Script>>> = Arc::default();
    let (pressed_tx, pressed_rx) = mpsc::unbounded_channel();
    {
        let script = script.clone();
        let out = out.clone();
        let report = pressed_tx.clone();
        // The reader runs all the time, as a browser's does: protocol pings
        // are answered by the WebSocket library as they are read.
        tokio::spawn(async move {
            while let Some(Ok(frame)) = stream.next().await {
                let Message::Text(text) = frame else { continue };
                let Ok(msg) = serde_json::from_str::<ServerMsg>(&text) else {
                    continue;
                };
                let messages = match msg {
                    ServerMsg::Batch { messages } => messages,
                    one => vec![one],
                };
                for msg in messages {
                    match msg {
                        ServerMsg::Ping { id } => match behaviour {
                            Behaviour::PongInflater { delay_ms, .. } => {
                                let out = out.clone();
                                tokio::spawn(async move {
                                    tokio::time::sleep(ms(delay_ms)).await;
                                    let _ = out.send(ClientMsg::Pong { id });
                                });
                            }
                            _ => {
                                let _ = out.send(ClientMsg::Pong { id });
                            }
                        },
                        ServerMsg::BuzzersOpened => {
                            let Some(plan) = script.lock().unwrap().take() else {
                                continue;
                            };
                            // Shown now; the press comes after the reaction.
                            let shown_at = Instant::now();
                            let press_at = shown_at + ms(plan.reaction_ms);
                            let out = out.clone();
                            let report = report.clone();
                            tokio::spawn(async move {
                                tokio::time::sleep_until(press_at).await;
                                let _ = out.send(ClientMsg::Buzz {
                                    reaction_ms: plan.claim_ms,
                                    early: false,
                                });
                                let _ = report.send(Pressed {
                                    sent_at: Instant::now(),
                                    shown_at: Some(shown_at),
                                });
                            });
                        }
                        _ => {}
                    }
                }
            }
        });
    }
    Phone {
        id,
        behaviour,
        path,
        script,
        out,
        pressed_tx,
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
    for (i, player) in scenario.players.iter().enumerate() {
        phones.push(
            phone(
                server,
                &room.code,
                &format!("P{i}"),
                *player,
                rng.next_u64(),
            )
            .await,
        );
    }
    // Let every phone answer a few probes, so its latency is known.
    tokio::time::sleep(Duration::from_millis(4_500)).await;

    let mut results = Vec::with_capacity(trials);
    for trial in 0..trials {
        let (category, row) = (trial / 10, trial % 10);
        results.push(one_trial(&mut host, &mut phones, category, row, rng).await);
    }
    host.close().await;
    results
}

async fn one_trial(
    host: &mut Client,
    phones: &mut [Phone],
    category: usize,
    row: usize,
    rng: &mut Rng,
) -> Trial {
    host.send(&ClientMsg::OpenClue { category, row }).await;
    host.expect("clue_opened", |m| {
        matches!(m, ServerMsg::ClueOpened { .. }).then_some(())
    })
    .await;

    // True reactions: one fastest honest player, the next `gap` behind, the
    // rest further.
    let n = phones.len();
    let honest: Vec<usize> = (0..n)
        .filter(|&i| !phones[i].behaviour.is_cheat())
        .collect();
    let fastest = honest[(rng.next_u64() % honest.len() as u64) as usize];
    let gap = rng.range(5.0, 60.0);
    let base = rng.range(180.0, 320.0);
    let mut reactions = vec![0.0; n];
    let mut others: Vec<usize> = (0..n).filter(|&i| i != fastest).collect();
    let second = others.remove((rng.next_u64() % others.len() as u64) as usize);
    reactions[fastest] = base;
    reactions[second] = base + gap;
    for &i in &others {
        // Cheaters draw from the same spread, from just below the fastest.
        let from = if phones[i].behaviour.is_cheat() {
            -30.0
        } else {
            gap
        };
        reactions[i] = base + from + rng.range(0.0, 150.0);
    }
    for (i, phone) in phones.iter().enumerate() {
        let plan = match phone.behaviour {
            Behaviour::Honest => Some(Script {
                reaction_ms: reactions[i],
                claim_ms: Some(reactions[i]),
            }),
            Behaviour::Forger { claim_ms } | Behaviour::PongInflater { claim_ms, .. } => {
                Some(Script {
                    reaction_ms: reactions[i],
                    claim_ms: Some(claim_ms),
                })
            }
            Behaviour::InstantBot { claim_ms } => Some(Script {
                reaction_ms: 1.0,
                claim_ms: Some(claim_ms),
            }),
            Behaviour::EarlyPresser { .. } => None,
        };
        *phone.script.lock().unwrap() = plan;
    }

    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    let opening = Instant::now();
    for phone in phones.iter() {
        if let Behaviour::EarlyPresser { before_ms } = phone.behaviour {
            // Its screen will show "open" after its downlink delay.
            let press_at = opening + ms(phone.path.down_ms - before_ms);
            let (out, report) = (phone.out.clone(), phone.pressed_tx.clone());
            tokio::spawn(async move {
                tokio::time::sleep_until(press_at).await;
                let _ = out.send(ClientMsg::Buzz {
                    reaction_ms: None,
                    early: false,
                });
                let _ = report.send(Pressed {
                    sent_at: Instant::now(),
                    shown_at: None,
                });
            });
        }
    }
    // Every press is audited: read until the winner is named and every
    // press has its line, so no press of this trial spills into the next.
    let mut opened_seen = None;
    let mut named = None;
    let mut audited = HashMap::new();
    while named.is_none() || audited.len() < n {
        match host.next().await {
            ServerMsg::BuzzersOpened => opened_seen = Some(Instant::now()),
            ServerMsg::Answering { player, .. } => named = Some((player, Instant::now())),
            ServerMsg::BuzzAudit { entry, .. } => {
                audited.insert(entry.player, entry);
            }
            _ => {}
        }
    }
    let (winner, announced_at) = named.unwrap();
    let opened_seen = opened_seen.expect("the host saw the buzzers open");
    let mut pressed = Vec::with_capacity(n);
    for phone in phones.iter_mut() {
        let report = tokio::time::timeout(Duration::from_secs(5), phone.pressed.recv())
            .await
            .expect("a phone never buzzed")
            .unwrap();
        pressed.push(report);
    }
    host.send(&ClientMsg::Host(HostCommand::RevealAnswer)).await;
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
    host.expect("clue_closed", |m| {
        matches!(m, ServerMsg::ClueClosed { .. }).then_some(())
    })
    .await;

    let winner_index = phones.iter().position(|p| p.id == winner).unwrap();
    let counted = |i: usize| {
        let verdict = serde_json::to_value(audited[&phones[i].id].verdict).unwrap();
        !EARLY_VERDICTS.contains(&verdict.as_str().unwrap_or(""))
    };
    // From the first press that counted (an early press is no buzz).
    let first_sent = (0..n)
        .filter(|&i| counted(i))
        .map(|i| pressed[i].sent_at)
        .min()
        .unwrap_or(announced_at);
    let fastest_honest = honest
        .iter()
        .map(|&i| reactions[i])
        .fold(f64::INFINITY, f64::min);
    let cheater = phones[winner_index].behaviour.is_cheat();
    let mut violation = false;
    let mut unfair_ms = 0.0;
    if cheater {
        let entry = &audited[&winner];
        // The delay the cheater's buzz really had: the server's elapsed
        // time minus the time between its screen opening and its press.
        let real_delay = match pressed[winner_index].shown_at {
            Some(shown) => {
                entry.elapsed_ms.unwrap_or(0.0) - millis(pressed[winner_index].sent_at - shown)
            }
            None => 0.0,
        };
        let margin = (entry.compensation_ms - real_delay).max(0.0);
        let lead = reactions[winner_index] - fastest_honest;
        unfair_ms = lead.max(0.0);
        // 2 ms for timer resolution.
        violation = lead > margin + 2.0;
    }
    let mut must_lock = 0;
    let mut locked = 0;
    for phone in phones.iter() {
        if phone.behaviour.must_be_locked_out() {
            must_lock += 1;
            let verdict = serde_json::to_value(audited[&phone.id].verdict).unwrap();
            if EARLY_VERDICTS.contains(&verdict.as_str().unwrap_or("")) {
                locked += 1;
            }
        }
    }
    let winner_arrival = audited[&winner]
        .elapsed_ms
        .map(|e| opened_seen + ms(e))
        .unwrap_or(announced_at);
    Trial {
        gap_ms: gap,
        fastest_won: winner_index == fastest,
        announce_ms: millis(announced_at.saturating_duration_since(first_sent)),
        settle_ms: millis(announced_at.saturating_duration_since(winner_arrival)),
        cheater_won: cheater,
        violation,
        unfair_ms,
        must_lock,
        locked,
    }
}

/// The figures of one scenario in one mode.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub trials: usize,
    /// Share of trials the truly fastest honest player won, gap ≥ 25 ms.
    pub wide_gap_rate: f64,
    pub wide_gap_trials: usize,
    /// Share for gaps of 10 to 25 ms.
    pub narrow_gap_rate: f64,
    pub narrow_gap_trials: usize,
    /// The slowest announcement after the first buzz left a phone.
    pub max_announce_ms: f64,
    /// From the winning buzz's arrival to the announcement: median and 99th
    /// percentile.
    pub settle_p50_ms: f64,
    pub settle_p99_ms: f64,
    pub cheater_wins: usize,
    pub violations: usize,
    /// The largest lead an honest player had when a cheater won.
    pub max_unfair_ms: f64,
    /// Presses that had to be early, and how many were.
    pub must_lock: usize,
    pub locked: usize,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
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
    let mut settle: Vec<f64> = trials.iter().map(|t| t.settle_ms).collect();
    settle.sort_by(f64::total_cmp);
    Summary {
        trials: trials.len(),
        wide_gap_rate,
        wide_gap_trials,
        narrow_gap_rate,
        narrow_gap_trials,
        max_announce_ms: trials.iter().map(|t| t.announce_ms).fold(0.0, f64::max),
        settle_p50_ms: percentile(&settle, 0.5),
        settle_p99_ms: percentile(&settle, 0.99),
        cheater_wins: trials.iter().filter(|t| t.cheater_won).count(),
        violations: trials.iter().filter(|t| t.violation).count(),
        max_unfair_ms: trials.iter().map(|t| t.unfair_ms).fold(0.0, f64::max),
        must_lock: trials.iter().map(|t| t.must_lock).sum(),
        locked: trials.iter().map(|t| t.locked).sum(),
    }
}

/// A host connection, for tests that want to drive a trial room by hand.
pub type Host = Client;
