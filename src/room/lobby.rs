//! Joins waiting for the host: in approval mode every new player's, and
//! always a name the filter holds ("Dick", "Teacher"), until the host lets
//! them in or not.
//!
//! The list can never be locked shut by bots: only requests nobody has
//! answered count against its bounds; one page (connection) has at most
//! one request waiting (asking again with a new name replaces it); one
//! address has at most [`PER_ADDRESS`] waiting; a request goes when its
//! page's connection closes, and after [`WAITING_TTL`]; an answered one is
//! kept only until its page asks again, or [`ANSWERED_TTL`]. When the list
//! is full the page is told the room is busy (try again), never that the
//! host refused. The host may refuse everyone waiting at once.
//!
//! The name seated is the one the host approved: the same join sent again
//! with another name gets the approved one.
//!
//! In memory: after a restart waiting pages ask again.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use tokio::time::Instant;

use crate::game::PlayerName;
use crate::game::words::HoldReason;
use crate::protocol::JoinRequestView;

/// Most requests waiting for the host at once.
pub const MAX_WAITING: usize = 500;
/// Most requests waiting from one address (a whole class behind one school
/// address still fits).
pub const PER_ADDRESS: usize = 100;
/// How long a request waits for the host before it is dropped.
pub const WAITING_TTL: Duration = Duration::from_secs(15 * 60);
/// How long an answer waits for its page to ask again.
pub const ANSWERED_TTL: Duration = Duration::from_secs(120);

/// One join waiting for (or answered by) the host.
struct Request {
    /// The page's join nonce: it asks again with it.
    nonce: String,
    name: PlayerName,
    /// Why the filter held it, if it did (else approval mode did).
    held: Option<HoldReason>,
    /// The connection that asked, dropped with it.
    connection: u64,
    address: Option<IpAddr>,
    /// When it was made, or answered.
    since: Instant,
    /// The host's answer, once given.
    admitted: Option<bool>,
}

/// Where a join stands with the host.
#[derive(Debug, PartialEq)]
pub enum Asked {
    /// Waiting; `new` is the host's view of it when it was just made.
    Waiting {
        /// The request for the host's list, if it is new.
        new: Option<JoinRequestView>,
        /// An earlier request of the same page that this one replaced.
        replaced: Option<u64>,
    },
    /// Let in: seat this name (the one the host saw).
    Admitted(PlayerName),
    /// Not let in.
    Refused,
    /// The list is full: try again in a moment.
    Busy,
}

/// The joins waiting for the host.
#[derive(Default)]
pub struct Lobby {
    requests: BTreeMap<u64, Request>,
    next: u64,
}

impl Lobby {
    /// Where the join with `nonce` stands; the first time, it is put on the
    /// host's list.
    pub fn ask(
        &mut self,
        nonce: &str,
        name: PlayerName,
        held: Option<HoldReason>,
        connection: u64,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Asked {
        if let Some((&id, request)) = self.requests.iter().find(|(_, r)| r.nonce == nonce) {
            return match request.admitted {
                Some(true) => {
                    let name = request.name.clone();
                    self.requests.remove(&id);
                    Asked::Admitted(name)
                }
                Some(false) => {
                    self.requests.remove(&id);
                    Asked::Refused
                }
                None => {
                    // The page came back on a new connection: the request
                    // follows it.
                    if let Some(request) = self.requests.get_mut(&id) {
                        request.connection = connection;
                    }
                    Asked::Waiting {
                        new: None,
                        replaced: None,
                    }
                }
            };
        }
        // One waiting request per page: a new one replaces it.
        let replaced = self
            .requests
            .iter()
            .find(|(_, r)| r.connection == connection && r.admitted.is_none())
            .map(|(id, _)| *id);
        if let Some(id) = replaced {
            self.requests.remove(&id);
        }
        let waiting = self.waiting_count();
        let from_address = self
            .requests
            .values()
            .filter(|r| r.admitted.is_none() && address.is_some() && r.address == address)
            .count();
        if waiting >= MAX_WAITING || from_address >= PER_ADDRESS {
            return Asked::Busy;
        }
        self.next += 1;
        let id = self.next;
        let view = JoinRequestView {
            request: id,
            name: name.to_string(),
            held,
        };
        self.requests.insert(
            id,
            Request {
                nonce: nonce.to_owned(),
                name,
                held,
                connection,
                address,
                since: now,
                admitted: None,
            },
        );
        Asked::Waiting {
            new: Some(view),
            replaced,
        }
    }

    /// The host's answer to a waiting request; `false` if it is not waiting.
    pub fn answer(&mut self, request: u64, admit: bool, now: Instant) -> bool {
        match self.requests.get_mut(&request) {
            Some(waiting) if waiting.admitted.is_none() => {
                waiting.admitted = Some(admit);
                waiting.since = now;
                true
            }
            _ => false,
        }
    }

    /// The host refuses everyone waiting; returns their requests.
    pub fn refuse_all(&mut self, now: Instant) -> Vec<u64> {
        let mut refused = Vec::new();
        for (id, request) in &mut self.requests {
            if request.admitted.is_none() {
                request.admitted = Some(false);
                request.since = now;
                refused.push(*id);
            }
        }
        refused
    }

    /// Drops the waiting request of a connection that closed; returns it.
    pub fn connection_closed(&mut self, connection: u64) -> Vec<u64> {
        let gone: Vec<u64> = self
            .requests
            .iter()
            .filter(|(_, r)| r.connection == connection && r.admitted.is_none())
            .map(|(id, _)| *id)
            .collect();
        for id in &gone {
            self.requests.remove(id);
        }
        gone
    }

    /// Drops requests waiting too long, and answers nobody came back for;
    /// returns the waiting ones dropped (the host's list loses them).
    pub fn expire(&mut self, now: Instant) -> Vec<u64> {
        let mut dropped = Vec::new();
        self.requests.retain(|id, r| {
            let age = now.saturating_duration_since(r.since);
            match r.admitted {
                None if age > WAITING_TTL => {
                    dropped.push(*id);
                    false
                }
                Some(_) => age <= ANSWERED_TTL,
                None => true,
            }
        });
        dropped
    }

    /// How many requests wait for the host.
    pub fn waiting_count(&self) -> usize {
        self.requests
            .values()
            .filter(|r| r.admitted.is_none())
            .count()
    }

    /// The requests waiting, oldest first, as the host's page shows them.
    pub fn waiting(&self) -> Vec<JoinRequestView> {
        self.requests
            .iter()
            .filter(|(_, r)| r.admitted.is_none())
            .map(|(id, r)| JoinRequestView {
                request: *id,
                name: r.name.to_string(),
                held: r.held,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    //! Issue 21, holes 2 and 3: the list cannot be locked shut, and the
    //! approved name is the one seated.
    use super::*;

    fn name(text: &str) -> PlayerName {
        PlayerName::parse(text).unwrap()
    }

    fn address(n: u8) -> Option<IpAddr> {
        Some(IpAddr::from([10, 0, 0, n]))
    }

    #[test]
    fn one_page_cannot_queue_more_than_one_request() {
        let mut lobby = Lobby::default();
        let now = Instant::now();
        for i in 0..20 {
            lobby.ask(
                &format!("nonce-{i:04}"),
                name("Bot"),
                None,
                7,
                address(1),
                now,
            );
        }
        assert_eq!(lobby.waiting_count(), 1);
    }

    #[test]
    fn answered_requests_do_not_fill_the_list_and_a_full_list_says_busy_not_refused() {
        let mut lobby = Lobby::default();
        let now = Instant::now();
        for page in 0..MAX_WAITING as u64 {
            let asked = lobby.ask(
                &format!("n-{page:06}"),
                name("Bot"),
                None,
                page,
                Some(IpAddr::from([
                    10,
                    0,
                    (page / 200) as u8,
                    (page % 200) as u8,
                ])),
                now,
            );
            assert!(matches!(asked, Asked::Waiting { .. }));
        }
        assert_eq!(
            lobby.ask("student-1", name("Ana"), None, 9_999, address(250), now),
            Asked::Busy
        );
        lobby.refuse_all(now);
        assert!(matches!(
            lobby.ask("student-1", name("Ana"), None, 9_999, address(250), now),
            Asked::Waiting { new: Some(_), .. }
        ));
    }

    #[test]
    fn one_address_has_a_bounded_share_of_the_list() {
        let mut lobby = Lobby::default();
        let now = Instant::now();
        for page in 0..PER_ADDRESS as u64 {
            lobby.ask(
                &format!("n-{page:06}"),
                name("Bot"),
                None,
                page,
                address(1),
                now,
            );
        }
        assert_eq!(
            lobby.ask("n-extra", name("Bot"), None, 1_000, address(1), now),
            Asked::Busy
        );
        assert!(matches!(
            lobby.ask("n-other", name("Ana"), None, 1_001, address(2), now),
            Asked::Waiting { .. }
        ));
    }

    #[test]
    fn a_request_goes_when_its_page_closes_or_after_waiting_too_long() {
        let mut lobby = Lobby::default();
        let now = Instant::now();
        lobby.ask("nonce-aaaa", name("Ana"), None, 1, address(1), now);
        lobby.ask("nonce-bbbb", name("Ben"), None, 2, address(1), now);
        assert_eq!(lobby.connection_closed(1).len(), 1);
        assert_eq!(lobby.waiting_count(), 1);
        assert_eq!(
            lobby
                .expire(now + WAITING_TTL + Duration::from_secs(1))
                .len(),
            1
        );
        assert_eq!(lobby.waiting_count(), 0);
    }

    #[test]
    fn the_name_seated_is_the_one_the_host_approved() {
        let mut lobby = Lobby::default();
        let now = Instant::now();
        let Asked::Waiting {
            new: Some(view), ..
        } = lobby.ask("nonce-aaaa", name("Alice"), None, 1, address(1), now)
        else {
            panic!("a new request");
        };
        assert!(lobby.answer(view.request, true, now));
        assert_eq!(
            lobby.ask(
                "nonce-aaaa",
                name("Mr Smith (teacher)"),
                None,
                1,
                address(1),
                now
            ),
            Asked::Admitted(name("Alice"))
        );
    }
}
