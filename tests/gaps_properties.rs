//! Whatever slow writers do, a projection at the high-water mark (waiting, or passing stale gaps
//! and reading them later) ends with the documents a rebuild gives once everything committed; a
//! naive one ends short of exactly the events it lists as missed. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use eventarium::sim::Runtime;
use proptest::prelude::*;
use serde_json::{json, Value};
use support::built_in::cart_runtime_with;
use support::request;

const COUNTER: &str = "ItemsAddedPerProduct";
const PRODUCTS: [&str; 3] = ["p-1", "p-2", "p-3"];

#[derive(Debug, Clone)]
enum Op {
    /// A line added to a cart (opened first if new).
    Add { cart: u32, product: usize, qty: u32 },
    /// The next command's transaction stays open this long.
    Hold { ms: u64 },
    /// Time passes.
    Wait { ms: u64 },
    /// Projections step this far.
    Step { events: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..4u32, 0..PRODUCTS.len(), 1..4u32).prop_map(|(cart, product, qty)| Op::Add { cart, product, qty }),
        2 => (1..3_000u64).prop_map(|ms| Op::Hold { ms }),
        2 => (1..2_000u64).prop_map(|ms| Op::Wait { ms }),
        2 => (1..6usize).prop_map(|events| Op::Step { events }),
    ]
}

fn shop(gaps: &Value) -> Runtime {
    cart_runtime_with(COUNTER, |counter| counter["gaps"] = gaps.clone())
}

fn play(gaps: &Value, ops: &[Op]) -> Runtime {
    let mut runtime = shop(gaps);
    for op in ops {
        match *op {
            Op::Add { cart, product, qty } => {
                let stream = format!("cart-{cart}");
                if runtime.store().last_revision(&stream).ok().flatten().is_none() {
                    let open = json!({"cartId": cart.to_string(), "customerId": "c-1"});
                    let _ = runtime.execute(&request("OpenCart", &stream, open));
                }
                let line =
                    json!({"cartId": cart.to_string(), "productId": PRODUCTS[product], "qty": qty, "unitPrice": 10});
                let _ = runtime.execute(&request("AddItem", &stream, line));
            }
            Op::Hold { ms } => runtime.hold_next_write(ms).expect("a hold of 1 ms or more"),
            Op::Wait { ms } => {
                runtime.advance_clock(ms).expect("clock");
            }
            Op::Step { events } => {
                runtime.step(events);
            }
        }
    }
    runtime
}

fn documents(runtime: &Runtime) -> Value {
    serde_json::to_value(runtime.documents(COUNTER).expect("documents")).expect("json")
}

/// Everything commits, everything steps; then the documents, and the documents a rebuild gives.
fn settled(mut runtime: Runtime) -> (Runtime, Value, Value) {
    runtime.advance_clock(10_000).expect("clock");
    runtime.run_until_idle();
    let live = documents(&runtime);
    let mut rebuilt = runtime;
    rebuilt.rebuild(COUNTER).expect("rebuild");
    rebuilt.run_until_idle();
    let truth = documents(&rebuilt);
    (rebuilt, live, truth)
}

fn total(documents: &Value) -> u64 {
    PRODUCTS.iter().filter_map(|p| documents[*p]["count"].as_u64()).sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_high_water_mark_misses_nothing(ops in prop::collection::vec(op(), 1..40)) {
        for gaps in [json!({"mode": "highWaterMark"}), json!({"mode": "highWaterMark", "staleAfterMs": 500})] {
            let runtime = play(&gaps, &ops);
            let (_, live, truth) = settled(runtime);
            prop_assert_eq!(&live, &truth, "{}", gaps);
        }
    }

    #[test]
    fn a_naive_projection_lacks_exactly_what_it_lists_as_missed(ops in prop::collection::vec(op(), 1..40)) {
        let mut runtime = play(&json!({"mode": "naive"}), &ops);
        runtime.advance_clock(10_000).expect("clock");
        runtime.run_until_idle();
        let missed = runtime.projection(COUNTER).expect("status").missed.len() as u64;
        let live = documents(&runtime);
        let (_, _, truth) = settled(runtime);
        prop_assert_eq!(total(&live) + missed, total(&truth), "{} missed: {} against {}", missed, live, truth);
    }
}
