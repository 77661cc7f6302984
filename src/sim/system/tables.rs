//! A state-stored (CRUD) module: rows in tables keyed by id, overwritten by command handlers. No
//! history is kept but the change log change data capture reads.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::ModuleCommand;
use crate::model::{fill_payload, Handler, Module};
use crate::script::{Owner, OwnerKind, Sandbox, ScriptErrorKind};
use crate::sim::error::{Error, Result};

/// One write to a row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Change {
    /// `<module>/change-<n>`: its trace node.
    pub id: String,
    /// The handler that wrote it.
    pub command: String,
    /// That command's trace node.
    pub command_id: String,
    pub table: String,
    pub row_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub at_ms: i64,
    pub correlation_id: String,
}

impl Change {
    /// `insert`, `update` or `delete`.
    pub fn op(&self) -> &'static str {
        match (&self.before, &self.after) {
            (None, Some(_)) => "insert",
            (Some(_), None) => "delete",
            _ => "update",
        }
    }

    /// What a change data capture translation sees.
    pub fn to_value(&self) -> Value {
        json!({
            "table": self.table,
            "id": self.row_id,
            "before": self.before,
            "after": self.after,
            "op": self.op(),
            "atMs": self.at_ms,
        })
    }
}

/// What a handler did.
#[derive(Debug, Default)]
pub(super) struct Handled {
    pub row: Option<Value>,
    pub rejection: Option<String>,
    pub messages: Vec<(String, Value)>,
}

/// A state-stored module's rows.
#[derive(Debug)]
pub(super) struct Tables {
    module: String,
    handlers: Vec<Handler>,
    tables: BTreeMap<String, BTreeMap<String, Value>>,
    pub changes: Vec<Change>,
}

impl Tables {
    pub fn new(module: &Module) -> Tables {
        Tables {
            module: module.name.clone(),
            handlers: module.handlers.clone(),
            tables: module
                .tables
                .iter()
                .map(|t| (t.name.clone(), BTreeMap::new()))
                .collect(),
            changes: Vec::new(),
        }
    }

    /// Takes changed command handlers; the rows stay.
    pub fn set_handlers(&mut self, handlers: &[Handler]) {
        handlers.clone_into(&mut self.handlers);
    }

    pub fn row_count(&self) -> u64 {
        self.tables.values().map(|rows| rows.len() as u64).sum()
    }

    pub fn rows(&self, table: &str) -> Option<&BTreeMap<String, Value>> {
        self.tables.get(table)
    }

    /// Runs a handler: `fn handle(command, row)` → `#{ row, messages }`, or a thrown rejection.
    pub fn handle(
        &mut self,
        sandbox: &mut Sandbox,
        command: &ModuleCommand,
        node: &str,
        correlation: &str,
        sender: &str,
        now: i64,
    ) -> Result<Handled> {
        let handler = self
            .handlers
            .iter()
            .find(|h| h.name == command.command)
            .ok_or_else(|| Error::Unknown {
                what: "command",
                name: format!("{}.{}", self.module, command.command),
            })?
            .clone();
        let data = fill_payload(&handler.name, &handler.fields, &command.data)?;
        let owner = Owner {
            kind: OwnerKind::Handler,
            name: handler.name.clone(),
        };
        let script = sandbox.compile(&owner, &handler.script)?;
        let rows = self.tables.entry(handler.table.clone()).or_default();
        let before = rows.get(&command.stream_id).cloned();
        let value = json!({
            "type": handler.name,
            "id": command.stream_id,
            "data": data,
            "metadata": { "now": now, "correlationId": correlation, "causationId": node, "sender": sender },
        });
        let result = match sandbox.call(script, "handle", &[value, before.clone().unwrap_or(Value::Null)]) {
            Ok(result) => result,
            Err(error) => match error.kind {
                ScriptErrorKind::Thrown(Value::String(message)) => {
                    return Ok(Handled {
                        rejection: Some(message),
                        ..Handled::default()
                    })
                }
                ScriptErrorKind::Thrown(other) => {
                    return Ok(Handled {
                        rejection: Some(other.to_string()),
                        ..Handled::default()
                    })
                }
                _ => return Err(error.into()),
            },
        };
        let bad = |message: String| Error::BadResult {
            owner: owner.to_string(),
            message,
        };
        let Value::Object(map) = result else {
            return Err(bad(format!("handle must return #{{ row, messages }}, got {result}")));
        };
        let after = match map.get("row") {
            None => before.clone(),
            Some(Value::Null) => None,
            Some(row) => Some(row.clone()),
        };
        let mut messages = Vec::new();
        if let Some(items) = map.get("messages") {
            let Value::Array(items) = items else {
                return Err(bad(format!("messages must be an array, got {items}")));
            };
            for item in items {
                let Some(topic) = item.get("type").and_then(Value::as_str) else {
                    return Err(bad(format!("a message needs a type: {item}")));
                };
                messages.push((topic.to_owned(), item.get("data").cloned().unwrap_or_else(|| json!({}))));
            }
        }
        if after != before {
            match &after {
                Some(row) => rows.insert(command.stream_id.clone(), row.clone()),
                None => rows.remove(&command.stream_id),
            };
            self.changes.push(Change {
                id: format!("{}/change-{}", self.module, self.changes.len() + 1),
                command: handler.name.clone(),
                command_id: node.to_owned(),
                table: handler.table.clone(),
                row_id: command.stream_id.clone(),
                before,
                after: after.clone(),
                at_ms: now,
                correlation_id: correlation.to_owned(),
            });
        }
        Ok(Handled {
            row: after,
            rejection: None,
            messages,
        })
    }
}
