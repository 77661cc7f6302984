//! Opening a saved workspace again: the read models go on from where they were (nothing is
//! replayed within a command, blue-green builds in progress are kept), and an inline projection
//! stopped at a poison event holds back the appends it reads, with a finding that says so.

use eventarium::lint::Severity;
use eventarium::model::edit::Kind;
use eventarium::model::{Scenario, BUILT_IN};
use eventarium::session::{ExpectedMode, SendOutcome, Workspace};
use eventarium::sim::{ProjectionState, ProjectionStatus};
use serde_json::{json, Value};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn cart() -> Workspace {
    let scenario = Scenario::import(BUILT_IN[0].text).unwrap_or_else(|p| panic!("{p:?}"));
    Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"))
}

#[track_caller]
fn restored(text: &str) -> Workspace {
    Workspace::restore(text).unwrap_or_else(|p| panic!("{p:?}"))
}

/// Carts 1..=n, each opened with one item of `qty`.
fn fill(workspace: &mut Workspace, carts: u32, qty: i64) {
    for n in 1..=carts {
        let id = n.to_string();
        let opened = json!({"cartId": id, "customerId": "c-1"});
        workspace.send("OpenCart", &format!("cart-{n}"), opened, ExpectedMode::Read);
        let item = json!({"cartId": id, "productId": "p-1", "qty": qty, "unitPrice": 3});
        let outcome = workspace.send("AddItem", &format!("cart-{n}"), item, ExpectedMode::Read);
        assert!(matches!(outcome, SendOutcome::Appended { .. }), "cart-{n}: {outcome:?}");
    }
}

fn status(workspace: &Workspace, name: &str) -> ProjectionStatus {
    workspace.projection(name).unwrap_or_else(|e| panic!("{e}"))
}

fn projection_index(workspace: &Workspace, name: &str) -> usize {
    let projections = &workspace.scenario().model.projections;
    projections
        .iter()
        .position(|p| p.name == name)
        .unwrap_or_else(|| panic!("no projection {name}"))
}

/// The CartSummary definition with `change` made to it, as the editor would send it.
fn cart_summary_with(workspace: &Workspace, change: impl FnOnce(&mut Value)) -> Value {
    let index = projection_index(workspace, "CartSummary");
    let mut definition = serde_json::to_value(&workspace.scenario().model.projections[index]).unwrap_or_default();
    change(&mut definition);
    definition
}

/// CartSummary redeployed with a handler that fails on an item of more than 100, so that it stops
/// at such an event when it replays the store.
fn poison_cart_summary(workspace: &mut Workspace) {
    let definition = cart_summary_with(workspace, |definition| {
        let script = definition["logic"]["script"].as_str().unwrap_or_default().replace(
            "fn on_ItemAdded(doc, event) {\n",
            "fn on_ItemAdded(doc, event) {\n    if event.data.qty > 100 { throw \"too many to ship\"; }\n",
        );
        definition["logic"]["script"] = json!(script);
    });
    let index = projection_index(workspace, "CartSummary");
    if let Err(problems) = workspace.put(Kind::Projection, Some(index), definition) {
        panic!("{problems:?}");
    }
    workspace.run_until_idle();
}

#[test]
fn a_restored_workspace_goes_on_from_its_saved_read_models() {
    let mut workspace = cart();
    fill(&mut workspace, 40, 2);
    workspace.run_until_idle();
    let before = workspace.projections();
    let documents = workspace.read_model("CartSummary").cloned();

    let mut again = restored(&workspace.save());

    assert_eq!(
        again.projections(),
        before,
        "every status as it was, with nothing stepped"
    );
    assert!(again
        .projections()
        .iter()
        .all(|s| s.state == ProjectionState::Live && s.lag == 0));
    assert_eq!(again.read_model("CartSummary").cloned(), documents);
    assert_eq!(again.step(10_000).events, 0, "nothing is left to replay");
    let item = json!({"cartId": "7", "productId": "p-2", "qty": 1, "unitPrice": 5});
    again.send("AddItem", "cart-7", item, ExpectedMode::Read);
    let summary = again
        .document("CartSummary", "7")
        .ok()
        .flatten()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        summary["total"],
        json!(11),
        "the inline projection moved with the append"
    );
}

#[test]
fn a_save_whose_read_models_do_not_fit_its_events_builds_them_again() {
    let mut workspace = cart();
    fill(&mut workspace, 5, 1);
    workspace.run_until_idle();
    let mut document: Value = serde_json::from_str(&workspace.save()).unwrap_or_default();
    document["readModels"]["head"] = json!(3);
    let mut again = restored(&document.to_string());
    assert!(again.projections().iter().all(|s| s.checkpoint == 0 && s.lag == 10));
    again.run_until_idle();
    assert_eq!(again.projections(), workspace.projections());

    document["readModels"] = json!("not read models");
    let mut again = restored(&document.to_string());
    again.run_until_idle();
    assert_eq!(again.projections(), workspace.projections());
}

#[test]
fn a_blue_green_build_in_progress_survives_a_save() {
    let mut workspace = cart();
    fill(&mut workspace, 30, 1);
    workspace.run_until_idle();
    let next = cart_summary_with(&workspace, |definition| definition["version"] = json!(2));
    if let Err(problems) = workspace.start_blue_green(next) {
        panic!("{problems:?}");
    }
    workspace.step(25);
    let building = status(&workspace, "CartSummary").blue_green;
    assert_eq!(building.as_ref().map(|b| b.checkpoint), Some(25));

    let mut again = restored(&workspace.save());

    assert_eq!(status(&again, "CartSummary").blue_green, building);
    again.run_until_idle();
    let caught_up = status(&again, "CartSummary").blue_green;
    assert_eq!(
        caught_up.map(|b| (b.lag, b.held)),
        Some((0, true)),
        "held until switched"
    );
    assert!(again.switch_blue_green("CartSummary").is_ok());
    assert_eq!(status(&again, "CartSummary").version, 2);
}

#[test]
fn a_command_never_catches_projections_up() {
    let mut workspace = cart();
    fill(&mut workspace, 50, 1);
    let mut document: Value = serde_json::from_str(&workspace.save()).unwrap_or_default();
    document.as_object_mut().map(|d| d.remove("readModels"));
    let mut again = restored(&document.to_string());
    assert!(again.projections().iter().all(|s| s.checkpoint == 0));

    let opened = json!({"cartId": "51", "customerId": "c-2"});
    let outcome = again.send("OpenCart", "cart-51", opened, ExpectedMode::Read);

    assert!(matches!(outcome, SendOutcome::Appended { .. }), "{outcome:?}");
    for status in again.projections() {
        assert_eq!(
            (status.checkpoint, status.lag),
            (0, 101),
            "{} is left to the steps",
            status.name
        );
    }
    again.run_until_idle();
    assert!(
        again.document("CartSummary", "51").ok().flatten().is_some(),
        "the steps read the new event too"
    );
    assert_eq!(again.projections(), {
        workspace.send(
            "OpenCart",
            "cart-51",
            json!({"cartId": "51", "customerId": "c-2"}),
            ExpectedMode::Read,
        );
        workspace.run_until_idle();
        workspace.projections()
    });
}

#[test]
fn an_inline_projection_stopped_on_an_error_refuses_the_appends_it_reads() {
    let mut workspace = cart();
    fill(&mut workspace, 3, 1);
    let item = json!({"cartId": "2", "productId": "p-9", "qty": 500, "unitPrice": 1});
    workspace.send("AddItem", "cart-2", item, ExpectedMode::Read);
    poison_cart_summary(&mut workspace);
    let stopped = status(&workspace, "CartSummary");
    assert_eq!(stopped.state, ProjectionState::Stopped);
    let head = workspace.event_count();

    let opened = json!({"cartId": "9", "customerId": "c-1"});
    let outcome = workspace.send("OpenCart", "cart-9", opened, ExpectedMode::Read);

    let SendOutcome::Failed(message) = outcome else {
        panic!("expected the append to be refused, got {outcome:?}");
    };
    assert!(
        message.contains("inline projection CartSummary is stopped at position 6")
            && message.contains("too many to ship")
            && message.contains("fix its handler or skip that event"),
        "{message}"
    );
    assert_eq!(workspace.event_count(), head, "nothing was appended");

    let finding = workspace
        .findings()
        .iter()
        .find(|f| f.id == "stopped-projection:projection CartSummary")
        .cloned();
    let finding = finding.unwrap_or_else(|| panic!("no stopped-projection finding"));
    assert_eq!(finding.severity, Severity::Critical);
    assert!(
        finding.message.contains("appends it reads are refused"),
        "{}",
        finding.message
    );

    workspace.skip("CartSummary").unwrap_or_else(|e| panic!("{e}"));
    workspace.run_until_idle();
    let opened = json!({"cartId": "9", "customerId": "c-1"});
    let outcome = workspace.send("OpenCart", "cart-9", opened, ExpectedMode::Read);
    assert!(matches!(outcome, SendOutcome::Appended { .. }), "{outcome:?}");
    assert!(
        !workspace.findings().iter().any(|f| f.code == "stopped-projection"),
        "the finding goes once it runs again"
    );
}

#[test]
fn a_stopped_inline_projection_lets_through_what_it_does_not_read() {
    let mut workspace = cart();
    fill(&mut workspace, 1, 500);
    poison_cart_summary(&mut workspace);
    assert_eq!(status(&workspace, "CartSummary").state, ProjectionState::Stopped);
    let purchase = json!({"customerId": "1", "cartId": "1", "total": 1500});
    let outcome = workspace.send("RecordPurchase", "customer-1", purchase, ExpectedMode::Read);
    assert!(matches!(outcome, SendOutcome::Appended { .. }), "{outcome:?}");
}

#[test]
fn a_stopped_async_projection_is_a_warning() {
    let mut workspace = cart();
    fill(&mut workspace, 2, 1);
    let index = projection_index(&workspace, "CartSummary");
    let definition = cart_summary_with(&workspace, |definition| {
        definition["lifecycle"] = json!("async");
        definition["logic"] = json!({"script": "fn on_CartOpened(doc, event) { throw \"no\"; }"});
    });
    if let Err(problems) = workspace.put(Kind::Projection, Some(index), definition) {
        panic!("{problems:?}");
    }
    workspace.run_until_idle();
    let finding = workspace
        .findings()
        .iter()
        .find(|f| f.code == "stopped-projection")
        .cloned();
    assert_eq!(finding.map(|f| f.severity), Some(Severity::Warning));
    let opened = json!({"cartId": "3", "customerId": "c-1"});
    let outcome = workspace.send("OpenCart", "cart-3", opened, ExpectedMode::Read);
    assert!(
        matches!(outcome, SendOutcome::Appended { .. }),
        "async never holds appends: {outcome:?}"
    );
}

#[test]
fn storage_keeps_compact_text_and_can_do_without_the_read_models() {
    let mut workspace = cart();
    fill(&mut workspace, 5, 1);
    workspace.run_until_idle();
    let (saved, events_only, export) = (workspace.save(), workspace.save_events(), workspace.export());
    assert!(
        !saved.contains('\n') && export.contains("\n  \"readModels\""),
        "compact kept, pretty exported"
    );
    assert!(events_only.len() < saved.len() && !events_only.contains("readModels"));
    assert_eq!(restored(&export).projections(), workspace.projections());

    let mut again = restored(&events_only);
    assert_eq!(again.event_count(), 10);
    assert!(again.projections().iter().all(|s| s.checkpoint == 0));
    again.run_until_idle();
    assert_eq!(again.projections(), workspace.projections());
}
