//! Editing one definition at a time: put (add, replace, rename with its references), dependents,
//! remove with what cannot exist without it.

mod support;

use eventarium::model::edit::{self, Kind};
use eventarium::model::Scenario;
use serde_json::json;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn cart() -> Scenario {
    support::built_in::cart()
}

fn index(scenario: &Scenario, kind: Kind, name: &str) -> usize {
    edit::names(scenario, kind)
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

#[test]
fn every_kind_has_a_template_that_can_be_added_as_it_is() {
    // An upcaster needs a version to upcast to: give CartOpened a second one.
    let mut scenario = cart();
    let at = index(&scenario, Kind::EventType, "CartOpened");
    let mut opened = edit::get(&scenario, Kind::EventType, at).unwrap_or_default();
    let mut v2 = opened["versions"][0].clone();
    v2["version"] = json!(2);
    if let Some(versions) = opened["versions"].as_array_mut() {
        versions.push(v2);
    }
    let with_v2 = edit::put(&scenario, Kind::EventType, Some(at), opened).unwrap_or_else(|p| panic!("{p:#?}"));
    scenario = with_v2.scenario;
    let template = edit::template(&scenario, Kind::Upcaster);
    assert_eq!(
        (template["eventType"].as_str(), template["from"].as_u64()),
        (Some("CartOpened"), Some(1))
    );
    for kind in Kind::ALL {
        let before = edit::names(&scenario, kind).len();
        let template = edit::template(&scenario, kind);
        let edited = edit::put(&scenario, kind, None, template).unwrap_or_else(|p| panic!("{kind}: {p:#?}"));
        assert_eq!(edit::names(&edited.scenario, kind).len(), before + 1, "{kind}");
        assert_eq!(edited.index, before, "{kind}: added at the end");
    }
}

#[test]
fn a_template_name_is_never_taken() {
    let scenario = cart();
    let first = edit::template(&scenario, Kind::EventType);
    let added = edit::put(&scenario, Kind::EventType, None, first.clone()).unwrap_or_else(|p| panic!("{p:?}"));
    let second = edit::template(&added.scenario, Kind::EventType);
    assert_ne!(first["name"], second["name"]);
    assert_eq!(second["name"], "NewEvent2");
}

#[test]
fn a_definition_reads_back_as_it_was_put() {
    let scenario = cart();
    let at = index(&scenario, Kind::Command, "AddItem");
    let mut command = edit::get(&scenario, Kind::Command, at).unwrap_or_default();
    command["description"] = json!("put something in the cart");
    let edited = edit::put(&scenario, Kind::Command, Some(at), command.clone()).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(edit::get(&edited.scenario, Kind::Command, at), Some(command));
    assert!(edited.changed.is_empty(), "{:?}", edited.changed);
    assert_eq!(scenario, cart(), "the scenario it started from is unchanged");
}

#[test]
fn a_bad_definition_is_refused_with_every_problem_at_its_path() {
    let scenario = cart();
    let at = index(&scenario, Kind::Command, "AddItem");
    let mut command = edit::get(&scenario, Kind::Command, at).unwrap_or_default();
    command["streamType"] = json!("Basket");
    command["fields"][0]["type"] = json!("strng");
    let problems = edit::put(&scenario, Kind::Command, Some(at), command)
        .err()
        .unwrap_or_default();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|p| p.starts_with(&format!("model.commands[{at}].fields[0].type"))),
        "{text:#?}"
    );
}

#[test]
fn a_script_error_is_reported_at_its_line() {
    let scenario = cart();
    let mut stream = edit::get(&scenario, Kind::StreamType, 0).unwrap_or_default();
    stream["script"] = json!("fn decide(command, state) {\n    []\n}\n\nfn evolve(state, event) {\n    state +\n}\n");
    let problems = edit::put(&scenario, Kind::StreamType, Some(0), stream)
        .err()
        .unwrap_or_default();
    let problem = problems.iter().find(|p| p.path == "model.streamTypes[0].script");
    assert!(problem.is_some_and(|p| p.line == Some(7)), "{problems:#?}");
}

#[test]
fn renaming_an_event_type_renames_its_references_and_handlers() {
    let scenario = cart();
    let at = index(&scenario, Kind::EventType, "ItemAdded");
    let mut event_type = edit::get(&scenario, Kind::EventType, at).unwrap_or_default();
    event_type["name"] = json!("ProductAdded");
    let edited = edit::put(&scenario, Kind::EventType, Some(at), event_type).unwrap_or_else(|p| panic!("{p:#?}"));
    let model = &edited.scenario.model;
    assert_eq!(model.upcasters[0].event_type, "ProductAdded");
    let cart = model.stream_type("Cart").map(|s| s.script.clone()).unwrap_or_default();
    assert!(
        cart.contains("\"ProductAdded\"") && !cart.contains("\"ItemAdded\""),
        "{cart}"
    );
    let changed: Vec<(Kind, &str)> = edited.changed.iter().map(|d| (d.kind, d.name.as_str())).collect();
    assert!(changed.contains(&(Kind::StreamType, "Cart")), "{changed:?}");
    assert!(changed.contains(&(Kind::Projection, "CartSummary")), "{changed:?}");
    assert!(changed.contains(&(Kind::Upcaster, "ItemAdded v1 → v2")), "{changed:?}");
    // The renamed scenario still passes its own examples.
    let mut sandbox = eventarium::script::Sandbox::new(eventarium::script::Limits::default(), 0);
    for spec in &edited.scenario.specs {
        let report = eventarium::sim::spec::run(&edited.scenario, spec, &mut sandbox);
        assert!(report.passed(), "{report:#?}");
    }
}

#[test]
fn a_rename_touches_whole_names_only() {
    let mut scenario = cart();
    let extra = json!({"name": "ItemAddedTwice", "versions": [{"version": 1, "fields": []}]});
    scenario = edit::put(&scenario, Kind::EventType, None, extra)
        .unwrap_or_else(|p| panic!("{p:?}"))
        .scenario;
    let at = index(&scenario, Kind::EventType, "ItemAdded");
    let mut event_type = edit::get(&scenario, Kind::EventType, at).unwrap_or_default();
    event_type["name"] = json!("ProductAdded");
    let edited = edit::put(&scenario, Kind::EventType, Some(at), event_type).unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(edited.scenario.model.event_type("ItemAddedTwice").is_some());
}

#[test]
fn renaming_a_stream_type_moves_its_commands() {
    let scenario = cart();
    let mut stream = edit::get(&scenario, Kind::StreamType, 0).unwrap_or_default();
    stream["name"] = json!("Basket");
    let edited = edit::put(&scenario, Kind::StreamType, Some(0), stream).unwrap_or_else(|p| panic!("{p:#?}"));
    let model = &edited.scenario.model;
    assert_eq!(model.command("AddItem").map(|c| c.stream_type.as_str()), Some("Basket"));
    assert!(model.commands.iter().all(|c| c.stream_type != "Cart"));
}

#[test]
fn dependents_say_what_goes_what_changes_and_what_mentions() {
    let scenario = cart();
    let at = index(&scenario, Kind::EventType, "CartConfirmed");
    let dependents = edit::dependents(&scenario, Kind::EventType, at);
    let find = |kind: Kind, name: &str| dependents.iter().find(|d| d.kind == kind && d.name == name);
    let policy = find(Kind::Policy, "RecordPurchaseOnConfirmation");
    assert!(policy.is_some_and(|d| d.removed), "its only trigger: {dependents:#?}");
    let cart = find(Kind::StreamType, "Cart");
    assert!(
        cart.is_some_and(|d| !d.removed && d.how.contains("script")),
        "{dependents:#?}"
    );
    assert!(
        dependents.iter().any(|d| d.kind == Kind::Spec && d.removed),
        "the examples using it: {dependents:#?}"
    );
    assert!(edit::dependents(&scenario, Kind::Spec, 0).is_empty());
}

#[test]
fn removing_a_stream_type_removes_its_commands_and_their_examples() {
    let scenario = cart();
    let at = index(&scenario, Kind::StreamType, "Customer");
    let dependents = edit::dependents(&scenario, Kind::StreamType, at);
    let edited = edit::remove(&scenario, Kind::StreamType, at).unwrap_or_else(|p| panic!("{p:#?}"));
    let model = &edited.scenario.model;
    assert!(model.stream_type("Customer").is_none());
    assert!(model.command("RecordPurchase").is_none(), "its command goes with it");
    let policy = dependents.iter().find(|d| d.kind == Kind::Policy);
    assert!(
        policy.is_some_and(|d| !d.removed && d.how.contains("RecordPurchase")),
        "the policy's script sends its command: {dependents:#?}"
    );
    assert_eq!(edited.changed, dependents, "remove does what dependents announced");
    for d in dependents.iter().filter(|d| d.removed) {
        assert!(
            !edit::names(&edited.scenario, d.kind).contains(&d.name),
            "{d:?} is gone"
        );
    }
}

#[test]
fn stored_events_of_a_removed_type_stay_readable_untyped() {
    let note = json!({"name": "NoteTaken", "versions": [{"version": 1, "fields": []}]});
    let scenario = edit::put(&cart(), Kind::EventType, None, note)
        .unwrap_or_else(|p| panic!("{p:?}"))
        .scenario;
    let mut store = eventarium::store::Store::new(eventarium::store::Config::default());
    let event = eventarium::store::NewEvent::new("NoteTaken", json!({}));
    store
        .append("notes-1", eventarium::store::ExpectedRevision::Any, vec![event])
        .unwrap_or_else(|e| panic!("{e}"));
    let at = index(&scenario, Kind::EventType, "NoteTaken");
    let edited = edit::remove(&scenario, Kind::EventType, at).unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(edited.scenario.model.event_type("NoteTaken").is_none());
    assert!(edit::recorded_problems(&edited.scenario, &store).is_empty());
}

#[test]
fn a_version_stored_with_no_path_to_the_current_one_is_flagged() {
    let scenario = cart();
    let mut store = eventarium::store::Store::new(eventarium::store::Config::default());
    let mut event = eventarium::store::NewEvent::new("CartOpened", json!({"cartId": "1", "customerId": "c"}));
    event.schema_version = 7;
    store
        .append("cart-1", eventarium::store::ExpectedRevision::Any, vec![event])
        .unwrap_or_else(|e| panic!("{e}"));
    let problems = edit::recorded_problems(&scenario, &store);
    assert!(
        problems.iter().any(|p| p.message.contains("CartOpened v7")),
        "{problems:#?}"
    );
}

#[test]
fn removing_what_a_script_still_handles_is_refused_with_the_line() {
    let scenario = cart();
    let at = index(&scenario, Kind::EventType, "CartOpened");
    let problems = edit::remove(&scenario, Kind::EventType, at).err().unwrap_or_default();
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("on_CartOpened") && p.line.is_some()),
        "{problems:#?}"
    );
}

#[test]
fn an_index_out_of_range_is_an_error_not_a_panic() {
    let scenario = cart();
    assert!(edit::remove(&scenario, Kind::Policy, 9).is_err());
    assert!(edit::put(&scenario, Kind::Policy, Some(9), json!({})).is_err());
    assert!(edit::get(&scenario, Kind::Policy, 9).is_none());
    assert!(edit::dependents(&scenario, Kind::Policy, 9).is_empty());
}
