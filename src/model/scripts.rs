//! Script checks on import: every script compiles, and defines the functions its role needs
//! (`decide`/`evolve`, `on_<EventType>` handlers, `upcast`, `react`), with the script's line and column.

use super::model::Model;
use super::policy::PolicyLogic;
use super::problem::Problem;
use super::projection::ProjectionLogic;
use super::scenario::Scenario;
use super::upcaster::UpcastLogic;
use crate::script::{Limits, Owner, OwnerKind, Sandbox};

struct Script<'a> {
    owner: Owner,
    path: String,
    source: &'a str,
    needs: Vec<(&'static str, usize)>,
}

/// Compiles every script of the scenario and adds what is wrong to `problems`.
pub(crate) fn check(scenario: &Scenario, problems: &mut Vec<Problem>) {
    let mut sandbox = Sandbox::new(Limits::default(), scenario.settings.seed);
    for script in scripts(&scenario.model) {
        let errors = sandbox.check(&script.owner, script.source);
        if !errors.is_empty() {
            for error in errors {
                problems.push(Problem::new(&script.path, error.message).at(error.line, error.column));
            }
            continue;
        }
        let id = match sandbox.compile(&script.owner, script.source) {
            Ok(id) => id,
            Err(error) => {
                problems.push(Problem::new(&script.path, error.message).at(error.line, error.column));
                continue;
            }
        };
        for (name, arity) in &script.needs {
            if !sandbox.has_function(id, name, *arity) {
                problems.push(Problem::new(
                    &script.path,
                    format!("missing fn {name} with {arity} parameters"),
                ));
            }
        }
        if script.owner.kind == OwnerKind::Projection {
            handlers(&scenario.model, &sandbox, id, &script, problems);
        }
    }
}

fn handlers(
    model: &Model,
    sandbox: &Sandbox,
    id: crate::script::ScriptId,
    script: &Script<'_>,
    problems: &mut Vec<Problem>,
) {
    let mut found = 0;
    for (line, name) in handler_names(script.source) {
        found += 1;
        let at = |message: String| Problem::new(&script.path, message).at(Some(line), None);
        let event_type = name.strip_prefix("on_").unwrap_or_default();
        // `$compacted` and `$summary` (a compaction's snapshot, a summary) have handlers too.
        let state_carrying = matches!(event_type, "compacted" | "summary");
        if model.event_type(event_type).is_none() && !state_carrying {
            problems.push(at(format!(
                "handler {name} is for an unknown event type {event_type:?}"
            )));
        } else if !sandbox.has_function(id, name, 2) {
            problems.push(at(format!("handler {name} must take two parameters (doc, event)")));
        }
    }
    if found == 0 {
        problems.push(Problem::new(
            &script.path,
            "a projection script needs at least one on_<EventType>(doc, event) handler",
        ));
    }
}

/// `(line, name)` of every `fn on_…` in a source.
pub(crate) fn handler_names(source: &str) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("fn ") {
            let after = rest.get(at + 3..).unwrap_or_default().trim_start();
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let name = after.get(..end).unwrap_or_default();
            if name.starts_with("on_") {
                out.push((u32::try_from(number + 1).unwrap_or(u32::MAX), name));
            }
            rest = after.get(end..).unwrap_or_default();
        }
    }
    out
}

fn scripts(model: &Model) -> Vec<Script<'_>> {
    let owner = |kind, name: &str| Owner {
        kind,
        name: name.to_owned(),
    };
    let mut out = Vec::new();
    for (i, s) in model.stream_types.iter().enumerate() {
        out.push(Script {
            owner: owner(OwnerKind::Decider, &s.name),
            path: format!("model.streamTypes[{i}].script"),
            source: &s.script,
            needs: vec![("decide", 2), ("evolve", 2)],
        });
    }
    for (i, p) in model.projections.iter().enumerate() {
        if let ProjectionLogic::Script(source) = &p.logic {
            let path = format!("model.projections[{i}].logic.script");
            out.push(Script {
                owner: owner(OwnerKind::Projection, &p.name),
                path,
                source,
                needs: vec![],
            });
        }
    }
    for (i, u) in model.upcasters.iter().enumerate() {
        if let UpcastLogic::Script(source) = &u.logic {
            let name = format!("{} v{}→v{}", u.event_type, u.from, u.to);
            let path = format!("model.upcasters[{i}].logic.script");
            out.push(Script {
                owner: owner(OwnerKind::Upcaster, &name),
                path,
                source,
                needs: vec![("upcast", 1)],
            });
        }
    }
    for (i, p) in model.policies.iter().enumerate() {
        if let PolicyLogic::Script(source) = &p.logic {
            let path = format!("model.policies[{i}].logic.script");
            out.push(Script {
                owner: owner(OwnerKind::Policy, &p.name),
                path,
                source,
                needs: vec![("react", 1)],
            });
        }
    }
    out
}
