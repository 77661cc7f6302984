//! Commands: requests to change one stream, handled by its stream type's `decide`.

use serde::{Deserialize, Serialize};

use super::field::Field;

/// A kind of request, e.g. `AddItem`, aimed at one stream type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Command {
    /// The name, which `decide` sees as `command.type`.
    pub name: String,
    /// What the request asks for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The stream type that handles it.
    pub stream_type: String,
    /// The payload's fields, which `decide` sees as `command.data`.
    #[serde(default)]
    pub fields: Vec<Field>,
}
