//! Renaming a definition: every reference to its old name follows, scripts included
//! (`"ItemAdded"`, `on_ItemAdded`).

use super::dependents::Dependent;
use super::kind::{items, names, Kind};
use super::scripts::replace_word;
use crate::model::policy::PolicyLogic;
use crate::model::projection::{ProjectionLogic, Source};
use crate::model::scenario::Scenario;
use crate::model::spec::{Spec, Then};
use crate::model::system::MAIN_MODULE;
use crate::model::upcaster::{Op, UpcastLogic};

/// Renames a definition's references from `old` to `new` and tells what changed.
pub(super) fn rename(scenario: &mut Scenario, kind: Kind, old: &str, new: &str) -> Vec<Dependent> {
    if matches!(kind, Kind::Upcaster | Kind::Policy | Kind::Spec) {
        return Vec::new();
    }
    let before = scenario.clone();
    rename_references(scenario, kind, old, new);
    rename_in_scripts(scenario, kind, old, new);
    renamed(&before, scenario, new)
}

/// Renames the references other definitions make to a `kind` definition by name.
fn rename_references(scenario: &mut Scenario, kind: Kind, old: &str, new: &str) {
    let model = &mut scenario.model;
    let swap = |value: &mut String| {
        if value == old {
            new.clone_into(value);
        }
    };
    match kind {
        Kind::EventType => {
            model.upcasters.iter_mut().for_each(|u| {
                swap(&mut u.event_type);
                if let UpcastLogic::Ops(ops) = &mut u.logic {
                    for op in ops {
                        if let Op::Split { into } = op {
                            into.iter_mut().for_each(|t| swap(&mut t.event_type));
                        }
                    }
                }
            });
            model.policies.iter_mut().for_each(|p| p.on.iter_mut().for_each(swap));
            for projection in &mut model.projections {
                if let Source::EventTypes(types) = &mut projection.source {
                    types.iter_mut().for_each(swap);
                }
            }
            let main = scenario.system.as_ref().map_or(MAIN_MODULE, |s| s.main.as_str());
            for spec in &mut scenario.specs {
                match spec {
                    Spec::Decider(d) => {
                        d.given.iter_mut().for_each(|g| swap(&mut g.event_type));
                        if let Then::Events(events) = &mut d.then {
                            events.iter_mut().for_each(|e| swap(&mut e.event_type));
                        }
                    }
                    Spec::Projection(p) => p.given.iter_mut().for_each(|g| swap(&mut g.event_type)),
                    Spec::Policy(p) => swap(&mut p.when.event.event_type),
                    Spec::Translation(t) if t.module == main => swap(&mut t.when.event.event_type),
                    Spec::Translation(_) | Spec::Consumer(_) | Spec::Process(_) => {}
                }
            }
        }
        Kind::Command => {
            for policy in &mut model.policies {
                if let PolicyLogic::Mapping(mappings) = &mut policy.logic {
                    mappings.iter_mut().for_each(|m| swap(&mut m.command));
                }
            }
            for spec in &mut scenario.specs {
                match spec {
                    Spec::Decider(d) => swap(&mut d.when.command),
                    Spec::Policy(p) => p.then.commands.iter_mut().for_each(|c| swap(&mut c.command)),
                    _ => {}
                }
            }
        }
        Kind::StreamType => model.commands.iter_mut().for_each(|c| swap(&mut c.stream_type)),
        Kind::Projection => {
            for spec in &mut scenario.specs {
                if let Spec::Projection(p) = spec {
                    swap(&mut p.projection);
                }
            }
        }
        Kind::Upcaster | Kind::Policy | Kind::Spec => {}
    }
}

/// Renames the name in every script: as a string (`"ItemAdded"`) and, for an event type, in
/// handler names (`on_ItemAdded`).
fn rename_in_scripts(scenario: &mut Scenario, kind: Kind, old: &str, new: &str) {
    let model = &mut scenario.model;
    let scripts = |source: &mut String| {
        let quoted = replace_word(source, &format!("\"{old}\""), &format!("\"{new}\""));
        *source = if kind == Kind::EventType {
            replace_word(&quoted, &format!("on_{old}"), &format!("on_{new}"))
        } else {
            quoted
        };
    };
    model.stream_types.iter_mut().for_each(|s| scripts(&mut s.script));
    for projection in &mut model.projections {
        if let ProjectionLogic::Script(source) = &mut projection.logic {
            scripts(source);
        }
    }
    for upcaster in &mut model.upcasters {
        if let UpcastLogic::Script(source) = &mut upcaster.logic {
            scripts(source);
        }
    }
    for policy in &mut model.policies {
        if let PolicyLogic::Script(source) = &mut policy.logic {
            scripts(source);
        }
    }
}

/// The definitions that differ between `before` and `after` a rename to `new`.
fn renamed(before: &Scenario, after: &Scenario, new: &str) -> Vec<Dependent> {
    let mut out = Vec::new();
    let (was_document, now_document) = (before.to_value(), after.to_value());
    for other in Kind::ALL {
        let was = items(&was_document, other);
        let now = items(&now_document, other);
        for ((item_name, was), now) in names(before, other).into_iter().zip(was).zip(now) {
            if was != now {
                out.push(Dependent {
                    kind: other,
                    name: item_name,
                    how: format!("now refers to {new}"),
                    removed: false,
                });
            }
        }
    }
    out
}
