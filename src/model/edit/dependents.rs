//! What depends on a definition: what removing it removes with it (a stream type's commands, an
//! event type's upcasters, the specs that use it), what it changes, and which scripts mention it.

use super::kind::{items, names, Kind};
use super::scripts::mentions;
use crate::model::policy::{Policy, PolicyLogic};
use crate::model::projection::Source;
use crate::model::scenario::Scenario;
use crate::model::spec::{Spec, Then};
use crate::model::system::System;
use crate::model::system::MAIN_MODULE;
use crate::model::system_check::{models, topics};
use crate::model::upcaster::{Op, UpcastLogic, Upcaster};
use std::collections::BTreeSet;

/// Something that refers to a definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependent {
    /// Its kind.
    pub kind: Kind,
    /// Its name as listed (see [`names`]).
    pub name: String,
    /// How it depends, e.g. `handles it`, `mentions it in its script`.
    pub how: String,
    /// Whether removing the definition removes this one too; otherwise it is changed (a
    /// reference dropped from a list) or left for the user to fix (a script).
    pub removed: bool,
}

/// Everything that refers to a definition: what [`remove`](super::remove) would remove with it,
/// what it would change, and the scripts that mention its name (left as they are).
pub fn dependents(scenario: &Scenario, kind: Kind, index: usize) -> Vec<Dependent> {
    removal(scenario, kind, index)
        .map(|(_, dependents)| dependents)
        .unwrap_or_default()
}

/// The scenario without a definition and what cannot exist without it, and what that removes,
/// changes or leaves mentioning it; `None` when there is no such definition.
pub(super) fn removal(scenario: &Scenario, kind: Kind, index: usize) -> Option<(Scenario, Vec<Dependent>)> {
    let name = names(scenario, kind).get(index).cloned()?;
    let mut before = scenario.clone();
    let mut after = scenario.clone();
    remove_at(&mut after, kind, index);
    cascade(&mut after, kind, &name);
    for (subscriber, name) in unsubscribe(scenario, &mut after) {
        cascade(&mut after, subscriber, &name);
    }
    // Compare what is left with what was there, skipping the definition itself.
    remove_at(&mut before, kind, index);
    let mut out = Vec::new();
    let mut unchanged = Vec::new();
    let (was_document, left_document) = (before.to_value(), after.to_value());
    for other in Kind::ALL {
        let left = names(&after, other);
        let left_items = items(&left_document, other);
        for (item_name, was_item) in names(&before, other).into_iter().zip(items(&was_document, other)) {
            match left.iter().position(|n| *n == item_name) {
                None => out.push(Dependent {
                    kind: other,
                    name: item_name,
                    how: how_removed(other, kind),
                    removed: true,
                }),
                Some(j) if left_items.get(j) != Some(was_item) => out.push(Dependent {
                    kind: other,
                    name: item_name,
                    how: format!("stops referring to this {kind}"),
                    removed: false,
                }),
                Some(_) => unchanged.push((other, item_name, was_item)),
            }
        }
    }
    // Scripts are left as they are; say which mention what goes.
    let mut gone = vec![(kind, name)];
    gone.extend(out.iter().filter(|d| d.removed).map(|d| (d.kind, d.name.clone())));
    for (other, item_name, item) in unchanged {
        let mentioned = gone.iter().find(|(kind, name)| mentions(item, *kind, name));
        if let Some((_, name)) = mentioned {
            out.push(Dependent {
                kind: other,
                name: item_name,
                how: format!("mentions {name} in its script"),
                removed: false,
            });
        }
    }
    Some((after, out))
}

fn remove_at(scenario: &mut Scenario, kind: Kind, index: usize) {
    let model = &mut scenario.model;
    match kind {
        Kind::EventType => drop(model.event_types.remove(index)),
        Kind::Command => drop(model.commands.remove(index)),
        Kind::StreamType => drop(model.stream_types.remove(index)),
        Kind::Projection => drop(model.projections.remove(index)),
        Kind::Upcaster => drop(model.upcasters.remove(index)),
        Kind::Policy => drop(model.policies.remove(index)),
        Kind::Spec => drop(scenario.specs.remove(index)),
        Kind::Module | Kind::Consumer | Kind::Process | Kind::External => {
            let Some(system) = &mut scenario.system else { return };
            match kind {
                Kind::Module => drop(system.modules.remove(index)),
                Kind::Consumer => drop(system.consumers.remove(index)),
                Kind::Process => drop(system.processes.remove(index)),
                _ => drop(system.externals.remove(index)),
            }
        }
    }
}

/// Every command a module of the system takes: the event-sourced modules' commands and the
/// state-stored modules' handlers.
fn commands(scenario: &Scenario, system: &System) -> BTreeSet<String> {
    let handlers = system
        .modules
        .iter()
        .flat_map(|m| m.handlers.iter().map(|h| h.name.clone()));
    models(scenario, system)
        .into_iter()
        .flat_map(|(_, model)| model.commands.iter().map(|c| c.name.clone()))
        .chain(handlers)
        .collect()
}

/// Drops the topics `after` no longer has (a module's contracts and private events, an external
/// system's answers, a removed event type) from the subscribers that read them; removes the
/// subscribers left reading nothing and returns them. A process manager's steps and compensations
/// lose the commands no module takes any more.
fn unsubscribe(before: &Scenario, after: &mut Scenario) -> Vec<(Kind, String)> {
    let (Some(was), Some(system)) = (&before.system, &after.system) else {
        return Vec::new();
    };
    let left = topics(after, system);
    let gone: BTreeSet<String> = topics(before, was).difference(&left).cloned().collect();
    let commands_left = commands(after, system);
    let commands_gone: BTreeSet<String> = commands(before, was).difference(&commands_left).cloned().collect();
    let Some(system) = &mut after.system else {
        return Vec::new();
    };
    // A process stops listing as its steps the commands nobody takes any more.
    for process in &mut system.processes {
        process.steps.retain(|c| !commands_gone.contains(c));
        process
            .compensations
            .retain(|c| !commands_gone.contains(&c.step) && !commands_gone.contains(&c.undo));
    }
    for consumer in &mut system.consumers {
        consumer.topics.retain(|t| !gone.contains(t));
    }
    for process in &mut system.processes {
        process.topics.retain(|t| !gone.contains(t));
    }
    remove_subscribers(system, |_, topics| topics.is_empty())
}

/// Removes the consumers and process managers that `gone` picks by their module and topics, and
/// returns them.
fn remove_subscribers(system: &mut System, gone: impl Fn(&str, &[String]) -> bool) -> Vec<(Kind, String)> {
    let consumers = system.consumers.iter().filter(|c| gone(&c.module, &c.topics));
    let mut removed: Vec<(Kind, String)> = consumers.map(|c| (Kind::Consumer, c.name.clone())).collect();
    let processes = system.processes.iter().filter(|p| gone(&p.module, &p.topics));
    removed.extend(processes.map(|p| (Kind::Process, p.name.clone())));
    system.consumers.retain(|c| !gone(&c.module, &c.topics));
    system.processes.retain(|p| !gone(&p.module, &p.topics));
    removed
}

/// Removes what referred to the removed `name`, and what in turn referred to that.
fn cascade(scenario: &mut Scenario, kind: Kind, name: &str) {
    let model = &mut scenario.model;
    match kind {
        Kind::EventType => {
            model
                .upcasters
                .retain(|u| u.event_type != name && !splits_into(u, name));
            for policy in &mut model.policies {
                policy.on.retain(|t| t != name);
            }
            let silenced = take_names(&mut model.policies, |p| p.on.is_empty());
            for projection in &mut model.projections {
                if let Source::EventTypes(types) = &mut projection.source {
                    types.retain(|t| t != name);
                }
            }
            let emptied: Vec<String> = model
                .projections
                .iter()
                .filter(|p| matches!(&p.source, Source::EventTypes(types) if types.is_empty()))
                .map(|p| p.name.clone())
                .collect();
            model.projections.retain(|p| !emptied.contains(&p.name));
            let main = main_module(scenario);
            scenario.specs.retain(|s| !spec_uses_event_type(s, name, &main));
            for projection in emptied {
                cascade(scenario, Kind::Projection, &projection);
            }
            for policy in silenced {
                cascade(scenario, Kind::Policy, &policy);
            }
        }
        Kind::Command => {
            for policy in &mut model.policies {
                if let PolicyLogic::Mapping(mappings) = &mut policy.logic {
                    mappings.retain(|m| m.command != name);
                }
            }
            let silenced = take_names(
                &mut model.policies,
                |p| matches!(&p.logic, PolicyLogic::Mapping(m) if m.is_empty()),
            );
            scenario
                .specs
                .retain(|s| !matches!(s, Spec::Decider(d) if d.when.command == name));
            for policy in silenced {
                cascade(scenario, Kind::Policy, &policy);
            }
        }
        Kind::StreamType => {
            let commands: Vec<String> = model
                .commands
                .iter()
                .filter(|c| c.stream_type == name)
                .map(|c| c.name.clone())
                .collect();
            model.commands.retain(|c| c.stream_type != name);
            for command in commands {
                cascade(scenario, Kind::Command, &command);
            }
        }
        Kind::Projection => scenario
            .specs
            .retain(|s| !matches!(s, Spec::Projection(p) if p.projection == name)),
        Kind::Policy => scenario
            .specs
            .retain(|s| !matches!(s, Spec::Policy(p) if p.policy == name)),
        Kind::Upcaster | Kind::Spec | Kind::External => {}
        Kind::Module => {
            let Some(system) = &mut scenario.system else { return };
            let gone = remove_subscribers(system, |module, _| module == name);
            scenario
                .specs
                .retain(|s| !matches!(s, Spec::Translation(t) if t.module == name));
            for (kind, name) in gone {
                cascade(scenario, kind, &name);
            }
        }
        Kind::Consumer => scenario
            .specs
            .retain(|s| !matches!(s, Spec::Consumer(c) if c.consumer == name)),
        Kind::Process => scenario
            .specs
            .retain(|s| !matches!(s, Spec::Process(p) if p.process == name)),
    }
}

/// Removes the policies `gone` picks and returns their names.
fn take_names(policies: &mut Vec<Policy>, gone: impl Fn(&Policy) -> bool) -> Vec<String> {
    let names = policies.iter().filter(|p| gone(p)).map(|p| p.name.clone()).collect();
    policies.retain(|p| !gone(p));
    names
}

/// The main module's name: the module whose translations read the model's event types.
fn main_module(scenario: &Scenario) -> String {
    scenario
        .system
        .as_ref()
        .map_or(MAIN_MODULE, |s| s.main.as_str())
        .to_owned()
}

fn splits_into(upcaster: &Upcaster, event_type: &str) -> bool {
    match &upcaster.logic {
        UpcastLogic::Ops(ops) => ops.iter().any(|op| match op {
            Op::Split { into } => into.iter().any(|t| t.event_type == event_type),
            _ => false,
        }),
        UpcastLogic::Script(_) => false,
    }
}

fn spec_uses_event_type(spec: &Spec, event_type: &str, main: &str) -> bool {
    match spec {
        Spec::Decider(d) => {
            d.given.iter().any(|g| g.event_type == event_type)
                || matches!(&d.then, Then::Events(events) if events.iter().any(|e| e.event_type == event_type))
        }
        Spec::Projection(p) => p.given.iter().any(|g| g.event_type == event_type),
        Spec::Policy(p) => p.when.event.event_type == event_type,
        Spec::Translation(t) => t.module == main && t.when.event.event_type == event_type,
        Spec::Consumer(_) | Spec::Process(_) => false,
    }
}

fn how_removed(dependent: Kind, removed: Kind) -> String {
    match (dependent, removed) {
        (Kind::Upcaster, Kind::EventType) => "upcasts its events".to_owned(),
        (Kind::Command, Kind::StreamType) => "is handled by it".to_owned(),
        (Kind::Spec, _) => format!("is an example that uses this {removed}"),
        (Kind::Policy, _) => format!("reacts only through this {removed}"),
        (Kind::Projection, _) => format!("reads only this {removed}"),
        (Kind::Consumer | Kind::Process, Kind::Module) => "belongs to it, or reads only what it publishes".to_owned(),
        (Kind::Consumer | Kind::Process, _) => format!("reads only what this {removed} publishes"),
        _ => format!("depends on this {removed}"),
    }
}
