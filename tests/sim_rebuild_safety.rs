//! Rebuild safety: inline writes while an inline projection rebuilds, a rebuilder that crashes
//! halfway, and two rebuilders at once; each with the guards off (what goes wrong) and on (the
//! lock, the lease, inline writes paused: the documents a calm rebuild gives).
//!
//! Runs natively and in wasm.

mod support;

use eventarium::sim::{ProjectionState, RebuildFault, Runtime};
use eventarium::store::Store;
use serde_json::{json, Value};
use support::built_in::cart_runtime;
use support::request;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const COUNTER: &str = "ItemsAddedPerProduct";
const SUMMARY: &str = "CartSummary";

fn add(runtime: &mut Runtime, cart: u32, qty: u32) {
    let stream = format!("cart-{cart}");
    if runtime.store().last_revision(&stream).ok().flatten().is_none() {
        let open = json!({"cartId": cart.to_string(), "customerId": "c-1"});
        support::run(runtime, &request("OpenCart", &stream, open));
    }
    let line = json!({"cartId": cart.to_string(), "productId": "p-1", "qty": qty, "unitPrice": 10});
    support::run(runtime, &request("AddItem", &stream, line));
}

/// Eight carts with a line each, every projection caught up; the guards as given.
fn shop(guards: bool) -> Runtime {
    let mut runtime = cart_runtime();
    for cart in 1..=8 {
        add(&mut runtime, cart, 1);
    }
    runtime.run_until_idle();
    runtime.set_rebuild_guards(guards);
    runtime
}

fn documents(runtime: &Runtime, projection: &str) -> Value {
    serde_json::to_value(runtime.documents(projection).expect("documents")).expect("json")
}

/// What a calm build of `projection` gives over the same store: a fresh runtime's projections
/// start at position 0.
fn calm(runtime: &Runtime, projection: &str) -> Value {
    let store = Store::import_json(&runtime.store().export_json()).expect("snapshot");
    let mut calm = Runtime::with_store(runtime.model().clone(), store, 1);
    calm.run_until_idle();
    documents(&calm, projection)
}

#[test]
fn unguarded_inline_writes_during_a_rebuild_are_applied_twice() {
    let mut runtime = shop(false);
    runtime.rebuild(SUMMARY).expect("rebuild");
    runtime.step(4);
    add(&mut runtime, 1, 1);
    runtime.run_until_idle();
    let status = runtime.projection(SUMMARY).expect("status");
    assert_eq!(status.state, ProjectionState::Live);
    assert_eq!(status.last_rebuild.map(|r| r.inline_twice), Some(1), "{status:?}");
    let documents = documents(&runtime, SUMMARY);
    assert_eq!(
        documents["1"]["lines"]["p-1"]["qty"],
        json!(3),
        "1 + 1, the second line twice: {documents}"
    );
    assert_eq!(calm(&runtime, SUMMARY)["1"]["lines"]["p-1"]["qty"], json!(2));
}

#[test]
fn guarded_inline_writes_wait_for_the_rebuild() {
    let mut runtime = shop(true);
    runtime.rebuild(SUMMARY).expect("rebuild");
    runtime.step(4);
    add(&mut runtime, 1, 1);
    runtime.run_until_idle();
    let status = runtime.projection(SUMMARY).expect("status");
    assert_eq!(status.last_rebuild.map(|r| r.inline_twice), Some(0), "{status:?}");
    assert_eq!(documents(&runtime, SUMMARY), calm(&runtime, SUMMARY));
}

#[test]
fn an_unguarded_rebuilder_that_crashes_leaves_the_projection_rebuilding_forever() {
    let mut runtime = shop(false);
    let progress = runtime
        .rebuild_with(COUNTER, RebuildFault::CrashHalfway)
        .expect("rebuild");
    runtime.run_until_idle();
    runtime.run_until_idle();
    let status = runtime.projection(COUNTER).expect("status");
    assert_eq!(status.state, ProjectionState::Rebuilding);
    let stuck = status.rebuild.expect("still rebuilding");
    assert!(stuck.stalled && status.stalled(), "{stuck:?}");
    assert_eq!(stuck.crashed_at, Some(progress.total / 2));
    assert_eq!(status.checkpoint, progress.total / 2, "nothing moves it");
    let half = documents(&runtime, COUNTER)["p-1"]["count"].as_u64().expect("a count");
    assert!(half < 8, "reads serve a half-built read model: {half}");

    // Restarting it is the way out.
    runtime.rebuild(COUNTER).expect("a stuck rebuild starts over");
    runtime.run_until_idle();
    assert_eq!(documents(&runtime, COUNTER)["p-1"]["count"], json!(8));
}

#[test]
fn with_the_lease_another_node_resumes_a_crashed_rebuild() {
    let mut runtime = shop(true);
    let progress = runtime
        .rebuild_with(COUNTER, RebuildFault::CrashHalfway)
        .expect("rebuild");
    runtime.run_until_idle();
    let status = runtime.projection(COUNTER).expect("status");
    assert_eq!(status.state, ProjectionState::Live);
    let done = status.last_rebuild.expect("done");
    assert_eq!(done.crashed_at, Some(progress.total / 2));
    assert!(!done.stalled);
    assert_eq!(documents(&runtime, COUNTER), calm(&runtime, COUNTER));
}

#[test]
fn two_unguarded_rebuilders_apply_everything_after_the_second_started_twice() {
    let mut runtime = shop(false);
    let progress = runtime
        .rebuild_with(COUNTER, RebuildFault::SecondRebuilder)
        .expect("rebuild");
    runtime.run_until_idle();
    let status = runtime.projection(COUNTER).expect("status");
    assert_eq!(status.state, ProjectionState::Live);
    let done = status.last_rebuild.expect("done");
    assert_eq!(done.second_from, Some(progress.total / 2), "{done:?}");
    // Positions 0..total hold 8 ItemAdded at odd positions; those from the halfway mark on are
    // read by both rebuilders.
    let twice = (progress.total / 2..progress.total).filter(|p| p % 2 == 1).count() as u64;
    assert_eq!(documents(&runtime, COUNTER)["p-1"]["count"], json!(8 + twice));
}

#[test]
fn the_lock_turns_a_second_rebuilder_away() {
    let mut runtime = shop(true);
    runtime
        .rebuild_with(COUNTER, RebuildFault::SecondRebuilder)
        .expect("rebuild");
    runtime.run_until_idle();
    let done = runtime.projection(COUNTER).expect("status").last_rebuild.expect("done");
    assert!(done.second_refused && done.second_from.is_none(), "{done:?}");
    assert_eq!(documents(&runtime, COUNTER), calm(&runtime, COUNTER));

    runtime.rebuild(COUNTER).expect("rebuild");
    let refused = runtime.rebuild(COUNTER).expect_err("the lock");
    assert!(refused.to_string().contains("holds the lock"), "{refused}");
}
