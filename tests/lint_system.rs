//! The system's anti-pattern warnings: each rule on a scenario that has the anti-pattern and on
//! the same scenario with the fix applied; the rules that run consumers (`non-idempotent-consumer`,
//! `order-dependent-consumer`, `passive-aggressive-event`) on scenarios whose definitions differ
//! only in what the consumer's module does; and how the findings reach the linter, a workspace
//! and the checker.

mod support;

use eventarium::lint::{lint_system, Finding, Linter, Severity, Subject, Thresholds};
use eventarium::model::Scenario;
use eventarium::session::{check_scenario, Workspace};
use eventarium::sim::{CommandRequest, Expected};
use eventarium::store::{Config, ExpectedRevision, NewEvent, Store};
use serde_json::{json, Value};
use support::system::{system, with_checkout};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The system codes, for the tests that look at all of them.
const SYSTEM_CODES: [&str; 7] = [
    "dual-write",
    "non-idempotent-consumer",
    "private-event-consumer",
    "process-without-timeout",
    "step-without-compensation",
    "order-dependent-consumer",
    "passive-aggressive-event",
];

// The example system of `tests/sim_system.rs`, copied: a test file of its own keeps the two apart.

fn scenario(document: Value) -> Scenario {
    match Scenario::from_value(document) {
        Ok(scenario) => scenario,
        Err(problems) => panic!("the test system does not import: {problems:?}"),
    }
}

/// The system's findings with the default thresholds, less the `disabled` rules.
#[track_caller]
fn lint(document: Value, disabled: &[&str]) -> Vec<Finding> {
    let thresholds = Thresholds {
        disabled: disabled.iter().map(|code| (*code).to_owned()).collect(),
        ..Thresholds::default()
    };
    lint_system(&scenario(document), &thresholds)
}

fn of_code<'f>(findings: &'f [Finding], code: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

/// The one finding of `code`, checked to be on `subject` with `severity` and to say `words`.
#[track_caller]
fn the_finding<'f>(
    findings: &'f [Finding],
    code: &str,
    severity: Severity,
    subject: Subject,
    words: &[&str],
) -> &'f Finding {
    let found = of_code(findings, code);
    assert_eq!(found.len(), 1, "one {code} finding: {findings:#?}");
    let finding = found[0];
    assert_eq!(
        (finding.severity, &finding.subject),
        (severity, &subject),
        "{finding:#?}"
    );
    assert_eq!(finding.id, format!("{code}:{subject}"));
    for word in words {
        assert!(finding.message.contains(word), "{:?} lacks {word:?}", finding.message);
    }
    assert!(!finding.why.is_empty() && !finding.fix.is_empty() && finding.learn_more.starts_with("https://"));
    finding
}

#[track_caller]
fn no_finding(findings: &[Finding], code: &str, case: &str) {
    assert!(
        of_code(findings, code).is_empty(),
        "{case}: {:#?}",
        of_code(findings, code)
    );
}

/// Checks that a disabled rule finds nothing on the document where it fires.
#[track_caller]
fn silent_when_disabled(document: Value, code: &str) {
    let findings = lint(document, &[code]);
    no_finding(&findings, code, "disabled");
}

fn consumer(name: &str, module: &str, topics: &[&str], script: &str) -> Value {
    json!({ "name": name, "module": module, "topics": topics, "inbox": true, "logic": { "script": script } })
}

#[test]
fn dual_write_is_found_on_a_module_whose_contract_is_read_and_not_with_an_outbox() {
    let findings = lint(system("dualWrite", json!({}), true), &[]);
    let subject = Subject::Module { name: "orders".into() };
    the_finding(
        &findings,
        "dual-write",
        Severity::Warning,
        subject,
        &["orders publishes OrderSubmitted (read by BillOrders) by dual write"],
    );

    let fixed = lint(system("outbox", json!({}), true), &[]);
    no_finding(&fixed, "dual-write", "with an outbox");
    let mut unread = system("dualWrite", json!({}), true);
    unread["system"]["consumers"] = json!([]);
    no_finding(&lint(unread, &[]), "dual-write", "nobody reads what orders publishes");
    silent_when_disabled(system("dualWrite", json!({}), true), "dual-write");
}

#[test]
fn a_consumer_that_invoices_twice_on_a_redelivery_is_found_by_running_it() {
    let findings = lint(system("outbox", json!({}), false), &[]);
    let subject = Subject::Consumer {
        name: "BillOrders".into(),
    };
    the_finding(
        &findings,
        "non-idempotent-consumer",
        Severity::Warning,
        subject,
        &[
            "BillOrders (module billing, no inbox)",
            "when OrderSubmitted comes twice",
            "events in billing: 1 after one delivery, 2 after two",
        ],
    );

    let with_inbox = lint(system("outbox", json!({}), true), &[]);
    no_finding(&with_inbox, "non-idempotent-consumer", "with an inbox");
    // Without an inbox, but the invoice decider ignores an order it already invoiced: the
    // redelivery is what tells the two apart, not the settings.
    let mut idempotent = system("outbox", json!({}), false);
    let invoice = &mut idempotent["system"]["modules"][1]["model"]["streamTypes"][0];
    invoice["initialState"] = json!({ "issued": false });
    invoice["script"] = json!(
        "fn decide(command, state) { if state.issued { return []; } [#{ type: \"InvoiceIssued\", data: command.data }] }\nfn evolve(state, event) { state.issued = true; state }"
    );
    no_finding(
        &lint(idempotent, &[]),
        "non-idempotent-consumer",
        "an idempotent decider",
    );
    silent_when_disabled(system("outbox", json!({}), false), "non-idempotent-consumer");
}

#[test]
fn a_subscriber_of_another_modules_private_event_is_found_and_a_contract_reader_is_not() {
    let mut document = system("outbox", json!({}), true);
    document["system"]["consumers"][0]["topics"] = json!(["OrderSubmitted", "orders.OrderPlaced"]);
    document["system"]["processes"] = json!([{ "name": "Watch", "module": "users", "topics": ["orders.OrderCancelled"],
        "correlate": "data.orderId", "timeouts": ["Forget"], "script": "fn evolve(state, input) { state }\nfn decide(input, state) { #{ schedule: [#{ name: \"Forget\", afterMs: 1000 }] } }" }]);
    let findings = lint(document.clone(), &[]);
    let found = of_code(&findings, "private-event-consumer");
    assert_eq!(found.len(), 2, "{found:#?}");
    let subject = Subject::Consumer {
        name: "BillOrders".into(),
    };
    let of_consumer: Vec<Finding> = found
        .iter()
        .filter(|f| f.subject == subject)
        .map(|f| (*f).clone())
        .collect();
    let consumer = the_finding(
        &of_consumer,
        "private-event-consumer",
        Severity::Warning,
        subject,
        &["consumer BillOrders (module billing) subscribes to orders.OrderPlaced, private to its module"],
    );
    assert!(
        !consumer.message.contains("OrderSubmitted"),
        "a contract is no private event: {}",
        consumer.message
    );
    let subject = Subject::Process { name: "Watch".into() };
    assert!(
        found.iter().any(|f| f.subject == subject
            && f.message
                .contains("process Watch (module users) subscribes to orders.OrderCancelled")),
        "{found:#?}"
    );

    // The fix: the contract instead; and a module's own private events are its own business.
    document["system"]["consumers"][0]["topics"] = json!(["OrderSubmitted"]);
    document["system"]["processes"][0]["module"] = json!("orders");
    no_finding(
        &lint(document.clone(), &[]),
        "private-event-consumer",
        "contracts and own events",
    );
    document["system"]["consumers"][0]["topics"] = json!(["OrderSubmitted", "orders.OrderPlaced"]);
    silent_when_disabled(document, "private-event-consumer");
}

#[test]
fn a_process_that_never_schedules_a_timeout_is_found() {
    let checkout = with_checkout(system("outbox", json!({}), true), true, 0.0);
    no_finding(
        &lint(checkout.clone(), &[]),
        "process-without-timeout",
        "a declared and scheduled deadline",
    );

    let mut waiting = checkout.clone();
    waiting["system"]["processes"][0]["timeouts"] = json!([]);
    let script = waiting["system"]["processes"][0]["script"].as_str().unwrap().replace(
        ",\n            schedule: [#{ name: \"PaymentDeadline\", afterMs: 1000, data: #{ orderId: id } }]",
        "",
    );
    assert!(!script.contains("schedule:"), "the test removed the schedule: {script}");
    waiting["system"]["processes"][0]["script"] = json!(script);
    let findings = lint(waiting.clone(), &[]);
    let subject = Subject::Process {
        name: "Checkout".into(),
    };
    the_finding(
        &findings,
        "process-without-timeout",
        Severity::Warning,
        subject,
        &["Checkout declares no timeouts and its script schedules none"],
    );
    silent_when_disabled(waiting, "process-without-timeout");

    // A script that schedules counts even when the timeout is not declared.
    let mut undeclared = checkout;
    undeclared["system"]["processes"][0]["timeouts"] = json!([]);
    no_finding(
        &lint(undeclared, &[]),
        "process-without-timeout",
        "a scheduled, undeclared deadline",
    );
}

#[test]
fn a_process_step_without_compensation_is_found_and_one_with_it_is_not() {
    let mut bare = with_checkout(system("outbox", json!({}), true), true, 0.0);
    bare["system"]["processes"][0]["compensations"] = json!([]);
    bare["system"]["processes"][0]["steps"] = json!(["IssueInvoice", "MarkPaid"]);
    let findings = lint(bare.clone(), &[]);
    let subject = Subject::Process {
        name: "Checkout".into(),
    };
    the_finding(
        &findings,
        "step-without-compensation",
        Severity::Warning,
        subject,
        &["Checkout's steps IssueInvoice, MarkPaid have no compensation"],
    );
    silent_when_disabled(bare.clone(), "step-without-compensation");

    let mut fixed = bare;
    fixed["system"]["processes"][0]["compensations"] = json!([
        { "step": "IssueInvoice", "undo": "VoidInvoice" }, { "step": "MarkPaid", "undo": "CancelOrder" }]);
    fixed["system"]["processes"][0]["steps"] = json!(["IssueInvoice", "MarkPaid", "VoidInvoice"]);
    no_finding(
        &lint(fixed, &[]),
        "step-without-compensation",
        "every step undone; an undo needs none",
    );
}

/// The example system where orders also publish `OrderWithdrawn` (from `OrderCancelled`) and
/// billing's consumer, inbox on, invoices submitted orders and voids withdrawn ones. A strict
/// invoice rejects voiding an invoice it has not issued, so a withdrawal that overtakes the
/// submission is lost; a tolerant one records the void and then ignores the late submission.
fn with_withdrawals(tolerant: bool) -> Value {
    let mut document = system("outbox", json!({}), true);
    let orders = &mut document["system"]["modules"][0];
    orders["contracts"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "OrderWithdrawn",
        "versions": [{ "version": 1, "fields": [{ "name": "orderId", "type": "id" }] }] }));
    orders["translations"].as_array_mut().unwrap().push(json!({ "name": "PublishWithdrawals", "on": ["OrderCancelled"],
        "script": "fn translate(event, state) { [#{ type: \"OrderWithdrawn\", data: #{ orderId: event.data.orderId } }] }" }));
    let billing = &mut document["system"]["modules"][1]["model"];
    billing["eventTypes"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "InvoiceVoided",
        "versions": [{ "version": 1, "fields": [{ "name": "orderId", "type": "id" }] }] }));
    billing["commands"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "VoidInvoice", "streamType": "Invoice",
        "fields": [{ "name": "orderId", "type": "id", "required": true }] }));
    let void = if tolerant {
        "if state.status == \"voided\" { return []; }"
    } else {
        "if state.status != \"issued\" { throw \"no invoice to void\"; }"
    };
    billing["streamTypes"][0]["initialState"] = json!({ "status": "none" });
    billing["streamTypes"][0]["script"] = json!(format!(
        "fn decide(command, state) {{\n switch command.type {{\n \"IssueInvoice\" => {{ if state.status != \"none\" {{ return []; }} [#{{ type: \"InvoiceIssued\", data: command.data }}] }},\n \"VoidInvoice\" => {{ {void} [#{{ type: \"InvoiceVoided\", data: #{{ orderId: command.data.orderId }} }}] }},\n }}\n}}\nfn evolve(state, event) {{\n switch event.type {{ \"InvoiceIssued\" => {{ state.status = \"issued\"; }}, \"InvoiceVoided\" => {{ state.status = \"voided\"; }} }}\n state\n}}"
    ));
    document["system"]["consumers"] = json!([consumer("BillOrders", "billing", &["OrderSubmitted", "OrderWithdrawn"],
        "fn handle(message) {\n let id = message.data.orderId;\n switch message.type {\n \"OrderSubmitted\" => [#{ type: \"IssueInvoice\", streamId: \"invoice-\" + id, data: #{ orderId: id, total: message.data.total } }],\n \"OrderWithdrawn\" => [#{ type: \"VoidInvoice\", streamId: \"invoice-\" + id, data: #{ orderId: id } }],\n _ => []\n }\n}")]);
    document
}

#[test]
fn a_consumer_that_loses_a_withdrawal_arriving_first_is_found_by_running_both_orders() {
    let findings = lint(with_withdrawals(false), &[]);
    let subject = Subject::Consumer {
        name: "BillOrders".into(),
    };
    the_finding(
        &findings,
        "order-dependent-consumer",
        Severity::Warning,
        subject,
        &[
            "BillOrders (module billing) ends differently when OrderWithdrawn arrives before OrderSubmitted",
            "OrderWithdrawn is handled, 1 command(s) accepted with OrderSubmitted first, handled, 0 command(s) accepted with OrderWithdrawn first",
        ],
    );
    no_finding(
        &lint(with_withdrawals(true), &[]),
        "order-dependent-consumer",
        "a tolerant invoice",
    );
    silent_when_disabled(with_withdrawals(false), "order-dependent-consumer");
}

#[test]
fn a_consumer_that_ends_in_another_state_is_order_dependent_too() {
    // Voiding a missing invoice is accepted and recorded, but a late submission issues it again.
    let mut document = with_withdrawals(true);
    let script = document["system"]["modules"][1]["model"]["streamTypes"][0]["script"]
        .as_str()
        .unwrap()
        .replace(
            "if state.status != \"none\" { return []; }",
            "if state.status == \"issued\" { return []; }",
        );
    document["system"]["modules"][1]["model"]["streamTypes"][0]["script"] = json!(script);
    let findings = lint(document, &[]);
    let subject = Subject::Consumer {
        name: "BillOrders".into(),
    };
    the_finding(
        &findings,
        "order-dependent-consumer",
        Severity::Warning,
        subject,
        &["stream billing/invoice-1 ends as: {\"status\":\"voided\"} with OrderSubmitted first, {\"status\":\"issued\"} with OrderWithdrawn first"],
    );
}

#[test]
fn every_system_rule_can_be_switched_off_in_the_settings() {
    let lint = serde_json::from_value(json!({ "disabled": SYSTEM_CODES })).unwrap();
    let thresholds = Thresholds::from_settings(&lint).unwrap_or_else(|problems| panic!("{problems:?}"));
    assert_eq!(thresholds.disabled, SYSTEM_CODES);
    let document = with_billing_answer(true);
    assert!(!lint_system(&scenario(document.clone()), &Thresholds::default()).is_empty());
    assert_eq!(lint_system(&scenario(document), &thresholds), []);
}

#[test]
fn the_pairs_setting_bounds_the_topic_pairs_run_in_both_orders() {
    let mut document = with_withdrawals(false);
    document["system"]["consumers"][0]["topics"] = json!(["UserRegistered", "OrderSubmitted", "OrderWithdrawn"]);
    // The pairs in order: (UserRegistered, OrderSubmitted), (UserRegistered, OrderWithdrawn),
    // then the one that shows it.
    for (pairs, found) in [(2, 0), (3, 1)] {
        document["settings"]["lint"] = json!({ "order-dependent-consumer": { "pairs": pairs } });
        let scenario = scenario(document.clone());
        let thresholds =
            Thresholds::from_settings(&scenario.settings.lint).unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(thresholds.order_pairs, pairs);
        let findings = lint_system(&scenario, &thresholds);
        assert_eq!(
            of_code(&findings, "order-dependent-consumer").len(),
            found,
            "pairs {pairs}"
        );
    }
    let problems = Thresholds::from_settings(
        &serde_json::from_value(json!({ "order-dependent-consumer": { "pairs": 0 } })).unwrap(),
    )
    .err()
    .unwrap_or_default();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].to_string(),
        "settings.lint.order-dependent-consumer.pairs: expected a whole number above 0"
    );
}

/// The example system where billing publishes `OrderBilled` for each invoice; with `answered`,
/// orders reads it (a consumer marking the order paid), so the submission waits for an answer.
fn with_billing_answer(answered: bool) -> Value {
    let mut document = system("outbox", json!({}), true);
    let billing = &mut document["system"]["modules"][1];
    billing["publishing"] = json!("outbox");
    billing["contracts"] = json!([{ "name": "OrderBilled", "versions": [{ "version": 1, "fields": [{ "name": "orderId", "type": "id" }] }] }]);
    billing["translations"] = json!([{ "name": "PublishBilling", "on": ["InvoiceIssued"],
        "script": "fn translate(event, state) { [#{ type: \"OrderBilled\", data: #{ orderId: event.data.orderId } }] }" }]);
    if answered {
        document["system"]["consumers"].as_array_mut().unwrap().push(consumer("RecordBilling", "orders", &["OrderBilled"],
            "fn handle(message) { [#{ type: \"MarkPaid\", streamId: \"order-\" + message.data.orderId, data: #{ orderId: message.data.orderId } }] }"));
    }
    document
}

#[test]
fn an_event_whose_one_consumer_answers_the_publisher_is_found_by_running_it() {
    let findings = lint(with_billing_answer(true), &[]);
    let subject = Subject::Contract {
        name: "OrderSubmitted".into(),
    };
    the_finding(
        &findings,
        "passive-aggressive-event",
        Severity::Info,
        subject,
        &["OrderSubmitted (published by orders) has one subscriber, consumer BillOrders (module billing), whose handling answers with OrderBilled, which orders reads (consumer RecordBilling)"],
    );
    no_finding(
        &lint(with_billing_answer(false), &[]),
        "passive-aggressive-event",
        "orders does not wait for the answer",
    );
    // A second subscriber makes it an event many react to, whatever one of them answers.
    let mut shared = with_billing_answer(true);
    shared["system"]["consumers"].as_array_mut().unwrap().push(consumer(
        "GreetBuyers",
        "users",
        &["OrderSubmitted"],
        "fn handle(message) { [] }",
    ));
    no_finding(&lint(shared, &[]), "passive-aggressive-event", "two subscribers");
    silent_when_disabled(with_billing_answer(true), "passive-aggressive-event");
}

#[test]
fn a_scenario_without_a_system_has_no_system_findings() {
    let mut document = system("dualWrite", json!({}), false);
    document.as_object_mut().unwrap().remove("system");
    let scenario = scenario(document);
    assert!(lint_system(&scenario, &Thresholds::default()).is_empty());
    let mut workspace = Workspace::open(scenario).unwrap_or_else(|error| panic!("{error}"));
    let codes: Vec<&str> = workspace.findings().iter().map(|f| f.code).collect();
    assert!(codes.iter().all(|code| !SYSTEM_CODES.contains(code)), "{codes:?}");
}

#[test]
fn a_workspace_and_the_checker_list_the_system_findings_and_commands_keep_them() {
    let document = system("dualWrite", json!({}), false);
    let expected = lint(document.clone(), &[]);
    let ids: Vec<&str> = expected.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "dual-write:module orders",
            "non-idempotent-consumer:consumer BillOrders"
        ]
    );

    let mut workspace = Workspace::open(scenario(document.clone())).unwrap_or_else(|error| panic!("{error}"));
    let system_findings = |workspace: &mut Workspace| -> Vec<Finding> {
        workspace
            .findings()
            .iter()
            .filter(|f| SYSTEM_CODES.contains(&f.code))
            .cloned()
            .collect()
    };
    assert_eq!(system_findings(&mut workspace), expected);
    let placed = workspace.execute(&CommandRequest {
        command: "PlaceOrder".into(),
        stream_id: "order-1".into(),
        data: json!({ "orderId": "1", "total": 40 }),
        expected: Expected::Read,
        ..CommandRequest::default()
    });
    assert!(placed.is_ok(), "{placed:?}");
    assert_eq!(system_findings(&mut workspace), expected, "an append keeps them");
    assert!(!workspace.findings_are_stale());

    let report = check_scenario("orders.eventarium.json", &document.to_string());
    assert!(
        report
            .text
            .contains("warning dual-write (module orders): orders publishes OrderSubmitted"),
        "{}",
        report.text
    );
    assert!(
        report
            .text
            .contains("warning non-idempotent-consumer (consumer BillOrders)"),
        "{}",
        report.text
    );
}

#[test]
fn the_linter_finds_them_again_when_the_model_changes() {
    // RecordBilling, in orders and without an inbox, marks an order paid: the order decider
    // rejects paying an order twice, so a redelivery changes nothing, until a model that pays
    // whatever the state.
    let mut document = with_billing_answer(true);
    document["system"]["consumers"][1]["inbox"] = json!(false);
    let scenario = scenario(document);
    let mut store = Store::new(Config::default());
    let mut linter = Linter::new(&scenario.model, &store, Thresholds::default()).with_system(&scenario);
    let id = "non-idempotent-consumer:consumer RecordBilling";
    let has = |linter: &Linter, id: &str| linter.findings().iter().any(|f| f.id == id);
    assert!(!has(&linter, id), "{:#?}", linter.findings());
    assert!(has(&linter, "passive-aggressive-event:contract OrderSubmitted"));

    store
        .append(
            "order-1",
            ExpectedRevision::Any,
            vec![NewEvent::new("OrderPlaced", json!({ "orderId": "1", "total": 5 }))],
        )
        .unwrap_or_else(|error| panic!("{error}"));
    linter.after_append(&scenario.model, &store, &["order-1"]);
    assert!(
        has(&linter, "passive-aggressive-event:contract OrderSubmitted"),
        "an append keeps them"
    );

    let mut paying = scenario.model.clone();
    paying.stream_types[0].script = paying.stream_types[0].script.replace(
        "if state.status != \"placed\" { throw \"not awaiting payment\"; } [#{ type: \"OrderPaid\"",
        "[#{ type: \"OrderPaid\"",
    );
    assert_ne!(paying, scenario.model, "the test changed the decider");
    linter.relint(&paying, &store);
    let finding = linter
        .findings()
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("{:#?}", linter.findings()));
    assert!(
        finding
            .message
            .contains("events in orders: 1 after one delivery, 2 after two"),
        "{}",
        finding.message
    );
    let sorted = linter.findings().windows(2).all(|w| w[0].id < w[1].id);
    assert!(sorted, "the findings stay sorted by id");
}
