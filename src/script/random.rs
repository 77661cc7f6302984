//! Deterministic randomness for scripts: `random_int(lo, hi)` and `random_float()`, drawn from a
//! SplitMix64 sequence seeded by the sandbox, so the same seed replays the same run.

use std::cell::Cell;
use std::rc::Rc;

use rhai::{Engine, EvalAltResult, Position};

/// The generator's state, shared between the sandbox and the functions registered in its engine.
pub(crate) type Seed = Rc<Cell<u64>>;

/// Registers `random_int(lo, hi)` (inclusive at both ends) and `random_float()` (in `[0, 1)`).
pub(crate) fn register(engine: &mut Engine, seed: &Seed) {
    let state = Rc::clone(seed);
    engine.register_fn("random_int", move |lo: i64, hi: i64| random_int(&state, lo, hi));
    let state = Rc::clone(seed);
    engine.register_fn("random_float", move || random_float(&state));
}

/// The next number of the SplitMix64 sequence (Steele, Lea and Flood, 2014).
fn next(state: &Cell<u64>) -> u64 {
    let s = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
    state.set(s);
    let mut z = s;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn random_int(state: &Cell<u64>, lo: i64, hi: i64) -> Result<i64, Box<EvalAltResult>> {
    if lo > hi {
        let message = format!("random_int({lo}, {hi}): the low end is above the high end");
        return Err(EvalAltResult::ErrorArithmetic(message, Position::NONE).into());
    }
    // The span is at most 2^64, so it fits an i128 and the offset fits a u64.
    let span = i128::from(hi) - i128::from(lo) + 1;
    let offset = i128::from(next(state)) % span;
    Ok(i64::try_from(i128::from(lo) + offset).unwrap_or(hi))
}

fn random_float(state: &Cell<u64>) -> f64 {
    // The top 53 bits give every double in [0, 1) that is a multiple of 2^-53, uniformly.
    (next(state) >> 11) as f64 / (1u64 << 53) as f64
}
