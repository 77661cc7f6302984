//! [`Workspace`]: what a participant works on — the scenario as drafted and the runtime that runs
//! it — with the operations the panels call. Plain Rust, no web types, so it is tested natively;
//! the components only render what it answers.
//!
//! A workspace saves as one scenario document with the store's events embedded (the versioned file
//! format), which is what autosave writes and an export downloads.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::lint::Finding;
use crate::model::edit::{self, Dependent, Edited, Kind};
use crate::model::{FieldType, Projection};
use crate::model::{Problem, Scenario};
use crate::script::{Limits, Sandbox};
use crate::sim::decider::Outcome;
use crate::sim::load::{LoadGenerator, LoadRun, LoadStatus, TickReport};
use crate::sim::spec::{self, SpecReport};
use crate::sim::{CommandRequest, Decision, Error as SimError, Expected, ProjectionStatus, Runtime, StepReport};
use crate::store::{Config, Direction, Error as StoreError, RecordedEvent, Source, Store};

use super::listing::{self, CategoryGroup, StreamFilter};

/// The scenario as drafted and its running simulation.
pub struct Workspace {
    scenario: Scenario,
    runtime: Runtime,
    /// The load generator running, if one was started (not saved: its events are).
    load: Option<LoadRun>,
}

/// What sending a command did, as the console shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    /// The decider accepted it: these events were appended (none: nothing changed).
    Appended {
        /// The command's id, `cmd-<n>`.
        command_id: String,
        /// The stream.
        stream_id: String,
        /// Each event's type and global position.
        events: Vec<(String, u64)>,
    },
    /// The decider refused it with this message.
    Rejected(String),
    /// Someone appended to the stream since it was read.
    Conflict(String),
    /// Anything else that stopped it: a payload that does not fit, a script error, a wrong stream.
    Failed(String),
}

/// How the console appends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpectedMode {
    /// With the revision the decider read (optimistic concurrency).
    #[default]
    Read,
    /// Without any check.
    Any,
    /// Only to a stream that does not exist yet.
    NoStream,
}

/// A load generator's template for a field: `{n}` for ids (the instance), numbers in a range,
/// one of an enum's values.
fn template_for(field_type: &FieldType) -> Value {
    match field_type {
        FieldType::Id => json!("{n}"),
        FieldType::Int | FieldType::Decimal => json!("{random:1..5}"),
        FieldType::Bool => json!(true),
        FieldType::Enum(values) => json!(format!("{{pick:{}}}", values.join("|"))),
        FieldType::Timestamp => json!("2026-01-01T00:00:00Z"),
        FieldType::List(_) => json!([]),
        FieldType::Object(_) => json!({}),
        FieldType::String => json!("text {i}"),
    }
}

/// How many points the growth chart has at most.
const GROWTH_POINTS: usize = 200;

/// What the charts page draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartData {
    /// Streams by length: `(bucket label, streams)`, e.g. `("5–8", 12)`.
    pub stream_lengths: Vec<(String, u64)>,
    /// Stored events per event type.
    pub per_type: Vec<(String, u64)>,
    /// Events stored over simulated time: `(timestamp ms, events so far)`.
    pub growth: Vec<(i64, u64)>,
    /// Each projection's lag, in events.
    pub lags: Vec<(String, u64)>,
}

/// Stream lengths in buckets that double: `1`, `2`, `3–4`, `5–8`, …, up to the longest.
pub fn histogram(lengths: &[u64]) -> Vec<(String, u64)> {
    let Some(&longest) = lengths.iter().max() else {
        return Vec::new();
    };
    let mut buckets: Vec<(u64, u64, u64)> = Vec::new();
    let (mut low, mut high) = (1u64, 1u64);
    while low <= longest {
        buckets.push((low, high, 0));
        low = high + 1;
        high = high.saturating_mul(2);
    }
    for &length in lengths {
        if let Some(bucket) = buckets.iter_mut().find(|(lo, hi, _)| (*lo..=*hi).contains(&length)) {
            bucket.2 += 1;
        }
    }
    buckets
        .into_iter()
        .map(|(lo, hi, n)| {
            (
                if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo}–{hi}")
                },
                n,
            )
        })
        .collect()
}

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
    /// Starts a scenario: its embedded events (if any) become the store.
    pub fn open(scenario: Scenario) -> Result<Workspace, String> {
        let runtime = Runtime::new(&scenario).map_err(|e| e.to_string())?;
        let scenario = Scenario {
            events: None,
            ..scenario
        };
        Ok(Workspace {
            scenario,
            runtime,
            load: None,
        })
    }

    /// A workspace with nothing in it.
    pub fn empty() -> Workspace {
        let scenario = Scenario {
            name: "Untitled workspace".to_owned(),
            ..Scenario::default()
        };
        let runtime = Runtime::with_store(scenario.model.clone(), Store::new(Config::default()), 0);
        Workspace {
            scenario,
            runtime,
            load: None,
        }
    }

    /// Reads a saved or exported document back, or lists every problem with it.
    pub fn restore(text: &str) -> Result<Workspace, Vec<Problem>> {
        let scenario = Scenario::import(text)?;
        Workspace::open(scenario).map_err(|message| vec![Problem::new("events", message)])
    }

    /// The scenario as drafted, without the store's events.
    pub fn save_model(&self) -> String {
        self.scenario.export()
    }

    /// The whole workspace as a scenario document with the store's events embedded.
    pub fn save(&self) -> String {
        let store = self.runtime.store();
        let events = (store.next_position() > 0)
            .then(|| serde_json::from_str::<Value>(&store.export_json()).ok())
            .flatten();
        Scenario {
            events,
            ..self.scenario.clone()
        }
        .export()
    }

    /// The scenario as drafted.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Handles a command: reads the stream, decides, appends; then lets async projections catch up.
    pub fn send(&mut self, command: &str, stream_id: &str, data: Value, expected: ExpectedMode) -> SendOutcome {
        match self.decide(command, stream_id, data, expected) {
            Ok(decision) => self.commit(&decision),
            Err(failed) => failed,
        }
    }

    /// Reads the stream and decides, without appending: the decision expects the revision read,
    /// so another append to the stream before [`Workspace::commit`] makes it a conflict.
    pub fn decide(
        &mut self,
        command: &str,
        stream_id: &str,
        data: Value,
        expected: ExpectedMode,
    ) -> Result<Decision, SendOutcome> {
        let request = CommandRequest {
            command: command.to_owned(),
            stream_id: stream_id.trim().to_owned(),
            data,
            expected: match expected {
                ExpectedMode::Read => Expected::Read,
                ExpectedMode::Any => Expected::Any,
                ExpectedMode::NoStream => Expected::NoStream,
            },
            ..CommandRequest::default()
        };
        self.runtime
            .decide(&request)
            .map_err(|error| SendOutcome::Failed(error.to_string()))
    }

    /// Appends what a decision decided (a rejection appends nothing); then lets async projections
    /// catch up.
    pub fn commit(&mut self, decision: &Decision) -> SendOutcome {
        let outcome = match (&decision.outcome, self.runtime.commit(decision)) {
            (Outcome::Rejected(rejection), _) => SendOutcome::Rejected(rejection.message.clone()),
            (Outcome::Accepted(events), Ok(committed)) => SendOutcome::Appended {
                command_id: decision.command_id.clone(),
                stream_id: decision.stream_id.clone(),
                events: events
                    .iter()
                    .map(|e| e.event_type.clone())
                    .zip(committed.positions)
                    .collect(),
            },
            (_, Err(SimError::Store(error @ StoreError::WrongExpectedVersion { .. }))) => {
                SendOutcome::Conflict(error.to_string())
            }
            (_, Err(error)) => SendOutcome::Failed(error.to_string()),
        };
        self.runtime.run_until_idle();
        outcome
    }

    /// The streams whose id matches `filter` (a part of the id, or a pattern with `*` for any
    /// run of characters, e.g. `cart-*`), grouped by category, both sorted; each group lists its
    /// first `listed` streams and counts the rest.
    pub fn streams(&self, filter: &str, listed: usize) -> Vec<CategoryGroup> {
        listing::streams(self.runtime.store(), &StreamFilter::new(filter), listed)
    }

    /// The revisions a stream's readable events span, `(first, count)`: what its metadata
    /// (truncation, max count, max age) or a soft delete left readable is always a run at its end.
    pub fn stream_span(&self, stream_id: &str) -> Option<(u64, u64)> {
        let store = self.runtime.store();
        let edge = |from, direction| {
            store
                .read(Source::Stream(stream_id), from, 1, direction)
                .ok()
                .and_then(|events| events.first().map(|e| e.revision))
        };
        let first = edge(0, Direction::Forwards)?;
        let last = edge(u64::MAX, Direction::Backwards)?;
        Some((first, last + 1 - first))
    }

    /// `count` readable events of a stream from the `offset`-th one (0: the oldest readable),
    /// oldest first: a timeline's window.
    pub fn stream_page(&self, stream_id: &str, offset: u64, count: usize) -> Vec<RecordedEvent> {
        let Some((first, _)) = self.stream_span(stream_id) else {
            return Vec::new();
        };
        self.runtime
            .store()
            .read(Source::Stream(stream_id), first + offset, count, Direction::Forwards)
            .unwrap_or_default()
    }

    /// The event at a global position, if it is readable.
    pub fn event(&self, position: u64) -> Option<RecordedEvent> {
        self.runtime
            .store()
            .read(Source::All, position, 1, Direction::Forwards)
            .ok()?
            .into_iter()
            .find(|e| e.position == position)
    }

    /// How many events the store holds.
    pub fn event_count(&self) -> u64 {
        self.runtime.store().event_count()
    }

    /// Runs the scenario's specs (all, or the one named) in a fresh sandbox, in order.
    pub fn run_specs(&self, only: Option<&str>) -> Vec<SpecReport> {
        let mut sandbox = Sandbox::new(Limits::default(), self.scenario.settings.seed);
        self.scenario
            .specs
            .iter()
            .filter(|spec| only.is_none_or(|name| spec.name() == name))
            .map(|spec| spec::run(&self.scenario.model, spec, &mut sandbox))
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

    /// Puts a drafted definition in (see [`edit::put`]) and runs the changed model; on a problem
    /// nothing changes. Answers where it now is and what else changed with it.
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
        self.runtime
            .store()
            .each_event_type()
            .find(|(name, _)| *name == event_type)
            .map_or(0, |(_, t)| t.events)
    }

    /// The stored events a changed scenario can no longer read. Only event types and upcasters
    /// decide that, so the store (maybe a million events) is read only when one of them changed.
    fn recorded_problems(&self, next: &Scenario) -> Vec<Problem> {
        let model = &self.scenario.model;
        if next.model.event_types == model.event_types && next.model.upcasters == model.upcasters {
            return Vec::new();
        }
        edit::recorded_problems(next, self.runtime.store())
    }

    fn apply(&mut self, edited: Edited) -> Result<Vec<Dependent>, Vec<Problem>> {
        let problems = self.recorded_problems(&edited.scenario);
        if !problems.is_empty() {
            return Err(problems);
        }
        self.runtime.set_model(edited.scenario.model.clone());
        self.scenario = edited.scenario;
        self.runtime.run_until_idle();
        Ok(edited.changed)
    }

    /// Every projection's status (with its blue-green build, if one runs), in the model's order.
    pub fn projections(&self) -> Vec<ProjectionStatus> {
        self.runtime.projections()
    }

    /// A projection's documents by key, at most `max` of them, and how many there are.
    pub fn documents(&self, projection: &str, max: usize) -> (Vec<(String, Value)>, usize) {
        match self.runtime.documents(projection) {
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

    /// Moves projections, rebuilds and blue-green builds forward by at most `max_events` events
    /// each; a build that switched in becomes the scenario's definition.
    pub fn step(&mut self, max_events: usize) -> StepReport {
        let report = self.runtime.step(max_events);
        if !report.switched.is_empty() {
            self.adopt_projections();
        }
        report
    }

    /// Starts an in-place rebuild: the documents are dropped and [`Workspace::step`] replays.
    pub fn rebuild(&mut self, projection: &str) -> Result<(), String> {
        self.runtime.rebuild(projection).map(drop).map_err(|e| e.to_string())
    }

    /// Starts building `definition`, the next version of a projection, beside the running one
    /// (held: it switches in only through [`Workspace::switch_blue_green`]).
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
        // Checked as the definition it will become, with everything else as it is.
        let checked = edit::put(&self.scenario, Kind::Projection, Some(index), definition)?;
        let projection: Projection = checked.scenario.model.projections[checked.index].clone();
        self.runtime.start_blue_green_held(projection).map(drop).map_err(|e| {
            vec![Problem::new(
                format!("model.projections[{index}].version"),
                e.to_string(),
            )]
        })
    }

    /// Switches a projection's blue-green build in; the scenario then holds its definition.
    pub fn switch_blue_green(&mut self, projection: &str) -> Result<(), String> {
        self.runtime.switch_blue_green(projection).map_err(|e| e.to_string())?;
        self.adopt_projections();
        Ok(())
    }

    /// Drops a projection's blue-green build.
    pub fn cancel_blue_green(&mut self, projection: &str) -> Result<(), String> {
        self.runtime.cancel_blue_green(projection).map_err(|e| e.to_string())
    }

    /// Moves a stopped projection past its poison event.
    pub fn skip(&mut self, projection: &str) -> Result<(), String> {
        self.runtime.skip(projection).map(drop).map_err(|e| e.to_string())
    }

    /// How many stored events an event type has at each schema version, and for a version the
    /// model cannot read up to the current one, why (no upcaster on the way, a version too new).
    pub fn stored_versions(&self, event_type: &str) -> Vec<StoredVersion> {
        let mut counts: BTreeMap<u32, u64> = BTreeMap::new();
        let _ = self.runtime.store().read_raw(
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
        let current = self
            .scenario
            .model
            .event_type(event_type)
            .map_or(1, |t| t.current_version());
        let mut positions = Vec::new();
        let _ = self.runtime.store().read_raw(
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
            .filter_map(|position| match self.runtime.event_views(position) {
                Ok((stored, read)) => Some(UpcastView { stored, read: Ok(read) }),
                Err(error) => {
                    let event = self.event(position)?;
                    Some(UpcastView {
                        stored: crate::sim::Envelope::from_recorded(&event),
                        read: Err(error.to_string()),
                    })
                }
            })
            .collect()
    }

    /// Adds a schema version to an event type together with the upcaster from the one before,
    /// as one change: stored events stay readable throughout. `check` only checks it.
    pub fn evolve(
        &mut self,
        event_type: usize,
        version: Value,
        upcaster: Value,
        check: bool,
    ) -> Result<(), Vec<Problem>> {
        let mut item = edit::get(&self.scenario, Kind::EventType, event_type).ok_or_else(|| {
            vec![Problem::new(
                format!("model.eventTypes[{event_type}]"),
                "no such event type",
            )]
        })?;
        match item.get_mut("versions").and_then(Value::as_array_mut) {
            Some(versions) => versions.push(version),
            None => {
                return Err(vec![Problem::new(
                    format!("model.eventTypes[{event_type}].versions"),
                    "not a list",
                )])
            }
        }
        let with_version = edit::put(&self.scenario, Kind::EventType, Some(event_type), item)?;
        let edited = edit::put(&with_version.scenario, Kind::Upcaster, None, upcaster)?;
        if check {
            let problems = self.recorded_problems(&edited.scenario);
            return if problems.is_empty() { Ok(()) } else { Err(problems) };
        }
        self.apply(edited).map(drop)
    }

    /// What the charts show, read from the store's counters and one pass over `$all`.
    pub fn chart_data(&self) -> ChartData {
        let store = self.runtime.store();
        let lengths: Vec<u64> = store
            .each_stream()
            .filter(|(_, s)| listing::shown(s))
            .map(|(_, s)| s.events)
            .collect();
        let mut per_type: Vec<(String, u64)> = store
            .each_event_type()
            .map(|(name, t)| (name.to_owned(), t.events))
            .collect();
        per_type.sort_unstable();
        let mut growth: Vec<(i64, u64)> = Vec::new();
        let total = store.next_position().max(1);
        let every = total.div_ceil(GROWTH_POINTS as u64).max(1);
        let mut seen = 0u64;
        let _ = store.read_raw(Source::All, 0, usize::MAX, Direction::Forwards, |event| {
            seen += 1;
            if seen.is_multiple_of(every) || event.position + 1 == total {
                growth.push((event.timestamp_ms, seen));
            }
        });
        let lags = self
            .runtime
            .projections()
            .into_iter()
            .map(|p| (p.name, p.lag))
            .collect();
        ChartData {
            stream_lengths: histogram(&lengths),
            per_type,
            growth,
            lags,
        }
    }

    /// A load generator for the model to start from: for the first stream type, every command
    /// in order, with a template made from each field's type.
    pub fn default_generator(&self) -> Value {
        let model = &self.scenario.model;
        let Some(stream_type) = model.stream_types.first() else {
            return json!({"name": "load", "instances": 100, "streamId": "stream-{n}", "plan": {"steps": []}});
        };
        let key = stream_type.stream_id_pattern.replace("{id}", "{n}");
        let steps: Vec<Value> = model
            .commands
            .iter()
            .filter(|c| c.stream_type == stream_type.name)
            .enumerate()
            .map(|(i, command)| {
                let data: serde_json::Map<String, Value> = command
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| (f.name.clone(), template_for(&f.field_type)))
                    .collect();
                let mut step = json!({"command": command.name, "data": data});
                if i == 1 {
                    step["repeat"] = json!([1, 5]);
                }
                step
            })
            .collect();
        json!({
            "name": format!("{} traffic", stream_type.name),
            "instances": 200,
            "streamId": key,
            "concurrency": 10,
            "intervalMs": 60_000,
            "plan": {"steps": steps},
        })
    }

    /// Starts a load generator (replacing one that runs), seeded; every problem of a bad one
    /// with its path.
    pub fn start_load(&mut self, generator: Value, seed: u64) -> Result<LoadStatus, Vec<Problem>> {
        let generator: LoadGenerator =
            serde_json::from_value(generator).map_err(|e| vec![Problem::new("", e.to_string())])?;
        let run = LoadRun::new(generator, self.runtime.model(), seed).map_err(|e| e.problems)?;
        let status = run.status();
        self.load = Some(run);
        Ok(status)
    }

    /// Sends at most `max` commands of the running generator (one with `max` 1, even when it is
    /// paused); `None` when none runs.
    pub fn tick_load(&mut self, max: usize) -> Option<TickReport> {
        let run = self.load.as_mut()?;
        Some(if max == 1 {
            run.step_one(&mut self.runtime)
        } else {
            run.tick(&mut self.runtime, max)
        })
    }

    /// Pauses or resumes the running generator.
    pub fn pause_load(&mut self, paused: bool) {
        if let Some(run) = self.load.as_mut() {
            if paused {
                run.pause();
            } else {
                run.resume();
            }
        }
    }

    /// Where the running generator is.
    pub fn load_status(&self) -> Option<LoadStatus> {
        self.load.as_ref().map(LoadRun::status)
    }

    /// The streams and their event counts as of a global position (events at positions up to and
    /// including it), without touching the present.
    pub fn streams_at(&self, position: u64) -> Vec<(String, u64)> {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        let _ = self.runtime.store().read_raw(
            Source::All,
            0,
            usize::try_from(position.saturating_add(1)).unwrap_or(usize::MAX),
            Direction::Forwards,
            |event| *counts.entry(event.stream_id).or_default() += 1,
        );
        counts.into_iter().map(|(id, n)| (id.to_owned(), n)).collect()
    }

    /// A projection's documents as of a global position, replayed aside.
    pub fn documents_at(&mut self, projection: &str, position: u64) -> Result<Vec<(String, Value)>, String> {
        self.runtime
            .documents_at(projection, position)
            .map(|docs| docs.into_iter().collect())
            .map_err(|e| e.to_string())
    }

    /// Lets every projection catch up at once.
    pub fn run_until_idle(&mut self) {
        self.runtime.run_until_idle();
    }

    /// The position the next event will get.
    pub fn head(&self) -> u64 {
        self.runtime.head()
    }

    /// The runtime's projection definitions (after a switch) as the scenario's.
    fn adopt_projections(&mut self) {
        self.scenario.model.projections = self.runtime.model().projections.clone();
    }

    /// The anti-pattern findings, kept up to date after each command.
    pub fn findings(&mut self) -> Vec<Finding> {
        self.runtime.findings().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BUILT_IN;
    use serde_json::json;

    fn cart() -> Workspace {
        let scenario = Scenario::import(BUILT_IN[0].text).unwrap_or_else(|p| panic!("{p:?}"));
        Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"))
    }

    fn event_type_index(workspace: &Workspace, name: &str) -> usize {
        let types = &workspace.scenario().model.event_types;
        types
            .iter()
            .position(|t| t.name == name)
            .unwrap_or_else(|| panic!("no event type {name}"))
    }

    fn open_cart(workspace: &mut Workspace, n: u32) -> SendOutcome {
        let data = json!({"cartId": n.to_string(), "customerId": "c-1"});
        workspace.send("OpenCart", &format!("cart-{n}"), data, ExpectedMode::Read)
    }

    #[test]
    fn a_long_stream_list_shows_its_first_streams_by_id_and_counts_the_rest() {
        let mut workspace = cart();
        for n in 1..=30 {
            open_cart(&mut workspace, n);
        }
        let data = json!({"cartId": "17", "productId": "p", "qty": 1, "unitPrice": 1});
        workspace.send("AddItem", "cart-17", data, ExpectedMode::Read);
        let groups = workspace.streams("", 5);
        let listed: Vec<&str> = groups[0].streams.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(listed, ["cart-1", "cart-10", "cart-11", "cart-12", "cart-13"]);
        assert_eq!((groups[0].matching, groups[0].events, groups[0].longest), (30, 31, 2));
        let filtered = workspace.streams("cart-2*", 5);
        assert_eq!(filtered[0].matching, 11, "cart-2 and cart-20 to cart-29");
        assert_eq!(filtered[0].longest, 1);
    }

    #[test]
    fn a_command_appends_and_its_stream_is_listed() {
        let mut workspace = cart();
        let outcome = open_cart(&mut workspace, 1);
        assert_eq!(
            outcome,
            SendOutcome::Appended {
                command_id: "cmd-1".into(),
                stream_id: "cart-1".into(),
                events: vec![("CartOpened".into(), 0)],
            }
        );
        let groups = workspace.streams("", 10);
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!((groups[0].category.as_str(), groups[0].events), ("cart", 1));
        assert_eq!(workspace.stream_span("cart-1"), Some((0, 1)));
        assert_eq!(workspace.stream_span("cart-2"), None);
        let events = workspace.stream_page("cart-1", 0, 10);
        assert_eq!(
            events.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>(),
            ["CartOpened"]
        );
        assert_eq!(workspace.event(0).map(|e| e.stream_id), Some("cart-1".to_owned()));
    }

    #[test]
    fn rejections_conflicts_and_bad_payloads_are_told_apart() {
        let mut workspace = cart();
        open_cart(&mut workspace, 1);
        assert_eq!(
            open_cart(&mut workspace, 1),
            SendOutcome::Rejected("cart already opened".into()),
            "a second opening"
        );
        // The decider accepts the item; the append then finds the stream is not new.
        let item = json!({"cartId": "1", "productId": "p", "qty": 1, "unitPrice": 5});
        let conflict = workspace.send("AddItem", "cart-1", item, ExpectedMode::NoStream);
        assert!(matches!(conflict, SendOutcome::Conflict(_)), "{conflict:?}");
        let bad = workspace.send("AddItem", "cart-1", json!({"cartId": "1"}), ExpectedMode::Read);
        assert!(
            matches!(&bad, SendOutcome::Failed(message) if message.contains("productId")),
            "{bad:?}"
        );
        assert_eq!(workspace.event_count(), 1, "nothing else was appended");
    }

    #[test]
    fn a_saved_workspace_restores_with_its_events() {
        let mut workspace = cart();
        open_cart(&mut workspace, 1);
        open_cart(&mut workspace, 2);
        let restored = Workspace::restore(&workspace.save()).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(restored.event_count(), 2);
        assert_eq!(restored.save(), workspace.save(), "save → restore → save");
        let problems = Workspace::restore("{\"format\": 1}").err().unwrap_or_default();
        assert!(!problems.is_empty(), "a broken document is refused with its problems");
    }

    #[test]
    fn the_built_in_specs_run_all_or_one_by_name() {
        let workspace = cart();
        let all = workspace.run_specs(None);
        assert_eq!(all.len(), 12, "the cart has 12 specs");
        assert!(all.iter().all(SpecReport::passed), "{all:#?}");
        let first = all[0].name.clone();
        let one = workspace.run_specs(Some(&first));
        assert_eq!(
            one.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            [first.as_str()]
        );
    }

    #[test]
    fn a_new_event_type_and_command_drafted_in_place_run() {
        let mut workspace = cart();
        let note =
            json!({"name": "NoteAdded", "versions": [{"version": 1, "fields": [{"name": "text", "type": "string"}]}]});
        workspace
            .put(Kind::EventType, None, note)
            .unwrap_or_else(|p| panic!("{p:#?}"));
        let command = json!({"name": "AddNote", "streamType": "Cart", "fields": [{"name": "text", "type": "string"}]});
        assert!(workspace.check(Kind::Command, None, &command).is_empty());
        let cart_at = 0;
        let mut cart = edit::get(workspace.scenario(), Kind::StreamType, cart_at).unwrap_or_default();
        let script = cart["script"].as_str().unwrap_or_default().replacen(
            "fn decide(command, state) {",
            "fn decide(command, state) {\n    if command.type == \"AddNote\" { return [#{ type: \"NoteAdded\", data: #{ text: command.data.text } }]; }",
            1,
        );
        cart["script"] = json!(script);
        let (at, _) = workspace
            .put(Kind::Command, None, command)
            .unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(workspace.scenario().model.commands[at].name, "AddNote");
        workspace
            .put(Kind::StreamType, Some(cart_at), cart)
            .unwrap_or_else(|p| panic!("{p:#?}"));
        let sent = workspace.send("AddNote", "cart-9", json!({"text": "hello"}), ExpectedMode::Read);
        assert!(
            matches!(&sent, SendOutcome::Appended { events, .. } if events[0].0 == "NoteAdded"),
            "{sent:?}"
        );
        let restored = Workspace::restore(&workspace.save()).unwrap_or_else(|p| panic!("{p:#?}"));
        assert!(
            restored.scenario().model.command("AddNote").is_some(),
            "saved with the work"
        );
    }

    #[test]
    fn a_refused_edit_changes_nothing() {
        let mut workspace = cart();
        open_cart(&mut workspace, 1);
        let before = workspace.save();
        let broken = json!({"name": "Cart", "streamIdPattern": "cart-{id}", "script": "fn decide(command, state) {"});
        let problems = workspace
            .put(Kind::StreamType, Some(0), broken)
            .err()
            .unwrap_or_default();
        assert!(
            problems
                .iter()
                .any(|p| p.path == "model.streamTypes[0].script" && p.line.is_some()),
            "{problems:#?}"
        );
        assert_eq!(workspace.save(), before);
    }

    #[test]
    fn an_edit_that_strands_stored_events_is_refused() {
        let mut workspace = cart();
        open_cart(&mut workspace, 1);
        let at = event_type_index(&workspace, "CartOpened");
        let mut opened = edit::get(workspace.scenario(), Kind::EventType, at).unwrap_or_default();
        let mut v2 = opened["versions"][0].clone();
        v2["version"] = json!(2);
        if let Some(versions) = opened["versions"].as_array_mut() {
            versions.push(v2);
        }
        let problems = workspace.check(Kind::EventType, Some(at), &opened);
        assert!(
            problems
                .iter()
                .any(|p| p.path == "events" && p.message.contains("CartOpened v1")),
            "{problems:#?}"
        );
        assert!(workspace.put(Kind::EventType, Some(at), opened).is_err());
        assert_eq!(
            workspace.scenario().model.event_types[at].current_version(),
            1,
            "unchanged"
        );
    }

    #[test]
    fn an_endless_loop_in_a_decider_is_stopped_with_a_message() {
        let mut workspace = cart();
        let mut cart = edit::get(workspace.scenario(), Kind::StreamType, 0).unwrap_or_default();
        cart["script"] =
            json!("fn decide(command, state) {\n    loop { }\n}\n\nfn evolve(state, event) {\n    state\n}\n");
        workspace
            .put(Kind::StreamType, Some(0), cart)
            .unwrap_or_else(|p| panic!("{p:#?}"));
        let outcome = open_cart(&mut workspace, 1);
        assert!(
            matches!(&outcome, SendOutcome::Failed(message) if message.contains("line 2")),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_version_added_with_its_upcaster_shows_old_events_upcast() {
        let mut workspace = cart();
        open_cart(&mut workspace, 1);
        let at = event_type_index(&workspace, "CartOpened");
        let version = json!({"version": 2, "fields": [
            {"name": "cartId", "type": "id"}, {"name": "customerId", "type": "id"},
            {"name": "channel", "type": "string", "required": false, "default": "web"}]});
        let upcaster = json!({"eventType": "CartOpened", "from": 1, "to": 2,
            "logic": {"ops": [{"op": "addField", "field": "channel", "default": "shop"}]}});
        let lonely = workspace.evolve(
            at,
            version.clone(),
            json!({"eventType": "CartOpened", "from": 1, "to": 2, "logic": {"ops": [{"op": "removeField", "field": "nope"}]}}),
            true,
        );
        assert!(
            lonely.is_err(),
            "an upcaster that leaves out the new required field is refused"
        );
        workspace
            .evolve(at, version, upcaster, false)
            .unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(
            workspace.stored_versions("CartOpened"),
            [StoredVersion {
                version: 1,
                events: 1,
                unreadable: None
            }]
        );
        let views = workspace.upcast_views("CartOpened", 10);
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].stored.schema_version, 1);
        let read = views[0].read.clone().unwrap_or_default();
        assert_eq!(
            (read[0].schema_version, read[0].data["channel"].as_str()),
            (2, Some("shop"))
        );
    }

    #[test]
    fn two_participants_decide_on_the_same_revision_and_the_second_append_conflicts() {
        let mut workspace = cart();
        open_cart(&mut workspace, 1);
        let item = |product: &str| json!({"cartId": "1", "productId": product, "qty": 1, "unitPrice": 5});
        let ann = workspace.decide("AddItem", "cart-1", item("p-1"), ExpectedMode::Read);
        let ben = workspace.decide("AddItem", "cart-1", item("p-2"), ExpectedMode::Read);
        let (Ok(ann), Ok(ben)) = (ann, ben) else {
            panic!("both decide")
        };
        assert!(matches!(workspace.commit(&ben), SendOutcome::Appended { .. }));
        let conflict = workspace.commit(&ann);
        assert!(
            matches!(&conflict, SendOutcome::Conflict(m) if m.contains("expected")),
            "{conflict:?}"
        );
        // The retry reads again and goes through.
        let retry = workspace.send("AddItem", "cart-1", item("p-1"), ExpectedMode::Read);
        assert!(matches!(retry, SendOutcome::Appended { .. }), "{retry:?}");
        assert_eq!(workspace.event_count(), 3);
    }

    #[test]
    fn stream_lengths_fall_in_doubling_buckets() {
        assert!(histogram(&[]).is_empty());
        let buckets = histogram(&[1, 1, 2, 3, 4, 5, 9, 16]);
        let labels: Vec<(&str, u64)> = buckets.iter().map(|(l, n)| (l.as_str(), *n)).collect();
        assert_eq!(labels, [("1", 2), ("2", 1), ("3–4", 2), ("5–8", 1), ("9–16", 2)]);
    }

    #[test]
    fn the_charts_read_lengths_types_growth_and_lag() {
        let mut workspace = cart();
        for n in 1..=3 {
            open_cart(&mut workspace, n);
        }
        let item = json!({"cartId": "1", "productId": "p", "qty": 1, "unitPrice": 5});
        workspace.send("AddItem", "cart-1", item, ExpectedMode::Read);
        let data = workspace.chart_data();
        assert_eq!(data.stream_lengths, [("1".to_owned(), 2), ("2".to_owned(), 1)]);
        assert_eq!(
            data.per_type,
            [("CartOpened".to_owned(), 3), ("ItemAdded".to_owned(), 1)]
        );
        assert_eq!(data.growth.last().map(|g| g.1), Some(4));
        assert_eq!(data.lags.len(), 2);
    }

    #[test]
    fn the_default_generator_fills_streams_and_time_travel_sees_the_past() {
        let mut workspace = cart();
        let generator = workspace.default_generator();
        workspace.start_load(generator, 7).unwrap_or_else(|p| panic!("{p:#?}"));
        while workspace.tick_load(100).is_some_and(|r| !r.done) {}
        let status = workspace.load_status().unwrap_or_else(|| panic!("a run"));
        assert!(status.done && status.accepted > 200, "{status:?}");
        assert!(workspace.event_count() > 200);
        let early = workspace.streams_at(0);
        assert_eq!(early.len(), 1, "one stream after the first event: {early:?}");
        let now = workspace.streams_at(u64::MAX);
        assert_eq!(now.iter().map(|s| s.1).sum::<u64>(), workspace.event_count());
        workspace.run_until_idle();
        let at_zero = workspace.documents_at("CartSummary", 0).unwrap_or_default();
        assert_eq!(at_zero.len(), 1);
        assert!(workspace.start_load(json!({"name": "x"}), 1).is_err());
    }
}
