//! A stream's state folded with its stream type's `evolve`: started fresh from the initial
//! state, or continued from a state kept at a revision with only the events that came since.

use rhai::Dynamic;
use serde_json::Value;

use super::located::{self, crossing, Fast, Stop};
use crate::model::{Model, Periods, StreamType};
use crate::script::{value, Owner, OwnerKind, Sandbox, ScriptId};
use crate::sim::envelope::{Envelope, Folding};
use crate::sim::error::Result;
use crate::sim::upcast::upcast_all;

/// A stream's state after some of its events, kept a Rhai value (no JSON in between), with the
/// script that folded it, so that the next command on the stream folds only what came since.
#[derive(Clone)]
pub(crate) struct Fold {
    script: ScriptId,
    state: Dynamic,
    /// The first and the last revision folded into the state; `None` before any event.
    revisions: Option<(u64, u64)>,
}

impl Fold {
    /// The state after the whole of `history`, from the stream type's initial state.
    pub(crate) fn fresh(
        model: &Model,
        sandbox: &mut Sandbox,
        stream_type: &StreamType,
        history: &[Envelope],
    ) -> Fast<Fold> {
        let script = compile(sandbox, stream_type)?;
        let state = crossing(&stream_type.initial_state)?;
        let state = evolve(model, sandbox, script, state, stream_type.periods.as_ref(), history)?;
        let revisions = history.first().zip(history.last());
        Ok(Fold {
            script,
            state,
            revisions: revisions.map(|(first, last)| (first.revision, last.revision)),
        })
    }

    /// This state with `tail`, the events after its last revision, folded on, if it was made by
    /// the stream type's current script; `None` when it was not (the caller starts fresh).
    pub(crate) fn continued(
        self,
        model: &Model,
        sandbox: &mut Sandbox,
        stream_type: &StreamType,
        tail: &[Envelope],
    ) -> Fast<Option<Fold>> {
        if compile(sandbox, stream_type)? != self.script {
            return Ok(None);
        }
        let revisions = match (self.revisions, tail.first().zip(tail.last())) {
            (Some((first, last)), tail) => Some((first, tail.map_or(last, |(_, end)| end.revision.max(last)))),
            (None, tail) => tail.map(|(first, last)| (first.revision, last.revision)),
        };
        let state = evolve(
            model,
            sandbox,
            self.script,
            self.state,
            stream_type.periods.as_ref(),
            tail,
        )?;
        Ok(Some(Fold {
            state,
            revisions,
            ..self
        }))
    }

    /// Whether the state starts at `first`, the stream's first readable revision: a kept state
    /// that does not (retention or a scavenge moved the start) cannot be continued.
    pub(crate) fn starts_at(&self, first: Option<u64>) -> bool {
        self.revisions.map(|(start, _)| start) == first
    }

    /// The revision a continuation reads from: the one after the last folded.
    pub(crate) fn next_revision(&self) -> u64 {
        self.revisions.map_or(0, |(_, last)| last.saturating_add(1))
    }

    /// Whether any event is folded in: a fold of none saves nothing and is not kept.
    pub(super) fn holds_events(&self) -> bool {
        self.revisions.is_some()
    }

    /// A copy of the state.
    pub(super) fn state_copy(&self) -> Dynamic {
        self.state.clone()
    }

    /// The script and the state to decide on.
    pub(super) fn into_state(self) -> (ScriptId, Dynamic) {
        (self.script, self.state)
    }

    /// The script and the state to decide on, and the fold to keep when it holds events (the
    /// state is copied only then).
    pub(super) fn into_kept(self) -> (ScriptId, Dynamic, Option<Fold>) {
        if self.holds_events() {
            (self.script, self.state.clone(), Some(self))
        } else {
            (self.script, self.state, None)
        }
    }
}

/// The stream type's compiled script and the state after `history` (upcast, then folded with
/// `evolve`) as JSON: the fast fold, or the located one when the fast path cannot say where it
/// stopped.
pub fn state_after(
    model: &Model,
    sandbox: &mut Sandbox,
    stream_type: &StreamType,
    history: &[Envelope],
) -> Result<(ScriptId, Value)> {
    let fast = Fold::fresh(model, sandbox, stream_type, history).and_then(|fold| {
        let state = value::to_json(fold.state).map_err(|_| Stop::NeedsLocation)?;
        Ok((fold.script, state))
    });
    match fast {
        Ok(folded) => Ok(folded),
        Err(Stop::Failed(error)) => Err(error),
        Err(Stop::NeedsLocation) => located::fold(model, sandbox, stream_type, history),
    }
}

/// Upcasts `events` and folds them into `state` with `evolve`, keeping the state a Rhai value.
fn evolve(
    model: &Model,
    sandbox: &mut Sandbox,
    script: ScriptId,
    mut state: Dynamic,
    periods: Option<&Periods>,
    events: &[Envelope],
) -> Fast<Dynamic> {
    for event in upcast_all(model, sandbox, events)? {
        state = match event.folding(periods) {
            Folding::Take(carried) => crossing(carried)?,
            Folding::Keep => state,
            Folding::Evolve => {
                let event = event.to_dynamic().map_err(|()| Stop::NeedsLocation)?;
                sandbox.call_values(script, "evolve", [state, event])?
            }
        };
    }
    Ok(state)
}

/// The stream type's script, compiled (the sandbox keeps what it compiled before).
pub(super) fn compile(sandbox: &mut Sandbox, stream_type: &StreamType) -> Result<ScriptId> {
    let owner = Owner {
        kind: OwnerKind::Decider,
        name: stream_type.name.clone(),
    };
    Ok(sandbox.compile(&owner, &stream_type.script)?)
}
