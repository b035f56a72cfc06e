//! Command-line options and their environment variables.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// How long a cluster's lease lasts unless `--lease-seconds` says
/// otherwise: the longest a room is unreachable after its server dies.
pub const DEFAULT_LEASE_SECONDS: f64 = 3.0;

/// Buzzboard: a Jeopardy-style classroom quiz show with phone buzzers.
///
/// With no subcommand it runs the game server.
#[derive(Debug, Parser)]
#[command(name = "buzzboard", version, about)]
pub struct Cli {
    #[command(subcommand)]
    /// What was asked of the game.
    pub command: Option<Command>,
    #[command(flatten)]
    /// How to serve.
    pub serve: ServeOptions,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check board files and report every problem; exits non-zero on errors.
    Check {
        /// Board files (`.toml`) or folders of them. Defaults to the boards folder.
        paths: Vec<PathBuf>,
    },
    /// Convert a JeopardyLabs text export (`.txt`) or a spreadsheet (`.csv`,
    /// `.tsv`) into a board file.
    Import {
        /// The exported file; its extension says which kind it is.
        file: PathBuf,
        /// Write the board here instead of to standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The board's title (the export does not carry one).
        #[arg(long, default_value = "Imported board")]
        title: String,
    },
}

/// How the server writes its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for people.
    Text,
    /// One JSON object a line.
    Json,
}

/// Options of the game server.
#[derive(Debug, Clone, Args)]
pub struct ServeOptions {
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = 3000)]
    pub port: u16,
    /// Address to listen on; the default listens on every interface so phones
    /// on the same network can connect.
    #[arg(long, env = "BUZZBOARD_BIND", default_value = "0.0.0.0")]
    pub bind: IpAddr,
    /// The address phones use in links and the QR code, like
    /// `http://192.168.1.20:3000`. By default, this machine's LAN address.
    #[arg(long, env = "BUZZBOARD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Folder of board files (`*.toml`) to offer.
    #[arg(long, env = "BUZZBOARD_BOARDS_DIR", default_value = "boards")]
    pub boards_dir: PathBuf,
    /// Folder where saved boards and games live; created if missing.
    #[arg(long, env = "BUZZBOARD_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Set an unreadable or damaged games database aside (renamed, not
    /// deleted) and start with an empty one.
    #[arg(long)]
    pub fresh_database: bool,
    /// Games with no activity for this many hours are deleted.
    #[arg(long, env = "BUZZBOARD_IDLE_HOURS", default_value_t = 24.0)]
    pub idle_hours: f64,
    /// The most players a host may let into one game (each game starts
    /// taking 100; the host raises it up to this).
    #[arg(long, env = "BUZZBOARD_MAX_PLAYERS", default_value_t = crate::rooms::DEFAULT_MAX_PLAYERS)]
    pub max_players: usize,
    /// Another address the game is served on, like
    /// `https://quiz.example.org` behind a reverse proxy: the server answers
    /// to its host and accepts its pages' requests. Repeat, or separate with
    /// commas in the environment variable.
    #[arg(long, env = "BUZZBOARD_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origin: Vec<String>,
    /// Behind a reverse proxy (Caddy, nginx): believe the client address it
    /// forwards in `X-Forwarded-For` / `X-Real-IP`, for the limits per
    /// address. Without it, every client would share the proxy's address.
    #[arg(long, env = "BUZZBOARD_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// How the log is written on standard error: `text` for people, or
    /// `json` (one object a line) for a log system. Every request and every
    /// WebSocket session has a line (target `buzzboard::access`), with no
    /// secret in it.
    #[arg(long, env = "BUZZBOARD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Connections being served (pages loading, sockets not yet upgraded)
    /// at once; WebSockets are limited apart.
    #[arg(long, env = "BUZZBOARD_MAX_CONNECTIONS", default_value_t = 8_000)]
    pub max_connections: usize,
    /// Open WebSockets from one client address.
    #[arg(long, env = "BUZZBOARD_SOCKETS_PER_ADDRESS", default_value_t = 2_500)]
    pub sockets_per_address: usize,
    /// Run as one server of a cluster, keeping games in this PostgreSQL
    /// database (shared by every server) instead of the data folder's
    /// SQLite file, like `postgres://buzzboard@db.internal/buzzboard`. See
    /// docs/scaling.md.
    #[arg(long, env = "BUZZBOARD_DATABASE_URL")]
    pub database_url: Option<String>,
    /// In a cluster: the `host:port` the other servers reach this one at.
    /// By default, the listening address (or this machine's LAN address
    /// when listening on every interface) and the bound port.
    #[arg(long, env = "BUZZBOARD_CLUSTER_ADDRESS")]
    pub cluster_address: Option<String>,
    /// In a cluster: seconds a server's hold on its rooms lasts without
    /// renewal, so the longest a room waits for another server after its
    /// own dies. Renewed every third of it.
    #[arg(long, env = "BUZZBOARD_LEASE_SECONDS", default_value_t = DEFAULT_LEASE_SECONDS)]
    pub lease_seconds: f64,
    /// Open WebSockets in all (the last tenth is kept for returning pages).
    #[arg(long, env = "BUZZBOARD_MAX_SOCKETS", default_value_t = 12_000)]
    pub max_sockets: usize,
}

impl ServeOptions {
    /// The `host:port` other servers of a cluster reach this one at.
    pub fn cluster_address(&self, port: u16) -> String {
        if let Some(address) = &self.cluster_address {
            return address.clone();
        }
        let host = if self.bind.is_unspecified() {
            crate::net::lan_address().unwrap_or(IpAddr::from([127, 0, 0, 1]))
        } else {
            self.bind
        };
        std::net::SocketAddr::new(host, port).to_string()
    }

    /// The public URL to put in links: the one given, or one built from the
    /// machine's LAN address (falling back to localhost without a network).
    /// `port` is the port actually bound (which differs from `--port 0`).
    pub fn public_url(&self, port: u16) -> String {
        if let Some(url) = &self.public_url {
            return url.trim_end_matches('/').to_owned();
        }
        let host = if self.bind.is_unspecified() {
            crate::net::lan_address().unwrap_or(IpAddr::from([127, 0, 0, 1]))
        } else {
            self.bind
        };
        match host {
            IpAddr::V6(v6) => format!("http://[{v6}]:{port}"),
            IpAddr::V4(v4) => format!("http://{v4}:{port}"),
        }
    }
}
