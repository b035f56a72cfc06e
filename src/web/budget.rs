//! Budgets per client address (an IPv6 /64 counts as one address): how
//! many wrong room codes one address may try, so the 7.9 million codes
//! cannot be swept, and how many players it may join.
//!
//! A token bucket per address, generous enough for a class behind one
//! school address: [`LOOKUP_BURST`] wrong codes at once, then
//! [`LOOKUP_PER_SECOND`]; and one for the whole server,
//! [`SERVER_LOOKUP_BURST`] then [`SERVER_LOOKUPS_PER_SECOND`], so even a
//! botnet cannot sweep faster. Once a budget is spent, a wrong code waits,
//! and so does a right code this address has never used (else a sweep
//! would learn from which codes still answer); a code the address already
//! used (the class's own room, whose projector or host page is on the same
//! school network, or a classmate joined) always answers
//! ([`KnownCodes`]). [`JOIN_BURST`] joins at once (a lecture hall behind one
//! address), then [`JOIN_PER_SECOND`].

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
/// Wrong codes the whole server takes at once.
pub const SERVER_LOOKUP_BURST: f64 = 600.0;
/// And per second after that (all 7.9 million codes would take over two
/// weeks).
pub const SERVER_LOOKUPS_PER_SECOND: f64 = 5.0;
/// Addresses remembered at most; full buckets are forgotten first.
const REMEMBERED: usize = 100_000;
/// Codes remembered per address.
const CODES_PER_ADDRESS: usize = 32;

/// The room codes each address has used successfully: those answer even
/// when the address has spent its budget on wrong codes (a student's
/// script sweeping codes must not stall the rest of the school). A std
/// mutex: held for one map update, never across an `.await`.
#[derive(Default)]
pub struct KnownCodes {
    codes: Mutex<HashMap<IpAddr, Vec<String>>>,
}

impl KnownCodes {
    /// Whether `address` has used `code` before.
    pub fn knows(&self, address: IpAddr, code: &str) -> bool {
        let address = crate::net::client_key(address);
        let codes = self.codes.lock().unwrap_or_else(|p| p.into_inner());
        codes
            .get(&address)
            .is_some_and(|c| c.iter().any(|k| k == code))
    }

    /// Remembers that `address` used `code`.
    pub fn remember(&self, address: IpAddr, code: &str) {
        let address = crate::net::client_key(address);
        let mut codes = self.codes.lock().unwrap_or_else(|p| p.into_inner());
        if codes.len() >= REMEMBERED && !codes.contains_key(&address) {
            codes.clear();
        }
        let known = codes.entry(address).or_default();
        if !known.iter().any(|k| k == code) {
            if known.len() >= CODES_PER_ADDRESS {
                known.remove(0);
            }
            known.push(code.to_owned());
        }
    }
}

/// One bucket for the whole server. A std mutex: held for one update.
pub struct ServerBudget {
    bucket: Mutex<TokenBucket>,
}

impl ServerBudget {
    /// A bucket of `burst` tokens refilled at `per_second`.
    pub fn new(burst: f64, per_second: f64) -> ServerBudget {
        ServerBudget {
            bucket: Mutex::new(TokenBucket::new(burst, per_second, Instant::now())),
        }
    }

    /// Whether a token is left.
    pub fn has_budget(&self) -> bool {
        let mut bucket = self.bucket.lock().unwrap_or_else(|p| p.into_inner());
        bucket.has_token(Instant::now())
    }

    /// Spends a token (none left: stays at none).
    pub fn spend(&self) {
        let mut bucket = self.bucket.lock().unwrap_or_else(|p| p.into_inner());
        bucket.spend(Instant::now());
    }
}

/// Token buckets by key (an address, an account). A std mutex: held for
/// one map update, never across an `.await`.
pub struct KeyedBudget<K> {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<K, TokenBucket>>,
}

impl<K: std::hash::Hash + Eq> KeyedBudget<K> {
    /// Buckets of `burst` tokens, refilled at `per_second`.
    pub fn new(burst: f64, per_second: f64) -> KeyedBudget<K> {
        KeyedBudget {
            burst,
            per_second,
            buckets: Mutex::default(),
        }
    }

    fn with<T>(&self, key: K, f: impl FnOnce(&mut TokenBucket, Instant) -> T) -> T {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= REMEMBERED {
            buckets.retain(|_, bucket| !bucket.is_full(now));
        }
        let bucket = buckets
            .entry(key)
            .or_insert_with(|| TokenBucket::new(self.burst, self.per_second, now));
        f(bucket, now)
    }

    /// Whether `key` has a token left now.
    pub fn has_budget_for(&self, key: K) -> bool {
        self.with(key, |bucket, now| bucket.has_token(now))
    }

    /// Spends one of `key`'s tokens (none left: stays at none).
    pub fn spend_for(&self, key: K) {
        self.with(key, |bucket, now| bucket.spend(now));
    }
}

/// Token buckets by client address: one IPv6 network is one client
/// ([`crate::net::client_key`]).
pub struct AddressBudget(KeyedBudget<IpAddr>);

impl AddressBudget {
    /// Buckets of `burst` tokens, refilled at `per_second`.
    pub fn new(burst: f64, per_second: f64) -> AddressBudget {
        AddressBudget(KeyedBudget::new(burst, per_second))
    }

    fn with<T>(&self, address: IpAddr, f: impl FnOnce(&mut TokenBucket, Instant) -> T) -> T {
        self.0.with(crate::net::client_key(address), f)
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
