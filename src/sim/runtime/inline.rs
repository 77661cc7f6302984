//! Inline projections: run on the events a command decided before they are appended, so a
//! failing handler rejects the append; their documents change only once the append landed.
//!
//! Inline means the append and the read model move together, so an inline projection stopped at
//! a poison event refuses the appends it would read until it is fixed or the event skipped. One
//! that is behind the store (redeployed, rebuilding) is not caught up within a command, which
//! would hold the command for as long as the catching up takes: it follows in
//! [`Runtime::step`] like an async one, and is inline again once it reaches the head.

use std::collections::BTreeMap;

use serde_json::Value;

use super::projections::reader;
use super::Runtime;
use crate::model::Lifecycle;
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::sim::projection::{reads, Next, Runner};

/// Inline projections' documents as they will be once a pending append lands: only the
/// documents the new events touch, `None` for a deleted one; and how many of the events each
/// reads.
pub(crate) type Staged = Vec<(usize, BTreeMap<String, Option<Value>>, u64)>;

impl Runtime {
    /// Runs every inline projection that is at the head of the store over `pending` events,
    /// without changing its documents; an error rejects the append, and so does a stopped inline
    /// projection that reads any of them.
    pub(crate) fn stage_inline(&mut self, pending: &[Envelope]) -> Result<Staged> {
        let head = self.head();
        let mut staged = Vec::new();
        for index in 0..self.projections.len() {
            let live = &self.projections[index];
            if live.definition.lifecycle != Lifecycle::Inline {
                continue;
            }
            if let Some(poison) = &live.poison {
                if pending.iter().any(|event| reads(&live.definition.source, event)) {
                    return Err(Error::InlineProjectionStopped {
                        projection: live.definition.name.clone(),
                        position: poison.position,
                        error: poison.error.clone(),
                    });
                }
                continue;
            }
            // A rebuilding one is left to its rebuild, unless the guards are off: then it is
            // written now and read again by the rebuild.
            if live.checkpoint < head && live.rebuild.is_none_or(|r| r.guarded) {
                continue;
            }
            let read = pending
                .iter()
                .filter(|event| reads(&live.definition.source, event))
                .count() as u64;
            let reader = reader(&live.definition);
            staged.push((index, self.lending(reader, |rt| rt.stage_one(index, pending))?, read));
        }
        Ok(staged)
    }

    /// One inline projection's documents as `pending` will leave them.
    fn stage_one(&mut self, index: usize, pending: &[Envelope]) -> Result<BTreeMap<String, Option<Value>>> {
        let live = &self.projections[index];
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
        Ok(touched)
    }

    /// Writes staged documents once the append landed, and moves those projections past it.
    pub(crate) fn apply_staged(&mut self, staged: Staged, checkpoint: u64) {
        for (index, touched, read) in staged {
            let live = &mut self.projections[index];
            for (key, document) in touched {
                match document {
                    Some(document) => live.documents.insert(key, document),
                    None => live.documents.remove(&key),
                };
            }
            match live.rebuild.as_mut() {
                Some(progress) => progress.inline_twice += read,
                None => live.checkpoint = checkpoint,
            }
        }
    }
}
