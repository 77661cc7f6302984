//! A system of modules through `sim::system::Services`: publishing (dual write, outbox, change
//! data capture), the broker's faults, the inbox, retries and parking, process managers with
//! timeouts and compensation, external systems, and traces.

mod support;

use eventarium::sim::system::{ModuleCommand, Services};
use serde_json::json;
use support::system::{invoices, place, start, system, with_checkout};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn a_published_order_is_invoiced_in_another_module_and_traced() {
    let mut services = start(system("dualWrite", json!({}), false));
    place(&mut services, 1, 40);
    services.run_until_idle();
    assert_eq!(invoices(&services, 1), 1);
    let trace = services.trace(&services.correlations()[0].clone());
    let kinds: Vec<&str> = trace.nodes.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds, ["command", "event", "message", "delivery", "command", "event"]);
    let modules: Vec<&str> = trace.nodes.iter().map(|n| n.module.as_str()).collect();
    assert_eq!(modules, ["orders", "orders", "orders", "billing", "billing", "billing"]);
    assert_eq!(trace.edges.len(), 5, "a chain: {:?}", trace.edges);
    let message = &services.messages()[0];
    assert_eq!(
        message.data["status"], "placed",
        "the translation saw the state as of the event"
    );
}

#[test]
fn each_translation_sees_the_stream_as_of_its_own_event() {
    // Placing an order pays it at once: two events in one append, then a cancellation.
    let mut document = system("dualWrite", json!({}), false);
    let model = &mut document["model"]["streamTypes"][0];
    let script = model["script"].as_str().unwrap().replace(
        "[#{ type: \"OrderPlaced\", data: #{ orderId: d.orderId, total: d.total } }]",
        "[#{ type: \"OrderPlaced\", data: #{ orderId: d.orderId, total: d.total } }, #{ type: \"OrderPaid\", data: #{ orderId: d.orderId } }]",
    );
    model["script"] = json!(script.replace(
        "\"CancelOrder\" => { if state.status != \"placed\"",
        "\"CancelOrder\" => { if state.status != \"paid\""
    ));
    let orders = &mut document["system"]["modules"][0];
    orders["translations"][0]["on"] = json!(["OrderPlaced", "OrderPaid", "OrderCancelled"]);
    orders["translations"][0]["script"] = json!(
        "fn translate(event, state) { [#{ type: \"OrderSubmitted\", data: #{ orderId: event.type, total: 0, status: state.status } }] }"
    );
    let mut services = start(document);
    for order in 1..=3 {
        place(&mut services, order, 40);
    }
    services
        .execute(&ModuleCommand {
            command: "CancelOrder".into(),
            stream_id: "order-2".into(),
            data: json!({ "orderId": "2" }),
            ..ModuleCommand::default()
        })
        .unwrap();
    let seen: Vec<(String, String)> = services
        .messages()
        .iter()
        .map(|m| {
            (
                m.data["orderId"].as_str().unwrap().to_owned(),
                m.data["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = |event: &str, status: &str| (event.to_owned(), status.to_owned());
    let placed_and_paid = [expected("OrderPlaced", "placed"), expected("OrderPaid", "paid")];
    let mut want: Vec<(String, String)> = placed_and_paid.iter().cycle().take(6).cloned().collect();
    want.push(expected("OrderCancelled", "cancelled"));
    assert_eq!(seen, want);
}

#[test]
fn a_message_that_breaks_its_contract_is_not_published_and_says_why() {
    let mut document = system("dualWrite", json!({}), false);
    document["system"]["modules"][0]["translations"][0]["script"] = json!(
        "fn translate(event, state) { [#{ type: \"OrderSubmitted\", data: #{ orderId: event.data.orderId, total: \"forty\" } }] }"
    );
    let mut services = start(document);
    place(&mut services, 1, 40);
    services.run_until_idle();
    assert!(services.messages().is_empty(), "{:?}", services.messages());
    assert_eq!(invoices(&services, 1), 0);
    let errors = services.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (owner, message, correlation) = &errors[0];
    assert_eq!(owner, "contract OrderSubmitted");
    assert!(
        message.contains("\"total\"") && message.contains("expected int"),
        "{message}"
    );
    assert_eq!(correlation.as_str(), &*services.correlations()[0]);
}

#[test]
fn a_duplicate_delivery_is_applied_twice_without_an_inbox_and_once_with_one() {
    for (inbox, expected) in [(false, 2), (true, 1)] {
        let mut services = start(system("dualWrite", json!({ "duplicate": 1.0 }), inbox));
        place(&mut services, 1, 40);
        services.run_until_idle();
        assert_eq!(invoices(&services, 1), expected, "inbox {inbox}");
        let stats = &services.message_stats()[0];
        assert_eq!(
            (stats.published, stats.delivered, stats.duplicates_delivered),
            (1, 2, 1)
        );
        assert_eq!(stats.duplicates_dropped, u64::from(inbox));
    }
}

#[test]
fn a_dual_write_loses_what_a_crash_interrupts_and_an_outbox_does_not() {
    let mut dual = start(system("dualWrite", json!({ "publisherCrash": 1.0 }), true));
    place(&mut dual, 1, 40);
    dual.run_until_idle();
    assert_eq!(invoices(&dual, 1), 0);
    assert_eq!(dual.message_stats()[0].lost, 1);
    assert!(dual.messages()[0].lost);

    let mut outbox = start(system("outbox", json!({ "publisherCrash": 1.0 }), true));
    place(&mut outbox, 1, 40);
    assert_eq!(
        outbox.outbox("orders").unwrap()[0].relayed_ms,
        None,
        "relayed when the clock runs"
    );
    outbox.run_until_idle();
    assert_eq!(
        invoices(&outbox, 1),
        1,
        "the relay's crashes publish again; the inbox drops them"
    );
    let stats = &outbox.message_stats()[0];
    assert_eq!((stats.lost, stats.published), (0, 1));
    assert!(stats.republished > 0 && stats.duplicates_dropped == stats.republished);
    assert!(outbox.outbox("orders").unwrap()[0].relayed_ms.is_some());
}

#[test]
fn a_failing_message_is_retried_then_parked_then_replayed_or_skipped() {
    let mut services = start(system("dualWrite", json!({}), true));
    place(&mut services, 1, 5000);
    services.run(150).unwrap();
    assert_eq!(services.parked("BillOrders").unwrap().len(), 0, "still retrying");
    services.run_until_idle();
    let parked = services.parked("BillOrders").unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].attempts, 3, "the first delivery and two retries");
    assert!(parked[0].error.contains("too much"), "{}", parked[0].error);
    let deliveries = services.deliveries(Some("BillOrders")).unwrap();
    let at: Vec<i64> = deliveries.iter().map(|d| d.at_ms).collect();
    assert_eq!(at, [0, 100, 300], "backoff 100 ms, doubling");
    assert_eq!(services.message_stats()[0].parked, 1);

    let id = parked[0].message.id.clone();
    assert_eq!(services.replay_parked("BillOrders", Some(&id)).unwrap(), 1);
    services.run_until_idle();
    assert_eq!(
        services.parked("BillOrders").unwrap().len(),
        1,
        "it fails again and is parked again: {:?}",
        services.deliveries(None)
    );
    services.skip_parked("BillOrders", &id).unwrap();
    assert!(services.parked("BillOrders").unwrap().is_empty());
    assert!(services.skip_parked("BillOrders", &id).is_err());
}

#[test]
fn the_checkpoint_waits_for_a_retried_message_and_passes_it_once_parked() {
    let mut services = start(system("dualWrite", json!({}), true));
    place(&mut services, 1, 5000);
    place(&mut services, 2, 40);
    services.run(150).unwrap();
    assert_eq!(invoices(&services, 2), 1, "the message behind it is handled");
    let consumer = |services: &Services| {
        services
            .subscribers()
            .into_iter()
            .find(|s| s.name == "BillOrders")
            .unwrap()
    };
    let held_back = consumer(&services);
    assert_eq!(
        (held_back.checkpoint, held_back.pending),
        (0, 2),
        "order 1 is still being retried"
    );
    assert_eq!(held_back.checkpoint_message_id, None);
    services.run_until_idle();
    let passed = consumer(&services);
    assert_eq!((passed.checkpoint, passed.pending, passed.parked), (2, 0, 1));
    assert_eq!(
        passed.checkpoint_message_id.as_deref(),
        Some(services.messages()[1].id.as_str())
    );
}

#[test]
fn a_broker_outage_holds_deliveries_until_it_ends() {
    let faults = json!({ "outages": [{ "fromMs": 0, "toMs": 5000 }] });
    let mut services = start(system("dualWrite", faults, true));
    place(&mut services, 1, 40);
    services.run(4999).unwrap();
    assert_eq!(invoices(&services, 1), 0);
    assert_eq!(services.message_stats()[0].in_flight, 1);
    services.run(1).unwrap();
    assert_eq!(invoices(&services, 1), 1);
}

#[test]
fn a_state_stored_module_publishes_its_row_changes_by_change_data_capture() {
    let mut services = start(system("dualWrite", json!({}), true));
    let register = |services: &mut Services| {
        services.execute(&ModuleCommand {
            module: "users".into(),
            command: "RegisterUser".into(),
            stream_id: "u-1".into(),
            data: json!({ "name": "Ada" }),
            ..ModuleCommand::default()
        })
    };
    assert!(register(&mut services).unwrap().accepted);
    let again = register(&mut services).unwrap();
    assert_eq!(again.rejection.as_deref(), Some("already registered"));
    assert_eq!(
        services.rows("users", "users").unwrap()["u-1"],
        json!({ "name": "Ada" })
    );
    services.run_until_idle();
    let messages = services.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(&*messages[0].topic, "UserRegistered");
    assert_eq!(messages[0].data, json!({ "userId": "u-1", "name": "Ada" }));
}

#[test]
fn the_run_is_the_same_whatever_the_step_sizes() {
    let faults = json!({ "duplicate": 0.3, "delayMs": 5, "reorderWindowMs": 200, "consumerCrash": 0.2,
        "publisherCrash": 0.2, "outages": [{ "fromMs": 100, "toMs": 400 }] });
    let run = |steps: &[u64]| {
        let mut services = start(system("outbox", faults.clone(), false));
        for order in 1..=20 {
            place(&mut services, order, i64::from(order) * 10);
            for &step in steps {
                services.run(step).unwrap();
            }
        }
        services.run_until_idle();
        (
            services.message_stats(),
            services.deliveries(None).unwrap(),
            services.runtime("billing").unwrap().store().export_json(),
        )
    };
    let coarse = run(&[120]);
    let fine = run(&[1; 120]);
    let mixed = run(&[7, 50, 63]);
    assert_eq!(coarse, fine);
    assert_eq!(coarse, mixed);
}

fn order_events(services: &Services, order: u32) -> Vec<String> {
    services
        .runtime("orders")
        .unwrap()
        .store()
        .read_stream(
            &format!("order-{order}"),
            0,
            usize::MAX,
            eventarium::store::Direction::Forwards,
        )
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.event_type)
        .collect()
}

#[test]
fn a_process_pays_an_order_and_cancels_its_deadline() {
    let mut services = start(with_checkout(system("dualWrite", json!({}), true), true, 0.0));
    place(&mut services, 1, 40);
    services.run(100).unwrap();
    let instances = services.instances("Checkout").unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].pending_timeouts[0].name, "PaymentDeadline");
    assert_eq!(instances[0].pending_timeouts[0].due_ms, 1000);
    services.run_until_idle();
    assert_eq!(order_events(&services, 1), ["OrderPlaced", "OrderPaid"]);
    let instance = &services.instances("Checkout").unwrap()[0];
    assert!(instance.done && instance.pending_timeouts.is_empty());
    assert_eq!(instance.state["last"], "GatewayCharged");
    let stream = services.process_stream("Checkout", "1").unwrap();
    assert_eq!(
        stream,
        ["OrderSubmitted", "GatewayCharged"],
        "the inputs are the instance's stream"
    );
    assert_eq!(services.now(), 200, "the cancelled deadline never fired");
}

#[test]
fn a_deadline_fires_and_the_process_compensates_its_steps() {
    // The gateway answers after the deadline.
    let mut document = with_checkout(system("dualWrite", json!({}), true), true, 0.0);
    document["system"]["externals"][0]["latencyMs"] = json!(5000);
    let mut services = start(document);
    place(&mut services, 1, 40);
    services.run(999).unwrap();
    assert_eq!(order_events(&services, 1), ["OrderPlaced"]);
    services.run(1).unwrap();
    assert_eq!(order_events(&services, 1), ["OrderPlaced", "OrderCancelled"]);
    assert_eq!(invoices(&services, 1), 2, "issued, then voided");
    let instance = &services.instances("Checkout").unwrap()[0];
    assert!(instance.done && instance.compensated);
    services.run_until_idle();
    assert_eq!(
        order_events(&services, 1),
        ["OrderPlaced", "OrderCancelled"],
        "the late answer reaches a finished instance, which ignores it"
    );
    let trace = services.trace(&services.correlations()[0].clone());
    assert!(trace
        .nodes
        .iter()
        .any(|n| n.kind == "timeout" && n.label.contains("fired")));
}

#[test]
fn an_idempotency_key_keeps_a_repeated_charge_from_charging_twice() {
    for (keys, effects) in [(true, 1), (false, 2)] {
        let mut document = with_checkout(system("dualWrite", json!({ "duplicate": 1.0 }), false), keys, 0.0);
        document["system"]["processes"][0]["topics"] = json!(["OrderSubmitted"]);
        let mut services = start(document);
        place(&mut services, 1, 40);
        services.run_until_idle();
        let gateway = &services.externals()[0];
        assert_eq!(
            (gateway.calls, gateway.effects),
            (2, effects),
            "idempotency keys {keys}"
        );
    }
}

#[test]
fn a_consumer_crash_before_the_ack_redelivers_what_took_effect() {
    // Each handling without an inbox invoices again: three crashes and the handling that sticks.
    for (inbox, expected) in [(false, 4), (true, 1)] {
        let mut document = system("dualWrite", json!({}), inbox);
        document["system"]["consumers"][0]["faults"] = json!({ "consumerCrash": 1.0 });
        let mut services = start(document);
        place(&mut services, 1, 40);
        services.run_until_idle();
        let deliveries = services.deliveries(Some("BillOrders")).unwrap();
        let outcomes: Vec<&str> = deliveries.iter().map(|d| d.outcome).collect();
        if inbox {
            assert_eq!(outcomes, ["crashed", "dropped"], "the inbox remembers what was done");
        } else {
            // The consumer recovers after three crashes of the same message.
            assert_eq!(outcomes, ["crashed", "crashed", "crashed", "handled"]);
        }
        assert_eq!(invoices(&services, 1), expected, "inbox {inbox}");
        assert_eq!(
            services.message_stats()[0].crashed,
            outcomes.iter().filter(|o| **o == "crashed").count() as u64
        );
    }
}

#[test]
fn deliveries_within_the_reorder_window_overtake_each_other() {
    let faults = json!({ "reorderWindowMs": 1000 });
    let mut services = start(system("dualWrite", faults, true));
    for order in 1..=20 {
        place(&mut services, order, 10);
    }
    services.run_until_idle();
    let handled: Vec<String> = services
        .deliveries(Some("BillOrders"))
        .unwrap()
        .iter()
        .map(|d| d.message_id.clone())
        .collect();
    let published: Vec<String> = services.messages().iter().map(|m| m.id.clone()).collect();
    assert_eq!(handled.len(), 20);
    assert_ne!(handled, published, "some overtook others");
    let mut sorted = handled.clone();
    sorted.sort_by_key(|id| published.iter().position(|p| p == id));
    assert_eq!(sorted, published, "each delivered once");

    let mut in_order = start(system("dualWrite", json!({ "delayMs": 50 }), true));
    for order in 1..=20 {
        place(&mut in_order, order, 10);
    }
    in_order.run_until_idle();
    let handled: Vec<String> = in_order
        .deliveries(Some("BillOrders"))
        .unwrap()
        .iter()
        .map(|d| d.message_id.clone())
        .collect();
    assert_eq!(handled, published, "a fixed delay keeps the order");
}
