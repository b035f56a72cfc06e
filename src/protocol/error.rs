//! Why a page's message changed nothing, as the wire names it: one type for
//! every error a page can be sent ([`ServerMsg::Error`]). Each has a stable
//! code that the pages' catalogues translate (`error.<code>` in
//! `static/i18n/`), the numbers its words need, and English words for
//! anything that does not translate. [`WireError::ALL`] lists one of each,
//! so the catalogue test checks every code without reading source files.

use std::borrow::Cow;
use std::fmt;

use super::ServerMsg;
use crate::game::Refusal;

/// An error a page is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// The rules refused it.
    Refused(Refusal),
    /// Only the host's page may send that.
    HostOnly,
    /// The host removed this player.
    Removed,
    /// The seat (or page) sent more messages than its budget.
    SlowDown,
    /// Only a joined player may send that.
    JoinFirst {
        /// What the page tried, in English ("buzzing").
        before: &'static str,
    },
    /// A page that has a seat asked to join again.
    AlreadyJoined,
    /// The host asked for more players than the server takes in one game.
    ServerPlayerLimit {
        /// The server's limit (`--max-players`).
        count: usize,
    },
    /// A Final answer with offensive words, with the filter on.
    OffensiveAnswer,
    /// A name the filter refuses.
    OffensiveName,
    /// A name holding a web or mail address.
    NameWithAddress,
    /// A join with no nonce where the host must answer it (an old page).
    ReloadToJoin,
    /// The host did not let this page in.
    JoinRefused,
    /// The list of joins waiting for the host is full.
    RoomBusy,
    /// The join went through the rules but found no seat (never expected).
    JoinFailed,
    /// The host answered a join request that no longer waits.
    RequestGone,
    /// Play or pause asked of a clue with no sound or video.
    NoMedia,
    /// It could not be saved, so it did not happen.
    NotSaved,
    /// A binary message.
    NotJson,
    /// A message over [`super::MAX_CLIENT_MESSAGE_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// A message that is not one of ours.
    NotUnderstood {
        /// What the reader said, in English.
        detail: Cow<'static, str>,
    },
    /// Too many joins from one network at once.
    BusyNetwork,
    /// The room has closed.
    RoomClosed,
}

impl WireError {
    /// One of each error (and of each refusal of the rules), for checks
    /// over every code.
    pub const ALL: &'static [WireError] = &[
        WireError::HostOnly,
        WireError::Removed,
        WireError::SlowDown,
        WireError::JoinFirst { before: "playing" },
        WireError::AlreadyJoined,
        WireError::ServerPlayerLimit { count: 0 },
        WireError::OffensiveAnswer,
        WireError::OffensiveName,
        WireError::NameWithAddress,
        WireError::ReloadToJoin,
        WireError::JoinRefused,
        WireError::RoomBusy,
        WireError::JoinFailed,
        WireError::RequestGone,
        WireError::NoMedia,
        WireError::NotSaved,
        WireError::NotJson,
        WireError::TooLarge { bytes: 0 },
        WireError::NotUnderstood {
            detail: Cow::Borrowed(""),
        },
        WireError::BusyNetwork,
        WireError::RoomClosed,
    ];

    /// Every error a page can be sent: [`WireError::ALL`] and every refusal
    /// of the rules ([`Refusal::ALL`]).
    pub fn every() -> impl Iterator<Item = WireError> {
        WireError::ALL
            .iter()
            .cloned()
            .chain(Refusal::ALL.iter().cloned().map(WireError::Refused))
    }

    /// A stable name for this error, which pages look up in their
    /// translation catalogues (`error.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            WireError::Refused(refusal) => refusal.code(),
            WireError::HostOnly => "host_only",
            WireError::Removed => "removed",
            WireError::SlowDown => "slow_down",
            WireError::JoinFirst { .. } => "join_first",
            WireError::AlreadyJoined => "already_joined",
            WireError::ServerPlayerLimit { .. } => "server_player_limit",
            WireError::OffensiveAnswer => "offensive_answer",
            WireError::OffensiveName => "offensive_name",
            WireError::NameWithAddress => "name_with_address",
            WireError::ReloadToJoin => "reload_to_join",
            WireError::JoinRefused => "join_refused",
            WireError::RoomBusy => "room_busy",
            WireError::JoinFailed => "join_failed",
            WireError::RequestGone => "request_gone",
            WireError::NoMedia => "no_media",
            WireError::NotSaved => "not_saved",
            WireError::NotJson => "not_json",
            WireError::TooLarge { .. } => "too_large",
            WireError::NotUnderstood { .. } => "not_understood",
            WireError::BusyNetwork => "busy_network",
            WireError::RoomClosed => "room_closed",
        }
    }

    /// The numbers its translated words need, by name.
    pub fn params(&self) -> Vec<(&'static str, i64)> {
        match self {
            WireError::Refused(refusal) => refusal.params(),
            WireError::ServerPlayerLimit { count } => vec![("count", *count as i64)],
            WireError::TooLarge { bytes } => vec![("count", *bytes as i64)],
            _ => Vec::new(),
        }
    }

    /// The message that carries it.
    pub fn to_msg(&self) -> ServerMsg {
        ServerMsg::Error {
            message: self.to_string(),
            code: self.code().to_owned(),
            params: self
                .params()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.into()))
                .collect(),
        }
    }
}

impl From<Refusal> for WireError {
    fn from(refusal: Refusal) -> WireError {
        WireError::Refused(refusal)
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            WireError::Refused(refusal) => return refusal.fmt(f),
            WireError::ServerPlayerLimit { count } => {
                return write!(f, "This server takes at most {count} players in one game.");
            }
            WireError::TooLarge { bytes } => {
                return write!(
                    f,
                    "That message is too large ({bytes} bytes; the limit is {}).",
                    super::MAX_CLIENT_MESSAGE_BYTES
                );
            }
            WireError::JoinFirst { before } => {
                return write!(f, "Join the game before {before}.");
            }
            WireError::NotUnderstood { detail } => {
                return write!(f, "That message was not understood: {detail}.");
            }
            WireError::HostOnly => "Only the host can do that.",
            WireError::Removed => "The host removed you from this game.",
            WireError::SlowDown => "Too many messages; slow down.",
            WireError::AlreadyJoined => "Only a new player page can join.",
            WireError::OffensiveAnswer => "Please write your answer without offensive words.",
            WireError::OffensiveName => "Please choose another name.",
            WireError::NameWithAddress => {
                "A name cannot hold a web or mail address; please choose another name."
            }
            WireError::ReloadToJoin => "Please reload the page to join this game.",
            WireError::JoinRefused => "The host did not let you in.",
            WireError::RoomBusy => {
                "Many people are asking to join right now: try again in a moment."
            }
            WireError::JoinFailed => "Joining failed; please try again.",
            WireError::RequestGone => "That request is no longer waiting.",
            WireError::NoMedia => "This clue has no sound or video.",
            WireError::NotSaved => {
                "That could not be saved, so it did not happen: the server cannot write to its data folder or database. Try again; if it keeps failing, tell the teacher."
            }
            WireError::NotJson => "Messages must be JSON text.",
            WireError::BusyNetwork => {
                "Too many players are joining from your network right now; try again in a minute."
            }
            WireError::RoomClosed => "This game room has closed.",
        };
        f.write_str(text)
    }
}

impl std::error::Error for WireError {}

#[cfg(test)]
mod tests {
    //! Every error is listed once.
    use super::*;

    /// Where each error stands in [`WireError::ALL`]: a new variant fails
    /// to compile here until it is given the next place, and then the test
    /// fails until `ALL` lists it there.
    fn place(error: &WireError) -> usize {
        match error {
            WireError::HostOnly => 0,
            WireError::Removed => 1,
            WireError::SlowDown => 2,
            WireError::JoinFirst { .. } => 3,
            WireError::AlreadyJoined => 4,
            WireError::ServerPlayerLimit { .. } => 5,
            WireError::OffensiveAnswer => 6,
            WireError::OffensiveName => 7,
            WireError::NameWithAddress => 8,
            WireError::ReloadToJoin => 9,
            WireError::JoinRefused => 10,
            WireError::RoomBusy => 11,
            WireError::JoinFailed => 12,
            WireError::RequestGone => 13,
            WireError::NoMedia => 14,
            WireError::NotSaved => 15,
            WireError::NotJson => 16,
            WireError::TooLarge { .. } => 17,
            WireError::NotUnderstood { .. } => 18,
            WireError::BusyNetwork => 19,
            WireError::RoomClosed => 20,
            WireError::Refused(_) => usize::MAX,
        }
    }

    #[test]
    fn every_error_is_listed_once_with_its_own_code() {
        for (index, error) in WireError::ALL.iter().enumerate() {
            assert_eq!(place(error), index, "{error:?}");
        }
        assert_eq!(WireError::ALL.len(), 21, "a variant is missing from ALL");
        let mut codes = std::collections::BTreeSet::new();
        for error in WireError::every() {
            assert!(
                codes.insert(error.code()),
                "two errors share {}",
                error.code()
            );
        }
    }
}
