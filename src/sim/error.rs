//! The runtime's error: what stopped a command, a projection, a policy or an upcast from
//! completing.
//!
//! A domain rejection is not an error: it is [`super::Rejection`], a value.

use crate::model::PayloadError;
use crate::script::ScriptError;

/// What went wrong while running the model. Nothing is appended when one is returned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A user script failed (syntax, runtime, limit, missing function); it carries owner, line and column.
    ///
    /// Fix the script; the message and position point at the place.
    #[error("{0}")]
    Script(ScriptError),
    /// A command or event payload does not match its schema.
    #[error("{0}")]
    Payload(PayloadError),
    /// A name the model does not define (a command, event type, stream type or projection).
    #[error("unknown {what} {name:?}")]
    Unknown {
        /// `command`, `event type`, `stream type`, `projection`.
        what: &'static str,
        /// The name looked up.
        name: String,
    },
    /// A command was sent to a stream that its stream type does not own.
    #[error("command {command:?} goes to {stream_type} streams ({pattern}), not to {stream_id:?}")]
    WrongStream {
        /// The command.
        command: String,
        /// Its stream type.
        stream_type: String,
        /// The stream type's id pattern.
        pattern: String,
        /// The stream it was sent to.
        stream_id: String,
    },
    /// A command was addressed to a period of a stream that is not the open one (closing the
    /// books): address the base stream, and it goes to the open period.
    #[error("{stream_id} is not the open period, so it takes no command: commands go to {open}")]
    NotOpenPeriod {
        /// The period stream addressed.
        stream_id: String,
        /// The open period's stream.
        open: String,
    },
    /// An event's stored version has no way up to the current one.
    #[error("no upcaster for {event_type} v{version} (current version is v{current})")]
    NoUpcastPath {
        /// The event type.
        event_type: String,
        /// The version reached.
        version: u32,
        /// The type's current version.
        current: u32,
    },
    /// A script returned something of the wrong shape, e.g. decide returned a map instead of an array.
    #[error("{owner}: {message}")]
    BadResult {
        /// Who returned it, e.g. `decider Cart`.
        owner: String,
        /// What was wrong with it.
        message: String,
    },
    /// An inline projection's handler failed on the events a command decided, so nothing was appended.
    #[error("inline projection {projection} failed, so nothing was appended: {error}")]
    InlineProjection {
        /// The projection.
        projection: String,
        /// Its handler's error.
        error: Box<Error>,
    },
    /// An inline projection is stopped at a poison event and the events a command decided are in
    /// its source: inline, the append and the read model move together, so nothing was appended.
    ///
    /// Fix the projection's handler (saved under the same version it resumes at the event) or
    /// skip the event; appends it does not read go on meanwhile.
    #[error(
        "inline projection {projection} is stopped at position {position} ({error}), and it reads these events, so nothing was appended: fix its handler or skip that event on the Projections page"
    )]
    InlineProjectionStopped {
        /// The projection.
        projection: String,
        /// The position of the event it stopped at.
        position: u64,
        /// Why it stopped there.
        error: String,
    },
    /// A policy kept reacting to what its own commands caused, past a limit: a loop. The policy
    /// stops at the event it would have reacted to.
    ///
    /// Make the policy react only to events its commands do not cause (or stop sending when the
    /// work is done), then save it: it resumes at that event. Or skip the event.
    #[error("policy {policy} stopped a runaway loop: {reason}")]
    PolicyLoop {
        /// The policy.
        policy: String,
        /// Which limit it reached, with the figures.
        reason: String,
    },
    /// A command a policy sent failed (a rejection does not: it is counted and passed over), so
    /// the policy stops at the event it reacted to.
    ///
    /// Fix what failed (the command's payload in the policy, or the decider), then save it: the
    /// policy reacts to that event again. Or skip the event.
    #[error("policy {policy} sent {command} to {stream_id}, which failed: {error}")]
    PolicyCommand {
        /// The policy.
        policy: String,
        /// The command it sent.
        command: String,
        /// The stream it sent it to.
        stream_id: String,
        /// Why the command failed.
        error: Box<Error>,
    },
    /// The store refused the append (e.g. someone else wrote first).
    #[error("{0}")]
    Store(crate::store::Error),
}

impl From<ScriptError> for Error {
    fn from(error: ScriptError) -> Self {
        Error::Script(error)
    }
}

impl From<PayloadError> for Error {
    fn from(error: PayloadError) -> Self {
        Error::Payload(error)
    }
}

impl From<crate::store::Error> for Error {
    fn from(error: crate::store::Error) -> Self {
        Error::Store(error)
    }
}

/// The runtime's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
