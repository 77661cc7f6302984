//! Time travel: a stream's state and a projection's documents as of a global position, computed
//! aside from the live ones, which stay as they are.

use serde_json::Value;

use super::projections::reader;
use super::Runtime;
use crate::sim::decider::{read_history, state_after, state_through};
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::sim::projection::{self, Documents};
use crate::sim::upcast::upcast_all;
use crate::sim::FoldCache;
use crate::store::{Direction, Source};

impl Runtime {
    /// The state of `stream_id` after the events at positions up to and including `position`:
    /// its history upcast and folded with its stream type's `evolve`.
    pub fn stream_state_at(&mut self, stream_id: &str, position: u64) -> Result<Value> {
        let stream_type = self.model.stream_type_of(stream_id).ok_or_else(|| Error::Unknown {
            what: "stream type for stream",
            name: stream_id.to_owned(),
        })?;
        let (mut history, _) = read_history(&self.store, stream_id)?;
        history.retain(|e| e.position <= position);
        let (_, state) = state_after(&self.model, &mut self.sandbox, stream_type, &history)?;
        Ok(state)
    }

    /// The state of `stream_id` after its event at revision `through`, for a reader that walks
    /// streams in order: the fold kept in `folds` for the stream is continued, and the fold
    /// through `through` kept in its place, so each event is folded once.
    pub fn stream_state_through(&mut self, stream_id: &str, through: u64, folds: &mut FoldCache) -> Result<Value> {
        let stream_type = self.model.stream_type_of(stream_id).ok_or_else(|| Error::Unknown {
            what: "stream type for stream",
            name: stream_id.to_owned(),
        })?;
        let mut kept = folds.take(stream_id);
        let state = state_through(
            &self.model,
            &mut self.sandbox,
            &self.store,
            stream_type,
            stream_id,
            through,
            &mut kept,
        );
        if let Some(fold) = kept {
            folds.keep(stream_id, fold);
        }
        state
    }

    /// An event as stored (its original schema version, forever) and as every read sees it: upcast
    /// to the current version, possibly split into several events.
    pub fn event_views(&mut self, position: u64) -> Result<(Envelope, Vec<Envelope>)> {
        let stored = self
            .store
            .read(Source::All, position, 1, Direction::Forwards)?
            .into_iter()
            .find(|e| e.position == position)
            .ok_or_else(|| Error::Unknown {
                what: "event at position",
                name: position.to_string(),
            })?;
        let raw = Envelope::from_recorded(&stored);
        let upcast = upcast_all(&self.model, &mut self.sandbox, std::slice::from_ref(&raw))?;
        Ok((raw, upcast))
    }

    /// A projection's documents after the events at positions up to and including `position`,
    /// replayed from scratch with the running definition; events it skipped stay skipped.
    pub fn documents_at(&mut self, name: &str, position: u64) -> Result<Documents> {
        let live = &self.projections[self.live_index(name)?];
        let definition = live.definition.clone();
        let skipped: Vec<u64> = live.skipped.iter().map(|s| s.position).collect();
        let count = usize::try_from(position.saturating_add(1)).unwrap_or(usize::MAX);
        let events: Vec<Envelope> = self
            .store
            .read(Source::All, 0, count, Direction::Forwards)?
            .iter()
            .take_while(|e| e.position <= position)
            .filter(|e| !skipped.contains(&e.position))
            .map(Envelope::from_recorded)
            .collect();
        let events = upcast_all(&self.model, &mut self.sandbox, &events)?;
        // Other read models are lent as they are now, not as of `position`: exactly why reading
        // them from a projection is a finding (see `projection-reads-read-model`).
        self.lending(reader(&definition), |rt| {
            projection::run(&definition, &mut rt.sandbox, &events)
        })
    }
}
