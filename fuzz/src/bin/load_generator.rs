//! AFL's entry for the `load_generator` target (see `src/generator.rs`).

fn main() {
    afl::fuzz!(|data: &[u8]| eventarium_fuzz::on_wasm_stack(eventarium_fuzz::load_generator, data));
}
