//! Who is here and how fast they may go: each seat's open connections (for
//! the host's online/away marks), its latest latency allowance (for fair
//! buzzing), and its message budgets, shared by all of its pages.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::bucket::TokenBucket;
use crate::game::PlayerId;

/// Messages one seat may send in a burst, and per second after that,
/// across all of its pages (and each page on its own: see `web::ws`).
pub const MESSAGE_BURST: f64 = 20.0;
/// See [`MESSAGE_BURST`].
pub const MESSAGES_PER_SECOND: f64 = 10.0;
/// Team changes one seat may make at once, and per second after that: a
/// student picks a team and may change their mind, not flip back and forth
/// (each change is a journal row).
const TEAM_CHANGE_BURST: f64 = 3.0;
const TEAM_CHANGES_PER_SECOND: f64 = 0.2;

/// The seats' connections, latencies and budgets.
#[derive(Default)]
pub(super) struct Presence {
    /// Open connections per player.
    online: HashMap<PlayerId, u32>,
    /// Each connected player's latest latency allowance, reported by their
    /// connection.
    latency: HashMap<PlayerId, Duration>,
    /// Each seat's message budget.
    budgets: HashMap<PlayerId, TokenBucket>,
    /// Each seat's budget of team changes.
    team_changes: HashMap<PlayerId, TokenBucket>,
}

impl Presence {
    /// Counts a connection of `player` opening (`+1`) or closing (`-1`).
    /// Returns `Some(online)` when the player came online or went away.
    pub fn connection(&mut self, player: PlayerId, change: i32) -> Option<bool> {
        let count = self.online.get(&player).copied().unwrap_or(0);
        let now = count.saturating_add_signed(change);
        if now == 0 {
            self.online.remove(&player);
            self.latency.remove(&player);
        } else {
            self.online.insert(player, now);
        }
        ((count == 0) != (now == 0)).then_some(now > 0)
    }

    /// Whether `player` has a page open.
    pub fn is_online(&self, player: PlayerId) -> bool {
        self.online.contains_key(&player)
    }

    /// Notes what a connected player's link allows; a late report from a
    /// closed page is ignored (only players still connected may buzz).
    pub fn report_latency(&mut self, player: PlayerId, allowance: Duration) {
        if self.is_online(player) {
            self.latency.insert(player, allowance);
        }
    }

    /// A player's latest latency allowance.
    pub fn latency(&self, player: PlayerId) -> Option<Duration> {
        self.latency.get(&player).copied()
    }

    /// Whether `player`'s seat may send another message now.
    pub fn allow_message(&mut self, player: PlayerId) -> bool {
        spend(
            &mut self.budgets,
            player,
            (MESSAGE_BURST, MESSAGES_PER_SECOND),
        )
    }

    /// Whether `player` may change team now.
    pub fn allow_team_change(&mut self, player: PlayerId) -> bool {
        spend(
            &mut self.team_changes,
            player,
            (TEAM_CHANGE_BURST, TEAM_CHANGES_PER_SECOND),
        )
    }

    /// Forgets a removed player's latency and budgets (their pages close).
    pub fn forget(&mut self, player: PlayerId) {
        self.latency.remove(&player);
        self.budgets.remove(&player);
        self.team_changes.remove(&player);
    }

    /// Forgets every player `exists` no longer knows (after a burst that
    /// seated them could not be saved).
    pub fn keep_only(&mut self, exists: impl Fn(PlayerId) -> bool) {
        self.online.retain(|p, _| exists(*p));
        self.latency.retain(|p, _| exists(*p));
        self.budgets.retain(|p, _| exists(*p));
        self.team_changes.retain(|p, _| exists(*p));
    }
}

/// Spends one token of `player`'s bucket in `buckets` (made with `(burst,
/// per second)` on first use); whether there was one.
fn spend(
    buckets: &mut HashMap<PlayerId, TokenBucket>,
    player: PlayerId,
    (burst, per_second): (f64, f64),
) -> bool {
    let now = Instant::now();
    buckets
        .entry(player)
        .or_insert_with(|| TokenBucket::new(burst, per_second, now))
        .allow(now)
}
