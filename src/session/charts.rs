//! What the charts page draws: stream lengths in doubling buckets, events per type, growth over
//! simulated time and each projection's lag, read from the store's counters and one pass over `$all`.

use super::{listing, Workspace};
use crate::store::{Direction, Source};

/// How many points the growth chart has at most.
const GROWTH_POINTS: usize = 200;

/// What the charts page draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartData {
    /// Streams by length: `(bucket label, streams)`, e.g. `("5–8", 12)`.
    pub stream_lengths: Vec<(String, u64)>,
    /// Stored events per event type.
    pub per_type: Vec<(String, u64)>,
    /// Events stored over simulated time: `(timestamp ms, events so far)`.
    pub growth: Vec<(i64, u64)>,
    /// Each projection's lag, in events.
    pub lags: Vec<(String, u64)>,
}

/// Stream lengths in buckets that double: `1`, `2`, `3–4`, `5–8`, …, up to the longest.
pub fn histogram(lengths: &[u64]) -> Vec<(String, u64)> {
    let Some(&longest) = lengths.iter().max() else {
        return Vec::new();
    };
    let mut buckets: Vec<(u64, u64, u64)> = Vec::new();
    let (mut low, mut high) = (1u64, 1u64);
    while low <= longest {
        buckets.push((low, high, 0));
        low = high + 1;
        high = high.saturating_mul(2);
    }
    for &length in lengths {
        if let Some(bucket) = buckets.iter_mut().find(|(lo, hi, _)| (*lo..=*hi).contains(&length)) {
            bucket.2 += 1;
        }
    }
    buckets
        .into_iter()
        .map(|(lo, hi, n)| {
            (
                if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo}–{hi}")
                },
                n,
            )
        })
        .collect()
}

impl Workspace {
    /// What the charts show, read from the store's counters and one pass over `$all`.
    pub fn chart_data(&self) -> ChartData {
        let store = self.services.main.store();
        let lengths: Vec<u64> = store
            .each_stream()
            .filter(|(_, s)| listing::shown(s))
            .map(|(_, s)| s.events)
            .collect();
        let mut per_type: Vec<(String, u64)> = store
            .each_event_type()
            .map(|(name, t)| (name.to_owned(), t.events))
            .collect();
        per_type.sort_unstable();
        let mut growth: Vec<(i64, u64)> = Vec::new();
        let total = store.next_position().max(1);
        let every = total.div_ceil(GROWTH_POINTS as u64).max(1);
        let mut seen = 0u64;
        let _ = store.read_raw(Source::All, 0, usize::MAX, Direction::Forwards, |event| {
            seen += 1;
            if seen.is_multiple_of(every) || event.position + 1 == total {
                growth.push((event.timestamp_ms, seen));
            }
        });
        let lags = self
            .services
            .main
            .projections()
            .into_iter()
            .map(|p| (p.name, p.lag))
            .collect();
        ChartData {
            stream_lengths: histogram(&lengths),
            per_type,
            growth,
            lags,
        }
    }
}
