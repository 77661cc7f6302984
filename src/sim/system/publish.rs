//! Publishing: a module's private events (or row changes) become public messages through its
//! translations, and reach the broker by a dual write (a crash in between loses the message), an
//! outbox (written with the change, relayed from a checkpoint: a crash publishes a row again),
//! or change data capture (a reader of the table changes, with its own checkpoint).

use std::collections::BTreeSet;

use std::rc::Rc;

use serde_json::{json, Value};

use super::schedule::Task;
use super::trace::{Cause, Label, NodeId};
use super::{Message, Part, Services};
use crate::model::{EventType, Faults, Module, PayloadError, Publishing, Translation};
use crate::sim::FoldCache;
use crate::store::Direction;

/// How long an outbox relay takes to come back after a crash, in simulated ms.
const RELAY_RESTART_MS: i64 = 1_000;
/// How many times a relay may crash on one row before it gets through.
const MAX_RELAY_CRASHES: u32 = 3;
/// How many streams' states a publisher keeps for its translations.
const MAX_FOLDS: usize = 1_000;
/// How many events a publisher translates per read.
const READ_CHUNK: usize = 1_000;

/// One row of an outbox: a message and whether the relay published it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Outboxed {
    pub message: usize,
    pub relayed_ms: Option<i64>,
    pub crashes: u32,
}

/// A module's way to the broker.
#[derive(Debug)]
pub(super) struct Publisher {
    pub module: usize,
    pub publishing: Publishing,
    pub faults: Faults,
    pub translations: Vec<Translation>,
    /// The public event types it publishes, whose schemas its messages must match.
    pub contracts: Vec<EventType>,
    /// The next store position (or table change) to translate.
    pub read: u64,
    /// Private event types some subscriber reads as `module.EventType`.
    pub private: BTreeSet<String>,
    pub outbox: Vec<Outboxed>,
    /// The relay's checkpoint: the outbox rows before it are published.
    pub relayed: usize,
    pub relay_due: bool,
    /// Messages lost by a crash between the change and the publish.
    pub lost: u64,
    /// The translated streams' states as of the last event translated, continued with each
    /// next one.
    pub folds: FoldCache,
}

impl Publisher {
    pub fn new(module: usize, definition: Option<&Module>, faults: &Faults) -> Publisher {
        Publisher {
            module,
            publishing: definition.map(|m| m.publishing).unwrap_or_default(),
            faults: definition
                .and_then(|m| m.faults.clone())
                .unwrap_or_else(|| faults.clone()),
            translations: definition.map(|m| m.translations.clone()).unwrap_or_default(),
            contracts: definition.map(|m| m.contracts.clone()).unwrap_or_default(),
            read: 0,
            private: BTreeSet::new(),
            outbox: Vec::new(),
            relayed: 0,
            relay_due: false,
            lost: 0,
            folds: FoldCache::bounded(MAX_FOLDS),
        }
    }

    /// `data` as the contract for `topic` has it, defaults filled in, or why it does not match
    /// the contract's current version; a topic that is none of its contracts passes as it is.
    fn conform(&self, topic: &str, data: Value) -> Result<Value, PayloadError> {
        match self.contracts.iter().find(|c| c.name == topic) {
            Some(contract) => contract.fill(contract.current_version(), &data),
            None => Ok(data),
        }
    }

    fn reads(&self, event_type: &str) -> bool {
        self.private.contains(event_type) || self.translations.iter().any(|t| t.on.iter().any(|on| on == event_type))
    }
}

impl Services {
    /// Translates what each module appended since its publisher last read; a state-stored
    /// module's changes wait for its change data capture. Returns whether anything was read.
    pub(super) fn publish_new(&mut self) -> bool {
        let mut read_any = false;
        for id in 0..self.publishers.len() {
            let publisher = &self.publishers[id];
            if publisher.translations.is_empty() && publisher.private.is_empty() {
                continue;
            }
            match id.checked_sub(1).map(|i| &self.others[i]) {
                Some(Part::StateStored(tables)) => {
                    if self.publishers[id].publishing == Publishing::ChangeDataCapture
                        && tables.changes.len() as u64 > self.publishers[id].read
                        && !self.publishers[id].relay_due
                    {
                        self.publishers[id].relay_due = true;
                        let now = self.now();
                        self.agenda.at(now, Task::Relay { module: id });
                    }
                }
                _ => read_any |= self.translate_events(id),
            }
        }
        read_any
    }

    /// Translates an event-sourced module's new events.
    fn translate_events(&mut self, id: usize) -> bool {
        let mut read_any = false;
        loop {
            let from = self.publishers[id].read;
            let Some(runtime) = self.runtime_mut(id) else {
                return read_any;
            };
            if from >= runtime.head() {
                return read_any;
            }
            let events = runtime.store().read_all(from, READ_CHUNK, Direction::Forwards);
            let Some(last) = events.last().map(|e| e.position) else {
                self.publishers[id].read = runtime.head();
                return read_any;
            };
            read_any = true;
            for event in events {
                if !self.publishers[id].reads(&event.event_type) {
                    continue;
                }
                let correlation = event
                    .metadata
                    .correlation_id
                    .clone()
                    .unwrap_or_else(|| event.event_id.to_string());
                let cause = event.event_id.to_string();
                if self.publishers[id].private.contains(&event.event_type) {
                    // Read from the store as a subscription would: upcast, as every read is.
                    let runtime = self.runtime_mut(id).expect("an event-sourced module");
                    let views = runtime
                        .event_views(event.position)
                        .map(|(_, views)| views)
                        .unwrap_or_default();
                    let source = self.names[id].clone();
                    for view in views {
                        let topic = format!("{source}.{}", view.event_type);
                        let message = self.make_message(&source, &topic, view.data, &correlation, Some(&cause));
                        self.publish(message);
                    }
                }
                let translations: Vec<Translation> = self.publishers[id]
                    .translations
                    .iter()
                    .filter(|t| t.on.contains(&event.event_type))
                    .cloned()
                    .collect();
                if translations.is_empty() {
                    continue;
                }
                // The state as of this event, not as of now: a later change must not leak in.
                let mut folds = std::mem::take(&mut self.publishers[id].folds);
                let runtime = self.runtime_mut(id).expect("an event-sourced module");
                let state = runtime
                    .stream_state_through(&event.stream_id, event.revision, &mut folds)
                    .unwrap_or(Value::Null);
                let view = runtime
                    .event_views(event.position)
                    .ok()
                    .and_then(|(_, views)| views.into_iter().next())
                    .map_or_else(
                        || json!({ "type": event.event_type, "data": event.data }),
                        |v| v.to_value(),
                    );
                self.publishers[id].folds = folds;
                for translation in translations {
                    match super::react::translate(&mut self.sandbox, &translation, &view, &state) {
                        Ok(messages) => {
                            for (topic, data) in messages {
                                self.emit(id, &topic, data, &correlation, &cause);
                            }
                        }
                        Err(error) => self.journal.note_error(
                            &format!("translation {}", translation.name),
                            &error.to_string(),
                            &correlation,
                        ),
                    }
                }
            }
            self.publishers[id].read = last + 1;
        }
    }

    pub(super) fn make_message(
        &mut self,
        source: &str,
        topic: &str,
        data: Value,
        correlation: &str,
        cause: Option<&str>,
    ) -> usize {
        self.messages_made += 1;
        let number = self.messages_made;
        let now = self.now();
        let chain = self.journal.correlation(correlation);
        let module = self.journal.module(source);
        let message = self.messages.len();
        let topic_number = self.topic_number(topic);
        let node = self.journal.add_node(
            NodeId::Numbered("msg", number),
            "message",
            module,
            Label::Message(message),
            now,
            chain,
            Cause::named(cause),
        );
        self.messages.push(Message {
            id: format!("msg-{number}"),
            topic: Rc::clone(&self.topic_book.names[topic_number as usize]),
            data,
            source: self.journal.module_name(module),
            correlation_id: self.journal.correlation_id(chain),
            causation_id: cause.unwrap_or_default().to_owned(),
            created_ms: now,
            published_ms: None,
            lost: false,
            node,
            chain,
            topic_number,
        });
        message
    }

    /// A module sends a message the way it publishes.
    /// A message that does not match its module's contract for the topic is not published: the
    /// mismatch is noted as an error of the contract, with the correlation.
    pub(super) fn emit(&mut self, module: usize, topic: &str, data: Value, correlation: &str, cause: &str) {
        let data = match self.publishers[module].conform(topic, data) {
            Ok(data) => data,
            Err(error) => {
                self.journal
                    .note_error(&format!("contract {topic}"), &error.to_string(), correlation);
                return;
            }
        };
        let source = self.names[module].clone();
        let message = self.make_message(&source, topic, data, correlation, Some(cause));
        let publisher = &mut self.publishers[module];
        match publisher.publishing {
            Publishing::DualWrite => {
                let crash = publisher.faults.publisher_crash;
                if self.dice.chance(crash) {
                    self.publishers[module].lost += 1;
                    let number = self.messages[message].topic_number as usize;
                    self.topic_book.stats[number].lost += 1;
                    self.messages[message].lost = true;
                    self.journal
                        .note_at(self.messages[message].node, " (lost: the publisher crashed)");
                } else {
                    self.publish(message);
                }
            }
            Publishing::Outbox => {
                publisher.outbox.push(Outboxed {
                    message,
                    relayed_ms: None,
                    crashes: 0,
                });
                if !publisher.relay_due {
                    publisher.relay_due = true;
                    let now = self.now();
                    self.agenda.at(now, Task::Relay { module });
                }
            }
            Publishing::ChangeDataCapture => self.publish(message),
        }
    }

    /// The relay of an outbox, or the change data capture of a state-stored module.
    pub(super) fn relay(&mut self, module: usize) {
        self.publishers[module].relay_due = false;
        if self.publishers[module].publishing == Publishing::ChangeDataCapture {
            self.capture_changes(module);
            return;
        }
        let now = self.now();
        while self.publishers[module].relayed < self.publishers[module].outbox.len() {
            let publisher = &mut self.publishers[module];
            let row = publisher.relayed;
            let message = publisher.outbox[row].message;
            let crash = publisher.faults.publisher_crash;
            self.publish(message);
            self.publishers[module].outbox[row].relayed_ms.get_or_insert(now);
            if self.publishers[module].outbox[row].crashes < MAX_RELAY_CRASHES && self.dice.chance(crash) {
                // Published, but the checkpoint did not move: the restarted relay publishes it again.
                self.publishers[module].outbox[row].crashes += 1;
                self.publishers[module].relay_due = true;
                self.agenda.at(now + RELAY_RESTART_MS, Task::Relay { module });
                return;
            }
            self.publishers[module].relayed += 1;
        }
    }

    fn capture_changes(&mut self, module: usize) {
        let Part::StateStored(tables) = &self.others[module - 1] else {
            return;
        };
        let from = usize::try_from(self.publishers[module].read).unwrap_or(usize::MAX);
        let changes: Vec<_> = tables.changes.get(from..).unwrap_or_default().to_vec();
        self.publishers[module].read += changes.len() as u64;
        for change in changes {
            let translations: Vec<Translation> = self.publishers[module]
                .translations
                .iter()
                .filter(|t| t.on.contains(&change.table))
                .cloned()
                .collect();
            let value = change.to_value();
            let row = change.after.clone().unwrap_or(Value::Null);
            for translation in translations {
                match super::react::translate(&mut self.sandbox, &translation, &value, &row) {
                    Ok(messages) => {
                        for (topic, data) in messages {
                            let data = match self.publishers[module].conform(&topic, data) {
                                Ok(data) => data,
                                Err(error) => {
                                    let owner = format!("contract {topic}");
                                    self.journal
                                        .note_error(&owner, &error.to_string(), &change.correlation_id);
                                    continue;
                                }
                            };
                            let source = self.names[module].clone();
                            let message =
                                self.make_message(&source, &topic, data, &change.correlation_id, Some(&change.id));
                            self.publish(message);
                        }
                    }
                    Err(error) => self.journal.note_error(
                        &format!("translation {}", translation.name),
                        &error.to_string(),
                        &change.correlation_id,
                    ),
                }
            }
        }
    }

    /// Puts a message on the broker: each subscriber of its topic gets it delivered, with the
    /// faults of its link.
    pub(super) fn publish(&mut self, message: usize) {
        let now = self.now();
        let first = self.messages[message].published_ms.is_none();
        self.messages[message].published_ms.get_or_insert(now);
        let number = self.messages[message].topic_number as usize;
        let stats = &mut self.topic_book.stats[number];
        stats.published += u64::from(first);
        stats.republished += u64::from(!first);
        for at in 0..self.topic_book.readers[number].len() {
            let subscriber = self.topic_book.readers[number][at];
            if first {
                self.subscribers[subscriber].checkpoint.expect(message);
            }
            self.send(subscriber, message, 1, None);
        }
    }
}
