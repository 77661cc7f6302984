//! Rebuilds. In place: the documents are dropped and the projection replays from position 0 in
//! steps, showing its progress. Blue-green: the next version builds beside the running one, which
//! stays live; once the new one's lag is under a threshold it catches up the rest and takes over,
//! and the old version is dropped.

use serde::{Deserialize, Serialize};

use super::projections::{reader, Live, Poison};
use super::Runtime;
use crate::model::{Projection, ProjectionLogic};
use crate::script::{Owner, OwnerKind};
use crate::sim::error::{Error, Result};

/// How far an in-place rebuild is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RebuildProgress {
    /// Events read so far (the checkpoint, since a rebuild starts at 0).
    pub processed: u64,
    /// The store's head when the rebuild started; it is live again once past it.
    pub total: u64,
}

/// A blue-green build of a projection's next version.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlueGreenStatus {
    /// The version being built.
    pub version: u32,
    /// The position of the next event it will read.
    pub checkpoint: u64,
    /// How far behind the store it is.
    pub lag: u64,
    /// It takes over once its lag is at most this (unless it is held).
    pub switch_lag: u64,
    /// Whether it waits for [`Runtime::switch_blue_green`] instead of switching by itself.
    pub held: bool,
    /// How many documents it holds so far.
    pub documents: usize,
    /// The event it stopped at, if its handler failed; the running version is unaffected.
    pub poison: Option<Poison>,
}

/// A blue-green build in progress.
pub(crate) struct Candidate {
    pub(crate) live: Live,
    pub(crate) switch_lag: u64,
    pub(crate) held: bool,
}

impl Candidate {
    pub(crate) fn status(&self, head: u64) -> BlueGreenStatus {
        BlueGreenStatus {
            version: self.live.definition.version,
            checkpoint: self.live.checkpoint,
            lag: head.saturating_sub(self.live.checkpoint),
            switch_lag: self.switch_lag,
            held: self.held,
            documents: self.live.documents.len(),
            poison: self.live.poison.clone(),
        }
    }
}

impl Runtime {
    /// Drops a projection's documents and replays it from position 0; [`Runtime::step`] does the
    /// work. A stopped projection starts over too; the events it was told to skip stay skipped.
    pub fn rebuild(&mut self, name: &str) -> Result<RebuildProgress> {
        let index = self.live_index(name)?;
        let total = self.head();
        let live = &mut self.projections[index];
        live.documents.clear();
        live.checkpoint = 0;
        live.poison = None;
        // What it missed or passed in flight is read again from the log.
        live.missed.clear();
        live.pending.clear();
        live.drained = 0;
        let progress = RebuildProgress { processed: 0, total };
        live.rebuild = (total > 0).then_some(progress);
        Ok(progress)
    }

    /// Starts building `definition`, the next version of a running projection, beside it. The
    /// build switches in during a step once its lag is at most `switch_lag` events.
    pub fn start_blue_green(&mut self, definition: Projection, switch_lag: u64) -> Result<BlueGreenStatus> {
        self.start_candidate(definition, switch_lag, false)
    }

    /// Starts a blue-green build that keeps running beside the live version, both side by side,
    /// until [`Runtime::switch_blue_green`] switches it in.
    pub fn start_blue_green_held(&mut self, definition: Projection) -> Result<BlueGreenStatus> {
        self.start_candidate(definition, 0, true)
    }

    /// Switches a blue-green build in now: it reads what it has not read yet, then takes the
    /// running version's place. Refused while it is stopped at a poison event.
    pub fn switch_blue_green(&mut self, name: &str) -> Result<()> {
        let index = self
            .candidates
            .iter()
            .position(|c| c.live.definition.name == name)
            .ok_or_else(|| Error::Unknown {
                what: "blue-green build of",
                name: name.to_owned(),
            })?;
        self.candidates[index].held = false;
        self.candidates[index].switch_lag = u64::MAX;
        let mut switched = Vec::new();
        self.step_candidates(0, &mut switched);
        if switched.iter().any(|s| s == name) {
            return Ok(());
        }
        if let Some(candidate) = self.candidates.iter_mut().find(|c| c.live.definition.name == name) {
            candidate.held = true;
            candidate.switch_lag = 0;
        }
        Err(Error::BadResult {
            owner: format!("projection {name}"),
            message: "its blue-green build is stopped at a poison event: fix or cancel it first".to_owned(),
        })
    }

    pub(super) fn start_candidate(
        &mut self,
        definition: Projection,
        switch_lag: u64,
        held: bool,
    ) -> Result<BlueGreenStatus> {
        let index = self.live_index(&definition.name)?;
        let running = &self.projections[index].definition;
        let refuse = |message: String| Error::BadResult {
            owner: format!("projection {}", definition.name),
            message,
        };
        if definition.version <= running.version {
            return Err(refuse(format!(
                "a blue-green build needs a version above the running one ({})",
                running.version
            )));
        }
        if self
            .candidates
            .iter()
            .any(|c| c.live.definition.name == definition.name)
        {
            return Err(refuse("a blue-green build of it is already running".to_owned()));
        }
        if let ProjectionLogic::Script(source) = &definition.logic {
            let owner = Owner {
                kind: OwnerKind::Projection,
                name: definition.name.clone(),
            };
            self.sandbox.compile(&owner, source)?;
        }
        let candidate = Candidate {
            live: Live::new(definition),
            switch_lag,
            held,
        };
        let status = candidate.status(self.head());
        self.candidates.push(candidate);
        Ok(status)
    }

    /// Stops a blue-green build and drops what it built; the running version is untouched.
    pub fn cancel_blue_green(&mut self, name: &str) -> Result<()> {
        let before = self.candidates.len();
        self.candidates.retain(|c| c.live.definition.name != name);
        if self.candidates.len() == before {
            return Err(Error::Unknown {
                what: "blue-green build of",
                name: name.to_owned(),
            });
        }
        Ok(())
    }

    /// Moves each blue-green build forward and switches those close enough to the head.
    pub(crate) fn step_candidates(&mut self, max_events: usize, switched: &mut Vec<String>) -> u64 {
        let mut events = 0;
        let head = self.head();
        let mut index = 0;
        while index < self.candidates.len() {
            let reader = reader(&self.candidates[index].live.definition);
            let definition = &self.candidates[index].live.definition;
            let horizon = self.horizon(definition.gaps, definition.lifecycle);
            events += self.lending(reader.clone(), |rt| {
                let live = &mut rt.candidates[index].live;
                live.drain(&rt.model, &rt.store, &mut rt.sandbox, &horizon)
                    + live.advance(&rt.model, &rt.store, &mut rt.sandbox, max_events, &horizon)
            });
            let candidate = &self.candidates[index];
            let ready = candidate.live.poison.is_none()
                && !candidate.held
                && head.saturating_sub(candidate.live.checkpoint) <= candidate.switch_lag;
            if !ready {
                index += 1;
                continue;
            }
            // Catch up the last few events so nothing is lost in the switch.
            events += self.lending(reader, |rt| {
                rt.candidates[index]
                    .live
                    .catch_up(&rt.model, &rt.store, &mut rt.sandbox, &horizon)
            });
            if self.candidates[index].live.poison.is_some() {
                index += 1;
                continue;
            }
            let candidate = self.candidates.remove(index);
            let name = candidate.live.definition.name.clone();
            if let Some(at) = self.projections.iter().position(|p| p.definition.name == name) {
                self.model.projections[at] = candidate.live.definition.clone();
                self.projections[at] = candidate.live;
            }
            switched.push(name);
        }
        if !switched.is_empty() {
            self.note_stale();
        }
        events
    }
}
