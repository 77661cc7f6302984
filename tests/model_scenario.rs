//! Scenario import: every problem at once with its JSON path, script errors with positions,
//! format version 1 migrating, and a stable export.

mod support;

use eventarium::model::{Problem, Scenario};
use serde_json::{json, Value};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn cart() -> Value {
    support::built_in::cart_json()
}

fn problems(document: &Value) -> Vec<String> {
    match Scenario::from_value(document.clone()) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(Problem::to_string).collect(),
    }
}

#[test]
fn shape_problems_are_all_reported_with_paths() {
    let mut document = cart();
    document["model"]["eventTypes"][1]["versions"][1]["fields"][0]["type"] = json!("strng");
    document["model"]["eventTypes"][2]["versions"][0]["fields"][2]["type"] = json!({"list": "nmber"});
    document["model"]["commands"][0]["streamType"] = json!(7);
    document["model"]["projections"][1]["source"] = json!("everything");
    assert_eq!(
        problems(&document),
        [
            r#"model.eventTypes[1].versions[1].fields[0].type: unknown type "strng""#,
            r#"model.eventTypes[2].versions[0].fields[2].type: list item: unknown type "nmber""#,
            "model.commands[0]: invalid type: integer `7`, expected a string",
            "model.projections[1]: unknown variant `everything`, expected one of `all`, `categories`, `eventTypes`, `streams`",
        ],
        "every shape problem"
    );
}

#[test]
fn reference_problems_are_all_reported_with_paths() {
    let mut document = cart();
    document["model"]["commands"][1]["streamType"] = json!("Basket");
    document["model"]["eventTypes"][3]["name"] = json!("CartOpened");
    document["model"]["upcasters"][0]["to"] = json!(3);
    document["model"]["policies"][0]["on"] = json!(["CartCheckedOut"]);
    document["specs"][0]["when"]["command"] = json!("OpenBasket");
    let summary = "fn on_CartOpened(doc, event) { doc }\nfn on_CartClosed(doc, event) { () }";
    document["model"]["projections"][0]["logic"]["script"] = json!(summary);
    document["model"]["streamTypes"][1]["script"] = json!("fn decide(command, state) {\n  [#{ type: }]\n}");
    let found = problems(&document);
    let expected = [
        r#"model.eventTypes[3].name: duplicate event type "CartOpened" (first at model.eventTypes[0])"#,
        r#"model.commands[1].streamType: unknown stream type "Basket""#,
        "model.upcasters[0].to: ItemAdded has no version 3",
        r#"model.policies[0].on[0]: unknown event type "CartCheckedOut""#,
        r#"specs[0].when.command: in spec "opening a cart": unknown command "OpenBasket""#,
        r#"model.projections[0].logic.script: line 2: handler on_CartClosed is for an unknown event type "CartClosed""#,
    ];
    for problem in expected {
        assert!(found.iter().any(|f| f == problem), "missing {problem:?} in {found:#?}");
    }
    let syntax = found
        .iter()
        .find(|f| f.starts_with("model.streamTypes[1].script: line 2, column"));
    assert!(syntax.is_some(), "a syntax error with its position in {found:#?}");
}

#[test]
fn document_level_problems() {
    let cases = [
        (
            "{",
            "(document): line 1, column 1: invalid json: EOF while parsing an object at line 1 column 1",
        ),
        ("[]", "(document): expected a scenario document (a JSON object)"),
        (
            r#"{"format": "other"}"#,
            r#"format: expected "eventarium-scenario", got "other""#,
        ),
        (
            r#"{"format": "eventarium-scenario", "version": 9}"#,
            "version: format version 9 is newer than this build reads (4)",
        ),
        (r#"{"format": "eventarium-scenario", "version": 2}"#, "name: missing"),
        (
            r#"{"format": "eventarium-scenario", "version": 2, "name": "x", "extra": 1}"#,
            "extra: unknown key, expected one of format, version, name, description, settings, model, specs, events, readModels, system",
        ),
    ];
    for (text, expected) in cases {
        let found: Vec<String> = Scenario::import(text)
            .err()
            .unwrap_or_default()
            .iter()
            .map(Problem::to_string)
            .collect();
        assert_eq!(found, [expected], "{text}");
    }
}

#[test]
fn a_version_1_document_loads() {
    let v1 = json!({
        "format": "eventarium-scenario", "version": 1, "name": "old",
        "model": {
            "eventTypes": [{"name": "Pinged", "fields": [{"name": "at", "type": "timestamp"}]}],
            "commands": [{"name": "Ping", "streamType": "Pinger", "fields": []}],
            "streamTypes": [{"name": "Pinger", "streamIdPattern": "pinger-{id}", "initialState": 0,
                "script": "fn decide(command, state) { [#{ type: \"Pinged\", data: #{ at: \"2024-01-01T00:00:00Z\" } }] }\nfn evolve(state, event) { state + 1 }"}]
        },
        "specs": [{"kind": "decider", "name": "pings", "when": {"stream": "pinger-1", "command": "Ping"},
            "then": {"events": [{"type": "Pinged", "data": {"at": "2024-01-01T00:00:00Z"}}]}}]
    });
    let scenario = Scenario::from_value(v1);
    let versions = scenario
        .as_ref()
        .ok()
        .and_then(|s| s.model.event_type("Pinged"))
        .map(|t| t.versions.len());
    assert_eq!(versions, Some(1), "{:?}", scenario.err());
    let exported: Value = scenario.map(|s| s.to_value()).unwrap_or_default();
    assert_eq!(exported["version"], json!(4), "exported in the current version");
    assert_eq!(
        exported["model"]["eventTypes"][0]["versions"][0]["fields"][0]["name"],
        json!("at"),
        "fields wrapped"
    );
}

#[test]
fn an_embedded_store_snapshot_is_checked() {
    use eventarium::store::{Config, ExpectedRevision, NewEvent, Store};
    let mut store = Store::new(Config::default());
    let opened = NewEvent::new("CartOpened", json!({"cartId": "1", "customerId": "c"}));
    let appended = store.append("cart-1", ExpectedRevision::NoStream, vec![opened]);
    assert!(appended.is_ok(), "{appended:?}");
    let mut document = cart();
    document["events"] = serde_json::from_str(&store.export_json()).unwrap_or_default();
    let scenario = Scenario::from_value(document.clone());
    assert!(scenario.is_ok(), "{:?}", scenario.err());
    document["events"]["events"][0]["revision"] = json!(4);
    let found = problems(&document);
    assert!(
        found.first().is_some_and(|p| p.starts_with("events: invalid snapshot")),
        "{found:?}"
    );
}

#[test]
fn old_events_need_a_chain_of_upcasters_to_the_current_version() {
    use eventarium::store::{Config, ExpectedRevision, NewEvent, Store};
    let mut store = Store::new(Config::default());
    let opened = NewEvent::new("CartOpened", json!({"cartId": "1", "customerId": "c"}));
    let mut added = NewEvent::new(
        "ItemAdded",
        json!({"cartId": "1", "sku": "s", "qty": 1, "unitPrice": 5}),
    );
    added.schema_version = 1;
    let mut again = NewEvent::new(
        "ItemAdded",
        json!({"cartId": "1", "sku": "t", "qty": 2, "unitPrice": 7}),
    );
    again.schema_version = 1;
    let appended = store.append("cart-1", ExpectedRevision::NoStream, vec![opened, added, again]);
    assert!(appended.is_ok(), "{appended:?}");
    let mut document = cart();
    document["events"] = serde_json::from_str(&store.export_json()).unwrap_or_default();
    document["specs"][1]["given"][0]["version"] = json!(1);
    document["specs"][1]["given"][0]["type"] = json!("ItemAdded");
    document["specs"][1]["given"][0]["data"] = json!({"cartId": "1", "sku": "s", "qty": 1, "unitPrice": 5});
    let with_upcaster = problems(&document);
    assert!(with_upcaster.is_empty(), "v1 upcasts to v2: {with_upcaster:?}");

    // Without the ItemAdded v1→v2 upcaster, the recorded events and the given event cannot be read.
    document["model"]["upcasters"] = json!([]);
    let found = problems(&document);
    let spec = "specs[1].given[0].version: in spec \"cannot open a cart twice\": cannot be read: no upcaster from ItemAdded v1 (its current version is v2)";
    let recorded = "events: 2 recorded ItemAdded v1 events (first at position 1) cannot be read: \
                    no upcaster from ItemAdded v1 (its current version is v2)";
    assert!(found.iter().any(|p| p == spec), "{found:?}");
    assert_eq!(found.last().map(String::as_str), Some(recorded), "{found:?}");
    // The built-in specs give v1 events on purpose (they test the upcaster); each is reported.
    assert!(
        found
            .iter()
            .all(|p| p.ends_with("no upcaster from ItemAdded v1 (its current version is v2)")),
        "{found:?}"
    );

    // A split ends the chain in the types it splits into, each at a version that is current.
    document["model"]["upcasters"] = json!([{
        "eventType": "ItemAdded", "from": 1, "to": 2,
        "logic": { "ops": [{ "op": "split", "into": [{ "type": "CartOpened", "version": 1, "fields": ["cartId"] }] }] }
    }]);
    let found = problems(&document);
    assert!(!found.iter().any(|p| p.contains("cannot be read")), "{found:?}");

    // A given version the type does not have is named as such.
    document["specs"][1]["given"][0]["version"] = json!(7);
    let found = problems(&document);
    assert_eq!(
        found.first().map(String::as_str),
        Some("specs[1].given[0].version: in spec \"cannot open a cart twice\": ItemAdded has no version 7")
    );
}

#[test]
fn a_policy_lifecycle_and_a_spec_clock_are_written_only_where_given() {
    let original = cart();
    let exported = |document: &Value| -> Value {
        match Scenario::from_value(document.clone()) {
            Ok(scenario) => scenario.to_value(),
            Err(problems) => panic!("{problems:?}"),
        }
    };
    let as_shipped = exported(&original);
    assert_eq!(
        as_shipped["model"]["policies"], original["model"]["policies"],
        "async, the default, left out"
    );
    assert_eq!(as_shipped["specs"], original["specs"], "no metadata, none written");

    let mut changed = original.clone();
    changed["model"]["policies"][0]["lifecycle"] = json!("inline");
    changed["specs"][0]["when"]["metadata"] = json!({"now": 60_000, "sender": "RecordPurchaseOnConfirmation"});
    let again = exported(&changed);
    assert_eq!(again["model"]["policies"][0]["lifecycle"], json!("inline"));
    assert_eq!(
        again["specs"][0]["when"]["metadata"],
        changed["specs"][0]["when"]["metadata"]
    );

    changed["specs"][0]["when"]["metadata"] = json!({"today": 1});
    changed["model"]["policies"][0]["lifecycle"] = json!("later");
    let found = problems(&changed);
    for path in ["specs[0]", "model.policies[0]"] {
        assert!(
            found.iter().any(|p| p.starts_with(path)),
            "a problem at {path}: {found:?}"
        );
    }
}
