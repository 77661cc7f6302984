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

use std::collections::BTreeSet;

use serde_json::Value;

use super::decider::FoldCache;
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
    folds: FoldCache,
    /// The anti-pattern findings, once asked for; brought up to date when next asked for.
    lint: Lint,
}

/// The runtime's linter: made on the first [`Runtime::findings`], then moved forward over what the
/// commits since touched; anything else that changes what reads see (direct store access, a model
/// change) marks it stale, and the next [`Runtime::findings`] lints everything again.
///
/// Commits only note the streams they appended to; the linter catches up when the findings are
/// read (a page reads them when it draws, every 100 ms while a generator runs) or once
/// [`MAX_PENDING`] streams wait. Every rule depends only on the store and the clock as they are, so
/// catching up once after a thousand commands finds what a catch-up after each would, while the
/// rules that look at every stream type, at the store's conflict counts and at the hot-stream window
/// run once instead of a thousand times. Folding each stream's new events is shared with the
/// commands either way (see [`Linter::after_append_with`]).
struct Lint {
    thresholds: Thresholds,
    linter: Option<Linter>,
    stale: bool,
    /// Streams appended to since the linter last caught up, in order so that a catch-up goes the
    /// same way every time.
    pending: BTreeSet<String>,
    /// Whether anything happened since the linter last caught up: an append, a rejected one (a
    /// conflict counts towards `hot-stream`), or a move of the clock.
    behind: bool,
}

/// How many appended-to streams wait for the linter at most; then it catches up without being
/// asked, so that a caller who never reads the findings again holds no more than this.
const MAX_PENDING: usize = 4_096;

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
            folds: FoldCache::default(),
            lint: Lint {
                thresholds: Thresholds::default(),
                linter: None,
                stale: false,
                pending: BTreeSet::new(),
                behind: false,
            },
        }
    }

    /// Sets the lint thresholds; the next [`Runtime::findings`] lints everything with them.
    pub fn set_thresholds(&mut self, thresholds: Thresholds) {
        self.lint.thresholds = thresholds;
        self.lint.linter = None;
        self.lint.pending.clear();
        self.lint.behind = false;
    }

    /// The anti-pattern findings for the model and the store as they are now, sorted by id. The
    /// first call lints everything; after that a call updates only what the commits since can have
    /// changed (see [`Linter::after_append`]), sharing the commands' folded stream states.
    pub fn findings(&mut self) -> &[Finding] {
        let lint = &mut self.lint;
        match lint.linter.as_mut() {
            Some(linter) if lint.stale => linter.relint(&self.model, &self.store),
            Some(_) => {}
            None => lint.linter = Some(Linter::new(&self.model, &self.store, lint.thresholds.clone())),
        }
        if lint.stale || !lint.behind {
            // Linted from scratch (or nothing happened): nothing noted since is left to catch up on.
            lint.stale = false;
            lint.pending.clear();
            lint.behind = false;
        } else {
            self.lint_catch_up();
        }
        self.lint.linter.as_ref().map_or(&[], Linter::findings)
    }

    /// Notes a commit to `streams` (or a conflict, or a move of the clock, with none) for the
    /// linter, if there is one to keep up to date.
    fn lint_after(&mut self, streams: &[&str]) {
        let lint = &mut self.lint;
        if lint.linter.is_none() || lint.stale {
            return;
        }
        lint.behind = true;
        for &id in streams {
            if !lint.pending.contains(id) {
                lint.pending.insert(id.to_owned());
            }
        }
        if lint.pending.len() >= MAX_PENDING {
            self.lint_catch_up();
        }
    }

    /// Moves the findings on over what was noted since the last catch-up; its callers know the
    /// linter is behind and not stale.
    fn lint_catch_up(&mut self) {
        let lint = &mut self.lint;
        let Some(linter) = lint.linter.as_mut() else {
            return;
        };
        let pending = std::mem::take(&mut lint.pending);
        let streams: Vec<&str> = pending.iter().map(String::as_str).collect();
        linter.after_append_with(&self.model, &self.store, &streams, &mut self.sandbox, &mut self.folds);
        lint.behind = false;
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

    /// The built-in shopping cart, and a generator over `instances` carts that opens each and adds
    /// between `adds[0]` and `adds[1]` items, `interval_ms` apart, seeded with `seed`.
    fn carts(instances: u64, interval_ms: u64, adds: [u64; 2], seed: u64) -> (Runtime, LoadRun) {
        let cart = include_str!("../../../static/scenarios/shopping-cart.eventarium.json");
        let scenario = Scenario::import(cart).unwrap_or_else(|problems| panic!("{problems:?}"));
        let runtime = Runtime::new(&scenario).unwrap_or_else(|error| panic!("{error}"));
        let generator: LoadGenerator = serde_json::from_value(json!({
            "name": "carts", "instances": instances, "streamId": "cart-{n}", "intervalMs": interval_ms,
            "plan": { "steps": [
                { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c-{n}" } },
                { "command": "AddItem", "repeat": adds, "data": { "cartId": "{n}", "productId": "p-1", "qty": 1, "unitPrice": 100 } }
            ] }
        }))
        .unwrap_or_else(|error| panic!("{error}"));
        let run = LoadRun::new(generator, runtime.model(), seed).unwrap_or_else(|error| panic!("{error}"));
        (runtime, run)
    }

    /// A generator moves the clock before each command; the findings must move on with it, not
    /// be marked stale (which lints everything again at the next look, on every frame of a run).
    #[test]
    fn a_generator_keeps_the_findings_moving_on() {
        let (mut runtime, mut run) = carts(4, 1000, [3, 3], 1);
        runtime.findings();
        let report = run.tick(&mut runtime, 10);
        assert_eq!(report.commands, 10, "commands sent");
        assert!(!runtime.lint.stale, "the findings were marked stale by the generator");
        let kept = runtime.findings().to_vec();
        let full = Linter::new(&runtime.model, &runtime.store, Thresholds::default());
        assert_eq!(kept, full.findings(), "the kept findings are a full lint's");
    }

    /// Runs carts with thresholds low enough that the data rules fire (long streams, a hot stream
    /// with a conflict, old personal data, a projection sampled as it fills), reading the findings after each
    /// of `reads_every` commands, and returns the findings at the end with a full lint's.
    fn carts_read_every(reads_every: usize) -> (Vec<Finding>, Vec<Finding>) {
        let (mut runtime, mut run) = carts(3, 60_000, [2, 9], 7);
        let thresholds = Thresholds {
            stream_events: crate::lint::Levels {
                info: 3,
                warning: 6,
                critical: 12,
            },
            hot_window: 8,
            hot_conflicts: 1,
            ..Thresholds::default()
        };
        runtime.set_thresholds(thresholds.clone());
        runtime.findings();
        for sent in 1..=30 {
            run.tick(&mut runtime, 1);
            if sent == 15 {
                // Two participants decide on the same revision; the second commit conflicts.
                let add = CommandRequest {
                    command: "AddItem".to_owned(),
                    stream_id: "cart-1".to_owned(),
                    data: json!({ "cartId": "1", "productId": "p-2", "qty": 1, "unitPrice": 5 }),
                    expected: Expected::Read,
                    correlation_id: None,
                    causation_id: None,
                    retries: 0,
                };
                let first = runtime.decide(&add).unwrap_or_else(|error| panic!("{error}"));
                let second = runtime.decide(&add).unwrap_or_else(|error| panic!("{error}"));
                runtime.commit(&first).unwrap_or_else(|error| panic!("{error}"));
                assert!(runtime.commit(&second).is_err(), "the stale decision conflicts");
                runtime
                    .advance_clock(40 * crate::lint::DAY_MS)
                    .unwrap_or_else(|error| panic!("{error}"));
            }
            if sent % reads_every == 0 {
                runtime.findings();
            }
        }
        assert!(!runtime.lint.stale, "the findings were marked stale");
        let kept = runtime.findings().to_vec();
        let full = Linter::new(&runtime.model, &runtime.store, thresholds);
        (kept, full.findings().to_vec())
    }

    /// The linter catches up when the findings are read: reading them after every command, every
    /// few commands or only at the end finds the same, and what a full lint finds.
    #[test]
    fn findings_read_now_and_then_are_the_findings_read_after_every_command() {
        let (every, full) = carts_read_every(1);
        let codes: BTreeSet<&str> = every.iter().map(|f| f.code).collect();
        for code in [
            "oversized-stream",
            "hot-stream",
            "pii-without-retention",
            "non-idempotent-projection",
        ] {
            assert!(codes.contains(code), "{code} fired: {codes:?}");
        }
        assert_eq!(every, full, "read after every command");
        for reads_every in [4, 7, 1_000] {
            let (kept, full) = carts_read_every(reads_every);
            assert_eq!(kept, every, "read every {reads_every} commands");
            assert_eq!(kept, full, "read every {reads_every} commands, against a full lint");
        }
    }
}
