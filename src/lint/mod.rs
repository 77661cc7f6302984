//! Anti-pattern findings from the model and from the simulated data, each with the production risk
//! and the fix.
//!
//! A [`Finding`] is a value: a stable code and id, a severity, what it is attached to, a one-line
//! message, why it hurts in production, the suggested fix and where to learn more. [`lint`] runs
//! every rule over a model and a store with the scenario's [`Thresholds`]; [`lint_system`] the
//! rules on a scenario's system of modules; [`Linter`] keeps the findings between append batches
//! and recomputes only what the batch can have changed.
//!
//! Files: `finding.rs` (the value), `thresholds.rs` (settings, defaults, parsing), `rules.rs` (each rule's texts), `model_rules.rs`
//! (rules that read the model alone), `data_rules.rs` (rules that read the store),
//! `system_rules.rs` (rules on the system's modules, consumers and processes, some found by
//! running them), `incremental.rs` (the [`Linter`]).

mod data_rules;
mod finding;
mod incremental;
mod model_rules;
mod rules;
mod system_rules;
mod thresholds;

pub(crate) use data_rules::{ends_a_stream, event_types_named};
pub use finding::{Finding, Severity, Subject};
pub use incremental::Linter;
pub use thresholds::{Levels, Thresholds, DAY_MS};

use crate::model::{Model, Scenario};
use crate::store::Store;

/// Every rule's code, e.g. `oversized-stream`.
pub const CODES: [&str; rules::ALL.len()] = {
    let mut codes = [""; rules::ALL.len()];
    let mut i = 0;
    while i < codes.len() {
        codes[i] = rules::ALL[i].code;
        i += 1;
    }
    codes
};

/// Every finding for `model` and the events in `store`, sorted by id (stable across runs).
pub fn lint(model: &Model, store: &Store, thresholds: &Thresholds) -> Vec<Finding> {
    let mut findings = model_rules::check(model, thresholds);
    findings.extend(data_rules::check(model, store, thresholds));
    finding::sorted(findings)
}

/// Every finding of a scenario's system, sorted by id; none for a scenario of one module. Only
/// the definitions are read (the main model, the system, the seed): the rules that run consumers
/// do it on fresh services of their own, with empty stores and no faults, so neither the
/// scenario's events nor anything running is touched.
pub fn lint_system(scenario: &Scenario, thresholds: &Thresholds) -> Vec<Finding> {
    match system_rules::Lab::new(scenario) {
        Some(lab) => finding::sorted(system_rules::check(&lab, thresholds)),
        None => Vec::new(),
    }
}
