//! Seeded randomness: a SplitMix64 sequence per instance, derived from the run's seed and `n`.

/// Instance `n`'s own seed, so what it sends does not depend on the interleaving.
pub(super) fn instance_seed(seed: u64, n: u32) -> u64 {
    mix(seed ^ mix(u64::from(n).wrapping_add(0x9E37_79B9_7F4A_7C15)))
}

/// A SplitMix64 sequence (Steele, Lea and Flood, 2014), as the sandbox's `random_int` uses.
#[derive(Debug, Clone)]
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// An index below `count` (0 when `count` is 0).
    pub(super) fn below(&mut self, count: usize) -> usize {
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        match self.next().checked_rem(count) {
            Some(index) => usize::try_from(index).unwrap_or(0),
            None => 0,
        }
    }

    /// An integer in `lo..=hi` (`lo` when `hi < lo`).
    pub(super) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = i128::from(hi) - i128::from(lo) + 1;
        if span <= 0 {
            return lo;
        }
        i64::try_from(i128::from(lo) + i128::from(self.next()) % span).unwrap_or(lo)
    }

    /// True with probability `p`.
    pub(super) fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
