//! The folds kept between commands, one per stream. The runtime's commands and the linter share
//! one cache, so that either folds only the events that came since the other one folded.

use std::collections::HashMap;

use super::fold::Fold;

/// Streams' folded states by stream id.
#[derive(Clone, Default)]
pub(crate) struct FoldCache {
    folds: HashMap<String, Fold>,
}

impl FoldCache {
    /// Takes out the fold kept for a stream; a caller that continues it puts the result back.
    pub(crate) fn remove(&mut self, stream_id: &str) -> Option<Fold> {
        self.folds.remove(stream_id)
    }

    /// Keeps a stream's fold in place of the one before; a fold of no events saves nothing and
    /// is not kept.
    pub(crate) fn insert(&mut self, stream_id: String, fold: Fold) {
        if fold.holds_events() {
            self.folds.insert(stream_id, fold);
        }
    }

    /// How many streams have a fold kept.
    pub(crate) fn len(&self) -> usize {
        self.folds.len()
    }

    /// Forgets every fold (the model changed, or the cache grew too large).
    pub(crate) fn clear(&mut self) {
        self.folds.clear();
    }
}
