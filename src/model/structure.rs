//! Structural problems: when a document does not fit the types, find every place that does not,
//! descending into lists so that each problem gets its own JSON path.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::command::Command;
use super::event_type::{EventType, SchemaVersion};
use super::field::{Field, FieldType};
use super::policy::Policy;
use super::problem::Problem;
use super::projection::Projection;
use super::scenario::Settings;
use super::spec::Spec;
use super::stream_type::StreamType;
use super::upcaster::Upcaster;

const ROOT_KEYS: [&str; 10] = [
    "format",
    "version",
    "name",
    "description",
    "settings",
    "model",
    "specs",
    "events",
    "readModels",
    "system",
];
const MODEL_KEYS: [&str; 6] = [
    "eventTypes",
    "commands",
    "streamTypes",
    "projections",
    "upcasters",
    "policies",
];

/// Every structural problem of a migrated document; `fallback` (the whole document's error) is
/// reported at the root when no part can be blamed.
pub(crate) fn diagnose(document: &Value, fallback: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(root) = document.as_object() {
        unknown_keys(root, "", &ROOT_KEYS, &mut problems);
        match root.get("name") {
            Some(name) => leaf::<String>(name, "name", &mut problems),
            None => problems.push(Problem::new("name", "missing")),
        }
        optional::<String>(root, "description", "description", &mut problems);
        optional::<Settings>(root, "settings", "settings", &mut problems);
        list(root.get("specs"), "specs", &mut problems, leaf::<Spec>);
        match root.get("model") {
            Some(Value::Object(model)) => diagnose_model(model, &mut problems),
            Some(Value::Null) | None => {}
            Some(_) => problems.push(Problem::new("model", "expected an object")),
        }
    }
    if problems.is_empty() {
        problems.push(Problem::new("", fallback));
    }
    problems
}

fn diagnose_model(model: &Map<String, Value>, problems: &mut Vec<Problem>) {
    unknown_keys(model, "model", &MODEL_KEYS, problems);
    list(model.get("eventTypes"), "model.eventTypes", problems, event_type);
    list(
        model.get("commands"),
        "model.commands",
        problems,
        |value, path, problems| {
            deep::<Command>(value, path, problems, |object, path, problems| {
                list(object.get("fields"), &format!("{path}.fields"), problems, field);
            })
        },
    );
    list(
        model.get("streamTypes"),
        "model.streamTypes",
        problems,
        leaf::<StreamType>,
    );
    list(
        model.get("projections"),
        "model.projections",
        problems,
        leaf::<Projection>,
    );
    list(model.get("upcasters"), "model.upcasters", problems, leaf::<Upcaster>);
    list(model.get("policies"), "model.policies", problems, leaf::<Policy>);
}

fn event_type(value: &Value, path: &str, problems: &mut Vec<Problem>) {
    deep::<EventType>(value, path, problems, |object, path, problems| {
        list(
            object.get("versions"),
            &format!("{path}.versions"),
            problems,
            |value, path, problems| {
                deep::<SchemaVersion>(value, path, problems, |object, path, problems| {
                    list(object.get("fields"), &format!("{path}.fields"), problems, field);
                })
            },
        );
    });
}

fn field(value: &Value, path: &str, problems: &mut Vec<Problem>) {
    deep::<Field>(value, path, problems, |object, path, problems| {
        if let Some(Err(message)) = object.get("type").map(FieldType::from_json) {
            problems.push(Problem::new(format!("{path}.type"), message));
        }
    });
}

/// Reports `value` at `path` if it does not read as a `T`, after letting `descend` look closer.
fn deep<T: DeserializeOwned>(
    value: &Value,
    path: &str,
    problems: &mut Vec<Problem>,
    descend: impl FnOnce(&Map<String, Value>, &str, &mut Vec<Problem>),
) {
    let Err(error) = T::deserialize(value) else { return };
    let before = problems.len();
    if let Some(object) = value.as_object() {
        descend(object, path, problems);
    }
    if problems.len() == before {
        problems.push(Problem::new(path, error.to_string()));
    }
}

fn leaf<T: DeserializeOwned>(value: &Value, path: &str, problems: &mut Vec<Problem>) {
    if let Err(error) = T::deserialize(value) {
        problems.push(Problem::new(path, error.to_string()));
    }
}

fn optional<T: DeserializeOwned>(object: &Map<String, Value>, key: &str, path: &str, problems: &mut Vec<Problem>) {
    if let Some(value) = object.get(key).filter(|value| !value.is_null()) {
        leaf::<T>(value, path, problems);
    }
}

fn list(
    value: Option<&Value>,
    path: &str,
    problems: &mut Vec<Problem>,
    mut each: impl FnMut(&Value, &str, &mut Vec<Problem>),
) {
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                each(item, &format!("{path}[{index}]"), problems);
            }
        }
        Some(_) => problems.push(Problem::new(path, "expected a list")),
    }
}

fn unknown_keys(object: &Map<String, Value>, path: &str, known: &[&str], problems: &mut Vec<Problem>) {
    for key in object.keys().filter(|key| !known.contains(&key.as_str())) {
        let at = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        problems.push(Problem::new(
            at,
            format!("unknown key, expected one of {}", known.join(", ")),
        ));
    }
}
