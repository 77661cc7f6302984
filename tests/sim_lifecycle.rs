//! Compaction and summary events on the built-in shopping cart: the stream's state is the same
//! before and after, commands go on, and what each leaves in the store.
//!
//! Runs natively and in wasm.

mod support;

use eventarium::sim::{Runtime, COMPACTED_EVENT, SUMMARY_EVENT};
use eventarium::store::{Direction, Source};
use serde_json::{json, Value};
use support::built_in::cart_runtime;
use support::request;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[track_caller]
fn run(runtime: &mut Runtime, command: &str, data: Value) {
    support::run(runtime, &request(command, "cart-1", data));
}

/// Cart 1 with `items` lines.
fn cart(items: u32) -> Runtime {
    let mut runtime = cart_runtime();
    run(&mut runtime, "OpenCart", json!({"cartId": "1", "customerId": "c-1"}));
    for i in 0..items {
        let line = json!({"cartId": "1", "productId": format!("p-{i}"), "qty": 1 + i % 3, "unitPrice": 100 + i});
        run(&mut runtime, "AddItem", line);
    }
    runtime
}

fn state(runtime: &mut Runtime) -> Value {
    runtime
        .stream_state_at("cart-1", u64::MAX)
        .unwrap_or_else(|e| panic!("fold: {e}"))
}

fn types(runtime: &Runtime) -> Vec<(u64, String)> {
    runtime
        .store()
        .read_stream("cart-1", 0, 100, Direction::Forwards)
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.revision, e.event_type))
        .collect()
}

#[test]
fn compaction_keeps_the_state_and_the_next_command_decides_on_it() {
    let mut runtime = cart(6);
    let before = state(&mut runtime);
    let report = runtime.compact_stream("cart-1", Some(4)).expect("compact");
    assert_eq!((report.revision, report.events_removed), (4, 4), "{report:?}");
    assert_eq!(state(&mut runtime), before, "the fold of the compacted stream");
    let kept = types(&runtime);
    assert_eq!(kept.first(), Some(&(4, COMPACTED_EVENT.to_owned())), "{kept:?}");
    assert_eq!(kept.len(), 3, "the snapshot and two events after it");
    // The next command decides on the compacted state: a seventh line.
    let line = json!({"cartId": "1", "productId": "p-9", "qty": 1, "unitPrice": 5});
    run(&mut runtime, "AddItem", line);
    let after = state(&mut runtime);
    assert_ne!(after, before, "the state moved on");
    let mut fresh = cart(6);
    let line = json!({"cartId": "1", "productId": "p-9", "qty": 1, "unitPrice": 5});
    run(&mut fresh, "AddItem", line);
    assert_eq!(after, state(&mut fresh), "the same as without compaction");
    // No new position: $all does not grow, a projection past it never sees it.
    assert_eq!(
        runtime.store().next_position(),
        fresh.store().next_position(),
        "positions"
    );
}

#[test]
fn a_summary_is_appended_and_hides_what_came_before() {
    let mut runtime = cart(3);
    let before = state(&mut runtime);
    let head = runtime.store().next_position();
    let report = runtime.summarize_stream("cart-1").expect("summarize");
    assert_eq!(
        (report.revision, report.position, report.hidden),
        (4, head, 4),
        "{report:?}"
    );
    assert_eq!(report.state, before, "it holds the state");
    assert_eq!(
        types(&runtime),
        [(4, SUMMARY_EVENT.to_owned())],
        "only the summary reads"
    );
    assert_eq!(state(&mut runtime), before, "the fold");
    let summaries = runtime
        .store()
        .read(Source::EventType(SUMMARY_EVENT), 0, 10, Direction::Forwards)
        .unwrap_or_default();
    assert_eq!(summaries.len(), 1, "subscribers see it as a new event");
    let removed = runtime.store_mut().scavenge();
    assert_eq!(removed.events_removed, 4, "a scavenge removes the rest");
    assert!(
        runtime.summarize_stream("cart-9").is_err(),
        "a stream with no events has nothing to summarize"
    );
}

#[test]
fn a_projection_handles_the_snapshot_with_on_compacted_and_a_rebuild_uses_it() {
    let mut document = support::built_in::cart_json();
    let projections = document["model"]["projections"].as_array_mut().expect("projections");
    projections.push(json!({
        "name": "Snapshots", "source": { "categories": ["cart"] }, "lifecycle": "async", "key": "streamId",
        "logic": { "script": "fn on_CartOpened(doc, event) { #{ seen: 1 } }\n\
            fn on_ItemAdded(doc, event) { doc.seen += 1; doc }\n\
            fn on_compacted(doc, event) { #{ seen: 0, compacted: event.revision } }" }
    }));
    let scenario = support::built_in::import("the cart", &document.to_string());
    let mut runtime = support::built_in::runtime(&scenario);
    run(&mut runtime, "OpenCart", json!({"cartId": "1", "customerId": "c-1"}));
    for i in 0..3 {
        let line = json!({"cartId": "1", "productId": format!("p-{i}"), "qty": 1, "unitPrice": 10});
        run(&mut runtime, "AddItem", line);
    }
    runtime.compact_stream("cart-1", Some(2)).expect("compact");
    runtime.rebuild("Snapshots").expect("rebuild");
    runtime.run_until_idle();
    let rebuilt = runtime.document("Snapshots", "cart-1").expect("documents").cloned();
    assert_eq!(
        rebuilt,
        Some(json!({"seen": 1, "compacted": 2})),
        "the snapshot, then the one event after it"
    );
}
