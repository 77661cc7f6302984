//! A crash of an async projection between writing its documents and storing its checkpoint, under
//! each checkpoint strategy: what a non-idempotent projection counts twice, and what an idempotent
//! one or a checkpoint in the documents' transaction keeps right.
//!
//! Runs natively and in wasm.

mod support;

use eventarium::model::Checkpointing;
use eventarium::sim::Runtime;
use serde_json::{json, Value};
use support::built_in::cart_runtime_with;
use support::request;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Counts each product's quantity added, remembering the last position it applied.
const IDEMPOTENT: &str = "fn on_ItemAdded(doc, event) {\n    \
    if type_of(doc) != \"()\" && doc.last >= event.position { return doc; }\n    \
    let count = if type_of(doc) == \"()\" { 0 } else { doc.count };\n    \
    #{ count: count + event.data.qty, last: event.position }\n}";

/// The cart with `ItemsAddedPerProduct` checkpointed as given, its logic replaced by `script`.
fn shop(checkpointing: Value, script: Option<&str>) -> Runtime {
    cart_runtime_with("ItemsAddedPerProduct", |counter| {
        counter["checkpointing"] = checkpointing;
        if let Some(script) = script {
            counter["logic"] = json!({ "script": script });
        }
    })
}

fn add(runtime: &mut Runtime, cart: u32, product: &str, qty: u32) {
    let stream = format!("cart-{cart}");
    if runtime.store().last_revision(&stream).ok().flatten().is_none() {
        let open = json!({"cartId": cart.to_string(), "customerId": "c-1"});
        support::run(runtime, &request("OpenCart", &stream, open));
    }
    let line = json!({"cartId": cart.to_string(), "productId": product, "qty": qty, "unitPrice": 10});
    support::run(runtime, &request("AddItem", &stream, line));
}

/// Adds 2 of p-1 and 1 of p-2, steps, arms the crash, adds 3 more of p-1, and steps until idle.
fn crash_during_the_second_batch(runtime: &mut Runtime) -> Value {
    add(runtime, 1, "p-1", 2);
    add(runtime, 1, "p-2", 1);
    runtime.run_until_idle();
    runtime.crash_projection("ItemsAddedPerProduct").expect("armed");
    add(runtime, 2, "p-1", 3);
    runtime.run_until_idle();
    serde_json::to_value(runtime.documents("ItemsAddedPerProduct").expect("documents")).expect("json")
}

fn count(documents: &Value, product: &str) -> Value {
    documents[product]["count"].clone()
}

#[test]
fn after_each_batch_a_crash_counts_the_batch_twice_and_a_rebuild_sets_it_right() {
    let mut runtime = shop(json!({"mode": "afterBatch"}), None);
    let documents = crash_during_the_second_batch(&mut runtime);
    assert_eq!(
        count(&documents, "p-1"),
        json!(3),
        "p-1 added twice, counted 3 times: {documents}"
    );
    let status = runtime.projection("ItemsAddedPerProduct").expect("status");
    assert_eq!(status.crashes.len(), 1, "{status:?}");
    let crash = status.crashes[0];
    assert!(!crash.rolled_back && crash.processed_again > 0, "{crash:?}");
    assert_eq!(crash.checkpointing, Checkpointing::AfterBatch);
    runtime.rebuild("ItemsAddedPerProduct").expect("rebuild");
    runtime.run_until_idle();
    let rebuilt = serde_json::to_value(runtime.documents("ItemsAddedPerProduct").expect("documents")).expect("json");
    assert_eq!(count(&rebuilt, "p-1"), json!(2), "{rebuilt}");
}

#[test]
fn with_the_read_model_a_crash_takes_the_documents_back_with_the_checkpoint() {
    let mut runtime = shop(json!({"mode": "withReadModel"}), None);
    let documents = crash_during_the_second_batch(&mut runtime);
    assert_eq!(count(&documents, "p-1"), json!(2), "{documents}");
    let crash = runtime.projection("ItemsAddedPerProduct").expect("status").crashes[0];
    assert!(crash.rolled_back, "{crash:?}");
}

#[test]
fn every_n_events_a_crash_processes_again_what_came_since_the_last_stored_one() {
    let mut runtime = shop(json!({"mode": "every", "events": 100}), None);
    let documents = crash_during_the_second_batch(&mut runtime);
    // Nothing was stored yet: every event is processed again.
    assert_eq!(count(&documents, "p-1"), json!(4), "{documents}");
    assert_eq!(count(&documents, "p-2"), json!(2), "{documents}");
}

#[test]
fn an_idempotent_projection_crashes_to_the_same_documents_as_without_a_crash() {
    let mut crashed = shop(json!({"mode": "afterBatch"}), Some(IDEMPOTENT));
    let with_crash = crash_during_the_second_batch(&mut crashed);
    let mut calm = shop(json!({"mode": "afterBatch"}), Some(IDEMPOTENT));
    add(&mut calm, 1, "p-1", 2);
    add(&mut calm, 1, "p-2", 1);
    add(&mut calm, 2, "p-1", 3);
    calm.run_until_idle();
    let without = serde_json::to_value(calm.documents("ItemsAddedPerProduct").expect("documents")).expect("json");
    assert_eq!(with_crash, without);
    assert_eq!(with_crash["p-1"]["count"], json!(5));
    assert_eq!(
        crashed
            .projection("ItemsAddedPerProduct")
            .expect("status")
            .crashes
            .len(),
        1
    );
}

#[test]
fn an_inline_projection_cannot_crash_between_its_documents_and_its_checkpoint() {
    let mut runtime = shop(json!({"mode": "afterBatch"}), None);
    let refused = runtime.crash_projection("CartSummary");
    assert!(format!("{refused:?}").contains("inline"), "{refused:?}");
}
