//! The HTTP and WebSocket layer: routes, pages, assets.
//!
//! Thin on purpose: handlers look up the room, check the host key, and turn
//! requests into room calls and room answers into responses. Game rules live
//! in [`crate::game`], room state in [`crate::room`].

mod access;
mod accounts;
mod admin;
mod api;
mod assets;
mod budget;
mod cohost;
mod editor;
mod error;
mod export;
mod forget;
#[cfg(feature = "cluster")]
mod forward;
mod log;
mod origin;
mod pages;
mod qr;
pub mod serve;
mod session;
mod shelf;
mod uploads;
mod ws;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;

pub use api::{StartedRoom, start_room};
pub use error::ApiError;

use crate::board::media::MAX_MEDIA_BYTES;
use crate::board::{BoardLibrary, MAX_UPLOAD_BYTES};
use crate::rooms::Rooms;
use crate::secret::Token;
use crate::store::Store;

/// Everything the handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

struct Shared {
    /// Read by every page and room start; written only when a teacher
    /// uploads a board. A std `RwLock`, never held across an `.await`.
    boards: RwLock<BoardLibrary>,
    /// Who is signed in: the games' database, or one in memory.
    sessions: Arc<Store>,
    /// Where uploaded boards are saved; `None` keeps uploads off.
    saved_boards: Option<PathBuf>,
    /// The teacher's key: needed to upload boards or download them (a
    /// board file holds every answer, so students must not fetch it).
    teacher_key: Token,
    rooms: Rooms,
    public_url: String,
    /// Flipped once when the server starts shutting down; every open
    /// WebSocket watches it and closes with "service restart", so pages know
    /// to reconnect and graceful shutdown does not wait on them forever.
    closing: watch::Sender<bool>,
    /// Open WebSockets, for `/healthz` and shutdown.
    connections: AtomicUsize,
    /// Woken when the last WebSocket closes.
    all_closed: tokio::sync::Notify,
    /// Host names this server answers to besides IP addresses and
    /// localhost: the public URL's, and every `--allowed-origin`'s.
    allowed_hosts: std::sync::RwLock<Vec<String>>,
    /// The origins pages are served at besides `http://` + the request's
    /// `Host`: the public URL's and every `--allowed-origin`, in
    /// [`origin::normal_origin`]'s spelling.
    allowed_origins: std::sync::RwLock<Vec<String>>,
    /// Limits on connections, set once at start-up.
    limits: std::sync::OnceLock<Limits>,
    /// Open WebSockets per client address.
    sockets: serve::Counter,
    /// Wrong room codes per client address.
    lookups: budget::AddressBudget,
    /// Wrong room codes across the server.
    server_lookups: budget::ServerBudget,
    /// Codes each address has used, which always answer.
    known_codes: budget::KnownCodes,
    /// Joins per client address.
    joins: budget::AddressBudget,
    /// Wrong passwords per account and per address.
    sign_in: SignInBudgets,
    /// How long games are kept unless the admin says otherwise.
    default_retention: std::sync::OnceLock<std::time::Duration>,
    /// This server's part in a cluster (`--database-url postgres://...`).
    #[cfg(feature = "cluster")]
    cluster: std::sync::OnceLock<Arc<crate::cluster::Cluster>>,
}

/// Wrong passwords allowed ([`accounts`]).
pub(crate) struct SignInBudgets {
    /// Per account (its lower-cased e-mail address).
    pub accounts: budget::KeyedBudget<String>,
    /// Per client address.
    pub addresses: budget::AddressBudget,
}

/// How many connections the server takes, and whom it believes about
/// addresses.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections (pages loading, sockets not yet upgraded) in all.
    pub max_connections: usize,
    /// Open WebSockets from one address: a whole lecture hall behind one
    /// school address fits.
    pub sockets_per_address: usize,
    /// Open WebSockets in all. The last tenth is kept for pages coming back
    /// to a game with their seat token or host key, so players of running
    /// games can always reconnect.
    pub max_sockets: usize,
    /// Believe `X-Forwarded-For` / `X-Real-IP` from the reverse proxy in
    /// front (`--trust-proxy`); otherwise the TCP peer is the client.
    pub trust_proxy: bool,
    /// Time a connection has to send a request's headers (an idle
    /// keep-alive connection too).
    pub header_timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 8_000,
            sockets_per_address: 2_500,
            max_sockets: 12_000,
            trust_proxy: false,
            header_timeout: serve::HEADER_TIMEOUT,
        }
    }
}

impl AppState {
    /// State for a server offering `boards`, whose pages are reached at
    /// `public_url` (like `http://192.168.1.20:3000`, no trailing slash), with
    /// games kept in memory only.
    pub fn new(boards: BoardLibrary, public_url: &str) -> AppState {
        AppState::with_store(boards, public_url, None, None, Token::generate())
    }

    /// State whose games are saved in `store` (and restored from it with
    /// [`AppState::restore_rooms`]), and whose uploaded boards are saved in
    /// `saved_boards`; managing boards needs `teacher_key`.
    pub fn with_store(
        boards: BoardLibrary,
        public_url: &str,
        store: Option<Arc<Store>>,
        saved_boards: Option<PathBuf>,
        teacher_key: Token,
    ) -> AppState {
        AppState {
            inner: Arc::new(Shared {
                boards: RwLock::new(boards),
                saved_boards,
                teacher_key,
                sessions: store
                    .clone()
                    .unwrap_or_else(|| Arc::new(Store::in_memory())),
                rooms: Rooms::new(store),
                public_url: public_url.trim_end_matches('/').to_owned(),
                closing: watch::Sender::new(false),
                connections: AtomicUsize::new(0),
                all_closed: tokio::sync::Notify::new(),
                allowed_hosts: std::sync::RwLock::new(
                    origin::url_host(public_url).into_iter().collect(),
                ),
                allowed_origins: std::sync::RwLock::new(
                    origin::normal_origin(public_url).into_iter().collect(),
                ),
                limits: std::sync::OnceLock::new(),
                sockets: serve::Counter::default(),
                lookups: budget::AddressBudget::new(
                    budget::LOOKUP_BURST,
                    budget::LOOKUP_PER_SECOND,
                ),
                server_lookups: budget::ServerBudget::new(
                    budget::SERVER_LOOKUP_BURST,
                    budget::SERVER_LOOKUPS_PER_SECOND,
                ),
                known_codes: budget::KnownCodes::default(),
                joins: budget::AddressBudget::new(budget::JOIN_BURST, budget::JOIN_PER_SECOND),
                default_retention: std::sync::OnceLock::new(),
                sign_in: SignInBudgets {
                    accounts: budget::KeyedBudget::new(
                        accounts::SIGN_IN_TRIES_PER_ACCOUNT.0,
                        accounts::SIGN_IN_TRIES_PER_ACCOUNT.1,
                    ),
                    addresses: budget::AddressBudget::new(
                        accounts::SIGN_IN_TRIES_PER_ADDRESS.0,
                        accounts::SIGN_IN_TRIES_PER_ADDRESS.1,
                    ),
                },
                #[cfg(feature = "cluster")]
                cluster: std::sync::OnceLock::new(),
            }),
        }
    }

    /// Rebuilds the saved rooms; returns how many came back, and a message
    /// for each that could not.
    pub async fn restore_rooms(
        &self,
    ) -> Result<(usize, Vec<crate::rooms::RestoreProblem>), crate::store::StoreError> {
        // A cluster restores no rooms at start: each is taken over, from
        // the shared journal, by the server its next request reaches.
        if self.database_reachable().is_some() {
            return Ok((0, Vec::new()));
        }
        let saved = self.rooms().saved().await?;
        let links = self.clone();
        let boards = self.boards();
        Ok(self
            .rooms()
            .restore_all(saved, &boards, move |code| links.links(code, "").join_url))
    }

    /// The boards on offer. Hold the guard briefly: never across an `.await`.
    pub fn boards(&self) -> RwLockReadGuard<'_, BoardLibrary> {
        // Writers only insert a finished board; a panic cannot leave the
        // library half-changed, so a poisoned lock is safe to use.
        self.inner.boards.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The library, for saving an upload.
    pub(crate) fn boards_mut(&self) -> RwLockWriteGuard<'_, BoardLibrary> {
        self.inner.boards.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The key that unlocks board management (uploads and downloads).
    pub fn teacher_key(&self) -> &Token {
        &self.inner.teacher_key
    }

    /// The sessions of signed-in browsers ([`session`]).
    pub fn sessions(&self) -> &Store {
        &self.inner.sessions
    }

    /// How long games are kept after their last play: the admin's setting,
    /// else `--idle-hours`.
    pub async fn retention(&self) -> std::time::Duration {
        let chosen = self
            .sessions()
            .setting(forget::RETENTION_SETTING)
            .await
            .ok()
            .flatten()
            .and_then(|hours| hours.parse::<u32>().ok());
        match chosen {
            Some(hours) => std::time::Duration::from_secs(u64::from(hours) * 3600),
            None => self.default_retention(),
        }
    }

    /// `--idle-hours`, the retention until the admin sets one.
    pub fn default_retention(&self) -> std::time::Duration {
        *self
            .inner
            .default_retention
            .get()
            .unwrap_or(&std::time::Duration::from_secs(24 * 3600))
    }

    /// Sets the retention used until the admin chooses one (once, at
    /// start-up).
    pub fn set_default_retention(&self, retention: std::time::Duration) {
        let _ = self.inner.default_retention.set(retention);
    }

    /// The budgets for wrong passwords.
    pub(crate) fn sign_in_budgets(&self) -> &SignInBudgets {
        &self.inner.sign_in
    }

    /// Makes the owner's account if the database has none (once, at
    /// start-up; [`crate::store::accounts`]).
    pub async fn open_accounts(&self) -> Result<(), crate::store::StoreError> {
        self.sessions().ensure_owner().await
    }

    /// Whether teachers can upload boards to this server.
    pub fn accepts_uploads(&self) -> bool {
        self.inner.saved_boards.is_some()
    }

    /// Where uploaded boards are saved, if uploads are on.
    pub(crate) fn saved_boards(&self) -> Option<&Path> {
        self.inner.saved_boards.as_deref()
    }

    /// The live rooms.
    pub fn rooms(&self) -> &Rooms {
        &self.inner.rooms
    }

    /// The address phones use to reach the server.
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// Tells every open page the server is going away and closes its socket.
    pub fn begin_shutdown(&self) {
        self.inner.closing.send_replace(true);
    }

    /// Resolves once [`AppState::begin_shutdown`] has been called.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.inner.closing.subscribe()
    }

    /// How many WebSockets are open.
    pub fn connections(&self) -> usize {
        self.inner.connections.load(Ordering::Relaxed)
    }

    /// Sets the connection limits (once, at start-up; later calls are ignored).
    pub fn set_limits(&self, limits: Limits) {
        let _ = self.inner.limits.set(limits);
    }

    /// The connection limits.
    pub fn limits(&self) -> Limits {
        self.inner.limits.get().copied().unwrap_or_default()
    }

    /// Counts a WebSocket from `address`; `returning` pages (a seat token or
    /// a host key) may use the reserve. `None` when over a limit.
    pub(crate) fn admit_socket(
        &self,
        address: std::net::IpAddr,
        returning: bool,
    ) -> Option<serve::Counted> {
        let limits = self.limits();
        let total = if returning {
            limits.max_sockets
        } else {
            limits.max_sockets - limits.max_sockets / 10
        };
        self.inner
            .sockets
            .admit(address, limits.sockets_per_address, total)
    }

    /// The room with `code`, for a request from `address`; a wrong code
    /// spends the address's budget and the server's ([`budget`]). A right
    /// code always answers if the address has used it before; otherwise
    /// only while both budgets last (else a sweep would learn which codes
    /// exist from which still answer).
    pub(crate) fn find_room(
        &self,
        code: &str,
        address: Option<std::net::IpAddr>,
    ) -> Result<crate::room::RoomHandle, access::Denied> {
        let found = self.rooms().get(code);
        let Some(address) = address else {
            return found.ok_or_else(|| access::Denied::NoSuchRoom {
                code: code.chars().take(12).collect(),
                json: false,
            });
        };
        if let Some(room) = &found
            && self.inner.known_codes.knows(address, room.code())
        {
            return Ok(room.clone());
        }
        if !self.has_lookup_budget(address) {
            return Err(access::Denied::TooManyLookups);
        }
        match found {
            Some(room) => {
                self.inner.known_codes.remember(address, room.code());
                Ok(room)
            }
            None => {
                self.inner.lookups.spend(address);
                self.inner.server_lookups.spend();
                Err(access::Denied::NoSuchRoom {
                    code: code.chars().take(12).collect(),
                    json: false,
                })
            }
        }
    }

    /// Whether `address` may still look up a room code it has not used
    /// ([`budget`]).
    pub(crate) fn has_lookup_budget(&self, address: std::net::IpAddr) -> bool {
        self.inner.lookups.has_budget(address) && self.inner.server_lookups.has_budget()
    }

    /// Makes this server one of a cluster (once, at start-up).
    #[cfg(feature = "cluster")]
    pub fn set_cluster(&self, cluster: Arc<crate::cluster::Cluster>) {
        let _ = self.inner.cluster.set(cluster);
    }

    /// This server's part in a cluster, if it is in one.
    #[cfg(feature = "cluster")]
    pub fn cluster(&self) -> Option<&Arc<crate::cluster::Cluster>> {
        self.inner.cluster.get()
    }

    /// In a cluster, whether this server reaches the shared database
    /// (`None` for a server on its own).
    pub fn database_reachable(&self) -> Option<bool> {
        #[cfg(feature = "cluster")]
        if let Some(cluster) = self.cluster() {
            return Some(cluster.is_healthy());
        }
        None
    }

    /// In a cluster, every server's games, from the shared database
    /// (`None` for a server on its own: its games are its rooms).
    pub(crate) async fn cluster_games(&self) -> Option<Vec<crate::store::RoomSummary>> {
        #[cfg(feature = "cluster")]
        if let Some(cluster) = self.cluster() {
            return Some(cluster.list_rooms().await.unwrap_or_else(|e| {
                tracing::warn!("cannot list the cluster's games: {e}");
                Vec::new()
            }));
        }
        None
    }

    /// Each running game's teacher, code and board title (in a cluster,
    /// every server's games).
    pub(crate) async fn games_by_owner(&self) -> Vec<(i64, String, String)> {
        match self.cluster_games().await {
            Some(saved) => {
                let library = self.boards();
                saved
                    .into_iter()
                    .map(|g| {
                        let title = library
                            .get(&g.board_id)
                            .map_or(g.board_id.clone(), |b| b.title.clone());
                        (g.owner, g.code, title)
                    })
                    .collect()
            }
            None => self
                .rooms()
                .list()
                .iter()
                .map(|r| (r.owner(), r.code().to_owned(), r.board().title.clone()))
                .collect(),
        }
    }

    /// Saves `board` into the saved-boards `folder` (replacing an earlier
    /// version of it, which stays if this fails) and, in a cluster, shares
    /// the files `before` it (its pictures) and then the board itself.
    pub(crate) async fn save_board(
        &self,
        board: crate::board::Board,
        folder: &std::path::Path,
        mut before: Vec<String>,
        owner: i64,
    ) -> Result<Arc<crate::board::Board>, ApiError> {
        let saved = self.boards_mut().save(board, folder).map_err(|e| {
            tracing::error!("cannot save a board: {e}");
            ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "the board could not be saved; nothing was changed",
            )
        })?;
        before.push(format!("{}.toml", saved.id));
        self.sessions()
            .claim_board(saved.id.as_str(), owner)
            .await
            .map_err(|e| {
                tracing::error!("cannot record a board's owner: {e}");
                ApiError::new(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    "the board was saved, but not as yours; save it again",
                )
            })?;
        self.share_saved(&before).await?;
        Ok(saved)
    }

    /// In a cluster, shares files just written into the saved-boards
    /// folder (named relative to it) with the other servers.
    pub(crate) async fn share_saved(&self, names: &[String]) -> Result<(), ApiError> {
        #[cfg(feature = "cluster")]
        if let (Some(cluster), Some(folder)) = (self.cluster(), self.saved_boards()) {
            cluster.share_files(folder, names).await.map_err(|e| {
                tracing::error!("cannot share saved boards: {e}");
                ApiError::new(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "saved on this server, but the other servers could not be told; save again in a moment",
                )
            })?;
        }
        #[cfg(not(feature = "cluster"))]
        let _ = names;
        Ok(())
    }

    /// In a cluster, offers the boards other servers saved since the last
    /// look.
    #[cfg(feature = "cluster")]
    pub(crate) async fn fetch_saved(&self) {
        let (Some(cluster), Some(folder)) = (self.cluster(), self.saved_boards()) else {
            return;
        };
        match cluster.fetch_files(folder).await {
            Ok(boards) => {
                for path in boards {
                    if let Err(e) = self.boards_mut().load_saved_file(&path) {
                        tracing::warn!("a board saved on another server was skipped: {e}");
                    }
                }
            }
            Err(e) => tracing::warn!("cannot fetch the boards other servers saved: {e}"),
        }
    }

    /// Whether `address` may join one more player now ([`budget`]).
    pub(crate) fn may_join(&self, address: std::net::IpAddr) -> bool {
        self.inner.joins.take(address)
    }

    /// Host names this server answers to (see [`origin`]).
    pub(crate) fn allowed_hosts(&self) -> Vec<String> {
        self.inner
            .allowed_hosts
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The origins pages are served at (see [`origin`]).
    pub(crate) fn allowed_origins(&self) -> Vec<String> {
        self.inner
            .allowed_origins
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Also answers to each of these origins (`--allowed-origin`: the
    /// address a reverse proxy serves the game on), and takes writes from
    /// their pages.
    pub fn allow_origins(&self, origins: &[String]) -> Result<(), String> {
        let mut parsed = Vec::new();
        for origin in origins {
            let problem = || {
                format!(
                    "--allowed-origin {origin:?} is not an origin like https://quiz.example.org"
                )
            };
            let host = origin::url_host(origin).ok_or_else(problem)?;
            let normal = origin::normal_origin(origin).ok_or_else(problem)?;
            parsed.push((host, normal));
        }
        let mut hosts = self
            .inner
            .allowed_hosts
            .write()
            .unwrap_or_else(|p| p.into_inner());
        let mut served = self
            .inner
            .allowed_origins
            .write()
            .unwrap_or_else(|p| p.into_inner());
        for (host, normal) in parsed {
            hosts.push(host);
            served.push(normal);
        }
        Ok(())
    }

    /// Resolves once no WebSocket is open (at once if none is).
    pub async fn connections_closed(&self) {
        loop {
            let notified = self.inner.all_closed.notified();
            let mut notified = std::pin::pin!(notified);
            // Registered before the count is read, so a close in between
            // is not missed.
            notified.as_mut().enable();
            if self.connections() == 0 {
                return;
            }
            notified.await;
        }
    }

    /// Counts an open WebSocket until the guard is dropped.
    pub(crate) fn count_connection(&self) -> ConnectionGuard {
        self.inner.connections.fetch_add(1, Ordering::Relaxed);
        ConnectionGuard(self.clone())
    }

    /// The links for one room.
    pub fn links(&self, code: &str, host_key: &str) -> RoomLinks {
        let base = self.public_url();
        RoomLinks {
            host_url: format!("{base}/host/{code}?key={host_key}"),
            board_url: format!("{base}/board/{code}"),
            join_url: format!("{base}/play/{code}"),
        }
    }
}

/// Keeps one WebSocket counted in [`AppState::connections`].
pub(crate) struct ConnectionGuard(AppState);

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if self.0.inner.connections.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.inner.all_closed.notify_waiters();
        }
    }
}

/// The three addresses of a room.
pub struct RoomLinks {
    /// The teacher's controls, with the secret host key.
    pub host_url: String,
    /// The projector view.
    pub board_url: String,
    /// What students open (and what the QR code holds).
    pub join_url: String,
}

/// Kernel send buffer per connection. Together with the room's bounded
/// broadcast buffer this is everything the server holds for a page that
/// stops reading; without it Linux grows the buffer up to 4 MiB per socket.
pub const SOCKET_SEND_BUFFER: usize = 64 * 1024;

/// Sets up an accepted connection: no Nagle delay (buzzes and updates are
/// tiny, and Nagle with delayed ACKs can hold one back by 40 ms) and a
/// bounded send buffer. A failure only costs latency or memory headroom, so
/// it is logged and the connection served anyway.
pub fn tune_socket(stream: &mut tokio::net::TcpStream) {
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!("cannot set TCP_NODELAY: {e}");
    }
    if let Err(e) = socket2::SockRef::from(&*stream).set_send_buffer_size(SOCKET_SEND_BUFFER) {
        tracing::debug!("cannot bound the send buffer: {e}");
    }
}

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: students' pages, the projector, assets. (The start page
    /// shows more to a teacher; `/ws/{code}?role=host` needs the host.)
    Anyone,
    /// A signed-in teacher (or a script with the teacher key).
    Teacher,
    /// A signed-in admin (the owner, or a script with the teacher key).
    Admin,
    /// The route's game's host: a teacher, a browser its host link was
    /// opened in, or a script with its host key.
    Host,
}

/// Every route the server answers: method, path, who may use it. The
/// router is built from the same paths ([`app`] refuses a route missing
/// here), and the access tests walk this list with every kind of visitor,
/// so a new route cannot be forgotten.
pub const ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/", Access::Anyone),
    ("POST", "/rooms", Access::Teacher),
    ("POST", "/signout", Access::Anyone),
    ("GET", "/signin", Access::Anyone),
    ("POST", "/signin", Access::Anyone),
    ("GET", "/signin/link", Access::Anyone),
    ("POST", "/signin/link", Access::Anyone),
    ("GET", "/account", Access::Teacher),
    ("POST", "/account/password", Access::Teacher),
    ("GET", "/invite", Access::Anyone),
    ("POST", "/invite", Access::Anyone),
    ("GET", "/admin", Access::Admin),
    ("POST", "/admin/invite", Access::Admin),
    ("POST", "/admin/account", Access::Admin),
    ("POST", "/admin/retention", Access::Admin),
    ("POST", "/admin/teachers/{id}/link", Access::Admin),
    ("POST", "/admin/teachers/{id}/disable", Access::Admin),
    ("POST", "/admin/teachers/{id}/enable", Access::Admin),
    ("GET", "/join", Access::Anyone),
    ("GET", "/host/{code}", Access::Host),
    ("GET", "/host/{code}/qr.svg", Access::Host),
    ("POST", "/host/{code}/key", Access::Teacher),
    ("POST", "/host/{code}/delete", Access::Teacher),
    ("POST", "/host/{code}/owner", Access::Teacher),
    ("GET", "/host/{code}/{file}", Access::Host),
    ("GET", "/board/{code}", Access::Anyone),
    ("GET", "/play/{code}", Access::Anyone),
    ("GET", "/rooms/{code}/qr.svg", Access::Anyone),
    ("GET", "/ws/{code}", Access::Anyone),
    ("GET", "/api/boards", Access::Teacher),
    ("POST", "/api/boards", Access::Teacher),
    ("GET", "/boards/template.csv", Access::Anyone),
    ("GET", "/editor", Access::Teacher),
    ("POST", "/api/editor", Access::Teacher),
    ("GET", "/api/editor/{id}", Access::Teacher),
    ("POST", "/api/media", Access::Teacher),
    ("GET", "/boards/{file}", Access::Teacher),
    ("GET", "/export.zip", Access::Teacher),
    ("POST", "/boards/{id}/share", Access::Teacher),
    ("POST", "/api/rooms", Access::Teacher),
    ("GET", "/healthz", Access::Anyone),
    ("GET", "/static/{*file}", Access::Anyone),
    ("GET", "/media/{board}/{*path}", Access::Anyone),
];

/// Adds a route that [`ROUTES`] lists.
fn route(
    router: Router<AppState>,
    path: &'static str,
    handlers: axum::routing::MethodRouter<AppState>,
) -> Router<AppState> {
    assert!(
        ROUTES.iter().any(|(_, listed, _)| *listed == path),
        "the route {path} is not in web::ROUTES: say who may use it there"
    );
    router.route(path, handlers)
}

/// The whole application, ready to serve.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for (path, handlers) in [
        ("/", get(pages::index)),
        ("/rooms", post(pages::create_room)),
        ("/signout", post(session::sign_out)),
        (
            "/signin",
            get(accounts::sign_in_form).post(accounts::sign_in),
        ),
        (
            "/signin/link",
            get(accounts::sign_in_link_page).post(accounts::use_sign_in_link),
        ),
        (
            "/invite",
            get(accounts::invite_form).post(accounts::accept_invite),
        ),
        ("/account", get(accounts::account)),
        ("/account/password", post(accounts::change_password)),
        ("/admin", get(admin::show)),
        ("/admin/invite", post(admin::invite)),
        ("/admin/account", post(admin::account)),
        ("/admin/retention", post(forget::set_retention)),
        ("/admin/teachers/{id}/link", post(admin::sign_in_link)),
        ("/admin/teachers/{id}/disable", post(admin::disable)),
        ("/admin/teachers/{id}/enable", post(admin::enable)),
        ("/join", get(pages::join)),
        ("/host/{code}", get(pages::host)),
        ("/host/{code}/qr.svg", get(qr::host_qr)),
        ("/host/{code}/key", post(cohost::new_host_key)),
        ("/host/{code}/delete", post(forget::delete_game)),
        ("/host/{code}/owner", post(cohost::hand_over)),
        ("/host/{code}/{file}", get(pages::report)),
        ("/board/{code}", get(pages::board)),
        ("/play/{code}", get(pages::play)),
        ("/rooms/{code}/qr.svg", get(qr::join_qr)),
        ("/ws/{code}", get(ws::upgrade)),
        (
            "/api/boards",
            get(api::list_boards)
                .post(uploads::upload)
                .layer(DefaultBodyLimit::max(2 * MAX_UPLOAD_BYTES)),
        ),
        ("/boards/template.csv", get(uploads::template)),
        ("/editor", get(editor::page)),
        ("/api/editor", post(editor::save)),
        ("/api/editor/{id}", get(editor::load)),
        (
            "/api/media",
            post(editor::upload_media).layer(DefaultBodyLimit::max(2 * MAX_MEDIA_BYTES)),
        ),
        ("/boards/{file}", get(uploads::download)),
        ("/export.zip", get(export::everything_of_mine)),
        ("/boards/{id}/share", post(uploads::share)),
        ("/api/rooms", post(api::create_room)),
        ("/healthz", get(api::health)),
        ("/static/{*file}", get(assets::asset)),
        ("/media/{board}/{*path}", get(assets::media)),
    ] {
        router = route(router, path, handlers);
    }
    let router = router.fallback(pages::not_found);
    // In a cluster, requests for a room another server runs go there.
    #[cfg(feature = "cluster")]
    let router = router.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        forward::route,
    ));
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            origin::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log::access_log,
        ))
        .with_state(state)
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::REFERRER_POLICY, "strict-origin"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
}

/// Scripts and styles only from this server, so no inline script can run
/// even if some text slipped through unescaped. Together with `nosniff`, no
/// framing, and a `Referer` of the origin alone (never a path, which would
/// carry a key; see [`origin`] for why not none at all), every response
/// carries it.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     media-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
