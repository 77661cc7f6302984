//! Policies: "whenever this event happens, send that command".
//!
//! A scripted policy defines `fn react(event)` returning an array of commands
//! `#{ type, streamId, data }`. A mapping needs no code: each entry names the command, a stream id
//! template such as `invoice-{data.stayId}` and where each command field comes from.
//!
//! A policy runs `async` by default, from its own checkpoint in the runtime's steps (eventually
//! consistent, as a subscription in another process would be), or `inline`, within the command
//! whose events it reacts to.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::projection::{Audience, Lifecycle};

/// One command a mapping sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommandMapping {
    /// The command's name.
    pub command: String,
    /// The target stream id, with `{path}` placeholders read from the event, e.g. `guest-{data.guestId}`.
    pub stream_id: String,
    /// Command field → event path, e.g. `"amount": "data.total"`.
    #[serde(default)]
    pub data: BTreeMap<String, String>,
}

/// How a policy turns an event into commands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyLogic {
    /// A rhai source defining `fn react(event)`.
    Script(String),
    /// Commands built from the event's fields.
    Mapping(Vec<CommandMapping>),
}

/// A reaction to events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    /// The name.
    pub name: String,
    /// The business rule it automates.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The event types it reacts to.
    pub on: Vec<String>,
    /// When it reacts: `async` (the default, left out of scenario files) or `inline`.
    #[serde(default = "asynchronous", skip_serializing_if = "is_async")]
    pub lifecycle: Lifecycle,
    /// Who runs it: `external` for a consumer in another service (an integration handler).
    #[serde(default, skip_serializing_if = "Audience::is_internal")]
    pub audience: Audience,
    /// A script or a mapping.
    pub logic: PolicyLogic,
}

fn asynchronous() -> Lifecycle {
    Lifecycle::Async
}

fn is_async(lifecycle: &Lifecycle) -> bool {
    *lifecycle == Lifecycle::Async
}
