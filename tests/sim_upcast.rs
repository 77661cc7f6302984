//! Upcasting through `sim::upcast` on small models: every declarative op, changeType
//! conversions, chains, splits, scripted upcasters and the missing-path error. Table-driven, the
//! case in every message.

mod support;

use eventarium::model::{Conversion, Model, Upcaster};
use eventarium::sim::upcast;
use eventarium::sim::{Envelope, Error};
use serde_json::{json, Value};
use support::{envelope, event_type, model, sandbox};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A model whose type `E` has versions 1 and 2 and one upcaster 1 → 2 with `ops`.
fn one_step(ops: Value) -> Model {
    model(json!({
        "eventTypes": [event_type("E", 2)],
        "upcasters": [{"eventType": "E", "from": 1, "to": 2, "logic": {"ops": ops}}],
    }))
}

/// `(type, version, data)` of each envelope, checking that the envelope kept its place in the store.
#[track_caller]
fn shapes(case: &str, events: &[Envelope]) -> Vec<(String, u32, Value)> {
    for event in events {
        assert_eq!(
            (event.stream_id.as_str(), event.revision, event.position),
            ("thing-1", 4, 9),
            "{case}: the stream, revision and position are kept"
        );
    }
    events
        .iter()
        .map(|e| (e.event_type.clone(), e.schema_version, e.data.clone()))
        .collect()
}

#[test]
fn each_declarative_op_transforms_the_data() {
    let cases = [
        (
            "renameField",
            json!([{"op": "renameField", "from": "sku", "to": "productId"}]),
            json!({"sku": "A", "qty": 1}),
            json!({"productId": "A", "qty": 1}),
        ),
        (
            "renameField of an absent field",
            json!([{"op": "renameField", "from": "sku", "to": "productId"}]),
            json!({"qty": 1}),
            json!({"qty": 1}),
        ),
        (
            "addField with a default",
            json!([{"op": "addField", "field": "currency", "default": "EUR"}]),
            json!({"qty": 1}),
            json!({"qty": 1, "currency": "EUR"}),
        ),
        (
            "addField with an object default",
            json!([{"op": "addField", "field": "meta", "default": {"source": "legacy", "tags": []}}]),
            json!({}),
            json!({"meta": {"source": "legacy", "tags": []}}),
        ),
        (
            "addField keeps a value already there",
            json!([{"op": "addField", "field": "currency", "default": "EUR"}]),
            json!({"currency": "USD"}),
            json!({"currency": "USD"}),
        ),
        (
            "removeField",
            json!([{"op": "removeField", "field": "legacy"}]),
            json!({"legacy": true, "qty": 1}),
            json!({"qty": 1}),
        ),
        (
            "removeField of an absent field",
            json!([{"op": "removeField", "field": "legacy"}]),
            json!({"qty": 1}),
            json!({"qty": 1}),
        ),
        (
            "ops apply in order",
            json!([
                {"op": "renameField", "from": "sku", "to": "productId"},
                {"op": "addField", "field": "sku", "default": "none"},
                {"op": "removeField", "field": "qty"},
            ]),
            json!({"sku": "A", "qty": 1}),
            json!({"productId": "A", "sku": "none"}),
        ),
        (
            "a payload that is not an object becomes one",
            json!([{"op": "addField", "field": "qty", "default": 0}]),
            json!(null),
            json!({"qty": 0}),
        ),
    ];
    for (case, ops, data, expected) in cases {
        let model = one_step(ops);
        let upcast = upcast::upcast(&model, &mut sandbox(), envelope("E", 1, data));
        let upcast = upcast.unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            shapes(case, &upcast),
            [("E".to_owned(), 2, expected)],
            "{case}: one event at v2 with the new data"
        );
    }
}

#[test]
fn change_type_converts_with_the_given_or_the_inferred_conversion() {
    let cases = [
        ("toString from an int", "string", "toString", json!(3), json!("3")),
        ("toString from a bool", "string", "toString", json!(true), json!("true")),
        ("toString keeps a string", "string", "toString", json!("x"), json!("x")),
        ("toInt from a numeric string", "int", "toInt", json!(" 42 "), json!(42)),
        ("toInt truncates a decimal", "int", "toInt", json!(3.7), json!(3)),
        (
            "toInt truncates a decimal string",
            "int",
            "toInt",
            json!("-2.5"),
            json!(-2),
        ),
        ("toInt keeps an int", "int", "toInt", json!(7), json!(7)),
        (
            "toDecimal from a string",
            "decimal",
            "toDecimal",
            json!("12.50"),
            json!(12.5),
        ),
        ("toDecimal keeps a number", "decimal", "toDecimal", json!(4), json!(4)),
        ("toBool from \"true\"", "bool", "toBool", json!("true"), json!(true)),
        ("toBool from \"false\"", "bool", "toBool", json!("false"), json!(false)),
        ("toBool from 0", "bool", "toBool", json!(0), json!(false)),
        ("toBool from 2", "bool", "toBool", json!(2), json!(true)),
        ("toBool from \"1\"", "bool", "toBool", json!("1"), json!(true)),
        ("inferred for string", "string", "", json!(5), json!("5")),
        ("inferred for id", "id", "", json!(17), json!("17")),
        ("inferred for timestamp", "timestamp", "", json!(0), json!("0")),
        ("inferred for enum", r#"{"enum": ["1", "2"]}"#, "", json!(2), json!("2")),
        ("inferred for int", "int", "", json!("5"), json!(5)),
        ("inferred for decimal", "decimal", "", json!("0.25"), json!(0.25)),
        ("inferred for bool", "bool", "", json!(1), json!(true)),
        (
            "none inferred for a list",
            r#"{"list": "int"}"#,
            "",
            json!("1,2"),
            json!("1,2"),
        ),
        ("an explicit conversion wins", "int", "toString", json!(5), json!("5")),
    ];
    for (case, to, convert, value, expected) in cases {
        // A type name, or the JSON of a compound type.
        let to: Value = serde_json::from_str(to).unwrap_or_else(|_| json!(to));
        let mut op = json!({"op": "changeType", "field": "v", "to": to});
        if !convert.is_empty() {
            op["convert"] = json!(convert);
        }
        let model = one_step(json!([op]));
        let upcast = upcast::upcast(
            &model,
            &mut sandbox(),
            envelope("E", 1, json!({"v": value, "other": 1})),
        );
        let upcast = upcast.unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            shapes(case, &upcast),
            [("E".to_owned(), 2, json!({"v": expected, "other": 1}))],
            "{case}: the converted value"
        );
    }
}

#[test]
fn change_type_of_an_absent_field_changes_nothing() {
    let model = one_step(json!([{"op": "changeType", "field": "v", "to": "int", "convert": "toInt"}]));
    let upcast = upcast::upcast(&model, &mut sandbox(), envelope("E", 1, json!({"w": "x"})));
    let upcast = upcast.unwrap_or_else(|e| panic!("absent field: {e}"));
    assert_eq!(
        shapes("absent field", &upcast),
        [("E".to_owned(), 2, json!({"w": "x"}))],
        "absent field: the data is unchanged and the version moves on"
    );
}

#[test]
fn change_type_that_cannot_convert_is_an_error_naming_the_upcaster_field_and_value() {
    let cases = [
        (
            "toInt from words",
            "int",
            "toInt",
            json!("abc"),
            r#"value "abc" to int"#,
        ),
        ("toInt from a bool", "int", "toInt", json!(true), "value true to int"),
        ("toInt beyond 9e15", "int", "toInt", json!(1.0e16), "value 1e+16 to int"),
        (
            "toDecimal from words",
            "decimal",
            "toDecimal",
            json!("twelve"),
            r#"value "twelve" to decimal"#,
        ),
        (
            "toDecimal from NaN text",
            "decimal",
            "toDecimal",
            json!("NaN"),
            r#"value "NaN" to decimal"#,
        ),
        (
            "toBool from yes",
            "bool",
            "toBool",
            json!("yes"),
            r#"value "yes" to bool"#,
        ),
        (
            "toBool from TRUE",
            "bool",
            "toBool",
            json!("TRUE"),
            r#"value "TRUE" to bool"#,
        ),
        ("toBool from a list", "bool", "toBool", json!([1]), "value [1] to bool"),
    ];
    for (case, to, convert, value, tail) in cases {
        let model = one_step(json!([{"op": "changeType", "field": "v", "to": to, "convert": convert}]));
        let result = upcast::upcast(&model, &mut sandbox(), envelope("E", 1, json!({"v": value})));
        let expected = Error::BadResult {
            owner: "upcaster E v1→v2".to_owned(),
            message: format!("cannot convert field \"v\" {tail}"),
        };
        assert_eq!(result, Err(expected), "{case}: the error");
    }
}

#[test]
fn apply_conversion_covers_every_conversion() {
    let cases = [
        (Conversion::ToString, json!(null), Some(json!("null"))),
        (Conversion::ToString, json!({"a": 1}), Some(json!(r#"{"a":1}"#))),
        (Conversion::ToString, json!(1.5), Some(json!("1.5"))),
        (Conversion::ToInt, json!("1e3"), Some(json!(1000))),
        (Conversion::ToInt, json!(-0.9), Some(json!(0))),
        (Conversion::ToInt, json!(u64::MAX), Some(json!(u64::MAX))),
        (Conversion::ToInt, json!(null), None),
        (Conversion::ToInt, json!("inf"), None),
        (Conversion::ToDecimal, json!(" -3.25 "), Some(json!(-3.25))),
        (Conversion::ToDecimal, json!(true), None),
        (Conversion::ToBool, json!(false), Some(json!(false))),
        (Conversion::ToBool, json!("0.0"), Some(json!(false))),
        (Conversion::ToBool, json!(null), None),
    ];
    for (conversion, value, expected) in cases {
        assert_eq!(
            upcast::apply_conversion(conversion, &value),
            expected,
            "{conversion:?} of {value}"
        );
    }
}

#[test]
fn split_turns_one_event_into_several_in_order_each_continuing_its_own_chain() {
    let model = model(json!({
        "eventTypes": [event_type("OrderPlaced", 2), event_type("OrderOpened", 1), event_type("LineAdded", 2)],
        "upcasters": [
            {"eventType": "OrderPlaced", "from": 1, "to": 2, "logic": {"ops": [
                {"op": "renameField", "from": "id", "to": "orderId"},
                {"op": "split", "into": [
                    {"type": "OrderOpened", "version": 1, "fields": ["orderId", "customer"]},
                    {"type": "LineAdded", "version": 1, "fields": ["orderId", "sku", "missing"]},
                    {"type": "Unmodelled", "version": 3, "fields": ["sku"]},
                ]},
            ]}},
            {"eventType": "LineAdded", "from": 1, "to": 2, "logic": {"ops": [
                {"op": "addField", "field": "qty", "default": 1},
            ]}},
        ],
    }));
    let stored = envelope("OrderPlaced", 1, json!({"id": "o1", "customer": "c", "sku": "A"}));
    let upcast = upcast::upcast(&model, &mut sandbox(), stored).unwrap_or_else(|e| panic!("split: {e}"));
    let expected = [
        ("OrderOpened".to_owned(), 1, json!({"orderId": "o1", "customer": "c"})),
        (
            "LineAdded".to_owned(),
            2,
            json!({"orderId": "o1", "sku": "A", "qty": 1}),
        ),
        ("Unmodelled".to_owned(), 3, json!({"sku": "A"})),
    ];
    assert_eq!(
        shapes("split", &upcast),
        expected,
        "split: three events in order, LineAdded upcast to v2, an unmodelled type passed through"
    );
}

#[test]
fn a_chain_runs_every_step_from_the_stored_version() {
    let model = model(json!({
        "eventTypes": [event_type("E", 3)],
        "upcasters": [
            {"eventType": "E", "from": 2, "to": 3, "logic": {"ops": [
                {"op": "changeType", "field": "qty", "to": "int"},
                {"op": "addField", "field": "currency", "default": "EUR"},
            ]}},
            {"eventType": "E", "from": 1, "to": 2, "logic": {"ops": [
                {"op": "renameField", "from": "amount", "to": "qty"},
            ]}},
        ],
    }));
    let cases = [
        (
            "stored at v1",
            1,
            json!({"amount": "5"}),
            json!({"qty": 5, "currency": "EUR"}),
        ),
        (
            "stored at v2",
            2,
            json!({"qty": "6"}),
            json!({"qty": 6, "currency": "EUR"}),
        ),
        ("stored at v3", 3, json!({"qty": "7"}), json!({"qty": "7"})),
    ];
    for (case, version, data, expected) in cases {
        let upcast = upcast::upcast(&model, &mut sandbox(), envelope("E", version, data));
        let upcast = upcast.unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            shapes(case, &upcast),
            [("E".to_owned(), 3, expected)],
            "{case}: upcast to v3"
        );
    }
}

#[test]
fn upcast_all_keeps_the_order_of_events_and_of_split_pieces() {
    let model = model(json!({
        "eventTypes": [event_type("E", 2), event_type("A", 1), event_type("B", 1)],
        "upcasters": [{"eventType": "E", "from": 1, "to": 2, "logic": {"ops": [
            {"op": "split", "into": [
                {"type": "A", "version": 1, "fields": ["n"]},
                {"type": "B", "version": 1, "fields": ["n"]},
            ]},
        ]}}],
    }));
    let events = [
        envelope("E", 1, json!({"n": 1})),
        envelope("Other", 1, json!({"n": 2})),
        envelope("E", 1, json!({"n": 3})),
    ];
    let upcast = upcast::upcast_all(&model, &mut sandbox(), &events).unwrap_or_else(|e| panic!("upcast_all: {e}"));
    let order: Vec<(String, Value)> = upcast
        .into_iter()
        .map(|e| (e.event_type, e.data["n"].clone()))
        .collect();
    let expected = [("A", 1), ("B", 1), ("Other", 2), ("A", 3), ("B", 3)].map(|(t, n)| (t.to_owned(), json!(n)));
    assert_eq!(order, expected, "upcast_all: events in order, pieces in split order");
}

#[test]
fn a_scripted_upcaster_returns_one_event_or_several() {
    let cases = [
        (
            "one map: type kept, version from the upcaster",
            "fn upcast(event) { let d = event.data; #{ data: #{ euros: d.cents / 100, note: event.streamId } } }",
            vec![("E", 2, json!({"euros": 12, "note": "thing-1"}))],
        ),
        (
            "an array: a split with explicit types and versions",
            r#"fn upcast(event) {
                [#{ type: "A", schemaVersion: 1, data: #{ n: event.data.cents } }, #{ type: "B", data: #{} }]
            }"#,
            vec![("A", 1, json!({"n": 1234})), ("B", 2, json!({}))],
        ),
        ("an empty array drops the event", "fn upcast(event) { [] }", vec![]),
        (
            "the argument edited and returned: still at the input's version, so one step up",
            "fn upcast(event) { event.data.euros = event.data.cents / 100; event.data.remove(\"cents\"); event }",
            vec![("E", 2, json!({"euros": 12}))],
        ),
    ];
    for (case, script, expected) in cases {
        let model = model(json!({
            "eventTypes": [event_type("E", 2)],
            "upcasters": [{"eventType": "E", "from": 1, "to": 2, "logic": {"script": script}}],
        }));
        let upcast = upcast::upcast(&model, &mut sandbox(), envelope("E", 1, json!({"cents": 1234})));
        let upcast = upcast.unwrap_or_else(|e| panic!("{case}: {e}"));
        let expected: Vec<(String, u32, Value)> = expected.into_iter().map(|(t, v, d)| (t.to_owned(), v, d)).collect();
        assert_eq!(shapes(case, &upcast), expected, "{case}: the events");
    }
}

#[test]
fn a_scripted_upcaster_with_a_bad_result_is_an_error_naming_it() {
    let cases = [
        (
            "a number",
            "fn upcast(event) { 42 }",
            "upcast must return an event #{ type, data } or an array of them",
        ),
        (
            "a bad type",
            "fn upcast(event) { #{ type: 1 } }",
            "an upcast event's type must be a string",
        ),
        (
            "a bad version",
            "fn upcast(event) { #{ schemaVersion: -1 } }",
            "schemaVersion must be a positive integer",
        ),
    ];
    for (case, script, message) in cases {
        let upcaster: Upcaster = serde_json::from_value(json!({
            "eventType": "E", "from": 1, "to": 2, "logic": {"script": script},
        }))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
        let result = upcast::step(&upcaster, &mut sandbox(), &envelope("E", 1, json!({})));
        let expected = Error::BadResult {
            owner: "upcaster E v1→v2".to_owned(),
            message: message.to_owned(),
        };
        assert_eq!(result, Err(expected), "{case}: the error");
    }
}

#[test]
fn a_stored_version_without_a_path_to_the_current_one_is_an_error() {
    let model = model(json!({
        "eventTypes": [event_type("E", 3)],
        "upcasters": [{"eventType": "E", "from": 1, "to": 2, "logic": {"ops": []}}],
    }));
    let cases = [
        (
            "stuck at v2 after one step",
            1,
            2,
            "no upcaster for E v2 (current version is v3)",
        ),
        ("stored at v2", 2, 2, "no upcaster for E v2 (current version is v3)"),
        (
            "stored above the current version",
            5,
            5,
            "no upcaster for E v5 (current version is v3)",
        ),
    ];
    for (case, stored, reached, message) in cases {
        let events = [envelope("E", 3, json!({})), envelope("E", stored, json!({}))];
        let result = upcast::upcast_all(&model, &mut sandbox(), &events);
        let Err(error) = result else {
            panic!("{case}: expected an error, got {result:?}")
        };
        assert_eq!(error.to_string(), message, "{case}: the message");
        let expected = Error::NoUpcastPath {
            event_type: "E".to_owned(),
            version: reached,
            current: 3,
        };
        assert_eq!(error, expected, "{case}: the error");
    }
}
