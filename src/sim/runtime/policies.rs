//! Running policies. Each policy keeps a checkpoint, the position of the next event it will
//! react to, as a projection does. An inline one reacts within the commit that appended the
//! events; an async one, and any that is behind (a direct append to the store, a resumed one),
//! moves forward in [`Runtime::step`]. How a reaction runs is in `reactions.rs`.
//!
//! A policy starts at the store's head: when it is added to a running model, and when a store is
//! opened without saved checkpoints (an older file), it reacts to what happens from then on and
//! never to history, which would send every command again. A redeploy keeps each policy's
//! checkpoint by name, whatever changed in its definition.
//!
//! A rejected command is counted and passed over: the rule said no, which is an answer. Anything
//! else that goes wrong (the script, a command that fails, a loop) stops the policy at the event
//! it reacted to, with the error, as a poison event stops a projection. It resumes there once its
//! definition or what its commands go through (commands, stream types, event types, upcasters)
//! changes in a redeploy, or through [`Runtime::retry_policy`]; [`Runtime::skip_policy`] moves
//! past the event. Commands it sent for that event before the failure are sent again on a retry:
//! delivery is at least once, so deciders that policies call should be idempotent.

use serde::{Deserialize, Serialize};

use super::projections::{Poison, Skipped};
use super::Runtime;
use crate::model::{Lifecycle, Model, Policy};
use crate::sim::error::{Error, Result};

/// Where a policy stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyState {
    /// It has reacted to every event in the store.
    Live,
    /// Behind the store, moving forward with each step.
    CatchingUp,
    /// Stopped at an event, with the error.
    Stopped,
}

/// A command a policy sent that its decider rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRejection {
    /// The position of the event the policy reacted to.
    pub position: u64,
    /// The command.
    pub command: String,
    /// The stream it went to.
    pub stream_id: String,
    /// The rejection's message.
    pub message: String,
}

/// A policy as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyStatus {
    /// The policy's name.
    pub name: String,
    /// Inline or async.
    pub lifecycle: Lifecycle,
    /// Where it stands.
    pub state: PolicyState,
    /// The position of the next event it will react to.
    pub checkpoint: u64,
    /// How many events it is behind: the store's head minus the checkpoint.
    pub lag: u64,
    /// How many commands it sent that were decided (accepted or rejected).
    pub commands_sent: u64,
    /// How many of them were rejected.
    pub rejections: u64,
    /// The latest rejection.
    pub last_rejection: Option<PolicyRejection>,
    /// The event it stopped at and why, if it did.
    pub stopped: Option<Poison>,
    /// The events it was told to skip, oldest first.
    pub skipped: Vec<Skipped>,
}

/// A running policy: its definition and how far it got.
#[derive(Debug, Clone)]
pub(crate) struct Running {
    pub(crate) definition: Policy,
    pub(crate) progress: Progress,
}

/// How far a policy got and what it did: what a save keeps of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Progress {
    pub(crate) checkpoint: u64,
    #[serde(default)]
    pub(crate) commands_sent: u64,
    #[serde(default)]
    pub(crate) rejections: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) last_rejection: Option<PolicyRejection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stopped: Option<Poison>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) skipped: Vec<Skipped>,
}

impl Running {
    /// A policy that reacts to what comes after `head`.
    pub(crate) fn at(definition: Policy, head: u64) -> Self {
        Running {
            definition,
            progress: Progress {
                checkpoint: head,
                ..Progress::default()
            },
        }
    }

    /// Whether it has something to do in a step: it is behind and not stopped.
    pub(crate) fn is_behind(&self, head: u64) -> bool {
        self.progress.stopped.is_none() && self.progress.checkpoint < head
    }

    fn status(&self, head: u64) -> PolicyStatus {
        let progress = &self.progress;
        let lag = head.saturating_sub(progress.checkpoint);
        let state = match &progress.stopped {
            Some(_) => PolicyState::Stopped,
            None if lag > 0 => PolicyState::CatchingUp,
            None => PolicyState::Live,
        };
        PolicyStatus {
            name: self.definition.name.clone(),
            lifecycle: self.definition.lifecycle,
            state,
            checkpoint: progress.checkpoint,
            lag,
            commands_sent: progress.commands_sent,
            rejections: progress.rejections,
            last_rejection: progress.last_rejection.clone(),
            stopped: progress.stopped.clone(),
            skipped: progress.skipped.clone(),
        }
    }
}

/// The policies of `next` after a redeploy from `previous`: each keeps its progress by name; a
/// stopped one resumes when its definition or what its commands go through changed; a new one
/// starts at `head`.
pub(crate) fn redeployed(mut old: Vec<Running>, previous: &Model, next: &Model, head: u64) -> Vec<Running> {
    let commands_changed = next.commands != previous.commands
        || next.stream_types != previous.stream_types
        || next.event_types != previous.event_types
        || next.upcasters != previous.upcasters;
    next.policies
        .iter()
        .map(
            |definition| match old.iter().position(|p| p.definition.name == definition.name) {
                Some(i) => {
                    let mut running = old.swap_remove(i);
                    if commands_changed || running.definition != *definition {
                        running.progress.stopped = None;
                    }
                    running.definition = definition.clone();
                    running
                }
                None => Running::at(definition.clone(), head),
            },
        )
        .collect()
}

impl Runtime {
    /// Every policy's status, in the model's order.
    pub fn policies(&self) -> Vec<PolicyStatus> {
        let head = self.head();
        self.policies.iter().map(|p| p.status(head)).collect()
    }

    /// One policy's status.
    pub fn policy(&self, name: &str) -> Result<PolicyStatus> {
        Ok(self.policies[self.policy_index(name)?].status(self.head()))
    }

    /// Moves a stopped policy past the event it stopped at, recording the skip; it then runs on
    /// (in the next step).
    pub fn skip_policy(&mut self, name: &str) -> Result<Skipped> {
        let (progress, stopped) = self.take_stop(name)?;
        progress.checkpoint = stopped.position + 1;
        progress.skipped.push(stopped.clone());
        Ok(stopped)
    }

    /// Lets a stopped policy react again to the event it stopped at (in the next step), e.g.
    /// once what failed was fixed; answers where and why it had stopped.
    pub fn retry_policy(&mut self, name: &str) -> Result<Poison> {
        Ok(self.take_stop(name)?.1)
    }

    /// A stopped policy's progress, its stop taken out.
    fn take_stop(&mut self, name: &str) -> Result<(&mut Progress, Poison)> {
        let index = self.policy_index(name)?;
        let progress = &mut self.policies[index].progress;
        let stopped = progress.stopped.take().ok_or_else(|| Error::BadResult {
            owner: format!("policy {name}"),
            message: "it is not stopped at an event, so there is nothing to skip or retry".to_owned(),
        })?;
        Ok((progress, stopped))
    }

    fn policy_index(&self, name: &str) -> Result<usize> {
        self.policies
            .iter()
            .position(|p| p.definition.name == name)
            .ok_or_else(|| Error::Unknown {
                what: "policy",
                name: name.to_owned(),
            })
    }
}
