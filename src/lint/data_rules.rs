//! Rules that read the store (and run the model over it).
//!
//! Each rule is a function of one subject (a stream, a stream type, a category, an event type, a
//! projection) or of the recent traffic, so that [`super::Linter`] can recompute only what an
//! append changed. The per-stream numbers come from the store's running statistics in constant
//! time; what needs the events themselves reads them once into a [`Tally`] (event types and
//! versions, and the types in each category), which the linter then moves forward with each batch.
//!
//! Files: `data_rules/streams.rs` (`oversized-stream`, `oversized-stream-bytes`,
//! `stream-without-lifecycle`, `throwing-evolve`), `data_rules/traffic.rs` (`hot-stream`,
//! `category-for-everything`, `missing-upcaster` and the [`Tally`]), `data_rules/projections.rs`
//! (`non-idempotent-projection`).

mod projections;
mod streams;
mod traffic;

pub(crate) use projections::non_idempotent;
pub(crate) use streams::{oversized, oversized_bytes, throwing_evolve, without_lifecycle};
pub(crate) use traffic::{category_for_everything, hot_streams, missing_upcaster, Tally};

use super::{Finding, Thresholds};
use crate::model::{Model, ProjectionLogic};
use crate::script::{Limits, Sandbox};
use crate::store::Store;

/// How many of the longest streams a full pass folds for `throwing-evolve`.
pub(crate) const FOLDED_STREAMS: usize = 50;

/// What a full pass leaves behind for the incremental one.
pub(crate) struct State {
    /// The event types, versions and categories read so far.
    pub(crate) tally: Tally,
    /// Scripted projections whose idempotency sample is not full yet: new events can change it.
    pub(crate) unsampled: Vec<String>,
}

/// Every finding of the data rules that are switched on.
///
/// Cost: one read of `$all` (no payload is parsed), the store's statistics, the last
/// `hot_window` events, a fold of the [`FOLDED_STREAMS`] longest streams of a stream type
/// (`throwing-evolve` looks no further, to stay cheap), and up to 20 events twice per scripted
/// projection.
pub(crate) fn check(model: &Model, store: &Store, thresholds: &Thresholds) -> Vec<Finding> {
    check_with_state(model, store, thresholds, &mut Sandbox::new(Limits::default(), 0)).0
}

/// [`check`] with the linter's sandbox, also returning what it needs to go on incrementally.
pub(crate) fn check_with_state(
    model: &Model,
    store: &Store,
    thresholds: &Thresholds,
    sandbox: &mut Sandbox,
) -> (Vec<Finding>, State) {
    let stats = store.stats();
    let mut findings = Vec::new();
    for (id, stream) in &stats.streams {
        findings.extend(oversized(thresholds, id, stream));
        findings.extend(oversized_bytes(thresholds, id, stream));
    }
    for stream_type in &model.stream_types {
        findings.extend(without_lifecycle(model, store, thresholds, stream_type));
    }
    findings.extend(hot_streams(store, thresholds));
    let mut tally = Tally::default();
    tally.catch_up(store);
    for category in tally.categories() {
        findings.extend(category_for_everything(store, thresholds, &tally, category));
    }
    for event_type in tally.event_types() {
        findings.extend(missing_upcaster(model, thresholds, &tally, event_type));
    }
    for id in streams::longest(model, &stats, FOLDED_STREAMS) {
        findings.extend(throwing_evolve(model, store, thresholds, sandbox, id));
    }
    let mut unsampled = Vec::new();
    for projection in &model.projections {
        if let ProjectionLogic::Script(_) = projection.logic {
            let (finding, full) = non_idempotent(model, store, thresholds, sandbox, projection);
            findings.extend(finding);
            if !full {
                unsampled.push(projection.name.clone());
            }
        }
    }
    (findings, State { tally, unsampled })
}
