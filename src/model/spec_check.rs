//! Checks of specs: names, the commands, streams, projections and event types they mention, and
//! given events that are valid at their version and can be upcast to the current one; the policy,
//! translation, consumer or process a reaction spec tests.

use serde_json::Value;

use super::event_type::EventType;
use super::model::Model;
use super::problem::Problem;
use super::scenario::Scenario;
use super::spec::{GivenEvent, Spec, Then};
use super::system::System;
use super::upcast_check;
use super::validate::names;

pub(crate) fn specs(scenario: &Scenario, problems: &mut Vec<Problem>) {
    let model = &scenario.model;
    names(scenario.specs.iter().map(Spec::name), "specs", "spec", false, problems);
    for (i, spec) in scenario.specs.iter().enumerate() {
        let found = problems.len();
        let at = format!("specs[{i}]");
        spec_problems(model, spec, &at, problems);
        reaction_problems(scenario, spec, &at, problems);
        // The path says where in the file; the message names the spec, which is what users see.
        for problem in &mut problems[found..] {
            problem.message = format!("in spec {:?}: {}", spec.name(), problem.message);
        }
    }
}

fn spec_problems(model: &Model, spec: &Spec, at: &str, problems: &mut Vec<Problem>) {
    match spec {
        Spec::Decider(spec) => {
            given(model, &spec.given, &format!("{at}.given"), problems);
            match model.command(&spec.when.command) {
                None => problems.push(Problem::new(
                    format!("{at}.when.command"),
                    format!("unknown command {:?}", spec.when.command),
                )),
                Some(command) => {
                    if !model
                        .stream_type(&command.stream_type)
                        .is_some_and(|s| s.owns(&spec.when.stream))
                    {
                        problems.push(Problem::new(
                            format!("{at}.when.stream"),
                            format!("stream {:?} is not a {} stream", spec.when.stream, command.stream_type),
                        ));
                    }
                }
            }
            if let Then::Events(events) = &spec.then {
                for (j, event) in events.iter().enumerate() {
                    if model.event_type(&event.event_type).is_none() {
                        problems.push(Problem::new(
                            format!("{at}.then.events[{j}].type"),
                            format!("unknown event type {:?}", event.event_type),
                        ));
                    }
                }
            }
        }
        Spec::Projection(spec) => {
            given(model, &spec.given, &format!("{at}.given"), problems);
            if model.projection(&spec.projection).is_none() {
                problems.push(Problem::new(
                    format!("{at}.projection"),
                    format!("unknown projection {:?}", spec.projection),
                ));
            }
        }
        Spec::Translation(_) | Spec::Consumer(_) | Spec::Process(_) => {}
        Spec::Policy(spec) => {
            if !model.policies.iter().any(|p| p.name == spec.policy) {
                problems.push(Problem::new(
                    format!("{at}.policy"),
                    format!("unknown policy {:?}", spec.policy),
                ));
            }
            if model.event_type(&spec.when.event.event_type).is_none() {
                problems.push(Problem::new(
                    format!("{at}.when.event.type"),
                    format!("unknown event type {:?}", spec.when.event.event_type),
                ));
            }
        }
    }
}

/// The translation, consumer or process a reaction spec names must be in the scenario's system.
fn reaction_problems(scenario: &Scenario, spec: &Spec, at: &str, problems: &mut Vec<Problem>) {
    let fallback = System::default();
    let system = scenario.system.as_ref().unwrap_or(&fallback);
    let unknown =
        |field: &str, what: &str, name: &str| Problem::new(format!("{at}.{field}"), format!("unknown {what} {name:?}"));
    match spec {
        Spec::Translation(spec) => match system.module(&spec.module) {
            None if spec.module != system.main => problems.push(unknown("module", "module", &spec.module)),
            module => {
                if !module.is_some_and(|m| m.translations.iter().any(|t| t.name == spec.translation)) {
                    problems.push(unknown("translation", "translation", &spec.translation));
                }
            }
        },
        Spec::Consumer(spec) if system.consumer(&spec.consumer).is_none() => {
            problems.push(unknown("consumer", "consumer", &spec.consumer));
        }
        Spec::Process(spec) if system.process(&spec.process).is_none() => {
            problems.push(unknown("process", "process", &spec.process));
        }
        _ => {}
    }
}

fn given(model: &Model, events: &[GivenEvent], path: &str, problems: &mut Vec<Problem>) {
    for (j, event) in events.iter().enumerate() {
        let at = format!("{path}[{j}]");
        let Some(event_type) = model.event_type(&event.event_type) else {
            problems.push(Problem::new(
                format!("{at}.type"),
                format!("unknown event type {:?}", event.event_type),
            ));
            continue;
        };
        if crate::store::validate_stream_id(&event.stream).is_err() {
            problems.push(Problem::new(
                format!("{at}.stream"),
                format!("invalid stream id {:?}", event.stream),
            ));
        }
        let version = event.version.unwrap_or_else(|| event_type.current_version());
        if event_type.version(version).is_none() {
            problems.push(Problem::new(
                format!("{at}.version"),
                format!("{} has no version {version}", event_type.name),
            ));
            continue;
        }
        if let Some(why) = upcast_check::missing_path(model, &event_type.name, version) {
            problems.push(Problem::new(format!("{at}.version"), format!("cannot be read: {why}")));
        }
        if let Err(error) = given_data(event_type, version, &event.data) {
            problems.push(Problem::new(format!("{at}.data"), error));
        }
    }
}

fn given_data(event_type: &EventType, version: u32, data: &Value) -> Result<(), String> {
    event_type
        .fill(version, data)
        .map(drop)
        .map_err(|error| error.to_string())
}
