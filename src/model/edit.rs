//! Editing a scenario one definition at a time, as the model panel does: read a definition as
//! JSON, put an edited one back (a new name renames every reference to it), list what depends on
//! a definition, and remove it together with what cannot exist without it.
//!
//! Definitions are addressed by their [`Kind`] and index. Every edit hands back a new scenario
//! checked as a whole ([`Scenario::from_value`]), or every problem with its JSON path; the
//! scenario it started from is never changed.

use std::fmt;

use serde_json::Value;

use super::policy::PolicyLogic;
use super::problem::Problem;
use super::projection::{ProjectionLogic, Source};
use super::scenario::Scenario;
use super::spec::{Spec, Then};
use super::upcast_check;
use super::upcaster::{Op, UpcastLogic};
use crate::store::Store;

/// A kind of definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// An event type with its schema versions.
    EventType,
    /// A command.
    Command,
    /// A stream type (a decider).
    StreamType,
    /// A projection.
    Projection,
    /// An upcaster.
    Upcaster,
    /// A policy.
    Policy,
    /// A spec.
    Spec,
}

impl Kind {
    /// Every kind, in the order the model panel lists them.
    pub const ALL: [Kind; 7] = [
        Kind::EventType,
        Kind::Command,
        Kind::StreamType,
        Kind::Projection,
        Kind::Upcaster,
        Kind::Policy,
        Kind::Spec,
    ];

    /// The kind in a sentence: `event type`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::EventType => "event type",
            Kind::Command => "command",
            Kind::StreamType => "stream type",
            Kind::Projection => "projection",
            Kind::Upcaster => "upcaster",
            Kind::Policy => "policy",
            Kind::Spec => "spec",
        }
    }

    /// The heading of a list of them: `Event types`.
    pub fn title(self) -> &'static str {
        match self {
            Kind::EventType => "Event types",
            Kind::Command => "Commands",
            Kind::StreamType => "Stream types",
            Kind::Projection => "Projections",
            Kind::Upcaster => "Upcasters",
            Kind::Policy => "Policies",
            Kind::Spec => "Specs",
        }
    }

    /// Where the list is in a scenario document: `model.eventTypes`.
    pub fn path(self) -> &'static str {
        match self {
            Kind::EventType => "model.eventTypes",
            Kind::Command => "model.commands",
            Kind::StreamType => "model.streamTypes",
            Kind::Projection => "model.projections",
            Kind::Upcaster => "model.upcasters",
            Kind::Policy => "model.policies",
            Kind::Spec => "specs",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Something that refers to a definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependent {
    /// Its kind.
    pub kind: Kind,
    /// Its name as listed (see [`names`]).
    pub name: String,
    /// How it depends, e.g. `handles it`, `mentions it in its script`.
    pub how: String,
    /// Whether removing the definition removes this one too; otherwise it is changed (a
    /// reference dropped from a list) or left for the user to fix (a script).
    pub removed: bool,
}

/// The names of a kind's definitions, in order; an upcaster's is `ItemAdded v1 → v2`.
pub fn names(scenario: &Scenario, kind: Kind) -> Vec<String> {
    let model = &scenario.model;
    match kind {
        Kind::EventType => model.event_types.iter().map(|t| t.name.clone()).collect(),
        Kind::Command => model.commands.iter().map(|c| c.name.clone()).collect(),
        Kind::StreamType => model.stream_types.iter().map(|s| s.name.clone()).collect(),
        Kind::Projection => model.projections.iter().map(|p| p.name.clone()).collect(),
        Kind::Upcaster => model
            .upcasters
            .iter()
            .map(|u| format!("{} v{} → v{}", u.event_type, u.from, u.to))
            .collect(),
        Kind::Policy => model.policies.iter().map(|p| p.name.clone()).collect(),
        Kind::Spec => scenario.specs.iter().map(|s| s.name().to_owned()).collect(),
    }
}

/// A definition as JSON, as it is in the scenario file.
pub fn get(scenario: &Scenario, kind: Kind, index: usize) -> Option<Value> {
    list(&scenario.to_value(), kind).and_then(|items| items.get(index).cloned())
}

/// A new definition of a kind, with a name no other one has, ready to be edited.
pub fn template(scenario: &Scenario, kind: Kind) -> Value {
    let taken = names(scenario, kind);
    let unique = |base: &str| {
        (1..)
            .map(|n| if n == 1 { base.to_owned() } else { format!("{base}{n}") })
            .find(|name| !taken.contains(name))
            .unwrap_or_default()
    };
    let model = &scenario.model;
    let event_type = model.event_types.first().map_or("", |t| t.name.as_str());
    match kind {
        Kind::EventType => serde_json::json!({
            "name": unique("NewEvent"),
            "versions": [{"version": 1, "fields": []}],
        }),
        Kind::Command => serde_json::json!({
            "name": unique("NewCommand"),
            "streamType": model.stream_types.first().map_or("", |s| s.name.as_str()),
            "fields": [],
        }),
        Kind::StreamType => {
            let name = unique("NewStream");
            serde_json::json!({
                "name": name,
                "streamIdPattern": format!("{}-{{id}}", name.to_lowercase()),
                "initialState": {},
                "script": "fn decide(command, state) {\n    throw \"unknown command \" + command.type;\n}\n\nfn evolve(state, event) {\n    state\n}\n",
            })
        }
        Kind::Projection => serde_json::json!({
            "name": unique("NewProjection"),
            "source": "all",
            "key": "streamId",
            "logic": {"template": "countByKey"},
        }),
        Kind::Upcaster => {
            // The first step along some type's versions that no upcaster takes yet.
            let (event_type, from, to) = model
                .event_types
                .iter()
                .find_map(|t| {
                    let mut versions: Vec<u32> = t.versions.iter().map(|v| v.version).collect();
                    versions.sort_unstable();
                    versions
                        .windows(2)
                        .find(|pair| model.upcaster(&t.name, pair[0]).is_none())
                        .map(|pair| (t.name.as_str(), pair[0], pair[1]))
                })
                .unwrap_or((event_type, 1, 2));
            serde_json::json!({
            "eventType": event_type,
            "from": from,
            "to": to,
            "logic": {"script": "fn upcast(event) {\n    event\n}\n"},
            })
        }
        Kind::Policy => serde_json::json!({
            "name": unique("NewPolicy"),
            "on": [event_type],
            "logic": {"script": "fn react(event) {\n    []\n}\n"},
        }),
        Kind::Spec => {
            let command = model.commands.first();
            let stream = command
                .and_then(|c| model.stream_type(&c.stream_type))
                .map_or_else(|| "stream-1".to_owned(), |s| s.stream_id_pattern.replace("{id}", "1"));
            serde_json::json!({
                "kind": "decider",
                "name": unique("new example"),
                "when": {"stream": stream, "command": command.map_or("", |c| c.name.as_str()), "data": {}},
                "then": "nothing",
            })
        }
    }
}

/// What an edit made, before it is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    /// The whole scenario after the edit, checked.
    pub scenario: Scenario,
    /// Where the new definition is in its list.
    pub index: usize,
    /// What else changed with it: references renamed, dependents removed.
    pub changed: Vec<Dependent>,
}

/// Puts a definition in: replaces the one at `index`, or adds it at the end. A new name (for a
/// kind other than upcasters and specs) renames every reference to the old one, scripts included.
pub fn put(scenario: &Scenario, kind: Kind, index: Option<usize>, item: Value) -> Result<Edited, Vec<Problem>> {
    let mut renamed = scenario.clone();
    let mut changed = Vec::new();
    let old_name = index.and_then(|i| names(scenario, kind).get(i).cloned());
    let new_name = item.get("name").and_then(Value::as_str).map(str::to_owned);
    if let (Some(old), Some(new)) = (&old_name, &new_name) {
        if old != new && !matches!(kind, Kind::Upcaster | Kind::Spec) {
            changed = rename(&mut renamed, kind, old, new);
        }
    }
    let mut document = renamed.to_value();
    let Some(items) = list_mut(&mut document, kind) else {
        return Err(vec![Problem::new(kind.path(), "not a list")]);
    };
    let index = match index {
        Some(i) if i < items.len() => {
            items[i] = item;
            i
        }
        Some(i) => {
            return Err(vec![Problem::new(
                format!("{}[{i}]", kind.path()),
                "no such definition",
            )])
        }
        None => {
            items.push(item);
            items.len() - 1
        }
    };
    let scenario = Scenario::from_value(document)?;
    Ok(Edited {
        scenario,
        index,
        changed,
    })
}

/// Removes a definition and what cannot exist without it (see [`dependents`]).
pub fn remove(scenario: &Scenario, kind: Kind, index: usize) -> Result<Edited, Vec<Problem>> {
    let Some((next, changed)) = removal(scenario, kind, index) else {
        return Err(vec![Problem::new(
            format!("{}[{index}]", kind.path()),
            "no such definition",
        )]);
    };
    let scenario = Scenario::from_value(next.to_value())?;
    Ok(Edited {
        scenario,
        index,
        changed,
    })
}

/// Problems of recorded events the model can no longer read: an event type removed, a version
/// with no upcaster path to the current one.
pub fn recorded_problems(scenario: &Scenario, store: &Store) -> Vec<Problem> {
    let mut problems = Vec::new();
    upcast_check::recorded(&scenario.model, store, &mut problems);
    problems
}

fn remove_at(scenario: &mut Scenario, kind: Kind, index: usize) {
    let model = &mut scenario.model;
    match kind {
        Kind::EventType => drop(model.event_types.remove(index)),
        Kind::Command => drop(model.commands.remove(index)),
        Kind::StreamType => drop(model.stream_types.remove(index)),
        Kind::Projection => drop(model.projections.remove(index)),
        Kind::Upcaster => drop(model.upcasters.remove(index)),
        Kind::Policy => drop(model.policies.remove(index)),
        Kind::Spec => drop(scenario.specs.remove(index)),
    }
}

/// Removes what referred to the removed `name`, and what in turn referred to that.
fn cascade(scenario: &mut Scenario, kind: Kind, name: &str) {
    let model = &mut scenario.model;
    match kind {
        Kind::EventType => {
            model
                .upcasters
                .retain(|u| u.event_type != name && !splits_into(u, name));
            for policy in &mut model.policies {
                policy.on.retain(|t| t != name);
            }
            model.policies.retain(|p| !p.on.is_empty());
            for projection in &mut model.projections {
                if let Source::EventTypes(types) = &mut projection.source {
                    types.retain(|t| t != name);
                }
            }
            let emptied: Vec<String> = model
                .projections
                .iter()
                .filter(|p| matches!(&p.source, Source::EventTypes(types) if types.is_empty()))
                .map(|p| p.name.clone())
                .collect();
            model.projections.retain(|p| !emptied.contains(&p.name));
            scenario.specs.retain(|s| !spec_uses_event_type(s, name));
            for projection in emptied {
                cascade(scenario, Kind::Projection, &projection);
            }
        }
        Kind::Command => {
            for policy in &mut model.policies {
                if let PolicyLogic::Mapping(mappings) = &mut policy.logic {
                    mappings.retain(|m| m.command != name);
                }
            }
            model
                .policies
                .retain(|p| !matches!(&p.logic, PolicyLogic::Mapping(m) if m.is_empty()));
            scenario
                .specs
                .retain(|s| !matches!(s, Spec::Decider(d) if d.when.command == name));
        }
        Kind::StreamType => {
            let commands: Vec<String> = model
                .commands
                .iter()
                .filter(|c| c.stream_type == name)
                .map(|c| c.name.clone())
                .collect();
            model.commands.retain(|c| c.stream_type != name);
            for command in commands {
                cascade(scenario, Kind::Command, &command);
            }
        }
        Kind::Projection => scenario
            .specs
            .retain(|s| !matches!(s, Spec::Projection(p) if p.projection == name)),
        Kind::Upcaster | Kind::Policy | Kind::Spec => {}
    }
}

fn splits_into(upcaster: &super::upcaster::Upcaster, event_type: &str) -> bool {
    match &upcaster.logic {
        UpcastLogic::Ops(ops) => ops.iter().any(|op| match op {
            Op::Split { into } => into.iter().any(|t| t.event_type == event_type),
            _ => false,
        }),
        UpcastLogic::Script(_) => false,
    }
}

fn spec_uses_event_type(spec: &Spec, event_type: &str) -> bool {
    match spec {
        Spec::Decider(d) => {
            d.given.iter().any(|g| g.event_type == event_type)
                || matches!(&d.then, Then::Events(events) if events.iter().any(|e| e.event_type == event_type))
        }
        Spec::Projection(p) => p.given.iter().any(|g| g.event_type == event_type),
    }
}

/// Everything that refers to a definition: what [`remove`] would remove with it, what it would
/// change, and the scripts that mention its name (left as they are).
pub fn dependents(scenario: &Scenario, kind: Kind, index: usize) -> Vec<Dependent> {
    removal(scenario, kind, index)
        .map(|(_, dependents)| dependents)
        .unwrap_or_default()
}

/// The scenario without a definition and what cannot exist without it, and what that removes,
/// changes or leaves mentioning it; `None` when there is no such definition.
fn removal(scenario: &Scenario, kind: Kind, index: usize) -> Option<(Scenario, Vec<Dependent>)> {
    let name = names(scenario, kind).get(index).cloned()?;
    let mut before = scenario.clone();
    let mut after = scenario.clone();
    remove_at(&mut after, kind, index);
    cascade(&mut after, kind, &name);
    // Compare what is left with what was there, skipping the definition itself.
    remove_at(&mut before, kind, index);
    let mut out = Vec::new();
    let mut unchanged = Vec::new();
    let (was_document, left_document) = (before.to_value(), after.to_value());
    for other in Kind::ALL {
        let left = names(&after, other);
        let left_items = items(&left_document, other);
        for (item_name, was_item) in names(&before, other).into_iter().zip(items(&was_document, other)) {
            match left.iter().position(|n| *n == item_name) {
                None => out.push(Dependent {
                    kind: other,
                    name: item_name,
                    how: how_removed(other, kind),
                    removed: true,
                }),
                Some(j) if left_items.get(j) != Some(was_item) => out.push(Dependent {
                    kind: other,
                    name: item_name,
                    how: format!("stops referring to this {kind}"),
                    removed: false,
                }),
                Some(_) => unchanged.push((other, item_name, was_item)),
            }
        }
    }
    // Scripts are left as they are; say which mention what goes.
    let mut gone = vec![(kind, name)];
    gone.extend(out.iter().filter(|d| d.removed).map(|d| (d.kind, d.name.clone())));
    for (other, item_name, item) in unchanged {
        let mentioned = gone.iter().find(|(kind, name)| mentions(item, *kind, name));
        if let Some((_, name)) = mentioned {
            out.push(Dependent {
                kind: other,
                name: item_name,
                how: format!("mentions {name} in its script"),
                removed: false,
            });
        }
    }
    Some((after, out))
}

fn how_removed(dependent: Kind, removed: Kind) -> String {
    match (dependent, removed) {
        (Kind::Upcaster, Kind::EventType) => "upcasts its events".to_owned(),
        (Kind::Command, Kind::StreamType) => "is handled by it".to_owned(),
        (Kind::Spec, _) => format!("is an example that uses this {removed}"),
        (Kind::Policy, _) => format!("reacts only through this {removed}"),
        (Kind::Projection, _) => format!("reads only this {removed}"),
        _ => format!("depends on this {removed}"),
    }
}

/// A kind's definitions in a scenario document (see [`Scenario::to_value`]).
fn items(document: &Value, kind: Kind) -> &[Value] {
    list(document, kind).map_or(&[], Vec::as_slice)
}

/// Whether a definition's scripts mention a name: a handler `on_Name`, a string `"Name"`, or a
/// `read_model("Name"` call.
fn mentions(item: &Value, kind: Kind, name: &str) -> bool {
    scripts_of(item).iter().any(|source| {
        let quoted = format!("\"{name}\"");
        source.contains(&quoted) || (kind == Kind::EventType && has_word(source, &format!("on_{name}")))
    })
}

fn scripts_of(item: &Value) -> Vec<&str> {
    let script = item.get("script").and_then(Value::as_str);
    let logic = item.pointer("/logic/script").and_then(Value::as_str);
    script.into_iter().chain(logic).collect()
}

fn has_word(source: &str, word: &str) -> bool {
    replace_word(source, word, "") != source
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Replaces whole-word occurrences of `from` by `to`.
fn replace_word(source: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    for (at, _) in source.match_indices(from) {
        let before = source[..at].chars().next_back();
        let after = source[at + from.len()..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            out.push_str(&source[copied..at]);
            out.push_str(to);
            copied = at + from.len();
        }
    }
    out.push_str(&source[copied..]);
    out
}

/// Renames a definition's references from `old` to `new` and tells what changed.
fn rename(scenario: &mut Scenario, kind: Kind, old: &str, new: &str) -> Vec<Dependent> {
    let before = scenario.clone();
    let model = &mut scenario.model;
    let swap = |value: &mut String| {
        if value == old {
            new.clone_into(value);
        }
    };
    let scripts = |source: &mut String| {
        let quoted = replace_word(source, &format!("\"{old}\""), &format!("\"{new}\""));
        *source = if kind == Kind::EventType {
            replace_word(&quoted, &format!("on_{old}"), &format!("on_{new}"))
        } else {
            quoted
        };
    };
    match kind {
        Kind::EventType => {
            model.upcasters.iter_mut().for_each(|u| {
                swap(&mut u.event_type);
                if let UpcastLogic::Ops(ops) = &mut u.logic {
                    for op in ops {
                        if let Op::Split { into } = op {
                            into.iter_mut().for_each(|t| swap(&mut t.event_type));
                        }
                    }
                }
            });
            model.policies.iter_mut().for_each(|p| p.on.iter_mut().for_each(swap));
            for projection in &mut model.projections {
                if let Source::EventTypes(types) = &mut projection.source {
                    types.iter_mut().for_each(swap);
                }
            }
            for spec in &mut scenario.specs {
                match spec {
                    Spec::Decider(d) => {
                        d.given.iter_mut().for_each(|g| swap(&mut g.event_type));
                        if let Then::Events(events) = &mut d.then {
                            events.iter_mut().for_each(|e| swap(&mut e.event_type));
                        }
                    }
                    Spec::Projection(p) => p.given.iter_mut().for_each(|g| swap(&mut g.event_type)),
                }
            }
        }
        Kind::Command => {
            for policy in &mut model.policies {
                if let PolicyLogic::Mapping(mappings) = &mut policy.logic {
                    mappings.iter_mut().for_each(|m| swap(&mut m.command));
                }
            }
            for spec in &mut scenario.specs {
                if let Spec::Decider(d) = spec {
                    swap(&mut d.when.command);
                }
            }
        }
        Kind::StreamType => model.commands.iter_mut().for_each(|c| swap(&mut c.stream_type)),
        Kind::Projection => {
            for spec in &mut scenario.specs {
                if let Spec::Projection(p) = spec {
                    swap(&mut p.projection);
                }
            }
        }
        Kind::Upcaster | Kind::Policy | Kind::Spec => return Vec::new(),
    }
    model.stream_types.iter_mut().for_each(|s| scripts(&mut s.script));
    for projection in &mut model.projections {
        if let ProjectionLogic::Script(source) = &mut projection.logic {
            scripts(source);
        }
    }
    for upcaster in &mut model.upcasters {
        if let UpcastLogic::Script(source) = &mut upcaster.logic {
            scripts(source);
        }
    }
    for policy in &mut model.policies {
        if let PolicyLogic::Script(source) = &mut policy.logic {
            scripts(source);
        }
    }
    let mut out = Vec::new();
    let (was_document, now_document) = (before.to_value(), scenario.to_value());
    for other in Kind::ALL {
        let was = items(&was_document, other);
        let now = items(&now_document, other);
        for ((item_name, was), now) in names(&before, other).into_iter().zip(was).zip(now) {
            if was != now {
                out.push(Dependent {
                    kind: other,
                    name: item_name,
                    how: format!("now refers to {new}"),
                    removed: false,
                });
            }
        }
    }
    out
}

fn list(document: &Value, kind: Kind) -> Option<&Vec<Value>> {
    let pointer = format!("/{}", kind.path().replace('.', "/"));
    document.pointer(&pointer).and_then(Value::as_array)
}

fn list_mut(document: &mut Value, kind: Kind) -> Option<&mut Vec<Value>> {
    let pointer = format!("/{}", kind.path().replace('.', "/"));
    if document.pointer(&pointer).is_none() {
        // An empty list is left out of the file; put it back to add to it.
        let (parent, key) = match kind.path().split_once('.') {
            Some((parent, key)) => (Some(parent), key),
            None => (None, kind.path()),
        };
        let holder = match parent {
            Some(parent) => document.get_mut(parent)?,
            None => document,
        };
        holder.as_object_mut()?.insert(key.to_owned(), Value::Array(Vec::new()));
    }
    document.pointer_mut(&pointer).and_then(Value::as_array_mut)
}
