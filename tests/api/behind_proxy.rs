//! Issue 24: the server behind the reverse proxies a school puts in front
//! of it, each with the configuration `deploy/` ships (the real nginx and
//! Caddy from Debian's packages, on loopback ports): a game is played
//! through it, WebSockets included, and the per-address limits count the
//! address the proxy forwards, never one a client made up.
//!
//! Needs Debian's `nginx` and `caddy` (skips without them, fails under CI).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use buzzboard::game::HostCommand;
use buzzboard::protocol::{ClientMsg, ServerMsg};
use tokio::time::Instant;

use crate::common::{self, Client, TestServer};

/// A reverse proxy running for one test; stopped when dropped.
struct Proxy {
    child: std::process::Child,
    addr: SocketAddr,
    _dir: PathBuf,
}

impl Proxy {
    /// Starts `command`, a proxy listening on loopback `port` with its
    /// files in `dir`, and waits until it answers. Its output goes
    /// nowhere, so nothing it leaves behind holds the test's output open.
    async fn start(mut command: std::process::Command, port: u16, dir: PathBuf) -> Proxy {
        let child = command
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut proxy = Proxy {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            _dir: dir,
        };
        wait_until_up(&mut proxy).await;
        proxy
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The program, or `None` (the test says it skipped; under CI it fails).
fn program(name: &str, places: &[&str]) -> Option<PathBuf> {
    let found = places.iter().map(PathBuf::from).find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is needed for this test (apt-get install {name})"
        );
        eprintln!("skipped: {name} is not installed");
    }
    found
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The shipped proxy settings, pointed at `server` instead of port 3000.
fn shipped(path: &str, server: SocketAddr) -> String {
    let text = std::fs::read_to_string(repo(path)).unwrap();
    assert!(
        text.contains("127.0.0.1:3000"),
        "{path} proxies to port 3000"
    );
    text.replace("127.0.0.1:3000", &server.to_string())
}

/// Waits until the proxy answers for the server behind it.
async fn wait_until_up(proxy: &mut Proxy) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(response) = reqwest::get(format!("http://{}/healthz", proxy.addr)).await
            && response.status().is_success()
        {
            return;
        }
        if let Ok(Some(status)) = proxy.child.try_wait() {
            panic!("the proxy stopped: {status}");
        }
        assert!(Instant::now() < deadline, "the proxy did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn nginx(server: SocketAddr) -> Option<Proxy> {
    let bin = program("nginx", &["/usr/sbin/nginx", "/usr/bin/nginx"])?;
    let dir = common::temp_dir("nginx");
    let port = free_port();
    std::fs::write(
        dir.join("buzzboard-proxy.conf"),
        shipped("deploy/nginx/buzzboard-proxy.conf", server),
    )
    .unwrap();
    let d = dir.display();
    // The site of deploy/nginx/buzzboard.conf without TLS, on a loopback
    // port, including the shipped proxy settings.
    // One process (no master and workers), so stopping it stops all of it.
    let conf = format!(
        "{user}
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            include {d}/buzzboard-proxy.conf;
        }}
    }}
}}
",
        // As root when the test runs as root (CI), so it can write the
        // temporary folders.
        user = if is_root() { "user root;" } else { "" }
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let mut command = std::process::Command::new(bin);
    command
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .arg("-p")
        .arg(&dir)
        .arg("-e")
        .arg(dir.join("error.log"))
        .arg("-g")
        .arg("daemon off;");
    Some(Proxy::start(command, port, dir).await)
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

async fn caddy(server: SocketAddr) -> Option<Proxy> {
    let bin = program("caddy", &["/usr/bin/caddy", "/usr/local/bin/caddy"])?;
    let dir = common::temp_dir("caddy");
    let port = free_port();
    std::fs::write(
        dir.join("buzzboard-proxy.caddy"),
        shipped("deploy/buzzboard-proxy.caddy", server),
    )
    .unwrap();
    // The site of deploy/Caddyfile on a loopback port, over plain HTTP
    // (a domain name gets its certificate by itself), importing the
    // shipped proxy settings.
    let caddyfile = format!(
        "{{
\tadmin off
\tauto_https off
}}
http://127.0.0.1:{port} {{
\timport {}/buzzboard-proxy.caddy
}}
",
        dir.display()
    );
    std::fs::write(dir.join("Caddyfile"), caddyfile).unwrap();
    let mut command = std::process::Command::new(bin);
    command
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(dir.join("Caddyfile"))
        .env("HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .env("XDG_CONFIG_HOME", &dir);
    Some(Proxy::start(command, port, dir).await)
}

/// A WebSocket to `path` through the proxy.
async fn socket(proxy: SocketAddr, path: &str) -> Client {
    let stream = crate::common::open_socket_at(&format!("ws://{proxy}{path}"))
        .await
        .unwrap();
    Client::from_stream(stream)
}

/// A game through the proxy: a teacher starts it, a phone loads its page
/// and joins, the host opens a clue and its buzzers, the phone buzzes and
/// is named; then per-address limits: one client sweeping room codes is
/// slowed whatever X-Forwarded-For it makes up, and another client is not.
async fn play_through(proxy: SocketAddr, server: &TestServer) {
    let http = reqwest::Client::new();
    let started: serde_json::Value = http
        .post(format!("http://{proxy}/api/rooms"))
        .header("x-buzzboard-key", server.state.teacher_key().as_str())
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = started["code"].as_str().unwrap().to_owned();
    let host_key = started["host_key"].as_str().unwrap().to_owned();
    let page = http
        .get(format!("http://{proxy}/play/{code}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);

    let mut host = socket(proxy, &format!("/ws/{code}?role=host&key={host_key}")).await;
    host.snapshot().await;
    let mut phone = socket(proxy, &format!("/ws/{code}?role=player")).await;
    phone.snapshot().await;
    phone
        .send(&ClientMsg::Join {
            name: "Ana".into(),
            nonce: None,
        })
        .await;
    let ana = phone
        .expect("a seat", |m| match m {
            ServerMsg::Welcome { player, .. } => Some(*player),
            _ => None,
        })
        .await;
    host.send(&ClientMsg::OpenClue {
        category: 0,
        row: 0,
    })
    .await;
    host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    phone.await_buzzers_open().await;
    // A human's reaction: a press sooner than 100 ms after the buzzers
    // open is anticipation, here as anywhere.
    tokio::time::sleep(Duration::from_millis(200)).await;
    phone
        .send(&ClientMsg::Buzz {
            reaction_ms: Some(190.0),
            early: false,
        })
        .await;
    host.expect("Ana answering", |m| {
        matches!(m, ServerMsg::Answering { player, .. } if *player == ana).then_some(())
    })
    .await;

    // Per-address limits behind the proxy: the sweeper's own address
    // counts, not the one it writes in X-Forwarded-For.
    let sweeper = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 3]))
        .build()
        .unwrap();
    let mut refused = 0;
    for i in 0..80 {
        let status = sweeper
            .get(format!("http://{proxy}/join?code=ZZ{i:03}"))
            .header("x-forwarded-for", format!("203.0.113.{}", i % 250))
            .send()
            .await
            .unwrap()
            .status();
        match status.as_u16() {
            404 => {}
            429 => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert!(refused >= 15, "the sweep was slowed: {refused} refused");
    let others = http
        .get(format!("http://{proxy}/play/{code}"))
        .send()
        .await
        .unwrap();
    assert_eq!(others.status(), 200, "another address is not slowed");
}

fn behind_a_proxy() -> buzzboard::web::Limits {
    buzzboard::web::Limits {
        trust_proxy: true,
        ..buzzboard::web::Limits::default()
    }
}

#[tokio::test]
async fn a_game_is_played_through_nginx_with_the_shipped_settings() {
    let server = TestServer::start_limited(behind_a_proxy()).await;
    let Some(proxy) = nginx(server.addr).await else {
        return;
    };
    play_through(proxy.addr, &server).await;
}

#[tokio::test]
async fn a_game_is_played_through_caddy_with_the_shipped_settings() {
    let server = TestServer::start_limited(behind_a_proxy()).await;
    let Some(proxy) = caddy(server.addr).await else {
        return;
    };
    play_through(proxy.addr, &server).await;
}

/// The shipped systemd unit is one systemd accepts (checked by
/// `systemd-analyze verify` with the unit pointed at the built binary).
#[test]
fn the_shipped_systemd_unit_is_valid() {
    let Some(analyze) = program(
        "systemd-analyze",
        &["/usr/bin/systemd-analyze", "/bin/systemd-analyze"],
    ) else {
        return;
    };
    let dir = common::temp_dir("unit");
    let unit = std::fs::read_to_string(repo("deploy/buzzboard.service"))
        .unwrap()
        .replace("/usr/local/bin/buzzboard", env!("CARGO_BIN_EXE_buzzboard"));
    let path = dir.join("buzzboard.service");
    std::fs::write(&path, unit).unwrap();
    let out = std::process::Command::new(analyze)
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("buzzboard.service:"), "{said}");
}
