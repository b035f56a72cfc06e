//! A cluster on loopback: a real PostgreSQL server in a temporary folder,
//! real `buzzboard` servers on it, and real HAProxy in front with the
//! shipped `deploy/haproxy.cfg`.
//!
//! Used by `tests/api/cluster.rs` (the failover test) and
//! `benches/capacity.rs` (`CAPACITY_CLUSTER=1`). PostgreSQL and HAProxy
//! come from Debian's packages (`.ci/run` installs them); PostgreSQL refuses
//! to run as root, so under root it runs as the `postgres` user.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Room;
use crate::fault::{Binary, free_port, temp_dir};

/// A PostgreSQL server of its own, stopped (immediately) when dropped.
pub struct Postgres {
    bin: PathBuf,
    root: PathBuf,
    data: PathBuf,
    user: Option<&'static str>,
    pub port: u16,
}

/// Runs a PostgreSQL program, as the `postgres` user when this is root.
fn pg_command(bin: &Path, program: &str, user: Option<&str>) -> Command {
    match user {
        Some(user) => {
            let mut command = Command::new("runuser");
            command.args(["-u", user, "--"]).arg(bin.join(program));
            command
        }
        None => Command::new(bin.join(program)),
    }
}

/// Whether PostgreSQL and HAProxy are installed. Without them: fails under
/// CI (`CI` set), otherwise says the test skipped and returns `false`, like
/// the browser tests without Chromium.
pub fn available() -> bool {
    let postgres = find_postgres_bin().is_some();
    let haproxy = Command::new("haproxy")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if postgres && haproxy {
        return true;
    }
    let missing = match (postgres, haproxy) {
        (false, false) => "postgresql haproxy",
        (false, true) => "postgresql",
        _ => "haproxy",
    };
    if std::env::var_os("CI").is_some() {
        panic!(
            "CI is set but the cluster tests' packages are missing: apt-get install -y {missing}"
        );
    }
    eprintln!("SKIPPED: cluster test needs PostgreSQL and HAProxy (apt-get install -y {missing})");
    false
}

fn find_postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .filter(|bin| bin.join("postgres").exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop()
}

fn postgres_bin() -> PathBuf {
    find_postgres_bin().expect(
        "PostgreSQL is not installed (apt-get install postgresql; .ci/run installs it): \
         the cluster tests need a real PostgreSQL server",
    )
}

impl Postgres {
    /// Creates a database cluster in a temporary folder and starts it on a
    /// free loopback port.
    pub fn start() -> Postgres {
        let bin = postgres_bin();
        let root = temp_dir("postgres");
        let is_root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        let user = is_root.then_some("postgres");
        if let Some(user) = user {
            let status = Command::new("chown")
                .args(["-R", user])
                .arg(&root)
                .status()
                .unwrap();
            assert!(status.success(), "cannot give {} to {user}", root.display());
        }
        let data = root.join("data");
        let init = pg_command(&bin, "initdb", user)
            .arg("-D")
            .arg(&data)
            .args(["-U", "buzzboard", "--auth=trust", "--no-sync"])
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(
            init.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let port = free_port();
        let started = pg_command(&bin, "pg_ctl", user)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(root.join("log"))
            .args([
                "-w",
                "-o",
                &format!(
                    "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=50",
                    root.display()
                ),
                "start",
            ])
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(
            started.status.success(),
            "PostgreSQL did not start: {}\n{}",
            String::from_utf8_lossy(&started.stderr),
            std::fs::read_to_string(root.join("log")).unwrap_or_default()
        );
        Postgres {
            bin,
            root,
            data,
            user,
            port,
        }
    }

    /// Restarts the server (a fast shutdown: every connection is cut), and
    /// waits until it answers again.
    pub fn restart(&self) {
        let restarted = pg_command(&self.bin, "pg_ctl", self.user)
            .arg("-D")
            .arg(&self.data)
            .args(["-w", "-m", "fast", "restart"])
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(
            restarted.status.success(),
            "PostgreSQL did not restart: {}",
            String::from_utf8_lossy(&restarted.stderr)
        );
    }

    /// The address servers are given.
    pub fn url(&self) -> String {
        format!("postgres://buzzboard@127.0.0.1:{}/postgres", self.port)
    }

    /// A connection for the test to look at the tables.
    pub async fn connect(&self) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(&self.url(), tokio_postgres::NoTls)
            .await
            .expect("the test connects to PostgreSQL");
        tokio::spawn(connection);
        client
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = pg_command(&self.bin, "pg_ctl", self.user)
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// HAProxy with the shipped configuration, in front of three servers.
pub struct HaProxy {
    child: Child,
    pub addr: SocketAddr,
}

impl HaProxy {
    /// Starts HAProxy on `port`, in front of `servers`, and waits until a
    /// request through it is answered.
    pub async fn start(port: u16, servers: [SocketAddr; 3]) -> HaProxy {
        HaProxy::start_configured(port, servers, false).await
    }

    /// [`HaProxy::start`], set up as behind a TLS-terminating proxy
    /// (`BEHIND_PROXY`) when `behind_proxy`.
    pub async fn start_configured(
        port: u16,
        servers: [SocketAddr; 3],
        behind_proxy: bool,
    ) -> HaProxy {
        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/haproxy.cfg");
        let mut command = Command::new("haproxy");
        if behind_proxy {
            command.env("BEHIND_PROXY", "1");
        }
        let child = command
            .arg("-f")
            .arg(&config)
            .arg("-db")
            .env("LISTEN", format!("127.0.0.1:{port}"))
            .env("SERVER1", servers[0].to_string())
            .env("SERVER2", servers[1].to_string())
            .env("SERVER3", servers[2].to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "HAProxy is not installed (apt-get install haproxy; .ci/run installs it): \
                 the cluster tests need a real HAProxy",
            );
        let proxy = HaProxy {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let answered = reqwest::get(format!("http://{}/healthz", proxy.addr))
                .await
                .is_ok_and(|r| r.status() == 200);
            if answered {
                return proxy;
            }
            assert!(Instant::now() < deadline, "HAProxy never answered");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for HaProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Three servers on one PostgreSQL, behind HAProxy.
pub struct Cluster {
    pub servers: Vec<Option<Binary>>,
    pub proxy: HaProxy,
    pub teacher_key: String,
    // Dropped last: the servers stop before their database does.
    pub postgres: Postgres,
}

impl Cluster {
    /// Starts it all; `extra` are more arguments for every server.
    pub async fn start(extra: &[&str]) -> Cluster {
        let postgres = Postgres::start();
        let ports = [free_port(), free_port(), free_port()];
        let url = postgres.url();
        let boards = Path::new(env!("CARGO_MANIFEST_DIR")).join("boards");
        // The links are the load balancer's; it is started after the
        // servers, on a port chosen now.
        let proxy_port = free_port();
        let public_url = format!("http://127.0.0.1:{proxy_port}");
        let mut servers = Vec::new();
        for port in ports {
            let data = temp_dir("cluster-server");
            let mut args = vec!["--database-url", &url, "--trust-proxy"];
            args.extend_from_slice(extra);
            let server = Binary::launch(&data, port, &public_url, &boards, &args)
                .unwrap_or_else(|e| panic!("a cluster server did not start: {e:?}"));
            servers.push(Some(server));
        }
        let teacher_key = servers[0]
            .as_ref()
            .unwrap()
            .stdout
            .iter()
            .find_map(|line| line.split("?key=").nth(1))
            .expect("the server prints the teacher link")
            .trim()
            .to_owned();
        let addrs = ports.map(|port| SocketAddr::from(([127, 0, 0, 1], port)));
        let proxy = HaProxy::start(proxy_port, addrs).await;
        Cluster {
            servers,
            proxy,
            teacher_key,
            postgres,
        }
    }

    /// Creates a room through the load balancer.
    pub async fn create_room(&self, board: &str) -> Room {
        crate::fault::create_room_at(self.proxy.addr, &self.teacher_key, board).await
    }

    /// Which server (by index) holds the room's lease, read from the
    /// database.
    pub async fn owner(&self, db: &tokio_postgres::Client, code: &str) -> Option<usize> {
        let row = db
            .query_opt(
                "SELECT address FROM leases WHERE room = $1 AND expires_at > now()",
                &[&code],
            )
            .await
            .unwrap()?;
        let address: String = row.get(0);
        self.servers.iter().position(|server| {
            server
                .as_ref()
                .is_some_and(|s| s.addr.to_string() == address)
        })
    }
}
