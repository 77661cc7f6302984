//! The fast path of the `countByKey` and `sumByKey` templates: keys and amounts read straight
//! from the stored payload text (see `json_path.rs`), with no event built.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::{json, Number, Value};

use crate::model::{Model, Projection, ProjectionLogic, Template};
use crate::sim::json_path;
use crate::sim::projection::{add, counted, summed, Documents};
use crate::store::StoredPayload;

/// Whether a stored event is at its type's current version (or of a type the model does not
/// define), so it needs no upcasting.
pub(super) fn is_current(model: &Model, event_type: &str, schema_version: u32) -> bool {
    model
        .event_type(event_type)
        .is_none_or(|t| t.current_version() == schema_version)
}

/// A template's totals while one chunk of events runs, keyed by the document key as stored (no
/// copy). A key's document is read at its first event and written back once by
/// [`Tally::write_back`], so an event costs a hash lookup rather than a document update; the
/// documents end as [`count`] and [`sum`] would leave them event by event.
#[derive(Default)]
pub(super) struct Tally<'s> {
    totals: HashMap<&'s str, Total, BuildHasherDefault<Fnv>>,
}

enum Total {
    Count(i64),
    Sum(Value),
}

impl<'s> Tally<'s> {
    /// Applies a `countByKey` or `sumByKey` template straight from the stored payload text, as
    /// the parsed path (`Runner`) would from the parsed event; `None` when this event needs the
    /// parsed path (a key written with escapes, an amount that is not a JSON number).
    pub(super) fn apply(
        &mut self,
        template: &RawTemplate<'_>,
        documents: &Documents,
        event: &StoredPayload<'s>,
    ) -> Option<()> {
        // A payload whose sealed fields were revealed is not the store's text: the parsed path.
        let Cow::Borrowed(data_json) = event.data_json else {
            return None;
        };
        let Some(key) = template.key.find(event.stream_id, event.event_type, data_json).ok()? else {
            return Some(());
        };
        match &template.sum {
            None => {
                let total = self
                    .totals
                    .entry(key)
                    .or_insert_with(|| Total::Count(counted(documents.get(key))));
                if let Total::Count(n) = total {
                    *n = n.saturating_add(1);
                }
            }
            Some(field) => {
                let Some(text) = json_path::find(data_json, field) else {
                    return Some(());
                };
                if !text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
                    return Some(()); // not a number: adds nothing, as in the parsed path
                }
                let amount: Number = match text.parse::<i64>() {
                    Ok(integer) => Number::from(integer),
                    Err(_) => serde_json::from_str(text).ok()?,
                };
                let total = self
                    .totals
                    .entry(key)
                    .or_insert_with(|| Total::Sum(summed(documents.get(key))));
                if let Total::Sum(previous) = total {
                    *previous = add(previous, &amount);
                }
            }
        }
        Some(())
    }

    /// Writes every total into its document.
    pub(super) fn write_back(self, documents: &mut Documents) {
        for (key, total) in self.totals {
            match total {
                Total::Count(n) => match documents.get_mut(key) {
                    Some(Value::Object(document)) => {
                        document.insert("count".to_owned(), Value::from(n));
                    }
                    _ => {
                        documents.insert(key.to_owned(), json!({ "count": n }));
                    }
                },
                Total::Sum(total) => {
                    documents.insert(key.to_owned(), json!({ "sum": total }));
                }
            }
        }
    }
}

/// FNV-1a: document keys are short, and the default hasher's protection against chosen keys
/// costs more than the rest of a template's work per event.
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// Where a document key comes from in a stored event, resolved once per chunk.
pub(super) enum RawKey<'d> {
    StreamId,
    Type,
    Data(Vec<&'d str>),
}

impl<'d> RawKey<'d> {
    /// `None` for a path outside the stream id, the type and `data`.
    pub(super) fn of(path: &'d str) -> Option<Self> {
        match path {
            "streamId" => Some(RawKey::StreamId),
            "type" => Some(RawKey::Type),
            path => data_path(path).map(RawKey::Data),
        }
    }

    /// The key of `event`'s document as stored: `Ok(None)` when the event has no value there (it
    /// is skipped), `Err` when the key is a string written with escapes, which only the parsed
    /// path decodes.
    pub(super) fn find<'s>(
        &self,
        stream_id: &'s str,
        event_type: &'s str,
        data_json: &'s str,
    ) -> Result<Option<&'s str>, ()> {
        match self {
            RawKey::StreamId => Ok(Some(stream_id)),
            RawKey::Type => Ok(Some(event_type)),
            RawKey::Data(segments) => match json_path::find(data_json, segments) {
                None | Some("null") => Ok(None),
                Some(value) => json_path::key_text(value).map(Some).ok_or(()),
            },
        }
    }
}

/// The segments of a `data.…` path.
fn data_path(path: &str) -> Option<Vec<&str>> {
    path.strip_prefix("data.").map(|rest| rest.split('.').collect())
}

/// A `countByKey` (no `sum`) or `sumByKey` template that can run on stored text.
pub(super) struct RawTemplate<'d> {
    key: RawKey<'d>,
    sum: Option<Vec<&'d str>>,
}

impl<'d> RawTemplate<'d> {
    /// `None` when the projection is not such a template or reads something outside `data`.
    pub(super) fn of(definition: &'d Projection) -> Option<Self> {
        let key = RawKey::of(&definition.key)?;
        let sum = match &definition.logic {
            ProjectionLogic::Template(Template::CountByKey) => None,
            ProjectionLogic::Template(Template::SumByKey { field }) => Some(data_path(field)?),
            _ => return None,
        };
        Some(RawTemplate { key, sum })
    }
}
