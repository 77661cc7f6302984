//! The stream list: which streams a filter matches, grouped by category, each group listing its
//! first streams in natural order of their ids (`cart-2` before `cart-10`) or longest first, and
//! counting the rest.
//!
//! A store may hold a hundred thousand streams while the list shows a few hundred, and the
//! Simulation page redraws its list ten times a second while a generator runs. So a listing costs
//! what it shows: the store keeps each category's streams in id order and in natural order, and
//! its counters; an unfiltered list reads the first rows and the counters. A filter with a fixed
//! start (`cart-9*`) reads only the ids that start so, from the id order (in natural order they
//! are not one run: `cart-10` falls between `cart-9` and `cart-90`), keeping the first rows in
//! the list's order as it goes. A filter that may match anywhere (`art`), and a list of the
//! longest streams first, walk every stream of a category once, copying only the rows it lists.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::store::{category_of, Natural, Store, StreamStats};

/// How many streams of a category are listed at first; the rest are counted, and reached through
/// the filter or by listing more. Each row is half a dozen elements, and a long list is what a
/// page switch spends its time building.
pub const LISTED: usize = 50;

/// How many more streams of each category a click on "list more" adds.
pub const LISTED_MORE: usize = 200;

/// The order of each category's streams in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StreamOrder {
    /// By id, a number in it as a number: `cart-2` before `cart-10`.
    #[default]
    Natural,
    /// The longest first (ties by id, as above): where oversized streams show.
    LongestFirst,
}

impl StreamOrder {
    /// Every order, as a picker offers them.
    pub const ALL: [StreamOrder; 2] = [StreamOrder::Natural, StreamOrder::LongestFirst];

    /// Its name in the picker.
    pub fn label(self) -> &'static str {
        match self {
            StreamOrder::Natural => "By id",
            StreamOrder::LongestFirst => "Longest first",
        }
    }

    /// Where a stream goes: the smaller key first.
    fn key(self, id: &str, events: u64) -> (Reverse<u64>, Natural<&str>) {
        let events = match self {
            StreamOrder::Natural => 0,
            StreamOrder::LongestFirst => events,
        };
        (Reverse(events), Natural(id))
    }
}

/// The streams of one category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryGroup {
    /// The category.
    pub category: String,
    /// The first of its streams matching the filter, in the list's order (at most the number
    /// asked for).
    pub streams: Vec<StreamRow>,
    /// How many of its streams match.
    pub matching: u64,
    /// Events in all of those.
    pub events: u64,
    /// Events in the longest of those.
    pub longest: u64,
}

/// One stream in the streams panel.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamRow {
    /// Its id.
    pub id: String,
    /// Events stored.
    pub events: u64,
    /// Payload bytes stored.
    pub bytes: u64,
}

/// A filter on stream ids, read once: empty matches everything; with `*`, a glob over the whole
/// id (`*` for any run of characters, case-sensitive); otherwise a case-insensitive part of the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamFilter {
    /// No filter.
    Everything,
    /// A part of the id, lowercased.
    Part(String),
    /// The glob's pieces between its `*`s: the first starts the id, the last ends it.
    Glob(Vec<String>),
}

impl StreamFilter {
    /// The filter a participant typed.
    pub fn new(filter: &str) -> StreamFilter {
        let filter = filter.trim();
        if filter.is_empty() {
            StreamFilter::Everything
        } else if filter.contains('*') {
            StreamFilter::Glob(filter.split('*').map(str::to_owned).collect())
        } else {
            StreamFilter::Part(filter.to_lowercase())
        }
    }

    /// Whether it matches a stream id.
    pub fn matches(&self, id: &str) -> bool {
        match self {
            StreamFilter::Everything => true,
            StreamFilter::Part(part) if id.is_ascii() => {
                part.len() <= id.len()
                    && id
                        .as_bytes()
                        .windows(part.len())
                        .any(|window| window.eq_ignore_ascii_case(part.as_bytes()))
            }
            StreamFilter::Part(part) => id.to_lowercase().contains(part.as_str()),
            StreamFilter::Glob(pieces) => glob(pieces, id),
        }
    }

    /// What every id it matches starts with.
    fn start(&self) -> &str {
        match self {
            StreamFilter::Glob(pieces) => pieces.first().map_or("", String::as_str),
            StreamFilter::Everything | StreamFilter::Part(_) => "",
        }
    }
}

fn glob(pieces: &[String], id: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return true;
    };
    let Some(mut remaining) = id.strip_prefix(first.as_str()) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return remaining.is_empty();
    };
    for piece in middle {
        match remaining.find(piece.as_str()) {
            Some(at) => remaining = &remaining[at + piece.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last.as_str())
}

/// The streams (stored events, no tombstone) that `filter` matches, grouped by category (sorted
/// by name); each group lists its first `listed` streams in `order` and counts the rest.
pub fn streams(store: &Store, filter: &StreamFilter, order: StreamOrder, listed: usize) -> Vec<CategoryGroup> {
    let start = filter.start();
    let mut categories: Vec<&str> = store
        .category_names()
        .filter(|category| may_start(category, start))
        .collect();
    categories.sort_unstable();
    categories
        .into_iter()
        .map(|category| group(store, category, filter, order, listed))
        .filter(|group| group.matching > 0)
        .collect()
}

/// Whether a stream of `category` (`category` itself or `category-…`) can start with `start`.
fn may_start(category: &str, start: &str) -> bool {
    category.starts_with(start) || start.strip_prefix(category).is_some_and(|rest| rest.starts_with('-'))
}

fn group(store: &Store, category: &str, filter: &StreamFilter, order: StreamOrder, listed: usize) -> CategoryGroup {
    let mut group = CategoryGroup {
        category: category.to_owned(),
        streams: Vec::new(),
        matching: 0,
        events: 0,
        longest: 0,
    };
    if !filter.start().is_empty() || order == StreamOrder::LongestFirst {
        list_range(&mut group, store, category, filter, order, listed);
        return group;
    }
    let rows = store
        .category_streams_natural(category)
        .filter(|(id, stream)| shown(stream) && filter.matches(id));
    let counted = match filter {
        StreamFilter::Everything => counted(store, category),
        _ => None,
    };
    if let Some((matching, events, longest)) = counted {
        (group.matching, group.events, group.longest) = (matching, events, longest);
        group.streams = rows.take(listed).map(|(id, stream)| row(id, &stream)).collect();
        return group;
    }
    for (id, stream) in rows {
        count(&mut group, &stream);
        if group.streams.len() < listed {
            group.streams.push(row(id, &stream));
        }
    }
    group
}

/// Lists the streams of a filter with a fixed start (one range of ids in text order; with none,
/// the whole category), each counted, the first `listed` in `order` kept as they go by. Longest
/// first is listed so, a walk of the category: an index kept in length order would be moved on
/// every append, which cost a one-event append a fifth of its time, for a view asked for now
/// and then.
fn list_range(
    group: &mut CategoryGroup,
    store: &Store,
    category: &str,
    filter: &StreamFilter,
    order: StreamOrder,
    listed: usize,
) {
    let start = filter.start();
    let rows = store
        .category_streams(category, start)
        .take_while(|(id, _)| id.starts_with(start))
        .filter(|(id, stream)| shown(stream) && filter.matches(id));
    // The first `listed` seen so far, the last of them on top: (where, events, bytes).
    let mut first: BinaryHeap<(_, u64, u64)> = BinaryHeap::with_capacity(listed.saturating_add(1).min(1024));
    for (id, stream) in rows {
        count(group, &stream);
        let key = order.key(id, stream.events);
        if first.len() == listed && first.peek().is_none_or(|(last, ..)| key >= *last) {
            continue;
        }
        first.push((key, stream.events, stream.bytes));
        if first.len() > listed {
            first.pop();
        }
    }
    group.streams = first
        .into_sorted_vec()
        .into_iter()
        .map(|((_, Natural(id)), events, bytes)| StreamRow {
            id: id.to_owned(),
            events,
            bytes,
        })
        .collect();
}

fn count(group: &mut CategoryGroup, stream: &StreamStats) {
    group.matching += 1;
    group.events += stream.events;
    group.longest = group.longest.max(stream.events);
}

fn row(id: &str, stream: &StreamStats) -> StreamRow {
    StreamRow {
        id: id.to_owned(),
        events: stream.events,
        bytes: stream.bytes,
    }
}

/// Whether the stream list and the charts show a stream: it holds events and has no tombstone.
pub(crate) fn shown(stream: &StreamStats) -> bool {
    !stream.tombstoned && stream.events > 0
}

/// A category's shown streams, their events and the longest one's, from the store's counters
/// less its tombstoned streams (whose events count until a scavenge); `None` when the longest is
/// one of those, which only a walk can replace.
fn counted(store: &Store, category: &str) -> Option<(u64, u64, u64)> {
    let stats = store.category_stats(category)?;
    let (mut matching, mut events) = (stats.streams, stats.events);
    let deleted = store
        .tombstoned_streams()
        .filter(|(id, stream)| stream.events > 0 && category_of(id) == category);
    for (id, stream) in deleted {
        if stats.longest_stream.as_deref() == Some(id) {
            return None;
        }
        matching = matching.saturating_sub(1);
        events = events.saturating_sub(stream.events);
    }
    Some((matching, events, stats.max_stream_length))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use serde_json::json;

    use crate::store::{natural_cmp, Config, DeleteMode, ExpectedRevision, NewEvent, StreamMetadata};

    #[test]
    fn filters_match_parts_and_wildcards() {
        let cases = [
            ("", "cart-1", true),
            ("art", "cart-1", true),
            ("CART", "cart-1", true),
            ("Ärt", "cärt-1", true),
            ("ÄRT", "CÄRT-1", true),
            ("ärt", "cart-1", false),
            ("cart-*", "cart-17", true),
            ("cart-*", "guest-1", false),
            ("*-1", "cart-1", true),
            ("*-1", "cart-11", false),
            ("*-1", "cart-12", false),
            ("c*t-*7", "cart-17", true),
            ("cart-*", "cart", false),
            ("cart", "guest-1", false),
            ("cart-10", "cart-1", false),
        ];
        for (filter, id, want) in cases {
            assert_eq!(StreamFilter::new(filter).matches(id), want, "{filter:?} on {id:?}");
        }
    }

    #[test]
    fn a_category_may_hold_ids_with_a_start() {
        let cases = [
            ("cart", "", true),
            ("cart", "ca", true),
            ("cart", "cart", true),
            ("cart", "cart-9", true),
            ("cart", "carts", false),
            ("cart", "cartx-", false),
            ("guest", "cart-", false),
        ];
        for (category, start, want) in cases {
            assert_eq!(may_start(category, start), want, "{category:?} for {start:?}");
        }
    }

    fn append(store: &mut Store, stream: &str, events: usize) {
        let batch: Vec<NewEvent> = (0..events).map(|_| NewEvent::new("Happened", json!({}))).collect();
        store
            .append(stream, ExpectedRevision::Any, batch)
            .unwrap_or_else(|e| panic!("append to {stream}: {e}"));
    }

    /// What the list must show, by walking every stream and sorting what matched.
    fn walked(store: &Store, filter: &StreamFilter, order: StreamOrder, listed: usize) -> Vec<CategoryGroup> {
        let mut groups: BTreeMap<&str, (CategoryGroup, Vec<StreamRow>)> = BTreeMap::new();
        for (id, stream) in store.each_stream() {
            if !shown(&stream) || !filter.matches(id) {
                continue;
            }
            let (group, rows) = groups.entry(category_of(id)).or_insert_with(|| {
                let group = CategoryGroup {
                    category: category_of(id).to_owned(),
                    streams: Vec::new(),
                    matching: 0,
                    events: 0,
                    longest: 0,
                };
                (group, Vec::new())
            });
            group.matching += 1;
            group.events += stream.events;
            group.longest = group.longest.max(stream.events);
            rows.push(StreamRow {
                id: id.to_owned(),
                events: stream.events,
                bytes: stream.bytes,
            });
        }
        groups
            .into_values()
            .map(|(mut group, mut rows)| {
                rows.sort_by(|a, b| match order {
                    StreamOrder::Natural => natural_cmp(&a.id, &b.id),
                    StreamOrder::LongestFirst => b.events.cmp(&a.events).then_with(|| natural_cmp(&a.id, &b.id)),
                });
                rows.truncate(listed);
                group.streams = rows;
                group
            })
            .collect()
    }

    #[test]
    fn the_list_is_what_a_walk_of_every_stream_would_show() {
        let mut store = Store::new(Config::default());
        // Streams of several categories and lengths, a category that is also a stream id, ids
        // that differ in case, and streams made empty or deleted in different ways.
        let mut length = 7u64;
        for n in 0..300 {
            length = (length * 31 + 11) % 97;
            let category = ["cart", "guest", "Cart", "order"][n % 4];
            append(&mut store, &format!("{category}-{n}"), (length % 6 + 1) as usize);
        }
        append(&mut store, "cart", 2);
        append(&mut store, "cart-x", 40);
        // Ids equal but for leading zeros, and numbers past what a u64 holds.
        for (stream, events) in [("cart-007", 3), ("cart-7a", 3), ("cart-99999999999999999999999", 1)] {
            append(&mut store, stream, events);
        }
        // The longest guest until a scavenge keeps only its last 3 events.
        append(&mut store, "guest-long", 30);
        let last_three = StreamMetadata {
            max_count: Some(3),
            ..StreamMetadata::default()
        };
        store
            .set_stream_metadata("guest-long", last_three)
            .unwrap_or_else(|e| panic!("metadata: {e}"));
        for (stream, mode) in [
            ("cart-4", DeleteMode::Hard),
            ("cart-8", DeleteMode::Soft),
            ("order-3", DeleteMode::Hard),
        ] {
            store
                .delete_stream(stream, ExpectedRevision::Any, mode)
                .unwrap_or_else(|e| panic!("delete {stream}: {e}"));
        }
        store
            .delete_stream("cart-never", ExpectedRevision::Any, DeleteMode::Hard)
            .unwrap_or_else(|e| panic!("tombstone an empty stream: {e}"));
        let filters = [
            "", "cart", "CART-1", "cart-1*", "cart-*", "car*", "*-1", "c*t-2*", "order-*", "x*", "cart-x*", "cart-9*",
        ];
        let check = |store: &Store, moment: &str| {
            for filter in filters {
                for order in StreamOrder::ALL {
                    for listed in [0, 1, 5, 200] {
                        let filter = StreamFilter::new(filter);
                        assert_eq!(
                            streams(store, &filter, order, listed),
                            walked(store, &filter, order, listed),
                            "{moment}: {filter:?}, {order:?}, {listed} listed"
                        );
                    }
                }
            }
        };
        check(&store, "with a deleted stream that is not the longest");
        store
            .delete_stream("cart-x", ExpectedRevision::Any, DeleteMode::Hard)
            .unwrap_or_else(|e| panic!("delete the longest: {e}"));
        check(&store, "with the longest stream deleted");
        store.scavenge();
        check(&store, "after a scavenge");
        for stream in ["cart-5", "cart-5", "guest-1", "cart-new"] {
            append(&mut store, stream, 4);
        }
        check(&store, "after appends that follow a scavenge");
    }

    /// The ids of the first `listed` streams of the category `cart`.
    fn carts(store: &Store, filter: &str, order: StreamOrder, listed: usize) -> Vec<String> {
        let groups = streams(store, &StreamFilter::new(filter), order, listed);
        let cart = groups.into_iter().find(|g| g.category == "cart");
        cart.map(|g| g.streams.into_iter().map(|r| r.id).collect())
            .unwrap_or_default()
    }

    #[test]
    fn numbers_in_ids_list_in_numeric_order_and_longest_first_on_request() {
        use StreamOrder::{LongestFirst, Natural};
        let mut store = Store::new(Config::default());
        // Created in text order, the order the store keeps for filters on the start of ids.
        for (stream, events) in [
            ("cart-1", 2),
            ("cart-10", 5),
            ("cart-100", 1),
            ("cart-2", 5),
            ("cart-20", 3),
        ] {
            append(&mut store, stream, events);
        }
        let cases = [
            ("", Natural, 4, vec!["cart-1", "cart-2", "cart-10", "cart-20"]),
            (
                "",
                Natural,
                9,
                vec!["cart-1", "cart-2", "cart-10", "cart-20", "cart-100"],
            ),
            ("cart-*", Natural, 3, vec!["cart-1", "cart-2", "cart-10"]),
            ("cart-1*", Natural, 2, vec!["cart-1", "cart-10"]),
            ("0", Natural, 9, vec!["cart-10", "cart-20", "cart-100"]),
            ("", LongestFirst, 4, vec!["cart-2", "cart-10", "cart-20", "cart-1"]),
            (
                "",
                LongestFirst,
                9,
                vec!["cart-2", "cart-10", "cart-20", "cart-1", "cart-100"],
            ),
            ("cart-*", LongestFirst, 2, vec!["cart-2", "cart-10"]),
            ("cart-1*", LongestFirst, 9, vec!["cart-10", "cart-1", "cart-100"]),
            ("0", LongestFirst, 9, vec!["cart-10", "cart-20", "cart-100"]),
        ];
        for (filter, order, listed, want) in cases {
            assert_eq!(
                carts(&store, filter, order, listed),
                want,
                "{filter:?}, {order:?}, {listed} listed"
            );
        }
        append(&mut store, "cart-100", 9);
        assert_eq!(
            carts(&store, "", StreamOrder::LongestFirst, 2),
            ["cart-100", "cart-2"],
            "an append moves a stream up"
        );
        store
            .delete_stream("cart-100", ExpectedRevision::Any, DeleteMode::Hard)
            .unwrap_or_else(|e| panic!("delete cart-100: {e}"));
        assert_eq!(
            carts(&store, "", StreamOrder::LongestFirst, 2),
            ["cart-2", "cart-10"],
            "a deleted stream goes from the list"
        );
    }
}
