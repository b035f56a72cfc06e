//! What a room has to tell its pages, waiting until the commands behind it
//! are saved: each event rendered once per audience, gathered into as few
//! updates as possible, and sent on the room's broadcast channel.
//!
//! A burst of requests (a crowd joining, everyone buzzing) goes out as one
//! update, so the shared buffer holds one entry per burst, not one per
//! event. An event that marks the buzz clock, or that some players see in
//! their own version, closes the update it is in, so each connection can
//! act on it as it writes it.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use tokio::sync::broadcast;

use crate::game::{Event, Game};
use crate::protocol::ServerMsg;

use super::view::{self, FinalViewer};
use super::{Mark, Update};
use crate::protocol::Role;

/// Messages waiting to go out, in order.
#[derive(Default)]
pub(super) struct Outbox {
    /// Messages since the last closed update, per audience.
    host: Vec<Utf8Bytes>,
    board: Vec<Utf8Bytes>,
    players: Vec<Utf8Bytes>,
    /// Updates closed and waiting to be sent, oldest first.
    ready: Vec<Update>,
}

impl Outbox {
    /// Queues `msg` for the pages of each of `audiences`, serialised once.
    pub fn tell(&mut self, audiences: &[Role], msg: &ServerMsg) {
        let Some(text) = serialise(msg) else { return };
        for audience in audiences {
            self.queue(*audience).push(text.clone());
        }
    }

    fn queue(&mut self, audience: Role) -> &mut Vec<Utf8Bytes> {
        match audience {
            Role::Host => &mut self.host,
            Role::Board => &mut self.board,
            Role::Player => &mut self.players,
        }
    }

    /// Renders `event` of `game` for each audience and queues it.
    pub fn publish(&mut self, game: &Game, event: &Event, now: Duration) {
        let messages = Role::ALL.map(|audience| view::render(game, event, audience, now));
        // Serialise each distinct message once; the board and the players
        // usually get the same text and then share one buffer.
        let mut texts: [Option<Utf8Bytes>; 3] = Default::default();
        for (i, msg) in messages.iter().enumerate() {
            let Some(msg) = msg else { continue };
            let earlier = (0..i).find(|&j| messages[j].as_ref() == Some(msg));
            texts[i] = match earlier {
                Some(j) => texts[j].clone(),
                None => serialise(msg),
            };
        }
        let [host, board, players] = texts;
        // Teammates see their own side's Final wager and answer as they come in.
        let team = match event {
            Event::FinalWagered { player } | Event::FinalAnswered { player } if game.by_teams() => {
                view::final_player_view(game, *player, FinalViewer::OwnSide)
                    .and_then(|v| serialise(&ServerMsg::FinalPlayer(v)))
                    .map(|text| (game.side_of(*player), text))
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
            self.close(Mark::None);
            self.ready.push(Update {
                host,
                board,
                players,
                team: Some(team),
                mark,
            });
            return;
        }
        self.host.extend(host);
        self.board.extend(board);
        self.players.extend(players);
        if mark != Mark::None {
            self.close(mark);
        }
    }

    /// Closes what is queued into one update carrying `mark`.
    fn close(&mut self, mark: Mark) {
        if self.host.is_empty() && self.board.is_empty() && self.players.is_empty() {
            return;
        }
        let host = batch_text(&std::mem::take(&mut self.host));
        let board_messages = std::mem::take(&mut self.board);
        let players_messages = std::mem::take(&mut self.players);
        let board = batch_text(&board_messages);
        // The projector and the phones usually get the same messages.
        let players = if players_messages == board_messages {
            board.clone()
        } else {
            batch_text(&players_messages)
        };
        self.ready.push(Update {
            host,
            board,
            players,
            team: None,
            mark,
        });
    }

    /// Sends everything queued, in order.
    pub fn send(&mut self, updates: &broadcast::Sender<Arc<Update>>) {
        self.close(Mark::None);
        for update in self.ready.drain(..) {
            // An error only means nobody is subscribed right now.
            let _ = updates.send(Arc::new(update));
        }
    }

    /// Forgets everything queued (its commands were not saved).
    pub fn discard(&mut self) {
        *self = Outbox::default();
    }

    /// Sends every page a mark with no message (after what is queued).
    pub fn announce(&mut self, mark: Mark, updates: &broadcast::Sender<Arc<Update>>) {
        self.send(updates);
        let _ = updates.send(Arc::new(Update {
            mark,
            ..Update::default()
        }));
    }

    /// Tells every page to start again from a fresh snapshot: what it was
    /// about to be told has been taken back.
    pub fn resync_everyone(&mut self, updates: &broadcast::Sender<Arc<Update>>) {
        self.discard();
        let _ = updates.send(Arc::new(Update {
            mark: Mark::Resync,
            ..Update::default()
        }));
    }
}

fn serialise(msg: &ServerMsg) -> Option<Utf8Bytes> {
    match serde_json::to_string(msg) {
        Ok(text) => Some(Utf8Bytes::from(text)),
        Err(e) => {
            // Our own message types always serialise; log if not.
            tracing::error!("cannot serialise an update: {e}");
            None
        }
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
