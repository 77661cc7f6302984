//! The core compiled to WebAssembly, run in Node: `wasm-pack test --node -- --test wasm_core`.
//! The same store code the native tests cover, checked where it really runs (32-bit wasm, no
//! threads), so size and integer assumptions that only hold natively show up here.
#![cfg(target_arch = "wasm32")]

use eventarium::store::{Config, Direction, Error, ExpectedRevision, NewEvent, Store};
use serde_json::json;

// Plain `#[test]`s, run by wasm-bindgen-test (this file is only compiled for wasm).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn added(qty: i64) -> NewEvent {
    NewEvent::new("ItemAdded", json!({ "sku": "SKU-1", "qty": qty }))
}

#[test]
fn appends_and_reads_back_in_order() {
    let mut store = Store::new(Config::default());
    store
        .append("cart-1", ExpectedRevision::NoStream, vec![added(1), added(2)])
        .unwrap();
    store.append("cart-2", ExpectedRevision::Any, vec![added(3)]).unwrap();
    store
        .append("cart-1", ExpectedRevision::Exact(1), vec![added(4)])
        .unwrap();

    let cart = store.read_stream("cart-1", 0, 100, Direction::Forwards).unwrap();
    let quantities: Vec<_> = cart.iter().map(|e| e.data["qty"].as_i64().unwrap()).collect();
    assert_eq!(quantities, [1, 2, 4]);
    let revisions: Vec<_> = cart.iter().map(|e| e.revision).collect();
    assert_eq!(revisions, [0, 1, 2]);

    let all = store.read_all(0, 100, Direction::Forwards);
    let positions: Vec<_> = all.iter().map(|e| e.position).collect();
    assert_eq!(positions, [0, 1, 2, 3]);
}

#[test]
fn a_stale_expected_revision_is_a_conflict_that_writes_nothing() {
    let mut store = Store::new(Config::default());
    store
        .append("cart-1", ExpectedRevision::NoStream, vec![added(1)])
        .unwrap();

    let err = store
        .append("cart-1", ExpectedRevision::NoStream, vec![added(2)])
        .unwrap_err();
    assert_eq!(err.code(), "WrongExpectedVersion");
    assert!(matches!(err, Error::WrongExpectedVersion { .. }), "{err:?}");
    assert_eq!(store.read_all(0, 100, Direction::Forwards).len(), 1);
}

#[test]
fn the_same_seed_gives_the_same_event_ids() {
    let run = || {
        let mut store = Store::new(Config {
            seed: 7,
            ..Config::default()
        });
        store
            .append("cart-1", ExpectedRevision::Any, vec![added(1), added(2)])
            .unwrap();
        store
            .read_all(0, 10, Direction::Forwards)
            .into_iter()
            .map(|e| e.event_id.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(), run());
}
