//! Policies reacting: to the events a commit appended, within the commit (inline), or from
//! their checkpoints in [`Runtime::step`] (async, and inline ones that are behind).
//!
//! Each command a policy sends carries the triggering event's correlation id (its id when it has
//! none), the event's id as causation id, and the policy's name as sender; its events carry the
//! headers `sender` and `policyDepth`, how many policy reactions led to them.
//!
//! Inline, the commands are executed at once and the inline policies go on to their events, and
//! so on, in the order of the store (breadth first), until the head. Two limits turn a loop of
//! policies into an error that stops the policy ([`crate::sim::Error::PolicyLoop`]) instead of a
//! hang: at most [`MAX_POLICY_DEPTH`] reactions from a participant's command (the depth is read
//! from the header, so it holds across steps and reloads), and at most [`MAX_INLINE_COMMANDS`]
//! commands sent inline in reaction to one commit.

use super::commands::{CommandRequest, Expected, DEPTH_HEADER};
use super::policies::PolicyRejection;
use super::projections::Poison;
use super::templates::is_current;
use super::Runtime;
use crate::model::{Lifecycle, Model};
use crate::sim::decider::Outcome;
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::sim::policy::{self, PolicyCommand};
use crate::sim::upcast::upcast;
use crate::store::{Direction, Source, Store};

/// How many policy reactions may lead from a participant's command to a command a policy sends.
pub const MAX_POLICY_DEPTH: u32 = 10;

/// How many commands inline policies may send in reaction to one commit, theirs included.
pub const MAX_INLINE_COMMANDS: usize = 1_000;

/// A stored event a policy reacts to, with what the commands it sends carry on.
struct Trigger {
    event: Envelope,
    event_id: String,
    /// The event's correlation id, or its own id when it has none (appended directly).
    correlation_id: String,
    /// How many policy reactions led to it.
    depth: u32,
}

/// How a reaction runs.
enum Pass {
    /// Within a commit: the commands are appended and the loop goes on to their events; `left`
    /// is how many more commands may be sent.
    Inline { left: usize },
    /// In a step: each command is a commit of its own, which the inline policies react to.
    Stepping,
}

impl Runtime {
    /// Lets the inline policies that stood at `from`, the first position a commit appended, react
    /// to every event from there to the head, the events of the commands they send included.
    /// Answers whether they appended anything.
    pub(super) fn react_inline(&mut self, from: u64) -> bool {
        let reacting: Vec<usize> = (0..self.policies.len())
            .filter(|&i| {
                let running = &self.policies[i];
                running.definition.lifecycle == Lifecycle::Inline
                    && running.progress.stopped.is_none()
                    && running.progress.checkpoint == from
            })
            .collect();
        if reacting.is_empty() {
            return false;
        }
        let end = self.head();
        let mut pass = Pass::Inline {
            left: MAX_INLINE_COMMANDS,
        };
        let mut position = from;
        let duplicates = self.migration.as_ref().map(super::Migration::duplicates);
        while position < self.head() {
            let (triggers, next) = read_triggers(
                &self.store,
                position,
                u64::MAX,
                1,
                |event_type, version, stream_id, position| {
                    !duplicates.as_ref().is_some_and(|d| d.skip(stream_id, position))
                        && reacting
                            .iter()
                            .any(|&i| wants(&self.model, &self.policies[i].definition.on, event_type, version))
                },
            );
            for &index in &reacting {
                let progress = &self.policies[index].progress;
                if progress.stopped.is_some() || progress.checkpoint != position {
                    continue;
                }
                if let Some(trigger) = triggers.first() {
                    if let Err(error) = self.react(index, trigger, &mut pass) {
                        self.stop(index, trigger, &error);
                        continue;
                    }
                }
                self.policies[index].progress.checkpoint = next;
            }
            position = next;
        }
        self.head() > end
    }

    /// Moves a policy that is behind forward by at most `max_events` events, sending what it
    /// reacts with; answers how many events it read.
    pub(super) fn advance_policy(&mut self, index: usize, max_events: usize) -> u64 {
        let running = &self.policies[index];
        if !running.is_behind(self.head()) || max_events == 0 {
            return 0;
        }
        let from = running.progress.checkpoint;
        // A policy never reads past a transaction in flight: it waits at the high-water mark.
        let end = self.high_water_mark();
        if from >= end {
            return 0;
        }
        let duplicates = self.migration.as_ref().map(super::Migration::duplicates);
        let (triggers, next) = read_triggers(
            &self.store,
            from,
            end,
            max_events,
            |event_type, version, stream_id, position| {
                !duplicates.as_ref().is_some_and(|d| d.skip(stream_id, position))
                    && wants(&self.model, &running.definition.on, event_type, version)
            },
        );
        for trigger in &triggers {
            if let Err(error) = self.react(index, trigger, &mut Pass::Stepping) {
                self.stop(index, trigger, &error);
                return trigger.event.position - from;
            }
            self.policies[index].progress.checkpoint = trigger.event.position + 1;
        }
        self.policies[index].progress.checkpoint = next;
        next - from
    }

    /// Runs a policy on one event (upcast first) and sends the commands it asks for.
    fn react(&mut self, index: usize, trigger: &Trigger, pass: &mut Pass) -> Result<()> {
        let event = &trigger.event;
        let events = if is_current(&self.model, &event.event_type, event.schema_version) {
            vec![event.clone()]
        } else {
            upcast(&self.model, &mut self.sandbox, event.clone())?
        };
        let mut commands = Vec::new();
        for event in &events {
            commands.extend(policy::react(
                &self.policies[index].definition,
                &mut self.sandbox,
                event,
            )?);
        }
        for command in commands {
            self.send(index, trigger, command, pass)?;
        }
        Ok(())
    }

    /// Executes one command a policy sent in reaction to `trigger`; a rejection is counted, a
    /// failure is the policy's error.
    fn send(&mut self, index: usize, trigger: &Trigger, command: PolicyCommand, pass: &mut Pass) -> Result<()> {
        let name = self.policies[index].definition.name.clone();
        let depth = trigger.depth + 1;
        if depth > MAX_POLICY_DEPTH {
            let reason = format!(
                "{} to {} would be {depth} policy reactions away from a participant's command, and {MAX_POLICY_DEPTH} is the most",
                command.command, command.stream_id
            );
            return Err(Error::PolicyLoop { policy: name, reason });
        }
        if let Pass::Inline { left } = pass {
            if *left == 0 {
                let reason = format!(
                    "inline policies sent {MAX_INLINE_COMMANDS} commands in reaction to one command, and that is the most"
                );
                return Err(Error::PolicyLoop { policy: name, reason });
            }
            *left -= 1;
        }
        let request = CommandRequest {
            command: command.command,
            stream_id: command.stream_id,
            data: command.data,
            expected: Expected::Read,
            correlation_id: Some(trigger.correlation_id.clone()),
            causation_id: Some(trigger.event_id.clone()),
            sender: Some(name.clone()),
            retries: 0,
        };
        let first = self.head();
        let executed = self
            .execute_sent(&request, depth)
            .map_err(|error| Error::PolicyCommand {
                policy: name,
                command: request.command.clone(),
                stream_id: request.stream_id.clone(),
                error: Box::new(error),
            })?;
        let progress = &mut self.policies[index].progress;
        progress.commands_sent += 1;
        if let Outcome::Rejected(rejection) = executed.decision.outcome {
            progress.rejections += 1;
            progress.last_rejection = Some(PolicyRejection {
                position: trigger.event.position,
                command: request.command,
                stream_id: request.stream_id,
                message: rejection.message,
            });
        }
        if let Pass::Stepping = pass {
            self.react_inline(first);
        }
        Ok(())
    }

    /// Stops a policy at `trigger` with `error`.
    fn stop(&mut self, index: usize, trigger: &Trigger, error: &Error) {
        let progress = &mut self.policies[index].progress;
        progress.stopped = Some(Poison::on(&trigger.event, error));
        progress.checkpoint = trigger.event.position;
    }
}

/// Whether a policy reacting to `on` needs to see a stored event of this type and version: one
/// of those types, or an older version, which upcasting may turn into one.
fn wants(model: &Model, on: &[String], event_type: &str, version: u32) -> bool {
    on.iter().any(|t| t == event_type) || !is_current(model, event_type, version)
}

/// The events from `from` on (at most `max_events` read) that `wanted` keeps, and the position
/// after the last event read (the head when none was).
fn read_triggers(
    store: &Store,
    from: u64,
    end: u64,
    max_events: usize,
    wanted: impl Fn(&str, u32, &str, u64) -> bool,
) -> (Vec<Trigger>, u64) {
    let mut triggers = Vec::new();
    let mut last = None;
    // $all always reads.
    let _ = store.read_raw(Source::All, from, max_events, Direction::Forwards, |raw| {
        if raw.position >= end {
            return;
        }
        last = Some(raw.position);
        if !wanted(raw.event_type, raw.schema_version, raw.stream_id, raw.position) {
            return;
        }
        let event_id = raw.event_id.to_string();
        let depth = raw
            .headers
            .and_then(|headers| headers.get(DEPTH_HEADER))
            .and_then(|depth| depth.parse().ok())
            .unwrap_or(0);
        triggers.push(Trigger {
            event: Envelope::from_raw(&raw),
            correlation_id: raw.correlation_id.map_or_else(|| event_id.clone(), str::to_owned),
            event_id,
            depth,
        });
    });
    (triggers, last.map_or(end, |p| p + 1))
}
