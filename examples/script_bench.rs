//! The cost of one sandboxed script call with JSON arguments, as the simulator pays it per event or
//! per command: (a) a three-line projection handler, (b) a decide that folds a short history,
//! (c) an identity function, for the fixed cost of a call, and (d) how long an endless loop takes to
//! be reported, with the line found by replaying it.
//!
//! `cargo run --release --no-default-features --example script_bench -- [N]` runs it natively
//! (N calls per row, default 100,000); built for `wasm32-wasip1` it runs under Node's WASI:
//! `node --no-warnings bench/wasi-run.mjs target/wasm32-wasip1/release/examples/script_bench.wasm`.
//! Each row checks its results and the program exits non-zero when one is wrong.

use std::process::ExitCode;
use std::time::Instant;

use eventarium::script::{Limits, Owner, OwnerKind, Sandbox, ScriptErrorKind};
use serde_json::{json, Value};

const DEFAULT_CALLS: u64 = 100_000;
const HISTORY: u64 = 10;

const HANDLER: &str = "fn handle(doc, event) { doc.count += 1; doc.total += event.data.qty * event.data.price; doc }";
const DECIDER: &str = r#"
fn evolve(state, event) { state.qty += event.data.qty; state }
fn decide(history, command) {
    let state = #{ qty: 0 };
    for event in history { state = evolve(state, event); }
    if state.qty + command.qty > 1000 { throw "cart is full"; }
    [#{ type: "ItemAdded", data: #{ sku: command.sku, qty: command.qty } }]
}
"#;
const IDENTITY: &str = "fn id(x) { x }";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("script_bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let calls = match std::env::args().nth(1) {
        Some(arg) => arg.parse::<u64>().map_err(|e| format!("bad call count {arg:?}: {e}"))?,
        None => DEFAULT_CALLS,
    };
    let target = if cfg!(target_os = "wasi") {
        "wasi"
    } else {
        std::env::consts::OS
    };
    println!("script_bench ({target}, {calls} calls per row)");
    handler(calls)?;
    decider(calls)?;
    identity(calls)?;
    endless_loop()
}

fn sandbox_with(name: &str, source: &str) -> Result<(Sandbox, eventarium::script::ScriptId), String> {
    let mut sandbox = Sandbox::new(Limits::default(), 1);
    let owner = Owner {
        kind: OwnerKind::Projection,
        name: name.to_owned(),
    };
    let id = sandbox.compile(&owner, source).map_err(|e| e.to_string())?;
    Ok((sandbox, id))
}

fn report(name: &str, calls: u64, started: Instant) {
    let elapsed = started.elapsed();
    let per_call = elapsed.as_nanos() / u128::from(calls.max(1));
    println!(
        "{name:<40} {:>9.1} ms {per_call:>7} ns/call",
        elapsed.as_secs_f64() * 1e3
    );
}

fn handler(calls: u64) -> Result<(), String> {
    let (mut sandbox, id) = sandbox_with("Totals", HANDLER)?;
    let event = json!({ "type": "ItemAdded", "data": { "sku": "a", "qty": 3, "price": 2 } });
    let mut doc = json!({ "count": 0, "total": 0 });
    let started = Instant::now();
    for _ in 0..calls {
        doc = sandbox
            .call(id, "handle", &[doc, event.clone()])
            .map_err(|e| e.to_string())?;
    }
    report("(a) handle(doc, event), 3 lines", calls, started);
    let expected = json!({ "count": calls, "total": calls * 6 });
    check(doc == expected, || {
        format!("handler ended with {doc}, expected {expected}")
    })
}

fn decider(calls: u64) -> Result<(), String> {
    let (mut sandbox, id) = sandbox_with("Cart", DECIDER)?;
    let history: Vec<Value> = (0..HISTORY)
        .map(|_| json!({ "type": "ItemAdded", "data": { "qty": 1 } }))
        .collect();
    let history = Value::Array(history);
    let command = json!({ "sku": "b", "qty": 2 });
    let started = Instant::now();
    let mut last = Value::Null;
    for _ in 0..calls {
        last = sandbox
            .call(id, "decide", &[history.clone(), command.clone()])
            .map_err(|e| e.to_string())?;
    }
    report(&format!("(b) decide, fold of {HISTORY} events"), calls, started);
    let expected = json!([{ "type": "ItemAdded", "data": { "sku": "b", "qty": 2 } }]);
    check(last == expected, || {
        format!("decide returned {last}, expected {expected}")
    })?;
    let full = sandbox.call(id, "decide", &[history, json!({ "sku": "b", "qty": 999 })]);
    let rejected = matches!(&full, Err(e) if e.kind == ScriptErrorKind::Thrown(json!("cart is full")));
    check(rejected, || format!("decide over capacity returned {full:?}"))
}

fn identity(calls: u64) -> Result<(), String> {
    let (mut sandbox, id) = sandbox_with("Echo", IDENTITY)?;
    let started = Instant::now();
    let mut sum = 0;
    for i in 0..calls {
        let out = sandbox.call(id, "id", &[json!(i)]).map_err(|e| e.to_string())?;
        sum += out.as_u64().unwrap_or(0);
    }
    report("(c) id(x), the fixed cost of a call", calls, started);
    let expected = calls * calls.saturating_sub(1) / 2;
    check(sum == expected, || {
        format!("identity summed to {sum}, expected {expected}")
    })
}

fn endless_loop() -> Result<(), String> {
    let (mut sandbox, id) = sandbox_with("Spin", "fn spin(x) {\n  loop { x += 1; }\n}")?;
    let started = Instant::now();
    let result = sandbox.call(id, "spin", &[json!(0)]);
    report("(d) endless loop to a limit error", 1, started);
    let located = matches!(&result, Err(e) if e.kind == ScriptErrorKind::Limit && e.line == Some(2));
    check(located, || format!("the endless loop returned {result:?}"))
}

fn check(ok: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(message())
    }
}
