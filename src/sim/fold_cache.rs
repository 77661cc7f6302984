//! [`FoldCache`]: each stream's state as the last fold left it, so that the next command on the
//! stream (or the linter's next look at it) folds only what was appended since.
//!
//! The runtime keeps one and lends it to the linter (see [`super::Shared`]); a linter on its own
//! keeps its own. A cache holds at most a bound of streams and starts over past it (a load
//! generator touches many streams once).

use std::collections::HashMap;

use super::decider::Folded;

/// Folded stream states by stream id, at most `max` of them.
#[derive(Default)]
pub struct FoldCache {
    by_stream: HashMap<String, Folded>,
    max: usize,
}

impl FoldCache {
    /// An empty cache that keeps at most `max` streams.
    pub fn bounded(max: usize) -> Self {
        FoldCache {
            by_stream: HashMap::new(),
            max,
        }
    }

    /// Takes a stream's kept state out (to fold on from it, then [`FoldCache::keep`] it again).
    pub(crate) fn take(&mut self, stream_id: &str) -> Option<Folded> {
        self.by_stream.remove(stream_id)
    }

    /// Keeps a stream's state; a full cache starts over first.
    pub(crate) fn keep(&mut self, stream_id: &str, folded: Folded) {
        if self.by_stream.len() >= self.max {
            self.by_stream.clear();
        }
        self.by_stream.insert(stream_id.to_owned(), folded);
    }

    /// Forgets every stream, e.g. after a decider or an upcaster changed.
    pub fn clear(&mut self) {
        self.by_stream.clear();
    }

    /// How many streams are kept.
    pub fn len(&self) -> usize {
        self.by_stream.len()
    }

    /// Whether no stream is kept.
    pub fn is_empty(&self) -> bool {
        self.by_stream.is_empty()
    }
}
