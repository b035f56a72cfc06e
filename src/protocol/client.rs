//! What pages send: [`ClientMsg`], who may send each ([`Sender`]), and
//! reading a message with an error that names what is wrong.

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::ServerMsg;
use super::is_false;
use crate::game::{BuzzMode, HostCommand, PlayerId, TeamId};

/// The largest WebSocket message a page may send, in bytes. Real messages
/// are well under 200 bytes; anything larger is refused without being read.
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 4 * 1024;

/// The first message a player page sends on each connection, before any
/// other: the seat token it kept from an earlier visit, if any. The token
/// travels here rather than in the socket's address, which proxies log.
/// The server answers with the room's snapshot for that seat (or, with no
/// token or an unknown one, for a guest who has not joined yet).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename = "hello")]
pub struct Hello {
    /// The seat's secret, from [`ServerMsg::Welcome`] on an earlier visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl Hello {
    /// Reads a hello; `None` for any other message (serde alone does not
    /// check a struct's tag).
    pub fn parse(text: &str) -> Option<Hello> {
        #[derive(Deserialize)]
        struct Tag<'a> {
            #[serde(rename = "type", borrow)]
            kind: std::borrow::Cow<'a, str>,
        }
        let tag: Tag = serde_json::from_str(text).ok()?;
        if tag.kind != "hello" {
            return None;
        }
        serde_json::from_str(text).ok()
    }
}

/// A message from a page to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// Player page: join the game under this name. Answered with
    /// [`ServerMsg::Welcome`] or an [`ServerMsg::Error`]. `nonce` is a
    /// random string the page keeps until it is welcomed: a join sent again
    /// with the same nonce (its welcome was lost with the connection) gets
    /// the same seat back instead of a second one.
    Join {
        /// The name, as shown.
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        /// A random string kept by the page until it is welcomed.
        nonce: Option<String>,
    },
    /// Player page: press the buzzer. `reaction_ms` is the time from the
    /// moment the page showed the buzzers as open to the press, measured by
    /// the page; the server checks it against what it measured itself.
    /// `early` says the press came before the page showed the buzzers as
    /// open (it locks the player out, whatever the server saw). Answered
    /// with [`ServerMsg::BuzzReceived`], [`ServerMsg::LockedOut`] or an
    /// [`ServerMsg::Error`].
    Buzz {
        #[serde(default)]
        /// The reaction the page measured, in milliseconds.
        reaction_ms: Option<f64>,
        #[serde(default, skip_serializing_if = "is_false")]
        /// Whether the page saw the press before it showed the buzzers open.
        early: bool,
    },
    /// Any page: the answer to a [`ServerMsg::Ping`], sent at once.
    Pong {
        /// The id of the ping it answers.
        id: u64,
    },
    /// Host: show the clue in this column (`category`) and row, both from 0.
    OpenClue {
        /// The column on the board, from 0.
        category: usize,
        /// The row on the board, from 0.
        row: usize,
    },
    /// Player: my Daily Double wager.
    Wager {
        /// The points wagered.
        amount: i64,
    },
    /// Player: my Final wager.
    FinalWager {
        /// The points wagered.
        amount: i64,
    },
    /// Player: my Final answer (plain text, at most 200 characters).
    FinalAnswer {
        /// The text.
        text: String,
    },
    /// Host: place this many Daily Doubles at random in each round still to
    /// play (0 to 3), on top of those the board marks.
    PlaceDailyDoubles {
        /// How many in each round.
        per_round: u8,
    },
    /// Host: put a player in a team (`null`: no team).
    SetTeam {
        /// The player concerned.
        player: PlayerId,
        /// The team concerned.
        team: Option<TeamId>,
    },
    /// Player: join this team (`null`: leave mine).
    ChooseTeam {
        /// The team concerned.
        team: Option<TeamId>,
    },
    /// Host: how buzzes are ordered, and the early-buzz lockout (0 turns it off, at most 2000).
    SetBuzzSettings {
        /// How buzzes are ordered.
        mode: BuzzMode,
        /// How long an early press locks a phone out, in milliseconds.
        early_lockout_ms: u64,
    },
    /// Host: play (`true`) or pause the open clue's sound or video on the projector.
    PlayMedia {
        /// Whether to play (or pause).
        playing: bool,
    },
    /// Host: refuse everyone waiting to join.
    RefuseAllJoins,
    /// Host: let a waiting player in (`admit`), or not.
    AnswerJoin {
        /// The number of the waiting join request.
        request: u64,
        /// Whether to let them in.
        admit: bool,
    },
    /// Host: a command for the game, sent as it is ([`HostCommand`]: open
    /// the buzzers, judge, reveal, undo, the room's settings...).
    #[serde(untagged)]
    Host(HostCommand),
}

/// Who may send a message: checked by the room before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The host's page (with the host key) only.
    Host,
    /// A player page that has joined (it acts for its own seat).
    Seat,
    /// A player page that has not joined yet.
    Guest,
    /// Any page (link upkeep).
    Any,
}

impl ClientMsg {
    /// Who may send this message. Every message is classified here, with
    /// no catch-all: a new message does not compile until it is.
    pub fn sender(&self) -> Sender {
        use ClientMsg::*;
        match self {
            Pong { .. } => Sender::Any,
            Join { .. } => Sender::Guest,
            Buzz { .. }
            | Wager { .. }
            | FinalWager { .. }
            | FinalAnswer { .. }
            | ChooseTeam { .. } => Sender::Seat,
            OpenClue { .. }
            | PlaceDailyDoubles { .. }
            | SetTeam { .. }
            | SetBuzzSettings { .. }
            | PlayMedia { .. }
            | AnswerJoin { .. }
            | RefuseAllJoins
            | Host(_) => Sender::Host,
        }
    }
}

impl ClientMsg {
    /// Reads a page's message. A message that does not read says why in
    /// terms of its own type (the host's commands are tried as such, so
    /// their errors name the field at fault, not "no variant matched").
    pub fn read(text: &str) -> Result<ClientMsg, serde_json::Error> {
        match serde_json::from_str(text) {
            Ok(msg) => Ok(msg),
            Err(first) => match serde_json::from_str::<HostCommand>(text) {
                Ok(command) => Ok(ClientMsg::Host(command)),
                Err(host) if host.to_string().starts_with("unknown variant") => {
                    let kind = serde_json::from_str::<serde_json::Value>(text)
                        .ok()
                        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned));
                    Err(match kind {
                        Some(kind) => serde::de::Error::custom(format!(
                            "there is no message of type {kind:?} (docs/protocol.md lists them)"
                        )),
                        None => first,
                    })
                }
                Err(host) => Err(host),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    //! The wire format: what the JSON looks like.
    use super::*;
    use crate::protocol::ServerMsg;

    #[test]
    fn client_messages_are_tagged_with_their_type() {
        let msg: ClientMsg =
            serde_json::from_str(r#"{"type":"open_clue","category":2,"row":4}"#).unwrap();
        assert_eq!(
            msg,
            ClientMsg::OpenClue {
                category: 2,
                row: 4
            }
        );
        let buzz: ClientMsg = serde_json::from_str(r#"{"type":"buzz"}"#).unwrap();
        assert_eq!(
            buzz,
            ClientMsg::Buzz {
                reaction_ms: None,
                early: false
            }
        );
        let timed: ClientMsg =
            serde_json::from_str(r#"{"type":"buzz","reaction_ms":212.5}"#).unwrap();
        assert_eq!(
            timed,
            ClientMsg::Buzz {
                reaction_ms: Some(212.5),
                early: false
            }
        );
        let early: ClientMsg = serde_json::from_str(r#"{"type":"buzz","early":true}"#).unwrap();
        assert_eq!(
            early,
            ClientMsg::Buzz {
                reaction_ms: None,
                early: true
            }
        );
    }

    #[test]
    fn an_unknown_message_type_does_not_parse() {
        assert!(serde_json::from_str::<ClientMsg>(r#"{"type":"win_game"}"#).is_err());
    }

    #[test]
    fn a_non_numeric_reaction_time_does_not_parse() {
        assert!(
            serde_json::from_str::<ClientMsg>(r#"{"type":"buzz","reaction_ms":"fast"}"#).is_err()
        );
    }

    #[test]
    fn server_messages_are_tagged_with_their_type() {
        let json = serde_json::to_string(&ServerMsg::LockedOut { ms: 250 }).unwrap();
        assert_eq!(json, r#"{"type":"locked_out","ms":250}"#);
    }
}

#[cfg(test)]
mod reading {
    //! What a page is told when its message cannot be read.
    use super::*;

    #[test]
    fn an_unknown_or_malformed_message_is_named_in_the_error() {
        for text in [
            r#"{"type":"nope"}"#,
            r#"{"type":"judge","correct":"yes"}"#,
            r#"{"type":"buzz","reaction_ms":"fast"}"#,
        ] {
            let error = ClientMsg::read(text).unwrap_err().to_string();
            assert!(!error.contains("untagged"), "{text}: {error}");
        }
    }
}
