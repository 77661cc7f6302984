//! [`Error`]: why a workspace operation did not happen. Nothing changes when one is returned.

use crate::model::Problem;

/// What stopped an operation on a [`super::Workspace`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The runtime refused: a script error, a payload that does not fit, an unknown name, a
    /// conflict in the store, …
    ///
    /// The runtime's error says what and where (script line and column, expected and actual revision).
    #[error(transparent)]
    Sim(#[from] crate::sim::Error),
    /// A load generator was asked to work while none runs.
    ///
    /// Start one first.
    #[error("no load generator is running: start one first")]
    NoLoad,
    /// A document (a load generator, a definition) that is not JSON of the expected shape.
    #[error("invalid {what}: {message}")]
    Unreadable {
        /// What was read, e.g. `load generator`.
        what: &'static str,
        /// Why it does not read.
        message: String,
    },
    /// A document that reads but does not check; every problem with its path.
    #[error("invalid {what}: {}", listed(problems))]
    Invalid {
        /// What was checked, e.g. `load generator`.
        what: &'static str,
        /// Every problem, in document order.
        problems: Vec<Problem>,
    },
}

impl Error {
    /// The error as problems with paths, as a form shows them: a document's own, or one
    /// problem at the document's root.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::Invalid { problems, .. } => problems.clone(),
            Error::Unreadable { message, .. } => vec![Problem::new("", message.clone())],
            other => vec![Problem::new("", other.to_string())],
        }
    }
}

impl From<crate::store::Error> for Error {
    fn from(error: crate::store::Error) -> Self {
        Error::Sim(crate::sim::Error::Store(error))
    }
}

/// Problems in one line, as messages show them: `path: message; path: message`.
pub fn listed(problems: &[Problem]) -> String {
    problems.iter().map(Problem::to_string).collect::<Vec<_>>().join("; ")
}

/// What a workspace operation answers.
pub type Result<T, E = Error> = std::result::Result<T, E>;
