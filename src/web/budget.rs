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

use crate::bucket::TokenBucket;

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
    buckets: Mutex<HashMap<IpAddr, TokenBucket>>,
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

    fn with<T>(&self, address: IpAddr, f: impl FnOnce(&mut TokenBucket, Instant) -> T) -> T {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= REMEMBERED {
            buckets.retain(|_, bucket| !bucket.is_full(now));
        }
        let bucket = buckets
            .entry(address)
            .or_insert_with(|| TokenBucket::new(self.burst, self.per_second, now));
        f(bucket, now)
    }

    /// Whether `address` has a token left now.
    pub fn has_budget(&self, address: IpAddr) -> bool {
        self.with(address, |bucket, now| bucket.has_token(now))
    }

    /// Spends one of `address`'s tokens (none left: stays at none).
    pub fn spend(&self, address: IpAddr) {
        self.with(address, |bucket, now| bucket.spend(now));
    }

    /// Spends a token if there is one; whether there was.
    pub fn take(&self, address: IpAddr) -> bool {
        self.with(address, |bucket, now| bucket.allow(now))
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
