//! Rules on event names: `crud-sourcing` (table operations) and `property-sourcing` (one event per
//! changed property).

use super::{is_id, stem};
use crate::lint::rules::{CRUD_SOURCING, PROPERTY_SOURCING};
use crate::lint::{Finding, Severity, Subject};
use crate::model::{EventType, Model};

/// Table-operation suffixes: `Created` is a common birth event (info), the others lose the intent.
const CRUD_SUFFIXES: [(&str, Severity); 4] = [
    ("Created", Severity::Info),
    ("Updated", Severity::Warning),
    ("Modified", Severity::Warning),
    ("Deleted", Severity::Warning),
];

/// Suffixes of events that record a property's new value.
const PROPERTY_SUFFIXES: [&str; 3] = ["Changed", "Set", "Updated"];

/// From this many property events, a stream type is flagged as well.
const PROPERTY_EVENTS_PER_STREAM_TYPE: usize = 3;

/// `crud-sourcing`: events named `…Created`, `…Updated`, `…Modified` or `…Deleted`.
pub(super) fn crud_sourcing(model: &Model) -> Vec<Finding> {
    model
        .event_types
        .iter()
        .filter_map(|event_type| {
            let name = &event_type.name;
            let (suffix, severity) = CRUD_SUFFIXES.iter().find(|(suffix, _)| stem(name, suffix).is_some())?;
            let message = if *severity == Severity::Info {
                format!(
                    "{name} is named after a table operation (…{suffix}); fine for a birth event, \
                     but a business name says how it came to be (opened, registered, placed)"
                )
            } else {
                format!("{name} is named after a table operation (…{suffix}), not a business fact")
            };
            Some(Finding::new(
                &CRUD_SOURCING,
                *severity,
                Subject::EventType { name: name.clone() },
                message,
            ))
        })
        .collect()
}

/// `property-sourcing`: `<Field>Changed` / `<Field>Set` / `<Field>Updated` events whose current
/// schema holds one business field besides ids, and the stream types that emit three or more.
pub(super) fn property_sourcing(model: &Model) -> Vec<Finding> {
    let property_events: Vec<(&EventType, &str)> = model
        .event_types
        .iter()
        .filter_map(|event_type| Some((event_type, single_property(event_type)?)))
        .collect();
    let mut findings: Vec<Finding> = property_events
        .iter()
        .map(|(event_type, field)| {
            let name = &event_type.name;
            Finding::new(
                &PROPERTY_SOURCING,
                Severity::Warning,
                Subject::EventType { name: name.clone() },
                format!("{name} records one property ({field}) besides ids: an event per changed field, not per business action"),
            )
        })
        .collect();
    for stream_type in &model.stream_types {
        let emitted: Vec<&str> = property_events
            .iter()
            .map(|(event_type, _)| event_type.name.as_str())
            .filter(|name| stream_type.script.contains(&format!("\"{name}\"")))
            .collect();
        if emitted.len() >= PROPERTY_EVENTS_PER_STREAM_TYPE {
            findings.push(Finding::new(
                &PROPERTY_SOURCING,
                Severity::Warning,
                Subject::StreamType {
                    name: stream_type.name.clone(),
                },
                format!(
                    "{} emits {} single-property events ({}): one business action becomes many events",
                    stream_type.name,
                    emitted.len(),
                    emitted.join(", ")
                ),
            ));
        }
    }
    findings
}

/// The one business field of a property event (`EmailChanged { customerId, email }` → `email`).
fn single_property(event_type: &EventType) -> Option<&str> {
    PROPERTY_SUFFIXES
        .iter()
        .find(|suffix| stem(&event_type.name, suffix).is_some())?;
    let mut business = event_type.current()?.fields.iter().filter(|field| !is_id(field));
    match (business.next(), business.next()) {
        (Some(field), None) => Some(field.name.as_str()),
        _ => None,
    }
}
