//! [`Linter`]: findings kept between append batches.

use std::collections::BTreeSet;

use super::data_rules::{self, State};
use super::finding::{self, Rule};
use super::rules::{
    CATEGORY_FOR_EVERYTHING, HOT_STREAM, MISSING_UPCASTER, NON_IDEMPOTENT_PROJECTION, OVERSIZED_STREAM,
    OVERSIZED_STREAM_BYTES, STREAM_WITHOUT_LIFECYCLE, THROWING_EVOLVE,
};
use super::{model_rules, Finding, Subject, Thresholds};
use crate::model::Model;
use crate::script::{Limits, Sandbox};
use crate::store::{category_of, Store};

/// The findings of a running scenario, updated after each append batch.
///
/// [`Linter::after_append`] costs what the batch touched, not what the store holds: see there.
/// Anything else that changes what reads see (a model change, a delete, new stream metadata, a
/// scavenge) calls for [`Linter::relint`].
pub struct Linter {
    thresholds: Thresholds,
    findings: Vec<Finding>,
    state: State,
    /// A fresh sandbox per full pass, kept between batches so that scripts compile once.
    sandbox: Sandbox,
}

impl Linter {
    /// Lints everything once: the cost of [`super::lint`] (one read of `$all`, among others).
    pub fn new(model: &Model, store: &Store, thresholds: Thresholds) -> Self {
        let mut sandbox = Sandbox::new(Limits::default(), 0);
        let (findings, state) = full(model, store, &thresholds, &mut sandbox);
        Linter {
            thresholds,
            findings,
            state,
            sandbox,
        }
    }

    /// The current findings, sorted by id.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// Lints everything again, e.g. after a model change.
    pub fn relint(&mut self, model: &Model, store: &Store) {
        self.sandbox = Sandbox::new(Limits::default(), 0);
        let (findings, state) = full(model, store, &self.thresholds, &mut self.sandbox);
        self.findings = findings;
        self.state = state;
    }

    /// Recomputes what appending to `streams` can have changed, and leaves the rest:
    ///
    /// - per appended stream: `oversized-stream`, `oversized-stream-bytes` (constant time) and
    ///   `throwing-evolve` (a fold of the stream: its length in `evolve` calls);
    /// - `hot-stream`: a read of the last `hot_window` events;
    /// - the events appended since the last call (read once from `$all`): `missing-upcaster` for
    ///   their types and `category-for-everything` for their categories;
    /// - `stream-without-lifecycle` for the streams' stream types (constant time each);
    /// - `non-idempotent-projection` only for projections that had fewer than 20 events to sample.
    ///
    /// The fold dominates: about 6 µs per stored event of the stream with the shopping-cart
    /// decider, so a batch to a 100-event stream costs about 1.1 ms in all (`examples/lint_bench.rs`).
    ///
    /// Findings are replaced in place by id, so the list stays sorted and a batch that changes no
    /// finding moves nothing.
    pub fn after_append(&mut self, model: &Model, store: &Store, streams: &[&str]) {
        let thresholds = &self.thresholds;
        let sandbox = &mut self.sandbox;
        let mut ids: Vec<&str> = streams.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut updates = Vec::new();
        for &id in &ids {
            let stats = store.stream_stats(id);
            let subject = || Subject::Stream { id: id.to_owned() };
            let oversized = stats.as_ref().and_then(|s| data_rules::oversized(thresholds, id, s));
            updates.push((id_of(&OVERSIZED_STREAM, &subject()), oversized));
            let bytes = stats
                .as_ref()
                .and_then(|s| data_rules::oversized_bytes(thresholds, id, s));
            updates.push((id_of(&OVERSIZED_STREAM_BYTES, &subject()), bytes));
            let throwing = data_rules::throwing_evolve(model, store, thresholds, sandbox, id);
            updates.push((id_of(&THROWING_EVOLVE, &subject()), throwing));
        }
        let stream_types: BTreeSet<&str> = ids
            .iter()
            .filter_map(|id| model.stream_type_of(id))
            .map(|t| t.name.as_str())
            .collect();
        for stream_type in model
            .stream_types
            .iter()
            .filter(|t| stream_types.contains(t.name.as_str()))
        {
            let subject = Subject::StreamType {
                name: stream_type.name.clone(),
            };
            let finding = data_rules::without_lifecycle(model, store, thresholds, stream_type);
            updates.push((id_of(&STREAM_WITHOUT_LIFECYCLE, &subject), finding));
        }
        let mut touched = self.state.tally.catch_up(store);
        touched
            .categories
            .extend(ids.iter().map(|id| category_of(id).to_owned()));
        for category in &touched.categories {
            let subject = Subject::Category { name: category.clone() };
            let finding = data_rules::category_for_everything(store, thresholds, &self.state.tally, category);
            updates.push((id_of(&CATEGORY_FOR_EVERYTHING, &subject), finding));
        }
        for event_type in &touched.event_types {
            let subject = Subject::EventType {
                name: event_type.clone(),
            };
            let finding = data_rules::missing_upcaster(model, thresholds, &self.state.tally, event_type);
            updates.push((id_of(&MISSING_UPCASTER, &subject), finding));
        }
        let mut still_unsampled = Vec::new();
        for name in &self.state.unsampled {
            let Some(projection) = model.projection(name) else {
                continue;
            };
            let (finding, full) = data_rules::non_idempotent(model, store, thresholds, sandbox, projection);
            let subject = Subject::Projection { name: name.clone() };
            updates.push((id_of(&NON_IDEMPOTENT_PROJECTION, &subject), finding));
            if !full {
                still_unsampled.push(name.clone());
            }
        }
        self.state.unsampled = still_unsampled;
        for (id, finding) in updates {
            set(&mut self.findings, &id, finding);
        }
        let hot = data_rules::hot_streams(store, &self.thresholds);
        replace_code(&mut self.findings, &HOT_STREAM, hot);
    }
}

fn full(model: &Model, store: &Store, thresholds: &Thresholds, sandbox: &mut Sandbox) -> (Vec<Finding>, State) {
    let mut findings = model_rules::check(model, thresholds);
    let (data, state) = data_rules::check_with_state(model, store, thresholds, sandbox);
    findings.extend(data);
    (finding::sorted(findings), state)
}

/// The id [`Finding::new`] gives a finding of `rule` on `subject`.
fn id_of(rule: &Rule, subject: &Subject) -> String {
    format!("{}:{subject}", rule.code)
}

/// Puts `finding` under `id` in the sorted list, or removes what is there when it is `None`.
fn set(findings: &mut Vec<Finding>, id: &str, finding: Option<Finding>) {
    match (findings.binary_search_by(|f| f.id.as_str().cmp(id)), finding) {
        (Ok(at), Some(finding)) => findings[at] = finding,
        (Ok(at), None) => {
            findings.remove(at);
        }
        (Err(at), Some(finding)) => findings.insert(at, finding),
        (Err(_), None) => {}
    }
}

/// Replaces every finding of `rule` with `new` (a short run: ids of one rule sort together).
fn replace_code(findings: &mut Vec<Finding>, rule: &Rule, mut new: Vec<Finding>) {
    let prefix = format!("{}:", rule.code);
    let start = findings.partition_point(|f| f.id.as_str() < prefix.as_str());
    let end = start + findings[start..].partition_point(|f| f.id.starts_with(&prefix));
    let unchanged =
        findings[start..end].len() == new.len() && findings[start..end].iter().zip(&new).all(|(old, new)| old == new);
    if !unchanged {
        new.sort_by(|a, b| a.id.cmp(&b.id));
        findings.splice(start..end, new);
    }
}
