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
//! `templates.rs` (templates run on stored text), `rebuild.rs` (in place and blue-green),
//! `travel.rs` (state as of a position).

mod commands;
mod inline;
mod projections;
mod rebuild;
mod templates;
mod travel;

use std::collections::HashMap;

use serde_json::Value;

use super::decider::Folded;
use super::error::{Error, Result};
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
    /// Streams' states as the last command folded them, so the next folds only what is new.
    folds: HashMap<String, Folded>,
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
        Ok(Runtime::with_store(scenario.model.clone(), store, seed))
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
        }
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
        &mut self.store
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
