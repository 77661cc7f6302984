//! Subscribers (consumers and process managers) and the broker's deliveries to them: at least
//! once, with the link's faults; an inbox that drops ids already handled; retries with backoff;
//! and what happens after the last retry (park, skip, stop, or retry on).

use std::collections::VecDeque;

use serde_json::Value;

use super::schedule::Task;
use super::trace::{Cause, FastMap, Label, NodeId};
use super::{lookup_text, ModuleCommand, Reaction, Services};
use crate::model::{ConsumerLogic, Faults, NackAction, RetryPolicy};
use crate::script::{Owner, OwnerKind, ScriptId};
use crate::sim::error::{Error, Result};

/// What kind of subscriber, and which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Consumer(usize),
    Process(usize),
}

/// A message put aside after its last retry.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Parked {
    pub message: usize,
    pub attempts: u32,
    pub error: String,
    pub parked_ms: i64,
}

/// A set of message indices, a bit each: messages are numbered densely from 0.
#[derive(Debug, Default, Clone)]
pub(super) struct Marks(Vec<u64>);

impl Marks {
    pub fn contains(&self, message: usize) -> bool {
        self.0
            .get(message / 64)
            .is_some_and(|word| word & (1 << (message % 64)) != 0)
    }

    pub fn insert(&mut self, message: usize) {
        let word = message / 64;
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (message % 64);
    }

    fn remove(&mut self, message: usize) {
        if let Some(word) = self.0.get_mut(message / 64) {
            *word &= !(1 << (message % 64));
        }
    }

    /// The messages marked, in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            (0..64)
                .filter(move |bit| word & (1 << bit) != 0)
                .map(move |bit| w * 64 + bit)
        })
    }
}

/// The messages a subscriber handled, for as long as it keeps them: a mark per message, and
/// the rows in the order they were written (the simulated clock never goes back, so oldest
/// first). Each marked message has exactly one row: a message is kept again only after it was
/// forgotten.
#[derive(Debug, Default)]
pub(super) struct Inbox {
    pub retention_ms: Option<u64>,
    kept: Marks,
    /// `(handled at, message)`, oldest first.
    pub rows: VecDeque<(i64, usize)>,
}

impl Inbox {
    fn forget_before(&mut self, now: i64) {
        let Some(retention) = self.retention_ms else {
            return;
        };
        let horizon = now.saturating_sub(i64::try_from(retention).unwrap_or(i64::MAX));
        while let Some(&(at, message)) = self.rows.front() {
            if at >= horizon {
                break;
            }
            self.rows.pop_front();
            self.kept.remove(message);
        }
    }

    fn has(&self, message: usize) -> bool {
        self.kept.contains(message)
    }

    fn keep(&mut self, message: usize, now: i64) {
        self.kept.insert(message);
        self.rows.push_back((now, message));
    }
}

/// How a link between a topic and a subscriber fared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub delivered: u64,
    pub duplicates_delivered: u64,
    pub duplicates_dropped: u64,
    pub handled: u64,
    pub failed: u64,
    pub parked: u64,
    pub skipped: u64,
    pub crashed: u64,
}

/// A consumer group or a process manager reading topics.
#[derive(Debug)]
pub(super) struct Subscriber {
    pub name: String,
    pub kind: Kind,
    pub module: usize,
    /// The module's number in the journal.
    pub trace_module: u32,
    pub topics: Vec<String>,
    pub inbox: Option<Inbox>,
    pub retry: RetryPolicy,
    pub faults: Faults,
    pub parked: Vec<Parked>,
    /// Messages that arrived while stopped, in order.
    pub held: Vec<usize>,
    pub stopped: Option<String>,
    /// Messages whose handling took effect at least once.
    pub handled: Marks,
    /// By topic number (see `Topics`).
    pub counts: Vec<Counts>,
    /// The commands each handled message sent, by message, for those that sent any: what the
    /// exactly-once checks count.
    pub effects: FastMap<usize, u32>,
    /// The consumer's script, once compiled.
    pub script: Option<ScriptId>,
    /// Its checkpoint: what it acknowledged in the order messages were published to it.
    pub checkpoint: Checkpoint,
}

/// A subscriber's checkpoint, as a persistent subscription keeps one: it moves past a message
/// once that message and every one published to the subscriber before it are acknowledged
/// (handled, dropped by the inbox, parked or skipped). A consumer that crashes before its
/// acknowledgement, retries or is stopped holds it back; the messages behind it wait to be
/// checkpointed, not to be delivered.
#[derive(Debug, Default)]
pub(super) struct Checkpoint {
    /// Messages published to the subscriber and not yet behind the checkpoint, in order.
    waiting: VecDeque<usize>,
    acknowledged: Marks,
    /// How many messages are behind it.
    pub passed: u64,
    /// The last message behind it.
    pub last: Option<usize>,
}

impl Checkpoint {
    /// A message published to the subscriber.
    pub fn expect(&mut self, message: usize) {
        self.waiting.push_back(message);
    }

    /// A message acknowledged: the checkpoint moves as far as it can.
    pub fn acknowledge(&mut self, message: usize) {
        self.acknowledged.insert(message);
        while let Some(&front) = self.waiting.front() {
            if !self.acknowledged.contains(front) {
                break;
            }
            self.waiting.pop_front();
            self.passed += 1;
            self.last = Some(front);
        }
    }

    /// How many published messages are not behind it yet.
    pub fn pending(&self) -> usize {
        self.waiting.len()
    }
}

impl Subscriber {
    /// A subscriber with nothing delivered yet; `link` is its module, inbox, retry policy and faults.
    fn new(name: &str, kind: Kind, topics: &[String], link: (usize, Option<Inbox>, RetryPolicy, Faults)) -> Self {
        let (module, inbox, retry, faults) = link;
        Subscriber {
            name: name.to_owned(),
            kind,
            module,
            trace_module: 0,
            topics: topics.to_vec(),
            inbox,
            retry,
            faults,
            parked: Vec::new(),
            held: Vec::new(),
            stopped: None,
            handled: Marks::default(),
            counts: Vec::new(),
            effects: FastMap::default(),
            script: None,
            checkpoint: Checkpoint::default(),
        }
    }
}

impl Services {
    /// Makes the subscribers of the system's consumers and processes, and tells each publisher
    /// which private event types are read directly.
    pub(super) fn subscribe(&mut self) {
        let system = self.definition.clone();
        let module = |name: &str| self.names.iter().position(|n| n == name).unwrap_or(0);
        let mut subscribers = Vec::new();
        for (i, consumer) in system.consumers.iter().enumerate() {
            let inbox = consumer.inbox.then(|| Inbox {
                retention_ms: consumer.inbox_retention_ms,
                ..Inbox::default()
            });
            let faults = consumer.faults.clone().unwrap_or_else(|| system.faults.clone());
            let link = (module(&consumer.module), inbox, consumer.retry, faults);
            subscribers.push(Subscriber::new(
                &consumer.name,
                Kind::Consumer(i),
                &consumer.topics,
                link,
            ));
        }
        for (i, process) in system.processes.iter().enumerate() {
            let inbox = process.inbox.then(Inbox::default);
            let link = (module(&process.module), inbox, process.retry, system.faults.clone());
            subscribers.push(Subscriber::new(&process.name, Kind::Process(i), &process.topics, link));
        }
        let now = self.now();
        self.processes.extend(
            system
                .processes
                .iter()
                .map(|p| super::processes::ProcessRun::new(p.clone(), now)),
        );
        for subscriber in &subscribers {
            for topic in &subscriber.topics {
                if let Some((module, event_type)) = topic.split_once('.') {
                    if let Some(id) = self.names.iter().position(|n| n == module) {
                        self.publishers[id].private.insert(event_type.to_owned());
                    }
                }
            }
        }
        for subscriber in &mut subscribers {
            subscriber.trace_module = self.journal.module(&self.names[subscriber.module]);
        }
        self.subscribers = subscribers;
    }

    /// Schedules a delivery of `message` to `subscriber`, with the link's delay, reordering and
    /// duplicates.
    pub(super) fn send(&mut self, subscriber: usize, message: usize, attempt: u32, retry_of: Option<usize>) {
        let now = self.now();
        let faults = &self.subscribers[subscriber].faults;
        let (delay_ms, window_ms, duplicate) = (faults.delay_ms, faults.reorder_window_ms, faults.duplicate);
        let delay = |dice: &mut super::Dice| {
            let ms = delay_ms + dice.upto(window_ms);
            now.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX))
        };
        let due = delay(&mut self.dice);
        // The broker's own second copy, drawn after the first: it is not a retry of anything.
        let copy = (attempt == 1 && self.dice.chance(duplicate)).then(|| delay(&mut self.dice));
        for (due, duplicate) in std::iter::once((due, false)).chain(copy.map(|due| (due, true))) {
            self.agenda.at(
                due,
                Task::Deliver {
                    subscriber,
                    message,
                    attempt,
                    duplicate,
                    retry_of: retry_of.filter(|_| !duplicate),
                },
            );
        }
    }

    /// A delivery falls due.
    pub(super) fn deliver(
        &mut self,
        subscriber: usize,
        message: usize,
        attempt: u32,
        duplicate: bool,
        retry_of: Option<usize>,
    ) {
        let now = self.now();
        if self.subscribers[subscriber].stopped.is_some() {
            self.subscribers[subscriber].held.push(message);
            return;
        }
        if let Some(end) = self.subscribers[subscriber]
            .faults
            .outages
            .iter()
            .find(|w| (w.from_ms as i64..w.to_ms as i64).contains(&now))
            .map(|w| w.to_ms as i64)
        {
            self.agenda.at(
                end,
                Task::Deliver {
                    subscriber,
                    message,
                    attempt,
                    duplicate,
                    retry_of,
                },
            );
            return;
        }
        let number = self.journal.next_number("d");
        let node = self.journal.add_node(
            NodeId::Numbered("d", number),
            "delivery",
            self.subscribers[subscriber].trace_module,
            Label::Delivery {
                subscriber,
                message,
                attempt,
                duplicate,
            },
            now,
            self.messages[message].chain,
            Cause::Node(retry_of.unwrap_or(self.messages[message].node)),
        );
        let mut record = Delivered {
            node,
            subscriber,
            message,
            attempt,
            duplicate,
            at_ms: now,
            outcome: "handled",
            error: None,
        };
        let sub = &mut self.subscribers[subscriber];
        let seen = sub.handled.contains(message);
        let counts = counts_of(&mut sub.counts, self.messages[message].topic_number);
        counts.delivered += 1;
        counts.duplicates_delivered += u64::from(seen);
        if let Some(inbox) = &mut sub.inbox {
            inbox.forget_before(now);
            if inbox.has(message) {
                counts.duplicates_dropped += 1;
                sub.checkpoint.acknowledge(message);
                self.journal.note_at(node, ": dropped by the inbox");
                record.outcome = "dropped";
                self.deliveries.push(record);
                return;
            }
        }
        match self.handle(subscriber, message, node) {
            Ok(commands) => {
                let sub = &mut self.subscribers[subscriber];
                sub.handled.insert(message);
                if commands > 0 {
                    *sub.effects.entry(message).or_default() += commands;
                }
                if let Some(inbox) = &mut sub.inbox {
                    inbox.keep(message, now);
                }
                let counts = counts_of(&mut sub.counts, self.messages[message].topic_number);
                counts.handled += 1;
                let crash = sub.faults.consumer_crash;
                // A consumer that keeps crashing comes back for good after a few tries, as an
                // outbox relay does: a share of 1 is a demonstration, not a frozen page.
                if attempt <= MAX_CRASHES && self.dice.chance(crash) {
                    // The work is done but the acknowledgement never left: the broker sends it again.
                    let sub = &mut self.subscribers[subscriber];
                    counts_of(&mut sub.counts, self.messages[message].topic_number).crashed += 1;
                    self.journal.note_at(node, ": crashed before acknowledging");
                    record.outcome = "crashed";
                    let backoff = i64::try_from(self.subscribers[subscriber].retry.backoff_ms).unwrap_or(i64::MAX);
                    self.agenda.at(
                        now.saturating_add(backoff),
                        Task::Deliver {
                            subscriber,
                            message,
                            attempt: attempt + 1,
                            duplicate: false,
                            retry_of: Some(node),
                        },
                    );
                } else {
                    self.subscribers[subscriber].checkpoint.acknowledge(message);
                }
            }
            Err(error) => {
                record.outcome = "failed";
                record.error = Some(error.to_string());
                self.journal.failed_at(node, &error.to_string());
                self.nack(subscriber, message, attempt, node, &error.to_string());
            }
        }
        self.deliveries.push(record);
    }

    /// A delivery failed: retry after the backoff, or do what the retry policy says.
    fn nack(&mut self, subscriber: usize, message: usize, attempt: u32, node: usize, error: &str) {
        let now = self.now();
        let topic = self.messages[message].topic_number;
        let sub = &mut self.subscribers[subscriber];
        counts_of(&mut sub.counts, topic).failed += 1;
        let retry = sub.retry;
        let action = if attempt <= retry.max_retries {
            NackAction::Retry
        } else {
            retry.exhausted
        };
        match action {
            NackAction::Retry => {
                let exponent = i32::try_from(attempt.saturating_sub(1).min(30)).unwrap_or(30);
                let wait = (retry.backoff_ms as f64 * retry.multiplier.powi(exponent)).min(86_400_000.0) as i64;
                self.agenda.at(
                    now.saturating_add(wait),
                    Task::Deliver {
                        subscriber,
                        message,
                        attempt: attempt + 1,
                        duplicate: false,
                        retry_of: Some(node),
                    },
                );
            }
            NackAction::Park => {
                counts_of(&mut sub.counts, topic).parked += 1;
                sub.checkpoint.acknowledge(message);
                sub.parked.push(Parked {
                    message,
                    attempts: attempt,
                    error: error.to_owned(),
                    parked_ms: now,
                });
            }
            NackAction::Skip => {
                counts_of(&mut sub.counts, topic).skipped += 1;
                sub.checkpoint.acknowledge(message);
            }
            NackAction::Stop => {
                sub.stopped = Some(error.to_owned());
                sub.held.push(message);
            }
        }
    }

    /// Handles a message: runs the consumer or the process; the number of commands it sent.
    fn handle(&mut self, subscriber: usize, message: usize, node: usize) -> Result<u32> {
        match self.subscribers[subscriber].kind {
            Kind::Consumer(index) => self.consume(subscriber, index, message, node),
            Kind::Process(index) => {
                let input = self.messages[message].to_value();
                let correlation = self.messages[message].correlation_id.clone();
                let node = self.journal.id_of(node);
                self.advance_process(index, input, &correlation, &node)
            }
        }
    }

    fn consume(&mut self, subscriber: usize, index: usize, message: usize, node: usize) -> Result<u32> {
        let consumer = &self.definition.consumers[index];
        if matches!(&consumer.logic, ConsumerLogic::Mapping(mappings) if mappings.is_empty()) {
            // A consumer that only reads: nothing to build the message for.
            return Ok(0);
        }
        let value = self.messages[message].to_value();
        let reaction = match &consumer.logic {
            ConsumerLogic::Script(source) => {
                let owner = || Owner {
                    kind: OwnerKind::Consumer,
                    name: consumer.name.clone(),
                };
                let script = match self.subscribers[subscriber].script {
                    Some(script) => script,
                    None => {
                        let script = self.sandbox.compile(&owner(), source)?;
                        self.subscribers[subscriber].script = Some(script);
                        script
                    }
                };
                let result = self.sandbox.call(script, "handle", &[value])?;
                Reaction::read(result, &owner().to_string())?
            }
            ConsumerLogic::Mapping(mappings) => Reaction {
                commands: super::react::map_commands(mappings, &value),
                ..Reaction::default()
            },
        };
        let (module, sender) = (
            self.subscribers[subscriber].module,
            self.subscribers[subscriber].name.clone(),
        );
        let correlation = self.messages[message].correlation_id.clone();
        let node = self.journal.id_of(node);
        self.apply(module, &sender, reaction, &correlation, &node)
            .map(|sent| sent.len() as u32)
    }

    /// Carries out what a consumer or a process step asked for; the commands it ran, by module.
    pub(super) fn apply(
        &mut self,
        module: usize,
        sender: &str,
        reaction: Reaction,
        correlation: &str,
        node: &str,
    ) -> Result<Vec<(usize, ModuleCommand)>> {
        let mut sent = Vec::new();
        for command in reaction.commands {
            let target = if command.module.is_empty() {
                module
            } else {
                self.module_id(&command.module)?
            };
            let command_node = self.journal.next_id("c");
            let result = self.command_in(target, &command, &command_node, correlation, Some(node), sender)?;
            if result.accepted {
                sent.push((target, command));
            }
        }
        for (topic, data) in reaction.messages {
            self.emit(module, &topic, data, correlation, node);
        }
        for (external, key, data) in reaction.calls {
            self.call(&external, key, data, module, correlation, node)?;
        }
        Ok(sent)
    }

    /// Delivers a subscriber's parked messages again, ahead of new ones (all, or the one with
    /// message id `only`); returns how many.
    pub fn replay_parked(&mut self, name: &str, only: Option<&str>) -> Result<usize> {
        let index = self.subscriber(name)?;
        let parked = std::mem::take(&mut self.subscribers[index].parked);
        let (replay, keep): (Vec<_>, Vec<_>) = parked
            .into_iter()
            .partition(|p| only.is_none_or(|id| self.messages[p.message].id == id));
        if let (Some(id), true) = (only, replay.is_empty()) {
            self.subscribers[index].parked = keep;
            return Err(Error::Unknown {
                what: "parked message",
                name: id.to_owned(),
            });
        }
        self.subscribers[index].parked = keep;
        let now = self.now();
        for parked in &replay {
            let counts = counts_of(
                &mut self.subscribers[index].counts,
                self.messages[parked.message].topic_number,
            );
            counts.parked = counts.parked.saturating_sub(1);
            self.agenda.at(
                now,
                Task::Deliver {
                    subscriber: index,
                    message: parked.message,
                    attempt: 1,
                    duplicate: false,
                    retry_of: None,
                },
            );
        }
        self.run_to(now, super::MAX_TASKS_PER_IDLE, &mut || true);
        Ok(replay.len())
    }

    /// Drops a parked message for good.
    pub fn skip_parked(&mut self, name: &str, message_id: &str) -> Result<()> {
        let index = self.subscriber(name)?;
        let Some(at) = self.subscribers[index]
            .parked
            .iter()
            .position(|p| self.messages[p.message].id == message_id)
        else {
            return Err(Error::Unknown {
                what: "parked message",
                name: message_id.to_owned(),
            });
        };
        let parked = self.subscribers[index].parked.remove(at);
        let counts = counts_of(
            &mut self.subscribers[index].counts,
            self.messages[parked.message].topic_number,
        );
        counts.parked = counts.parked.saturating_sub(1);
        counts.skipped += 1;
        Ok(())
    }

    /// Starts a stopped subscriber again: what it held is delivered in order, its stopping
    /// message first.
    pub fn resume(&mut self, name: &str) -> Result<usize> {
        let index = self.subscriber(name)?;
        self.subscribers[index].stopped = None;
        let held = std::mem::take(&mut self.subscribers[index].held);
        let now = self.now();
        for &message in &held {
            self.agenda.at(
                now,
                Task::Deliver {
                    subscriber: index,
                    message,
                    attempt: 1,
                    duplicate: false,
                    retry_of: None,
                },
            );
        }
        self.run_to(now, super::MAX_TASKS_PER_IDLE, &mut || true);
        Ok(held.len())
    }

    /// Turns a subscriber's inbox on or off (an inbox turned on starts empty).
    pub fn set_inbox(&mut self, name: &str, on: bool, retention_ms: Option<u64>) -> Result<()> {
        let index = self.subscriber(name)?;
        let subscriber = &mut self.subscribers[index];
        match (on, &mut subscriber.inbox) {
            (false, _) => subscriber.inbox = None,
            (true, Some(inbox)) => inbox.retention_ms = retention_ms,
            (true, None) => {
                subscriber.inbox = Some(Inbox {
                    retention_ms,
                    ..Inbox::default()
                })
            }
        }
        Ok(())
    }
}

/// `stream-{data.id}` with the placeholders read from `value`.
pub(super) fn fill_template(template: &str, value: &Value) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let Some((path, tail)) = after.split_once('}') else {
            rest = after;
            break;
        };
        out.push_str(&lookup_text(value, path).unwrap_or_default());
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// How many times a message may crash its consumer before it gets through.
const MAX_CRASHES: u32 = 3;

/// A topic's figures, by the topic's number.
fn counts_of(counts: &mut Vec<Counts>, topic: u32) -> &mut Counts {
    let at = topic as usize;
    if at >= counts.len() {
        counts.resize(at + 1, Counts::default());
    }
    &mut counts[at]
}

/// A delivery as it is noted: indices, made into a [`super::Delivery`] when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Delivered {
    /// Its trace node's index in the journal.
    pub node: usize,
    pub subscriber: usize,
    pub message: usize,
    pub attempt: u32,
    pub duplicate: bool,
    pub at_ms: i64,
    pub outcome: &'static str,
    pub error: Option<String>,
}
