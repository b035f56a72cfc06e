//! The room's task: its request loop and the state only it touches.
//!
//! One request at a time, so the game needs no lock and the buzz order is
//! exactly the order in which buzzes reached the task. Requests already
//! waiting are handled together as a burst; at the end of each burst the
//! commands it applied are saved in one transaction ([`Journal::commit`])
//! and only then do their replies and updates go out ([`Outbox`]).
//!
//! One failure rule for both engines: a burst that cannot be saved is
//! never told. Its commands are taken back (the game goes back to what the
//! journal holds), whoever sent them is told it was not saved, and every
//! page starts again from a fresh snapshot. If the database says another
//! server runs the room now (a cluster's lease was lost), the room stops
//! here instead, and its pages reconnect to the new owner.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::time::Instant;

use crate::game::{Command, Event, Game, PlayerId};
use crate::protocol::{ServerMsg, Standings};

use super::journal::Journal;
use super::lobby::Lobby;
use super::outbox::Outbox;
use super::presence::Presence;
use super::seats::Seats;
use super::view;
use super::{ActError, Connect, LinkInfo, Reply, Subscription, Update, Viewer, reports};
use crate::protocol::ClientMsg;
use crate::protocol::Role;

/// Requests handled together before their commands are saved and their
/// updates go out.
const REQUESTS_PER_BURST: usize = 256;
/// How often phones are sent the standings while players join or leave
/// between clues.
const STANDINGS_EVERY: Duration = Duration::from_secs(1);
/// How long a room waits before trying its clock again after a save failed
/// (so a full disk does not spin it).
const RETRY_AFTER_FAILED_SAVE: Duration = Duration::from_secs(1);

/// What a room task is asked to do.
pub(super) enum Request {
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
    /// The host key was replaced: host pages it opened are closed.
    HostKeyChanged,
    /// A report of the game so far.
    Report {
        which: reports::Report,
        reply: oneshot::Sender<Vec<crate::table::Table>>,
    },
}

/// A page asking for its snapshot.
pub(super) enum Arrival {
    /// A page connecting.
    New(Connect),
    /// A page that fell behind, or whose updates were taken back, starting
    /// again as the same viewer.
    Again(Viewer),
}

/// The state the room's task owns.
pub(super) struct RoomTask {
    /// Shared with the handles: whether the game is over.
    pub finished: Arc<std::sync::atomic::AtomicBool>,
    pub code: String,
    pub join_url: String,
    pub game: Game,
    /// The room's clock starts here; the game sees time since then.
    pub started: Instant,
    /// Saving commands before anything is told of them.
    pub journal: Journal,
    /// What the pages are told once the burst is saved.
    pub outbox: Outbox,
    /// Replies held until the burst's commands are saved.
    pub held_replies: Vec<(oneshot::Sender<Reply>, Reply)>,
    /// Pages waiting for their snapshot until the burst is saved and sent.
    pub arriving: Vec<(Arrival, oneshot::Sender<Subscription>)>,
    pub updates: broadcast::Sender<Arc<Update>>,
    /// Seat tokens and join nonces.
    pub seats: Seats,
    /// Joins waiting for the host.
    pub lobby: Lobby,
    /// Connections, latencies and budgets.
    pub presence: Presence,
    /// The phones' standings as of the last change to the game, so a wave
    /// of phones reconnecting costs one pass over the players, not one each.
    pub standings: Option<Standings>,
    /// When the phones are next sent the standings, if they changed
    /// between clues.
    pub standings_due: Option<Instant>,
    /// No clock tick before this, after a save failed.
    pub retry_after: Option<Instant>,
    /// The most players the host may let in (the server's `--max-players`).
    pub max_players: usize,
    /// Set once the room is closing: the task ends after this burst.
    pub closed: bool,
}

impl RoomTask {
    pub async fn run(mut self, mut inbox: mpsc::Receiver<Request>) {
        loop {
            let game_deadline = self.game.next_deadline().map(|at| {
                let at = self.started + at;
                self.retry_after.map_or(at, |retry| at.max(retry))
            });
            let deadline = match (game_deadline, self.standings_due) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            tokio::select! {
                request = inbox.recv() => match request {
                    Some(request) => {
                        self.handle(request).await;
                        // Whatever else is already waiting is handled now
                        // too, and all of it is saved and goes out together:
                        // a burst costs one transaction and the pages one
                        // message. Bounded, so a flood cannot hold the
                        // flush back for long.
                        for _ in 0..REQUESTS_PER_BURST {
                            if self.closed {
                                break;
                            }
                            match inbox.try_recv() {
                                Ok(request) => self.handle(request).await,
                                Err(_) => break,
                            }
                        }
                    }
                    None => break,
                },
                () = sleep_until_some(deadline) => {
                    let now = Instant::now();
                    if game_deadline.is_some_and(|at| at <= now) {
                        self.retry_after = None;
                        // Refusal is impossible for a tick; the events are published.
                        let _ = self.apply(Command::Tick);
                    }
                    if self.standings_due.is_some_and(|at| at <= now) {
                        self.send_standings();
                    }
                }
            }
            self.flush().await;
            if self.closed {
                // Dropping the broadcast sender ends every page's updates
                // once they have read the closing message.
                break;
            }
        }
        tracing::debug!(room = %self.code, "room closed");
    }

    async fn handle(&mut self, request: Request) {
        match request {
            // A page's snapshot is taken once its burst is saved and sent,
            // so it neither shows what might still be taken back nor
            // misses or repeats an update (and a wave of pages connecting
            // amid a crowd's joins costs no extra commits).
            Request::Connect { who, reply } => self.arriving.push((Arrival::New(who), reply)),
            Request::Close { reason } => {
                tracing::info!(room = %self.code, "room closed: {reason}");
                self.outbox
                    .tell(&Role::ALL, &ServerMsg::RoomClosed { reason });
                self.closed = true;
            }
            Request::HandOver => {
                tracing::info!(room = %self.code, "room handed over to another server");
                self.closed = true;
            }
            Request::Resync { viewer, reply } => {
                self.arriving.push((Arrival::Again(viewer), reply));
            }
            Request::Act {
                viewer,
                msg,
                link,
                reply,
            } => {
                let answer = self.act(viewer, msg, link);
                // Told nothing before its burst is saved.
                if self.journal.has_staged() || !self.held_replies.is_empty() {
                    self.held_replies.push((reply, answer));
                } else {
                    let _ = reply.send(answer);
                }
            }
            Request::KnowsSeat { token, reply } => {
                let _ = reply.send(self.seats.player(&token).is_some());
            }
            Request::Latency { player, allowance } => {
                self.presence.report_latency(player, allowance);
            }
            Request::Disconnected { viewer, connection } => {
                if let Viewer::Seat(player) = viewer {
                    self.connection(player, -1);
                }
                for request in self.lobby.connection_closed(connection) {
                    self.tell_host(&ServerMsg::JoinAnswered { request });
                }
            }
            Request::HostKeyChanged => {
                self.flush().await;
                self.outbox
                    .announce(crate::room::Mark::HostKeyChanged, &self.updates);
            }
            Request::Report { which, reply } => {
                self.flush().await;
                if !self.closed {
                    let _ = reply.send(which.tables(&self.game));
                }
            }
        }
    }

    /// The game's clock: time since the room started.
    pub fn now(&self) -> Duration {
        self.started.elapsed()
    }

    fn connect(&mut self, who: Connect) -> Subscription {
        let viewer = match who {
            Connect::Host => Viewer::Host,
            Connect::Board => Viewer::Board,
            Connect::Player { token } => token
                .and_then(|t| self.seats.player(&t))
                .map_or(Viewer::Guest, Viewer::Seat),
        };
        if let Viewer::Seat(player) = viewer {
            self.connection(player, 1);
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
        let presence = &self.presence;
        let mut snapshot = view::snapshot(
            &self.game,
            viewer.role(),
            &self.code,
            &self.join_url,
            you,
            &|p| presence.is_online(p),
            self.now(),
        );
        if viewer.role() == Role::Player {
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

    /// Queues a message for the host's page alone.
    pub fn tell_host(&mut self, msg: &ServerMsg) {
        self.outbox.tell(&[Role::Host], msg);
    }

    /// Counts a player's connections; tells the host when they come online
    /// or go away.
    pub fn connection(&mut self, player: PlayerId, change: i32) {
        if let Some(online) = self.presence.connection(player, change) {
            self.tell_host(&ServerMsg::Presence { player, online });
        }
    }

    /// The phones' standings as of now: kept until the game changes (a
    /// join only adds the newcomer), so a wave of phones connecting costs
    /// one pass over the players, not one each.
    pub fn phone_standings(&mut self) -> &Standings {
        let game = &self.game;
        self.standings
            .get_or_insert_with(|| view::standings(game, view::LEADERS))
    }

    /// Sends the phones the standings noted by `keep_standings`.
    fn send_standings(&mut self) {
        self.standings_due = None;
        let msg = ServerMsg::Standings(self.phone_standings().clone());
        self.outbox.tell(&[Role::Player], &msg);
    }

    /// Applies a command; if it went through, stages it to be saved and
    /// queues its effects for every page.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, ActError> {
        self.apply_with(command, |_| None)
    }

    /// Decide, save, publish: the game applies `command`; the journal
    /// stages it (with the seat `seat_for` names, for a join, saved in the
    /// same transaction); its effects are told once the burst is saved.
    pub fn apply_with(
        &mut self,
        command: Command,
        seat_for: impl FnOnce(&[Event]) -> Option<(String, PlayerId)>,
    ) -> Result<Vec<Event>, ActError> {
        let now = self.now();
        let events = self.game.apply(command.clone(), now)?;
        if events.is_empty() {
            return Ok(events);
        }
        self.keep_standings(&events);
        if events.contains(&Event::GameOver) {
            self.finished
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let removed = events.iter().find_map(|e| match e {
            Event::PlayerRemoved { player } => Some(*player),
            _ => None,
        });
        self.journal.stage(now, command, seat_for(&events), removed);
        if let Some(player) = removed {
            self.presence.forget(player);
        }
        for event in &events {
            self.outbox.publish(&self.game, event, now);
        }
        Ok(events)
    }

    /// Keeps the phones' standings in step with `events`: a join adds the
    /// newcomer to them; anything else makes them again when next needed.
    /// Joins and removals between clues are sent on to the phones, at most
    /// once every [`STANDINGS_EVERY`]: a crowd joining costs the phones one
    /// message a second, not one per join.
    fn keep_standings(&mut self, events: &[Event]) {
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
        if roster_changed && self.game.open_clue().is_none() && self.standings_due.is_none() {
            self.standings_due = Some(Instant::now() + STANDINGS_EVERY);
        }
    }

    /// Saves the burst's commands, then sends the replies held for them
    /// and everything queued for the pages. The one failure rule is in the
    /// module's documentation.
    async fn flush(&mut self) {
        match self.journal.commit().await {
            Ok(saved) => {
                self.seats.saved_entries(&saved);
                for (reply, answer) in self.held_replies.drain(..) {
                    let _ = reply.send(answer);
                }
                self.outbox.send(&self.updates);
                self.welcome_arrivals();
            }
            Err(e) if e.room_lost => {
                tracing::error!(
                    room = %self.code,
                    "another server runs this room now; it stops here, and nothing of its last burst was told: {e}"
                );
                self.closed = true;
                self.outbox.discard();
                // Dropped unanswered: those pages see the room end and
                // reconnect to the new owner.
                self.held_replies.clear();
            }
            Err(e) => {
                tracing::error!(
                    room = %self.code,
                    "a burst of commands could not be saved, so none of it happened: {e}"
                );
                self.game = self.journal.rebuild(self.game.board().clone());
                self.finished
                    .store(self.game.is_cleared(), std::sync::atomic::Ordering::Relaxed);
                self.standings = None;
                self.seats.forget_unsaved_joins();
                let game = &self.game;
                self.presence
                    .keep_only(|p| game.player(p).is_some_and(|p| !p.removed));
                let why = ActError::NotSaved(e);
                for (reply, _) in self.held_replies.drain(..) {
                    let _ = reply.send(Reply::refused(&why));
                }
                self.outbox.resync_everyone(&self.updates);
                self.retry_after = Some(Instant::now() + RETRY_AFTER_FAILED_SAVE);
                self.welcome_arrivals();
            }
        }
    }
}

impl RoomTask {
    /// Gives each page waiting for it its snapshot and updates from now on
    /// (everything before has been sent), then sends what their arrival
    /// told the host (a player coming online). Nothing here is a command,
    /// so nothing waits to be saved.
    fn welcome_arrivals(&mut self) {
        if self.arriving.is_empty() || self.closed {
            return;
        }
        for (arrival, reply) in std::mem::take(&mut self.arriving) {
            let subscription = match arrival {
                Arrival::New(who) => self.connect(who),
                Arrival::Again(viewer) => self.resync(viewer),
            };
            // The page may have gone while waiting; nothing to undo.
            let _ = reply.send(subscription);
        }
        self.outbox.send(&self.updates);
    }
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until_some(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
