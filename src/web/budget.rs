//! Budgets per client address: how many wrong room codes one address may
//! try, so the 7.9 million codes cannot be swept.
//!
//! A token bucket per address, generous enough for a class behind one
//! school address that mistypes codes: [`LOOKUP_BURST`] wrong codes at once,
//! then [`LOOKUP_PER_SECOND`]. Once an address's budget is spent, every
//! look-up from it (right or wrong) waits, so a sweep learns nothing more.
//! Sweeping at that pace would take months.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use tokio::time::Instant;

/// Wrong codes one address may try at once.
pub const LOOKUP_BURST: f64 = 60.0;
/// And per second after that.
pub const LOOKUP_PER_SECOND: f64 = 2.0;
/// Addresses remembered at most; full buckets are forgotten first.
const REMEMBERED: usize = 100_000;

/// Token buckets by address. A std mutex: held for one map update, never
/// across an `.await`.
#[derive(Default)]
pub struct AddressBudget {
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl AddressBudget {
    fn refilled(tokens: f64, since: Instant, now: Instant) -> f64 {
        (tokens + now.saturating_duration_since(since).as_secs_f64() * LOOKUP_PER_SECOND)
            .min(LOOKUP_BURST)
    }

    /// Whether `address` may look a code up now.
    pub fn may_look_up(&self, address: IpAddr) -> bool {
        let now = Instant::now();
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets
            .get(&address)
            .is_none_or(|&(tokens, since)| Self::refilled(tokens, since, now) >= 1.0)
    }

    /// Spends one of `address`'s wrong-code budget.
    pub fn missed(&self, address: IpAddr) {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= REMEMBERED {
            buckets.retain(|_, &mut (tokens, since)| {
                Self::refilled(tokens, since, now) < LOOKUP_BURST
            });
        }
        let (tokens, since) = buckets.entry(address).or_insert((LOOKUP_BURST, now));
        *tokens = (Self::refilled(*tokens, *since, now) - 1.0).max(0.0);
        *since = now;
    }
}
