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
            Some(parent) => document.get_mut(parent)?,
            None => document,
        };
        holder.as_object_mut()?.insert(key.to_owned(), Value::Array(Vec::new()));
    }
    document.pointer_mut(&pointer).and_then(Value::as_array_mut)
}
