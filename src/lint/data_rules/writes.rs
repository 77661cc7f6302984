//! How streams of a stream type are written and what they keep: `unchecked-append` (appends
//! without an expected revision to streams a decider owns) and `pii-without-retention`
//! (personal data kept longer than the threshold with no retention plan). Both read the
//! category's running statistics in constant time.

use super::super::rules::{PII_WITHOUT_RETENTION, UNCHECKED_APPEND};
use super::super::{Finding, Severity, Subject, Thresholds};
use super::streams::{duration, event_types_named};
use crate::model::{Field, FieldType, Model, StreamType};
use crate::store::Store;

/// `unchecked-append`: streams of the stream type (which always has a decider) were appended to
/// with the expected revision `any`.
pub(crate) fn unchecked_append(store: &Store, thresholds: &Thresholds, stream_type: &StreamType) -> Option<Finding> {
    if !thresholds.enabled(UNCHECKED_APPEND.code) {
        return None;
    }
    let category = store.category_stats(stream_type.category())?;
    if category.unchecked_appends == 0 {
        return None;
    }
    let message = format!(
        "{} append{} to {} streams carried no expected revision (the latest to {}), though the {} decider decides on the state it read",
        category.unchecked_appends,
        if category.unchecked_appends == 1 { "" } else { "s" },
        stream_type.stream_id_pattern,
        category.last_unchecked_stream.as_deref().unwrap_or("?"),
        stream_type.name
    );
    Some(Finding::new(
        &UNCHECKED_APPEND,
        Severity::Warning,
        subject(stream_type),
        message,
    ))
}

/// `pii-without-retention`: the stream type has no retention plan, the event types its decider
/// emits carry personal fields, and its oldest stored event is older than `pii_age_ms` on the
/// simulated clock.
pub(crate) fn pii_without_retention(
    model: &Model,
    store: &Store,
    thresholds: &Thresholds,
    stream_type: &StreamType,
) -> Option<Finding> {
    if !thresholds.enabled(PII_WITHOUT_RETENTION.code) || stream_type.retention.is_some() {
        return None;
    }
    let oldest = store.category_stats(stream_type.category())?.first_timestamp_ms?;
    let age_ms = store.now_ms().saturating_sub(oldest);
    if age_ms < 0 || (age_ms as u64) < thresholds.pii_age_ms {
        return None;
    }
    let mut personal = Vec::new();
    for name in event_types_named(model, &stream_type.script) {
        if let Some(version) = model.event_type(name).and_then(|t| t.current()) {
            personal_fields(&version.fields, &format!("{name}."), &mut personal);
        }
    }
    if personal.is_empty() {
        return None;
    }
    let message = format!(
        "{} streams have kept personal data ({}) for {} with no retention plan",
        stream_type.name,
        personal.join(", "),
        duration(age_ms as f64)
    );
    Some(Finding::new(
        &PII_WITHOUT_RETENTION,
        Severity::Warning,
        subject(stream_type),
        message,
    ))
}

/// Pushes `prefix` + the path of every field marked PII, nested objects included (`address.street`).
fn personal_fields(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        if field.pii {
            out.push(path.clone());
        }
        if let FieldType::Object(inner) = &field.field_type {
            personal_fields(inner, &format!("{path}."), out);
        }
    }
}

fn subject(stream_type: &StreamType) -> Subject {
    Subject::StreamType {
        name: stream_type.name.clone(),
    }
}
