//! Projections at run time: fold events into documents keyed by the projection's key path.
//!
//! Events should already be upcast (see [`super::upcast`]). Events outside the projection's
//! source, and events with no value at the key path, are skipped. Templates run natively;
//! scripts run `on_<EventType>(doc, event)` for the types they define a handler for.

use std::collections::BTreeMap;

use serde_json::{json, Number, Value};

use super::envelope::Envelope;
use super::error::{Error, Result};
use crate::model::{Projection, ProjectionLogic, Source, Template};
use crate::script::{value, Owner, OwnerKind, Sandbox, ScriptErrorKind, ScriptId};
use crate::store::category_of;

/// The documents of a projection, by key.
pub type Documents = BTreeMap<String, Value>;

/// Runs a projection over events from scratch.
pub fn run(projection: &Projection, sandbox: &mut Sandbox, events: &[Envelope]) -> Result<Documents> {
    let mut documents = Documents::new();
    let mut runner = Runner::new(projection, sandbox)?;
    for event in events {
        runner.apply(sandbox, &mut documents, event)?;
    }
    Ok(documents)
}

/// Applies one event to existing documents.
pub fn apply(
    projection: &Projection,
    sandbox: &mut Sandbox,
    documents: &mut Documents,
    event: &Envelope,
) -> Result<()> {
    Runner::new(projection, sandbox)?.apply(sandbox, documents, event)
}

/// Whether an event is in a projection's source.
pub fn reads(source: &Source, event: &Envelope) -> bool {
    reads_from(source, &event.stream_id, &event.event_type)
}

/// Whether an event of `event_type` in `stream_id` is in a projection's source: what [`reads`]
/// decides, available before an event's payload is parsed.
pub(crate) fn reads_from(source: &Source, stream_id: &str, event_type: &str) -> bool {
    match source {
        Source::All => true,
        Source::Categories(list) => list.iter().any(|c| c == category_of(stream_id)),
        Source::EventTypes(list) => list.iter().any(|t| t == event_type),
        Source::Streams(list) => list.iter().any(|s| s == stream_id),
    }
}

/// The id of the document an event goes to: the stream id for `latestPerStream`, otherwise the
/// value at the projection's key path; `None` when the event has no value there (it is skipped).
pub fn document_key(projection: &Projection, event: &Envelope) -> Option<String> {
    match &projection.logic {
        ProjectionLogic::Template(Template::LatestPerStream) => Some(event.stream_id.clone()),
        _ => event.lookup_text(&projection.key),
    }
}

/// A projection ready to apply events: its script compiled once.
pub(crate) struct Runner<'p> {
    projection: &'p Projection,
    script: Option<ScriptId>,
}

impl<'p> Runner<'p> {
    pub(crate) fn new(projection: &'p Projection, sandbox: &mut Sandbox) -> Result<Self> {
        let script = match &projection.logic {
            ProjectionLogic::Script(source) => {
                let owner = Owner {
                    kind: OwnerKind::Projection,
                    name: projection.name.clone(),
                };
                Some(sandbox.compile(&owner, source)?)
            }
            ProjectionLogic::Template(_) => None,
        };
        Ok(Runner { projection, script })
    }

    /// The projection it runs.
    pub(crate) fn projection(&self) -> &'p Projection {
        self.projection
    }

    /// The projection's compiled script, `None` for a template.
    pub(crate) fn script(&self) -> Option<ScriptId> {
        self.script
    }

    pub(crate) fn apply(&mut self, sandbox: &mut Sandbox, documents: &mut Documents, event: &Envelope) -> Result<()> {
        let Some(key) = self.key_of(event) else {
            return Ok(());
        };
        match self.next(sandbox, documents.get(&key), event)? {
            Next::Unchanged => {}
            Next::Set(document) => {
                documents.insert(key, document);
            }
            Next::Removed => {
                documents.remove(&key);
            }
        }
        Ok(())
    }

    /// The id of the document `event` goes to; `None` when the projection does not read it or the
    /// event has no value at the key path.
    pub(crate) fn key_of(&self, event: &Envelope) -> Option<String> {
        reads(&self.projection.source, event)
            .then(|| document_key(self.projection, event))
            .flatten()
    }

    /// What `event` makes of `current`, the document at its key ([`Runner::key_of`]); the
    /// document is read, not copied.
    pub(crate) fn next(&mut self, sandbox: &mut Sandbox, current: Option<&Value>, event: &Envelope) -> Result<Next> {
        Ok(match (&self.projection.logic, self.script) {
            (ProjectionLogic::Template(Template::LatestPerStream), _) => Next::Set(
                json!({ "type": event.event_type, "data": event.data, "revision": event.revision, "position": event.position }),
            ),
            (ProjectionLogic::Template(Template::CountByKey), _) => Next::Set(counted_on(current)),
            (ProjectionLogic::Template(Template::SumByKey { field }), _) => match event.lookup(field) {
                Some(Value::Number(amount)) => Next::Set(json!({ "sum": add(&summed(current), &amount) })),
                _ => Next::Unchanged,
            },
            (ProjectionLogic::Script(_), Some(script)) => {
                let handler = format!("on_{}", event.event_type.trim_start_matches('$'));
                if !sandbox.has_function(script, &handler, 2) {
                    return Ok(Next::Unchanged);
                }
                match call_handler(sandbox, script, &handler, current.unwrap_or(&Value::Null), event)? {
                    Value::Null => Next::Removed,
                    updated => Next::Set(updated),
                }
            }
            _ => {
                return Err(Error::BadResult {
                    owner: format!("projection {}", self.projection.name),
                    message: "the script was not compiled".to_owned(),
                })
            }
        })
    }
}

/// What one event does to a document.
pub(crate) enum Next {
    /// Nothing (a handler for another type, a sum without an amount).
    Unchanged,
    /// The document becomes this.
    Set(Value),
    /// The document is removed (a handler returned `()`).
    Removed,
}

/// Calls a handler with the document and the event built as Rhai values directly; when that
/// fails in a way only the JSON path reports well (a limit without its line, a value that cannot
/// cross), the call is made again that way.
fn call_handler(
    sandbox: &mut Sandbox,
    script: ScriptId,
    handler: &str,
    document: &Value,
    event: &Envelope,
) -> Result<Value> {
    let fast = match (value::to_dynamic(document), event.to_dynamic()) {
        (Ok(document), Ok(event)) => match sandbox.call_values(script, handler, [document, event]) {
            Ok(result) => value::to_json(result).ok(),
            Err(error) if error.kind == ScriptErrorKind::Limit && error.line.is_none() => None,
            Err(error) => return Err(error.into()),
        },
        _ => None,
    };
    match fast {
        Some(result) => Ok(result),
        None => Ok(sandbox.call(script, handler, &[document.clone(), event.to_value()])?),
    }
}

/// The `countByKey` template: `current` with one more in its `count` (other fields kept).
fn counted_on(current: Option<&Value>) -> Value {
    let n = counted(current).saturating_add(1);
    match current {
        Some(Value::Object(document)) => {
            let mut document = document.clone();
            document.insert("count".to_owned(), Value::from(n));
            Value::Object(document)
        }
        _ => json!({ "count": n }),
    }
}

/// The `count` a `countByKey` document holds so far (0 for none, or not a number).
pub(crate) fn counted(document: Option<&Value>) -> i64 {
    document
        .and_then(|d| d.get("count"))
        .map_or(0, |c| c.as_i64().unwrap_or(0))
}

/// The `sum` a `sumByKey` document holds so far (0 for none).
pub(crate) fn summed(document: Option<&Value>) -> Value {
    document.and_then(|d| d.get("sum")).cloned().unwrap_or(json!(0))
}

/// Adds two numbers, staying an integer while both are and the sum fits.
pub(crate) fn add(previous: &Value, amount: &Number) -> Value {
    if let (Some(a), Some(b)) = (previous.as_i64(), amount.as_i64()) {
        if let Some(sum) = a.checked_add(b) {
            return Value::from(sum);
        }
    }
    let sum = previous.as_f64().unwrap_or(0.0) + amount.as_f64().unwrap_or(0.0);
    Number::from_f64(sum).map_or(Value::Null, Value::Number)
}
