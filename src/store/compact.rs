//! Compaction, as Marten 8 compacts a stream: the events up to a revision give way to one
//! snapshot event at that revision, holding what they fold to. The snapshot keeps the replaced
//! event's position, revision and timestamp; the older events are hidden at once (the stream's
//! `truncate_before` moves to the revision, so reading or rewinding reaches back only to the
//! snapshot) and removed from the log. What the snapshot holds is the caller's: the store does
//! not fold.

use serde::Serialize;

use super::error::{Error, Result};
use super::event::NewEvent;
use super::ids::validate_stream_id;
use super::scavenge::Replacement;
use super::store::Store;

/// What a compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompactReport {
    /// The revision the snapshot took.
    pub revision: u64,
    /// Events removed before it.
    pub events_removed: u64,
    /// Payload bytes removed (the replaced event's counted, the snapshot's not).
    pub bytes_removed: u64,
    /// The snapshot's payload bytes.
    pub snapshot_bytes: u64,
}

impl Store {
    /// Replaces the events of `stream_id` up to `revision` with `snapshot`, at `revision`.
    ///
    /// The revision must be stored locally and visible: not past the last one, not hidden by
    /// retention, not only in the archive. An archived, deleted or missing stream is refused.
    pub fn compact_stream(&mut self, stream_id: &str, revision: u64, snapshot: NewEvent) -> Result<CompactReport> {
        validate_stream_id(stream_id)?;
        self.validate_event(stream_id, &snapshot)?;
        let not_found = || Error::StreamNotFound {
            stream_id: stream_id.to_owned(),
        };
        let index = self.catalog.stream_index(stream_id).ok_or_else(not_found)?;
        let stream = self.catalog.streams.get(index as usize).ok_or_else(not_found)?;
        if stream.tombstoned {
            return Err(Error::StreamDeleted {
                stream_id: stream_id.to_owned(),
            });
        }
        if stream.archived {
            return Err(Error::StreamArchived {
                stream_id: stream_id.to_owned(),
            });
        }
        let Some(last) = stream.last_revision.filter(|_| !stream.soft_deleted) else {
            return Err(not_found());
        };
        let subject = || format!("revision {revision} of stream {stream_id:?}");
        if revision > last {
            return Err(Error::invalid(
                subject(),
                format!("the stream's last revision is {last}"),
            ));
        }
        let visible = stream.visible_from(&self.log, self.clock.now_ms());
        if revision < visible {
            return Err(Error::invalid(
                subject(),
                format!("it is hidden already: the stream reads from revision {visible}"),
            ));
        }
        if revision < stream.first_revision {
            return Err(Error::invalid(
                subject(),
                "it is only in the archive; only events stored locally can be compacted",
            ));
        }
        let bytes_before = stream.bytes;
        let mut keep_from: Vec<u64> = self.catalog.streams.iter().map(|s| s.first_revision).collect();
        if let Some(from) = keep_from.get_mut(index as usize) {
            *from = revision;
        }
        let kind = self.catalog.intern_kind(&snapshot.event_type, snapshot.schema_version);
        let meta = self.stored_meta(&snapshot);
        let snapshot_bytes = snapshot.data.len() as u64;
        if let Some(stream) = self.catalog.streams.get_mut(index as usize) {
            let metadata = stream.metadata.get_or_insert_with(Box::default);
            metadata.truncate_before = Some(metadata.truncate_before.unwrap_or(0).max(revision));
        }
        let replacement = Replacement {
            stream: index,
            revision,
            kind,
            payload: snapshot.data.as_str().to_owned(),
            meta,
        };
        let local_from = self.archive.local_from;
        let report = self.rebuild(&keep_from, local_from, Some(replacement));
        let bytes_after = self.catalog.streams.get(index as usize).map_or(0, |s| s.bytes);
        Ok(CompactReport {
            revision,
            events_removed: report.events_removed,
            bytes_removed: (bytes_before + snapshot_bytes).saturating_sub(bytes_after),
            snapshot_bytes,
        })
    }
}
