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

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::decider::Outcome;
use super::{CommandRequest, Runtime};
use crate::model::{fill_payload, Field, FieldType, Model, Problem};
use crate::script::{Limits, Owner, OwnerKind, Sandbox, ScriptId};
use crate::store::validate_stream_id;

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

    fn run(&mut self, runtime: &mut Runtime, max_commands: usize) -> TickReport {
        let mut report = TickReport::default();
        // Instances that plan no command take no turn, so starts are bounded separately.
        let mut starts_left = max_commands.saturating_add(self.generator.concurrency as usize);
        while report.commands < max_commands {
            let Some(item) = self.next_item(&mut starts_left) else {
                break;
            };
            self.send(runtime, item, &mut report);
        }
        report.done = self.is_done();
        report
    }

    /// The next command in round-robin order, starting instances as others finish.
    fn next_item(&mut self, starts_left: &mut usize) -> Option<Item> {
        if !self.fill(starts_left) {
            return None;
        }
        let count = self.active.len();
        let index = self.cursor.checked_rem(count)?;
        let instance = self.active.get_mut(index)?;
        let item = instance.next.take();
        instance.next = instance.advance(self.plan.steps());
        if instance.next.is_none() {
            self.active.remove(index);
            self.finished += 1;
            self.cursor = index;
        } else {
            self.cursor = index + 1;
        }
        item
    }

    /// Starts instances until `concurrency` are active or all have started, and says whether it got
    /// there before `starts_left` ran out. A tick stops rather than go on with fewer active
    /// instances, so the order of the commands does not depend on how a run is cut into ticks.
    fn fill(&mut self, starts_left: &mut usize) -> bool {
        while self.active.len() < self.generator.concurrency as usize && self.started < self.generator.instances {
            if *starts_left == 0 {
                return false;
            }
            *starts_left -= 1;
            self.started += 1;
            let n = self.started;
            let stream_id = render_text(&self.stream_id, Point { n, i: 0 }, &mut Rng(0));
            let source = match &mut self.plan {
                Compiled::Steps(_) => Source::Steps(Cursor::new(instance_seed(self.seed, n))),
                Compiled::Script { sandbox, script } => {
                    Source::Listed(generate(sandbox, *script, instance_seed(self.seed, n), n, &stream_id))
                }
            };
            let mut instance = Active {
                n,
                stream_id,
                source,
                next: None,
            };
            instance.next = instance.advance(self.plan.steps());
            if instance.next.is_some() {
                self.active.push(instance);
            } else {
                self.finished += 1;
            }
        }
        true
    }

    fn send(&mut self, runtime: &mut Runtime, item: Item, report: &mut TickReport) {
        self.sent += 1;
        report.commands += 1;
        let result = item.and_then(|request| {
            runtime
                .store_mut()
                .advance_ms(self.generator.interval_ms)
                .map_err(|error| format!("{} to {}: {error}", request.command, request.stream_id))?;
            self.simulated_ms = self.simulated_ms.saturating_add(self.generator.interval_ms);
            runtime
                .execute(&request)
                .map_err(|error| format!("{} to {}: {error}", request.command, request.stream_id))
        });
        match result.map(|executed| executed.decision.outcome) {
            Ok(Outcome::Accepted(_)) => {
                self.accepted += 1;
                report.accepted += 1;
            }
            Ok(Outcome::Rejected(_)) => {
                self.rejected += 1;
                report.rejected += 1;
            }
            Err(message) => {
                self.failed += 1;
                report.failed += 1;
                if self.last_errors.len() == KEPT_ERRORS {
                    self.last_errors.pop_front();
                }
                self.last_errors.push_back(format!("command {}: {message}", self.sent));
            }
        }
    }
}

/// A command to send, or why the plan could not produce it.
type Item = Result<CommandRequest, String>;

#[derive(Debug)]
enum Compiled {
    Steps(Vec<CompiledStep>),
    Script { sandbox: Box<Sandbox>, script: ScriptId },
}

impl Compiled {
    fn steps(&self) -> &[CompiledStep] {
        match self {
            Compiled::Steps(steps) => steps,
            Compiled::Script { .. } => &[],
        }
    }
}

#[derive(Debug)]
struct CompiledStep {
    command: String,
    data: Node,
    min: u32,
    max: u32,
    probability: f64,
}

/// An instance being driven, with its next command already planned (`None`: it is done).
#[derive(Debug)]
struct Active {
    n: u32,
    stream_id: String,
    source: Source,
    next: Option<Item>,
}

#[derive(Debug)]
enum Source {
    Steps(Cursor),
    Listed(VecDeque<Item>),
}

/// Where an instance is in a step plan: steps are drawn as they are reached.
#[derive(Debug)]
struct Cursor {
    rng: Rng,
    next_step: usize,
    current: usize,
    left: u32,
    repetition: u32,
}

impl Cursor {
    fn new(seed: u64) -> Cursor {
        Cursor {
            rng: Rng(seed),
            next_step: 0,
            current: 0,
            left: 0,
            repetition: 0,
        }
    }

    /// The next (step, repetition) to send, drawing inclusion and repeat counts as steps are reached.
    fn next(&mut self, steps: &[CompiledStep]) -> Option<(usize, u32)> {
        while self.left == 0 {
            let step = steps.get(self.next_step)?;
            self.current = self.next_step;
            self.next_step += 1;
            let included = self.rng.chance(step.probability);
            let count = self.rng.between(i64::from(step.min), i64::from(step.max));
            self.left = if included {
                u32::try_from(count).unwrap_or(step.min)
            } else {
                0
            };
            self.repetition = 0;
        }
        self.left -= 1;
        self.repetition += 1;
        Some((self.current, self.repetition - 1))
    }
}

impl Active {
    fn advance(&mut self, steps: &[CompiledStep]) -> Option<Item> {
        match &mut self.source {
            Source::Listed(items) => items.pop_front(),
            Source::Steps(cursor) => {
                let (index, i) = cursor.next(steps)?;
                let step = steps.get(index)?;
                let data = step.data.render(Point { n: self.n, i }, &mut cursor.rng);
                Some(Ok(request(step.command.clone(), self.stream_id.clone(), data)))
            }
        }
    }
}

fn request(command: String, stream_id: String, data: Value) -> CommandRequest {
    CommandRequest {
        command,
        stream_id,
        data,
        retries: 1,
        ..CommandRequest::default()
    }
}

// ---- checks ------------------------------------------------------------------------------------

fn check_numbers(generator: &LoadGenerator) -> Vec<Problem> {
    let mut problems = Vec::new();
    if generator.name.trim().is_empty() {
        problems.push(Problem::new("name", "must not be empty"));
    }
    if !(1..=MAX_INSTANCES).contains(&generator.instances) {
        let message = format!("must be from 1 to {MAX_INSTANCES}, got {}", generator.instances);
        problems.push(Problem::new("instances", message));
    }
    if !(1..=MAX_CONCURRENCY).contains(&generator.concurrency) {
        let message = format!("must be from 1 to {MAX_CONCURRENCY}, got {}", generator.concurrency);
        problems.push(Problem::new("concurrency", message));
    }
    if generator.interval_ms > MAX_INTERVAL_MS {
        let message = format!(
            "must be at most {MAX_INTERVAL_MS} (a year), got {}",
            generator.interval_ms
        );
        problems.push(Problem::new("intervalMs", message));
    }
    problems
}

fn compile_stream_id(template: &str, problems: &mut Vec<Problem>) -> Option<Vec<Piece>> {
    let pieces = match parse_text(template) {
        Ok(pieces) => pieces,
        Err(message) => {
            problems.push(Problem::new("streamId", message));
            return None;
        }
    };
    let slots = || {
        pieces
            .iter()
            .filter_map(|p| if let Piece::Slot(s) = p { Some(s) } else { None })
    };
    if slots().any(|slot| !matches!(slot, Slot::N)) {
        problems.push(Problem::new("streamId", "only {n} can be used in a stream id"));
    } else if !slots().any(|slot| matches!(slot, Slot::N)) {
        let message = format!("{template:?} has no {{n}}, so every instance would write to the same stream");
        problems.push(Problem::new("streamId", message));
    } else {
        return Some(pieces);
    }
    None
}

/// Checks that the first and the last instance's stream ids are valid and owned by each step's stream type.
fn check_streams(template: &[Piece], instances: u32, steps: &[Step], model: &Model, problems: &mut Vec<Problem>) {
    let mut ids = vec![render_text(template, Point { n: 1, i: 0 }, &mut Rng(0))];
    if instances > 1 {
        ids.push(render_text(template, Point { n: instances, i: 0 }, &mut Rng(0)));
    }
    for id in &ids {
        if let Err(error) = validate_stream_id(id) {
            problems.push(Problem::new("streamId", error.to_string()));
            return;
        }
    }
    let mut checked: Vec<&str> = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        let Some(command) = model.command(&step.command) else {
            continue;
        };
        let Some(stream_type) = model.stream_type(&command.stream_type) else {
            continue;
        };
        if checked.contains(&stream_type.name.as_str()) {
            continue;
        }
        checked.push(&stream_type.name);
        if let Some(id) = ids.iter().find(|id| !stream_type.owns(id)) {
            let message = format!(
                "{} (plan.steps[{index}]) goes to {} streams ({}), not to {id:?}",
                step.command, stream_type.name, stream_type.stream_id_pattern
            );
            problems.push(Problem::new("streamId", message));
        }
    }
}

fn compile_steps(steps: &[Step], model: &Model, problems: &mut Vec<Problem>) -> Vec<CompiledStep> {
    if steps.is_empty() {
        problems.push(Problem::new("plan.steps", "at least one step is needed"));
    }
    let mut compiled = Vec::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        let path = format!("plan.steps[{index}]");
        let command = model.command(&step.command);
        if command.is_none() {
            problems.push(Problem::new(
                format!("{path}.command"),
                format!("unknown command {:?}", step.command),
            ));
        }
        let [min, max] = step.repeat.unwrap_or([1, 1]);
        if min > max || max > MAX_REPEAT {
            let message = format!("must be [min, max] with min <= max <= {MAX_REPEAT}, got [{min}, {max}]");
            problems.push(Problem::new(format!("{path}.repeat"), message));
        }
        if !(0.0..=1.0).contains(&step.probability) {
            let message = format!("must be from 0 to 1, got {}", step.probability);
            problems.push(Problem::new(format!("{path}.probability"), message));
        }
        let empty = json!({});
        let data = if step.data.is_null() { &empty } else { &step.data };
        let hint = command.map_or(Hint::None, |c| Hint::Fields(&c.fields));
        let before = problems.len();
        let data = compile_node(data, hint, &format!("{path}.data"), 0, problems);
        if let (Some(command), true) = (command, problems.len() == before) {
            let sample = data.render(Point { n: 1, i: 0 }, &mut Rng(0));
            if let Err(error) = fill_payload(&command.name, &command.fields, &sample) {
                let at = if error.path.is_empty() {
                    String::new()
                } else {
                    format!(".{}", error.path)
                };
                problems.push(Problem::new(format!("{path}.data{at}"), error.problem));
            }
        }
        compiled.push(CompiledStep {
            command: step.command.clone(),
            data,
            min,
            max: max.max(min),
            probability: step.probability,
        });
    }
    compiled
}

fn compile_script(name: &str, source: &str, seed: u64, problems: &mut Vec<Problem>) -> Option<Compiled> {
    let mut sandbox = Box::new(Sandbox::new(Limits::default(), seed));
    let owner = Owner {
        kind: OwnerKind::Generator,
        name: name.to_owned(),
    };
    match sandbox.compile(&owner, source) {
        Ok(script) => {
            if !sandbox.has_function(script, "generate", 1) {
                problems.push(Problem::new("plan.script", "the script must define fn generate(n)"));
            }
            Some(Compiled::Script { sandbox, script })
        }
        Err(error) => {
            problems.push(Problem::new("plan.script", error.message).at(error.line, error.column));
            None
        }
    }
}

// ---- scripts -----------------------------------------------------------------------------------

/// Instance `n`'s commands from `generate(n)`, each checked; a failure becomes one failed item.
fn generate(sandbox: &mut Sandbox, script: ScriptId, seed: u64, n: u32, stream_id: &str) -> VecDeque<Item> {
    sandbox.reseed(seed);
    match sandbox.call(script, "generate", &[json!(n)]) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(k, item)| script_item(item, stream_id).map_err(|m| format!("generate({n}) item {k}: {m}")))
            .collect(),
        Ok(other) => VecDeque::from([Err(format!(
            "generate({n}) must return an array of commands, got {}",
            shown(&other)
        ))]),
        Err(error) => VecDeque::from([Err(format!("generate({n}) failed: {error}"))]),
    }
}

fn script_item(item: Value, stream_id: &str) -> Item {
    let Value::Object(mut map) = item else {
        return Err(format!(
            "expected a map like #{{ command: \"…\", data: #{{…}} }}, got {}",
            shown(&item)
        ));
    };
    if let Some(key) = map
        .keys()
        .find(|k| !["command", "type", "data", "streamId"].contains(&k.as_str()))
    {
        return Err(format!("unknown key {key:?}; a command has command, data and streamId"));
    }
    let command = match (map.remove("command"), map.remove("type")) {
        (Some(Value::String(name)), None) | (None, Some(Value::String(name))) if !name.is_empty() => name,
        (Some(_), Some(_)) => return Err("give command or type, not both".to_owned()),
        _ => return Err("command must be a non-empty string".to_owned()),
    };
    let stream_id = match map.remove("streamId") {
        None => stream_id.to_owned(),
        Some(Value::String(id)) => id,
        Some(other) => return Err(format!("streamId must be a string, got {}", shown(&other))),
    };
    let data = map.remove("data").unwrap_or_else(|| Value::Object(Map::new()));
    Ok(request(command, stream_id, data))
}

/// A value as compact JSON, cut after 60 characters, for messages.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(57) {
        Some((at, _)) if text.chars().count() > 60 => format!("{}...", &text[..at]),
        _ => text,
    }
}

// ---- templates ---------------------------------------------------------------------------------

/// A compiled data template.
#[derive(Debug, Clone)]
enum Node {
    /// No placeholder anywhere below.
    Fixed(Value),
    /// A string that is exactly one placeholder; `true` keeps it text.
    Whole(Slot, bool),
    /// A string with placeholders in it.
    Text(Vec<Piece>),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

#[derive(Debug, Clone)]
enum Piece {
    Literal(String),
    Slot(Slot),
}

#[derive(Debug, Clone)]
enum Slot {
    N,
    I,
    Random(i64, i64),
    Pick(Vec<String>),
}

/// What the command's schema says about the value at a place in the template.
#[derive(Clone, Copy)]
enum Hint<'a> {
    None,
    Fields(&'a [Field]),
    Type(&'a FieldType),
}

impl<'a> Hint<'a> {
    fn field(self, key: &str) -> Hint<'a> {
        let fields = match self {
            Hint::Fields(fields) => fields,
            Hint::Type(FieldType::Object(fields)) => fields.as_slice(),
            _ => return Hint::None,
        };
        fields
            .iter()
            .find(|f| f.name == key)
            .map_or(Hint::None, |f| Hint::Type(&f.field_type))
    }

    fn item(self) -> Hint<'a> {
        match self {
            Hint::Type(FieldType::List(item)) => Hint::Type(item),
            _ => Hint::None,
        }
    }

    fn is_text(self) -> bool {
        matches!(
            self,
            Hint::Type(FieldType::String | FieldType::Id | FieldType::Enum(_) | FieldType::Timestamp)
        )
    }
}

/// The instance and repetition a template is rendered for.
#[derive(Clone, Copy)]
struct Point {
    n: u32,
    i: u32,
}

fn compile_node(value: &Value, hint: Hint<'_>, path: &str, depth: usize, problems: &mut Vec<Problem>) -> Node {
    if depth > MAX_TEMPLATE_DEPTH && (value.is_array() || value.is_object()) {
        problems.push(Problem::new(
            path,
            format!("nested deeper than {MAX_TEMPLATE_DEPTH} levels"),
        ));
        return Node::Fixed(Value::Null);
    }
    let node = match value {
        Value::String(text) if text.contains('{') => match parse_text(text) {
            Ok(pieces) => text_node(pieces, hint.is_text()),
            Err(message) => {
                problems.push(Problem::new(path, message));
                Node::Fixed(Value::Null)
            }
        },
        Value::Array(items) => Node::Array(
            items
                .iter()
                .enumerate()
                .map(|(k, item)| compile_node(item, hint.item(), &format!("{path}[{k}]"), depth + 1, problems))
                .collect(),
        ),
        Value::Object(entries) => Node::Object(
            entries
                .iter()
                .map(|(key, item)| {
                    let node = compile_node(item, hint.field(key), &format!("{path}.{key}"), depth + 1, problems);
                    (key.clone(), node)
                })
                .collect(),
        ),
        other => Node::Fixed(other.clone()),
    };
    node.settled()
}

/// A templated string: one placeholder alone becomes [`Node::Whole`], plain text [`Node::Fixed`].
fn text_node(mut pieces: Vec<Piece>, as_text: bool) -> Node {
    match (pieces.pop(), pieces.is_empty()) {
        (Some(Piece::Slot(slot)), true) => Node::Whole(slot, as_text),
        (Some(Piece::Literal(text)), true) => Node::Fixed(Value::String(text)),
        (Some(last), false) => {
            pieces.push(last);
            Node::Text(pieces)
        }
        (None, _) => Node::Fixed(Value::String(String::new())),
    }
}

impl Node {
    /// The same node, as one fixed value when nothing below it varies.
    fn settled(self) -> Node {
        let fixed = match &self {
            Node::Array(items) => items.iter().all(|n| matches!(n, Node::Fixed(_))),
            Node::Object(entries) => entries.iter().all(|(_, n)| matches!(n, Node::Fixed(_))),
            _ => false,
        };
        if fixed {
            Node::Fixed(self.render(Point { n: 0, i: 0 }, &mut Rng(0)))
        } else {
            self
        }
    }

    fn render(&self, at: Point, rng: &mut Rng) -> Value {
        match self {
            Node::Fixed(value) => value.clone(),
            Node::Whole(slot, true) => Value::String(slot.text(at, rng)),
            Node::Whole(slot, false) => slot.value(at, rng),
            Node::Text(pieces) => Value::String(render_text(pieces, at, rng)),
            Node::Array(items) => Value::Array(items.iter().map(|n| n.render(at, rng)).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, node)| (key.clone(), node.render(at, rng)))
                    .collect(),
            ),
        }
    }
}

impl Slot {
    fn value(&self, at: Point, rng: &mut Rng) -> Value {
        match self {
            Slot::N => json!(at.n),
            Slot::I => json!(at.i),
            Slot::Random(lo, hi) => json!(rng.between(*lo, *hi)),
            Slot::Pick(_) => Value::String(self.text(at, rng)),
        }
    }

    fn text(&self, at: Point, rng: &mut Rng) -> String {
        match self {
            Slot::N => at.n.to_string(),
            Slot::I => at.i.to_string(),
            Slot::Random(lo, hi) => rng.between(*lo, *hi).to_string(),
            Slot::Pick(options) => options.get(rng.below(options.len())).cloned().unwrap_or_default(),
        }
    }
}

fn render_text(pieces: &[Piece], at: Point, rng: &mut Rng) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Literal(text) => out.push_str(text),
            Piece::Slot(slot) => out.push_str(&slot.text(at, rng)),
        }
    }
    out
}

/// Splits a template string into text and placeholders; `{{` is a literal `{`.
fn parse_text(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        literal.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        if let Some(escaped) = after.strip_prefix('{') {
            literal.push('{');
            rest = escaped;
            continue;
        }
        let Some(close) = after.find('}') else {
            return Err(format!("unclosed placeholder {:?}", cut(&rest[open..])));
        };
        let slot = parse_slot(&after[..close])?;
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(Piece::Slot(slot));
        rest = &after[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

fn parse_slot(inner: &str) -> Result<Slot, String> {
    if inner == "n" {
        return Ok(Slot::N);
    }
    if inner == "i" {
        return Ok(Slot::I);
    }
    if let Some(options) = inner.strip_prefix("pick:") {
        return Ok(Slot::Pick(options.split('|').map(str::to_owned).collect()));
    }
    if let Some(range) = inner.strip_prefix("random:") {
        let bounds = range
            .split_once("..")
            .and_then(|(lo, hi)| Some((lo.trim().parse::<i64>().ok()?, hi.trim().parse::<i64>().ok()?)));
        return match bounds {
            Some((lo, hi)) if lo <= hi => Ok(Slot::Random(lo, hi)),
            Some((lo, hi)) => Err(format!("{{{inner}}}: the low end {lo} is above the high end {hi}")),
            None => Err(format!(
                "{{{}}}: expected {{random:LO..HI}} with whole numbers",
                cut(inner)
            )),
        };
    }
    Err(format!(
        "unknown placeholder \"{{{}}}\"; use {{n}}, {{i}}, {{random:LO..HI}} or {{pick:a|b|…}}",
        cut(inner)
    ))
}

/// At most 40 characters of `text`, for messages.
fn cut(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

// ---- randomness --------------------------------------------------------------------------------

/// Instance `n`'s own seed, so what it sends does not depend on the interleaving.
fn instance_seed(seed: u64, n: u32) -> u64 {
    mix(seed ^ mix(u64::from(n).wrapping_add(0x9E37_79B9_7F4A_7C15)))
}

/// A SplitMix64 sequence (Steele, Lea and Flood, 2014), as the sandbox's `random_int` uses.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// An index below `count` (0 when `count` is 0).
    fn below(&mut self, count: usize) -> usize {
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        match self.next().checked_rem(count) {
            Some(index) => usize::try_from(index).unwrap_or(0),
            None => 0,
        }
    }

    /// An integer in `lo..=hi` (`lo` when `hi < lo`).
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = i128::from(hi) - i128::from(lo) + 1;
        if span <= 0 {
            return lo;
        }
        i64::try_from(i128::from(lo) + i128::from(self.next()) % span).unwrap_or(lo)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
