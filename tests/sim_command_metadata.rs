//! What a decider sees of a command besides its data, `command.metadata`: the simulated clock
//! as `now` (so a deadline is a rule like any other, in the runtime and in a spec), the
//! correlation and causation ids, and who sent it.

mod support;

use support::{request, run};

use eventarium::model::Model;
use eventarium::sim::Runtime;
use eventarium::store::{Config, Direction, RecordedEvent, Store};
use serde_json::{json, Value};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn events(store: &Store, stream_id: &str) -> Vec<RecordedEvent> {
    store
        .read_stream(stream_id, 0, usize::MAX, Direction::Forwards)
        .unwrap_or_default()
}

fn store_at(clock_start_ms: i64) -> Store {
    Store::new(Config {
        clock_start_ms,
        ..Config::default()
    })
}

/// `Note` to `note-*` streams appends `Noted` with what `decide` saw in `command.metadata`.
fn notes() -> Model {
    let text = |name: &str| json!({"name": name, "type": "string", "required": true});
    let script = concat!(
        "fn decide(command, state) {\n",
        "    let m = command.metadata;\n",
        "    [#{ type: \"Noted\", data: #{ by: m.sender, correlation: m.correlationId, causation: m.causationId, at: m.now } }]\n",
        "}\n",
        "fn evolve(state, event) { state }\n",
    );
    support::model(json!({
        "eventTypes": [{"name": "Noted", "versions": [{"version": 1, "fields": [
            text("by"), text("correlation"), text("causation"), {"name": "at", "type": "int", "required": true}
        ]}]}],
        "commands": [{"name": "Note", "streamType": "Notes"}],
        "streamTypes": [{"name": "Notes", "streamIdPattern": "note-{id}", "initialState": {}, "script": script}],
    }))
}

#[test]
fn a_decider_sees_who_sent_the_command_and_its_chain() {
    let mut runtime = Runtime::with_store(notes(), store_at(5_000), 0);
    run(&mut runtime, &request("Note", "note-1", json!({})));
    let mut named = request("Note", "note-1", json!({}));
    named.sender = Some("ann".to_owned());
    named.correlation_id = Some("session-1".to_owned());
    run(&mut runtime, &named);
    let noted = events(runtime.store(), "note-1");
    let seen: Vec<(Value, Option<&str>)> = noted
        .iter()
        .map(|e| (e.data.clone(), e.metadata.headers.get("sender").map(String::as_str)))
        .collect();
    let by_user = json!({"by": "user", "correlation": "cmd-1", "causation": "cmd-1", "at": 5_000});
    let by_ann = json!({"by": "ann", "correlation": "session-1", "causation": "cmd-2", "at": 5_000});
    assert_eq!(seen, [(by_user, None), (by_ann, Some("ann"))]);
}

/// `Reserve` to `hold-*` holds for a minute from `command.metadata.now`; `Confirm` is rejected
/// once that has passed.
fn reservations() -> Model {
    let script = concat!(
        "fn decide(command, state) {\n",
        "    let now = command.metadata.now;\n",
        "    switch command.type {\n",
        "        \"Reserve\" => [#{ type: \"Reserved\", data: #{ expiresAt: now + 60000 } }],\n",
        "        \"Confirm\" => {\n",
        "            if now > state.expiresAt { throw \"reservation expired\"; }\n",
        "            [#{ type: \"Confirmed\", data: #{} }]\n",
        "        },\n",
        "    }\n",
        "}\n",
        "fn evolve(state, event) {\n",
        "    if event.type == \"Reserved\" { state.expiresAt = event.data.expiresAt; }\n",
        "    state\n",
        "}\n",
    );
    support::model(json!({
        "eventTypes": [
            {"name": "Reserved", "versions": [{"version": 1, "fields": [{"name": "expiresAt", "type": "int", "required": true}]}]},
            {"name": "Confirmed", "versions": [{"version": 1, "fields": []}]},
        ],
        "commands": [
            {"name": "Reserve", "streamType": "Hold"},
            {"name": "Confirm", "streamType": "Hold"},
        ],
        "streamTypes": [
            {"name": "Hold", "streamIdPattern": "hold-{id}", "initialState": {"expiresAt": 0}, "script": script},
        ],
    }))
}

#[test]
fn a_decider_reads_the_simulated_clock_from_the_command_metadata() {
    let mut runtime = Runtime::with_store(reservations(), store_at(10_000), 0);
    for hold in ["hold-1", "hold-2"] {
        run(&mut runtime, &request("Reserve", hold, json!({})));
    }
    let reserved: Vec<Value> = events(runtime.store(), "hold-1").into_iter().map(|e| e.data).collect();
    assert_eq!(reserved, [json!({"expiresAt": 70_000})]);
    let cases = [
        ("within the minute", "hold-1", 60_000, "Confirmed"),
        ("past it", "hold-2", 1, "rejected"),
    ];
    for (case, hold, wait, expected) in cases {
        runtime.advance_clock(wait).unwrap_or_else(|e| panic!("{e}"));
        let executed = runtime
            .execute(&request("Confirm", hold, json!({})))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        let outcome = match executed.decision.outcome {
            eventarium::sim::decider::Outcome::Accepted(events) => events[0].event_type.clone(),
            eventarium::sim::decider::Outcome::Rejected(rejection) => {
                assert_eq!(rejection.message, "reservation expired", "{case}");
                "rejected".to_owned()
            }
        };
        assert_eq!(outcome, expected, "{case}");
    }
}

#[test]
fn a_spec_gives_the_clock_for_a_deadline() {
    use support::given::{event, given};
    let model = reservations();
    let reserved = || [event("hold-1", "Reserved", json!({"expiresAt": 60_000}))];
    given(&model, reserved())
        .when("hold-1", "Confirm", json!({}))
        .at(60_000)
        .then([("Confirmed", json!({}))]);
    given(&model, reserved())
        .when("hold-1", "Confirm", json!({}))
        .at(60_001)
        .then_rejected("reservation expired");
    given(&model, reserved())
        .when("hold-1", "Confirm", json!({}))
        .named("without a clock: the epoch")
        .then([("Confirmed", json!({}))]);
}
