//! Stream metadata (retention) and stream deletion, with KurrentDB's rules.
//!
//! - Metadata takes effect on reads at once: `max_count` keeps the newest events, `max_age_ms`
//!   keeps events whose timestamp is at least `now - max_age_ms` on the simulated clock,
//!   `truncate_before` hides revisions below it. Space comes back only through
//!   [`Store::scavenge`]. Expected-revision checks still see the physical last revision.
//! - A soft delete sets `truncate_before` to the last revision + 1 and marks the stream deleted:
//!   reads say [`Error::StreamNotFound`], `NoStream`, `Any` and the exact last revision may append
//!   again, and the numbering continues (the stream comes back with only the new events).
//!   As in KurrentDB, where the soft-delete mark lives in the metadata, setting new metadata
//!   also brings a soft-deleted stream back, showing whatever the new metadata and the last
//!   scavenge left.
//! - A hard delete leaves a tombstone: every later read, write, metadata change or delete of the
//!   stream fails with [`Error::StreamDeleted`], forever (scavenges and snapshots keep it).

use serde::{Deserialize, Serialize};

use super::error::{Error, Result};
use super::ids::validate_stream_id;
use super::revision::ExpectedRevision;
use super::store::Store;

/// Retention rules of a stream; `None` means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamMetadata {
    /// Keep only the newest this many events (at least 1).
    pub max_count: Option<u64>,
    /// Keep only events at most this many milliseconds old (at least 1).
    pub max_age_ms: Option<i64>,
    /// Hide the events with a lower revision.
    pub truncate_before: Option<u64>,
}

/// How [`Store::delete_stream`] deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteMode {
    /// Hide the events; the stream can be written again and continues its numbering.
    Soft,
    /// Leave a tombstone; the stream can never be read or written again.
    Hard,
}

impl StreamMetadata {
    pub(crate) fn validate(&self, stream_id: &str) -> Result<()> {
        let subject = || format!("metadata of stream {stream_id:?}");
        if self.max_count == Some(0) {
            return Err(Error::invalid(subject(), "max_count must be at least 1"));
        }
        if self.max_age_ms.is_some_and(|age| age < 1) {
            return Err(Error::invalid(subject(), "max_age_ms must be at least 1"));
        }
        Ok(())
    }
}

impl Store {
    /// Replaces a stream's metadata; the stream need not have events yet.
    pub fn set_stream_metadata(&mut self, stream_id: &str, metadata: StreamMetadata) -> Result<()> {
        validate_stream_id(stream_id)?;
        metadata.validate(stream_id)?;
        self.refuse_tombstoned(stream_id)?;
        let index = self.catalog.intern_stream(stream_id);
        if let Some(stream) = self.catalog.streams.get_mut(index as usize) {
            stream.metadata = Some(Box::new(metadata));
            stream.soft_deleted = false;
        }
        Ok(())
    }

    /// A stream's metadata; the default (no limits) when none was set.
    pub fn get_stream_metadata(&self, stream_id: &str) -> Result<StreamMetadata> {
        validate_stream_id(stream_id)?;
        self.refuse_tombstoned(stream_id)?;
        Ok(self
            .catalog
            .stream(stream_id)
            .and_then(|s| s.metadata.as_deref().copied())
            .unwrap_or_default())
    }

    /// Deletes a stream if `expected` holds (same rules as an append). Soft-deleting a stream
    /// that has no events changes nothing; hard-deleting it leaves a tombstone all the same.
    pub fn delete_stream(&mut self, stream_id: &str, expected: ExpectedRevision, mode: DeleteMode) -> Result<()> {
        validate_stream_id(stream_id)?;
        self.refuse_tombstoned(stream_id)?;
        let state = self.catalog.stream(stream_id).map(|s| s.state()).unwrap_or_default();
        expected.check(stream_id, state)?;
        match (mode, state.last_revision) {
            (DeleteMode::Soft, None) => {}
            (DeleteMode::Soft, Some(last)) => {
                if let Some(stream) = self.catalog.stream_mut(stream_id) {
                    let metadata = stream.metadata.get_or_insert_with(Box::default);
                    metadata.truncate_before = Some(last.saturating_add(1));
                    stream.soft_deleted = true;
                }
            }
            (DeleteMode::Hard, _) => {
                self.catalog.tombstone(stream_id);
            }
        }
        Ok(())
    }

    /// Whether the stream has a tombstone.
    pub fn is_tombstoned(&self, stream_id: &str) -> bool {
        self.catalog.stream(stream_id).is_some_and(|s| s.tombstoned)
    }

    fn refuse_tombstoned(&self, stream_id: &str) -> Result<()> {
        if self.is_tombstoned(stream_id) {
            return Err(Error::StreamDeleted {
                stream_id: stream_id.to_owned(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Config, NewEvent};
    use serde_json::json;

    #[test]
    fn metadata_is_validated() {
        let mut store = Store::new(Config::default());
        let cases = [
            (StreamMetadata::default(), None),
            (
                StreamMetadata {
                    max_count: Some(0),
                    ..Default::default()
                },
                Some("InvalidInput"),
            ),
            (
                StreamMetadata {
                    max_age_ms: Some(0),
                    ..Default::default()
                },
                Some("InvalidInput"),
            ),
            (
                StreamMetadata {
                    max_count: Some(1),
                    max_age_ms: Some(1),
                    truncate_before: Some(0),
                },
                None,
            ),
        ];
        for (metadata, want) in cases {
            let got = store.set_stream_metadata("s", metadata).err().map(|e| e.code());
            assert_eq!(got, want, "set {metadata:?}");
        }
        assert_eq!(
            store.get_stream_metadata("never").ok(),
            Some(StreamMetadata::default()),
            "default"
        );
    }

    #[test]
    fn soft_delete_sets_truncate_before_past_the_last_revision() {
        let mut store = Store::new(Config::default());
        let events = vec![NewEvent::new("T", json!(1)), NewEvent::new("T", json!(2))];
        assert!(store.append("s", ExpectedRevision::NoStream, events).is_ok(), "append");
        assert!(
            store
                .delete_stream("s", ExpectedRevision::Exact(1), DeleteMode::Soft)
                .is_ok(),
            "delete"
        );
        let metadata = store.get_stream_metadata("s").ok();
        assert_eq!(metadata.and_then(|m| m.truncate_before), Some(2), "truncate_before");
    }
}
