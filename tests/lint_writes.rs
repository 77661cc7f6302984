//! The lint rules about how streams are written and what they keep, each fired and kept silent
//! by a table of stores: `stream-growth` (rate on the simulated clock), `hot-stream` by
//! conflicts, `unchecked-append`, `pii-without-retention`, `crud-command-pair`; and the runtime's
//! findings, kept up to date after each command, equal to a full lint.

mod support;

use eventarium::lint::{lint, Finding, Levels, Severity, Subject, Thresholds};
use eventarium::model::Model;
use eventarium::session::Workspace;
use eventarium::sim::CommandRequest;
use eventarium::store::{Config, ExpectedRevision, NewEvent, Store};
use serde_json::json;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// `Guest` streams hold personal data (`GuestRegistered.email`, nested `address.street`) and
/// have no retention plan; `Member` streams hold the same with crypto-shredding; `Item` streams
/// hold no personal data.
fn model() -> Model {
    let decider = |emits: &str| {
        format!("// emits {emits}\nfn decide(command, state) {{ [] }}\nfn evolve(state, event) {{ state }}")
    };
    let value = json!({
        "eventTypes": [
            {"name": "GuestRegistered", "versions": [{"version": 1, "fields": [
                {"name": "guestId", "type": "id"},
                {"name": "email", "type": "string", "pii": true},
                {"name": "address", "type": {"object": [{"name": "street", "type": "string", "pii": true}]}},
            ]}]},
            {"name": "ItemListed", "versions": [{"version": 1, "fields": [{"name": "sku", "type": "string"}]}]},
        ],
        "streamTypes": [
            {"name": "Guest", "streamIdPattern": "guest-{id}", "script": decider("\"GuestRegistered\"")},
            {"name": "Member", "streamIdPattern": "member-{id}", "script": decider("\"GuestRegistered\""),
             "retention": {"strategy": "cryptoShredding", "description": "keys erased on request"}},
            {"name": "Item", "streamIdPattern": "item-{id}", "script": decider("\"ItemListed\"")},
        ],
    });
    serde_json::from_value(value).unwrap_or_else(|error| panic!("the test model does not parse: {error}"))
}

/// `oversized-stream` at 10 / 50 / 100 events, a horizon of one day from 5 events on, personal
/// data flagged after 30 days, 2 conflicts make a stream hot.
fn thresholds() -> Thresholds {
    Thresholds {
        stream_events: Levels {
            info: 10,
            warning: 50,
            critical: 100,
        },
        growth_horizon_ms: DAY_MS,
        growth_min_events: 5,
        hot_conflicts: 2,
        ..Thresholds::default()
    }
}

/// What a case does to a fresh store.
#[derive(Clone, Copy)]
enum Step {
    /// Appends `n` events of the type to the stream, one per call with its exact revision,
    /// `every_ms` apart on the simulated clock.
    Grow(&'static str, &'static str, u64, u64),
    /// One append of one event with expected revision `any`.
    Unchecked(&'static str, &'static str),
    /// An append that expects the stream to be new, and fails when it is not.
    Conflict(&'static str),
    /// Moves the clock on.
    Wait(u64),
    /// The command appends these event types in one batch, with its causation id and header.
    Command(&'static str, &'static str, &'static [&'static str]),
}

fn run(steps: &[Step]) -> Store {
    let mut store = Store::new(Config::default());
    let mut commands = 0;
    for &step in steps {
        match step {
            Step::Grow(stream, event_type, n, every_ms) => {
                for _ in 0..n {
                    let expected = match store.last_revision(stream) {
                        Ok(Some(revision)) => ExpectedRevision::Exact(revision),
                        _ => ExpectedRevision::NoStream,
                    };
                    let event = NewEvent::new(event_type, json!({"sku": "a"}));
                    if let Err(error) = store.append(stream, expected, vec![event]) {
                        panic!("append to {stream}: {error}");
                    }
                    let _ = store.advance_ms(every_ms);
                }
            }
            Step::Unchecked(stream, event_type) => {
                let event = NewEvent::new(event_type, json!({"sku": "a"}));
                if let Err(error) = store.append(stream, ExpectedRevision::Any, vec![event]) {
                    panic!("append to {stream}: {error}");
                }
            }
            Step::Conflict(stream) => {
                let event = NewEvent::new("ItemListed", json!({"sku": "a"}));
                let result = store.append(stream, ExpectedRevision::NoStream, vec![event]);
                assert!(result.is_err(), "the append to {stream} should conflict");
            }
            Step::Wait(ms) => {
                let _ = store.advance_ms(ms);
            }
            Step::Command(stream, command, types) => {
                commands += 1;
                let events = types
                    .iter()
                    .map(|t| {
                        NewEvent::new(*t, json!({}))
                            .with_causation_id(format!("cmd-{commands}"))
                            .with_header("command", command)
                    })
                    .collect();
                if let Err(error) = store.append(stream, ExpectedRevision::Any, events) {
                    panic!("{command} on {stream}: {error}");
                }
            }
        }
    }
    store
}

struct Case {
    name: &'static str,
    steps: Vec<Step>,
    code: &'static str,
    /// The findings of `code`, with words their message must contain.
    want: Vec<(Severity, Subject, &'static str)>,
}

fn stream(id: &str) -> Subject {
    Subject::Stream { id: id.to_owned() }
}

fn stream_type(name: &str) -> Subject {
    Subject::StreamType { name: name.to_owned() }
}

fn cases() -> Vec<Case> {
    use Severity::{Info, Warning};
    use Step::{Command, Conflict, Grow, Unchecked, Wait};
    let hour = DAY_MS / 24;
    let case = |name, steps, code, want| Case {
        name,
        steps,
        code,
        want,
    };
    vec![
        case(
            "8 events an hour apart reach 10 within a day",
            vec![Grow("item-1", "ItemListed", 8, hour)],
            "stream-growth",
            vec![(Info, stream("item-1"), "reaches 10 events in 2 h")],
        ),
        case(
            "60 events a minute apart head for the critical level",
            vec![Grow("item-1", "ItemListed", 60, hour / 60)],
            "stream-growth",
            vec![(Warning, stream("item-1"), "reaches 100 events in 40 min")],
        ),
        case(
            "8 events a day apart take longer than the horizon",
            vec![Grow("item-1", "ItemListed", 8, DAY_MS)],
            "stream-growth",
            vec![],
        ),
        case(
            "4 events are too few to tell",
            vec![Grow("item-1", "ItemListed", 4, 1)],
            "stream-growth",
            vec![],
        ),
        case(
            "past the critical level, oversized-stream says it",
            vec![Grow("item-1", "ItemListed", 101, 1)],
            "stream-growth",
            vec![],
        ),
        case(
            "two conflicts on one stream",
            vec![
                Grow("item-1", "ItemListed", 1, 1),
                Conflict("item-1"),
                Conflict("item-1"),
            ],
            "hot-stream",
            vec![(Warning, stream("item-1"), "2 appends rejected")],
        ),
        case(
            "one conflict is not a pattern",
            vec![Grow("item-1", "ItemListed", 1, 1), Conflict("item-1")],
            "hot-stream",
            vec![],
        ),
        case(
            "appends without an expected revision to a decider's streams",
            vec![
                Grow("item-1", "ItemListed", 2, 1),
                Unchecked("item-2", "ItemListed"),
                Unchecked("item-3", "ItemListed"),
            ],
            "unchecked-append",
            vec![(
                Warning,
                stream_type("Item"),
                "2 appends to item-{id} streams carried no expected revision (the latest to item-3)",
            )],
        ),
        case(
            "every append with its revision",
            vec![Grow("item-1", "ItemListed", 3, 1)],
            "unchecked-append",
            vec![],
        ),
        case(
            "personal data kept 31 days without a plan",
            vec![Grow("guest-1", "GuestRegistered", 1, 1), Wait(31 * DAY_MS)],
            "pii-without-retention",
            vec![(
                Warning,
                stream_type("Guest"),
                "GuestRegistered.email, GuestRegistered.address.street",
            )],
        ),
        case(
            "personal data kept 10 days",
            vec![Grow("guest-1", "GuestRegistered", 1, 1), Wait(10 * DAY_MS)],
            "pii-without-retention",
            vec![],
        ),
        case(
            "personal data with crypto-shredding",
            vec![Grow("member-1", "GuestRegistered", 1, 1), Wait(31 * DAY_MS)],
            "pii-without-retention",
            vec![],
        ),
        case(
            "old data without personal fields",
            vec![Grow("item-1", "ItemListed", 1, 1), Wait(31 * DAY_MS)],
            "pii-without-retention",
            vec![],
        ),
        case(
            "a command that always creates and updates",
            vec![
                Command("item-1", "AddItem", &["ItemCreated", "ItemUpdated"]),
                Command("item-2", "AddItem", &["ItemCreated", "ItemUpdated"]),
                Command("item-3", "AddItem", &["ItemCreated", "PriceSet", "ItemUpdated"]),
            ],
            "crud-command-pair",
            vec![(
                Warning,
                Subject::Command { name: "AddItem".into() },
                "each of the 3 times AddItem ran",
            )],
        ),
        case(
            "once it only creates",
            vec![
                Command("item-1", "AddItem", &["ItemCreated", "ItemUpdated"]),
                Command("item-2", "AddItem", &["ItemCreated"]),
                Command("item-3", "AddItem", &["ItemCreated", "ItemUpdated"]),
            ],
            "crud-command-pair",
            vec![],
        ),
        case(
            "the pair split over two commands",
            vec![
                Command("item-1", "AddItem", &["ItemCreated"]),
                Command("item-1", "AddItem", &["ItemUpdated"]),
                Command("item-2", "AddItem", &["ItemCreated"]),
                Command("item-2", "AddItem", &["ItemUpdated"]),
            ],
            "crud-command-pair",
            vec![],
        ),
    ]
}

fn of_code<'f>(findings: &'f [Finding], code: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

#[test]
fn each_rule_fires_as_its_table_says() {
    let model = model();
    for case in cases() {
        let store = run(&case.steps);
        let findings = lint(&model, &store, &thresholds());
        let found = of_code(&findings, case.code);
        assert_eq!(found.len(), case.want.len(), "{}: {found:#?}", case.name);
        for (finding, (severity, subject, words)) in found.iter().zip(&case.want) {
            assert_eq!(
                (finding.severity, &finding.subject),
                (*severity, subject),
                "{}",
                case.name
            );
            assert!(
                finding.message.contains(words),
                "{}: {:?} lacks {words:?}",
                case.name,
                finding.message
            );
        }
        let disabled = Thresholds {
            disabled: vec![case.code.to_owned()],
            ..thresholds()
        };
        let quiet = lint(&model, &store, &disabled);
        assert!(of_code(&quiet, case.code).is_empty(), "{}: disabled", case.name);
    }
}

#[test]
fn unchecked_appends_survive_a_snapshot_and_conflicts_are_not_in_it() {
    let store = run(&[Step::Unchecked("item-1", "ItemListed"), Step::Conflict("item-1")]);
    let copy = Store::import_json(&store.export_json()).unwrap_or_else(|e| panic!("import: {e}"));
    let (before, after) = (store.stream_stats("item-1"), copy.stream_stats("item-1"));
    assert_eq!(
        before.as_ref().map(|s| (s.unchecked_appends, s.conflicts)),
        Some((1, 1)),
        "counted"
    );
    assert_eq!(
        after.as_ref().map(|s| (s.unchecked_appends, s.conflicts)),
        Some((1, 0)),
        "imported"
    );
    assert_eq!(copy.export_json(), store.export_json(), "the round trip is identical");
}

/// The built-in cart with its lint thresholds lowered, driven by commands: after each one the
/// runtime's findings equal a full lint of its model and store.
#[test]
fn the_runtimes_findings_follow_its_commands() {
    let mut runtime = Workspace::open(support::built_in::cart()).unwrap_or_else(|e| panic!("{e}"));
    runtime.set_thresholds(Thresholds {
        hot_window: 20,
        hot_conflicts: 1,
        ..thresholds()
    });
    let request = |command: &str, cart: u32, data: serde_json::Value| CommandRequest {
        command: command.to_owned(),
        stream_id: format!("cart-{cart}"),
        data,
        ..CommandRequest::default()
    };
    let initial = runtime.findings().len();
    for cart in 0..3 {
        let open = request(
            "OpenCart",
            cart,
            json!({"cartId": cart.to_string(), "customerId": "c-1"}),
        );
        runtime
            .execute(&open)
            .unwrap_or_else(|e| panic!("open cart-{cart}: {e}"));
        for item in 0..12 {
            let add = request(
                "AddItem",
                cart,
                json!({"cartId": cart.to_string(), "productId": format!("p-{item}"), "qty": 1, "unitPrice": 5}),
            );
            runtime
                .execute(&add)
                .unwrap_or_else(|e| panic!("add to cart-{cart}: {e}"));
            let full = lint(
                runtime.runtime().model(),
                runtime.runtime().store(),
                &thresholds_of(&runtime),
            );
            assert_eq!(runtime.findings(), full.as_slice(), "cart-{cart}, item {item}");
        }
    }
    // Two participants decide on cart-0 from the same revision: the second commit conflicts, and
    // the hot-stream finding appears without an append.
    let add = request(
        "AddItem",
        0,
        json!({"cartId": "0", "productId": "p-x", "qty": 1, "unitPrice": 5}),
    );
    let first = runtime.decide_request(&add).unwrap_or_else(|e| panic!("decide: {e}"));
    let second = runtime.decide_request(&add).unwrap_or_else(|e| panic!("decide: {e}"));
    runtime
        .commit_decision(&first)
        .unwrap_or_else(|e| panic!("first commit: {e}"));
    assert!(runtime.commit_decision(&second).is_err(), "the second commit conflicts");
    let hot = of_code(runtime.findings(), "hot-stream");
    assert!(
        hot.iter().any(|f| f.subject == stream("cart-0")),
        "cart-0 is hot after its conflict: {hot:#?}"
    );
    let full = lint(
        runtime.runtime().model(),
        runtime.runtime().store(),
        &thresholds_of(&runtime),
    );
    assert_eq!(runtime.findings(), full.as_slice(), "after the conflict");
    assert!(runtime.findings().len() > initial, "the commands produced findings");
    assert!(
        !of_code(runtime.findings(), "oversized-stream").is_empty(),
        "13 events per cart pass the info level of 10"
    );
}

fn thresholds_of(_runtime: &Workspace) -> Thresholds {
    Thresholds {
        hot_window: 20,
        hot_conflicts: 1,
        ..thresholds()
    }
}
