//! Rules that read the store (and run the model over it).
//!
//! Each rule is a function of one subject (a stream, a stream type, a category, an event type, a
//! projection) or of the recent traffic, so that [`super::Linter`] can recompute only what an
//! append changed. The per-stream numbers come from the store's running statistics in constant
//! time; what needs the events themselves reads them once into a [`Tally`] (event types and
//! versions, the types in each category, what each command appended) and a [`Window`] of the last
//! appends, which the linter then moves forward with each batch.
//!
//! Files: `data_rules/streams.rs` (`oversized-stream`, `oversized-stream-bytes`, `stream-growth`,
//! `stream-without-lifecycle`, `throwing-evolve`), `data_rules/writes.rs` (`unchecked-append`,
//! `pii-without-retention`), `data_rules/traffic.rs` (`hot-stream`, `category-for-everything`,
//! `missing-upcaster`, `crud-command-pair`, the [`Tally`] and the [`Window`]),
//! `data_rules/projections.rs` (`non-idempotent-projection`).

mod projections;
mod streams;
mod traffic;
mod writes;

pub(crate) use projections::{non_idempotent, stopped};
pub(crate) use streams::{
    ends_a_stream, event_types_named, growth, oversized, oversized_bytes, throwing_evolve, without_lifecycle,
};
pub(crate) use traffic::{category_for_everything, crud_command_pair, hot_streams, missing_upcaster, Tally, Window};
pub(crate) use writes::{pii_without_retention, unchecked_append};

use super::finding::Rule;
use super::{rules, Finding, Thresholds};
use crate::model::{Model, ProjectionLogic, StreamType};
use crate::script::{Limits, Sandbox};
use crate::sim::FoldCache;
use crate::store::{Store, StreamStats};

/// How many of the longest streams a full pass folds for `throwing-evolve`.
pub(crate) const FOLDED_STREAMS: usize = 50;

/// What a full pass leaves behind for the incremental one.
pub(crate) struct State {
    /// The event types, versions, categories and commands read so far.
    pub(crate) tally: Tally,
    /// The stream ids of the last `hot_window` events.
    pub(crate) window: Window,
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
    let mut sandbox = Sandbox::new(Limits::default(), 0);
    check_with_state(model, store, thresholds, &mut sandbox, &mut FoldCache::bounded(0)).0
}

/// [`check`] with the linter's sandbox and fold cache, also returning what it needs to go on
/// incrementally.
pub(crate) fn check_with_state(
    model: &Model,
    store: &Store,
    thresholds: &Thresholds,
    sandbox: &mut Sandbox,
    folds: &mut FoldCache,
) -> (Vec<Finding>, State) {
    let stats = store.stats();
    let mut findings = Vec::new();
    for (id, stream) in &stats.streams {
        findings.extend(STREAM_RULES.iter().filter_map(|(_, rule)| rule(thresholds, id, stream)));
    }
    for stream_type in &model.stream_types {
        findings.extend(
            STREAM_TYPE_RULES
                .iter()
                .filter_map(|(_, rule)| rule(model, store, thresholds, stream_type)),
        );
    }
    let mut tally = Tally::default();
    tally.catch_up(store, None);
    let window = Window::read(store, thresholds.hot_window);
    findings.extend(hot_streams(store, thresholds, &window));
    for category in tally.categories() {
        findings.extend(category_for_everything(store, thresholds, &tally, category));
    }
    for event_type in tally.event_types() {
        findings.extend(missing_upcaster(model, thresholds, &tally, event_type));
    }
    for command in tally.commands() {
        findings.extend(crud_command_pair(thresholds, &tally, command));
    }
    for id in streams::longest(model, &stats, FOLDED_STREAMS) {
        findings.extend(throwing_evolve(model, store, thresholds, sandbox, folds, id));
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
    let state = State {
        tally,
        window,
        unsampled,
    };
    (findings, state)
}

/// A rule on one stream's running statistics (constant time).
pub(crate) type StreamRule = fn(&Thresholds, &str, &StreamStats) -> Option<Finding>;

/// The rules on one stream's statistics, run for every stream in a full pass and for the
/// appended streams after a batch.
pub(crate) const STREAM_RULES: [(&Rule, StreamRule); 3] = [
    (&rules::OVERSIZED_STREAM, oversized),
    (&rules::OVERSIZED_STREAM_BYTES, oversized_bytes),
    (&rules::STREAM_GROWTH, growth),
];

/// A rule on one stream type that reads the store's running statistics in constant time.
pub(crate) type StreamTypeRule = fn(&Model, &Store, &Thresholds, &StreamType) -> Option<Finding>;

/// The rules on stream types: cheap enough to run for every stream type after each batch (the
/// clock moves for all of them).
pub(crate) const STREAM_TYPE_RULES: [(&Rule, StreamTypeRule); 3] = [
    (&rules::STREAM_WITHOUT_LIFECYCLE, without_lifecycle),
    (&rules::UNCHECKED_APPEND, |_, store, thresholds, stream_type| {
        unchecked_append(store, thresholds, stream_type)
    }),
    (&rules::PII_WITHOUT_RETENTION, pii_without_retention),
];
