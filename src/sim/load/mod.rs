//! Load generators: templated or scripted traffic on the simulated clock, e.g. "500 carts, each
//! adds 3–20 items, 80% check out", seeded so that two runs write identical stores.
//!
//! A [`LoadGenerator`] is plain data (camelCase JSON). [`LoadRun::new`] checks it against a model
//! and reports every problem with its path; [`LoadRun::tick`] then sends a bounded number of
//! commands through [`Runtime::execute`], so a browser can interleave a run with rendering.
//!
//! ```json
//! {
//!   "name": "checkout rush",
//!   "instances": 500,
//!   "streamId": "cart-{n}",
//!   "concurrency": 10,
//!   "intervalMs": 1000,
//!   "plan": { "steps": [
//!     { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c-{random:1..200}" } },
//!     { "command": "AddItem", "repeat": [3, 20],
//!       "data": { "cartId": "{n}", "productId": "{pick:apple|pear|fig}", "qty": "{random:1..3}",
//!                 "unitPrice": "{random:100..2500}" } },
//!     { "command": "ConfirmCart", "probability": 0.8, "data": { "cartId": "{n}" } }
//!   ] }
//! }
//! ```
//!
//! # The format
//!
//! - `instances` (1 to 1,000,000): how many aggregates to drive, numbered `n` = 1, 2, …
//! - `streamId`: the stream of instance `n`; it must contain `{n}` and no other placeholder.
//! - `concurrency` (default 10, at most 1,000): how many instances are active at once. The run
//!   sends one command of each active instance in turn (round-robin); when an instance has sent
//!   all of its commands, the next one starts.
//! - `intervalMs` (default 1000, at most a year): how far the simulated clock moves before each command.
//! - `plan`: either `{"steps": [...]}` or `{"script": "..."}`.
//!
//! A step is `{ "command", "data", "repeat": [min, max], "probability" }`. Each instance includes
//! the step with the given probability (default 1) and then sends it a random number of times in
//! `min..=max` (default `[1, 1]`, at most 10,000). `data` is a template: inside its strings,
//!
//! - `{n}` is the instance number and `{i}` the repetition of the step, from 0;
//! - `{random:LO..HI}` is a random integer in `LO..=HI`;
//! - `{pick:a|b|c}` is one of the options, as text (spaces count, `|` and `}` cannot be in an option);
//! - `{{` is a literal `{`; any other `{…}` is a problem reported by [`LoadRun::new`].
//!
//! A string that is exactly one `{n}`, `{i}` or `{random:…}` becomes an integer, unless the
//! command's field at that place is text (`string`, `id`, `enum`, `timestamp`): `"cartId": "{n}"`
//! gives `"7"` for an `id` field and `7` for an `int` one. Otherwise the placeholders are written
//! into the text. Objects and arrays are templated all the way down (keys are kept as written);
//! the payload of instance 1 is checked against the command's fields up front.
//!
//! A script plan defines `fn generate(n)`, which returns instance `n`'s commands as an array of
//! `#{ command: "AddItem", data: #{ … } }`, optionally with `streamId` to send one elsewhere
//! (`type` is accepted for `command`, as in policies), at most 10,000 (the sandbox's array limit).
//! It may call `random_int(lo, hi)`, seeded from the run's seed and `n`. A failing `generate` or a
//! malformed item counts as one failed command; an unknown command or a stream of the wrong type
//! fails when it is sent.
//!
//! # Determinism
//!
//! Each instance draws from its own random sequence, derived from the seed and `n`, so what an
//! instance sends does not depend on the interleaving; the same generator, model and seed over the
//! same store write byte-identical stores.
//!
//! ```
//! use eventarium::model::{Scenario, BUILT_IN};
//! use eventarium::sim::load::{LoadGenerator, LoadRun};
//! use eventarium::sim::Runtime;
//!
//! let scenario = Scenario::import(BUILT_IN[0].text).unwrap();
//! let mut runtime = Runtime::new(&scenario).unwrap();
//! let generator: LoadGenerator = serde_json::from_str(r#"{
//!     "name": "two carts", "instances": 2, "streamId": "cart-{n}",
//!     "plan": { "steps": [ { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c-{n}" } } ] }
//! }"#).unwrap();
//! let mut run = LoadRun::new(generator, runtime.model(), 7).unwrap();
//! let report = run.tick(&mut runtime, 100);
//! assert_eq!((report.commands, report.accepted, report.done), (2, 2, true));
//! assert_eq!(run.status().simulated_ms, 2000);
//! ```
//!
//! Files: `run.rs` (round-robin turns, each instance's next command), `checks.rs` (what
//! [`LoadRun::new`] checks, compiling the generator as it goes), `template.rs` (data templates and
//! their placeholders), `script.rs` (reading what `generate(n)` returns), `random.rs` (the seeded
//! sequences).

mod checks;
mod random;
mod run;
mod script;
mod template;

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Runtime;
use crate::model::{Model, Problem};

use checks::{check_numbers, check_streams, compile_script, compile_steps, compile_stream_id};
use run::{Active, Compiled};
use template::Piece;

/// The most instances one generator drives.
pub const MAX_INSTANCES: u32 = 1_000_000;
/// The most instances active at once.
pub const MAX_CONCURRENCY: u32 = 1_000;
/// The most repetitions of one step.
pub const MAX_REPEAT: u32 = 10_000;
/// The longest clock step: a year, in milliseconds.
pub const MAX_INTERVAL_MS: u64 = 365 * 24 * 60 * 60 * 1000;
/// How deeply a data template may nest.
pub const MAX_TEMPLATE_DEPTH: usize = 32;
/// How many error messages [`LoadStatus::last_errors`] keeps.
pub const KEPT_ERRORS: usize = 20;

/// Templated or scripted traffic: what to send to how many streams, at which pace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadGenerator {
    /// The generator's name, shown in its status and in script errors.
    pub name: String,
    /// How many aggregates to drive, e.g. 500 carts.
    pub instances: u32,
    /// The stream id template, with `{n}` for the instance number (from 1), e.g. `cart-{n}`.
    pub stream_id: String,
    /// How many instances are active at once, interleaved round-robin.
    #[serde(default = "default_concurrency")]
    pub concurrency: u32,
    /// How many simulated milliseconds the clock advances before each command.
    #[serde(default = "default_interval_ms")]
    pub interval_ms: u64,
    /// What each instance sends.
    pub plan: Plan,
}

fn default_concurrency() -> u32 {
    10
}

fn default_interval_ms() -> u64 {
    1000
}

/// What each instance sends: `{"steps": [...]}` or `{"script": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Plan {
    /// Templated steps, in order.
    Steps(Vec<Step>),
    /// A Rhai script defining `fn generate(n)`, returning instance `n`'s commands.
    Script(String),
}

/// One templated command of a [`Plan::Steps`], maybe skipped, maybe repeated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Step {
    /// The command's name.
    pub command: String,
    /// The payload template (see the module docs); absent means `{}`.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub data: Value,
    /// How many times to send it, `[min, max]` inclusive; absent means once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<[u32; 2]>,
    /// The chance, from 0 to 1, that an instance includes the step at all.
    #[serde(default = "always")]
    pub probability: f64,
}

fn always() -> f64 {
    1.0
}

/// Why a generator cannot run: every problem, each with its path, e.g.
/// `plan.steps[1].command: unknown command "AddItm"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid load generator: {}", listed(.problems))]
pub struct LoadError {
    /// The problems, in the order of the generator's fields.
    pub problems: Vec<Problem>,
}

fn listed(problems: &[Problem]) -> String {
    problems.iter().map(Problem::to_string).collect::<Vec<_>>().join("; ")
}

/// What one [`LoadRun::tick`] or [`LoadRun::step_one`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TickReport {
    /// Commands sent: `accepted + rejected + failed`.
    pub commands: usize,
    /// Commands the deciders accepted (an empty decision included).
    pub accepted: usize,
    /// Commands the deciders rejected: normal traffic, not an error.
    pub rejected: usize,
    /// Commands that failed (a script error, a bad payload, a malformed generated command).
    pub failed: usize,
    /// Whether the run has sent everything.
    pub done: bool,
}

/// Where a run is, serialized in camelCase for the JavaScript API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadStatus {
    /// The generator's name.
    pub name: String,
    /// How many instances the run drives.
    pub instances: u32,
    /// Instances whose commands have been planned.
    pub instances_started: u32,
    /// Instances that have sent all of their commands.
    pub instances_done: u32,
    /// Commands sent so far: `accepted + rejected + failed`.
    pub commands_sent: u64,
    /// Commands accepted.
    pub accepted: u64,
    /// Commands rejected by the business rules.
    pub rejected: u64,
    /// Commands that failed.
    pub failed: u64,
    /// The last [`KEPT_ERRORS`] failures, oldest first.
    pub last_errors: Vec<String>,
    /// Whether [`LoadRun::pause`] holds the run.
    pub paused: bool,
    /// Whether every instance is done.
    pub done: bool,
    /// How far the run has moved the simulated clock.
    pub simulated_ms: u64,
}

/// A generator running against a [`Runtime`], a few commands per [`LoadRun::tick`].
#[derive(Debug)]
pub struct LoadRun {
    generator: LoadGenerator,
    seed: u64,
    stream_id: Vec<Piece>,
    plan: Compiled,
    /// The instances being driven, in the order they started.
    active: Vec<Active>,
    /// The index in `active` whose turn is next.
    cursor: usize,
    started: u32,
    finished: u32,
    sent: u64,
    accepted: u64,
    rejected: u64,
    failed: u64,
    last_errors: VecDeque<String>,
    paused: bool,
    simulated_ms: u64,
}

impl LoadRun {
    /// Checks `generator` against `model` and prepares a run drawing from `seed`; nothing is sent yet.
    pub fn new(generator: LoadGenerator, model: &Model, seed: u64) -> Result<LoadRun, LoadError> {
        let mut problems = check_numbers(&generator);
        let stream_id = compile_stream_id(&generator.stream_id, &mut problems);
        let plan = match &generator.plan {
            Plan::Steps(steps) => Some(Compiled::Steps(compile_steps(steps, model, &mut problems))),
            Plan::Script(source) => compile_script(&generator.name, source, seed, &mut problems),
        };
        if let Some(template) = &stream_id {
            // A script names its commands when it runs, so only the ids themselves can be checked.
            let steps = match &generator.plan {
                Plan::Steps(steps) => steps.as_slice(),
                Plan::Script(_) => &[],
            };
            check_streams(template, generator.instances, steps, model, &mut problems);
        }
        match (stream_id, plan) {
            (Some(stream_id), Some(plan)) if problems.is_empty() => Ok(LoadRun {
                generator,
                seed,
                stream_id,
                plan,
                active: Vec::new(),
                cursor: 0,
                started: 0,
                finished: 0,
                sent: 0,
                accepted: 0,
                rejected: 0,
                failed: 0,
                last_errors: VecDeque::new(),
                paused: false,
                simulated_ms: 0,
            }),
            _ => Err(LoadError { problems }),
        }
    }

    /// The generator being run.
    pub fn generator(&self) -> &LoadGenerator {
        &self.generator
    }

    /// Sends up to `max_commands` commands; none when paused or done. Before each command the
    /// clock advances by `intervalMs`; a failure is counted and kept, and the run carries on.
    pub fn tick(&mut self, runtime: &mut Runtime, max_commands: usize) -> TickReport {
        if self.paused {
            return TickReport {
                done: self.is_done(),
                ..TickReport::default()
            };
        }
        self.run(runtime, max_commands)
    }

    /// Sends one command, even when paused.
    pub fn step_one(&mut self, runtime: &mut Runtime) -> TickReport {
        self.run(runtime, 1)
    }

    /// Holds the run: [`LoadRun::tick`] sends nothing until [`LoadRun::resume`].
    pub fn pause(&mut self) {
        self.paused = true;
    }

    /// Lets [`LoadRun::tick`] send again.
    pub fn resume(&mut self) {
        self.paused = false;
    }

    /// Whether every instance has sent all of its commands.
    pub fn is_done(&self) -> bool {
        self.started >= self.generator.instances && self.active.is_empty()
    }

    /// The counts so far.
    pub fn status(&self) -> LoadStatus {
        LoadStatus {
            name: self.generator.name.clone(),
            instances: self.generator.instances,
            instances_started: self.started,
            instances_done: self.finished,
            commands_sent: self.sent,
            accepted: self.accepted,
            rejected: self.rejected,
            failed: self.failed,
            last_errors: self.last_errors.iter().cloned().collect(),
            paused: self.paused,
            done: self.is_done(),
            simulated_ms: self.simulated_ms,
        }
    }
}
