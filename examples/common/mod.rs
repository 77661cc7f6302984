//! What the runtime and workspace benchmarks share: the event count they are given, and the load
//! generator of the app's performance run (`bench/ui/perf.test.mjs`).

#![allow(dead_code, reason = "each benchmark uses its own part of these helpers")]

use serde_json::{json, Value};

/// The first argument as the number of events, `default` without one.
pub fn count_arg(default: u64) -> Result<u64, String> {
    std::env::args()
        .nth(1)
        .map_or(Ok(default), |a| a.parse())
        .map_err(|e| format!("N: {e}"))
}

/// The performance run's generator: `count` commands into carts of `per_cart`, each opened and
/// then given `per_cart - 1` items, 100 carts at a time.
pub fn perf_generator(count: u64, per_cart: u64) -> Value {
    json!({
        "name": "bench",
        "instances": count / per_cart,
        "streamId": "cart-{n}",
        "concurrency": 100,
        "intervalMs": 1000,
        "plan": { "steps": [
            { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c-{n}" } },
            { "command": "AddItem", "repeat": [per_cart - 1, per_cart - 1],
              "data": { "cartId": "{n}", "productId": "p-{random:1..50}", "qty": 1, "unitPrice": "{random:100..900}" } }
        ] }
    })
}
