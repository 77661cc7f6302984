//! Lifecycle operations that need the model: compacting a stream and summarizing it, each writing
//! the state the stream folds to (its stream type's `evolve`) as one event that later folds take
//! as the state.
//!
//! - **Compaction** ([`Runtime::compact_stream`]) rewrites the past: the events up to a revision
//!   give way to a [`COMPACTED_EVENT`] at that revision. No new position, so a projection that
//!   already went past it never sees it, and one rebuilt later sees the snapshot instead of the
//!   events, which its handlers must understand.
//! - **A summary** ([`Runtime::summarize_stream`]) appends: a [`SUMMARY_EVENT`] at the head, then
//!   `truncate_before` moves to it. Subscribers see it as a new event; the old ones leave at the
//!   next scavenge.

use serde::Serialize;
use serde_json::Value;

use super::Runtime;
use crate::sim::decider::{read_history, state_after};
use crate::sim::envelope::{COMPACTED_EVENT, SUMMARY_EVENT};
use crate::sim::error::{Error, Result};
use crate::store::{CompactReport, Error as StoreError, ExpectedRevision, NewEvent, StreamMetadata};

/// What [`Runtime::summarize_stream`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryReport {
    /// The summary event's revision: the stream reads from it on.
    pub revision: u64,
    /// Its position.
    pub position: u64,
    /// How many events it hides (removed by the next scavenge).
    pub hidden: u64,
    /// The state it holds.
    pub state: Value,
}

impl Runtime {
    /// Replaces the events of `stream_id` up to `through` (its last one when `None`) with one
    /// [`COMPACTED_EVENT`] holding the state they fold to.
    pub fn compact_stream(&mut self, stream_id: &str, through: Option<u64>) -> Result<CompactReport> {
        let (mut history, _) = read_history(&self.store, stream_id)?;
        let last = self.last_readable(stream_id, history.last().map(|e| e.revision))?;
        let revision = through.unwrap_or(last);
        history.retain(|e| e.revision <= revision);
        let state = self.folded(stream_id, &history)?;
        let report = self
            .store
            .compact_stream(stream_id, revision, NewEvent::new(COMPACTED_EVENT, state))?;
        self.folds.take(stream_id);
        self.note_stale();
        Ok(report)
    }

    /// Appends a [`SUMMARY_EVENT`] holding the state `stream_id` folds to, and hides the events
    /// before it (`truncate_before`; the stream's other retention rules stay).
    pub fn summarize_stream(&mut self, stream_id: &str) -> Result<SummaryReport> {
        let (history, expected) = read_history(&self.store, stream_id)?;
        self.last_readable(stream_id, history.last().map(|e| e.revision))?;
        let state = self.folded(stream_id, &history)?;
        let result = self
            .store
            .append(stream_id, expected, vec![NewEvent::new(SUMMARY_EVENT, state.clone())])?;
        let (ExpectedRevision::Exact(revision), Some(position)) = (result.next_expected_revision, result.position)
        else {
            return Err(Error::Unknown {
                what: "summary event of stream",
                name: stream_id.to_owned(),
            });
        };
        let metadata = StreamMetadata {
            truncate_before: Some(revision),
            ..self.store.get_stream_metadata(stream_id)?
        };
        self.store.set_stream_metadata(stream_id, metadata)?;
        self.folds.take(stream_id);
        self.note_stale();
        Ok(SummaryReport {
            revision,
            position,
            hidden: history.len() as u64,
            state,
        })
    }

    /// The stream's last readable revision, or why there is nothing to fold.
    pub(super) fn last_readable(&self, stream_id: &str, last: Option<u64>) -> Result<u64> {
        last.ok_or_else(|| {
            Error::Store(StoreError::StreamNotFound {
                stream_id: stream_id.to_owned(),
            })
        })
    }

    /// The state `history` folds to with the stream type of `stream_id`.
    pub(super) fn folded(&mut self, stream_id: &str, history: &[crate::sim::Envelope]) -> Result<Value> {
        self.folded_as(stream_id, history)
    }

    /// The state `history` folds to with the stream type that owns `typed_as`.
    pub(super) fn folded_as(&mut self, stream_id: &str, history: &[crate::sim::Envelope]) -> Result<Value> {
        let stream_type = self.model.stream_type_of(stream_id).ok_or_else(|| Error::Unknown {
            what: "stream type for stream",
            name: stream_id.to_owned(),
        })?;
        let (_, state) = state_after(&self.model, &mut self.sandbox, stream_type, history)?;
        Ok(state)
    }
}
