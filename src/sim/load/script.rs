//! Script plans at run time: calling `generate(n)` and reading each item it returns as a command.

use std::collections::VecDeque;

use serde_json::{json, Map, Value};

use super::run::{request, Item};
use crate::script::{Sandbox, ScriptId};

/// Instance `n`'s commands from `generate(n)`, each checked; a failure becomes one failed item.
pub(super) fn generate(sandbox: &mut Sandbox, script: ScriptId, seed: u64, n: u32, stream_id: &str) -> VecDeque<Item> {
    sandbox.reseed(seed);
    match sandbox.call(script, "generate", &[json!(n)]) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(k, item)| script_item(item, stream_id).map_err(|m| format!("generate({n}) item {k}: {m}")))
            .collect(),
        Ok(other) => VecDeque::from([Err(format!(
            "generate({n}) must return an array of commands, got {}",
            shown(&other)
        ))]),
        Err(error) => VecDeque::from([Err(format!("generate({n}) failed: {error}"))]),
    }
}

fn script_item(item: Value, stream_id: &str) -> Item {
    let Value::Object(mut map) = item else {
        return Err(format!(
            "expected a map like #{{ command: \"…\", data: #{{…}} }}, got {}",
            shown(&item)
        ));
    };
    if let Some(key) = map
        .keys()
        .find(|k| !["command", "type", "data", "streamId"].contains(&k.as_str()))
    {
        return Err(format!("unknown key {key:?}; a command has command, data and streamId"));
    }
    let command = match (map.remove("command"), map.remove("type")) {
        (Some(Value::String(name)), None) | (None, Some(Value::String(name))) if !name.is_empty() => name,
        (Some(_), Some(_)) => return Err("give command or type, not both".to_owned()),
        _ => return Err("command must be a non-empty string".to_owned()),
    };
    let stream_id = match map.remove("streamId") {
        None => stream_id.to_owned(),
        Some(Value::String(id)) => id,
        Some(other) => return Err(format!("streamId must be a string, got {}", shown(&other))),
    };
    let data = map.remove("data").unwrap_or_else(|| Value::Object(Map::new()));
    Ok(request(command, stream_id, data))
}

/// A value as compact JSON, cut after 60 characters, for messages.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(57) {
        Some((at, _)) if text.chars().count() > 60 => format!("{}...", &text[..at]),
        _ => text,
    }
}
