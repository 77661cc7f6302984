//! What the stream panels read: the stream list, a stream's readable span and a window of its
//! events for the timeline, one event, the store's counts.

use super::listing::{self, CategoryGroup, StreamFilter, StreamOrder};
use super::{Result, Workspace};
use crate::store::{Direction, RecordedEvent, Source};

impl Workspace {
    /// The streams whose id matches `filter` (a part of the id, or a pattern with `*` for any
    /// run of characters, e.g. `cart-*`), grouped by category (sorted by name); each group lists
    /// its first `listed` streams in `order` and counts the rest.
    pub fn streams(&self, filter: &str, order: StreamOrder, listed: usize) -> Vec<CategoryGroup> {
        listing::streams(self.services.main.store(), &StreamFilter::new(filter), order, listed)
    }

    /// The revisions a stream's readable events span, `(first, count)`: what its metadata
    /// (truncation, max count, max age) or a soft delete left readable is always a run at its end.
    pub fn stream_span(&self, stream_id: &str) -> Option<(u64, u64)> {
        let store = self.services.main.store();
        let edge = |from, direction| {
            store
                .read(Source::Stream(stream_id), from, 1, direction)
                .ok()
                .and_then(|events| events.first().map(|e| e.revision))
        };
        let first = edge(0, Direction::Forwards)?;
        let last = edge(u64::MAX, Direction::Backwards)?;
        Some((first, last + 1 - first))
    }

    /// `count` readable events of a stream from the `offset`-th one (0: the oldest readable),
    /// oldest first: a timeline's window.
    pub fn stream_page(&self, stream_id: &str, offset: u64, count: usize) -> Vec<RecordedEvent> {
        let Some((first, _)) = self.stream_span(stream_id) else {
            return Vec::new();
        };
        self.services
            .main
            .store()
            .read(Source::Stream(stream_id), first + offset, count, Direction::Forwards)
            .unwrap_or_default()
    }

    /// The event at a global position, if it is readable.
    pub fn event(&self, position: u64) -> Option<RecordedEvent> {
        self.services
            .main
            .store()
            .read(Source::All, position, 1, Direction::Forwards)
            .ok()?
            .into_iter()
            .find(|e| e.position == position)
    }

    /// How many events the store holds, locally or only in its archive.
    pub fn event_count(&self) -> u64 {
        let store = self.services.main.store();
        store.event_count() + store.archive_only_events()
    }

    /// The position the next event will get: the head of `$all`.
    pub fn head(&self) -> u64 {
        self.services.main.head()
    }

    /// Moves the simulated clock forward by `ms`; answers the new time.
    pub fn advance_clock(&mut self, ms: u64) -> Result<i64> {
        let now = self.services.main.advance_clock(ms)?;
        // The days a time-lapse was in that this move ended.
        self.close_days_through(now.div_euclid(super::DAY_MS) - 1);
        Ok(now)
    }

    /// The store as a snapshot document (JSON text).
    pub fn export_store(&self) -> String {
        self.services.main.store().export_json()
    }

    /// The lines scripts printed since the last call.
    pub fn take_log(&mut self) -> Vec<String> {
        self.services.main.take_log()
    }
}
