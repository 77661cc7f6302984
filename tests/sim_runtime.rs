//! The runtime on small models: every declarative upcaster op, chains, splits and scripts through
//! `sim::upcast`; commands through `sim::decider::handle_in_store` against a real store; and
//! `sim::policy::react` for scripted and mapping policies. Table-driven, the case in every message.

use eventarium::model::{Conversion, Model, Policy, Upcaster};
use eventarium::script::{Limits, Sandbox};
use eventarium::sim::decider::{self, Emitted, Outcome};
use eventarium::sim::policy::{self, PolicyCommand};
use eventarium::sim::upcast;
use eventarium::sim::{Envelope, Error};
use eventarium::store::{Config, Direction, Error as StoreError, ExpectedRevision, NewEvent, Store};
use serde_json::{json, Value};

fn sandbox() -> Sandbox {
    Sandbox::new(Limits::default(), 0)
}

#[track_caller]
fn model(value: Value) -> Model {
    match serde_json::from_value(value) {
        Ok(model) => model,
        Err(error) => panic!("the test model does not parse: {error}"),
    }
}

fn envelope(event_type: &str, schema_version: u32, data: Value) -> Envelope {
    Envelope {
        event_type: event_type.to_owned(),
        schema_version,
        data,
        stream_id: "thing-1".to_owned(),
        revision: 4,
        position: 9,
    }
}

/// An event type with versions `1..=current` and no fields (upcasting does not validate).
fn event_type(name: &str, current: u32) -> Value {
    let versions: Vec<Value> = (1..=current).map(|v| json!({"version": v, "fields": []})).collect();
    json!({"name": name, "versions": versions})
}

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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

// ---- commands through the store ----

const ACCOUNT: &str = r#"
fn decide(command, state) {
    let d = command.data;
    switch command.type {
        "Open" => {
            if state.open { throw "account already open"; }
            [#{ type: "Opened", data: #{ accountId: d.accountId } }]
        },
        "Deposit" => {
            if !state.open { throw "account is not open"; }
            if d.amount == 0 { return []; }
            [#{ type: "Deposited", data: #{ amount: d.amount } }, #{ type: "BalanceChecked", data: #{ balance: state.balance + d.amount } }]
        },
        "Corrupt" => [#{ type: "Deposited", data: #{ amount: "ten" } }],
        _ => { throw "unknown command " + command.type; }
    }
}

fn evolve(state, event) {
    switch event.type {
        "Opened" => { state.open = true; },
        "Deposited" => { state.balance += event.data.amount; },
        _ => {}
    }
    state
}
"#;

fn account() -> Model {
    model(json!({
        "eventTypes": [
            {"name": "Opened", "versions": [{"version": 1, "fields": [{"name": "accountId", "type": "id"}]}]},
            {"name": "Deposited", "versions": [
                {"version": 1, "fields": [{"name": "cents", "type": "int"}]},
                {"version": 2, "fields": [
                    {"name": "amount", "type": "int"},
                    {"name": "currency", "type": "string", "required": false, "default": "EUR"},
                ]},
            ]},
            {"name": "BalanceChecked", "versions": [{"version": 1, "fields": [{"name": "balance", "type": "int"}]}]},
        ],
        "commands": [
            {"name": "Open", "streamType": "Account", "fields": [{"name": "accountId", "type": "id"}]},
            {"name": "Deposit", "streamType": "Account", "fields": [{"name": "amount", "type": "int"}]},
            {"name": "Corrupt", "streamType": "Account"},
        ],
        "streamTypes": [{
            "name": "Account",
            "streamIdPattern": "account-{id}",
            "initialState": {"open": false, "balance": 0},
            "script": ACCOUNT,
        }],
        "upcasters": [{"eventType": "Deposited", "from": 1, "to": 2, "logic": {"ops": [
            {"op": "renameField", "from": "cents", "to": "amount"},
        ]}}],
    }))
}

/// `(revision, type, version, data)` of every event of a stream, `[]` when it was never written.
#[track_caller]
fn stream(store: &Store, stream_id: &str) -> Vec<(u64, String, u32, Value)> {
    match store.read_stream(stream_id, 0, usize::MAX, Direction::Forwards) {
        Ok(events) => events
            .into_iter()
            .map(|e| (e.revision, e.event_type, e.schema_version, e.data))
            .collect(),
        Err(StoreError::StreamNotFound { .. }) => Vec::new(),
        Err(error) => panic!("reading {stream_id}: {error}"),
    }
}

fn emitted(event_type: &str, schema_version: u32, data: Value) -> Emitted {
    Emitted {
        event_type: event_type.to_owned(),
        schema_version,
        data,
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn commands_append_with_no_stream_then_with_the_exact_revision() {
    let model = account();
    let mut sandbox = sandbox();
    let mut store = Store::new(Config::default());
    let open = decider::handle_in_store(
        &model,
        &mut sandbox,
        &mut store,
        "account-1",
        "Open",
        &json!({"accountId": "1"}),
    );
    assert_eq!(
        open,
        Ok(Outcome::Accepted(vec![emitted("Opened", 1, json!({"accountId": "1"}))])),
        "first command: the outcome"
    );
    assert_eq!(
        stream(&store, "account-1"),
        [(0, "Opened".to_owned(), 1, json!({"accountId": "1"}))],
        "first command: appended to the new stream"
    );
    let deposit = decider::handle_in_store(
        &model,
        &mut sandbox,
        &mut store,
        "account-1",
        "Deposit",
        &json!({"amount": 5}),
    );
    let deposited = json!({"amount": 5, "currency": "EUR"});
    assert_eq!(
        deposit,
        Ok(Outcome::Accepted(vec![
            emitted("Deposited", 2, deposited.clone()),
            emitted("BalanceChecked", 1, json!({"balance": 5})),
        ])),
        "second command: the outcome, defaults filled in, at the current version"
    );
    assert_eq!(
        stream(&store, "account-1"),
        [
            (0, "Opened".to_owned(), 1, json!({"accountId": "1"})),
            (1, "Deposited".to_owned(), 2, deposited),
            (2, "BalanceChecked".to_owned(), 1, json!({"balance": 5})),
        ],
        "second command: appended after revision 0"
    );
    let pristine = stream(&store, "account-2");
    assert_eq!(pristine, [], "another stream is untouched");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn history_is_upcast_before_it_is_folded() {
    let model = account();
    let mut store = Store::new(Config::default());
    let old = [
        NewEvent::new("Opened", json!({"accountId": "1"})),
        NewEvent::new("Deposited", json!({"cents": 40})).with_schema_version(1),
    ];
    let appended = store.append("account-1", ExpectedRevision::NoStream, old.to_vec());
    assert!(appended.is_ok(), "old events: {appended:?}");
    let deposit = decider::handle_in_store(
        &model,
        &mut sandbox(),
        &mut store,
        "account-1",
        "Deposit",
        &json!({"amount": 2}),
    );
    let balance = match &deposit {
        Ok(Outcome::Accepted(events)) => events.get(1).map(|e| e.data.clone()),
        _ => None,
    };
    assert_eq!(
        balance,
        Some(json!({"balance": 42})),
        "the v1 event counted as amount 40: {deposit:?}"
    );
    let versions: Vec<(u64, u32)> = stream(&store, "account-1").iter().map(|e| (e.0, e.2)).collect();
    assert_eq!(
        versions,
        [(0, 1), (1, 1), (2, 2), (3, 1)],
        "stored events are never rewritten"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn rejections_errors_and_empty_decisions_write_nothing() {
    let model = account();
    let opened = || {
        let mut store = Store::new(Config::default());
        let opened = NewEvent::new("Opened", json!({"accountId": "1"}));
        let appended = store.append("account-1", ExpectedRevision::NoStream, vec![opened]);
        assert!(appended.is_ok(), "setting up: {appended:?}");
        store
    };
    let payload_error = |subject: &str, path: &str, problem: &str| {
        Err(Error::Payload(eventarium::model::PayloadError {
            subject: subject.to_owned(),
            path: path.to_owned(),
            problem: problem.to_owned(),
        }))
    };
    let rejected = |message: &str| {
        Ok(Outcome::Rejected(decider::Rejection {
            message: message.to_owned(),
            value: json!(message),
        }))
    };
    let cases = [
        (
            "a rejection",
            "account-1",
            "Open",
            json!({"accountId": "1"}),
            rejected("account already open"),
        ),
        (
            "a rejection on a new stream",
            "account-2",
            "Deposit",
            json!({"amount": 1}),
            rejected("account is not open"),
        ),
        (
            "an empty decision",
            "account-1",
            "Deposit",
            json!({"amount": 0}),
            Ok(Outcome::Accepted(vec![])),
        ),
        (
            "an emitted event that does not match its schema",
            "account-1",
            "Corrupt",
            json!({}),
            payload_error("Deposited v2", "amount", r#"expected int, got "ten""#),
        ),
        (
            "a command payload that does not match its schema",
            "account-1",
            "Deposit",
            json!({"amount": 1.5}),
            payload_error("Deposit", "amount", "expected int, got 1.5"),
        ),
        (
            "a stream of another type",
            "cart-1",
            "Deposit",
            json!({"amount": 1}),
            Err(Error::WrongStream {
                command: "Deposit".to_owned(),
                stream_type: "Account".to_owned(),
                pattern: "account-{id}".to_owned(),
                stream_id: "cart-1".to_owned(),
            }),
        ),
    ];
    for (case, stream_id, command, data, expected) in cases {
        let mut store = opened();
        let before = store.read_all(0, usize::MAX, Direction::Forwards);
        let outcome = decider::handle_in_store(&model, &mut sandbox(), &mut store, stream_id, command, &data);
        assert_eq!(outcome, expected, "{case}: the outcome");
        assert_eq!(
            store.read_all(0, usize::MAX, Direction::Forwards),
            before,
            "{case}: nothing written"
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_emitted_event_off_its_schema_names_the_event_field_and_expectation() {
    let model = account();
    let mut store = Store::new(Config::default());
    let result = decider::handle_in_store(&model, &mut sandbox(), &mut store, "account-1", "Corrupt", &json!({}));
    let message = result.map_err(|e| e.to_string());
    assert_eq!(
        message,
        Err(r#"Deposited v2: field "amount": expected int, got "ten""#.to_owned()),
        "corrupt event: the message"
    );
    assert_eq!(stream(&store, "account-1"), [], "corrupt event: nothing written");
}

/// `handle_in_store` reads and appends within one call, so no writer can come in between there.
/// This plays the same protocol by hand (read, decide with `handle`, append with the revision read)
/// with another writer in between, then shows `handle_in_store` succeeding on the retry.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_writer_in_between_makes_the_append_conflict_and_a_retry_sees_its_event() {
    let model = account();
    let mut sandbox = sandbox();
    let mut store = Store::new(Config::default());
    let open = decider::handle_in_store(
        &model,
        &mut sandbox,
        &mut store,
        "account-1",
        "Open",
        &json!({"accountId": "1"}),
    );
    assert!(open.is_ok(), "open: {open:?}");
    let read = store
        .read_stream("account-1", 0, usize::MAX, Direction::Forwards)
        .unwrap_or_default();
    let history: Vec<Envelope> = read.iter().map(Envelope::from_recorded).collect();
    let outcome = decider::handle(
        &model,
        &mut sandbox,
        "account-1",
        &history,
        "Deposit",
        &json!({"amount": 5}),
    );
    let Ok(Outcome::Accepted(decided)) = outcome else {
        panic!("conflict: decided {outcome:?}")
    };
    let other = NewEvent::new("Deposited", json!({"amount": 100, "currency": "EUR"})).with_schema_version(2);
    let other_append = store.append("account-1", ExpectedRevision::Any, vec![other]);
    assert!(other_append.is_ok(), "the other writer: {other_append:?}");
    let events = decided
        .iter()
        .map(|e| NewEvent::new(e.event_type.clone(), e.data.clone()).with_schema_version(e.schema_version))
        .collect();
    let late = store.append("account-1", ExpectedRevision::Exact(0), events);
    let conflict = StoreError::WrongExpectedVersion {
        stream_id: "account-1".to_owned(),
        expected: ExpectedRevision::Exact(0),
        actual: Some(1),
    };
    assert_eq!(late.map(|_| ()), Err(conflict), "conflict: the late append is refused");
    let retry = decider::handle_in_store(
        &model,
        &mut sandbox,
        &mut store,
        "account-1",
        "Deposit",
        &json!({"amount": 5}),
    );
    let balance = match retry {
        Ok(Outcome::Accepted(events)) => events.get(1).map(|e| e.data.clone()),
        _ => None,
    };
    assert_eq!(
        balance,
        Some(json!({"balance": 105})),
        "retry: decided on the other writer's event"
    );
    let revisions: Vec<(u64, String)> = stream(&store, "account-1").into_iter().map(|e| (e.0, e.1)).collect();
    let expected = [(0, "Opened"), (1, "Deposited"), (2, "Deposited"), (3, "BalanceChecked")];
    assert_eq!(
        revisions,
        expected.map(|(r, t)| (r, t.to_owned())),
        "retry: appended after revision 1"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_deleted_stream_is_a_store_error() {
    let model = account();
    let mut store = Store::new(Config::default());
    let deleted = store.delete_stream("account-1", ExpectedRevision::Any, eventarium::store::DeleteMode::Hard);
    assert!(deleted.is_ok(), "tombstone: {deleted:?}");
    let result = decider::handle_in_store(
        &model,
        &mut sandbox(),
        &mut store,
        "account-1",
        "Open",
        &json!({"accountId": "1"}),
    );
    let expected = Error::Store(StoreError::StreamDeleted {
        stream_id: "account-1".to_owned(),
    });
    assert_eq!(result, Err(expected), "tombstone: the error");
}

// ---- policies ----

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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_stream_whose_events_are_hidden_by_retention_still_accepts_commands() {
    use eventarium::store::StreamMetadata;
    let model = account();
    let cases = [
        (
            "truncate_before",
            StreamMetadata {
                truncate_before: Some(1),
                ..StreamMetadata::default()
            },
        ),
        (
            "max_age_ms",
            StreamMetadata {
                max_age_ms: Some(1),
                ..StreamMetadata::default()
            },
        ),
    ];
    for (case, metadata) in cases {
        let mut store = Store::new(Config::default());
        let opened = NewEvent::new("Opened", json!({"accountId": "1"}));
        assert!(
            store
                .append("account-1", ExpectedRevision::NoStream, vec![opened])
                .is_ok(),
            "{case}"
        );
        assert!(store.set_stream_metadata("account-1", metadata).is_ok(), "{case}");
        assert!(store.advance_ms(10).is_ok(), "{case}");
        let result = decider::handle_in_store(
            &model,
            &mut sandbox(),
            &mut store,
            "account-1",
            "Open",
            &json!({"accountId": "1"}),
        );
        assert!(matches!(result, Ok(Outcome::Accepted(_))), "{case}: {result:?}");
        assert_eq!(
            store.last_revision("account-1"),
            Ok(Some(1)),
            "{case}: appended after the hidden event"
        );
    }
}
