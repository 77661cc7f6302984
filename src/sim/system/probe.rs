//! Probes: a message made up and handed straight to one subscriber, as the broker would deliver
//! it, and [`Holdings`], what the modules hold afterwards, to compare one run with another.
//!
//! A probe runs nothing that is scheduled (deliveries to other subscribers, relays, timeouts,
//! answers of external systems): it sees what one handling does at once, in the modules it
//! commands, so its cost is that handling's. The linter's `non-idempotent-consumer`,
//! `order-dependent-consumer` and `passive-aggressive-event` run consumers this way, on services
//! of their own.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::{Delivery, Part, Services};
use crate::model::{ModuleKind, Publishing};
use crate::sim::error::{Error, Result};

/// What the modules hold, to compare one run with another.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Holdings {
    /// Events stored, by event-sourced module.
    pub events: BTreeMap<String, u64>,
    /// Each stream's state folded by its stream type's `evolve` (or the error that stopped the
    /// fold), by `module/stream`.
    pub states: BTreeMap<String, Value>,
    /// Each row, by `module/table/id`.
    pub rows: BTreeMap<String, Value>,
    /// Messages made, lost ones included, by topic.
    pub messages: BTreeMap<String, u64>,
    /// Calls to external systems that do the work: each call, but one per idempotency key for a
    /// system that honours them.
    pub calls: u64,
}

impl Services {
    /// Makes a message on `topic` as if `source` had published it, starting a chain of its own,
    /// and delivers it to nobody; its id, for [`Services::hand`].
    pub fn make_up(&mut self, source: &str, topic: &str, data: Value) -> String {
        let chain = format!("probe-{}", self.messages_made + 1);
        let message = self.make_message(source, topic, data, &chain, Some(&chain));
        let now = self.now();
        self.messages[message].published_ms = Some(now);
        self.messages[message].id.clone()
    }

    /// Delivers message `message_id` to subscriber `name` now, as the broker's first attempt
    /// without the link's faults: the inbox, the handling and, when it fails, the retry policy (a
    /// retry is scheduled, not run). Then every module settles and the state-stored modules'
    /// changes are captured; nothing scheduled runs. The delivery made, or `None` when the
    /// subscriber is stopped and holds the message.
    pub fn hand(&mut self, name: &str, message_id: &str) -> Result<Option<Delivery>> {
        let subscriber = self.subscriber(name)?;
        let message = self
            .messages
            .iter()
            .position(|m| m.id == message_id)
            .ok_or_else(|| Error::Unknown {
                what: "message",
                name: message_id.to_owned(),
            })?;
        let made = self.deliveries.len();
        let faults = std::mem::take(&mut self.subscribers[subscriber].faults);
        self.deliver(subscriber, message, 1, false, None);
        self.subscribers[subscriber].faults = faults;
        self.settle();
        // Module 0, the main one, is event-sourced: it has no change data capture.
        for module in 1..self.publishers.len() {
            if self.publishers[module].publishing == Publishing::ChangeDataCapture {
                self.relay(module);
            }
        }
        Ok(self.deliveries.get(made).map(|d| self.delivery(d)))
    }

    /// What every module holds now. It folds every stream of every event-sourced module: meant
    /// for the small stores of a probe.
    pub fn holdings(&mut self) -> Holdings {
        let mut holdings = Holdings::default();
        for id in 0..self.names.len() {
            let name = self.names[id].clone();
            if let Some(runtime) = self.runtime_mut(id) {
                holdings.events.insert(name.clone(), runtime.head());
                let streams: Vec<String> = runtime.store().each_stream().map(|(s, _)| s.to_owned()).collect();
                for stream in streams {
                    let state = runtime
                        .stream_state_at(&stream, u64::MAX)
                        .unwrap_or_else(|error| json!({ "error": error.to_string() }));
                    holdings.states.insert(format!("{name}/{stream}"), state);
                }
            }
        }
        for module in &self.definition.modules {
            if module.kind != ModuleKind::StateStored {
                continue;
            }
            let Some(id) = self.names.iter().position(|n| *n == module.name) else {
                continue;
            };
            let Some(Part::StateStored(tables)) = id.checked_sub(1).map(|i| &self.others[i]) else {
                continue;
            };
            for table in &module.tables {
                for (row, value) in tables.rows(&table.name).into_iter().flatten() {
                    let key = format!("{}/{}/{row}", module.name, table.name);
                    holdings.rows.insert(key, value.clone());
                }
            }
        }
        for message in &self.messages {
            *holdings.messages.entry(message.topic.to_string()).or_default() += 1;
        }
        let mut keys = BTreeSet::new();
        for call in &self.calls {
            let honours_keys = self.externals[call.external].definition.idempotency_keys;
            match (&call.key, honours_keys) {
                (Some(key), true) => holdings.calls += u64::from(keys.insert((call.external, key.clone()))),
                _ => holdings.calls += 1,
            }
        }
        holdings
    }
}
