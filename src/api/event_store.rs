//! The `EventStore` class of the JavaScript API.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::convert::{
    append_result, expected_from_json, from_js, read_range, to_js, whole_number, EventColumns, JsNewEvent,
    PositionReadOptions, StreamReadOptions,
};
use super::error::{invalid, to_js as error_to_js};
use crate::store::{
    AppendResult, ArchiveSettings, Config, DeleteMode, ExpectedRevision, NewEvent, Source, Store, StreamMetadata,
    SubscriptionFilter, SubscriptionId,
};

/// An in-memory event store with KurrentDB semantics (see the README's API section).
#[wasm_bindgen]
pub struct EventStore {
    store: Store,
}

/// `new EventStore({ seed?, clockStart?, maxPayloadBytes? })`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    seed: Option<u64>,
    clock_start: Option<i64>,
    max_payload_bytes: Option<usize>,
}

/// One part of `appendMany`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AppendPart {
    stream_id: String,
    events: Vec<JsNewEvent>,
    #[serde(default)]
    expected_revision: Option<Value>,
}

/// `setStreamMetadata` and `getStreamMetadata`: `{ maxCount?, maxAge?, truncateBefore? }`.
#[derive(Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JsStreamMetadata {
    max_count: Option<u64>,
    max_age: Option<i64>,
    truncate_before: Option<u64>,
}

/// `deleteStream(streamId, { hard?, expectedRevision? })`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct DeleteOptions {
    #[serde(default)]
    hard: bool,
    expected_revision: Option<Value>,
}

/// `subscribe({ all: true } | { category } | { stream }, fromCheckpoint?)`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct JsFilter {
    #[serde(default)]
    all: bool,
    category: Option<String>,
    stream: Option<String>,
}

type JsResult<T = JsValue> = Result<T, JsValue>;

#[wasm_bindgen]
impl EventStore {
    /// Creates an empty store: `new EventStore({ seed, clockStart, maxPayloadBytes })`, all optional.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> JsResult<EventStore> {
        let options: Options = from_js(&options, "EventStore options")?;
        let defaults = Config::default();
        let config = Config {
            seed: options.seed.unwrap_or(defaults.seed),
            clock_start_ms: options.clock_start.unwrap_or(defaults.clock_start_ms),
            max_payload_bytes: options.max_payload_bytes.unwrap_or(defaults.max_payload_bytes),
        };
        Ok(EventStore {
            store: Store::new(config),
        })
    }

    /// Appends `[{ type, data, schemaVersion?, metadata? }]` to a stream if `expectedRevision`
    /// holds; returns `{ nextExpectedRevision, position }`.
    pub fn append(&mut self, stream_id: &str, events: JsValue, expected: JsValue) -> JsResult {
        let expected = super::convert::expected_revision(&expected)?;
        let events: Vec<JsNewEvent> = from_js(&events, "events")?;
        let events = into_new_events(events);
        let result = self.store.append(stream_id, expected, events).map_err(error_to_js)?;
        Ok(append_result_to_js(&result))
    }

    /// Appends to several streams, all or nothing:
    /// `[{ streamId, events, expectedRevision }]` → one result per part.
    #[wasm_bindgen(js_name = appendMany)]
    pub fn append_many(&mut self, parts: JsValue) -> JsResult {
        let parts: Vec<AppendPart> = from_js(&parts, "appendMany parts")?;
        let mut batches = Vec::with_capacity(parts.len());
        for part in parts {
            let expected = expected_from_json(part.expected_revision.as_ref())?;
            batches.push((part.stream_id, expected, into_new_events(part.events)));
        }
        let results = self.store.append_many(batches).map_err(error_to_js)?;
        Ok(results
            .iter()
            .map(append_result_to_js)
            .collect::<js_sys::Array>()
            .into())
    }

    /// Reads a stream: `{ fromRevision?, maxCount?, direction? }`.
    #[wasm_bindgen(js_name = readStream)]
    pub fn read_stream(&self, stream_id: &str, options: JsValue) -> JsResult {
        let options: StreamReadOptions = from_js(&options, "read options")?;
        let range = read_range(options.from_revision, options.max_count, options.direction);
        self.read(Source::Stream(stream_id), range)
    }

    /// Reads `$all`: `{ fromPosition?, maxCount?, direction? }`.
    #[wasm_bindgen(js_name = readAll)]
    pub fn read_all(&self, options: JsValue) -> JsResult {
        self.read_by_position(Source::All, &options)
    }

    /// Reads the streams of a category (`cart` for `cart-1`, `cart-2`, …) by position.
    #[wasm_bindgen(js_name = readCategory)]
    pub fn read_category(&self, category: &str, options: JsValue) -> JsResult {
        self.read_by_position(Source::Category(category), &options)
    }

    /// Reads every event of a type by position.
    #[wasm_bindgen(js_name = readEventType)]
    pub fn read_event_type(&self, event_type: &str, options: JsValue) -> JsResult {
        self.read_by_position(Source::EventType(event_type), &options)
    }

    /// Reads every event with a correlation id by position.
    #[wasm_bindgen(js_name = readCorrelation)]
    pub fn read_correlation(&self, correlation_id: &str, options: JsValue) -> JsResult {
        self.read_by_position(Source::Correlation(correlation_id), &options)
    }

    /// Sets a stream's retention: `{ maxCount?, maxAge? (ms), truncateBefore? }`.
    #[wasm_bindgen(js_name = setStreamMetadata)]
    pub fn set_stream_metadata(&mut self, stream_id: &str, metadata: JsValue) -> JsResult<()> {
        let metadata: JsStreamMetadata = from_js(&metadata, "stream metadata")?;
        let metadata = StreamMetadata {
            max_count: metadata.max_count,
            max_age_ms: metadata.max_age,
            truncate_before: metadata.truncate_before,
        };
        self.store.set_stream_metadata(stream_id, metadata).map_err(error_to_js)
    }

    /// A stream's retention, `{ maxCount, maxAge, truncateBefore }` (`null` where unset).
    #[wasm_bindgen(js_name = getStreamMetadata)]
    pub fn get_stream_metadata(&self, stream_id: &str) -> JsResult {
        let metadata = self.store.get_stream_metadata(stream_id).map_err(error_to_js)?;
        let metadata = JsStreamMetadata {
            max_count: metadata.max_count,
            max_age: metadata.max_age_ms,
            truncate_before: metadata.truncate_before,
        };
        Ok(to_js(&serde_json::to_string(&metadata).unwrap_or_default()))
    }

    /// Deletes a stream: `{ hard?: false, expectedRevision?: 'any' }`. Soft: reads find nothing and
    /// a later append continues the numbering. Hard: a tombstone, forever.
    #[wasm_bindgen(js_name = deleteStream)]
    pub fn delete_stream(&mut self, stream_id: &str, options: JsValue) -> JsResult<()> {
        let options: DeleteOptions = from_js(&options, "delete options")?;
        let expected = expected_from_json(options.expected_revision.as_ref())?;
        let mode = if options.hard {
            DeleteMode::Hard
        } else {
            DeleteMode::Soft
        };
        self.store.delete_stream(stream_id, expected, mode).map_err(error_to_js)
    }

    /// Drops what can no longer be read, and the local copy of uploaded segments outside the
    /// archive's retention: `{ eventsRemoved, bytesReclaimed, eventsOffloaded, bytesOffloaded }`.
    pub fn scavenge(&mut self) -> JsValue {
        to_js(&serde_json::to_string(&self.store.scavenge()).unwrap_or_default())
    }

    /// Moves a stream to the archived partition: its own reads still work (counted as cold
    /// reads), `$all`, categories and subscriptions skip it, writes fail with `StreamArchived`.
    #[wasm_bindgen(js_name = archiveStream)]
    pub fn archive_stream(&mut self, stream_id: &str) -> JsResult<()> {
        self.store.archive_stream(stream_id).map_err(error_to_js)
    }

    /// Brings an archived stream back.
    #[wasm_bindgen(js_name = restoreStream)]
    pub fn restore_stream(&mut self, stream_id: &str) -> JsResult<()> {
        self.store.restore_stream(stream_id).map_err(error_to_js)
    }

    /// Whether a stream is in the archived partition.
    #[wasm_bindgen(js_name = isArchived)]
    pub fn is_archived(&self, stream_id: &str) -> bool {
        self.store.is_archived(stream_id)
    }

    /// Sets the archiver up: `{ segmentEvents, retainMs, retainBytes }`, or `null` to stop uploading.
    #[wasm_bindgen(js_name = configureArchive)]
    pub fn configure_archive(&mut self, settings: JsValue) -> JsResult<()> {
        let settings: Option<ArchiveSettings> = from_js(&settings, "archive settings")?;
        self.store.configure_archive(settings).map_err(error_to_js)
    }

    /// Uploads every complete segment: `{ segments, events, bytes }`.
    #[wasm_bindgen(js_name = uploadSegments)]
    pub fn upload_segments(&mut self) -> JsResult {
        let report = self.store.upload_segments().map_err(error_to_js)?;
        Ok(to_js(&serde_json::to_string(&report).unwrap_or_default()))
    }

    /// The uploaded segments, oldest first: `[{ firstPosition, endPosition, events, bytes,
    /// newestTimestampMs, local }]`.
    pub fn segments(&self) -> JsValue {
        to_js(&serde_json::to_string(&self.store.segments()).unwrap_or_default())
    }

    /// What lies where: hot, archived streams, uploaded and archive-only events and bytes, the
    /// local horizon, the settings and the cold reads so far.
    pub fn storage(&self) -> JsValue {
        to_js(&serde_json::to_string(&self.store.storage()).unwrap_or_default())
    }

    /// Replaces a stream's events up to `revision` with one snapshot event at that revision:
    /// `{ revision, eventsRemoved, bytesRemoved, snapshotBytes }`.
    #[wasm_bindgen(js_name = compactStream)]
    pub fn compact_stream(&mut self, stream_id: &str, revision: f64, snapshot: JsValue) -> JsResult {
        let revision = whole_number(revision, "revision")?;
        let snapshot: Option<JsNewEvent> = from_js(&snapshot, "snapshot event")?;
        let snapshot = snapshot.ok_or_else(|| invalid("snapshot event", "it is missing"))?;
        let report = self
            .store
            .compact_stream(stream_id, revision, snapshot.into_new_event())
            .map_err(error_to_js)?;
        Ok(to_js(&serde_json::to_string(&report).unwrap_or_default()))
    }

    /// Per stream, category and event type statistics.
    pub fn stats(&self) -> JsValue {
        to_js(&serde_json::to_string(&self.store.stats()).unwrap_or_default())
    }

    /// The whole store as a versioned JSON document.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self) -> String {
        self.store.export_json()
    }

    /// A store from a document made by `exportJson`; a clear error names what is wrong.
    #[wasm_bindgen(js_name = importJson)]
    pub fn import_json(text: &str) -> JsResult<EventStore> {
        Store::import_json(text)
            .map(|store| EventStore { store })
            .map_err(error_to_js)
    }

    /// The simulated clock, in milliseconds since the Unix epoch.
    pub fn now(&self) -> f64 {
        self.store.now_ms() as f64
    }

    /// Moves the simulated clock forward by `ms` milliseconds; returns the new time.
    #[wasm_bindgen(js_name = advanceClock)]
    pub fn advance_clock(&mut self, ms: f64) -> JsResult<f64> {
        if !(ms >= 0.0 && ms.fract() == 0.0 && ms <= u32::MAX as f64 * 1000.0) {
            return Err(invalid(
                format!("clock step {ms}"),
                "use a non-negative whole number of milliseconds",
            ));
        }
        self.store
            .advance_ms(ms as u64)
            .map(|now| now as f64)
            .map_err(error_to_js)
    }

    /// Starts a subscription (`{ all: true }`, `{ category }` or `{ stream }`) after the
    /// checkpoint `fromCheckpoint` (a position), or from the start; returns its id for `poll`.
    pub fn subscribe(&mut self, filter: JsValue, from_checkpoint: Option<f64>) -> JsResult<f64> {
        let filter: JsFilter = from_js(&filter, "subscription filter")?;
        let filter = match (filter.all, filter.category, filter.stream) {
            (true, None, None) => SubscriptionFilter::All,
            (false, Some(category), None) => SubscriptionFilter::Category(category),
            (false, None, Some(stream)) => SubscriptionFilter::Stream(stream),
            _ => {
                return Err(invalid(
                    "subscription filter",
                    "give exactly one of all: true, category or stream",
                ))
            }
        };
        let from = match from_checkpoint {
            None => None,
            Some(n) if n >= 0.0 && n.fract() == 0.0 => Some(n as u64),
            Some(n) => {
                return Err(invalid(
                    format!("checkpoint {n}"),
                    "use a position: a non-negative integer",
                ))
            }
        };
        let id = self.store.subscribe(filter, from).map_err(error_to_js)?;
        Ok(id.0 as f64)
    }

    /// The next events of a subscription, at most `maxCount`: catch-up first, then live.
    pub fn poll(&mut self, subscription: f64, max_count: Option<f64>) -> JsResult {
        let max = max_count.map_or(usize::MAX, |n| n.max(0.0) as usize);
        let mut columns = EventColumns::default();
        self.store
            .poll_raw(SubscriptionId(subscription as u64), max, |event| columns.push(&event))
            .map_err(error_to_js)?;
        Ok(columns.into_js())
    }

    /// Ends a subscription; returns whether it existed.
    pub fn unsubscribe(&mut self, subscription: f64) -> bool {
        self.store.unsubscribe(SubscriptionId(subscription as u64))
    }
}

impl EventStore {
    fn read_by_position(&self, source: Source<'_>, options: &JsValue) -> JsResult {
        let options: PositionReadOptions = from_js(options, "read options")?;
        self.read(
            source,
            read_range(options.from_position, options.max_count, options.direction),
        )
    }

    fn read(
        &self,
        source: Source<'_>,
        (from, max_count, direction): (u64, usize, crate::store::Direction),
    ) -> JsResult {
        let mut columns = EventColumns::default();
        self.store
            .read_raw(source, from, max_count, direction, |event| columns.push(&event))
            .map_err(error_to_js)?;
        Ok(columns.into_js())
    }
}

fn into_new_events(events: Vec<JsNewEvent>) -> Vec<NewEvent> {
    events.into_iter().map(JsNewEvent::into_new_event).collect()
}

fn append_result_to_js(result: &AppendResult) -> JsValue {
    let next = match result.next_expected_revision {
        ExpectedRevision::Exact(revision) => revision as f64,
        _ => -1.0,
    };
    append_result(next, result.position.map_or(-1.0, |p| p as f64))
}
