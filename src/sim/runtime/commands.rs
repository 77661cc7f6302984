//! Commands: read the stream through the upcasters, fold with `evolve`, `decide`, and append with
//! the revision that was read. Deciding and committing are separate steps, so two handlers can be
//! interleaved (the workshop's "two participants, one cart"): the second commit then fails with
//! `WrongExpectedVersion`. [`Runtime::execute`] does both and retries a conflict when asked.
//!
//! `decide` sees the command's metadata: the store's clock as `now`, the correlation and
//! causation ids its events will carry, and who sent it. A commit that appended events lets the
//! inline policies react to them before it returns (see `reactions.rs`).

use serde_json::Value;

use super::{Runtime, COMMAND_ID_PREFIX};
use crate::sim::decider::{self, Incoming, Metadata, Outcome, USER};
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::store::{Error as StoreError, ExpectedRevision, NewEvent};

/// The header naming who sent a command, on its events when it was not a participant.
pub(crate) const SENDER_HEADER: &str = "sender";

/// The header saying how many policy reactions led to an event, when any did.
pub(crate) const DEPTH_HEADER: &str = "policyDepth";

/// Which revision a command's events are appended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expected {
    /// The revision the decider read (optimistic concurrency): the default.
    #[default]
    Read,
    /// Whatever is there: a conflict cannot happen.
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream's last revision must be exactly this.
    Exact(u64),
}

/// A command to handle.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommandRequest {
    /// The command's name.
    pub command: String,
    /// The stream it goes to (for a stream type with periods, a base stream goes to its open
    /// period).
    pub stream_id: String,
    /// Its payload (defaults are filled in from the command's fields).
    pub data: Value,
    /// The revision to append with.
    pub expected: Expected,
    /// The chain this command belongs to; a new chain (the command's own id) when absent.
    pub correlation_id: Option<String>,
    /// What caused this command (an event id when a policy sent it); the command's id when absent.
    pub causation_id: Option<String>,
    /// How many times [`Runtime::execute`] decides again after a conflict before surfacing it.
    pub retries: u32,
    /// Who sent it, as `decide` sees it in `command.metadata.sender`: a user, a policy, a
    /// consumer; `user` when absent.
    pub sender: Option<String>,
}

/// What a decider decided for a command, not yet appended.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// `cmd-<n>`, numbered in the order commands were decided.
    pub command_id: String,
    /// The command's name.
    pub command: String,
    /// The stream.
    pub stream_id: String,
    /// The correlation id every event will carry.
    pub correlation_id: String,
    /// The causation id every event will carry: the command's id unless the request named one.
    pub causation_id: String,
    /// Who sent it: `user` unless the request named someone. Any other sender is written in the
    /// events' `sender` header.
    pub sender: String,
    /// How many policy reactions led to this command: 0 for a participant's, 1 for a policy's
    /// reaction to a participant's command's events, and so on. Written in the events'
    /// `policyDepth` header when not 0.
    pub policy_depth: u32,
    /// The revision the append will expect.
    pub expected: ExpectedRevision,
    /// The events, or the rejection.
    pub outcome: Outcome,
}

/// What a commit wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Committed {
    /// The positions of the appended events, in order; empty for a rejection or an empty decision.
    pub positions: Vec<u64>,
    /// What to expect for the next append to the stream.
    pub next_expected_revision: ExpectedRevision,
}

/// The result of [`Runtime::execute`].
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    /// The decision that was committed.
    pub decision: Decision,
    /// What the commit wrote.
    pub committed: Committed,
    /// How many times the command was decided (1 without conflicts).
    pub attempts: u32,
}

impl Runtime {
    /// Decides a command against the stream as it is now; nothing is written.
    pub fn decide(&mut self, request: &CommandRequest) -> Result<Decision> {
        self.decide_at_depth(request, 0, false)
    }

    /// Decides a command `policy_depth` policy reactions away from a participant's.
    /// A period that is due is closed first when `close_due` (a command that will be committed);
    /// a decision alone writes nothing.
    fn decide_at_depth(&mut self, request: &CommandRequest, policy_depth: u32, close_due: bool) -> Result<Decision> {
        // The id this command gets if it is decided; a command that fails takes none.
        let command_id = format!("{COMMAND_ID_PREFIX}{}", self.commands_decided + 1);
        let metadata = Metadata {
            now: self.store.now_ms(),
            correlation_id: Some(request.correlation_id.clone().unwrap_or_else(|| command_id.clone())),
            causation_id: Some(request.causation_id.clone().unwrap_or_else(|| command_id.clone())),
            sender: request.sender.clone().unwrap_or_else(|| USER.to_owned()),
        };
        let incoming = Incoming {
            command: &request.command,
            data: &request.data,
            metadata: &metadata,
        };
        let stream_id = self.route(&request.stream_id, close_due)?;
        let mut folded = self.folds.take(&stream_id);
        let (outcome, read) = decider::handle_stored(
            &self.model,
            &mut self.sandbox,
            &self.store,
            &stream_id,
            incoming,
            &mut folded,
        )?;
        if let Some(folded) = folded {
            self.folds.keep(&stream_id, folded);
        }
        self.commands_decided += 1;
        let Metadata {
            correlation_id,
            causation_id,
            sender,
            ..
        } = metadata;
        Ok(Decision {
            correlation_id: correlation_id.unwrap_or_default(),
            causation_id: causation_id.unwrap_or_default(),
            command_id,
            command: request.command.clone(),
            stream_id,
            sender,
            policy_depth,
            expected: match request.expected {
                Expected::Read => read,
                Expected::Any => ExpectedRevision::Any,
                Expected::NoStream => ExpectedRevision::NoStream,
                Expected::Exact(revision) => ExpectedRevision::Exact(revision),
            },
            outcome,
        })
    }

    /// Appends a decision's events with the revision it expects, updating inline projections in
    /// the same step. A conflict (someone appended since the decision) or a failing inline handler
    /// writes nothing. Once the events are in, inline policies react to them, and to the events
    /// of the commands they send, before this returns; what they did shows in their statuses
    /// ([`Runtime::policies`]), never as this commit's error.
    pub fn commit(&mut self, decision: &Decision) -> Result<Committed> {
        let mut committed = self.append_decided(decision)?;
        if let Some(&first) = committed.positions.first() {
            if self.react_inline(first) {
                // A policy may have appended to the same stream.
                committed.next_expected_revision = decider::expected_after(&self.store, &decision.stream_id)?;
            }
        }
        Ok(committed)
    }

    /// [`Runtime::commit`] without the inline policies' reactions.
    fn append_decided(&mut self, decision: &Decision) -> Result<Committed> {
        let events = match &decision.outcome {
            Outcome::Accepted(events) if !events.is_empty() => events,
            _ => {
                return Ok(Committed {
                    positions: Vec::new(),
                    next_expected_revision: decider::expected_after(&self.store, &decision.stream_id)?,
                })
            }
        };
        // Personal fields are stored sealed (crypto-shredding); inline handlers see them plain.
        let payloads: Vec<Value> = events
            .iter()
            .map(|e| {
                self.sealed(&decision.stream_id, &e.event_type, &e.data)
                    .unwrap_or_else(|| e.data.clone())
            })
            .collect();
        let new_events: Vec<NewEvent> = events
            .iter()
            .zip(payloads)
            .map(|(e, data)| {
                let mut event = NewEvent::new(e.event_type.clone(), data)
                    .with_schema_version(e.schema_version)
                    .with_correlation_id(decision.correlation_id.clone())
                    .with_causation_id(decision.causation_id.clone())
                    .with_header("command", decision.command.clone());
                if decision.sender != USER {
                    event = event.with_header(SENDER_HEADER, decision.sender.clone());
                }
                if decision.policy_depth > 0 {
                    event = event.with_header(DEPTH_HEADER, decision.policy_depth.to_string());
                }
                event
            })
            .collect();
        // Check the expected revision before running inline handlers, so a conflict reads as one.
        if let Err(error) = self.store.check_expected(&decision.stream_id, decision.expected) {
            self.store.count_conflict(&error);
            self.note(&[]);
            return Err(error.into());
        }
        let first_position = self.head();
        let first_revision = self.store.last_revision(&decision.stream_id)?.map_or(0, |r| r + 1);
        let pending: Vec<Envelope> = events
            .iter()
            .zip(0u64..)
            .map(|(e, i)| Envelope {
                event_type: e.event_type.clone(),
                schema_version: e.schema_version,
                data: e.data.clone(),
                stream_id: decision.stream_id.clone(),
                revision: first_revision + i,
                position: first_position + i,
            })
            .collect();
        let staged = self.stage_inline(&pending)?;
        let appended = self.store.append(&decision.stream_id, decision.expected, new_events)?;
        self.apply_staged(staged, first_position + pending.len() as u64);
        self.take_off(
            &decision.stream_id,
            first_position..first_position + pending.len() as u64,
        );
        self.note(&[&decision.stream_id]);
        Ok(Committed {
            positions: (first_position..first_position + pending.len() as u64).collect(),
            next_expected_revision: appended.next_expected_revision,
        })
    }

    /// Decides and commits; after a conflict, decides again up to `request.retries` times.
    pub fn execute(&mut self, request: &CommandRequest) -> Result<Executed> {
        self.execute_with(request, 0, Runtime::commit)
    }

    /// Executes a command a policy sent, `policy_depth` reactions away from a participant's,
    /// without the inline policies' reactions: the caller goes on to its events.
    pub(super) fn execute_sent(&mut self, request: &CommandRequest, policy_depth: u32) -> Result<Executed> {
        self.execute_with(request, policy_depth, Runtime::append_decided)
    }

    fn execute_with(
        &mut self,
        request: &CommandRequest,
        policy_depth: u32,
        commit: fn(&mut Runtime, &Decision) -> Result<Committed>,
    ) -> Result<Executed> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            // A period that is due closes before the command, which then goes to the next one.
            let decision = self.decide_at_depth(request, policy_depth, true)?;
            match commit(self, &decision) {
                Ok(committed) => {
                    return Ok(Executed {
                        decision,
                        committed,
                        attempts,
                    })
                }
                // Deciding again can only help when the revision comes from the read.
                Err(Error::Store(StoreError::WrongExpectedVersion { .. }))
                    if request.expected == Expected::Read && attempts <= request.retries => {}
                Err(error) => return Err(error),
            }
        }
    }
}
