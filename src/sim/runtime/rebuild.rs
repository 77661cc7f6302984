//! Rebuilds. In place: the documents are dropped and the projection replays from position 0 in
//! steps, showing its progress. Blue-green: the next version builds beside the running one, which
//! stays live; once the new one's lag is under a threshold it catches up the rest and takes over,
//! and the old version is dropped.

use serde::{Deserialize, Serialize};

use super::projections::{reader, Live, Poison};
use super::saved::{is_false, is_zero};
use super::Runtime;
use crate::model::{Projection, ProjectionLogic};
use crate::script::{Owner, OwnerKind};
use crate::sim::error::{Error, Result};

/// How far an in-place rebuild is, and what went wrong on the way (see the module's docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RebuildProgress {
    /// Events read so far (the checkpoint, since a rebuild starts at 0).
    pub processed: u64,
    /// The store's head when the rebuild started; it is live again once past it.
    pub total: u64,
    /// Whether the guards were on when it started: the lock, the lease and inline writes paused.
    #[serde(default = "yes")]
    pub guarded: bool,
    /// Where its rebuilder will crash (a fault), until it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_at: Option<u64>,
    /// Where its rebuilder crashed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crashed_at: Option<u64>,
    /// Whether it is stuck: its rebuilder crashed and, with no lease to expire, nothing took over.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stalled: bool,
    /// Where a second rebuilder will start (a fault), until it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_at: Option<u64>,
    /// Where the first rebuilder was when a second one cleared the documents and started over
    /// beside it: from there on, both apply every event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_from: Option<u64>,
    /// The second rebuilder's next position, while it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second: Option<u64>,
    /// Whether the lock turned a second rebuilder away.
    #[serde(default, skip_serializing_if = "is_false")]
    pub second_refused: bool,
    /// Events written inline while it rebuilt, which it reads again: applied twice.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub inline_twice: u64,
}

/// What can go wrong in an in-place rebuild, to see it happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebuildFault {
    /// Its rebuilder crashes halfway.
    CrashHalfway,
    /// A second rebuilder starts when the first is halfway.
    SecondRebuilder,
}

fn yes() -> bool {
    true
}

impl RebuildProgress {
    /// Moves a rebuild from `checkpoint` by at most `max_events`, stopping at a fault's position;
    /// there, the fault happens: the rebuilder crashes, or a second one starts (clearing
    /// `documents`), unless a guard prevents it. Answers how far it may read now.
    pub(crate) fn reach(
        &mut self,
        checkpoint: u64,
        max_events: usize,
        documents: &mut super::super::projection::Documents,
    ) -> usize {
        if self.stalled {
            return 0;
        }
        if self.crash_at.is_some_and(|at| checkpoint >= at) {
            self.crash_at = None;
            self.crashed_at = Some(checkpoint);
            // With the lease, another node takes the rebuild over from its stored progress, now.
            if !self.guarded {
                self.stalled = true;
                return 0;
            }
        }
        if self.second_at.is_some_and(|at| checkpoint >= at) {
            self.second_at = None;
            if self.guarded {
                self.second_refused = true;
            } else {
                documents.clear();
                self.second_from = Some(checkpoint);
                self.second = Some(0);
            }
        }
        let stop = [self.crash_at, self.second_at].into_iter().flatten().min();
        stop.map_or(max_events, |at| {
            max_events.min(usize::try_from(at - checkpoint).unwrap_or(usize::MAX))
        })
    }
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
    ///
    /// While a rebuilder runs, the lock refuses a second one; with the guards off, a second
    /// rebuilder clears the documents and starts over beside the first. A stuck rebuild (its
    /// rebuilder crashed) starts over.
    pub fn rebuild(&mut self, name: &str) -> Result<RebuildProgress> {
        let index = self.live_index(name)?;
        let total = self.head();
        let guarded = self.rebuild_guards;
        let live = &mut self.projections[index];
        if let Some(progress) = live.rebuild.as_mut().filter(|p| !p.stalled) {
            if guarded {
                return Err(Error::BadResult {
                    owner: format!("projection {name}"),
                    message: format!(
                        "it is being rebuilt ({} of {} events): its rebuilder holds the lock, and a second one would clear the documents under it",
                        live.checkpoint.min(progress.total),
                        progress.total
                    ),
                });
            }
            if progress.second.is_none() {
                live.documents.clear();
                progress.second_from = Some(live.checkpoint);
                progress.second = Some(0);
            }
            return Ok(*progress);
        }
        live.documents.clear();
        live.checkpoint = 0;
        live.poison = None;
        // What it missed or passed in flight is read again from the log.
        live.missed.clear();
        live.pending.clear();
        live.drained = 0;
        let progress = RebuildProgress {
            total,
            guarded,
            ..RebuildProgress::default()
        };
        live.rebuild = (total > 0).then_some(progress);
        live.last_rebuild = None;
        Ok(progress)
    }

    /// Starts an in-place rebuild in which `fault` happens halfway, to see what it does with the
    /// guards on and off.
    pub fn rebuild_with(&mut self, name: &str, fault: RebuildFault) -> Result<RebuildProgress> {
        let index = self.live_index(name)?;
        let mut progress = self.rebuild(name)?;
        let halfway = progress.total / 2;
        match fault {
            RebuildFault::CrashHalfway => progress.crash_at = Some(halfway),
            RebuildFault::SecondRebuilder => progress.second_at = Some(halfway),
        }
        let live = &mut self.projections[index];
        if live.rebuild.is_some() {
            live.rebuild = Some(progress);
        }
        Ok(progress)
    }

    /// Turns the rebuild guards on or off: the lock (one rebuilder at a time), the lease (a
    /// crashed rebuilder's work is taken over) and inline writes paused while an inline
    /// projection rebuilds. They apply to rebuilds started from now on.
    pub fn set_rebuild_guards(&mut self, on: bool) {
        self.rebuild_guards = on;
    }

    /// Whether the rebuild guards are on.
    pub fn rebuild_guards(&self) -> bool {
        self.rebuild_guards
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
