//! The load-generator definition: the JSON a user types in the Simulate lab (the format of
//! `eventarium::sim::load`), started and run for a few ticks against the built-in shopping cart,
//! as the lab does.

use std::sync::OnceLock;

use eventarium::model::{Scenario, BUILT_IN};
use eventarium::session::Workspace;
use serde_json::Value;

/// The seed a fuzzed run draws from; the definition is what is fuzzed.
const SEED: u64 = 7;

/// Ticks per run and the commands each may send: a few steps of any plan, in milliseconds.
const TICKS: usize = 4;
const COMMANDS_PER_TICK: usize = 16;

/// The built-in shopping cart, imported once per process.
fn cart() -> &'static Scenario {
    static CART: OnceLock<Scenario> = OnceLock::new();
    CART.get_or_init(|| match Scenario::import(BUILT_IN[0].text) {
        Ok(scenario) => scenario,
        Err(problems) => panic!("the built-in cart does not import: {problems:?}"),
    })
}

/// Starts `data` as a generator on a fresh cart workspace; one that starts is ticked, stepped,
/// paused and resumed, and the findings read, as the lab does while it plays.
pub fn load_generator(data: &[u8]) {
    let Ok(definition) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let mut workspace = match Workspace::open(cart().clone()) {
        Ok(workspace) => workspace,
        Err(error) => panic!("the built-in cart does not open: {error}"),
    };
    if workspace.start_load(definition, SEED).is_err() {
        return;
    }
    for _ in 0..TICKS {
        let report = workspace.tick_load(COMMANDS_PER_TICK);
        if report.is_ok_and(|report| report.done) {
            break;
        }
    }
    let _ = workspace.pause_load();
    let _ = workspace.step_load();
    let _ = workspace.resume_load();
    workspace.findings();
    let _ = workspace.load_status();
}
