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

mod lobby;
pub mod reports;
pub(crate) mod view;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::time::Instant;

use crate::board::{Board, TileId};
use crate::bucket::TokenBucket;
use crate::game::words::Verdict;
use crate::game::{
    BuzzSettings, BuzzTiming, Command, Event, Game, HostCommand, PlayerId, PlayerName, Refusal,
    fairness,
};
use crate::protocol::{ClientMsg, Role, Sender, ServerMsg};
use crate::secret::Token;
use crate::store::{JournalEntry, SavedRoom, Store, StoreError};
use view::{Audience, FinalViewer};

/// Requests a room buffers before senders wait. A busy room slows the
/// connections that talk to it rather than growing without bound.
const REQUEST_QUEUE: usize = 1024;
/// Updates a page may fall behind by. A page further behind than this gets
/// a fresh snapshot instead of the updates it missed; the room never waits
/// for it and never buffers more for it. Each update is one burst of
/// requests, however many events it held.
pub const UPDATE_BUFFER: usize = 256;
/// Requests handled together before their updates go out.
const BURST: usize = 256;
/// How often phones are sent the standings while players join or leave
/// between clues.
const STANDINGS_EVERY: Duration = Duration::from_secs(1);

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
        match viewer.audience() {
            Audience::Host => self.host.as_ref(),
            Audience::Board => self.board.as_ref(),
            Audience::Players => self.players.as_ref(),
        }
    }
}

/// Who is on a connection, once the room has checked it: what it may do,
/// and what it sees. Its [`Audience`] (host, projector, phones) picks the
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

    /// The version of each update this viewer gets.
    pub fn audience(self) -> Audience {
        Audience::of(self.role())
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

impl Reply {
    /// A refusal with no numbers in it: `code` for translated pages,
    /// `message` in English.
    fn error(code: &str, message: impl Into<String>) -> Reply {
        Reply::error_with(code, Vec::new(), message)
    }

    fn error_with(code: &str, params: Vec<(&str, i64)>, message: impl Into<String>) -> Reply {
        Reply {
            direct: vec![ServerMsg::Error {
                message: message.into(),
                code: code.to_owned(),
                params: params
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.into()))
                    .collect(),
            }],
            now_acting_as: None,
        }
    }

    /// Why the rules (or the store) refused a message.
    fn refused(why: &ActError) -> Reply {
        match why {
            ActError::Refused(refusal) => Reply::refusal(refusal),
            ActError::NotSaved(_) => Reply::error("not_saved", why.to_string()),
        }
    }

    fn refusal(refusal: &Refusal) -> Reply {
        Reply::error_with(refusal.code(), refusal.params(), refusal.to_string())
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

/// What a room task is asked to do.
enum Request {
    Connect {
        who: Connect,
        reply: oneshot::Sender<Subscription>,
    },
    Act {
        viewer: Viewer,
        msg: ClientMsg,
        link: LinkInfo,
        reply: oneshot::Sender<Reply>,
    },
    /// Close the room: tell every page why, then stop.
    Close { reason: String },
    /// Stop running the room here without closing the game: another server
    /// runs it now, and the pages reconnect to it.
    HandOver,
    /// A page fell a whole buffer behind: a fresh snapshot and updates
    /// from then on, as the same viewer.
    Resync {
        viewer: Viewer,
        reply: oneshot::Sender<Subscription>,
    },
    /// Whether a seat token opens a seat in this room.
    KnowsSeat {
        token: String,
        reply: oneshot::Sender<bool>,
    },
    /// A player's latest latency allowance, for closing collection windows.
    Latency {
        player: PlayerId,
        allowance: Duration,
    },
    /// A page's connection ended.
    Disconnected { viewer: Viewer, connection: u64 },
    Report {
        which: reports::Report,
        reply: oneshot::Sender<Vec<crate::table::Table>>,
    },
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

impl std::fmt::Display for ActError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActError::Refused(refusal) => refusal.fmt(f),
            ActError::NotSaved(_) => f.write_str(
                "That could not be saved, so it did not happen: the server cannot write to its data folder. Try again; if it keeps failing, tell the teacher.",
            ),
        }
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
        /// What the JSON reader said.
        source: serde_json::Error,
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
            RestoreError::Unreadable { room, place, .. } => {
                write!(f, "room {room}: saved command {place} is unreadable")
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
    host_key: Token,
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
        host_key: Token,
        store: Option<Arc<Store>>,
        max_players: usize,
    ) -> RoomHandle {
        let game = Game::new(board.clone());
        let restored = Restored {
            game,
            seats: HashMap::new(),
            seq: 0,
            log: Vec::new(),
            clock: Duration::ZERO,
        };
        RoomHandle::launch(
            code,
            board,
            join_url,
            host_key,
            store,
            restored,
            max_players,
        )
    }

    /// Rebuilds a saved room by replaying its commands, and starts its task.
    /// Fails (naming the room and the command) if a saved command no longer
    /// applies, which would mean the rules changed under a saved game.
    pub fn restore(
        saved: SavedRoom,
        board: Arc<Board>,
        join_url: String,
        store: Arc<Store>,
        max_players: usize,
    ) -> Result<RoomHandle, RestoreError> {
        let code = saved.record.code.clone();
        let mut game = Game::new(board.clone());
        let mut clock = Duration::ZERO;
        let mut log = Vec::with_capacity(saved.commands.len());
        for (index, (at, json)) in saved.commands.iter().enumerate() {
            let command: Command =
                crate::store::read_command(json).map_err(|source| RestoreError::Unreadable {
                    room: code.clone(),
                    place: index + 1,
                    source,
                })?;
            game.apply(command.clone(), *at)
                .map_err(|refusal| RestoreError::NoLongerApplies {
                    room: code.clone(),
                    place: index + 1,
                    refusal,
                })?;
            log.push((*at, command));
            clock = *at;
        }
        let seats = saved
            .seats
            .into_iter()
            .map(|(token, player)| (token, PlayerId(player)))
            .collect();
        let restored = Restored {
            game,
            seats,
            // The highest saved place, not the count: a journal from before
            // saves were checked may have a gap.
            seq: saved.last_seq,
            log,
            clock,
        };
        let host_key = Token::from_saved(saved.record.host_key);
        Ok(RoomHandle::launch(
            code,
            board,
            join_url,
            host_key,
            Some(store),
            restored,
            max_players,
        ))
    }

    fn launch(
        code: String,
        board: Arc<Board>,
        join_url: String,
        host_key: Token,
        store: Option<Arc<Store>>,
        restored: Restored,
        max_players: usize,
    ) -> RoomHandle {
        let (requests, inbox) = mpsc::channel(REQUEST_QUEUE);
        let (updates, _) = broadcast::channel(UPDATE_BUFFER);
        let finished = Arc::new(std::sync::atomic::AtomicBool::new(
            restored.game.is_cleared(),
        ));
        let task = RoomTask {
            finished: finished.clone(),
            code: code.clone(),
            join_url,
            game: restored.game,
            seats: restored.seats,
            joins: HashMap::new(),
            latency: HashMap::new(),
            // The clock carries on from the last saved command, so deadlines
            // and lockouts keep their meaning after a restart.
            started: Instant::now()
                .checked_sub(restored.clock)
                .unwrap_or_else(Instant::now),
            store,
            seq: restored.seq,
            standings: None,
            standings_due: None,
            unsaved: Vec::new(),
            held_replies: Vec::new(),
            unsaved_lost: false,
            log: restored.log,
            online: HashMap::new(),
            updates,
            pending: Pending::default(),
            max_players,
            closed: false,
            budgets: HashMap::new(),
            team_changes: HashMap::new(),
            lobby: lobby::Lobby::default(),
        };
        tokio::spawn(task.run(inbox));
        RoomHandle {
            code: code.into(),
            host_key,
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
    pub fn host_key(&self) -> &Token {
        &self.host_key
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

    /// Closes the room: every page is told `reason` and disconnected, and
    /// the room's task ends. Closing a closed room does nothing.
    pub async fn close(&self, reason: impl Into<String>) {
        let _ = self
            .requests
            .send(Request::Close {
                reason: reason.into(),
            })
            .await;
    }

    /// Whether the room's task still runs (a room whose journal write
    /// failed in a cluster stops by itself).
    pub fn is_running(&self) -> bool {
        !self.requests.is_closed()
    }

    /// Stops running the room on this server without ending the game (it
    /// runs on another server now): pages see their connection end and
    /// reconnect, as after a restart.
    pub async fn hand_over(&self) {
        let _ = self.requests.send(Request::HandOver).await;
    }

    /// A fresh snapshot and subscription for a page that fell behind.
    pub async fn resync(&self, viewer: Viewer) -> Result<Subscription, RoomClosed> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Request::Resync { viewer, reply })
            .await
            .map_err(|_| RoomClosed)?;
        answer.await.map_err(|_| RoomClosed)
    }

    /// Subscribes a page to the room.
    pub async fn connect(&self, who: Connect) -> Result<Subscription, RoomClosed> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Request::Connect { who, reply })
            .await
            .map_err(|_| RoomClosed)?;
        answer.await.map_err(|_| RoomClosed)
    }

    /// Passes a page's message to the room and waits for its answer.
    pub async fn act(
        &self,
        viewer: Viewer,
        msg: ClientMsg,
        link: LinkInfo,
    ) -> Result<Reply, RoomClosed> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Request::Act {
                viewer,
                msg,
                link,
                reply,
            })
            .await
            .map_err(|_| RoomClosed)?;
        answer.await.map_err(|_| RoomClosed)
    }

    /// Whether `token` is one of this room's seat tokens (a page coming
    /// back to its seat may use the sockets kept in reserve).
    pub async fn knows_seat(&self, token: String) -> bool {
        let (reply, answer) = oneshot::channel();
        if self
            .requests
            .send(Request::KnowsSeat { token, reply })
            .await
            .is_err()
        {
            return false;
        }
        answer.await.unwrap_or(false)
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
        // If the room is gone there is nobody to tell.
        let _ = self
            .requests
            .send(Request::Disconnected { viewer, connection })
            .await;
    }

    /// A report of the game so far, as tables ([`reports`]).
    pub async fn report(
        &self,
        which: reports::Report,
    ) -> Result<Vec<crate::table::Table>, RoomClosed> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Request::Report { which, reply })
            .await
            .map_err(|_| RoomClosed)?;
        answer.await.map_err(|_| RoomClosed)
    }
}

/// A game rebuilt from the database (or a new one).
struct Restored {
    game: Game,
    seats: HashMap<String, PlayerId>,
    /// The last saved command's place in the journal.
    seq: u64,
    /// The saved commands, to replay if a save fails.
    log: Vec<(Duration, Command)>,
    /// The room clock at the last saved command.
    clock: Duration,
}

/// The state the room's task owns.
struct RoomTask {
    /// Shared with the handles: whether the game is over.
    finished: Arc<std::sync::atomic::AtomicBool>,
    code: String,
    join_url: String,
    game: Game,
    /// Seat tokens, so a player who reloads comes back as themselves.
    seats: HashMap<String, PlayerId>,
    /// Each join's nonce, with the seat it got, so a join sent again after
    /// its welcome was lost gets the same seat. In memory only: a lost
    /// welcome is retried within seconds.
    joins: HashMap<String, (PlayerId, String)>,
    /// Each connected player's latest latency allowance, reported by their
    /// connection.
    latency: HashMap<PlayerId, Duration>,
    /// The room's clock starts here; the game sees time since then.
    started: Instant,
    /// Where every accepted command is saved before its effect is published.
    store: Option<Arc<Store>>,
    /// Commands saved so far: the last entry's place in the journal.
    seq: u64,
    /// The phones' standings as of the last change to the game, so a wave
    /// of phones reconnecting costs one pass over the players, not one each.
    standings: Option<crate::protocol::Standings>,
    /// When the phones are next sent the standings, if they changed
    /// between clues ([`RoomTask::standings_changed`]).
    standings_due: Option<Instant>,
    /// On PostgreSQL: this burst's commands, applied but not yet saved.
    /// They are saved together before anything leaves the task.
    unsaved: Vec<Unsaved>,
    /// Replies held until the burst's commands are saved.
    held_replies: Vec<(oneshot::Sender<Reply>, Reply)>,
    /// A burst could not be saved: the room stops here, and its journal
    /// (everything any page was told) is taken up again from the database.
    unsaved_lost: bool,
    /// The saved commands, with their times, to put the game back as it
    /// was if a save fails. Kept only when there is a database.
    log: Vec<(Duration, Command)>,
    /// Open connections per player, for the host's online/away display.
    online: HashMap<PlayerId, u32>,
    updates: broadcast::Sender<Arc<Update>>,
    /// Messages of the requests handled since the last flush, per audience:
    /// a burst of requests (a crowd joining, everyone buzzing) goes out as
    /// one update, so the shared buffer holds one entry per burst, not one
    /// per event.
    pending: Pending,
    /// The most players the host may let in (the server's `--max-players`).
    max_players: usize,
    /// Set once the room is closing: the task ends after this burst.
    closed: bool,
    /// Each seat's message budget, shared by all of its pages.
    budgets: HashMap<PlayerId, TokenBucket>,
    /// Each seat's budget of team changes.
    team_changes: HashMap<PlayerId, TokenBucket>,
    /// Joins waiting for the host ([`lobby`]).
    lobby: lobby::Lobby,
}

/// A command applied but not yet saved (PostgreSQL saves a burst at once).
struct Unsaved {
    seq: u64,
    at: Duration,
    command: Command,
    new_seat: Option<(String, PlayerId)>,
    forget_seats_of: Option<PlayerId>,
}

/// Team changes one seat may make at once, and per second after that.
const TEAM_CHANGE_BURST: f64 = 3.0;
const TEAM_CHANGES_PER_SECOND: f64 = 0.2;

/// Messages one seat may send in a burst, and per second after that,
/// across all of its pages.
const SEAT_BURST: f64 = 20.0;
const SEAT_PER_SECOND: f64 = 10.0;

/// Messages waiting to go out as one update.
#[derive(Default)]
struct Pending {
    host: Vec<Utf8Bytes>,
    board: Vec<Utf8Bytes>,
    players: Vec<Utf8Bytes>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.host.is_empty() && self.board.is_empty() && self.players.is_empty()
    }
}

/// One message, or a `batch` of several, as one text.
fn batch_text(messages: &[Utf8Bytes]) -> Option<Utf8Bytes> {
    match messages {
        [] => None,
        [one] => Some(one.clone()),
        many => {
            let size = many.iter().map(|m| m.len() + 1).sum::<usize>() + 32;
            let mut text = String::with_capacity(size);
            text.push_str(r#"{"type":"batch","messages":["#);
            for (i, message) in many.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                text.push_str(message.as_str());
            }
            text.push_str("]}");
            Some(Utf8Bytes::from(text))
        }
    }
}

impl RoomTask {
    async fn run(mut self, mut inbox: mpsc::Receiver<Request>) {
        loop {
            let game_deadline = self.game.next_deadline().map(|at| self.started + at);
            let deadline = match (game_deadline, self.standings_due) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let request = tokio::select! {
                request = inbox.recv() => match request {
                    Some(request) => request,
                    None => break,
                },
                () = sleep_until_some(deadline) => {
                    let now = Instant::now();
                    if game_deadline.is_some_and(|at| at <= now) {
                        // Refusal is impossible for a tick; the events are published.
                        let _ = self.apply(Command::Tick);
                    }
                    if self.standings_due.is_some_and(|at| at <= now) {
                        self.send_standings();
                    }
                    self.flush(Mark::None);
                    if self.closed {
                        break;
                    }
                    continue;
                }
            };
            self.handle(request);
            // Whatever else is already waiting is handled now too, and all of
            // it goes out as one update: a burst costs the pages one message.
            // Bounded, so a flood cannot hold the flush back for long.
            for _ in 0..BURST {
                if self.closed {
                    break;
                }
                match inbox.try_recv() {
                    Ok(request) => self.handle(request),
                    Err(_) => break,
                }
            }
            self.flush(Mark::None);
            if self.closed {
                // Dropping the broadcast sender ends every page's updates
                // once they have read the closing message.
                break;
            }
        }
        tracing::debug!(room = %self.code, "room closed");
    }

    fn handle(&mut self, request: Request) {
        match request {
            Request::Connect { who, reply } => {
                // The new page's snapshot includes everything applied so
                // far, so what is pending goes out first, without it.
                self.flush(Mark::None);
                if self.unsaved_lost {
                    return;
                }
                // The page may have gone while waiting; nothing to undo.
                let _ = reply.send(self.connect(who));
            }
            Request::Close { reason } => {
                tracing::info!(room = %self.code, "room closed: {reason}");
                if let Ok(text) = serde_json::to_string(&ServerMsg::RoomClosed { reason }) {
                    let text = Utf8Bytes::from(text);
                    self.pending.host.push(text.clone());
                    self.pending.board.push(text.clone());
                    self.pending.players.push(text);
                }
                self.closed = true;
            }
            Request::HandOver => {
                tracing::info!(room = %self.code, "room handed over to another server");
                self.closed = true;
            }
            Request::Resync { viewer, reply } => {
                self.flush(Mark::None);
                if self.unsaved_lost {
                    return;
                }
                let _ = reply.send(self.resync(viewer));
            }
            Request::Act {
                viewer,
                msg,
                link,
                reply,
            } => {
                let answer = self.act(viewer, msg, link);
                // Told nothing before its burst is saved.
                if self.unsaved.is_empty() && self.held_replies.is_empty() {
                    let _ = reply.send(answer);
                } else if !self.unsaved_lost {
                    self.held_replies.push((reply, answer));
                }
            }
            Request::KnowsSeat { token, reply } => {
                let _ = reply.send(self.seats.contains_key(&token));
            }
            Request::Latency { player, allowance } => {
                // Only players still connected may buzz; a late report
                // from a closed page is ignored.
                if self.online.contains_key(&player) {
                    self.latency.insert(player, allowance);
                }
            }
            Request::Disconnected { viewer, connection } => {
                if let Viewer::Seat(player) = viewer {
                    self.presence(player, -1);
                }
                for request in self.lobby.connection_closed(connection) {
                    self.tell_host(&ServerMsg::JoinAnswered { request });
                }
            }
            Request::Report { which, reply } => {
                if self.commit() {
                    let _ = reply.send(which.tables(&self.game));
                }
            }
        }
    }

    /// The game's clock: time since the room started.
    fn now(&self) -> Duration {
        self.started.elapsed()
    }

    fn connect(&mut self, who: Connect) -> Subscription {
        let viewer = match who {
            Connect::Host => Viewer::Host,
            Connect::Board => Viewer::Board,
            Connect::Player { token } => token
                .and_then(|t| self.seats.get(&t).copied())
                .map_or(Viewer::Guest, Viewer::Seat),
        };
        let you = match viewer {
            Viewer::Seat(id) => Some(id),
            _ => None,
        };
        if let Some(player) = you {
            self.presence(player, 1);
        }
        self.subscribe(viewer)
    }

    /// A page that fell behind starts again from a fresh snapshot, as the
    /// same viewer (its presence is unchanged). A removed player's page
    /// becomes a guest's.
    fn resync(&mut self, viewer: Viewer) -> Subscription {
        let viewer = match viewer {
            Viewer::Seat(p) if self.game.player(p).is_none_or(|p| p.removed) => Viewer::Guest,
            other => other,
        };
        self.subscribe(viewer)
    }

    /// The snapshot `viewer` sees now, and its updates from now on: taken in
    /// one step, so the page can neither miss nor repeat an update.
    fn subscribe(&mut self, viewer: Viewer) -> Subscription {
        let you = match viewer {
            Viewer::Seat(id) => Some(id),
            _ => None,
        };
        let mut snapshot = view::snapshot(
            &self.game,
            viewer.role(),
            &self.code,
            &self.join_url,
            you,
            &|p| self.online.contains_key(&p),
            self.now(),
        );
        if viewer.audience() == Audience::Players {
            snapshot.standings = Some(self.phone_standings().clone());
        }
        if viewer == Viewer::Host {
            snapshot.limits = Some(view::limits(self.max_players));
            snapshot.join_requests = self.lobby.waiting();
        }
        Subscription {
            viewer,
            snapshot: ServerMsg::Snapshot(Box::new(snapshot)),
            updates: self.updates.subscribe(),
        }
    }

    fn act(&mut self, viewer: Viewer, msg: ClientMsg, link: LinkInfo) -> Reply {
        if msg.sender() == Sender::Host && viewer != Viewer::Host {
            return Reply::error("host_only", "Only the host can do that.");
        }
        if let Viewer::Seat(player) = viewer {
            if self.game.player(player).is_none_or(|p| p.removed) {
                return Reply::error("removed", "The host removed you from this game.");
            }
            // One budget per seat, shared by all its pages: opening more
            // sockets on the same seat buys no more messages.
            let budget = self
                .budgets
                .entry(player)
                .or_insert_with(|| TokenBucket::new(SEAT_BURST, SEAT_PER_SECOND, Instant::now()));
            if !budget.allow(Instant::now()) {
                return Reply::error("slow_down", "Too many messages; slow down.");
            }
        }
        let command = match msg {
            ClientMsg::Join { name, nonce } => return self.join(viewer, &name, nonce, link),
            ClientMsg::Buzz { reaction_ms, early } => {
                let Viewer::Seat(player) = viewer else {
                    return Reply::error("join_first", "Join the game before buzzing.");
                };
                return self.buzz(player, reaction_ms, early, link);
            }
            ClientMsg::AnswerJoin { request, admit } => return self.answer_join(request, admit),
            ClientMsg::RefuseAllJoins => {
                for request in self.lobby.refuse_all(Instant::now()) {
                    self.tell_host(&ServerMsg::JoinAnswered { request });
                }
                return Reply::default();
            }
            ClientMsg::Host(HostCommand::SetPlayerCap { max })
                if max as usize > self.max_players =>
            {
                return Reply::error_with(
                    "server_player_limit",
                    vec![("count", self.max_players as i64)],
                    format!(
                        "This server takes at most {} players in one game.",
                        self.max_players
                    ),
                );
            }
            // The host's commands go to the game as they came.
            ClientMsg::Host(command) => Command::Host(command),
            // Round trips are timed by the connection; nothing for the room.
            ClientMsg::Pong { .. } => return Reply::default(),
            ClientMsg::PlayMedia { playing } => return self.play_media(playing),
            ClientMsg::OpenClue { category, row } => Command::OpenClue {
                tile: TileId {
                    round: self.game.round(),
                    category,
                    row,
                },
            },
            ClientMsg::SetTeam { player, team } => {
                if let Err(refusal) = self.game.check_team_move(player, team) {
                    return Reply::refusal(&refusal);
                }
                Command::SetTeam { player, team }
            }
            ClientMsg::ChooseTeam { team } => {
                let Viewer::Seat(player) = viewer else {
                    return Reply::error("join_first", "Join the game before choosing a team.");
                };
                if let Err(refusal) = self.game.check_team_choice(player, team) {
                    return Reply::refusal(&refusal);
                }
                // A student picks a team and may change their mind, not
                // flip back and forth: each change is a journal row.
                let changes = self.team_changes.entry(player).or_insert_with(|| {
                    TokenBucket::new(TEAM_CHANGE_BURST, TEAM_CHANGES_PER_SECOND, Instant::now())
                });
                if !changes.allow(Instant::now()) {
                    return Reply::error("slow_down", "Too many messages; slow down.");
                }
                Command::SetTeam { player, team }
            }
            ClientMsg::PlaceDailyDoubles { per_round } => Command::PlaceDailyDoubles {
                per_round,
                seed: crate::secret::random_u64(),
            },
            ClientMsg::Wager { amount } => {
                let Viewer::Seat(player) = viewer else {
                    return Reply::error("join_first", "Join the game before wagering.");
                };
                Command::Wager { player, amount }
            }
            ClientMsg::FinalWager { amount } => {
                let Viewer::Seat(player) = viewer else {
                    return Reply::error("join_first", "Join the game before wagering.");
                };
                return self.final_reply(player, Command::FinalWager { player, amount });
            }
            ClientMsg::FinalAnswer { text } => {
                let Viewer::Seat(player) = viewer else {
                    return Reply::error("join_first", "Join the game before answering.");
                };
                if self.game.text_filter() && crate::game::text::is_offensive(&text) {
                    return Reply::error(
                        "offensive_answer",
                        "Please write your answer without offensive words.",
                    );
                }
                return self.final_reply(player, Command::FinalAnswer { player, text });
            }
            ClientMsg::SetBuzzSettings {
                mode,
                early_lockout_ms,
            } => Command::SetBuzzSettings {
                settings: BuzzSettings {
                    mode,
                    early_lockout: Duration::from_millis(early_lockout_ms.min(u32::MAX as u64)),
                },
            },
        };
        match self.apply(command) {
            Ok(_) => Reply::default(),
            Err(refusal) => Reply::refused(&refusal),
        }
    }

    /// Applies a player's Final wager or answer and shows them what was kept.
    fn final_reply(&mut self, player: PlayerId, command: Command) -> Reply {
        match self.apply(command) {
            Ok(_) => Reply {
                direct: view::final_player_view(&self.game, player, FinalViewer::OwnSide)
                    .map(ServerMsg::FinalPlayer)
                    .into_iter()
                    .collect(),
                now_acting_as: None,
            },
            Err(refusal) => Reply::refused(&refusal),
        }
    }

    fn buzz(
        &mut self,
        player: PlayerId,
        reaction_ms: Option<f64>,
        early: bool,
        link: LinkInfo,
    ) -> Reply {
        let timing = BuzzTiming {
            elapsed: link.since_buzzers_opened,
            claimed_ms: reaction_ms,
            recent_rtt: link.recent_rtt,
            // Unmeasured yet: no floor, but the check still applies.
            min_rtt: Some(link.min_rtt.unwrap_or(Duration::ZERO)),
            processing: Some(link.processing.unwrap_or(Duration::ZERO)),
            pressed_early: early,
        };
        // Only the first buzz of a window needs the armed players' latency:
        // once per window, O(players), never per buzz.
        let rivals = self
            .game
            .awaiting_first_buzz()
            .then(|| self.game.rivals(|p| self.latency.get(&p).copied()));
        match self.apply(Command::Buzz {
            player,
            timing,
            window: Duration::ZERO,
            rivals,
        }) {
            Ok(events) => {
                let early = events.iter().find_map(|e| match e {
                    Event::EarlyBuzz { player: p, lockout } if *p == player => Some(*lockout),
                    _ => None,
                });
                let direct = match early {
                    Some(lockout) => ServerMsg::LockedOut {
                        ms: lockout.as_millis() as u64,
                    },
                    None => ServerMsg::BuzzReceived,
                };
                Reply {
                    direct: vec![direct],
                    now_acting_as: None,
                }
            }
            Err(refusal) => Reply::refused(&refusal),
        }
    }

    fn join(
        &mut self,
        viewer: Viewer,
        raw_name: &str,
        nonce: Option<String>,
        link: LinkInfo,
    ) -> Reply {
        if viewer != Viewer::Guest {
            return Reply::error("already_joined", "Only a new player page can join.");
        }
        // A join whose welcome was lost (the connection dropped in
        // between) comes again with the same nonce: same seat, no ghost.
        let nonce = nonce.filter(|n| {
            (8..=64).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if let Some((player, token)) = nonce.as_ref().and_then(|n| self.joins.get(n)).cloned()
            && self.game.player(player).is_some_and(|p| !p.removed)
        {
            return self.welcome(player, token);
        }
        let name = match PlayerName::parse(raw_name) {
            Ok(name) => name,
            Err(e) => return Reply::refusal(&Refusal::BadName(e)),
        };
        // A name is never a link, filter or not; the rest is the host's
        // filter ([`crate::game::words`]).
        let verdict = crate::game::words::judge(name.as_str());
        let held = match verdict {
            Verdict::Address => {
                return Reply::error(
                    "name_with_address",
                    "A name cannot hold a web or mail address; please choose another name.",
                );
            }
            _ if !self.game.text_filter() => None,
            Verdict::Refused => {
                return Reply::error("offensive_name", "Please choose another name.");
            }
            Verdict::Held(reason) => Some(reason),
            Verdict::Fine => None,
        };
        let name = if self.game.approval() || held.is_some() {
            let Some(nonce) = nonce.as_ref() else {
                return Reply::error(
                    "reload_to_join",
                    "Please reload the page to join this game.",
                );
            };
            self.lobby.expire(Instant::now());
            match self.lobby.ask(
                nonce,
                name,
                held,
                link.connection,
                link.address.map(crate::net::client_key),
                Instant::now(),
            ) {
                lobby::Asked::Admitted(approved) => approved,
                lobby::Asked::Refused => {
                    return Reply::error("join_refused", "The host did not let you in.");
                }
                lobby::Asked::Busy => {
                    return Reply::error(
                        "room_busy",
                        "Many people are asking to join right now: try again in a moment.",
                    );
                }
                lobby::Asked::Waiting { new, replaced } => {
                    if let Some(request) = replaced {
                        self.tell_host(&ServerMsg::JoinAnswered { request });
                    }
                    if let Some(view) = new {
                        self.tell_host(&ServerMsg::JoinRequest(view));
                    }
                    return Reply {
                        direct: vec![ServerMsg::JoinWaiting],
                        now_acting_as: None,
                    };
                }
            }
        } else {
            name
        };
        let token = Token::generate();
        let seat = token.as_str().to_owned();
        let events = match self.apply_with(Command::Join { name }, |events| {
            events.iter().find_map(|e| match e {
                Event::PlayerJoined { player } => Some((seat.clone(), *player)),
                _ => None,
            })
        }) {
            Ok(events) => events,
            Err(refusal) => return Reply::refused(&refusal),
        };
        let Some(Event::PlayerJoined { player }) = events.first() else {
            return Reply::error("join_failed", "Joining failed; please try again.");
        };
        let player = *player;
        if let Some(nonce) = nonce {
            self.joins.insert(nonce, (player, seat.clone()));
        }
        self.welcome(player, seat)
    }

    /// The host's answer to a join request.
    fn answer_join(&mut self, request: u64, admit: bool) -> Reply {
        if !self.lobby.answer(request, admit, Instant::now()) {
            return Reply::error("request_gone", "That request is no longer waiting.");
        }
        self.tell_host(&ServerMsg::JoinAnswered { request });
        Reply::default()
    }

    /// Queues a message for the host's page alone.
    fn tell_host(&mut self, msg: &ServerMsg) {
        if let Ok(text) = serde_json::to_string(msg) {
            self.pending.host.push(Utf8Bytes::from(text));
        }
    }

    /// Seats this connection as `player` and tells it its seat token, and
    /// the scores counting itself.
    fn welcome(&mut self, player: PlayerId, token: String) -> Reply {
        self.presence(player, 1);
        let standings = self.phone_standings().clone();
        let Some(joined) = self.game.player(player) else {
            return Reply::error("join_failed", "Joining failed; please try again.");
        };
        Reply {
            direct: vec![ServerMsg::Welcome {
                player,
                name: joined.name.to_string(),
                token,
                score: joined.score,
                standings: Some(standings),
            }],
            now_acting_as: Some(Viewer::Seat(player)),
        }
    }

    /// The phones' standings as of now: kept until the game changes (a
    /// join only adds the newcomer), so a wave of phones connecting costs
    /// one pass over the players, not one each.
    fn phone_standings(&mut self) -> &crate::protocol::Standings {
        let game = &self.game;
        self.standings
            .get_or_insert_with(|| view::standings(game, view::LEADERS))
    }

    /// Notes that the phones' standings changed with no clue open (players
    /// joined or left), so they are sent to the phones at the next
    /// [`STANDINGS_EVERY`] tick: a crowd joining costs the phones one
    /// message a second, not one per join.
    fn standings_changed(&mut self) {
        if self.standings_due.is_none() {
            self.standings_due = Some(Instant::now() + STANDINGS_EVERY);
        }
    }

    /// Sends the phones the standings noted by [`RoomTask::standings_changed`].
    fn send_standings(&mut self) {
        self.standings_due = None;
        let msg = ServerMsg::Standings(self.phone_standings().clone());
        if let Ok(text) = serde_json::to_string(&msg) {
            self.pending.players.push(Utf8Bytes::from(text));
        }
    }

    /// Applies a command and, if it went through, saves it and tells every page.
    fn apply(&mut self, command: Command) -> Result<Vec<Event>, ActError> {
        self.apply_with(command, |_| None)
    }

    /// Decide, save, publish: the game applies `command`; the journal saves
    /// it (with the seat `seat_for` names, for a join, in the same
    /// transaction); only then are the pages told. If the save fails the
    /// game is put back as it was and the command is refused, so nothing a
    /// page is ever told can be lost by a crash.
    fn apply_with(
        &mut self,
        command: Command,
        seat_for: impl FnOnce(&[Event]) -> Option<(String, PlayerId)>,
    ) -> Result<Vec<Event>, ActError> {
        let now = self.now();
        let events = self.game.apply(command.clone(), now)?;
        self.keep_standings(&events);
        if events.contains(&Event::GameOver) {
            self.finished
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let seat = seat_for(&events);
        let removed = events.iter().find_map(|e| match e {
            Event::PlayerRemoved { player } => Some(*player),
            _ => None,
        });
        let saved_in_groups = self.store.as_deref().is_some_and(Store::commits_in_groups);
        if saved_in_groups && !events.is_empty() {
            self.seq += 1;
            self.unsaved.push(Unsaved {
                seq: self.seq,
                at: now,
                command: command.clone(),
                new_seat: seat.clone(),
                forget_seats_of: removed,
            });
            self.log.push((now, command));
        } else if let (Some(store), false) = (&self.store, events.is_empty()) {
            let entry = JournalEntry {
                seq: self.seq + 1,
                at: now,
                command: &command,
                new_seat: seat.as_ref().map(|(t, p)| (t.as_str(), *p)),
                forget_seats_of: removed,
            };
            if let Err(e) = store.append(&self.code, &entry) {
                tracing::error!(room = %self.code, "could not save a command, so it is refused: {e}");
                self.rebuild();
                return Err(ActError::NotSaved(e));
            }
            self.seq += 1;
            self.log.push((now, command));
        }
        if let Some((token, player)) = seat {
            self.seats.insert(token, player);
        }
        if let Some(player) = removed {
            // A removed player's seat no longer opens; O(seats), once per removal.
            self.seats.retain(|_, seat| *seat != player);
            self.joins.retain(|_, (seat, _)| *seat != player);
            self.latency.remove(&player);
            self.budgets.remove(&player);
            self.team_changes.remove(&player);
        }
        for event in &events {
            self.publish(event);
        }
        Ok(events)
    }

    /// Keeps the phones' standings in step with `events`: a join adds the
    /// newcomer to them; anything else makes them again when next needed.
    /// Joins and removals between clues are sent on to the phones.
    fn keep_standings(&mut self, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        let mut roster_changed = false;
        for event in events {
            match event {
                Event::PlayerJoined { player } => {
                    if let Some(standings) = self.standings.as_mut() {
                        view::standings_with_newcomer(standings, &self.game, *player);
                    }
                    roster_changed = true;
                }
                Event::PlayerRemoved { .. } | Event::TeamChanged { .. } => {
                    self.standings = None;
                    roster_changed = true;
                }
                _ => self.standings = None,
            }
        }
        if roster_changed && self.game.open_clue().is_none() {
            self.standings_changed();
        }
    }

    /// Puts the game back to what the journal holds, after a save failed.
    fn rebuild(&mut self) {
        let mut game = Game::new(self.game.board().clone());
        for (at, command) in &self.log {
            if let Err(refusal) = game.apply(command.clone(), *at) {
                // The same commands at the same times always apply again.
                tracing::error!(room = %self.code, "a saved command no longer applies: {refusal}");
            }
        }
        self.game = game;
        self.standings = None;
    }

    /// Plays or pauses the open clue's sound or video on the projector. Not a
    /// rule of the game, so not saved: after a restart the media is paused.
    fn play_media(&mut self, playing: bool) -> Reply {
        let has_media = self.game.open_clue().is_some_and(|open| {
            self.game
                .board()
                .clue(open.tile)
                .is_some_and(|c| c.audio.is_some() || c.video.is_some())
        });
        if !has_media {
            return Reply::error("no_media", "This clue has no sound or video.");
        }
        if let Ok(text) = serde_json::to_string(&ServerMsg::MediaPlayback { playing }) {
            let text = Utf8Bytes::from(text);
            self.pending.host.push(text.clone());
            self.pending.board.push(text);
        }
        Reply::default()
    }

    /// Counts a player's connections; tells the host when they come online
    /// or go away.
    fn presence(&mut self, player: PlayerId, change: i32) {
        let count = self.online.get(&player).copied().unwrap_or(0);
        let now = count.saturating_add_signed(change);
        if now == 0 {
            self.online.remove(&player);
            self.latency.remove(&player);
        } else {
            self.online.insert(player, now);
        }
        if (count == 0) != (now == 0) {
            let msg = ServerMsg::Presence {
                player,
                online: now > 0,
            };
            if let Ok(text) = serde_json::to_string(&msg) {
                self.pending.host.push(Utf8Bytes::from(text));
            }
        }
    }

    /// Renders `event` for each audience and queues it for the next flush.
    /// An event that marks the buzz clock, or that teammates see in their
    /// own version, goes out at once in an update of its own.
    fn publish(&mut self, event: &Event) {
        if self.unsaved_lost {
            return;
        }
        let now = self.now();
        let messages = Audience::ALL.map(|audience| view::render(&self.game, event, audience, now));
        // Serialise each distinct message once; the board and the players
        // usually get the same text and then share one buffer.
        let mut texts: [Option<Utf8Bytes>; 3] = Default::default();
        for (i, msg) in messages.iter().enumerate() {
            let Some(msg) = msg else { continue };
            let earlier = (0..i).find(|&j| messages[j].as_ref() == Some(msg));
            texts[i] = match earlier {
                Some(j) => texts[j].clone(),
                None => match serde_json::to_string(msg) {
                    Ok(text) => Some(Utf8Bytes::from(text)),
                    Err(e) => {
                        // Our own message types always serialise; log if not.
                        tracing::error!(room = %self.code, "cannot serialise update: {e}");
                        None
                    }
                },
            };
        }
        let [host, board, players] = texts;
        // Teammates see their own side's Final wager and answer as they come in.
        let team = match event {
            Event::FinalWagered { player } | Event::FinalAnswered { player }
                if self.game.by_teams() =>
            {
                view::final_player_view(&self.game, *player, FinalViewer::OwnSide)
                    .and_then(|v| serde_json::to_string(&ServerMsg::FinalPlayer(v)).ok())
                    .map(|text| (self.game.side_of(*player), Utf8Bytes::from(text)))
            }
            _ => None,
        };
        let mark = match event {
            Event::BuzzersOpened => Mark::BuzzersOpened,
            Event::BuzzersClosed | Event::ClueOpened { .. } | Event::ClueClosed { .. } => {
                Mark::BuzzersStopped
            }
            Event::PlayerRemoved { player } => Mark::Removed(*player),
            _ => Mark::None,
        };
        if let Some(team) = team {
            // A version for some players only cannot share a batch with
            // the others' messages.
            self.flush(Mark::None);
            if self.unsaved_lost {
                return;
            }
            let _ = self.updates.send(Arc::new(Update {
                host,
                board,
                players,
                team: Some(team),
                mark,
            }));
            return;
        }
        self.pending.host.extend(host);
        self.pending.board.extend(board);
        self.pending.players.extend(players);
        if mark != Mark::None {
            self.flush(mark);
        }
    }

    /// Saves the burst's commands (on PostgreSQL, where they wait to be
    /// saved together), then sends the replies held for them. If they cannot
    /// be saved, nothing of them is ever sent: the room stops here, its
    /// pages reconnect, and it is taken up again from what the journal
    /// holds. Returns whether the room may go on telling pages things.
    fn commit(&mut self) -> bool {
        if self.unsaved_lost {
            return false;
        }
        if self.unsaved.is_empty() {
            return true;
        }
        let unsaved = std::mem::take(&mut self.unsaved);
        let entries: Vec<JournalEntry<'_>> = unsaved
            .iter()
            .map(|u| JournalEntry {
                seq: u.seq,
                at: u.at,
                command: &u.command,
                new_seat: u.new_seat.as_ref().map(|(t, p)| (t.as_str(), *p)),
                forget_seats_of: u.forget_seats_of,
            })
            .collect();
        let saved = match &self.store {
            Some(store) => store.append_all(&self.code, &entries),
            None => Ok(()),
        };
        match saved {
            Ok(()) => {
                for (reply, answer) in self.held_replies.drain(..) {
                    let _ = reply.send(answer);
                }
                true
            }
            Err(e) => {
                tracing::error!(
                    room = %self.code,
                    "could not save {} commands; the room stops here and is taken up again from its journal: {e}",
                    entries.len()
                );
                self.unsaved_lost = true;
                self.closed = true;
                self.pending = Pending::default();
                // Dropped unanswered: those pages see the room end and
                // reconnect.
                self.held_replies.clear();
                false
            }
        }
    }

    /// Sends what is pending as one update, once the commands behind it are
    /// saved.
    fn flush(&mut self, mark: Mark) {
        if !self.commit() || self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let host = batch_text(&pending.host);
        let board = batch_text(&pending.board);
        // The projector and the phones usually get the same messages.
        let players = if pending.players == pending.board {
            board.clone()
        } else {
            batch_text(&pending.players)
        };
        // An error only means nobody is subscribed right now.
        let _ = self.updates.send(Arc::new(Update {
            host,
            board,
            players,
            team: None,
            mark,
        }));
    }
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until_some(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
