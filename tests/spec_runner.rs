//! The spec runner reports failures with a line diff and errors with the script's position.

mod support;

use eventarium::model::Then;
use eventarium::script::{Limits, Sandbox};
use eventarium::sim::spec::{self, Verdict};
use eventarium::sim::Error;
use support::built_in::{self, decider_spec_mut, projection_spec_mut};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The verdict of the cart's spec `name` as the runner gives it.
fn verdict(scenario: &eventarium::model::Scenario, name: &str) -> Verdict {
    let spec = built_in::spec(scenario, name);
    spec::run(scenario, spec, &mut Sandbox::new(Limits::default(), 0)).verdict
}

#[test]
fn a_failing_decider_spec_shows_expected_and_actual() {
    let mut scenario = built_in::cart();
    let name = "adding an item to an open cart";
    if let Then::Events(events) = &mut decider_spec_mut(&mut scenario, name).then {
        if let Some(event) = events.first_mut() {
            event.data["qty"] = serde_json::json!(5);
        }
    }
    let expected_diff = concat!(
        r#"- ItemAdded {"cartId":"1","currency":"EUR","productId":"A","qty":5,"unitPrice":150}"#,
        "\n",
        r#"+ ItemAdded {"cartId":"1","currency":"EUR","productId":"A","qty":2,"unitPrice":150}"#
    );
    assert_eq!(
        verdict(&scenario, name),
        Verdict::Failed {
            diff: expected_diff.to_owned()
        },
        "the diff"
    );
}

#[test]
fn a_rejection_where_events_were_expected_fails() {
    let mut scenario = built_in::cart();
    let name = "cannot open a cart twice";
    decider_spec_mut(&mut scenario, name).then = Then::Nothing;
    let diff = "- (no events)\n+ rejected: \"cart already opened\"".to_owned();
    assert_eq!(verdict(&scenario, name), Verdict::Failed { diff }, "the diff");
}

#[test]
fn a_failing_projection_spec_diffs_documents() {
    let mut scenario = built_in::cart();
    let name = "products are counted across carts";
    projection_spec_mut(&mut scenario, name)
        .then
        .insert("C".into(), serde_json::json!({"count": 1}));
    let diff = "  A: {\"count\":2}\n  B: {\"count\":1}\n- C: {\"count\":1}".to_owned();
    assert_eq!(verdict(&scenario, name), Verdict::Failed { diff }, "the diff");
}

#[test]
fn a_script_error_is_reported_with_its_position() {
    let mut scenario = built_in::cart();
    let Some(stream_type) = scenario.model.stream_types.iter_mut().find(|s| s.name == "Cart") else {
        panic!("the cart has a Cart stream type")
    };
    stream_type.script = stream_type.script.replace(
        "let d = command.data;",
        "let d = command.data;\n    let x = missing_variable;",
    );
    let verdict = verdict(&scenario, "opening a cart");
    let Verdict::Errored(Error::Script(error)) = &verdict else {
        panic!("a script error, got {verdict:?}")
    };
    assert_eq!((error.owner.as_str(), error.line), ("decider Cart", Some(4)), "{error}");
}
