//! The time-lapse: while a load generator runs the main module over simulated months, one sample
//! per simulated day of what the store and its read models became, for the lifecycle page's
//! charts; and the lifecycle policy applied as the days pass (closed streams archived after an
//! idle time, segments uploaded every day and scavenged every month).
//!
//! Samples follow the simulated clock, not the ticks: at each day's end the async projections and
//! policies catch up, so the same scenario, seed and generator give the same samples however the
//! run is sliced (but the projection lag, which is what the page's timer left).

use serde::{Deserialize, Serialize};

use super::Workspace;

/// A simulated day, in ms.
pub const DAY_MS: i64 = 86_400_000;

/// How many daily samples are kept: the last ten years.
const MAX_SAMPLES: usize = 3_650;

/// The store and its read models at the end of one simulated day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaySample {
    /// The day, counted from the day of the first sample.
    pub day: u64,
    /// Events appended that day.
    pub events: u64,
    /// Events in the store, locally or only in its archive.
    pub total_events: u64,
    /// Payload bytes in the hot tier.
    pub hot_bytes: u64,
    /// Payload bytes in archived streams and only in the archive.
    pub cold_bytes: u64,
    /// The longest stream's events.
    pub longest_stream: u64,
    /// The largest lag of a projection at the day's end, as the page's timer left it (the only
    /// figure that depends on how fast the page ran; the async work then catches up).
    pub projection_lag: u64,
    /// Appends refused as conflicts so far.
    pub conflicts: u64,
}

/// What the lifecycle policy does as the simulated days pass; every part is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecyclePolicy {
    /// Archive closed streams once idle this many days.
    pub archive_closed_after_days: Option<u64>,
    /// Upload complete segments every day (needs the archiver set up).
    pub upload_daily: bool,
    /// Scavenge every this many days.
    pub scavenge_every_days: Option<u64>,
}

/// The samples so far and where the next day ends.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimeLapse {
    samples: Vec<DaySample>,
    /// The first sampled day, in days since the epoch of the simulated clock.
    first_day: Option<i64>,
    /// The last day sampled, in days since the epoch.
    last_day: Option<i64>,
    /// Events in the store at the last sample.
    last_total: u64,
}

impl Workspace {
    /// The daily samples so far, oldest first.
    pub fn time_lapse(&self) -> &[DaySample] {
        &self.time_lapse.samples
    }

    /// Forgets the samples: the next day starts a new time-lapse.
    pub fn clear_time_lapse(&mut self) {
        self.time_lapse = TimeLapse::default();
    }

    /// The lifecycle policy the days apply: the scenario's, so that it is saved and exported
    /// with it; none when it has none (or one this version does not read).
    pub fn lifecycle_policy(&self) -> LifecyclePolicy {
        self.scenario
            .settings
            .lifecycle
            .as_ref()
            .and_then(|policy| LifecyclePolicy::deserialize(policy).ok())
            .unwrap_or_default()
    }

    /// Sets the lifecycle policy the days apply from now on.
    pub fn set_lifecycle_policy(&mut self, policy: LifecyclePolicy) {
        self.scenario.settings.lifecycle =
            (policy != LifecyclePolicy::default()).then(|| serde_json::to_value(policy).unwrap_or_default());
    }

    /// Starts the time-lapse over at the simulated clock's day (a generator started).
    pub(crate) fn restart_time_lapse(&mut self) {
        let today = self.services.main.store().now_ms().div_euclid(DAY_MS);
        self.time_lapse = TimeLapse {
            first_day: Some(today),
            last_day: Some(today - 1),
            last_total: self.event_count(),
            ..TimeLapse::default()
        };
    }

    /// Closes every simulated day up to and including `day` not closed yet: the policy runs
    /// for it, then it is sampled. Days with nothing in them get a sample each all the same.
    pub(crate) fn close_days_through(&mut self, day: i64) {
        let Some(last) = self.time_lapse.last_day else { return };
        // A move of years keeps only the days a sample is kept for.
        let first = (last + 1).max(day.saturating_sub(MAX_SAMPLES as i64 - 1));
        for closing in first..=day {
            // The lag as the page's timer left it; then the async work catches up, so what the
            // day appended does not depend on how the run was sliced.
            let lag = self.projection_lag();
            self.services.main.run_until_idle();
            self.apply_policy(closing);
            self.push_sample(closing, lag);
        }
        self.time_lapse.last_day = Some(last.max(day));
    }

    fn apply_policy(&mut self, day: i64) {
        let policy = self.lifecycle_policy();
        let first = self.time_lapse.first_day.unwrap_or(day);
        if let Some(days) = policy.archive_closed_after_days {
            let _ = self.archive_closed(days.saturating_mul(DAY_MS as u64));
        }
        // The store is taken for writing only when something is done: a change through
        // `store_mut` makes the findings start over.
        if policy.upload_daily && self.services.main.store().archive_settings().is_some() {
            let _ = self.services.main.store_mut().upload_segments();
        }
        if let Some(every) = policy.scavenge_every_days.filter(|d| *d > 0) {
            if u64::try_from(day - first).unwrap_or(0).is_multiple_of(every) {
                self.services.main.store_mut().scavenge();
            }
        }
    }

    fn projection_lag(&self) -> u64 {
        self.services
            .main
            .projections()
            .iter()
            .map(|p| p.lag)
            .max()
            .unwrap_or(0)
    }

    fn push_sample(&mut self, day: i64, lag: u64) {
        let store = self.services.main.store();
        let storage = store.storage();
        let total = self.event_count();
        let longest = store
            .category_names()
            .filter_map(|c| store.category_stats(c))
            .map(|c| c.max_stream_length)
            .max()
            .unwrap_or(0);
        let conflicts = store.conflicted_streams().map(|(_, n)| n).sum();
        let lapse = &mut self.time_lapse;
        let first = lapse.first_day.unwrap_or(day);
        let sample = DaySample {
            day: u64::try_from(day - first).unwrap_or(0),
            events: total.saturating_sub(lapse.last_total),
            total_events: total,
            hot_bytes: storage.hot_bytes,
            cold_bytes: storage.archived_bytes + storage.archive_only_bytes,
            longest_stream: longest,
            projection_lag: lag,
            conflicts,
        };
        lapse.last_total = total;
        if lapse.samples.len() == MAX_SAMPLES {
            lapse.samples.remove(0);
        }
        lapse.samples.push(sample);
    }
}
