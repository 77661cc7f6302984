//! Inline projections: run on the events a command decided before they are appended, so a
//! failing handler rejects the append; their documents change only once the append landed.

use std::collections::BTreeMap;

use serde_json::Value;

use super::projections::reader;
use super::Runtime;
use crate::model::Lifecycle;
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::sim::projection::{Next, Runner};

/// Inline projections' documents as they will be once a pending append lands: only the
/// documents the new events touch, `None` for a deleted one.
pub(crate) type Staged = Vec<(usize, BTreeMap<String, Option<Value>>)>;

impl Runtime {
    /// Runs every inline projection that is not stopped over `pending` events (first catching up
    /// with the store), without changing its documents; an error rejects the append.
    pub(crate) fn stage_inline(&mut self, pending: &[Envelope]) -> Result<Staged> {
        let mut staged = Vec::new();
        for index in 0..self.projections.len() {
            let live = &self.projections[index];
            if live.definition.lifecycle != Lifecycle::Inline || live.poison.is_some() {
                continue;
            }
            let reader = reader(&live.definition);
            if let Some(touched) = self.lending(reader, |rt| rt.stage_one(index, pending))? {
                staged.push((index, touched));
            }
        }
        Ok(staged)
    }

    /// One inline projection's staged documents; `None` when catching up stopped it.
    fn stage_one(&mut self, index: usize, pending: &[Envelope]) -> Result<Option<BTreeMap<String, Option<Value>>>> {
        let live = &mut self.projections[index];
        live.catch_up(&self.model, &self.store, &mut self.sandbox);
        if live.poison.is_some() {
            return Ok(None);
        }
        let fail = |error: Error| Error::InlineProjection {
            projection: live.definition.name.clone(),
            error: Box::new(error),
        };
        let mut runner = Runner::new(&live.definition, &mut self.sandbox).map_err(fail)?;
        let mut touched: BTreeMap<String, Option<Value>> = BTreeMap::new();
        for event in pending {
            let Some(key) = runner.key_of(event) else {
                continue;
            };
            // The document as the events before this one left it, read where it is.
            let current = match touched.get(&key) {
                Some(staged) => staged.as_ref(),
                None => live.documents.get(&key),
            };
            match runner.next(&mut self.sandbox, current, event).map_err(fail)? {
                Next::Unchanged => {}
                Next::Set(document) => {
                    touched.insert(key, Some(document));
                }
                Next::Removed => {
                    touched.insert(key, None);
                }
            }
        }
        Ok(Some(touched))
    }

    /// Writes staged documents once the append landed, and moves those projections past it.
    pub(crate) fn apply_staged(&mut self, staged: Staged, checkpoint: u64) {
        for (index, touched) in staged {
            let live = &mut self.projections[index];
            for (key, document) in touched {
                match document {
                    Some(document) => live.documents.insert(key, document),
                    None => live.documents.remove(&key),
                };
            }
            live.checkpoint = checkpoint;
        }
    }
}
