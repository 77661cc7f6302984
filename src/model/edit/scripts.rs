//! Names in scripts: whether a script mentions a definition, and renaming a whole word in it.

use serde_json::Value;

use super::kind::Kind;

/// Whether a definition's scripts mention a name: a handler `on_Name`, a string `"Name"`, or a
/// `read_model("Name"` call.
pub(super) fn mentions(item: &Value, kind: Kind, name: &str) -> bool {
    scripts_of(item).iter().any(|source| {
        let quoted = format!("\"{name}\"");
        source.contains(&quoted) || (kind == Kind::EventType && has_word(source, &format!("on_{name}")))
    })
}

fn scripts_of(item: &Value) -> Vec<&str> {
    let script = item.get("script").and_then(Value::as_str);
    let logic = item.pointer("/logic/script").and_then(Value::as_str);
    script.into_iter().chain(logic).collect()
}

fn has_word(source: &str, word: &str) -> bool {
    replace_word(source, word, "") != source
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Replaces whole-word occurrences of `from` by `to`.
pub(super) fn replace_word(source: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    for (at, _) in source.match_indices(from) {
        let before = source[..at].chars().next_back();
        let after = source[at + from.len()..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            out.push_str(&source[copied..at]);
            out.push_str(to);
            copied = at + from.len();
        }
    }
    out.push_str(&source[copied..]);
    out
}
