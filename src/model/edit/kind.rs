//! The kinds of definition and where each kind's list is: in a [`Scenario`] by name, and in a
//! scenario document (see [`Scenario::to_value`]) as a JSON array.

use std::fmt;

use serde_json::Value;

use crate::model::scenario::Scenario;

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
    /// A module of the system: a service with its own store.
    Module,
    /// A consumer of the system: a subscriber that sends commands to its module.
    Consumer,
    /// A process manager of the system.
    Process,
    /// An external system the system calls.
    External,
}

impl Kind {
    /// Every kind, in the order the model panel lists them.
    pub const ALL: [Kind; 11] = [
        Kind::EventType,
        Kind::Command,
        Kind::StreamType,
        Kind::Projection,
        Kind::Upcaster,
        Kind::Policy,
        Kind::Spec,
        Kind::Module,
        Kind::Consumer,
        Kind::Process,
        Kind::External,
    ];

    /// Whether it belongs to the system of modules rather than to the main module's model.
    pub fn is_system(self) -> bool {
        matches!(self, Kind::Module | Kind::Consumer | Kind::Process | Kind::External)
    }

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
            Kind::Module => "module",
            Kind::Consumer => "consumer",
            Kind::Process => "process manager",
            Kind::External => "external system",
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
            Kind::Module => "Modules",
            Kind::Consumer => "Consumers",
            Kind::Process => "Process managers",
            Kind::External => "External systems",
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
            Kind::Module => "system.modules",
            Kind::Consumer => "system.consumers",
            Kind::Process => "system.processes",
            Kind::External => "system.externals",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
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
        Kind::Module | Kind::Consumer | Kind::Process | Kind::External => {
            let Some(system) = &scenario.system else {
                return Vec::new();
            };
            match kind {
                Kind::Module => system.modules.iter().map(|m| m.name.clone()).collect(),
                Kind::Consumer => system.consumers.iter().map(|c| c.name.clone()).collect(),
                Kind::Process => system.processes.iter().map(|p| p.name.clone()).collect(),
                _ => system.externals.iter().map(|e| e.name.clone()).collect(),
            }
        }
    }
}

/// A kind's definitions in a scenario document (see [`Scenario::to_value`]).
pub(super) fn items(document: &Value, kind: Kind) -> &[Value] {
    list(document, kind).map_or(&[], Vec::as_slice)
}

pub(super) fn list(document: &Value, kind: Kind) -> Option<&Vec<Value>> {
    let pointer = format!("/{}", kind.path().replace('.', "/"));
    document.pointer(&pointer).and_then(Value::as_array)
}

pub(super) fn list_mut(document: &mut Value, kind: Kind) -> Option<&mut Vec<Value>> {
    let pointer = format!("/{}", kind.path().replace('.', "/"));
    if document.pointer(&pointer).is_none() {
        // An empty list is left out of the file; put it back to add to it.
        let (parent, key) = match kind.path().split_once('.') {
            Some((parent, key)) => (Some(parent), key),
            None => (None, kind.path()),
        };
        let holder = match parent {
            // A scenario without a system gets one with its first module.
            Some(parent) => {
                let holder = document.as_object_mut()?.entry(parent).or_insert(Value::Null);
                if holder.is_null() {
                    *holder = Value::Object(serde_json::Map::new());
                }
                holder
            }
            None => document,
        };
        holder.as_object_mut()?.insert(key.to_owned(), Value::Array(Vec::new()));
    }
    document.pointer_mut(&pointer).and_then(Value::as_array_mut)
}
