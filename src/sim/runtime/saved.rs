//! Read models as a save holds them: each projection's documents and checkpoint, where it
//! stopped and what it skipped, an in-place rebuild's progress and the blue-green builds in
//! progress; and each policy's checkpoint with what it did. A workspace opened from a save goes
//! on from there instead of replaying the store.
//!
//! What was saved is a cache of what the events give: a part that no longer fits (saved at
//! another head, for another definition, a checkpoint past the head) is left out, and that
//! projection replays from position 0, so a hand-edited file can cost time but never data.
//!
//! A policy's checkpoint is no cache: reacting again sends commands again. A policy that is not
//! in the save (an older file, a save at another head) starts at the store's head, as
//! [`Runtime::with_store`] starts it: events that were there when the file was saved are taken as
//! reacted to, at the cost of those an async policy had not reached yet.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::policies::Progress;
use super::projections::{Crash, Live, Poison, Skipped};
use super::rebuild::RebuildProgress;
use super::Runtime;
use crate::model::Projection;
use crate::sim::projection::Documents;

/// The read models of a runtime at one head of its store.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Saved<'a> {
    /// The store's head when they were saved; at any other they are not used.
    head: u64,
    projections: Vec<SavedLive<'a>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    blue_green: Vec<SavedCandidate<'a>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    policies: Vec<SavedPolicy<'a>>,
    /// A copy-and-transform migration and where its copy is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    migration: Option<Cow<'a, super::Migration>>,
}

/// A policy by name, with its checkpoint and what it did.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SavedPolicy<'a> {
    name: Cow<'a, str>,
    #[serde(flatten)]
    progress: Cow<'a, Progress>,
}

/// Read by hand, not with `#[serde(flatten)]`, whose buffering costs bundle bytes.
impl<'de> Deserialize<'de> for SavedPolicy<'_> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields: serde_json::Map<String, Value> = Deserialize::deserialize(deserializer)?;
        let Some(Value::String(name)) = fields.remove("name") else {
            return Err(serde::de::Error::missing_field("name"));
        };
        let progress = Progress::deserialize(Value::Object(fields)).map_err(serde::de::Error::custom)?;
        Ok(SavedPolicy {
            name: Cow::Owned(name),
            progress: Cow::Owned(progress),
        })
    }
}

impl SavedPolicy<'_> {
    /// Whether everything in it lies within a store of `head` events.
    fn fits(&self, head: u64) -> bool {
        let progress = &self.progress;
        progress.checkpoint <= head
            && progress.stopped.as_ref().is_none_or(|s| s.position < head)
            && progress.skipped.iter().all(|s| s.position < head)
            && progress.last_rejection.as_ref().is_none_or(|r| r.position < head)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedLive<'a> {
    definition: Cow<'a, Projection>,
    checkpoint: u64,
    documents: Cow<'a, Documents>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    poison: Option<Cow<'a, Poison>>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    skipped: Cow<'a, [Skipped]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rebuild: Option<RebuildProgress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_rebuild: Option<RebuildProgress>,
    #[serde(default, skip_serializing_if = "is_false")]
    crash_armed: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    unstored: u64,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    crashes: Cow<'a, [Crash]>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    missed: Cow<'a, [u64]>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pending: Cow<'a, [u64]>,
    #[serde(default, skip_serializing_if = "is_zero")]
    drained: u64,
}

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

pub(super) fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedCandidate<'a> {
    build: SavedLive<'a>,
    switch_lag: u64,
    held: bool,
}

impl<'a> SavedLive<'a> {
    fn of(live: &'a Live) -> Self {
        SavedLive {
            definition: Cow::Borrowed(&live.definition),
            checkpoint: live.checkpoint,
            documents: Cow::Borrowed(&live.documents),
            poison: live.poison.as_ref().map(Cow::Borrowed),
            skipped: Cow::Borrowed(&live.skipped),
            rebuild: live.rebuild,
            last_rebuild: live.last_rebuild,
            crash_armed: live.crash_armed,
            unstored: live.unstored,
            crashes: Cow::Borrowed(&live.crashes),
            missed: Cow::Borrowed(&live.missed),
            pending: Cow::Borrowed(&live.pending),
            drained: live.drained,
        }
    }

    /// The projection as saved, when everything in it lies within a store of `head` events.
    fn into_live(self, head: u64) -> Option<Live> {
        let fits = self.checkpoint <= head
            && self.poison.as_ref().is_none_or(|p| p.position < head)
            && self.skipped.iter().all(|s| s.position < head)
            && self.missed.iter().chain(self.pending.iter()).all(|&p| p < head)
            && self.rebuild.is_none_or(|r| r.total <= head);
        fits.then(|| Live {
            definition: self.definition.into_owned(),
            documents: self.documents.into_owned(),
            checkpoint: self.checkpoint,
            poison: self.poison.map(Cow::into_owned),
            skipped: self.skipped.into_owned(),
            rebuild: self.rebuild,
            last_rebuild: self.last_rebuild,
            crash_armed: self.crash_armed,
            unstored: self.unstored,
            crashes: self.crashes.into_owned(),
            missed: self.missed.into_owned(),
            pending: self.pending.into_owned(),
            drained: self.drained,
        })
    }
}

impl Runtime {
    /// The read models as a save holds them (see the module's docs), to be handed back to
    /// [`Runtime::restore_read_models`] with the same store.
    pub fn save_read_models(&self) -> Value {
        let saved = Saved {
            migration: self.migration.as_ref().map(Cow::Borrowed),
            head: self.head(),
            projections: self.projections.iter().map(SavedLive::of).collect(),
            blue_green: self
                .candidates
                .iter()
                .map(|c| SavedCandidate {
                    build: SavedLive::of(&c.live),
                    switch_lag: c.switch_lag,
                    held: c.held,
                })
                .collect(),
            policies: self
                .policies
                .iter()
                .map(|p| SavedPolicy {
                    name: Cow::Borrowed(&p.definition.name),
                    progress: Cow::Borrowed(&p.progress),
                })
                .collect(),
        };
        serde_json::to_value(saved).unwrap_or_default()
    }

    /// Takes back what [`Runtime::save_read_models`] saved over this same store: each projection
    /// whose definition is the model's goes on from its saved checkpoint, and each blue-green
    /// build of a projection the model runs below its version goes on beside it. Answers how
    /// many of those were taken; the rest replay from position 0. Each policy the model has by
    /// that name goes on from its saved checkpoint; the others stay where they are.
    pub fn restore_read_models(&mut self, saved: &Value) -> usize {
        let Ok(saved) = Saved::deserialize(saved) else {
            return 0;
        };
        let head = self.head();
        if saved.head != head {
            return 0;
        }
        self.migration = saved.migration.map(Cow::into_owned);
        for saved in saved.policies {
            let Some(running) = self.policies.iter_mut().find(|p| p.definition.name == saved.name) else {
                continue;
            };
            if saved.fits(head) {
                running.progress = saved.progress.into_owned();
            }
        }
        let mut taken = 0;
        for saved in saved.projections {
            let Some(live) = self
                .projections
                .iter_mut()
                .find(|live| live.definition == *saved.definition)
            else {
                continue;
            };
            if let Some(restored) = saved.into_live(head) {
                *live = restored;
                taken += 1;
            }
        }
        for saved in saved.blue_green {
            let Some(live) = saved.build.into_live(head) else {
                continue;
            };
            // Started as any build is, with its checks; then it goes on from where it was.
            if self
                .start_candidate(live.definition.clone(), saved.switch_lag, saved.held)
                .is_ok()
            {
                if let Some(candidate) = self.candidates.last_mut() {
                    candidate.live = live;
                    taken += 1;
                }
            }
        }
        taken
    }
}
