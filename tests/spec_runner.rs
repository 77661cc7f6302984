//! The spec runner reports failures with a line diff and errors with the script's position.

use eventarium::model::{Scenario, Then};
use eventarium::script::{Limits, Sandbox};
use eventarium::sim::spec::{self, Verdict};
use eventarium::sim::Error;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn cart() -> Scenario {
    Scenario::import(include_str!("../static/scenarios/shopping-cart.eventarium.json")).unwrap_or_default()
}

#[test]
fn a_failing_decider_spec_shows_expected_and_actual() {
    let mut scenario = cart();
    let Some(eventarium::model::Spec::Decider(spec)) = scenario.specs.get_mut(2) else {
        panic!("spec 2 is a decider spec")
    };
    if let Then::Events(events) = &mut spec.then {
        if let Some(event) = events.first_mut() {
            event.data["qty"] = serde_json::json!(5);
        }
    }
    let Some(spec) = scenario.specs.get(2) else {
        panic!("spec 2 exists")
    };
    let report = spec::run(&scenario.model, spec, &mut Sandbox::new(Limits::default(), 0));
    let expected_diff = concat!(
        r#"- ItemAdded {"cartId":"1","currency":"EUR","productId":"A","qty":5,"unitPrice":150}"#,
        "\n",
        r#"+ ItemAdded {"cartId":"1","currency":"EUR","productId":"A","qty":2,"unitPrice":150}"#
    );
    assert_eq!(
        report.verdict,
        Verdict::Failed {
            diff: expected_diff.to_owned()
        },
        "the diff"
    );
}

#[test]
fn a_rejection_where_events_were_expected_fails() {
    let mut scenario = cart();
    let Some(eventarium::model::Spec::Decider(spec)) = scenario.specs.get_mut(1) else {
        panic!("spec 1 is a decider spec")
    };
    spec.then = Then::Nothing;
    let Some(spec) = scenario.specs.get(1) else {
        panic!("spec 1 exists")
    };
    let report = spec::run(&scenario.model, spec, &mut Sandbox::new(Limits::default(), 0));
    let diff = "- (no events)\n+ rejected: \"cart already opened\"".to_owned();
    assert_eq!(report.verdict, Verdict::Failed { diff }, "the diff");
}

#[test]
fn a_failing_projection_spec_diffs_documents() {
    let mut scenario = cart();
    let Some(eventarium::model::Spec::Projection(spec)) = scenario.specs.get_mut(11) else {
        panic!("spec 11 is a projection spec")
    };
    spec.then.insert("C".into(), serde_json::json!({"count": 1}));
    let Some(spec) = scenario.specs.get(11) else {
        panic!("spec 11 exists")
    };
    let report = spec::run(&scenario.model, spec, &mut Sandbox::new(Limits::default(), 0));
    let diff = "  A: {\"count\":2}\n  B: {\"count\":1}\n- C: {\"count\":1}".to_owned();
    assert_eq!(report.verdict, Verdict::Failed { diff }, "the diff");
}

#[test]
fn a_script_error_is_reported_with_its_position() {
    let mut scenario = cart();
    if let Some(stream_type) = scenario.model.stream_types.first_mut() {
        stream_type.script = stream_type.script.replace(
            "let d = command.data;",
            "let d = command.data;\n    let x = missing_variable;",
        );
    }
    let Some(spec) = scenario.specs.first() else {
        panic!("a spec")
    };
    let report = spec::run(&scenario.model, spec, &mut Sandbox::new(Limits::default(), 0));
    let Verdict::Errored(Error::Script(error)) = &report.verdict else {
        panic!("a script error, got {:?}", report.verdict)
    };
    assert_eq!((error.owner.as_str(), error.line), ("decider Cart", Some(4)), "{error}");
}
