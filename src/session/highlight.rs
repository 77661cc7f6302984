//! Syntax highlighting for the script editors: splits a rhai source into tokens, each with the
//! CSS class it is drawn in. Plain Rust, so it is tested natively; the pieces always join back
//! into the source exactly, whatever the input (an unclosed string or comment runs to the end).

/// What a piece of source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// `fn`, `let`, `if`, `throw`, …
    Keyword,
    /// `"…"`, `` `…` `` or `'c'`.
    String,
    /// `12`, `3.5`, `0x1f`.
    Number,
    /// `// …` or `/* … */`.
    Comment,
    /// A name followed by `(`: a function defined or called.
    Function,
    /// `true`, `false`, `()`.
    Literal,
    /// Anything else: names, operators, white space.
    Plain,
}

impl Token {
    /// The CSS class it is drawn with; `None` for plain text.
    pub fn class(self) -> Option<&'static str> {
        match self {
            Token::Keyword => Some("tok-keyword"),
            Token::String => Some("tok-string"),
            Token::Number => Some("tok-number"),
            Token::Comment => Some("tok-comment"),
            Token::Function => Some("tok-function"),
            Token::Literal => Some("tok-literal"),
            Token::Plain => None,
        }
    }
}

const KEYWORDS: [&str; 21] = [
    "fn", "let", "const", "if", "else", "while", "loop", "for", "in", "do", "until", "return", "throw", "break",
    "continue", "switch", "try", "catch", "private", "import", "export",
];

/// The source as tokens, in order; adjacent plain text is one token.
pub fn tokens(source: &str) -> Vec<(Token, &str)> {
    let mut out: Vec<(Token, &str)> = Vec::new();
    let bytes = source.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let c = bytes[at];
        let token = if c == b'/' && bytes.get(at + 1) == Some(&b'/') {
            at = find_from(source, at, "\n").unwrap_or(bytes.len());
            Token::Comment
        } else if c == b'/' && bytes.get(at + 1) == Some(&b'*') {
            at = find_from(source, at + 2, "*/").map_or(bytes.len(), |end| end + 2);
            Token::Comment
        } else if matches!(c, b'"' | b'`' | b'\'') {
            at = string_end(bytes, at);
            Token::String
        } else if c.is_ascii_digit() {
            at += 1;
            while at < bytes.len()
                && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'_' || dot_in_number(bytes, at))
            {
                at += 1;
            }
            Token::Number
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while at < bytes.len() && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'_') {
                at += 1;
            }
            let word = &source[start..at];
            let next = source[at..].trim_start_matches([' ', '\t']).as_bytes().first();
            if KEYWORDS.contains(&word) {
                Token::Keyword
            } else if matches!(word, "true" | "false") {
                Token::Literal
            } else if next == Some(&b'(') {
                Token::Function
            } else {
                Token::Plain
            }
        } else {
            // One character (a whole UTF-8 sequence), merged with the plain text before it.
            at += source[at..].chars().next().map_or(1, char::len_utf8);
            Token::Plain
        };
        match out.last_mut() {
            Some((Token::Plain, text)) if token == Token::Plain => {
                let begin = text.as_ptr() as usize - source.as_ptr() as usize;
                *text = &source[begin..at];
            }
            _ => out.push((token, &source[start..at])),
        }
    }
    out
}

fn find_from(source: &str, from: usize, needle: &str) -> Option<usize> {
    source.get(from..)?.find(needle).map(|i| i + from)
}

/// The end of a string starting at `at` (after its closing quote, or the end of the source).
fn string_end(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            b'\n' if quote != b'`' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A `.` between digits (`3.5`), not a method call on a number (`1.max(2)` is rare in rhai).
fn dot_in_number(bytes: &[u8], at: usize) -> bool {
    bytes[at] == b'.' && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(Token, &str)> {
        tokens(source)
            .into_iter()
            .filter(|(token, text)| *token != Token::Plain || !text.trim().is_empty())
            .collect()
    }

    #[test]
    fn a_decider_is_split_into_its_tokens() {
        let source = "fn decide(command, state) {\n    // no rules yet\n    if state.qty > 2.5 { throw \"too \\\"many\\\"\"; }\n    [#{ type: \"A\", ok: true }]\n}";
        let found = kinds(source);
        assert!(found.contains(&(Token::Keyword, "fn")));
        assert!(found.contains(&(Token::Function, "decide")));
        assert!(found.contains(&(Token::Comment, "// no rules yet")));
        assert!(found.contains(&(Token::Number, "2.5")));
        assert!(found.contains(&(Token::Keyword, "throw")));
        assert!(found.contains(&(Token::String, "\"too \\\"many\\\"\"")));
        assert!(found.contains(&(Token::Literal, "true")));
        assert!(found
            .iter()
            .any(|(t, text)| *t == Token::Plain && text.trim() == "state.qty >"));
    }

    #[test]
    fn the_pieces_always_join_back_into_the_source() {
        let sources = [
            "",
            "\"unclosed",
            "/* open comment",
            "let é = \"ü\"; // ✓",
            "x\\",
            "`multi\nline`",
            "1.max(2) + 0x1f",
            "'",
            "\"a\\",
        ];
        for source in sources {
            let joined: String = tokens(source).iter().map(|(_, text)| *text).collect();
            assert_eq!(joined, source);
        }
    }

    // proptest is a native-only dev dependency.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_text_joins_back(source in "(\\PC|[\n\"`'/*\\\\])*") {
            let joined: String = tokens(&source).iter().map(|(_, text)| *text).collect();
            proptest::prop_assert_eq!(joined, source);
        }
    }

    #[test]
    fn a_string_ends_at_the_end_of_its_line() {
        let found = kinds("let a = \"open\nlet b = 1;");
        assert!(found.contains(&(Token::String, "\"open")));
        assert!(found.contains(&(Token::Keyword, "let")));
        assert_eq!(found.iter().filter(|(t, _)| *t == Token::Keyword).count(), 2);
    }
}
