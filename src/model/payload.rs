//! Payload validation: checks a JSON payload against a list of fields and fills in defaults.
//!
//! ```
//! use eventarium::model::{fill_payload, Field, FieldType};
//! use serde_json::json;
//!
//! let fields = [Field::new("qty", FieldType::Int), Field::new("note", FieldType::String).optional(Some(json!("")))];
//! let filled = fill_payload("ItemAdded v2", &fields, &json!({"qty": 3}));
//! assert_eq!(filled, Ok(json!({"qty": 3, "note": ""})));
//! let error = fill_payload("ItemAdded v2", &fields, &json!({"qty": "three"})).unwrap_err();
//! assert_eq!(error.to_string(), r#"ItemAdded v2: field "qty": expected int, got "three""#);
//! ```

use serde_json::{Map, Value};

use super::field::{Field, FieldType};

/// A payload that does not match its schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{subject}: {}{problem}", show_path(path))]
pub struct PayloadError {
    /// What was validated, e.g. `ItemAdded v2` or the command `AddItem`.
    pub subject: String,
    /// The field path, e.g. `lines[0].qty`; empty for the payload itself.
    pub path: String,
    /// What is wrong, e.g. `expected int, got "three"`.
    pub problem: String,
}

fn show_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("field {path:?}: ")
    }
}

/// Checks `data` against `fields` and returns it with the defaults of missing optional fields
/// filled in. Unknown fields are an error. The first mismatch is reported.
pub fn fill_payload(subject: &str, fields: &[Field], data: &Value) -> Result<Value, PayloadError> {
    fill_object(fields, data, "").map_err(|(path, problem)| PayloadError {
        subject: subject.to_owned(),
        path,
        problem,
    })
}

/// Checks one value against a type, without a subject; `Err` holds the path and the problem.
pub fn check_value(field_type: &FieldType, value: &Value) -> Result<Value, (String, String)> {
    fill_value(field_type, value, "")
}

type Mismatch = (String, String);

fn fill_object(fields: &[Field], data: &Value, path: &str) -> Result<Value, Mismatch> {
    let Value::Object(map) = data else {
        return Err((path.to_owned(), format!("expected an object, got {}", show(data))));
    };
    if let Some(unknown) = map.keys().find(|key| !fields.iter().any(|field| &field.name == *key)) {
        return Err((join(path, unknown), "unknown field".to_owned()));
    }
    let mut out = Map::new();
    for field in fields {
        let field_path = join(path, &field.name);
        match map.get(&field.name) {
            Some(value) => {
                out.insert(field.name.clone(), fill_value(&field.field_type, value, &field_path)?);
            }
            None if field.required => {
                return Err((field_path, format!("missing, expected {}", field.field_type)));
            }
            None => {
                if let Some(default) = &field.default {
                    out.insert(field.name.clone(), default.clone());
                }
            }
        }
    }
    Ok(Value::Object(out))
}

fn fill_value(field_type: &FieldType, value: &Value, path: &str) -> Result<Value, Mismatch> {
    let ok = match field_type {
        FieldType::String => value.is_string(),
        FieldType::Int => value.is_i64() || value.is_u64(),
        FieldType::Decimal => value.is_number() || value.as_str().is_some_and(is_decimal),
        FieldType::Bool => value.is_boolean(),
        FieldType::Json => true,
        FieldType::Timestamp => value.as_str().is_some_and(is_timestamp),
        FieldType::Id => value.as_str().is_some_and(|text| !text.trim().is_empty()),
        FieldType::Enum(values) => value.as_str().is_some_and(|text| values.iter().any(|v| v == text)),
        FieldType::List(item) => {
            let Value::Array(items) = value else {
                return Err(mismatch(path, field_type, value));
            };
            let filled: Result<Vec<Value>, Mismatch> = items
                .iter()
                .enumerate()
                .map(|(index, item_value)| fill_value(item, item_value, &format!("{path}[{index}]")))
                .collect();
            return filled.map(Value::Array);
        }
        FieldType::Object(fields) => {
            if !value.is_object() {
                return Err(mismatch(path, field_type, value));
            }
            return fill_object(fields, value, path);
        }
    };
    if ok {
        Ok(value.clone())
    } else {
        Err(mismatch(path, field_type, value))
    }
}

fn mismatch(path: &str, expected: &FieldType, got: &Value) -> Mismatch {
    (path.to_owned(), format!("expected {expected}, got {}", show(got)))
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// A JSON value as compact text, cut after 60 characters, for messages.
pub(crate) fn show(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// `12`, `-3.50`, `0.1`: an optional sign, digits, an optional fraction.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or `±HH:MM`; a plain date is accepted too.
fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape = |pattern: &[u8], at: usize| {
        pattern.iter().enumerate().all(|(i, p)| match (p, bytes.get(at + i)) {
            (b'9', Some(b)) => b.is_ascii_digit(),
            (p, Some(b)) => p == b,
            (_, None) => false,
        })
    };
    if !shape(b"9999-99-99", 0) {
        return false;
    }
    if bytes.len() == 10 {
        return true;
    }
    if !shape(b"T99:99:99", 10) {
        return false;
    }
    let mut rest = text.get(19..).unwrap_or("");
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = fraction.get(digits..).unwrap_or("");
    }
    rest == "Z" || (rest.len() == 6 && shape(b"99:99", text.len() - 5) && rest.starts_with(['+', '-']))
}
