//! Gaps and transactions in flight: a slow writer takes its positions, a later writer commits
//! above it, and an async projection reads. A naive one moves past the gap and never reads the
//! slow writer's events; one that waits at the high-water mark reads them once they commit; one
//! that passes a stale gap lists it and reads it after.
//!
//! Runs natively and in wasm.

mod support;

use eventarium::model::{Gaps, Scenario};
use eventarium::sim::Runtime;
use serde_json::{json, Value};
use support::built_in::{cart_json, cart_runtime_with};
use support::request;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const COUNTER: &str = "ItemsAddedPerProduct";

/// The cart with its product counter reading gaps as given.
fn shop(gaps: Value) -> Runtime {
    cart_runtime_with(COUNTER, |counter| counter["gaps"] = gaps)
}

fn add(runtime: &mut Runtime, cart: u32) {
    let stream = format!("cart-{cart}");
    let open = json!({"cartId": cart.to_string(), "customerId": "c-1"});
    support::run(runtime, &request("OpenCart", &stream, open));
    let line = json!({"cartId": cart.to_string(), "productId": "p-1", "qty": 1, "unitPrice": 10});
    support::run(runtime, &request("AddItem", &stream, line));
}

/// Cart 1 is read; cart 2 is written by a writer whose transaction stays open 5 s (both its
/// commands: the slow writer holds its stream); cart 3 commits above it; the projection steps.
fn slow_writer_under(gaps: Value) -> Runtime {
    let mut runtime = shop(gaps);
    add(&mut runtime, 1);
    runtime.run_until_idle();
    let stream = "cart-2";
    runtime.hold_next_write(5_000).expect("armed");
    let open = json!({"cartId": "2", "customerId": "c-2"});
    support::run(&mut runtime, &request("OpenCart", stream, open));
    runtime.hold_next_write(5_000).expect("armed");
    let line = json!({"cartId": "2", "productId": "p-1", "qty": 1, "unitPrice": 10});
    support::run(&mut runtime, &request("AddItem", stream, line));
    add(&mut runtime, 3);
    assert_eq!(runtime.in_flight().len(), 2, "two transactions in flight");
    runtime.run_until_idle();
    runtime
}

fn count(runtime: &Runtime) -> Value {
    let documents = serde_json::to_value(runtime.documents(COUNTER).expect("documents")).expect("json");
    documents["p-1"]["count"].clone()
}

/// The position of cart 2's `ItemAdded`.
fn slow_event(runtime: &Runtime) -> u64 {
    runtime.in_flight()[1].from
}

#[test]
fn a_naive_projection_reads_past_a_transaction_in_flight_and_never_reads_it() {
    let mut runtime = slow_writer_under(json!({"mode": "naive"}));
    let slow = slow_event(&runtime);
    assert_eq!(
        count(&runtime),
        json!(2),
        "carts 1 and 3 counted, cart 2 still in flight"
    );
    runtime.advance_clock(5_000).expect("clock");
    assert!(runtime.in_flight().is_empty(), "committed after 5 s");
    runtime.run_until_idle();
    assert_eq!(
        count(&runtime),
        json!(2),
        "cart 2 committed behind the checkpoint: never read"
    );
    let status = runtime.projection(COUNTER).expect("status");
    assert_eq!(status.missed, vec![slow], "{status:?}");
    assert_eq!(status.lag, 0, "it believes it is caught up");

    runtime.rebuild(COUNTER).expect("rebuild");
    runtime.run_until_idle();
    assert_eq!(count(&runtime), json!(3), "a rebuild reads the committed log");
    assert!(runtime.projection(COUNTER).expect("status").missed.is_empty());
}

#[test]
fn at_the_high_water_mark_a_projection_waits_for_the_transaction_in_flight() {
    let mut runtime = slow_writer_under(json!({"mode": "highWaterMark"}));
    let first_in_flight = runtime.in_flight()[0].from;
    assert_eq!(count(&runtime), json!(1), "cart 3 waits behind cart 2");
    let status = runtime.projection(COUNTER).expect("status");
    assert_eq!(status.waiting_at, Some(first_in_flight), "{status:?}");
    assert_eq!(status.checkpoint, first_in_flight);

    runtime.advance_clock(4_999).expect("clock");
    runtime.run_until_idle();
    assert_eq!(count(&runtime), json!(1), "still in flight");
    runtime.advance_clock(1).expect("clock");
    runtime.run_until_idle();
    assert_eq!(count(&runtime), json!(3));
    let status = runtime.projection(COUNTER).expect("status");
    assert!(status.missed.is_empty() && status.waiting_at.is_none(), "{status:?}");
}

#[test]
fn a_stale_gap_is_passed_listed_and_read_once_it_commits() {
    let mut runtime = slow_writer_under(json!({"mode": "highWaterMark", "staleAfterMs": 1000}));
    let slow = slow_event(&runtime);
    assert_eq!(count(&runtime), json!(1), "waits while the gap is fresh");
    runtime.advance_clock(1_000).expect("clock");
    runtime.run_until_idle();
    assert_eq!(count(&runtime), json!(2), "passed the stale gap: cart 3 read");
    let status = runtime.projection(COUNTER).expect("status");
    assert_eq!(status.pending, vec![slow], "{status:?}");
    assert_eq!(status.waiting_at, None);

    runtime.advance_clock(4_000).expect("clock");
    runtime.run_until_idle();
    assert_eq!(count(&runtime), json!(3), "drained once committed");
    let status = runtime.projection(COUNTER).expect("status");
    assert!(status.pending.is_empty() && status.missed.is_empty(), "{status:?}");
    assert_eq!(status.drained, 1);
}

#[test]
fn committing_by_hand_releases_the_waiting_projection_and_policies_wait_too() {
    let mut runtime = slow_writer_under(json!({"mode": "highWaterMark"}));
    assert_eq!(runtime.commit_in_flight(), 2);
    assert!(runtime.in_flight().is_empty());
    runtime.run_until_idle();
    assert_eq!(count(&runtime), json!(3));
    let head = runtime.head();
    assert!(
        runtime.policies().iter().all(|p| p.checkpoint == head),
        "policies caught up once nothing is in flight"
    );
}

#[test]
fn a_slow_writer_needs_a_time_and_its_setting_reads_back() {
    let mut runtime = shop(json!({"mode": "highWaterMark", "staleAfterMs": 250}));
    let status = runtime.projection(COUNTER).expect("status");
    assert_eq!(
        status.gaps,
        Gaps::HighWaterMark {
            stale_after_ms: Some(250)
        }
    );
    let refused = runtime.hold_next_write(0).expect_err("0 ms");
    assert!(refused.to_string().contains("1 ms or more"), "{refused}");
    assert_eq!(runtime.slow_writer(), None);
    runtime.hold_next_write(100).expect("armed");
    assert_eq!(runtime.slow_writer(), Some(100));
    let saved = runtime
        .model()
        .projection(COUNTER)
        .map(|p| serde_json::to_value(p).expect("json"));
    assert_eq!(
        saved.map(|p| p["gaps"].clone()),
        Some(json!({"mode": "highWaterMark", "staleAfterMs": 250}))
    );
}

#[test]
fn an_unknown_gap_mode_is_refused_with_the_modes_there_are() {
    let mut document = cart_json();
    document["model"]["projections"][0]["gaps"] = json!({"mode": "optimistic"});
    let refused = Scenario::import(&document.to_string()).expect_err("refused");
    let message: Vec<String> = refused.iter().map(ToString::to_string).collect();
    let message = message.join("\n");
    assert!(
        message.contains("optimistic") && message.contains("highWaterMark"),
        "{message}"
    );
}
