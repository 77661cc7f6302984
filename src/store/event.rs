//! Event envelopes: what a writer hands in ([`NewEvent`]) and what a reader gets back
//! ([`RecordedEvent`], or the borrowed [`RawEvent`] on the fast path).
//!
//! The envelope keeps position and metadata apart from the payload. Payloads are JSON, held as
//! canonical compact text ([`Payload`]) from the moment they enter the store.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{Error, Result};
use super::ids::EventId;
use super::json;

/// A JSON payload as validated, canonical, compact text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload(String);

impl Payload {
    /// The payload of a JSON value.
    pub fn from_value(value: &Value) -> Self {
        // Serializing a `Value` cannot fail: its map keys are strings and its numbers finite.
        Payload(serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()))
    }

    /// Validates JSON text (one value, nothing after it) and keeps it in canonical compact form,
    /// without building a `Value`.
    pub fn from_json_text(text: &str) -> Result<Self> {
        json::canonical(text)
            .map(Payload)
            .map_err(|error| Error::invalid("json payload", error.to_string()))
    }

    /// The canonical JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The size in bytes, which the payload limit is checked against.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: the shortest JSON value is one byte.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Reads any JSON value straight into canonical text, in one pass: how the JavaScript API takes
/// payloads without building a `Value`.
impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        json::deserialize_canonical(deserializer).map(Payload)
    }
}

impl From<Value> for Payload {
    fn from(value: Value) -> Self {
        Payload::from_value(&value)
    }
}

/// An event to append. The store assigns its id, revision, position and timestamp.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// The event type, e.g. `ItemAdded`.
    pub event_type: String,
    /// The payload's schema version, starting at 1; upcasters are keyed by (type, version).
    pub schema_version: u32,
    /// The payload.
    pub data: Payload,
    /// The id shared by everything one request caused.
    pub correlation_id: Option<String>,
    /// The id of the message (command or event) that caused this event.
    pub causation_id: Option<String>,
    /// Free-form string headers.
    pub headers: BTreeMap<String, String>,
}

impl NewEvent {
    /// An event of schema version 1 with no metadata.
    pub fn new(event_type: impl Into<String>, data: Value) -> Self {
        NewEvent::from_payload(event_type, Payload::from_value(&data))
    }

    /// An event whose payload arrives as JSON text (as the JavaScript API hands it over).
    pub fn from_json_text(event_type: impl Into<String>, json_text: &str) -> Result<Self> {
        Ok(NewEvent::from_payload(event_type, Payload::from_json_text(json_text)?))
    }

    /// An event of schema version 1 with no metadata, from a payload.
    pub fn from_payload(event_type: impl Into<String>, data: Payload) -> Self {
        NewEvent {
            event_type: event_type.into(),
            schema_version: 1,
            data,
            correlation_id: None,
            causation_id: None,
            headers: BTreeMap::new(),
        }
    }

    /// Sets the schema version.
    pub fn with_schema_version(mut self, schema_version: u32) -> Self {
        self.schema_version = schema_version;
        self
    }

    /// Sets the correlation id.
    pub fn with_correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// Sets the causation id.
    pub fn with_causation_id(mut self, id: impl Into<String>) -> Self {
        self.causation_id = Some(id.into());
        self
    }

    /// Adds a header.
    pub fn with_header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(key.into(), value.into());
        self
    }
}

/// An event as stored, which reads return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    /// Derived from the store's seed and the position.
    pub event_id: EventId,
    /// The stream the event belongs to.
    pub stream_id: String,
    /// The event's number in its stream; the first is 0.
    pub revision: u64,
    /// The event's place in the global log; strictly increasing, the first is 0.
    pub position: u64,
    /// The event type.
    pub event_type: String,
    /// The payload's schema version.
    pub schema_version: u32,
    /// The payload.
    pub data: Value,
    /// Correlation, causation, timestamp and headers.
    pub metadata: EventMetadata,
}

/// The metadata part of a recorded event's envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMetadata {
    /// The correlation id, if the writer gave one.
    pub correlation_id: Option<String>,
    /// The causation id, if the writer gave one.
    pub causation_id: Option<String>,
    /// The simulated clock's time when the event was appended.
    pub timestamp_ms: i64,
    /// The writer's headers.
    pub headers: BTreeMap<String, String>,
}

/// A recorded event borrowed from the store, with its payload as JSON text: the fast path that
/// lets the JavaScript API emit JSON without building a `Value`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvent<'a> {
    /// Derived from the store's seed and the position.
    pub event_id: EventId,
    /// The stream the event belongs to.
    pub stream_id: &'a str,
    /// The event's number in its stream.
    pub revision: u64,
    /// The event's place in the global log.
    pub position: u64,
    /// The event type.
    pub event_type: &'a str,
    /// The payload's schema version.
    pub schema_version: u32,
    /// The simulated clock's time when the event was appended.
    pub timestamp_ms: i64,
    /// The correlation id, if any.
    pub correlation_id: Option<&'a str>,
    /// The causation id, if any.
    pub causation_id: Option<&'a str>,
    /// The headers, `None` when there are none.
    pub headers: Option<&'a BTreeMap<String, String>>,
    /// The payload as canonical compact JSON text, its sealed personal fields revealed (or
    /// shredded, see `vault.rs`): borrowed from the store unless it held any.
    pub data_json: Cow<'a, str>,
}

impl RawEvent<'_> {
    /// An owned copy with the payload parsed.
    pub fn to_recorded(&self) -> RecordedEvent {
        RecordedEvent {
            event_id: self.event_id,
            stream_id: self.stream_id.to_owned(),
            revision: self.revision,
            position: self.position,
            event_type: self.event_type.to_owned(),
            schema_version: self.schema_version,
            // Stored payloads were validated by the same parser on the way in.
            data: serde_json::from_str(&self.data_json).unwrap_or(Value::Null),
            metadata: EventMetadata {
                correlation_id: self.correlation_id.map(str::to_owned),
                causation_id: self.causation_id.map(str::to_owned),
                timestamp_ms: self.timestamp_ms,
                headers: self.headers.cloned().unwrap_or_default(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn payloads_from_text_and_value_agree() {
        let from_value = Payload::from_value(&json!({"qty": 1, "price": 9.99}));
        let from_text = Payload::from_json_text("{ \"price\" : 9.99,\n \"qty\": 1 }").ok();
        assert_eq!(
            from_text.as_ref().map(Payload::as_str),
            Some(r#"{"price":9.99,"qty":1}"#),
            "compacted text"
        );
        assert_eq!(from_value.as_str(), r#"{"price":9.99,"qty":1}"#, "serialized value");
    }

    #[test]
    fn invalid_json_text_is_an_invalid_input() {
        let error = NewEvent::from_json_text("T", "{\"a\":").err();
        assert_eq!(error.as_ref().map(Error::code), Some("InvalidInput"), "{error:?}");
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.starts_with("invalid json payload: "), "{message}");
    }

    #[test]
    fn builder_sets_the_metadata() {
        let event = NewEvent::new("T", json!(1))
            .with_schema_version(2)
            .with_correlation_id("c")
            .with_causation_id("k")
            .with_header("h", "v");
        assert_eq!(event.schema_version, 2, "schema version");
        assert_eq!(event.correlation_id.as_deref(), Some("c"), "correlation");
        assert_eq!(event.causation_id.as_deref(), Some("k"), "causation");
        assert_eq!(event.headers.get("h").map(String::as_str), Some("v"), "header");
    }
}
