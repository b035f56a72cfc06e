//! What each message a page sends does in the room: checks that the
//! sender may send it, turns it into a game command (or a room-level
//! action), and says what the sender alone is told.

use std::time::Duration;

use tokio::time::Instant;

use crate::board::TileId;
use crate::game::{BuzzSettings, BuzzTiming, Command, Event, HostCommand, PlayerId};
use crate::protocol::{ClientMsg, Sender, ServerMsg};

use super::task::RoomTask;
use super::view::{self, FinalViewer};
use super::{LinkInfo, Reply, Viewer};
use crate::protocol::Role;
use crate::protocol::WireError;

impl RoomTask {
    pub(super) fn act(&mut self, viewer: Viewer, msg: ClientMsg, link: LinkInfo) -> Reply {
        if msg.sender() == Sender::Host && viewer != Viewer::Host {
            return WireError::HostOnly.into();
        }
        if let Viewer::Seat(player) = viewer {
            if self.game.player(player).is_none_or(|p| p.removed) {
                return WireError::Removed.into();
            }
            // One budget per seat, shared by all its pages: opening more
            // sockets on the same seat buys no more messages.
            if !self.presence.allow_message(player) {
                return WireError::SlowDown.into();
            }
        }
        let command = match msg {
            ClientMsg::Join { name, nonce } => return self.join(viewer, &name, nonce, link),
            ClientMsg::Buzz { reaction_ms, early } => {
                let Viewer::Seat(player) = viewer else {
                    return WireError::JoinFirst { before: "buzzing" }.into();
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
                return WireError::ServerPlayerLimit {
                    count: self.max_players,
                }
                .into();
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
                    return WireError::from(refusal).into();
                }
                Command::SetTeam { player, team }
            }
            ClientMsg::ChooseTeam { team } => {
                let Viewer::Seat(player) = viewer else {
                    return WireError::JoinFirst {
                        before: "choosing a team",
                    }
                    .into();
                };
                if let Err(refusal) = self.game.check_team_choice(player, team) {
                    return WireError::from(refusal).into();
                }
                if !self.presence.allow_team_change(player) {
                    return WireError::SlowDown.into();
                }
                Command::SetTeam { player, team }
            }
            ClientMsg::PlaceDailyDoubles { per_round } => Command::PlaceDailyDoubles {
                per_round,
                seed: crate::secret::random_u64(),
            },
            ClientMsg::Wager { amount } => {
                let Viewer::Seat(player) = viewer else {
                    return WireError::JoinFirst { before: "wagering" }.into();
                };
                Command::Wager { player, amount }
            }
            ClientMsg::FinalWager { amount } => {
                let Viewer::Seat(player) = viewer else {
                    return WireError::JoinFirst { before: "wagering" }.into();
                };
                return self.final_reply(player, Command::FinalWager { player, amount });
            }
            ClientMsg::FinalAnswer { text } => {
                let Viewer::Seat(player) = viewer else {
                    return WireError::JoinFirst {
                        before: "answering",
                    }
                    .into();
                };
                if self.game.text_filter() && crate::game::text::is_offensive(&text) {
                    return WireError::OffensiveAnswer.into();
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
            .then(|| self.game.rivals(|p| self.presence.latency(p)));
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
            return WireError::NoMedia.into();
        }
        self.outbox.tell(
            &[Role::Host, Role::Board],
            &ServerMsg::MediaPlayback { playing },
        );
        Reply::default()
    }
}
