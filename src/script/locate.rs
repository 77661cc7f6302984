//! Finding where a limit was hit. Rhai resets the position of a limit error to the call site each
//! time it leaves a function, and the outermost call has none, so a `Limit` error would carry no
//! line. To give the user one, the failing call is replayed once with the function's body run as
//! top-level code, where Rhai keeps positions: the source is copied with the function's header
//! (`fn name(params)`) blanked out, so every line and column stays where the user wrote it, and the
//! function itself is appended after the end so the body can still call it.

use std::ops::Range;

use rhai::{Engine, Scope};
use serde_json::Value;

use super::engine::{Log, Reads};
use super::random::Seed;
use super::value;
use super::{Limits, ScriptError, ScriptErrorKind};

/// Where one `fn` sits in a source: its name, its parameters, its header (`fn` up to and including
/// `{`) and its closing brace, as byte offsets.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FnSpan {
    pub(crate) name: String,
    pub(crate) params: Vec<String>,
    header: Range<usize>,
    close: usize,
}

/// The top-level functions of a source, found by a small scanner that knows Rhai's strings and
/// comments. What it cannot follow, it leaves out; it never fails.
pub(crate) fn functions(source: &str) -> Vec<FnSpan> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'{') => depth += 1,
            Some(b'}') => depth = depth.saturating_sub(1),
            Some(b'/' | b'"' | b'\'' | b'`') => {
                i = skip_literal(bytes, i);
                continue;
            }
            Some(b'f') if depth == 0 && is_keyword_fn(bytes, i) => {
                if let Some(span) = function_at(source, i) {
                    i = span.close + 1;
                    found.push(span);
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The source with `span`'s body turned into top-level code, positions unchanged.
pub(crate) fn replay_source(source: &str, span: &FnSpan) -> String {
    let blank = |range: Range<usize>, out: &mut String| {
        for c in source.get(range).unwrap_or_default().chars() {
            out.push(if c == '\n' { '\n' } else { ' ' });
        }
    };
    let mut out = String::with_capacity(source.len() * 2);
    out.push_str(source.get(..span.header.start).unwrap_or_default());
    // The braces stay: the body runs as a top-level block, which needs no `;` before what follows.
    blank(span.header.start..span.header.end - 1, &mut out);
    out.push_str(source.get(span.header.end - 1..).unwrap_or_default());
    out.push('\n');
    out.push_str(source.get(span.header.start..span.close + 1).unwrap_or_default());
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_keyword_fn(bytes: &[u8], i: usize) -> bool {
    let before = i
        .checked_sub(1)
        .and_then(|j| bytes.get(j))
        .is_none_or(|b| !is_ident(*b));
    let word = bytes.get(i..i + 2) == Some(b"fn");
    let after = bytes.get(i + 2).is_some_and(|b| b.is_ascii_whitespace());
    before && word && after
}

/// Parses `fn name(a, b) {` at `start` and finds the matching `}`.
fn function_at(source: &str, start: usize) -> Option<FnSpan> {
    let bytes = source.as_bytes();
    let open_paren = start + source.get(start..)?.find('(')?;
    let name = source.get(start + 2..open_paren)?.trim();
    if name.is_empty() || !name.bytes().all(is_ident) {
        return None;
    }
    let close_paren = open_paren + source.get(open_paren..)?.find(')')?;
    let params = source.get(open_paren + 1..close_paren)?;
    let params = params
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let open_brace = close_paren + 1 + source.get(close_paren + 1..)?.find(|c: char| !c.is_whitespace())?;
    if bytes.get(open_brace) != Some(&b'{') {
        return None;
    }
    let mut depth = 0usize;
    let mut i = open_brace;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'{') => depth += 1,
            Some(b'}') if depth == 1 => {
                let header = start..open_brace + 1;
                return Some(FnSpan {
                    name: name.to_owned(),
                    params,
                    header,
                    close: i,
                });
            }
            Some(b'}') => depth = depth.saturating_sub(1),
            Some(b'/' | b'"' | b'\'' | b'`') => {
                i = skip_literal(bytes, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Skips a comment or a string or char literal starting at `i`; returns the index after it (or
/// `i + 1` when nothing starts there, e.g. a division).
fn skip_literal(bytes: &[u8], i: usize) -> usize {
    let find_from = |from: usize, pattern: &[u8]| {
        (from..bytes.len())
            .find(|&j| bytes.get(j..j + pattern.len()) == Some(pattern))
            .map_or(bytes.len(), |j| j + pattern.len())
    };
    match (bytes.get(i), bytes.get(i + 1)) {
        (Some(b'/'), Some(b'/')) => find_from(i, b"\n"),
        (Some(b'/'), Some(b'*')) => find_from(i + 2, b"*/"),
        (Some(&quote @ (b'"' | b'\'' | b'`')), _) => {
            let mut j = i + 1;
            while let Some(&b) = bytes.get(j) {
                match b {
                    b'\\' => j += 2,
                    _ if b == quote => return j + 1,
                    _ => j += 1,
                }
            }
            bytes.len()
        }
        _ => i + 1,
    }
}

/// What a replay needs from the sandbox: the engine, and the seed and log to leave as they were.
pub(crate) struct Replay<'a> {
    pub(crate) engine: &'a Engine,
    pub(crate) limits: &'a Limits,
    pub(crate) seed: &'a Seed,
    pub(crate) seed_before_call: u64,
    pub(crate) log: &'a Log,
    pub(crate) reads: &'a Reads,
}

impl Replay<'_> {
    /// Replays `function` of `source` with `args` as top-level code and, when the replay hits a limit
    /// at a known place, copies that line and column into `error`.
    pub(crate) fn locate(&self, source: &str, span: &FnSpan, args: &[Value], error: &mut ScriptError) {
        let mut scope = Scope::new();
        for (param, arg) in span.params.iter().zip(args) {
            let Ok(value) = value::to_dynamic(arg) else { return };
            scope.push_dynamic(param.as_str(), value);
        }
        let Ok(ast) = self.engine.compile_with_scope(&scope, replay_source(source, span)) else {
            return;
        };
        let seed_after_call = self.seed.get();
        let log_len = self.log.borrow().len();
        self.seed.set(self.seed_before_call);
        self.reads.set(0);
        let replayed = self.engine.run_ast_with_scope(&mut scope, &ast);
        self.seed.set(seed_after_call);
        self.log.borrow_mut().truncate(log_len);
        if let Err(err) = replayed {
            let found = ScriptError::from_eval(&error.owner, &span.name, *err, self.limits);
            if found.kind == ScriptErrorKind::Limit && found.line.is_some() {
                error.line = found.line;
                error.column = found.column;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_functions_past_strings_and_comments() {
        // (case, source, the functions expected as name/arity)
        let cases = [
            (
                "two functions",
                "fn a(x) { x }\nfn b(x, y) { if x { y } else { 0 } }",
                vec!["a/1", "b/2"],
            ),
            (
                "brace in a string",
                "fn a() { \"}\" }\nfn b() { 1 }",
                vec!["a/0", "b/0"],
            ),
            (
                "brace in a char and a template",
                "fn a() { '}' + `}${1}` }\nfn b() { 1 }",
                vec!["a/0", "b/0"],
            ),
            (
                "comments",
                "// fn x() {\n/* } */ fn a() { 1 } // }\nfn b() { 2 }",
                vec!["a/0", "b/0"],
            ),
            (
                "escaped quote",
                "fn a() { \"\\\"}\" }\nfn b() { 2 }",
                vec!["a/0", "b/0"],
            ),
            ("not a function", "let fnord = 1; fn_x(); fn a() {}", vec!["a/0"]),
            ("unclosed", "fn a() { {", vec![]),
        ];
        for (case, source, expected) in cases {
            let found: Vec<String> = functions(source)
                .iter()
                .map(|f| format!("{}/{}", f.name, f.params.len()))
                .collect();
            assert_eq!(found, expected, "{case}");
        }
    }

    #[test]
    fn the_replay_source_keeps_every_position() {
        let source = "fn helper() { 1 }\nfn decide(s, c) {\n  loop {}\n}\n";
        let spans = functions(source);
        let decide = spans
            .iter()
            .find(|f| f.name == "decide")
            .map(|f| replay_source(source, f));
        let expected = "fn helper() { 1 }\n                {\n  loop {}\n}\n\nfn decide(s, c) {\n  loop {}\n}";
        assert_eq!(decide.as_deref(), Some(expected));
    }
}
