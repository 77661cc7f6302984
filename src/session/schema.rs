//! What the schema lab reads and does: an event type's stored versions (how many events each,
//! and whether the model can still read them), old events beside what reads see of them, and a
//! new version added together with its upcaster as one change.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Workspace;
use crate::model::edit;
use crate::model::Problem;
use crate::store::{Direction, Source};

/// An event type's stored events at one schema version.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredVersion {
    /// The version.
    pub version: u32,
    /// How many events are stored at it.
    pub events: u64,
    /// Why the model cannot read them at the current version, if it cannot.
    pub unreadable: Option<String>,
}

/// A stored event and what reads see of it.
#[derive(Debug, Clone, PartialEq)]
pub struct UpcastView {
    /// As stored.
    pub stored: crate::sim::Envelope,
    /// As read: upcast to the current version (maybe several events), or the upcaster's error.
    pub read: Result<Vec<crate::sim::Envelope>, String>,
}

impl Workspace {
    /// How many stored events an event type has at each schema version, and for a version the
    /// model cannot read up to the current one, why (no upcaster on the way, a version too new).
    pub fn stored_versions(&self, event_type: &str) -> Vec<StoredVersion> {
        let mut counts: BTreeMap<u32, u64> = BTreeMap::new();
        let _ = self.services.main.store().read_raw(
            Source::EventType(event_type),
            0,
            usize::MAX,
            Direction::Forwards,
            |event| *counts.entry(event.schema_version).or_default() += 1,
        );
        counts
            .into_iter()
            .map(|(version, events)| StoredVersion {
                version,
                events,
                unreadable: crate::model::missing_path(&self.scenario.model, event_type, version),
            })
            .collect()
    }

    /// Up to `max` stored events of a type below its current version, each as stored and as every
    /// read sees it (upcast, maybe split), or why it cannot be upcast.
    pub fn upcast_views(&mut self, event_type: &str, max: usize) -> Vec<UpcastView> {
        let current = self.current_version(event_type);
        let mut positions = Vec::new();
        let _ = self.services.main.store().read_raw(
            Source::EventType(event_type),
            0,
            usize::MAX,
            Direction::Forwards,
            |event| {
                if event.schema_version < current && positions.len() < max {
                    positions.push(event.position);
                }
            },
        );
        positions
            .into_iter()
            .filter_map(|position| self.upcast_view(position))
            .collect()
    }

    /// The event at a global position as stored and as every read sees it (upcast, maybe split),
    /// or why it cannot be upcast; `None` when it is stored at its type's current version (or a
    /// newer one), or is not readable.
    pub fn upcast_view(&mut self, position: u64) -> Option<UpcastView> {
        let event = self.event(position)?;
        if event.schema_version >= self.current_version(&event.event_type) {
            return None;
        }
        let view = match self.services.main.event_views(position) {
            Ok((stored, read)) => UpcastView { stored, read: Ok(read) },
            Err(error) => UpcastView {
                stored: crate::sim::Envelope::from_recorded(&event),
                read: Err(error.to_string()),
            },
        };
        Some(view)
    }

    /// The version reads upcast an event type's events to (1 for a type the model lacks).
    fn current_version(&self, event_type: &str) -> u32 {
        self.scenario
            .model
            .event_type(event_type)
            .map_or(1, |t| t.current_version())
    }

    /// Checks adding a schema version to an event type together with the upcaster from the one
    /// before, without applying it: every problem, including stored events it would strand.
    pub fn check_version(&self, event_type: usize, version: Value, upcaster: Value) -> Vec<Problem> {
        match edit::add_version(&self.scenario, event_type, version, upcaster) {
            Ok(edited) => self.recorded_problems(&edited.scenario),
            Err(problems) => problems,
        }
    }

    /// Adds a schema version to an event type together with the upcaster from the one before,
    /// as one change: stored events stay readable throughout. On a problem nothing changes.
    pub fn add_version(&mut self, event_type: usize, version: Value, upcaster: Value) -> Result<(), Vec<Problem>> {
        let edited = edit::add_version(&self.scenario, event_type, version, upcaster)?;
        self.apply(edited).map(drop)
    }
}
