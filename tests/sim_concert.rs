//! The built-in concert-ticketing system (`static/scenarios/concert-ticketing.eventarium.json`)
//! run through `sim::system::Services`: a purchase from the cart to the emailed tickets, then each
//! flaw of that first production deployment, shown by switching its fault on in the document.

mod support;

use serde_json::{json, Value};
use support::built_in;
use support::concert::{
    check_out, document, entry, events, external, golden_circle, instance, invoices, open_sales, parked, patch, pay,
    read_model, send, start, tickets, types, CONCERT, DAY_MS, GOLD,
};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn the_scenario_is_seven_modules_around_the_cart_with_two_external_systems() {
    use eventarium::model::{ModuleKind, Publishing};
    let scenario = built_in::scenario(CONCERT);
    let system = scenario.system.expect("a system");
    assert_eq!(system.main, "carts");
    let modules: Vec<(&str, ModuleKind, Publishing)> = system
        .modules
        .iter()
        .map(|m| (m.name.as_str(), m.kind, m.publishing))
        .collect();
    assert_eq!(
        modules,
        [
            ("carts", ModuleKind::EventSourced, Publishing::DualWrite),
            ("concerts", ModuleKind::EventSourced, Publishing::Outbox),
            ("reservations", ModuleKind::EventSourced, Publishing::DualWrite),
            ("orders", ModuleKind::EventSourced, Publishing::DualWrite),
            ("payments", ModuleKind::EventSourced, Publishing::DualWrite),
            ("tickets", ModuleKind::EventSourced, Publishing::DualWrite),
            ("users", ModuleKind::StateStored, Publishing::ChangeDataCapture),
        ]
    );
    let gateway = system.external("PaymentGateway").expect("a payment gateway");
    assert!(!gateway.idempotency_keys && gateway.failure_rate > 0.0);
    assert!(system.external("EmailProvider").is_some());
    let workflow = system.process("OrderFulfilment").expect("the order workflow");
    assert!(workflow.timeouts.is_empty() && workflow.compensations.is_empty());
    let with_inbox: Vec<&str> = system
        .consumers
        .iter()
        .filter(|c| c.inbox)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(with_inbox, ["MirrorConcerts"], "only one consumer has an inbox");
    let issue = system.consumer("IssueTickets").expect("a ticket consumer");
    assert_eq!(
        issue.topics,
        ["orders.OrderUpdated"],
        "it reads another module's private events"
    );
}

#[test]
fn a_purchase_goes_from_the_cart_to_tickets_in_the_customers_inbox() {
    let mut services = start(&document());
    open_sales(&mut services);
    assert_eq!(golden_circle(&services), [0, 4], "the concert's seating opened");
    assert_eq!(types(&services, "", "shopper-u-1"), ["ShopperRegistered"]);

    let correlation = check_out(&mut services, "k1", "u-1", 2);
    assert_eq!(types(&services, "payments", "payment-k1"), ["PaymentRequested"]);
    pay(&mut services, "k1", &correlation);

    assert_eq!(read_model(&services, "", "CartContents", "k1")["status"], "confirmed");
    let order = read_model(&services, "orders", "OrderStatus", "k1");
    assert_eq!(
        (order["status"].as_str(), order["total"].as_i64()),
        (Some("paid"), Some(2 * GOLD))
    );
    assert_eq!(golden_circle(&services), [2, 2]);
    assert_eq!(
        types(&services, "payments", "payment-k1"),
        ["PaymentRequested", "PaymentSubmitted", "PaymentCaptured"]
    );
    assert_eq!(invoices(&services, "k1"), [json!("INV-k1-1")]);
    assert_eq!(tickets(&services, "k1"), ["T-k1-1", "T-k1-2"]);
    assert_eq!(
        types(&services, "tickets", "tickets-k1"),
        ["TicketsIssued", "TicketsEmailed"]
    );
    for name in ["PaymentGateway", "EmailProvider"] {
        let row = external(&services, name);
        assert_eq!((row.calls, row.effects, row.failures), (1, 1, 0), "{name}");
    }
    let workflow = instance(&services, "k1").expect("an instance for the order");
    assert!(workflow.done && !workflow.compensated, "{workflow:?}");
    assert_eq!(workflow.steps, ["ReserveSeats", "RequestPayment", "UpdateOrder"]);
    assert!(parked(&services).is_empty(), "{:?}", parked(&services));
    assert!(services.errors().is_empty(), "{:?}", services.errors());
    assert!(services.is_idle());

    let trace = services.trace(&correlation);
    let mut modules: Vec<&str> = trace.nodes.iter().map(|n| n.module.as_str()).collect();
    modules.sort_unstable();
    modules.dedup();
    for module in [
        "carts",
        "orders",
        "reservations",
        "payments",
        "tickets",
        "PaymentGateway",
        "EmailProvider",
    ] {
        assert!(modules.contains(&module), "{module} is not in the trace: {modules:?}");
    }
    let roots: Vec<&str> = trace
        .nodes
        .iter()
        .filter(|n| !trace.edges.iter().any(|e| e.to == n.id))
        .map(|n| n.label.as_str())
        .collect();
    assert_eq!(
        roots,
        ["ConfirmCart → cart-k1", "SubmitPayment → payment-k1"],
        "everything else has a cause"
    );
}

#[test]
fn a_duplicate_delivery_issues_a_second_batch_of_tickets_and_a_second_invoice() {
    for inbox in [false, true] {
        let mut document = document();
        for consumer in ["IssueTickets", "IssueInvoices"] {
            let consumer = entry(&mut document, "consumers", consumer);
            consumer["faults"] = json!({ "duplicate": 1.0 });
            consumer["inbox"] = json!(inbox);
        }
        let mut services = start(&document);
        open_sales(&mut services);
        let correlation = check_out(&mut services, "k1", "u-1", 2);
        pay(&mut services, "k1", &correlation);

        let (tickets, invoices) = (tickets(&services, "k1"), invoices(&services, "k1"));
        let emails = external(&services, "EmailProvider").effects;
        if inbox {
            assert_eq!((tickets.len(), invoices.len(), emails), (2, 1, 1), "inbox on");
        } else {
            assert_eq!(
                tickets,
                ["T-k1-1", "T-k1-2", "T-k1-3", "T-k1-4"],
                "two seats, four valid tickets"
            );
            assert_eq!(invoices, [json!("INV-k1-1"), json!("INV-k1-2")]);
            assert_eq!(emails, 2, "both batches were emailed");
        }
        assert_eq!(
            golden_circle(&services),
            [2, 2],
            "the seats are held once (inbox {inbox})"
        );
    }
}

#[test]
fn a_publisher_crash_between_saving_and_publishing_loses_the_order() {
    let mut document = document();
    entry(&mut document, "modules", "orders")["faults"] = json!({ "publisherCrash": 1.0 });
    let mut services = start(&document);
    open_sales(&mut services);
    check_out(&mut services, "k1", "u-1", 2);
    services.run(7 * DAY_MS).expect("the clock runs");

    assert_eq!(types(&services, "orders", "order-k1"), ["OrderPlaced"]);
    let lost: Vec<String> = services
        .messages()
        .iter()
        .filter(|m| m.lost)
        .map(|m| m.topic.to_string())
        .collect();
    assert_eq!(lost, ["OrderSubmitted"]);
    assert!(instance(&services, "k1").is_none(), "the workflow never heard of it");
    assert_eq!(golden_circle(&services), [0, 4], "no seats held");
    assert!(
        types(&services, "payments", "payment-k1").is_empty(),
        "no payment asked for"
    );
    assert_eq!(read_model(&services, "orders", "OrderStatus", "k1")["status"], "placed");

    // With an outbox the crashes publish the order again instead of losing it.
    entry(&mut document, "modules", "orders")["publishing"] = json!("outbox");
    let mut services = start(&document);
    open_sales(&mut services);
    check_out(&mut services, "k1", "u-1", 2);
    assert!(services.messages().iter().all(|m| !m.lost));
    assert_eq!(golden_circle(&services), [2, 2]);
    assert_eq!(types(&services, "payments", "payment-k1"), ["PaymentRequested"]);
}

#[test]
fn a_declined_payment_cancels_the_order_and_keeps_its_seats_for_ever() {
    let declined = |compensate: bool| {
        let mut document = document();
        entry(&mut document, "externals", "PaymentGateway")["failureRate"] = json!(1.0);
        if compensate {
            let workflow = entry(&mut document, "processes", "OrderFulfilment");
            workflow["compensations"] = json!([{ "step": "ReserveSeats", "undo": "ReleaseSeats" }]);
            patch(&mut workflow["script"], "compensate: false", "compensate: true");
        }
        let mut services = start(&document);
        open_sales(&mut services);
        let correlation = check_out(&mut services, "k1", "u-1", 3);
        pay(&mut services, "k1", &correlation);
        services.run(7 * DAY_MS).expect("the clock runs");
        // Another customer wants the last three seats of the golden circle.
        check_out(&mut services, "k2", "u-2", 3);
        services
    };

    let services = declined(false);
    let order = read_model(&services, "orders", "OrderStatus", "k1");
    assert_eq!(order["status"], "cancelled");
    assert_eq!(order["note"], "payment failed: declined by the payment gateway");
    let workflow = instance(&services, "k1").expect("an instance");
    assert!(workflow.done && !workflow.compensated, "{workflow:?}");
    assert_eq!(
        golden_circle(&services),
        [3, 1],
        "a week later the cancelled order still holds 3 seats"
    );
    let refused = read_model(&services, "orders", "OrderStatus", "k2");
    assert_eq!(refused["status"], "cancelled");
    assert_eq!(refused["note"], "no seats: only 1 left in goldenCircle");

    let services = declined(true);
    assert!(instance(&services, "k1").expect("an instance").compensated);
    assert_eq!(
        golden_circle(&services),
        [3, 1],
        "released, then held by the next order"
    );
    assert_eq!(
        types(&services, "reservations", "seats-warsaw")[1..],
        ["SeatsReserved", "SeatsReleased", "SeatsReserved"]
    );
    assert_eq!(read_model(&services, "orders", "OrderStatus", "k2")["status"], "placed");
}

#[test]
fn an_order_nobody_pays_for_holds_its_seats_for_ever() {
    let mut services = start(&document());
    open_sales(&mut services);
    check_out(&mut services, "k1", "u-1", 4);
    services.run(30 * DAY_MS).expect("the clock runs");

    let workflow = instance(&services, "k1").expect("an instance");
    assert_eq!(workflow.state["status"], "awaitingPayment");
    assert!(!workflow.done && workflow.pending_timeouts.is_empty(), "{workflow:?}");
    assert!(services.is_idle(), "nothing is scheduled that could end it");
    assert_eq!(
        golden_circle(&services),
        [4, 0],
        "the golden circle is sold out to nobody"
    );
    assert_eq!(read_model(&services, "orders", "OrderStatus", "k1")["status"], "placed");
    assert_eq!(types(&services, "payments", "payment-k1"), ["PaymentRequested"]);
}

#[test]
fn a_charge_delivered_twice_charges_the_card_twice_without_an_idempotency_key() {
    let run = |keys: bool| {
        let mut document = document();
        entry(&mut document, "consumers", "ChargeCards")["faults"] = json!({ "duplicate": 1.0 });
        if keys {
            entry(&mut document, "externals", "PaymentGateway")["idempotencyKeys"] = json!(true);
            let consumer = entry(&mut document, "consumers", "ChargeCards");
            patch(
                &mut consumer["logic"]["script"],
                "external: \"PaymentGateway\",",
                "external: \"PaymentGateway\", key: \"charge-\" + d.orderId,",
            );
        }
        let mut services = start(&document);
        open_sales(&mut services);
        let correlation = check_out(&mut services, "k1", "u-1", 2);
        pay(&mut services, "k1", &correlation);
        services
    };

    let services = run(false);
    let gateway = external(&services, "PaymentGateway");
    assert_eq!((gateway.calls, gateway.effects), (2, 2), "the card was charged twice");
    let captured: Vec<Value> = events(&services, "payments", "payment-k1")
        .into_iter()
        .filter(|(t, _)| t == "PaymentCaptured")
        .map(|(_, data)| data["amount"].clone())
        .collect();
    assert_eq!(captured, [json!(2 * GOLD)], "the books show one payment");
    assert_eq!(read_model(&services, "orders", "OrderStatus", "k1")["status"], "paid");

    let services = run(true);
    let gateway = external(&services, "PaymentGateway");
    assert_eq!(
        (gateway.calls, gateway.effects),
        (2, 1),
        "with a key the gateway charges once"
    );
}

#[test]
fn correcting_the_email_of_a_paid_order_issues_its_tickets_again() {
    let mut services = start(&document());
    open_sales(&mut services);
    let correlation = check_out(&mut services, "k1", "u-1", 2);
    pay(&mut services, "k1", &correlation);
    assert_eq!(tickets(&services, "k1").len(), 2);

    // Support fixes a typo in the address: UpdateOrder saves the whole order again, still paid.
    let (_, placed) = events(&services, "orders", "order-k1").remove(0);
    let mut corrected = placed.clone();
    corrected["email"] = json!("ada.lovelace@example.com");
    corrected["status"] = json!("paid");
    corrected["note"] = json!("support: email corrected");
    send(&mut services, "orders", "UpdateOrder", "order-k1", corrected);
    services.run_until_idle();

    assert_eq!(
        types(&services, "orders", "order-k1"),
        ["OrderPlaced", "OrderUpdated", "OrderUpdated"],
        "the history does not say a payment and a correction apart"
    );
    assert_eq!(tickets(&services, "k1"), ["T-k1-1", "T-k1-2", "T-k1-3", "T-k1-4"]);
    assert_eq!(external(&services, "EmailProvider").effects, 2);
    assert_eq!(invoices(&services, "k1").len(), 1, "payments did not hear of it");
}

#[test]
fn a_field_renamed_in_a_private_event_silently_stops_the_tickets() {
    let mut document = document();
    let orders = entry(&mut document, "modules", "orders");
    let model = &mut orders["model"];
    let updated = model["eventTypes"]
        .as_array_mut()
        .and_then(|types| types.iter_mut().find(|t| t["name"] == "OrderUpdated"))
        .expect("OrderUpdated");
    let mut v2 = updated["versions"][0].clone();
    v2["version"] = json!(2);
    v2["description"] = json!("status became orderStatus");
    for field in v2["fields"].as_array_mut().expect("fields") {
        if field["name"] == "status" {
            field["name"] = json!("orderStatus");
            field["renamedFrom"] = json!("status");
        }
    }
    updated["versions"].as_array_mut().expect("versions").push(v2);
    model["upcasters"] = json!([{ "eventType": "OrderUpdated", "from": 1, "to": 2,
        "logic": { "ops": [{ "op": "renameField", "from": "status", "to": "orderStatus" }] } }]);
    let script = &mut model["streamTypes"][0]["script"];
    patch(script, "status: d.status, note", "orderStatus: d.status, note");
    patch(script, "event.data.status", "event.data.orderStatus");
    patch(
        &mut model["projections"][0]["logic"]["script"],
        "= d.status",
        "= d.orderStatus",
    );

    let mut services = start(&document);
    open_sales(&mut services);
    let correlation = check_out(&mut services, "k1", "u-1", 2);
    pay(&mut services, "k1", &correlation);

    assert_eq!(read_model(&services, "orders", "OrderStatus", "k1")["status"], "paid");
    assert!(tickets(&services, "k1").is_empty(), "a paid order without tickets");
    let deliveries = services.deliveries(Some("IssueTickets")).expect("a consumer");
    assert!(
        !deliveries.is_empty() && deliveries.iter().all(|d| d.outcome == "handled"),
        "nothing failed: {deliveries:?}"
    );
    assert!(parked(&services).is_empty() && services.errors().is_empty());
}

#[test]
fn the_concerts_outbox_publishes_again_after_a_relay_crash_and_the_inbox_drops_the_repeats() {
    let mut document = document();
    entry(&mut document, "modules", "concerts")["faults"] = json!({ "publisherCrash": 1.0 });
    let mut services = start(&document);
    open_sales(&mut services);
    let stats = services
        .message_stats()
        .into_iter()
        .find(|s| s.topic == "ConcertAnnounced")
        .expect("the announcement went out");
    assert_eq!((stats.lost, stats.published), (0, 1));
    assert!(
        stats.republished > 0 && stats.duplicates_dropped == stats.republished,
        "{stats:?}"
    );
    assert_eq!(types(&services, "reservations", "seats-warsaw"), ["SeatingOpened"]);
}
