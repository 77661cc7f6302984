//! Copy-and-transform migrations, beside upcasting on read. Upcasting on read leaves history as
//! it is and runs the upcasters every time an old event is read; a copy-and-transform migration
//! runs them once, copying each stream of a stream type into a new category (`cart-7` into
//! `cart_v2-7`) with its events at their current versions, then cuts over:
//!
//! 1. **copy**: in the steps, like an async projection, from a checkpoint; events appended to the
//!    old streams meanwhile are copied too. Each copy keeps its original's correlation and
//!    causation ids and names it in a `migratedFrom` header (its position). Projections and
//!    policies read one of the two, never both: the originals until the switch, the copies after
//!    it (a rebuild after the switch reads the copies, at their current versions);
//! 2. **dual reads**: every old stream is folded as it reads (upcast) and beside it its copy (no
//!    upcaster), and the states compared, before anything switches;
//! 3. **switch**: the copy, the projections and the policies catch up; the stream type's pattern
//!    moves to the new category, commands to old ids go to the new streams, and projections (and
//!    the scenario's specs) naming the old category or its streams name the new ones;
//! 4. **archive**: the old streams move to the archived partition, where reads still reach them.
//!
//! Streams archived before the copy stay where they are: reads of `$all` skip them, so the copy
//! does too, and so does the dual read.
//!
//! What each costs is counted as it goes: the upcaster steps the copy ran once (a full read of
//! the old streams runs as many, every time), and the events and bytes written.

use serde::{Deserialize, Serialize};

use super::Runtime;
use crate::model::Source as ProjectionSource;
use crate::sim::decider::read_history;
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::sim::upcast::upcast;
use crate::store::{category_of, DeleteMode, Direction, ExpectedRevision, NewEvent, Source};

/// The header naming the position of the event a copy was made from.
pub const MIGRATED_FROM: &str = "migratedFrom";

/// How many differing streams a dual read names.
const DIFFERING_NAMED: usize = 5;

/// A copy-and-transform migration of one stream type, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Migration {
    /// The stream type migrated.
    pub stream_type: String,
    /// Its category before.
    pub from: String,
    /// The category its streams are copied into.
    pub to: String,
    /// The position of the next event the copy reads.
    pub checkpoint: u64,
    /// Events of the old streams read.
    pub read: u64,
    /// Events written to the new streams.
    pub written: u64,
    /// Bytes of data written to the new streams.
    pub bytes: u64,
    /// Upcaster steps the copy ran (once): what every full read of the old streams runs when
    /// they are upcast on read.
    pub upcast_steps: u64,
    /// The last dual read, if one ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dual_read: Option<DualRead>,
    /// The position of the switch: before it, every event in the new category is a copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switched_at: Option<u64>,
    /// Old streams moved to the archived partition.
    #[serde(default)]
    pub archived: u64,
    /// Why the copy stopped, if it did (an upcaster failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Old streams folded as they read and their copies folded beside them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DualRead {
    /// Streams compared.
    pub streams: u64,
    /// How many fold to a different state (or could not be folded).
    pub differing: u64,
    /// The first of them.
    pub named: Vec<String>,
    /// The copy's checkpoint when it ran: streams appended to since are compared again next time.
    pub at: u64,
}

impl Migration {
    /// The new id of a stream of the old category.
    pub fn new_id(&self, stream_id: &str) -> Option<String> {
        (category_of(stream_id) == self.from && stream_id.contains('-'))
            .then(|| format!("{}{}", self.to, &stream_id[self.from.len()..]))
    }

    /// The events readers of the store skip because of it: the copies until the switch; after
    /// it the originals (every reader has read them by then, and whoever reads from the start
    /// reads the copies).
    pub(crate) fn duplicates(&self) -> Duplicates {
        match self.switched_at {
            None => Duplicates {
                category: self.to.clone(),
                before: None,
            },
            Some(at) => Duplicates {
                category: self.from.clone(),
                before: Some(at),
            },
        }
    }
}

/// Events of one category (below a position, if given) that readers skip: one side of a
/// migration, the other side holding the same events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicates {
    category: String,
    before: Option<u64>,
}

impl Duplicates {
    /// Whether the event at `position` of `stream_id` is skipped.
    pub(crate) fn skip(&self, stream_id: &str, position: u64) -> bool {
        self.before.is_none_or(|at| position < at) && category_of(stream_id) == self.category
    }
}

impl Runtime {
    /// Starts copying the streams of `stream_type` into the category `to`, each event transformed
    /// to its current version; the copy runs in [`Runtime::step`].
    pub fn start_migration(&mut self, stream_type: &str, to: &str) -> Result<&Migration> {
        let refuse = |message: String| Error::BadResult {
            owner: format!("the migration of {stream_type}"),
            message,
        };
        if self.migration.as_ref().is_some_and(|m| m.archived == 0) {
            return Err(refuse(
                "a migration is under way: archive its old streams or cancel it first".to_owned(),
            ));
        }
        let from = self
            .model
            .stream_type(stream_type)
            .ok_or_else(|| Error::Unknown {
                what: "stream type",
                name: stream_type.to_owned(),
            })?
            .category()
            .to_owned();
        let valid = !to.is_empty() && to.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(refuse(format!(
                "\"{to}\" cannot be a category: use letters, digits and _ (a - would end it)"
            )));
        }
        let taken =
            self.model.stream_types.iter().any(|t| t.category() == to) || self.store.category_names().any(|c| c == to);
        if to == from || taken {
            return Err(refuse(format!("the category {to} is in use: copy into a new one")));
        }
        self.migration = Some(Migration {
            stream_type: stream_type.to_owned(),
            from,
            to: to.to_owned(),
            checkpoint: 0,
            read: 0,
            written: 0,
            bytes: 0,
            upcast_steps: 0,
            dual_read: None,
            switched_at: None,
            archived: 0,
            error: None,
        });
        Ok(self.migration.as_ref().expect("just set"))
    }

    /// The migration, if one was started.
    pub fn migration(&self) -> Option<&Migration> {
        self.migration.as_ref()
    }

    /// Drops a migration that has not switched, with the copies it made (the new streams are
    /// deleted).
    pub fn cancel_migration(&mut self) -> Result<()> {
        let Some(migration) = self.migration.take_if(|m| m.switched_at.is_none()) else {
            return Err(Error::BadResult {
                owner: "the migration".to_owned(),
                message: "there is no migration before its switch to cancel".to_owned(),
            });
        };
        let copies: Vec<String> = self
            .store
            .category_streams(&migration.to, "")
            .map(|(id, _)| id.to_owned())
            .collect();
        for id in copies {
            self.store.delete_stream(&id, ExpectedRevision::Any, DeleteMode::Soft)?;
        }
        self.note_stale();
        Ok(())
    }

    /// Copies up to `max_events` events from the checkpoint (never past a transaction in flight).
    pub(crate) fn advance_migration(&mut self, max_events: usize) -> u64 {
        let end = self.high_water_mark();
        let Some(migration) = self
            .migration
            .as_ref()
            .filter(|m| m.switched_at.is_none() && m.error.is_none())
        else {
            return 0;
        };
        let start = migration.checkpoint;
        if start >= end || max_events == 0 {
            return 0;
        }
        let from = migration.from.clone();
        let mut originals = Vec::new();
        let mut last = None;
        let _ = self
            .store
            .read_raw(Source::All, start, max_events, Direction::Forwards, |raw| {
                if raw.position >= end {
                    return;
                }
                last = Some(raw.position);
                if category_of(raw.stream_id) == from && raw.stream_id.contains('-') {
                    let ids = (
                        raw.correlation_id.map(str::to_owned),
                        raw.causation_id.map(str::to_owned),
                    );
                    originals.push((Envelope::from_raw(&raw), ids));
                }
            });
        let checkpoint = last.map_or(end, |p| p + 1);
        for (original, (correlation, causation)) in originals {
            if let Err(error) = self.copy(&original, correlation, causation) {
                if let Some(migration) = self.migration.as_mut() {
                    migration.error = Some(format!("at position {}: {error}", original.position));
                    migration.checkpoint = original.position;
                }
                return original.position - start;
            }
        }
        if let Some(migration) = self.migration.as_mut() {
            migration.checkpoint = checkpoint;
        }
        checkpoint - start
    }

    /// Writes the copy of one event, transformed to the current versions.
    fn copy(&mut self, original: &Envelope, correlation: Option<String>, causation: Option<String>) -> Result<()> {
        let Some(stream_id) = self.migration.as_ref().and_then(|m| m.new_id(&original.stream_id)) else {
            return Ok(());
        };
        let steps = self.model.event_type(&original.event_type).map_or(0, |t| {
            u64::from(t.current_version().saturating_sub(original.schema_version))
        });
        let current = upcast(&self.model, &mut self.sandbox, original.clone())?;
        let mut events = Vec::with_capacity(current.len());
        let mut bytes = 0;
        for event in current {
            // Sealed personal fields stay sealed in the copy.
            let data = self
                .sealed(&original.stream_id, &event.event_type, &event.data)
                .unwrap_or(event.data);
            bytes += data.to_string().len() as u64;
            let mut copy = NewEvent::new(event.event_type, data)
                .with_schema_version(event.schema_version)
                .with_header(MIGRATED_FROM, original.position.to_string());
            if let Some(id) = &correlation {
                copy = copy.with_correlation_id(id.clone());
            }
            if let Some(id) = &causation {
                copy = copy.with_causation_id(id.clone());
            }
            events.push(copy);
        }
        let written = events.len() as u64;
        self.store.append(&stream_id, ExpectedRevision::Any, events)?;
        self.note(&[&stream_id]);
        if let Some(migration) = self.migration.as_mut() {
            migration.read += 1;
            migration.written += written;
            migration.bytes += bytes;
            migration.upcast_steps += steps;
        }
        Ok(())
    }

    /// Folds every old stream as it reads and its copy beside it, and compares the states.
    pub fn dual_read(&mut self) -> Result<DualRead> {
        let migration = self.migration.as_ref().ok_or_else(no_migration)?;
        let old: Vec<String> = self
            .store
            .category_streams(&migration.from, "")
            .filter(|(_, stats)| stats.events > 0 && !stats.archived)
            .map(|(id, _)| id.to_owned())
            .collect();
        let mut read = DualRead {
            streams: 0,
            differing: 0,
            named: Vec::new(),
            at: migration.checkpoint,
        };
        let pairs: Vec<(String, String)> = old
            .into_iter()
            .filter_map(|id| migration.new_id(&id).map(|new| (id, new)))
            .collect();
        // The copies fold with the old stream type until the switch moves its pattern.
        for (old, new) in pairs {
            read.streams += 1;
            let same = self
                .fold_as(&old, &old)
                .ok()
                .zip(self.fold_as(&new, &old).ok())
                .is_some_and(|(a, b)| a == b);
            if !same {
                read.differing += 1;
                if read.named.len() < DIFFERING_NAMED {
                    read.named.push(old);
                }
            }
        }
        if let Some(migration) = self.migration.as_mut() {
            migration.dual_read = Some(read.clone());
        }
        Ok(read)
    }

    /// The state `stream_id` folds to, with the stream type of `typed_as`.
    fn fold_as(&mut self, stream_id: &str, typed_as: &str) -> Result<serde_json::Value> {
        let (history, _) = read_history(&self.store, stream_id)?;
        self.folded_as(typed_as, &history)
    }

    /// Copies what is left and cuts over: the stream type's pattern moves to the new category,
    /// commands to old ids go to the new streams, and projections reading the old category read
    /// the new one too. Refused while a transaction is in flight or the copy stopped.
    pub fn switch_migration(&mut self) -> Result<u64> {
        // Everyone that reads the originals reads them to the end before the copies take over.
        self.run_until_idle();
        while self.advance_migration(10_000) > 0 {}
        let head = self.head();
        let migration = self.migration.clone().ok_or_else(no_migration)?;
        let refuse = |message: &str| Error::BadResult {
            owner: format!("the migration of {}", migration.stream_type),
            message: message.to_owned(),
        };
        if migration.switched_at.is_some() {
            return Err(refuse("it has switched already"));
        }
        if let Some(error) = &migration.error {
            return Err(refuse(&format!(
                "its copy stopped {error}: cancel it, fix the upcaster and start again"
            )));
        }
        if migration.checkpoint < head {
            return Err(refuse(
                "a transaction is in flight: commit it first, so that nothing is left behind",
            ));
        }
        if self
            .projections
            .iter()
            .any(|p| p.checkpoint < head && p.poison.is_none())
        {
            return Err(refuse(
                "a projection has not caught up (it waits at a gap, or rebuilds): let it, then switch",
            ));
        }
        if let Some(stream_type) = self
            .model
            .stream_types
            .iter_mut()
            .find(|t| t.name == migration.stream_type)
        {
            if let Some(pattern) = migration.new_id(&stream_type.stream_id_pattern) {
                stream_type.stream_id_pattern = pattern;
            }
        }
        // What projections read moves with the streams; their documents and checkpoints stay.
        for (definition, live) in self.model.projections.iter_mut().zip(&mut self.projections) {
            match &mut definition.source {
                ProjectionSource::Categories(names) => {
                    for name in names.iter_mut().filter(|n| **n == migration.from) {
                        name.clone_from(&migration.to);
                    }
                }
                ProjectionSource::Streams(ids) => {
                    for id in ids.iter_mut() {
                        if let Some(new) = migration.new_id(id) {
                            *id = new;
                        }
                    }
                }
                ProjectionSource::All | ProjectionSource::EventTypes(_) => {}
            }
            live.definition.source = definition.source.clone();
        }
        self.folds.clear();
        self.note_stale();
        if let Some(migration) = self.migration.as_mut() {
            migration.switched_at = Some(head);
        }
        Ok(head)
    }

    /// Moves the old streams of a switched migration to the archived partition; answers how many.
    pub fn archive_migrated(&mut self) -> Result<u64> {
        let migration = self.migration.as_ref().ok_or_else(no_migration)?;
        if migration.switched_at.is_none() {
            return Err(Error::BadResult {
                owner: format!("the migration of {}", migration.stream_type),
                message: "the old streams are still the ones read and written: switch first".to_owned(),
            });
        }
        let old: Vec<String> = self
            .store
            .category_streams(&migration.from, "")
            .filter(|(_, stats)| !stats.archived)
            .map(|(id, _)| id.to_owned())
            .collect();
        for id in &old {
            self.store.archive_stream(id)?;
        }
        let archived = old.len() as u64;
        if let Some(migration) = self.migration.as_mut() {
            migration.archived += archived;
        }
        self.note_stale();
        Ok(archived)
    }

    /// Where a command to `stream_id` goes once a migration switched: an old id's new stream.
    pub(super) fn migrated(&self, stream_id: &str) -> Option<String> {
        self.migration
            .as_ref()
            .filter(|m| m.switched_at.is_some())
            .and_then(|m| m.new_id(stream_id))
    }
}

fn no_migration() -> Error {
    Error::BadResult {
        owner: "the migration".to_owned(),
        message: "no migration was started".to_owned(),
    }
}
