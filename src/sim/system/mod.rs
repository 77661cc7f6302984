//! [`Services`]: the modules of a scenario running side by side, each with its own store, and the
//! broker between them.
//!
//! The main module is the scenario's own [`Runtime`]; other event-sourced modules get a runtime
//! of their own, state-stored ones tables ([`Tables`]). What a module publishes goes through its
//! publishing (a dual write that a crash can lose, an outbox relayed from a checkpoint, or change
//! data capture) to the broker, which delivers at least once to each subscriber (a consumer or a
//! process manager) with the faults its link has: duplicates, delays that reorder, outages, and
//! crashes before the acknowledgement. A failing delivery is retried with backoff, then parked,
//! skipped or stops its subscriber; parked messages can be replayed or skipped. Process managers
//! keep each instance's inputs in a stream of their own and schedule timeouts; external systems
//! answer calls after a latency. Everything that happens is traced by correlation.
//!
//! Time is simulated: [`Services::run`] moves the clock, doing what falls due in order (see
//! `schedule.rs`), so the same seed and inputs give the same run whatever the steps.
//!
//! Files: `schedule.rs` (the agenda and the dice), `publish.rs` (translations, dual write,
//! outbox, change data capture), `deliver.rs` (subscribers, inbox, retries, parking), `react.rs`
//! (one translation, consumer or process step on its own: what the broker and the spec runner run),
//! `tables.rs` (state-stored modules), `processes.rs`, `externals.rs`, `trace.rs`, `report.rs`
//! (what the API shows), `probe.rs` (a message handed to one subscriber, and what the modules
//! hold: what the linter runs consumers with), `redefine.rs` (a system edited while it runs).

mod deliver;
mod externals;
mod probe;
mod processes;
mod publish;
pub(crate) mod react;
mod redefine;
mod report;
mod schedule;
mod tables;
mod trace;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::{json, Map, Value};

use super::decider::Outcome;
use super::error::{Error, Result};
use super::runtime::{CommandRequest, Decision, Expected, Runtime};
use crate::model::{ModuleKind, Scenario, System, MAIN_MODULE};
use crate::script::{Limits, Sandbox};
use crate::store::{Config, Store};

pub use probe::Holdings;
pub use report::{
    CallRow, ChangeRow, Delivery, ExternalRow, InboxRow, Instance, LinkStats, ModuleRow, OutboxRow, ParkedRow,
    PendingTimeout, ScheduledRetry, SentCommand, SubscriberRow,
};
pub use trace::{Trace, TraceEdge, TraceNode};

use deliver::Subscriber;
use externals::{Call, ExternalRun};
use processes::ProcessRun;
use publish::Publisher;
use schedule::{Agenda, Dice, Task};
use tables::Tables;
use trace::{Journal, Label};

/// How many commands a message's handling may lead to in one go: past it, a loop of policies or
/// consumers is a failure of that delivery, not a frozen page.
const MAX_TASKS_PER_IDLE: usize = 1_000_000;

/// Who published a message put on a topic from outside any module.
const INJECTED: &str = "console";

/// A module other than the main one.
enum Part {
    EventSourced(Box<Runtime>),
    StateStored(Tables),
}

/// A message on the broker.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// `msg-<n>`, kept when an outbox relays it twice or the broker duplicates it.
    pub id: String,
    /// Its topic: a contract's name, an external system's answer, or `module.EventType`.
    pub topic: Rc<str>,
    /// The payload.
    pub data: Value,
    /// The module (or external system) that published it.
    pub source: Rc<str>,
    /// The chain it belongs to.
    pub correlation_id: Rc<str>,
    /// What made it: an event, a row change, a process step or a call.
    pub causation_id: String,
    /// When it was made.
    pub created_ms: i64,
    /// When it reached the broker, if it did.
    pub published_ms: Option<i64>,
    /// Lost by a crash between the change and the publish (a dual write).
    pub lost: bool,
    /// Its trace node.
    #[serde(skip)]
    node: usize,
    /// Its correlation's number in the journal.
    #[serde(skip)]
    chain: u32,
    /// Its topic's number in [`Topics`].
    #[serde(skip)]
    topic_number: u32,
}

impl Message {
    /// What a consumer's or a process's script sees.
    fn to_value(&self) -> Value {
        json!({
            "id": self.id,
            "type": self.topic,
            "data": self.data,
            "source": self.source,
            "correlationId": self.correlation_id,
            "causationId": self.causation_id,
        })
    }
}

/// A command to one module, from a user, a consumer or a process manager.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModuleCommand {
    /// The module; the main one when empty.
    pub module: String,
    /// The command's name.
    pub command: String,
    /// The stream (event-sourced) or row id (state-stored) it goes to.
    pub stream_id: String,
    /// Its payload.
    pub data: Value,
    /// The chain it belongs to; a new chain when absent.
    pub correlation_id: Option<String>,
    /// Who sent it: `user` when absent.
    pub sender: Option<String>,
}

/// Whose faults [`Services::set_faults`] sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultTarget<'a> {
    /// A consumer's or process's link.
    Consumer(&'a str),
    /// A module's publisher.
    Module(&'a str),
    /// Every link and publisher.
    All,
}

/// What a command did in its module.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandResult {
    /// The command's trace node.
    pub command_id: String,
    /// The chain it belongs to.
    pub correlation_id: String,
    /// `accepted` or `rejected`.
    pub accepted: bool,
    /// Why it was rejected.
    pub rejection: Option<String>,
    /// The events appended (event-sourced) as `{ type, data, position }`, or the row written.
    pub written: Vec<Value>,
}

impl CommandResult {
    /// Command `node`'s result: accepted unless there is a rejection.
    fn new(node: &str, correlation: &str, rejection: Option<String>, written: Vec<Value>) -> CommandResult {
        CommandResult {
            command_id: node.to_owned(),
            correlation_id: correlation.to_owned(),
            accepted: rejection.is_none(),
            rejection,
            written,
        }
    }
}

/// The modules of a scenario and the broker between them.
pub struct Services {
    definition: System,
    /// The main module's runtime: the one the app's pages work on.
    pub(crate) main: Runtime,
    /// Module names by id; 0 is the main module.
    names: Vec<String>,
    /// The other modules, by id − 1.
    others: Vec<Part>,
    publishers: Vec<Publisher>,
    messages: Vec<Message>,
    subscribers: Vec<Subscriber>,
    processes: Vec<ProcessRun>,
    externals: Vec<ExternalRun>,
    calls: Vec<Call>,
    agenda: Agenda,
    dice: Dice,
    sandbox: Sandbox,
    journal: Journal,
    /// Message ids handed out.
    messages_made: u64,
    /// The topics messages were made on.
    topic_book: Topics,
    deliveries: Vec<deliver::Delivered>,
    /// Every topic there is.
    topics: BTreeSet<String>,
    /// Whether a module ran a command since the last [`Services::settle`].
    touched: bool,
}

impl Services {
    /// Starts a scenario's modules: the main one from its events (see [`Runtime::new`]), the
    /// others empty.
    pub fn new(scenario: &Scenario) -> Result<Services> {
        Ok(Services::with_main(scenario, Runtime::new(scenario)?))
    }

    /// Starts the modules around a main runtime already running.
    pub fn with_main(scenario: &Scenario, main: Runtime) -> Services {
        let definition = scenario.system.clone().unwrap_or_default();
        let seed = scenario.settings.seed;
        let now = main.store().now_ms();
        let mut names = vec![definition.main.clone()];
        let mut others = Vec::new();
        for module in definition.modules.iter().filter(|m| m.name != definition.main) {
            names.push(module.name.clone());
            let module_seed = seed ^ hash(&module.name);
            others.push(match module.kind {
                ModuleKind::EventSourced => {
                    let mut store = Store::new(Config {
                        seed: module_seed,
                        ..Config::default()
                    });
                    let _ = store.set_ms(now);
                    let model = module.model.clone().unwrap_or_default();
                    Part::EventSourced(Box::new(Runtime::with_store(model, store, module_seed)))
                }
                ModuleKind::StateStored => Part::StateStored(Tables::new(module)),
            });
        }
        let publishers = names
            .iter()
            .enumerate()
            .map(|(id, name)| Publisher::new(id, definition.module(name), &definition.faults))
            .collect();
        let mut services = Services {
            main,
            names,
            others,
            publishers,
            messages: Vec::new(),
            subscribers: Vec::new(),
            processes: Vec::new(),
            externals: definition.externals.iter().cloned().map(ExternalRun::new).collect(),
            calls: Vec::new(),
            agenda: Agenda::default(),
            dice: Dice::new(seed),
            sandbox: Sandbox::new(Limits::default(), seed),
            journal: Journal::default(),
            messages_made: 0,
            topic_book: Topics::default(),
            deliveries: Vec::new(),
            topics: crate::model::system_check::topics(scenario, &definition),
            touched: false,
            definition,
        };
        services.subscribe();
        // What the main module held before it had neighbours is not published again.
        for publisher in &mut services.publishers {
            publisher.read = match publisher.module {
                0 => services.main.head(),
                _ => 0,
            };
        }
        services
    }

    /// The system as defined.
    pub fn definition(&self) -> &System {
        &self.definition
    }

    /// The simulated time, in ms.
    pub fn now(&self) -> i64 {
        self.main.store().now_ms()
    }

    /// The module names, the main one first.
    pub fn module_names(&self) -> &[String] {
        &self.names
    }

    fn module_id(&self, name: &str) -> Result<usize> {
        if name.is_empty() {
            return Ok(0);
        }
        self.names.iter().position(|n| n == name).ok_or_else(|| Error::Unknown {
            what: "module",
            name: name.to_owned(),
        })
    }

    /// An event-sourced module's runtime.
    pub fn runtime(&self, module: &str) -> Result<&Runtime> {
        match self.module_id(module)? {
            0 => Ok(&self.main),
            id => match &self.others[id - 1] {
                Part::EventSourced(runtime) => Ok(runtime),
                Part::StateStored(_) => Err(Error::Unknown {
                    what: "event-sourced module",
                    name: module.to_owned(),
                }),
            },
        }
    }

    fn runtime_mut(&mut self, id: usize) -> Option<&mut Runtime> {
        match id {
            0 => Some(&mut self.main),
            id => match &mut self.others[id - 1] {
                Part::EventSourced(runtime) => Some(runtime),
                Part::StateStored(_) => None,
            },
        }
    }

    fn tables(&self, module: &str) -> Result<&Tables> {
        let id = self.module_id(module)?;
        match id.checked_sub(1).map(|i| &self.others[i]) {
            Some(Part::StateStored(tables)) => Ok(tables),
            _ => Err(Error::Unknown {
                what: "state-stored module",
                name: module.to_owned(),
            }),
        }
    }

    /// The field names of a command in module `id`, if it has that command.
    fn command_fields(&self, id: usize, command: &str) -> Option<Vec<String>> {
        let fields = match id.checked_sub(1).map(|i| &self.others[i]) {
            None => &self.main.model().command(command)?.fields,
            Some(Part::EventSourced(runtime)) => &runtime.model().command(command)?.fields,
            Some(Part::StateStored(_)) => {
                &self
                    .definition
                    .module(&self.names[id])?
                    .handlers
                    .iter()
                    .find(|h| h.name == command)?
                    .fields
            }
        };
        Some(fields.iter().map(|f| f.name.clone()).collect())
    }

    /// The rows of a state-stored module's table, by id.
    pub fn rows(&self, module: &str, table: &str) -> Result<&BTreeMap<String, Value>> {
        self.tables(module)?.rows(table).ok_or_else(|| Error::Unknown {
            what: "table",
            name: table.to_owned(),
        })
    }

    /// Whether the scenario has more than its main module, or anyone reading what it publishes:
    /// without, nothing is traced or published and the main module runs as it always did.
    pub fn is_system(&self) -> bool {
        self.names.len() > 1 || !self.subscribers.is_empty() || !self.publishers[0].translations.is_empty()
    }

    /// Notes a command the main module ran directly (a page's or the console's) and publishes
    /// what it appended, without stepping any projection: a click stays a click.
    pub fn after_main_command(&mut self, decision: &Decision) {
        if !self.is_system() {
            return;
        }
        let label = format!("{} → {}", decision.command, decision.stream_id);
        let (now, main) = (self.now(), self.names[0].clone());
        let cause = (decision.causation_id != decision.command_id).then_some(decision.causation_id.as_str());
        self.journal.add(
            &decision.command_id,
            "command",
            &main,
            Label::Text(label),
            now,
            &decision.correlation_id,
            cause,
        );
        self.publish_new();
    }

    /// Runs one command in its module and publishes what follows from it at once (a dual write
    /// publishes now; an outbox is relayed when the clock runs).
    pub fn execute(&mut self, command: &ModuleCommand) -> Result<CommandResult> {
        let module = self.module_id(&command.module)?;
        let node = self.journal.next_id("c");
        let correlation = command.correlation_id.clone().unwrap_or_else(|| node.clone());
        let sender = command.sender.clone().unwrap_or_else(|| "user".to_owned());
        let result = self
            .command_in(module, command, &node, &correlation, None, &sender)
            .inspect_err(|_| self.journal.give_back("c"))?;
        self.settle();
        Ok(result)
    }

    /// Runs a command in module `module` as trace node `node`, caused by `cause`.
    fn command_in(
        &mut self,
        module: usize,
        command: &ModuleCommand,
        node: &str,
        correlation: &str,
        cause: Option<&str>,
        sender: &str,
    ) -> Result<CommandResult> {
        let now = self.now();
        self.touched = true;
        let label = format!("{} → {}", command.command, command.stream_id);
        let result = match module {
            0 => execute_in(&mut self.main, command, node, correlation, sender),
            id => match &mut self.others[id - 1] {
                Part::EventSourced(runtime) => execute_in(runtime, command, node, correlation, sender),
                Part::StateStored(tables) => {
                    let done = tables.handle(&mut self.sandbox, command, node, correlation, sender, now)?;
                    let written = done.row.iter().cloned().collect();
                    for (topic, data) in done.messages {
                        self.emit(id, &topic, data, correlation, node);
                    }
                    Ok(CommandResult::new(node, correlation, done.rejection, written))
                }
            },
        }?;
        self.journal.add(
            node,
            "command",
            &self.names[module],
            Label::Text(label),
            now,
            correlation,
            cause,
        );
        Ok(result)
    }

    /// Puts a message on a topic from outside any module (a trainer's console, a test, a
    /// benchmark), as a new correlation unless one is given; returns its id. Its subscribers get
    /// it when the clock runs.
    pub fn inject(&mut self, topic: &str, data: Value, correlation: Option<&str>) -> Result<String> {
        if !self.topics.contains(topic) {
            return Err(Error::Unknown {
                what: "topic",
                name: topic.to_owned(),
            });
        }
        // Without a chain to join, the message starts one named after itself.
        let correlation = correlation.map_or_else(|| format!("msg-{}", self.messages_made + 1), str::to_owned);
        let message = self.make_message(INJECTED, topic, data, &correlation, None);
        self.publish(message);
        Ok(self.messages[message].id.clone())
    }

    /// Sets the faults of one consumer's link (`Consumer`), one module's publisher (`Module`), or
    /// of every link and publisher (`All`).
    pub fn set_faults(&mut self, target: FaultTarget<'_>, faults: &crate::model::Faults) -> Result<()> {
        match target {
            FaultTarget::Consumer(name) => {
                let index = self.subscriber(name)?;
                self.subscribers[index].faults = faults.clone();
            }
            FaultTarget::Module(name) => {
                let id = self.module_id(name)?;
                self.publishers[id].faults = faults.clone();
            }
            FaultTarget::All => {
                for subscriber in &mut self.subscribers {
                    subscriber.faults = faults.clone();
                }
                for publisher in &mut self.publishers {
                    publisher.faults = faults.clone();
                }
                self.definition.faults = faults.clone();
            }
        }
        Ok(())
    }

    /// The faults of one consumer's link (`Consumer`), one module's publisher (`Module`), or the
    /// system's, which links and publishers without their own start with (`All`).
    pub fn faults(&self, target: FaultTarget<'_>) -> Result<crate::model::Faults> {
        Ok(match target {
            FaultTarget::Consumer(name) => self.subscribers[self.subscriber(name)?].faults.clone(),
            FaultTarget::Module(name) => self.publishers[self.module_id(name)?].faults.clone(),
            FaultTarget::All => self.definition.faults.clone(),
        })
    }

    /// Moves the clock `ms` forward, doing what falls due on the way; returns how many tasks ran.
    pub fn run(&mut self, ms: u64) -> Result<usize> {
        let until = self.now().saturating_add(i64::try_from(ms).unwrap_or(i64::MAX));
        let (ran, _) = self.run_to(until, MAX_TASKS_PER_IDLE, &mut || true);
        self.set_clock(until)?;
        Ok(ran)
    }

    /// Moves the clock towards `until`, doing at most `max_tasks` of what falls due on the way and
    /// asking `more` before each task after the first whether to go on (a caller with a time
    /// budget asks its clock): when that is all of it the clock reaches `until` and the answer is
    /// `true`; otherwise it stays at the last task done, and a later call goes on from there.
    /// Slices of any size give the same run as one [`Services::run`].
    pub fn run_within(
        &mut self,
        until: i64,
        max_tasks: usize,
        more: &mut dyn FnMut() -> bool,
    ) -> Result<(usize, bool)> {
        let (ran, stopped) = self.run_to(until, max_tasks, more);
        let reached = !stopped || self.agenda.next_due().is_none_or(|due| due > until);
        if reached && until > self.now() {
            self.set_clock(until)?;
        }
        Ok((ran, reached))
    }

    /// Runs until nothing is left to do (each module's projections and policies idle, nothing
    /// scheduled), moving the clock to each task's time; returns how many tasks ran. A system that
    /// keeps itself busy stops after a million tasks.
    pub fn run_until_idle(&mut self) -> usize {
        self.settle();
        self.run_to(i64::MAX, MAX_TASKS_PER_IDLE, &mut || true).0
    }

    /// Does what falls due up to `until`; how many tasks ran, and whether it stopped short (at
    /// `max_tasks`, or because `more` said so).
    fn run_to(&mut self, until: i64, max_tasks: usize, more: &mut dyn FnMut() -> bool) -> (usize, bool) {
        self.settle();
        let mut ran = 0;
        loop {
            if ran >= max_tasks || (ran > 0 && !more()) {
                return (ran, true);
            }
            let Some((due, task)) = self.agenda.pop_until(until) else {
                return (ran, false);
            };
            if due > self.now() {
                let _ = self.set_clock(due);
            }
            self.perform(task);
            if self.touched {
                self.settle();
            }
            ran += 1;
        }
    }

    /// Whatever can happen without the clock moving: each module's async projections and
    /// policies catch up, and what they appended is translated and published.
    fn settle(&mut self) {
        self.touched = false;
        loop {
            for id in 0..self.names.len() {
                if let Some(runtime) = self.runtime_mut(id) {
                    runtime.run_until_idle();
                }
            }
            if !self.publish_new() {
                break;
            }
        }
    }

    fn perform(&mut self, task: Task) {
        match task {
            Task::Deliver {
                subscriber,
                message,
                attempt,
                duplicate,
                retry_of,
            } => self.deliver(subscriber, message, attempt, duplicate, retry_of),
            Task::Relay { module } => self.relay(module),
            Task::Timeout {
                process,
                instance,
                name,
                id,
            } => self.fire_timeout(process, &instance, &name, &id),
            Task::Answer { call } => self.answer(call),
        }
    }

    fn set_clock(&mut self, to: i64) -> Result<()> {
        for id in 0..self.names.len() {
            if let Some(runtime) = self.runtime_mut(id) {
                let behind = to - runtime.store().now_ms();
                if behind > 0 {
                    runtime.advance_clock(behind.unsigned_abs())?;
                }
            }
        }
        for process in &mut self.processes {
            if process.store.now_ms() < to {
                process.store.set_ms(to)?;
            }
        }
        Ok(())
    }
}

/// Runs `command` through an event-sourced module's decider, retrying conflicts twice.
fn execute_in(
    runtime: &mut Runtime,
    command: &ModuleCommand,
    node: &str,
    correlation: &str,
    sender: &str,
) -> Result<CommandResult> {
    let executed = runtime.execute(&CommandRequest {
        command: command.command.clone(),
        stream_id: command.stream_id.clone(),
        data: command.data.clone(),
        expected: Expected::Read,
        correlation_id: Some(correlation.to_owned()),
        causation_id: Some(node.to_owned()),
        retries: 2,
        sender: Some(sender.to_owned()),
    })?;
    let (rejection, written) = match &executed.decision.outcome {
        Outcome::Accepted(events) => (
            None,
            events
                .iter()
                .zip(&executed.committed.positions)
                .map(|(e, position)| json!({ "type": e.event_type, "data": e.data, "position": position }))
                .collect(),
        ),
        Outcome::Rejected(rejection) => (Some(rejection.message.clone()), Vec::new()),
    };
    Ok(CommandResult::new(node, correlation, rejection, written))
}

/// The topics messages were made on, by number in order of first use: each one's name, its
/// readers and the broker's figures, so that a message finds them without comparing names.
#[derive(Debug, Default)]
struct Topics {
    numbers: trace::FastMap<Rc<str>, u32>,
    names: Vec<Rc<str>>,
    /// The subscribers of each topic.
    readers: Vec<Vec<usize>>,
    stats: Vec<report::TopicStats>,
}

impl Services {
    /// The number of `topic`, given one on first use.
    fn topic_number(&mut self, topic: &str) -> u32 {
        if let Some(&n) = self.topic_book.numbers.get(topic) {
            return n;
        }
        let book = &mut self.topic_book;
        let n = u32::try_from(book.names.len()).unwrap_or(u32::MAX);
        let name: Rc<str> = Rc::from(topic);
        book.numbers.insert(Rc::clone(&name), n);
        book.names.push(name);
        book.readers.push(
            (0..self.subscribers.len())
                .filter(|&s| self.subscribers[s].topics.iter().any(|t| t == topic))
                .collect(),
        );
        book.stats.push(report::TopicStats::default());
        n
    }
}

/// What a consumer's or a process's script asked for.
#[derive(Debug, Default)]
pub(crate) struct Reaction {
    /// Commands, each to its module (`to`; the sender's own when empty).
    pub commands: Vec<ModuleCommand>,
    /// Messages to publish: `(topic, data)`.
    pub messages: Vec<(String, Value)>,
    /// Calls to external systems: `(external, key, data)`.
    pub calls: Vec<(String, Option<String>, Value)>,
    /// Timeouts to schedule: `(name, afterMs, data)`.
    pub schedule: Vec<(String, u64, Value)>,
    /// Timeouts to cancel, by name.
    pub cancel: Vec<String>,
    /// Whether the instance is done.
    pub done: bool,
    /// Whether the instance undoes its steps.
    pub compensate: bool,
}

impl Reaction {
    /// Reads `[commands…]` or `#{ commands, messages, calls, schedule, cancel, done, compensate }`.
    pub(crate) fn read(value: Value, owner: &str) -> Result<Reaction> {
        let bad = |message: String| Error::BadResult {
            owner: owner.to_owned(),
            message,
        };
        let mut reaction = Reaction::default();
        let map = match value {
            Value::Null => return Ok(reaction),
            Value::Array(commands) => {
                let mut map = Map::new();
                map.insert("commands".into(), Value::Array(commands));
                map
            }
            Value::Object(map) => map,
            other => {
                return Err(bad(format!(
                    "expected an array of commands or #{{ commands, messages, calls }}, got {other}"
                )))
            }
        };
        let list = |key: &str| -> Result<Vec<Value>> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(items)) => Ok(items.clone()),
                Some(other) => Err(bad(format!("{key} must be an array, got {other}"))),
            }
        };
        let text = |item: &Value, key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
        let data = |item: &Value| item.get("data").cloned().unwrap_or_else(|| json!({}));
        for item in list("commands")? {
            let (Some(command), Some(stream_id)) = (text(&item, "type"), text(&item, "streamId").or(text(&item, "id")))
            else {
                return Err(bad(format!("a command needs a type and a streamId (or an id): {item}")));
            };
            reaction.commands.push(ModuleCommand {
                // `to` in scripts, where `module` is a reserved word (`"module"` works too).
                module: text(&item, "to").or_else(|| text(&item, "module")).unwrap_or_default(),
                command,
                stream_id,
                data: data(&item),
                ..ModuleCommand::default()
            });
        }
        for item in list("messages")? {
            let Some(topic) = text(&item, "type") else {
                return Err(bad(format!("a message needs a type: {item}")));
            };
            reaction.messages.push((topic, data(&item)));
        }
        for item in list("calls")? {
            let Some(external) = text(&item, "external") else {
                return Err(bad(format!("a call needs the external system's name: {item}")));
            };
            reaction.calls.push((external, text(&item, "key"), data(&item)));
        }
        for item in list("schedule")? {
            let (Some(name), Some(after)) = (text(&item, "name"), item.get("afterMs").and_then(Value::as_u64)) else {
                return Err(bad(format!("a timeout needs a name and afterMs: {item}")));
            };
            reaction.schedule.push((name, after, data(&item)));
        }
        for item in list("cancel")? {
            match item.as_str() {
                Some(name) => reaction.cancel.push(name.to_owned()),
                None => return Err(bad(format!("cancel names timeouts: {item}"))),
            }
        }
        reaction.done = map.get("done").and_then(Value::as_bool).unwrap_or(false);
        reaction.compensate = map.get("compensate").and_then(Value::as_bool).unwrap_or(false);
        Ok(reaction)
    }
}

/// The value at a dotted path, e.g. `data.orderId`, as text.
fn lookup_text(value: &Value, path: &str) -> Option<String> {
    let found = path.split('.').try_fold(value, |current, key| current.get(key))?;
    match found {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// FNV-1a, to give each module's store its own seed.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The main module's name when a scenario does not say.
pub fn main_module_name(scenario: &Scenario) -> &str {
    scenario.system.as_ref().map_or(MAIN_MODULE, |s| s.main.as_str())
}
