//! Drafting the system in the model panel's editors: modules, consumers, process managers and
//! external systems are new, edited, renamed and deleted like the model's definitions, with what
//! depends on them; an edit that keeps the system's shape reaches the running system at once, one
//! that changes it waits for a restart and says why.

mod support;

use eventarium::model::edit::{self, Kind};
use eventarium::session::Workspace;
use serde_json::{json, Value};
use support::built_in;
use support::concert::{check_out, concert_workspace, open_sales, parked};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn index(workspace: &Workspace, kind: Kind, name: &str) -> usize {
    let names = edit::names(workspace.scenario(), kind);
    names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in {names:?}"))
}

fn definition(workspace: &Workspace, kind: Kind, name: &str) -> Value {
    edit::get(workspace.scenario(), kind, index(workspace, kind, name)).expect("a definition")
}

fn put(workspace: &mut Workspace, kind: Kind, name: &str, item: Value) -> Vec<String> {
    let at = index(workspace, kind, name);
    let changed = workspace
        .put(kind, Some(at), item)
        .unwrap_or_else(|problems| panic!("{problems:?}"))
        .1;
    changed
        .into_iter()
        .map(|d| format!("{} {}: {}", d.kind, d.name, d.how))
        .collect()
}

#[test]
fn the_system_lists_its_modules_consumers_processes_and_externals_by_kind() {
    let workspace = concert_workspace();
    let scenario = workspace.scenario();
    assert!(edit::names(scenario, Kind::Module).contains(&"payments".to_owned()));
    assert!(edit::names(scenario, Kind::Consumer).contains(&"ChargeCards".to_owned()));
    assert_eq!(edit::names(scenario, Kind::Process), vec!["OrderFulfilment"]);
    assert_eq!(
        edit::names(scenario, Kind::External),
        vec!["PaymentGateway", "EmailProvider"]
    );
    assert_eq!(Kind::Module.path(), "system.modules");
    assert!(Kind::ALL.iter().filter(|k| k.is_system()).count() == 4);
}

#[test]
fn a_new_module_and_consumer_start_valid_even_in_a_scenario_without_a_system() {
    let mut workspace = Workspace::open(built_in::cart()).unwrap_or_else(|e| panic!("{e}"));
    assert!(workspace.scenario().system.is_none());
    for kind in [Kind::External, Kind::Module, Kind::Consumer, Kind::Process] {
        let template = edit::template(workspace.scenario(), kind);
        let problems = workspace.check(kind, None, &template);
        assert!(problems.is_empty(), "a new {kind}: {problems:?}");
        workspace
            .put(kind, None, template)
            .unwrap_or_else(|p| panic!("a new {kind}: {p:?}"));
    }
    let system = workspace.scenario().system.clone().expect("a system now");
    assert_eq!(system.modules[0].name, "NewModule");
    assert_eq!(system.consumers[0].module, "NewModule");
    assert!(!system.consumers[0].topics.is_empty(), "{:?}", system.consumers[0]);
}

#[test]
fn a_drafted_consumer_with_a_missing_topic_is_a_problem_where_it_is_typed() {
    let workspace = concert_workspace();
    let mut consumer = definition(&workspace, Kind::Consumer, "IssueInvoices");
    consumer["topics"] = json!(["PaymentSucceded"]);
    let at = index(&workspace, Kind::Consumer, "IssueInvoices");
    let problems = workspace.check(Kind::Consumer, Some(at), &consumer);
    assert!(
        problems
            .iter()
            .any(|p| p.path.starts_with(&format!("system.consumers[{at}]")) && p.message.contains("PaymentSucceded")),
        "{problems:?}"
    );
}

#[test]
fn renaming_a_module_follows_its_consumers_topics_and_the_scripts_that_name_it() {
    let mut workspace = concert_workspace();
    let mut module = definition(&workspace, Kind::Module, "payments");
    module["name"] = json!("billing");
    let changed = put(&mut workspace, Kind::Module, "payments", module);
    let system = workspace.scenario().system.clone().expect("a system");
    let charge = system.consumer("ChargeCards").expect("ChargeCards");
    assert_eq!(charge.module, "billing");
    assert_eq!(charge.topics, vec!["billing.PaymentSubmitted"]);
    let process = system.process("OrderFulfilment").expect("the order process");
    assert!(process.script.contains("\"billing\""), "{}", process.script);
    assert!(!process.script.contains("\"payments\""));
    assert!(
        changed.iter().any(|c| c.starts_with("process manager OrderFulfilment")),
        "{changed:?}"
    );
}

#[test]
fn deleting_a_module_takes_its_consumers_and_says_what_else_changes() {
    let workspace = concert_workspace();
    let at = index(&workspace, Kind::Module, "payments");
    let dependents = workspace.dependents(Kind::Module, at);
    let removed: Vec<&str> = dependents
        .iter()
        .filter(|d| d.removed)
        .map(|d| d.name.as_str())
        .collect();
    for consumer in ["ChargeCards", "RecordCharges", "IssueInvoices"] {
        assert!(
            removed.contains(&consumer),
            "{consumer} goes with payments: {dependents:?}"
        );
    }
    // The order process reads payments' contracts among others: it stays, reading the rest.
    let process = dependents
        .iter()
        .find(|d| d.name == "OrderFulfilment")
        .unwrap_or_else(|| panic!("{dependents:?}"));
    assert!(!process.removed, "{process:?}");
    let mut workspace = workspace;
    workspace.remove(Kind::Module, at).unwrap_or_else(|p| panic!("{p:?}"));
    let system = workspace.scenario().system.clone().expect("a system");
    let process = system.process("OrderFulfilment").expect("the order process");
    assert!(
        !process.topics.iter().any(|t| t.starts_with("Payment")),
        "{:?}",
        process.topics
    );
}

#[test]
fn deleting_an_external_system_removes_the_consumer_of_its_answers_and_names_its_callers() {
    let workspace = concert_workspace();
    let at = index(&workspace, Kind::External, "PaymentGateway");
    let dependents = workspace.dependents(Kind::External, at);
    let said: Vec<String> = dependents
        .iter()
        .map(|d| format!("{} {} {}", d.name, d.removed, d.how))
        .collect();
    assert!(said.iter().any(|s| s.starts_with("RecordCharges true")), "{said:?}");
    assert!(
        said.iter()
            .any(|s| s.starts_with("ChargeCards false mentions PaymentGateway")),
        "{said:?}"
    );
}

#[test]
fn a_fixed_consumer_takes_effect_at_once_and_its_parked_messages_replay() {
    let mut workspace = concert_workspace();
    let broken = {
        let mut consumer = definition(&workspace, Kind::Consumer, "StartOrders");
        consumer["logic"] = json!({ "script": "fn handle(message) { throw \"orders is down\"; }" });
        consumer
    };
    let fixed = definition(&workspace, Kind::Consumer, "StartOrders");
    put(&mut workspace, Kind::Consumer, "StartOrders", broken);
    assert!(
        workspace.restart_needed().is_empty(),
        "{:?}",
        workspace.restart_needed()
    );
    open_sales(workspace.services_mut());
    check_out(workspace.services_mut(), "k1", "u-1", 2);
    let parked_now = parked(workspace.services());
    assert_eq!(parked_now.len(), 1, "{parked_now:?}");
    assert!(parked_now[0].contains("orders is down"), "{parked_now:?}");
    put(&mut workspace, Kind::Consumer, "StartOrders", fixed);
    let replayed = workspace
        .services_mut()
        .replay_parked("StartOrders", None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(replayed, 1);
    workspace.services_mut().run_until_idle();
    assert!(parked(workspace.services()).is_empty());
    let order = support::concert::types(workspace.services(), "orders", "order-k1");
    assert!(order.first().is_some_and(|t| t == "OrderPlaced"), "{order:?}");
}

#[test]
fn an_inbox_turned_on_in_the_editor_is_on_in_the_running_system() {
    let mut workspace = concert_workspace();
    let inbox = |workspace: &Workspace| {
        workspace
            .services()
            .subscribers()
            .into_iter()
            .find(|s| s.name == "ChargeCards")
            .map(|s| s.inbox)
    };
    assert_eq!(inbox(&workspace), Some(false));
    let mut consumer = definition(&workspace, Kind::Consumer, "ChargeCards");
    consumer["inbox"] = json!(true);
    put(&mut workspace, Kind::Consumer, "ChargeCards", consumer);
    assert_eq!(inbox(&workspace), Some(true));
    assert!(workspace.restart_needed().is_empty());
}

#[test]
fn a_new_consumer_waits_for_a_restart_which_keeps_the_main_modules_events() {
    let mut workspace = concert_workspace();
    open_sales(workspace.services_mut());
    check_out(workspace.services_mut(), "k1", "u-1", 1);
    let main_events = workspace.runtime().store().next_position();
    assert!(main_events > 0);
    let mut consumer = edit::template(workspace.scenario(), Kind::Consumer);
    consumer["name"] = json!("AuditCheckouts");
    consumer["topics"] = json!(["CheckoutCompleted"]);
    workspace
        .put(Kind::Consumer, None, consumer)
        .unwrap_or_else(|p| panic!("{p:?}"));
    let waiting = workspace.restart_needed().to_vec();
    assert_eq!(waiting, vec!["consumer AuditCheckouts added"]);
    assert!(!workspace
        .services()
        .subscribers()
        .iter()
        .any(|s| s.name == "AuditCheckouts"));
    workspace.restart_system();
    assert!(workspace.restart_needed().is_empty());
    assert!(workspace
        .services()
        .subscribers()
        .iter()
        .any(|s| s.name == "AuditCheckouts"));
    assert_eq!(workspace.runtime().store().next_position(), main_events);
}
