//! Time travel: the streams and a read model as of a global position, replayed aside, and an
//! event as stored beside what reads see of it; the present is untouched.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Result, Workspace};
use crate::sim::projection::Documents;
use crate::sim::Envelope;
use crate::store::{natural_cmp, Direction, Source};

impl Workspace {
    /// The streams and their event counts as of a global position (events at positions up to and
    /// including it), in natural order of their ids, without touching the present.
    pub fn streams_at(&self, position: u64) -> Vec<(String, u64)> {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        let _ = self.services.main.store().read_raw(
            Source::All,
            0,
            usize::try_from(position.saturating_add(1)).unwrap_or(usize::MAX),
            Direction::Forwards,
            |event| *counts.entry(event.stream_id).or_default() += 1,
        );
        let mut streams: Vec<(&str, u64)> = counts.into_iter().collect();
        streams.sort_unstable_by(|a, b| natural_cmp(a.0, b.0));
        streams.into_iter().map(|(id, n)| (id.to_owned(), n)).collect()
    }

    /// A projection's documents as of a global position, replayed aside.
    pub fn documents_at(&mut self, projection: &str, position: u64) -> Result<Documents> {
        Ok(self.services.main.documents_at(projection, position)?)
    }

    /// A stream's state (its decider's fold) after the events at positions up to and including
    /// `position`.
    pub fn stream_state_at(&mut self, stream_id: &str, position: u64) -> Result<Value> {
        Ok(self.services.main.stream_state_at(stream_id, position)?)
    }

    /// The event at a position as stored and as reads see it (upcast, maybe split).
    pub fn event_views(&mut self, position: u64) -> Result<(Envelope, Vec<Envelope>)> {
        Ok(self.services.main.event_views(position)?)
    }
}
