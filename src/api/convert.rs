//! Moving values across the JavaScript boundary as JSON text, one `stringify` or `parse` a call.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use wasm_bindgen::JsValue;

use super::error::invalid;
use crate::store::{Direction, ExpectedRevision, NewEvent, RawEvent};

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
        _ => Err(invalid(
            format!("expected revision {}", describe(value)),
            "use 'any', 'no_stream', 'stream_exists' or a non-negative integer",
        )),
    }
}

fn describe(value: &JsValue) -> String {
    value
        .as_f64()
        .map(|n| n.to_string())
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// An event as JavaScript hands it in: `{ type, data, schemaVersion?, metadata? }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JsNewEvent {
    #[serde(rename = "type")]
    event_type: String,
    data: Box<RawValue>,
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
    /// The store's form of the event; the payload text is validated and compacted.
    pub fn into_new_event(self) -> crate::store::Result<NewEvent> {
        let mut event = NewEvent::from_json_text(self.event_type, self.data.get())?;
        if let Some(version) = self.schema_version {
            event = event.with_schema_version(version);
        }
        let metadata = self.metadata.unwrap_or_default();
        event.correlation_id = metadata.correlation_id;
        event.causation_id = metadata.causation_id;
        event.headers = metadata.headers;
        Ok(event)
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

/// Writes one recorded event as a JSON object with every envelope field, in the JavaScript
/// API's camelCase, to `out`.
pub fn write_event(out: &mut String, event: &RawEvent<'_>) {
    out.push_str("{\"eventId\":\"");
    let _ = write!(out, "{}", event.event_id);
    out.push_str("\",\"streamId\":");
    write_str(out, event.stream_id);
    let _ = write!(
        out,
        ",\"revision\":{},\"position\":{},\"type\":",
        event.revision, event.position
    );
    write_str(out, event.event_type);
    let _ = write!(out, ",\"schemaVersion\":{},\"data\":", event.schema_version);
    out.push_str(event.data_json);
    out.push_str(",\"metadata\":{\"correlationId\":");
    write_opt_str(out, event.correlation_id);
    out.push_str(",\"causationId\":");
    write_opt_str(out, event.causation_id);
    let _ = write!(out, ",\"timestamp\":{},\"headers\":", event.timestamp_ms);
    match event.headers {
        Some(headers) => out.push_str(&serde_json::to_string(headers).unwrap_or_else(|_| "{}".into())),
        None => out.push_str("{}"),
    }
    out.push_str("}}");
}

fn write_str(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into()));
}

fn write_opt_str(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => write_str(out, text),
        None => out.push_str("null"),
    }
}
