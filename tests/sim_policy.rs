//! Policies through `sim::policy::react`: scripted and mapping policies, and bad script results.

mod support;

use eventarium::model::Policy;
use eventarium::sim::policy::{self, PolicyCommand};
use eventarium::sim::Error;
use serde_json::{json, Value};
use support::{envelope, sandbox};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[track_caller]
fn policy(value: Value) -> Policy {
    match serde_json::from_value(value) {
        Ok(policy) => policy,
        Err(error) => panic!("the test policy does not parse: {error}"),
    }
}

fn command(name: &str, stream_id: &str, data: Value) -> PolicyCommand {
    PolicyCommand {
        command: name.to_owned(),
        stream_id: stream_id.to_owned(),
        data,
    }
}

#[test]
fn a_scripted_policy_issues_the_commands_its_script_returns() {
    let script = r#"fn react(event) {
        let d = event.data;
        if d.total == 0 { return []; }
        [#{ type: "RecordPurchase", streamId: "customer-" + d.customerId, data: #{ total: d.total, from: event.streamId } },
         #{ type: "Notify", streamId: "mail-" + d.customerId }]
    }"#;
    let reacting = policy(json!({"name": "Record", "on": ["CartConfirmed"], "logic": {"script": script}}));
    let event = |event_type: &str, total: i64| envelope(event_type, 1, json!({"customerId": "c7", "total": total}));
    let cases = [
        (
            "a matching event",
            event("CartConfirmed", 30),
            vec![
                command("RecordPurchase", "customer-c7", json!({"total": 30, "from": "thing-1"})),
                command("Notify", "mail-c7", json!({})),
            ],
        ),
        ("the script decides on nothing", event("CartConfirmed", 0), vec![]),
        ("another event type", event("CartCancelled", 30), vec![]),
    ];
    for (case, event, expected) in cases {
        let commands = policy::react(&reacting, &mut sandbox(), &event);
        assert_eq!(commands, Ok(expected), "{case}: the commands");
    }
}

#[test]
fn a_scripted_policy_with_a_bad_result_is_an_error_naming_it() {
    let cases = [
        (
            "a map",
            "fn react(event) { #{} }",
            "react must return an array of commands #{ type, streamId, data }",
        ),
        (
            "no stream id",
            r#"fn react(event) { [#{ type: "X" }] }"#,
            "each command needs a type and a streamId",
        ),
    ];
    for (case, script, message) in cases {
        let reacting = policy(json!({"name": "P", "on": ["E"], "logic": {"script": script}}));
        let result = policy::react(&reacting, &mut sandbox(), &envelope("E", 1, json!({})));
        let expected = Error::BadResult {
            owner: "policy P".to_owned(),
            message: message.to_owned(),
        };
        assert_eq!(result, Err(expected), "{case}: the error");
    }
}

#[test]
fn a_mapping_policy_builds_commands_from_the_event() {
    let mapping = policy(json!({
        "name": "Invoice",
        "on": ["GuestCheckedOut", "StayExtended"],
        "logic": {"mapping": [
            {
                "command": "CreateInvoice",
                "streamId": "invoice-{data.stayId}-{revision}",
                "data": {"stayId": "data.stayId", "amount": "data.bill.total", "guest": "streamId", "note": "data.note"},
            },
            {"command": "Thank", "streamId": "guest-{data.guest}"},
        ]},
    }));
    let data = json!({"stayId": "s1", "bill": {"total": 250}, "guest": 12, "note": null});
    let cases = [
        (
            "the first listed type",
            envelope("GuestCheckedOut", 1, data.clone()),
            vec![
                command(
                    "CreateInvoice",
                    "invoice-s1-4",
                    json!({"stayId": "s1", "amount": 250, "guest": "thing-1"}),
                ),
                command("Thank", "guest-12", json!({})),
            ],
        ),
        (
            "the second listed type",
            envelope("StayExtended", 1, json!({"stayId": "s2"})),
            vec![
                command(
                    "CreateInvoice",
                    "invoice-s2-4",
                    json!({"stayId": "s2", "guest": "thing-1"}),
                ),
                command("Thank", "guest-", json!({})),
            ],
        ),
        ("another type", envelope("GuestArrived", 1, data), vec![]),
    ];
    for (case, event, expected) in cases {
        let commands = policy::react(&mapping, &mut sandbox(), &event);
        assert_eq!(commands, Ok(expected), "{case}: the commands");
    }
}
