//! A small, seedable source of numbers (SplitMix64): the same seed gives
//! the same numbers on every machine and every build. The rules use it to
//! place random Daily Doubles from a seed saved in the journal (so a replay
//! places them alike); tests, fuzzers and benchmarks use it for repeatable
//! runs. Not for secrets: those come from the operating system
//! ([`crate::secret`]).

/// SplitMix64 (Steele, Lea and Flood, 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// Numbers from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }
}

#[cfg(test)]
mod tests {
    //! The numbers never change.
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers_as_published_for_splitmix64() {
        // The first outputs for seed 0 of the reference implementation.
        let mut numbers = SplitMix64::new(0);
        assert_eq!(numbers.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(numbers.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }
}
