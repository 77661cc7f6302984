//! A new schema version of an event type with its upcaster. Specs' given events are stored
//! events: one that does not say its version was written at the version current then, so it is
//! pinned there and read through the new upcaster, as the store's events are, instead of being
//! checked against a schema it was never written in. (A version added in the event type's
//! editor comes without an upcaster, so there an unversioned given event stays at the newest.)

use serde_json::Value;

use super::kind::{list_mut, Kind};
use super::Edited;
use crate::model::problem::Problem;
use crate::model::scenario::Scenario;

/// Adds `version` to the event type at `index` and `upcaster` (from the version before) as one
/// change, checked once: the given events of that type that named no version keep the one
/// current before.
pub fn add_version(scenario: &Scenario, index: usize, version: Value, upcaster: Value) -> Result<Edited, Vec<Problem>> {
    let at = format!("{}[{index}]", Kind::EventType.path());
    let Some(event_type) = scenario.model.event_types.get(index) else {
        return Err(vec![Problem::new(at, "no such event type")]);
    };
    let mut document = scenario.to_value();
    let versions = list_mut(&mut document, Kind::EventType)
        .and_then(|types| types.get_mut(index))
        .and_then(|item| item.get_mut("versions"))
        .and_then(Value::as_array_mut);
    let Some(versions) = versions else {
        return Err(vec![Problem::new(format!("{at}.versions"), "not a list")]);
    };
    versions.push(version);
    let Some(upcasters) = list_mut(&mut document, Kind::Upcaster) else {
        return Err(vec![Problem::new(Kind::Upcaster.path(), "not a list")]);
    };
    upcasters.push(upcaster);
    let upcaster_index = upcasters.len() - 1;
    pin_given_versions(&mut document, &event_type.name, event_type.current_version());
    Ok(Edited {
        scenario: Scenario::from_value(document)?,
        index: upcaster_index,
        changed: Vec::new(),
    })
}

/// Gives every given event of `event_type` that names no version the version `current`.
fn pin_given_versions(document: &mut Value, event_type: &str, current: u32) {
    let Some(specs) = document.get_mut("specs").and_then(Value::as_array_mut) else {
        return;
    };
    let given = specs
        .iter_mut()
        .filter_map(|spec| spec.get_mut("given").and_then(Value::as_array_mut))
        .flatten();
    for event in given {
        let unversioned = event.get("version").is_none_or(Value::is_null);
        if unversioned && event.get("type").and_then(Value::as_str) == Some(event_type) {
            if let Some(event) = event.as_object_mut() {
                event.insert("version".to_owned(), Value::from(current));
            }
        }
    }
}
