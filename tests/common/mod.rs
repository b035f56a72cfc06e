//! Test helpers: a real server on 127.0.0.1:0 and typed WebSocket clients.
#![allow(dead_code)] // Each test file uses a different part of this module.

use std::net::SocketAddr;
use std::time::Duration;

use buzzboard::board::BoardLibrary;
use buzzboard::game::HostCommand;
use buzzboard::protocol::{ClientMsg, ServerMsg};
use buzzboard::{AppState, app};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// A room's socket as a page opens it, described by a query such as
/// `role=player&token=...` or `role=host&key=...`: only the role goes in
/// the address; a host key goes in the `X-Buzzboard-Key` header (as a
/// script sends it; a browser's session cookie does the same), and a
/// player's seat token in its first message, the hello.
pub async fn open_socket(
    addr: impl std::fmt::Display,
    code: &str,
    query: &str,
) -> Result<WebSocketStream<MaybeTlsStream<TcpStream>>, tokio_tungstenite::tungstenite::Error> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
    let mut role = "player";
    let (mut key, mut token) = (None, None);
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("role", value)) => role = value,
            Some(("key", value)) => key = Some(value),
            Some(("token", value)) => token = Some(value),
            _ => {}
        }
    }
    let mut request = format!("ws://{addr}/ws/{code}?role={role}").into_client_request()?;
    if let Some(key) = key {
        request.headers_mut().insert(
            "x-buzzboard-key",
            key.parse().expect("a key is a header value"),
        );
    }
    let (mut stream, _) = tokio_tungstenite::connect_async_with_config(request, None, true).await?;
    if role == "player" {
        let hello = buzzboard::protocol::Hello {
            token: token.map(str::to_owned),
        };
        stream
            .send(Message::text(serde_json::to_string(&hello).unwrap()))
            .await?;
    }
    Ok(stream)
}

/// [`open_socket`] for an address written out whole, such as
/// `ws://127.0.0.1:3000/ws/KXQTR?role=player&token=...`.
pub async fn open_socket_at(
    url: &str,
) -> Result<WebSocketStream<MaybeTlsStream<TcpStream>>, tokio_tungstenite::tungstenite::Error> {
    let rest = url.strip_prefix("ws://").expect("a ws:// address");
    let (addr, rest) = rest.split_once("/ws/").expect("a room's socket address");
    let (code, query) = rest.split_once('?').unwrap_or((rest, ""));
    open_socket(addr, code, query).await
}

/// A fresh, empty folder for one test, unique to this process and moment.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "buzzboard-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Tests that load the machine (crowds, the fairness harness, a browser,
/// the real binary killed and restarted) take turns: in the one test binary
/// they would otherwise run at once and skew each other's timing.
static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Waits for the heavy tests' turn; hold the guard for the whole test.
pub async fn heavy() -> tokio::sync::MutexGuard<'static, ()> {
    HEAVY.lock().await
}

/// How long a test waits for an expected message before failing.
pub const WAIT: Duration = Duration::from_secs(10);

/// The server under test, listening on a free port; stopped on drop.
pub struct TestServer {
    pub addr: SocketAddr,
    pub state: AppState,
    task: JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A room created over the API.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Room {
    pub code: String,
    pub board: String,
    pub host_url: String,
    pub board_url: String,
    pub join_url: String,
    pub host_key: String,
}

impl TestServer {
    /// Starts the app with the shipped boards folder.
    pub async fn start() -> TestServer {
        let boards = BoardLibrary::load(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("boards")
                .as_path(),
        );
        TestServer::start_with(boards).await
    }

    /// Starts the app with these boards.
    pub async fn start_with(boards: BoardLibrary) -> TestServer {
        TestServer::start_full(boards, None).await
    }

    /// Starts the app with the shipped boards, saving uploads in `folder`.
    pub async fn start_with_uploads(folder: &std::path::Path) -> TestServer {
        let boards = BoardLibrary::load(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("boards")
                .as_path(),
        );
        TestServer::start_full(boards, Some(folder.to_path_buf())).await
    }

    /// Starts the app with the shipped boards, saving games in `store` and
    /// restoring the games already in it, as the binary does.
    pub async fn start_saved(store: std::sync::Arc<buzzboard::store::Store>) -> TestServer {
        let boards = BoardLibrary::load(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("boards")
                .as_path(),
        );
        TestServer::start_inner(boards, None, Some(store)).await
    }

    async fn start_full(boards: BoardLibrary, uploads: Option<std::path::PathBuf>) -> TestServer {
        TestServer::start_inner(boards, uploads, None).await
    }

    /// Starts the app with the shipped boards and these connection limits.
    pub async fn start_limited(limits: buzzboard::web::Limits) -> TestServer {
        let boards = BoardLibrary::load(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("boards")
                .as_path(),
        );
        TestServer::launch(boards, None, None, limits).await
    }

    async fn start_inner(
        boards: BoardLibrary,
        uploads: Option<std::path::PathBuf>,
        store: Option<std::sync::Arc<buzzboard::store::Store>>,
    ) -> TestServer {
        TestServer::launch(boards, uploads, store, buzzboard::web::Limits::default()).await
    }

    async fn launch(
        boards: BoardLibrary,
        uploads: Option<std::path::PathBuf>,
        store: Option<std::sync::Arc<buzzboard::store::Store>>,
        limits: buzzboard::web::Limits,
    ) -> TestServer {
        let listener = buzzboard::net::listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let restore = store.is_some();
        let state = AppState::with_store(
            boards,
            &format!("http://{addr}"),
            store,
            uploads,
            buzzboard::secret::Token::generate(),
        );
        state.open_accounts().await.unwrap();
        if restore {
            state.restore_rooms().await.unwrap();
        }
        state.set_limits(limits);
        let served = state.clone();
        let task = tokio::spawn(async move {
            buzzboard::web::serve::serve(listener, app(served), limits, std::future::pending())
                .await
                .unwrap();
        });
        TestServer { addr, state, task }
    }

    /// An absolute URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `POST /api/rooms`.
    pub async fn create_room(&self, board: Option<&str>) -> Room {
        let body = match board {
            Some(id) => serde_json::json!({ "board": id }),
            None => serde_json::json!({}),
        };
        let response = reqwest::Client::new()
            .post(self.url("/api/rooms"))
            .header("x-buzzboard-key", self.state.teacher_key().as_str())
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    /// Opens a WebSocket to a room with the given query string.
    pub async fn connect(&self, code: &str, query: &str) -> Client {
        Client::from_stream(open_socket(self.addr, code, query).await.unwrap())
    }

    /// A browser that opened `link` (a teacher or host link with its key):
    /// signed in by the cookie the link's answer set, and sent on to the
    /// same page without the key.
    pub async fn sign_in(&self, link: &str) -> SignedIn {
        let url = if link.starts_with("http") {
            link.to_owned()
        } else {
            self.url(link)
        };
        let response = no_redirects().get(&url).send().await.unwrap();
        assert_eq!(response.status(), 303, "{link} signs in and redirects");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(!location.contains("key="), "{location} still has the key");
        let cookie = cookie_set(&response, "buzzboard_session").unwrap_or_default();
        SignedIn {
            base: self.url(""),
            cookie,
            landed: location,
        }
    }

    /// A browser signed in as a new teacher `name` with `email` (their
    /// account and session made straight in the database).
    pub async fn teacher(&self, name: &str, email: &str) -> SignedIn {
        let store = self.state.sessions();
        let id = store
            .add_teacher(email, name, None)
            .await
            .unwrap()
            .expect("a new address");
        let session = buzzboard::secret::Token::generate();
        store
            .create_session(
                &buzzboard::secret::digest(session.as_str()),
                Some(id),
                Duration::from_secs(3600),
            )
            .await
            .unwrap();
        SignedIn::with_cookie(self, format!("buzzboard_session={}", session.as_str()))
    }

    /// `GET path` as a script sends it with `key` (a host or teacher key)
    /// in its header.
    pub async fn get_with_key(&self, path: &str, key: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(self.url(path))
            .header("x-buzzboard-key", key)
            .send()
            .await
            .unwrap()
    }

    /// The host page's socket for `room`, past its snapshot.
    pub async fn host(&self, room: &Room) -> (Client, buzzboard::protocol::Snapshot) {
        let mut client = self
            .connect(&room.code, &format!("role=host&key={}", room.host_key))
            .await;
        let snapshot = client.snapshot().await;
        (client, snapshot)
    }

    /// The projector's socket for `room`, past its snapshot.
    pub async fn board(&self, room: &Room) -> Client {
        let mut client = self.connect(&room.code, "role=board").await;
        client.snapshot().await;
        client
    }

    /// A player's socket that has joined under `name`; returns it with the
    /// player's id and seat token.
    pub async fn player(&self, room: &Room, name: &str) -> Player {
        let mut client = self.connect(&room.code, "role=player").await;
        client.snapshot().await;
        client
            .send(&ClientMsg::Join {
                name: name.into(),
                nonce: None,
            })
            .await;
        // Updates for the room (a team made meanwhile) may come first.
        loop {
            match client.next().await {
                ServerMsg::Welcome { player, token, .. } => {
                    return Player {
                        client,
                        id: player,
                        token,
                    };
                }
                ServerMsg::Error { message, .. } => panic!("{name} could not join: {message}"),
                _ => continue,
            }
        }
    }
}

/// The steps every game repeats, as a host and a player take them.
impl Client {
    /// Host: opens the tile at `category`, `row` and then its buzzers.
    pub async fn open_clue_and_buzzers(&mut self, category: usize, row: usize) {
        self.send(&ClientMsg::OpenClue { category, row }).await;
        self.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
    }
}

impl Client {
    /// Waits until this page hears the buzzers open.
    pub async fn await_buzzers_open(&mut self) {
        self.expect("buzzers_opened", |m| {
            matches!(m, ServerMsg::BuzzersOpened).then_some(())
        })
        .await;
    }
}

impl Player {
    /// Waits for the buzzers to open, buzzes after a human reaction time,
    /// and waits until `host` hears this player is answering.
    pub async fn buzz_in(&mut self, host: &mut Client) {
        self.client.await_buzzers_open().await;
        self.client.buzz().await;
        let me = self.id;
        host.expect("this player answering", |m| {
            matches!(m, ServerMsg::Answering { player, .. } if *player == me).then_some(())
        })
        .await;
    }
}

/// A joined player.
pub struct Player {
    pub client: Client,
    pub id: buzzboard::game::PlayerId,
    pub token: String,
}

/// What the background reader saw on a socket.
enum Frame {
    Text(String),
    /// The server closed the socket, with this close code (if any).
    Closed(Option<u16>),
}

/// A typed WebSocket client that remembers every text it received.
///
/// Like a browser, it reads its socket all the time in a background task,
/// so the server's protocol-level pings are answered at once (the server
/// measures round trips with them) whether or not the test is waiting for
/// a message.
pub struct Client {
    sink: futures_util::stream::SplitSink<WebSocketStream<MaybeTlsStream<TcpStream>>, Message>,
    frames: tokio::sync::mpsc::UnboundedReceiver<Frame>,
    /// The rest of a `batch` already received.
    queued: std::collections::VecDeque<ServerMsg>,
    reader: JoinHandle<()>,
    /// Every text message received, in order.
    pub seen: Vec<String>,
}

impl Drop for Client {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

/// A human's reaction time, as the test players press after the buzzers
/// open: the server treats anything under 100 ms as anticipation.
pub const REACTION: Duration = Duration::from_millis(150);

impl Client {
    /// Wraps an open WebSocket.
    pub fn from_stream(stream: WebSocketStream<MaybeTlsStream<TcpStream>>) -> Client {
        let (sink, mut stream) = stream.split();
        let (tx, frames) = tokio::sync::mpsc::unbounded_channel();
        let reader = tokio::spawn(async move {
            loop {
                let frame = match stream.next().await {
                    Some(Ok(Message::Text(text))) => Frame::Text(text.to_string()),
                    Some(Ok(Message::Close(frame))) => {
                        Frame::Closed(frame.map(|f| u16::from(f.code)))
                    }
                    None | Some(Err(_)) => Frame::Closed(None),
                    // Pings are answered by tungstenite as they are read.
                    Some(Ok(_)) => continue,
                };
                let closed = matches!(frame, Frame::Closed(_));
                if tx.send(frame).is_err() || closed {
                    return;
                }
            }
        });
        Client {
            sink,
            frames,
            queued: Default::default(),
            reader,
            seen: Vec::new(),
        }
    }

    /// Sends a protocol message.
    pub async fn send(&mut self, msg: &ClientMsg) {
        self.send_text(&serde_json::to_string(msg).unwrap()).await;
    }

    /// Sends raw text.
    pub async fn send_text(&mut self, text: &str) {
        self.sink.send(Message::text(text)).await.unwrap();
    }

    /// Presses the buzzer as a person would once the buzzers are open:
    /// after a human reaction time, claiming no reaction time (so the buzz
    /// counts as it arrives).
    pub async fn buzz(&mut self) {
        tokio::time::sleep(REACTION).await;
        self.send(&ClientMsg::Buzz {
            reaction_ms: None,
            early: false,
        })
        .await;
    }

    /// The next protocol message; panics after [`WAIT`] or if the socket closes.
    pub async fn next(&mut self) -> ServerMsg {
        self.try_next().await.expect("the connection closed")
    }

    /// The next protocol message, or `None` if the socket closed. The
    /// messages of a `batch` come one by one.
    pub async fn try_next(&mut self) -> Option<ServerMsg> {
        if let Some(msg) = self.queued.pop_front() {
            return Some(msg);
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.frames.recv())
                .await
                .unwrap_or_else(|_| {
                    panic!("no message within {WAIT:?}; seen so far: {:#?}", self.seen)
                });
            match frame {
                None | Some(Frame::Closed(_)) => return None,
                Some(Frame::Text(text)) => {
                    let msg: ServerMsg = serde_json::from_str(&text)
                        .unwrap_or_else(|e| panic!("bad message {text}: {e}"));
                    // Round-trip timing pings are the connection's business.
                    if matches!(msg, ServerMsg::Ping { .. }) {
                        continue;
                    }
                    if let ServerMsg::Batch { messages } = msg {
                        for inner in &messages {
                            self.seen.push(serde_json::to_string(inner).unwrap());
                        }
                        self.queued.extend(messages);
                        match self.queued.pop_front() {
                            Some(first) => return Some(first),
                            None => continue,
                        }
                    }
                    self.seen.push(text);
                    return Some(msg);
                }
            }
        }
    }

    /// Reads messages until one matches `pick`, and returns what it picked.
    pub async fn expect<T>(
        &mut self,
        what: &str,
        mut pick: impl FnMut(&ServerMsg) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if tokio::time::Instant::now() > deadline {
                panic!("never got {what}; seen: {:#?}", self.seen);
            }
            let msg = self.next().await;
            if let Some(found) = pick(&msg) {
                return found;
            }
        }
    }

    /// Reads the next message, which must be a snapshot.
    pub async fn snapshot(&mut self) -> buzzboard::protocol::Snapshot {
        match self.next().await {
            ServerMsg::Snapshot(s) => *s,
            other => panic!("expected a snapshot, got {other:?}"),
        }
    }

    /// Reads the next message, which must be an error; returns its text.
    pub async fn error(&mut self) -> String {
        match self.next().await {
            ServerMsg::Error { message, .. } => message,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    /// Reads until the server closes the socket; returns the close code.
    pub async fn close_code(&mut self) -> Option<u16> {
        loop {
            let frame = tokio::time::timeout(WAIT, self.frames.recv())
                .await
                .expect("the server did not close the socket in time");
            match frame {
                Some(Frame::Closed(code)) => return code,
                None => return None,
                Some(Frame::Text(_)) => continue,
            }
        }
    }

    /// Closes the socket.
    pub async fn close(mut self) {
        let _ = self.sink.close().await;
    }
}

/// The cookie called `name` that a response sets, as a browser sends it
/// back (`name=value`).
pub fn cookie_set(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .find(|cookie| cookie.starts_with(&format!("{name}=")))
}

/// An HTTP client that shows redirects instead of following them.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A browser signed in by a link ([`TestServer::sign_in`]): its requests
/// carry the session cookie and nothing else.
#[derive(Debug, Clone)]
pub struct SignedIn {
    base: String,
    /// `buzzboard_session=...`, as the browser sends it back.
    pub cookie: String,
    /// Where the link sent the browser.
    pub landed: String,
}

impl SignedIn {
    /// A browser on `server` that sends `cookie`.
    pub fn with_cookie(server: &TestServer, cookie: String) -> SignedIn {
        SignedIn::at(server.url(""), cookie)
    }

    /// A browser on the server at `base` (`http://host:port`) that sends
    /// `cookie` (none if empty).
    pub fn at(base: String, cookie: String) -> SignedIn {
        SignedIn {
            base,
            cookie,
            landed: "/".into(),
        }
    }

    /// `GET path` with the session cookie (redirects not followed).
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.with_cookie_header(no_redirects().get(format!("{}{path}", self.base)))
            .send()
            .await
            .unwrap()
    }

    /// The request with the browser's cookie, if it has one.
    fn with_cookie_header(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if self.cookie.is_empty() {
            request
        } else {
            request.header("cookie", &self.cookie)
        }
    }

    /// `GET path`'s status and text.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// `POST path` with a form, as a page of the site posts it.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.with_cookie_header(no_redirects().post(format!("{}{path}", self.base)))
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .unwrap()
    }
}
