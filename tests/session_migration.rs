//! A copy-and-transform migration in the workspace: the scenario it leaves behind after the
//! switch is valid, saves and opens again where it stood.

use eventarium::model::{Scenario, BUILT_IN};
use eventarium::session::Workspace;
use eventarium::sim::CommandRequest;
use serde_json::json;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn shop() -> Workspace {
    let scenario = Scenario::import(BUILT_IN[0].text).unwrap_or_else(|p| panic!("{p:?}"));
    Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"))
}

fn command(name: &str, stream: &str, data: serde_json::Value) -> CommandRequest {
    CommandRequest {
        command: name.to_owned(),
        stream_id: stream.to_owned(),
        data,
        ..CommandRequest::default()
    }
}

#[test]
fn after_the_switch_the_scenario_is_valid_and_reopens_where_it_stood() {
    let mut workspace = shop();
    for n in 1..=2 {
        let id = format!("cart-{n}");
        workspace
            .execute(&command(
                "OpenCart",
                &id,
                json!({"cartId": n.to_string(), "customerId": "c"}),
            ))
            .expect("opened");
    }
    workspace.start_migration("Cart", "cart_v2").expect("started");
    workspace.run_until_idle();
    workspace.switch_migration().expect("switched");
    workspace.archive_migrated().expect("archived");
    let saved = workspace.save();
    let scenario = Scenario::import(&saved).unwrap_or_else(|problems| {
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        panic!("the saved scenario does not import:\n{}", shown.join("\n"))
    });
    let mut reopened = Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"));
    let view = reopened.migration().expect("the migration");
    assert_eq!((view.migration.archived, view.new_streams), (2, 2));
    let done = reopened
        .execute(&command(
            "AddItem",
            "cart-1",
            json!({"cartId": "1", "productId": "p", "qty": 1, "unitPrice": 1}),
        ))
        .expect("an old id");
    assert_eq!(done.decision.stream_id, "cart_v2-1");
}
