//! Checks of upcasters: the event type and versions exist, each step moves forward, the
//! declarative operations only touch fields that exist at that point, and events stored at an old
//! version (recorded, or given in a spec) have a chain of upcasters to the current one.

use std::collections::BTreeMap;

use super::model::Model;
use super::problem::Problem;
use super::upcaster::{Op, UpcastLogic};
use crate::store::{Direction, Source, Store};

/// Every problem of the model's upcasters.
pub(crate) fn upcasters(model: &Model, problems: &mut Vec<Problem>) {
    for (i, upcaster) in model.upcasters.iter().enumerate() {
        let at = format!("model.upcasters[{i}]");
        let Some(event_type) = model.event_type(&upcaster.event_type) else {
            problems.push(Problem::new(
                format!("{at}.eventType"),
                format!("unknown event type {:?}", upcaster.event_type),
            ));
            continue;
        };
        let from = event_type.version(upcaster.from);
        for (key, version, exists) in [
            ("from", upcaster.from, from.is_some()),
            ("to", upcaster.to, event_type.version(upcaster.to).is_some()),
        ] {
            if !exists {
                problems.push(Problem::new(
                    format!("{at}.{key}"),
                    format!("{} has no version {version}", event_type.name),
                ));
            }
        }
        if upcaster.to <= upcaster.from {
            problems.push(Problem::new(
                format!("{at}.to"),
                format!("must be above from ({})", upcaster.from),
            ));
        }
        let earlier = model
            .upcasters
            .iter()
            .take(i)
            .position(|u| u.event_type == upcaster.event_type && u.from == upcaster.from);
        if let Some(first) = earlier {
            problems.push(Problem::new(
                format!("{at}.from"),
                format!(
                    "{} v{} already has an upcaster at model.upcasters[{first}]",
                    upcaster.event_type, upcaster.from
                ),
            ));
        }
        if let (UpcastLogic::Ops(ops), Some(from)) = (&upcaster.logic, from) {
            let names = from.fields.iter().map(|f| f.name.clone()).collect();
            check_ops(model, ops, names, &format!("{at}.logic.ops"), problems);
        }
    }
}

fn check_ops(model: &Model, ops: &[Op], mut names: Vec<String>, path: &str, problems: &mut Vec<Problem>) {
    let mut report = |index: usize, message: String| problems.push(Problem::new(format!("{path}[{index}]"), message));
    let has = |names: &Vec<String>, name: &str| names.iter().any(|n| n == name);
    for (index, op) in ops.iter().enumerate() {
        match op {
            Op::RenameField { from, to } => {
                if !has(&names, from) {
                    report(index, format!("no field {from:?} to rename"));
                } else if has(&names, to) {
                    report(index, format!("field {to:?} already exists"));
                }
                names.retain(|n| n != from);
                names.push(to.clone());
            }
            Op::AddField { field, .. } => {
                if has(&names, field) {
                    report(index, format!("field {field:?} already exists"));
                }
                names.push(field.clone());
            }
            Op::RemoveField { field } | Op::ChangeType { field, .. } => {
                if !has(&names, field) {
                    report(index, format!("no field {field:?}"));
                }
                if matches!(op, Op::RemoveField { .. }) {
                    names.retain(|n| n != field);
                }
            }
            Op::Split { into } => {
                if index + 1 != ops.len() {
                    report(index, "split must be the last operation".to_owned());
                }
                if into.is_empty() {
                    report(index, "split needs at least one target".to_owned());
                }
                for target in into {
                    match model.event_type(&target.event_type) {
                        None => report(index, format!("unknown event type {:?}", target.event_type)),
                        Some(t) if t.version(target.version).is_none() => {
                            report(index, format!("{} has no version {}", t.name, target.version));
                        }
                        Some(_) => {}
                    }
                    for field in target.fields.iter().filter(|f| !has(&names, f)) {
                        report(index, format!("no field {field:?} to split into {}", target.event_type));
                    }
                }
            }
        }
    }
}

/// Why events of `event_type` stored at `version` cannot be brought up to the current version of
/// their type (and of every type a split turns them into), or `None` when they can. Types the
/// model does not define pass through unchanged, as they do when the runtime upcasts.
pub(crate) fn missing_path(model: &Model, event_type: &str, version: u32) -> Option<String> {
    let mut pending = vec![(event_type.to_owned(), version)];
    let mut seen = Vec::new();
    while let Some((name, version)) = pending.pop() {
        let Some(event_type) = model.event_type(&name) else {
            continue;
        };
        let current = event_type.current_version();
        if version == current || seen.contains(&(name.clone(), version)) {
            continue;
        }
        if version > current {
            return Some(format!(
                "{name} v{version} is newer than its current version v{current}"
            ));
        }
        let Some(upcaster) = model.upcaster(&name, version) else {
            return Some(format!(
                "no upcaster from {name} v{version} (its current version is v{current})"
            ));
        };
        let split = match &upcaster.logic {
            UpcastLogic::Ops(ops) => ops.iter().find_map(|op| match op {
                Op::Split { into } => Some(into),
                _ => None,
            }),
            UpcastLogic::Script(_) => None,
        };
        match split {
            Some(into) => pending.extend(into.iter().map(|t| (t.event_type.clone(), t.version))),
            None if upcaster.to > version => pending.push((name.clone(), upcaster.to)),
            None => return Some(format!("the upcaster from {name} v{version} does not move forward")),
        }
        seen.push((name, version));
    }
    None
}

/// Recorded events that no chain of upcasters brings to the current version, one problem per
/// stored type and version, naming how many events and the first one's position.
pub(crate) fn recorded(model: &Model, store: &Store, problems: &mut Vec<Problem>) {
    let mut stored: BTreeMap<(&str, u32), (usize, u64)> = BTreeMap::new();
    let _ = store.read_raw(Source::All, 0, usize::MAX, Direction::Forwards, |event| {
        let seen = stored
            .entry((event.event_type, event.schema_version))
            .or_insert((0, event.position));
        seen.0 += 1;
    });
    for ((event_type, version), (count, first)) in stored {
        if let Some(why) = missing_path(model, event_type, version) {
            let events = if count == 1 { "event" } else { "events" };
            problems.push(Problem::new(
                "events",
                format!("{count} recorded {event_type} v{version} {events} (first at position {first}) cannot be read: {why}"),
            ));
        }
    }
}
