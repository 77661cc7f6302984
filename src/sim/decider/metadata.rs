//! [`Metadata`]: what a command carries besides its payload, as `decide` sees it in
//! `command.metadata`: `#{ now, correlationId, causationId, sender }`.

use serde_json::{Map, Value};

/// Who sends a command unless someone else is named: a participant.
pub const USER: &str = "user";

/// A command's metadata. Rules that depend on time read `now` here, never a clock of their own,
/// so a decision stays a function of the command, the history and this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The simulated clock when the command is handled, in ms since the Unix epoch.
    pub now: i64,
    /// The chain the command belongs to; `None` outside a runtime, which has no chains.
    pub correlation_id: Option<String>,
    /// What caused the command (a command id, or the id of the event a policy reacted to).
    pub causation_id: Option<String>,
    /// Who sent it: [`USER`], or the name of the policy that reacted.
    pub sender: String,
}

impl Metadata {
    /// A participant's command handled at `now`, outside any chain.
    pub fn at(now: i64) -> Self {
        Metadata {
            now,
            correlation_id: None,
            causation_id: None,
            sender: USER.to_owned(),
        }
    }

    /// What `decide` sees: `#{ now, correlationId, causationId, sender }`, the ids left out when
    /// there are none (a script reads them as `()`).
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("now".into(), self.now.into());
        if let Some(id) = &self.correlation_id {
            map.insert("correlationId".into(), id.as_str().into());
        }
        if let Some(id) = &self.causation_id {
            map.insert("causationId".into(), id.as_str().into());
        }
        map.insert("sender".into(), self.sender.as_str().into());
        Value::Object(map)
    }
}
