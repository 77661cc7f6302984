//! Stream rules: `oversized-stream`, `oversized-stream-bytes` and `throwing-evolve` on one stream,
//! `stream-without-lifecycle` on one stream type.

use super::super::rules::{
    OVERSIZED_STREAM, OVERSIZED_STREAM_BYTES, STREAM_GROWTH, STREAM_WITHOUT_LIFECYCLE, THROWING_EVOLVE,
};
use super::super::{Finding, Severity, Subject, Thresholds};
use crate::model::{missing_path, Model, StreamType};
use crate::script::Sandbox;
use crate::sim::decider::{self, Fold};
use crate::sim::FoldCache;
use crate::sim::{Envelope, Error};
use crate::store::{Direction, Store, StoreStats, StreamStats};

/// Event-type name endings that mark the end of a stream's life.
const TERMINAL_SUFFIXES: [&str; 13] = [
    "Closed",
    "Completed",
    "Finished",
    "Archived",
    "Cancelled",
    "CheckedOut",
    "Confirmed",
    "Ended",
    "Summarized",
    "Summary",
    "Expired",
    "Deleted",
    "Shipped",
];

/// `oversized-stream`: the stream's event count against the `stream_events` levels.
pub(crate) fn oversized(thresholds: &Thresholds, id: &str, stats: &StreamStats) -> Option<Finding> {
    if !thresholds.enabled(OVERSIZED_STREAM.code) || !live(stats) {
        return None;
    }
    let severity = thresholds.stream_events.severity(stats.events)?;
    let message = format!(
        "stream {id} holds {} events (threshold {})",
        stats.events,
        level(&thresholds.stream_events, severity)
    );
    Some(Finding::new(&OVERSIZED_STREAM, severity, stream(id), message))
}

/// `oversized-stream-bytes`: the stream's payload bytes against the `stream_bytes` levels.
pub(crate) fn oversized_bytes(thresholds: &Thresholds, id: &str, stats: &StreamStats) -> Option<Finding> {
    if !thresholds.enabled(OVERSIZED_STREAM_BYTES.code) || !live(stats) {
        return None;
    }
    let severity = thresholds.stream_bytes.severity(stats.bytes)?;
    let message = format!(
        "stream {id} holds {} payload bytes in {} events (threshold {})",
        stats.bytes,
        stats.events,
        level(&thresholds.stream_bytes, severity)
    );
    Some(Finding::new(&OVERSIZED_STREAM_BYTES, severity, stream(id), message))
}

/// `stream-growth`: at the rate the stream grew from its first to its last event (simulated
/// clock), it reaches the next `oversized-stream` level within `growth_horizon_ms`. Info, or a
/// warning when that level is critical; nothing past the last level (`oversized-stream` says it).
pub(crate) fn growth(thresholds: &Thresholds, id: &str, stats: &StreamStats) -> Option<Finding> {
    if !thresholds.enabled(STREAM_GROWTH.code) || !live(stats) || stats.events < thresholds.growth_min_events {
        return None;
    }
    let span_ms = stats.last_timestamp_ms? - stats.first_timestamp_ms?;
    if span_ms <= 0 {
        return None;
    }
    let levels = &thresholds.stream_events;
    let (next, severity) = [
        (levels.info, Severity::Info),
        (levels.warning, Severity::Info),
        (levels.critical, Severity::Warning),
    ]
    .into_iter()
    .find(|(level, _)| *level > stats.events)?;
    let per_ms = (stats.events - 1) as f64 / span_ms as f64;
    let eta_ms = (next - stats.events) as f64 / per_ms;
    if eta_ms > thresholds.growth_horizon_ms as f64 {
        return None;
    }
    let per_day = per_ms * super::super::thresholds::DAY_MS as f64;
    let message = format!(
        "stream {id} grows by {per_day:.0} events per simulated day ({} now): at this rate it reaches {next} events in {}",
        stats.events,
        duration(eta_ms)
    );
    Some(Finding::new(&STREAM_GROWTH, severity, stream(id), message))
}

/// A duration in simulated ms, in words: `40 s`, `12 min`, `5 h`, `3 days`.
pub(crate) fn duration(ms: f64) -> String {
    let seconds = ms / 1000.0;
    if seconds < 90.0 {
        format!("{:.0} s", seconds.max(1.0))
    } else if seconds < 90.0 * 60.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 36.0 * 3600.0 {
        format!("{:.0} h", seconds / 3600.0)
    } else {
        format!("{:.0} days", seconds / 86_400.0)
    }
}

/// `stream-without-lifecycle`: none of the event types the decider names looks like an end, and
/// the category's longest stream holds at least `lifecycle_events` events (constant time: the
/// store keeps each category's longest stream).
pub(crate) fn without_lifecycle(
    model: &Model,
    store: &Store,
    thresholds: &Thresholds,
    stream_type: &StreamType,
) -> Option<Finding> {
    // Closing the books is a lifecycle: every period's stream ends.
    if !thresholds.enabled(STREAM_WITHOUT_LIFECYCLE.code) || stream_type.periods.is_some() {
        return None;
    }
    // The counters first: this runs after every command, and reading the script costs more.
    let category = store.category_stats(stream_type.category())?;
    let longest = category
        .longest_stream
        .filter(|_| category.max_stream_length >= thresholds.lifecycle_events)?;
    let named = event_types_named(model, &stream_type.script);
    if named.iter().any(|name| ends_a_stream(name)) {
        return None;
    }
    let message = format!(
        "none of the {} event types of {} ({}) ends a stream, and {longest} holds {} events (threshold {})",
        named.len(),
        stream_type.name,
        named.join(", "),
        category.max_stream_length,
        thresholds.lifecycle_events
    );
    let subject = Subject::StreamType {
        name: stream_type.name.clone(),
    };
    Some(Finding::new(
        &STREAM_WITHOUT_LIFECYCLE,
        Severity::Warning,
        subject,
        message,
    ))
}

/// `throwing-evolve`: folding the whole stream with its stream type's `evolve` fails. Streams no
/// stream type owns pass; events with no upcaster path are left out of the fold
/// (`missing-upcaster` reports them), so `evolve` is still tried on the rest.
///
/// `folds` keeps each stream's folded state (shared with the runtime's commands when the runtime
/// lints): when the state still starts at the stream's first readable revision, only the events
/// after it are read and folded, so a batch costs its own length in `evolve` calls.
pub(crate) fn throwing_evolve(
    model: &Model,
    store: &Store,
    thresholds: &Thresholds,
    sandbox: &mut Sandbox,
    folds: &mut FoldCache,
    id: &str,
) -> Option<Finding> {
    // An archived stream takes no command, and reading it is a cold read: it is not folded.
    if !thresholds.enabled(THROWING_EVOLVE.code) || store.is_archived(id) {
        return None;
    }
    let stream_type = model.stream_type_of(id)?;
    let kept = folds
        .take(id)
        .filter(|f| f.starts_at(decider::first_readable(store, id)));
    if let Some(kept) = kept {
        let tail = readable_history(model, store, id, kept.next_revision())?;
        if let Ok(Some(fold)) = kept.continued(model, sandbox, stream_type, &tail) {
            folds.keep(id, fold);
            return None;
        }
    }
    let history = readable_history(model, store, id, 0)?;
    if let Ok(fold) = Fold::fresh(model, sandbox, stream_type, &history) {
        folds.keep(id, fold);
        return None;
    }
    // The slower located path says where a limit was hit; it fails the same way otherwise.
    match decider::state_after(model, sandbox, stream_type, &history) {
        Err(Error::Script(error)) if error.function.as_deref() == Some("evolve") => {
            let message = format!(
                "evolve of {} fails on stream {id} ({} events): {error}",
                stream_type.name,
                history.len()
            );
            Some(Finding::new(&THROWING_EVOLVE, Severity::Critical, stream(id), message))
        }
        _ => None,
    }
}

/// The stream's readable events from `from` on that have an upcaster path to their current
/// version; `None` when the stream cannot be read.
fn readable_history(model: &Model, store: &Store, id: &str, from: u64) -> Option<Vec<Envelope>> {
    let mut history = Vec::new();
    store
        .read_stream_raw(id, from, usize::MAX, Direction::Forwards, |e| {
            if missing_path(model, e.event_type, e.schema_version).is_none() {
                history.push(Envelope::from_raw(&e));
            }
        })
        .ok()?;
    Some(history)
}

/// The ids of the `n` longest streams that a stream type owns, longest first.
pub(crate) fn longest<'s>(model: &Model, stats: &'s StoreStats, n: usize) -> Vec<&'s str> {
    let mut owned: Vec<(&str, u64)> = stats
        .streams
        .iter()
        .filter(|(id, s)| live(s) && model.stream_type_of(id).is_some())
        .map(|(id, s)| (id.as_str(), s.events))
        .collect();
    owned.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    owned.into_iter().take(n).map(|(id, _)| id).collect()
}

/// The event types a decider script names: quoted CamelCase words that are not command names.
pub(crate) fn event_types_named<'s>(model: &Model, script: &'s str) -> Vec<&'s str> {
    let mut names: Vec<&str> = script
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|word| {
            word.starts_with(|c: char| c.is_ascii_uppercase())
                && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && (model.event_type(word).is_some() || model.command(word).is_none())
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

pub(crate) fn ends_a_stream(event_type: &str) -> bool {
    TERMINAL_SUFFIXES.iter().any(|suffix| event_type.ends_with(suffix))
}

/// Whether the stream is a runtime cost: reads can see it (it is not deleted) and commands reach
/// it (it is not archived).
fn live(stats: &StreamStats) -> bool {
    !stats.soft_deleted && !stats.tombstoned && !stats.archived
}

fn level(levels: &super::super::Levels, severity: Severity) -> u64 {
    match severity {
        Severity::Info => levels.info,
        Severity::Warning => levels.warning,
        Severity::Critical => levels.critical,
    }
}

fn stream(id: &str) -> Subject {
    Subject::Stream { id: id.to_owned() }
}
