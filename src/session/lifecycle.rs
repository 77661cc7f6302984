//! The lifecycle page's view and actions on the main module's store: a storage meter with a cost
//! model, archiving closed streams (by stream) and uploading segments (by position), scavenging,
//! compaction and summary events, and what a projection rebuild would now do.

use serde::Serialize;

use super::{Result, Workspace};
use crate::lint::ends_a_stream;
use crate::sim::SummaryReport;
use crate::store::{
    ArchiveSettings, ColdReads, CompactReport, ScavengeReport, SegmentInfo, Storage, Store, StreamStats, UploadReport,
};

/// What each tier costs and how slow its reads are: the defaults are in the range of a managed
/// database's SSD and of object storage, per GB and month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostModel {
    /// The hot tier (the database's disk), per GB-month.
    pub hot_per_gb_month: f64,
    /// The archived partition: the same disk, off the hot indexes.
    pub archived_per_gb_month: f64,
    /// The archive (object storage), per GB-month.
    pub archive_per_gb_month: f64,
    /// What a read of an archived stream adds, in ms.
    pub archived_read_ms: u64,
    /// What a fetch from the archive adds, in ms.
    pub archive_fetch_ms: u64,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            hot_per_gb_month: 0.25,
            archived_per_gb_month: 0.25,
            archive_per_gb_month: 0.023,
            archived_read_ms: 15,
            archive_fetch_ms: 120,
        }
    }
}

/// The monthly cost of what is stored, and the time cold reads added.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Costs {
    /// Hot bytes, per month.
    pub hot: f64,
    /// Archived streams' bytes, per month.
    pub archived: f64,
    /// Uploaded bytes, per month.
    pub archive: f64,
    /// All three.
    pub total: f64,
    /// What every store stored only hot would cost.
    pub all_hot: f64,
    /// The simulated time cold reads added so far, in ms.
    pub cold_read_ms: u64,
}

/// A stream a lifecycle action could apply to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleStream {
    /// Its id.
    pub id: String,
    /// Its events, stored locally or only in the archive.
    pub events: u64,
    /// Their payload bytes.
    pub bytes: u64,
    /// Its last event's type.
    pub last_event: String,
    /// How long ago its last event was written, in simulated ms.
    pub idle_ms: u64,
}

/// What the lifecycle page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleView {
    /// The simulated clock.
    pub now_ms: i64,
    /// What lies where.
    pub storage: Storage,
    /// What it costs.
    pub costs: Costs,
    /// Closed streams (their last event ends a stream) not archived yet, idle longest first.
    pub closed: Vec<LifecycleStream>,
    /// How many there are.
    pub closed_total: u64,
    /// The archived streams, first ones by id.
    pub archived: Vec<LifecycleStream>,
    /// The longest streams, longest first: candidates for a summary or compaction.
    pub longest: Vec<LifecycleStream>,
    /// The newest uploaded segments, newest first.
    pub segments: Vec<SegmentInfo>,
    /// How many segments are uploaded.
    pub segments_total: usize,
}

/// What rebuilding a projection from scratch would do to its documents now: a rebuild reads
/// what `$all` shows, so archived streams, truncated and compacted events drop out of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RebuildPreview {
    /// The projection.
    pub projection: String,
    /// Documents it holds now.
    pub now: usize,
    /// Documents a rebuild would leave.
    pub after: usize,
    /// Documents a rebuild would lose, first ones by id.
    pub lost: Vec<String>,
    /// How many it would lose.
    pub lost_total: usize,
    /// Documents it would keep with other contents.
    pub changed: usize,
}

/// How many streams and segments each list shows.
pub const LIFECYCLE_LISTED: usize = 12;

const GB: f64 = 1_073_741_824.0;

impl Workspace {
    /// The lifecycle page's view of the main module's store, costed with `costs`.
    pub fn lifecycle_view(&self, costs: &CostModel) -> LifecycleView {
        let store = self.services.main.store();
        let now = store.now_ms();
        let storage = store.storage();
        // Nothing here reads a stream: a read of an archived one would count as a cold read.
        let row = |id: &str| -> Option<LifecycleStream> {
            let stats = store.stream_stats(id)?;
            let (cold_events, cold_bytes) = store.stream_archive_only(id);
            let (last_event, last_ts) = store.stream_tail(id)?;
            Some(LifecycleStream {
                id: id.to_owned(),
                events: stats.events + cold_events,
                bytes: stats.bytes + cold_bytes,
                last_event: last_event.to_owned(),
                idle_ms: u64::try_from(now.saturating_sub(last_ts)).unwrap_or(0),
            })
        };
        let mut closed: Vec<LifecycleStream> = closed_streams(store).filter_map(|(id, _)| row(id)).collect();
        let mut longest: Vec<(u64, String)> = live_streams(store)
            .map(|(id, stats)| (stats.events + store.stream_archive_only(id).0, id.to_owned()))
            .collect();
        closed.sort_by(|a, b| b.idle_ms.cmp(&a.idle_ms).then_with(|| a.id.cmp(&b.id)));
        let closed_total = closed.len() as u64;
        closed.truncate(LIFECYCLE_LISTED);
        longest.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let longest = longest
            .iter()
            .take(LIFECYCLE_LISTED)
            .filter_map(|(_, id)| row(id))
            .collect();
        let archived = store
            .archived_streams()
            .into_iter()
            .take(LIFECYCLE_LISTED)
            .filter_map(row)
            .collect();
        let segments = store.segments();
        let segments_total = segments.len();
        let segments = segments.into_iter().rev().take(LIFECYCLE_LISTED).collect();
        LifecycleView {
            now_ms: now,
            costs: costed(&storage, costs),
            storage,
            closed,
            closed_total,
            archived,
            longest,
            segments,
            segments_total,
        }
    }

    /// Archives one stream of the main module.
    pub fn archive_stream(&mut self, stream_id: &str) -> Result<()> {
        Ok(self.services.main.store_mut().archive_stream(stream_id)?)
    }

    /// Brings an archived stream back.
    pub fn restore_stream(&mut self, stream_id: &str) -> Result<()> {
        Ok(self.services.main.store_mut().restore_stream(stream_id)?)
    }

    /// Archives every closed stream idle for at least `idle_ms`; returns how many.
    pub fn archive_closed(&mut self, idle_ms: u64) -> Result<u64> {
        let ids: Vec<String> = closed_streams(self.services.main.store())
            .filter(|&(_, idle)| idle >= idle_ms)
            .map(|(id, _)| id.to_owned())
            .collect();
        if ids.is_empty() {
            return Ok(0);
        }
        let store = self.services.main.store_mut();
        for id in &ids {
            store.archive_stream(id)?;
        }
        Ok(ids.len() as u64)
    }

    /// What a rebuild of `projection` from scratch would do now, replayed aside.
    pub fn rebuild_preview(&mut self, projection: &str) -> Result<RebuildPreview> {
        let rebuilt = self.services.main.documents_at(projection, u64::MAX)?;
        let live = self.services.main.documents(projection)?;
        let lost: Vec<&String> = live.keys().filter(|id| !rebuilt.contains_key(*id)).collect();
        let changed = rebuilt
            .iter()
            .filter(|(id, document)| live.get(*id).is_some_and(|now| now != *document))
            .count();
        Ok(RebuildPreview {
            projection: projection.to_owned(),
            now: live.len(),
            after: rebuilt.len(),
            lost_total: lost.len(),
            lost: lost.into_iter().take(LIFECYCLE_LISTED).cloned().collect(),
            changed,
        })
    }

    /// Sets the archiver up, or off with `None`.
    pub fn configure_archive(&mut self, settings: Option<ArchiveSettings>) -> Result<()> {
        Ok(self.services.main.store_mut().configure_archive(settings)?)
    }

    /// Uploads the complete segments.
    pub fn upload_segments(&mut self) -> Result<UploadReport> {
        Ok(self.services.main.store_mut().upload_segments()?)
    }

    /// Scavenges the main module's store.
    pub fn scavenge(&mut self) -> ScavengeReport {
        self.services.main.store_mut().scavenge()
    }

    /// Compacts a stream through a revision (its last when `None`).
    pub fn compact_stream(&mut self, stream_id: &str, through: Option<u64>) -> Result<CompactReport> {
        Ok(self.services.main.compact_stream(stream_id, through)?)
    }

    /// Appends a summary event to a stream and truncates before it.
    pub fn summarize_stream(&mut self, stream_id: &str) -> Result<SummaryReport> {
        Ok(self.services.main.summarize_stream(stream_id)?)
    }
}

/// The streams that hold events, not deleted and not archived, with their statistics.
fn live_streams(store: &Store) -> impl Iterator<Item = (&str, StreamStats)> {
    store.each_stream().filter(|(id, stats)| {
        !stats.tombstoned && !stats.soft_deleted && stats.last_revision.is_some() && !store.is_archived(id)
    })
}

/// The live streams whose last event ends a stream, each with how long it has been idle, in ms.
/// Nothing is read (a read of an archived copy would count as a cold read).
fn closed_streams(store: &Store) -> impl Iterator<Item = (&str, u64)> {
    let now = store.now_ms();
    live_streams(store).filter_map(move |(id, _)| {
        let (last, ts) = store.stream_tail(id)?;
        ends_a_stream(last).then(|| (id, u64::try_from(now.saturating_sub(ts)).unwrap_or(0)))
    })
}

impl CostModel {
    /// The simulated time `reads` added.
    pub fn cold_read_ms(&self, reads: ColdReads) -> u64 {
        reads.archived_stream_reads * self.archived_read_ms + reads.archive_fetches * self.archive_fetch_ms
    }
}

fn costed(storage: &Storage, model: &CostModel) -> Costs {
    let per = |bytes: u64, price: f64| bytes as f64 / GB * price;
    let hot = per(storage.hot_bytes, model.hot_per_gb_month);
    let archived = per(storage.archived_bytes, model.archived_per_gb_month);
    let archive = per(storage.uploaded_bytes, model.archive_per_gb_month);
    let reads = storage.reads;
    Costs {
        hot,
        archived,
        archive,
        total: hot + archived + archive,
        all_hot: per(
            storage.hot_bytes + storage.archived_bytes + storage.archive_only_bytes,
            model.hot_per_gb_month,
        ),
        cold_read_ms: model.cold_read_ms(reads),
    }
}
