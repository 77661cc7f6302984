//! One stream's state: its slots, revisions, metadata, deletion and running stats, and the rule
//! for which of its events a read can see.
//!
//! Revisions are not stored per event (each event's record keeps its index in the stream's slot
//! list, a `u32`). The events a stream still holds always have contiguous revisions, because everything that hides events hides a prefix (`truncate_before`, soft delete,
//! `max_count` keep the newest; `max_age` drops the oldest, and timestamps never decrease) and a
//! scavenge drops only hidden events. So the event at index `i` of the stream's slot list has
//! revision `first_revision + i`.

use std::mem::size_of;

use super::chunked::ChunkedVec;
use super::log::Log;
use super::metadata::StreamMetadata;
use super::natural::NaturalKey;
use super::revision::StreamState;

#[derive(Debug, Default)]
pub(crate) struct StreamEntry {
    pub name: Box<str>,
    /// Its place in natural order among its category's streams, shared with the category's
    /// indexes.
    pub key: NaturalKey,
    pub category: u32,
    /// Slots of the stored events, ascending.
    pub slots: ChunkedVec<u32>,
    /// Revision of `slots[0]`; when no event is stored, the revision the next one would have.
    pub first_revision: u64,
    /// The physical last revision, also counting hidden and scavenged events.
    pub last_revision: Option<u64>,
    /// Boxed: few streams have any, and an inline one would take a fifth of every entry.
    pub metadata: Option<Box<StreamMetadata>>,
    pub soft_deleted: bool,
    pub tombstoned: bool,
    pub bytes: u64,
    pub first_ts: i64,
    pub last_ts: i64,
    /// Appends rejected by the expected-revision check since the store was built.
    pub conflicts: u64,
    /// Appends of events made with `ExpectedRevision::Any`: no concurrency check at all.
    pub unchecked_appends: u64,
    /// In the archived partition (see `archive.rs`): only reads of the stream itself see it.
    pub archived: bool,
    /// Slots in the archive's log of this stream's uploaded events, ascending; those below the
    /// archive's local horizon are no longer in `slots`.
    pub cold: ChunkedVec<u32>,
    /// The lowest revision a read may ever return again: a scavenge removed the local events
    /// below it, so archived copies below it stay hidden whatever the metadata says later.
    pub floor: u64,
}

impl StreamEntry {
    pub fn new(name: &str, category: u32) -> Self {
        StreamEntry {
            name: name.into(),
            key: NaturalKey::of_stream(name),
            category,
            ..StreamEntry::default()
        }
    }

    pub fn state(&self) -> StreamState {
        StreamState {
            last_revision: self.last_revision,
            soft_deleted: self.soft_deleted,
            has_metadata: self.metadata.is_some(),
        }
    }

    /// The revision the next appended event gets, `None` on overflow.
    pub fn next_revision(&self) -> Option<u64> {
        self.last_revision.map_or(Some(0), |last| last.checked_add(1))
    }

    /// Records a stored event; `revision` must follow the previous stored one.
    pub fn push(&mut self, slot: u32, revision: u64, bytes: u64, ts: i64) {
        if self.slots.is_empty() {
            self.first_revision = revision;
            self.first_ts = ts;
        }
        self.slots.push(slot);
        self.last_revision = Some(self.last_revision.map_or(revision, |last| last.max(revision)));
        self.bytes += bytes;
        self.last_ts = ts;
    }

    /// Forgets the stored events (before a scavenge re-adds the survivors), keeping the state.
    pub fn clear_events(&mut self) {
        self.slots = ChunkedVec::default();
        self.first_revision = self.next_revision().unwrap_or(u64::MAX);
        self.bytes = 0;
    }

    /// The revision of the stored event at `index` of the slot list (its record's `index`).
    pub fn revision_at(&self, index: u32) -> u64 {
        self.first_revision.saturating_add(u64::from(index))
    }

    /// The first revision a read may return now: events below it are hidden by the tombstone,
    /// a soft delete, `truncate_before`, `max_count` or `max_age` (KurrentDB keeps an event when
    /// `timestamp >= now - max_age`). `u64::MAX` hides everything.
    pub fn visible_from(&self, log: &Log, now_ms: i64) -> u64 {
        if self.tombstoned {
            return u64::MAX;
        }
        let Some(metadata) = self.metadata.as_deref() else {
            return 0;
        };
        let mut from = self.cut_off_by_revision();
        if let Some(max_age) = metadata.max_age_ms {
            let oldest_kept = now_ms.saturating_sub(max_age);
            let index = self.slots.partition_point(|&slot| log.timestamp(slot) < oldest_kept);
            from = from.max(self.first_revision.saturating_add(index as u64));
        }
        from
    }

    /// The first revision `truncate_before` and `max_count` leave visible (0 without metadata).
    pub fn cut_off_by_revision(&self) -> u64 {
        let Some(metadata) = self.metadata.as_deref() else {
            return 0;
        };
        let mut from = metadata.truncate_before.unwrap_or(0);
        if let (Some(max_count), Some(last)) = (metadata.max_count, self.last_revision) {
            from = from.max(last.saturating_add(1).saturating_sub(max_count));
        }
        from
    }

    /// Whether a read may see this stream's event at `revision`, stamped `ts`, now: the same rule
    /// as [`StreamEntry::visible_from`], for one event that is not in `slots` (an archived copy).
    pub fn shows(&self, revision: u64, ts: i64, now_ms: i64) -> bool {
        if self.tombstoned || revision < self.floor.max(self.cut_off_by_revision()) {
            return false;
        }
        let max_age = self.metadata.as_ref().and_then(|m| m.max_age_ms);
        max_age.is_none_or(|age| ts >= now_ms.saturating_sub(age))
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        let metadata = self.metadata.as_ref().map_or(0, |_| size_of::<StreamMetadata>());
        self.name.len() + self.key.heap_bytes() + self.slots.heap_bytes() + self.cold.heap_bytes() + metadata
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::store::Placement;

    fn stream_with(log: &mut Log, stamps: &[i64]) -> StreamEntry {
        let mut stream = StreamEntry::new("s", 0);
        for (revision, &ts) in stamps.iter().enumerate() {
            let at = Placement {
                stream: 0,
                kind: 0,
                revision: revision as u64,
                ts,
                position: log.next_position(),
            };
            let slot = log.push(at, 0, "1", None);
            stream.push(slot, revision as u64, 1, ts);
        }
        stream
    }

    #[test]
    fn visibility_follows_the_metadata() {
        let mut log = Log::default();
        let mut stream = stream_with(&mut log, &[0, 10, 20, 30, 40]);
        let meta = |max_count, max_age_ms, truncate_before| StreamMetadata {
            max_count,
            max_age_ms,
            truncate_before,
        };
        let cases = [
            ("no metadata", None, 0),
            ("empty metadata", Some(meta(None, None, None)), 0),
            (
                "max_count 2 keeps revisions 3 and 4",
                Some(meta(Some(2), None, None)),
                3,
            ),
            ("max_count 9 keeps all", Some(meta(Some(9), None, None)), 0),
            ("truncate_before 2", Some(meta(None, None, Some(2))), 2),
            ("max_age 15 at 40 keeps ts >= 25", Some(meta(None, Some(15), None)), 3),
            (
                "max_age 10 at 40 keeps ts >= 30 (inclusive)",
                Some(meta(None, Some(10), None)),
                3,
            ),
            ("the strictest rule wins", Some(meta(Some(4), Some(25), Some(1))), 2),
        ];
        for (name, metadata, want) in cases {
            stream.metadata = metadata.map(Box::new);
            assert_eq!(stream.visible_from(&log, 40), want, "{name}");
        }
        stream.tombstoned = true;
        assert_eq!(stream.visible_from(&log, 40), u64::MAX, "tombstone hides everything");
    }

    #[test]
    fn revisions_follow_the_slots() {
        let mut log = Log::default();
        let mut stream = stream_with(&mut log, &[0, 0, 0]);
        assert_eq!(stream.revision_at(2), 2, "index 2");
        assert_eq!(stream.next_revision(), Some(3), "next revision");
        // A scavenge keeps revisions 1 and 2: they are re-added at indexes 0 and 1.
        stream.clear_events();
        stream.push(0, 1, 1, 0);
        stream.push(1, 2, 1, 0);
        assert_eq!(
            (stream.revision_at(0), stream.revision_at(1)),
            (1, 2),
            "after a scavenge"
        );
    }
}
