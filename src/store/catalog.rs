//! The indexes: interned streams, categories, event types and correlation ids (the last in
//! `correlations.rs`), each with the ascending slots of its events, and the running stats kept
//! on every append.
//!
//! Names are interned once into `u32` ids, in hash maps with a fixed hasher (FxHash), so nothing
//! depends on a random seed; anything that lists names sorts them. Every read goes through one of these slot lists, or through the log's own slot
//! order for `$all`; none scans the whole log. Indexing an event is O(log names) plus a push.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::mem::size_of;

use super::chunked::ChunkedVec;
use super::correlations::Correlations;
use super::ids::category_of;
use super::natural::NaturalKey;
use super::stream::StreamEntry;

#[derive(Debug, Default)]
pub(crate) struct CategoryEntry {
    pub name: Box<str>,
    pub slots: ChunkedVec<u32>,
    /// Streams of the category that hold at least one event.
    pub streams: u64,
    pub bytes: u64,
    /// The stream holding the most events (the first to reach that count) and the count.
    pub longest: Option<(u32, u64)>,
    /// Appends to the category's streams made with the expected revision `any`.
    pub unchecked_appends: u64,
    /// The stream of the latest of them.
    pub last_unchecked: Option<u32>,
    /// Every stream of the category (stored events or not) by id, in id order: what a filter
    /// on the start of ids (`cart-9*`) reads as one range.
    pub members: BTreeMap<Box<str>, u32>,
    /// The same streams by their ids' natural keys (`cart-2` before `cart-10`): what a list that
    /// shows a category's first streams reads, without sorting them all.
    pub natural: BTreeMap<NaturalKey, u32>,
}

#[derive(Debug, Default)]
pub(crate) struct TypeEntry {
    pub name: Box<str>,
    pub slots: ChunkedVec<u32>,
    pub bytes: u64,
}

/// An event's interned facts that the catalog indexes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Indexed {
    pub slot: u32,
    pub stream: u32,
    pub kind: u32,
    pub revision: u64,
    pub bytes: u64,
    pub ts: i64,
    pub correlation: Option<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct Catalog {
    /// Chunked, as a store can hold millions: a `Vec` would leave its old buffer behind in wasm
    /// each time it doubled.
    pub streams: ChunkedVec<StreamEntry>,
    stream_ids: Names,
    pub categories: Vec<CategoryEntry>,
    category_ids: Names,
    pub types: Vec<TypeEntry>,
    type_ids: Names,
    /// `(type, schema version)` of each kind.
    pub kinds: Vec<(u32, u32)>,
    kind_ids: BTreeMap<(u32, u32), u32>,
    pub correlations: Correlations,
    /// Each distinct set of event headers once: most events of a store share a few
    /// (`command: AddItem`), and a map per event would cost half a kilobyte.
    header_sets: Vec<BTreeMap<String, String>>,
    header_set_ids: HashMap<BTreeMap<String, String>, u32, BuildHasherDefault<FxHasher>>,
    /// The last kind interned, which the next event usually repeats.
    last_kind: Option<u32>,
    pub events: u64,
    pub bytes: u64,
    /// Streams with at least one rejected append, in the order of their first conflict.
    pub conflicted: Vec<u32>,
    /// Streams with a tombstone, in the order they got it.
    pub tombstoned: Vec<u32>,
}

impl Catalog {
    pub fn stream_index(&self, stream_id: &str) -> Option<u32> {
        self.stream_ids.get(stream_id).copied()
    }

    pub fn stream(&self, stream_id: &str) -> Option<&StreamEntry> {
        self.stream_index(stream_id).and_then(|i| self.streams.get(i as usize))
    }

    pub fn stream_mut(&mut self, stream_id: &str) -> Option<&mut StreamEntry> {
        let index = self.stream_index(stream_id)?;
        self.streams.get_mut(index as usize)
    }

    /// The streams in stream-id order.
    pub fn streams_by_name(&self) -> Vec<&StreamEntry> {
        let mut streams: Vec<&StreamEntry> = self.streams.iter().collect();
        streams.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        streams
    }

    pub fn category_index(&self, name: &str) -> Option<u32> {
        self.category_ids.get(name).copied()
    }

    pub fn type_index(&self, name: &str) -> Option<u32> {
        self.type_ids.get(name).copied()
    }

    pub fn category(&self, name: &str) -> Option<&CategoryEntry> {
        self.category_ids
            .get(name)
            .and_then(|&i| self.categories.get(i as usize))
    }

    pub fn event_type(&self, name: &str) -> Option<&TypeEntry> {
        self.type_ids.get(name).and_then(|&i| self.types.get(i as usize))
    }

    /// The stream's index, creating the stream (and its category) when it is new.
    pub fn intern_stream(&mut self, stream_id: &str) -> u32 {
        if let Some(index) = self.stream_index(stream_id) {
            return index;
        }
        let category_name = category_of(stream_id);
        let category = intern(&mut self.category_ids, &mut self.categories, category_name, |name| {
            CategoryEntry {
                name: name.into(),
                ..CategoryEntry::default()
            }
        });
        let index = to_u32(self.streams.len());
        self.streams.push(StreamEntry::new(stream_id, category));
        self.stream_ids.insert(stream_id.into(), index);
        let key = self.streams.get(index as usize).map(|s| s.key.clone());
        if let Some((category, key)) = self.categories.get_mut(category as usize).zip(key) {
            category.members.insert(stream_id.into(), index);
            category.natural.insert(key, index);
        }
        index
    }

    /// Gives the stream (created when it is new) a tombstone.
    pub fn tombstone(&mut self, stream_id: &str) {
        let index = self.intern_stream(stream_id);
        if let Some(stream) = self.streams.get_mut(index as usize).filter(|s| !s.tombstoned) {
            stream.tombstoned = true;
            self.tombstoned.push(index);
        }
    }

    /// Records `appends` appends without an expected revision to `stream` and its category.
    pub fn count_unchecked_appends(&mut self, stream: u32, appends: u64) {
        let Some(entry) = self.streams.get_mut(stream as usize) else {
            return;
        };
        entry.unchecked_appends += appends;
        if let Some(category) = self.categories.get_mut(entry.category as usize) {
            category.unchecked_appends += appends;
            category.last_unchecked = Some(stream);
        }
    }

    /// The kind index of `(event type, schema version)`.
    pub fn intern_kind(&mut self, event_type: &str, schema_version: u32) -> u32 {
        if let Some(last) = self.last_kind.filter(|&k| self.kind(k) == (event_type, schema_version)) {
            return last;
        }
        let type_index = intern(&mut self.type_ids, &mut self.types, event_type, |name| TypeEntry {
            name: name.into(),
            ..TypeEntry::default()
        });
        let next = to_u32(self.kinds.len());
        let kind = *self.kind_ids.entry((type_index, schema_version)).or_insert(next);
        if kind == next {
            self.kinds.push((type_index, schema_version));
        }
        self.last_kind = Some(kind);
        kind
    }

    /// The id of a set of headers, storing it the first time; `None` for no headers.
    pub fn intern_headers(&mut self, headers: &BTreeMap<String, String>) -> Option<u32> {
        if headers.is_empty() {
            return None;
        }
        if let Some(&id) = self.header_set_ids.get(headers) {
            return Some(id);
        }
        let id = to_u32(self.header_sets.len());
        self.header_sets.push(headers.clone());
        self.header_set_ids.insert(headers.clone(), id);
        Some(id)
    }

    /// The headers interned as `id`.
    pub fn headers(&self, id: u32) -> Option<&BTreeMap<String, String>> {
        self.header_sets.get(id as usize)
    }

    /// The event type name and schema version of a kind.
    pub fn kind(&self, kind: u32) -> (&str, u32) {
        let (type_index, version) = self.kinds.get(kind as usize).copied().unwrap_or((u32::MAX, 0));
        let name = self.types.get(type_index as usize).map_or("", |t| &t.name);
        (name, version)
    }

    /// Adds a stored event to every index and to the running stats.
    pub fn index_event(&mut self, event: Indexed) {
        let Indexed { slot, bytes, .. } = event;
        self.events += 1;
        self.bytes += bytes;
        let Some(stream) = self.streams.get_mut(event.stream as usize) else {
            return;
        };
        stream.push(slot, event.revision, bytes, event.ts);
        let stream_len = stream.slots.len() as u64;
        if let Some(category) = self.categories.get_mut(stream.category as usize) {
            category.slots.push(slot);
            category.bytes += bytes;
            if stream_len == 1 {
                category.streams += 1;
            }
            if category.longest.is_none_or(|(_, longest)| stream_len > longest) {
                category.longest = Some((event.stream, stream_len));
            }
        }
        let type_index = self.kinds.get(event.kind as usize).map_or(u32::MAX, |k| k.0);
        if let Some(event_type) = self.types.get_mut(type_index as usize) {
            event_type.slots.push(slot);
            event_type.bytes += bytes;
        }
        if let Some(correlation) = event.correlation {
            self.correlations.push(correlation, slot);
        }
    }

    /// Forgets every stored event, keeping names and stream states, before a rebuild.
    pub fn clear_events(&mut self) {
        self.streams.iter_mut().for_each(StreamEntry::clear_events);
        for category in &mut self.categories {
            (category.slots, category.streams, category.bytes, category.longest) = Default::default();
        }
        for event_type in &mut self.types {
            (event_type.slots, event_type.bytes) = Default::default();
        }
        self.correlations.clear_slots();
        (self.events, self.bytes) = (0, 0);
    }

    /// Heap bytes held (map nodes estimated at 1.5 times their entries).
    pub fn heap_bytes(&self) -> usize {
        let map_entry = (size_of::<(Box<str>, u32)>() + 1) * 8 / 7;
        let streams: usize = self
            .streams
            .iter()
            .map(|s| s.heap_bytes() + s.name.len() + map_entry)
            .sum();
        let categories: usize = self
            .categories
            .iter()
            .map(|c| c.slots.heap_bytes() + 2 * c.name.len() + map_entry)
            .sum();
        // A B-tree node holds up to 11 entries; count it two thirds full. The natural keys are
        // the streams' own, shared.
        let members: usize = self
            .categories
            .iter()
            .map(|c| {
                c.members.keys().map(|id| id.len()).sum::<usize>()
                    + c.members.len() * size_of::<(Box<str>, u32)>() * 3 / 2
                    + c.natural.len() * size_of::<(NaturalKey, u32)>() * 3 / 2
            })
            .sum::<usize>()
            + self.tombstoned.capacity() * size_of::<u32>();
        let types: usize = self
            .types
            .iter()
            .map(|t| t.slots.heap_bytes() + 2 * t.name.len() + map_entry)
            .sum();
        // Each set is held twice, in the list and as the key that finds it.
        let header_sets: usize = self
            .header_sets
            .iter()
            .map(|h| 2 * h.iter().map(|(k, v)| k.capacity() + v.capacity() + 64).sum::<usize>())
            .sum();
        streams
            + self.streams.heap_bytes()
            + header_sets
            + categories
            + members
            + self.categories.capacity() * size_of::<CategoryEntry>()
            + types
            + self.types.capacity() * size_of::<TypeEntry>()
            + self.kinds.capacity() * size_of::<(u32, u32)>() * 3
            + self.correlations.heap_bytes()
    }
}

/// Interned names, hashed with a fixed hasher.
pub(super) type Names = HashMap<Box<str>, u32, BuildHasherDefault<FxHasher>>;

/// The Firefox/rustc hash: fast on short keys and the same on every run and machine.
#[derive(Default)]
pub(super) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &byte in chunks.remainder() {
            self.add(u64::from(byte));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Caps an index at `u32::MAX`; more than 4 billion names cannot fit in memory before that.
pub(super) fn to_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

fn intern<T>(ids: &mut Names, entries: &mut Vec<T>, name: &str, make: impl FnOnce(&str) -> T) -> u32 {
    if let Some(&index) = ids.get(name) {
        return index;
    }
    let index = to_u32(entries.len());
    entries.push(make(name));
    ids.insert(name.into(), index);
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_indexes_fill() {
        let mut catalog = Catalog::default();
        let a = catalog.intern_stream("cart-1");
        let b = catalog.intern_stream("cart-2");
        assert_eq!(catalog.intern_stream("cart-1"), a, "same stream, same index");
        assert_eq!(catalog.categories.len(), 1, "one category for both carts");
        let v1 = catalog.intern_kind("Added", 1);
        let v2 = catalog.intern_kind("Added", 2);
        assert_ne!(v1, v2, "versions are distinct kinds");
        assert_eq!(catalog.kind(v2), ("Added", 2), "kind names");
        let c = catalog.correlations.intern("corr");
        let event = |slot, stream, revision| Indexed {
            slot,
            stream,
            kind: v1,
            revision,
            bytes: 10,
            ts: 5,
            correlation: Some(c),
        };
        catalog.index_event(event(0, a, 0));
        catalog.index_event(event(1, b, 0));
        catalog.index_event(event(2, b, 1));
        let category = catalog.category("cart");
        assert_eq!(category.map(|c| c.slots.len()), Some(3), "category index");
        assert_eq!(category.map(|c| c.streams), Some(2), "category streams");
        assert_eq!(category.and_then(|c| c.longest), Some((b, 2)), "longest stream");
        assert_eq!(catalog.event_type("Added").map(|t| t.bytes), Some(30), "type bytes");
        assert_eq!(catalog.correlations.slots(c).len(), 3, "correlation index");
        assert!(
            catalog
                .streams_by_name()
                .iter()
                .map(|s| &*s.name)
                .eq(["cart-1", "cart-2"]),
            "streams in name order"
        );
        catalog.clear_events();
        assert_eq!(
            catalog.stream("cart-2").map(|s| (s.slots.len(), s.first_revision)),
            Some((0, 2)),
            "cleared"
        );
    }
}
