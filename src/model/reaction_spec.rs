//! Specs of what reacts: a policy, a translation, a consumer or a process manager, each given
//! one input (and a process the inputs before it), then what it asks for. Run by `sim::spec`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An event a policy or a translation reacts to, at its type's current version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventExample {
    /// Its type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Its payload.
    #[serde(default)]
    pub data: Value,
    /// The stream it is in; empty when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_id: Option<String>,
}

/// A message (or a process's input): a topic and a payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageExample {
    /// Its topic (for a timeout, the timeout's name).
    #[serde(rename = "type")]
    pub topic: String,
    /// Its payload.
    #[serde(default)]
    pub data: Value,
}

/// A command a spec expects, compared exactly (data included, no defaults filled in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedCommand {
    /// The command's name.
    #[serde(rename = "type")]
    pub command: String,
    /// The stream (or row id) it goes to.
    pub stream_id: String,
    /// Its payload.
    #[serde(default)]
    pub data: Value,
    /// The module it goes to, when not the sender's own (a consumer's or a process's `to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// A call to an external system a spec expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedCall {
    /// The external system.
    pub external: String,
    /// The idempotency key, if the call has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Its payload.
    #[serde(default)]
    pub data: Value,
}

/// A timeout a process spec expects to be scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedTimeout {
    /// The timeout's name.
    pub name: String,
    /// How long after the input it falls due.
    pub after_ms: u64,
}

/// When an event, then these commands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicySpec {
    /// The example's name.
    pub name: String,
    /// The policy under test (in the main module's model).
    pub policy: String,
    /// The event.
    pub when: EventWhen,
    /// The commands `react` sends, in order.
    pub then: Reactions,
}

/// The event a policy or a translation spec starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventWhen {
    /// The event.
    pub event: EventExample,
    /// A translation's `state`: the stream's state as of the event (`()` when left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Value>,
}

/// When an event (and its stream's state), then these messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TranslationSpec {
    /// The example's name.
    pub name: String,
    /// The module the translation belongs to.
    pub module: String,
    /// The translation under test.
    pub translation: String,
    /// The event and the state.
    pub when: EventWhen,
    /// The messages `translate` makes, in order.
    pub then: Reactions,
}

/// The message a consumer spec starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageWhen {
    /// The message.
    pub message: MessageExample,
}

/// When a message, then commands, messages and calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsumerSpec {
    /// The example's name.
    pub name: String,
    /// The consumer under test.
    pub consumer: String,
    /// The message.
    pub when: MessageWhen,
    /// What `handle` (or the mapping) asks for.
    pub then: Reactions,
}

/// The input a process spec's step gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputWhen {
    /// The input: a message or a timeout.
    pub input: MessageExample,
}

/// Given inputs (folded with `evolve` from `#{}`), when one more, then what `decide` asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProcessSpec {
    /// The example's name.
    pub name: String,
    /// The process manager under test.
    pub process: String,
    /// The instance's inputs so far, in order.
    #[serde(default)]
    pub given: Vec<MessageExample>,
    /// The next input.
    pub when: InputWhen,
    /// What `decide` asks for.
    pub then: Reactions,
}

/// What a reaction spec expects: every list in order, each left out meaning none. A policy sends
/// only commands, a translation makes only messages; a process may also schedule, cancel and end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reactions {
    /// Commands sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<ExpectedCommand>,
    /// Messages published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<MessageExample>,
    /// Calls to external systems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<ExpectedCall>,
    /// Timeouts scheduled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeouts: Vec<ExpectedTimeout>,
    /// Timeouts cancelled, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cancelled: Vec<String>,
    /// Whether the instance is done.
    #[serde(default, skip_serializing_if = "is_false")]
    pub done: bool,
    /// Whether the instance compensates the steps it took.
    #[serde(default, skip_serializing_if = "is_false")]
    pub compensate: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}
