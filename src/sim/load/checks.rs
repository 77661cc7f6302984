//! What [`LoadRun::new`](super::LoadRun::new) checks: the numbers, the stream id template, each
//! step against the model and the script, every problem with its path. Steps and scripts are
//! compiled as they are checked.

use serde_json::json;

use super::random::Rng;
use super::run::{Compiled, CompiledStep};
use super::template::{compile_node, parse_text, render_text, Hint, Piece, Point, Slot};
use super::{LoadGenerator, Step, MAX_CONCURRENCY, MAX_INSTANCES, MAX_INTERVAL_MS, MAX_REPEAT};
use crate::model::{fill_payload, Model, Problem};
use crate::script::{Limits, Owner, OwnerKind, Sandbox};
use crate::store::validate_stream_id;

pub(super) fn check_numbers(generator: &LoadGenerator) -> Vec<Problem> {
    let mut problems = Vec::new();
    if generator.name.trim().is_empty() {
        problems.push(Problem::new("name", "must not be empty"));
    }
    if !(1..=MAX_INSTANCES).contains(&generator.instances) {
        let message = format!("must be from 1 to {MAX_INSTANCES}, got {}", generator.instances);
        problems.push(Problem::new("instances", message));
    }
    if !(1..=MAX_CONCURRENCY).contains(&generator.concurrency) {
        let message = format!("must be from 1 to {MAX_CONCURRENCY}, got {}", generator.concurrency);
        problems.push(Problem::new("concurrency", message));
    }
    if generator.interval_ms > MAX_INTERVAL_MS {
        let message = format!(
            "must be at most {MAX_INTERVAL_MS} (a year), got {}",
            generator.interval_ms
        );
        problems.push(Problem::new("intervalMs", message));
    }
    problems
}

pub(super) fn compile_stream_id(template: &str, problems: &mut Vec<Problem>) -> Option<Vec<Piece>> {
    let pieces = match parse_text(template) {
        Ok(pieces) => pieces,
        Err(message) => {
            problems.push(Problem::new("streamId", message));
            return None;
        }
    };
    let slots = || {
        pieces
            .iter()
            .filter_map(|p| if let Piece::Slot(s) = p { Some(s) } else { None })
    };
    if slots().any(|slot| !matches!(slot, Slot::N)) {
        problems.push(Problem::new("streamId", "only {n} can be used in a stream id"));
    } else if !slots().any(|slot| matches!(slot, Slot::N)) {
        let message = format!("{template:?} has no {{n}}, so every instance would write to the same stream");
        problems.push(Problem::new("streamId", message));
    } else {
        return Some(pieces);
    }
    None
}

/// Checks that the first and the last instance's stream ids are valid and owned by each step's stream type.
pub(super) fn check_streams(
    template: &[Piece],
    instances: u32,
    steps: &[Step],
    model: &Model,
    problems: &mut Vec<Problem>,
) {
    let mut ids = vec![render_text(template, Point { n: 1, i: 0 }, &mut Rng(0))];
    if instances > 1 {
        ids.push(render_text(template, Point { n: instances, i: 0 }, &mut Rng(0)));
    }
    for id in &ids {
        if let Err(error) = validate_stream_id(id) {
            problems.push(Problem::new("streamId", error.to_string()));
            return;
        }
    }
    let mut checked: Vec<&str> = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        let Some(command) = model.command(&step.command) else {
            continue;
        };
        let Some(stream_type) = model.stream_type(&command.stream_type) else {
            continue;
        };
        if checked.contains(&stream_type.name.as_str()) {
            continue;
        }
        checked.push(&stream_type.name);
        if let Some(id) = ids.iter().find(|id| !stream_type.owns(id)) {
            let message = format!(
                "{} (plan.steps[{index}]) goes to {} streams ({}), not to {id:?}",
                step.command, stream_type.name, stream_type.stream_id_pattern
            );
            problems.push(Problem::new("streamId", message));
        }
    }
}

pub(super) fn compile_steps(steps: &[Step], model: &Model, problems: &mut Vec<Problem>) -> Vec<CompiledStep> {
    if steps.is_empty() {
        problems.push(Problem::new("plan.steps", "at least one step is needed"));
    }
    let mut compiled = Vec::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        let path = format!("plan.steps[{index}]");
        let command = model.command(&step.command);
        if command.is_none() {
            problems.push(Problem::new(
                format!("{path}.command"),
                format!("unknown command {:?}", step.command),
            ));
        }
        let [min, max] = step.repeat.unwrap_or([1, 1]);
        if min > max || max > MAX_REPEAT {
            let message = format!("must be [min, max] with min <= max <= {MAX_REPEAT}, got [{min}, {max}]");
            problems.push(Problem::new(format!("{path}.repeat"), message));
        }
        if !(0.0..=1.0).contains(&step.probability) {
            let message = format!("must be from 0 to 1, got {}", step.probability);
            problems.push(Problem::new(format!("{path}.probability"), message));
        }
        let empty = json!({});
        let data = if step.data.is_null() { &empty } else { &step.data };
        let hint = command.map_or(Hint::None, |c| Hint::Fields(&c.fields));
        let before = problems.len();
        let data = compile_node(data, hint, &format!("{path}.data"), 0, problems);
        if let (Some(command), true) = (command, problems.len() == before) {
            let sample = data.render(Point { n: 1, i: 0 }, &mut Rng(0));
            if let Err(error) = fill_payload(&command.name, &command.fields, &sample) {
                let at = if error.path.is_empty() {
                    String::new()
                } else {
                    format!(".{}", error.path)
                };
                problems.push(Problem::new(format!("{path}.data{at}"), error.problem));
            }
        }
        compiled.push(CompiledStep {
            command: step.command.clone(),
            data,
            min,
            max: max.max(min),
            probability: step.probability,
        });
    }
    compiled
}

pub(super) fn compile_script(name: &str, source: &str, seed: u64, problems: &mut Vec<Problem>) -> Option<Compiled> {
    let mut sandbox = Box::new(Sandbox::new(Limits::default(), seed));
    let owner = Owner {
        kind: OwnerKind::Generator,
        name: name.to_owned(),
    };
    match sandbox.compile(&owner, source) {
        Ok(script) => {
            if !sandbox.has_function(script, "generate", 1) {
                problems.push(Problem::new("plan.script", "the script must define fn generate(n)"));
            }
            Some(Compiled::Script { sandbox, script })
        }
        Err(error) => {
            problems.push(Problem::new("plan.script", error.message).at(error.line, error.column));
            None
        }
    }
}
