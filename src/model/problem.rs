//! Problems: what an import found wrong, each with the JSON path it is at.

use std::fmt;

use serde::Serialize;

/// One thing wrong with a scenario document.
///
/// The path is a JSON path from the document's root, e.g.
/// `model.eventTypes[2].versions[1].fields[0].type`; the root itself is the empty path. Script
/// problems also carry the line and column in the script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where the problem is.
    pub path: String,
    /// What is wrong, lower-case without a full stop, e.g. `unknown type "strng"`.
    pub message: String,
    /// The line in the script (or in the document text, for a JSON syntax error), from 1.
    pub line: Option<u32>,
    /// The column on that line, from 1.
    pub column: Option<u32>,
}

impl Problem {
    /// A problem at a path.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// The same problem in a document nested at `prefix`, e.g. a module's model under
    /// `system.modules[1]`.
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = if self.path.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }

    /// Sets the line and column.
    pub fn at(mut self, line: Option<u32>, column: Option<u32>) -> Self {
        self.line = line;
        self.column = column;
        self
    }
}

/// `model.commands[0].streamType: unknown stream type "Cartt"`, with `line L, column C: ` before
/// the message when known.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "(document)" } else { &self.path };
        write!(f, "{path}: ")?;
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}
