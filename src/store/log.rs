//! The global log: compact storage of every event by slot.
//!
//! A slot is an event's index in storage. Positions are the public, permanent numbers; slots are
//! dense and change when a scavenge compacts the log. Until the first scavenge, slot = position;
//! after it, a short table of gaps maps one to the other.
//!
//! Per event the log keeps a 16-byte [`Record`] (stream, kind, payload offset, index in the
//! stream) and the payload bytes in an arena of fixed 1 MiB chunks. Everything else is derived or
//! kept sparsely:
//! - the payload length, from the next record's offset (payloads are stored in slot order);
//! - the payload's chunk, from the first slot of each chunk;
//! - the timestamp, from runs of equal timestamps (the clock never goes backwards);
//! - the metadata, in a side table holding only events that have some;
//! - the event id, from the seed and the position.

use std::mem::size_of;

use super::chunked::ChunkedVec;
use super::correlations::Correlations;
use super::store::Placement;

/// Bytes per payload arena chunk; a larger payload gets a chunk of its own.
pub(crate) const ARENA_CHUNK_BYTES: usize = 1 << 20;

/// One stored event: interned stream and kind (type, schema version), its payload offset, and
/// its index in the stream's slot list, so that a read finds its revision without a search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record {
    pub stream: u32,
    pub kind: u32,
    offset: u32,
    pub index: u32,
}

/// The metadata of an event that has some, as the log takes it in and hands it out.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Meta<'a> {
    /// Interned correlation id (`Catalog::correlations`).
    pub correlation: Option<u32>,
    pub causation: Option<Causation<'a>>,
    /// Interned set of headers (`Catalog::headers`).
    pub headers: Option<u32>,
}

/// An event's causation id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Causation<'a> {
    /// The same id as its correlation id: a command's events carry the command's id as both.
    Correlation,
    Other(&'a str),
}

impl<'a> Meta<'a> {
    /// The metadata of an event with these ids and interned headers; `None` when it has none.
    pub fn of(correlation: Option<(u32, &str)>, causation: Option<&'a str>, headers: Option<u32>) -> Option<Meta<'a>> {
        if correlation.is_none() && causation.is_none() && headers.is_none() {
            return None;
        }
        let causation = causation.map(|id| match correlation {
            Some((_, name)) if name == id => Causation::Correlation,
            _ => Causation::Other(id),
        });
        Some(Meta {
            correlation: correlation.map(|(handle, _)| handle),
            causation,
            headers,
        })
    }

    /// The correlation and causation ids, the first found in `correlations`.
    pub fn ids<'c>(self, correlations: &'c Correlations) -> (Option<&'c str>, Option<&'c str>)
    where
        'a: 'c,
    {
        let correlation = self.correlation.and_then(|handle| correlations.name(handle));
        let causation = self.causation.and_then(|causation| match causation {
            Causation::Correlation => correlation,
            Causation::Other(id) => Some(id),
        });
        (correlation, causation)
    }
}

/// [`Meta`] as the log keeps it: interned numbers, [`NONE`] for none, and for the causation
/// [`SAME_AS_CORRELATION`] or an index into [`Log::causations`].
#[derive(Debug, Clone, Copy)]
struct PackedMeta {
    correlation: u32,
    causation: u32,
    headers: u32,
}

const NONE: u32 = u32::MAX;
const SAME_AS_CORRELATION: u32 = u32::MAX - 1;

#[derive(Debug, Default)]
pub(crate) struct Log {
    records: ChunkedVec<Record>,
    /// Payload text in slot order; each chunk holds whole payloads, so slices at payload
    /// boundaries are valid UTF-8 by construction.
    arena: Vec<String>,
    arena_first_slot: Vec<u32>,
    /// `(first slot, position - slot)` for each run of slots after a gap.
    gaps: Vec<(u32, u64)>,
    ts_first_slot: ChunkedVec<u32>,
    ts_value: ChunkedVec<i64>,
    meta_slot: ChunkedVec<u32>,
    meta: ChunkedVec<PackedMeta>,
    /// The causation ids other than the events' own correlation ids, each kept once for a run
    /// of events that carry it.
    causations: ChunkedVec<Box<str>>,
    next_position: u64,
}

impl Log {
    /// Number of stored events (and the next slot).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// The position the next appended event gets.
    pub fn next_position(&self) -> u64 {
        self.next_position
    }

    /// Keeps positions moving on after events at the end were scavenged or imported.
    pub fn reserve_positions_before(&mut self, position: u64) {
        self.next_position = self.next_position.max(position);
    }

    /// Stores an event where `at` places it (its position at least [`Log::next_position`]), the
    /// `index`-th its stream holds, and returns its slot. The caller has checked that the slot fits
    /// in a `u32` and the payload in a chunk offset. The revision is the catalog's to keep.
    pub fn push(&mut self, at: Placement, index: u32, payload: &str, meta: Option<Meta<'_>>) -> u32 {
        let Placement {
            stream,
            kind,
            ts,
            position,
            ..
        } = at;
        let slot = self.len() as u32;
        if self.position(slot) != position {
            self.gaps.push((slot, position.saturating_sub(u64::from(slot))));
        }
        self.next_position = position + 1;
        let fits = self
            .arena
            .last()
            .is_some_and(|chunk| chunk.capacity() - chunk.len() >= payload.len());
        if !fits {
            self.arena
                .push(String::with_capacity(payload.len().max(ARENA_CHUNK_BYTES)));
            self.arena_first_slot.push(slot);
        }
        let mut offset = 0;
        if let Some(chunk) = self.arena.last_mut() {
            offset = chunk.len() as u32;
            chunk.push_str(payload);
        }
        self.records.push(Record {
            stream,
            kind,
            offset,
            index,
        });
        if self.ts_value.last() != Some(&ts) {
            self.ts_first_slot.push(slot);
            self.ts_value.push(ts);
        }
        if let Some(meta) = meta {
            let packed = self.pack(meta);
            self.meta_slot.push(slot);
            self.meta.push(packed);
        }
        slot
    }

    fn pack(&mut self, meta: Meta<'_>) -> PackedMeta {
        let causation = match meta.causation {
            None => NONE,
            Some(Causation::Correlation) => SAME_AS_CORRELATION,
            Some(Causation::Other(id)) => {
                // The events of one command come together and carry the same causation.
                if self.causations.last().is_none_or(|last| **last != *id) {
                    self.causations.push(id.into());
                }
                self.causations.len().saturating_sub(1) as u32
            }
        };
        PackedMeta {
            correlation: meta.correlation.unwrap_or(NONE),
            causation,
            headers: meta.headers.unwrap_or(NONE),
        }
    }

    fn unpack(&self, packed: &PackedMeta) -> Meta<'_> {
        let some = |value: u32| (value != NONE).then_some(value);
        let causation = match packed.causation {
            NONE => None,
            SAME_AS_CORRELATION => Some(Causation::Correlation),
            index => Some(Causation::Other(
                self.causations.get(index as usize).map_or("", |id| &**id),
            )),
        };
        Meta {
            correlation: some(packed.correlation),
            causation,
            headers: some(packed.headers),
        }
    }

    pub fn record(&self, slot: u32) -> Option<Record> {
        self.records.get(slot as usize).copied()
    }

    /// The position of a slot (also of the slot one past the end, before any gap there).
    pub fn position(&self, slot: u32) -> u64 {
        let run = self.gaps.partition_point(|&(first, _)| first <= slot);
        let delta = run.checked_sub(1).and_then(|i| self.gaps.get(i)).map_or(0, |&(_, d)| d);
        u64::from(slot) + delta
    }

    /// The first slot whose position is at least `position` (the length when there is none).
    pub fn first_slot_from(&self, position: u64) -> u32 {
        let (mut low, mut high) = (0u32, self.len() as u32);
        while low < high {
            let mid = low + (high - low) / 2;
            if self.position(mid) < position {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    pub fn timestamp(&self, slot: u32) -> i64 {
        let run = self.ts_first_slot.partition_point(|&first| first <= slot);
        run.checked_sub(1)
            .and_then(|i| self.ts_value.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// The payload's JSON text.
    pub fn payload(&self, slot: u32) -> &str {
        let chunk_index = self
            .arena_first_slot
            .partition_point(|&first| first <= slot)
            .saturating_sub(1);
        let next_chunk_slot = self.arena_first_slot.get(chunk_index + 1).copied();
        match self.record(slot) {
            Some(record) => self.payload_in(chunk_index, next_chunk_slot, slot, record),
            None => "null",
        }
    }

    /// The payload of `slot` (its `record`), which is in arena chunk `chunk_index`, whose
    /// successor starts at `next_chunk_slot`.
    fn payload_in(&self, chunk_index: usize, next_chunk_slot: Option<u32>, slot: u32, record: Record) -> &str {
        let Some(chunk) = self.arena.get(chunk_index) else {
            return "null";
        };
        let end = match slot.checked_add(1).and_then(|next| self.record(next)) {
            Some(next) if next_chunk_slot.is_none_or(|first| slot + 1 < first) => next.offset as usize,
            _ => chunk.len(),
        };
        chunk.get(record.offset as usize..end).unwrap_or("null")
    }

    /// The log from `slot` on, in slot order: each event's slot, position, record and payload,
    /// found from the previous event's instead of searched for. What a scan of `$all` uses.
    pub fn forwards_from(&self, slot: u32) -> Cursor<'_> {
        Cursor {
            log: self,
            slot,
            chunk: self
                .arena_first_slot
                .partition_point(|&first| first <= slot)
                .saturating_sub(1),
            gap: self.gaps.partition_point(|&(first, _)| first <= slot),
            ts: self
                .ts_first_slot
                .partition_point(|&first| first <= slot)
                .saturating_sub(1),
            meta: self.meta_slot.partition_point(|&s| s < slot),
        }
    }

    /// The event in `slot`, found by searching (a cursor is faster for runs of slots).
    pub fn stored(&self, slot: u32) -> Option<Stored<'_>> {
        Some(Stored {
            slot,
            position: self.position(slot),
            record: self.record(slot)?,
            payload: self.payload(slot),
            timestamp: self.timestamp(slot),
            meta: self.meta(slot),
        })
    }

    /// The metadata of `slot`, if it has some.
    pub fn meta(&self, slot: u32) -> Option<Meta<'_>> {
        let index = self.meta_slot.partition_point(|&s| s < slot);
        match self.meta_slot.get(index) {
            Some(&s) if s == slot => self.meta.get(index).map(|packed| self.unpack(packed)),
            _ => None,
        }
    }

    /// The metadata of every event that has some, in log order.
    pub fn metas(&self) -> impl Iterator<Item = Meta<'_>> + '_ {
        self.meta.iter().map(|packed| self.unpack(packed))
    }

    /// Heap bytes held, counting capacity.
    pub fn heap_bytes(&self) -> usize {
        let arena: usize = self.arena.iter().map(String::capacity).sum();
        let causations: usize = self.causations.iter().map(|id| id.len()).sum();
        self.records.heap_bytes()
            + arena
            + self.arena.capacity() * size_of::<String>()
            + self.arena_first_slot.capacity() * size_of::<u32>()
            + self.gaps.capacity() * size_of::<(u32, u64)>()
            + self.ts_first_slot.heap_bytes()
            + self.ts_value.heap_bytes()
            + self.meta_slot.heap_bytes()
            + self.meta.heap_bytes()
            + self.causations.heap_bytes()
            + causations
    }
}

/// See [`Log::forwards_from`].
pub(crate) struct Cursor<'l> {
    log: &'l Log,
    slot: u32,
    /// The arena chunk holding `slot`'s payload.
    chunk: usize,
    /// How many gaps start at or before `slot`.
    gap: usize,
    /// The run of equal timestamps holding `slot`.
    ts: usize,
    /// The first metadata entry at or after `slot`.
    meta: usize,
}

/// One event as [`Cursor`] finds it.
pub(crate) struct Stored<'l> {
    pub slot: u32,
    pub position: u64,
    pub record: Record,
    pub payload: &'l str,
    pub timestamp: i64,
    pub meta: Option<Meta<'l>>,
}

impl<'l> Iterator for Cursor<'l> {
    type Item = Stored<'l>;

    fn next(&mut self) -> Option<Stored<'l>> {
        let log = self.log;
        let slot = self.slot;
        let record = log.record(slot)?;
        self.slot += 1;
        while log
            .arena_first_slot
            .get(self.chunk + 1)
            .is_some_and(|&first| first <= slot)
        {
            self.chunk += 1;
        }
        while log.gaps.get(self.gap).is_some_and(|&(first, _)| first <= slot) {
            self.gap += 1;
        }
        let delta = self
            .gap
            .checked_sub(1)
            .and_then(|g| log.gaps.get(g))
            .map_or(0, |&(_, d)| d);
        let next_chunk_slot = log.arena_first_slot.get(self.chunk + 1).copied();
        while log.ts_first_slot.get(self.ts + 1).is_some_and(|&first| first <= slot) {
            self.ts += 1;
        }
        while log.meta_slot.get(self.meta).is_some_and(|&s| s < slot) {
            self.meta += 1;
        }
        let meta = match log.meta_slot.get(self.meta) {
            Some(&s) if s == slot => log.meta.get(self.meta).map(|packed| log.unpack(packed)),
            _ => None,
        };
        Some(Stored {
            slot,
            position: u64::from(slot) + delta,
            record,
            payload: log.payload_in(self.chunk, next_chunk_slot, slot, record),
            timestamp: log.ts_value.get(self.ts).copied().unwrap_or(0),
            meta,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_positions_and_timestamps_come_back() {
        let mut log = Log::default();
        let big = format!("\"{}\"", "x".repeat(ARENA_CHUNK_BYTES));
        let payloads = ["1", "{\"a\":2}", big.as_str(), "[3]", "\"end\""];
        let positions = [0u64, 1, 5, 6, 9];
        let stamps = [10i64, 10, 20, 20, 30];
        for (i, payload) in payloads.iter().enumerate() {
            let meta = (i == 3).then_some(Meta {
                causation: Some(Causation::Other("c")),
                ..Meta::default()
            });
            let at = Placement {
                stream: 0,
                kind: 0,
                revision: i as u64,
                ts: stamps[i],
                position: positions[i],
            };
            let slot = log.push(at, i as u32, payload, meta);
            assert_eq!(slot as usize, i, "slot of event {i}");
        }
        for (i, payload) in payloads.iter().enumerate() {
            let slot = i as u32;
            assert_eq!(log.payload(slot), *payload, "payload of slot {slot}");
            assert_eq!(log.position(slot), positions[i], "position of slot {slot}");
            assert_eq!(log.timestamp(slot), stamps[i], "timestamp of slot {slot}");
            assert_eq!(log.meta(slot).is_some(), i == 3, "meta of slot {slot}");
        }
        let cases = [(0, 0), (1, 1), (2, 2), (5, 2), (6, 3), (7, 4), (9, 4), (10, 5)];
        for (position, slot) in cases {
            assert_eq!(
                log.first_slot_from(position),
                slot,
                "first slot from position {position}"
            );
        }
        assert_eq!(log.next_position(), 10, "next position");
        assert_eq!(log.payload(5), "null", "slot past the end");
        for from in 0..=5u32 {
            let read: Vec<_> = log
                .forwards_from(from)
                .map(|e| (e.record.index, e.position, e.payload, e.timestamp, e.meta))
                .collect();
            let want: Vec<_> = (from..5)
                .map(|s| (s, log.position(s), log.payload(s), log.timestamp(s), log.meta(s)))
                .collect();
            assert_eq!(read, want, "cursor from slot {from}");
        }
    }
}
