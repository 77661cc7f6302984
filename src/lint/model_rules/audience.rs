//! `private-event-leak`: a consumer marked external (a projection read by another service, a
//! policy that runs in one) that reads private event types.

use std::collections::BTreeSet;

use crate::lint::data_rules::event_types_named;
use crate::lint::rules::PRIVATE_EVENT_LEAK;
use crate::lint::{Finding, Severity, Subject};
use crate::model::{Audience, Model, Projection, ProjectionLogic, Source, Visibility};

/// One finding per external projection or policy that reads a private event type of the model.
pub(super) fn private_event_leak(model: &Model) -> Vec<Finding> {
    let projections = model
        .projections
        .iter()
        .filter(|p| p.audience == Audience::External)
        .filter_map(|projection| {
            let subject = Subject::Projection {
                name: projection.name.clone(),
            };
            leak(
                model,
                "projection",
                &projection.name,
                subject,
                projection_reads(model, projection),
            )
        });
    let policies = model
        .policies
        .iter()
        .filter(|p| p.audience == Audience::External)
        .filter_map(|policy| {
            let subject = Subject::Policy {
                name: policy.name.clone(),
            };
            leak(
                model,
                "policy",
                &policy.name,
                subject,
                policy.on.iter().map(String::as_str).collect(),
            )
        });
    projections.chain(policies).collect()
}

fn leak(model: &Model, kind: &str, name: &str, subject: Subject, reads: BTreeSet<&str>) -> Option<Finding> {
    let private: Vec<&str> = reads
        .into_iter()
        .filter(|t| model.event_type(t).is_some_and(|e| e.visibility == Visibility::Private))
        .collect();
    if private.is_empty() {
        return None;
    }
    let message = format!(
        "external {kind} {name} reads private event type{} {}",
        if private.len() == 1 { "" } else { "s" },
        private.join(", ")
    );
    Some(Finding::new(&PRIVATE_EVENT_LEAK, Severity::Warning, subject, message))
}

/// The event types a projection consumes: for a script, those it has an `on_<Type>` handler for;
/// for a template, every type its source can hold (the types the deciders of its categories
/// emit, for a category source).
fn projection_reads<'m>(model: &'m Model, projection: &'m Projection) -> BTreeSet<&'m str> {
    let in_source: BTreeSet<&str> = match &projection.source {
        Source::EventTypes(types) => types.iter().map(String::as_str).collect(),
        Source::Categories(categories) => model
            .stream_types
            .iter()
            .filter(|t| categories.iter().any(|c| c == t.category()))
            .flat_map(|t| event_types_named(model, &t.script))
            .collect(),
        Source::All | Source::Streams(_) => model.event_types.iter().map(|t| t.name.as_str()).collect(),
    };
    match &projection.logic {
        ProjectionLogic::Script(script) => in_source
            .into_iter()
            .filter(|t| script.contains(&format!("fn on_{t}(")))
            .collect(),
        ProjectionLogic::Template(_) => in_source,
    }
}
