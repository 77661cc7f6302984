//! Read models in a workspace: their statuses and documents, steps (which move the policies
//! too), in-place rebuilds, blue-green builds, skips and fixes. A build that switches in becomes the scenario's definition.

use serde_json::Value;

use super::{Result, Workspace};
use crate::model::edit::{self, Kind};
use crate::model::{Checkpointing, Gaps, Problem, Projection};
use crate::sim::projection::Documents;
use crate::sim::{BlueGreenStatus, Flight, ProjectionStatus, RebuildFault, RebuildProgress, Skipped, StepReport};

impl Workspace {
    /// Every projection's status (with its blue-green build, if one runs), in the model's order.
    pub fn projections(&self) -> Vec<ProjectionStatus> {
        self.services.main.projections()
    }

    /// One projection's status.
    pub fn projection(&self, name: &str) -> Result<ProjectionStatus> {
        Ok(self.services.main.projection(name)?)
    }

    /// A projection's documents by key, at most `max` of them, and how many there are (none for
    /// a projection the model does not have).
    pub fn documents(&self, projection: &str, max: usize) -> (Vec<(String, Value)>, usize) {
        match self.services.main.documents(projection) {
            Ok(documents) => (
                documents
                    .iter()
                    .take(max)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                documents.len(),
            ),
            Err(_) => (Vec::new(), 0),
        }
    }

    /// All of a projection's documents, by id.
    pub fn read_model(&self, projection: &str) -> Result<&Documents> {
        Ok(self.services.main.documents(projection)?)
    }

    /// One document of a projection, `None` when it has none with that id.
    pub fn document(&self, projection: &str, id: &str) -> Result<Option<&Value>> {
        Ok(self.services.main.document(projection, id)?)
    }

    /// Moves projections, rebuilds, blue-green builds and policies forward by at most
    /// `max_events` events each (the policies' commands are appended as they go); a build that
    /// switched in becomes the scenario's definition.
    pub fn step(&mut self, max_events: usize) -> StepReport {
        let report = self.services.main.step(max_events);
        self.findings.keep_up(&mut self.services.main);
        if !report.switched.is_empty() {
            self.adopt_projections();
        }
        report
    }

    /// Lets every projection and policy catch up at once; answers how many events were read.
    pub fn run_until_idle(&mut self) -> u64 {
        let events = self.services.main.run_until_idle();
        self.findings.keep_up(&mut self.services.main);
        self.adopt_projections();
        events
    }

    /// Starts an in-place rebuild: the documents are dropped and [`Workspace::step`] replays.
    pub fn rebuild(&mut self, projection: &str) -> Result<RebuildProgress> {
        Ok(self.services.main.rebuild(projection)?)
    }

    /// Starts an in-place rebuild in which `fault` happens halfway.
    pub fn rebuild_with(&mut self, projection: &str, fault: RebuildFault) -> Result<RebuildProgress> {
        Ok(self.services.main.rebuild_with(projection, fault)?)
    }

    /// Turns the rebuild guards (the lock, the lease, inline writes paused) on or off.
    pub fn set_rebuild_guards(&mut self, on: bool) {
        self.services.main.set_rebuild_guards(on);
    }

    /// Starts building `definition`, the next version of a projection, beside the running one
    /// (held: it switches in only through [`Workspace::switch_blue_green`]). The draft is checked
    /// as the definition it will become, with everything else as it is.
    pub fn start_blue_green(&mut self, definition: Value) -> Result<(), Vec<Problem>> {
        let name = definition
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let index = self.scenario.model.projections.iter().position(|p| p.name == name);
        let Some(index) = index else {
            return Err(vec![Problem::new("name", format!("no projection {name:?} is running"))]);
        };
        let checked = edit::put(&self.scenario, Kind::Projection, Some(index), definition)?;
        let projection: Projection = checked.scenario.model.projections[checked.index].clone();
        self.services
            .main
            .start_blue_green_held(projection)
            .map(drop)
            .map_err(|e| {
                vec![Problem::new(
                    format!("model.projections[{index}].version"),
                    e.to_string(),
                )]
            })
    }

    /// Starts building `definition` beside the running version; it takes over during a step
    /// once it is at most `switch_lag` events behind.
    pub fn start_blue_green_switching_at(
        &mut self,
        definition: Projection,
        switch_lag: u64,
    ) -> Result<BlueGreenStatus> {
        Ok(self.services.main.start_blue_green(definition, switch_lag)?)
    }

    /// Switches a projection's blue-green build in; the scenario then holds its definition.
    pub fn switch_blue_green(&mut self, projection: &str) -> Result<()> {
        self.services.main.switch_blue_green(projection)?;
        self.adopt_projections();
        Ok(())
    }

    /// Drops a projection's blue-green build.
    pub fn cancel_blue_green(&mut self, projection: &str) -> Result<()> {
        Ok(self.services.main.cancel_blue_green(projection)?)
    }

    /// Moves a stopped projection past its poison event, and answers what it skipped.
    pub fn skip(&mut self, projection: &str) -> Result<Skipped> {
        Ok(self.services.main.skip(projection)?)
    }

    /// Replaces a running projection's definition with one of the same name and version (a fixed
    /// handler); one stopped at a poison event resumes there.
    pub fn replace_projection(&mut self, definition: Projection) -> Result<()> {
        self.services.main.replace_projection(definition)?;
        self.adopt_projections();
        Ok(())
    }

    /// The runtime's projection definitions (after a switch or a fix) as the scenario's.
    /// Changes when an async projection stores its checkpoint; its documents and checkpoint stay.
    pub fn set_checkpointing(&mut self, projection: &str, checkpointing: Checkpointing) -> Result<()> {
        self.reconfigure(projection, |definition| definition.checkpointing = checkpointing)
    }

    /// Changes what an async projection does at positions still in flight; its documents and
    /// checkpoint stay.
    pub fn set_gaps(&mut self, projection: &str, gaps: Gaps) -> Result<()> {
        self.reconfigure(projection, |definition| definition.gaps = gaps)
    }

    /// Holds the next command's transaction open for `ms` simulated milliseconds (a slow writer).
    pub fn hold_next_write(&mut self, ms: u64) -> Result<()> {
        Ok(self.services.main.hold_next_write(ms)?)
    }

    /// The transactions in flight, oldest first.
    pub fn in_flight(&self) -> Vec<Flight> {
        self.services.main.in_flight()
    }

    /// What the lab shows of slow writers: the hold armed for the next command, the transactions
    /// in flight and the clock they commit by.
    pub fn writers(&self) -> Writers {
        Writers {
            armed: self.services.main.slow_writer(),
            in_flight: self.in_flight(),
            now_ms: self.services.main.store().now_ms(),
            guards: self.services.main.rebuild_guards(),
        }
    }

    /// Commits every transaction in flight now; answers how many there were.
    pub fn commit_in_flight(&mut self) -> usize {
        self.services.main.commit_in_flight()
    }

    /// Changes a running projection's definition in a way that keeps its documents.
    fn reconfigure(&mut self, projection: &str, change: impl FnOnce(&mut Projection)) -> Result<()> {
        let mut definition = self
            .services
            .main
            .model()
            .projection(projection)
            .cloned()
            .ok_or_else(|| crate::sim::Error::Unknown {
                what: "projection",
                name: projection.to_owned(),
            })?;
        change(&mut definition);
        self.replace_projection(definition)
    }

    /// Arms a crash of an async projection between writing the documents of its next batch and
    /// storing its checkpoint.
    pub fn crash_projection(&mut self, projection: &str) -> Result<()> {
        Ok(self.services.main.crash_projection(projection)?)
    }

    fn adopt_projections(&mut self) {
        if self.scenario.model.projections != self.services.main.model().projections {
            self.scenario.model.projections = self.services.main.model().projections.clone();
        }
    }
}

/// Slow writers as the projections lab shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Writers {
    /// How long the next command's transaction will be held open, if armed.
    pub armed: Option<u64>,
    /// The transactions in flight, oldest first.
    pub in_flight: Vec<Flight>,
    /// The simulated clock.
    pub now_ms: i64,
    /// Whether rebuilds are guarded.
    pub guards: bool,
}
