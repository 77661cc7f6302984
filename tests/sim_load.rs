//! Load generators (`sim::load`) on the built-in shopping cart: "N carts, each opens, adds 3–20
//! items, 80% confirm". Counts add up, runs replay byte for byte, pause and step work, scripts
//! generate commands, and bad definitions report every problem with its path (table-driven).

mod support;

use eventarium::sim::load::{LoadGenerator, LoadRun, LoadStatus, Plan};
use eventarium::sim::Runtime;
use eventarium::store::Direction;
use serde_json::{json, Value};
use support::built_in;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn runtime() -> Runtime {
    built_in::cart_runtime()
}

#[track_caller]
fn generator(value: Value) -> LoadGenerator {
    match serde_json::from_value(value) {
        Ok(generator) => generator,
        Err(error) => panic!("the test generator does not parse: {error}"),
    }
}

/// The workshop's load: each cart opens, adds 3–20 items, and 80% confirm.
fn carts_json(instances: u32) -> Value {
    json!({
        "name": "checkout rush",
        "instances": instances,
        "streamId": "cart-{n}",
        "plan": { "steps": [
            { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c-{random:1..200}" } },
            { "command": "AddItem", "repeat": [3, 20], "data": {
                "cartId": "{n}", "productId": "{pick:apple|pear|plum|fig}",
                "qty": "{random:1..3}", "unitPrice": "{random:100..2500}" } },
            { "command": "ConfirmCart", "probability": 0.8, "data": { "cartId": "{n}" } }
        ] }
    })
}

fn carts(instances: u32) -> LoadGenerator {
    generator(carts_json(instances))
}

#[track_caller]
fn start(generator: LoadGenerator, runtime: &Runtime, seed: u64) -> LoadRun {
    match LoadRun::new(generator, runtime.model(), seed) {
        Ok(run) => run,
        Err(error) => panic!("the generator was refused: {error}"),
    }
}

/// Ticks until the run is done (at most 10,000 ticks) and returns its status.
#[track_caller]
fn finish(run: &mut LoadRun, runtime: &mut Runtime) -> LoadStatus {
    for _ in 0..10_000 {
        if run.tick(runtime, 50).done {
            return run.status();
        }
    }
    panic!("the run did not finish: {:?}", run.status());
}

/// Runs a generator on a fresh shopping cart and returns the status and the exported store.
fn run_fresh(generator: LoadGenerator, seed: u64) -> (LoadStatus, String) {
    let mut runtime = runtime();
    let mut run = start(generator, &runtime, seed);
    let status = finish(&mut run, &mut runtime);
    (status, runtime.store().export_json())
}

#[track_caller]
fn assert_counts_add_up(status: &LoadStatus) {
    assert_eq!(
        status.accepted + status.rejected + status.failed,
        status.commands_sent,
        "{status:?}"
    );
    assert_eq!(status.instances_started, status.instances, "{status:?}");
    assert_eq!(status.instances_done, status.instances, "{status:?}");
    assert!(status.done, "{status:?}");
}

#[test]
fn every_cart_opens_adds_three_to_twenty_items_and_most_confirm() {
    let mut runtime = runtime();
    let clock_before = runtime.store().now_ms();
    let mut run = start(carts(40), &runtime, 7);
    let status = finish(&mut run, &mut runtime);
    assert_counts_add_up(&status);
    assert_eq!((status.rejected, status.failed), (0, 0), "{status:?}");
    assert!(status.last_errors.is_empty(), "{:?}", status.last_errors);
    assert_eq!(status.simulated_ms, status.commands_sent * 1000);
    assert_eq!(
        runtime.store().now_ms() - clock_before,
        1000 * status.commands_sent as i64
    );

    let stats = runtime.store().stats();
    assert_eq!(stats.streams.len(), 40, "one stream per cart");
    assert_eq!(stats.event_types["CartOpened"].events, 40);
    let confirmed = stats.event_types["CartConfirmed"].events;
    assert!(
        (24..40).contains(&confirmed),
        "about 80% of 40 carts confirm, got {confirmed}"
    );
    let added = stats.event_types["ItemAdded"].events;
    assert_eq!(status.commands_sent, 40 + added + confirmed);
    for (stream_id, stream) in &stats.streams {
        let events = stream.events;
        assert!(
            (4..=22).contains(&events),
            "{stream_id}: opened, 3-20 items, maybe confirmed; got {events} events"
        );
    }
    let opened = runtime
        .store()
        .read_stream("cart-7", 0, 1, Direction::Forwards)
        .unwrap();
    assert_eq!(opened[0].data["cartId"], json!("7"), "{{n}} in an id field stays text");
    let customer = opened[0].data["customerId"].as_str().unwrap_or_default();
    let number: u32 = customer.strip_prefix("c-").and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!((1..=200).contains(&number), "customerId {customer:?}");
}

#[test]
fn the_same_seed_writes_the_same_store_and_another_seed_does_not() {
    let (first_status, first) = run_fresh(carts(25), 11);
    let (second_status, second) = run_fresh(carts(25), 11);
    assert_eq!(first_status, second_status);
    assert!(first == second, "two runs with seed 11 wrote different stores");

    let (_, other) = run_fresh(carts(25), 12);
    assert!(first != other, "seeds 11 and 12 wrote the same store");
}

#[test]
fn what_an_instance_sends_does_not_depend_on_the_interleaving() {
    let payloads = |concurrency: u32| {
        let mut definition = carts_json(12);
        definition["concurrency"] = json!(concurrency);
        let mut runtime = runtime();
        let mut run = start(generator(definition), &runtime, 3);
        finish(&mut run, &mut runtime);
        let events = runtime
            .store()
            .read_stream("cart-9", 0, 100, Direction::Forwards)
            .unwrap();
        events.into_iter().map(|e| (e.event_type, e.data)).collect::<Vec<_>>()
    };
    let alone = payloads(1);
    assert!(alone.len() >= 4, "{alone:?}");
    assert_eq!(alone, payloads(5));
    assert_eq!(alone, payloads(12));
}

#[test]
fn active_instances_take_turns_and_the_next_starts_when_one_finishes() {
    let definition = json!({
        "name": "turns", "instances": 3, "streamId": "cart-{n}", "concurrency": 2,
        "plan": { "steps": [
            { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c" } },
            { "command": "AddItem", "repeat": [2, 2],
              "data": { "cartId": "{n}", "productId": "p{n}-{i}", "qty": "{random:4..4}", "unitPrice": 5 } }
        ] }
    });
    let mut runtime = runtime();
    let mut run = start(generator(definition), &runtime, 1);
    let status = finish(&mut run, &mut runtime);
    assert_eq!(status.accepted, 9, "{status:?}");

    let all = runtime.store().read_all(0, 100, Direction::Forwards);
    let order: Vec<&str> = all.iter().map(|e| e.stream_id.as_str()).collect();
    let expected = [
        "cart-1", "cart-2", "cart-1", "cart-2", "cart-1", "cart-2", "cart-3", "cart-3", "cart-3",
    ];
    assert_eq!(order, expected);
    let products: Vec<(&Value, &Value)> = all
        .iter()
        .filter(|e| e.stream_id == "cart-2" && e.event_type == "ItemAdded")
        .map(|e| (&e.data["productId"], &e.data["qty"]))
        .collect();
    assert_eq!(products, [(&json!("p2-0"), &json!(4)), (&json!("p2-1"), &json!(4))]);
}

#[test]
fn pause_holds_ticks_step_one_sends_one_and_resume_carries_on() {
    let (uninterrupted, expected_store) = run_fresh(carts(10), 5);

    let mut runtime = runtime();
    let mut run = start(carts(10), &runtime, 5);
    assert_eq!(run.tick(&mut runtime, 7).commands, 7);
    run.pause();
    let held = run.tick(&mut runtime, 100);
    assert_eq!((held.commands, held.done), (0, false));
    assert!(run.status().paused);
    assert_eq!(run.status().commands_sent, 7);

    let one = run.step_one(&mut runtime);
    assert_eq!(one.commands, 1);
    assert_eq!(one.accepted + one.rejected + one.failed, 1);
    assert_eq!(run.status().commands_sent, 8);
    assert!(run.status().paused, "step_one does not resume");

    run.resume();
    let status = finish(&mut run, &mut runtime);
    assert!(!status.paused);
    assert_eq!(status, uninterrupted, "pausing does not change what is sent");
    assert!(runtime.store().export_json() == expected_store);

    let after = run.tick(&mut runtime, 100);
    assert_eq!((after.commands, after.done), (0, true), "a finished run sends nothing");
    assert_eq!(run.step_one(&mut runtime).commands, 0);
}

const SCRIPTED: &str = r#"
fn generate(n) {
    let id = n.to_string();
    let commands = [#{ command: "OpenCart", data: #{ cartId: id, customerId: "c-" + random_int(1, 9) } }];
    for k in 0..random_int(1, 4) {
        commands.push(#{ command: "AddItem", data: #{ cartId: id, productId: "p" + k, qty: 1, unitPrice: 100 } });
    }
    if n % 2 == 0 { commands.push(#{ type: "ConfirmCart", data: #{ cartId: id } }); }
    if n == 1 {
        commands.push(#{ command: "RecordPurchase", streamId: "customer-c1", data: #{ customerId: "c1", cartId: "1", total: 5 } });
    }
    commands
}
"#;

#[test]
fn a_script_plan_sends_what_generate_returns() {
    let definition =
        json!({ "name": "scripted", "instances": 20, "streamId": "cart-{n}", "plan": { "script": SCRIPTED } });
    let (status, store) = run_fresh(generator(definition.clone()), 9);
    assert_counts_add_up(&status);
    assert_eq!((status.rejected, status.failed), (0, 0), "{status:?}");

    let mut runtime = runtime();
    let mut run = start(generator(definition.clone()), &runtime, 9);
    finish(&mut run, &mut runtime);
    let stats = runtime.store().stats();
    assert_eq!(
        stats.streams.len(),
        21,
        "20 carts and the customer the first one sent to"
    );
    assert_eq!(stats.event_types["CartConfirmed"].events, 10);
    assert_eq!(stats.event_types["PurchaseRecorded"].events, 1);
    assert!(runtime.store().export_json() == store, "a script plan replays too");

    let (_, other) = run_fresh(generator(definition), 10);
    assert!(other != store, "random_int follows the seed");
}

#[test]
fn failures_are_counted_and_kept_and_the_run_goes_on() {
    let script = r#"
fn generate(n) {
    switch n {
        1 => [#{ cmd: "OpenCart" }],
        2 => { throw "no cart today"; },
        3 => [#{ command: "Teleport", data: #{} }],
        4 => 42,
        5 => { let bad = []; for k in 0..30 { bad.push(k); } bad },
        _ => [#{ command: "OpenCart", data: #{ cartId: n.to_string(), customerId: "c" } }],
    }
}
"#;
    let definition = json!({ "name": "faulty", "instances": 6, "streamId": "cart-{n}", "plan": { "script": script } });
    let (status, _) = run_fresh(generator(definition), 1);
    assert_counts_add_up(&status);
    assert_eq!(
        (status.accepted, status.rejected, status.failed),
        (1, 0, 34),
        "{status:?}"
    );
    assert_eq!(status.last_errors.len(), 20, "only the last 20 are kept");
    let all = status.last_errors.join("\n");
    for expected in ["generate(5) item 29: expected a map", "generate(5) item 14"] {
        assert!(all.contains(expected), "{expected:?} in {all}");
    }
    assert!(!all.contains("generate(1)"), "the oldest errors are dropped: {all}");

    let first_errors = |instances: u32| {
        let definition =
            json!({ "name": "faulty", "instances": instances, "streamId": "cart-{n}", "plan": { "script": script } });
        run_fresh(generator(definition), 1).0.last_errors
    };
    let errors = first_errors(4);
    let expected = [
        "unknown key \"cmd\"",
        "generate(2) failed",
        "no cart today",
        "Teleport to cart-3: unknown command \"Teleport\"",
        "generate(4) must return an array of commands, got 42",
    ];
    let joined = errors.join("\n");
    for text in expected {
        assert!(joined.contains(text), "{text:?} in {joined}");
    }
}

#[test]
fn a_generator_whose_commands_are_often_rejected_still_finishes() {
    let definition = json!({
        "name": "clumsy", "instances": 30, "streamId": "cart-{n}", "concurrency": 4, "intervalMs": 250,
        "plan": { "steps": [
            { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c" } },
            { "command": "RemoveItem", "repeat": [1, 3], "data": { "cartId": "{n}", "productId": "ghost", "qty": 1 } },
            { "command": "AddItem", "repeat": [0, 4],
              "data": { "cartId": "{n}", "productId": "{pick:a|b}", "qty": "{random:-1..2}", "unitPrice": 10 } },
            { "command": "ConfirmCart", "data": { "cartId": "{n}" } },
            { "command": "OpenCart", "probability": 0.5, "data": { "cartId": "{n}", "customerId": "again" } }
        ] }
    });
    let (status, _) = run_fresh(generator(definition), 4);
    assert_counts_add_up(&status);
    assert_eq!(status.failed, 0, "{:?}", status.last_errors);
    assert!(status.rejected > status.accepted / 2, "{status:?}");
    assert!(status.accepted >= 30, "every cart opens: {status:?}");
    assert_eq!(status.simulated_ms, 250 * status.commands_sent);
}

/// A bad definition: the cart generator with one change, and every (path, part of the message) expected.
struct Case {
    name: &'static str,
    definition: Value,
    problems: Vec<(&'static str, &'static str)>,
}

fn bad_definitions() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut case = |name: &'static str, change: &dyn Fn(&mut Value), problems: Vec<(&'static str, &'static str)>| {
        let mut definition = carts_json(10);
        change(&mut definition);
        cases.push(Case {
            name,
            definition,
            problems,
        });
    };
    case(
        "unknown command",
        &|d| d["plan"]["steps"][1]["command"] = json!("AddItm"),
        vec![("plan.steps[1].command", "unknown command \"AddItm\"")],
    );
    case(
        "no instances",
        &|d| d["instances"] = json!(0),
        vec![("instances", "must be from 1 to 1000000, got 0")],
    );
    case(
        "too many instances",
        &|d| d["instances"] = json!(1_000_001),
        vec![("instances", "got 1000001")],
    );
    case(
        "no concurrency",
        &|d| d["concurrency"] = json!(0),
        vec![("concurrency", "got 0")],
    );
    case(
        "empty name",
        &|d| d["name"] = json!(" "),
        vec![("name", "must not be empty")],
    );
    case(
        "interval over a year",
        &|d| d["intervalMs"] = json!(u64::MAX),
        vec![("intervalMs", "at most")],
    );
    case(
        "stream id without {n}",
        &|d| d["streamId"] = json!("cart-1"),
        vec![("streamId", "has no {n}")],
    );
    case(
        "stream id with {i}",
        &|d| d["streamId"] = json!("cart-{n}-{i}"),
        vec![("streamId", "only {n}")],
    );
    case(
        "stream of another type",
        &|d| d["streamId"] = json!("customer-{n}"),
        vec![(
            "streamId",
            "OpenCart (plan.steps[0]) goes to Cart streams (cart-{id}), not to \"customer-1\"",
        )],
    );
    case(
        "stream id without a category",
        &|d| d["streamId"] = json!("{n}"),
        vec![("streamId", "not to \"1\"")],
    );
    case(
        "system stream id",
        &|d| d["streamId"] = json!("$cart-{n}"),
        vec![("streamId", "reserved for system streams")],
    );
    case(
        "script plan with a system stream id",
        &|d| {
            d["streamId"] = json!("$cart-{n}");
            d["plan"] = json!({ "script": "fn generate(n) { [] }" });
        },
        vec![("streamId", "reserved for system streams")],
    );
    case(
        "repeat upside down",
        &|d| d["plan"]["steps"][1]["repeat"] = json!([5, 2]),
        vec![("plan.steps[1].repeat", "got [5, 2]")],
    );
    case(
        "repeat too many",
        &|d| d["plan"]["steps"][1]["repeat"] = json!([1, 10_001]),
        vec![("plan.steps[1].repeat", "max <= 10000")],
    );
    case(
        "probability over 1",
        &|d| d["plan"]["steps"][2]["probability"] = json!(1.5),
        vec![("plan.steps[2].probability", "must be from 0 to 1, got 1.5")],
    );
    case(
        "unknown placeholder",
        &|d| d["plan"]["steps"][0]["data"]["cartId"] = json!("{foo}"),
        vec![("plan.steps[0].data.cartId", "unknown placeholder \"{foo}\"")],
    );
    case(
        "random upside down",
        &|d| d["plan"]["steps"][1]["data"]["qty"] = json!("{random:9..1}"),
        vec![("plan.steps[1].data.qty", "the low end 9 is above the high end 1")],
    );
    case(
        "random not numbers",
        &|d| d["plan"]["steps"][1]["data"]["qty"] = json!("{random:a..b}"),
        vec![("plan.steps[1].data.qty", "{random:a..b}: expected {random:LO..HI}")],
    );
    case(
        "unclosed placeholder",
        &|d| d["plan"]["steps"][1]["data"]["productId"] = json!("p-{n"),
        vec![("plan.steps[1].data.productId", "unclosed placeholder \"{n\"")],
    );
    case(
        "placeholder in a nested array",
        &|d| d["plan"]["steps"][1]["data"]["tags"] = json!([{ "x": "{nope}" }]),
        vec![("plan.steps[1].data.tags[0].x", "unknown placeholder")],
    );
    case(
        "wrong payload type",
        &|d| d["plan"]["steps"][1]["data"]["qty"] = json!("many {n}"),
        vec![("plan.steps[1].data.qty", "expected int, got \"many 1\"")],
    );
    case(
        "missing payload field",
        &|d| {
            if let Some(data) = d["plan"]["steps"][1]["data"].as_object_mut() {
                data.remove("unitPrice");
            }
        },
        vec![("plan.steps[1].data.unitPrice", "missing, expected int")],
    );
    case(
        "no steps",
        &|d| d["plan"] = json!({ "steps": [] }),
        vec![("plan.steps", "at least one step")],
    );
    case(
        "script that does not compile",
        &|d| d["plan"] = json!({ "script": "fn generate(n) {\n    [#{ command: }]\n}" }),
        vec![("plan.script", "")],
    );
    case(
        "script without generate",
        &|d| d["plan"] = json!({ "script": "fn produce(n) { [] }" }),
        vec![("plan.script", "the script must define fn generate(n)")],
    );
    case(
        "everything at once",
        &|d| {
            d["instances"] = json!(0);
            d["streamId"] = json!("cart");
            d["plan"]["steps"][0]["command"] = json!("OpenKart");
            d["plan"]["steps"][1]["repeat"] = json!([3, 2]);
            d["plan"]["steps"][1]["data"]["qty"] = json!("{rand}");
            d["plan"]["steps"][2]["probability"] = json!(-0.1);
        },
        vec![
            ("instances", "got 0"),
            ("streamId", "has no {n}"),
            ("plan.steps[0].command", "unknown command \"OpenKart\""),
            ("plan.steps[1].repeat", "got [3, 2]"),
            ("plan.steps[1].data.qty", "unknown placeholder \"{rand}\""),
            ("plan.steps[2].probability", "got -0.1"),
        ],
    );
    cases
}

#[test]
fn bad_definitions_report_every_problem_with_its_path() {
    let runtime = runtime();
    for Case {
        name,
        definition,
        problems: expected,
    } in bad_definitions()
    {
        let generator: LoadGenerator = match serde_json::from_value(definition) {
            Ok(generator) => generator,
            Err(error) => panic!("{name}: the definition does not parse: {error}"),
        };
        let error = match LoadRun::new(generator, runtime.model(), 1) {
            Ok(_) => panic!("{name}: the generator was accepted"),
            Err(error) => error,
        };
        let found: Vec<(String, String)> = error
            .problems
            .iter()
            .map(|p| (p.path.clone(), p.message.clone()))
            .collect();
        assert_eq!(found.len(), expected.len(), "{name}: {found:#?}");
        for ((path, message), (expected_path, expected_part)) in found.iter().zip(&expected) {
            assert_eq!(path, expected_path, "{name}: {found:#?}");
            assert!(
                message.contains(expected_part),
                "{name}: {message:?} lacks {expected_part:?}"
            );
        }
        let shown = error.to_string();
        assert!(shown.starts_with("invalid load generator: "), "{name}: {shown}");
        assert!(shown.contains(expected[0].0), "{name}: {shown}");
    }
}

#[test]
fn a_script_syntax_error_has_its_line_and_column() {
    let runtime = runtime();
    let definition = json!({ "name": "broken", "instances": 1, "streamId": "cart-{n}",
        "plan": { "script": "fn generate(n) {\n    let x = ;\n}" } });
    let error = LoadRun::new(generator(definition), runtime.model(), 1).err();
    let problem = error.as_ref().and_then(|e| e.problems.first());
    assert_eq!(
        problem.map(|p| (p.path.as_str(), p.line)),
        Some(("plan.script", Some(2))),
        "{error:?}"
    );
}

#[test]
fn the_json_format_has_defaults_and_the_status_is_camel_case() {
    let parsed = carts(3);
    assert_eq!((parsed.concurrency, parsed.interval_ms), (10, 1000));
    let Plan::Steps(steps) = &parsed.plan else {
        panic!("a steps plan parsed as {:?}", parsed.plan);
    };
    assert_eq!((steps[0].repeat, steps[0].probability), (None, 1.0));
    let again: LoadGenerator = serde_json::from_value(serde_json::to_value(&parsed).unwrap()).unwrap();
    assert_eq!(again, parsed, "export then import gives the same generator");

    let mut typo = carts_json(3);
    typo["intervalMS"] = json!(5);
    assert!(
        serde_json::from_value::<LoadGenerator>(typo).is_err(),
        "unknown fields are refused"
    );
    let literal = json!({ "name": "x", "instances": 1, "streamId": "cart-{n}", "plan": { "steps": [
        { "command": "OpenCart", "data": { "cartId": "{{{n}}", "customerId": "{{" } }
    ] } });
    let mut runtime = runtime();
    let mut run = start(generator(literal), &runtime, 1);
    finish(&mut run, &mut runtime);
    let opened = runtime
        .store()
        .read_stream("cart-1", 0, 1, Direction::Forwards)
        .unwrap();
    assert_eq!(
        opened[0].data,
        json!({ "cartId": "{1}", "customerId": "{" }),
        "{{{{ is a literal brace"
    );

    let status = serde_json::to_value(run.status()).unwrap();
    let keys: Vec<&str> = status.as_object().unwrap().keys().map(String::as_str).collect();
    let expected = [
        "accepted",
        "commandsSent",
        "done",
        "failed",
        "instances",
        "instancesDone",
        "instancesStarted",
        "lastErrors",
        "name",
        "paused",
        "rejected",
        "simulatedMs",
    ];
    assert_eq!(keys, expected);
}
