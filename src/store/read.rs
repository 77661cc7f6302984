//! Reads: one stream by revision, or `$all`, a category, an event type or a correlation id by
//! global position, forwards or backwards, always through an index.
//!
//! - A stream read starts at `from` (a revision, inclusive). Reading a stream that was never
//!   written or was soft-deleted is [`Error::StreamNotFound`]; a hard-deleted one is
//!   [`Error::StreamDeleted`]. A stream whose events are all hidden by its metadata reads empty.
//! - The other reads start at `from` (a position, inclusive), never fail, and skip events hidden
//!   by their stream's metadata, soft delete or tombstone. An unknown name reads empty.
//! - Backwards reads go down from `from`; pass `u64::MAX` to start at the end.
//!
//! The `_raw` forms hand each event to a visitor as a borrowed [`RawEvent`] whose payload is JSON
//! text, so no `serde_json::Value` is built.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

use super::archive::ColdFilter;
use super::chunked::ChunkedVec;
use super::error::{Error, Result};
use super::event::{RawEvent, RecordedEvent};
use super::ids::{validate_stream_id, EventId};
use super::log::{Record, Stored};
use super::store::Store;
use super::stream::StreamEntry;

/// Which way a read goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From older to newer events.
    #[default]
    Forwards,
    /// From newer to older events.
    Backwards,
}

/// What to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// One stream; `from` is a revision.
    Stream(&'a str),
    /// Every stream (`$all`); `from` is a position.
    All,
    /// The streams whose id starts with `category-` (or equals it); `from` is a position.
    Category(&'a str),
    /// Every event of a type, all schema versions; `from` is a position.
    EventType(&'a str),
    /// Every event with this correlation id; `from` is a position.
    Correlation(&'a str),
}

/// A stored event as [`Store::scan_payloads`] hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPayload<'a> {
    /// The event's place in the global log.
    pub position: u64,
    /// The stream the event belongs to.
    pub stream_id: &'a str,
    /// The event type.
    pub event_type: &'a str,
    /// The payload's schema version.
    pub schema_version: u32,
    /// The payload as canonical compact JSON text, its sealed fields revealed (see `vault.rs`).
    pub data_json: std::borrow::Cow<'a, str>,
}

/// The ascending slots an index holds.
#[derive(Clone, Copy)]
pub(crate) enum Slots<'a> {
    /// Every slot of the log, `0..len`.
    Log(usize),
    List(&'a ChunkedVec<u32>),
    Few(&'a [u32]),
    Empty,
}

impl Slots<'_> {
    pub(super) fn len(self) -> usize {
        match self {
            Slots::Log(len) => len,
            Slots::List(list) => list.len(),
            Slots::Few(slots) => slots.len(),
            Slots::Empty => 0,
        }
    }

    pub(super) fn get(self, index: usize) -> Option<u32> {
        match self {
            Slots::Log(len) => (index < len).then_some(index as u32),
            Slots::List(list) => list.get(index).copied(),
            Slots::Few(slots) => slots.get(index).copied(),
            Slots::Empty => None,
        }
    }

    /// The index of the first slot at or after `slot`.
    fn lower_bound(self, slot: u32) -> usize {
        match self {
            Slots::Log(len) => (slot as usize).min(len),
            Slots::List(list) => list.partition_point(|&s| s < slot),
            Slots::Few(slots) => slots.partition_point(|&s| s < slot),
            Slots::Empty => 0,
        }
    }
}

impl Store {
    /// Reads up to `max_count` events from `source`, handing each to `visit`; returns how many.
    pub fn read_raw<'s>(
        &'s self,
        source: Source<'_>,
        from: u64,
        max_count: usize,
        direction: Direction,
        mut visit: impl FnMut(RawEvent<'s>),
    ) -> Result<usize> {
        let catalog = &self.catalog;
        let (slots, cold) = match source {
            Source::Stream(stream_id) => {
                return self.read_stream_slots(stream_id, from, max_count, direction, &mut visit)
            }
            Source::All => (Slots::Log(self.log.len()), ColdFilter::All),
            Source::Category(name) => match (catalog.category(name), catalog.category_index(name)) {
                (Some(c), Some(index)) => (Slots::List(&c.slots), ColdFilter::Category(index)),
                _ => (Slots::Empty, ColdFilter::Nothing),
            },
            Source::EventType(name) => match (catalog.event_type(name), catalog.type_index(name)) {
                (Some(t), Some(index)) => (Slots::List(&t.slots), ColdFilter::EventType(index)),
                _ => (Slots::Empty, ColdFilter::Nothing),
            },
            Source::Correlation(id) => match catalog.correlations.find(id) {
                Some(handle) => (catalog.correlations.slots(handle), ColdFilter::Correlation(handle)),
                None => (Slots::Empty, ColdFilter::Nothing),
            },
        };
        Ok(self.scan(slots, cold, from, max_count, direction, &mut visit))
    }

    /// Visits `$all` forwards from `from_position`, up to `max_count` visible events, handing
    /// each over with only its position, stream, type, schema version and payload: what a
    /// projection template reads, without the event id, correlation and the rest that
    /// [`Store::read_raw`] assembles. `visit` may stop the read early with
    /// [`ControlFlow::Break`]; the event it broke at counts as not read.
    pub fn scan_payloads<'s>(
        &'s self,
        from_position: u64,
        max_count: usize,
        mut visit: impl FnMut(StoredPayload<'s>) -> ControlFlow<()>,
    ) {
        let mut cold = Vec::new();
        let fetched = self.scan_cold(
            ColdFilter::All,
            from_position,
            max_count,
            Direction::Forwards,
            &mut |event| cold.push(event),
        );
        for event in cold {
            let payload = StoredPayload {
                position: event.position,
                stream_id: event.stream_id,
                event_type: event.event_type,
                schema_version: event.schema_version,
                data_json: event.data_json,
            };
            if visit(payload).is_break() {
                return;
            }
        }
        for (stored, stream, _) in self.visible_in_log(from_position).take(max_count - fetched) {
            let (event_type, schema_version) = self.catalog.kind(stored.record.kind);
            let event = StoredPayload {
                position: stored.position,
                stream_id: &stream.name,
                event_type,
                schema_version,
                data_json: self.vault.reveal(stored.payload),
            };
            if visit(event).is_break() {
                return;
            }
        }
    }

    /// The events of `$all` a read may see now, from `from_position` on, each with its stream
    /// and revision: the log followed with a cursor, so payload, time and metadata come from the
    /// previous event's.
    fn visible_in_log<'s>(&'s self, from_position: u64) -> impl Iterator<Item = (Stored<'s>, &'s StreamEntry, u64)> {
        let now = self.clock.now_ms();
        let mut cache: Option<(u32, u64)> = None;
        self.log
            .forwards_from(self.log.first_slot_from(from_position))
            .filter_map(move |stored| {
                let stream = self.catalog.streams.get(stored.record.stream as usize)?;
                let revision = self.visible_revision(stored.record, stream, &mut cache, now)?;
                Some((stored, stream, revision))
            })
    }

    /// Reads up to `max_count` events from `source` as owned events.
    pub fn read(
        &self,
        source: Source<'_>,
        from: u64,
        max_count: usize,
        direction: Direction,
    ) -> Result<Vec<RecordedEvent>> {
        let mut events = Vec::new();
        self.read_raw(source, from, max_count, direction, |event| {
            events.push(event.to_recorded())
        })?;
        Ok(events)
    }

    /// Reads a stream from a revision.
    pub fn read_stream(
        &self,
        stream_id: &str,
        from_revision: u64,
        max_count: usize,
        direction: Direction,
    ) -> Result<Vec<RecordedEvent>> {
        self.read(Source::Stream(stream_id), from_revision, max_count, direction)
    }

    /// Reads a stream from a revision without building `Value`s.
    pub fn read_stream_raw<'s>(
        &'s self,
        stream_id: &str,
        from_revision: u64,
        max_count: usize,
        direction: Direction,
        visit: impl FnMut(RawEvent<'s>),
    ) -> Result<usize> {
        self.read_raw(Source::Stream(stream_id), from_revision, max_count, direction, visit)
    }

    /// Reads `$all` from a position.
    pub fn read_all(&self, from_position: u64, max_count: usize, direction: Direction) -> Vec<RecordedEvent> {
        self.read(Source::All, from_position, max_count, direction)
            .unwrap_or_default()
    }

    /// Reads a category from a position.
    pub fn read_category(
        &self,
        category: &str,
        from_position: u64,
        max_count: usize,
        direction: Direction,
    ) -> Vec<RecordedEvent> {
        self.read(Source::Category(category), from_position, max_count, direction)
            .unwrap_or_default()
    }

    /// Reads every event of a type from a position.
    pub fn read_event_type(
        &self,
        event_type: &str,
        from_position: u64,
        max_count: usize,
        direction: Direction,
    ) -> Vec<RecordedEvent> {
        self.read(Source::EventType(event_type), from_position, max_count, direction)
            .unwrap_or_default()
    }

    /// Every correlation and causation id the store's events carry, each correlation id once
    /// (they are interned) and each causation id as often as events carry it.
    pub fn metadata_ids(&self) -> impl Iterator<Item = &str> + '_ {
        let correlations = self.catalog.correlations.names();
        let causations = self
            .log
            .metas()
            .filter_map(|meta| meta.ids(&self.catalog.correlations).1);
        correlations.chain(causations)
    }

    /// Reads every event with a correlation id from a position.
    pub fn read_correlation(
        &self,
        correlation_id: &str,
        from_position: u64,
        max_count: usize,
        direction: Direction,
    ) -> Vec<RecordedEvent> {
        self.read(Source::Correlation(correlation_id), from_position, max_count, direction)
            .unwrap_or_default()
    }

    /// Visits the visible events of `slots` from a position.
    pub(crate) fn scan<'s>(
        &'s self,
        slots: Slots<'s>,
        cold: ColdFilter,
        from_position: u64,
        max_count: usize,
        direction: Direction,
        visit: &mut dyn FnMut(RawEvent<'s>),
    ) -> usize {
        let now = self.clock.now_ms();
        let mut cache: Option<(u32, u64)> = None;
        let mut count = match direction {
            Direction::Forwards => self.scan_cold(cold, from_position, max_count, direction, visit),
            Direction::Backwards => 0,
        };
        let mut emit = |index: usize| match slots
            .get(index)
            .and_then(|slot| self.visible_event(slot, &mut cache, now))
        {
            Some(event) => {
                visit(event);
                1
            }
            None => 0,
        };
        match direction {
            Direction::Forwards if matches!(slots, Slots::Log(_)) => {
                for (stored, stream, revision) in self.visible_in_log(from_position).take(max_count - count) {
                    visit(self.assemble(stored, stream, revision));
                    count += 1;
                }
            }
            Direction::Forwards => {
                let start = slots.lower_bound(self.log.first_slot_from(from_position));
                let mut index = start;
                while index < slots.len() && count < max_count {
                    count += emit(index);
                    index += 1;
                }
            }
            Direction::Backwards => {
                let end = from_position
                    .checked_add(1)
                    .map_or(slots.len(), |after| slots.lower_bound(self.log.first_slot_from(after)));
                let mut index = end;
                while index > 0 && count < max_count {
                    index -= 1;
                    count += emit(index);
                }
                count += self.scan_cold(cold, from_position, max_count - count, direction, visit);
            }
        }
        count
    }

    fn read_stream_slots<'s>(
        &'s self,
        stream_id: &str,
        from_revision: u64,
        max_count: usize,
        direction: Direction,
        visit: &mut dyn FnMut(RawEvent<'s>),
    ) -> Result<usize> {
        validate_stream_id(stream_id)?;
        let not_found = || Error::StreamNotFound {
            stream_id: stream_id.to_owned(),
        };
        let stream = self.catalog.stream(stream_id).ok_or_else(not_found)?;
        if stream.tombstoned {
            return Err(Error::StreamDeleted {
                stream_id: stream_id.to_owned(),
            });
        }
        if stream.last_revision.is_none() || stream.soft_deleted {
            return Err(not_found());
        }
        let len = stream.slots.len();
        let index_of =
            |revision: u64| usize::try_from(revision.saturating_sub(stream.first_revision)).map_or(len, |i| i.min(len));
        let visible = index_of(stream.visible_from(&self.log, self.clock.now_ms()));
        let indexes: Box<dyn Iterator<Item = usize>> = match direction {
            Direction::Forwards => Box::new(index_of(from_revision).max(visible)..len),
            Direction::Backwards if from_revision < stream.first_revision => Box::new(0..0),
            Direction::Backwards => Box::new((visible..index_of(from_revision.saturating_add(1))).rev()),
        };
        let mut count = match direction {
            Direction::Forwards => self.read_stream_cold(stream, from_revision, max_count, direction, visit),
            Direction::Backwards => 0,
        };
        for index in indexes.take(max_count - count) {
            let Some(&slot) = stream.slots.get(index) else { continue };
            let Some(record) = self.log.record(slot) else { continue };
            visit(self.raw_event(slot, record, stream, stream.first_revision + index as u64));
            count += 1;
        }
        if direction == Direction::Backwards {
            count += self.read_stream_cold(stream, from_revision, max_count - count, direction, visit);
        }
        if stream.archived {
            self.note_archived_stream_read(count);
        }
        Ok(count)
    }

    /// The event in `slot` if a read may see it now; `cache` holds the last stream's cut-off.
    fn visible_event(&self, slot: u32, cache: &mut Option<(u32, u64)>, now: i64) -> Option<RawEvent<'_>> {
        let record = self.log.record(slot)?;
        let stream = self.catalog.streams.get(record.stream as usize)?;
        let revision = self.visible_revision(record, stream, cache, now)?;
        Some(self.raw_event(slot, record, stream, revision))
    }

    /// The revision of the event `record` (of `stream`) if a read may see it now.
    fn visible_revision(
        &self,
        record: Record,
        stream: &StreamEntry,
        cache: &mut Option<(u32, u64)>,
        now: i64,
    ) -> Option<u64> {
        let visible_from = self.visible_from(record, stream, cache, now);
        if visible_from == u64::MAX {
            return None;
        }
        let revision = stream.revision_at(record.index);
        (revision >= visible_from && !stream.archived).then_some(revision)
    }

    /// The first revision of `stream` (`record`'s) a read may see now; `cache` holds the last
    /// stream's, since events of one stream often come together.
    fn visible_from(&self, record: Record, stream: &StreamEntry, cache: &mut Option<(u32, u64)>, now: i64) -> u64 {
        match *cache {
            Some((cached, from)) if cached == record.stream => from,
            _ => {
                let from = stream.visible_from(&self.log, now);
                *cache = Some((record.stream, from));
                from
            }
        }
    }

    fn raw_event<'s>(&'s self, slot: u32, record: Record, stream: &'s StreamEntry, revision: u64) -> RawEvent<'s> {
        let stored = Stored {
            slot,
            position: self.log.position(slot),
            record,
            payload: self.log.payload(slot),
            timestamp: self.log.timestamp(slot),
            meta: self.log.meta(slot),
        };
        self.assemble(stored, stream, revision)
    }

    /// The event `stored` of `stream` at `revision`, as a read hands it over.
    pub(super) fn assemble<'s>(&'s self, stored: Stored<'s>, stream: &'s StreamEntry, revision: u64) -> RawEvent<'s> {
        let (event_type, schema_version) = self.catalog.kind(stored.record.kind);
        let (correlation_id, causation_id) = stored
            .meta
            .map_or((None, None), |meta| meta.ids(&self.catalog.correlations));
        RawEvent {
            event_id: EventId::derive(self.config.seed, stored.position),
            stream_id: &stream.name,
            revision,
            position: stored.position,
            event_type,
            schema_version,
            timestamp_ms: stored.timestamp,
            correlation_id,
            causation_id,
            headers: stored
                .meta
                .and_then(|m| m.headers)
                .and_then(|h| self.catalog.headers(h)),
            data_json: self.vault.reveal(stored.payload),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Config, ExpectedRevision, NewEvent};

    #[test]
    fn slot_lists_find_their_starting_index() {
        let mut list = ChunkedVec::default();
        [2u32, 5, 9].into_iter().for_each(|slot| list.push(slot));
        let cases = [
            (Slots::List(&list), 0, 0),
            (Slots::List(&list), 5, 1),
            (Slots::List(&list), 6, 2),
        ];
        let more = [
            (Slots::List(&list), 10, 3),
            (Slots::Log(4), 2, 2),
            (Slots::Log(4), 9, 4),
            (Slots::Empty, 3, 0),
        ];
        for (slots, slot, want) in cases.into_iter().chain(more) {
            assert_eq!(slots.lower_bound(slot), want, "lower_bound({slot})");
        }
    }

    #[test]
    fn raw_reads_borrow_the_stored_text() {
        let mut store = Store::new(Config::default());
        let event = NewEvent::from_json_text("T", r#"{ "b": 1, "a": 2 }"#).map(|e| e.with_correlation_id("c"));
        assert!(
            event
                .and_then(|e| store.append("s-1", ExpectedRevision::Any, vec![e]))
                .is_ok(),
            "append"
        );
        let mut seen = Vec::new();
        let count = store.read_raw(Source::Correlation("c"), 0, 10, Direction::Forwards, |e| seen.push(e));
        assert_eq!(count.ok(), Some(1), "one event");
        let first = seen.first();
        assert_eq!(
            first.map(|e| &*e.data_json),
            Some(r#"{"b":1,"a":2}"#),
            "canonical text, key order kept"
        );
        assert_eq!(first.and_then(|e| e.correlation_id), Some("c"), "correlation id");
        assert_eq!(first.map(|e| e.headers.is_none()), Some(true), "no headers");
    }
}
