//! What a run is pointed at: the real binary on its own, or three of them
//! behind HAProxy on one PostgreSQL, started and stopped for the run.

use super::*;

/// Where the pages connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deployment {
    /// One server, its SQLite journal, no proxy: the laptop in the classroom.
    Single,
    /// The same server with every page through HAProxy (the shipped
    /// configuration, all three server lines pointing at it): the cost of
    /// the proxy hop alone.
    Proxied,
    /// Three servers on one PostgreSQL, every page through HAProxy
    /// (`deploy/haproxy.cfg`).
    Cluster,
}

/// The server (or servers) under test, and the room the phones play in.
pub(crate) struct Target {
    /// Where pages connect.
    pub(crate) addr: std::net::SocketAddr,
    pub(crate) room: common::Room,
    /// The process running the room, for its memory.
    pub(crate) pid: u32,
    /// Which server runs it (in a cluster).
    pub(crate) owner: Option<usize>,
    pub(crate) _single: Option<fault::Binary>,
    pub(crate) _proxy: Option<cluster::HaProxy>,
    pub(crate) _cluster: Option<cluster::Cluster>,
    pub(crate) data: Option<std::path::PathBuf>,
}

impl Target {
    pub(crate) async fn start(deployment: Deployment) -> Target {
        match deployment {
            Deployment::Single => {
                let data = fault::temp_dir("capacity");
                let port = fault::free_port();
                let server = fault::Binary::start(&data, port, &["--max-players", "5000"])
                    .expect("the server starts");
                let room = server.create_room("rlhf").await;
                Target {
                    addr: server.addr,
                    room,
                    pid: server.pid(),
                    owner: None,
                    _single: Some(server),
                    _proxy: None,
                    _cluster: None,
                    data: Some(data),
                }
            }
            Deployment::Proxied => {
                let data = fault::temp_dir("capacity");
                let port = fault::free_port();
                let proxy_port = fault::free_port();
                let boards = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("boards");
                let server = fault::Binary::launch(
                    &data,
                    port,
                    &format!("http://127.0.0.1:{proxy_port}"),
                    &boards,
                    &["--max-players", "5000", "--trust-proxy"],
                )
                .expect("the server starts");
                let room = server.create_room("rlhf").await;
                let proxy = cluster::HaProxy::start(proxy_port, [server.addr; 3]).await;
                Target {
                    addr: proxy.addr,
                    room,
                    pid: server.pid(),
                    owner: None,
                    _single: Some(server),
                    _proxy: Some(proxy),
                    _cluster: None,
                    data: Some(data),
                }
            }
            Deployment::Cluster => {
                let cluster = cluster::Cluster::start(&["--max-players", "5000"]).await;
                let room = cluster.create_room("rlhf").await;
                // The first page starts the room on the server its code
                // hashes to.
                let socket = common::open_socket(
                    cluster.proxy.addr,
                    &room.code,
                    &format!("role=host&key={}", room.host_key),
                )
                .await
                .unwrap();
                drop(socket);
                let db = cluster.postgres.connect().await;
                let owner = cluster.owner(&db, &room.code).await.expect("an owner");
                Target {
                    addr: cluster.proxy.addr,
                    room,
                    pid: cluster.servers[owner].as_ref().unwrap().pid(),
                    owner: Some(owner),
                    _single: None,
                    _proxy: None,
                    _cluster: Some(cluster),
                    data: None,
                }
            }
        }
    }

    pub(crate) fn rss_kib(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(data) = &self.data {
            let _ = std::fs::remove_dir_all(data);
        }
    }
}
