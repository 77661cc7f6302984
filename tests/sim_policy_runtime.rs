//! Policies running in `sim::Runtime`: the built-in cart records a purchase once a cart is
//! confirmed (async in the steps, inline within the command), policy commands carry the chain
//! (correlation, causation, sender) and deciders see it in `command.metadata`, rejections are
//! counted, failures stop the policy until it is skipped or fixed, loops stop at a limit, a
//! redeploy keeps checkpoints and a reload never sends a command twice.

mod support;

use support::{request, run};

use eventarium::model::{Lifecycle, Model};
use eventarium::session::{ExpectedMode, SendOutcome, Workspace};
use eventarium::sim::{CommandRequest, PolicyState, PolicyStatus, Runtime, MAX_INLINE_COMMANDS, MAX_POLICY_DEPTH};
use eventarium::store::{Config, Direction, RecordedEvent, Store};
use serde_json::{json, Value};
use support::built_in::{self, cart_runtime};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The built-in cart's policy.
const RECORD: &str = "RecordPurchaseOnConfirmation";

#[track_caller]
fn events(store: &Store, stream_id: &str) -> Vec<RecordedEvent> {
    store
        .read_stream(stream_id, 0, usize::MAX, Direction::Forwards)
        .unwrap_or_default()
}

fn data(store: &Store, stream_id: &str) -> Vec<Value> {
    events(store, stream_id).into_iter().map(|e| e.data).collect()
}

#[track_caller]
fn policy(runtime: &Runtime, name: &str) -> PolicyStatus {
    runtime.policy(name).unwrap_or_else(|e| panic!("{e}"))
}

/// Cart `id` of `customer` opened with two items of 150, then confirmed: a total of 300.
fn confirmed_cart(runtime: &mut Runtime, id: &str, customer: &str) {
    let stream = format!("cart-{id}");
    run(
        runtime,
        &request("OpenCart", &stream, json!({"cartId": id, "customerId": customer})),
    );
    let item = json!({"cartId": id, "productId": "A", "qty": 2, "unitPrice": 150});
    run(runtime, &request("AddItem", &stream, item));
    run(runtime, &request("ConfirmCart", &stream, json!({"cartId": id})));
}

fn purchase(customer: &str, cart: &str) -> Value {
    json!({"customerId": customer, "cartId": cart, "total": 300})
}

#[test]
fn confirming_a_cart_records_the_purchase_in_the_next_step() {
    let mut runtime = cart_runtime();
    assert_eq!(policy(&runtime, RECORD).lifecycle, Lifecycle::Async, "the default");
    confirmed_cart(&mut runtime, "1", "c-7");
    assert_eq!(
        data(runtime.store(), "customer-c-7"),
        Vec::<Value>::new(),
        "not within the command"
    );
    let waiting = policy(&runtime, RECORD);
    assert_eq!(
        (waiting.state, waiting.checkpoint, waiting.lag),
        (PolicyState::CatchingUp, 0, 3)
    );

    runtime.run_until_idle();
    assert_eq!(data(runtime.store(), "customer-c-7"), [purchase("c-7", "1")]);
    let done = policy(&runtime, RECORD);
    assert_eq!(
        (
            done.state,
            done.checkpoint,
            done.commands_sent,
            done.rejections,
            done.stopped
        ),
        (PolicyState::Live, runtime.head(), 1, 0, None)
    );
}

#[test]
fn an_inline_policy_records_the_purchase_within_the_confirmation() {
    let mut document = built_in::cart_json();
    document["model"]["policies"][0]["lifecycle"] = json!("inline");
    let mut runtime = built_in::runtime(&built_in::import("the inline cart", &document.to_string()));
    confirmed_cart(&mut runtime, "1", "c-7");
    let recorded = events(runtime.store(), "customer-c-7");
    assert_eq!(recorded.iter().map(|e| e.position).collect::<Vec<_>>(), [3]);
    assert_eq!(recorded[0].data, purchase("c-7", "1"));
    let status = policy(&runtime, RECORD);
    assert_eq!(
        (status.state, status.lag, status.commands_sent),
        (PolicyState::Live, 0, 1)
    );

    // Confirming again changes nothing, so nothing is recorded again; another cart is.
    run(&mut runtime, &request("ConfirmCart", "cart-1", json!({"cartId": "1"})));
    confirmed_cart(&mut runtime, "2", "c-7");
    assert_eq!(
        data(runtime.store(), "customer-c-7"),
        [purchase("c-7", "1"), purchase("c-7", "2")]
    );
    let status = policy(&runtime, RECORD);
    assert_eq!(
        (status.checkpoint, status.commands_sent),
        (runtime.head(), 2),
        "nothing left for a step"
    );
}

/// Event types `Pinged { n }` and `Ponged { n, by, correlation, causation, at }`; `Ping` to
/// `ping-*` streams, `Pong` to `pong-*` streams, whose decider writes what it saw in
/// `command.metadata` into the event and rejects a negative `n`; and `policies`.
fn ping_pong(policies: Value) -> Runtime {
    let int = |name: &str| json!({"name": name, "type": "int", "required": true});
    let text = |name: &str| json!({"name": name, "type": "string", "required": true});
    let model: Model = support::model(json!({
        "eventTypes": [
            {"name": "Pinged", "versions": [{"version": 1, "fields": [int("n")]}]},
            {"name": "Ponged", "versions": [{"version": 1, "fields": [
                int("n"), text("by"), text("correlation"), text("causation"), int("at")
            ]}]},
        ],
        "commands": [
            {"name": "Ping", "streamType": "Pinger", "fields": [int("n")]},
            {"name": "Pong", "streamType": "Ponger", "fields": [int("n")]},
        ],
        "streamTypes": [
            {
                "name": "Pinger", "streamIdPattern": "ping-{id}", "initialState": {},
                "script": "fn decide(command, state) { [#{ type: \"Pinged\", data: #{ n: command.data.n } }] }\nfn evolve(state, event) { state }",
            },
            {
                "name": "Ponger", "streamIdPattern": "pong-{id}", "initialState": {},
                "script": concat!(
                    "fn decide(command, state) {\n",
                    "    if command.data.n < 0 { throw \"no negative pongs\"; }\n",
                    "    let m = command.metadata;\n",
                    "    [#{ type: \"Ponged\", data: #{ n: command.data.n, by: m.sender, correlation: m.correlationId, causation: m.causationId, at: m.now } }]\n",
                    "}\n",
                    "fn evolve(state, event) { state }",
                ),
            },
        ],
        "policies": policies,
    }));
    let store = Store::new(Config {
        clock_start_ms: 1_000,
        ..Config::default()
    });
    Runtime::with_store(model, store, 0)
}

/// `Echo`: on `Pinged`, a `Pong` of the same `n` to `pong-1`; it fails on 13.
fn echo(lifecycle: &str) -> Value {
    let script = concat!(
        "fn react(event) {\n",
        "    if event.data.n == 13 { throw \"unlucky \" + event.data.n; }\n",
        "    [#{ type: \"Pong\", streamId: \"pong-1\", data: #{ n: event.data.n } }]\n",
        "}\n",
    );
    json!({"name": "Echo", "on": ["Pinged"], "lifecycle": lifecycle, "logic": {"script": script}})
}

fn ping(n: i64) -> CommandRequest {
    request("Ping", "ping-1", json!({"n": n}))
}

#[test]
fn a_policy_command_carries_the_chain_and_the_decider_sees_it() {
    for lifecycle in ["inline", "async"] {
        let mut runtime = ping_pong(json!([echo(lifecycle)]));
        runtime.advance_clock(500).unwrap_or_else(|e| panic!("{e}"));
        let mut first = ping(1);
        first.correlation_id = Some("session-1".to_owned());
        run(&mut runtime, &first);
        runtime.run_until_idle();

        let pinged = &events(runtime.store(), "ping-1")[0];
        let pinged_id = pinged.event_id.to_string();
        assert_eq!(pinged.metadata.causation_id.as_deref(), Some("cmd-1"), "{lifecycle}");
        let ponged = events(runtime.store(), "pong-1");
        assert_eq!(ponged.len(), 1, "{lifecycle}: one pong");
        let seen = json!({"n": 1, "by": "Echo", "correlation": "session-1", "causation": pinged_id, "at": 1_500});
        assert_eq!(ponged[0].data, seen, "{lifecycle}: what decide saw in command.metadata");
        let metadata = &ponged[0].metadata;
        assert_eq!(metadata.correlation_id.as_deref(), Some("session-1"), "{lifecycle}");
        assert_eq!(
            metadata.causation_id.as_deref(),
            Some(pinged_id.as_str()),
            "{lifecycle}"
        );
        let headers: Vec<(&str, &str)> = metadata.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            headers,
            [("command", "Pong"), ("policyDepth", "1"), ("sender", "Echo")],
            "{lifecycle}"
        );
    }
}

/// A ping-pong runtime whose async `Echo` stopped on the ping of 13, after a ping of -1 (its
/// pong rejected); a ping of 2 waits behind the stop.
fn stopped_echo() -> Runtime {
    let mut runtime = ping_pong(json!([echo("async")]));
    for n in [-1, 13, 2] {
        run(&mut runtime, &ping(n));
    }
    runtime.run_until_idle();
    runtime
}

#[test]
fn a_rejection_is_counted_and_a_failure_stops_the_policy_at_its_event() {
    let runtime = stopped_echo();
    let status = policy(&runtime, "Echo");
    assert_eq!((status.commands_sent, status.rejections), (1, 1));
    let rejection = status.last_rejection.unwrap_or_else(|| panic!("no rejection recorded"));
    assert_eq!(
        (
            rejection.position,
            rejection.command.as_str(),
            rejection.message.as_str()
        ),
        (0, "Pong", "no negative pongs")
    );
    assert_eq!(
        (status.state, status.checkpoint, status.lag),
        (PolicyState::Stopped, 1, 2)
    );
    let stopped = status.stopped.unwrap_or_else(|| panic!("not stopped"));
    assert_eq!(
        (stopped.position, stopped.event_type.as_str(), stopped.line),
        (1, "Pinged", Some(2))
    );
    assert!(stopped.error.contains("unlucky 13"), "{}", stopped.error);
    assert_eq!(
        data(runtime.store(), "pong-1"),
        Vec::<Value>::new(),
        "nothing after the stop"
    );
}

#[test]
fn a_stopped_policy_moves_on_when_skipped_or_fixed_but_not_when_redeployed_unchanged() {
    let mut unchanged = stopped_echo();
    let model = unchanged.model().clone();
    unchanged.set_model(model);
    unchanged.run_until_idle();
    assert_eq!(policy(&unchanged, "Echo").state, PolicyState::Stopped);

    let mut skipped = stopped_echo();
    let skip = skipped.skip_policy("Echo").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(skip.position, 1);
    skipped.run_until_idle();
    let ns: Vec<Value> = data(skipped.store(), "pong-1").iter().map(|d| d["n"].clone()).collect();
    assert_eq!(ns, [json!(2)], "skipped: the event after the stop");
    assert_eq!(policy(&skipped, "Echo").skipped.len(), 1);

    let mut fixed = stopped_echo();
    let mut model = fixed.model().clone();
    model.policies[0] = serde_json::from_value(json!({
        "name": "Echo", "on": ["Pinged"],
        "logic": {"script": "fn react(event) { [#{ type: \"Pong\", streamId: \"pong-1\", data: #{ n: event.data.n } }] }"},
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    fixed.set_model(model);
    fixed.run_until_idle();
    let ns: Vec<Value> = data(fixed.store(), "pong-1").iter().map(|d| d["n"].clone()).collect();
    assert_eq!(ns, [json!(13), json!(2)], "fixed: the event it stopped at, then on");
    let status = policy(&fixed, "Echo");
    assert_eq!(
        (status.state, status.commands_sent, status.rejections),
        (PolicyState::Live, 3, 1)
    );
    assert!(
        fixed.skip_policy("Echo").is_err() && fixed.retry_policy("Echo").is_err(),
        "not stopped"
    );
}

/// `Again`: on `Ponged`, another `Pong` to the same stream: a loop.
fn again(lifecycle: &str) -> Value {
    let script = "fn react(event) { [#{ type: \"Pong\", streamId: event.streamId, data: #{ n: event.data.n + 1 } }] }";
    json!({"name": "Again", "on": ["Ponged"], "lifecycle": lifecycle, "logic": {"script": script}})
}

#[test]
fn a_policy_that_feeds_itself_stops_at_the_depth_limit() {
    for lifecycle in ["inline", "async"] {
        let mut runtime = ping_pong(json!([again(lifecycle)]));
        run(&mut runtime, &request("Pong", "pong-1", json!({"n": 0})));
        runtime.run_until_idle();
        let ponged = events(runtime.store(), "pong-1");
        let depth = MAX_POLICY_DEPTH as usize;
        assert_eq!(
            ponged.len(),
            1 + depth,
            "{lifecycle}: the participant's pong and one per level"
        );
        let last = &ponged[depth];
        assert_eq!(
            last.metadata.headers.get("policyDepth"),
            Some(&depth.to_string()),
            "{lifecycle}"
        );
        let status = policy(&runtime, "Again");
        assert_eq!(status.commands_sent, u64::from(MAX_POLICY_DEPTH), "{lifecycle}");
        let stopped = status.stopped.unwrap_or_else(|| panic!("{lifecycle}: not stopped"));
        assert_eq!(
            stopped.position, last.position,
            "{lifecycle}: stopped at the deepest event"
        );
        assert!(stopped.error.contains("runaway loop"), "{lifecycle}: {}", stopped.error);
        assert_eq!(runtime.step(100).events, 0, "{lifecycle}: nothing left to do");
    }
}

#[test]
fn inline_policies_that_fan_out_stop_at_the_command_limit() {
    let script = "fn react(event) { let n = event.data.n + 1; [#{ type: \"Pong\", streamId: \"pong-1\", data: #{ n: n } }, #{ type: \"Pong\", streamId: \"pong-1\", data: #{ n: n } }] }";
    let twice = json!({"name": "Twice", "on": ["Ponged"], "lifecycle": "inline", "logic": {"script": script}});
    let mut runtime = ping_pong(json!([twice]));
    let positions = run(&mut runtime, &request("Pong", "pong-1", json!({"n": 0})));
    assert_eq!(positions, [0], "the participant's command itself went through");
    assert_eq!(runtime.head(), 1 + MAX_INLINE_COMMANDS as u64);
    let status = policy(&runtime, "Twice");
    assert_eq!(status.commands_sent, MAX_INLINE_COMMANDS as u64);
    let stopped = status.stopped.unwrap_or_else(|| panic!("not stopped"));
    assert!(stopped.error.contains("1000 commands"), "{}", stopped.error);
}

#[test]
fn a_redeploy_keeps_checkpoints_and_a_new_policy_starts_at_the_head() {
    let mut runtime = ping_pong(json!([echo("async")]));
    run(&mut runtime, &ping(1));
    let mut model = runtime.model().clone();
    let mut other = echo("async");
    other["name"] = json!("Echo2");
    model
        .policies
        .push(serde_json::from_value(other).unwrap_or_else(|e| panic!("{e}")));
    runtime.set_model(model);
    assert_eq!(
        runtime
            .policies()
            .iter()
            .map(|p| (p.name.as_str(), p.checkpoint))
            .collect::<Vec<_>>(),
        [("Echo", 0), ("Echo2", 1)]
    );
    runtime.run_until_idle();
    assert_eq!(
        events(runtime.store(), "pong-1").len(),
        1,
        "only Echo reacted to the old ping"
    );
    run(&mut runtime, &ping(2));
    runtime.run_until_idle();
    let senders: Vec<Value> = data(runtime.store(), "pong-1")
        .iter()
        .map(|d| d["by"].clone())
        .collect();
    assert_eq!(senders, [json!("Echo"), json!("Echo"), json!("Echo2")]);
}

/// A cart workspace (the app's path) with cart 1 of c-7 confirmed through the console.
fn confirmed_workspace() -> Workspace {
    let mut workspace = Workspace::open(built_in::cart()).unwrap_or_else(|e| panic!("{e}"));
    let sends = [
        ("OpenCart", json!({"cartId": "1", "customerId": "c-7"})),
        (
            "AddItem",
            json!({"cartId": "1", "productId": "A", "qty": 2, "unitPrice": 150}),
        ),
        ("ConfirmCart", json!({"cartId": "1"})),
    ];
    for (command, data) in sends {
        let outcome = workspace.send(command, "cart-1", data, ExpectedMode::Read);
        assert!(
            matches!(outcome, SendOutcome::Appended { .. }),
            "{command}: {outcome:?}"
        );
    }
    workspace
}

fn purchases(workspace: &Workspace) -> usize {
    events(workspace.runtime().store(), "customer-c-7").len()
}

#[track_caller]
fn reopened(text: &str) -> Workspace {
    let mut workspace = Workspace::restore(text).unwrap_or_else(|p| panic!("{p:?}"));
    workspace.run_until_idle();
    workspace
}

#[test]
fn a_reload_never_sends_a_policy_command_twice() {
    let mut workspace = confirmed_workspace();
    workspace.step(1_000);
    assert_eq!(purchases(&workspace), 1, "the workspace's step ran the policy");

    let again = reopened(&workspace.save());
    assert_eq!(purchases(&again), 1, "from a save with checkpoints");
    assert_eq!(again.policy(RECORD).map(|p| p.commands_sent).ok(), Some(1));
    let older = reopened(&workspace.save_events());
    assert_eq!(purchases(&older), 1, "from a save without them: at the head");
    assert_eq!(older.policy(RECORD).map(|p| p.commands_sent).ok(), Some(0));

    // Saved before the policy reached the confirmation: it reacts after the reload.
    let behind = reopened(&confirmed_workspace().save());
    assert_eq!(purchases(&behind), 1, "a saved checkpoint behind the head");
}
