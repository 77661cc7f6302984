//! [`Runtime`]: a scenario's model and a store running together. Commands go through deciders
//! and append with the revision they read; projections follow the store, inline (within the
//! append) or async (from a checkpoint, in chunks); policies react to the events, inline (within
//! the commit) or async (from a checkpoint, in the same chunks), and send commands; every read
//! upcasts; rebuilds run in place or blue-green; the state of a stream or a read model can be
//! seen as of any position.
//!
//! Everything is synchronous and deterministic: the clock is the store's simulated clock, ids
//! come from the scenario's seed and a counter, and long work ([`Runtime::step`]) is cut into
//! chunks of at most a given number of events, so a browser can interleave it with rendering.
//!
//! Files: `commands.rs` (decide, commit, retries, correlation), `projections.rs` (live read
//! models, checkpoints, poison events, skips), `inline.rs` (inline projections within the append),
//! `templates.rs` (templates run on stored text), `scripted.rs` (scripts over a chunk), `rebuild.rs` (in place and blue-green),
//! `policies.rs` (running policies, checkpoints, stops, skips), `reactions.rs` (policies
//! reacting and sending commands, with their limits), `saved.rs` (read models and policy
//! checkpoints as a save keeps them), `travel.rs` (state as of a position).

mod commands;
mod flights;
mod inline;
mod lifecycle;
mod migration;
mod periods;
mod policies;
mod projections;
mod reactions;
mod rebuild;
mod saved;
mod scripted;
mod shredding;
mod templates;
mod travel;

use std::collections::BTreeSet;

use serde_json::Value;

use super::error::{Error, Result};
use super::FoldCache;
use crate::model::{Model, Scenario};
use crate::script::{Limits, Sandbox};
use crate::store::{Config, Store};

pub use commands::{CommandRequest, Committed, Decision, Executed, Expected};
pub use flights::Flight;
pub use lifecycle::SummaryReport;
pub use migration::{DualRead, Migration, MIGRATED_FROM};
pub use periods::BooksClosed;
pub use policies::{PolicyRejection, PolicyState, PolicyStatus};
pub use projections::{Crash, Poison, ProjectionState, ProjectionStatus, Skipped, StepReport};
pub use reactions::{MAX_INLINE_COMMANDS, MAX_POLICY_DEPTH};
pub use rebuild::{BlueGreenStatus, RebuildFault, RebuildProgress};

use policies::Running;
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
    /// One per policy of the model, in the model's order.
    policies: Vec<Running>,
    /// How many commands were decided so far; numbers the command ids.
    commands_decided: u64,
    /// Streams' states as the last command (or the linter) folded them, so the next folds only
    /// what is new.
    folds: FoldCache,
    /// What changed since the app layer last took the changes, while it watches.
    changes: Changes,
    /// How long the next command's transaction is held open, when a slow writer is armed.
    slow_writer: Option<u64>,
    /// Transactions held open, oldest first; those whose time has come are committed.
    flights: Vec<flights::Flight>,
    /// Whether rebuilds started from now on are guarded (see `rebuild.rs`).
    rebuild_guards: bool,
    /// A copy-and-transform migration, once started (see `migration.rs`).
    migration: Option<migration::Migration>,
}

/// What changed in a runtime since the last [`Runtime::take_changes`], for whoever keeps
/// findings (or any other view) up to date. Commits only note the streams they appended to;
/// anything else that changes what reads see (direct store access, a model change, a switch to a
/// blue-green build) marks the view stale, to be made again from scratch.
///
/// Nothing is noted until someone calls [`Runtime::watch_changes`], so a runtime nobody lints
/// holds no journal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Streams appended to, in id order, so that catching up goes the same way every time.
    pub streams: BTreeSet<String>,
    /// Whether anything happened: an append, a rejected one (a conflict), or a move of the clock.
    pub happened: bool,
    /// Whether something other than a command changed the model or the store.
    pub stale: bool,
    watched: bool,
}

/// What a linter shares with the commands: the model and the store to read, the sandbox to fold
/// in and the streams' folded states, so that a stream a command folded is not folded again.
pub struct Shared<'a> {
    /// The model being run.
    pub model: &'a Model,
    /// The store.
    pub store: &'a Store,
    /// The sandbox scripts run in.
    pub sandbox: &'a mut Sandbox,
    /// The streams' folded states.
    pub folds: &'a mut FoldCache,
}

/// What every command id starts with, before its number.
pub(crate) const COMMAND_ID_PREFIX: &str = "cmd-";

/// How many folded stream states are kept; past this the cache starts over (a load generator
/// touches many streams once).
const MAX_FOLDS: usize = 10_000;

impl Runtime {
    /// Starts a scenario: its recorded events (if any) become the store, its seed seeds the ids and
    /// the scripts' randomness. Projections go on from its saved read models where they fit the
    /// store (see [`Runtime::restore_read_models`]); the others start at position 0 and catch up
    /// through [`Runtime::step`]. Policies go on from their saved checkpoints, or start at the
    /// store's head: recorded events were reacted to when they happened.
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
        if let Some(saved) = &scenario.read_models {
            runtime.restore_read_models(saved);
        }
        Ok(runtime)
    }

    /// Runs `model` over an existing store. Command ids go on after the highest the store's
    /// events carry (as correlation or causation), so they stay unique however often the
    /// store is saved and opened again. Policies start at the store's head, so that they never
    /// react to the history again (which would send its commands twice).
    pub fn with_store(model: Model, store: Store, seed: u64) -> Self {
        let projections = model.projections.iter().cloned().map(Live::new).collect();
        let head = store.next_position();
        let policies = model
            .policies
            .iter()
            .map(|definition| Running::at(definition.clone(), head))
            .collect();
        let commands_decided = store
            .metadata_ids()
            .filter_map(|id| id.strip_prefix(COMMAND_ID_PREFIX)?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        Runtime {
            model,
            store,
            sandbox: Sandbox::new(Limits::default(), seed),
            projections,
            candidates: Vec::new(),
            policies,
            commands_decided,
            folds: FoldCache::bounded(MAX_FOLDS),
            changes: Changes::default(),
            slow_writer: None,
            flights: Vec::new(),
            rebuild_guards: true,
            migration: None,
        }
    }

    /// Starts noting what changes (see [`Changes`]), from now on.
    pub fn watch_changes(&mut self) {
        self.changes = Changes {
            watched: true,
            ..Changes::default()
        };
    }

    /// What changed since the last call (or since [`Runtime::watch_changes`]); noting goes on.
    pub fn take_changes(&mut self) -> Changes {
        let watched = self.changes.watched;
        let changes = std::mem::take(&mut self.changes);
        self.changes.watched = watched;
        changes
    }

    /// Whether something other than a command changed the model or the store since the changes
    /// were last taken.
    pub fn is_stale(&self) -> bool {
        self.changes.stale
    }

    /// How many streams were appended to since the changes were last taken.
    pub fn changed_streams(&self) -> usize {
        self.changes.streams.len()
    }

    /// What a linter shares with the commands (see [`Shared`]).
    pub fn shared(&mut self) -> Shared<'_> {
        Shared {
            model: &self.model,
            store: &self.store,
            sandbox: &mut self.sandbox,
            folds: &mut self.folds,
        }
    }

    /// Notes a commit to `streams` (or a conflict, or a move of the clock, with none).
    fn note(&mut self, streams: &[&str]) {
        let changes = &mut self.changes;
        if !changes.watched {
            return;
        }
        changes.happened = true;
        for &id in streams {
            if !changes.streams.contains(id) {
                changes.streams.insert(id.to_owned());
            }
        }
    }

    /// Notes that something other than a commit changed the model or the store.
    fn note_stale(&mut self) {
        self.changes.stale |= self.changes.watched;
    }

    /// Runs a changed model over the same store, as a redeploy does. A projection whose
    /// definition (and the event types and upcasters it reads through) did not change keeps its
    /// documents and checkpoint. One stopped at a poison event whose handlers changed under the
    /// same version is a fix: it keeps its documents and resumes at that event. Any other starts
    /// again from position 0 and catches up through [`Runtime::step`]. Blue-green builds of
    /// projections the new model no longer has are dropped. Policies keep their checkpoints by
    /// name (see `policies.rs`); a new one starts at the head.
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
        let running = std::mem::take(&mut self.policies);
        self.policies = policies::redeployed(running, &self.model, &model, self.head());
        // A decider or an upcaster may have changed: fold streams again.
        self.folds.clear();
        self.model = model;
        self.note_stale();
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
    /// Policies, inline ones included, react to them in the next steps.
    pub fn store_mut(&mut self) -> &mut Store {
        self.note_stale();
        &mut self.store
    }

    /// Moves the simulated clock forward and returns the new time; the findings that depend on
    /// the time (the age of personal data) move on with it.
    pub fn advance_clock(&mut self, ms: u64) -> Result<i64> {
        let now = self.store.advance_ms(ms)?;
        self.note(&[]);
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
