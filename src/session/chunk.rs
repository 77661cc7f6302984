//! [`Chunk`]: how much work fits in one timer tick. Long work (a rebuild, a generator) runs in
//! chunks between frames; a fixed chunk is either too small for cheap events or freezes the page
//! on costly ones (a scripted read model over large documents), so the size follows how long the
//! last chunks took per item.

/// A running estimate of the cost of one item, and the chunk that fits a time budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chunk {
    per_item_ms: f64,
}

impl Default for Chunk {
    fn default() -> Self {
        // A cautious first guess: 20 µs an item.
        Chunk { per_item_ms: 0.02 }
    }
}

impl Chunk {
    /// How many items to do now to take about `budget_ms`: at least 1, at most `max`.
    pub fn size(&self, budget_ms: f64, max: usize) -> usize {
        let fits = (budget_ms / self.per_item_ms).floor();
        if fits.is_finite() && fits >= 1.0 {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "clamped below")]
            let fits = fits.min(max as f64) as usize;
            fits.clamp(1, max.max(1))
        } else {
            1
        }
    }

    /// Learns from a chunk of `items` that took `took_ms`; recent chunks count most.
    pub fn record(&mut self, items: usize, took_ms: f64) {
        if items == 0 || !took_ms.is_finite() || took_ms < 0.0 {
            return;
        }
        #[allow(clippy::cast_precision_loss, reason = "an estimate")]
        let observed = (took_ms / items as f64).max(0.000_1);
        self.per_item_ms = 0.5 * self.per_item_ms + 0.5 * observed;
    }
}

#[cfg(test)]
mod tests {
    use super::Chunk;

    #[test]
    fn the_chunk_shrinks_for_costly_items_and_grows_for_cheap_ones() {
        let mut chunk = Chunk::default();
        let first = chunk.size(12.0, 10_000);
        assert_eq!(first, 600);
        // Items of 1 ms each: the chunk comes down to about the budget.
        for _ in 0..8 {
            let n = chunk.size(12.0, 10_000);
            chunk.record(n, n as f64 * 1.0);
        }
        assert!(
            (10..=14).contains(&chunk.size(12.0, 10_000)),
            "{:?}",
            chunk.size(12.0, 10_000)
        );
        // Items of 1 µs: up to the cap.
        for _ in 0..20 {
            let n = chunk.size(12.0, 10_000);
            chunk.record(n, n as f64 * 0.001);
        }
        assert_eq!(chunk.size(12.0, 10_000), 10_000);
    }

    #[test]
    fn odd_measurements_never_make_an_empty_or_endless_chunk() {
        let mut chunk = Chunk::default();
        chunk.record(0, 5.0);
        chunk.record(10, f64::NAN);
        chunk.record(10, -1.0);
        assert_eq!(chunk, Chunk::default());
        chunk.record(1, 1e9);
        assert_eq!(chunk.size(12.0, 100), 1);
        assert_eq!(chunk.size(12.0, 0), 1);
    }
}
