//! Event types: a name, a visibility and a list of schema versions, the last one current.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::field::Field;
use super::payload::{fill_payload, PayloadError};

/// Who may depend on an event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Visibility {
    /// Internal to its stream type: free to change.
    #[default]
    Private,
    /// Part of a published contract that other contexts consume: change with care.
    Public,
}

/// One version of an event type's payload schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchemaVersion {
    /// The version number: 1, 2, …
    pub version: u32,
    /// The payload's fields.
    pub fields: Vec<Field>,
    /// What changed in this version.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A kind of fact that can happen, e.g. `ItemAdded`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventType {
    /// The name, used as the stored event type and in handler names (`on_ItemAdded`).
    pub name: String,
    /// What the fact means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Private by default.
    #[serde(default)]
    pub visibility: Visibility,
    /// The schema versions, oldest first; the highest is the current one.
    pub versions: Vec<SchemaVersion>,
}

impl EventType {
    /// The current (highest) schema version, `None` when the type has no versions.
    pub fn current(&self) -> Option<&SchemaVersion> {
        self.versions.iter().max_by_key(|v| v.version)
    }

    /// The current version number, 1 when the type has no versions.
    pub fn current_version(&self) -> u32 {
        self.current().map_or(1, |v| v.version)
    }

    /// A schema version by number.
    pub fn version(&self, version: u32) -> Option<&SchemaVersion> {
        self.versions.iter().find(|v| v.version == version)
    }

    /// Checks a payload against a version and fills in defaults; an unknown version is an error.
    pub fn fill(&self, version: u32, data: &Value) -> Result<Value, PayloadError> {
        let subject = format!("{} v{version}", self.name);
        match self.version(version) {
            Some(schema) => fill_payload(&subject, &schema.fields, data),
            None => Err(PayloadError {
                subject,
                path: String::new(),
                problem: "no such schema version".to_owned(),
            }),
        }
    }
}
