//! Script errors: what went wrong, in which owner and function, at which line and column, in plain
//! words rather than Rhai's, and how each kind should be handled.

use rhai::{EvalAltResult, LexError, ParseError, ParseErrorType, Position};
use serde_json::Value;

use super::Limits;
use super::{engine, value};

/// What kind of problem a script call or compile ran into.
#[derive(Clone, Debug, PartialEq)]
pub enum ScriptErrorKind {
    /// The source does not parse; show it in the editor at the line and column.
    Syntax,
    /// The script failed while running (unknown variable, wrong types, index out of bounds, …).
    Runtime,
    /// The script hit one of the [`Limits`] (an endless loop, runaway recursion, a huge string, …).
    Limit,
    /// The function asked for is not defined with that many parameters; the message lists those that are.
    MissingFunction,
    /// An argument or the result cannot cross as JSON (a NaN, a function pointer, too deep a nesting).
    BadValue,
    /// The script ran `throw value`; a decider runner turns this into a domain rejection.
    Thrown(Value),
}

/// A problem with a user's script, with the context the user needs to find it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}: {}", self.location(), self.message)]
pub struct ScriptError {
    /// The owning model element, displayed, e.g. `decider Cart`.
    pub owner: String,
    /// The function being called, if the problem arose in a call.
    pub function: Option<String>,
    /// The 1-based line in the source, when known.
    pub line: Option<u32>,
    /// The 1-based column in the source, when known.
    pub column: Option<u32>,
    /// What kind of problem this is.
    pub kind: ScriptErrorKind,
    /// The problem in plain, lower-case words.
    pub message: String,
}

impl ScriptError {
    /// A problem without a position, e.g. a missing function or a result that is not JSON.
    pub(crate) fn new(owner: &str, function: Option<&str>, kind: ScriptErrorKind, message: String) -> Self {
        ScriptError {
            owner: owner.to_owned(),
            function: function.map(str::to_owned),
            line: None,
            column: None,
            kind,
            message,
        }
    }

    fn at(mut self, position: Position) -> Self {
        self.line = position.line().and_then(|l| u32::try_from(l).ok());
        self.column = position.position().and_then(|c| u32::try_from(c).ok());
        self
    }

    /// `decider Cart, fn decide, line 4, column 9`, leaving out what is unknown.
    fn location(&self) -> String {
        let mut out = self.owner.clone();
        if let Some(function) = &self.function {
            out.push_str(&format!(", fn {function}"));
        }
        if let Some(line) = self.line {
            out.push_str(&format!(", line {line}"));
        }
        if let Some(column) = self.column {
            out.push_str(&format!(", column {column}"));
        }
        out
    }

    /// Converts a compile error; an expression nested too deeply is a [`ScriptErrorKind::Limit`].
    pub(crate) fn from_parse(owner: &str, err: &ParseError, limits: &Limits) -> Self {
        let (kind, message) = match err.err_type() {
            ParseErrorType::ExprTooDeep => (
                ScriptErrorKind::Limit,
                format!("expressions nest deeper than {} levels", limits.max_expr_depth),
            ),
            ParseErrorType::BadInput(LexError::ImproperSymbol(symbol, _))
                if engine::DISABLED.contains(&symbol.as_str()) =>
            {
                (ScriptErrorKind::Syntax, left_out(symbol))
            }
            other => (ScriptErrorKind::Syntax, plain(&other.to_string())),
        };
        ScriptError::new(owner, None, kind, message).at(err.position())
    }

    /// Converts a runtime error from a call to `function`, naming the inner function where it arose.
    pub(crate) fn from_eval(owner: &str, function: &str, err: EvalAltResult, limits: &Limits) -> Self {
        let mut err = err;
        let mut position = Position::NONE;
        let mut inner = None;
        while let EvalAltResult::ErrorInFunctionCall(name, _, cause, call_site) = err {
            if !call_site.is_none() {
                position = call_site;
            }
            inner = Some(name);
            err = *cause;
        }
        if !err.position().is_none() {
            position = err.position();
        }
        let (kind, mut message) = classify(err, limits);
        if let Some(name) = inner.filter(|name| name != function) {
            message.push_str(&format!(" (in fn {name})"));
        }
        ScriptError::new(owner, Some(function), kind, message).at(position)
    }
}

fn classify(err: EvalAltResult, limits: &Limits) -> (ScriptErrorKind, String) {
    use EvalAltResult as E;
    use ScriptErrorKind::{Limit, Runtime};
    match err {
        E::ErrorRuntime(thrown, _) => thrown_value(thrown),
        E::ErrorTooManyOperations(_) => (
            Limit,
            format!("the script ran more than {} operations (an endless loop?)", limits.max_operations),
        ),
        E::ErrorStackOverflow(_) => {
            (Limit, format!("calls nested deeper than {} (runaway recursion?)", limits.max_call_depth))
        }
        E::ErrorDataTooLarge(what, _) => (Limit, too_large(&what, limits)),
        E::ErrorTooManyVariables(_) => (Limit, "the script defined too many variables".to_owned()),
        E::ErrorVariableNotFound(name, _) => (Runtime, format!("there is no variable '{name}'")),
        E::ErrorPropertyNotFound(name, _) => (Runtime, format!("there is no property '{name}'")),
        E::ErrorFunctionNotFound(signature, _) => (
            Runtime,
            format!("there is no function or operator '{signature}' (scripts see only their arguments: no clock, i/o or modules)"),
        ),
        other => (Runtime, plain(&other.to_string())),
    }
}

/// `throw "out of stock"` carries its string; `throw #{..}` its map, shown as JSON.
fn thrown_value(thrown: rhai::Dynamic) -> (ScriptErrorKind, String) {
    let shown = thrown.to_string();
    match value::to_json(thrown) {
        Ok(Value::String(s)) => (ScriptErrorKind::Thrown(Value::String(s.clone())), s),
        Ok(json) => (ScriptErrorKind::Thrown(json.clone()), json.to_string()),
        Err(_) => (ScriptErrorKind::Thrown(Value::String(shown.clone())), shown),
    }
}

/// Why a keyword the sandbox switched off is missing, and what to write instead.
fn left_out(symbol: &str) -> String {
    match symbol {
        "this" => "'this' is not available in scripts: pass the value as a parameter instead".to_owned(),
        _ => format!("'{symbol}' is not available in scripts"),
    }
}

fn too_large(what: &str, limits: &Limits) -> String {
    match what {
        engine::NESTED_TOO_DEEP => format!("data nested deeper than {} levels", value::MAX_DEPTH),
        engine::READ_TOO_MUCH => format!(
            "the script read more than {} items of data (an endless loop over large data?)",
            engine::MAX_READ_ITEMS
        ),
        w if w.contains("string") => format!("a string grew past {} bytes", limits.max_string_bytes),
        w if w.contains("array") => format!("an array grew past {} items", limits.max_array_len),
        w if w.contains("map") => format!("a map grew past {} entries", limits.max_map_len),
        w => format!("{} is too large", plain(w)),
    }
}

/// Rhai's message made to read like ours: the first letter lower-case, no full stop, one line.
fn plain(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default().trim().trim_end_matches('.');
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "the script failed".to_owned(),
    }
}
