//! `projection-reads-read-model`: a projection whose handlers call `read_model(…)` depends on
//! another projection's documents, so the two must be rebuilt in order (a rebuild train).

use crate::lint::rules::PROJECTION_READS_READ_MODEL;
use crate::lint::{Finding, Severity, Subject};
use crate::model::{Model, ProjectionLogic};

/// One finding per scripted projection that calls `read_model`, naming what it reads.
pub(super) fn projection_reads_read_model(model: &Model) -> Vec<Finding> {
    model
        .projections
        .iter()
        .filter_map(|projection| {
            let ProjectionLogic::Script(source) = &projection.logic else {
                return None;
            };
            let mut read = read_model_arguments(source);
            if read.is_empty() {
                return None;
            }
            read.sort_unstable();
            read.dedup();
            let named: Vec<String> = read
                .iter()
                .map(|name| match name {
                    Some(name) if model.projection(name).is_some() => (*name).to_owned(),
                    Some(name) => format!("{name} (no such projection)"),
                    None => "a projection named at run time".to_owned(),
                })
                .collect();
            let message = format!(
                "{} reads the documents of {}: what it computes depends on how far they got, so a rebuild of {} must wait for theirs",
                projection.name,
                named.join(", "),
                projection.name
            );
            let subject = Subject::Projection {
                name: projection.name.clone(),
            };
            Some(Finding::new(&PROJECTION_READS_READ_MODEL, Severity::Warning, subject, message))
        })
        .collect()
}

/// The first argument of every `read_model(` call: the projection's name when it is a string
/// literal, `None` when it is computed.
fn read_model_arguments(source: &str) -> Vec<Option<&str>> {
    source
        .match_indices("read_model(")
        .map(|(at, call)| {
            let argument = source[at + call.len()..].trim_start();
            argument
                .strip_prefix('"')
                .and_then(|rest| rest.split_once('"'))
                .map(|(name, _)| name)
        })
        .collect()
}
