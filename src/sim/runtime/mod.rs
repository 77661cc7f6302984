//! [`Runtime`]: a scenario's model and a store running together. Commands go through deciders
//! and append with the revision they read; projections follow the store, inline (within the
//! append) or async (from a checkpoint, in chunks); every read upcasts; rebuilds run in place or
//! blue-green; the state of a stream or a read model can be seen as of any position.
//!
//! Everything is synchronous and deterministic: the clock is the store's simulated clock, ids
//! come from the scenario's seed and a counter, and long work ([`Runtime::step`]) is cut into
//! chunks of at most a given number of events, so a browser can interleave it with rendering.
//!
//! Files: `commands.rs` (decide, commit, retries, correlation), `projections.rs` (live read
//! models, checkpoints, poison events, skips), `inline.rs` (inline projections within the append),
//! `templates.rs` (templates run on stored text), `scripted.rs` (scripts over a chunk), `rebuild.rs` (in place and blue-green),
//! `travel.rs` (state as of a position).

mod commands;
mod inline;
mod projections;
mod rebuild;
mod scripted;
mod templates;
mod travel;

use std::collections::HashMap;

use serde_json::Value;

use super::decider::Folded;
use super::error::{Error, Result};
use crate::lint::{Finding, Linter, Thresholds};
use crate::model::{Model, Scenario};
use crate::script::{Limits, Sandbox};
use crate::store::{Config, Store};

pub use commands::{CommandRequest, Committed, Decision, Executed, Expected};
pub use projections::{Poison, ProjectionState, ProjectionStatus, Skipped, StepReport};
pub use rebuild::{BlueGreenStatus, RebuildProgress};

use projections::Live;
use rebuild::Candidate;

/// A running scenario: the model, its store, the sandbox its scripts run in, and its read models.
pub struct Runtime {
    model: Model,
    store: Store,
    sandbox: Sandbox,
    /// One per projection of the model, in the model's order.
    projections: Vec<Live>,
    /// Blue-green builds in progress, at most one per projection.
    candidates: Vec<Candidate>,
    /// How many commands were decided so far; numbers the command ids.
    commands_decided: u64,
    /// Streams' states as the last command (or the linter) folded them, so the next folds only
    /// what is new.
    folds: HashMap<String, Folded>,
    /// The anti-pattern findings, once asked for; kept up to date after each command.
    lint: Lint,
}

/// The runtime's linter: made on the first [`Runtime::findings`], then moved forward after each
/// commit; anything else that changes what reads see (direct store access, a model change) marks
/// it stale, and the next [`Runtime::findings`] lints everything again.
struct Lint {
    thresholds: Thresholds,
    linter: Option<Linter>,
    stale: bool,
}

/// How many folded stream states are kept; past this the cache starts over (a load generator
/// touches many streams once).
const MAX_FOLDS: usize = 10_000;

impl Runtime {
    /// Starts a scenario: its recorded events (if any) become the store, its seed seeds the ids and
    /// the scripts' randomness. Projections start at position 0 and catch up through [`Runtime::step`].
    pub fn new(scenario: &Scenario) -> Result<Self> {
        let seed = scenario.settings.seed;
        let store = match &scenario.events {
            Some(snapshot) => Store::import_json(&snapshot.to_string())?,
            None => Store::new(Config {
                seed,
                ..Config::default()
            }),
        };
        let mut runtime = Runtime::with_store(scenario.model.clone(), store, seed);
        // Import checked the settings; the defaults are only a fallback.
        runtime.lint.thresholds = Thresholds::from_settings(&scenario.settings.lint).unwrap_or_default();
        Ok(runtime)
    }

    /// Runs `model` over an existing store.
    pub fn with_store(model: Model, store: Store, seed: u64) -> Self {
        let projections = model.projections.iter().cloned().map(Live::new).collect();
        Runtime {
            model,
            store,
            sandbox: Sandbox::new(Limits::default(), seed),
            projections,
            candidates: Vec::new(),
            commands_decided: 0,
            folds: HashMap::new(),
            lint: Lint {
                thresholds: Thresholds::default(),
                linter: None,
                stale: false,
            },
        }
    }

    /// Sets the lint thresholds; the next [`Runtime::findings`] lints everything with them.
    pub fn set_thresholds(&mut self, thresholds: Thresholds) {
        self.lint.thresholds = thresholds;
        self.lint.linter = None;
    }

    /// The anti-pattern findings for the model and the store as they are now, sorted by id. The
    /// first call lints everything; after that each commit updates only what it can change (see
    /// [`Linter::after_append`]), sharing the commands' folded stream states.
    pub fn findings(&mut self) -> &[Finding] {
        let lint = &mut self.lint;
        let linter = match lint.linter.take() {
            Some(mut linter) if lint.stale => {
                linter.relint(&self.model, &self.store);
                linter
            }
            Some(linter) => linter,
            None => Linter::new(&self.model, &self.store, lint.thresholds.clone()),
        };
        lint.stale = false;
        lint.linter.insert(linter).findings()
    }

    /// Moves the findings on after a commit to `streams` (or a conflict, with none).
    fn lint_after(&mut self, streams: &[&str]) {
        if let Some(linter) = self.lint.linter.as_mut().filter(|_| !self.lint.stale) {
            linter.after_append_with(&self.model, &self.store, streams, &mut self.sandbox, &mut self.folds);
        }
    }

    /// Marks the findings stale: something other than a commit changed the model or the store.
    fn lint_stale(&mut self) {
        self.lint.stale = true;
    }

    /// Runs a changed model over the same store, as a redeploy does. A projection whose
    /// definition (and the event types and upcasters it reads through) did not change keeps its
    /// documents and checkpoint. One stopped at a poison event whose handlers changed under the
    /// same version is a fix: it keeps its documents and resumes at that event. Any other starts
    /// again from position 0 and catches up through [`Runtime::step`]. Blue-green builds of
    /// projections the new model no longer has are dropped.
    pub fn set_model(&mut self, model: Model) {
        let reads_same = model.event_types == self.model.event_types && model.upcasters == self.model.upcasters;
        let mut old = std::mem::take(&mut self.projections);
        self.projections = model
            .projections
            .iter()
            .map(|definition| {
                let same = old.iter().position(|live| reads_same && live.definition == *definition);
                let fixed = || {
                    old.iter().position(|live| {
                        reads_same
                            && live.poison.is_some()
                            && live.definition.name == definition.name
                            && live.definition.version == definition.version
                    })
                };
                if let Some(i) = same {
                    return old.swap_remove(i);
                }
                match fixed() {
                    Some(i) => {
                        let mut live = old.swap_remove(i);
                        live.definition = definition.clone();
                        live.poison = None;
                        live
                    }
                    None => Live::new(definition.clone()),
                }
            })
            .collect();
        self.candidates
            .retain(|c| model.projection(&c.live.definition.name).is_some());
        // A decider or an upcaster may have changed: fold streams again.
        self.folds.clear();
        self.model = model;
        self.lint_stale();
    }

    /// The model being run.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, to append or change metadata directly (as a trainer's console does). Async
    /// projections see such events on their next step; inline ones catch up on the next command.
    pub fn store_mut(&mut self) -> &mut Store {
        self.lint_stale();
        &mut self.store
    }

    /// Moves the simulated clock forward and returns the new time; the findings that depend on
    /// the time (the age of personal data) move on with it.
    pub fn advance_clock(&mut self, ms: u64) -> Result<i64> {
        let now = self.store.advance_ms(ms)?;
        self.lint_after(&[]);
        Ok(now)
    }

    /// Lines scripts printed since the last call.
    pub fn take_log(&mut self) -> Vec<String> {
        self.sandbox.take_log()
    }

    /// The position the next appended event will get: the head of `$all`.
    pub fn head(&self) -> u64 {
        self.store.next_position()
    }

    fn live_index(&self, name: &str) -> Result<usize> {
        self.projections
            .iter()
            .position(|p| p.definition.name == name)
            .ok_or_else(|| Error::Unknown {
                what: "projection",
                name: name.to_owned(),
            })
    }

    /// The documents of a projection, by id.
    pub fn documents(&self, projection: &str) -> Result<&super::projection::Documents> {
        Ok(&self.projections[self.live_index(projection)?].documents)
    }

    /// One document of a projection, `None` when there is no document with that id.
    pub fn document(&self, projection: &str, id: &str) -> Result<Option<&Value>> {
        Ok(self.documents(projection)?.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::load::{LoadGenerator, LoadRun};
    use serde_json::json;

    /// A generator moves the clock before each command; the findings must move on with it, not
    /// be marked stale (which lints everything again at the next look, on every frame of a run).
    #[test]
    fn a_generator_keeps_the_findings_moving_on() {
        let cart = include_str!("../../../static/scenarios/shopping-cart.eventarium.json");
        let scenario = Scenario::import(cart).unwrap_or_else(|problems| panic!("{problems:?}"));
        let mut runtime = Runtime::new(&scenario).unwrap_or_else(|error| panic!("{error}"));
        runtime.findings();
        let generator: LoadGenerator = serde_json::from_value(json!({
            "name": "carts", "instances": 4, "streamId": "cart-{n}", "intervalMs": 1000,
            "plan": { "steps": [
                { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c-{n}" } },
                { "command": "AddItem", "repeat": [3, 3], "data": { "cartId": "{n}", "productId": "p-1", "qty": 1, "unitPrice": 100 } }
            ] }
        }))
        .unwrap_or_else(|error| panic!("{error}"));
        let mut run = LoadRun::new(generator, runtime.model(), 1).unwrap_or_else(|error| panic!("{error}"));
        let report = run.tick(&mut runtime, 10);
        assert_eq!(report.commands, 10, "commands sent");
        assert!(!runtime.lint.stale, "the findings were marked stale by the generator");
        let kept = runtime.findings().to_vec();
        let full = Linter::new(&runtime.model, &runtime.store, Thresholds::default());
        assert_eq!(kept, full.findings(), "the kept findings are a full lint's");
    }
}
