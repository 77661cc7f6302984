//! Policies at run time: turn one event into the commands it calls for. Sending them is the
//! caller's job (the runtime's `reactions.rs`), so this stays pure.

use serde_json::{Map, Value};

use super::envelope::Envelope;
use super::error::{Error, Result};
use crate::model::{CommandMapping, Policy, PolicyLogic};
use crate::script::{Owner, OwnerKind, Sandbox};

/// A command a policy asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyCommand {
    /// The command's name.
    pub command: String,
    /// The target stream.
    pub stream_id: String,
    /// The payload.
    pub data: Value,
}

/// The commands `policy` issues for `event` (none when it does not react to the event's type).
pub fn react(policy: &Policy, sandbox: &mut Sandbox, event: &Envelope) -> Result<Vec<PolicyCommand>> {
    if !policy.on.contains(&event.event_type) {
        return Ok(Vec::new());
    }
    let owner = Owner {
        kind: OwnerKind::Policy,
        name: policy.name.clone(),
    };
    match &policy.logic {
        PolicyLogic::Mapping(mappings) => Ok(mappings.iter().map(|m| map_command(m, event)).collect()),
        PolicyLogic::Script(source) => {
            let script = sandbox.compile(&owner, source)?;
            let result = sandbox.call(script, "react", &[event.to_value()])?;
            let bad = |message: &str| Error::BadResult {
                owner: owner.to_string(),
                message: message.to_owned(),
            };
            let Value::Array(items) = result else {
                return Err(bad("react must return an array of commands #{ type, streamId, data }"));
            };
            items
                .into_iter()
                .map(|item| {
                    let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
                    let (Some(command), Some(stream_id)) = (text("type"), text("streamId")) else {
                        return Err(bad("each command needs a type and a streamId"));
                    };
                    let data = item.get("data").cloned().unwrap_or_else(|| Value::Object(Map::new()));
                    Ok(PolicyCommand {
                        command,
                        stream_id,
                        data,
                    })
                })
                .collect()
        }
    }
}

fn map_command(mapping: &CommandMapping, event: &Envelope) -> PolicyCommand {
    let mut stream_id = String::new();
    let mut rest = mapping.stream_id.as_str();
    while let Some((before, after)) = rest.split_once('{') {
        stream_id.push_str(before);
        let Some((path, tail)) = after.split_once('}') else {
            rest = after;
            break;
        };
        stream_id.push_str(&event.lookup_text(path).unwrap_or_default());
        rest = tail;
    }
    stream_id.push_str(rest);
    let data = mapping
        .data
        .iter()
        .filter_map(|(field, path)| event.lookup(path).map(|value| (field.clone(), value)))
        .collect();
    PolicyCommand {
        command: mapping.command.clone(),
        stream_id,
        data: Value::Object(data),
    }
}
