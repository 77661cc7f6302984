//! The system page's views of what the modules hold: each process manager's instances (state,
//! status, history, commands sent, timeouts counting down on the simulated clock), each outbox
//! with its relay's checkpoint, and each state-stored module's tables with the changes that
//! commands made to their rows. And firing a pending timeout early, to see what its step does
//! without waiting for it.

use serde_json::Value;

use super::error::Result;
use super::words::duration;
use super::workspace::Workspace;
use crate::model::Publishing;
use crate::sim::system::{ChangeRow, Instance, Services};

/// Where a process instance is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceStatus {
    /// It waits for more inputs.
    Running,
    /// It finished.
    Done,
    /// It finished by undoing its steps.
    Compensated,
}

impl InstanceStatus {
    /// The word the page shows.
    pub fn label(self) -> &'static str {
        match self {
            InstanceStatus::Running => "running",
            InstanceStatus::Done => "done",
            InstanceStatus::Compensated => "compensated",
        }
    }
}

/// A timeout an instance waits for, with the time left on the simulated clock.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeoutView {
    /// Its id (its trace node), to fire it early.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it falls due, in simulated ms.
    pub due_ms: i64,
    /// `fires in 15 min`, or `due now` once the clock reached it.
    pub countdown: String,
}

/// A process instance as the page draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceView {
    /// Its correlation key.
    pub key: String,
    /// The stream its inputs are kept in.
    pub stream_id: String,
    /// Running, done or compensated.
    pub status: InstanceStatus,
    /// Its state, as `evolve` left it.
    pub state: Value,
    /// The inputs it handled, oldest first: the types in its stream (a timeout by its name).
    pub history: Vec<String>,
    /// The commands it sent that were accepted, as `module: Command → stream`.
    pub sent: Vec<String>,
    /// The timeouts it waits for, soonest first.
    pub timeouts: Vec<TimeoutView>,
}

/// How many instances, outbox rows, table rows and changes each view lists at most: the page is
/// drawn again while a clock plays, and a busy system holds thousands of each.
pub const SHOWN_ROWS: usize = 20;

/// A process manager and its instances.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessView {
    /// The process manager.
    pub name: String,
    /// The module it sends from.
    pub module: String,
    /// The topics it reads: what starts an instance.
    pub topics: Vec<String>,
    /// Its instances, the running ones first, then by key: at most [`SHOWN_ROWS`].
    pub instances: Vec<InstanceView>,
    /// How many instances it has.
    pub total: usize,
}

/// A row of an outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxLine {
    /// The message's id.
    pub message_id: String,
    /// Its topic.
    pub topic: String,
    /// When it was written, with the change, in simulated ms.
    pub written_ms: i64,
    /// When the relay published it; `None` while it waits.
    pub relayed_ms: Option<i64>,
    /// How often the relay crashed on it.
    pub relay_crashes: u32,
}

/// A module's outbox and its relay.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxView {
    /// The module.
    pub module: String,
    /// Its latest rows (at most [`SHOWN_ROWS`]), oldest first.
    pub rows: Vec<OutboxLine>,
    /// How many rows it holds.
    pub total: usize,
    /// How many rows the relay's checkpoint has passed.
    pub relayed: usize,
}

impl OutboxView {
    /// The relay's checkpoint in words: `2 of 3 relayed`.
    pub fn checkpoint(&self) -> String {
        format!("{} of {} relayed", self.relayed, self.total)
    }
}

/// A table of a state-stored module.
#[derive(Debug, Clone, PartialEq)]
pub struct TableView {
    /// The table.
    pub name: String,
    /// Its first rows by id, at most [`SHOWN_ROWS`].
    pub rows: Vec<(String, Value)>,
    /// How many rows it holds.
    pub total: usize,
}

/// A state-stored module's tables and the changes commands made to them.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleTablesView {
    /// The module.
    pub module: String,
    /// Its tables, as defined.
    pub tables: Vec<TableView>,
    /// Each command's change to a row, newest first: at most [`SHOWN_ROWS`].
    pub changes: Vec<ChangeRow>,
    /// How many changes its commands made.
    pub changes_total: usize,
}

impl Workspace {
    /// Every process manager with its instances.
    pub fn process_views(&self) -> Vec<ProcessView> {
        let services = self.services();
        services
            .definition()
            .processes
            .iter()
            .map(|process| {
                // The running ones first: what a deadline or a step still waits on.
                let (instances, total) = services.instances_page(&process.name, SHOWN_ROWS).unwrap_or_default();
                ProcessView {
                    name: process.name.clone(),
                    module: process.module.clone(),
                    topics: process.topics.clone(),
                    instances: instances
                        .into_iter()
                        .map(|instance| instance_view(services, &process.name, instance))
                        .collect(),
                    total,
                }
            })
            .collect()
    }

    /// Every module that publishes through an outbox, with its rows.
    pub fn outbox_views(&self) -> Vec<OutboxView> {
        let services = self.services();
        services
            .modules()
            .into_iter()
            .filter(|m| m.publishing == Publishing::Outbox)
            .map(|m| {
                let (rows, total) = services.outbox_latest(&m.name, SHOWN_ROWS).unwrap_or_default();
                OutboxView {
                    rows: rows
                        .into_iter()
                        .map(|row| OutboxLine {
                            message_id: row.message.id,
                            topic: row.message.topic.to_string(),
                            written_ms: row.message.created_ms,
                            relayed_ms: row.relayed_ms,
                            relay_crashes: row.relay_crashes,
                        })
                        .collect(),
                    total,
                    relayed: m.relayed,
                    module: m.name,
                }
            })
            .collect()
    }

    /// Every state-stored module with its tables' rows and its changes.
    pub fn module_tables_views(&self) -> Vec<ModuleTablesView> {
        let services = self.services();
        services
            .definition()
            .modules
            .iter()
            .filter_map(|module| {
                let mut changes = services.changes(&module.name).ok()?;
                let changes_total = changes.len();
                changes.reverse();
                changes.truncate(SHOWN_ROWS);
                let tables = module
                    .tables
                    .iter()
                    .map(|table| {
                        let rows = services.rows(&module.name, &table.name).ok();
                        TableView {
                            name: table.name.clone(),
                            rows: rows
                                .into_iter()
                                .flatten()
                                .take(SHOWN_ROWS)
                                .map(|(id, row)| (id.clone(), row.clone()))
                                .collect(),
                            total: rows.map_or(0, |r| r.len()),
                        }
                    })
                    .collect();
                Some(ModuleTablesView {
                    module: module.name.clone(),
                    tables,
                    changes,
                    changes_total,
                })
            })
            .collect()
    }

    /// Fires timeout `timeout_id` of instance `key` of process `process` now, ahead of its time,
    /// and says what came of it: the instance's status after, or the error its step ran into.
    /// Fails, changing nothing, when the instance does not wait for that timeout (any more).
    pub fn fire_timeout_now(&mut self, process: &str, key: &str, timeout_id: &str) -> Result<String> {
        let name = self
            .services()
            .instances(process)?
            .into_iter()
            .find(|i| i.id == key)
            .and_then(|i| i.pending_timeouts.into_iter().find(|t| t.id == timeout_id))
            .map_or_else(|| timeout_id.to_owned(), |t| t.name);
        let errors = self.services().errors().len();
        self.services_mut().fire_timeout_now(process, key, timeout_id)?;
        let services = self.services();
        if let Some((_, error, _)) = services.errors().get(errors) {
            return Ok(format!(
                "{name} fired early on {process} {key}; its step failed: {error}"
            ));
        }
        let status = services
            .instances(process)?
            .into_iter()
            .find(|i| i.id == key)
            .map_or(InstanceStatus::Running, |i| status_of(&i));
        Ok(format!(
            "{name} fired early on {process} {key}, which is now {}",
            status.label()
        ))
    }
}

/// An instance as the page draws it, its countdowns from the simulated clock.
fn instance_view(services: &Services, process: &str, instance: Instance) -> InstanceView {
    let now = services.now();
    let mut timeouts: Vec<TimeoutView> = instance
        .pending_timeouts
        .iter()
        .map(|t| TimeoutView {
            id: t.id.clone(),
            name: t.name.clone(),
            due_ms: t.due_ms,
            countdown: match u64::try_from(t.due_ms - now) {
                Ok(left) if left > 0 => format!("fires in {}", duration(left)),
                _ => "due now".to_owned(),
            },
        })
        .collect();
    timeouts.sort_by_key(|t| t.due_ms);
    InstanceView {
        status: status_of(&instance),
        history: services.process_stream(process, &instance.id).unwrap_or_default(),
        sent: instance
            .sent
            .iter()
            .map(|c| format!("{}: {} → {}", c.module, c.command, c.stream_id))
            .collect(),
        timeouts,
        key: instance.id,
        stream_id: instance.stream_id,
        state: instance.state,
    }
}

fn status_of(instance: &Instance) -> InstanceStatus {
    match (instance.done, instance.compensated) {
        (_, true) => InstanceStatus::Compensated,
        (true, false) => InstanceStatus::Done,
        (false, false) => InstanceStatus::Running,
    }
}
