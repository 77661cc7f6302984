//! Helpers the tests share: the given / when / then harness (`given`), the built-in scenarios
//! (`built_in`) and the concert-ticketing system among them (`concert`), a sandbox, a model from
//! JSON, an envelope, an event type, and a command to run on a runtime.
#![allow(dead_code, reason = "each test file uses its own part of these helpers")]

pub mod built_in;
pub mod concert;
pub mod given;
pub mod system;

use eventarium::model::Model;
use eventarium::script::{Limits, Sandbox};
use eventarium::sim::{CommandRequest, Envelope, Runtime};
use serde_json::{json, Value};

pub fn sandbox() -> Sandbox {
    Sandbox::new(Limits::default(), 0)
}

#[track_caller]
pub fn model(value: Value) -> Model {
    match serde_json::from_value(value) {
        Ok(model) => model,
        Err(error) => panic!("the test model does not parse: {error}"),
    }
}

pub fn envelope(event_type: &str, schema_version: u32, data: Value) -> Envelope {
    Envelope {
        event_type: event_type.to_owned(),
        schema_version,
        data,
        stream_id: "thing-1".to_owned(),
        revision: 4,
        position: 9,
    }
}

/// An event type with versions `1..=current` and no fields (upcasting does not validate).
pub fn event_type(name: &str, current: u32) -> Value {
    let versions: Vec<Value> = (1..=current).map(|v| json!({"version": v, "fields": []})).collect();
    json!({"name": name, "versions": versions})
}

/// A command with its data and nothing else set.
pub fn request(command: &str, stream_id: &str, data: Value) -> CommandRequest {
    CommandRequest {
        command: command.to_owned(),
        stream_id: stream_id.to_owned(),
        data,
        ..CommandRequest::default()
    }
}

/// Runs a command that must succeed; the positions it appended at.
#[track_caller]
pub fn run(runtime: &mut Runtime, request: &CommandRequest) -> Vec<u64> {
    match runtime.execute(request) {
        Ok(executed) => executed.committed.positions,
        Err(error) => panic!("{} on {}: {error}", request.command, request.stream_id),
    }
}
