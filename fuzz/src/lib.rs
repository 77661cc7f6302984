//! What each fuzz target does with its input, kept apart from AFL so that the kept corpus replays
//! natively (`cargo test` here, see the tests below) and a crash can be debugged without AFL.
//!
//! Every target feeds the bytes to the public entry point a user's input reaches in the app, then
//! does what the app does next with what was accepted. A panic, a stack overflow or a hang is a
//! bug: in WebAssembly a panic kills the page. A target runs on a thread with the stack of the
//! browser's wasm (1 MiB), so a recursion that the default 8 MiB would hide still crashes here.

use std::thread;

mod generator;
mod scenario;
mod script;
mod snapshot;

pub use generator::load_generator;
pub use scenario::scenario_import;
pub use script::script_sandbox;
pub use snapshot::snapshot_import;

/// The stack a target runs on: what wasm32-unknown-unknown gives the app (1 MiB).
const STACK_BYTES: usize = 1024 * 1024;

/// What a target does with one input; any panic is a crash.
pub type Target = fn(&[u8]);

/// Every target, by the name its binary, its corpus folder and `scripts/fuzz.sh` use.
pub const TARGETS: [(&str, Target); 4] = [
    ("scenario_import", scenario_import),
    ("snapshot_import", snapshot_import),
    ("load_generator", load_generator),
    ("script_sandbox", script_sandbox),
];

/// Runs `target` on `data` on a thread with the app's stack; a panic there is raised again here,
/// where `afl::fuzz!` turns it into a crash.
pub fn on_wasm_stack(target: Target, data: &[u8]) {
    let data = data.to_vec();
    let outcome = thread::scope(|scope| {
        thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || target(&data))
            .map(|handle| handle.join())
    });
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(error) => panic!("no thread for the target: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::{on_wasm_stack, TARGETS};

    /// Every input kept in `corpus/<target>/` runs through its target without a panic: the corpus
    /// doubles as a regression suite for the bugs the fuzzers found.
    #[test]
    fn the_kept_corpus_replays() {
        for (name, target) in TARGETS {
            let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(name);
            let entries = fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
            let mut count = 0;
            for entry in entries {
                let path = entry.unwrap_or_else(|e| panic!("{}: {e}", folder.display())).path();
                let data = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                on_wasm_stack(target, &data);
                count += 1;
            }
            assert!(count > 0, "{name}: no corpus in {}", folder.display());
        }
    }
}
