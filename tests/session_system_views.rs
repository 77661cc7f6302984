//! The system page's views of what the modules hold, on the built-in concert ticketing system:
//! the order workflow's instances (given a payment deadline, which the built-in lacks) with their
//! timeouts counting down and fired early by hand, the concerts' outbox and its relay's
//! checkpoint, and the users' table with the changes commands made to it.

mod support;

use eventarium::session::{InstanceStatus, InstanceView, Workspace};
use serde_json::{json, Value};
use support::built_in;
use support::concert::{concert_workspace, confirm_cart, document, open_sales, send, with_payment_deadline, CONCERT};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Fifteen minutes: how long the workflow waits for a payment once the seats are held.
const DEADLINE_MS: i64 = 900_000;

/// The concert system whose order workflow waits fifteen minutes for the payment.
fn with_deadline() -> Workspace {
    let mut document = document();
    with_payment_deadline(&mut document);
    let scenario = built_in::import(CONCERT, &document.to_string());
    Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"))
}

/// u-1 confirms cart `k1` with two golden circle tickets; the clock runs 5 s, long enough for the
/// seats to be held and short of any deadline.
fn purchase(workspace: &mut Workspace) {
    let services = workspace.services_mut();
    open_sales(services);
    confirm_cart(services, "k1", "u-1", 2);
    workspace.run_system(5_000).unwrap();
}

#[track_caller]
fn order(workspace: &Workspace) -> InstanceView {
    let processes = workspace.process_views();
    let workflow = processes.iter().find(|p| p.name == "OrderFulfilment");
    let workflow = workflow.unwrap_or_else(|| panic!("no order workflow in {processes:?}"));
    let found = workflow.instances.iter().find(|i| i.key == "k1");
    found
        .cloned()
        .unwrap_or_else(|| panic!("no instance k1 in {workflow:?}"))
}

#[test]
fn a_purchase_starts_an_instance_that_waits_for_its_payment_deadline() {
    let mut workspace = with_deadline();
    let processes = workspace.process_views();
    assert_eq!(processes.len(), 1);
    assert!(processes[0].instances.is_empty(), "no instance before a purchase");
    purchase(&mut workspace);

    let instance = order(&workspace);
    assert_eq!(instance.status, InstanceStatus::Running);
    assert_eq!(instance.state["status"], "awaitingPayment");
    assert_eq!(instance.history, ["OrderSubmitted", "SeatsHeld"]);
    assert_eq!(
        instance.sent,
        [
            "reservations: ReserveSeats → seats-warsaw",
            "payments: RequestPayment → payment-k1"
        ]
    );
    assert_eq!(instance.timeouts.len(), 1, "{instance:?}");
    let deadline = &instance.timeouts[0];
    assert_eq!(deadline.name, "PaymentDeadline");
    let left = deadline.due_ms - workspace.services().now();
    assert!(left > 0 && left <= DEADLINE_MS, "{left} ms left");
    assert!(
        deadline.countdown.starts_with("fires in 14 min"),
        "{}",
        deadline.countdown
    );

    workspace.run_system(60_000).unwrap();
    let later = &order(&workspace).timeouts[0];
    assert!(later.countdown.starts_with("fires in 13 min"), "{}", later.countdown);
}

#[test]
fn a_timeout_fired_early_cancels_the_order_and_releases_its_seats() {
    let mut workspace = with_deadline();
    purchase(&mut workspace);
    let before = workspace.services().now();
    let deadline = order(&workspace).timeouts[0].id.clone();

    let said = workspace.fire_timeout_now("OrderFulfilment", "k1", &deadline).unwrap();
    assert_eq!(
        said,
        "PaymentDeadline fired early on OrderFulfilment k1, which is now compensated"
    );
    assert_eq!(workspace.services().now(), before, "the clock did not move");
    let instance = order(&workspace);
    assert_eq!(instance.status, InstanceStatus::Compensated);
    assert_eq!(instance.state["status"], "expired");
    assert!(instance.timeouts.is_empty(), "no longer pending: {instance:?}");
    assert_eq!(instance.history, ["OrderSubmitted", "SeatsHeld", "PaymentDeadline"]);
    assert!(
        instance.sent.contains(&"orders: UpdateOrder → order-k1".to_owned()),
        "{:?}",
        instance.sent
    );

    workspace.run_system_until_idle();
    let reservations = workspace.services().runtime("reservations").unwrap();
    let seats = reservations
        .store()
        .read_stream("seats-warsaw", 0, usize::MAX, eventarium::store::Direction::Forwards)
        .unwrap();
    let types: Vec<&str> = seats.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types[1..], ["SeatsReserved", "SeatsReleased"], "compensated");
    let order_status = workspace
        .services()
        .runtime("orders")
        .unwrap()
        .document("OrderStatus", "k1")
        .unwrap()
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(order_status["status"], "cancelled");
    assert!(
        workspace.services().now() < before + DEADLINE_MS,
        "nothing was left to fire at the deadline"
    );
    assert_eq!(order(&workspace).history.len(), 3, "it did not fire twice");
}

#[test]
fn firing_a_timeout_that_is_not_pending_is_a_clear_error() {
    let mut workspace = with_deadline();
    purchase(&mut workspace);
    let deadline = order(&workspace).timeouts[0].id.clone();

    let unknown = workspace
        .fire_timeout_now("OrderFulfilment", "k1", "t-999")
        .unwrap_err();
    assert_eq!(unknown.to_string(), "unknown pending timeout \"t-999\"");
    let nobody = workspace
        .fire_timeout_now("OrderFulfilment", "k9", &deadline)
        .unwrap_err();
    assert_eq!(nobody.to_string(), "unknown process instance \"OrderFulfilment k9\"");
    let nothing = workspace.fire_timeout_now("Nope", "k1", &deadline).unwrap_err();
    assert_eq!(nothing.to_string(), "unknown process \"Nope\"");
    assert_eq!(order(&workspace).timeouts.len(), 1, "nothing changed");

    workspace.fire_timeout_now("OrderFulfilment", "k1", &deadline).unwrap();
    let again = workspace
        .fire_timeout_now("OrderFulfilment", "k1", &deadline)
        .unwrap_err();
    assert_eq!(again.to_string(), format!("unknown pending timeout \"{deadline}\""));
}

#[test]
fn the_outbox_lists_its_rows_and_the_relay_checkpoint_moves_with_the_clock() {
    let mut workspace = concert_workspace();
    let outboxes = workspace.outbox_views();
    assert_eq!(
        outboxes.iter().map(|o| o.module.as_str()).collect::<Vec<_>>(),
        ["concerts"],
        "the concerts module is the one with an outbox"
    );
    assert!(outboxes[0].rows.is_empty());
    assert_eq!(outboxes[0].checkpoint(), "0 of 0 relayed");

    send(
        workspace.services_mut(),
        "concerts",
        "ScheduleConcert",
        "concert-warsaw",
        json!({ "concertId": "warsaw", "name": "Renaissance World Tour", "artist": "Beyoncé",
            "venue": "PGE Narodowy, Warsaw", "startsAt": "2023-06-27T20:00:00Z",
            "tiers": [{ "tier": "standing", "price": 25_000, "capacity": 100 }] }),
    );
    let outbox = &workspace.outbox_views()[0];
    assert_eq!(outbox.rows.len(), 1, "{outbox:?}");
    let row = &outbox.rows[0];
    assert_eq!(
        (row.topic.as_str(), row.relayed_ms, row.relay_crashes),
        ("ConcertAnnounced", None, 0)
    );
    assert!(row.message_id.starts_with("msg-"), "{row:?}");
    assert_eq!(outbox.checkpoint(), "0 of 1 relayed", "waiting for the relay");

    workspace.run_system(1_000).unwrap();
    let outbox = &workspace.outbox_views()[0];
    assert_eq!(outbox.checkpoint(), "1 of 1 relayed");
    let relayed = outbox.rows[0].relayed_ms.expect("relayed");
    assert!(relayed >= outbox.rows[0].written_ms, "{:?}", outbox.rows[0]);
}

#[test]
fn a_command_to_the_user_module_shows_its_row_and_the_change_before_and_after() {
    let mut workspace = concert_workspace();
    let views = workspace.module_tables_views();
    assert_eq!(views.len(), 1, "users is the state-stored module");
    assert_eq!(views[0].module, "users");
    assert_eq!(views[0].tables[0].name, "customers");
    assert!(views[0].tables[0].rows.is_empty() && views[0].changes.is_empty());

    let data = r#"{ "name": "Ada", "email": "ada@example.com" }"#;
    workspace
        .send_to_module("users", "RegisterCustomer", "u-1", data)
        .unwrap();
    workspace
        .send_to_module("users", "ChangeEmail", "u-1", r#"{ "email": "ada@lovelace.org" }"#)
        .unwrap();
    let users = &workspace.module_tables_views()[0];
    let rows = &users.tables[0].rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "u-1");
    assert_eq!(rows[0].1["email"], "ada@lovelace.org");

    assert_eq!(users.changes.len(), 2, "{:?}", users.changes);
    let latest = &users.changes[0];
    assert_eq!(
        (
            latest.command.as_str(),
            latest.table.as_str(),
            latest.row_id.as_str(),
            latest.op
        ),
        ("ChangeEmail", "customers", "u-1", "update"),
        "newest first"
    );
    assert_eq!(
        latest.before.as_ref().map(|b| &b["email"]),
        Some(&json!("ada@example.com"))
    );
    assert_eq!(
        latest.after.as_ref().map(|a| &a["email"]),
        Some(&json!("ada@lovelace.org"))
    );
    assert!(latest.correlation_id.starts_with("c-"), "{latest:?}");
    let first = &users.changes[1];
    assert_eq!(
        (first.command.as_str(), first.op, &first.before),
        ("RegisterCustomer", "insert", &None)
    );
    assert_ne!(first.correlation_id, latest.correlation_id, "two commands, two chains");

    let rejected = workspace
        .send_to_module("users", "RegisterCustomer", "u-1", data)
        .unwrap();
    assert!(rejected.contains("rejected"), "{rejected}");
    assert_eq!(
        workspace.module_tables_views()[0].changes.len(),
        2,
        "a rejection changes nothing"
    );
}
