//! Budgets per client address: how many wrong room codes one address may
//! try, so the 7.9 million codes cannot be swept, and how many players it
//! may join.
//!
//! A token bucket per address, generous enough for a class behind one
//! school address: [`LOOKUP_BURST`] wrong codes at once, then
//! [`LOOKUP_PER_SECOND`] (once spent, every look-up from it, right or
//! wrong, waits, so a sweep learns nothing more; sweeping at that pace
//! would take months); [`JOIN_BURST`] joins at once (a lecture hall behind
//! one address), then [`JOIN_PER_SECOND`].

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use tokio::time::Instant;

/// Wrong codes one address may try at once.
pub const LOOKUP_BURST: f64 = 60.0;
/// And per second after that.
pub const LOOKUP_PER_SECOND: f64 = 2.0;
/// Joins one address may make at once: a lecture hall behind one address.
pub const JOIN_BURST: f64 = 2_500.0;
/// And per second after that.
pub const JOIN_PER_SECOND: f64 = 100.0;
/// Addresses remembered at most; full buckets are forgotten first.
const REMEMBERED: usize = 100_000;

/// Token buckets by address. A std mutex: held for one map update, never
/// across an `.await`.
pub struct AddressBudget {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl AddressBudget {
    /// Buckets of `burst` tokens, refilled at `per_second`.
    pub fn new(burst: f64, per_second: f64) -> AddressBudget {
        AddressBudget {
            burst,
            per_second,
            buckets: Mutex::default(),
        }
    }

    fn refilled(&self, tokens: f64, since: Instant, now: Instant) -> f64 {
        (tokens + now.saturating_duration_since(since).as_secs_f64() * self.per_second)
            .min(self.burst)
    }

    /// Whether `address` has a token left now.
    pub fn has_budget(&self, address: IpAddr) -> bool {
        let now = Instant::now();
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets
            .get(&address)
            .is_none_or(|&(tokens, since)| self.refilled(tokens, since, now) >= 1.0)
    }

    /// Spends one of `address`'s tokens (none left: stays at none).
    pub fn spend(&self, address: IpAddr) {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= REMEMBERED {
            buckets
                .retain(|_, &mut (tokens, since)| self.refilled(tokens, since, now) < self.burst);
        }
        let (tokens, since) = buckets.entry(address).or_insert((self.burst, now));
        *tokens = (self.refilled(*tokens, *since, now) - 1.0).max(0.0);
        *since = now;
    }

    /// Spends a token if there is one; whether there was.
    pub fn take(&self, address: IpAddr) -> bool {
        if !self.has_budget(address) {
            return false;
        }
        self.spend(address);
        true
    }
}

#[cfg(test)]
mod tests {
    //! Budgets per address.
    use super::*;

    #[test]
    fn an_address_spends_its_burst_then_waits_while_others_are_untouched() {
        let budget = AddressBudget::new(3.0, 0.001);
        let one: IpAddr = [10, 0, 0, 1].into();
        let other: IpAddr = [10, 0, 0, 2].into();
        assert!((0..3).all(|_| budget.take(one)));
        assert!(!budget.take(one));
        assert!(!budget.has_budget(one));
        assert!(budget.take(other));
    }
}
