//! Process managers: one instance per correlation key, its inputs kept in its own stream
//! (`<process>-<key>`), `decide(input, state)` then `evolve(state, input)`; timeouts on the
//! simulated clock that fire unless cancelled; and compensation, which undoes the steps an
//! instance took when it asks to.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::schedule::Task;
use super::trace::Label;
use super::{lookup_text, ModuleCommand, Services};
use crate::model::Process;
use crate::script::{Owner, OwnerKind};
use crate::sim::error::{Error, Result};
use crate::store::{Config, ExpectedRevision, NewEvent, Store};

/// A timeout an instance waits for.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pending {
    pub id: String,
    pub name: String,
    pub due_ms: i64,
    pub data: Value,
    pub correlation_id: String,
}

/// One run of a process.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct InstanceRun {
    pub stream_id: String,
    pub state: Value,
    pub done: bool,
    pub compensated: bool,
    pub pending: Vec<Pending>,
    /// The steps it took: the commands accepted, by module.
    pub sent: Vec<(usize, ModuleCommand)>,
    pub inputs: u64,
}

/// A process manager and its instances.
#[derive(Debug)]
pub(super) struct ProcessRun {
    pub definition: Process,
    /// Where each instance's inputs are kept, one stream per instance.
    pub store: Store,
    pub instances: BTreeMap<String, InstanceRun>,
    /// Errors of timeouts that fired into a failing step.
    pub errors: Vec<String>,
}

impl ProcessRun {
    pub fn new(definition: Process, now: i64) -> ProcessRun {
        let mut store = Store::new(Config {
            seed: super::hash(&definition.name),
            ..Config::default()
        });
        let _ = store.set_ms(now);
        ProcessRun {
            definition,
            store,
            instances: BTreeMap::new(),
            errors: Vec::new(),
        }
    }
}

impl Services {
    /// Hands an input (a message or a timeout) to its instance; the number of commands it sent.
    pub(super) fn advance_process(&mut self, index: usize, input: Value, correlation: &str, node: &str) -> Result<u32> {
        let definition = self.processes[index].definition.clone();
        let owner = Owner {
            kind: OwnerKind::Process,
            name: definition.name.clone(),
        };
        let key = lookup_text(&input, &definition.correlate).ok_or_else(|| Error::BadResult {
            owner: owner.to_string(),
            message: format!(
                "the input has nothing at {} to find its instance by",
                definition.correlate
            ),
        })?;
        let process = &mut self.processes[index];
        let instance = process.instances.entry(key.clone()).or_insert_with(|| InstanceRun {
            stream_id: format!("{}-{key}", definition.name),
            state: json!({}),
            done: false,
            compensated: false,
            pending: Vec::new(),
            sent: Vec::new(),
            inputs: 0,
        });
        if instance.done {
            return Ok(0);
        }
        let state = instance.state.clone();
        let stream_id = instance.stream_id.clone();
        let (reaction, evolved) = super::react::step(&mut self.sandbox, &definition, &input, &state)?;
        let input_type = input
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("Input")
            .replace('.', "_");
        self.processes[index].store.append(
            &stream_id,
            ExpectedRevision::Any,
            vec![NewEvent::new(input_type, input)
                .with_correlation_id(correlation.to_owned())
                .with_causation_id(node.to_owned())],
        )?;
        let schedule = reaction.schedule.clone();
        let cancel = reaction.cancel.clone();
        let (done, compensate) = (reaction.done, reaction.compensate);
        let module = self.module_id(&definition.module)?;
        let sent = self.apply(module, &definition.name, reaction, correlation, node)?;
        let mut commands = sent.len() as u32;
        let now = self.now();
        let instance = self.processes[index]
            .instances
            .get_mut(&key)
            .expect("the instance made above");
        instance.state = evolved;
        instance.inputs += 1;
        instance.sent.extend(sent);
        let mut dropped: Vec<String> = Vec::new();
        instance.pending.retain(|p| {
            let keep = !cancel.contains(&p.name) && !done;
            if !keep {
                dropped.push(p.id.clone());
            }
            keep
        });
        let mut scheduled = Vec::new();
        if !done {
            for (name, after, data) in schedule {
                let id = self.journal.next_id("t");
                let due = now.saturating_add(i64::try_from(after).unwrap_or(i64::MAX));
                scheduled.push(Pending {
                    id,
                    name,
                    due_ms: due,
                    data,
                    correlation_id: correlation.to_owned(),
                });
            }
        }
        let instance = self.processes[index].instances.get_mut(&key).expect("the instance");
        instance.pending.extend(scheduled.iter().cloned());
        instance.done = done;
        let to_undo = if compensate && !instance.compensated {
            instance.compensated = true;
            instance.sent.clone()
        } else {
            Vec::new()
        };
        for pending in scheduled {
            self.journal.add(
                &pending.id,
                "timeout",
                &self.names[module],
                Label::Text(format!("{} due at {} ms", pending.name, pending.due_ms)),
                now,
                correlation,
                Some(node),
            );
            self.agenda.at(
                pending.due_ms,
                Task::Timeout {
                    process: index,
                    instance: key.clone(),
                    name: pending.name,
                    id: pending.id,
                },
            );
        }
        if !dropped.is_empty() {
            self.agenda
                .remove_where(|task| matches!(task, Task::Timeout { id, .. } if dropped.contains(id)));
            for id in &dropped {
                self.journal.note(id, " (cancelled)");
            }
        }
        for (target, step) in to_undo.into_iter().rev() {
            let Some(undo) = definition
                .compensations
                .iter()
                .find(|c| c.step == step.command)
                .map(|c| c.undo.clone())
            else {
                continue;
            };
            // The undo gets what the step was sent, as far as its own fields go.
            let data = match (self.command_fields(target, &undo), &step.data) {
                (Some(fields), Value::Object(map)) => Value::Object(
                    map.iter()
                        .filter(|(key, _)| fields.contains(key))
                        .map(|(key, value)| (key.clone(), value.clone()))
                        .collect(),
                ),
                _ => step.data.clone(),
            };
            let command = ModuleCommand {
                command: undo,
                data,
                ..step
            };
            let command_node = self.journal.next_id("c");
            self.command_in(
                target,
                &command,
                &command_node,
                correlation,
                Some(node),
                &definition.name,
            )?;
            commands += 1;
        }
        Ok(commands)
    }

    /// Fires the pending timeout `timeout_id` of instance `key` of process `process` now, at the
    /// simulated time, ahead of its due time: the instance gets it as it would have then, and it
    /// is taken off the agenda so that it does not fire again. What the step sends is published
    /// at once, as a command's is. A step that fails is kept with the process's errors, as when
    /// the timeout falls due.
    ///
    /// Fails, changing nothing, for an unknown process or instance, or a timeout the instance no
    /// longer waits for (it fired, or was cancelled).
    pub fn fire_timeout_now(&mut self, process: &str, key: &str, timeout_id: &str) -> Result<()> {
        let index = self
            .processes
            .iter()
            .position(|p| p.definition.name == process)
            .ok_or_else(|| Error::Unknown {
                what: "process",
                name: process.to_owned(),
            })?;
        let instance = self.processes[index].instances.get(key).ok_or_else(|| Error::Unknown {
            what: "process instance",
            name: format!("{process} {key}"),
        })?;
        let name = instance
            .pending
            .iter()
            .find(|p| p.id == timeout_id)
            .map(|p| p.name.clone())
            .ok_or_else(|| Error::Unknown {
                what: "pending timeout",
                name: timeout_id.to_owned(),
            })?;
        self.agenda
            .remove_where(|task| matches!(task, Task::Timeout { id, .. } if id == timeout_id));
        self.fire_timeout(index, key, &name, timeout_id);
        self.journal.note(timeout_id, " (fired early)");
        self.settle();
        Ok(())
    }

    /// A timeout falls due: unless it was cancelled, its instance gets it as an input
    /// `#{ type: name, data, timeout: true }`.
    pub(super) fn fire_timeout(&mut self, index: usize, key: &str, name: &str, id: &str) {
        let Some(instance) = self.processes[index].instances.get_mut(key) else {
            return;
        };
        let Some(at) = instance.pending.iter().position(|p| p.id == id) else {
            return;
        };
        let pending = instance.pending.remove(at);
        let correlate = self.processes[index].definition.correlate.clone();
        let mut input = json!({ "type": name, "data": pending.data, "timeout": true, "id": id });
        // The timeout carries its instance's key where the process looks for it.
        set_path(&mut input, &correlate, Value::String(key.to_owned()));
        self.journal.note(id, " (fired)");
        if let Err(error) = self.advance_process(index, input, &pending.correlation_id, id) {
            let process = &mut self.processes[index];
            process
                .errors
                .push(format!("{} {key}: timeout {name}: {error}", process.definition.name));
            self.journal.note_error(
                &format!("process {}", process.definition.name),
                &error.to_string(),
                &pending.correlation_id,
            );
        }
    }
}

/// Sets the value at a dotted path, making objects on the way where there are none.
fn set_path(value: &mut Value, path: &str, to: Value) {
    let mut current = value;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        if !current.is_object() {
            *current = json!({});
        }
        let Value::Object(map) = current else {
            return;
        };
        if keys.peek().is_none() {
            if !map.contains_key(key) {
                map.insert(key.to_owned(), to);
            }
            return;
        }
        current = map.entry(key.to_owned()).or_insert_with(|| json!({}));
    }
}
