//! Upcasting on read: brings a stored event up to its type's current schema version by applying
//! the upcaster chain in order. Stored events are never changed; this runs on every read.

use serde_json::{Map, Number, Value};

use super::envelope::Envelope;
use super::error::{Error, Result};
use crate::model::{Conversion, FieldType, Model, Op, UpcastLogic, Upcaster};
use crate::script::{Owner, OwnerKind, Sandbox};

/// The most upcasting steps one stored event may take; a guard against cycles.
const MAX_STEPS: usize = 1_000;

/// Upcasts events in order; an event may become several (a split) or stay as it is.
pub fn upcast_all(model: &Model, sandbox: &mut Sandbox, events: &[Envelope]) -> Result<Vec<Envelope>> {
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        out.extend(upcast(model, sandbox, event.clone())?);
    }
    Ok(out)
}

/// Upcasts one event to the current version of its type (and of any type it splits into).
/// Events of types the model does not define pass through unchanged.
pub fn upcast(model: &Model, sandbox: &mut Sandbox, event: Envelope) -> Result<Vec<Envelope>> {
    let mut pending = vec![event];
    let mut done = Vec::new();
    let mut steps = 0;
    while let Some(event) = pending.pop() {
        let Some(event_type) = model.event_type(&event.event_type) else {
            done.push(event);
            continue;
        };
        let current = event_type.current_version();
        if event.schema_version == current {
            done.push(event);
            continue;
        }
        let no_path = || Error::NoUpcastPath {
            event_type: event.event_type.clone(),
            version: event.schema_version,
            current,
        };
        steps += 1;
        if event.schema_version > current || steps > MAX_STEPS {
            return Err(no_path());
        }
        let upcaster = model
            .upcaster(&event.event_type, event.schema_version)
            .ok_or_else(no_path)?;
        let mut produced = step(upcaster, sandbox, &event)?;
        produced.reverse();
        pending.extend(produced);
    }
    Ok(done)
}

/// Applies one upcaster to one event.
pub fn step(upcaster: &Upcaster, sandbox: &mut Sandbox, event: &Envelope) -> Result<Vec<Envelope>> {
    let owner = Owner {
        kind: OwnerKind::Upcaster,
        name: format!("{} v{}→v{}", upcaster.event_type, upcaster.from, upcaster.to),
    };
    match &upcaster.logic {
        UpcastLogic::Ops(ops) => apply_ops(ops, upcaster.to, event, &owner),
        UpcastLogic::Script(source) => {
            let script = sandbox.compile(&owner, source)?;
            let result = sandbox.call(script, "upcast", &[event.to_value()])?;
            let items = match result {
                Value::Array(items) => items,
                single => vec![single],
            };
            items
                .into_iter()
                .map(|item| from_script(item, upcaster.to, event, &owner))
                .collect()
        }
    }
}

fn from_script(item: Value, to: u32, input: &Envelope, owner: &Owner) -> Result<Envelope> {
    let bad = |message: &str| Error::BadResult {
        owner: owner.to_string(),
        message: message.to_owned(),
    };
    let Value::Object(mut map) = item else {
        return Err(bad("upcast must return an event #{ type, data } or an array of them"));
    };
    let event_type = match map.remove("type") {
        None => input.event_type.clone(),
        Some(Value::String(name)) => name,
        Some(_) => return Err(bad("an upcast event's type must be a string")),
    };
    let schema_version = match map.remove("schemaVersion") {
        None => to,
        // A script that edits its argument and returns it still carries the input's version; it
        // means "this event, one step up", so it is at `to` (otherwise the chain would never move).
        Some(value) if event_type == input.event_type && value.as_u64() == Some(u64::from(input.schema_version)) => to,
        Some(value) => value
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| bad("schemaVersion must be a positive integer"))?,
    };
    Ok(Envelope {
        event_type,
        schema_version,
        data: map.remove("data").unwrap_or(Value::Null),
        ..input.clone()
    })
}

fn apply_ops(ops: &[Op], to: u32, event: &Envelope, owner: &Owner) -> Result<Vec<Envelope>> {
    let mut data: Map<String, Value> = match &event.data {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    for op in ops {
        match op {
            Op::RenameField { from, to } => {
                if let Some(value) = data.remove(from) {
                    data.insert(to.clone(), value);
                }
            }
            Op::AddField { field, default } => {
                data.entry(field.clone()).or_insert_with(|| default.clone());
            }
            Op::RemoveField { field } => {
                data.remove(field);
            }
            Op::ChangeType { field, to, convert } => {
                let Some(value) = data.get_mut(field) else { continue };
                let Some(conversion) = convert.or_else(|| default_conversion(to)) else {
                    continue;
                };
                *value = apply_conversion(conversion, value).ok_or_else(|| Error::BadResult {
                    owner: owner.to_string(),
                    message: format!("cannot convert field {field:?} value {value} to {to}"),
                })?;
            }
            Op::Split { into } => {
                let pieces = into.iter().map(|target| {
                    let fields = target
                        .fields
                        .iter()
                        .filter_map(|f| data.get(f).map(|v| (f.clone(), v.clone())));
                    Envelope {
                        event_type: target.event_type.clone(),
                        schema_version: target.version,
                        data: Value::Object(fields.collect()),
                        ..event.clone()
                    }
                });
                return Ok(pieces.collect());
            }
        }
    }
    Ok(vec![Envelope {
        schema_version: to,
        data: Value::Object(data),
        ..event.clone()
    }])
}

fn default_conversion(to: &FieldType) -> Option<Conversion> {
    match to {
        FieldType::String | FieldType::Id | FieldType::Timestamp | FieldType::Enum(_) => Some(Conversion::ToString),
        FieldType::Int => Some(Conversion::ToInt),
        FieldType::Decimal => Some(Conversion::ToDecimal),
        FieldType::Bool => Some(Conversion::ToBool),
        FieldType::List(_) | FieldType::Object(_) | FieldType::Json => None,
    }
}

/// Converts a value; `None` when it cannot be converted.
pub fn apply_conversion(conversion: Conversion, value: &Value) -> Option<Value> {
    let number = |value: &Value| match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => text.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    };
    match conversion {
        Conversion::ToString => Some(match value {
            Value::String(_) => value.clone(),
            other => Value::String(other.to_string()),
        }),
        Conversion::ToInt => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(value.clone()),
            Value::String(text) if text.trim().parse::<i64>().is_ok() => {
                text.trim().parse::<i64>().ok().map(Value::from)
            }
            other => number(other)
                .filter(|f| f.abs() < 9.0e15)
                .map(|f| Value::from(f.trunc() as i64)),
        },
        Conversion::ToDecimal => match value {
            Value::Number(_) => Some(value.clone()),
            other => number(other).and_then(Number::from_f64).map(Value::Number),
        },
        Conversion::ToBool => match value {
            Value::Bool(_) => Some(value.clone()),
            Value::String(text) if text == "true" || text == "false" => Some(Value::Bool(text == "true")),
            other => number(other).map(|f| Value::Bool(f != 0.0)),
        },
    }
}
