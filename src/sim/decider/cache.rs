//! [`FoldCache`]: the folds kept between commands, one per stream. The runtime's commands and
//! the linter share one cache (see [`crate::sim::Shared`]), so that either folds only the events
//! that came since the other one folded. A cache keeps at most a bound of streams and starts
//! over past it (a load generator touches many streams once).

use std::collections::HashMap;

use super::fold::Fold;

/// Streams' folded states by stream id, at most `max` of them.
#[derive(Clone, Default)]
pub struct FoldCache {
    folds: HashMap<String, Fold>,
    max: usize,
}

impl std::fmt::Debug for FoldCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FoldCache")
            .field("streams", &self.folds.len())
            .field("max", &self.max)
            .finish()
    }
}

impl FoldCache {
    /// An empty cache that keeps at most `max` streams.
    pub fn bounded(max: usize) -> Self {
        FoldCache {
            folds: HashMap::new(),
            max,
        }
    }

    /// Takes out the fold kept for a stream; a caller that continues it keeps the result again.
    pub(crate) fn take(&mut self, stream_id: &str) -> Option<Fold> {
        self.folds.remove(stream_id)
    }

    /// Keeps a stream's fold in place of the one before; a full cache starts over first. A fold
    /// of no events saves nothing and is not kept.
    pub(crate) fn keep(&mut self, stream_id: &str, fold: Fold) {
        if !fold.holds_events() {
            return;
        }
        if self.folds.len() >= self.max {
            self.folds.clear();
        }
        self.folds.insert(stream_id.to_owned(), fold);
    }

    /// How many streams have a fold kept.
    pub fn len(&self) -> usize {
        self.folds.len()
    }

    /// Whether no stream has a fold kept.
    pub fn is_empty(&self) -> bool {
        self.folds.is_empty()
    }

    /// Forgets every fold (the model changed).
    pub fn clear(&mut self) {
        self.folds.clear();
    }
}
