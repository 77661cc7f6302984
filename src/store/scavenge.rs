//! Scavenging: physically dropping the events no read can return any more.
//!
//! An event goes when its stream is hard-deleted, or when it is below the stream's visibility
//! cut-off at the moment of the scavenge (soft delete, `truncate_before`, `max_count`, or
//! `max_age` on the simulated clock). The surviving events keep their positions, revisions and
//! ids; the log, the payload arena and every index are rebuilt compactly, and the statistics are
//! recomputed. Every read returns the same events before and after a scavenge. Tombstones and
//! stream states (last revision, metadata) stay, so numbering never restarts.
//!
//! With an archive (`archive.rs`), a scavenge also removes the local copy of the oldest uploaded
//! segments outside the retention window; reads then fetch those events from the archive.

use serde::Serialize;

use super::log::Meta;
use super::store::{Placement, Store};

/// What a scavenge removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScavengeReport {
    /// Events physically removed.
    pub events_removed: u64,
    /// Payload bytes (compact JSON) of the removed events.
    pub bytes_reclaimed: u64,
    /// Events whose local copy was removed because the archive holds them.
    pub events_offloaded: u64,
    /// Their payload bytes.
    pub bytes_offloaded: u64,
}

/// One event a rebuild writes differently: what compaction puts at a revision.
pub(crate) struct Replacement<'a> {
    pub stream: u32,
    pub revision: u64,
    pub kind: u32,
    pub payload: String,
    pub meta: Option<Meta<'a>>,
}

impl Store {
    /// Drops every event that reads can no longer return, and the local copy of the uploaded
    /// segments outside the archive's retention window.
    pub fn scavenge(&mut self) -> ScavengeReport {
        let now = self.clock.now_ms();
        let keep_from: Vec<u64> = self
            .catalog
            .streams
            .iter()
            .map(|s| s.visible_from(&self.log, now))
            .collect();
        let local_from = self.removable_horizon();
        self.raise_archived_floors(now);
        self.rebuild(&keep_from, local_from, None)
    }

    /// What a scavenge hides for good applies to archived copies too: each stream's floor moves
    /// up to the first revision its metadata lets a read see now (truncation, `max_count`, and
    /// for `max_age` its first archived copy young enough), as the local copies below it are
    /// dropped. Later metadata cannot bring back in the archive what it could not bring back
    /// locally.
    fn raise_archived_floors(&mut self, now: i64) {
        self.lineage.1 += 1;
        let Store { catalog, archive, .. } = self;
        let local_slot = archive.local_slot();
        for stream in catalog.streams.iter_mut().filter(|s| !s.tombstoned) {
            let mut floor = stream.cut_off_by_revision();
            if let Some(max_age) = stream.metadata.as_ref().and_then(|m| m.max_age_ms) {
                let oldest_kept = now.saturating_sub(max_age);
                let cold = stream.cold.partition_point(|&slot| slot < local_slot);
                let young = (0..cold).find(|&i| {
                    stream
                        .cold
                        .get(i)
                        .is_some_and(|&slot| archive.log.timestamp(slot) >= oldest_kept)
                });
                let first_local = stream.first_revision;
                floor = floor.max(match young {
                    Some(i) => stream.cold.get(i).map_or(first_local, |&slot| archive.revision(slot)),
                    None if cold > 0 => first_local,
                    None => 0,
                });
            }
            // Only revisions that exist are hidden for good: metadata set ahead of the events
            // must not hide the ones still to come.
            let existing = stream.next_revision().unwrap_or(u64::MAX);
            stream.floor = stream.floor.max(floor.min(existing));
        }
    }

    /// Rebuilds the log without each stream's events below `keep_from[stream]`, without every
    /// event below the position `local_from` (which the archive holds), and with `replace` in
    /// place of the event it names. Positions, revisions and ids of the survivors stay.
    pub(crate) fn rebuild(
        &mut self,
        keep_from: &[u64],
        local_from: u64,
        replace: Option<Replacement<'_>>,
    ) -> ScavengeReport {
        let offload = self.log.len() > 0 && self.log.position(0) < local_from;
        let anything_to_drop = self
            .catalog
            .streams
            .iter()
            .zip(keep_from)
            .any(|(stream, &from)| !stream.slots.is_empty() && from > stream.first_revision);
        self.archive.local_from = self.archive.local_from.max(local_from);
        self.lineage.1 += 1;
        if !anything_to_drop && !offload && replace.is_none() {
            return ScavengeReport::default();
        }
        let mut next_revision: Vec<u64> = self.catalog.streams.iter().map(|s| s.first_revision).collect();
        // Rebuild from an empty log, re-adding the survivors in slot order.
        let old = std::mem::take(&mut self.log);
        self.catalog.clear_events();
        let mut report = ScavengeReport::default();
        for stored in old.forwards_from(0) {
            let record = stored.record;
            let stream = record.stream as usize;
            let (Some(revision), Some(&from)) = (next_revision.get(stream).copied(), keep_from.get(stream)) else {
                continue;
            };
            if let Some(next) = next_revision.get_mut(stream) {
                *next = next.saturating_add(1);
            }
            let bytes = stored.payload.len() as u64;
            if revision < from {
                if let Some(entry) = self.catalog.streams.get_mut(stream) {
                    entry.floor = entry.floor.max(revision.saturating_add(1));
                }
                report.events_removed += 1;
                report.bytes_reclaimed += bytes;
                continue;
            }
            if stored.position < local_from {
                report.events_offloaded += 1;
                report.bytes_offloaded += bytes;
                continue;
            }
            let mut placement = Placement {
                stream: record.stream,
                kind: record.kind,
                revision,
                ts: stored.timestamp,
                position: stored.position,
            };
            match &replace {
                Some(r) if r.stream == record.stream && r.revision == revision => {
                    placement.kind = r.kind;
                    self.push_event_without_validation(placement, &r.payload, r.meta);
                }
                _ => self.push_event_without_validation(placement, stored.payload, stored.meta),
            }
        }
        self.log.reserve_positions_before(old.next_position());
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Config, DeleteMode, Direction, ExpectedRevision, NewEvent, StreamMetadata};
    use serde_json::json;

    #[test]
    fn scavenge_drops_hidden_events_and_keeps_positions() {
        let mut store = Store::new(Config::default());
        for stream in ["a-1", "b-1", "c-1", "a-1"] {
            let events = (0..3).map(|i| NewEvent::new("T", json!(i))).collect(); // 1 byte each
            assert!(
                store.append(stream, ExpectedRevision::Any, events).is_ok(),
                "append to {stream}"
            );
        }
        let max_two = StreamMetadata {
            max_count: Some(2),
            ..StreamMetadata::default()
        };
        assert!(store.set_stream_metadata("a-1", max_two).is_ok(), "metadata");
        assert!(
            store
                .delete_stream("b-1", ExpectedRevision::Any, DeleteMode::Hard)
                .is_ok(),
            "hard delete"
        );
        let before = store.read_all(0, 100, Direction::Forwards);
        let report = store.scavenge();
        assert_eq!(
            report,
            ScavengeReport {
                events_removed: 7,
                bytes_reclaimed: 7,
                ..ScavengeReport::default()
            },
            "report"
        );
        assert_eq!(store.read_all(0, 100, Direction::Forwards), before, "reads unchanged");
        let positions: Vec<u64> = before.iter().map(|e| e.position).collect();
        assert_eq!(positions, vec![6, 7, 8, 10, 11], "surviving positions");
        assert_eq!(
            store.scavenge(),
            ScavengeReport::default(),
            "second scavenge has nothing to do"
        );
        let next = store.append("a-1", ExpectedRevision::Exact(5), vec![NewEvent::new("T", json!(9))]);
        assert_eq!(next.ok().and_then(|r| r.position), Some(12), "positions continue");
    }
}
