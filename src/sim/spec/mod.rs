//! The spec runner: the given / when / then harness users see, and the one the tests use.
//!
//! A decider spec replays the `given` events of the `when` stream, handles the command (with the
//! metadata `when` gives, defaults for the rest: see [`crate::model::WhenMetadata`]) and
//! compares the outcome; a projection spec runs the projection over all `given` events and
//! compares every document; a policy, translation, consumer or process spec runs one reaction on
//! one input (see `reactions.rs`). A failure comes with a line diff (`- expected`, `+ actual`).

mod reactions;

use std::collections::BTreeMap;

use serde_json::Value;

use super::decider::{self, Metadata, Outcome};
use super::envelope::Envelope;
use super::error::{Error, Result};
use super::line_diff::line_diff;
use super::projection;
use super::runtime::COMMAND_ID_PREFIX;
use super::upcast::upcast_all;
use crate::model::{DeciderSpec, GivenEvent, Model, ProjectionSpec, Scenario, Spec, Then, WhenMetadata};
use crate::script::Sandbox;

/// How a spec went.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The outcome was the expected one.
    Passed,
    /// The outcome differed; `diff` shows expected and actual line by line.
    Failed {
        /// Lines prefixed `  ` (both), `- ` (expected only) and `+ ` (actual only).
        diff: String,
    },
    /// The spec could not run: a script error (with owner, line and column) or a model error.
    Errored(Error),
}

/// One spec's name and verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecReport {
    /// The spec's name.
    pub name: String,
    /// How it went.
    pub verdict: Verdict,
}

impl SpecReport {
    /// Whether the spec passed.
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Passed
    }
}

/// Runs every spec of a scenario, in order.
pub fn run_all(scenario: &Scenario, sandbox: &mut Sandbox) -> Vec<SpecReport> {
    scenario.specs.iter().map(|spec| run(scenario, spec, sandbox)).collect()
}

/// Runs one spec of `scenario` (which holds the model and the system it tests).
pub fn run(scenario: &Scenario, spec: &Spec, sandbox: &mut Sandbox) -> SpecReport {
    let model = &scenario.model;
    let result = match spec {
        Spec::Decider(spec) => run_decider(model, spec, sandbox),
        Spec::Projection(spec) => run_projection(model, spec, sandbox),
        Spec::Policy(spec) => reactions::run_policy(model, spec, sandbox),
        Spec::Translation(spec) => reactions::run_translation(scenario, spec, sandbox),
        Spec::Consumer(spec) => reactions::run_consumer(scenario, spec, sandbox),
        Spec::Process(spec) => reactions::run_process(scenario, spec, sandbox),
    };
    let verdict = match result {
        Ok(None) => Verdict::Passed,
        Ok(Some(diff)) => Verdict::Failed { diff },
        Err(error) => Verdict::Errored(error),
    };
    SpecReport {
        name: spec.name().to_owned(),
        verdict,
    }
}

/// The envelopes of given events: revisions counted per stream, positions in order.
pub fn given_envelopes(model: &Model, given: &[GivenEvent]) -> Vec<Envelope> {
    let mut next_revision: BTreeMap<&str, u64> = BTreeMap::new();
    given
        .iter()
        .enumerate()
        .map(|(position, event)| {
            let revision = next_revision.entry(event.stream.as_str()).or_insert(0);
            let envelope = Envelope {
                event_type: event.event_type.clone(),
                schema_version: event
                    .version
                    .unwrap_or_else(|| model.event_type(&event.event_type).map_or(1, |t| t.current_version())),
                data: event.data.clone(),
                stream_id: event.stream.clone(),
                revision: *revision,
                position: position as u64,
            };
            *revision += 1;
            envelope
        })
        .collect()
}

fn run_decider(model: &Model, spec: &DeciderSpec, sandbox: &mut Sandbox) -> Result<Option<String>> {
    let history: Vec<Envelope> = given_envelopes(model, &spec.given)
        .into_iter()
        .filter(|e| e.stream_id == spec.when.stream)
        .collect();
    let outcome = decider::handle(
        model,
        sandbox,
        &spec.when.stream,
        &history,
        &spec.when.command,
        &spec.when.data,
        &metadata(&spec.when.metadata),
    )?;
    let passed = match (&spec.then, &outcome) {
        (Then::Events(expected), Outcome::Accepted(actual)) => {
            expected.len() == actual.len()
                && expected.iter().zip(actual).all(|(e, a)| {
                    e.event_type == a.event_type && expected_data(model, &e.event_type, &e.data) == a.data
                })
        }
        (Then::Rejected(text), Outcome::Rejected(rejection)) => rejection.message.contains(text.as_str()),
        (Then::Nothing, Outcome::Accepted(actual)) => actual.is_empty(),
        _ => false,
    };
    if passed {
        return Ok(None);
    }
    let expected = match &spec.then {
        Then::Events(events) if !events.is_empty() => events
            .iter()
            .map(|e| event_line(&e.event_type, &expected_data(model, &e.event_type, &e.data)))
            .collect(),
        Then::Events(_) | Then::Nothing => vec!["(no events)".to_owned()],
        Then::Rejected(text) => vec![format!("rejected with a message containing {text:?}")],
    };
    let actual = match &outcome {
        Outcome::Accepted(events) if events.is_empty() => vec!["(no events)".to_owned()],
        Outcome::Accepted(events) => events.iter().map(|e| event_line(&e.event_type, &e.data)).collect(),
        Outcome::Rejected(rejection) => vec![format!("rejected: {:?}", rejection.message)],
    };
    Ok(Some(line_diff(&expected, &actual)))
}

fn run_projection(model: &Model, spec: &ProjectionSpec, sandbox: &mut Sandbox) -> Result<Option<String>> {
    let definition = model.projection(&spec.projection).ok_or_else(|| Error::Unknown {
        what: "projection",
        name: spec.projection.clone(),
    })?;
    let events = upcast_all(model, sandbox, &given_envelopes(model, &spec.given))?;
    let documents = projection::run(definition, sandbox, &events)?;
    if documents == spec.then {
        return Ok(None);
    }
    let lines = |documents: &BTreeMap<String, Value>| -> Vec<String> {
        documents
            .iter()
            .map(|(key, document)| format!("{key}: {document}"))
            .collect()
    };
    Ok(Some(line_diff(&lines(&spec.then), &lines(&documents))))
}

/// The metadata a spec's command carries: what the spec gives, the defaults for the rest.
fn metadata(given: &WhenMetadata) -> Metadata {
    let first_command = || format!("{COMMAND_ID_PREFIX}1");
    Metadata {
        now: given.now.unwrap_or(0),
        correlation_id: Some(given.correlation_id.clone().unwrap_or_else(first_command)),
        causation_id: Some(given.causation_id.clone().unwrap_or_else(first_command)),
        sender: given.sender.clone().unwrap_or_else(|| decider::USER.to_owned()),
    }
}

/// Expected data with the current schema's defaults filled in, when it fits the schema.
fn expected_data(model: &Model, event_type: &str, data: &Value) -> Value {
    model
        .event_type(event_type)
        .and_then(|t| t.fill(t.current_version(), data).ok())
        .unwrap_or_else(|| data.clone())
}

fn event_line(event_type: &str, data: &Value) -> String {
    format!("{event_type} {data}")
}
