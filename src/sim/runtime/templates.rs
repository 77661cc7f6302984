//! The fast path of the `countByKey` and `sumByKey` templates: keys and amounts read straight
//! from the stored payload text (see `json_path.rs`), with no event built.

use serde_json::Number;

use crate::model::{Model, Projection, ProjectionLogic, Template};
use crate::sim::json_path;
use crate::sim::projection::{count, sum, Documents};
use crate::store::RawEvent;

/// Whether a stored event is at its type's current version (or of a type the model does not
/// define), so it needs no upcasting.
pub(super) fn is_current(model: &Model, raw: &RawEvent<'_>) -> bool {
    model
        .event_type(raw.event_type)
        .is_none_or(|t| t.current_version() == raw.schema_version)
}

/// Applies a `countByKey` or `sumByKey` template straight from the stored payload text, as the
/// parsed path (`Runner`) would from the parsed event; `None` when this event needs the parsed
/// path (a key written with escapes).
pub(super) fn apply_template_raw(
    template: &RawTemplate<'_>,
    documents: &mut Documents,
    raw: &RawEvent<'_>,
) -> Option<()> {
    let key = match &template.key {
        RawKey::StreamId => raw.stream_id,
        RawKey::Type => raw.event_type,
        RawKey::Data(segments) => match json_path::find(raw.data_json, segments) {
            None | Some("null") => return Some(()),
            Some(value) => json_path::key_text(value)?,
        },
    };
    match &template.sum {
        None => count(documents, key),
        Some(field) => {
            let Some(text) = json_path::find(raw.data_json, field) else {
                return Some(());
            };
            if !text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
                return Some(()); // not a number: adds nothing, as in the parsed path
            }
            let amount: Number = serde_json::from_str(text).ok()?;
            sum(documents, key, &amount);
        }
    }
    Some(())
}

/// Where a template's key comes from, resolved once per chunk.
enum RawKey<'d> {
    StreamId,
    Type,
    Data(Vec<&'d str>),
}

/// A `countByKey` (no `sum`) or `sumByKey` template that can run on stored text.
pub(super) struct RawTemplate<'d> {
    key: RawKey<'d>,
    sum: Option<Vec<&'d str>>,
}

impl<'d> RawTemplate<'d> {
    /// `None` when the projection is not such a template or reads something outside `data`.
    pub(super) fn of(definition: &'d Projection) -> Option<Self> {
        let data_path = |path: &'d str| {
            path.strip_prefix("data.")
                .map(|rest| rest.split('.').collect::<Vec<_>>())
        };
        let key = match definition.key.as_str() {
            "streamId" => RawKey::StreamId,
            "type" => RawKey::Type,
            path => RawKey::Data(data_path(path)?),
        };
        let sum = match &definition.logic {
            ProjectionLogic::Template(Template::CountByKey) => None,
            ProjectionLogic::Template(Template::SumByKey { field }) => Some(data_path(field)?),
            _ => return None,
        };
        Some(RawTemplate { key, sum })
    }
}
