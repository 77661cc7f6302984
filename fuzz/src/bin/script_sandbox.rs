//! AFL's entry for the `script_sandbox` target (see `src/script.rs`).

fn main() {
    afl::fuzz!(|data: &[u8]| eventarium_fuzz::on_wasm_stack(eventarium_fuzz::script_sandbox, data));
}
