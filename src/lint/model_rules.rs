//! Rules that read the model alone, one file per family: names (`naming.rs`: crud-sourcing,
//! property-sourcing), payloads (`payload.rs`: state-obsession, clickbait-event,
//! pii-in-public-event), schema evolution (`versions.rs`: breaking-change-without-upcaster) and
//! consumers (`audience.rs`: private-event-leak, `dependencies.rs`: projection-reads-read-model).

mod audience;
mod dependencies;
mod naming;
mod payload;
mod versions;

use super::finding::Rule;
use super::rules;
use super::{Finding, Thresholds};
use crate::model::{Field, FieldType, Model};

/// A rule and the check that finds it in a model.
type RuleCheck = (&'static Rule, fn(&Model) -> Vec<Finding>);

/// Every model rule, in the order of `rules::ALL`.
const CHECKS: [RuleCheck; 8] = [
    (&rules::CRUD_SOURCING, naming::crud_sourcing),
    (&rules::PROPERTY_SOURCING, naming::property_sourcing),
    (&rules::STATE_OBSESSION, payload::state_obsession),
    (&rules::CLICKBAIT_EVENT, payload::clickbait_event),
    (&rules::BREAKING_CHANGE, versions::breaking_change_without_upcaster),
    (&rules::PII_IN_PUBLIC_EVENT, payload::pii_in_public_event),
    (&rules::PRIVATE_EVENT_LEAK, audience::private_event_leak),
    (
        &rules::PROJECTION_READS_READ_MODEL,
        dependencies::projection_reads_read_model,
    ),
];

/// Every finding of the model rules that are switched on.
pub(crate) fn check(model: &Model, thresholds: &Thresholds) -> Vec<Finding> {
    CHECKS
        .iter()
        .filter(|(rule, _)| thresholds.enabled(rule.code))
        .flat_map(|(_, rule_check)| rule_check(model))
        .collect()
}

/// Whether a field identifies something rather than describing it: of type `id`, or named `id`,
/// `…Id`, `…ID` or `…_id` (`totalPaid` is not an id).
fn is_id(field: &Field) -> bool {
    let name = field.name.as_str();
    field.field_type == FieldType::Id
        || name.eq_ignore_ascii_case("id")
        || name.ends_with("Id")
        || name.ends_with("ID")
        || name.ends_with("_id")
}

/// The part of `name` before `suffix`, when `name` is a non-empty word followed by it
/// (`CartUpdated` → `Cart`); `None` for `Updated` alone or a name without the suffix.
fn stem<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    name.strip_suffix(suffix).filter(|stem| !stem.is_empty())
}
