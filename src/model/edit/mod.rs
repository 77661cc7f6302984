//! Editing a scenario one definition at a time, as the model panel does: read a definition as
//! JSON, put an edited one back (a new name renames every reference to it), list what depends on
//! a definition, and remove it together with what cannot exist without it.
//!
//! Definitions are addressed by their [`Kind`] and index. Every edit hands back a new scenario
//! checked as a whole ([`Scenario::from_value`]), or every problem with its JSON path; the
//! scenario it started from is never changed.
//!
//! One file per job: the kinds and where their lists are (`kind.rs`), templates for new
//! definitions (`template.rs`), renames across references and scripts (`rename.rs`, with the
//! word matching in `scripts.rs`), and what depends on a definition for its removal
//! (`dependents.rs`); getting, putting and removing are here.

mod dependents;
mod kind;
mod rename;
mod scripts;
mod template;
mod version;

use serde_json::Value;

use super::problem::Problem;
use super::scenario::Scenario;
use super::upcast_check;
use crate::store::Store;
use dependents::removal;
use kind::{list, list_mut};
use rename::rename;

pub use dependents::{dependents, Dependent};
pub use kind::{names, Kind};
pub use template::template;
pub use version::add_version;

/// A definition as JSON, as it is in the scenario file.
pub fn get(scenario: &Scenario, kind: Kind, index: usize) -> Option<Value> {
    list(&scenario.to_value(), kind).and_then(|items| items.get(index).cloned())
}

/// What an edit made, before it is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    /// The whole scenario after the edit, checked.
    pub scenario: Scenario,
    /// Where the new definition is in its list.
    pub index: usize,
    /// What else changed with it: references renamed, dependents removed.
    pub changed: Vec<Dependent>,
}

/// Puts a definition in: replaces the one at `index`, or adds it at the end. A new name (for a
/// kind other than upcasters and specs) renames every reference to the old one, scripts included.
pub fn put(scenario: &Scenario, kind: Kind, index: Option<usize>, item: Value) -> Result<Edited, Vec<Problem>> {
    let mut renamed = scenario.clone();
    let mut changed = Vec::new();
    let old_name = index.and_then(|i| names(scenario, kind).get(i).cloned());
    let new_name = item.get("name").and_then(Value::as_str).map(str::to_owned);
    if let (Some(old), Some(new)) = (&old_name, &new_name) {
        if old != new && !matches!(kind, Kind::Upcaster | Kind::Spec) {
            changed = rename(&mut renamed, kind, old, new);
        }
    }
    let mut document = renamed.to_value();
    let Some(items) = list_mut(&mut document, kind) else {
        return Err(vec![Problem::new(kind.path(), "not a list")]);
    };
    let index = match index {
        Some(i) if i < items.len() => {
            items[i] = item;
            i
        }
        Some(i) => {
            return Err(vec![Problem::new(
                format!("{}[{i}]", kind.path()),
                "no such definition",
            )])
        }
        None => {
            items.push(item);
            items.len() - 1
        }
    };
    let scenario = Scenario::from_value(document)?;
    Ok(Edited {
        scenario,
        index,
        changed,
    })
}

/// Removes a definition and what cannot exist without it (see [`dependents`]).
pub fn remove(scenario: &Scenario, kind: Kind, index: usize) -> Result<Edited, Vec<Problem>> {
    let Some((next, changed)) = removal(scenario, kind, index) else {
        return Err(vec![Problem::new(
            format!("{}[{index}]", kind.path()),
            "no such definition",
        )]);
    };
    let scenario = Scenario::from_value(next.to_value())?;
    Ok(Edited {
        scenario,
        index,
        changed,
    })
}

/// Problems of recorded events the model can no longer read: an event type removed, a version
/// with no upcaster path to the current one.
pub fn recorded_problems(scenario: &Scenario, store: &Store) -> Vec<Problem> {
    let mut problems = Vec::new();
    upcast_check::recorded(&scenario.model, store, &mut problems);
    problems
}
