//! The example system the system tests share: orders (the main module) publish
//! `OrderSubmitted`, billing invoices each order, users is a state-stored module.

use eventarium::model::Scenario;
use eventarium::sim::system::{ModuleCommand, Services};
use serde_json::{json, Value};

/// The example system (`tests/fixtures/orders-billing.eventarium.json`, which the Node tests
/// read too) with the orders module publishing as `publishing` says, `faults` on the broker and
/// billing's consumer with or without an inbox. Billing issues an invoice per order without
/// checking for one already issued, so a duplicate shows.
pub fn system(publishing: &str, faults: Value, inbox: bool) -> Value {
    let mut document: Value =
        serde_json::from_str(include_str!("../fixtures/orders-billing.eventarium.json")).expect("the fixture is JSON");
    document["system"]["modules"][0]["publishing"] = json!(publishing);
    document["system"]["consumers"][0]["inbox"] = json!(inbox);
    document["system"]["faults"] = faults;
    document
}

#[track_caller]
pub fn start(document: Value) -> Services {
    let scenario = match Scenario::from_value(document) {
        Ok(scenario) => scenario,
        Err(problems) => panic!("the test system does not import: {problems:?}"),
    };
    match Services::new(&scenario) {
        Ok(services) => services,
        Err(error) => panic!("the test system does not start: {error}"),
    }
}

pub fn place(services: &mut Services, order: u32, total: i64) {
    let result = services
        .execute(&ModuleCommand {
            command: "PlaceOrder".into(),
            stream_id: format!("order-{order}"),
            data: json!({ "orderId": order.to_string(), "total": total }),
            ..ModuleCommand::default()
        })
        .unwrap_or_else(|error| panic!("placing order {order}: {error}"));
    assert!(result.accepted, "order {order} was rejected: {:?}", result.rejection);
}

pub fn invoices(services: &Services, order: u32) -> usize {
    let billing = services.runtime("billing").expect("billing runs");
    billing
        .store()
        .read_stream(
            &format!("invoice-{order}"),
            0,
            usize::MAX,
            eventarium::store::Direction::Forwards,
        )
        .map(|events| events.len())
        .unwrap_or(0)
}

/// The example system with a checkout process: on an order it issues an invoice (a step undone
/// by voiding it), charges the gateway and waits a second for the answer.
pub fn with_checkout(mut document: Value, idempotency_keys: bool, failure_rate: f64) -> Value {
    let billing = &mut document["system"]["modules"][1]["model"];
    billing["eventTypes"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "InvoiceVoided", "versions": [{ "version": 1, "fields": [{ "name": "orderId", "type": "id" }] }] }));
    // Fewer fields than the step it undoes: it gets the step's data as far as its fields go.
    billing["commands"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "VoidInvoice", "streamType": "Invoice", "fields": [
        { "name": "orderId", "type": "id", "required": true } ] }));
    billing["streamTypes"][0]["script"] = json!(
        "fn decide(command, state) { if command.type == \"VoidInvoice\" { return [#{ type: \"InvoiceVoided\", data: #{ orderId: command.data.orderId } }]; } [#{ type: \"InvoiceIssued\", data: command.data }] }\nfn evolve(state, event) { state }"
    );
    document["system"]["consumers"] = json!([]);
    document["system"]["externals"] = json!([{ "name": "Gateway", "latencyMs": 200, "jitterMs": 0,
        "failureRate": failure_rate, "idempotencyKeys": idempotency_keys,
        "succeeded": "GatewayCharged", "failed": "GatewayDeclined" }]);
    document["system"]["processes"] = json!([{ "name": "Checkout", "module": "orders",
        "topics": ["OrderSubmitted", "GatewayCharged", "GatewayDeclined"], "correlate": "data.orderId",
        "timeouts": ["PaymentDeadline"], "steps": ["IssueInvoice"],
        "compensations": [{ "step": "IssueInvoice", "undo": "VoidInvoice" }],
        "script": r#"
fn evolve(state, input) { state.last = input.type; state }
fn decide(input, state) {
    let id = input.data.orderId;
    switch input.type {
        "OrderSubmitted" => #{
            commands: [#{ to: "billing", type: "IssueInvoice", streamId: "invoice-" + id, data: #{ orderId: id, total: input.data.total } }],
            calls: [#{ external: "Gateway", key: "pay-" + id, data: #{ orderId: id, amount: input.data.total } }],
            schedule: [#{ name: "PaymentDeadline", afterMs: 1000, data: #{ orderId: id } }]
        },
        "GatewayCharged" => #{ commands: [#{ type: "MarkPaid", streamId: "order-" + id, data: #{ orderId: id } }], cancel: ["PaymentDeadline"], done: true },
        _ => #{ commands: [#{ type: "CancelOrder", streamId: "order-" + id, data: #{ orderId: id } }], compensate: true, done: true }
    }
}"# }]);
    document
}
