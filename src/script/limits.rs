//! The limits every script call runs under, and why the defaults are what they are.

/// Bounds on what one script call may do. Rhai reads a zero as "unlimited"; the sandbox never is, so
/// a zero here is raised to one.
///
/// # Why these defaults
///
/// - `max_operations` 200,000: Rhai stops `loop { x += 1 }` after 100,000 operations in about 130 ms
///   in Chromium (measured, see `TOOLCHAIN.md`), so an endless loop in a user's script costs about a
///   quarter of a second in the browser. A limit error is then replayed once to find its line (see
///   `locate.rs`), so the user sees it after about half a second at worst: inside the one second the
///   UI can afford. Measured with `examples/script_bench.rs`, the whole round trip (both runs) takes
///   10 ms natively and 45 ms in wasm under Node (release builds). A realistic decide or evolve over a
///   few hundred events stays well under a tenth of the budget.
/// - `max_call_depth` 32: deciders and projections fold and branch; they do not recurse deeply. 32
///   levels leave room for helper functions while keeping runaway recursion far from the wasm stack
///   (1 MiB by default).
/// - `max_expr_depth` 64: deeper nesting is almost always generated or runaway code, and the parser
///   recurses per level.
/// - `max_string_bytes` 64 KiB, `max_array_len` and `max_map_len` 10,000: far above any event or state
///   a user would type, small enough that a doubling loop is stopped long before memory is a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How many operations (expressions, statements, loop iterations, calls) one call may run.
    pub max_operations: u64,
    /// How deeply script functions may call each other (recursion included).
    pub max_call_depth: usize,
    /// How deeply expressions may nest, checked when a script is compiled.
    pub max_expr_depth: usize,
    /// The longest string a script may build, in bytes.
    pub max_string_bytes: usize,
    /// The most items an array may hold (nested arrays included).
    pub max_array_len: usize,
    /// The most entries a map may hold (nested maps included).
    pub max_map_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 200_000,
            max_call_depth: 32,
            max_expr_depth: 64,
            max_string_bytes: 64 * 1024,
            max_array_len: 10_000,
            max_map_len: 10_000,
        }
    }
}
