//! The cold tier, both ways real engines archive, and a meter of what lies where.
//!
//! - **By stream**, as Marten's and Emmett's `is_archived` partitions: [`Store::archive_stream`]
//!   moves a stream to the archived partition. Reading the stream itself still returns every
//!   event (counted as a cold read); `$all`, categories, event types, correlations and
//!   subscriptions skip it, as a projection daemon's queries do, so a projection rebuilt
//!   afterwards no longer sees it. Writing to it is [`Error::StreamArchived`] until
//!   [`Store::restore_stream`].
//! - **By log position**, as KurrentDB's archiver: with [`ArchiveSettings`],
//!   [`Store::upload_segments`] copies each complete segment of the log (a fixed run of
//!   positions, KurrentDB's chunk) to the archive. Nothing local goes then. A later
//!   [`Store::scavenge`] removes the local copy of the oldest uploaded segments that are outside
//!   the retention window: every event older than `retain_ms` and more than `retain_bytes` of
//!   newer payload after it. Reads of positions below that local horizon fall through to the
//!   archive, each counted as a fetch; they return what was written.
//!
//! The archive keeps what it was given: a later truncation or deletion hides archived events
//! from reads (the same rules apply) but does not remove them from the archive.
//!
//! [`Store::storage`] says how many events and bytes are hot, in archived streams, uploaded, and
//! in the archive only; [`Store::cold_reads`] counts the reads that went cold.

use std::cell::Cell;
use std::mem::size_of;

use serde::{Deserialize, Serialize};

use super::chunked::ChunkedVec;
use super::error::{Error, Result};
use super::event::RawEvent;
use super::ids::validate_stream_id;
use super::log::{Log, Stored};
use super::read::Direction;
use super::store::{Placement, Store};
use super::stream::StreamEntry;

/// How the archiver cuts the log and what stays local (KurrentDB's `Archive` settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArchiveSettings {
    /// Positions per segment; a segment is uploaded once the log has moved past its end.
    pub segment_events: u64,
    /// A segment stays local while its newest event is younger than this (simulated ms).
    pub retain_ms: i64,
    /// A segment stays local while less than this many payload bytes were written after it.
    pub retain_bytes: u64,
}

/// The largest segment, in positions.
pub const MAX_SEGMENT_EVENTS: u64 = 1 << 24;

impl ArchiveSettings {
    pub(crate) fn validate(&self) -> Result<()> {
        if !(1..=MAX_SEGMENT_EVENTS).contains(&self.segment_events) {
            return Err(Error::invalid(
                "archive segmentEvents",
                format!("it must be between 1 and {MAX_SEGMENT_EVENTS}"),
            ));
        }
        if self.retain_ms < 0 {
            return Err(Error::invalid("archive retainMs", "it cannot be negative"));
        }
        Ok(())
    }
}

/// One uploaded segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentInfo {
    /// Its first position.
    pub first_position: u64,
    /// The position after its last.
    pub end_position: u64,
    /// Events uploaded (what was physically stored then; scavenged events are not).
    pub events: u64,
    /// Their payload bytes.
    pub bytes: u64,
    /// Its newest event's timestamp, `None` when it held no event.
    pub newest_timestamp_ms: Option<i64>,
    /// Whether a local copy is still kept.
    pub local: bool,
}

/// The reads that went to a cold tier since the store was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColdReads {
    /// Reads of an archived stream.
    pub archived_stream_reads: u64,
    /// Events those reads returned.
    pub archived_stream_events: u64,
    /// Reads that fetched events from the archive (below the local horizon).
    pub archive_fetches: u64,
    /// Events those reads returned.
    pub archive_events: u64,
}

/// What lies where.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Storage {
    /// Events stored locally in streams that are not archived.
    pub hot_events: u64,
    /// Their payload bytes.
    pub hot_bytes: u64,
    /// Streams in the archived partition.
    pub archived_streams: u64,
    /// Their locally stored events.
    pub archived_events: u64,
    /// Their payload bytes.
    pub archived_bytes: u64,
    /// Events copied to the archive, still local or not.
    pub uploaded_events: u64,
    /// Their payload bytes.
    pub uploaded_bytes: u64,
    /// Events only in the archive (their local copy was removed).
    pub archive_only_events: u64,
    /// Their payload bytes.
    pub archive_only_bytes: u64,
    /// Positions below this are read from the archive.
    pub local_from_position: u64,
    /// Positions below this are uploaded.
    pub uploaded_until_position: u64,
    /// The archiver's settings, `None` when no archive is configured.
    pub settings: Option<ArchiveSettings>,
    /// The reads that went cold.
    pub reads: ColdReads,
}

/// What [`Store::upload_segments`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadReport {
    /// Segments uploaded.
    pub segments: u64,
    /// Events copied.
    pub events: u64,
    /// Their payload bytes.
    pub bytes: u64,
}

/// The archive: a log of uploaded copies, with each copy's revision.
#[derive(Debug, Default)]
pub(crate) struct Archive {
    pub settings: Option<ArchiveSettings>,
    pub log: Log,
    revisions: ChunkedVec<u64>,
    segments: Vec<SegmentInfo>,
    /// Positions below this are no longer local.
    pub local_from: u64,
    reads: Cell<ColdReads>,
}

impl Archive {
    pub fn uploaded_until(&self) -> u64 {
        self.segments.last().map_or(0, |s| s.end_position)
    }

    /// The revision of the copy in `slot`.
    pub fn revision(&self, slot: u32) -> u64 {
        self.revisions.get(slot as usize).copied().unwrap_or(u64::MAX)
    }

    /// The first slot of the archive's log at or above the local horizon.
    pub fn local_slot(&self) -> u32 {
        self.log.first_slot_from(self.local_from)
    }

    fn note(&self, count: impl FnOnce(&mut ColdReads)) {
        let mut reads = self.reads.get();
        count(&mut reads);
        self.reads.set(reads);
    }

    pub fn heap_bytes(&self) -> usize {
        self.log.heap_bytes() + self.revisions.heap_bytes() + self.segments.capacity() * size_of::<SegmentInfo>()
    }
}

/// Which archived copies a read of something other than one stream wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColdFilter {
    All,
    Stream(u32),
    Category(u32),
    EventType(u32),
    Correlation(u32),
    Nothing,
}

impl Store {
    /// Configures the archiver, or with `None` stops uploading (what was uploaded stays).
    pub fn configure_archive(&mut self, settings: Option<ArchiveSettings>) -> Result<()> {
        if let Some(settings) = &settings {
            settings.validate()?;
            let uploaded = self.archive.segments.first();
            if let Some(size) = uploaded.map(|s| s.end_position - s.first_position) {
                if size != settings.segment_events {
                    return Err(Error::invalid(
                        "archive segmentEvents",
                        format!("segments of {size} positions are uploaded already; the size cannot change"),
                    ));
                }
            }
        }
        self.archive.settings = settings;
        Ok(())
    }

    /// The archiver's settings.
    pub fn archive_settings(&self) -> Option<ArchiveSettings> {
        self.archive.settings
    }

    /// Moves a stream to the archived partition (Marten's `ArchiveStream`). Archiving an archived
    /// stream changes nothing.
    pub fn archive_stream(&mut self, stream_id: &str) -> Result<()> {
        self.set_archived(stream_id, true)
    }

    /// Brings an archived stream back: it can be written again and every read sees it.
    pub fn restore_stream(&mut self, stream_id: &str) -> Result<()> {
        self.set_archived(stream_id, false)
    }

    /// Whether the stream is in the archived partition.
    pub fn is_archived(&self, stream_id: &str) -> bool {
        self.catalog.stream(stream_id).is_some_and(|s| s.archived)
    }

    /// The archived streams, in id order.
    pub fn archived_streams(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .catalog
            .streams
            .iter()
            .filter(|s| s.archived)
            .map(|s| &*s.name)
            .collect();
        ids.sort_unstable();
        ids
    }

    fn set_archived(&mut self, stream_id: &str, archived: bool) -> Result<()> {
        validate_stream_id(stream_id)?;
        let stream = self
            .catalog
            .stream_mut(stream_id)
            .filter(|s| s.last_revision.is_some())
            .ok_or_else(|| Error::StreamNotFound {
                stream_id: stream_id.to_owned(),
            })?;
        if stream.tombstoned {
            return Err(Error::StreamDeleted {
                stream_id: stream_id.to_owned(),
            });
        }
        stream.archived = archived;
        Ok(())
    }

    /// Uploads every complete segment not uploaded yet; what was uploaded stays local until a
    /// scavenge finds it outside the retention window.
    pub fn upload_segments(&mut self) -> Result<UploadReport> {
        let settings = self
            .archive
            .settings
            .ok_or_else(|| Error::invalid("upload", "no archive is configured"))?;
        Ok(self.upload_before(self.log.next_position(), settings.segment_events))
    }

    /// Uploads the complete segments of `size` positions that end at or before `limit`.
    pub(crate) fn upload_before(&mut self, limit: u64, size: u64) -> UploadReport {
        let Store {
            log, catalog, archive, ..
        } = self;
        let mut report = UploadReport::default();
        loop {
            let first = archive.uploaded_until();
            let Some(end) = first.checked_add(size).filter(|&end| end <= limit) else {
                break;
            };
            let mut segment = SegmentInfo {
                first_position: first,
                end_position: end,
                events: 0,
                bytes: 0,
                newest_timestamp_ms: None,
                local: true,
            };
            for stored in log.forwards_from(log.first_slot_from(first)) {
                if stored.position >= end {
                    break;
                }
                let Some(stream) = catalog.streams.get_mut(stored.record.stream as usize) else {
                    continue;
                };
                let at = Placement {
                    stream: stored.record.stream,
                    kind: stored.record.kind,
                    revision: stream.revision_at(stored.record.index),
                    ts: stored.timestamp,
                    position: stored.position,
                };
                let slot = archive
                    .log
                    .push(at, stream.cold.len() as u32, stored.payload, stored.meta);
                archive.revisions.push(at.revision);
                stream.cold.push(slot);
                segment.events += 1;
                segment.bytes += stored.payload.len() as u64;
                segment.newest_timestamp_ms = Some(stored.timestamp);
            }
            archive.log.reserve_positions_before(end);
            report.segments += 1;
            report.events += segment.events;
            report.bytes += segment.bytes;
            archive.segments.push(segment);
        }
        report
    }

    /// The uploaded segments, oldest first.
    pub fn segments(&self) -> Vec<SegmentInfo> {
        let local_from = self.archive.local_from;
        self.archive
            .segments
            .iter()
            .map(|s| SegmentInfo {
                local: s.first_position >= local_from,
                ..*s
            })
            .collect()
    }

    /// The reads that went cold since the store was built.
    pub fn cold_reads(&self) -> ColdReads {
        self.archive.reads.get()
    }

    /// What lies where.
    pub fn storage(&self) -> Storage {
        let mut storage = Storage {
            hot_events: 0,
            hot_bytes: 0,
            archived_streams: 0,
            archived_events: 0,
            archived_bytes: 0,
            uploaded_events: 0,
            uploaded_bytes: 0,
            archive_only_events: 0,
            archive_only_bytes: 0,
            local_from_position: self.archive.local_from,
            uploaded_until_position: self.archive.uploaded_until(),
            settings: self.archive.settings,
            reads: self.cold_reads(),
        };
        for stream in self.catalog.streams.iter() {
            let events = stream.slots.len() as u64;
            if stream.archived {
                storage.archived_streams += 1;
                storage.archived_events += events;
                storage.archived_bytes += stream.bytes;
            } else {
                storage.hot_events += events;
                storage.hot_bytes += stream.bytes;
            }
        }
        for segment in &self.archive.segments {
            storage.uploaded_events += segment.events;
            storage.uploaded_bytes += segment.bytes;
            if segment.first_position < self.archive.local_from {
                storage.archive_only_events += segment.events;
                storage.archive_only_bytes += segment.bytes;
            }
        }
        storage
    }

    /// A stream's last event's type and timestamp, wherever it is (no read is counted: this is
    /// what the store knows of its streams, as their statistics).
    pub fn stream_tail(&self, stream_id: &str) -> Option<(&str, i64)> {
        let stream = self.catalog.stream(stream_id)?;
        let (log, slot) = match stream.slots.last() {
            Some(&slot) => (&self.log, slot),
            None => (&self.archive.log, *stream.cold.last()?),
        };
        let record = log.record(slot)?;
        Some((self.catalog.kind(record.kind).0, log.timestamp(slot)))
    }

    /// The events of a stream only in the archive (their local copy removed), and their bytes.
    pub fn stream_archive_only(&self, stream_id: &str) -> (u64, u64) {
        let Some(stream) = self.catalog.stream(stream_id) else {
            return (0, 0);
        };
        let local_slot = self.archive.local_slot();
        let count = stream.cold.partition_point(|&slot| slot < local_slot);
        let bytes = (0..count)
            .filter_map(|i| stream.cold.get(i))
            .map(|&slot| self.archive.log.payload(slot).len() as u64)
            .sum();
        (count as u64, bytes)
    }

    /// The events only in the archive, all streams together.
    pub fn archive_only_events(&self) -> u64 {
        let local_from = self.archive.local_from;
        self.archive
            .segments
            .iter()
            .filter(|s| s.first_position < local_from)
            .map(|s| s.events)
            .sum()
    }

    /// The local horizon a scavenge now may move to: the end of the oldest run of uploaded
    /// segments outside the retention window.
    pub(crate) fn removable_horizon(&self) -> u64 {
        let archive = &self.archive;
        let Some(settings) = archive.settings else {
            return archive.local_from;
        };
        let oldest_kept = self.clock.now_ms().saturating_sub(settings.retain_ms);
        let uploaded_until = archive.uploaded_until();
        let first_tail_slot = self.log.first_slot_from(uploaded_until);
        let mut bytes_after: u64 = self
            .log
            .forwards_from(first_tail_slot)
            .map(|s| s.payload.len() as u64)
            .sum();
        let mut horizon = archive.local_from;
        // Newest first, to know how much was written after each segment.
        let mut removable = Vec::new();
        for segment in archive.segments.iter().rev() {
            if segment.end_position <= archive.local_from {
                break;
            }
            let old = segment.newest_timestamp_ms.is_none_or(|ts| ts < oldest_kept);
            removable.push(old && bytes_after >= settings.retain_bytes);
            bytes_after = bytes_after.saturating_add(segment.bytes);
        }
        for (segment, removable) in archive
            .segments
            .iter()
            .filter(|s| s.end_position > archive.local_from)
            .zip(removable.into_iter().rev())
        {
            if !removable {
                break;
            }
            horizon = segment.end_position;
        }
        horizon
    }

    /// The archived copies below the local horizon that `filter` wants and a read may see now,
    /// from `from` on (forwards) or down from it (backwards), up to `max_count`.
    pub(crate) fn scan_cold<'s>(
        &'s self,
        filter: ColdFilter,
        from: u64,
        max_count: usize,
        direction: Direction,
        visit: &mut dyn FnMut(RawEvent<'s>),
    ) -> usize {
        let archive = &self.archive;
        if filter == ColdFilter::Nothing || max_count == 0 || archive.local_from == 0 {
            return 0;
        }
        let now = self.clock.now_ms();
        let end = archive.local_slot();
        let mut count = 0;
        let mut take = |stored: Stored<'s>| -> bool {
            if let Some((stream, revision)) = self.cold_match(filter, &stored, now) {
                visit(self.assemble(stored, stream, revision));
                count += 1;
            }
            count < max_count
        };
        match direction {
            Direction::Forwards => {
                let start = archive.log.first_slot_from(from);
                for stored in archive
                    .log
                    .forwards_from(start)
                    .take(end.saturating_sub(start) as usize)
                {
                    if !take(stored) {
                        break;
                    }
                }
            }
            Direction::Backwards => {
                let after = from
                    .checked_add(1)
                    .map_or(end, |p| archive.log.first_slot_from(p).min(end));
                for slot in (0..after).rev() {
                    if let Some(stored) = archive.log.stored(slot) {
                        if !take(stored) {
                            break;
                        }
                    }
                }
            }
        }
        if count > 0 {
            archive.note(|r| {
                r.archive_fetches += 1;
                r.archive_events += count as u64;
            });
        }
        count
    }

    /// The stream and revision of an archived copy if `filter` wants it and a read may see it.
    fn cold_match(&self, filter: ColdFilter, stored: &Stored<'_>, now: i64) -> Option<(&StreamEntry, u64)> {
        let record = stored.record;
        let stream = self.catalog.streams.get(record.stream as usize)?;
        let wanted = match filter {
            ColdFilter::All => true,
            ColdFilter::Stream(index) => record.stream == index,
            ColdFilter::Category(index) => stream.category == index,
            ColdFilter::EventType(index) => self
                .catalog
                .kinds
                .get(record.kind as usize)
                .is_some_and(|k| k.0 == index),
            ColdFilter::Correlation(index) => stored.meta.and_then(|m| m.correlation) == Some(index),
            ColdFilter::Nothing => false,
        };
        let revision = self.archive.revision(stored.slot);
        (wanted && !stream.archived && stream.shows(revision, stored.timestamp, now)).then_some((stream, revision))
    }

    /// One stream's archived copies below the local horizon that a read may see, from revision
    /// `from` on or down from it, up to `max_count`.
    pub(crate) fn read_stream_cold<'s>(
        &'s self,
        stream: &'s StreamEntry,
        from: u64,
        max_count: usize,
        direction: Direction,
        visit: &mut dyn FnMut(RawEvent<'s>),
    ) -> usize {
        let archive = &self.archive;
        let local_slot = archive.local_slot();
        let cold_len = stream.cold.partition_point(|&slot| slot < local_slot);
        if cold_len == 0 || max_count == 0 {
            return 0;
        }
        let now = self.clock.now_ms();
        let revision_of = |index: usize| stream.cold.get(index).map_or(u64::MAX, |&s| archive.revision(s));
        let first_at_or_after = |revision: u64| {
            let (mut low, mut high) = (0, cold_len);
            while low < high {
                let mid = low + (high - low) / 2;
                if revision_of(mid) < revision {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            low
        };
        let indexes: Box<dyn Iterator<Item = usize>> = match direction {
            Direction::Forwards => Box::new(first_at_or_after(from)..cold_len),
            Direction::Backwards => Box::new((0..first_at_or_after(from.saturating_add(1))).rev()),
        };
        let mut count = 0;
        for index in indexes {
            if count == max_count {
                break;
            }
            let Some(stored) = stream.cold.get(index).and_then(|&slot| archive.log.stored(slot)) else {
                continue;
            };
            let revision = revision_of(index);
            if stream.shows(revision, stored.timestamp, now) {
                visit(self.assemble(stored, stream, revision));
                count += 1;
            }
        }
        if count > 0 {
            archive.note(|r| {
                r.archive_fetches += 1;
                r.archive_events += count as u64;
            });
        }
        count
    }

    /// Counts a read of an archived stream.
    pub(crate) fn note_archived_stream_read(&self, events: usize) {
        self.archive.note(|r| {
            r.archived_stream_reads += 1;
            r.archived_stream_events += events as u64;
        });
    }
}
