//! Finding one value in a stored payload without parsing the rest: the fast path of the no-code
//! projection templates, which need a key and maybe a number out of each event.
//!
//! Stored payloads are canonical compact JSON (the store writes them so), which keeps the scanner
//! small; it still answers `None` rather than guess when the text is not what it expects, and the
//! caller then parses the payload the slow way.

/// The text of the value at `path` (object keys, outermost first) in `json`, e.g. `"p-1"` (with
/// its quotes), `12` or `{"a":1}`. `None` when a key is missing or a step is not an object. Keys
/// are compared as written: one with escapes never equals a path segment, which is an identifier.
pub(crate) fn find<'t>(json: &'t str, path: &[&str]) -> Option<&'t str> {
    let mut value = json;
    for key in path {
        value = member(value, key)?;
    }
    Some(value)
}

/// A value's text as a document key: a string without escapes is its content, a number, boolean,
/// object or array its compact JSON; `None` for null or a string with escapes (the slow path
/// decodes those).
pub(crate) fn key_text(value: &str) -> Option<&str> {
    match value.as_bytes().first()? {
        b'"' => {
            let inner = value.get(1..value.len().checked_sub(1)?)?;
            (!inner.contains('\\')).then_some(inner)
        }
        b'n' => None,
        _ => Some(value),
    }
}

fn member<'t>(object: &'t str, key: &str) -> Option<&'t str> {
    let bytes = object.as_bytes();
    if bytes.first() != Some(&b'{') {
        return None;
    }
    let mut at = 1;
    loop {
        match bytes.get(at)? {
            b'}' => return None,
            b',' => at += 1,
            b'"' => {
                let key_end = string_end(bytes, at)?;
                let name = object.get(at + 1..key_end - 1)?;
                if bytes.get(key_end) != Some(&b':') {
                    return None;
                }
                let value_start = key_end + 1;
                let value_end = value_end(bytes, value_start)?;
                if name == key {
                    return object.get(value_start..value_end);
                }
                at = value_end;
            }
            _ => return None,
        }
    }
}

/// The index just past the string that starts at `start` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        match bytes.get(at)? {
            b'"' => return Some(at + 1),
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
}

/// The index just past the value that starts at `start`.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => string_end(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = start;
            loop {
                match bytes.get(at)? {
                    b'"' => {
                        at = string_end(bytes, at)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
        }
        _ => {
            let rest = bytes.get(start..)?;
            Some(
                start
                    + rest
                        .iter()
                        .position(|b| matches!(b, b',' | b'}' | b']'))
                        .unwrap_or(rest.len()),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_at_paths_and_refuses_what_it_cannot_read() {
        let json = r#"{"a":{"b":[1,{"x":"]"}],"c":"x\"y","d":"p-1"},"n":-1.5e3,"t":true,"z":null}"#;
        let cases: [(&[&str], Option<&str>); 9] = [
            (&["n"], Some("-1.5e3")),
            (&["t"], Some("true")),
            (&["z"], Some("null")),
            (&["a", "d"], Some(r#""p-1""#)),
            (&["a", "c"], Some(r#""x\"y""#)),
            (&["a", "b"], Some(r#"[1,{"x":"]"}]"#)),
            (&["a", "missing"], None),
            (&["n", "deeper"], None),
            (&["missing"], None),
        ];
        for (path, expected) in cases {
            assert_eq!(find(json, path), expected, "{path:?}");
        }
        assert_eq!(find("[1]", &["a"]), None);
        assert_eq!(find(r#"{"a":"#, &["a"]), None, "truncated text");
        assert_eq!(find(r#"{"a"#, &["b"]), None);
    }

    #[test]
    fn key_text_is_the_string_content_or_the_json() {
        assert_eq!(key_text(r#""p-1""#), Some("p-1"));
        assert_eq!(key_text(r#""a\"b""#), None, "escapes take the slow path");
        assert_eq!(key_text("12"), Some("12"));
        assert_eq!(key_text("null"), None);
        assert_eq!(key_text(""), None);
    }
}
