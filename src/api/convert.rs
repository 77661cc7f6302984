//! Moving values across the JavaScript boundary as JSON text, one `stringify` or `parse` a call.

use std::collections::{BTreeMap, HashMap};

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::error::invalid;
use crate::store::{Direction, ExpectedRevision, NewEvent, Payload, RawEvent};

/// What an expected-revision error tells the caller to write instead.
const REVISION_HINT: &str = "use 'any', 'no_stream', 'stream_exists' or a non-negative integer";

/// The largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Parses a JavaScript argument (an object, an array, …) into `T`; `undefined` and `null` give
/// `T::default()`. `what` names the argument in the error.
pub fn from_js<T: DeserializeOwned + Default>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let text = js_sys::JSON::stringify(value)
        .map_err(|_| invalid(what, "it cannot be turned into JSON (a cycle or a BigInt?)"))?;
    let text = text
        .as_string()
        .ok_or_else(|| invalid(what, "it cannot be turned into JSON"))?;
    serde_json::from_str(&text).map_err(|e| invalid(what, e.to_string()))
}

/// The JSON text of an argument that may be given as text or as a value: a string is taken as
/// it is, anything else goes through `JSON.stringify`; `undefined` and `null` are missing.
pub fn json_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if value.is_undefined() || value.is_null() {
        return Err(invalid(what, "it is missing"));
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| invalid(what, "it cannot be turned into JSON (a cycle or a BigInt?)"))
}

/// A whole number argument (a position, a count): non-negative, integral and exact in a double.
pub fn whole_number(value: f64, what: &str) -> Result<u64, JsValue> {
    if value >= 0.0 && value.fract() == 0.0 && value <= MAX_SAFE_INTEGER {
        Ok(value as u64)
    } else {
        Err(invalid(format!("{what} {value}"), "use a non-negative integer"))
    }
}

/// Parses JSON text made in Rust into a JavaScript value.
pub fn to_js(json: &str) -> JsValue {
    // The text comes from serde_json or from payloads validated on the way in, so it parses.
    js_sys::JSON::parse(json).unwrap_or(JsValue::NULL)
}

/// Reads an expected revision: `'any'`, `'no_stream'`, `'stream_exists'`, a non-negative integer,
/// or `undefined` for `'any'`.
pub fn expected_revision(value: &JsValue) -> Result<ExpectedRevision, JsValue> {
    if value.is_undefined() {
        return Ok(ExpectedRevision::Any);
    }
    if let Some(text) = value.as_string() {
        return ExpectedRevision::parse(&text).map_err(super::error::to_js);
    }
    match value.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_SAFE_INTEGER => Ok(ExpectedRevision::Exact(n as u64)),
        // Strings were handled above, so the value is a number out of range or something else.
        Some(n) => Err(invalid(format!("expected revision {n}"), REVISION_HINT)),
        None => Err(invalid(format!("expected revision {value:?}"), REVISION_HINT)),
    }
}

/// An expected revision inside a JSON argument: a string form, a number, or absent for `any`.
pub fn expected_from_json(value: Option<&Value>) -> Result<ExpectedRevision, JsValue> {
    match value {
        None | Some(Value::Null) => Ok(ExpectedRevision::Any),
        Some(Value::String(text)) => ExpectedRevision::parse(text).map_err(super::error::to_js),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(ExpectedRevision::Exact)
            .ok_or_else(|| invalid(format!("expected revision {n}"), "use a non-negative integer")),
        Some(other) => Err(invalid(format!("expected revision {other}"), REVISION_HINT)),
    }
}

/// An event as JavaScript hands it in: `{ type, data, schemaVersion?, metadata? }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JsNewEvent {
    #[serde(rename = "type")]
    event_type: String,
    data: Payload,
    #[serde(default)]
    schema_version: Option<u32>,
    #[serde(default)]
    metadata: Option<JsNewMetadata>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JsNewMetadata {
    correlation_id: Option<String>,
    causation_id: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

impl JsNewEvent {
    /// The store's form of the event (the payload was made canonical while it was parsed).
    pub fn into_new_event(self) -> NewEvent {
        let mut event = NewEvent::from_payload(self.event_type, self.data);
        if let Some(version) = self.schema_version {
            event = event.with_schema_version(version);
        }
        let metadata = self.metadata.unwrap_or_default();
        event.correlation_id = metadata.correlation_id;
        event.causation_id = metadata.causation_id;
        event.headers = metadata.headers;
        event
    }
}

/// Options of a stream read: `{ fromRevision?, maxCount?, direction? }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StreamReadOptions {
    pub from_revision: Option<u64>,
    pub max_count: Option<u64>,
    pub direction: Option<JsDirection>,
}

/// Options of a read by position: `{ fromPosition?, maxCount?, direction? }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PositionReadOptions {
    pub from_position: Option<u64>,
    pub max_count: Option<u64>,
    pub direction: Option<JsDirection>,
}

/// `'forwards'` or `'backwards'`.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum JsDirection {
    Forwards,
    Backwards,
}

/// Where a read starts, how many it takes and which way it goes, with the defaults filled in:
/// forwards from the start, backwards from the end, no limit on the count.
pub fn read_range(
    from: Option<u64>,
    max_count: Option<u64>,
    direction: Option<JsDirection>,
) -> (u64, usize, Direction) {
    let direction = match direction {
        Some(JsDirection::Backwards) => Direction::Backwards,
        _ => Direction::Forwards,
    };
    let from = from.unwrap_or(match direction {
        Direction::Forwards => 0,
        Direction::Backwards => u64::MAX,
    });
    let max_count = max_count.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    (from, max_count, direction)
}

/// The events of one read in columns, the form `decodeEvents` in `glue.js` turns into objects:
/// numbers in one array, stream ids and types once each, payloads as one JSON array.
#[derive(Default)]
pub struct EventColumns {
    nums: Vec<f64>,
    names: Vec<String>,
    name_index: HashMap<String, u32>,
    data: String,
    ids: String,
    meta: String,
    meta_count: u32,
    count: usize,
}

impl EventColumns {
    /// Adds one event.
    pub fn push(&mut self, event: &RawEvent<'_>) {
        let stream = self.name(event.stream_id);
        let event_type = self.name(event.event_type);
        let meta = if event.correlation_id.is_none() && event.causation_id.is_none() && event.headers.is_none() {
            -1.0
        } else {
            self.push_meta(event)
        };
        self.nums.extend_from_slice(&[
            stream,
            event_type,
            event.revision as f64,
            event.position as f64,
            f64::from(event.schema_version),
            event.timestamp_ms as f64,
            meta,
        ]);
        self.data.push(if self.count == 0 { '[' } else { ',' });
        self.data.push_str(&event.data_json);
        // The hyphenated id is ASCII hex digits and hyphens.
        self.ids
            .push_str(std::str::from_utf8(&event.event_id.to_hyphenated()).unwrap_or_default());
        self.count += 1;
    }

    /// The events as JavaScript objects.
    pub fn into_js(mut self) -> JsValue {
        if self.count == 0 {
            self.data.push('[');
        }
        self.data.push(']');
        self.meta.insert(0, '[');
        self.meta.push(']');
        let names = serde_json::to_string(&self.names).unwrap_or_else(|_| "[]".into());
        decode_events(&self.nums, &names, &self.data, &self.ids, &self.meta)
    }

    fn name(&mut self, name: &str) -> f64 {
        if let Some(&index) = self.name_index.get(name) {
            return f64::from(index);
        }
        let index = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.name_index.insert(name.to_owned(), index);
        f64::from(index)
    }

    fn push_meta(&mut self, event: &RawEvent<'_>) -> f64 {
        if self.meta_count > 0 {
            self.meta.push(',');
        }
        let entry = (
            event.correlation_id,
            event.causation_id,
            event.headers.cloned().unwrap_or_default(),
        );
        self.meta
            .push_str(&serde_json::to_string(&entry).unwrap_or_else(|_| "[null,null,{}]".into()));
        self.meta_count += 1;
        f64::from(self.meta_count - 1)
    }
}

#[wasm_bindgen(module = "/src/api/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = decodeEvents)]
    fn decode_events(nums: &[f64], names: &str, data: &str, ids: &str, meta: &str) -> JsValue;

    /// `{ nextExpectedRevision, position }`, with -1 for `'no_stream'` and for no position.
    #[wasm_bindgen(js_name = appendResult)]
    pub fn append_result(next: f64, position: f64) -> JsValue;
}
