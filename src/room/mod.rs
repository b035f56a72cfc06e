//! One game room: a tokio task that owns the [`Game`] and everything that
//! changes with it.
//!
//! Nothing else touches a room's state. Pages talk to it through a
//! [`RoomHandle`], which sends a [`Request`] over a bounded `mpsc` channel
//! and gets the answer back over a `oneshot`. The task applies one request at
//! a time, so the game needs no lock and the buzz order is exactly the order
//! in which buzzes reached the task.
//!
//! Changes go out on a `broadcast` channel as [`Update`]s, each already
//! serialised once per audience (host, board, players), so fanning out to
//! hundreds of phones costs one clone of a shared buffer per phone, not one
//! serialisation. A page subscribes inside the task, in the same step that
//! builds its snapshot, so it can neither miss nor repeat an update.

mod act;
mod join;
mod journal;
mod lobby;
mod outbox;
mod presence;
pub mod reports;
mod seats;
mod task;
pub(crate) mod view;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::time::Instant;

use crate::board::Board;
use crate::game::{Game, PlayerId, Refusal, fairness};
use crate::protocol::{ClientMsg, Role, ServerMsg, WireError};
use crate::secret::Token;
use crate::store::{SavedRoom, Store, StoreError};
use task::{Request, RoomTask};

pub use presence::{MESSAGE_BURST, MESSAGES_PER_SECOND};

/// Requests a room buffers before senders wait. A busy room slows the
/// connections that talk to it rather than growing without bound.
const REQUEST_QUEUE: usize = 1024;
/// Updates a page may fall behind by. A page further behind than this gets
/// a fresh snapshot instead of the updates it missed; the room never waits
/// for it and never buffers more for it. Each update is one burst of
/// requests, however many events it held.
pub const UPDATE_BUFFER: usize = 256;

/// What an update means for buzz timing on each connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mark {
    /// Nothing for the buzz clock.
    #[default]
    None,
    /// The buzzers just opened: the connection notes when it sent this.
    BuzzersOpened,
    /// The buzzers or the clue closed: the connection forgets the opening.
    BuzzersStopped,
    /// The host removed this player: their pages are told, then closed.
    Removed(PlayerId),
    /// The room has a new host key: host pages opened by the old one (a
    /// co-host link, a script) are closed; a teacher's stay.
    HostKeyChanged,
    /// What the pages were about to be told was taken back (it could not
    /// be saved): each page starts again from a fresh snapshot.
    Resync,
}

/// One change, serialised for each audience that should see it.
#[derive(Debug, Default)]
pub struct Update {
    host: Option<Utf8Bytes>,
    board: Option<Utf8Bytes>,
    players: Option<Utf8Bytes>,
    /// A version for a few players only (a team's own Final wager and
    /// answer), instead of `players`, for those players.
    team: Option<(Vec<PlayerId>, Utf8Bytes)>,
    /// What this update means for buzz timing.
    pub mark: Mark,
}

impl Update {
    /// The text the page of `viewer` should receive, if any.
    pub fn for_viewer(&self, viewer: Viewer) -> Option<&Utf8Bytes> {
        if let (Viewer::Seat(me), Some((members, text))) = (viewer, &self.team)
            && members.contains(&me)
        {
            return Some(text);
        }
        match viewer.role() {
            Role::Host => self.host.as_ref(),
            Role::Board => self.board.as_ref(),
            Role::Player => self.players.as_ref(),
        }
    }
}

/// Who is on a connection, once the room has checked it: what it may do,
/// and what it sees. Its [`Role`] (host, projector, phones) picks the
/// version of each update it gets; a seat also gets its own side's
/// private lines (a team's Final wager).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The host's controls (the web layer checked the host key).
    Host,
    /// The projector view.
    Board,
    /// A player page that has not joined yet.
    Guest,
    /// A joined player's page, acting for that seat.
    Seat(PlayerId),
}

impl Viewer {
    /// The page this viewer is on, as the wire names it.
    pub fn role(self) -> Role {
        match self {
            Viewer::Host => Role::Host,
            Viewer::Board => Role::Board,
            Viewer::Guest | Viewer::Seat(_) => Role::Player,
        }
    }
}

/// Who is connecting.
#[derive(Debug, Clone)]
pub enum Connect {
    /// The host page (key already checked).
    Host,
    /// The projector page.
    Board,
    /// A player page, with the seat token it kept from an earlier visit.
    Player {
        /// The seat's secret: kept by the page to come back as this player.
        token: Option<String>,
    },
}

/// What a connecting page gets: its snapshot, its updates from then on, and
/// who the room recognised it as.
pub struct Subscription {
    /// Who the connection acts as.
    pub viewer: Viewer,
    /// Everything the page needs to draw itself.
    pub snapshot: ServerMsg,
    /// What happens from now on.
    pub updates: broadcast::Receiver<Arc<Update>>,
}

/// The room's answer to a page's message.
#[derive(Debug, Default)]
pub struct Reply {
    /// Messages for the sending page only.
    pub direct: Vec<ServerMsg>,
    /// Set when the message changed who the connection is (a guest joined).
    pub now_acting_as: Option<Viewer>,
}

impl From<WireError> for Reply {
    fn from(error: WireError) -> Reply {
        Reply {
            direct: vec![error.to_msg()],
            now_acting_as: None,
        }
    }
}

impl Reply {
    /// Why the rules (or the store) refused a message.
    pub(crate) fn refused(why: &ActError) -> Reply {
        Reply::from(why.to_wire())
    }
}

/// What the connection measured about its own link, passed with each message.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LinkInfo {
    /// Time since this connection sent "buzzers open", if it did and they
    /// have not closed since.
    pub since_buzzers_opened: Option<Duration>,
    /// The connection's recent network round trips (WebSocket protocol
    /// pings, answered by the browser itself): the longest and shortest.
    pub recent_rtt: Option<Duration>,
    /// The link's fastest recent round trip.
    pub min_rtt: Option<Duration>,
    /// The page's own processing: how much later its script answers a ping
    /// than the browser does (the longest of the recent ones).
    pub processing: Option<Duration>,
    /// Which connection this is (unique in this server's life), so what a
    /// page leaves waiting goes with it.
    pub connection: u64,
    /// The client's address (a trusted proxy's word for it), if known.
    pub address: Option<std::net::IpAddr>,
}

impl LinkInfo {
    /// The most delay a buzz on this link may be forgiven.
    pub fn allowance(&self) -> Duration {
        fairness::latency_allowance(
            self.recent_rtt,
            Some(self.processing.unwrap_or(Duration::ZERO)),
        )
    }
}

/// Why a page's message changed nothing.
#[derive(Debug)]
pub enum ActError {
    /// The rules refuse it.
    Refused(Refusal),
    /// It could not be saved, so it was not done.
    NotSaved(StoreError),
}

impl From<Refusal> for ActError {
    fn from(refusal: Refusal) -> Self {
        ActError::Refused(refusal)
    }
}

impl ActError {
    /// What the sender is told.
    pub fn to_wire(&self) -> WireError {
        match self {
            ActError::Refused(refusal) => WireError::Refused(refusal.clone()),
            ActError::NotSaved(_) => WireError::NotSaved,
        }
    }
}

impl std::fmt::Display for ActError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_wire().fmt(f)
    }
}

impl std::error::Error for ActError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ActError::Refused(refusal) => Some(refusal),
            ActError::NotSaved(e) => Some(e),
        }
    }
}

/// Why a saved room could not be rebuilt.
#[derive(Debug)]
pub enum RestoreError {
    /// A saved command is not one this version can read.
    Unreadable {
        /// The room's code.
        room: String,
        /// The command's place in the journal, from 1.
        place: usize,
        /// Why it cannot be read.
        source: crate::store::ReadError,
    },
    /// A saved command is refused by today's rules.
    NoLongerApplies {
        /// The room's code.
        room: String,
        /// The command's place in the journal, from 1.
        place: usize,
        /// Why the rules refuse it.
        refusal: Refusal,
    },
}

impl std::fmt::Display for RestoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RestoreError::Unreadable {
                room,
                place,
                source,
            } => {
                write!(
                    f,
                    "room {room}: saved command {place} cannot be read: {source}"
                )
            }
            RestoreError::NoLongerApplies { room, place, .. } => {
                write!(f, "room {room}: saved command {place} no longer applies")
            }
        }
    }
}

impl std::error::Error for RestoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RestoreError::Unreadable { source, .. } => Some(source),
            RestoreError::NoLongerApplies { refusal, .. } => Some(refusal),
        }
    }
}

/// The room is gone (the server is shutting down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomClosed;

impl std::fmt::Display for RoomClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("this game room has closed")
    }
}

impl std::error::Error for RoomClosed {}

/// A cheap, cloneable way to talk to one room.
#[derive(Clone, Debug)]
pub struct RoomHandle {
    code: Arc<str>,
    /// Shared by every handle: a new key shuts the old one out at once.
    host_key: Arc<std::sync::RwLock<Token>>,
    /// The teacher whose game it is (shared: a game can be handed on).
    owner: Arc<std::sync::atomic::AtomicI64>,
    board: Arc<Board>,
    requests: mpsc::Sender<Request>,
    /// Set by the room's task once its game is over, for the teacher page.
    finished: Arc<std::sync::atomic::AtomicBool>,
}

impl RoomHandle {
    /// Starts a new room's task and returns its handle.
    pub fn spawn(
        code: String,
        board: Arc<Board>,
        join_url: String,
        (host_key, owner): (Token, i64),
        store: Option<Arc<Store>>,
        max_players: usize,
    ) -> RoomHandle {
        let game = Game::new(board.clone());
        let journal = journal::Journal::new(store, code.clone(), 0, Vec::new());
        RoomHandle::launch(
            code,
            join_url,
            (host_key, owner),
            (game, journal, seats::Seats::default(), Duration::ZERO),
            max_players,
        )
    }

    /// Rebuilds a saved room by replaying its commands, and starts its task.
    /// Fails (naming the room and the command) if a saved command cannot be
    /// read or no longer applies, which would mean the rules changed under
    /// a saved game.
    pub fn restore(
        saved: SavedRoom,
        board: Arc<Board>,
        join_url: String,
        store: Arc<Store>,
        max_players: usize,
    ) -> Result<RoomHandle, RestoreError> {
        let code = saved.record.code.clone();
        let replayed = journal::replay(&code, board, &saved.commands)?;
        // The highest saved place, not the count: a journal from before
        // saves were checked may have a gap.
        let journal =
            journal::Journal::new(Some(store), code.clone(), saved.last_seq, replayed.log);
        let seats = seats::Seats::saved(
            saved
                .seats
                .into_iter()
                .map(|(token, player)| (token, PlayerId(player))),
        );
        let host_key = Token::from_saved(saved.record.host_key);
        let owner = saved.record.owner.unwrap_or(crate::store::accounts::OWNER);
        Ok(RoomHandle::launch(
            code,
            join_url,
            (host_key, owner),
            (replayed.game, journal, seats, replayed.clock),
            max_players,
        ))
    }

    fn launch(
        code: String,
        join_url: String,
        (host_key, owner): (Token, i64),
        (game, journal, seats, clock): (Game, journal::Journal, seats::Seats, Duration),
        max_players: usize,
    ) -> RoomHandle {
        let (requests, inbox) = mpsc::channel(REQUEST_QUEUE);
        let (updates, _) = broadcast::channel(UPDATE_BUFFER);
        let finished = Arc::new(std::sync::atomic::AtomicBool::new(game.is_cleared()));
        let board = game.board().clone();
        let task = RoomTask {
            finished: finished.clone(),
            code: code.clone(),
            join_url,
            game,
            // The clock carries on from the last saved command, so deadlines
            // and lockouts keep their meaning after a restart.
            started: Instant::now()
                .checked_sub(clock)
                .unwrap_or_else(Instant::now),
            journal,
            outbox: outbox::Outbox::default(),
            held_replies: Vec::new(),
            arriving: Vec::new(),
            updates,
            seats,
            lobby: lobby::Lobby::default(),
            presence: presence::Presence::default(),
            standings: None,
            standings_due: None,
            retry_after: None,
            max_players,
            closed: false,
        };
        tokio::spawn(task.run(inbox));
        RoomHandle {
            code: code.into(),
            host_key: Arc::new(std::sync::RwLock::new(host_key)),
            owner: Arc::new(std::sync::atomic::AtomicI64::new(owner)),
            board,
            requests,
            finished,
        }
    }

    /// The room code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The secret that opens the host's controls.
    pub fn host_key(&self) -> Token {
        // A poisoned lock still holds a whole key: a write only swaps it.
        self.host_key
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The teacher whose game it is.
    pub fn owner(&self) -> i64 {
        self.owner.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Hands the game to another teacher (already saved by the caller).
    pub fn set_owner(&self, teacher: i64) {
        self.owner
            .store(teacher, std::sync::atomic::Ordering::Relaxed);
    }

    /// Gives the room a new host key (already saved by the caller): the old
    /// one opens nothing from now on, and host pages it opened are closed.
    pub async fn replace_host_key(&self, key: Token) {
        *self.host_key.write().unwrap_or_else(|p| p.into_inner()) = key;
        self.tell(Request::HostKeyChanged).await;
    }

    /// The board being played.
    pub fn board(&self) -> &Arc<Board> {
        &self.board
    }

    /// Whether the game is over (a plain flag the room's task sets; no
    /// round trip to the room).
    pub fn is_finished(&self) -> bool {
        self.finished.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether the room's task still runs (a room that lost its lease in a
    /// cluster stops by itself).
    pub fn is_running(&self) -> bool {
        !self.requests.is_closed()
    }

    /// Sends the task a request that wants an answer, and waits for it.
    async fn ask<T>(
        &self,
        request: impl FnOnce(oneshot::Sender<T>) -> Request,
    ) -> Result<T, RoomClosed> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(request(reply))
            .await
            .map_err(|_| RoomClosed)?;
        answer.await.map_err(|_| RoomClosed)
    }

    /// Sends the task a request that wants no answer; if the room is gone
    /// there is nobody to tell.
    async fn tell(&self, request: Request) {
        let _ = self.requests.send(request).await;
    }

    /// Closes the room: every page is told `reason` and disconnected, and
    /// the room's task ends. Closing a closed room does nothing.
    pub async fn close(&self, reason: impl Into<String>) {
        self.tell(Request::Close {
            reason: reason.into(),
        })
        .await;
    }

    /// Stops running the room on this server without ending the game (it
    /// runs on another server now): pages see their connection end and
    /// reconnect, as after a restart.
    pub async fn hand_over(&self) {
        self.tell(Request::HandOver).await;
    }

    /// A fresh snapshot and subscription for a page that fell behind.
    pub async fn resync(&self, viewer: Viewer) -> Result<Subscription, RoomClosed> {
        self.ask(|reply| Request::Resync { viewer, reply }).await
    }

    /// Subscribes a page to the room.
    pub async fn connect(&self, who: Connect) -> Result<Subscription, RoomClosed> {
        self.ask(|reply| Request::Connect { who, reply }).await
    }

    /// Passes a page's message to the room and waits for its answer (sent
    /// once what it did is saved).
    pub async fn act(
        &self,
        viewer: Viewer,
        msg: ClientMsg,
        link: LinkInfo,
    ) -> Result<Reply, RoomClosed> {
        self.ask(|reply| Request::Act {
            viewer,
            msg,
            link,
            reply,
        })
        .await
    }

    /// Whether `token` is one of this room's seat tokens (a page coming
    /// back to its seat may use the sockets kept in reserve).
    pub async fn knows_seat(&self, token: String) -> bool {
        self.ask(|reply| Request::KnowsSeat { token, reply })
            .await
            .unwrap_or(false)
    }

    /// Tells the room what a player's connection measured. Advisory: if the
    /// room is busy the report is dropped rather than waited on.
    pub fn report_latency(&self, player: PlayerId, link: LinkInfo) {
        let _ = self.requests.try_send(Request::Latency {
            player,
            allowance: link.allowance(),
        });
    }

    /// Tells the room a page's connection ended, for the host's online list
    /// and the joins it left waiting.
    pub async fn disconnected(&self, viewer: Viewer, connection: u64) {
        self.tell(Request::Disconnected { viewer, connection })
            .await;
    }

    /// A report of the game so far, as tables ([`reports`]).
    pub async fn report(
        &self,
        which: reports::Report,
    ) -> Result<Vec<crate::table::Table>, RoomClosed> {
        self.ask(|reply| Request::Report { which, reply }).await
    }
}
