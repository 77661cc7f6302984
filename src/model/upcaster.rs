//! Upcasters: turn a stored event of one schema version into the next, on read.
//!
//! History is never rewritten: upcasters run every time old events are read, in order along
//! the chain from the stored version to the current one. Declarative operations cover the usual
//! changes; a script defines `fn upcast(event)` returning an event `#{ type, data, schemaVersion }`
//! (missing keys keep the input's type and take the upcaster's `to` version) or an array of them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::field::FieldType;

/// How `changeType` converts a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Conversion {
    /// Any value to its text (`3` → `"3"`; strings stay as they are).
    ToString,
    /// A number or numeric string to an integer, truncating fractions.
    ToInt,
    /// A numeric string to a number.
    ToDecimal,
    /// `"true"`/`"false"`, or a number (non-zero is true), to a bool.
    ToBool,
}

/// One part of an event produced by `split`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SplitTarget {
    /// The new event's type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Its schema version; it continues up its own chain from there.
    pub version: u32,
    /// The fields it takes from the split event's data.
    pub fields: Vec<String>,
}

/// A declarative upcasting step, applied to the event's data in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum Op {
    /// Moves a field to a new name.
    RenameField {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Adds a field with a value.
    AddField {
        /// The new field.
        field: String,
        /// Its value in every upcast event.
        default: Value,
    },
    /// Drops a field.
    RemoveField {
        /// The dropped field.
        field: String,
    },
    /// Converts a field's value.
    ChangeType {
        /// The field.
        field: String,
        /// The new type, as documentation and for the conversion's default.
        to: FieldType,
        /// How to convert; inferred from `to` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        convert: Option<Conversion>,
    },
    /// Replaces the event by several; must be the last operation.
    Split {
        /// The events to produce.
        into: Vec<SplitTarget>,
    },
}

/// [`Op`] in the externally tagged form [`super::tagged::retag`] reads.
#[derive(Deserialize)]
#[serde(remote = "Op", rename_all = "camelCase", deny_unknown_fields)]
enum Tagged {
    RenameField {
        from: String,
        to: String,
    },
    AddField {
        field: String,
        default: Value,
    },
    RemoveField {
        field: String,
    },
    ChangeType {
        field: String,
        to: FieldType,
        #[serde(default)]
        convert: Option<Conversion>,
    },
    Split {
        into: Vec<SplitTarget>,
    },
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = super::tagged::retag(deserializer, "op", &[])?;
        super::tagged::read::<D, _>(value, Tagged::deserialize)
    }
}

/// How an upcaster transforms events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UpcastLogic {
    /// Declarative operations.
    Ops(Vec<Op>),
    /// A rhai source defining `fn upcast(event)`.
    Script(String),
}

/// A step of an event type's upcasting chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Upcaster {
    /// The event type it reads.
    pub event_type: String,
    /// The version it reads.
    pub from: u32,
    /// The version it produces.
    pub to: u32,
    /// Operations or a script.
    pub logic: UpcastLogic,
}
