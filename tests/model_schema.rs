//! Schemas: payload validation (with defaults and clear errors) and schema diffs, table-driven.

use eventarium::model::{diff, fill_payload, Field, FieldType, SchemaVersion};
use serde_json::{json, Value};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn item_added_v2() -> Vec<Field> {
    vec![
        Field::new("productId", FieldType::String).renamed_from("sku"),
        Field::new("qty", FieldType::Int),
        Field::new("price", FieldType::Decimal),
        Field::new("currency", FieldType::Enum(vec!["EUR".into(), "USD".into()])).optional(Some(json!("EUR"))),
        Field::new("at", FieldType::Timestamp).optional(None),
        Field::new("tags", FieldType::List(Box::new(FieldType::String))).optional(Some(json!([]))),
        Field::new("by", FieldType::Object(vec![Field::new("id", FieldType::Id)])).optional(None),
    ]
}

#[test]
fn payloads_are_validated_with_paths() {
    let fields = item_added_v2();
    let cases: [(Value, &str); 10] = [
        (
            json!({"productId": "A", "qty": "three", "price": 1}),
            r#"ItemAdded v2: field "qty": expected int, got "three""#,
        ),
        (
            json!({"productId": "A", "price": 1}),
            r#"ItemAdded v2: field "qty": missing, expected int"#,
        ),
        (
            json!({"productId": "A", "qty": 1, "price": 1, "colour": "red"}),
            r#"ItemAdded v2: field "colour": unknown field"#,
        ),
        (
            json!({"productId": "A", "qty": 1.5, "price": 1}),
            r#"ItemAdded v2: field "qty": expected int, got 1.5"#,
        ),
        (
            json!({"productId": "A", "qty": 1, "price": "1,5"}),
            r#"ItemAdded v2: field "price": expected decimal, got "1,5""#,
        ),
        (
            json!({"productId": "A", "qty": 1, "price": 1, "currency": "GBP"}),
            r#"ItemAdded v2: field "currency": expected enum(EUR|USD), got "GBP""#,
        ),
        (
            json!({"productId": "A", "qty": 1, "price": 1, "at": "yesterday"}),
            r#"ItemAdded v2: field "at": expected timestamp, got "yesterday""#,
        ),
        (
            json!({"productId": "A", "qty": 1, "price": 1, "tags": ["a", 2]}),
            r#"ItemAdded v2: field "tags[1]": expected string, got 2"#,
        ),
        (
            json!({"productId": "A", "qty": 1, "price": 1, "by": {"id": ""}}),
            r#"ItemAdded v2: field "by.id": expected id, got """#,
        ),
        (json!([1]), "ItemAdded v2: expected an object, got [1]"),
    ];
    for (data, expected) in cases {
        let error = fill_payload("ItemAdded v2", &fields, &data)
            .err()
            .map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some(expected), "payload {data}");
    }
}

#[test]
fn valid_payloads_get_their_defaults() {
    let fields = item_added_v2();
    let data =
        json!({"productId": "A", "qty": 2, "price": "9.99", "at": "2024-05-01T10:00:00.5+02:00", "by": {"id": "u1"}});
    let filled = fill_payload("ItemAdded v2", &fields, &data);
    let expected = json!({"productId": "A", "qty": 2, "price": "9.99", "currency": "EUR", "tags": [],
        "at": "2024-05-01T10:00:00.5+02:00", "by": {"id": "u1"}});
    assert_eq!(
        filled,
        Ok(expected),
        "defaults filled, optional fields without default left out"
    );
}

fn version(number: u32, fields: Vec<Field>) -> SchemaVersion {
    SchemaVersion {
        version: number,
        fields,
        description: String::new(),
    }
}

#[test]
fn diffs_classify_changes() {
    let sku = || Field::new("sku", FieldType::String);
    let qty = || Field::new("qty", FieldType::Int);
    struct Case {
        name: &'static str,
        old: Vec<Field>,
        new: Vec<Field>,
        breaking: bool,
        reasons: Vec<&'static str>,
    }
    let cases = [
        Case {
            name: "no change",
            old: vec![sku(), qty()],
            new: vec![sku(), qty()],
            breaking: false,
            reasons: vec![],
        },
        Case {
            name: "optional added",
            old: vec![sku()],
            new: vec![sku(), Field::new("note", FieldType::String).optional(None)],
            breaking: false,
            reasons: vec![],
        },
        Case {
            name: "required added with default",
            old: vec![sku()],
            new: vec![
                sku(),
                Field {
                    default: Some(json!(1)),
                    ..qty()
                },
            ],
            breaking: false,
            reasons: vec![],
        },
        Case {
            name: "required added",
            old: vec![sku()],
            new: vec![sku(), qty()],
            breaking: true,
            reasons: vec![r#"added required field "qty" without a default"#],
        },
        Case {
            name: "required removed",
            old: vec![sku(), qty()],
            new: vec![sku()],
            breaking: true,
            reasons: vec![r#"removed required field "qty""#],
        },
        Case {
            name: "retyped",
            old: vec![qty()],
            new: vec![Field::new("qty", FieldType::String)],
            breaking: true,
            reasons: vec![r#"retyped field "qty" from int to string"#],
        },
        Case {
            name: "renamed",
            old: vec![sku()],
            new: vec![Field::new("productId", FieldType::String).renamed_from("sku")],
            breaking: true,
            reasons: vec![r#"renamed field "sku" to "productId""#],
        },
        Case {
            name: "rename hint with another type is a remove and an add",
            old: vec![sku()],
            new: vec![Field::new("productId", FieldType::Int).renamed_from("sku")],
            breaking: true,
            reasons: vec![
                r#"added required field "productId" without a default"#,
                r#"removed required field "sku""#,
            ],
        },
    ];
    for case in cases {
        let result = diff(&version(1, case.old), &version(2, case.new));
        assert_eq!(result.breaking, case.breaking, "{}: breaking", case.name);
        assert_eq!(result.reasons, case.reasons, "{}: reasons", case.name);
    }
    let renamed = diff(
        &version(1, vec![sku()]),
        &version(2, vec![Field::new("productId", FieldType::String).renamed_from("sku")]),
    );
    assert_eq!(
        (renamed.added.len(), renamed.removed.len(), renamed.renamed.len()),
        (0, 0, 1),
        "a rename is neither add nor remove"
    );
}

#[test]
fn field_types_read_and_write_camel_case_json() {
    let cases = [
        (json!("int"), "int"),
        (json!({"enum": ["a", "b"]}), "enum(a|b)"),
        (json!({"list": {"list": "id"}}), "list(list(id))"),
        (json!({"object": [{"name": "n", "type": "bool"}]}), "object{n}"),
    ];
    for (json, shown) in cases {
        let parsed = FieldType::from_json(&json);
        assert_eq!(parsed.as_ref().map(ToString::to_string), Ok(shown.to_owned()), "{json}");
        let back = parsed.ok().and_then(|t| serde_json::to_value(t).ok());
        let expected = if shown.starts_with("object") {
            json!({"object": [{"name": "n", "type": "bool", "required": true}]})
        } else {
            json.clone()
        };
        assert_eq!(back, Some(expected), "{json} round trip");
    }
    assert_eq!(
        FieldType::from_json(&json!("strng")),
        Err(r#"unknown type "strng""#.to_owned()),
        "unknown type"
    );
    assert_eq!(
        FieldType::from_json(&json!({"enum": []})),
        Err("enum needs at least one value".to_owned()),
        "empty enum"
    );
}
