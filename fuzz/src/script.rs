//! The script sandbox: the Rhai source a user writes for a decider, a projection, an upcaster or a
//! policy, compiled and run under the default limits with fuzzed JSON values as its arguments
//! (the state, the command, the event).
//!
//! The input is the source, then a NUL byte, then a JSON array of arguments: `fn decide(state,
//! command) { .. }\0[{}, {"qty": 2}]`. Without a NUL it is all source; a missing or unreadable
//! argument is `{}`.

use eventarium::script::{Limits, Owner, OwnerKind, Sandbox};
use serde_json::{Map, Value};

/// The functions called per input, in name order: an endless loop costs two runs to its limit
/// (the second finds its line), so a few keep one input within AFL's timeout.
const CALLED: usize = 4;

/// Compiles the source and calls each of its first functions with the arguments.
pub fn script_sandbox(data: &[u8]) {
    let (source, arguments) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (data, &[][..]),
    };
    // The editor's text is a JS string: UTF-8 once it reaches the core.
    let source = String::from_utf8_lossy(source);
    let arguments = match serde_json::from_slice::<Value>(arguments) {
        Ok(Value::Array(items)) => items,
        Ok(other) => vec![other],
        Err(_) => Vec::new(),
    };
    let mut sandbox = Sandbox::new(Limits::default(), 7);
    let owner = Owner {
        kind: OwnerKind::Decider,
        name: "Fuzzed".to_owned(),
    };
    let _ = sandbox.check(&owner, &source);
    let Ok(script) = sandbox.compile(&owner, &source) else {
        return;
    };
    for (function, arity) in sandbox.functions(script).into_iter().take(CALLED) {
        let args: Vec<Value> = (0..arity)
            .map(|i| arguments.get(i).cloned().unwrap_or_else(|| Value::Object(Map::new())))
            .collect();
        let _ = sandbox.call(script, &function, &args);
    }
    let _ = sandbox.take_log();
}
