//! Specs: executable examples in given / when / then form, run by `sim::spec`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::reaction_spec::{ConsumerSpec, PolicySpec, ProcessSpec, TranslationSpec};

/// An event that already happened, in a spec's `given`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GivenEvent {
    /// The stream it is in.
    pub stream: String,
    /// Its type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Its stored schema version; the type's current version when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// Its payload.
    #[serde(default)]
    pub data: Value,
}

/// The command of a decider spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct When {
    /// The target stream.
    pub stream: String,
    /// The command's name.
    pub command: String,
    /// Its payload.
    #[serde(default)]
    pub data: Value,
    /// What `decide` sees in `command.metadata`, where the example needs it (a deadline needs
    /// `now`); each part left out takes its default.
    #[serde(default, skip_serializing_if = "WhenMetadata::is_empty")]
    pub metadata: WhenMetadata,
}

/// The metadata of a decider spec's command, as far as the example gives it. Left out: `now` is
/// 0 (the start of a fresh store's clock), the correlation and causation ids are `cmd-1` (a
/// fresh runtime's first command) and the sender is `user`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WhenMetadata {
    /// The simulated clock when the command is handled, in ms since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<i64>,
    /// The chain the command belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// What caused the command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<String>,
    /// Who sent it: `user`, or a policy's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
}

impl WhenMetadata {
    /// Whether nothing is given (left out of scenario files).
    pub fn is_empty(&self) -> bool {
        *self == WhenMetadata::default()
    }
}

/// An event a decider spec expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedEvent {
    /// Its type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Its payload, compared after defaults are filled in.
    #[serde(default)]
    pub data: Value,
}

/// What a decider spec expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Then {
    /// Exactly these events, in order.
    Events(Vec<ExpectedEvent>),
    /// A rejection whose message contains this text.
    Rejected(String),
    /// No events and no rejection.
    Nothing,
}

/// Given events, when a command, then events, a rejection or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeciderSpec {
    /// The example's name, e.g. `cannot add to a confirmed cart`.
    pub name: String,
    /// Events already stored (only those of the `when` stream matter).
    #[serde(default)]
    pub given: Vec<GivenEvent>,
    /// The command.
    pub when: When,
    /// The expected outcome.
    pub then: Then,
}

/// Given events, then these documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectionSpec {
    /// The example's name.
    pub name: String,
    /// The projection under test.
    pub projection: String,
    /// Events in global order.
    #[serde(default)]
    pub given: Vec<GivenEvent>,
    /// Every document the projection must hold afterwards, by key.
    pub then: BTreeMap<String, Value>,
}

/// A spec of any kind; `kind` is `decider`, `projection`, `policy`, `translation`, `consumer` or
/// `process` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Spec {
    /// A decider example.
    Decider(DeciderSpec),
    /// A projection example.
    Projection(ProjectionSpec),
    /// A policy example.
    Policy(PolicySpec),
    /// A translation example.
    Translation(TranslationSpec),
    /// A consumer example.
    Consumer(ConsumerSpec),
    /// A process manager example.
    Process(ProcessSpec),
}

/// [`Spec`] in the externally tagged form [`super::tagged::retag`] reads.
#[derive(Deserialize)]
#[serde(remote = "Spec", rename_all = "camelCase")]
enum Tagged {
    Decider(DeciderSpec),
    Projection(ProjectionSpec),
    Policy(PolicySpec),
    Translation(TranslationSpec),
    Consumer(ConsumerSpec),
    Process(ProcessSpec),
}

impl<'de> Deserialize<'de> for Spec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = super::tagged::retag(deserializer, "kind", &[])?;
        super::tagged::read::<D, _>(value, Tagged::deserialize)
    }
}

impl Spec {
    /// The spec's name.
    pub fn name(&self) -> &str {
        match self {
            Spec::Decider(spec) => &spec.name,
            Spec::Projection(spec) => &spec.name,
            Spec::Policy(spec) => &spec.name,
            Spec::Translation(spec) => &spec.name,
            Spec::Consumer(spec) => &spec.name,
            Spec::Process(spec) => &spec.name,
        }
    }

    /// The stored events it starts from (none for a reaction spec, whose input is one event or
    /// message).
    pub fn given(&self) -> &[GivenEvent] {
        match self {
            Spec::Decider(spec) => &spec.given,
            Spec::Projection(spec) => &spec.given,
            Spec::Policy(_) | Spec::Translation(_) | Spec::Consumer(_) | Spec::Process(_) => &[],
        }
    }
}
