//! Rules on the current payload of each event type: `state-obsession` (the whole state),
//! `clickbait-event` (nothing but ids) and `pii-in-public-event` (personal data published).

use super::is_id;
use crate::lint::rules::{CLICKBAIT_EVENT, PII_IN_PUBLIC_EVENT, STATE_OBSESSION};
use crate::lint::{Finding, Severity, Subject};
use crate::model::{Field, FieldType, Model, Visibility};

/// From this many fields, an event looks like a copy of the state.
const STATE_FIELDS: usize = 8;

/// Field names that say "here is the whole thing".
const STATE_NAMES: [&str; 5] = ["state", "snapshot", "aggregate", "entity", "document"];

/// `state-obsession`: events with many fields, or a field named like the whole state (but a
/// period's closing and opening events, which carry it forward on purpose).
pub(super) fn state_obsession(model: &Model) -> Vec<Finding> {
    model
        .event_types
        .iter()
        .filter_map(|event_type| {
            let current = event_type.current()?;
            let name = &event_type.name;
            // Closing the books carries the state forward on purpose.
            let mut periods = model.stream_types.iter().filter_map(|s| s.periods.as_ref());
            if periods.any(|p| p.closed_event == *name || p.opened_event == *name) {
                return None;
            }
            let whole = current
                .fields
                .iter()
                .find(|field| STATE_NAMES.iter().any(|s| field.name.eq_ignore_ascii_case(s)));
            let count = current.fields.len();
            let message = match whole {
                Some(field) => format!(
                    "{name} v{} carries a field named {}: the resulting state, not what happened",
                    current.version, field.name
                ),
                None if count >= STATE_FIELDS => format!(
                    "{name} v{} has {count} fields (from {STATE_FIELDS} on, an event looks like a copy of the state)",
                    current.version
                ),
                None => return None,
            };
            Some(Finding::new(
                &STATE_OBSESSION,
                Severity::Warning,
                Subject::EventType { name: name.clone() },
                message,
            ))
        })
        .collect()
}

/// `clickbait-event`: events with no fields or only ids; a warning when public.
pub(super) fn clickbait_event(model: &Model) -> Vec<Finding> {
    model
        .event_types
        .iter()
        .filter_map(|event_type| {
            let current = event_type.current()?;
            if !current.fields.iter().all(is_id) {
                return None;
            }
            let name = &event_type.name;
            let (severity, visibility) = match event_type.visibility {
                Visibility::Public => (Severity::Warning, "public"),
                Visibility::Private => (Severity::Info, "private"),
            };
            let message = if current.fields.is_empty() {
                format!(
                    "{visibility} event {name} v{} has no fields: consumers must ask what happened",
                    current.version
                )
            } else {
                let ids: Vec<&str> = current.fields.iter().map(|field| field.name.as_str()).collect();
                format!(
                    "{visibility} event {name} v{} carries only ids ({}): consumers must call back for the facts",
                    current.version,
                    ids.join(", ")
                )
            };
            Some(Finding::new(
                &CLICKBAIT_EVENT,
                severity,
                Subject::EventType { name: name.clone() },
                message,
            ))
        })
        .collect()
}

/// Whether an id's name says something personal can be read from it (an email, a phone number,
/// a name used as the id): then it is personal data, not an opaque reference.
fn reads_as_personal(path: &str) -> bool {
    let name = path.rsplit('.').next().unwrap_or(path).to_ascii_lowercase();
    ["mail", "phone", "name", "address", "passport", "ssn"]
        .iter()
        .any(|word| name.contains(word))
}

/// `pii-in-public-event`: personal data in the current schema of a public event, nested fields
/// included. A field of type `id` marked pii is a reference to the person, which is what the
/// rule's fix recommends publishing: info, not critical.
pub(super) fn pii_in_public_event(model: &Model) -> Vec<Finding> {
    let mut findings = Vec::new();
    for event_type in model.event_types.iter().filter(|t| t.visibility == Visibility::Public) {
        let Some(current) = event_type.current() else {
            continue;
        };
        let mut personal = Vec::new();
        pii_fields(&current.fields, "", &mut personal);
        for (path, field) in personal {
            let name = &event_type.name;
            let (severity, message) = if field.field_type == FieldType::Id && !reads_as_personal(&path) {
                (
                    Severity::Info,
                    format!(
                        "public event {name} v{} publishes {path}, an id marked pii: fine as an opaque reference \
                         if nothing personal can be read from it and the data behind it can be erased",
                        current.version
                    ),
                )
            } else {
                (
                    Severity::Critical,
                    format!(
                        "public event {name} v{} publishes personal data in {path} ({}, marked pii)",
                        current.version, field.field_type
                    ),
                )
            };
            let subject = Subject::Field {
                event_type: name.clone(),
                version: current.version,
                field: path,
            };
            findings.push(Finding::new(&PII_IN_PUBLIC_EVENT, severity, subject, message));
        }
    }
    findings
}

/// The pii fields among `fields` and inside their objects, with their paths (`guest.email`,
/// `contacts[].phone`).
fn pii_fields<'a>(fields: &'a [Field], prefix: &str, found: &mut Vec<(String, &'a Field)>) {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        if field.pii {
            found.push((path.clone(), field));
        }
        let mut inner = &field.field_type;
        let mut nested = path;
        while let FieldType::List(item) = inner {
            inner = item;
            nested.push_str("[]");
        }
        if let FieldType::Object(children) = inner {
            pii_fields(children, &format!("{nested}."), found);
        }
    }
}
