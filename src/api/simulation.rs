//! The `Simulation` class of the JavaScript API: a scenario's model running over its store
//! ([`crate::sim::Runtime`]): commands, read models, poison events, rebuilds and time travel.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;

use super::convert::{from_js, json_text, to_js, whole_number};
use super::error::{invalid, invalid_document, invalid_scenario, session_to_js, sim_to_js};
use crate::model::{is_key_path, PeriodEnd, Projection, Scenario, BUILT_IN};
use crate::session::{import, CostModel, Error as SessionError, LifecyclePolicy, Workspace};
use crate::sim::decider::Outcome;
use crate::sim::{CommandRequest, Committed, Decision, Error as SimError, Expected, RebuildFault, StepReport};
use crate::store::{ArchiveSettings, ExpectedRevision};

/// A running scenario: its model, its store and its read models (see the README's API section).
/// Built with [`Simulation::from_scenario`] or [`Simulation::built_in`].
#[wasm_bindgen]
pub struct Simulation {
    pub(super) workspace: Workspace,
    /// Decisions made by `decide` and not yet committed, by decision id.
    pending: BTreeMap<u64, Decision>,
    /// How many decisions `decide` made so far; numbers the decision ids from 1.
    decisions_made: u64,
}

/// `execute` and `decide`:
/// `{ command, streamId, data?, expected?, correlationId?, causationId?, sender?, retries? }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JsCommandRequest {
    /// Read only to route another module's command (`execute_in_module`); here it is the main one.
    #[allow(dead_code, reason = "accepted so that naming the main module is not an error")]
    module: Option<String>,
    sender: Option<String>,
    command: String,
    stream_id: String,
    data: Option<Value>,
    expected: Option<Value>,
    correlation_id: Option<String>,
    causation_id: Option<String>,
    retries: Option<u32>,
}

type JsResult<T = JsValue> = Result<T, JsValue>;

#[wasm_bindgen]
impl Simulation {
    /// Starts a scenario document (its JSON text, or the parsed object). A document that does not
    /// import throws `InvalidScenario` with `problems`: `[{ path, message, line, column }]`.
    #[wasm_bindgen(js_name = fromScenario)]
    pub fn from_scenario(document: JsValue) -> JsResult<Simulation> {
        Simulation::import(&json_text(&document, "scenario document")?)
    }

    /// Starts a scenario that ships with Eventarium, by file id (`shopping-cart`) or by name
    /// (`Shopping cart`); any other name throws `Unknown`.
    #[wasm_bindgen(js_name = builtIn)]
    pub fn built_in(name: &str) -> JsResult<Simulation> {
        if let Some(built_in) = BUILT_IN.iter().find(|b| b.id == name) {
            return Simulation::import(built_in.text);
        }
        for built_in in &BUILT_IN {
            if let Ok(scenario) = import(built_in.text) {
                if scenario.name == name {
                    return Simulation::start(scenario);
                }
            }
        }
        Err(sim_to_js(SimError::Unknown {
            what: "built-in scenario",
            name: name.to_owned(),
        }))
    }

    /// Decides a command and appends its events with the revision read, retrying a conflict
    /// `retries` times: `{ commandId, correlationId, causationId, sender, outcome: 'accepted' | 'rejected',
    /// events: [{ type, schemaVersion, data }], rejection?, expected, positions,
    /// nextExpectedRevision, attempts }`. `expected` is `'read'` (the default), `'any'`,
    /// `'no_stream'` or a revision. With `module` naming another module than the main one, the
    /// command runs there: `{ commandId, correlationId, module, outcome, rejection?, events }`
    /// (for a state-stored module `events` holds the row written, and `streamId` is the row id).
    pub fn execute(&mut self, request: JsValue) -> JsResult {
        if let Some(out) = self.execute_in_module(&request)? {
            return Ok(out);
        }
        let request = command_request(&request)?;
        let executed = self.workspace.execute(&request).map_err(session_to_js)?;
        let mut out = decision_json(&executed.decision);
        out.extend(committed_json(&executed.committed));
        out.insert("attempts".into(), executed.attempts.into());
        Ok(to_js(&Value::Object(out).to_string()))
    }

    /// Decides a command against the stream as it is now, without writing: like `execute` without
    /// `positions`, `nextExpectedRevision` and `attempts`, with a `decisionId` for `commit`.
    pub fn decide(&mut self, request: JsValue) -> JsResult {
        let request = command_request(&request)?;
        let decision = self.workspace.decide_request(&request).map_err(session_to_js)?;
        self.decisions_made += 1;
        let mut out = decision_json(&decision);
        out.insert("decisionId".into(), self.decisions_made.into());
        self.pending.insert(self.decisions_made, decision);
        Ok(to_js(&Value::Object(out).to_string()))
    }

    /// Appends a decision's events with the revision it read: `{ positions, nextExpectedRevision }`.
    /// The decision is used up, also when the commit throws (`WrongExpectedVersion` when the
    /// stream moved since the decision); an unknown id throws `Unknown`.
    pub fn commit(&mut self, decision_id: f64) -> JsResult {
        let decision = whole_number(decision_id, "decision id")
            .ok()
            .and_then(|id| self.pending.remove(&id))
            .ok_or_else(|| {
                sim_to_js(SimError::Unknown {
                    what: "decision",
                    name: decision_id.to_string(),
                })
            })?;
        let committed = self.workspace.commit_decision(&decision).map_err(session_to_js)?;
        Ok(to_js(&Value::Object(committed_json(&committed)).to_string()))
    }

    /// Every projection's status, in the model's order: `[{ name, version, lifecycle, state,
    /// checkpoint, lag, documents, poison, skipped, rebuild, blueGreen }]`.
    pub fn projections(&self) -> JsValue {
        json_to_js(&self.workspace.projections())
    }

    /// Every policy's status, in the model's order: `[{ name, lifecycle, state, checkpoint, lag,
    /// commandsSent, rejections, lastRejection, stopped, skipped }]`; `state` is `'live'`,
    /// `'catchingUp'` or `'stopped'`, `stopped` where and why (`{ position, streamId, eventType,
    /// error }`), `lastRejection` `{ position, command, streamId, message }`.
    pub fn policies(&self) -> JsValue {
        json_to_js(&self.workspace.policies())
    }

    /// One projection's status (see `projections`).
    pub fn projection(&self, name: &str) -> JsResult {
        self.workspace
            .projection(name)
            .map(|s| json_to_js(&s))
            .map_err(session_to_js)
    }

    /// A projection's documents as an object keyed by document id.
    pub fn documents(&self, name: &str) -> JsResult {
        self.workspace.read_model(name).map(json_to_js).map_err(session_to_js)
    }

    /// One document of a projection, `null` when it has none with that id.
    pub fn document(&self, name: &str, id: &str) -> JsResult {
        self.workspace
            .document(name, id)
            .map(|d| json_to_js(&d))
            .map_err(session_to_js)
    }

    /// Moves every projection that is behind, and every blue-green build, forward by at most
    /// `maxEvents` events each: `{ events, idle, switched, elapsedMs, eventsPerSecond }`. With
    /// `maxMs`, the work goes in chunks of at most 1,000 events and stops once `maxMs` have passed,
    /// so a page can step a rebuild of a million events between frames.
    pub fn step(&mut self, max_events: f64, max_ms: Option<f64>) -> JsResult {
        let max_events = usize::try_from(whole_number(max_events, "maximum number of events")?).unwrap_or(usize::MAX);
        if max_ms.is_some_and(|ms| !ms.is_finite() || ms < 0.0) {
            return Err(invalid("maxMs", "expected a number of milliseconds, 0 or more"));
        }
        let started = js_sys::Date::now();
        let chunk = if max_ms.is_some() {
            max_events.min(1_000)
        } else {
            max_events
        };
        let mut report = StepReport::default();
        let mut stepped = 0;
        loop {
            let round = self.workspace.step(chunk);
            report.events += round.events;
            report.switched.extend(round.switched);
            report.idle = round.idle;
            stepped += chunk;
            let out_of_time = max_ms.is_none_or(|ms| js_sys::Date::now() - started >= ms);
            if report.idle || stepped >= max_events || out_of_time || round.events == 0 {
                break;
            }
        }
        let elapsed_ms = js_sys::Date::now() - started;
        let events_per_second = if elapsed_ms > 0.0 {
            report.events as f64 / (elapsed_ms / 1000.0)
        } else {
            0.0
        };
        let mut out = serde_json::to_value(&report).unwrap_or_default();
        if let Value::Object(map) = &mut out {
            map.insert("elapsedMs".into(), elapsed_ms.into());
            map.insert("eventsPerSecond".into(), events_per_second.into());
        }
        Ok(to_js(&out.to_string()))
    }

    /// Steps until every projection is live or stopped and, in a system of modules, until
    /// nothing is left to deliver, relay, retry, fire or answer (the clock moving to each task's
    /// time); returns the number of events the main module's projections read.
    #[wasm_bindgen(js_name = runUntilIdle)]
    pub fn run_until_idle(&mut self) -> f64 {
        let events = self.workspace.run_until_idle();
        let services = self.workspace.services_mut();
        if services.is_system() {
            services.run_until_idle();
        }
        events as f64
    }

    /// Moves a projection stopped at a poison event past it; returns the skipped event
    /// `{ position, streamId, eventType, error }`, which its status keeps in `skipped`.
    pub fn skip(&mut self, name: &str) -> JsResult {
        self.workspace.skip(name).map(|p| json_to_js(&p)).map_err(session_to_js)
    }

    /// Replaces a running projection's definition (JSON text or object) with one of the same name
    /// and version, e.g. a fixed handler; a stopped projection resumes at its poison event.
    #[wasm_bindgen(js_name = replaceProjection)]
    pub fn replace_projection(&mut self, definition: JsValue) -> JsResult<()> {
        let definition = projection_definition(&definition)?;
        self.workspace.replace_projection(definition).map_err(session_to_js)
    }

    /// Drops a projection's documents and replays it from position 0 as `step` is called;
    /// returns `{ processed, total, guarded }` (see `rebuildWith` for the rest of a rebuild's report).
    pub fn rebuild(&mut self, name: &str) -> JsResult {
        self.workspace
            .rebuild(name)
            .map(|p| json_to_js(&p))
            .map_err(session_to_js)
    }

    /// Starts an in-place rebuild in which a fault happens halfway: `"crashHalfway"` (its
    /// rebuilder crashes) or `"secondRebuilder"` (a second one starts); see `setRebuildGuards`.
    #[wasm_bindgen(js_name = rebuildWith)]
    pub fn rebuild_with(&mut self, name: &str, fault: &str) -> JsResult {
        let fault = match fault {
            "crashHalfway" => RebuildFault::CrashHalfway,
            "secondRebuilder" => RebuildFault::SecondRebuilder,
            other => {
                return Err(invalid(
                    format!("rebuild fault {other:?}"),
                    "use \"crashHalfway\" or \"secondRebuilder\"",
                ))
            }
        };
        self.workspace
            .rebuild_with(name, fault)
            .map(|p| json_to_js(&p))
            .map_err(session_to_js)
    }

    /// Starts copying a stream type's streams into a new category (`to`, letters, digits and _),
    /// each event transformed to its current version; the copy goes on in `step`.
    #[wasm_bindgen(js_name = startMigration)]
    pub fn start_migration(&mut self, stream_type: &str, to: &str) -> JsResult<()> {
        self.workspace.start_migration(stream_type, to).map_err(session_to_js)
    }

    /// The migration, if one was started: `{ streamType, from, to, checkpoint, head, read,
    /// written, bytes, upcastSteps, dualRead?, switchedAt?, archived, error?, oldStreams,
    /// oldBytes, newStreams, newBytes }`, or `null`.
    pub fn migration(&self) -> JsValue {
        match self.workspace.migration() {
            Some(view) => to_js(&serde_json::to_string(&view).unwrap_or_default()),
            None => JsValue::NULL,
        }
    }

    /// Folds every old stream and its copy and compares the states: `{ streams, differing,
    /// named, at }`.
    #[wasm_bindgen(js_name = dualRead)]
    pub fn dual_read(&mut self) -> JsResult {
        self.workspace
            .dual_read()
            .map(|r| json_to_js(&r))
            .map_err(session_to_js)
    }

    /// Copies what is left and switches: commands to old ids go to the new streams. Returns the
    /// position of the switch.
    #[wasm_bindgen(js_name = switchMigration)]
    pub fn switch_migration(&mut self) -> JsResult<f64> {
        self.workspace
            .switch_migration()
            .map(|at| at as f64)
            .map_err(session_to_js)
    }

    /// Archives the old streams of a switched migration; returns how many.
    #[wasm_bindgen(js_name = archiveMigrated)]
    pub fn archive_migrated(&mut self) -> JsResult<f64> {
        self.workspace
            .archive_migrated()
            .map(|n| n as f64)
            .map_err(session_to_js)
    }

    /// Drops a migration before its switch, deleting its copies.
    #[wasm_bindgen(js_name = cancelMigration)]
    pub fn cancel_migration(&mut self) -> JsResult<()> {
        self.workspace.cancel_migration().map_err(session_to_js)
    }

    /// Turns the rebuild guards on (the default) or off, for rebuilds started from now on: the
    /// lock (one rebuilder at a time), the lease (a crashed rebuilder's work is taken over) and
    /// inline writes paused while an inline projection rebuilds.
    #[wasm_bindgen(js_name = setRebuildGuards)]
    pub fn set_rebuild_guards(&mut self, on: bool) {
        self.workspace.set_rebuild_guards(on);
    }

    /// Builds the next version of a projection (JSON text or object) beside the running one; it
    /// takes over during a `step` once it is at most `switchLag` events behind (0 by default).
    /// Returns `{ version, checkpoint, lag, switchLag, documents, poison }`.
    #[wasm_bindgen(js_name = startBlueGreen)]
    pub fn start_blue_green(&mut self, definition: JsValue, switch_lag: Option<f64>) -> JsResult {
        let definition = projection_definition(&definition)?;
        let switch_lag = whole_number(switch_lag.unwrap_or(0.0), "switch lag")?;
        self.workspace
            .start_blue_green_switching_at(definition, switch_lag)
            .map(|s| json_to_js(&s))
            .map_err(session_to_js)
    }

    /// Stops a projection's blue-green build and drops what it built.
    #[wasm_bindgen(js_name = cancelBlueGreen)]
    pub fn cancel_blue_green(&mut self, name: &str) -> JsResult<()> {
        self.workspace.cancel_blue_green(name).map_err(session_to_js)
    }

    /// A stream's state after the events at positions up to and including `position`.
    #[wasm_bindgen(js_name = streamStateAt)]
    pub fn stream_state_at(&mut self, stream_id: &str, position: f64) -> JsResult {
        let position = whole_number(position, "position")?;
        self.workspace
            .stream_state_at(stream_id, position)
            .map(|s| json_to_js(&s))
            .map_err(session_to_js)
    }

    /// A projection's documents (an object by id) after the events at positions up to and
    /// including `position`, replayed with the running definition; the live ones are untouched.
    #[wasm_bindgen(js_name = documentsAt)]
    pub fn documents_at(&mut self, name: &str, position: f64) -> JsResult {
        let position = whole_number(position, "position")?;
        self.workspace
            .documents_at(name, position)
            .map(|d| json_to_js(&d))
            .map_err(session_to_js)
    }

    /// The event at a position as stored and as reads see it: `{ raw, upcasted: [..] }`, each
    /// `{ type, schemaVersion, data, streamId, revision, position }`.
    pub fn event(&mut self, position: f64) -> JsResult {
        let position = whole_number(position, "position")?;
        let (raw, upcasted) = self.workspace.event_views(position).map_err(session_to_js)?;
        let upcasted: Vec<Value> = upcasted.iter().map(|e| e.to_value()).collect();
        Ok(to_js(
            &json!({ "raw": raw.to_value(), "upcasted": upcasted }).to_string(),
        ))
    }

    /// The position the next appended event will get.
    pub fn head(&self) -> f64 {
        self.workspace.head() as f64
    }

    /// Moves the simulated clock forward by `ms` milliseconds; returns the new time.
    #[wasm_bindgen(js_name = advanceClock)]
    pub fn advance_clock(&mut self, ms: f64) -> JsResult<f64> {
        let ms = whole_number(ms, "clock step")?;
        self.workspace
            .advance_clock(ms)
            .map(|now| now as f64)
            .map_err(session_to_js)
    }

    /// Arms a crash of an async projection between writing the documents of its next batch and
    /// storing its checkpoint (see `projections()[i].crashes` after the next `step`).
    #[wasm_bindgen(js_name = crashProjection)]
    pub fn crash_projection(&mut self, name: &str) -> JsResult<()> {
        self.workspace.crash_projection(name).map_err(session_to_js)
    }

    /// Sets what an async projection does at positions still in flight: `{ mode: "naive" }` or
    /// `{ mode: "highWaterMark", staleAfterMs? }`; its documents and checkpoint stay.
    #[wasm_bindgen(js_name = setGaps)]
    pub fn set_gaps(&mut self, name: &str, gaps: JsValue) -> JsResult<()> {
        let gaps = from_js(&gaps, "gaps")?;
        self.workspace.set_gaps(name, gaps).map_err(session_to_js)
    }

    /// Holds the next command's transaction open for `ms` simulated milliseconds: its events
    /// take their positions now and commit when the clock has moved that far.
    #[wasm_bindgen(js_name = holdNextWrite)]
    pub fn hold_next_write(&mut self, ms: f64) -> JsResult<()> {
        let ms = whole_number(ms, "hold")?;
        self.workspace.hold_next_write(ms).map_err(session_to_js)
    }

    /// The transactions in flight, oldest first: `[{ from, to, streamId, beganMs, commitsMs }]`.
    #[wasm_bindgen(js_name = inFlight)]
    pub fn in_flight(&self) -> JsValue {
        to_js(&serde_json::to_string(&self.workspace.in_flight()).unwrap_or_default())
    }

    /// Commits every transaction in flight now; returns how many there were.
    #[wasm_bindgen(js_name = commitInFlight)]
    pub fn commit_in_flight(&mut self) -> f64 {
        self.workspace.commit_in_flight() as f64
    }

    /// The time-lapse's daily samples since the generator started: `[{ day, events, totalEvents,
    /// hotBytes, coldBytes, longestStream, projectionLag, conflicts }]`.
    #[wasm_bindgen(js_name = timeLapse)]
    pub fn time_lapse(&self) -> JsValue {
        to_js(&serde_json::to_string(self.workspace.time_lapse()).unwrap_or_default())
    }

    /// What the days apply as they end: `{ archiveClosedAfterDays?, uploadDaily, scavengeEveryDays? }`.
    #[wasm_bindgen(js_name = setLifecyclePolicy)]
    pub fn set_lifecycle_policy(&mut self, policy: JsValue) -> JsResult<()> {
        let policy: LifecyclePolicy = from_js(&policy, "lifecycle policy")?;
        self.workspace.set_lifecycle_policy(policy);
        Ok(())
    }

    /// A generator of the model's typical traffic spanning a year of simulated time.
    #[wasm_bindgen(js_name = yearOfTraffic)]
    pub fn year_of_traffic(&self) -> JsValue {
        json_to_js(&self.workspace.year_of_traffic())
    }

    /// The lifecycle view of the store: `{ nowMs, storage, costs, closed, closedTotal, archived,
    /// longest, segments, segmentsTotal }`, costed with the default cost model.
    pub fn lifecycle(&self) -> JsValue {
        let view = self.workspace.lifecycle_view(&CostModel::default());
        to_js(&serde_json::to_string(&view).unwrap_or_default())
    }

    /// Moves a stream to the archived partition (see `EventStore.archiveStream`).
    #[wasm_bindgen(js_name = archiveStream)]
    pub fn archive_stream(&mut self, stream_id: &str) -> JsResult<()> {
        self.workspace.archive_stream(stream_id).map_err(session_to_js)
    }

    /// Brings an archived stream back.
    #[wasm_bindgen(js_name = restoreStream)]
    pub fn restore_stream(&mut self, stream_id: &str) -> JsResult<()> {
        self.workspace.restore_stream(stream_id).map_err(session_to_js)
    }

    /// Archives every closed stream (its last event ends it) idle for at least `idleMs`; returns
    /// how many.
    #[wasm_bindgen(js_name = archiveClosed)]
    pub fn archive_closed(&mut self, idle_ms: f64) -> JsResult<f64> {
        let idle_ms = whole_number(idle_ms, "idle time")?;
        self.workspace
            .archive_closed(idle_ms)
            .map(|n| n as f64)
            .map_err(session_to_js)
    }

    /// Sets the archiver up (`{ segmentEvents, retainMs, retainBytes }`) or off (`null`).
    #[wasm_bindgen(js_name = configureArchive)]
    pub fn configure_archive(&mut self, settings: JsValue) -> JsResult<()> {
        let settings: Option<ArchiveSettings> = from_js(&settings, "archive settings")?;
        self.workspace.configure_archive(settings).map_err(session_to_js)
    }

    /// Uploads the complete segments: `{ segments, events, bytes }`.
    #[wasm_bindgen(js_name = uploadSegments)]
    pub fn upload_segments(&mut self) -> JsResult {
        let report = self.workspace.upload_segments().map_err(session_to_js)?;
        Ok(to_js(&serde_json::to_string(&report).unwrap_or_default()))
    }

    /// Scavenges the store: `{ eventsRemoved, bytesReclaimed, eventsOffloaded, bytesOffloaded }`.
    pub fn scavenge(&mut self) -> JsValue {
        to_js(&serde_json::to_string(&self.workspace.scavenge()).unwrap_or_default())
    }

    /// Replaces a stream's events up to `through` (its last when omitted) with one `$compacted`
    /// event holding the state they fold to: `{ revision, eventsRemoved, bytesRemoved, snapshotBytes }`.
    #[wasm_bindgen(js_name = compactStream)]
    pub fn compact_stream(&mut self, stream_id: &str, through: Option<f64>) -> JsResult {
        let through = through.map(|t| whole_number(t, "revision")).transpose()?;
        let report = self
            .workspace
            .compact_stream(stream_id, through)
            .map_err(session_to_js)?;
        Ok(to_js(&serde_json::to_string(&report).unwrap_or_default()))
    }

    /// Appends a `$summary` event holding the stream's state and truncates before it:
    /// `{ revision, position, hidden, state }`.
    #[wasm_bindgen(js_name = summarizeStream)]
    pub fn summarize_stream(&mut self, stream_id: &str) -> JsResult {
        let report = self.workspace.summarize_stream(stream_id).map_err(session_to_js)?;
        Ok(to_js(&serde_json::to_string(&report).unwrap_or_default()))
    }

    /// What giving a stream type periods (closing the books) would change: `{ streamType,
    /// closedEvent, openedEvent, tracker, closeAfter, changes, diff, streamsToClose }`.
    /// `closeAfter` is `{ days: n }` or `{ events: n }`.
    #[wasm_bindgen(js_name = booksPlan)]
    pub fn books_plan(&self, stream_type: &str, close_after: JsValue) -> JsResult {
        let close_after = period_end(&close_after)?;
        let plan = self
            .workspace
            .books_plan(stream_type, close_after)
            .map_err(|problems| invalid_document("refactor", "InvalidRefactor", &problems))?;
        Ok(to_js(&serde_json::to_string(&plan).unwrap_or_default()))
    }

    /// Applies [`Simulation::books_plan`]: the model changes and the existing streams of the type
    /// are closed. `{ plan, closed: [{ closed, opened, position, state }], notClosed }`.
    #[wasm_bindgen(js_name = closeTheBooks)]
    pub fn close_the_books(&mut self, stream_type: &str, close_after: JsValue) -> JsResult {
        let close_after = period_end(&close_after)?;
        let applied = self
            .workspace
            .close_the_books(stream_type, close_after)
            .map_err(|problems| invalid_document("refactor", "InvalidRefactor", &problems))?;
        Ok(to_js(&serde_json::to_string(&applied).unwrap_or_default()))
    }

    /// Closes the open period of a base stream now: `{ closed, opened, position, state }`.
    #[wasm_bindgen(js_name = closeBooks)]
    pub fn close_books(&mut self, stream_id: &str) -> JsResult {
        let closed = self.workspace.close_books(stream_id).map_err(session_to_js)?;
        Ok(to_js(&serde_json::to_string(&closed).unwrap_or_default()))
    }

    /// Every stream type with periods and its bases' open periods: `[{ streamType, closeAfter,
    /// bases: [{ base, period, stream, events }], basesTotal }]`.
    pub fn books(&self) -> JsValue {
        to_js(&serde_json::to_string(&self.workspace.books_view()).unwrap_or_default())
    }

    /// Crypto-shredding as the lifecycle page shows it: `{ streamTypes: [{ name, personal, sealed,
    /// subject }], subjects: [{ subject, key, forgotten }], subjectsTotal, forgottenTotal }`.
    pub fn shredding(&self) -> JsValue {
        to_js(&serde_json::to_string(&self.workspace.shredding_view()).unwrap_or_default())
    }

    /// Makes a stream type seal its events' personal fields with the key of the subject a field
    /// names, from the next event on.
    #[wasm_bindgen(js_name = sealPersonalFields)]
    pub fn seal_personal_fields(&mut self, stream_type: &str, subject_field: &str) -> JsResult<()> {
        self.workspace
            .seal_personal_fields(stream_type, subject_field)
            .map_err(|problems| invalid_scenario(&problems))
    }

    /// Forgets a data subject: its key is dropped, every sealed copy reads as shredded.
    /// `{ subject, events, archivedCopies, projections }` (read models to rebuild).
    #[wasm_bindgen(js_name = forgetSubject)]
    pub fn forget_subject(&mut self, subject: &str) -> JsResult {
        let report = self.workspace.forget_subject(subject).map_err(session_to_js)?;
        Ok(to_js(&serde_json::to_string(&report).unwrap_or_default()))
    }

    /// What rebuilding a projection from scratch would do now: `{ projection, now, after, lost,
    /// lostTotal, changed }`.
    #[wasm_bindgen(js_name = rebuildPreview)]
    pub fn rebuild_preview(&mut self, name: &str) -> JsResult {
        let preview = self.workspace.rebuild_preview(name).map_err(session_to_js)?;
        Ok(to_js(&serde_json::to_string(&preview).unwrap_or_default()))
    }

    /// The store as a snapshot document (JSON text), as `EventStore.exportJson` writes it.
    #[wasm_bindgen(js_name = exportStore)]
    pub fn export_store(&self) -> String {
        self.workspace.export_store()
    }

    /// The lines scripts printed since the last call.
    #[wasm_bindgen(js_name = takeLog)]
    pub fn take_log(&mut self) -> Vec<String> {
        self.workspace.take_log()
    }

    /// Starts a load generator (its JSON text or object, see `eventarium::sim::load`), replacing
    /// any running one; seeded by the scenario's seed. A definition that does not check throws
    /// `InvalidLoadGenerator` with `problems`. Returns its status.
    #[wasm_bindgen(js_name = startLoad)]
    pub fn start_load(&mut self, definition: JsValue) -> JsResult {
        let text = json_text(&definition, "load generator")?;
        let generator: Value = serde_json::from_str(&text).map_err(|e| invalid("load generator", e.to_string()))?;
        let seed = self.workspace.scenario().settings.seed;
        match self.workspace.start_load(generator, seed) {
            Ok(status) => Ok(json_to_js(&status)),
            Err(SessionError::Invalid { problems, .. }) => {
                Err(invalid_document("load generator", "InvalidLoadGenerator", &problems))
            }
            Err(SessionError::Unreadable { what, message }) => Err(invalid(what, message)),
            Err(error) => Err(session_to_js(error)),
        }
    }

    /// Sends up to `maxCommands` commands of the running generator (none while paused); returns
    /// `{ commands, accepted, rejected, failed, done }`.
    #[wasm_bindgen(js_name = loadTick)]
    pub fn load_tick(&mut self, max_commands: f64) -> JsResult {
        let max = whole_number(max_commands, "maxCommands")?;
        let max = usize::try_from(max).unwrap_or(usize::MAX);
        self.workspace
            .tick_load(max)
            .map(|report| json_to_js(&report))
            .map_err(session_to_js)
    }

    /// Sends one command, even while paused.
    #[wasm_bindgen(js_name = loadStepOne)]
    pub fn load_step_one(&mut self) -> JsResult {
        self.workspace
            .step_load()
            .map(|report| json_to_js(&report))
            .map_err(session_to_js)
    }

    /// Pauses the running generator: ticks send nothing until `loadResume`.
    #[wasm_bindgen(js_name = loadPause)]
    pub fn load_pause(&mut self) -> JsResult<()> {
        self.workspace.pause_load().map_err(session_to_js)
    }

    /// Resumes a paused generator.
    #[wasm_bindgen(js_name = loadResume)]
    pub fn load_resume(&mut self) -> JsResult<()> {
        self.workspace.resume_load().map_err(session_to_js)
    }

    /// The running generator's status (counts, instances, paused, done, simulated time), or `null`.
    #[wasm_bindgen(js_name = loadStatus)]
    pub fn load_status(&self) -> JsValue {
        self.workspace
            .load_status()
            .map_or(JsValue::NULL, |status| json_to_js(&status))
    }

    /// The anti-pattern findings for the model and the store as they are now, sorted by id: each
    /// `{ id, code, severity, subject: { kind, … }, message, why, fix, learnMore }`. The first call
    /// runs every rule over the whole store; after that each command updates only what it can
    /// change (`eventarium::lint::Linter`).
    pub fn findings(&mut self) -> JsValue {
        json_to_js(self.workspace.findings())
    }

    /// Drops the running generator; what it sent stays in the store.
    #[wasm_bindgen(js_name = stopLoad)]
    pub fn stop_load(&mut self) {
        self.workspace.stop_load();
    }
}

impl Simulation {
    fn import(text: &str) -> JsResult<Simulation> {
        let scenario = import(text).map_err(|problems| invalid_scenario(&problems))?;
        Simulation::start(scenario)
    }

    fn start(scenario: Scenario) -> JsResult<Simulation> {
        Ok(Simulation {
            workspace: Workspace::open(scenario).map_err(session_to_js)?,
            pending: BTreeMap::new(),
            decisions_made: 0,
        })
    }
}

fn command_request(value: &JsValue) -> JsResult<CommandRequest> {
    let text = json_text(value, "command request")?;
    let request: JsCommandRequest =
        serde_json::from_str(&text).map_err(|e| invalid("command request", e.to_string()))?;
    Ok(CommandRequest {
        expected: expected(request.expected.as_ref())?,
        command: request.command,
        stream_id: request.stream_id,
        data: request.data.unwrap_or_else(|| json!({})),
        correlation_id: request.correlation_id,
        causation_id: request.causation_id,
        retries: request.retries.unwrap_or(0),
        sender: request.sender,
    })
}

/// `'read'` (or absent), `'any'`, `'no_stream'` or a revision.
fn expected(value: Option<&Value>) -> JsResult<Expected> {
    let refuse = |shown: String| {
        invalid(
            format!("expected {shown}"),
            "use 'read', 'any', 'no_stream' or a revision",
        )
    };
    match value {
        None | Some(Value::Null) => Ok(Expected::Read),
        Some(Value::String(text)) => match text.as_str() {
            "read" => Ok(Expected::Read),
            "any" => Ok(Expected::Any),
            "no_stream" => Ok(Expected::NoStream),
            _ => Err(refuse(format!("{text:?}"))),
        },
        Some(Value::Number(n)) => n.as_u64().map(Expected::Exact).ok_or_else(|| refuse(n.to_string())),
        Some(other) => Err(refuse(other.to_string())),
    }
}

fn projection_definition(value: &JsValue) -> JsResult<Projection> {
    let text = json_text(value, "projection definition")?;
    let definition: Projection =
        serde_json::from_str(&text).map_err(|e| invalid("projection definition", e.to_string()))?;
    if !is_key_path(&definition.key) {
        return Err(invalid(
            format!("projection key {:?}", definition.key),
            "use streamId, type, revision, position, schemaVersion or data.<field>",
        ));
    }
    Ok(definition)
}

/// The fields `execute` and `decide` share.
fn decision_json(decision: &Decision) -> Map<String, Value> {
    let (outcome, events, rejection) = match &decision.outcome {
        Outcome::Accepted(events) => {
            let events = events
                .iter()
                .map(|e| json!({ "type": e.event_type, "schemaVersion": e.schema_version, "data": e.data }))
                .collect();
            ("accepted", events, None)
        }
        Outcome::Rejected(rejection) => ("rejected", Vec::new(), Some(rejection.message.clone())),
    };
    let mut out = Map::new();
    out.insert("commandId".into(), decision.command_id.clone().into());
    out.insert("streamId".into(), decision.stream_id.clone().into());
    out.insert("correlationId".into(), decision.correlation_id.clone().into());
    out.insert("causationId".into(), decision.causation_id.clone().into());
    out.insert("sender".into(), decision.sender.clone().into());
    out.insert("outcome".into(), outcome.into());
    out.insert("events".into(), Value::Array(events));
    if let Some(message) = rejection {
        out.insert("rejection".into(), message.into());
    }
    out.insert("expected".into(), revision_json(decision.expected));
    out
}

fn committed_json(committed: &Committed) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("positions".into(), json!(committed.positions));
    out.insert(
        "nextExpectedRevision".into(),
        revision_json(committed.next_expected_revision),
    );
    out
}

/// A revision as JavaScript writes it: a number or `'any'`, `'no_stream'`, `'stream_exists'`.
fn revision_json(revision: ExpectedRevision) -> Value {
    match revision {
        ExpectedRevision::Exact(n) => n.into(),
        ExpectedRevision::Any => "any".into(),
        ExpectedRevision::NoStream => "no_stream".into(),
        ExpectedRevision::StreamExists => "stream_exists".into(),
    }
}

pub(super) fn json_to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    to_js(&serde_json::to_string(value).unwrap_or_else(|_| "null".into()))
}

/// `{ days: n }` or `{ events: n }`.
fn period_end(value: &JsValue) -> Result<PeriodEnd, JsValue> {
    from_js::<Option<PeriodEnd>>(value, "closeAfter")?
        .ok_or_else(|| invalid("closeAfter", "expected { days: n } or { events: n }"))
}
