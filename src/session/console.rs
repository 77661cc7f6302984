//! The console: a command sent by a participant (decided and appended at once, or decided now
//! and appended later, as two participants do), and its outcome as the console shows it; and
//! the same at the level of the runtime's requests, for the JavaScript API.

use serde_json::Value;

use super::{Result, Workspace};
use crate::sim::decider::Outcome;
use crate::sim::{CommandRequest, Committed, Decision, Error as SimError, Executed, Expected};
use crate::store::Error as StoreError;

/// What sending a command did, as the console shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    /// The decider accepted it: these events were appended (none: nothing changed).
    Appended {
        /// The command's id, `cmd-<n>`.
        command_id: String,
        /// The stream.
        stream_id: String,
        /// Each event's type and global position.
        events: Vec<(String, u64)>,
    },
    /// The decider refused it with this message.
    Rejected(String),
    /// Someone appended to the stream since it was read.
    Conflict(String),
    /// Anything else that stopped it: a payload that does not fit, a script error, a wrong stream.
    Failed(String),
}

/// How the console appends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpectedMode {
    /// With the revision the decider read (optimistic concurrency).
    #[default]
    Read,
    /// Without any check.
    Any,
    /// Only to a stream that does not exist yet.
    NoStream,
}

impl Workspace {
    /// Handles a command: reads the stream, decides, appends; then lets async projections catch up.
    pub fn send(&mut self, command: &str, stream_id: &str, data: Value, expected: ExpectedMode) -> SendOutcome {
        match self.decide(command, stream_id, data, expected) {
            Ok(decision) => self.commit(&decision),
            Err(failed) => failed,
        }
    }

    /// Reads the stream and decides, without appending: the decision expects the revision read,
    /// so another append to the stream before [`Workspace::commit`] makes it a conflict.
    pub fn decide(
        &mut self,
        command: &str,
        stream_id: &str,
        data: Value,
        expected: ExpectedMode,
    ) -> Result<Decision, SendOutcome> {
        let request = CommandRequest {
            command: command.to_owned(),
            stream_id: stream_id.trim().to_owned(),
            data,
            expected: match expected {
                ExpectedMode::Read => Expected::Read,
                ExpectedMode::Any => Expected::Any,
                ExpectedMode::NoStream => Expected::NoStream,
            },
            ..CommandRequest::default()
        };
        self.services
            .main
            .decide(&request)
            .map_err(|error| SendOutcome::Failed(error.to_string()))
    }

    /// Appends what a decision decided (a rejection appends nothing). Async projections follow
    /// on their next [`Workspace::step`], never within the command: after a restore or a
    /// redeploy that may be a long catching up.
    pub fn commit(&mut self, decision: &Decision) -> SendOutcome {
        let committed = self.services.main.commit(decision);
        self.findings.keep_up(&mut self.services.main);
        let outcome = match (&decision.outcome, committed) {
            (Outcome::Rejected(rejection), _) => SendOutcome::Rejected(rejection.message.clone()),
            (Outcome::Accepted(events), Ok(committed)) => SendOutcome::Appended {
                command_id: decision.command_id.clone(),
                stream_id: decision.stream_id.clone(),
                events: events
                    .iter()
                    .map(|e| e.event_type.clone())
                    .zip(committed.positions)
                    .collect(),
            },
            (_, Err(SimError::Store(error @ StoreError::WrongExpectedVersion { .. }))) => {
                SendOutcome::Conflict(error.to_string())
            }
            (_, Err(error)) => SendOutcome::Failed(error.to_string()),
        };
        outcome
    }

    /// Decides a command and appends its events, retrying a conflict as the request says; async
    /// projections follow on their next step.
    pub fn execute(&mut self, request: &CommandRequest) -> Result<Executed> {
        let executed = self.services.main.execute(request);
        self.findings.keep_up(&mut self.services.main);
        let executed = executed?;
        self.services.after_main_command(&executed.decision);
        Ok(executed)
    }

    /// Decides a command against the stream as it is now, without writing.
    pub fn decide_request(&mut self, request: &CommandRequest) -> Result<Decision> {
        Ok(self.services.main.decide(request)?)
    }

    /// Appends a decision's events with the revision it read; async projections follow on their
    /// next step.
    pub fn commit_decision(&mut self, decision: &Decision) -> Result<Committed> {
        let committed = self.services.main.commit(decision);
        self.findings.keep_up(&mut self.services.main);
        let committed = committed?;
        self.services.after_main_command(decision);
        Ok(committed)
    }
}
