//! Rules on schema evolution: `breaking-change-without-upcaster`.

use crate::lint::rules::BREAKING_CHANGE;
use crate::lint::{Finding, Severity, Subject};
use crate::model::{diff, Model, SchemaVersion, Visibility};

/// `breaking-change-without-upcaster`: consecutive schema versions whose diff is breaking, with no
/// upcaster from the older one. One finding per event type, naming every such step; critical when
/// the event type is public.
pub(super) fn breaking_change_without_upcaster(model: &Model) -> Vec<Finding> {
    model
        .event_types
        .iter()
        .filter_map(|event_type| {
            let name = &event_type.name;
            let mut versions: Vec<&SchemaVersion> = event_type.versions.iter().collect();
            versions.sort_by_key(|v| v.version);
            let steps: Vec<String> = versions
                .windows(2)
                .filter(|pair| model.upcaster(name, pair[0].version).is_none())
                .filter_map(|pair| {
                    let change = diff(pair[0], pair[1]);
                    change.breaking.then(|| {
                        format!(
                            "v{}→v{} is breaking ({}) and has no upcaster from v{}",
                            pair[0].version,
                            pair[1].version,
                            change.reasons.join(", "),
                            pair[0].version
                        )
                    })
                })
                .collect();
            if steps.is_empty() {
                return None;
            }
            let severity = match event_type.visibility {
                Visibility::Public => Severity::Critical,
                Visibility::Private => Severity::Warning,
            };
            Some(Finding::new(
                &BREAKING_CHANGE,
                severity,
                Subject::EventType { name: name.clone() },
                format!("{name} {}", steps.join("; ")),
            ))
        })
        .collect()
}
