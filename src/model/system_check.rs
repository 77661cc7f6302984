//! Checks of a scenario's [`System`]: names, every reference between modules, topics, consumers,
//! processes and externals, and the scripts each needs. Each problem names its JSON path under
//! `system`.

use std::collections::BTreeSet;

use super::model::Model;
use super::policy::CommandMapping;
use super::problem::Problem;
use super::scenario::Scenario;
use super::system::{ConsumerLogic, Faults, ModuleKind, Publishing, System};
use super::validate::names;
use crate::script::{Limits, Owner, OwnerKind, Sandbox};

/// The topics of a system: every contract, every external's answers, and `module.EventType` for
/// each private event type of an event-sourced module.
pub fn topics(scenario: &Scenario, system: &System) -> BTreeSet<String> {
    let mut topics = BTreeSet::new();
    for module in &system.modules {
        topics.extend(module.contracts.iter().map(|c| c.name.clone()));
    }
    for external in &system.externals {
        topics.insert(external.succeeded.clone());
        topics.insert(external.failed.clone());
    }
    for (name, model) in models(scenario, system) {
        topics.extend(model.event_types.iter().map(|t| format!("{name}.{}", t.name)));
    }
    topics
}

/// Every event-sourced module's name and model, the main one first.
pub fn models<'a>(scenario: &'a Scenario, system: &'a System) -> Vec<(&'a str, &'a Model)> {
    let mut models = vec![(system.main.as_str(), &scenario.model)];
    for module in &system.modules {
        if let (ModuleKind::EventSourced, Some(model)) = (module.kind, &module.model) {
            if module.name != system.main {
                models.push((module.name.as_str(), model));
            }
        }
    }
    models
}

/// Adds what is wrong with `scenario.system` to `problems`.
pub(crate) fn check(scenario: &Scenario, problems: &mut Vec<Problem>) {
    let Some(system) = &scenario.system else {
        return;
    };
    let mut sandbox = Sandbox::new(Limits::default(), scenario.settings.seed);
    if system.main.trim().is_empty() {
        problems.push(Problem::new("system.main", "the main module needs a name"));
    }
    names(
        system.modules.iter().map(|m| m.name.as_str()),
        "system.modules",
        "module",
        false,
        problems,
    );
    modules(scenario, system, &mut sandbox, problems);
    let topics = topics(scenario, system);
    let module_names: BTreeSet<&str> = std::iter::once(system.main.as_str())
        .chain(system.modules.iter().map(|m| m.name.as_str()))
        .collect();
    names(
        system.consumers.iter().map(|c| c.name.as_str()),
        "system.consumers",
        "consumer",
        false,
        problems,
    );
    for (i, consumer) in system.consumers.iter().enumerate() {
        let at = format!("system.consumers[{i}]");
        module_ref(&consumer.module, &format!("{at}.module"), &module_names, problems);
        topic_refs(&consumer.topics, &format!("{at}.topics"), &topics, problems);
        match &consumer.logic {
            ConsumerLogic::Script(source) => script(
                &mut sandbox,
                OwnerKind::Consumer,
                &consumer.name,
                source,
                &format!("{at}.logic.script"),
                &[("handle", 1)],
                problems,
            ),
            ConsumerLogic::Mapping(mappings) => {
                mapping_refs(scenario, system, &consumer.module, mappings, &at, problems);
            }
        }
        if let Some(faults) = &consumer.faults {
            check_faults(faults, &format!("{at}.faults"), problems);
        }
        retry(consumer.retry.multiplier, &format!("{at}.retry"), problems);
    }
    names(
        system.processes.iter().map(|p| p.name.as_str()),
        "system.processes",
        "process",
        false,
        problems,
    );
    for (i, process) in system.processes.iter().enumerate() {
        let at = format!("system.processes[{i}]");
        module_ref(&process.module, &format!("{at}.module"), &module_names, problems);
        topic_refs(&process.topics, &format!("{at}.topics"), &topics, problems);
        if process.correlate.trim().is_empty() {
            problems.push(Problem::new(
                format!("{at}.correlate"),
                "needs the path of the instance key in a message, e.g. data.orderId",
            ));
        }
        let commands = command_names(scenario, system);
        for (j, compensation) in process.compensations.iter().enumerate() {
            for (key, name) in [("step", &compensation.step), ("undo", &compensation.undo)] {
                if !commands.contains(name.as_str()) {
                    problems.push(Problem::new(
                        format!("{at}.compensations[{j}].{key}"),
                        format!("no module has a command {name:?}"),
                    ));
                }
            }
        }
        for (j, step) in process.steps.iter().enumerate() {
            if !commands.contains(step.as_str()) {
                problems.push(Problem::new(
                    format!("{at}.steps[{j}]"),
                    format!("no module has a command {step:?}"),
                ));
            }
        }
        script(
            &mut sandbox,
            OwnerKind::Process,
            &process.name,
            &process.script,
            &format!("{at}.script"),
            &[("evolve", 2), ("decide", 2)],
            problems,
        );
        retry(process.retry.multiplier, &format!("{at}.retry"), problems);
    }
    names(
        system.externals.iter().map(|e| e.name.as_str()),
        "system.externals",
        "external system",
        false,
        problems,
    );
    for (i, external) in system.externals.iter().enumerate() {
        if !(0.0..=1.0).contains(&external.failure_rate) {
            problems.push(Problem::new(
                format!("system.externals[{i}].failureRate"),
                "expected a share from 0 to 1",
            ));
        }
        if external.succeeded == external.failed || external.succeeded.is_empty() || external.failed.is_empty() {
            problems.push(Problem::new(
                format!("system.externals[{i}]"),
                "needs two different topics for its answers: succeeded and failed",
            ));
        }
    }
    check_faults(&system.faults, "system.faults", problems);
}

fn modules(scenario: &Scenario, system: &System, sandbox: &mut Sandbox, problems: &mut Vec<Problem>) {
    let mut contracts = BTreeSet::new();
    for (i, module) in system.modules.iter().enumerate() {
        let at = format!("system.modules[{i}]");
        let is_main = module.name == system.main;
        match module.kind {
            ModuleKind::EventSourced => {
                if is_main && module.model.is_some() {
                    problems.push(Problem::new(
                        format!("{at}.model"),
                        "the main module's model is the scenario's own model; leave this out",
                    ));
                }
                if !module.tables.is_empty() || !module.handlers.is_empty() {
                    problems.push(Problem::new(
                        format!("{at}.kind"),
                        "an event-sourced module has no tables or handlers; make it stateStored",
                    ));
                }
                if module.publishing == Publishing::ChangeDataCapture {
                    problems.push(Problem::new(
                        format!("{at}.publishing"),
                        "change data capture reads a state-stored module's rows; use dualWrite or outbox",
                    ));
                }
                if let (Some(model), false) = (&module.model, is_main) {
                    let inner = Scenario {
                        model: model.clone(),
                        settings: scenario.settings.clone(),
                        ..Scenario::default()
                    };
                    for problem in super::validate::check(&inner) {
                        problems.push(problem.under(&at));
                    }
                }
            }
            ModuleKind::StateStored => {
                if is_main {
                    problems.push(Problem::new(
                        format!("{at}.kind"),
                        "the main module is the scenario's event-sourced model",
                    ));
                }
                if module.model.is_some() {
                    problems.push(Problem::new(
                        format!("{at}.model"),
                        "a state-stored module has tables and handlers, not a model",
                    ));
                }
                names(
                    module.tables.iter().map(|t| t.name.as_str()),
                    &format!("{at}.tables"),
                    "table",
                    false,
                    problems,
                );
                names(
                    module.handlers.iter().map(|h| h.name.as_str()),
                    &format!("{at}.handlers"),
                    "handler",
                    false,
                    problems,
                );
                for (j, handler) in module.handlers.iter().enumerate() {
                    if !module.tables.iter().any(|t| t.name == handler.table) {
                        problems.push(Problem::new(
                            format!("{at}.handlers[{j}].table"),
                            format!("no table {:?} in module {:?}", handler.table, module.name),
                        ));
                    }
                    script(
                        sandbox,
                        OwnerKind::Handler,
                        &handler.name,
                        &handler.script,
                        &format!("{at}.handlers[{j}].script"),
                        &[("handle", 2)],
                        problems,
                    );
                }
            }
        }
        for (j, contract) in module.contracts.iter().enumerate() {
            if contract.versions.is_empty() {
                problems.push(Problem::new(
                    format!("{at}.contracts[{j}].versions"),
                    "needs at least one version",
                ));
            }
            if !contracts.insert(contract.name.clone()) {
                problems.push(Problem::new(
                    format!("{at}.contracts[{j}].name"),
                    format!("another module already publishes {:?}", contract.name),
                ));
            }
        }
        let sources: BTreeSet<&str> = match module.kind {
            ModuleKind::StateStored => module.tables.iter().map(|t| t.name.as_str()).collect(),
            ModuleKind::EventSourced => {
                let model = if is_main {
                    Some(&scenario.model)
                } else {
                    module.model.as_ref()
                };
                model
                    .map(|m| m.event_types.iter().map(|t| t.name.as_str()).collect())
                    .unwrap_or_default()
            }
        };
        for (j, translation) in module.translations.iter().enumerate() {
            for (k, on) in translation.on.iter().enumerate() {
                if !sources.contains(on.as_str()) {
                    let what = if module.kind == ModuleKind::StateStored {
                        "table"
                    } else {
                        "event type"
                    };
                    problems.push(Problem::new(
                        format!("{at}.translations[{j}].on[{k}]"),
                        format!("no {what} {on:?} in module {:?}", module.name),
                    ));
                }
            }
            script(
                sandbox,
                OwnerKind::Translation,
                &translation.name,
                &translation.script,
                &format!("{at}.translations[{j}].script"),
                &[("translate", 2)],
                problems,
            );
        }
        if let Some(faults) = &module.faults {
            check_faults(faults, &format!("{at}.faults"), problems);
        }
    }
}

fn command_names<'a>(scenario: &'a Scenario, system: &'a System) -> BTreeSet<&'a str> {
    let mut commands: BTreeSet<&str> = models(scenario, system)
        .into_iter()
        .flat_map(|(_, model)| model.commands.iter().map(|c| c.name.as_str()))
        .collect();
    for module in &system.modules {
        commands.extend(module.handlers.iter().map(|h| h.name.as_str()));
    }
    commands
}

fn module_ref(name: &str, at: &str, modules: &BTreeSet<&str>, problems: &mut Vec<Problem>) {
    if !modules.contains(name) {
        let known: Vec<&str> = modules.iter().copied().collect();
        problems.push(Problem::new(
            at,
            format!("no module {name:?} (modules: {})", known.join(", ")),
        ));
    }
}

fn topic_refs(used: &[String], at: &str, topics: &BTreeSet<String>, problems: &mut Vec<Problem>) {
    if used.is_empty() {
        problems.push(Problem::new(at, "needs at least one topic"));
    }
    for (i, topic) in used.iter().enumerate() {
        if !topics.contains(topic) {
            problems.push(Problem::new(
                format!("{at}[{i}]"),
                format!(
                    "no topic {topic:?}: a topic is a module's contract, an external system's answer, or module.EventType"
                ),
            ));
        }
    }
}

fn mapping_refs(
    scenario: &Scenario,
    system: &System,
    module: &str,
    mappings: &[CommandMapping],
    at: &str,
    problems: &mut Vec<Problem>,
) {
    let state_stored = system.module(module).filter(|m| m.kind == ModuleKind::StateStored);
    for (i, mapping) in mappings.iter().enumerate() {
        let known = match state_stored {
            Some(m) => m.handlers.iter().any(|h| h.name == mapping.command),
            None => models(scenario, system)
                .into_iter()
                .find(|(name, _)| *name == module)
                .is_some_and(|(_, model)| model.command(&mapping.command).is_some()),
        };
        if !known {
            problems.push(Problem::new(
                format!("{at}.logic.mapping[{i}].command"),
                format!("module {module:?} has no command {:?}", mapping.command),
            ));
        }
    }
}

fn script(
    sandbox: &mut Sandbox,
    kind: OwnerKind,
    name: &str,
    source: &str,
    at: &str,
    needs: &[(&str, usize)],
    problems: &mut Vec<Problem>,
) {
    let owner = Owner {
        kind,
        name: name.to_owned(),
    };
    let errors = sandbox.check(&owner, source);
    if !errors.is_empty() {
        for error in errors {
            problems.push(Problem::new(at, error.message).at(error.line, error.column));
        }
        return;
    }
    match sandbox.compile(&owner, source) {
        Ok(id) => {
            for (function, arity) in needs {
                if !sandbox.has_function(id, function, *arity) {
                    problems.push(Problem::new(
                        at,
                        format!("missing fn {function} with {arity} parameters"),
                    ));
                }
            }
        }
        Err(error) => problems.push(Problem::new(at, error.message).at(error.line, error.column)),
    }
}

fn retry(multiplier: f64, at: &str, problems: &mut Vec<Problem>) {
    if !(multiplier.is_finite() && multiplier >= 1.0) {
        problems.push(Problem::new(
            format!("{at}.multiplier"),
            "expected a factor of 1 or more",
        ));
    }
}

fn check_faults(faults: &Faults, at: &str, problems: &mut Vec<Problem>) {
    for (key, share) in [
        ("duplicate", faults.duplicate),
        ("consumerCrash", faults.consumer_crash),
        ("publisherCrash", faults.publisher_crash),
    ] {
        if !(0.0..=1.0).contains(&share) {
            problems.push(Problem::new(format!("{at}.{key}"), "expected a share from 0 to 1"));
        }
    }
    for (i, window) in faults.outages.iter().enumerate() {
        if window.from_ms >= window.to_ms {
            problems.push(Problem::new(
                format!("{at}.outages[{i}]"),
                "an outage ends after it starts: fromMs < toMs",
            ));
        }
    }
}
