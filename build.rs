//! Minifies the built-in scenarios (static/scenarios/*.eventarium.json) into OUT_DIR, where
//! `model/builtin.rs` includes them from: every participant downloads them inside the wasm, and
//! their indentation is a sixth of their size. Only whitespace outside strings is dropped, so the
//! documents read exactly as the files do.

use std::{env, fs, path::Path};

const SCENARIOS: [&str; 4] = [
    "shopping-cart",
    "hotel-guest-stay",
    "concert-ticketing",
    "cashier-register",
];

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for id in SCENARIOS {
        let source = format!("static/scenarios/{id}.eventarium.json");
        println!("cargo:rerun-if-changed={source}");
        let text = fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        fs::write(Path::new(&out).join(format!("{id}.json")), minified(&text)).unwrap_or_else(|e| panic!("{out}: {e}"));
    }
}

/// `text` without the whitespace between JSON tokens.
fn minified(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !c.is_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}
