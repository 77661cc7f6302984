//! [`Workspace`]: what a participant works on — the scenario as drafted, the runtime that runs
//! it, the load generator running and the findings — with the operations pages and console
//! scripts call. Plain Rust, no web types.
//!
//! A workspace saves as one scenario document with the store's events embedded (the versioned file
//! format), which is what autosave writes and an export downloads. The operations live beside
//! what they work on: `console.rs` (commands), `projections.rs`, `load.rs`, `schema.rs`,
//! `travel.rs`, `charts.rs`, `reads.rs` (streams and events); this file holds the scenario and
//! its edits.

use serde_json::Value;

use super::draft::Draft;
use super::findings::Findings;
use super::import::{import, thresholds};
use super::system_run::RunLog;
use super::timelapse::TimeLapse;
use super::Result;
use crate::lint::{Finding, Thresholds};
use crate::model::edit::{self, Dependent, Edited, Kind};
use crate::model::{Problem, Scenario};
use crate::script::{Limits, Sandbox};
use crate::sim::load::LoadRun;
use crate::sim::spec::{self, SpecReport};
use crate::sim::system::Services;
use crate::sim::Runtime;
use crate::store::{Config, Store};

/// The scenario as drafted and its running simulation.
pub struct Workspace {
    pub(super) scenario: Scenario,
    /// The modules running: the main one is what the pages work on.
    pub(super) services: Services,
    /// The load generator running, if one was started (not saved: its events are).
    pub(super) load: Option<LoadRun>,
    /// The anti-pattern findings, linted on the first read and kept up to date.
    pub(super) findings: Findings,
    /// What the running system does not have yet of the system as drafted: edits that change its
    /// shape wait for [`Workspace::restart_system`].
    pub(super) restart_needed: Vec<String>,
    /// The system page's inputs since the system started, to replay.
    pub(super) run: RunLog,
    /// A clock move the playing clock has not finished, as `(from, to)` in simulated ms.
    pub(super) clock_owed: Option<(i64, i64)>,
    /// What opening a saved workspace could not bring back, for the page to say.
    pub(super) opening_notice: Option<String>,
    /// The daily samples of a generator's run and the lifecycle policy the days apply.
    pub(super) time_lapse: TimeLapse,
}

impl Workspace {
    /// Starts a scenario: its embedded events (if any) become the store.
    pub fn open(scenario: Scenario) -> Result<Workspace> {
        Workspace::open_within(scenario, &mut || true)
    }

    /// [`Workspace::open`], replaying a saved system's run log only while `more` says there is
    /// time (asked between its inputs); past that the system starts from the main module's events
    /// and [`Workspace::take_opening_notice`] says so.
    pub fn open_within(scenario: Scenario, more: &mut dyn FnMut() -> bool) -> Result<Workspace> {
        let runtime = Runtime::new(&scenario)?;
        let start = scenario.events.clone();
        Ok(Workspace::assemble(scenario, runtime, start, more))
    }

    /// The workspace of `scenario` running on `main`, its system's replay starting from the
    /// events `start`: the saved run (if any) is replayed while `more` says there is time.
    pub(super) fn assemble(
        mut scenario: Scenario,
        main: Runtime,
        start: Option<Value>,
        more: &mut dyn FnMut() -> bool,
    ) -> Workspace {
        let saved_run = scenario.run.take();
        let services = Services::with_main(&scenario, main);
        let findings = Findings::new(thresholds(&scenario)).with_system(&scenario);
        let run = RunLog::starting_from(start);
        let scenario = Scenario {
            events: None,
            read_models: None,
            ..scenario
        };
        let mut workspace = Workspace {
            scenario,
            services,
            load: None,
            findings,
            restart_needed: Vec::new(),
            run,
            clock_owed: None,
            opening_notice: None,
            time_lapse: TimeLapse::default(),
        };
        if let Some(saved) = saved_run {
            workspace.resume_run(saved, more);
        }
        workspace
    }

    /// A workspace with nothing in it.
    pub fn empty() -> Workspace {
        let scenario = Scenario {
            name: "Untitled workspace".to_owned(),
            ..Scenario::default()
        };
        let runtime = Runtime::with_store(scenario.model.clone(), Store::new(Config::default()), 0);
        Workspace {
            services: Services::with_main(&scenario, runtime),
            scenario,
            load: None,
            findings: Findings::new(Thresholds::default()),
            restart_needed: Vec::new(),
            run: RunLog::default(),
            clock_owed: None,
            opening_notice: None,
            time_lapse: TimeLapse::default(),
        }
    }

    /// Reads a saved or exported document back, or lists every problem with it.
    pub fn restore(text: &str) -> Result<Workspace, Vec<Problem>> {
        Workspace::restore_within(text, &mut || true)
    }

    /// [`Workspace::restore`], with a saved system's run log replayed only while `more` says there
    /// is time (see [`Workspace::open_within`]).
    pub fn restore_within(text: &str, more: &mut dyn FnMut() -> bool) -> Result<Workspace, Vec<Problem>> {
        let scenario = import(text)?;
        Workspace::open_within(scenario, more).map_err(|error| vec![Problem::new("events", error.to_string())])
    }

    /// The scenario as drafted, without the store's events, as the browser keeps it.
    pub fn save_model(&self) -> String {
        self.scenario.to_json()
    }

    /// The whole workspace as a compact scenario document, as the browser keeps it: the store's
    /// events embedded, and the read models built over them, so that opening it again replays
    /// nothing.
    pub fn save(&self) -> String {
        self.compact(true)
    }

    /// [`Workspace::save`] without the read models, for when storage cannot hold them: opening it
    /// again replays the store.
    pub fn save_events(&self) -> String {
        self.compact(false)
    }

    /// The compact document, the store's events written in as the store writes them: reading
    /// its megabytes into a JSON value to write them out again took most of a save's time.
    fn compact(&self, read_models: bool) -> String {
        let store = self.services.main.store();
        if store.next_position() == 0 {
            return self.with_events(false).to_json();
        }
        let head = Scenario {
            events: None,
            read_models: read_models.then(|| self.services.main.save_read_models()),
            run: self.saved_run(),
            ..self.scenario.clone()
        }
        .to_json();
        match head.strip_suffix('}') {
            Some(open) => format!("{open},\"events\":{}}}", store.export_json()),
            None => self.with_events(read_models).to_json(),
        }
    }

    /// The whole workspace as an export file: [`Workspace::save`], pretty-printed.
    pub fn export(&self) -> String {
        self.with_events(true).export()
    }

    fn with_events(&self, read_models: bool) -> Scenario {
        let store = self.services.main.store();
        let events = (store.next_position() > 0)
            .then(|| serde_json::from_str::<Value>(&store.export_json()).ok())
            .flatten();
        let read_models = (read_models && events.is_some()).then(|| self.services.main.save_read_models());
        Scenario {
            events,
            read_models,
            run: self.saved_run(),
            ..self.scenario.clone()
        }
    }

    /// The scenario as drafted.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Whether `draft` differs from what it was opened on: the saved definition, or for a new one
    /// the starting template. A blue-green build counts as changed, being a new version.
    pub fn draft_is_changed(&self, draft: &Draft) -> bool {
        let opened = match draft.index {
            _ if draft.blue_green => return true,
            Some(index) => edit::get(&self.scenario, draft.kind, index),
            None => Some(edit::template(&self.scenario, draft.kind)),
        };
        opened.as_ref() != Some(&draft.item)
    }

    /// Runs the scenario's specs (all, or the one named) in a fresh sandbox, in order.
    pub fn run_specs(&self, only: Option<&str>) -> Vec<SpecReport> {
        let mut sandbox = Sandbox::new(Limits::default(), self.scenario.settings.seed);
        self.scenario
            .specs
            .iter()
            .filter(|spec| only.is_none_or(|name| spec.name() == name))
            .map(|spec| spec::run(&self.scenario, spec, &mut sandbox))
            .collect()
    }

    /// Checks a drafted definition as it would be put at `index` (`None`: added), without
    /// applying it: every problem of the whole scenario with it, with paths and script lines.
    pub fn check(&self, kind: Kind, index: Option<usize>, item: &Value) -> Vec<Problem> {
        match edit::put(&self.scenario, kind, index, item.clone()) {
            Ok(edited) => self.recorded_problems(&edited.scenario),
            Err(problems) => problems,
        }
    }

    /// Puts a drafted definition in (see [`edit::put`]) and runs the changed model (projections
    /// that start again catch up in [`Workspace::step`]); on a problem nothing changes. Answers
    /// where it now is and what else changed with it.
    pub fn put(
        &mut self,
        kind: Kind,
        index: Option<usize>,
        item: Value,
    ) -> Result<(usize, Vec<Dependent>), Vec<Problem>> {
        let edited = edit::put(&self.scenario, kind, index, item)?;
        let index = edited.index;
        self.apply(edited).map(|changed| (index, changed))
    }

    /// Removes a definition and what cannot exist without it (listed beforehand by
    /// [`Workspace::dependents`]); on a problem nothing changes.
    pub fn remove(&mut self, kind: Kind, index: usize) -> Result<Vec<Dependent>, Vec<Problem>> {
        let edited = edit::remove(&self.scenario, kind, index)?;
        self.apply(edited)
    }

    /// What refers to a definition, as the delete confirmation lists it.
    pub fn dependents(&self, kind: Kind, index: usize) -> Vec<Dependent> {
        edit::dependents(&self.scenario, kind, index)
    }

    /// How many stored events have an event type.
    pub fn events_of_type(&self, event_type: &str) -> u64 {
        self.services
            .main
            .store()
            .each_event_type()
            .find(|(name, _)| *name == event_type)
            .map_or(0, |(_, t)| t.events)
    }

    /// The stored events a changed scenario can no longer read. Only event types and upcasters
    /// decide that, so the store (maybe a million events) is read only when one of them changed.
    pub(super) fn recorded_problems(&self, next: &Scenario) -> Vec<Problem> {
        let model = &self.scenario.model;
        if next.model.event_types == model.event_types && next.model.upcasters == model.upcasters {
            return Vec::new();
        }
        edit::recorded_problems(next, self.services.main.store())
    }

    pub(super) fn apply(&mut self, edited: Edited) -> Result<Vec<Dependent>, Vec<Problem>> {
        let problems = self.recorded_problems(&edited.scenario);
        if !problems.is_empty() {
            return Err(problems);
        }
        self.services.main.set_model(edited.scenario.model.clone());
        if edited.scenario.system != self.scenario.system {
            let system = edited.scenario.system.clone().unwrap_or_default();
            self.restart_needed = self.services.redefine(&system);
        }
        self.scenario = edited.scenario;
        Ok(edited.changed)
    }

    /// What of the system as drafted waits for a restart, in words; empty when the running
    /// system is the drafted one.
    pub fn restart_needed(&self) -> &[String] {
        &self.restart_needed
    }

    /// Starts the system again as drafted: the main module keeps its events and read models, the
    /// other modules, the broker and the process managers start empty on the same clock.
    pub fn restart_system(&mut self) {
        self.finish_clock();
        let placeholder = Runtime::with_store(Default::default(), Store::new(Config::default()), 0);
        let main = std::mem::replace(&mut self.services.main, placeholder);
        self.services = Services::with_main(&self.scenario, main);
        self.restart_needed.clear();
        // A replay starts from here: what ran before the restart is gone from the other modules.
        self.run = RunLog::starting_from(self.with_events(false).events);
    }

    /// The runtime, to read what no page needs yet (the benchmarks, the tests).
    pub fn runtime(&self) -> &Runtime {
        &self.services.main
    }

    /// The scenario's modules and the broker between them.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// The modules, to run commands across them, move the clock, replay parked messages. A clock
    /// move the playing clock left short is finished first, so that every input comes between
    /// whole moves, as a replay gives them.
    pub fn services_mut(&mut self) -> &mut Services {
        self.finish_clock();
        &mut self.services
    }

    /// The anti-pattern findings for the model and the store as they are now, sorted by id: the
    /// first read lints everything, later ones move on over what changed since.
    pub fn findings(&mut self) -> &[Finding] {
        self.findings.read(&mut self.services.main)
    }

    /// Sets the lint thresholds; the next read of the findings lints everything with them.
    pub fn set_thresholds(&mut self, thresholds: Thresholds) {
        self.findings.set_thresholds(thresholds, &mut self.services.main);
    }

    /// Whether the next read of the findings lints everything again, rather than moving on.
    pub fn findings_are_stale(&self) -> bool {
        self.findings.is_stale(&self.services.main)
    }
}
