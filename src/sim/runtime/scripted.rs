//! Scripted projections over a chunk of stored events. Each document the chunk touches is kept
//! as a Rhai value from its first event to the end of the chunk, and each event is handed to its
//! handler built straight from the stored record, so an event costs the handler call rather than
//! a JSON round trip of its document and an owned copy of the event. The key comes from the
//! stored text, as a template's does. The documents end as `Runner::apply` would leave them event
//! by event: a result is kept as it is only when converting it to JSON and back would not change
//! it ([`value::is_plain`]); anything else takes the JSON path, which also reports what cannot be
//! stored, and a limit error without a line is replayed there to locate it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;

use rhai::{Dynamic, ImmutableString};
use serde_json::Value;

use super::templates::{Fnv, RawKey};
use crate::model::Projection;
use crate::script::{value, Sandbox, ScriptErrorKind, ScriptId};
use crate::sim::envelope::{self, Envelope};
use crate::sim::error::Result;
use crate::sim::projection::{document_key, Documents, Runner};
use crate::store::RawEvent;

/// A scripted projection's documents while one chunk runs; see the module's documentation.
pub(super) struct Scripted<'d, 's> {
    definition: &'d Projection,
    script: ScriptId,
    key: RawKey<'d>,
    /// The last event type seen, as scripts get it, and its handler if the script defines one.
    handler: Option<(&'s str, ImmutableString, Option<Rc<str>>)>,
    held: HashMap<Cow<'s, str>, Dynamic, BuildHasherDefault<Fnv>>,
}

impl<'d, 's> Scripted<'d, 's> {
    /// For `runner`'s projection; `None` when it is not a script or keys its documents by
    /// something other than the stream id, the type or a `data` path.
    pub(super) fn of(runner: &Runner<'d>) -> Option<Self> {
        let definition = runner.projection();
        Some(Scripted {
            definition,
            script: runner.script()?,
            key: RawKey::of(&definition.key)?,
            handler: None,
            held: HashMap::default(),
        })
    }

    /// Applies one stored event at its type's current version (the caller upcasts the others
    /// through the parsed path, after [`Scripted::write_back`]).
    pub(super) fn apply(
        &mut self,
        sandbox: &mut Sandbox,
        documents: &mut Documents,
        event: &RawEvent<'s>,
    ) -> Result<()> {
        // A payload whose sealed fields were revealed is owned: its key takes the parsed path.
        let found = match &event.data_json {
            Cow::Borrowed(data_json) => self.key.find(event.stream_id, event.event_type, data_json),
            Cow::Owned(_) => Err(()),
        };
        let key = match found {
            Ok(Some(key)) => Cow::Borrowed(key),
            Ok(None) => return Ok(()),
            Err(()) => match document_key(self.definition, &Envelope::from_raw(event)) {
                Some(key) => Cow::Owned(key),
                None => return Ok(()),
            },
        };
        let (event_type, Some(handler)) = self.handler(sandbox, event.event_type) else {
            return Ok(());
        };
        let held = match self.held.get(&key) {
            Some(document) => Some(document.clone()),
            None => documents.get(&*key).map_or(Ok(Dynamic::UNIT), value::to_dynamic).ok(),
        };
        let arguments = held.zip(event_dynamic(event, event_type));
        let result = match arguments {
            Some((document, event)) => match sandbox.call_values(self.script, &handler, [document, event]) {
                Ok(result) if value::is_plain(&result) => Some(result),
                Ok(result) => value::to_json(result)
                    .ok()
                    .and_then(|json| value::to_dynamic(&json).ok()),
                Err(error) if error.kind == ScriptErrorKind::Limit && error.line.is_none() => None,
                Err(error) => return Err(error.into()),
            },
            None => None,
        };
        let result = match result {
            Some(result) => Some(result),
            None => self.apply_parsed(sandbox, documents, &key, &handler, event)?,
        };
        if let Some(result) = result {
            self.held.insert(key, result);
        }
        Ok(())
    }

    /// The JSON path for one event (`Runner::apply`'s), with the held document; `None` when its
    /// result was written to the documents directly.
    fn apply_parsed(
        &mut self,
        sandbox: &mut Sandbox,
        documents: &mut Documents,
        key: &str,
        handler: &str,
        event: &RawEvent<'s>,
    ) -> Result<Option<Dynamic>> {
        let document = match self.held.get(key) {
            Some(document) => value::to_json(document.clone()).unwrap_or(Value::Null),
            None => documents.get(key).cloned().unwrap_or(Value::Null),
        };
        let result = sandbox.call(self.script, handler, &[document, Envelope::from_raw(event).to_value()])?;
        if let Ok(result) = value::to_dynamic(&result) {
            return Ok(Some(result));
        }
        self.held.remove(key);
        documents.insert(key.to_owned(), result);
        Ok(None)
    }

    /// The handler for events of `event_type`, if the script defines one, and the type as
    /// scripts get it (one string for a run of events of a type).
    fn handler(&mut self, sandbox: &Sandbox, event_type: &'s str) -> (ImmutableString, Option<Rc<str>>) {
        match &self.handler {
            Some((seen, name, handler)) if *seen == event_type => (name.clone(), handler.clone()),
            _ => {
                let name = format!("on_{}", event_type.trim_start_matches('$'));
                let handler = sandbox.has_function(self.script, &name, 2).then(|| Rc::from(name));
                let name = ImmutableString::from(event_type);
                self.handler = Some((event_type, name.clone(), handler.clone()));
                (name, handler)
            }
        }
    }

    /// Writes every held document back (a `()` result deletes it) and starts over empty.
    pub(super) fn write_back(&mut self, documents: &mut Documents) {
        for (key, document) in self.held.drain() {
            match value::to_json(document) {
                Ok(Value::Null) => {
                    documents.remove(&*key);
                }
                Ok(json) => {
                    documents.insert(key.into_owned(), json);
                }
                // Held documents are plain data (checked as each was kept), so this cannot happen.
                Err(_) => {}
            }
        }
    }
}

/// What the handler gets: the event as scripts see it, built from the stored record; `None`
/// when the payload holds something a script cannot (the JSON path then names it).
fn event_dynamic(event: &RawEvent<'_>, event_type: ImmutableString) -> Option<Dynamic> {
    let data = value::parse_dynamic(&event.data_json).ok()?;
    Some(envelope::dynamic(
        event_type,
        data,
        event.stream_id,
        event.revision,
        event.position,
        event.schema_version,
    ))
}
