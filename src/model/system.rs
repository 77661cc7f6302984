//! [`System`]: the services a scenario runs side by side, and what travels between them.
//!
//! The scenario's own `model` is one module, the main one (named by [`System::main`]). Every
//! other module owns its definitions and its own store: an event-sourced module a [`Model`] like
//! the main one, a state-stored (CRUD) module tables and command handlers. Modules publish public
//! event types (contracts, [`Module::contracts`]) that their translations make out of private
//! events or row changes; consumers and process managers in other modules subscribe to them
//! through a broker that delivers at least once, with the faults of [`Faults`]. External systems
//! (a payment gateway, an email provider) answer calls after a latency, sometimes with a failure.
//!
//! Script conventions:
//! - a state-stored handler: `fn handle(command, row)` returns `#{ row, messages }` (`row: ()`
//!   deletes it) or rejects with `throw`; `row` is `()` when there is none;
//! - a translation: `fn translate(event, state)` returns messages `[#{ type, data }]`, `state`
//!   being the stream's state as of the event (for a table, the change `#{ table, id, before, after }`
//!   and the row after it);
//! - a consumer: `fn handle(message)` returns commands `[#{ type, streamId, data }]` or
//!   `#{ commands, messages, calls }`;
//! - a process manager: `fn evolve(state, input)` and `fn decide(input, state)` returning
//!   `#{ commands, messages, calls, schedule: [#{ name, afterMs, data }], cancel: [name], done,
//!   compensate }`; a command may name the module it goes to with `to` (its own by default);
//!   `compensate: true` sends the undo command of each step the instance took, latest first;
//! - a call: `#{ external, key, data }` (`key` the idempotency key); the answer arrives as a
//!   message on the external system's `succeeded` or `failed` topic, with `callId` and `key`.

use serde::{Deserialize, Serialize};

use super::event_type::EventType;
use super::field::Field;
use super::model::Model;
use super::policy::CommandMapping;

/// The name the main module goes by when the scenario does not name it.
pub const MAIN_MODULE: &str = "main";

/// The modules of a scenario and the links between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct System {
    /// The name of the module the scenario's own `model` is.
    #[serde(default = "main_module")]
    pub main: String,
    /// The modules; one named [`System::main`] may set how the main module publishes (its model
    /// stays the scenario's `model`).
    #[serde(default)]
    pub modules: Vec<Module>,
    /// Subscribers to topics that send commands to their module.
    #[serde(default)]
    pub consumers: Vec<Consumer>,
    /// Workflows that keep state per instance and schedule timeouts.
    #[serde(default)]
    pub processes: Vec<Process>,
    /// Simulated systems outside the scenario.
    #[serde(default)]
    pub externals: Vec<External>,
    /// The broker's faults wherever a consumer or module does not set its own.
    #[serde(default)]
    pub faults: Faults,
}

fn main_module() -> String {
    MAIN_MODULE.to_owned()
}

impl Default for System {
    fn default() -> Self {
        System {
            main: main_module(),
            modules: Vec::new(),
            consumers: Vec::new(),
            processes: Vec::new(),
            externals: Vec::new(),
            faults: Faults::default(),
        }
    }
}

impl System {
    /// A module by name (the main one only when it has an entry).
    pub fn module(&self, name: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.name == name)
    }

    /// A consumer by name.
    pub fn consumer(&self, name: &str) -> Option<&Consumer> {
        self.consumers.iter().find(|c| c.name == name)
    }

    /// A process manager by name.
    pub fn process(&self, name: &str) -> Option<&Process> {
        self.processes.iter().find(|p| p.name == name)
    }

    /// An external system by name.
    pub fn external(&self, name: &str) -> Option<&External> {
        self.externals.iter().find(|e| e.name == name)
    }
}

/// How a module keeps its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ModuleKind {
    /// Streams of events, decided by deciders.
    #[default]
    EventSourced,
    /// Rows in tables, overwritten by command handlers; no history.
    StateStored,
}

/// How a module gets its messages to the broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Publishing {
    /// Save, then publish: a crash in between loses the message.
    #[default]
    DualWrite,
    /// Messages written with the change, relayed later from a checkpoint: none is lost.
    Outbox,
    /// The store's changes read back and turned into messages (state-stored modules).
    ChangeDataCapture,
}

/// A service with its own store.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Module {
    /// The name, unique in the scenario.
    pub name: String,
    /// What it is responsible for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Event-sourced or state-stored.
    #[serde(default)]
    pub kind: ModuleKind,
    /// An event-sourced module's definitions (none for the main module, whose model is the
    /// scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Model>,
    /// A state-stored module's tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<Table>,
    /// A state-stored module's command handlers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handlers: Vec<Handler>,
    /// How its messages reach the broker.
    #[serde(default)]
    pub publishing: Publishing,
    /// The public event types it publishes, each a topic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<EventType>,
    /// What turns its private events (or row changes) into public ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<Translation>,
    /// The publisher's faults (a crash between the change and the publish), over the system's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<Faults>,
}

/// A table of a state-stored module: rows keyed by id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Table {
    /// The name.
    pub name: String,
    /// The columns.
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// A command of a state-stored module: reads one row, writes it back or rejects.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Handler {
    /// The command's name.
    pub name: String,
    /// What it does.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The table whose row it reads and writes, by the command's id.
    pub table: String,
    /// The command's fields.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// A rhai source defining `fn handle(command, row)`.
    pub script: String,
}

/// Private events (or a table's changes) made public.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Translation {
    /// The name.
    pub name: String,
    /// The private event types (or, in a state-stored module, tables) it reads.
    pub on: Vec<String>,
    /// A rhai source defining `fn translate(event, state)`.
    pub script: String,
}

/// What a consumer does when a handler fails on a message for the last time, or at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NackAction {
    /// Deliver it again after the backoff.
    Retry,
    /// Put it aside (dead letter) to inspect, replay or skip.
    #[default]
    Park,
    /// Drop it and go on.
    Skip,
    /// Stop the consumer at it.
    Stop,
}

/// How a consumer retries a failing message.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryPolicy {
    /// Deliveries after the first before giving up.
    #[serde(default = "default_max_retries")]
    pub max_retries: u32,
    /// The wait before the first retry, in simulated ms.
    #[serde(default = "default_backoff_ms")]
    pub backoff_ms: u64,
    /// Each retry waits this many times longer than the one before.
    #[serde(default = "default_multiplier")]
    pub multiplier: f64,
    /// What happens after the last retry.
    #[serde(default)]
    pub exhausted: NackAction,
}

fn default_max_retries() -> u32 {
    3
}
fn default_backoff_ms() -> u64 {
    100
}
fn default_multiplier() -> f64 {
    2.0
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: default_max_retries(),
            backoff_ms: default_backoff_ms(),
            multiplier: default_multiplier(),
            exhausted: NackAction::Park,
        }
    }
}

/// How a consumer turns a message into commands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ConsumerLogic {
    /// A rhai source defining `fn handle(message)`.
    Script(String),
    /// Commands built from the message's fields.
    Mapping(Vec<CommandMapping>),
}

/// A subscriber in a consumer group: reads topics from its checkpoint and sends commands to its
/// module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Consumer {
    /// The name (the consumer group).
    pub name: String,
    /// What it is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The module whose commands it sends.
    pub module: String,
    /// Contract names, or `module.EventType` for another module's private events.
    pub topics: Vec<String>,
    /// A script or a mapping.
    pub logic: ConsumerLogic,
    /// Whether it drops a message id it has already handled.
    #[serde(default)]
    pub inbox: bool,
    /// How long the inbox remembers a message id, in simulated ms (forever when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbox_retention_ms: Option<u64>,
    /// Retries and what follows them.
    #[serde(default)]
    pub retry: RetryPolicy,
    /// The link's faults, over the system's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<Faults>,
}

/// A command a process step sends and the one that undoes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Compensation {
    /// The step's command.
    pub step: String,
    /// The command that undoes it, sent when the process fails after the step.
    pub undo: String,
}

/// A process manager: one instance per correlation, its inputs kept in its own stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Process {
    /// The name; each instance's stream is `<name>-<correlation>`.
    pub name: String,
    /// The business process.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The module whose commands it sends when a command names none.
    pub module: String,
    /// The topics it starts from or reacts to.
    pub topics: Vec<String>,
    /// Where in a message its instance's key is, e.g. `data.orderId`.
    pub correlate: String,
    /// The timeouts it may schedule, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeouts: Vec<String>,
    /// The commands it sends that something must undo when it fails later.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compensations: Vec<Compensation>,
    /// The commands it sends (its steps), for the checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
    /// A rhai source defining `fn evolve(state, input)` and `fn decide(input, state)`.
    pub script: String,
    /// Whether it drops a message id it has already handled.
    #[serde(default)]
    pub inbox: bool,
    /// Retries and what follows them.
    #[serde(default)]
    pub retry: RetryPolicy,
}

/// A system outside the scenario that answers calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct External {
    /// The name, e.g. `PaymentGateway`.
    pub name: String,
    /// What it does.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The shortest answer, in simulated ms.
    #[serde(default)]
    pub latency_ms: u64,
    /// How much longer an answer may take, at most.
    #[serde(default)]
    pub jitter_ms: u64,
    /// The share of calls that fail, 0 to 1.
    #[serde(default)]
    pub failure_rate: f64,
    /// Whether a call repeated with the same idempotency key answers as the first without doing
    /// it again.
    #[serde(default)]
    pub idempotency_keys: bool,
    /// The topic its successful answers are published on.
    pub succeeded: String,
    /// The topic its failures are published on.
    pub failed: String,
}

/// A window of simulated time, `[fromMs, toMs)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Window {
    /// Where it starts.
    pub from_ms: u64,
    /// Where it ends.
    pub to_ms: u64,
}

/// What goes wrong, seeded: the same seed and inputs give the same faults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Faults {
    /// The share of deliveries made twice.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub duplicate: f64,
    /// The shortest delivery, in ms.
    #[serde(default, skip_serializing_if = "is_zero_ms")]
    pub delay_ms: u64,
    /// How much longer a delivery may take, at most: deliveries within it may overtake each other.
    #[serde(default, skip_serializing_if = "is_zero_ms")]
    pub reorder_window_ms: u64,
    /// The share of deliveries after which the consumer crashes before acknowledging: its work is
    /// done, the message comes again.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub consumer_crash: f64,
    /// The share of publishes the publisher crashes before: with a dual write the message is lost;
    /// an outbox relay crashes after publishing and before moving its checkpoint.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub publisher_crash: f64,
    /// Windows in which the broker delivers nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<Window>,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

fn is_zero_ms(value: &u64) -> bool {
    *value == 0
}
