//! The crash harness: the real `buzzboard` binary, killed with SIGKILL at a
//! random point of a game and restarted on the same data folder, with
//! clients that reconnect by themselves.
//!
//! Used by `tests/api/reliability.rs` (a few trials) and `benches/reliability.rs`
//! (many), whose figures are in `docs/reliability.md`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use buzzboard::game::HostCommand;
use buzzboard::protocol::{ClientMsg, ServerMsg, Snapshot};

pub use crate::common::temp_dir;
use crate::common::{Client, Room, WAIT};

/// The `buzzboard` binary, running.
pub struct Binary {
    child: Child,
    pub addr: SocketAddr,
    /// Everything it printed on stdout.
    pub stdout: Vec<String>,
    /// Its data folder (games, teacher key).
    pub data_dir: std::path::PathBuf,
    /// What it logged on stderr since it was ready (read all along, so a
    /// chatty server never blocks on a full pipe).
    pub stderr: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free right now on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// How a run of the binary ended before it was ready.
#[derive(Debug)]
pub struct Exited {
    pub code: Option<i32>,
    pub stderr: String,
}

impl Binary {
    /// Starts the binary on `port` with `data_dir`, waiting until it says it
    /// is running. `extra` are more arguments.
    pub fn start(data_dir: &Path, port: u16, extra: &[&str]) -> Result<Binary, Exited> {
        let boards = Path::new(env!("CARGO_MANIFEST_DIR")).join("boards");
        Binary::start_with_boards(data_dir, port, &boards, extra)
    }

    /// Like [`Binary::start`], offering the boards in `boards`.
    pub fn start_with_boards(
        data_dir: &Path,
        port: u16,
        boards: &Path,
        extra: &[&str],
    ) -> Result<Binary, Exited> {
        let public_url = format!("http://127.0.0.1:{port}");
        Binary::launch(data_dir, port, &public_url, boards, extra)
    }

    /// Starts the binary on `port`, its links pointing at `public_url` (a
    /// load balancer in front, say).
    pub fn launch(
        data_dir: &Path,
        port: u16,
        public_url: &str,
        boards: &Path,
        extra: &[&str],
    ) -> Result<Binary, Exited> {
        Binary::launch_logging(data_dir, port, public_url, boards, extra, "warn")
    }

    /// Like [`Binary::start`], logging what `RUST_LOG` says (`info` logs
    /// every request).
    pub fn start_logging(
        data_dir: &Path,
        port: u16,
        extra: &[&str],
        log: &str,
    ) -> Result<Binary, Exited> {
        let boards = Path::new(env!("CARGO_MANIFEST_DIR")).join("boards");
        let public_url = format!("http://127.0.0.1:{port}");
        Binary::launch_logging(data_dir, port, &public_url, &boards, extra, log)
    }

    fn launch_logging(
        data_dir: &Path,
        port: u16,
        public_url: &str,
        boards: &Path,
        extra: &[&str],
        log: &str,
    ) -> Result<Binary, Exited> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_buzzboard"))
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--public-url", public_url])
            .arg("--boards-dir")
            .arg(boards)
            .args(extra)
            .env("RUST_LOG", log)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the buzzboard binary starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let logged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let later = logged.clone();
        std::thread::spawn(move || {
            let mut ready = true;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // Until it is ready its lines go to the caller, then to
                // the log kept for the test.
                if ready && tx.send(line.clone()).is_ok() {
                    continue;
                }
                ready = false;
                if let Ok(mut lines) = later.lock() {
                    lines.push(line);
                }
            }
        });
        let mut lines = Vec::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(line) => {
                    let ready = line.starts_with("Press Ctrl+C");
                    lines.push(line);
                    if ready {
                        break;
                    }
                }
                Err(_) => {
                    let code = child.wait().ok().and_then(|s| s.code());
                    let mut stderr = String::new();
                    if let Some(mut err) = child.stderr.take() {
                        use std::io::Read;
                        let _ = err.read_to_string(&mut stderr);
                    }
                    return Err(Exited { code, stderr });
                }
            }
        }
        if let Some(err) = child.stderr.take() {
            let logged = logged.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(err).lines().map_while(Result::ok) {
                    if let Ok(mut lines) = logged.lock() {
                        lines.push(line);
                    }
                }
            });
        }
        Ok(Binary {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            stdout: lines,
            data_dir: data_dir.to_path_buf(),
            stderr: logged,
        })
    }

    /// SIGKILL: no shutdown, no flushing, nothing.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as a service manager stops it; returns how long it took to
    /// exit and its exit status.
    pub fn terminate(mut self) -> (Duration, Option<i32>) {
        let started = std::time::Instant::now();
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let status = self.child.wait().ok().and_then(|s| s.code());
        (started.elapsed(), status)
    }

    /// The process id, for reading its memory use.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory, in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    /// Creates a room over the API, with the teacher key from the data folder.
    pub async fn create_room(&self, board: &str) -> Room {
        let key = std::fs::read_to_string(self.data_dir.join("teacher.key"))
            .expect("the server keeps its teacher key in its data folder");
        create_room_at(self.addr, key.trim(), board).await
    }
}

/// Creates a room over the API at `addr` with the teacher `key`.
pub async fn create_room_at(addr: SocketAddr, key: &str, board: &str) -> Room {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/api/rooms"))
        .header("x-buzzboard-key", key)
        .json(&serde_json::json!({ "board": board }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// A client that, like the pages, reconnects by itself when the server goes
/// away, with growing delays, and comes back with its seat token.
pub struct Resilient {
    addr: SocketAddr,
    code: String,
    query: String,
    pub client: Option<Client>,
}

impl Resilient {
    pub fn new(addr: SocketAddr, code: &str, query: String) -> Resilient {
        Resilient {
            addr,
            code: code.to_owned(),
            query,
            client: None,
        }
    }

    /// A phone at `addr` that joins room `code` as `name`; returns it
    /// (reconnecting with its seat token from then on) and its player id.
    pub async fn join(
        addr: SocketAddr,
        code: &str,
        name: &str,
    ) -> (Resilient, buzzboard::game::PlayerId) {
        let mut phone = Resilient::new(addr, code, "role=player".into());
        phone.connect().await;
        phone
            .get()
            .send(&ClientMsg::Join {
                name: name.into(),
                nonce: None,
            })
            .await;
        let (id, token) = phone
            .get()
            .expect("welcome", |m| match m {
                ServerMsg::Welcome { player, token, .. } => Some((*player, token.clone())),
                _ => None,
            })
            .await;
        phone.set_query(format!("role=player&token={token}"));
        (phone, id)
    }

    /// Switches to a seat token (after joining).
    pub fn set_query(&mut self, query: String) {
        self.query = query;
    }

    /// The live connection, reconnecting until it succeeds (for up to
    /// [`WAIT`] times two). Returns the snapshot a fresh connection got.
    pub async fn connect(&mut self) -> Option<Snapshot> {
        if self.client.is_some() {
            return None;
        }
        let url = format!("ws://{}/ws/{}?{}", self.addr, self.code, self.query);
        let deadline = tokio::time::Instant::now() + WAIT * 2;
        let mut backoff = Duration::from_millis(20);
        loop {
            if let Ok(stream) = crate::common::open_socket(self.addr, &self.code, &self.query).await
            {
                let mut client = Client::from_stream(stream);
                // A server handing the room over may close a socket it has
                // just accepted; a page then simply reconnects.
                match client.try_next().await {
                    Some(ServerMsg::Snapshot(snapshot)) => {
                        self.client = Some(client);
                        return Some(*snapshot);
                    }
                    Some(other) => panic!("expected a snapshot, got {other:?}"),
                    None => {}
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "could not reconnect to {url}"
            );
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_millis(500));
        }
    }

    /// Forgets a connection that the server closed.
    pub fn lost(&mut self) {
        self.client = None;
    }

    pub fn get(&mut self) -> &mut Client {
        self.client.as_mut().expect("connected")
    }
}

/// One step of the scripted game.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    Open(usize, usize),
    OpenBuzzers,
    Buzz(usize),
    Judge(bool),
    Reveal,
    Close,
    Adjust(usize, i64),
}

/// A game script: clue after clue, with right and wrong answers, reveals,
/// skips and manual adjustments.
pub fn script() -> Vec<Step> {
    let mut steps = Vec::new();
    for i in 0..10 {
        let (category, row) = (i % 5, i / 5);
        steps.push(Step::Open(category, row));
        match i % 4 {
            0 => steps.extend([Step::OpenBuzzers, Step::Buzz(i % 3), Step::Judge(true)]),
            1 => steps.extend([
                Step::OpenBuzzers,
                Step::Buzz(0),
                Step::Judge(false),
                Step::Buzz(2),
                Step::Judge(false),
                Step::Buzz(1),
                Step::Judge(true),
            ]),
            2 => steps.extend([Step::Adjust(1, 25), Step::Reveal]),
            _ => steps.extend([
                Step::OpenBuzzers,
                Step::Buzz(1),
                Step::Judge(false),
                Step::Adjust(2, -10),
            ]),
        }
        steps.push(Step::Close);
    }
    steps
}

/// Carries out one step and waits until the host has seen its effect (so it
/// is acknowledged).
pub async fn run_step(
    step: Step,
    host: &mut Client,
    players: &mut [Resilient],
    ids: &[buzzboard::game::PlayerId],
) {
    let msg = match step {
        Step::Open(category, row) => ClientMsg::OpenClue { category, row },
        Step::OpenBuzzers => ClientMsg::Host(HostCommand::OpenBuzzers),
        Step::Judge(correct) => ClientMsg::Host(HostCommand::Judge { correct }),
        Step::Reveal => ClientMsg::Host(HostCommand::RevealAnswer),
        Step::Close => ClientMsg::Host(HostCommand::CloseClue),
        Step::Adjust(p, delta) => ClientMsg::Host(HostCommand::AdjustScore {
            player: ids[p],
            delta,
        }),
        Step::Buzz(p) => {
            players[p].get().buzz().await;
            let id = ids[p];
            host.expect("answering", |m| {
                matches!(m, ServerMsg::Answering { player, .. } if *player == id).then_some(())
            })
            .await;
            return;
        }
    };
    host.send(&msg).await;
    host.expect("the step's effect", |m| {
        let done = match (step, m) {
            (Step::Open(..), ServerMsg::ClueOpened { .. }) => true,
            (Step::OpenBuzzers, ServerMsg::BuzzersOpened) => true,
            (Step::Judge(_), ServerMsg::Judged { .. }) => true,
            (Step::Reveal, ServerMsg::AnswerRevealed { .. }) => true,
            (Step::Close, ServerMsg::ClueClosed { .. }) => true,
            (Step::Adjust(..), ServerMsg::ScoreAdjusted { .. }) => true,
            (_, ServerMsg::Error { message, .. }) => panic!("{step:?} was refused: {message}"),
            _ => false,
        };
        done.then_some(())
    })
    .await;
}

/// The parts of a host snapshot that must survive a crash: everything but
/// who happens to be connected.
pub fn durable(snapshot: &Snapshot) -> serde_json::Value {
    let mut value = serde_json::to_value(snapshot).unwrap();
    for player in value["players"].as_array_mut().unwrap() {
        player.as_object_mut().unwrap().remove("online");
    }
    value
}

/// What one crash trial found.
#[derive(Debug)]
pub struct CrashTrial {
    /// After how many acknowledged steps the server was killed.
    pub killed_after: usize,
    /// Differences between the acknowledged state and the restored one.
    pub lost: Vec<String>,
}

/// Plays the script up to a kill point, kills the server with SIGKILL,
/// restarts it, lets the clients reconnect, and compares.
pub async fn crash_trial(kill_after: usize) -> CrashTrial {
    let data = temp_dir("crash");
    let port = free_port();
    let server = Binary::start(&data, port, &[]).expect("the server starts");
    let room = server.create_room("rlhf").await;
    let mut host = Resilient::new(
        server.addr,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    host.connect().await;
    let mut players = Vec::new();
    let mut ids = Vec::new();
    for name in ["Ana", "Ben", "Cy"] {
        let (player, id) = Resilient::join(server.addr, &room.code, name).await;
        players.push(player);
        ids.push(id);
    }

    let steps = script();
    let kill_after = kill_after.min(steps.len());
    for &step in &steps[..kill_after] {
        run_step(step, host.get(), &mut players, &ids).await;
    }
    // The state every page has been told, read fresh from the server.
    let mut witness = Resilient::new(
        server.addr,
        &room.code,
        format!("role=host&key={}", room.host_key),
    );
    let before = witness.connect().await.unwrap();
    let players_before: Vec<_> = before.players.clone();

    server.kill9();
    host.lost();
    for player in &mut players {
        player.lost();
    }
    let restarted = Binary::start(&data, port, &[]).expect("the server restarts");

    let after = host.connect().await.unwrap();
    let mut lost = Vec::new();
    if durable(&after) != durable(&before) {
        lost.push(format!(
            "host view differs:\nbefore {}\nafter  {}",
            durable(&before),
            durable(&after)
        ));
    }
    for (index, player) in players.iter_mut().enumerate() {
        let snapshot = player.connect().await.unwrap();
        let you = snapshot.you.map(|y| (y.id, y.name, y.score));
        let expected = players_before
            .get(index)
            .map(|p| (p.id, p.name.clone(), p.score));
        if you != expected {
            lost.push(format!(
                "player {index}: was {expected:?}, came back as {you:?}"
            ));
        }
    }
    // Buzz eligibility: anyone who tried the open clue still cannot buzz.
    if let Some(clue) = &after.clue
        && let Some(&tried) = clue.tried.first()
        && clue.buzzers == buzzboard::protocol::BuzzersView::Open
    {
        let index = ids.iter().position(|&id| id == tried).unwrap();
        let phone = players[index].get();
        phone.buzz().await;
        let answer = phone
            .expect("a reply to the buzz", |m| match m {
                ServerMsg::Error { message, .. } => Some(message.clone()),
                ServerMsg::BuzzReceived => Some("accepted".into()),
                _ => None,
            })
            .await;
        if answer != "You have already tried this clue." {
            lost.push(format!("a player who had tried could buzz again: {answer}"));
        }
    }
    // And the game goes on.
    if lost.is_empty() && kill_after < steps.len() {
        run_step(steps[kill_after], host.get(), &mut players, &ids).await;
    }
    drop(restarted);
    let _ = std::fs::remove_dir_all(&data);
    CrashTrial {
        killed_after: kill_after,
        lost,
    }
}
