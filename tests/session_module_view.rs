//! A module opened from the System page's map: its streams, a stream's events, its read models
//! and their documents, or a state-stored module's tables and rows.

mod support;

use eventarium::session::Workspace;
use support::built_in;
use support::concert::{check_out, open_sales, CONCERT};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn after_a_checkout() -> Workspace {
    let mut workspace = Workspace::open(built_in::scenario(CONCERT)).unwrap_or_else(|e| panic!("{e}"));
    open_sales(workspace.services_mut());
    check_out(workspace.services_mut(), "k1", "u-1", 2);
    workspace
}

#[test]
fn an_event_sourced_module_shows_its_streams_events_and_read_models() {
    let workspace = after_a_checkout();
    let view = workspace.module_view("orders", "", 8).unwrap_or_else(|e| panic!("{e}"));
    assert!(view.event_sourced && !view.main);
    assert_eq!(view.publishing, "dual write");
    let streams: Vec<&str> = view
        .streams
        .iter()
        .flat_map(|g| g.streams.iter().map(|s| s.id.as_str()))
        .collect();
    assert!(streams.contains(&"order-k1"), "{streams:?}");
    let events = workspace
        .module_stream("orders", "order-k1", 50)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(events[0].event_type.starts_with("OrderPlaced v"), "{events:?}");
    assert!(events.windows(2).all(|w| w[0].revision < w[1].revision), "oldest first");
    assert!(events[0].correlation_id.is_some(), "a checkout's chain");
    let (name, documents) = &view.read_models[0];
    assert_eq!(name, "OrderStatus");
    assert_eq!(*documents, 1);
    let shown = workspace
        .module_documents("orders", "OrderStatus", 50)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(shown.len(), 1);
    // A filter narrows the streams as the workspace's stream list does.
    let none = workspace
        .module_view("orders", "nothing-*", 8)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(none.streams.is_empty());
}

#[test]
fn the_main_module_says_so_and_a_state_stored_one_shows_its_tables() {
    let workspace = after_a_checkout();
    let carts = workspace.module_view("carts", "", 8).unwrap_or_else(|e| panic!("{e}"));
    assert!(carts.main, "the workspace's pages show carts in full");
    let users = workspace.module_view("users", "", 8).unwrap_or_else(|e| panic!("{e}"));
    assert!(!users.event_sourced);
    assert_eq!(users.tables, vec![("customers".to_owned(), 2)]);
    let rows = workspace
        .module_documents("users", "customers", 50)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rows.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        ["u-1", "u-2"]
    );
    assert!(
        workspace.module_stream("users", "u-1", 5).is_err(),
        "a table has no stream"
    );
}

#[test]
fn an_unknown_module_is_a_clear_error() {
    let workspace = after_a_checkout();
    let error = workspace
        .module_view("billing", "", 8)
        .expect_err("no such module")
        .to_string();
    assert!(error.contains("billing"), "{error}");
}
