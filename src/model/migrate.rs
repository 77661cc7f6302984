//! Format migrations: older scenario documents are brought up to the current version on import.
//!
//! - Version 1: an event type had one flat `fields` list and no versions. Version 2 wraps it into
//!   `versions: [{ "version": 1, "fields": … }]`.
//! - Version 3 adds `readModels`, what was built of the embedded events; a version 2 document
//!   has none, so it reads as it is.
//! - Version 4 adds `system`: the modules beside the main one, consumers, process managers,
//!   external systems and the broker's faults. A version 3 document is a system of one module,
//!   so it reads as it is.
//!
//! Migrations work on the JSON value before it is read into types, so each one only knows two shapes.

use serde_json::{json, Value};

use super::problem::Problem;

/// The `format` field of a scenario document.
pub const FORMAT: &str = "eventarium-scenario";
/// The format version this build writes.
pub const FORMAT_VERSION: u64 = 4;

/// Checks `format` and `version` and migrates the document to [`FORMAT_VERSION`].
pub fn to_current(mut document: Value) -> Result<Value, Problem> {
    let Some(object) = document.as_object() else {
        return Err(Problem::new("", "expected a scenario document (a JSON object)"));
    };
    match object.get("format") {
        Some(Value::String(format)) if format == FORMAT => {}
        Some(other) => return Err(Problem::new("format", format!("expected {FORMAT:?}, got {other}"))),
        None => return Err(Problem::new("format", format!("missing, expected {FORMAT:?}"))),
    }
    let version = match object.get("version") {
        Some(Value::Number(number)) => number.as_u64(),
        _ => None,
    };
    match version {
        Some(old @ 1..FORMAT_VERSION) => {
            if old == 1 {
                v1_to_v2(&mut document);
            }
            set_version(&mut document);
            Ok(document)
        }
        Some(FORMAT_VERSION) => Ok(document),
        Some(newer) if newer > FORMAT_VERSION => Err(Problem::new(
            "version",
            format!("format version {newer} is newer than this build reads ({FORMAT_VERSION})"),
        )),
        _ => Err(Problem::new(
            "version",
            format!("expected a format version: 1 to {FORMAT_VERSION}"),
        )),
    }
}

fn v1_to_v2(document: &mut Value) {
    let event_types = document
        .get_mut("model")
        .and_then(|model| model.get_mut("eventTypes"))
        .and_then(Value::as_array_mut);
    for event_type in event_types.into_iter().flatten() {
        if let Some(object) = event_type.as_object_mut() {
            if !object.contains_key("versions") {
                let fields = object.remove("fields").unwrap_or_else(|| json!([]));
                object.insert("versions".to_owned(), json!([{ "version": 1, "fields": fields }]));
            }
        }
    }
}

fn set_version(document: &mut Value) {
    if let Some(object) = document.as_object_mut() {
        object.insert("version".to_owned(), json!(FORMAT_VERSION));
    }
}
