//! Seat identity: the secret token each player's page keeps to come back
//! as themselves, and each join's nonce, so a join sent again after its
//! welcome was lost gets the same seat instead of a ghost.
//!
//! Tokens are saved with the journal entry that made them and take effect
//! here once it is saved; nonces live in memory only (a lost welcome is
//! retried within seconds).

use std::collections::HashMap;

use crate::game::PlayerId;
use crate::store::JournalEntry;

/// The room's seats.
#[derive(Default)]
pub(super) struct Seats {
    /// Seat token to player.
    tokens: HashMap<String, PlayerId>,
    /// Join nonce to the seat it got.
    joins: HashMap<String, (PlayerId, String)>,
}

impl Seats {
    /// The seats saved with a room, `(token, player)`.
    pub fn saved(seats: impl IntoIterator<Item = (String, PlayerId)>) -> Seats {
        Seats {
            tokens: seats.into_iter().collect(),
            joins: HashMap::new(),
        }
    }

    /// The player a token seats, if any.
    pub fn player(&self, token: &str) -> Option<PlayerId> {
        self.tokens.get(token).copied()
    }

    /// The seat an earlier join with this nonce got: `(player, token)`.
    pub fn joined_with(&self, nonce: &str) -> Option<(PlayerId, String)> {
        self.joins.get(nonce).cloned()
    }

    /// Remembers the seat a join with `nonce` got.
    pub fn remember_join(&mut self, nonce: String, player: PlayerId, token: String) {
        self.joins.insert(nonce, (player, token));
    }

    /// Applies the seats made and taken away by saved entries.
    pub fn saved_entries(&mut self, entries: &[JournalEntry]) {
        for entry in entries {
            if let Some((token, player)) = &entry.new_seat {
                self.tokens.insert(token.clone(), *player);
            }
            if let Some(player) = entry.forget_seats_of {
                // O(seats), once per removal.
                self.tokens.retain(|_, seat| *seat != player);
                self.joins.retain(|_, (seat, _)| *seat != player);
            }
        }
    }

    /// Forgets joins whose seat was never saved (their burst failed).
    pub fn forget_unsaved_joins(&mut self) {
        let tokens = &self.tokens;
        self.joins
            .retain(|_, (_, token)| tokens.contains_key(token));
    }
}
