//! The runtime's behaviours, given/when/then, on the built-in shopping cart: commands with
//! correlation and conflicts, inline and async projections, poison events and skips, rebuilds in
//! place and blue-green, upcasting on read and time travel.
//!
//! Runs natively and in wasm (`wasm-pack test --node --no-default-features --test sim_runtime`).

mod support;

use support::request;

use eventarium::model::Projection;
use eventarium::sim::{Error, Expected, ProjectionState, Runtime};
use eventarium::store::{Direction, Error as StoreError, ExpectedRevision, NewEvent, Source, Store};
use serde_json::{json, Value};
use support::built_in::{self, cart_runtime};
use support::given::{event, given};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[track_caller]
fn run(runtime: &mut Runtime, command: &str, stream_id: &str, data: Value) -> Vec<u64> {
    support::run(runtime, &request(command, stream_id, data))
}

/// Opens cart `n` for customer `c-n` and adds `items` lines of product `p-<i>`.
fn fill_cart(runtime: &mut Runtime, n: u32, items: u32) {
    let stream = format!("cart-{n}");
    run(
        runtime,
        "OpenCart",
        &stream,
        json!({"cartId": n.to_string(), "customerId": format!("c-{n}")}),
    );
    for i in 0..items {
        let item =
            json!({"cartId": n.to_string(), "productId": format!("p-{i}"), "qty": 1 + i % 3, "unitPrice": 100 + i});
        run(runtime, "AddItem", &stream, item);
    }
}

/// The data of an `ItemAdded` to cart 1.
fn item(product: &str, qty: u32, unit_price: u32) -> Value {
    json!({"cartId": "1", "productId": product, "qty": qty, "unitPrice": unit_price})
}

fn projection(runtime: &Runtime, name: &str) -> Projection {
    match runtime.model().projection(name) {
        Some(projection) => projection.clone(),
        None => panic!("no projection {name}"),
    }
}

#[test]
fn command_ids_stay_unique_when_the_store_is_opened_again() {
    let mut runtime = cart_runtime();
    let open = request("OpenCart", "cart-1", json!({"cartId": "1", "customerId": "c-1"}));
    let first = runtime.execute(&open).unwrap_or_else(|e| panic!("{e}"));
    let mut add = request(
        "AddItem",
        "cart-1",
        json!({"cartId": "1", "productId": "p", "qty": 1, "unitPrice": 5}),
    );
    add.correlation_id = Some(first.decision.correlation_id.clone());
    let second = runtime.execute(&add).unwrap_or_else(|e| panic!("{e}"));

    // Saved and opened again, as a reload does: the counter must not start afresh.
    let saved = runtime.store().export_json();
    let store = Store::import_json(&saved).unwrap_or_else(|e| panic!("{e}"));
    let model = built_in::cart().model;
    let mut reopened = Runtime::with_store(model, store, 0);
    let open_again = request("OpenCart", "cart-2", json!({"cartId": "2", "customerId": "c-2"}));
    let third = reopened.execute(&open_again).unwrap_or_else(|e| panic!("{e}"));

    let ids = [&first, &second, &third].map(|executed| executed.decision.command_id.clone());
    assert_eq!(ids, ["cmd-1", "cmd-2", "cmd-3"]);
    let events = reopened.store().read_all(0, 10, Direction::Forwards);
    assert_eq!(events[2].metadata.correlation_id.as_deref(), Some("cmd-3"));
}

#[test]
fn a_command_appends_with_correlation_and_causation() {
    let mut runtime = cart_runtime();
    let opened = runtime.execute(&request(
        "OpenCart",
        "cart-1",
        json!({"cartId": "1", "customerId": "c-1"}),
    ));
    let opened = opened.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened.committed.positions, [0]);
    assert_eq!(opened.attempts, 1);
    assert_eq!(opened.decision.command_id, "cmd-1");

    let mut follow_up = request(
        "AddItem",
        "cart-1",
        json!({"cartId": "1", "productId": "p", "qty": 2, "unitPrice": 5}),
    );
    follow_up.correlation_id = Some(opened.decision.correlation_id.clone());
    let added = runtime.execute(&follow_up).unwrap_or_else(|e| panic!("{e}"));

    let events = runtime.store().read_all(0, 10, Direction::Forwards);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].metadata.correlation_id.as_deref(), Some("cmd-1"));
    assert_eq!(events[0].metadata.causation_id.as_deref(), Some("cmd-1"));
    // The correlation flows on from the command that started the chain; causation is the command.
    assert_eq!(events[1].metadata.correlation_id.as_deref(), Some("cmd-1"));
    assert_eq!(
        events[1].metadata.causation_id.as_deref(),
        Some(added.decision.command_id.as_str())
    );
    assert_eq!(
        events[1].metadata.headers.get("command").map(String::as_str),
        Some("AddItem")
    );
}

#[test]
fn two_participants_one_cart_the_second_commit_conflicts() {
    let mut runtime = cart_runtime();
    fill_cart(&mut runtime, 1, 1);
    let alice = request(
        "AddItem",
        "cart-1",
        json!({"cartId": "1", "productId": "a", "qty": 1, "unitPrice": 1}),
    );
    let bob = request(
        "AddItem",
        "cart-1",
        json!({"cartId": "1", "productId": "b", "qty": 1, "unitPrice": 1}),
    );
    let alice_decided = runtime.decide(&alice).unwrap_or_else(|e| panic!("{e}"));
    let bob_decided = runtime.decide(&bob).unwrap_or_else(|e| panic!("{e}"));
    assert!(runtime.commit(&alice_decided).is_ok());
    let head = runtime.head();
    match runtime.commit(&bob_decided) {
        Err(Error::Store(StoreError::WrongExpectedVersion { expected, actual, .. })) => {
            assert_eq!(expected, ExpectedRevision::Exact(1));
            assert_eq!(actual, Some(2));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(runtime.head(), head, "a conflict writes nothing");
    // Deciding again on the new state succeeds: what `retries` does.
    let bob_again = runtime.decide(&bob).unwrap_or_else(|e| panic!("{e}"));
    assert!(runtime.commit(&bob_again).is_ok());
    let cart = runtime
        .document("CartSummary", "1")
        .ok()
        .flatten()
        .cloned()
        .unwrap_or_default();
    assert_eq!(cart["lines"].as_object().map(|lines| lines.len()), Some(3), "{cart}");
}

#[test]
fn expected_modes_and_rejections() {
    let mut runtime = cart_runtime();
    let mut open = request("OpenCart", "cart-1", json!({"cartId": "1", "customerId": "c"}));
    open.expected = Expected::Exact(5);
    assert!(matches!(
        runtime.execute(&open),
        Err(Error::Store(StoreError::WrongExpectedVersion { .. }))
    ));
    open.expected = Expected::NoStream;
    assert!(runtime.execute(&open).is_ok());
    // A rejection is a value, and appends nothing.
    open.expected = Expected::Any;
    let again = runtime.execute(&open).unwrap_or_else(|e| panic!("{e}"));
    assert!(again.committed.positions.is_empty());
    match again.decision.outcome {
        eventarium::sim::decider::Outcome::Rejected(rejection) => assert_eq!(rejection.message, "cart already opened"),
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(runtime.head(), 1);
}

#[test]
fn inline_projections_follow_each_append_async_ones_each_step() {
    let mut runtime = cart_runtime();
    fill_cart(&mut runtime, 1, 3);
    let summary = runtime.projection("CartSummary").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (summary.state, summary.lag, summary.documents),
        (ProjectionState::Live, 0, 1)
    );
    let per_product = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((per_product.state, per_product.lag), (ProjectionState::CatchingUp, 4));

    let report = runtime.step(2);
    // Two events each: the async projection, and the cart's async policy (which reacts to none).
    assert_eq!(report.events, 4);
    assert!(!report.idle);
    assert_eq!(runtime.projection("ItemsAddedPerProduct").map(|p| p.lag).ok(), Some(2));
    runtime.run_until_idle();
    let per_product = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (per_product.state, per_product.lag, per_product.documents),
        (ProjectionState::Live, 0, 3)
    );
    assert_eq!(
        runtime.document("ItemsAddedPerProduct", "p-0").ok().flatten(),
        Some(&json!({"count": 1}))
    );
}

#[test]
fn a_failing_inline_handler_rejects_the_append() {
    let mut runtime = cart_runtime();
    fill_cart(&mut runtime, 1, 1);
    let mut broken = projection(&runtime, "CartSummary");
    broken.logic = eventarium::model::ProjectionLogic::Script(
        "fn on_ItemAdded(doc, event) { if event.data.qty > 5 { throw \"too many\"; } doc }".to_owned(),
    );
    assert!(runtime.replace_projection(broken).is_ok());
    let head = runtime.head();
    let big = request(
        "AddItem",
        "cart-1",
        json!({"cartId": "1", "productId": "x", "qty": 9, "unitPrice": 1}),
    );
    match runtime.execute(&big) {
        Err(Error::InlineProjection { projection, error }) => {
            assert_eq!(projection, "CartSummary");
            assert!(error.to_string().contains("too many"), "{error}");
        }
        other => panic!("expected the inline projection to refuse, got {other:?}"),
    }
    assert_eq!(runtime.head(), head, "nothing appended");
}

#[test]
fn a_poison_event_stops_one_projection_until_fixed_or_skipped() {
    let mut runtime = cart_runtime();
    let mut fragile = projection(&runtime, "ItemsAddedPerProduct");
    fragile.logic = eventarium::model::ProjectionLogic::Script(
        "fn on_ItemAdded(doc, event) {\n  if event.data.productId == \"p-1\" { throw \"cannot count p-1\"; }\n  #{ count: (if doc == () { 0 } else { doc.count }) + 1 }\n}"
            .to_owned(),
    );
    assert!(runtime.replace_projection(fragile.clone()).is_ok());
    fill_cart(&mut runtime, 1, 3); // positions 0 (opened), 1 (p-0), 2 (p-1), 3 (p-2)
    runtime.run_until_idle();
    let status = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.state, ProjectionState::Stopped);
    let poison = status.poison.unwrap_or_else(|| panic!("no poison"));
    assert_eq!((poison.position, poison.event_type.as_str()), (2, "ItemAdded"));
    assert!(
        poison.error.contains("cannot count p-1") && poison.error.contains("line 2"),
        "{}",
        poison.error
    );
    assert_eq!(status.checkpoint, 2);
    // The other projection runs on.
    assert_eq!(
        runtime.projection("CartSummary").map(|p| p.state).ok(),
        Some(ProjectionState::Live)
    );

    // Skipping records the event and moves on.
    let skipped = runtime.skip("ItemsAddedPerProduct").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(skipped.position, 2);
    runtime.run_until_idle();
    let status = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (status.state, status.skipped.len(), status.documents),
        (ProjectionState::Live, 1, 2)
    );
    assert!(runtime.skip("ItemsAddedPerProduct").is_err(), "nothing to skip now");

    // A fixed handler resumes at the poison event.
    fill_cart(&mut runtime, 2, 2); // p-1 again at position 6
    runtime.run_until_idle();
    assert_eq!(
        runtime.projection("ItemsAddedPerProduct").map(|p| p.checkpoint).ok(),
        Some(6)
    );
    fragile.logic = eventarium::model::ProjectionLogic::Script(
        "fn on_ItemAdded(doc, event) { #{ count: (if doc == () { 0 } else { doc.count }) + 1 } }".to_owned(),
    );
    assert!(runtime.replace_projection(fragile).is_ok());
    runtime.run_until_idle();
    let status = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((status.state, status.lag), (ProjectionState::Live, 0));
    assert_eq!(
        runtime.document("ItemsAddedPerProduct", "p-1").ok().flatten(),
        Some(&json!({"count": 1}))
    );
}

#[test]
fn an_in_place_rebuild_shows_progress_and_ends_equal() {
    let mut runtime = cart_runtime();
    for n in 1..=5 {
        fill_cart(&mut runtime, n, 4);
    }
    runtime.run_until_idle();
    let before = runtime.documents("CartSummary").cloned().unwrap_or_default();
    let progress = runtime.rebuild("CartSummary").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((progress.processed, progress.total), (0, 25));
    assert_eq!(runtime.documents("CartSummary").map(|d| d.len()).ok(), Some(0));
    runtime.step(10);
    let status = runtime.projection("CartSummary").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.state, ProjectionState::Rebuilding);
    assert_eq!(status.rebuild.map(|r| (r.processed, r.total)), Some((10, 25)));
    runtime.run_until_idle();
    let status = runtime.projection("CartSummary").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((status.state, status.rebuild), (ProjectionState::Live, None));
    assert_eq!(runtime.documents("CartSummary").ok(), Some(&before));
}

#[test]
fn blue_green_builds_beside_the_live_version_and_switches_under_the_lag_threshold() {
    let mut runtime = cart_runtime();
    for n in 1..=4 {
        fill_cart(&mut runtime, n, 5);
    }
    runtime.run_until_idle();
    let mut next = projection(&runtime, "ItemsAddedPerProduct");
    next.version = 2;
    next.logic = eventarium::model::ProjectionLogic::Template(eventarium::model::Template::SumByKey {
        field: "data.qty".to_owned(),
    });
    assert!(runtime.start_blue_green(next.clone(), 3).is_ok());
    assert!(
        runtime.start_blue_green(next.clone(), 3).is_err(),
        "one build at a time"
    );

    runtime.step(10);
    let status = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.version, 1, "version 1 stays live while 2 builds");
    let building = status.blue_green.unwrap_or_else(|| panic!("no build"));
    assert_eq!((building.version, building.checkpoint, building.lag), (2, 10, 14));
    // Version 1 keeps answering and keeps following new events.
    fill_cart(&mut runtime, 5, 1);
    runtime.step(10);
    assert_eq!(
        runtime.document("ItemsAddedPerProduct", "p-0").ok().flatten(),
        Some(&json!({"count": 5}))
    );

    let report = runtime.step(10);
    assert_eq!(report.switched, ["ItemsAddedPerProduct"]);
    let status = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((status.version, status.lag, status.blue_green), (2, 0, None));
    assert_eq!(
        runtime.model().projection("ItemsAddedPerProduct").map(|p| p.version),
        Some(2)
    );
    let switched = runtime.documents("ItemsAddedPerProduct").cloned().unwrap_or_default();
    runtime
        .rebuild("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    runtime.run_until_idle();
    assert_eq!(
        runtime.documents("ItemsAddedPerProduct").ok(),
        Some(&switched),
        "equal to an in-place rebuild"
    );
    assert_eq!(
        switched.get("p-1"),
        Some(&json!({"sum": 8})),
        "four carts added p-1 with qty 2"
    );

    let mut stale = projection(&runtime, "ItemsAddedPerProduct");
    stale.version = 2;
    assert!(runtime.start_blue_green(stale, 0).is_err(), "the version must go up");
}

#[test]
fn stored_events_keep_their_version_and_every_read_upcasts() {
    let mut runtime = cart_runtime();
    run(
        &mut runtime,
        "OpenCart",
        "cart-1",
        json!({"cartId": "1", "customerId": "c"}),
    );
    // An ItemAdded written before the schema's version 2: `sku`, no currency.
    let old = NewEvent::new(
        "ItemAdded",
        json!({"cartId": "1", "sku": "old", "qty": 2, "unitPrice": 3}),
    );
    let appended = runtime
        .store_mut()
        .append("cart-1", ExpectedRevision::Exact(0), vec![old.with_schema_version(1)]);
    assert!(appended.is_ok(), "{appended:?}");
    let (raw, upcast) = runtime.event_views(1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((raw.schema_version, raw.data["sku"].as_str()), (1, Some("old")));
    assert_eq!(upcast.len(), 1);
    assert_eq!(
        (upcast[0].schema_version, upcast[0].data["productId"].as_str()),
        (2, Some("old"))
    );
    assert_eq!(
        runtime
            .store()
            .read(Source::All, 1, 1, Direction::Forwards)
            .map(|e| e[0].schema_version)
            .ok(),
        Some(1)
    );
    // The decider folds the upcast event: removing the old line works.
    run(
        &mut runtime,
        "RemoveItem",
        "cart-1",
        json!({"cartId": "1", "productId": "old", "qty": 2}),
    );
    runtime.run_until_idle();
    assert_eq!(
        runtime.document("ItemsAddedPerProduct", "old").ok().flatten(),
        Some(&json!({"count": 1}))
    );
    assert!(runtime.event_views(99).is_err());
}

#[test]
fn time_travel_shows_the_past_without_touching_the_present() {
    let mut runtime = cart_runtime();
    fill_cart(&mut runtime, 1, 3); // 0 opened, 1..=3 items
    runtime.run_until_idle();
    let now = runtime.documents("CartSummary").cloned().unwrap_or_default();

    let at_head = runtime
        .documents_at("CartSummary", runtime.head() - 1)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(at_head, now);
    let early = runtime.documents_at("CartSummary", 1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        early["1"]["lines"].as_object().map(|l| l.len()),
        Some(1),
        "{}",
        early["1"]
    );

    let state_then = runtime.stream_state_at("cart-1", 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(state_then["status"], json!("open"));
    assert_eq!(state_then["items"], json!({}));
    let state_now = runtime
        .stream_state_at("cart-1", u64::MAX)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(state_now["items"].as_object().map(|i| i.len()), Some(3));
    assert_eq!(
        runtime.documents("CartSummary").ok(),
        Some(&now),
        "the present is untouched"
    );
    assert!(runtime.stream_state_at("nobody-1", 0).is_err());
}

#[test]
fn a_stream_folded_once_folds_only_what_came_since_and_starts_over_when_its_start_moves() {
    let mut runtime = cart_runtime();
    fill_cart(&mut runtime, 1, 2); // revisions 0..=2, folded by the commands that wrote them
                                   // An event appended behind the runtime's back is folded on the next command.
    let extra = NewEvent::new(
        "ItemAdded",
        json!({"cartId": "1", "productId": "x", "qty": 4, "unitPrice": 1}),
    );
    let appended = runtime
        .store_mut()
        .append("cart-1", ExpectedRevision::Exact(2), vec![extra.with_schema_version(2)]);
    assert!(appended.is_ok(), "{appended:?}");
    run(
        &mut runtime,
        "RemoveItem",
        "cart-1",
        json!({"cartId": "1", "productId": "x", "qty": 4}),
    );
    let refused = runtime.execute(&request(
        "RemoveItem",
        "cart-1",
        json!({"cartId": "1", "productId": "x", "qty": 1}),
    ));
    match refused.map(|e| e.decision.outcome) {
        Ok(eventarium::sim::decider::Outcome::Rejected(r)) => assert_eq!(r.message, "item is not in the cart"),
        other => panic!("expected a rejection, got {other:?}"),
    }
    // Truncating the stream moves its first visible event: the state is folded again from there,
    // so the cart no longer looks opened, as a fresh fold of what is readable says.
    let truncated = runtime.store_mut().set_stream_metadata(
        "cart-1",
        eventarium::store::StreamMetadata {
            truncate_before: Some(1),
            ..Default::default()
        },
    );
    assert!(truncated.is_ok(), "{truncated:?}");
    let after = runtime.execute(&request(
        "AddItem",
        "cart-1",
        json!({"cartId": "1", "productId": "y", "qty": 1, "unitPrice": 1}),
    ));
    match after.map(|e| e.decision.outcome) {
        Ok(eventarium::sim::decider::Outcome::Rejected(r)) => assert_eq!(r.message, "cart is not open"),
        other => panic!("expected the refolded state to refuse, got {other:?}"),
    }
    // The fresh fold: the readable events as a spec's given, the same command.
    let readable = [
        event("cart-1", "ItemAdded", item("p-0", 1, 100)),
        event("cart-1", "ItemAdded", item("p-1", 2, 101)),
        event("cart-1", "ItemAdded", item("x", 4, 1)),
        event(
            "cart-1",
            "ItemRemoved",
            json!({"cartId": "1", "productId": "x", "qty": 4}),
        ),
    ];
    given(runtime.model(), readable)
        .when(
            "cart-1",
            "AddItem",
            json!({"cartId": "1", "productId": "y", "qty": 1, "unitPrice": 1}),
        )
        .then_rejected("cart is not open");
}

#[test]
fn an_endless_loop_in_a_handler_is_located_by_line() {
    let mut runtime = cart_runtime();
    let mut looping = projection(&runtime, "ItemsAddedPerProduct");
    looping.logic =
        eventarium::model::ProjectionLogic::Script("fn on_ItemAdded(doc, event) {\n  loop { }\n}".to_owned());
    assert!(runtime.replace_projection(looping).is_ok());
    fill_cart(&mut runtime, 1, 1);
    runtime.run_until_idle();
    let poison = runtime.projection("ItemsAddedPerProduct").ok().and_then(|p| p.poison);
    let error = poison.map(|p| p.error).unwrap_or_default();
    assert!(error.contains("operations") && error.contains("line 2"), "{error}");
}

#[test]
fn a_projection_can_read_another_read_model_and_leaves_it_intact() {
    let mut scenario = built_in::cart();
    let reader: Projection = serde_json::from_value(json!({
        "name": "CustomerCarts",
        "lifecycle": "async",
        "source": {"eventTypes": ["ItemAdded"]},
        "key": "data.cartId",
        "logic": {"script": "fn on_ItemAdded(doc, event) {\n  let cart = read_model(\"CartSummary\", event.data.cartId);\n  #{ customer: cart.customerId, missing: read_model(\"Nothing\", \"x\") == () }\n}"},
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    scenario.model.projections.push(reader);
    let mut runtime = built_in::runtime(&scenario);
    fill_cart(&mut runtime, 1, 2);
    let summary_before = runtime.documents("CartSummary").cloned().unwrap_or_default();
    runtime.run_until_idle();
    assert_eq!(
        runtime.document("CustomerCarts", "1").ok().flatten(),
        Some(&json!({"customer": "c-1", "missing": true})),
        "the reader saw CartSummary's document"
    );
    assert_eq!(
        runtime.documents("CartSummary").ok(),
        Some(&summary_before),
        "the documents lent to the reader came back"
    );
    let findings = eventarium::lint::lint(
        runtime.model(),
        runtime.store(),
        &eventarium::lint::Thresholds::default(),
    );
    assert!(
        findings
            .iter()
            .any(|f| f.id == "projection-reads-read-model:projection CustomerCarts"
                && f.message.contains("CartSummary, Nothing (no such projection)")),
        "{findings:#?}"
    );
}

#[test]
fn a_changed_model_keeps_unchanged_read_models_and_rebuilds_changed_ones() {
    let mut runtime = cart_runtime();
    fill_cart(&mut runtime, 1, 2);
    runtime.run_until_idle();
    let mut model = runtime.model().clone();
    let Some(per_product) = model.projections.iter_mut().find(|p| p.name == "ItemsAddedPerProduct") else {
        panic!("no ItemsAddedPerProduct");
    };
    per_product.key = "data.cartId".to_owned();
    runtime.set_model(model);
    let summary = runtime.projection("CartSummary").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((summary.lag, summary.documents), (0, 1), "unchanged: kept as it was");
    let changed = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((changed.checkpoint, changed.documents), (0, 0), "changed: starts again");
    runtime.run_until_idle();
    assert_eq!(
        runtime.document("ItemsAddedPerProduct", "1").ok().flatten(),
        Some(&json!({"count": 2})),
        "rebuilt with the new key"
    );
    // Commands run with the new model, and a decider change is folded afresh.
    let mut model = runtime.model().clone();
    if let Some(cart) = model.stream_types.iter_mut().find(|s| s.name == "Cart") {
        cart.script = cart.script.replace("cart already opened", "this cart is open already");
    }
    runtime.set_model(model);
    let again = runtime.execute(&request(
        "OpenCart",
        "cart-1",
        json!({"cartId": "1", "customerId": "c-1"}),
    ));
    let rejection = again
        .map(|e| format!("{:?}", e.decision.outcome))
        .unwrap_or_else(|e| e.to_string());
    assert!(rejection.contains("this cart is open already"), "{rejection}");
}

#[test]
fn a_model_with_a_fixed_handler_resumes_a_stopped_projection_at_its_poison_event() {
    let mut runtime = cart_runtime();
    let mut model = runtime.model().clone();
    let Some(fragile) = model.projections.iter_mut().find(|p| p.name == "ItemsAddedPerProduct") else {
        panic!("no ItemsAddedPerProduct");
    };
    fragile.logic = eventarium::model::ProjectionLogic::Script(
        "fn on_ItemAdded(doc, event) {\n  if event.data.productId == \"p-1\" { throw \"cannot count p-1\"; }\n  #{ count: (if doc == () { 0 } else { doc.count }) + 1 }\n}"
            .to_owned(),
    );
    runtime.set_model(model.clone());
    fill_cart(&mut runtime, 1, 3);
    runtime.run_until_idle();
    let stopped = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (stopped.state, stopped.checkpoint, stopped.documents),
        (ProjectionState::Stopped, 2, 1)
    );
    // The same model again changes nothing: still stopped there.
    runtime.set_model(model.clone());
    assert_eq!(
        runtime.projection("ItemsAddedPerProduct").map(|p| p.state).ok(),
        Some(ProjectionState::Stopped)
    );
    if let Some(fixed) = model.projections.iter_mut().find(|p| p.name == "ItemsAddedPerProduct") {
        fixed.logic = eventarium::model::ProjectionLogic::Script(
            "fn on_ItemAdded(doc, event) { #{ count: (if doc == () { 0 } else { doc.count }) + 1 } }".to_owned(),
        );
    }
    runtime.set_model(model);
    let resumed = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (resumed.checkpoint, resumed.documents),
        (2, 1),
        "kept its documents, resumes at the poison event"
    );
    runtime.run_until_idle();
    let live = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((live.state, live.documents), (ProjectionState::Live, 3));
}

#[test]
fn a_held_blue_green_build_runs_beside_the_live_version_until_switched() {
    let mut runtime = cart_runtime();
    fill_cart(&mut runtime, 1, 3);
    runtime.run_until_idle();
    let mut next = projection(&runtime, "ItemsAddedPerProduct");
    next.version = 2;
    next.key = "data.cartId".to_owned();
    let started = runtime.start_blue_green_held(next).unwrap_or_else(|e| panic!("{e}"));
    assert!(started.held);
    runtime.run_until_idle();
    let both = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    let build = both.blue_green.clone().unwrap_or_else(|| panic!("no build"));
    assert_eq!(
        (both.version, build.version, build.lag, build.documents),
        (1, 2, 0, 1),
        "caught up, not switched"
    );
    fill_cart(&mut runtime, 2, 1);
    runtime
        .switch_blue_green("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    let switched = runtime
        .projection("ItemsAddedPerProduct")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (switched.version, switched.lag, switched.documents),
        (2, 0, 2),
        "switched with nothing lost"
    );
    assert!(switched.blue_green.is_none());
    assert_eq!(
        runtime.model().projection("ItemsAddedPerProduct").map(|p| p.version),
        Some(2)
    );
    assert!(
        runtime.switch_blue_green("ItemsAddedPerProduct").is_err(),
        "nothing left to switch"
    );
}
