//! The example system the system tests share: orders (the main module) publish
//! `OrderSubmitted`, billing invoices each order, users is a state-stored module.

use eventarium::model::Scenario;
use eventarium::sim::system::{ModuleCommand, Services};
use serde_json::{json, Value};

/// Orders (the main module) publish `OrderSubmitted`; billing issues an invoice per order
/// without checking for one already issued (so a duplicate shows); users is a CRUD module.
pub fn system(publishing: &str, faults: Value, inbox: bool) -> Value {
    json!({
        "format": "eventarium-scenario", "version": 4, "name": "Orders and billing",
        "settings": { "seed": 11 },
        "model": {
            "eventTypes": [
                { "name": "OrderPlaced", "versions": [{ "version": 1, "fields": [
                    { "name": "orderId", "type": "id" }, { "name": "total", "type": "int" } ] }] },
                { "name": "OrderCancelled", "versions": [{ "version": 1, "fields": [{ "name": "orderId", "type": "id" }] }] },
                { "name": "OrderPaid", "versions": [{ "version": 1, "fields": [{ "name": "orderId", "type": "id" }] }] }
            ],
            "commands": [
                { "name": "PlaceOrder", "streamType": "Order", "fields": [
                    { "name": "orderId", "type": "id", "required": true }, { "name": "total", "type": "int", "required": true } ] },
                { "name": "CancelOrder", "streamType": "Order", "fields": [{ "name": "orderId", "type": "id", "required": true }] },
                { "name": "MarkPaid", "streamType": "Order", "fields": [{ "name": "orderId", "type": "id", "required": true }] }
            ],
            "streamTypes": [{ "name": "Order", "streamIdPattern": "order-{id}", "initialState": { "status": "none" },
                "script": "fn decide(command, state) {\n let d = command.data;\n switch command.type {\n \"PlaceOrder\" => { if state.status != \"none\" { throw \"already placed\"; } [#{ type: \"OrderPlaced\", data: #{ orderId: d.orderId, total: d.total } }] },\n \"CancelOrder\" => { if state.status != \"placed\" { return []; } [#{ type: \"OrderCancelled\", data: #{ orderId: d.orderId } }] },\n \"MarkPaid\" => { if state.status != \"placed\" { throw \"not awaiting payment\"; } [#{ type: \"OrderPaid\", data: #{ orderId: d.orderId } }] },\n }\n}\nfn evolve(state, event) {\n switch event.type { \"OrderPlaced\" => { state.status = \"placed\"; }, \"OrderCancelled\" => { state.status = \"cancelled\"; }, \"OrderPaid\" => { state.status = \"paid\"; } }\n state\n}\n" }]
        },
        "system": {
            "main": "orders",
            "modules": [
                { "name": "orders", "publishing": publishing,
                  "contracts": [{ "name": "OrderSubmitted", "visibility": "public", "versions": [{ "version": 1, "fields": [
                      { "name": "orderId", "type": "id" }, { "name": "total", "type": "int" } ] }] }],
                  "translations": [{ "name": "PublishOrders", "on": ["OrderPlaced"],
                      "script": "fn translate(event, state) { [#{ type: \"OrderSubmitted\", data: #{ orderId: event.data.orderId, total: event.data.total, status: state.status } }] }" }] },
                { "name": "billing", "model": {
                    "eventTypes": [{ "name": "InvoiceIssued", "versions": [{ "version": 1, "fields": [
                        { "name": "orderId", "type": "id" }, { "name": "total", "type": "int" } ] }] }],
                    "commands": [{ "name": "IssueInvoice", "streamType": "Invoice", "fields": [
                        { "name": "orderId", "type": "id", "required": true }, { "name": "total", "type": "int", "required": true } ] }],
                    "streamTypes": [{ "name": "Invoice", "streamIdPattern": "invoice-{id}", "initialState": {},
                        "script": "fn decide(command, state) { [#{ type: \"InvoiceIssued\", data: command.data }] }\nfn evolve(state, event) { state }" }]
                  } },
                { "name": "users", "kind": "stateStored", "publishing": "changeDataCapture",
                  "tables": [{ "name": "users", "fields": [{ "name": "name", "type": "string" }] }],
                  "handlers": [{ "name": "RegisterUser", "table": "users", "fields": [{ "name": "name", "type": "string", "required": true }],
                      "script": "fn handle(command, row) { if row != () { throw \"already registered\"; } #{ row: #{ name: command.data.name } } }" }],
                  "contracts": [{ "name": "UserRegistered", "versions": [{ "version": 1, "fields": [{ "name": "name", "type": "string" }] }] }],
                  "translations": [{ "name": "PublishUsers", "on": ["users"],
                      "script": "fn translate(change, row) { if change.op == \"insert\" { [#{ type: \"UserRegistered\", data: #{ userId: change.id, name: row.name } }] } else { [] } }" }] }
            ],
            "consumers": [
                { "name": "BillOrders", "module": "billing", "topics": ["OrderSubmitted"], "inbox": inbox,
                  "retry": { "maxRetries": 2, "backoffMs": 100 },
                  "logic": { "script": "fn handle(message) { if message.data.total > 1000 { throw \"too much\"; } [#{ type: \"IssueInvoice\", streamId: \"invoice-\" + message.data.orderId, data: #{ orderId: message.data.orderId, total: message.data.total } }] }" } }
            ],
            "faults": faults
        }
    })
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
