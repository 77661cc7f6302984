//! Store statistics: per stream, per category and per event type.
//!
//! The numbers are kept up to date on every append in O(1) per event (plus a name lookup), in the
//! catalog's entries; [`Store::stats`] only copies them out. They describe the events physically
//! stored: a delete or new metadata hides events from reads but they still count here until a
//! [`Store::scavenge`] removes them, which recomputes the numbers. Bytes are payload bytes of
//! compact JSON. They serialize in camelCase, as the JavaScript API shows them.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::Serialize;

use super::store::Store;

/// Every statistic of the store, serializable for the JavaScript API.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreStats {
    /// Events stored.
    pub events: u64,
    /// Payload bytes stored.
    pub bytes: u64,
    /// By stream id.
    pub streams: BTreeMap<String, StreamStats>,
    /// By category.
    pub categories: BTreeMap<String, CategoryStats>,
    /// By event type (all schema versions together).
    pub event_types: BTreeMap<String, EventTypeStats>,
}

/// One stream's statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamStats {
    /// Events stored.
    pub events: u64,
    /// Payload bytes stored.
    pub bytes: u64,
    /// Timestamp of the oldest stored event.
    pub first_timestamp_ms: Option<i64>,
    /// Timestamp of the newest stored event.
    pub last_timestamp_ms: Option<i64>,
    /// The physical last revision, also counting hidden and scavenged events.
    pub last_revision: Option<u64>,
    /// Soft-deleted and not written since.
    pub soft_deleted: bool,
    /// Hard-deleted.
    pub tombstoned: bool,
    /// Moved to the archive (read as cold reads, takes no appends).
    pub archived: bool,
    /// Appends rejected by the expected-revision check since the store was built or imported
    /// (failed writes are not part of a snapshot).
    pub conflicts: u64,
    /// Appends made with the expected revision `any`, i.e. without a concurrency check.
    pub unchecked_appends: u64,
}

/// One category's statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryStats {
    /// Streams of the category holding at least one event.
    pub streams: u64,
    /// Events stored.
    pub events: u64,
    /// Payload bytes stored.
    pub bytes: u64,
    /// Events per stream (of those holding events).
    pub average_stream_length: f64,
    /// Events in the longest stream.
    pub max_stream_length: u64,
    /// The longest stream (the first to reach that length).
    pub longest_stream: Option<String>,
    /// Timestamp of the category's oldest stored event.
    pub first_timestamp_ms: Option<i64>,
    /// Appends to its streams made with the expected revision `any` (no concurrency check).
    pub unchecked_appends: u64,
    /// The stream of the latest such append.
    pub last_unchecked_stream: Option<String>,
}

/// One event type's statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeStats {
    /// Events stored.
    pub events: u64,
    /// Payload bytes stored.
    pub bytes: u64,
}

impl Store {
    /// How many events are stored (what [`Store::stats`] reports as `events`), in constant time.
    pub fn event_count(&self) -> u64 {
        self.catalog.events
    }

    /// The statistics, copied out of the running counters.
    pub fn stats(&self) -> StoreStats {
        let catalog = &self.catalog;
        let streams = catalog
            .streams_by_name()
            .into_iter()
            .map(|s| (s.name.to_string(), stream_stats(s)))
            .collect();
        let categories = catalog
            .categories
            .iter()
            .map(|c| (c.name.to_string(), self.category_stats_of(c)))
            .collect();
        let event_types = catalog
            .types
            .iter()
            .map(|t| (t.name.to_string(), event_type_stats(t)))
            .collect();
        StoreStats {
            events: catalog.events,
            bytes: catalog.bytes,
            streams,
            categories,
            event_types,
        }
    }
}

impl Store {
    /// The streams that had appends rejected by the expected-revision check since the store was
    /// built, with how many, in the order of their first conflict.
    pub fn conflicted_streams(&self) -> impl Iterator<Item = (&str, u64)> {
        self.catalog
            .conflicted
            .iter()
            .filter_map(|&s| self.catalog.streams.get(s as usize))
            .map(|s| (&*s.name, s.conflicts))
    }

    /// Every stream with its statistics, in the order the streams were created (not sorted, and
    /// nothing copied): what a view that lists a few of many streams walks.
    pub fn each_stream(&self) -> impl Iterator<Item = (&str, StreamStats)> {
        self.catalog.streams.iter().map(|s| (&*s.name, stream_stats(s)))
    }

    /// The streams of a category whose ids sort at or after `from`, in id order, with their
    /// statistics (empty and tombstoned streams too): what a list of a category's first streams
    /// reads, at the cost of the streams it takes.
    pub fn category_streams<'s>(
        &'s self,
        category: &str,
        from: &str,
    ) -> impl Iterator<Item = (&'s str, StreamStats)> + 's {
        let members = self.catalog.category(category).map(|c| &c.members);
        members
            .map(|m| m.range::<str, _>((Bound::Included(from), Bound::Unbounded)))
            .into_iter()
            .flatten()
            .filter_map(|(_, &index)| self.stream_at(index))
    }

    /// The streams of a category in natural order of their ids (`cart-2` before `cart-10`, see
    /// [`natural_cmp`](super::natural_cmp)), with their statistics (empty and tombstoned streams
    /// too): what a list of a category's first streams reads, at the cost of the streams it takes.
    pub fn category_streams_natural<'s>(&'s self, category: &str) -> impl Iterator<Item = (&'s str, StreamStats)> + 's {
        let members = self.catalog.category(category).map(|c| c.natural.values());
        members.into_iter().flatten().filter_map(|&index| self.stream_at(index))
    }

    fn stream_at(&self, index: u32) -> Option<(&str, StreamStats)> {
        let stream = self.catalog.streams.get(index as usize)?;
        Some((&stream.name, stream_stats(stream)))
    }

    /// The categories' names, in the order they were created.
    pub fn category_names(&self) -> impl Iterator<Item = &str> {
        self.catalog.categories.iter().map(|c| &*c.name)
    }

    /// The streams with a tombstone, in the order they got it.
    pub fn tombstoned_streams(&self) -> impl Iterator<Item = (&str, StreamStats)> {
        self.catalog
            .tombstoned
            .iter()
            .filter_map(|&s| self.catalog.streams.get(s as usize))
            .map(|s| (&*s.name, stream_stats(s)))
    }

    /// Every event type with its statistics, in the order the types were first stored.
    pub fn each_event_type(&self) -> impl Iterator<Item = (&str, EventTypeStats)> {
        self.catalog.types.iter().map(|t| (&*t.name, event_type_stats(t)))
    }

    /// One stream's statistics, in constant time: what a check after each append reads.
    pub fn stream_stats(&self, stream_id: &str) -> Option<StreamStats> {
        let index = self.catalog.stream_index(stream_id)?;
        self.catalog.streams.get(index as usize).map(stream_stats)
    }

    /// One category's statistics, in constant time.
    pub fn category_stats(&self, category: &str) -> Option<CategoryStats> {
        self.catalog.category(category).map(|c| self.category_stats_of(c))
    }

    fn category_stats_of(&self, c: &super::catalog::CategoryEntry) -> CategoryStats {
        let events = c.slots.len() as u64;
        let longest = c
            .longest
            .and_then(|(stream, len)| Some(len).zip(self.catalog.streams.get(stream as usize)));
        CategoryStats {
            streams: c.streams,
            events,
            bytes: c.bytes,
            average_stream_length: if c.streams == 0 {
                0.0
            } else {
                events as f64 / c.streams as f64
            },
            max_stream_length: longest.map_or(0, |(len, _)| len),
            longest_stream: longest.map(|(_, s)| s.name.to_string()),
            first_timestamp_ms: c.slots.get(0).map(|slot| self.log.timestamp(*slot)),
            unchecked_appends: c.unchecked_appends,
            last_unchecked_stream: c
                .last_unchecked
                .and_then(|s| self.catalog.streams.get(s as usize))
                .map(|s| s.name.to_string()),
        }
    }
}

fn event_type_stats(t: &super::catalog::TypeEntry) -> EventTypeStats {
    EventTypeStats {
        events: t.slots.len() as u64,
        bytes: t.bytes,
    }
}

fn stream_stats(s: &super::stream::StreamEntry) -> StreamStats {
    let stored = !s.slots.is_empty();
    StreamStats {
        events: s.slots.len() as u64,
        bytes: s.bytes,
        first_timestamp_ms: stored.then_some(s.first_ts),
        last_timestamp_ms: stored.then_some(s.last_ts),
        last_revision: s.last_revision,
        soft_deleted: s.soft_deleted,
        tombstoned: s.tombstoned,
        archived: s.archived,
        conflicts: s.conflicts,
        unchecked_appends: s.unchecked_appends,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Config, ExpectedRevision, NewEvent};
    use serde_json::json;

    #[test]
    fn stats_count_what_is_stored() {
        let mut store = Store::new(Config {
            clock_start_ms: 100,
            ..Config::default()
        });
        let event = |t: &str| NewEvent::new(t, json!({"n": 1})); // 7 bytes
        let appends = [
            ("cart-1", 2, "Added"),
            ("cart-2", 3, "Added"),
            ("cart-1", 1, "Paid"),
            ("user", 1, "Joined"),
        ];
        for (stream, n, event_type) in appends {
            let events = (0..n).map(|_| event(event_type)).collect();
            assert!(
                store.append(stream, ExpectedRevision::Any, events).is_ok(),
                "append to {stream}"
            );
            let _ = store.advance_ms(10);
        }
        let stats = store.stats();
        assert_eq!((stats.events, stats.bytes), (7, 49), "totals");
        assert_eq!(store.event_count(), stats.events);
        let cart1 = &stats.streams["cart-1"];
        assert_eq!(
            (
                cart1.events,
                cart1.bytes,
                cart1.first_timestamp_ms,
                cart1.last_timestamp_ms,
                cart1.last_revision
            ),
            (3, 21, Some(100), Some(120), Some(2)),
            "cart-1"
        );
        let carts = &stats.categories["cart"];
        assert_eq!(
            (carts.streams, carts.events, carts.max_stream_length),
            (2, 6, 3),
            "cart category"
        );
        assert_eq!(
            carts.longest_stream.as_deref(),
            Some("cart-2"),
            "first stream to reach 3 events"
        );
        assert_eq!(carts.average_stream_length, 3.0, "average");
        assert_eq!(
            stats.categories["user"].streams, 1,
            "a stream without dash is its own category"
        );
        assert_eq!(
            stats.event_types["Added"],
            EventTypeStats { events: 5, bytes: 35 },
            "Added"
        );
        let json = serde_json::to_value(&stats).ok();
        assert_eq!(
            json.and_then(|j| j["eventTypes"]["Paid"]["events"].as_u64()),
            Some(1),
            "serializes"
        );
    }

    #[test]
    fn a_categorys_streams_come_by_id_in_text_or_natural_order() {
        let mut store = Store::new(Config::default());
        for (stream, n) in [
            ("cart-10", 1),
            ("cart-2", 3),
            ("cart-1", 3),
            ("cart-100", 2),
            ("guest-1", 9),
        ] {
            let events = (0..n).map(|_| NewEvent::new("Added", json!({}))).collect();
            assert!(
                store.append(stream, ExpectedRevision::Any, events).is_ok(),
                "append to {stream}"
            );
        }
        let ids = |streams: &mut dyn Iterator<Item = (&str, StreamStats)>| -> Vec<String> {
            streams.map(|(id, _)| id.to_owned()).collect()
        };
        let cases = [
            (
                "text",
                ids(&mut store.category_streams("cart", "")),
                ["cart-1", "cart-10", "cart-100", "cart-2"],
            ),
            (
                "natural",
                ids(&mut store.category_streams_natural("cart")),
                ["cart-1", "cart-2", "cart-10", "cart-100"],
            ),
        ];
        for (order, listed, want) in cases {
            assert_eq!(listed, want, "{order}");
        }
    }
}
