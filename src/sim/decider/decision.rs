//! What `decide` returned, in words: the events it emitted (validated against their types'
//! current schemas, defaults filled in) or the rejection it threw.

use serde_json::{json, Value};

use crate::model::{Model, StreamType};
use crate::script::{ScriptError, ScriptErrorKind};
use crate::sim::error::{Error, Result};

/// An event `decide` produced, validated against its type's current schema, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Emitted {
    /// The event type.
    pub event_type: String,
    /// The current schema version of the type.
    pub schema_version: u32,
    /// The payload.
    pub data: Value,
}

/// A command refused by the business rules (`throw` in `decide`): a value, not an error.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The thrown message (a thrown map or number is shown as JSON).
    pub message: String,
    /// What was thrown.
    pub value: Value,
}

/// What handling a command decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// These events happened; none means the command changed nothing.
    Accepted(Vec<Emitted>),
    /// The command was refused.
    Rejected(Rejection),
}

/// The outcome of what `stream_type`'s `decide` returned: a thrown value is a rejection, any
/// other script error stays an error, and an array is the events it emitted.
pub(super) fn worded(
    model: &Model,
    stream_type: &StreamType,
    decided: std::result::Result<Value, ScriptError>,
) -> Result<Outcome> {
    let decided = match decided {
        Ok(decided) => decided,
        Err(error) => match error.kind {
            ScriptErrorKind::Thrown(value) => {
                let message = match &value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                return Ok(Outcome::Rejected(Rejection { message, value }));
            }
            _ => return Err(Error::Script(error)),
        },
    };
    let owner = format!("decider {}", stream_type.name);
    let Value::Array(items) = decided else {
        return Err(Error::BadResult {
            owner,
            message: "decide must return an array of events".to_owned(),
        });
    };
    items
        .iter()
        .map(|item| emitted(model, &owner, item))
        .collect::<Result<_>>()
        .map(Outcome::Accepted)
}

fn emitted(model: &Model, owner: &str, item: &Value) -> Result<Emitted> {
    let bad = |message: String| Error::BadResult {
        owner: owner.to_owned(),
        message,
    };
    let Some(name) = item.get("type").and_then(Value::as_str) else {
        return Err(bad(format!(
            "each decided event needs a type: #{{ type: \"…\", data: #{{…}} }}, got {item}"
        )));
    };
    let event_type = model.event_type(name).ok_or_else(|| unknown("event type", name))?;
    let version = event_type.current_version();
    let empty = json!({});
    let data = event_type.fill(version, item.get("data").unwrap_or(&empty))?;
    Ok(Emitted {
        event_type: name.to_owned(),
        schema_version: version,
        data,
    })
}

/// The error for a name the model does not define.
pub(super) fn unknown(what: &'static str, name: &str) -> Error {
    Error::Unknown {
        what,
        name: name.to_owned(),
    }
}
