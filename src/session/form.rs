//! Command forms: what each field's input holds (text as typed) turned into the command's JSON
//! payload, with a message per field that does not fit. Plain Rust, tested natively.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use super::ExpectedMode;
use crate::model::{check_value, Field, FieldType};

/// How a field is entered.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A one-line text box.
    Text,
    /// A number box; `whole` for integers.
    Number {
        /// Whether only whole numbers fit.
        whole: bool,
    },
    /// A checkbox.
    Checkbox,
    /// A list to pick from.
    Choice(Vec<String>),
    /// JSON typed in a text area (lists and objects).
    Json,
}

/// A command the user sent from a console: the form's payload, its stream and how to append.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The command's name.
    pub command: String,
    /// The target stream.
    pub stream_id: String,
    /// The payload from the form.
    pub data: Value,
    /// How to append.
    pub expected: ExpectedMode,
}

/// The input a field type is entered with.
pub fn input_for(field_type: &FieldType) -> Input {
    match field_type {
        FieldType::Int => Input::Number { whole: true },
        FieldType::Decimal => Input::Number { whole: false },
        FieldType::Bool => Input::Checkbox,
        FieldType::Enum(values) => Input::Choice(values.clone()),
        FieldType::List(_) | FieldType::Object(_) | FieldType::Json => Input::Json,
        FieldType::String | FieldType::Id | FieldType::Timestamp => Input::Text,
    }
}

/// The payload of `fields` from the texts typed (by field name), or every field's problem.
/// An empty input leaves an optional field out (its default applies) and is a problem for a
/// required one.
pub fn payload(fields: &[Field], texts: &BTreeMap<String, String>) -> Result<Value, BTreeMap<String, String>> {
    let mut data = Map::new();
    let mut problems = BTreeMap::new();
    for field in fields {
        let text = texts.get(&field.name).map_or("", |t| t.trim());
        match value_of(field, text) {
            Ok(Some(value)) => {
                data.insert(field.name.clone(), value);
            }
            Ok(None) => {}
            Err(problem) => {
                problems.insert(field.name.clone(), problem);
            }
        }
    }
    if problems.is_empty() {
        Ok(Value::Object(data))
    } else {
        Err(problems)
    }
}

fn value_of(field: &Field, text: &str) -> Result<Option<Value>, String> {
    if text.is_empty() && !matches!(field.field_type, FieldType::Bool) {
        return if field.required {
            Err("required".to_owned())
        } else {
            Ok(None)
        };
    }
    let value = match input_for(&field.field_type) {
        Input::Number { whole: true } => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "expected a whole number".to_owned())?,
        Input::Number { whole: false } => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "expected a number".to_owned())?,
        Input::Checkbox => Value::Bool(text == "true"),
        Input::Json => serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?,
        Input::Text | Input::Choice(_) => Value::String(text.to_owned()),
    };
    check_value(&field.field_type, &value)
        .map(Some)
        .map_err(|(path, problem)| {
            if path.is_empty() {
                problem
            } else {
                format!("{path}: {problem}")
            }
        })
}

/// The stream a command goes to, from its stream type's pattern (`cart-{id}`) and the id typed
/// into its form: the field named after the pattern's prefix (`cartId`), or else its first id
/// field. `None` while that field is empty or there is none.
pub fn stream_for(pattern: &str, fields: &[Field], texts: &BTreeMap<String, String>) -> Option<String> {
    let prefix = pattern.split("{id}").next().unwrap_or_default();
    let named = format!("{}id", prefix.trim_end_matches(['-', '_', ':', '/']).to_lowercase());
    let field = fields
        .iter()
        .find(|f| f.name.to_lowercase() == named)
        .or_else(|| fields.iter().find(|f| f.field_type == FieldType::Id))?;
    let id = texts.get(&field.name).map(|t| t.trim()).filter(|t| !t.is_empty())?;
    pattern.contains("{id}").then(|| pattern.replace("{id}", id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields() -> Vec<Field> {
        vec![
            Field::new("cartId", FieldType::Id),
            Field::new("qty", FieldType::Int),
            Field::new("price", FieldType::Decimal),
            Field::new("gift", FieldType::Bool),
            Field::new("size", FieldType::Enum(vec!["S".into(), "M".into()])),
            Field::new("tags", FieldType::List(Box::new(FieldType::String))).optional(None),
        ]
    }

    fn texts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn typed_texts_become_the_payload() {
        let typed = texts(&[
            ("cartId", " 7 "),
            ("qty", "2"),
            ("price", "9.5"),
            ("gift", "true"),
            ("size", "M"),
        ]);
        assert_eq!(
            payload(&fields(), &typed),
            Ok(json!({"cartId": "7", "qty": 2, "price": 9.5, "gift": true, "size": "M"}))
        );
        let with_tags = texts(&[
            ("cartId", "7"),
            ("qty", "2"),
            ("price", "1"),
            ("size", "S"),
            ("tags", "[\"a\"]"),
        ]);
        let data = payload(&fields(), &with_tags).unwrap_or_default();
        assert_eq!(
            (data["tags"].clone(), data["gift"].clone()),
            (json!(["a"]), json!(false))
        );
    }

    #[test]
    fn the_stream_follows_the_id_typed_into_the_form() {
        let fields = fields();
        assert_eq!(
            stream_for("cart-{id}", &fields, &texts(&[("cartId", " 7 ")])),
            Some("cart-7".to_owned())
        );
        assert_eq!(stream_for("cart-{id}", &fields, &texts(&[])), None, "nothing typed yet");
        let order = vec![
            Field::new("customer", FieldType::String),
            Field::new("ref", FieldType::Id),
        ];
        assert_eq!(
            stream_for("order-{id}", &order, &texts(&[("ref", "A1")])),
            Some("order-A1".to_owned()),
            "the first id field when none is named after the pattern"
        );
        assert_eq!(
            stream_for("ledger", &fields, &texts(&[("cartId", "7")])),
            None,
            "a pattern without an id"
        );
    }

    #[test]
    fn every_field_that_does_not_fit_says_why() {
        let typed = texts(&[("qty", "2.5"), ("price", "cheap"), ("size", "XL"), ("tags", "[1")]);
        let problems = payload(&fields(), &typed).err().unwrap_or_default();
        let cases = [
            ("cartId", "required"),
            ("qty", "expected a whole number"),
            ("price", "expected a number"),
            ("size", "XL"),
            ("tags", "invalid JSON"),
        ];
        for (field, words) in cases {
            let problem = problems.get(field).cloned().unwrap_or_default();
            assert!(problem.contains(words), "{field}: {problem:?} lacks {words:?}");
        }
        assert_eq!(problems.len(), cases.len(), "{problems:?}");
    }
}
