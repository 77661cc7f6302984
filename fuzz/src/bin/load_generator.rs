//! AFL's entry for the `load_generator` target (see `src/generator.rs`).

fn main() {
    // Imports the built-in cart once before AFL's fork server starts, so that no run pays for it
    // and the first one does not cover different code from the rest.
    eventarium_fuzz::load_generator(b"{}");
    afl::fuzz!(|data: &[u8]| eventarium_fuzz::on_wasm_stack(eventarium_fuzz::load_generator, data));
}
