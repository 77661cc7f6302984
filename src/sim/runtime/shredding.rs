//! Crypto-shredding in the runtime: a stream type whose retention is crypto-shredding has the
//! personal fields (`pii`) of its events sealed with their data subject's key as they are
//! appended (inline projections see them plain, in the same step); reads reveal them while the
//! key lives (see the store's `vault.rs`). Forgetting a subject drops its key and the states
//! folded from its events.

use serde_json::Value;

use super::Runtime;
use crate::model::RetentionStrategy;
use crate::store::Forgotten;

impl Runtime {
    /// The payload to store for an event of `event_type` on `stream_id`: `data` with its personal
    /// fields sealed when the stream's type crypto-shreds, `data` itself otherwise. The subject is
    /// the value of the retention's subject field, or the stream when the event has none.
    pub(super) fn sealed(&mut self, stream_id: &str, event_type: &str, data: &Value) -> Option<Value> {
        let retention = self.model.stream_type_of(stream_id)?.retention.as_ref()?;
        if retention.strategy != RetentionStrategy::CryptoShredding {
            return None;
        }
        let personal: Vec<String> = self
            .model
            .event_type(event_type)?
            .current()?
            .fields
            .iter()
            .filter(|f| f.pii && data.get(&f.name).is_some_and(|v| !v.is_null()))
            .map(|f| f.name.clone())
            .collect();
        if personal.is_empty() {
            return None;
        }
        let subject = match retention.subject.as_deref().and_then(|field| data.get(field)) {
            Some(Value::String(subject)) => subject.clone(),
            Some(Value::Number(subject)) => subject.to_string(),
            _ => stream_id.to_owned(),
        };
        let mut sealed = data.clone();
        if let Value::Object(fields) = &mut sealed {
            for name in personal {
                if let Some(value) = fields.get_mut(&name) {
                    *value = self.store.seal(&subject, value);
                }
            }
        }
        Some(sealed)
    }

    /// Forgets a data subject: its keys are dropped, so every sealed copy of its fields reads as
    /// shredded, and the states folded from its events are let go. Read models keep what they
    /// were built with until they are built again (the answer lists the values to look for).
    pub fn forget_subject(&mut self, subject: &str) -> Option<Forgotten> {
        let forgotten = self.store.forget_subject(subject)?;
        self.folds.clear();
        self.note_stale();
        Some(forgotten)
    }
}
