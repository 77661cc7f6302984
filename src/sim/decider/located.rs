//! The located path: the fold and the decision re-run with JSON between calls. It is slower
//! than the fast path, but a limit hit is reported at its line and a value that cannot cross
//! into the script is named, so a fast-path call that stops with [`Stop::NeedsLocation`] is
//! re-run here.

use rhai::Dynamic;
use serde_json::Value;

use super::fold::compile;
use crate::model::{Model, StreamType};
use crate::script::{value, Sandbox, ScriptError, ScriptErrorKind, ScriptId};
use crate::sim::envelope::{Envelope, Folding};
use crate::sim::error::{Error, Result};
use crate::sim::upcast::upcast_all;

/// Why a call on the fast path stopped before its end.
pub(crate) enum Stop {
    /// An error to report as it is.
    Failed(Error),
    /// Something the fast path cannot say where (a limit hit with no line, a value that cannot
    /// cross into the script): the located path re-runs the call to report it.
    NeedsLocation,
}

/// What a call on the fast path gives, or why it stopped.
pub(crate) type Fast<T> = std::result::Result<T, Stop>;

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        match error {
            Error::Script(error) if unlocated(&error) => Stop::NeedsLocation,
            error => Stop::Failed(error),
        }
    }
}

impl From<ScriptError> for Stop {
    fn from(error: ScriptError) -> Self {
        Stop::from(Error::Script(error))
    }
}

/// Whether a script error is a limit hit that the fast path could not locate.
pub(super) fn unlocated(error: &ScriptError) -> bool {
    error.kind == ScriptErrorKind::Limit && error.line.is_none()
}

/// A JSON value as a script argument; one that cannot cross takes the located path, which
/// names it.
pub(super) fn crossing(json: &Value) -> Fast<Dynamic> {
    value::to_dynamic(json).map_err(|_| Stop::NeedsLocation)
}

/// The stream type's compiled script and the state after `history` (upcast, then folded with
/// `evolve`), with JSON between calls.
pub(super) fn fold(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_type: &StreamType,
    history: &[Envelope],
) -> Result<(ScriptId, Value)> {
    let script = compile(sandbox, stream_type)?;
    let mut state = stream_type.initial_state.clone();
    for event in upcast_all(model, sandbox, history)? {
        state = match event.folding(stream_type.periods.as_ref()) {
            Folding::Take(carried) => carried.clone(),
            Folding::Keep => state,
            Folding::Evolve => sandbox.call(script, "evolve", &[state, event.to_value()])?,
        };
    }
    Ok((script, state))
}

/// What `decide` returns for `command` on the state after `history`, with JSON between calls.
/// The outer result is an error that stops the command; the inner one is what `decide` did, a
/// thrown rejection included.
pub(super) fn decide(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_type: &StreamType,
    history: &[Envelope],
    command: Value,
) -> Result<std::result::Result<Value, ScriptError>> {
    let (script, state) = fold(model, sandbox, stream_type, history)?;
    Ok(sandbox.call(script, "decide", &[command, state]))
}
