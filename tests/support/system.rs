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
