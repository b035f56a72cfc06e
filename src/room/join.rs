//! Joining: a new player page asks for a seat by name; the name is checked
//! and judged, held for the host when it must be ([`super::lobby`]), and
//! the page is seated with a secret token it keeps to come back as itself.

use tokio::time::Instant;

use crate::game::words::Verdict;
use crate::game::{Command, Event, PlayerId, PlayerName, Refusal};
use crate::protocol::ServerMsg;
use crate::secret::Token;

use super::lobby;
use super::task::RoomTask;
use super::{LinkInfo, Reply, Viewer};
use crate::protocol::WireError;

impl RoomTask {
    pub(super) fn join(
        &mut self,
        viewer: Viewer,
        raw_name: &str,
        nonce: Option<String>,
        link: LinkInfo,
    ) -> Reply {
        if viewer != Viewer::Guest {
            return WireError::AlreadyJoined.into();
        }
        // A join whose welcome was lost (the connection dropped in
        // between) comes again with the same nonce: same seat, no ghost.
        let nonce = nonce.filter(|n| {
            (8..=64).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if let Some((player, token)) = nonce.as_ref().and_then(|n| self.seats.joined_with(n))
            && self.game.player(player).is_some_and(|p| !p.removed)
        {
            return self.welcome(player, token);
        }
        let name = match PlayerName::parse(raw_name) {
            Ok(name) => name,
            Err(e) => return WireError::from(Refusal::BadName(e)).into(),
        };
        // A name is never a link, filter or not; the rest is the host's
        // filter ([`crate::game::words`]).
        let verdict = crate::game::words::judge(name.as_str());
        let held = match verdict {
            Verdict::Address => {
                return WireError::NameWithAddress.into();
            }
            _ if !self.game.text_filter() => None,
            Verdict::Refused => {
                return WireError::OffensiveName.into();
            }
            Verdict::Held(reason) => Some(reason),
            Verdict::Fine => None,
        };
        let name = if self.game.approval() || held.is_some() {
            let Some(nonce) = nonce.as_ref() else {
                return WireError::ReloadToJoin.into();
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
                    return WireError::JoinRefused.into();
                }
                lobby::Asked::Busy => {
                    return WireError::RoomBusy.into();
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
            return WireError::JoinFailed.into();
        };
        let player = *player;
        if let Some(nonce) = nonce {
            self.seats.remember_join(nonce, player, seat.clone());
        }
        self.welcome(player, seat)
    }

    /// The host's answer to a join request.
    pub(super) fn answer_join(&mut self, request: u64, admit: bool) -> Reply {
        if !self.lobby.answer(request, admit, Instant::now()) {
            return WireError::RequestGone.into();
        }
        self.tell_host(&ServerMsg::JoinAnswered { request });
        Reply::default()
    }

    /// Seats this connection as `player` and tells it its seat token, and
    /// the scores counting itself.
    fn welcome(&mut self, player: PlayerId, token: String) -> Reply {
        self.connection(player, 1);
        let standings = self.phone_standings().clone();
        let Some(joined) = self.game.player(player) else {
            return WireError::JoinFailed.into();
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
}
