//! Reaction specs: a policy's `react`, a translation's `translate`, a consumer's `handle` (or
//! mapping) and a process step's `decide` run on one input, and what they ask for compared with
//! `then`, every list in order and every payload exactly. Nothing is sent, stored or scheduled.

use serde_json::{json, Value};

use crate::model::{
    system_check, ConsumerSpec, EventExample, ExpectedCall, ExpectedCommand, ExpectedTimeout, MessageExample, Model,
    PolicySpec, ProcessSpec, Reactions, Scenario, System, TranslationSpec,
};
use crate::script::Sandbox;
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::sim::line_diff::line_diff;
use crate::sim::policy;
use crate::sim::system::react;
use crate::sim::system::Reaction;

pub(super) fn run_policy(model: &Model, spec: &PolicySpec, sandbox: &mut Sandbox) -> Result<Option<String>> {
    let definition = model
        .policies
        .iter()
        .find(|p| p.name == spec.policy)
        .ok_or_else(|| unknown("policy", &spec.policy))?;
    let commands = policy::react(definition, sandbox, &envelope(model, &spec.when.event))?;
    let actual = Reactions {
        commands: commands
            .into_iter()
            .map(|c| ExpectedCommand {
                command: c.command,
                stream_id: c.stream_id,
                data: c.data,
                to: None,
            })
            .collect(),
        ..Reactions::default()
    };
    Ok(compare(&spec.then, &actual))
}

pub(super) fn run_translation(
    scenario: &Scenario,
    spec: &TranslationSpec,
    sandbox: &mut Sandbox,
) -> Result<Option<String>> {
    let system = system(scenario);
    let translation = system
        .module(&spec.module)
        .and_then(|m| m.translations.iter().find(|t| t.name == spec.translation))
        .ok_or_else(|| unknown("translation", &format!("{}.{}", spec.module, spec.translation)))?;
    // The event as its own module's model reads it (a state-stored module's has none).
    let models = system_check::models(scenario, &system);
    let model = models
        .iter()
        .find(|(name, _)| *name == spec.module)
        .map_or(&scenario.model, |(_, model)| *model);
    let event = envelope(model, &spec.when.event).to_value();
    let state = spec.when.state.clone().unwrap_or(Value::Null);
    let messages = react::translate(sandbox, translation, &event, &state)?;
    let actual = Reactions {
        messages: messages
            .into_iter()
            .map(|(topic, data)| MessageExample { topic, data })
            .collect(),
        ..Reactions::default()
    };
    Ok(compare(&spec.then, &actual))
}

pub(super) fn run_consumer(scenario: &Scenario, spec: &ConsumerSpec, sandbox: &mut Sandbox) -> Result<Option<String>> {
    let system = system(scenario);
    let consumer = system
        .consumer(&spec.consumer)
        .ok_or_else(|| unknown("consumer", &spec.consumer))?;
    let reaction = react::consume(sandbox, consumer, &input(&spec.when.message))?;
    Ok(compare(&spec.then, &reactions(reaction)))
}

pub(super) fn run_process(scenario: &Scenario, spec: &ProcessSpec, sandbox: &mut Sandbox) -> Result<Option<String>> {
    let system = system(scenario);
    let process = system
        .process(&spec.process)
        .ok_or_else(|| unknown("process", &spec.process))?;
    let given: Vec<Value> = spec.given.iter().map(input).collect();
    let state = react::fold(sandbox, process, &given)?;
    let (reaction, _) = react::step(sandbox, process, &input(&spec.when.input), &state)?;
    Ok(compare(&spec.then, &reactions(reaction)))
}

fn system(scenario: &Scenario) -> System {
    scenario.system.clone().unwrap_or_default()
}

fn unknown(what: &'static str, name: &str) -> Error {
    Error::Unknown {
        what,
        name: name.to_owned(),
    }
}

/// The event as the runtime hands it to scripts: at its type's current version, its defaults
/// filled in where it fits the schema, first in its stream and in the store.
fn envelope(model: &Model, event: &EventExample) -> Envelope {
    let event_type = model.event_type(&event.event_type);
    Envelope {
        event_type: event.event_type.clone(),
        schema_version: event_type.map_or(1, |t| t.current_version()),
        data: event_type
            .and_then(|t| t.fill(t.current_version(), &event.data).ok())
            .unwrap_or_else(|| event.data.clone()),
        stream_id: event.stream_id.clone().unwrap_or_default(),
        revision: 0,
        position: 0,
    }
}

/// A message or a process input as scripts see it: `#{ type, data }`.
fn input(message: &MessageExample) -> Value {
    json!({ "type": message.topic, "data": message.data })
}

fn reactions(reaction: Reaction) -> Reactions {
    Reactions {
        commands: reaction
            .commands
            .into_iter()
            .map(|c| ExpectedCommand {
                command: c.command,
                stream_id: c.stream_id,
                data: c.data,
                to: (!c.module.is_empty()).then_some(c.module),
            })
            .collect(),
        messages: reaction
            .messages
            .into_iter()
            .map(|(topic, data)| MessageExample { topic, data })
            .collect(),
        calls: reaction
            .calls
            .into_iter()
            .map(|(external, key, data)| ExpectedCall { external, key, data })
            .collect(),
        timeouts: reaction
            .schedule
            .into_iter()
            .map(|(name, after_ms, _)| ExpectedTimeout { name, after_ms })
            .collect(),
        cancelled: reaction.cancel,
        done: reaction.done,
        compensate: reaction.compensate,
    }
}

/// `None` when `actual` is what was expected, else the line diff.
fn compare(expected: &Reactions, actual: &Reactions) -> Option<String> {
    (expected != actual).then(|| line_diff(&lines(expected), &lines(actual)))
}

/// One line per command, message, call, timeout, cancellation, and for done and compensate.
fn lines(reactions: &Reactions) -> Vec<String> {
    let mut lines = Vec::new();
    for c in &reactions.commands {
        let to = c.to.as_ref().map(|m| format!("{m}: ")).unwrap_or_default();
        lines.push(format!("command {} → {to}{} {}", c.command, c.stream_id, c.data));
    }
    for m in &reactions.messages {
        lines.push(format!("message {} {}", m.topic, m.data));
    }
    for c in &reactions.calls {
        let key = c.key.as_ref().map(|k| format!(" key {k}")).unwrap_or_default();
        lines.push(format!("call {}{key} {}", c.external, c.data));
    }
    for t in &reactions.timeouts {
        lines.push(format!("timeout {} after {} ms", t.name, t.after_ms));
    }
    for name in &reactions.cancelled {
        lines.push(format!("cancel {name}"));
    }
    if reactions.done {
        lines.push("done".to_owned());
    }
    if reactions.compensate {
        lines.push("compensate".to_owned());
    }
    if lines.is_empty() {
        lines.push("(nothing)".to_owned());
    }
    lines
}
