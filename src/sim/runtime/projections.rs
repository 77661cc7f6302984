//! Live read models. Each projection keeps its documents and a checkpoint (the position of the
//! next event it will read). Inline projections are updated within the append; async ones, and
//! any projection that is behind (after a start, a rebuild or a direct append to the store), move
//! forward in [`Runtime::step`], at most a given number of events at a time.
//!
//! A handler error stops that projection at the failing event, a poison event, with the error;
//! the others keep running. It resumes from that event once its definition is replaced with a
//! fixed one, or moves past it with [`Runtime::skip`], which records the skip.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

use super::flights::Horizon;
use super::scripted::Scripted;
use super::templates::{is_current, RawTemplate, Tally};
use super::Runtime;
use crate::model::{Checkpointing, Gaps, Lifecycle, Model, Projection, ProjectionLogic};
use crate::script::Sandbox;
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::sim::projection::{reads_from, Documents, Runner};
use crate::sim::upcast::upcast;
use crate::store::{Direction, RawEvent, Source, Store};

/// The name of a projection whose handlers look into other read models with `read_model(…)`,
/// `None` for any other: what [`Runtime::lending`] needs to know.
pub(crate) fn reader(definition: &Projection) -> Option<String> {
    let reads = matches!(&definition.logic, ProjectionLogic::Script(source) if source.contains("read_model("));
    reads.then(|| definition.name.clone())
}

impl Runtime {
    /// Runs `work` with the documents of every projection but `reader` lent to the sandbox for
    /// `read_model` calls (moved out, not copied, and moved back after); with no reader, just runs it.
    pub(crate) fn lending<R>(&mut self, reader: Option<String>, work: impl FnOnce(&mut Runtime) -> R) -> R {
        let Some(reader) = reader else {
            return work(self);
        };
        let lent = self
            .projections
            .iter_mut()
            .filter(|p| p.definition.name != reader)
            .map(|p| (p.definition.name.clone(), std::mem::take(&mut p.documents)))
            .collect();
        self.sandbox.lend_read_models(lent);
        let result = work(self);
        let mut lent = self.sandbox.take_read_models();
        for live in &mut self.projections {
            if let Some(documents) = lent.remove(&live.definition.name) {
                live.documents = documents;
            }
        }
        result
    }
}

/// The event a projection stopped at, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Poison {
    /// Its global position.
    pub position: u64,
    /// Its stream.
    pub stream_id: String,
    /// Its type.
    pub event_type: String,
    /// The handler's error, with owner, line and column when a script failed.
    pub error: String,
    /// The script's line that failed, when a script did and the line is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Its column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// An event a projection was told to move past.
pub type Skipped = Poison;

/// Where a projection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ProjectionState {
    /// Up to date with the store.
    Live,
    /// Behind the store, moving forward with each step.
    CatchingUp,
    /// Rebuilding from position 0 (see [`super::RebuildProgress`]).
    Rebuilding,
    /// Stopped at a poison event.
    Stopped,
}

/// A projection as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectionStatus {
    /// The projection's name.
    pub name: String,
    /// Its version.
    pub version: u32,
    /// Inline or async.
    pub lifecycle: Lifecycle,
    /// Where it stands.
    pub state: ProjectionState,
    /// The position of the next event it will read.
    pub checkpoint: u64,
    /// How many events it is behind: the store's head minus the checkpoint.
    pub lag: u64,
    /// How many documents it holds.
    pub documents: usize,
    /// The event it stopped at, if it did.
    pub poison: Option<Poison>,
    /// The events it was told to skip, oldest first.
    pub skipped: Vec<Skipped>,
    /// Progress of an in-place rebuild.
    pub rebuild: Option<super::RebuildProgress>,
    /// How the last in-place rebuild went, once done.
    pub last_rebuild: Option<super::RebuildProgress>,
    /// A blue-green build of its next version, if one runs.
    pub blue_green: Option<super::BlueGreenStatus>,
    /// When it stores its checkpoint.
    pub checkpointing: Checkpointing,
    /// Whether a crash between writing the documents and storing the checkpoint waits for its
    /// next batch.
    pub crash_armed: bool,
    /// The crashes it went through, oldest first.
    pub crashes: Vec<Crash>,
    /// What it does at positions still in flight.
    pub gaps: Gaps,
    /// The position it waits at because a transaction holding it is still in flight (the
    /// high-water mark), if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_at: Option<u64>,
    /// Positions of events it reads that it read past while they were in flight, and will never
    /// read (naive): what its documents lack.
    pub missed: Vec<u64>,
    /// Positions of a stale gap it passed (high-water mark), to be read once they commit.
    pub pending: Vec<u64>,
    /// Whether some of those have committed: its next step reads them.
    pub draining: bool,
    /// Events of passed gaps it read once they committed.
    pub drained: u64,
}

impl ProjectionStatus {
    /// Whether it is stuck in a rebuild nobody runs (its rebuilder crashed, unguarded).
    pub fn stalled(&self) -> bool {
        self.rebuild.is_some_and(|r| r.stalled)
    }
}

/// A crash of an async projection between writing its documents and storing its checkpoint, and
/// the restart from the checkpoint it had stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Crash {
    /// The batch it interrupted ended here: the documents had the events before this position.
    pub written_up_to: u64,
    /// The stored checkpoint it restarted from.
    pub restarted_from: u64,
    /// Positions it reads again.
    pub processed_again: u64,
    /// Whether the documents went back with the checkpoint (one transaction): then nothing is
    /// applied twice.
    pub rolled_back: bool,
    /// How it stored checkpoints then.
    pub checkpointing: Checkpointing,
}

/// What one [`Runtime::step`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepReport {
    /// Events read, over all projections, builds and policies.
    pub events: u64,
    /// Whether every projection, build and policy is now up to date or stopped: nothing left to
    /// step.
    pub idle: bool,
    /// Projections that switched to their blue-green build during this step.
    pub switched: Vec<String>,
}

/// A running projection: its definition, documents and checkpoint.
#[derive(Debug, Clone)]
pub(crate) struct Live {
    pub(crate) definition: Projection,
    pub(crate) documents: Documents,
    pub(crate) checkpoint: u64,
    pub(crate) poison: Option<Poison>,
    pub(crate) skipped: Vec<Skipped>,
    pub(crate) rebuild: Option<super::RebuildProgress>,
    pub(crate) last_rebuild: Option<super::RebuildProgress>,
    /// Whether the next batch crashes between its documents and its checkpoint.
    pub(crate) crash_armed: bool,
    /// Positions read since the last stored checkpoint (`Checkpointing::Every`).
    pub(crate) unstored: u64,
    pub(crate) crashes: Vec<Crash>,
    /// Positions read past while in flight: lost (naive) ...
    pub(crate) missed: Vec<u64>,
    /// ... or listed, to read once they commit (high-water mark).
    pub(crate) pending: Vec<u64>,
    pub(crate) drained: u64,
}

impl Live {
    pub(crate) fn new(definition: Projection) -> Self {
        Live {
            definition,
            documents: Documents::new(),
            checkpoint: 0,
            poison: None,
            skipped: Vec::new(),
            rebuild: None,
            last_rebuild: None,
            crash_armed: false,
            unstored: 0,
            crashes: Vec::new(),
            missed: Vec::new(),
            pending: Vec::new(),
            drained: 0,
        }
    }

    /// The position it waits at: the high-water mark `horizon` ends at, below the head.
    fn waiting_at(&self, head: u64, horizon: &Horizon) -> Option<u64> {
        let waits = horizon.end < head && self.checkpoint >= horizon.end && self.poison.is_none();
        waits.then_some(horizon.end)
    }

    /// Whether positions of a passed gap have committed, for its next step to read.
    fn draining(&self, horizon: &Horizon) -> bool {
        self.pending.iter().any(|&p| !horizon.passes(p))
    }

    /// Whether a step has nothing to do for it: stopped, caught up, waiting at a gap or stuck in
    /// a rebuild nobody runs, with no passed gap to read.
    fn at_rest(&self, head: u64, horizon: &Horizon) -> bool {
        let stalled = self.rebuild.is_some_and(|r| r.stalled);
        self.poison.is_some()
            || (self.checkpoint >= head || self.waiting_at(head, horizon).is_some() || stalled)
                && !self.draining(horizon)
    }

    pub(crate) fn status(&self, head: u64, horizon: &Horizon) -> ProjectionStatus {
        let lag = head.saturating_sub(self.checkpoint);
        let state = match (&self.poison, &self.rebuild) {
            (Some(_), _) => ProjectionState::Stopped,
            (None, Some(_)) => ProjectionState::Rebuilding,
            (None, None) if lag > 0 => ProjectionState::CatchingUp,
            (None, None) => ProjectionState::Live,
        };
        ProjectionStatus {
            name: self.definition.name.clone(),
            version: self.definition.version,
            lifecycle: self.definition.lifecycle,
            state,
            checkpoint: self.checkpoint,
            lag,
            documents: self.documents.len(),
            poison: self.poison.clone(),
            skipped: self.skipped.clone(),
            rebuild: self.rebuild.map(|r| super::RebuildProgress {
                processed: self.checkpoint.min(r.total),
                ..r
            }),
            last_rebuild: self.last_rebuild,
            blue_green: None,
            checkpointing: self.definition.checkpointing,
            crash_armed: self.crash_armed,
            crashes: self.crashes.clone(),
            gaps: self.definition.gaps,
            waiting_at: self.waiting_at(head, horizon),
            missed: self.missed.clone(),
            pending: self.pending.clone(),
            draining: self.draining(horizon),
            drained: self.drained,
        }
    }

    /// Reads up to `max_events` events from the checkpoint, up to the horizon, and applies those
    /// in the source; returns how many positions it moved. Stops at a poison event.
    pub(crate) fn advance(
        &mut self,
        model: &Model,
        store: &Store,
        sandbox: &mut Sandbox,
        max_events: usize,
        horizon: &Horizon,
    ) -> u64 {
        if self.poison.is_some() || max_events == 0 || self.checkpoint >= horizon.end {
            return 0;
        }
        let max_events = match self.rebuild.as_mut() {
            Some(progress) => progress.reach(self.checkpoint, max_events, &mut self.documents),
            None => max_events,
        };
        if max_events == 0 {
            return 0;
        }
        let mut last = None;
        let mut remaining = max_events;
        // One transaction holds the documents and the checkpoint: a crash takes both back.
        let rollback = (self.crash_armed && self.definition.checkpointing == Checkpointing::WithReadModel)
            .then(|| self.documents.clone());
        let Live {
            definition,
            documents,
            skipped,
            checkpoint,
            poison,
            rebuild,
            last_rebuild,
            crash_armed,
            unstored,
            crashes,
            missed,
            pending,
            drained: _,
        } = self;
        // Events in flight it reads past: lost when it is naive, listed when it passes a stale gap.
        let passed = if definition.gaps == Gaps::Naive {
            missed
        } else {
            pending
        };
        // Skipped events stay skipped, in rebuilds too, so a rebuild equals what was built live.
        let mut ignored = |position: u64, stream_id: &str, event_type: &str| {
            if !reads_from(&definition.source, stream_id, event_type)
                || skipped.iter().any(|s| s.position == position)
                || horizon.skips(stream_id, position)
            {
                return true;
            }
            let in_flight = horizon.passes(position);
            if in_flight && !passed.contains(&position) {
                passed.push(position);
            } else if !in_flight && !passed.is_empty() {
                // Read again after a crash, once committed.
                passed.retain(|&p| p != position);
            }
            in_flight
        };
        let end = horizon.end;
        let max_events = max_events.min(usize::try_from(end - *checkpoint).unwrap_or(usize::MAX));
        let mut from = *checkpoint;
        if let Some(template) = RawTemplate::of(definition) {
            // Templates run on the stored text until an event needs the parsed path; that event
            // and the rest of the chunk take it, so order is kept.
            let mut tally = Tally::default();
            let mut needs_parsing = false;
            let mut kind: (&str, u32, bool) = ("", 0, false);
            store.scan_payloads(from, max_events, |event| {
                if event.position >= end {
                    return ControlFlow::Break(());
                }
                if (kind.0, kind.1) != (event.event_type, event.schema_version) {
                    let current = is_current(model, event.event_type, event.schema_version);
                    kind = (event.event_type, event.schema_version, current);
                }
                let done = ignored(event.position, event.stream_id, event.event_type)
                    || kind.2 && tally.apply(&template, documents, &event).is_some();
                if !done {
                    needs_parsing = true;
                    return ControlFlow::Break(());
                }
                last = Some(event.position);
                remaining -= 1;
                ControlFlow::Continue(())
            });
            tally.write_back(documents);
            if let Some(position) = last {
                from = position + 1;
            }
            if !needs_parsing {
                remaining = 0;
            }
        }
        let mut batch = Vec::new();
        if remaining > 0 {
            let _ = store.read_raw(Source::All, from, remaining, Direction::Forwards, |raw| {
                if raw.position >= end {
                    return;
                }
                last = Some(raw.position);
                if !ignored(raw.position, raw.stream_id, raw.event_type) {
                    batch.push(raw);
                }
            });
        }
        let start = *checkpoint;
        let read_up_to = last.map_or(end, |p| p + 1);
        let mut runner = match Runner::new(definition, sandbox) {
            Ok(runner) => runner,
            Err(error) => {
                if let Some(first) = batch.first() {
                    *poison = Some(Poison::at(first, &error));
                    *checkpoint = first.position;
                } else {
                    *checkpoint = read_up_to;
                }
                return *checkpoint - start;
            }
        };
        let mut scripted = Scripted::of(&runner);
        for event in batch {
            let current = is_current(model, event.event_type, event.schema_version);
            let applied = match (scripted.as_mut(), current) {
                (Some(scripted), true) => scripted.apply(sandbox, documents, &event),
                (None, true) => runner.apply(sandbox, documents, &Envelope::from_raw(&event)),
                (scripted, false) => {
                    // The parsed path reads the documents: the held ones go back first.
                    if let Some(scripted) = scripted {
                        scripted.write_back(documents);
                    }
                    upcast(model, sandbox, Envelope::from_raw(&event))
                        .and_then(|events| events.iter().try_for_each(|e| runner.apply(sandbox, documents, e)))
                }
            };
            if let Err(error) = applied {
                if let Some(scripted) = scripted.as_mut() {
                    scripted.write_back(documents);
                }
                *poison = Some(Poison::at(&event, &error));
                *checkpoint = event.position;
                return event.position - start;
            }
        }
        if let Some(scripted) = scripted.as_mut() {
            scripted.write_back(documents);
        }
        *checkpoint = read_up_to;
        let read = read_up_to.saturating_sub(start);
        // What is stored of the checkpoint now: all of it, or the last multiple of `events`.
        *unstored = match definition.checkpointing {
            Checkpointing::WithReadModel | Checkpointing::AfterBatch => 0,
            Checkpointing::Every { events } => (*unstored + read) % u64::from(events.max(1)),
        };
        if *crash_armed && read > 0 {
            *crash_armed = false;
            // The transaction that held the checkpoint did not commit, or the checkpoint after
            // the batch was not stored, or the last multiple of `events` was.
            let restarted_from = match definition.checkpointing {
                Checkpointing::WithReadModel | Checkpointing::AfterBatch => start,
                Checkpointing::Every { .. } => read_up_to.saturating_sub(*unstored),
            };
            if let Some(before) = rollback {
                *documents = before;
            }
            crashes.push(Crash {
                written_up_to: read_up_to,
                restarted_from,
                processed_again: read_up_to - restarted_from,
                rolled_back: definition.checkpointing == Checkpointing::WithReadModel,
                checkpointing: definition.checkpointing,
            });
            *checkpoint = restarted_from;
            *unstored = 0;
            return read;
        }
        if rebuild.is_some_and(|r| *checkpoint >= r.total && r.second.is_none()) {
            *last_rebuild = rebuild.take();
        }
        read
    }

    /// Moves a second rebuilder (a fault with the guards off) forward over the same documents.
    pub(crate) fn advance_second(
        &mut self,
        model: &Model,
        store: &Store,
        sandbox: &mut Sandbox,
        max_events: usize,
        horizon: &Horizon,
    ) -> u64 {
        let Some(mut progress) = self.rebuild.take() else {
            return 0;
        };
        let Some(cursor) = progress.second else {
            self.rebuild = Some(progress);
            return 0;
        };
        let first = std::mem::replace(&mut self.checkpoint, cursor);
        let read = self.advance(model, store, sandbox, max_events, horizon);
        let cursor = std::mem::replace(&mut self.checkpoint, first);
        progress.second = (cursor < progress.total && self.poison.is_none()).then_some(cursor);
        if progress.second.is_none() && first >= progress.total {
            self.last_rebuild = Some(progress);
        } else {
            self.rebuild = Some(progress);
        }
        read
    }

    /// Reads everything up to the horizon, unless a poison event stops it; returns how many
    /// events were read.
    pub(crate) fn catch_up(&mut self, model: &Model, store: &Store, sandbox: &mut Sandbox, horizon: &Horizon) -> u64 {
        let mut read = 0;
        while self.poison.is_none() && self.checkpoint < horizon.end {
            let moved = self.advance(model, store, sandbox, usize::MAX, horizon);
            if moved == 0 {
                break;
            }
            read += moved;
        }
        read
    }

    /// Reads the events of passed gaps that have committed since, in the order they were passed;
    /// returns how many. One its handler fails on is skipped, with the error, as the rest of the
    /// log has moved on.
    pub(crate) fn drain(&mut self, model: &Model, store: &Store, sandbox: &mut Sandbox, horizon: &Horizon) -> u64 {
        let (ready, waiting): (Vec<u64>, Vec<u64>) = self.pending.iter().partition(|&&p| !horizon.passes(p));
        if ready.is_empty() {
            return 0;
        }
        self.pending = waiting;
        let mut events = Vec::new();
        for position in ready {
            let _ = store.read_raw(Source::All, position, 1, Direction::Forwards, |raw| {
                if raw.position == position {
                    events.push(raw);
                }
            });
        }
        let mut runner = match Runner::new(&self.definition, sandbox) {
            Ok(runner) => runner,
            Err(error) => {
                self.skipped
                    .extend(events.iter().map(|event| Poison::at(event, &error)));
                return events.len() as u64;
            }
        };
        for event in &events {
            let applied = upcast(model, sandbox, Envelope::from_raw(event)).and_then(|upcast| {
                upcast
                    .iter()
                    .try_for_each(|e| runner.apply(sandbox, &mut self.documents, e))
            });
            match applied {
                Ok(()) => self.drained += 1,
                Err(error) => self.skipped.push(Poison::at(event, &error)),
            }
        }
        events.len() as u64
    }
}

impl Poison {
    fn at(event: &RawEvent<'_>, error: &Error) -> Self {
        Poison::located(event.position, event.stream_id, event.event_type, error)
    }

    /// The poison event `event` with `error`, e.g. where a policy stopped.
    pub(crate) fn on(event: &Envelope, error: &Error) -> Self {
        Poison::located(event.position, &event.stream_id, &event.event_type, error)
    }

    fn located(position: u64, stream_id: &str, event_type: &str, error: &Error) -> Self {
        let (line, column) = match error {
            Error::Script(script) => (script.line, script.column),
            _ => (None, None),
        };
        Poison {
            line,
            column,
            position,
            stream_id: stream_id.to_owned(),
            event_type: event_type.to_owned(),
            error: error.to_string(),
        }
    }
}

impl Runtime {
    /// Every projection's status, in the model's order.
    pub fn projections(&self) -> Vec<ProjectionStatus> {
        let head = self.head();
        self.projections
            .iter()
            .map(|live| {
                let horizon = self.horizon(live.definition.gaps, live.definition.lifecycle);
                let mut status = live.status(head, &horizon);
                status.blue_green = self
                    .candidates
                    .iter()
                    .find(|c| c.live.definition.name == live.definition.name)
                    .map(|c| c.status(head));
                status
            })
            .collect()
    }

    /// One projection's status.
    pub fn projection(&self, name: &str) -> Result<ProjectionStatus> {
        let index = self.live_index(name)?;
        Ok(self.projections().swap_remove(index))
    }

    /// Moves every projection that is behind (and every blue-green build), then every policy
    /// that is behind, forward by at most `max_events` events each; switches a blue-green build
    /// whose lag is under its threshold. The commands policies send are appended as they go.
    pub fn step(&mut self, max_events: usize) -> StepReport {
        let mut report = StepReport::default();
        self.flights.retain(|f| f.commits_ms > self.store.now_ms());
        for index in 0..self.projections.len() {
            let definition = &self.projections[index].definition;
            let horizon = self.horizon(definition.gaps, definition.lifecycle);
            let reader = reader(definition);
            report.events += self.lending(reader, |rt| {
                let live = &mut rt.projections[index];
                live.drain(&rt.model, &rt.store, &mut rt.sandbox, &horizon)
                    + live.advance(&rt.model, &rt.store, &mut rt.sandbox, max_events, &horizon)
                    + live.advance_second(&rt.model, &rt.store, &mut rt.sandbox, max_events, &horizon)
            });
        }
        report.events += self.step_candidates(max_events, &mut report.switched);
        for index in 0..self.policies.len() {
            report.events += self.advance_policy(index, max_events);
        }
        report.events += self.advance_migration(max_events);
        let head = self.head();
        // Waiting at the high-water mark is idle too: nothing moves until the transaction commits.
        report.idle = self
            .projections
            .iter()
            .all(|p| p.at_rest(head, &self.horizon(p.definition.gaps, p.definition.lifecycle)))
            && self.candidates.iter().all(|c| c.live.poison.is_some())
            && self.policies.iter().all(|p| !p.is_behind(head));
        report
    }

    /// Steps until nothing is left to do (every projection and policy is up to date or
    /// stopped), for tests, the checker and small stores.
    pub fn run_until_idle(&mut self) -> u64 {
        let mut events = 0;
        loop {
            let report = self.step(10_000);
            events += report.events;
            // A step that read nothing and switched nothing would be followed by the same step.
            if report.idle || report.events == 0 && report.switched.is_empty() {
                return events;
            }
        }
    }

    /// Arms a crash of an async projection between writing the documents of its next batch and
    /// storing its checkpoint: it restarts from the checkpoint it had stored, which, unless the
    /// checkpoint goes in one transaction with the documents, processes events again.
    pub fn crash_projection(&mut self, name: &str) -> Result<()> {
        let index = self.live_index(name)?;
        let live = &mut self.projections[index];
        if live.definition.lifecycle == Lifecycle::Inline {
            return Err(Error::BadResult {
                owner: format!("projection {name}"),
                message: "it is inline: its documents are written with the events it reads, in one transaction, \
                    so there is no moment between them to crash in"
                    .to_owned(),
            });
        }
        live.crash_armed = true;
        Ok(())
    }

    /// Moves a stopped projection past its poison event, recording the skip; it then runs on.
    pub fn skip(&mut self, name: &str) -> Result<Skipped> {
        let index = self.live_index(name)?;
        let live = &mut self.projections[index];
        let poison = live.poison.take().ok_or_else(|| Error::BadResult {
            owner: format!("projection {name}"),
            message: "it is not stopped at an event, so there is nothing to skip".to_owned(),
        })?;
        live.checkpoint = poison.position + 1;
        live.skipped.push(poison.clone());
        Ok(poison)
    }

    /// Replaces a projection's definition with the same name and version, e.g. a fixed handler;
    /// a stopped projection resumes at its poison event. Documents are kept: a change that needs
    /// them built again is a rebuild (in place, or blue-green with a new version).
    pub fn replace_projection(&mut self, definition: Projection) -> Result<()> {
        let index = self.live_index(&definition.name)?;
        let live = &mut self.projections[index];
        if definition.version != live.definition.version {
            return Err(Error::BadResult {
                owner: format!("projection {}", definition.name),
                message: format!(
                    "version {} is running; a new version ({}) is built beside it with a blue-green rebuild",
                    live.definition.version, definition.version
                ),
            });
        }
        if let ProjectionLogic::Script(source) = &definition.logic {
            let owner = crate::script::Owner {
                kind: crate::script::OwnerKind::Projection,
                name: definition.name.clone(),
            };
            self.sandbox.compile(&owner, source)?;
        }
        live.definition = definition.clone();
        live.poison = None;
        self.model.projections[index] = definition;
        self.note_stale();
        Ok(())
    }
}
