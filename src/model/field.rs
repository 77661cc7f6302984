//! Fields and field types: the building blocks of event and command schemas.
//!
//! In JSON a scalar type is a string (`"string"`, `"int"`, `"decimal"`, `"bool"`, `"timestamp"`,
//! `"id"`, `"json"` for any value) and a compound type is an object with one key: `{"enum": ["a", "b"]}`,
//! `{"list": "int"}`, `{"object": [fields…]}`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The type of a field's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FieldType {
    /// Any JSON string.
    String,
    /// A JSON integer.
    Int,
    /// A JSON number, or a string holding a decimal number (`"12.50"`).
    Decimal,
    /// `true` or `false`.
    Bool,
    /// An ISO 8601 date-time string, e.g. `2024-05-01T10:00:00Z`.
    Timestamp,
    /// A non-empty string identifying something.
    Id,
    /// One of the listed strings.
    Enum(Vec<String>),
    /// A JSON array whose items all have the inner type.
    List(Box<FieldType>),
    /// A JSON object with the listed fields (and no others).
    Object(Vec<Field>),
    /// Any JSON value, unchecked: a carried-forward state, whose shape is the decider's.
    Json,
}

/// One named field of a schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Field {
    /// The field's key in the JSON payload.
    pub name: String,
    /// What the value must be.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Whether the field must be present; `true` unless the document says otherwise.
    #[serde(default = "yes")]
    pub required: bool,
    /// The value an optional field takes when it is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// What the field means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Whether the field holds personal data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pii: bool,
    /// A hint for schema diffs: this field is the previous version's field of that name, renamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

fn yes() -> bool {
    true
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Field {
    /// A required field with no description.
    pub fn new(name: impl Into<String>, field_type: FieldType) -> Self {
        Field {
            name: name.into(),
            field_type,
            required: true,
            default: None,
            description: String::new(),
            pii: false,
            renamed_from: None,
        }
    }

    /// Makes the field optional with a default (`None`: missing stays missing).
    pub fn optional(mut self, default: Option<Value>) -> Self {
        self.required = false;
        self.default = default;
        self
    }

    /// Sets the rename hint.
    pub fn renamed_from(mut self, previous: impl Into<String>) -> Self {
        self.renamed_from = Some(previous.into());
        self
    }
}

impl FieldType {
    /// Reads a type from its JSON form, with a message that names what is wrong.
    pub fn from_json(value: &Value) -> Result<FieldType, String> {
        match value {
            Value::String(name) => match name.as_str() {
                "string" => Ok(FieldType::String),
                "int" => Ok(FieldType::Int),
                "decimal" => Ok(FieldType::Decimal),
                "bool" => Ok(FieldType::Bool),
                "timestamp" => Ok(FieldType::Timestamp),
                "id" => Ok(FieldType::Id),
                "json" => Ok(FieldType::Json),
                "enum" | "list" | "object" => Err(format!("type {name:?} needs its parameters: {{\"{name}\": …}}")),
                other => Err(format!("unknown type {other:?}")),
            },
            Value::Object(map) if map.len() == 1 => {
                let Some((key, inner)) = map.iter().next() else {
                    return Err("empty type".to_owned());
                };
                match key.as_str() {
                    "enum" => enum_values(inner),
                    "list" => Ok(FieldType::List(Box::new(
                        FieldType::from_json(inner).map_err(|e| format!("list item: {e}"))?,
                    ))),
                    "object" => serde_json::from_value(inner.clone())
                        .map(FieldType::Object)
                        .map_err(|e| format!("object fields: {e}")),
                    other => Err(format!("unknown type {other:?}")),
                }
            }
            _ => Err(format!(
                "expected a type name or {{\"enum\"|\"list\"|\"object\": …}}, got {}",
                super::payload::show(value)
            )),
        }
    }
}

fn enum_values(value: &Value) -> Result<FieldType, String> {
    let values: Vec<String> =
        serde_json::from_value(value.clone()).map_err(|_| "enum values must be a list of strings".to_owned())?;
    if values.is_empty() {
        return Err("enum needs at least one value".to_owned());
    }
    Ok(FieldType::Enum(values))
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        FieldType::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// Written as in the UI and in messages: `int`, `enum(a|b)`, `list(string)`, `object{a, b}`.
impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::String => f.write_str("string"),
            FieldType::Int => f.write_str("int"),
            FieldType::Decimal => f.write_str("decimal"),
            FieldType::Bool => f.write_str("bool"),
            FieldType::Timestamp => f.write_str("timestamp"),
            FieldType::Id => f.write_str("id"),
            FieldType::Json => f.write_str("json"),
            FieldType::Enum(values) => write!(f, "enum({})", values.join("|")),
            FieldType::List(item) => write!(f, "list({item})"),
            FieldType::Object(fields) => {
                let names: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
                write!(f, "object{{{}}}", names.join(", "))
            }
        }
    }
}
