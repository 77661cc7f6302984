//! Specs of policies, translations, consumers and process managers: the built-in ones pass, a
//! wrong expectation fails with a line diff, a script that throws errs with its message, and a
//! spec naming something that is not there is refused on import.

mod support;

use eventarium::model::Scenario;
use eventarium::script::{Limits, Sandbox};
use eventarium::sim::spec::{self, Verdict};
use eventarium::sim::Error;
use serde_json::{json, Value};
use support::built_in;
use support::concert::{self, CONCERT};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const POLICY: &str = "a confirmed cart goes into the shopper's purchase history";
const TRANSLATION: &str = "a confirmed cart is published as a completed checkout";
const CONSUMER: &str = "a completed checkout places the order under the cart's id";
const CALLS: &str = "a submitted payment charges the card, without an idempotency key";
const PROCESS: &str = "a failed payment cancels the order and keeps its seats held";

/// The verdict of spec `name` in `document`.
#[track_caller]
fn verdict(document: &Value, name: &str) -> Verdict {
    let scenario = built_in::import(CONCERT, &document.to_string());
    let spec = built_in::spec(&scenario, name);
    spec::run(&scenario, spec, &mut Sandbox::new(Limits::default(), 0)).verdict
}

/// The spec called `name` in the document, to be changed.
#[track_caller]
fn spec_mut<'d>(document: &'d mut Value, name: &str) -> &'d mut Value {
    let specs = document["specs"].as_array_mut().expect("specs");
    match specs.iter_mut().find(|s| s["name"] == name) {
        Some(spec) => spec,
        None => panic!("no spec {name:?}"),
    }
}

#[track_caller]
fn failed(verdict: Verdict) -> String {
    match verdict {
        Verdict::Failed { diff } => diff,
        other => panic!("a failure, got {other:?}"),
    }
}

#[test]
fn each_kind_of_reaction_spec_passes() {
    let document = concert::document();
    for name in [POLICY, TRANSLATION, CONSUMER, CALLS, PROCESS] {
        assert_eq!(verdict(&document, name), Verdict::Passed, "{name}");
    }
    let cart = built_in::cart();
    let name = "a confirmed cart is recorded as the customer's purchase";
    let report = spec::run(
        &cart,
        built_in::spec(&cart, name),
        &mut Sandbox::new(Limits::default(), 0),
    );
    assert_eq!(report.verdict, Verdict::Passed, "{name}");
}

#[test]
fn a_policy_spec_diffs_the_commands() {
    let mut document = concert::document();
    spec_mut(&mut document, POLICY)["then"]["commands"][0]["data"]["total"] = json!(1);
    let diff = concat!(
        r#"- command RecordPurchase → shopper-u-1 {"cartId":"k1","concertId":"warsaw","customerId":"u-1","tickets":2,"total":1}"#,
        "\n",
        r#"+ command RecordPurchase → shopper-u-1 {"cartId":"k1","concertId":"warsaw","customerId":"u-1","tickets":2,"total":120000}"#
    );
    assert_eq!(failed(verdict(&document, POLICY)), diff);
}

#[test]
fn a_policy_spec_for_an_event_it_ignores_expects_nothing() {
    let mut document = concert::document();
    spec_mut(&mut document, POLICY)["when"]["event"]["type"] = json!("CartOpened");
    let diff = failed(verdict(&document, POLICY));
    assert!(diff.ends_with("\n+ (nothing)"), "{diff}");
}

#[test]
fn a_translation_spec_diffs_the_messages() {
    let mut document = concert::document();
    spec_mut(&mut document, TRANSLATION)["then"]["messages"][0]["type"] = json!("CheckoutStarted");
    let diff = failed(verdict(&document, TRANSLATION));
    let lines: Vec<&str> = diff.lines().collect();
    assert_eq!(lines.len(), 2, "{diff}");
    assert!(lines[0].starts_with("- message CheckoutStarted {"), "{diff}");
    assert!(lines[1].starts_with("+ message CheckoutCompleted {"), "{diff}");
}

#[test]
fn a_consumer_spec_diffs_commands_and_calls() {
    let mut document = concert::document();
    spec_mut(&mut document, CALLS)["then"]["calls"][0]["key"] = json!("k1");
    let diff = concat!(
        r#"- call PaymentGateway key k1 {"amount":120000,"cardToken":"tok-visa","orderId":"k1"}"#,
        "\n",
        r#"+ call PaymentGateway {"amount":120000,"cardToken":"tok-visa","orderId":"k1"}"#
    );
    assert_eq!(failed(verdict(&document, CALLS)), diff);
}

#[test]
fn a_process_spec_diffs_timeouts_and_the_end() {
    let mut document = concert::document();
    let spec = spec_mut(&mut document, PROCESS);
    spec["then"]["timeouts"] = json!([{ "name": "PaymentDue", "afterMs": 900000 }]);
    spec["then"]["done"] = json!(false);
    let diff = failed(verdict(&document, PROCESS));
    let lines: Vec<&str> = diff.lines().collect();
    assert!(lines[0].starts_with("  command UpdateOrder → order-k1 {"), "{diff}");
    assert_eq!(
        &lines[1..],
        ["- timeout PaymentDue after 900000 ms", "+ done"],
        "{diff}"
    );
}

#[test]
fn a_process_spec_folds_its_given_inputs() {
    let mut document = concert::document();
    // Without the seats held, the order is still reserving: a failed payment does nothing.
    spec_mut(&mut document, PROCESS)["given"]
        .as_array_mut()
        .expect("given")
        .pop();
    let diff = failed(verdict(&document, PROCESS));
    assert!(diff.ends_with("- done\n+ (nothing)"), "{diff}");
}

#[test]
fn a_script_that_throws_errs_with_its_message() {
    let mut document = concert::document();
    let throwing = "fn handle(message) {\n    throw \"no orders today\";\n}\n";
    concert::entry(&mut document, "consumers", "StartOrders")["logic"] = json!({ "script": throwing });
    let throwing = "fn evolve(state, input) { state }\nfn decide(input, state) {\n    throw \"stuck\";\n}\n";
    concert::entry(&mut document, "processes", "OrderFulfilment")["script"] = json!(throwing);
    for (name, message) in [(CONSUMER, "no orders today"), (PROCESS, "stuck")] {
        let verdict = verdict(&document, name);
        let Verdict::Errored(Error::Script(error)) = &verdict else {
            panic!("{name}: a script error, got {verdict:?}")
        };
        assert!(error.message.contains(message), "{name}: {error}");
    }
}

#[test]
fn a_reaction_spec_naming_what_is_not_there_is_refused() {
    let mut document = concert::document();
    spec_mut(&mut document, POLICY)["policy"] = json!("RecordEverything");
    spec_mut(&mut document, TRANSLATION)["translation"] = json!("PublishCarts");
    spec_mut(&mut document, CONSUMER)["consumer"] = json!("StartEverything");
    spec_mut(&mut document, PROCESS)["process"] = json!("OrderFlow");
    let problems = match Scenario::import(&document.to_string()) {
        Ok(_) => panic!("imported with unknown references"),
        Err(problems) => problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
    };
    let index = |name: &str| {
        document["specs"]
            .as_array()
            .and_then(|specs| specs.iter().position(|s| s["name"] == name))
            .expect("the spec")
    };
    let expected = [
        format!(
            r#"specs[{}].policy: in spec "{POLICY}": unknown policy "RecordEverything""#,
            index(POLICY)
        ),
        format!(
            r#"specs[{}].translation: in spec "{TRANSLATION}": unknown translation "PublishCarts""#,
            index(TRANSLATION)
        ),
        format!(
            r#"specs[{}].consumer: in spec "{CONSUMER}": unknown consumer "StartEverything""#,
            index(CONSUMER)
        ),
        format!(
            r#"specs[{}].process: in spec "{PROCESS}": unknown process "OrderFlow""#,
            index(PROCESS)
        ),
    ];
    for problem in &expected {
        assert!(problems.contains(problem), "missing {problem:?} in {problems:#?}");
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}
