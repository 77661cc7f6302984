//! AFL's entry for the `scenario_import` target (see `src/scenario.rs`).

fn main() {
    afl::fuzz!(|data: &[u8]| eventarium_fuzz::on_wasm_stack(eventarium_fuzz::scenario_import, data));
}
