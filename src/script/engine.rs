//! The Rhai engine a sandbox runs scripts in: the language and its plain-data packages, the limits,
//! strict variables, seeded randomness, and no clock, I/O, modules or `eval`.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use rhai::packages::{
    BasicArrayPackage, BasicMapPackage, BasicMathPackage, CorePackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{Dynamic, Engine, EvalAltResult, EvalContext, Position};

use super::random::{self, Seed};
use super::value::{nests_deeper_than, MAX_DEPTH};
use super::Limits;

/// How many `print`/`debug` lines a sandbox keeps until they are taken; later lines are dropped.
pub(crate) const MAX_LOG_LINES: usize = 1_000;

/// Lines a script printed, shared between the sandbox and the engine's print hooks.
pub(crate) type Log = Rc<RefCell<Vec<String>>>;

/// Read models a projection handler may look into with `read_model(projection, id)`: projection
/// name → document id → document. The runtime lends them to the sandbox while such a handler
/// runs (see `Sandbox::lend_read_models`).
pub type ReadModels = HashMap<String, BTreeMap<String, serde_json::Value>>;

/// The read models lent to the engine's `read_model` function.
pub(crate) type Lent = Rc<RefCell<ReadModels>>;

/// How many items and entries the variables a call read so far held; the sandbox sets it to zero
/// before each call (see [`guard_depth`]).
pub(crate) type Reads = Rc<Cell<u64>>;

/// The most items and entries one call may read through its variables, counted at each read (the
/// variable's own and every nested container's). Reading a variable costs one operation whatever
/// it holds, and Rhai clones what it reads: `loop { a; }` over an array of 9,000 items ran its
/// 200,000 operations in 17 s natively, a map of 9,000 entries in 111 s (found fuzzing the
/// sandbox). At this limit they stop after 1.3 s and 1.9 s natively, the replay that finds the
/// line included. It is set so that an array still fills to `max_array_len` one push at a time
/// (each push reads it: 50 million for 10,000 items); a map filled by index assignment, which
/// reads it twice, stops at about 8,000 entries. The built-in cash register's `generate`, which
/// pushes 1,300 commands one by one, reads 5.7 million.
pub(crate) const MAX_READ_ITEMS: u64 = 64_000_000;

/// Keywords switched off. `eval` would compile code at run time, out of reach of `check` and the
/// compile cache. Data a script builds is bounded in depth where a variable is read (see
/// [`guard_depth`]); `this` is read another way, so method-style functions are left out.
pub(crate) const DISABLED: [&str; 2] = ["eval", "this"];

/// Builds an engine that can compute with plain data and nothing else.
pub(crate) fn build(limits: &Limits, seed: &Seed, log: &Log, lent: &Lent, reads: &Reads) -> Engine {
    let mut engine = Engine::new_raw();
    // Core brings the language, arithmetic, basic strings, ranges and function pointers; the rest
    // are logic, maths, arrays, maps and string methods. Left out: time (no clock) and blobs.
    engine.register_global_module(CorePackage::new().as_shared_module());
    engine.register_global_module(LogicPackage::new().as_shared_module());
    engine.register_global_module(BasicMathPackage::new().as_shared_module());
    engine.register_global_module(BasicArrayPackage::new().as_shared_module());
    engine.register_global_module(BasicMapPackage::new().as_shared_module());
    engine.register_global_module(MoreStringPackage::new().as_shared_module());

    // Rhai reads zero as "unlimited"; a sandbox never is.
    engine
        .set_max_operations(limits.max_operations.max(1))
        .set_max_call_levels(limits.max_call_depth.max(1))
        .set_max_expr_depths(limits.max_expr_depth.max(1), limits.max_expr_depth.max(1))
        .set_max_string_size(limits.max_string_bytes.max(1))
        .set_max_array_size(limits.max_array_len.max(1))
        .set_max_map_size(limits.max_map_len.max(1))
        .set_strict_variables(true);
    for symbol in DISABLED {
        engine.disable_symbol(symbol);
    }
    let reads = Rc::clone(reads);
    // Rhai marks `on_var` deprecated only to say it is "volatile"; Cargo.lock pins the version we test.
    #[allow(deprecated)]
    engine.on_var(move |name, index, context| guard_depth(name, index, &context, &reads));

    let print_log = Rc::clone(log);
    engine.on_print(move |text| keep(&print_log, text));
    let debug_log = Rc::clone(log);
    engine.on_debug(move |text, _, _| keep(&debug_log, text));

    random::register(&mut engine, seed);

    // `read_model("CustomerProfile", id)`: another projection's document, or `()` when it has
    // none (or is not lent). It works, and the linter warns about it: the result depends on how
    // far the other projection got, so rebuilds must run in order.
    let lent = Rc::clone(lent);
    engine.register_fn("read_model", move |projection: &str, id: &str| -> Dynamic {
        lent.borrow()
            .get(projection)
            .and_then(|documents| documents.get(id))
            .and_then(|document| super::value::to_dynamic(document).ok())
            .unwrap_or(Dynamic::UNIT)
    });
    engine
}

/// Refuses to read a variable that holds data nested deeper than [`MAX_DEPTH`]; the script stops with
/// a limit error before Rhai's recursive clone, drop and size checks could overflow the stack. Also
/// counts what the variable holds into `reads`, and stops the call once it read more than
/// [`MAX_READ_ITEMS`].
fn guard_depth(
    name: &str,
    index: usize,
    context: &EvalContext,
    reads: &Reads,
) -> Result<Option<Dynamic>, Box<EvalAltResult>> {
    let scope = context.scope();
    // Rhai passes where it expects the variable (`index` from the end); zero means "search by name".
    let value = scope
        .len()
        .checked_sub(index)
        .filter(|_| index > 0)
        .and_then(|at| scope.iter_raw().nth(at))
        .filter(|(found, ..)| *found == name)
        .map(|(.., value)| value)
        .or_else(|| scope.get(name));
    let Some(value) = value else { return Ok(None) };
    let mut looked_at = 0;
    if nests_deeper_than(value, MAX_DEPTH, &mut looked_at) {
        return Err(EvalAltResult::ErrorDataTooLarge(NESTED_TOO_DEEP.to_owned(), Position::NONE).into());
    }
    let read = reads.get().saturating_add(looked_at);
    reads.set(read);
    if read > MAX_READ_ITEMS {
        return Err(EvalAltResult::ErrorDataTooLarge(READ_TOO_MUCH.to_owned(), Position::NONE).into());
    }
    Ok(None)
}

/// What [`guard_depth`] reports as too large; `error.rs` words it for the user.
pub(crate) const NESTED_TOO_DEEP: &str = "Nesting of data";

/// What [`guard_depth`] reports when a call read too much.
pub(crate) const READ_TOO_MUCH: &str = "Data read";

fn keep(log: &Log, text: &str) {
    let mut lines = log.borrow_mut();
    if lines.len() < MAX_LOG_LINES {
        lines.push(text.to_owned());
    }
}
