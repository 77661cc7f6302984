//! Renaming a definition: every reference to its old name follows, scripts included
//! (`"ItemAdded"`, `on_ItemAdded`).

use super::dependents::Dependent;
use super::kind::{items, names, Kind};
use super::scripts::replace_word;
use crate::model::policy::PolicyLogic;
use crate::model::projection::{ProjectionLogic, Source};
use crate::model::scenario::Scenario;
use crate::model::spec::{Spec, Then};
use crate::model::system::{ConsumerLogic, MAIN_MODULE};
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
        Kind::Module | Kind::Consumer | Kind::Process | Kind::External => {
            rename_in_system(scenario, kind, old, new);
        }
    }
}

/// Renames the references the system and its specs make to a module, a consumer or a process
/// manager; an external system is named only in scripts.
fn rename_in_system(scenario: &mut Scenario, kind: Kind, old: &str, new: &str) {
    let swap = |value: &mut String| {
        if value == old {
            new.clone_into(value);
        }
    };
    let Some(system) = &mut scenario.system else { return };
    match kind {
        Kind::Module => {
            swap(&mut system.main);
            // A module's private events are read as `module.EventType`.
            let topic = |value: &mut String| {
                if let Some(event_type) = value.strip_prefix(&format!("{old}.")) {
                    *value = format!("{new}.{event_type}");
                }
            };
            for consumer in &mut system.consumers {
                swap(&mut consumer.module);
                consumer.topics.iter_mut().for_each(topic);
            }
            for process in &mut system.processes {
                swap(&mut process.module);
                process.topics.iter_mut().for_each(topic);
            }
            for spec in &mut scenario.specs {
                if let Spec::Translation(t) = spec {
                    swap(&mut t.module);
                }
            }
        }
        Kind::Consumer => {
            for spec in &mut scenario.specs {
                if let Spec::Consumer(c) = spec {
                    swap(&mut c.consumer);
                }
            }
        }
        Kind::Process => {
            for spec in &mut scenario.specs {
                if let Spec::Process(p) = spec {
                    swap(&mut p.process);
                }
            }
        }
        _ => {}
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
    let Some(system) = &mut scenario.system else { return };
    for module in &mut system.modules {
        module.translations.iter_mut().for_each(|t| scripts(&mut t.script));
        module.handlers.iter_mut().for_each(|h| scripts(&mut h.script));
    }
    for consumer in &mut system.consumers {
        if let ConsumerLogic::Script(source) = &mut consumer.logic {
            scripts(source);
        }
    }
    system.processes.iter_mut().for_each(|p| scripts(&mut p.script));
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
