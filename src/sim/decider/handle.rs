//! Handling a command over a history the caller gives: check the command against the stream,
//! fold the history, decide, and word what `decide` returned. Nothing is read or written.

use rhai::Dynamic;
use serde_json::{json, Value};

use super::decision::{unknown, worded, Outcome};
use super::fold::Fold;
use super::located::{self, crossing, unlocated, Fast, Stop};
use super::metadata::Metadata;
use crate::model::{fill_payload, Model, StreamType};
use crate::script::{Sandbox, ScriptError, ScriptId};
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};

/// A command as it comes in: its name, its payload (defaults not yet filled in) and its metadata.
#[derive(Clone, Copy)]
pub(crate) struct Incoming<'a> {
    pub(crate) command: &'a str,
    pub(crate) data: &'a Value,
    pub(crate) metadata: &'a Metadata,
}

/// Handles `command` (with payload `data` and `metadata`) for `stream_id`, whose stored history
/// is `history`.
pub fn handle(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_id: &str,
    history: &[Envelope],
    command: &str,
    data: &Value,
    metadata: &Metadata,
) -> Result<Outcome> {
    let incoming = Incoming {
        command,
        data,
        metadata,
    };
    handle_with(
        model,
        sandbox,
        stream_id,
        incoming,
        |model, sandbox, stream_type| Fold::fresh(model, sandbox, stream_type, history).map(Fold::into_state),
        || Ok(history.to_vec()),
    )
}

/// Checks the command against the stream, decides on the state `fold` gives, and words what
/// `decide` returned. When the fast path stops with [`Stop::NeedsLocation`], the located path
/// decides again on `history`, which is read only then.
pub(super) fn handle_with(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_id: &str,
    incoming: Incoming<'_>,
    fold: impl FnOnce(&Model, &mut Sandbox, &StreamType) -> Fast<(ScriptId, Dynamic)>,
    history: impl FnOnce() -> Result<Vec<Envelope>>,
) -> Result<Outcome> {
    let Incoming {
        command,
        data,
        metadata,
    } = incoming;
    let definition = model.command(command).ok_or_else(|| unknown("command", command))?;
    let stream_type = model
        .stream_type(&definition.stream_type)
        .ok_or_else(|| unknown("stream type", &definition.stream_type))?;
    if !stream_type.owns(stream_id) {
        return Err(Error::WrongStream {
            command: command.to_owned(),
            stream_type: stream_type.name.clone(),
            pattern: stream_type.stream_id_pattern.clone(),
            stream_id: stream_id.to_owned(),
        });
    }
    let data = fill_payload(command, &definition.fields, data)?;
    // Both paths decide on this one value, so the located path sees the metadata too.
    let command_value = json!({ "type": command, "data": data, "metadata": metadata.to_value() });
    let decided = match fold(model, sandbox, stream_type).and_then(|state| decide(sandbox, state, &command_value)) {
        Ok(decided) => decided,
        Err(Stop::Failed(error)) => return Err(error),
        Err(Stop::NeedsLocation) => located::decide(model, sandbox, stream_type, &history()?, command_value)?,
    };
    worded(model, stream_type, decided)
}

/// Decides on a state kept as a Rhai value (no JSON in between). The outer result stops the
/// command or sends it down the located path; the inner one is what `decide` did, a thrown
/// rejection included.
fn decide(
    sandbox: &mut Sandbox,
    (script, state): (ScriptId, Dynamic),
    command: &Value,
) -> Fast<std::result::Result<Value, ScriptError>> {
    let command = crossing(command)?;
    match sandbox.call_values(script, "decide", [command, state]) {
        Ok(decided) => Ok(sandbox.plain(script, "decide", decided)),
        Err(error) if unlocated(&error) => Err(Stop::NeedsLocation),
        Err(error) => Ok(Err(error)),
    }
}
