//! Copy-and-transform migrations: the cart's streams copied into a new category with their
//! events at the current versions, compared (dual reads), switched and archived, while commands
//! go on; projections count nothing twice and a rebuild after the switch gives the same documents.
//!
//! Runs natively and in wasm.

mod support;

use eventarium::sim::{Runtime, MIGRATED_FROM};
use eventarium::store::{Direction, ExpectedRevision, NewEvent, Source, Store};
use serde_json::{json, Value};
use support::built_in::cart_runtime;
use support::request;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const COUNTER: &str = "ItemsAddedPerProduct";
const SUMMARY: &str = "CartSummary";

fn add(runtime: &mut Runtime, cart: u32, product: &str) {
    let stream = format!("cart-{cart}");
    let line = json!({"cartId": cart.to_string(), "productId": product, "qty": 1, "unitPrice": 10});
    support::run(runtime, &request("AddItem", &stream, line));
}

/// Three carts opened by commands with a line each, and cart 9 recorded before ItemAdded v2:
/// its line is a v1 event (`sku`), upcast on every read.
fn shop() -> Runtime {
    let mut runtime = cart_runtime();
    for cart in 1..=3 {
        let open = json!({"cartId": cart.to_string(), "customerId": "c-1"});
        support::run(&mut runtime, &request("OpenCart", &format!("cart-{cart}"), open));
        add(&mut runtime, cart, "p-1");
    }
    let old = vec![
        NewEvent::new("CartOpened", json!({"cartId": "9", "customerId": "c-9"})),
        NewEvent::new(
            "ItemAdded",
            json!({"cartId": "9", "sku": "p-2", "qty": 2, "unitPrice": 5}),
        )
        .with_schema_version(1),
    ];
    runtime
        .store_mut()
        .append("cart-9", ExpectedRevision::NoStream, old)
        .expect("recorded");
    runtime.run_until_idle();
    runtime
}

fn documents(runtime: &Runtime, projection: &str) -> Value {
    serde_json::to_value(runtime.documents(projection).expect("documents")).expect("json")
}

fn events_of(runtime: &Runtime, stream_id: &str) -> Vec<(String, u32, Value, Option<String>)> {
    let mut events = Vec::new();
    let _ = runtime
        .store()
        .read_raw(Source::Stream(stream_id), 0, usize::MAX, Direction::Forwards, |raw| {
            let data = serde_json::from_str(&raw.data_json).expect("json");
            let from = raw.headers.and_then(|h| h.get(MIGRATED_FROM).cloned());
            events.push((raw.event_type.to_owned(), raw.schema_version, data, from));
        });
    events
}

#[test]
fn a_copy_holds_current_versions_and_projections_count_nothing_twice() {
    let mut runtime = shop();
    let counted = documents(&runtime, COUNTER);
    let summaries = documents(&runtime, SUMMARY);
    runtime.start_migration("Cart", "cart_v2").expect("started");
    runtime.step(3);
    add(&mut runtime, 1, "p-3"); // written to the old stream during the copy: copied too
    runtime.run_until_idle();

    let migration = runtime.migration().expect("migration").clone();
    assert_eq!(migration.checkpoint, runtime.head(), "caught up");
    assert_eq!((migration.read, migration.written), (9, 9));
    assert_eq!(migration.upcast_steps, 1, "cart 9's v1 line, upcast once");
    let copy = events_of(&runtime, "cart_v2-9");
    assert_eq!(copy[1].0, "ItemAdded");
    assert_eq!(copy[1].1, 2, "current version");
    assert_eq!(copy[1].2["productId"], json!("p-2"), "transformed: sku is productId");
    assert_eq!(copy[1].3.as_deref(), Some("7"), "names its original's position");

    let mut counted_after = counted.clone();
    counted_after["p-3"] = json!({"count": 1});
    assert_eq!(
        documents(&runtime, COUNTER)["p-1"],
        counted_after["p-1"],
        "copies are not counted"
    );
    assert_eq!(documents(&runtime, COUNTER)["p-3"]["count"], json!(1));
    assert_eq!(documents(&runtime, SUMMARY)["9"], summaries["9"]);

    let dual = runtime.dual_read().expect("dual read");
    assert_eq!((dual.streams, dual.differing), (4, 0), "{dual:?}");
}

#[test]
fn the_switch_moves_commands_to_the_new_streams_and_archiving_keeps_the_old_readable() {
    let mut runtime = shop();
    runtime.start_migration("Cart", "cart_v2").expect("started");
    runtime.run_until_idle();
    let at = runtime.switch_migration().expect("switched");
    assert_eq!(at, runtime.head());
    let pattern = &runtime.model().stream_type("Cart").expect("Cart").stream_id_pattern;
    assert!(pattern.starts_with("cart_v2-"), "{pattern}");

    add(&mut runtime, 1, "p-1"); // an old id: goes to the new stream
    runtime.run_until_idle();
    let copy = events_of(&runtime, "cart_v2-1");
    assert_eq!(copy.len(), 3, "two copies and the new line");
    assert_eq!(copy[2].3, None, "written by a command, not copied");
    assert_eq!(
        events_of(&runtime, "cart-1").len(),
        2,
        "the old stream is left as it was"
    );
    assert_eq!(documents(&runtime, COUNTER)["p-1"]["count"], json!(4));
    assert_eq!(documents(&runtime, SUMMARY)["1"]["lines"]["p-1"]["qty"], json!(2));

    // After the switch a rebuild reads the copies instead of the originals, whether it reads
    // by event type or by the (renamed) category.
    for projection in [COUNTER, SUMMARY] {
        let live = documents(&runtime, projection);
        runtime.rebuild(projection).expect("rebuild");
        runtime.run_until_idle();
        assert_eq!(
            documents(&runtime, projection),
            live,
            "{projection} rebuilt after the switch"
        );
    }

    assert_eq!(runtime.archive_migrated().expect("archived"), 4);
    assert!(runtime.store().is_archived("cart-9"));
    assert_eq!(
        events_of(&runtime, "cart-9").len(),
        2,
        "reads reach the archived partition"
    );
    assert_eq!(runtime.migration().expect("migration").archived, 4);

    // Saved with the read models, as the browser keeps them.
    let saved = runtime.save_read_models();
    let store = Store::import_json(&runtime.store().export_json()).expect("snapshot");
    let mut reopened = Runtime::with_store(runtime.model().clone(), store, 1);
    reopened.restore_read_models(&saved);
    assert_eq!(reopened.migration(), runtime.migration());
    add(&mut reopened, 2, "p-1");
    assert_eq!(
        events_of(&reopened, "cart_v2-2").len(),
        3,
        "old ids still go to the new streams"
    );
}

#[test]
fn bad_migrations_are_refused_and_a_cancel_deletes_the_copies() {
    let mut runtime = shop();
    let refused = |result: Result<_, eventarium::sim::Error>| result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(refused(runtime.start_migration("Cart", "cart-v2").map(drop)).contains("cannot be a category"));
    assert!(refused(runtime.start_migration("Cart", "cart").map(drop)).contains("in use"));
    assert!(refused(runtime.start_migration("Nope", "x").map(drop)).contains("Nope"));
    assert!(refused(runtime.switch_migration().map(drop)).contains("no migration"));
    assert!(refused(runtime.archive_migrated().map(drop)).contains("no migration"));

    let counted = documents(&runtime, COUNTER);
    runtime.start_migration("Cart", "cart_v2").expect("started");
    assert!(refused(runtime.start_migration("Cart", "cart_v3").map(drop)).contains("under way"));
    assert!(refused(runtime.archive_migrated().map(drop)).contains("switch first"));
    runtime.run_until_idle();
    runtime.cancel_migration().expect("cancelled");
    assert!(runtime.migration().is_none());
    assert!(events_of(&runtime, "cart_v2-1").is_empty(), "copies deleted");
    add(&mut runtime, 1, "p-1");
    runtime.run_until_idle();
    assert_eq!(
        events_of(&runtime, "cart-1").len(),
        3,
        "commands still go to the old streams"
    );
    assert_eq!(
        documents(&runtime, COUNTER)["p-1"]["count"],
        json!(counted["p-1"]["count"].as_u64().unwrap_or(0) + 1)
    );
}
