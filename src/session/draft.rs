//! [`Draft`]: the definition open in the editor, as the JSON it is in the scenario file, with the
//! edits the editor's controls make to it. Plain Rust, tested natively; kept in browser storage
//! while it is open, so an unsaved edit survives a reload.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::model::edit::Kind;
use crate::model::system_check::{models, topics};
use crate::model::{diff, Problem, Scenario, SchemaDiff, SchemaVersion, System};

/// A definition being edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Its kind.
    pub kind: Kind,
    /// Where it is in its list; `None` for a new one.
    pub index: Option<usize>,
    /// The definition as edited.
    pub item: Value,
    /// Whether saving starts a blue-green build of this (projection's next version) instead of
    /// replacing the definition.
    #[serde(default)]
    pub blue_green: bool,
}

/// The type names the field editor's picker offers, scalars first.
pub const TYPE_NAMES: [&str; 10] = [
    "string",
    "int",
    "decimal",
    "bool",
    "timestamp",
    "id",
    "json",
    "enum",
    "list",
    "object",
];

impl Draft {
    /// Where the definition is (or will be) in the scenario document, e.g. `model.commands[2]`.
    pub fn path(&self, listed: usize) -> String {
        format!("{}[{}]", self.kind.path(), self.index.unwrap_or(listed))
    }

    /// The value at a JSON pointer into the definition, `null` when missing.
    pub fn get(&self, pointer: &str) -> Value {
        self.item.pointer(pointer).cloned().unwrap_or(Value::Null)
    }

    /// A string at a JSON pointer, empty when missing.
    pub fn text(&self, pointer: &str) -> String {
        self.item
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }

    /// Sets the value at a JSON pointer, making the objects on the way; `null` removes the key.
    /// A pointer through an array index that does not exist changes nothing.
    pub fn set(&mut self, pointer: &str, value: Value) {
        let mut parts: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
        let Some(last) = parts.pop() else {
            self.item = value;
            return;
        };
        let mut at = &mut self.item;
        for part in parts {
            at = match at {
                Value::Array(items) => match part.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(item) => item,
                    None => return,
                },
                other => {
                    if !other.is_object() {
                        *other = json!({});
                    }
                    let Some(map) = other.as_object_mut() else { return };
                    map.entry(part).or_insert_with(|| json!({}))
                }
            };
        }
        match at {
            Value::Array(items) => {
                if let Some(item) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    *item = value;
                }
            }
            other => {
                if !other.is_object() {
                    *other = json!({});
                }
                if let Some(map) = other.as_object_mut() {
                    if value.is_null() {
                        map.remove(&last);
                    } else {
                        map.insert(last, value);
                    }
                }
            }
        }
    }

    /// The array at a pointer, changed by `change` (an empty one when missing).
    pub fn edit_list(&mut self, pointer: &str, change: impl FnOnce(&mut Vec<Value>)) {
        let mut items = self.get(pointer).as_array().cloned().unwrap_or_default();
        change(&mut items);
        self.set(pointer, Value::Array(items));
    }

    /// Adds a schema version to an event type: a copy of the highest one, numbered one above it.
    pub fn add_version(&mut self) {
        self.add_version_at("");
    }

    /// [`Draft::add_version`] for the event type at `base` in the draft (a module's contract:
    /// `/contracts/0`).
    pub fn add_version_at(&mut self, base: &str) {
        self.edit_list(&format!("{base}/versions"), |versions| {
            let latest = versions
                .iter()
                .max_by_key(|v| v["version"].as_u64().unwrap_or(0))
                .cloned()
                .unwrap_or_else(|| json!({"version": 0, "fields": []}));
            let number = latest["version"].as_u64().unwrap_or(0) + 1;
            let mut next = latest;
            next["version"] = json!(number);
            if let Some(map) = next.as_object_mut() {
                map.remove("description");
            }
            if let Some(fields) = next.get_mut("fields").and_then(Value::as_array_mut) {
                for field in fields {
                    if let Some(field) = field.as_object_mut() {
                        field.remove("renamedFrom");
                    }
                }
            }
            versions.push(next);
        });
    }

    /// What changed between each version of an event type and the next, as far as the versions
    /// parse: `(old, new, diff)`.
    pub fn version_diffs(&self) -> Vec<(u32, u32, SchemaDiff)> {
        self.version_diffs_at("")
    }

    /// [`Draft::version_diffs`] of the event type at `base` in the draft.
    pub fn version_diffs_at(&self, base: &str) -> Vec<(u32, u32, SchemaDiff)> {
        let mut versions: Vec<SchemaVersion> = self
            .get(&format!("{base}/versions"))
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect();
        versions.sort_by_key(|v| v.version);
        versions
            .windows(2)
            .map(|pair| (pair[0].version, pair[1].version, diff(&pair[0], &pair[1])))
            .collect()
    }
}

/// The problems inside the definition at `path`, each with the rest of its path (`.fields[0].type`,
/// empty for the definition itself).
pub fn problems_under<'a>(problems: &'a [Problem], path: &str) -> Vec<(String, &'a Problem)> {
    problems
        .iter()
        .filter_map(|p| {
            let rest = p.path.strip_prefix(path)?;
            (rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')).then(|| (rest.to_owned(), p))
        })
        .collect()
}

/// The picker's name for a field type: `string`, …, `enum`, `list` or `object`.
pub fn type_name(field_type: &Value) -> &str {
    match field_type {
        Value::String(name) => name,
        Value::Object(map) => map.keys().next().map_or("string", String::as_str),
        _ => "string",
    }
}

/// A field type of a picked name, keeping what it can of the type it replaces.
pub fn with_type_name(name: &str, previous: &Value) -> Value {
    if type_name(previous) == name {
        return previous.clone();
    }
    match name {
        "enum" => json!({"enum": ["a", "b"]}),
        "list" => json!({"list": "string"}),
        "object" => json!({"object": []}),
        scalar => json!(scalar),
    }
}

/// An enum's values as the editor shows them: `open, closed`.
pub fn enum_text(field_type: &Value) -> String {
    let values = field_type.get("enum").and_then(Value::as_array);
    let names: Vec<&str> = values.into_iter().flatten().filter_map(Value::as_str).collect();
    names.join(", ")
}

/// An enum type from the editor's text: values separated by commas, blanks dropped.
pub fn enum_from_text(text: &str) -> Value {
    let values: Vec<&str> = text.split(',').map(str::trim).filter(|v| !v.is_empty()).collect();
    json!({ "enum": values })
}

fn unescape(part: &str) -> String {
    part.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event_type() -> Draft {
        Draft {
            kind: Kind::EventType,
            index: Some(1),
            blue_green: false,
            item: json!({"name": "ItemAdded", "versions": [{"version": 1, "fields": [
                {"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}]}),
        }
    }

    #[test]
    fn set_reaches_into_objects_and_arrays_and_removes_on_null() {
        let mut draft = event_type();
        draft.set("/versions/0/fields/1/pii", json!(true));
        assert_eq!(draft.get("/versions/0/fields/1/pii"), json!(true));
        draft.set("/description", json!("a line was added"));
        assert_eq!(draft.text("/description"), "a line was added");
        draft.set("/description", Value::Null);
        assert!(draft.item.get("description").is_none());
        draft.set("/versions/7/fields", json!([]));
        assert_eq!(
            draft,
            {
                let mut d = event_type();
                d.set("/versions/0/fields/1/pii", json!(true));
                d
            },
            "a missing index changes nothing"
        );
        draft.set("/logic/script", json!("fn x() {}"));
        assert_eq!(draft.text("/logic/script"), "fn x() {}");
    }

    #[test]
    fn a_new_version_copies_the_latest_and_the_diff_shows_the_change() {
        let mut draft = event_type();
        draft.add_version();
        assert_eq!(draft.get("/versions/1/version"), json!(2));
        assert!(
            draft.version_diffs()[0].2.reasons.is_empty(),
            "an unchanged copy breaks nothing"
        );
        draft.set("/versions/1/fields/0/name", json!("productId"));
        draft.set("/versions/1/fields/0/renamedFrom", json!("sku"));
        let diffs = draft.version_diffs();
        assert_eq!((diffs[0].0, diffs[0].1), (1, 2));
        assert_eq!(diffs[0].2.reasons, ["renamed field \"sku\" to \"productId\""]);
        draft.add_version();
        assert!(
            draft.get("/versions/2/fields/0/renamedFrom").is_null(),
            "a hint is for one step only"
        );
    }

    #[test]
    fn types_pick_and_keep_their_parameters() {
        assert_eq!(type_name(&json!("int")), "int");
        assert_eq!(type_name(&json!({"list": "int"})), "list");
        let status = json!({"enum": ["open", "closed"]});
        assert_eq!(with_type_name("enum", &status), status);
        assert_eq!(with_type_name("bool", &status), json!("bool"));
        assert_eq!(enum_text(&status), "open, closed");
        assert_eq!(enum_from_text(" open,, closed ,"), status);
    }

    #[test]
    fn problems_are_found_under_their_definition() {
        let problems = vec![
            Problem::new("model.eventTypes[1].versions[0].fields[0].type", "unknown type"),
            Problem::new("model.eventTypes[10].name", "duplicate"),
            Problem::new("model.eventTypes[1]", "whole"),
        ];
        let under = problems_under(&problems, &event_type().path(0));
        let rests: Vec<&str> = under.iter().map(|(rest, _)| rest.as_str()).collect();
        assert_eq!(rests, [".versions[0].fields[0].type", ""]);
    }
}

/// What the system's editors offer to pick from: module names (the main one first), every topic,
/// and every command a module takes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SystemChoices {
    /// The modules, the main one first.
    pub modules: Vec<String>,
    /// Every topic: contracts, `module.EventType`, external systems' answers.
    pub topics: Vec<String>,
    /// Every command a module takes (state-stored handlers included).
    pub commands: Vec<String>,
    /// The state-stored modules' tables, as `module.table`.
    pub tables: Vec<String>,
}

/// What the system's editors offer for `scenario`.
pub fn system_choices(scenario: &Scenario) -> SystemChoices {
    let empty = System::default();
    let system = scenario.system.as_ref().unwrap_or(&empty);
    let mut modules = vec![system.main.clone()];
    modules.extend(
        system
            .modules
            .iter()
            .map(|m| m.name.clone())
            .filter(|m| *m != system.main),
    );
    let mut commands: Vec<String> = models(scenario, system)
        .into_iter()
        .flat_map(|(_, model)| model.commands.iter().map(|c| c.name.clone()))
        .chain(
            system
                .modules
                .iter()
                .flat_map(|m| m.handlers.iter().map(|h| h.name.clone())),
        )
        .collect();
    commands.sort();
    commands.dedup();
    SystemChoices {
        modules,
        topics: topics(scenario, system).into_iter().collect(),
        commands,
        tables: system
            .modules
            .iter()
            .flat_map(|m| m.tables.iter().map(move |t| format!("{}.{}", m.name, t.name)))
            .collect(),
    }
}
