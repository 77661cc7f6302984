//! [`Linter`]: findings kept between append batches.

use super::data_rules::{self, State};
use super::finding::{self, Rule};
use super::rules::{
    CATEGORY_FOR_EVERYTHING, CRUD_COMMAND_PAIR, HOT_STREAM, MISSING_UPCASTER, NON_IDEMPOTENT_PROJECTION,
    STOPPED_PROJECTION, THROWING_EVOLVE,
};
use super::system_rules::{self, Lab};
use super::{model_rules, Finding, Subject, Thresholds};
use crate::model::{Model, Scenario};
use crate::script::{Limits, Sandbox};
use crate::sim::{FoldCache, ProjectionStatus, Shared};
use crate::store::{category_of, Store};

/// The findings of a running scenario, updated after each append batch.
///
/// [`Linter::after_append`] costs what the batch touched, not what the store holds: see there.
/// Anything else that changes what reads see (a model change, a delete, new stream metadata, a
/// scavenge) calls for [`Linter::relint`]. A linter made [`Linter::with_system`] has the
/// system's findings among its own too.
pub struct Linter {
    kept: Kept,
    /// A fresh sandbox per full pass, kept between batches so that scripts compile once.
    sandbox: Sandbox,
    /// Streams' folded states, so `throwing-evolve` folds only what a batch appended.
    folds: FoldCache,
    /// The scenario's system and its findings, when it has one.
    system: Option<SystemKept>,
}

/// A system's definitions and the findings of the system rules on them: they change only with
/// the definitions, never with an append.
struct SystemKept {
    lab: Lab,
    findings: Vec<Finding>,
}

/// What the linter keeps between batches besides the sandbox and the folds, so that a batch can
/// borrow those from the runtime instead.
struct Kept {
    thresholds: Thresholds,
    findings: Vec<Finding>,
    state: State,
}

/// How many folded stream states a linter keeps on its own; past this it starts over.
const MAX_FOLDS: usize = 20_000;

impl Linter {
    /// Lints everything once: the cost of [`super::lint`] (one read of `$all`, among others).
    pub fn new(model: &Model, store: &Store, thresholds: Thresholds) -> Self {
        let mut sandbox = Sandbox::new(Limits::default(), 0);
        let mut folds = FoldCache::bounded(MAX_FOLDS);
        let (findings, state) = full(model, store, &thresholds, &mut sandbox, &mut folds);
        Linter {
            kept: Kept {
                thresholds,
                findings,
                state,
            },
            sandbox,
            folds,
            system: None,
        }
    }

    /// Lints the scenario's system too (see [`super::lint_system`]), now and at each relint
    /// whose model differs from the one it last linted with; a scenario without a system adds
    /// nothing and costs nothing. `scenario`'s model is the one this linter lints.
    pub fn with_system(mut self, scenario: &Scenario) -> Self {
        if let Some(lab) = Lab::new(scenario) {
            let findings = system_rules::check(&lab, &self.kept.thresholds);
            self.kept.findings.extend(findings.iter().cloned());
            self.kept.findings = finding::sorted(std::mem::take(&mut self.kept.findings));
            self.system = Some(SystemKept { lab, findings });
        }
        self
    }

    /// The current findings, sorted by id.
    pub fn findings(&self) -> &[Finding] {
        &self.kept.findings
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> &Thresholds {
        &self.kept.thresholds
    }

    /// Lints everything again, e.g. after a model change.
    pub fn relint(&mut self, model: &Model, store: &Store) {
        self.sandbox = Sandbox::new(Limits::default(), 0);
        self.folds.clear();
        let (mut findings, state) = full(model, store, &self.kept.thresholds, &mut self.sandbox, &mut self.folds);
        if let Some(system) = &mut self.system {
            if system.lab.set_model(model) {
                system.findings = system_rules::check(&system.lab, &self.kept.thresholds);
            }
            findings.extend(system.findings.iter().cloned());
            findings = finding::sorted(findings);
        }
        self.kept.findings = findings;
        self.kept.state = state;
    }

    /// Recomputes what appending to `streams` can have changed, and leaves the rest:
    ///
    /// - per appended stream: `oversized-stream`, `oversized-stream-bytes`, `stream-growth`
    ///   (constant time) and `throwing-evolve` (a fold of what the stream gained since the linter
    ///   last folded it, or of the whole stream the first time);
    /// - per stream type: `stream-without-lifecycle`, `unchecked-append` and
    ///   `pii-without-retention` (constant time each);
    /// - the events appended since the last call (read once from `$all`): `hot-stream` (a window
    ///   moved forward, and the store's conflict counts), `missing-upcaster` for their types,
    ///   `category-for-everything` for their categories, `crud-command-pair` for their commands;
    /// - `non-idempotent-projection` only for projections that had fewer than 20 events to sample.
    ///
    /// The system's findings stay as they are: an append cannot change them.
    ///
    /// A rejected append changes `hot-stream` too: call this with no streams after one.
    ///
    /// Findings are replaced in place by id, so the list stays sorted and a batch that changes no
    /// finding moves nothing.
    pub fn after_append(&mut self, model: &Model, store: &Store, streams: &[&str]) {
        self.kept
            .update(model, store, streams, &mut self.sandbox, &mut self.folds);
    }

    /// Finds the running projections that are stopped at a poison event (`stopped-projection`),
    /// from their statuses: what the store and the model cannot tell. Cheap; call it whenever
    /// the findings are read, after the other updates (a relint drops these findings).
    pub fn after_projections(&mut self, statuses: &[ProjectionStatus]) {
        let stopped = statuses
            .iter()
            .filter_map(|status| data_rules::stopped(&self.kept.thresholds, status))
            .collect();
        replace_code(&mut self.kept.findings, &STOPPED_PROJECTION, stopped);
    }

    /// [`Linter::after_append`] with what a runtime shares (its sandbox and fold cache), so that
    /// a command's fold and the linter's are one: the linter folds only the events the command
    /// appended, and the next command on the stream starts from there.
    pub fn after_append_shared(&mut self, shared: Shared<'_>, streams: &[&str]) {
        self.kept
            .update(shared.model, shared.store, streams, shared.sandbox, shared.folds);
    }
}

impl Kept {
    fn update(&mut self, model: &Model, store: &Store, streams: &[&str], sandbox: &mut Sandbox, folds: &mut FoldCache) {
        let thresholds = &self.thresholds;
        let mut ids: Vec<&str> = streams.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut updates = Vec::new();
        for &id in &ids {
            let stats = store.stream_stats(id);
            let subject = Subject::Stream { id: id.to_owned() };
            for (rule, check) in data_rules::STREAM_RULES {
                let finding = stats.as_ref().and_then(|s| check(thresholds, id, s));
                updates.push((id_of(rule, &subject), finding));
            }
            let throwing = data_rules::throwing_evolve(model, store, thresholds, sandbox, folds, id);
            updates.push((id_of(&THROWING_EVOLVE, &subject), throwing));
        }
        for stream_type in &model.stream_types {
            let subject = Subject::StreamType {
                name: stream_type.name.clone(),
            };
            for (rule, check) in data_rules::STREAM_TYPE_RULES {
                updates.push((id_of(rule, &subject), check(model, store, thresholds, stream_type)));
            }
        }
        let mut touched = self.state.tally.catch_up(store, Some(&mut self.state.window));
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
        for command in &touched.commands {
            let subject = Subject::Command { name: command.clone() };
            let finding = data_rules::crud_command_pair(thresholds, &self.state.tally, command);
            updates.push((id_of(&CRUD_COMMAND_PAIR, &subject), finding));
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
        let hot = data_rules::hot_streams(store, &self.thresholds, &self.state.window);
        replace_code(&mut self.findings, &HOT_STREAM, hot);
    }
}

fn full(
    model: &Model,
    store: &Store,
    thresholds: &Thresholds,
    sandbox: &mut Sandbox,
    folds: &mut FoldCache,
) -> (Vec<Finding>, State) {
    let mut findings = model_rules::check(model, thresholds);
    let (data, state) = data_rules::check_with_state(model, store, thresholds, sandbox, folds);
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
