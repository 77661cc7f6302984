//! Handling a command in a store: the stream's history is read from it (from a kept fold on,
//! when one still describes the stream's start), and [`handle_in_store`] appends what was
//! decided with the revision it read.

use rhai::Dynamic;
use serde_json::Value;

use super::decision::Outcome;
use super::fold::Fold;
use super::handle::{handle, handle_with, Incoming};
use super::located::Fast;
use super::metadata::Metadata;
use crate::model::{Model, StreamType};
use crate::script::{Sandbox, ScriptId};
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::store::{Direction, Error as StoreError, ExpectedRevision, NewEvent, Store};

/// Reads the stream, handles the command as a participant's at the store's `now`, and appends
/// what was decided with the revision read (`NoStream` for a new stream). A rejection or an empty
/// decision appends nothing.
pub fn handle_in_store(
    model: &Model,
    sandbox: &mut Sandbox,
    store: &mut Store,
    stream_id: &str,
    command: &str,
    data: &Value,
) -> Result<Outcome> {
    let (history, expected) = read_history(store, stream_id)?;
    let metadata = Metadata::at(store.now_ms());
    let outcome = handle(model, sandbox, stream_id, &history, command, data, &metadata)?;
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

/// [`handle`] on the stream as `store` holds it, writing nothing, starting from `kept` when it
/// still describes the start of the stream (same script, same first readable revision): then
/// only the events after it are read and folded. Leaves the fold of the whole history in
/// `kept` (`None` for an empty stream), and says what an append after this read must expect.
pub(crate) fn handle_stored(
    model: &Model,
    sandbox: &mut Sandbox,
    store: &Store,
    stream_id: &str,
    incoming: Incoming<'_>,
    kept: &mut Option<Fold>,
) -> Result<(Outcome, ExpectedRevision)> {
    let outcome = handle_with(
        model,
        sandbox,
        stream_id,
        incoming,
        |model, sandbox, stream_type| current(model, sandbox, store, stream_type, stream_id, kept),
        || Ok(read_history(store, stream_id)?.0),
    )?;
    Ok((outcome, expected_after(store, stream_id)?))
}

/// The state of the stream `store` holds: `kept` continued when it still starts at the
/// stream's first readable revision (only the events after it are read), fresh otherwise. The
/// fold of the whole stream is left in `kept`.
fn current(
    model: &Model,
    sandbox: &mut Sandbox,
    store: &Store,
    stream_type: &StreamType,
    stream_id: &str,
    kept: &mut Option<Fold>,
) -> Fast<(ScriptId, Dynamic)> {
    let continued = match kept.take().filter(|f| f.starts_at(first_readable(store, stream_id))) {
        Some(fold) => {
            let tail = read_history_from(store, stream_id, fold.next_revision())?;
            fold.continued(model, sandbox, stream_type, &tail)?
        }
        None => None,
    };
    let fold = match continued {
        Some(fold) => fold,
        None => Fold::fresh(model, sandbox, stream_type, &read_history_from(store, stream_id, 0)?)?,
    };
    let (script, state, keep) = fold.into_kept();
    *kept = keep;
    Ok((script, state))
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

/// The state of `stream_id` after its events up to and including revision `through`, as JSON:
/// `kept` continued when it still starts at the stream's first readable revision and stops at
/// or before `through`, fresh otherwise. The fold through `through` is left in `kept`, so a
/// reader walking a stream's events in order (a publisher's translations) folds each event once.
pub(crate) fn state_through(
    model: &Model,
    sandbox: &mut Sandbox,
    store: &Store,
    stream_type: &StreamType,
    stream_id: &str,
    through: u64,
    kept: &mut Option<Fold>,
) -> Result<Value> {
    let usable = kept
        .take()
        .filter(|f| f.starts_at(first_readable(store, stream_id)) && f.next_revision() <= through.saturating_add(1));
    let fast = (|| -> Fast<Fold> {
        let from = usable.as_ref().map_or(0, Fold::next_revision);
        let mut tail = read_history_from(store, stream_id, from)?;
        tail.retain(|e| e.revision <= through);
        let continued = match usable {
            Some(fold) => fold.continued(model, sandbox, stream_type, &tail)?,
            None => None,
        };
        match continued {
            Some(fold) => Ok(fold),
            None if from == 0 => Fold::fresh(model, sandbox, stream_type, &tail),
            None => {
                let mut history = read_history_from(store, stream_id, 0)?;
                history.retain(|e| e.revision <= through);
                Fold::fresh(model, sandbox, stream_type, &history)
            }
        }
    })();
    match fast.and_then(|fold| {
        let state =
            crate::script::value::to_json(fold.state_copy()).map_err(|_| super::located::Stop::NeedsLocation)?;
        Ok((fold, state))
    }) {
        Ok((fold, state)) => {
            *kept = fold.holds_events().then_some(fold);
            Ok(state)
        }
        Err(super::located::Stop::Failed(error)) => Err(error),
        Err(super::located::Stop::NeedsLocation) => {
            let mut history = read_history_from(store, stream_id, 0)?;
            history.retain(|e| e.revision <= through);
            Ok(super::fold::state_after(model, sandbox, stream_type, &history)?.1)
        }
    }
}
