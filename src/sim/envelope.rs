//! [`Envelope`]: an event as the runtime hands it to scripts, with its place in the store.

use serde_json::{json, Value};

use crate::model::Periods;
use crate::store::{RawEvent, RecordedEvent};

/// An event with its stream, revision, position and schema version, apart from its payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The event type.
    pub event_type: String,
    /// The payload's schema version.
    pub schema_version: u32,
    /// The payload.
    pub data: Value,
    /// The stream it belongs to.
    pub stream_id: String,
    /// Its number in the stream, from 0.
    pub revision: u64,
    /// Its place in the global log, from 0.
    pub position: u64,
}

/// The type of the event a compaction leaves at a revision, holding the state the events up to it
/// fold to (Marten's `Compacted<T>`).
pub const COMPACTED_EVENT: &str = "$compacted";
/// The type of a summary event: appended with the state the stream folds to, after which the
/// stream is truncated before it.
pub const SUMMARY_EVENT: &str = "$summary";

/// What a fold does with one event: see [`Envelope::folding`].
pub(crate) enum Folding<'e> {
    /// Calls `evolve`.
    Evolve,
    /// Takes this as the state.
    Take(&'e Value),
    /// Leaves the state as it is.
    Keep,
}

impl Envelope {
    /// The envelope of a stored event.
    pub fn from_recorded(event: &RecordedEvent) -> Self {
        Envelope {
            event_type: event.event_type.clone(),
            schema_version: event.schema_version,
            data: event.data.clone(),
            stream_id: event.stream_id.clone(),
            revision: event.revision,
            position: event.position,
        }
    }

    /// The envelope of a stored event read without copies: the payload is parsed once, here.
    pub fn from_raw(event: &RawEvent<'_>) -> Self {
        Envelope {
            event_type: event.event_type.to_owned(),
            schema_version: event.schema_version,
            // Stored payloads were validated by the same parser on the way in.
            data: serde_json::from_str(&event.data_json).unwrap_or(Value::Null),
            stream_id: event.stream_id.to_owned(),
            revision: event.revision,
            position: event.position,
        }
    }

    /// Whether the event carries its stream's whole state (a compaction's snapshot or a summary),
    /// which a fold takes as the state instead of calling `evolve`.
    pub fn carries_state(&self) -> bool {
        self.event_type == COMPACTED_EVENT || self.event_type == SUMMARY_EVENT
    }

    /// What a fold of a stream with these `periods` does with the event: a compaction's snapshot,
    /// a summary and a period's opening give the state; a period's closing leaves it as it was
    /// (the period takes no more commands); any other event goes through `evolve`.
    pub(crate) fn folding(&self, periods: Option<&Periods>) -> Folding<'_> {
        if self.carries_state() {
            return Folding::Take(&self.data);
        }
        match periods {
            Some(p) if self.event_type == p.opened_event => {
                Folding::Take(self.data.get("state").unwrap_or(&Value::Null))
            }
            Some(p) if self.event_type == p.closed_event => Folding::Keep,
            _ => Folding::Evolve,
        }
    }

    /// What scripts see: `#{ type, data, streamId, revision, position, schemaVersion }`.
    pub fn to_value(&self) -> Value {
        json!({
            "type": self.event_type,
            "data": self.data,
            "streamId": self.stream_id,
            "revision": self.revision,
            "position": self.position,
            "schemaVersion": self.schema_version,
        })
    }

    /// What scripts see, as a Rhai value built directly (no JSON in between); `Err` when the payload
    /// holds something a script cannot (the JSON path then names it).
    pub(crate) fn to_dynamic(&self) -> Result<rhai::Dynamic, ()> {
        let data = crate::script::value::to_dynamic(&self.data).map_err(drop)?;
        Ok(dynamic(
            &self.event_type,
            data,
            &self.stream_id,
            self.revision,
            self.position,
            self.schema_version,
        ))
    }

    /// The value at a key path (`streamId`, `type`, `data.cartId`, …), `None` when absent or null.
    pub fn lookup(&self, path: &str) -> Option<Value> {
        let mut parts = path.split('.');
        let value = match parts.next()? {
            "streamId" => Value::from(self.stream_id.as_str()),
            "type" => Value::from(self.event_type.as_str()),
            "revision" => Value::from(self.revision),
            "position" => Value::from(self.position),
            "schemaVersion" => Value::from(self.schema_version),
            "data" => parts.try_fold(&self.data, |current, part| current.get(part))?.clone(),
            _ => return None,
        };
        (!value.is_null() && parts.next().is_none()).then_some(value)
    }

    /// The value at a key path as text: strings as they are, anything else as JSON.
    pub fn lookup_text(&self, path: &str) -> Option<String> {
        self.lookup(path).map(|value| match value {
            Value::String(text) => text,
            other => other.to_string(),
        })
    }
}

/// What scripts see of an event, `#{ type, data, streamId, revision, position, schemaVersion }`,
/// as a Rhai value, the payload already converted.
pub(crate) fn dynamic(
    event_type: impl Into<rhai::Dynamic>,
    data: rhai::Dynamic,
    stream_id: &str,
    revision: u64,
    position: u64,
    schema_version: u32,
) -> rhai::Dynamic {
    let number = |n: u64| rhai::Dynamic::from_int(i64::try_from(n).unwrap_or(i64::MAX));
    // In key order, so the map is built in one go rather than searched at every insert.
    let entries = [
        ("data", data),
        ("position", number(position)),
        ("revision", number(revision)),
        ("schemaVersion", number(u64::from(schema_version))),
        ("streamId", stream_id.into()),
        ("type", event_type.into()),
    ];
    rhai::Dynamic::from_map(entries.into_iter().map(|(key, value)| (key.into(), value)).collect())
}
