//! Command handling: fold a stream's history with `evolve`, then `decide`.
//!
//! The decider is pure and synchronous: [`handle`] takes the history and returns new events or
//! a [`Rejection`] as a value; only [`handle_in_store`] touches a store, appending with the
//! revision it read so a concurrent writer makes it fail instead of being overwritten.

use serde_json::{json, Value};

use super::envelope::Envelope;
use super::error::{Error, Result};
use super::upcast::upcast_all;
use crate::model::{fill_payload, Model, StreamType};
use crate::script::value;
use crate::script::{Owner, OwnerKind, Sandbox, ScriptError, ScriptErrorKind, ScriptId};
use crate::store::{Direction, Error as StoreError, ExpectedRevision, NewEvent, Store};
use rhai::Dynamic;

/// An event `decide` produced, validated against its type's current schema, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Emitted {
    /// The event type.
    pub event_type: String,
    /// The current schema version of the type.
    pub schema_version: u32,
    /// The payload.
    pub data: Value,
}

/// A command refused by the business rules (`throw` in `decide`): a value, not an error.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The thrown message (a thrown map or number is shown as JSON).
    pub message: String,
    /// What was thrown.
    pub value: Value,
}

/// What handling a command decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// These events happened; none means the command changed nothing.
    Accepted(Vec<Emitted>),
    /// The command was refused.
    Rejected(Rejection),
}

/// Handles `command` (with payload `data`) for `stream_id`, whose stored history is `history`.
pub fn handle(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_id: &str,
    history: &[Envelope],
    command: &str,
    data: &Value,
) -> Result<Outcome> {
    handle_with(
        model,
        sandbox,
        stream_id,
        command,
        data,
        |model, sandbox, stream_type| fold_values(model, sandbox, stream_type, history),
        || Ok(history.to_vec()),
    )
}

/// A stream's state folded up to a revision, kept between commands so that the next command on
/// the stream folds only the events that came since.
#[derive(Clone)]
pub(crate) struct Folded {
    script: ScriptId,
    first: u64,
    last: u64,
    state: Dynamic,
}

/// [`handle`] on the stream as `store` holds it, starting from `folded` when it still describes
/// the start of the stream (same script, same first readable revision): then only the events
/// after it are read and folded. Leaves the fold of the whole history in `folded`, and says what
/// an append after this read must expect.
pub(crate) fn handle_stored(
    model: &Model,
    sandbox: &mut Sandbox,
    store: &Store,
    stream_id: &str,
    command: &str,
    data: &Value,
    folded: &mut Option<Folded>,
) -> Result<(Outcome, ExpectedRevision)> {
    let outcome = handle_with(
        model,
        sandbox,
        stream_id,
        command,
        data,
        |model, sandbox, stream_type| fold_stored(model, sandbox, store, stream_type, stream_id, folded),
        || Ok(read_history(store, stream_id)?.0),
    )?;
    Ok((outcome, expected_after(store, stream_id)?))
}

/// Checks the command against the stream, decides on the state `fold` gives, and words what
/// `decide` returned. `history` is read only when a limit needs the slower JSON path to be located.
fn handle_with(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_id: &str,
    command: &str,
    data: &Value,
    fold: impl FnOnce(&Model, &mut Sandbox, &StreamType) -> Result<(ScriptId, Dynamic)>,
    history: impl FnOnce() -> Result<Vec<Envelope>>,
) -> Result<Outcome> {
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
    let command_value = json!({ "type": command, "data": data });
    let decided =
        match fold(model, sandbox, stream_type).and_then(|state| decide_values(sandbox, state, &command_value)) {
            // The fast path cannot say where a limit was hit; the JSON path replays the call to find it.
            Err(Error::Script(error)) if error.kind == ScriptErrorKind::Limit && error.line.is_none() => {
                let (script, state) = fold_json(model, sandbox, stream_type, &history()?)?;
                sandbox.call(script, "decide", &[command_value, state])
            }
            Err(error) => return Err(error),
            Ok(decided) => decided,
        };
    let decided = match decided {
        Ok(decided) => decided,
        Err(error) => match error.kind {
            ScriptErrorKind::Thrown(value) => {
                let message = match &value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                return Ok(Outcome::Rejected(Rejection { message, value }));
            }
            _ => return Err(Error::Script(error)),
        },
    };
    let owner = format!("decider {}", stream_type.name);
    let Value::Array(items) = decided else {
        return Err(Error::BadResult {
            owner,
            message: "decide must return an array of events".to_owned(),
        });
    };
    items
        .iter()
        .map(|item| emitted(model, &owner, item))
        .collect::<Result<_>>()
        .map(Outcome::Accepted)
}

/// Decides on a state kept as a Rhai value (no JSON in between). The outer result is an error
/// that stops the command (or sends it down the JSON path); the inner one is what `decide` did, a
/// thrown rejection included.
fn decide_values(
    sandbox: &mut Sandbox,
    (script, state): (ScriptId, Dynamic),
    command: &Value,
) -> Result<Result<Value, ScriptError>> {
    let command = crossing(command)?;
    match sandbox.call_values(script, "decide", [command, state]) {
        Ok(decided) => Ok(sandbox.plain(script, "decide", decided)),
        Err(error) if error.kind == ScriptErrorKind::Limit && error.line.is_none() => Err(Error::Script(error)),
        Err(error) => Ok(Err(error)),
    }
}

/// The state of the stream `store` holds, folded on from `folded` when it still starts at the
/// stream's first readable revision (only the events after it are read), from scratch otherwise;
/// the fold of the whole stream is left in `folded`.
fn fold_stored(
    model: &Model,
    sandbox: &mut Sandbox,
    store: &Store,
    stream_type: &StreamType,
    stream_id: &str,
    folded: &mut Option<Folded>,
) -> Result<(ScriptId, Dynamic)> {
    if let Some(cached) = folded
        .take()
        .filter(|f| first_readable(store, stream_id) == Some(f.first))
    {
        let tail = read_history_from(store, stream_id, cached.last.saturating_add(1))?;
        if let Some(on) = fold_on(model, sandbox, stream_type, cached, &tail)? {
            let state = (on.script, on.state.clone());
            *folded = Some(on);
            return Ok(state);
        }
    }
    let (script, state, whole) = fold_whole(model, sandbox, stream_type, &read_history_from(store, stream_id, 0)?)?;
    *folded = whole;
    Ok((script, state))
}

/// The state after the whole of `history`, kept a Rhai value, and what a later fold can start
/// from (`None` for an empty history). A limit error comes back unlocated (the JSON path,
/// [`fold`], locates it).
pub(crate) fn fold_whole(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_type: &StreamType,
    history: &[Envelope],
) -> Result<(ScriptId, Dynamic, Option<Folded>)> {
    let (script, state) = fold_values(model, sandbox, stream_type, history)?;
    let folded = history.first().zip(history.last()).map(|(first, last)| Folded {
        script,
        first: first.revision,
        last: last.revision,
        state: state.clone(),
    });
    Ok((script, state, folded))
}

impl Folded {
    /// The first and the last revision folded into the state.
    pub(crate) fn revisions(&self) -> (u64, u64) {
        (self.first, self.last)
    }
}

/// Folds `tail`, the events after `folded`'s last revision, onto its state, if `folded` was made
/// by the stream type's current script; `None` when it was not (the caller folds from scratch).
pub(crate) fn fold_on(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_type: &StreamType,
    folded: Folded,
    tail: &[Envelope],
) -> Result<Option<Folded>> {
    if compile(sandbox, stream_type)? != folded.script {
        return Ok(None);
    }
    let last = tail.last().map_or(folded.last, |e| e.revision.max(folded.last));
    let state = evolve_values(model, sandbox, folded.script, folded.state, tail)?;
    Ok(Some(Folded { last, state, ..folded }))
}

/// The stream type's compiled script and the state after `history` (upcast, then folded with `evolve`).
pub fn fold(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_type: &StreamType,
    history: &[Envelope],
) -> Result<(ScriptId, Value)> {
    let fast = fold_values(model, sandbox, stream_type, history).and_then(|(script, state)| {
        let state = value::to_json(state).map_err(|_| Error::Script(unlocated()))?;
        Ok((script, state))
    });
    match fast {
        Err(Error::Script(error)) if error.kind == ScriptErrorKind::Limit && error.line.is_none() => {
            fold_json(model, sandbox, stream_type, history)
        }
        other => other,
    }
}

/// An error that sends a call down the JSON path, which reports the problem properly.
fn unlocated() -> ScriptError {
    ScriptError::new("", None, ScriptErrorKind::Limit, String::new())
}

/// A JSON value as a script argument; one that cannot cross takes the JSON path, which names it.
fn crossing(json: &Value) -> Result<Dynamic> {
    value::to_dynamic(json).map_err(|_| Error::Script(unlocated()))
}

fn fold_values(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_type: &StreamType,
    history: &[Envelope],
) -> Result<(ScriptId, Dynamic)> {
    let script = compile(sandbox, stream_type)?;
    let state = crossing(&stream_type.initial_state)?;
    Ok((script, evolve_values(model, sandbox, script, state, history)?))
}

/// Upcasts `events` and folds them into `state` with `evolve`, keeping the state a Rhai value.
fn evolve_values(
    model: &Model,
    sandbox: &mut Sandbox,
    script: ScriptId,
    mut state: Dynamic,
    events: &[Envelope],
) -> Result<Dynamic> {
    for event in upcast_all(model, sandbox, events)? {
        let event = event.to_dynamic().map_err(|()| Error::Script(unlocated()))?;
        state = sandbox.call_values(script, "evolve", [state, event])?;
    }
    Ok(state)
}

/// The fold with JSON between calls: slower, but a limit error is located and a value that
/// cannot cross is named.
fn fold_json(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_type: &StreamType,
    history: &[Envelope],
) -> Result<(ScriptId, Value)> {
    let script = compile(sandbox, stream_type)?;
    let mut state = stream_type.initial_state.clone();
    for event in upcast_all(model, sandbox, history)? {
        state = sandbox.call(script, "evolve", &[state, event.to_value()])?;
    }
    Ok((script, state))
}

fn compile(sandbox: &mut Sandbox, stream_type: &StreamType) -> Result<ScriptId> {
    let owner = Owner {
        kind: OwnerKind::Decider,
        name: stream_type.name.clone(),
    };
    Ok(sandbox.compile(&owner, &stream_type.script)?)
}

/// Reads the stream, handles the command, and appends what was decided with the revision read
/// (`NoStream` for a new stream). A rejection or an empty decision appends nothing.
pub fn handle_in_store(
    model: &Model,
    sandbox: &mut Sandbox,
    store: &mut Store,
    stream_id: &str,
    command: &str,
    data: &Value,
) -> Result<Outcome> {
    let (history, expected) = read_history(store, stream_id)?;
    let outcome = handle(model, sandbox, stream_id, &history, command, data)?;
    if let Outcome::Accepted(events) = &outcome {
        if !events.is_empty() {
            let new_events = events
                .iter()
                .map(|e| NewEvent::new(e.event_type.clone(), e.data.clone()).with_schema_version(e.schema_version))
                .collect();
            store.append(stream_id, expected, new_events)?;
        }
    }
    Ok(outcome)
}

/// A stream's readable history (empty for a stream that does not exist yet) and the revision an
/// append that read it must expect.
pub(crate) fn read_history(store: &Store, stream_id: &str) -> Result<(Vec<Envelope>, ExpectedRevision)> {
    Ok((
        read_history_from(store, stream_id, 0)?,
        expected_after(store, stream_id)?,
    ))
}

/// The stream's readable events from revision `from` on.
fn read_history_from(store: &Store, stream_id: &str, from: u64) -> Result<Vec<Envelope>> {
    // Straight from the stored text: each payload is parsed once, and nothing is copied twice.
    let mut history = Vec::new();
    match store.read_stream_raw(stream_id, from, usize::MAX, Direction::Forwards, |event| {
        history.push(Envelope::from_raw(&event));
    }) {
        Ok(_) | Err(StoreError::StreamNotFound { .. }) => Ok(history),
        Err(error) => Err(Error::Store(error)),
    }
}

/// The revision of the stream's first readable event; `None` for an empty or unreadable stream.
pub(crate) fn first_readable(store: &Store, stream_id: &str) -> Option<u64> {
    let mut first = None;
    store
        .read_stream_raw(stream_id, 0, 1, Direction::Forwards, |e| first = Some(e.revision))
        .ok()?;
    first
}

/// What an append to `stream_id` expects now: its physical last revision, not the last event a
/// read returns (retention may hide the newest ones), or `NoStream`.
pub(crate) fn expected_after(store: &Store, stream_id: &str) -> Result<ExpectedRevision> {
    Ok(store
        .last_revision(stream_id)?
        .map_or(ExpectedRevision::NoStream, ExpectedRevision::Exact))
}

fn emitted(model: &Model, owner: &str, item: &Value) -> Result<Emitted> {
    let bad = |message: String| Error::BadResult {
        owner: owner.to_owned(),
        message,
    };
    let Some(name) = item.get("type").and_then(Value::as_str) else {
        return Err(bad(format!(
            "each decided event needs a type: #{{ type: \"…\", data: #{{…}} }}, got {item}"
        )));
    };
    let event_type = model.event_type(name).ok_or_else(|| unknown("event type", name))?;
    let version = event_type.current_version();
    let empty = json!({});
    let data = event_type.fill(version, item.get("data").unwrap_or(&empty))?;
    Ok(Emitted {
        event_type: name.to_owned(),
        schema_version: version,
        data,
    })
}

fn unknown(what: &'static str, name: &str) -> Error {
    Error::Unknown {
        what,
        name: name.to_owned(),
    }
}
