//! Expected revisions: the optimistic-concurrency check made before every write.
//!
//! The rules are KurrentDB's (its `IndexWriter.CheckCommit`), without idempotent retries since
//! this store generates event ids itself:
//!
//! | expected        | no stream | stream with events (last = n) | soft-deleted (last = n) | hard-deleted |
//! |-----------------|-----------|-------------------------------|-------------------------|--------------|
//! | `Any`           | ok        | ok                            | ok                      | deleted      |
//! | `NoStream`      | ok        | conflict                      | ok                      | deleted      |
//! | `StreamExists`  | conflict¹ | ok                            | deleted                 | deleted      |
//! | `Exact(m)`      | conflict  | ok if m = n                   | ok if m = n             | deleted      |
//!
//! ¹ As in KurrentDB, a stream that has metadata but no events counts as existing.
//! "conflict" is [`Error::WrongExpectedVersion`], "deleted" is [`Error::StreamDeleted`].
//! The last revision is the physical one: events hidden by metadata or removed by a scavenge
//! still count, so numbering never restarts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::{Error, Result};

/// What the writer believes the stream's last revision is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExpectedRevision {
    /// No check at all.
    #[default]
    Any,
    /// The stream must have no events (or be soft-deleted).
    NoStream,
    /// The stream must exist (have events or metadata) and not be soft-deleted.
    StreamExists,
    /// The stream's last revision must be exactly this one.
    Exact(u64),
}

/// What the check needs to know about a stream; the tombstone is checked before.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StreamState {
    pub last_revision: Option<u64>,
    pub soft_deleted: bool,
    pub has_metadata: bool,
}

impl ExpectedRevision {
    /// Parses `"any"`, `"no_stream"`, `"stream_exists"` or a non-negative decimal integer.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "any" => Ok(Self::Any),
            "no_stream" => Ok(Self::NoStream),
            "stream_exists" => Ok(Self::StreamExists),
            digits if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits
                .parse()
                .map(Self::Exact)
                .map_err(|_| Error::invalid(format!("expected revision {text:?}"), "it does not fit in 64 bits")),
            _ => Err(Error::invalid(
                format!("expected revision {text:?}"),
                "use any, no_stream, stream_exists or a non-negative integer",
            )),
        }
    }

    /// Checks the expectation against a stream that is not hard-deleted.
    pub(crate) fn check(self, stream_id: &str, state: StreamState) -> Result<()> {
        let ok = match self {
            Self::Any => true,
            Self::NoStream => state.last_revision.is_none() || state.soft_deleted,
            Self::StreamExists if state.soft_deleted => {
                return Err(Error::StreamDeleted {
                    stream_id: stream_id.to_owned(),
                })
            }
            Self::StreamExists => state.last_revision.is_some() || state.has_metadata,
            Self::Exact(revision) => state.last_revision == Some(revision),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::WrongExpectedVersion {
                stream_id: stream_id.to_owned(),
                expected: self,
                actual: state.last_revision,
            })
        }
    }
}

impl fmt::Display for ExpectedRevision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("any"),
            Self::NoStream => f.write_str("no_stream"),
            Self::StreamExists => f.write_str("stream_exists"),
            Self::Exact(revision) => write!(f, "{revision}"),
        }
    }
}

impl FromStr for ExpectedRevision {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Self::parse(text)
    }
}

impl Serialize for ExpectedRevision {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ExpectedRevision {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_the_four_forms_and_nothing_else() {
        let cases = [
            ("any", Some(ExpectedRevision::Any)),
            ("no_stream", Some(ExpectedRevision::NoStream)),
            ("stream_exists", Some(ExpectedRevision::StreamExists)),
            ("0", Some(ExpectedRevision::Exact(0))),
            ("42", Some(ExpectedRevision::Exact(42))),
            ("18446744073709551615", Some(ExpectedRevision::Exact(u64::MAX))),
            ("18446744073709551616", None),
            ("-1", None),
            ("+1", None),
            (" 1", None),
            ("1.0", None),
            ("", None),
            ("Any", None),
            ("nostream", None),
        ];
        for (text, want) in cases {
            assert_eq!(ExpectedRevision::parse(text).ok(), want, "parse({text:?})");
            if let Some(parsed) = want {
                assert_eq!(parsed.to_string(), text, "display round trip of {text:?}");
            }
        }
    }

    #[test]
    fn check_follows_the_kurrentdb_table() {
        let none = StreamState::default();
        let live = StreamState {
            last_revision: Some(2),
            ..StreamState::default()
        };
        let soft = StreamState {
            soft_deleted: true,
            has_metadata: true,
            ..live
        };
        let meta_only = StreamState {
            has_metadata: true,
            ..none
        };
        use ExpectedRevision::*;
        let cases = [
            (Any, none, "ok"),
            (Any, live, "ok"),
            (Any, soft, "ok"),
            (NoStream, none, "ok"),
            (NoStream, live, "WrongExpectedVersion"),
            (NoStream, soft, "ok"),
            (StreamExists, none, "WrongExpectedVersion"),
            (StreamExists, meta_only, "ok"),
            (StreamExists, live, "ok"),
            (StreamExists, soft, "StreamDeleted"),
            (Exact(2), none, "WrongExpectedVersion"),
            (Exact(2), live, "ok"),
            (Exact(1), live, "WrongExpectedVersion"),
            (Exact(3), live, "WrongExpectedVersion"),
            (Exact(2), soft, "ok"),
            (Exact(1), soft, "WrongExpectedVersion"),
        ];
        for (expected, state, want) in cases {
            let got = match expected.check("s", state) {
                Ok(()) => "ok",
                Err(error) => error.code(),
            };
            assert_eq!(got, want, "{expected} against {state:?}");
        }
    }
}
