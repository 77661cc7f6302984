//! What one translation, consumer or process step makes of one input, run on its own: nothing is
//! stored, sent or scheduled. The broker runs these through [`super::Services`]; the spec
//! runner (`sim::spec`) runs them directly.

use serde_json::{json, Value};

use super::{ModuleCommand, Reaction};
use crate::model::{CommandMapping, Consumer, ConsumerLogic, Process, Translation};
use crate::script::{Owner, OwnerKind, Sandbox};
use crate::sim::error::{Error, Result};

/// Runs a translation: `fn translate(event, state)` → `[#{ type, data }]` (one message or `()`
/// also do), as `(topic, data)` pairs.
pub(crate) fn translate(
    sandbox: &mut Sandbox,
    translation: &Translation,
    event: &Value,
    state: &Value,
) -> Result<Vec<(String, Value)>> {
    let owner = Owner {
        kind: OwnerKind::Translation,
        name: translation.name.clone(),
    };
    let script = sandbox.compile(&owner, &translation.script)?;
    let result = sandbox.call(script, "translate", &[event.clone(), state.clone()])?;
    let items = match result {
        Value::Null => Vec::new(),
        Value::Array(items) => items,
        Value::Object(_) => vec![result],
        other => {
            return Err(Error::BadResult {
                owner: owner.to_string(),
                message: format!("translate must return messages [#{{ type, data }}], got {other}"),
            })
        }
    };
    items
        .into_iter()
        .map(|item| match item.get("type").and_then(Value::as_str) {
            Some(topic) => Ok((topic.to_owned(), item.get("data").cloned().unwrap_or_else(|| json!({})))),
            None => Err(Error::BadResult {
                owner: owner.to_string(),
                message: format!("a message needs a type: {item}"),
            }),
        })
        .collect()
}

/// What a consumer asks for when handed `message` (as scripts see it: `#{ type, data, … }`).
pub(crate) fn consume(sandbox: &mut Sandbox, consumer: &Consumer, message: &Value) -> Result<Reaction> {
    match &consumer.logic {
        ConsumerLogic::Script(source) => {
            let owner = Owner {
                kind: OwnerKind::Consumer,
                name: consumer.name.clone(),
            };
            let script = sandbox.compile(&owner, source)?;
            let result = sandbox.call(script, "handle", std::slice::from_ref(message))?;
            Reaction::read(result, &owner.to_string())
        }
        ConsumerLogic::Mapping(mappings) => Ok(Reaction {
            commands: map_commands(mappings, message),
            ..Reaction::default()
        }),
    }
}

/// A no-code consumer's commands: each mapping's stream id template and data paths filled from
/// the message.
pub(crate) fn map_commands(mappings: &[CommandMapping], message: &Value) -> Vec<ModuleCommand> {
    mappings
        .iter()
        .map(|m| ModuleCommand {
            command: m.command.clone(),
            stream_id: super::deliver::fill_template(&m.stream_id, message),
            data: Value::Object(
                m.data
                    .iter()
                    .filter_map(|(field, path)| {
                        let found = path.split('.').try_fold(message, |v, k| v.get(k))?;
                        (!found.is_null()).then(|| (field.clone(), found.clone()))
                    })
                    .collect(),
            ),
            ..ModuleCommand::default()
        })
        .collect()
}

/// One step of a process instance: `fn decide(input, state)` read as a [`Reaction`], and the
/// state after `fn evolve(state, input)`.
pub(crate) fn step(
    sandbox: &mut Sandbox,
    process: &Process,
    input: &Value,
    state: &Value,
) -> Result<(Reaction, Value)> {
    let owner = process_owner(process);
    let script = sandbox.compile(&owner, &process.script)?;
    let decided = sandbox.call(script, "decide", &[input.clone(), state.clone()])?;
    let reaction = Reaction::read(decided, &owner.to_string())?;
    let evolved = sandbox.call(script, "evolve", &[state.clone(), input.clone()])?;
    Ok((reaction, evolved))
}

/// A process instance's state after `inputs`, folded with `fn evolve(state, input)` from `#{}`.
pub(crate) fn fold(sandbox: &mut Sandbox, process: &Process, inputs: &[Value]) -> Result<Value> {
    let script = sandbox.compile(&process_owner(process), &process.script)?;
    inputs.iter().try_fold(json!({}), |state, input| {
        Ok(sandbox.call(script, "evolve", &[state, input.clone()])?)
    })
}

fn process_owner(process: &Process) -> Owner {
    Owner {
        kind: OwnerKind::Process,
        name: process.name.clone(),
    }
}
