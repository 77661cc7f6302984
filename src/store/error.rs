//! The one error type of the store, with a stable [`Error::code`] for the JavaScript API.
//!
//! Every variant carries the context a user needs to act on it (the stream, the expected and the
//! actual revision, the size and the limit); messages are lower-case without a full stop.

use super::revision::ExpectedRevision;

/// What can go wrong in the store. Nothing is written when an operation returns an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The stream's last revision is not what the caller expected: someone else wrote first.
    ///
    /// Handle it by reading the stream again, deciding again and retrying with the new revision.
    #[error("wrong expected version for stream {stream_id:?}: expected {expected}, actual {}", show_actual(*.actual))]
    WrongExpectedVersion {
        /// The stream that was written to.
        stream_id: String,
        /// What the caller expected.
        expected: ExpectedRevision,
        /// The stream's last revision, `None` when it has no events.
        actual: Option<u64>,
    },
    /// The stream was hard-deleted (a tombstone): it can never be read or written again.
    ///
    /// Also returned for `StreamExists` on a soft-deleted stream, as KurrentDB does.
    #[error("stream {stream_id:?} is deleted")]
    StreamDeleted {
        /// The deleted stream.
        stream_id: String,
    },
    /// The stream was never written, or was soft-deleted.
    #[error("stream {stream_id:?} not found")]
    StreamNotFound {
        /// The stream that was read.
        stream_id: String,
    },
    /// The stream is archived: reads of it still work, writes wait until it is restored.
    #[error("stream {stream_id:?} is archived: restore it before writing to it")]
    StreamArchived {
        /// The archived stream.
        stream_id: String,
    },
    /// An argument is malformed (a stream id, an event type, JSON text, a revision, a clock value).
    #[error("invalid {subject}: {reason}")]
    InvalidInput {
        /// What was invalid, with its value where that helps (`stream id "$x"`).
        subject: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An event's payload is larger than [`Config::max_payload_bytes`](super::Config::max_payload_bytes).
    #[error("payload of {event_type:?} event for stream {stream_id:?} is {size} bytes, over the limit of {limit}")]
    PayloadTooLarge {
        /// The stream that was written to.
        stream_id: String,
        /// The event's type.
        event_type: String,
        /// The payload's size in bytes, as compact JSON.
        size: usize,
        /// The configured limit.
        limit: usize,
    },
    /// A snapshot document could not be imported; `reason` names what is wrong and where.
    #[error("invalid snapshot: {reason}")]
    InvalidSnapshot {
        /// What is wrong, e.g. `event at position 4: revision 7 of stream "cart-1" does not follow 5`.
        reason: String,
    },
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A stable name for the variant, which the JavaScript API exposes.
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongExpectedVersion { .. } => "WrongExpectedVersion",
            Error::StreamDeleted { .. } => "StreamDeleted",
            Error::StreamNotFound { .. } => "StreamNotFound",
            Error::StreamArchived { .. } => "StreamArchived",
            Error::InvalidInput { .. } => "InvalidInput",
            Error::PayloadTooLarge { .. } => "PayloadTooLarge",
            Error::InvalidSnapshot { .. } => "InvalidSnapshot",
        }
    }

    pub(crate) fn invalid(subject: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            subject: subject.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn snapshot(reason: impl Into<String>) -> Self {
        Error::InvalidSnapshot { reason: reason.into() }
    }
}

fn show_actual(actual: Option<u64>) -> String {
    actual.map_or_else(|| "no stream".to_owned(), |revision| revision.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages_are_stable() {
        let cases = [
            (
                Error::WrongExpectedVersion {
                    stream_id: "cart-1".into(),
                    expected: ExpectedRevision::Exact(3),
                    actual: None,
                },
                "WrongExpectedVersion",
                "wrong expected version for stream \"cart-1\": expected 3, actual no stream",
            ),
            (
                Error::StreamDeleted { stream_id: "a".into() },
                "StreamDeleted",
                "stream \"a\" is deleted",
            ),
            (
                Error::StreamNotFound { stream_id: "a".into() },
                "StreamNotFound",
                "stream \"a\" not found",
            ),
            (
                Error::StreamArchived { stream_id: "a".into() },
                "StreamArchived",
                "stream \"a\" is archived: restore it before writing to it",
            ),
            (
                Error::invalid("stream id \"\"", "it is empty"),
                "InvalidInput",
                "invalid stream id \"\": it is empty",
            ),
            (
                Error::PayloadTooLarge {
                    stream_id: "a".into(),
                    event_type: "T".into(),
                    size: 11,
                    limit: 10,
                },
                "PayloadTooLarge",
                "payload of \"T\" event for stream \"a\" is 11 bytes, over the limit of 10",
            ),
            (Error::snapshot("bad"), "InvalidSnapshot", "invalid snapshot: bad"),
        ];
        for (error, code, message) in cases {
            assert_eq!(error.code(), code, "code of {error:?}");
            assert_eq!(error.to_string(), message, "message of {error:?}");
        }
    }
}
