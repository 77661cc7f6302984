//! The system page's run: the faults set (the form is `fault_form.rs`), the run log of the page's
//! inputs since the system started, and the replay that rebuilds the system from the scenario as
//! it is now and runs the log again: the same seed and inputs give the same run, and a changed
//! definition (an outbox, an inbox) shows what it changes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{Error, Result};
use super::fault_form::FaultScope;
use super::findings::Findings;
use super::import::thresholds;
use super::system::{send_on, stage_on, Preset};
use super::workspace::Workspace;
use crate::model::{Faults, ModuleKind, Publishing, Scenario};
use crate::sim::load::LoadRun;
use crate::sim::system::Services;

/// A seed as typed: a whole number, 0 or more.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| "a seed is a whole number, 0 or more".to_owned())
}

/// An input the system page gave the running system, or traffic a load generator sent to the
/// main module; saved with the workspace as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RunStep {
    /// A command sent to a module, its data as typed.
    Command {
        /// The module (the main one when empty).
        module: String,
        /// The command.
        command: String,
        /// The stream or row id.
        stream_id: String,
        /// The data, as JSON text.
        data: String,
        /// The chain it joins; a new one when `None`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        correlation: Option<String>,
    },
    /// The clock moved this many ms, or until idle (`None`).
    Clock(Option<u64>),
    /// Faults set.
    Faults(FaultScope, Faults),
    /// A preset staged.
    Preset(Preset),
    /// A subscriber's inbox turned on or off.
    Inbox {
        /// The subscriber.
        consumer: String,
        /// On or off.
        on: bool,
        /// How long it keeps a message id.
        retention_ms: Option<u64>,
    },
    /// Parked messages delivered again: all of a subscriber's, or one.
    ReplayParked(String, Option<String>),
    /// A parked message skipped: the subscriber and the message id.
    SkipParked(String, String),
    /// A stopped subscriber started again.
    Resume(String),
    /// A load generator started on the main module, seeded.
    LoadStarted {
        /// Its definition.
        generator: Value,
        /// Its seed.
        seed: u64,
    },
    /// The running load generator sent this many commands.
    Load(usize),
    /// The load generator stopped.
    LoadStopped,
}

impl RunStep {
    /// The step in a few words, as the run log lists it.
    pub fn describe(&self) -> String {
        match self {
            RunStep::Command {
                module,
                command,
                stream_id,
                correlation,
                ..
            } => match correlation {
                None => format!("{command} → {stream_id} in {module}"),
                Some(chain) => format!("{command} → {stream_id} in {module}, in {chain}"),
            },
            RunStep::Clock(Some(ms)) => format!("clock +{ms} ms"),
            RunStep::Clock(None) => "clock until idle".to_owned(),
            RunStep::Faults(scope, _) => format!("faults set: {}", scope.label()),
            RunStep::Preset(preset) => format!("preset: {}", preset.label()),
            RunStep::Inbox { consumer, on, .. } => {
                format!("inbox of {consumer} {}", if *on { "on" } else { "off" })
            }
            RunStep::ReplayParked(consumer, None) => format!("parked messages of {consumer} replayed"),
            RunStep::ReplayParked(consumer, Some(id)) => format!("{id} replayed to {consumer}"),
            RunStep::SkipParked(consumer, id) => format!("{id} skipped by {consumer}"),
            RunStep::Resume(consumer) => format!("{consumer} resumed"),
            RunStep::LoadStarted { generator, seed } => format!(
                "load generator {} started, seed {seed}",
                generator.get("name").and_then(Value::as_str).unwrap_or("(unnamed)")
            ),
            RunStep::Load(commands) => format!("load generator sent {}", super::counted(*commands as u64, "command")),
            RunStep::LoadStopped => "load generator stopped".to_owned(),
        }
    }

    /// Gives the step to a running system; `load` is the load generator running in it.
    fn perform(&self, services: &mut Services, load: &mut Option<LoadRun>) -> Result<()> {
        match self {
            RunStep::Command {
                module,
                command,
                stream_id,
                data,
                correlation,
            } => send_on(services, module, command, stream_id, data, correlation.as_deref()).map(drop),
            RunStep::Clock(Some(ms)) => services.run(*ms).map(drop).map_err(Error::from),
            RunStep::Clock(None) => {
                services.run_until_idle();
                Ok(())
            }
            RunStep::Faults(scope, faults) => Ok(services.set_faults(scope.target(), faults)?),
            RunStep::Preset(preset) => stage_on(services, *preset),
            RunStep::Inbox {
                consumer,
                on,
                retention_ms,
            } => Ok(services.set_inbox(consumer, *on, *retention_ms)?),
            RunStep::ReplayParked(consumer, only) => services
                .replay_parked(consumer, only.as_deref())
                .map(drop)
                .map_err(Error::from),
            RunStep::SkipParked(consumer, id) => Ok(services.skip_parked(consumer, id)?),
            RunStep::Resume(consumer) => services.resume(consumer).map(drop).map_err(Error::from),
            RunStep::LoadStarted { generator, seed } => {
                *load = Some(super::load::load_run(generator.clone(), services.main.model(), *seed)?);
                Ok(())
            }
            RunStep::Load(commands) => {
                let run = load.as_mut().ok_or(Error::NoLoad)?;
                run.resume();
                run.tick(&mut services.main, *commands);
                Ok(())
            }
            RunStep::LoadStopped => {
                *load = None;
                Ok(())
            }
        }
    }
}

/// The system page's inputs since the system started, and the main module's events it started
/// from (a scenario's embedded events; none for a built-in system).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunLog {
    #[serde(default)]
    steps: Vec<RunStep>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<Value>,
}

impl RunLog {
    /// A log starting from the main module's events `start`.
    pub(super) fn starting_from(start: Option<Value>) -> RunLog {
        RunLog {
            steps: Vec::new(),
            start,
        }
    }

    /// Notes an input given. Clock moves in a row are noted as one (the same run whatever the
    /// step sizes), so a clock playing for an hour is one line, not thirty-six thousand.
    pub(super) fn note(&mut self, step: RunStep) {
        if step == RunStep::Load(0) {
            return;
        }
        match (self.steps.last_mut(), &step) {
            (Some(RunStep::Clock(Some(before))), RunStep::Clock(Some(ms))) => *before = before.saturating_add(*ms),
            // A generator's commands come in the same order however its run is cut into ticks.
            (Some(RunStep::Load(before)), RunStep::Load(sent)) => *before = before.saturating_add(*sent),
            _ => self.steps.push(step),
        }
    }

    /// Replaces `values` (JSON texts of forgotten personal data) in the commands' data with the
    /// shredded marker: the log is one more copy of what was typed. A replay then gives other
    /// events, and opening the workspace says so.
    pub(super) fn shred(&mut self, values: &[String]) {
        for step in &mut self.steps {
            if let RunStep::Command { data, .. } = step {
                if values.iter().any(|v| data.contains(v.as_str())) {
                    if let Ok(mut parsed) = serde_json::from_str::<Value>(data) {
                        shred_value(&mut parsed, values);
                        *data = parsed.to_string();
                    }
                }
            }
        }
    }
}

fn shred_value(value: &mut Value, values: &[String]) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| shred_value(v, values)),
        Value::Object(map) => map.values_mut().for_each(|v| shred_value(v, values)),
        Value::String(_) if values.contains(&value.to_string()) => {
            *value = Value::String(crate::store::SHREDDED.to_owned());
        }
        _ => {}
    }
}

impl Workspace {
    /// The system page's inputs since the system started, oldest first.
    pub fn run_log(&self) -> &[RunStep] {
        &self.run.steps
    }

    /// The preset the system runs with, as the page's buttons show it: the last one staged, none
    /// when faults were set in the form since, or before either (the scenario's own faults).
    pub fn staged_preset(&self) -> Option<Preset> {
        self.run
            .steps
            .iter()
            .rev()
            .find_map(|step| match step {
                RunStep::Preset(preset) => Some(Some(*preset)),
                RunStep::Faults(..) => Some(None),
                _ => None,
            })
            .flatten()
    }

    /// The seed the system starts from on a replay: the scenario's.
    pub fn seed(&self) -> u64 {
        self.scenario.settings.seed
    }

    /// Sets the scenario's seed (saved with it); a replay runs with it.
    pub fn set_seed(&mut self, seed: u64) {
        self.scenario.settings.seed = seed;
    }

    /// Every scope the fault form can set: the whole system, each subscriber's link, each
    /// module's publisher.
    pub fn fault_scopes(&self) -> Vec<FaultScope> {
        let services = self.services();
        std::iter::once(FaultScope::All)
            .chain(services.subscribers().into_iter().map(|s| FaultScope::Consumer(s.name)))
            .chain(services.module_names().iter().cloned().map(FaultScope::Module))
            .collect()
    }

    /// The faults `scope` has now.
    pub fn faults(&self, scope: &FaultScope) -> Result<Faults> {
        Ok(self.services().faults(scope.target())?)
    }

    /// Sets `scope`'s faults and notes it in the run log; says what it did.
    pub fn set_faults(&mut self, scope: &FaultScope, faults: Faults) -> Result<String> {
        let step = RunStep::Faults(scope.clone(), faults);
        step.perform(self.services_mut(), &mut None)?;
        self.run.note(step);
        Ok(format!("Faults set: {}", scope.label()))
    }

    /// Delivers a subscriber's parked messages again (all, or message `only`), noted in the run
    /// log; how many.
    pub fn replay_parked(&mut self, consumer: &str, only: Option<&str>) -> Result<usize> {
        let replayed = self.services_mut().replay_parked(consumer, only)?;
        self.run
            .note(RunStep::ReplayParked(consumer.to_owned(), only.map(str::to_owned)));
        Ok(replayed)
    }

    /// Drops a parked message for good, noted in the run log.
    pub fn skip_parked(&mut self, consumer: &str, message_id: &str) -> Result<()> {
        self.services_mut().skip_parked(consumer, message_id)?;
        self.run
            .note(RunStep::SkipParked(consumer.to_owned(), message_id.to_owned()));
        Ok(())
    }

    /// Starts a stopped subscriber again, noted in the run log; how many held messages it got.
    pub fn resume(&mut self, consumer: &str) -> Result<usize> {
        let held = self.services_mut().resume(consumer)?;
        self.run.note(RunStep::Resume(consumer.to_owned()));
        Ok(held)
    }

    /// Turns a consumer's (or process manager's) inbox on or off in the scenario's system, so
    /// that it is saved and a replay starts with it, and in the running system from now on.
    pub fn set_inbox(&mut self, consumer: &str, on: bool) -> Result<String> {
        let mut next = self.scenario.clone();
        let system = next.system.get_or_insert_with(Default::default);
        let retention_ms = if let Some(c) = system.consumers.iter_mut().find(|c| c.name == consumer) {
            c.inbox = on;
            c.inbox_retention_ms
        } else if let Some(p) = system.processes.iter_mut().find(|p| p.name == consumer) {
            p.inbox = on;
            None
        } else {
            return Err(crate::sim::Error::Unknown {
                what: "consumer",
                name: consumer.to_owned(),
            }
            .into());
        };
        let step = RunStep::Inbox {
            consumer: consumer.to_owned(),
            on,
            retention_ms,
        };
        let next = checked(next)?;
        step.perform(self.services_mut(), &mut None)?;
        self.scenario = next;
        self.run.note(step);
        Ok(format!(
            "The inbox of {consumer} is {}: from now on, and from the start on a replay",
            if on { "on" } else { "off" }
        ))
    }

    /// Sets how module `module` publishes in the scenario's system (saved with it): the running
    /// system publishes the new way from now on, and a replay from the start.
    pub fn set_publishing(&mut self, module: &str, publishing: Publishing) -> Result<String> {
        let mut next = self.scenario.clone();
        let Some(entry) = next
            .system
            .as_mut()
            .and_then(|s| s.modules.iter_mut().find(|m| m.name == module))
        else {
            return Err(crate::sim::Error::Unknown {
                what: "module",
                name: module.to_owned(),
            }
            .into());
        };
        entry.publishing = publishing;
        self.scenario = checked(next)?;
        let system = self.scenario.system.clone().unwrap_or_default();
        self.restart_needed = self.services.redefine(&system);
        Ok(format!(
            "{module} publishes by {} from now on, and from the start on a replay",
            publishing_words(publishing)
        ))
    }

    /// Rebuilds the system from the scenario as it is now (its definition, its seed) and the main
    /// module's events the run log started from, and gives it every input of the log again (a
    /// load generator's traffic included; a generator running stops). Says what it replayed,
    /// and which inputs failed this time (a command the changed definition no longer has, say).
    /// What reached the main module another way (a command from the workspace's console or a
    /// script) is not replayed.
    pub fn replay(&mut self) -> Result<String> {
        self.finish_clock();
        // Nothing asks it to stop: it runs the whole log.
        let Some((services, failed)) = self.rebuilt(&self.run, &mut || true)? else {
            return Ok("Replay stopped".to_owned());
        };
        self.services = services;
        self.restart_needed.clear();
        self.load = None;
        self.findings = Findings::new(thresholds(&self.scenario)).with_system(&self.scenario);
        let mut said = format!(
            "Replayed {} with seed {}",
            super::counted(self.run.steps.len() as u64, "input"),
            self.seed()
        );
        if !failed.is_empty() {
            said.push_str(&format!("; {} failed: {}", failed.len(), failed.join("; ")));
        }
        Ok(said)
    }

    /// The system `log` gives, from the scenario as it is now and the events the log starts from,
    /// and the inputs that failed on the way (described); `None` when `more`, asked before each
    /// input after the first, says to stop.
    fn rebuilt(&self, log: &RunLog, more: &mut dyn FnMut() -> bool) -> Result<Option<(Services, Vec<String>)>> {
        let start = Scenario {
            events: log.start.clone(),
            read_models: None,
            run: None,
            ..self.scenario.clone()
        };
        let mut services = Services::new(&start)?;
        let mut failed = Vec::new();
        let mut load = None;
        for (i, step) in log.steps.iter().enumerate() {
            if i > 0 && !more() {
                return Ok(None);
            }
            if let Err(error) = step.perform(&mut services, &mut load) {
                failed.push(format!("{}: {error}", step.describe()));
            }
        }
        Ok(Some((services, failed)))
    }

    /// The run log as a saved workspace keeps it: for a system, once something ran.
    pub(super) fn saved_run(&self) -> Option<Value> {
        let ran = !self.run.steps.is_empty();
        (self.scenario.system.is_some() && ran)
            .then(|| serde_json::to_value(&self.run).ok())
            .flatten()
    }

    /// Takes up the run a saved workspace kept: replays it, and when that gives the main module
    /// exactly the events that were saved, the other modules, the broker and the processes are
    /// back where they were. Otherwise the main module keeps its saved events, the rest starts
    /// empty, and [`Workspace::take_opening_notice`] says why. `more` is asked between the log's
    /// inputs whether there is time to go on (opening a page should not wait minutes for a long
    /// run); when it says no, the same.
    pub(super) fn resume_run(&mut self, saved: Value, more: &mut dyn FnMut() -> bool) {
        let log: RunLog = match serde_json::from_value(saved) {
            Ok(log) => log,
            Err(error) => {
                self.opening_notice = Some(format!(
                    "The system's run log in your saved work could not be read ({error}): the main module's events are back, the other modules start empty."
                ));
                return;
            }
        };
        let why_not = match self.rebuilt(&log, more) {
            Err(error) => Some(error.to_string()),
            Ok(None) => Some(format!(
                "its {} are too long to replay while the page opens",
                super::counted(log.steps.len() as u64, "input")
            )),
            Ok(Some((_, failed))) if !failed.is_empty() => {
                Some(format!("{} failed: {}", failed.len(), failed.join("; ")))
            }
            Ok(Some((services, _))) if services.main.store().export_json() != self.services.main.store().export_json() => {
                Some("the main module also took commands from outside the System page (its console, a script), which the log does not replay".to_owned())
            }
            Ok(Some((services, _))) => {
                self.services = services;
                self.findings = Findings::new(thresholds(&self.scenario)).with_system(&self.scenario);
                None
            }
        };
        if let Some(why) = why_not {
            self.opening_notice = Some(format!(
                "The system could not be brought back from its run log ({why}): the main module's events are back, the other modules start empty. Replay on the System page runs the log again."
            ));
        }
        self.run = log;
    }

    /// What opening the workspace could not bring back, once.
    pub fn take_opening_notice(&mut self) -> Option<String> {
        self.opening_notice.take()
    }

    /// Finishes the clock's move in progress, so that the run log holds all that ran: before a
    /// save, which keeps the log to replay.
    pub fn finish_clock_move(&mut self) {
        self.finish_clock();
    }
}

/// A module's publishing as the page's switch shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishingSwitch {
    /// The module.
    pub module: String,
    /// How the scenario says it publishes: what a replay runs.
    pub defined: Publishing,
    /// How the running system publishes.
    pub running: Publishing,
    /// The ways it may publish: dual write or outbox, and change data capture for a
    /// state-stored module.
    pub choices: Vec<Publishing>,
}

impl Workspace {
    /// Each module the scenario's system lists, with how it publishes.
    pub fn publishing_switches(&self) -> Vec<PublishingSwitch> {
        let running = self.services().modules();
        let Some(system) = &self.scenario.system else {
            return Vec::new();
        };
        system
            .modules
            .iter()
            .map(|m| {
                let mut choices = vec![Publishing::DualWrite, Publishing::Outbox];
                if m.kind == ModuleKind::StateStored {
                    choices.push(Publishing::ChangeDataCapture);
                }
                PublishingSwitch {
                    module: m.name.clone(),
                    defined: m.publishing,
                    running: running
                        .iter()
                        .find(|r| r.name == m.name)
                        .map_or(m.publishing, |r| r.publishing),
                    choices,
                }
            })
            .collect()
    }
}

/// How a module publishes, in words.
pub fn publishing_words(publishing: Publishing) -> &'static str {
    match publishing {
        Publishing::DualWrite => "dual write",
        Publishing::Outbox => "outbox",
        Publishing::ChangeDataCapture => "change data capture",
    }
}

/// A scenario changed on the system page, checked as an imported one is.
fn checked(next: Scenario) -> Result<Scenario> {
    Scenario::from_value(next.to_value()).map_err(|problems| Error::Invalid {
        what: "system",
        problems,
    })
}
