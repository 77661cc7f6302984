//! What [`Services`] shows of itself: modules, outboxes, inboxes, parked messages, deliveries,
//! process instances, calls and the broker's figures, as plain serializable rows.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::deliver::Kind;
use super::schedule::Task;
use super::{Message, Part, Services};
use crate::model::{ModuleKind, Publishing};
use crate::sim::error::{Error, Result};

/// A module at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleRow {
    /// The name.
    pub name: String,
    /// Event-sourced or state-stored.
    pub kind: ModuleKind,
    /// How it publishes.
    pub publishing: Publishing,
    /// Events in its store, or rows in its tables.
    pub size: u64,
    /// The contracts it publishes.
    pub contracts: Vec<String>,
    /// Rows in its outbox, and how many the relay published.
    pub outbox: usize,
    /// Outbox rows published.
    pub relayed: usize,
    /// Messages a crash lost between the change and the publish.
    pub lost: u64,
}

/// A row of an outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxRow {
    /// The message, written with the change.
    pub message: Message,
    /// When the relay published it; `None` while it waits.
    pub relayed_ms: Option<i64>,
    /// How often the relay crashed on it (each crash publishes it again).
    pub relay_crashes: u32,
}

/// A row of an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboxRow {
    /// The message id handled.
    pub message_id: String,
    /// When.
    pub handled_ms: i64,
}

/// A parked (dead-lettered) message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParkedRow {
    /// The message.
    pub message: Message,
    /// Deliveries tried.
    pub attempts: u32,
    /// The last failure.
    pub error: String,
    /// When it was parked.
    pub parked_ms: i64,
}

/// A consumer or a process manager as a subscriber.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriberRow {
    /// The name.
    pub name: String,
    /// `consumer` or `process`.
    pub kind: &'static str,
    /// Its module.
    pub module: String,
    /// What it reads.
    pub topics: Vec<String>,
    /// Whether it has an inbox.
    pub inbox: bool,
    /// Why it stopped, if it did.
    pub stopped: Option<String>,
    /// Messages parked.
    pub parked: usize,
    /// Messages held while stopped.
    pub held: usize,
    /// How many messages its checkpoint has passed: each acknowledged (handled, dropped by
    /// the inbox, parked or skipped), and every one published to it before.
    pub checkpoint: u64,
    /// The last message its checkpoint passed.
    pub checkpoint_message_id: Option<String>,
    /// Messages published to it that its checkpoint has not passed yet.
    pub pending: usize,
}

/// One attempt to hand a message over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// Its trace node, `d-<n>`.
    pub id: String,
    /// The subscriber.
    pub consumer: String,
    /// The message.
    pub message_id: String,
    /// Its topic.
    pub topic: String,
    /// 1 for the first delivery.
    pub attempt: u32,
    /// The broker's second copy.
    pub duplicate: bool,
    /// When.
    pub at_ms: i64,
    /// `handled`, `dropped` (by the inbox), `failed`, `crashed` (handled, not acknowledged).
    pub outcome: &'static str,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A failed delivery's next attempt, waiting on the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledRetry {
    /// The message.
    pub message_id: String,
    /// Its topic.
    pub topic: String,
    /// The attempt it will be: 2 for the first retry.
    pub attempt: u32,
    /// When it falls due.
    pub due_ms: i64,
}

/// A timeout an instance waits for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingTimeout {
    /// Its trace node.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it fires.
    pub due_ms: i64,
}

/// A process instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    /// Its correlation key.
    pub id: String,
    /// The stream its inputs are kept in.
    pub stream_id: String,
    /// Its state, folded by `evolve`.
    pub state: Value,
    /// Whether it finished.
    pub done: bool,
    /// Whether it undid its steps.
    pub compensated: bool,
    /// Inputs handled.
    pub inputs: u64,
    /// Commands it sent that were accepted.
    pub steps: Vec<String>,
    /// The same commands with where they went and what they carried, in the order sent.
    pub sent: Vec<SentCommand>,
    /// Timeouts it waits for.
    pub pending_timeouts: Vec<PendingTimeout>,
}

/// A command a process instance sent that was accepted: one of its steps.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SentCommand {
    /// The module it went to.
    pub module: String,
    /// The command.
    pub command: String,
    /// The stream (or row) it went to.
    pub stream_id: String,
    /// Its payload.
    pub data: Value,
}

/// A write to a row of a state-stored module: what a command changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRow {
    /// Its trace node, `<module>/change-<n>`.
    pub id: String,
    /// The handler (command) that wrote it.
    pub command: String,
    /// That command's trace node.
    pub command_id: String,
    /// The table.
    pub table: String,
    /// The row's id.
    pub row_id: String,
    /// `insert`, `update` or `delete`.
    pub op: &'static str,
    /// The row before; `None` for an insert.
    pub before: Option<Value>,
    /// The row after; `None` for a delete.
    pub after: Option<Value>,
    /// When.
    pub at_ms: i64,
    /// The chain the command belonged to.
    pub correlation_id: String,
}

/// A call to an external system.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRow {
    /// `x-<n>`.
    pub id: String,
    /// The external system.
    pub external: String,
    /// The idempotency key.
    pub key: Option<String>,
    /// What was asked.
    pub data: Value,
    /// When.
    pub made_ms: i64,
    /// `pending`, `succeeded` or `failed`.
    pub outcome: &'static str,
    /// Whether answering it did the work (a key seen before does not).
    pub effect: bool,
}

/// An external system's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalRow {
    /// The name.
    pub name: String,
    /// Calls made.
    pub calls: u64,
    /// Calls that did the work: a repeated idempotency key does not.
    pub effects: u64,
    /// Calls answered with a failure.
    pub failures: u64,
}

/// The figures of one topic, and of one subscriber on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LinkStats {
    /// The topic.
    pub topic: String,
    /// The subscriber; `None` for a topic nobody reads.
    pub consumer: Option<String>,
    /// Messages that reached the broker (each once).
    pub published: u64,
    /// Published again by a relay that crashed before its checkpoint moved.
    pub republished: u64,
    /// Deliveries made, duplicates and retries included.
    pub delivered: u64,
    /// Deliveries of a message already handled.
    pub duplicates_delivered: u64,
    /// Of those, dropped by the inbox.
    pub duplicates_dropped: u64,
    /// Lost between the change and the publish.
    pub lost: u64,
    /// Parked now.
    pub parked: u64,
    /// Scheduled and not yet delivered, or held by a stopped subscriber.
    pub in_flight: u64,
    /// Handlings that took effect.
    pub handled: u64,
    /// Failed deliveries.
    pub failed: u64,
    /// Skipped after failing.
    pub skipped: u64,
    /// Handled and not acknowledged (a crash).
    pub crashed: u64,
}

/// Published, republished and lost, per topic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct TopicStats {
    pub published: u64,
    pub republished: u64,
    pub lost: u64,
}

impl Services {
    /// The modules, the main one first.
    pub fn modules(&self) -> Vec<ModuleRow> {
        self.names
            .iter()
            .enumerate()
            .map(|(id, name)| {
                let definition = self.definition.module(name);
                let publisher = &self.publishers[id];
                let (kind, size) = match id.checked_sub(1).map(|i| &self.others[i]) {
                    None => (ModuleKind::EventSourced, self.main.head()),
                    Some(Part::EventSourced(runtime)) => (ModuleKind::EventSourced, runtime.head()),
                    Some(Part::StateStored(tables)) => (ModuleKind::StateStored, tables.row_count()),
                };
                ModuleRow {
                    name: name.clone(),
                    kind,
                    publishing: publisher.publishing,
                    size,
                    contracts: definition
                        .map(|m| m.contracts.iter().map(|c| c.name.clone()).collect())
                        .unwrap_or_default(),
                    outbox: publisher.outbox.len(),
                    relayed: publisher.relayed,
                    lost: publisher.lost,
                }
            })
            .collect()
    }

    /// A module's outbox, oldest row first.
    pub fn outbox(&self, module: &str) -> Result<Vec<OutboxRow>> {
        Ok(self.outbox_latest(module, usize::MAX)?.0)
    }

    /// The latest `limit` rows of a module's outbox, oldest first, and how many it holds.
    pub fn outbox_latest(&self, module: &str, limit: usize) -> Result<(Vec<OutboxRow>, usize)> {
        let outbox = &self.publishers[self.module_id(module)?].outbox;
        let rows = outbox[outbox.len().saturating_sub(limit)..]
            .iter()
            .map(|row| OutboxRow {
                message: self.messages[row.message].clone(),
                relayed_ms: row.relayed_ms,
                relay_crashes: row.crashes,
            })
            .collect();
        Ok((rows, outbox.len()))
    }

    /// A subscriber's inbox (empty when it has none), oldest first.
    pub fn inbox(&self, consumer: &str) -> Result<Option<Vec<InboxRow>>> {
        let index = self.subscriber(consumer)?;
        Ok(self.subscribers[index].inbox.as_ref().map(|inbox| {
            inbox
                .rows
                .iter()
                .map(|&(at, message)| InboxRow {
                    message_id: self.messages[message].id.clone(),
                    handled_ms: at,
                })
                .collect()
        }))
    }

    /// A subscriber's parked messages, oldest first.
    pub fn parked(&self, consumer: &str) -> Result<Vec<ParkedRow>> {
        let index = self.subscriber(consumer)?;
        Ok(self.subscribers[index]
            .parked
            .iter()
            .map(|p| ParkedRow {
                message: self.messages[p.message].clone(),
                attempts: p.attempts,
                error: p.error.clone(),
                parked_ms: p.parked_ms,
            })
            .collect())
    }

    /// The consumers and process managers.
    pub fn subscribers(&self) -> Vec<SubscriberRow> {
        self.subscribers
            .iter()
            .map(|s| SubscriberRow {
                name: s.name.clone(),
                kind: match s.kind {
                    Kind::Consumer(_) => "consumer",
                    Kind::Process(_) => "process",
                },
                module: self.names[s.module].clone(),
                topics: s.topics.clone(),
                inbox: s.inbox.is_some(),
                stopped: s.stopped.clone(),
                parked: s.parked.len(),
                held: s.held.len(),
                checkpoint: s.checkpoint.passed,
                checkpoint_message_id: s.checkpoint.last.map(|m| self.messages[m].id.clone()),
                pending: s.checkpoint.pending(),
            })
            .collect()
    }

    /// Deliveries made, oldest first, to one subscriber or all.
    pub fn deliveries(&self, consumer: Option<&str>) -> Result<Vec<Delivery>> {
        if let Some(name) = consumer {
            self.subscriber(name)?;
        }
        Ok(self
            .deliveries
            .iter()
            .filter(|d| consumer.is_none_or(|name| self.subscribers[d.subscriber].name == name))
            .map(|d| self.delivery(d))
            .collect())
    }

    /// A delivery as the API shows it.
    pub(super) fn delivery(&self, d: &super::deliver::Delivered) -> Delivery {
        let message = &self.messages[d.message];
        Delivery {
            id: self.journal.id_of(d.node),
            consumer: self.subscribers[d.subscriber].name.clone(),
            message_id: message.id.clone(),
            topic: message.topic.to_string(),
            attempt: d.attempt,
            duplicate: d.duplicate,
            at_ms: d.at_ms,
            outcome: d.outcome,
            error: d.error.clone(),
        }
    }

    /// A subscriber's retries waiting on the clock (after a failure or a crash before the
    /// acknowledgement), soonest first.
    pub fn retries(&self, consumer: &str) -> Result<Vec<ScheduledRetry>> {
        let index = self.subscriber(consumer)?;
        let mut retries: Vec<ScheduledRetry> = self
            .agenda
            .entries()
            .filter_map(|(due, task)| match task {
                Task::Deliver {
                    subscriber,
                    message,
                    attempt,
                    retry_of: Some(_),
                    ..
                } if *subscriber == index => Some(ScheduledRetry {
                    message_id: self.messages[*message].id.clone(),
                    topic: self.messages[*message].topic.to_string(),
                    attempt: *attempt,
                    due_ms: due,
                }),
                _ => None,
            })
            .collect();
        retries.sort_by(|a, b| (a.due_ms, &a.message_id).cmp(&(b.due_ms, &b.message_id)));
        Ok(retries)
    }

    /// Every message made, oldest first.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// A process manager's instances, by key.
    pub fn instances(&self, process: &str) -> Result<Vec<Instance>> {
        let run = self.process_run(process)?;
        Ok(run.instances.iter().map(|(key, i)| self.instance(key, i)).collect())
    }

    /// At most `limit` of a process manager's instances, the running ones first, then by key;
    /// and how many it has: what a page lists without copying thousands.
    pub fn instances_page(&self, process: &str, limit: usize) -> Result<(Vec<Instance>, usize)> {
        let run = self.process_run(process)?;
        let running = run.instances.iter().filter(|(_, i)| !i.done);
        let finished = run.instances.iter().filter(|(_, i)| i.done);
        let page = running
            .chain(finished)
            .take(limit)
            .map(|(key, i)| self.instance(key, i))
            .collect();
        Ok((page, run.instances.len()))
    }

    /// An instance as the API shows it.
    fn instance(&self, key: &str, i: &super::processes::InstanceRun) -> Instance {
        Instance {
            id: key.to_owned(),
            stream_id: i.stream_id.clone(),
            state: i.state.clone(),
            done: i.done,
            compensated: i.compensated,
            inputs: i.inputs,
            steps: i.sent.iter().map(|(_, c)| c.command.clone()).collect(),
            sent: i
                .sent
                .iter()
                .map(|(module, c)| SentCommand {
                    module: self.names[*module].clone(),
                    command: c.command.clone(),
                    stream_id: c.stream_id.clone(),
                    data: c.data.clone(),
                })
                .collect(),
            pending_timeouts: i
                .pending
                .iter()
                .map(|p| PendingTimeout {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    due_ms: p.due_ms,
                })
                .collect(),
        }
    }

    /// The input types of a process instance's stream, oldest first.
    pub fn process_stream(&self, process: &str, key: &str) -> Result<Vec<String>> {
        let run = self.process_run(process)?;
        let stream = format!("{process}-{key}");
        Ok(run
            .store
            .read_stream(&stream, 0, usize::MAX, crate::store::Direction::Forwards)?
            .into_iter()
            .map(|e| e.event_type)
            .collect())
    }

    fn process_run(&self, name: &str) -> Result<&super::processes::ProcessRun> {
        self.processes
            .iter()
            .find(|p| p.definition.name == name)
            .ok_or_else(|| Error::Unknown {
                what: "process",
                name: name.to_owned(),
            })
    }

    /// A state-stored module's changes, oldest first: each write a command made to a row.
    pub fn changes(&self, module: &str) -> Result<Vec<ChangeRow>> {
        Ok(self
            .tables(module)?
            .changes
            .iter()
            .map(|c| ChangeRow {
                id: c.id.clone(),
                command: c.command.clone(),
                command_id: c.command_id.clone(),
                table: c.table.clone(),
                row_id: c.row_id.clone(),
                op: c.op(),
                before: c.before.clone(),
                after: c.after.clone(),
                at_ms: c.at_ms,
                correlation_id: c.correlation_id.clone(),
            })
            .collect())
    }

    /// The calls made to external systems, oldest first.
    pub fn calls(&self) -> Vec<CallRow> {
        self.calls
            .iter()
            .map(|c| CallRow {
                id: c.id.clone(),
                external: self.externals[c.external].definition.name.clone(),
                key: c.key.clone(),
                data: c.data.clone(),
                made_ms: c.made_ms,
                outcome: match c.outcome {
                    None => "pending",
                    Some(true) => "succeeded",
                    Some(false) => "failed",
                },
                effect: c.effect,
            })
            .collect()
    }

    /// The external systems and what they did.
    pub fn externals(&self) -> Vec<ExternalRow> {
        self.externals
            .iter()
            .map(|e| ExternalRow {
                name: e.definition.name.clone(),
                calls: e.calls,
                effects: e.effects,
                failures: e.failures,
            })
            .collect()
    }

    /// The broker's figures: one row per topic and subscriber, and one per topic nobody reads.
    pub fn message_stats(&self) -> Vec<LinkStats> {
        let mut in_flight: BTreeMap<(usize, u32), u64> = BTreeMap::new();
        for task in self.agenda.tasks() {
            if let Task::Deliver {
                subscriber, message, ..
            } = task
            {
                *in_flight
                    .entry((*subscriber, self.messages[*message].topic_number))
                    .or_default() += 1;
            }
        }
        for (index, subscriber) in self.subscribers.iter().enumerate() {
            for &message in &subscriber.held {
                *in_flight
                    .entry((index, self.messages[message].topic_number))
                    .or_default() += 1;
            }
        }
        let book = &self.topic_book;
        let mut topics: Vec<usize> = (0..book.names.len())
            .filter(|&n| book.stats[n] != TopicStats::default())
            .collect();
        topics.sort_by_key(|&n| &book.names[n]);
        let mut rows = Vec::new();
        for n in topics {
            let (topic, stats) = (&book.names[n], &book.stats[n]);
            for &index in &book.readers[n] {
                let subscriber = &self.subscribers[index];
                let counts = subscriber.counts.get(n).copied().unwrap_or_default();
                rows.push(LinkStats {
                    topic: topic.to_string(),
                    consumer: Some(subscriber.name.clone()),
                    published: stats.published,
                    republished: stats.republished,
                    delivered: counts.delivered,
                    duplicates_delivered: counts.duplicates_delivered,
                    duplicates_dropped: counts.duplicates_dropped,
                    lost: stats.lost,
                    parked: counts.parked,
                    in_flight: in_flight.get(&(index, n as u32)).copied().unwrap_or(0),
                    handled: counts.handled,
                    failed: counts.failed,
                    skipped: counts.skipped,
                    crashed: counts.crashed,
                });
            }
            if book.readers[n].is_empty() {
                rows.push(LinkStats {
                    topic: topic.to_string(),
                    published: stats.published,
                    republished: stats.republished,
                    lost: stats.lost,
                    ..LinkStats::default()
                });
            }
        }
        rows
    }

    /// How many times each message id's handling sent commands to `consumer`'s module: the
    /// exactly-once checks count these.
    pub fn effects(&self, consumer: &str) -> Result<BTreeMap<String, u32>> {
        let index = self.subscriber(consumer)?;
        let subscriber = &self.subscribers[index];
        Ok(subscriber
            .handled
            .iter()
            .map(|message| {
                let sent = subscriber.effects.get(&message).copied().unwrap_or(0);
                (self.messages[message].id.clone(), sent)
            })
            .collect())
    }

    pub(super) fn subscriber(&self, name: &str) -> Result<usize> {
        self.subscribers
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| Error::Unknown {
                what: "consumer",
                name: name.to_owned(),
            })
    }

    /// Whether anything is scheduled.
    pub fn is_idle(&self) -> bool {
        self.agenda.len() == 0
    }

    /// How many tasks wait on the simulated clock: deliveries, relays, timeouts and answers.
    pub fn waiting(&self) -> usize {
        self.agenda.len()
    }

    /// When the next task falls due.
    pub fn next_due(&self) -> Option<i64> {
        self.agenda.next_due()
    }
}
