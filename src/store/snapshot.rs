//! Snapshots: the whole store as one versioned JSON document, and back.
//!
//! ```text
//! {"format":"eventarium-store","version":1,"seed":..,"clock_ms":..,"next_position":..,
//!  "config":{..},"streams":[{"stream_id":..,"last_revision":..,"metadata":..,"soft_deleted":..,"unchecked_appends"?}],
//!  "tombstones":[..],"events":[{"position":..,"stream_id":..,"revision":..,"event_type":..,
//!  "schema_version":..,"timestamp_ms":..,"correlation_id"?,"causation_id"?,"headers"?,"data":{..}}]}
//! ```
//!
//! The document holds what is physically stored, hidden events included, so a scavenge after an
//! import removes what it would have removed before. Streams and tombstones are sorted by id and
//! events by position, and payloads are canonical JSON text, so export → import → export is
//! byte-identical. Event ids are not written: they follow from the seed and the positions.
//! Subscriptions and conflict counts are runtime state and are not included (a rejected append
//! writes nothing).
//!
//! With something archived (`archive.rs`) the version is 2: streams may say `"archived":true`
//! and an `archive` section holds the archiver's state; the events below its local horizon are
//! written with the others, from the archive. Version 2 also holds the key vault (`keys`, see
//! `vault.rs`) when personal fields were sealed: payloads are written sealed, and a forgotten
//! subject's key is written without its secret. Version 1 documents are still read.
//!
//! [`Store::import_json`] checks everything before handing back a store, and names what is wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::archive::{ArchiveSettings, MAX_SEGMENT_EVENTS};
use super::clock::Clock;
use super::error::{Error, Result};
use super::ids::{validate_event_type, validate_stream_id};
use super::json;
use super::log::{Meta, Stored};
use super::metadata::StreamMetadata;
use super::store::{Config, Placement, Store};
use super::vault::{Key, Vault};

/// The `format` field of a snapshot document.
pub const SNAPSHOT_FORMAT: &str = "eventarium-store";
/// The `version` field this build writes when nothing is archived; it reads it too.
pub const SNAPSHOT_VERSION: u64 = 1;
/// The `version` it writes when something is archived (an `archive` section, `archived`
/// streams); it reads it too.
pub const SNAPSHOT_VERSION_ARCHIVED: u64 = 2;

#[derive(Serialize)]
struct Head<'a> {
    format: &'static str,
    version: u64,
    seed: u64,
    clock_ms: i64,
    next_position: u64,
    config: &'a Config,
    streams: Vec<StreamDoc>,
    tombstones: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    archive: Option<ArchiveDoc>,
    #[serde(skip_serializing_if = "<[Key]>::is_empty")]
    keys: &'a [Key],
}

/// The archive's state: its settings, how far it was uploaded in segments of what size, and
/// where the local copy starts. The archived copies themselves are not written apart: the
/// events below `local_from` are in `events` like the others, and an import uploads them again.
#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct ArchiveDoc {
    settings: Option<ArchiveSettings>,
    segment_events: u64,
    uploaded_until: u64,
    local_from: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StreamDoc {
    stream_id: String,
    last_revision: Option<u64>,
    metadata: Option<StreamMetadata>,
    soft_deleted: bool,
    /// How many appends were made without an expected revision (absent when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    unchecked_appends: u64,
    /// In the archived partition (absent when not).
    #[serde(default, skip_serializing_if = "is_false")]
    archived: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize)]
struct EventOut<'a> {
    position: u64,
    stream_id: &'a str,
    revision: u64,
    event_type: &'a str,
    schema_version: u32,
    timestamp_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    correlation_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    causation_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<&'a BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct Probe {
    format: Option<Value>,
    version: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    version: u64,
    seed: u64,
    clock_ms: i64,
    next_position: u64,
    config: Config,
    streams: Vec<StreamDoc>,
    tombstones: Vec<String>,
    #[serde(default)]
    archive: Option<ArchiveDoc>,
    #[serde(default)]
    keys: Vec<Key>,
    events: Vec<EventIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventIn {
    position: u64,
    stream_id: String,
    revision: u64,
    event_type: String,
    schema_version: u32,
    timestamp_ms: i64,
    #[serde(default)]
    correlation_id: Option<String>,
    #[serde(default)]
    causation_id: Option<String>,
    #[serde(default)]
    headers: Option<BTreeMap<String, String>>,
    #[serde(deserialize_with = "json::deserialize_canonical")]
    data: String,
}

impl Store {
    /// The store as a snapshot document.
    pub fn export_json(&self) -> String {
        let mut out = object_without_closing_brace(&self.head());
        out.push_str(",\"events\":");
        self.write_events(0..u64::MAX, &mut out);
        out.push('}');
        out
    }

    /// The snapshot document without its events: with [`Store::export_events_json`] over every
    /// position it is what [`Store::import_parts`] reads back, so that a save can write the
    /// events it has not written yet and leave the others.
    pub fn export_head_json(&self) -> String {
        serde_json::to_string(&self.head()).unwrap_or_default()
    }

    /// The events of the snapshot document whose positions are in `positions`, as a JSON array.
    pub fn export_events_json(&self, positions: Range<u64>) -> String {
        let mut out = String::new();
        self.write_events(positions, &mut out);
        out
    }

    fn head(&self) -> Head<'_> {
        let catalog = &self.catalog;
        let by_name = catalog.streams_by_name();
        let archive = self.archive_doc();
        let archived = archive.is_some() || catalog.streams.iter().any(|s| s.archived) || !self.vault.is_empty();
        Head {
            format: SNAPSHOT_FORMAT,
            version: if archived {
                SNAPSHOT_VERSION_ARCHIVED
            } else {
                SNAPSHOT_VERSION
            },
            seed: self.config.seed,
            clock_ms: self.clock.now_ms(),
            next_position: self.log.next_position(),
            config: &self.config,
            streams: by_name
                .iter()
                .map(|s| StreamDoc {
                    stream_id: s.name.to_string(),
                    last_revision: s.last_revision,
                    metadata: s.metadata.as_deref().copied(),
                    soft_deleted: s.soft_deleted,
                    unchecked_appends: s.unchecked_appends,
                    archived: s.archived,
                })
                .collect(),
            tombstones: by_name.iter().filter(|s| s.tombstoned).map(|s| &*s.name).collect(),
            archive,
            keys: self.vault.keys(),
        }
    }

    /// Writes the stored events with positions in `positions` as a JSON array: first those only
    /// the archive holds, then the local ones.
    fn write_events(&self, positions: Range<u64>, out: &mut String) {
        let catalog = &self.catalog;
        out.push('[');
        let mut first = true;
        let mut write = |stored: Stored<'_>, revision: u64| {
            let Some(stream) = catalog.streams.get(stored.record.stream as usize) else {
                return;
            };
            let (event_type, schema_version) = catalog.kind(stored.record.kind);
            let meta = stored.meta;
            let (correlation_id, causation_id) = meta.map_or((None, None), |m| m.ids(&catalog.correlations));
            let event = EventOut {
                position: stored.position,
                stream_id: &stream.name,
                revision,
                event_type,
                schema_version,
                timestamp_ms: stored.timestamp,
                correlation_id,
                causation_id,
                headers: meta.and_then(|m| m.headers).and_then(|h| catalog.headers(h)),
            };
            if !std::mem::take(&mut first) {
                out.push(',');
            }
            out.push_str(&object_without_closing_brace(&event));
            out.push_str(",\"data\":");
            out.push_str(stored.payload);
            out.push('}');
        };
        let cold = &self.archive;
        let cold_end = cold.local_slot();
        let cold_from = cold.log.first_slot_from(positions.start).min(cold_end);
        for stored in cold
            .log
            .forwards_from(cold_from)
            .take((cold_end - cold_from) as usize)
            .take_while(|stored| stored.position < positions.end)
        {
            let revision = cold.revision(stored.slot);
            let floor = catalog
                .streams
                .get(stored.record.stream as usize)
                .map_or(0, |s| s.floor);
            if revision >= floor {
                write(stored, revision);
            }
        }
        let hot_from = self.log.first_slot_from(positions.start);
        for stored in self
            .log
            .forwards_from(hot_from)
            .take_while(|stored| stored.position < positions.end)
        {
            let Some(stream) = catalog.streams.get(stored.record.stream as usize) else {
                continue;
            };
            let revision = stream.revision_at(stored.record.index);
            write(stored, revision);
        }
        out.push(']');
    }

    fn archive_doc(&self) -> Option<ArchiveDoc> {
        let archive = &self.archive;
        let segment_events = self.segments().first().map(|s| s.end_position - s.first_position);
        if archive.settings.is_none() && segment_events.is_none() {
            return None;
        }
        Some(ArchiveDoc {
            settings: archive.settings,
            segment_events: segment_events
                .or(archive.settings.map(|s| s.segment_events))
                .unwrap_or(1),
            uploaded_until: archive.uploaded_until(),
            local_from: archive.local_from,
        })
    }

    /// Builds a store from a snapshot document, or says what is wrong with it.
    pub fn import_json(text: &str) -> Result<Store> {
        build(document(text)?, &mut std::iter::empty())
    }

    /// Builds a store from a snapshot document kept in parts: the head
    /// ([`Store::export_head_json`]) and its events in order, a JSON array per part
    /// ([`Store::export_events_json`]). Checks as much as [`Store::import_json`], across parts
    /// too, and holds one part's text at a time besides the store.
    pub fn import_parts(head: &str, parts: &mut dyn Iterator<Item = String>) -> Result<Store> {
        let Some(open) = head.trim_end().strip_suffix('}') else {
            return Err(Error::snapshot("the head is not a JSON object".to_owned()));
        };
        build(document(&format!("{open},\"events\":[]}}"))?, parts)
    }
}

/// Reads a snapshot document, after checking its format and version.
fn document(text: &str) -> Result<Document> {
    let probe: Probe =
        serde_json::from_str(text).map_err(|e| Error::snapshot(format!("not a snapshot document: {e}")))?;
    match probe.format {
        Some(Value::String(format)) if format == SNAPSHOT_FORMAT => {}
        other => {
            return Err(Error::snapshot(format!(
                "format is {}, expected {SNAPSHOT_FORMAT:?}",
                shown(other)
            )))
        }
    }
    match probe.version {
        Some(Value::Number(version))
            if matches!(version.as_u64(), Some(SNAPSHOT_VERSION | SNAPSHOT_VERSION_ARCHIVED)) => {}
        other => {
            return Err(Error::snapshot(format!(
                "version is {}, this build reads {SNAPSHOT_VERSION} and {SNAPSHOT_VERSION_ARCHIVED}",
                shown(other)
            )))
        }
    }
    serde_json::from_str(text).map_err(|e| Error::snapshot(e.to_string()))
}

/// Checks a parsed document and builds the store, with the events of `parts` (JSON arrays)
/// after the document's own; nothing escapes unless all of it is valid.
fn build(doc: Document, parts: &mut dyn Iterator<Item = String>) -> Result<Store> {
    debug_assert!(doc.format == SNAPSHOT_FORMAT);
    if doc.seed != doc.config.seed {
        return Err(Error::snapshot(format!(
            "seed {} differs from config.seed {}",
            doc.seed, doc.config.seed
        )));
    }
    if doc.clock_ms < doc.config.clock_start_ms {
        return Err(Error::snapshot(format!(
            "clock_ms {} is before config.clock_start_ms {}",
            doc.clock_ms, doc.config.clock_start_ms
        )));
    }
    let mut store = Store::new(doc.config);
    store.clock = Clock::starting_at(doc.clock_ms);
    store.vault = Vault::from_keys(doc.keys);
    let mut listed = BTreeSet::new();
    for stream in doc.streams {
        let id = &stream.stream_id;
        validate_stream_id(id).map_err(|e| Error::snapshot(format!("streams: {e}")))?;
        if !listed.insert(id.clone()) {
            return Err(Error::snapshot(format!("streams: stream {id:?} is listed twice")));
        }
        if let Some(metadata) = &stream.metadata {
            metadata
                .validate(id)
                .map_err(|e| Error::snapshot(format!("streams: {e}")))?;
        }
        let index = store.catalog.intern_stream(id);
        if let Some(entry) = store.catalog.streams.get_mut(index as usize) {
            entry.last_revision = stream.last_revision;
            entry.first_revision = entry.next_revision().unwrap_or(u64::MAX);
            entry.metadata = stream.metadata.map(Box::new);
            entry.soft_deleted = stream.soft_deleted;
            entry.archived = stream.archived;
        }
        if stream.unchecked_appends > 0 {
            store.catalog.count_unchecked_appends(index, stream.unchecked_appends);
        }
    }
    for id in &doc.tombstones {
        validate_stream_id(id).map_err(|e| Error::snapshot(format!("tombstones: {e}")))?;
        store.catalog.tombstone(id);
    }
    let mut previous: Option<(u64, i64)> = None;
    push_events(&mut store, doc.events, &mut previous, doc.clock_ms)?;
    for (index, part) in parts.enumerate() {
        let events: Vec<EventIn> = serde_json::from_str(part.as_ref())
            .map_err(|e| Error::snapshot(format!("events, part {}: {e}", index + 1)))?;
        push_events(&mut store, events, &mut previous, doc.clock_ms)?;
    }
    for stream in store.catalog.streams.iter() {
        let stored_last = (stream.slots.len() as u64)
            .checked_sub(1)
            .map(|i| stream.first_revision.saturating_add(i));
        if stored_last.is_some() && stored_last != stream.last_revision {
            return Err(Error::snapshot(format!(
                "stream {:?}: last_revision {:?} but its last event has revision {:?}",
                stream.name, stream.last_revision, stored_last
            )));
        }
    }
    if doc.next_position < store.log.next_position() {
        return Err(Error::snapshot(format!(
            "next_position {} is not after the last event's position",
            doc.next_position
        )));
    }
    store.log.reserve_positions_before(doc.next_position);
    if let Some(archive) = doc.archive {
        if doc.version < SNAPSHOT_VERSION_ARCHIVED {
            return Err(Error::snapshot(format!(
                "an archive section needs version {SNAPSHOT_VERSION_ARCHIVED}"
            )));
        }
        restore_archive(&mut store, archive)?;
    }
    Ok(store)
}

/// Checks and stores `events`, which follow the event at `previous` (position, timestamp).
fn push_events(
    store: &mut Store,
    events: Vec<EventIn>,
    previous: &mut Option<(u64, i64)>,
    clock_ms: i64,
) -> Result<()> {
    for event in events {
        let placement = check_event(store, &event, *previous, clock_ms)?;
        let placement = Placement {
            kind: store.catalog.intern_kind(&event.event_type, event.schema_version),
            ..placement
        };
        let meta = meta_of(store, &event);
        store.push_event_without_validation(placement, &event.data, meta);
        *previous = Some((event.position, event.timestamp_ms));
    }
    Ok(())
}

/// Uploads again what was uploaded and removes the local copy below the horizon.
fn restore_archive(store: &mut Store, doc: ArchiveDoc) -> Result<()> {
    let fail = |reason: String| Err(Error::snapshot(format!("archive: {reason}")));
    if let Some(settings) = &doc.settings {
        settings
            .validate()
            .map_err(|e| Error::snapshot(format!("archive: {e}")))?;
    }
    if !(1..=MAX_SEGMENT_EVENTS).contains(&doc.segment_events) || !doc.uploaded_until.is_multiple_of(doc.segment_events)
    {
        return fail(format!(
            "uploaded_until {} is not a whole number of segments of {}",
            doc.uploaded_until, doc.segment_events
        ));
    }
    if doc.uploaded_until > store.log.next_position() || doc.local_from > doc.uploaded_until {
        return fail(format!(
            "local_from {} ≤ uploaded_until {} ≤ next_position {} does not hold",
            doc.local_from,
            doc.uploaded_until,
            store.log.next_position()
        ));
    }
    if !doc.local_from.is_multiple_of(doc.segment_events) {
        return fail(format!("local_from {} is not at a segment's start", doc.local_from));
    }
    store.archive.settings = doc.settings;
    store.upload_before(doc.uploaded_until, doc.segment_events);
    let keep_everything: Vec<u64> = store.catalog.streams.iter().map(|s| s.first_revision).collect();
    store.rebuild(&keep_everything, doc.local_from, None);
    Ok(())
}

/// Checks one event against the ones before it; the kind is filled in by the caller.
fn check_event(store: &Store, event: &EventIn, previous: Option<(u64, i64)>, clock_ms: i64) -> Result<Placement> {
    let fail = |reason: String| Error::snapshot(format!("event at position {}: {reason}", event.position));
    if let Some((position, ts)) = previous {
        if event.position <= position {
            return Err(fail(format!(
                "positions must increase strictly, the previous event is at {position}"
            )));
        }
        if event.timestamp_ms < ts {
            return Err(fail(format!(
                "timestamp {} is before the previous event's {ts}",
                event.timestamp_ms
            )));
        }
    }
    if event.timestamp_ms > clock_ms {
        return Err(fail(format!(
            "timestamp {} is after clock_ms {clock_ms}",
            event.timestamp_ms
        )));
    }
    if store.log.len() >= u32::MAX as usize || event.data.len() > u32::MAX as usize {
        return Err(fail(
            "the store holds at most 4294967295 events of at most 4 GiB each".to_owned(),
        ));
    }
    validate_stream_id(&event.stream_id).map_err(|e| fail(e.to_string()))?;
    validate_event_type(&event.event_type).map_err(|e| fail(e.to_string()))?;
    if event.schema_version == 0 {
        return Err(fail("schema_version must be at least 1".to_owned()));
    }
    let index = store.catalog.stream_index(&event.stream_id);
    let Some(stream) = index.and_then(|i| store.catalog.streams.get(i as usize)) else {
        return Err(fail(format!("stream {:?} is not listed in streams", event.stream_id)));
    };
    let expected = stream.first_revision.saturating_add(stream.slots.len() as u64);
    if !stream.slots.is_empty() && event.revision != expected {
        return Err(fail(format!(
            "revision {} of stream {:?} does not follow {}",
            event.revision,
            event.stream_id,
            expected - 1
        )));
    }
    if stream.last_revision.is_none_or(|last| event.revision > last) {
        return Err(fail(format!(
            "revision {} of stream {:?} is past its last_revision {:?}",
            event.revision, event.stream_id, stream.last_revision
        )));
    }
    Ok(Placement {
        stream: index.unwrap_or_default(),
        kind: 0,
        revision: event.revision,
        ts: event.timestamp_ms,
        position: event.position,
    })
}

fn meta_of<'e>(store: &mut Store, event: &'e EventIn) -> Option<Meta<'e>> {
    let correlation = event
        .correlation_id
        .as_deref()
        .map(|id| (store.catalog.correlations.intern(id), id));
    let headers = event
        .headers
        .as_ref()
        .and_then(|headers| store.catalog.intern_headers(headers));
    Meta::of(correlation, event.causation_id.as_deref(), headers)
}

/// A struct's JSON object with its closing brace removed, so more fields can follow.
fn object_without_closing_brace(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string(value).unwrap_or_else(|_| "{".to_owned());
    if text.ends_with('}') {
        text.pop();
    }
    text
}

fn shown(value: Option<Value>) -> String {
    value.map_or_else(|| "missing".to_owned(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_store_exports_a_minimal_document() {
        let text = Store::new(Config::default()).export_json();
        let want = concat!(
            r#"{"format":"eventarium-store","version":1,"seed":0,"clock_ms":0,"next_position":0,"#,
            r#""config":{"seed":0,"clock_start_ms":0,"max_payload_bytes":1048576},"streams":[],"tombstones":[],"events":[]}"#
        );
        assert_eq!(text, want, "document");
        assert_eq!(
            Store::import_json(&text).map(|s| s.export_json()).ok(),
            Some(text),
            "round trip"
        );
    }

    #[test]
    fn objects_can_be_extended() {
        assert_eq!(
            object_without_closing_brace(&serde_json::json!({"a": 1})),
            r#"{"a":1"#,
            "brace removed"
        );
    }
}
