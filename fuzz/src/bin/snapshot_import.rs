//! AFL's entry for the `snapshot_import` target (see `src/snapshot.rs`).

fn main() {
    afl::fuzz!(|data: &[u8]| eventarium_fuzz::on_wasm_stack(eventarium_fuzz::snapshot_import, data));
}
