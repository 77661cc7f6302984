//! Load generators in a workspace: a generator to start from, made from the model, and a run
//! started, ticked, paused, resumed and stopped.

use serde_json::{json, Value};

use super::system_run::RunStep;
use super::timelapse::DAY_MS;
use super::{Error, Result, Workspace};
use crate::model::{FieldType, Model};
use crate::sim::load::{LoadGenerator, LoadRun, LoadStatus, TickReport};

/// A simulated year, in ms.
const YEAR_MS: u64 = 365 * 86_400_000;
/// How many instances a year of traffic drives.
const YEAR_INSTANCES: u64 = 20_000;

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
        FieldType::Object(_) | FieldType::Json => json!({}),
        FieldType::String => json!("text {i}"),
    }
}

impl Workspace {
    /// A load generator for the model to start from: for the first stream type, every command
    /// in order, with a template made from each field's type.
    pub fn default_generator(&self) -> Value {
        if let Some(traffic) = &self.scenario.settings.traffic {
            return traffic.clone();
        }
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

    /// The generators a participant can start from, each with its name: the model's typical
    /// traffic, and long-lived streams, a few streams that each take the second command 150
    /// times, which grows one past the `oversized-stream` threshold within the first minute
    /// of play.
    pub fn generator_presets(&self) -> Vec<(String, Value)> {
        let typical = self.default_generator();
        let mut long_lived = typical.clone();
        let stream_type = self
            .scenario
            .model
            .stream_types
            .first()
            .map_or("stream", |s| s.name.as_str());
        long_lived["name"] = json!(format!("long-lived {stream_type} streams"));
        long_lived["instances"] = json!(3);
        long_lived["concurrency"] = json!(1);
        if let Some(step) = long_lived.pointer_mut("/plan/steps/1") {
            step["repeat"] = json!([150, 150]);
        }
        vec![
            ("Typical traffic".to_owned(), typical),
            (format!("Long-lived {stream_type} streams"), long_lived),
            ("A year of traffic".to_owned(), self.year_of_traffic()),
        ]
    }

    /// A generator of the model's typical traffic, sized and spaced to span a year of simulated
    /// time: what the time-lapse runs ("a year in a minute" at the page's speed).
    pub fn year_of_traffic(&self) -> Value {
        let mut year = self.default_generator();
        // A scenario's own traffic keeps its instances; a script plan its spacing too (how many
        // commands a script sends is known only once it runs).
        let declared = self.scenario.settings.traffic.is_some();
        if declared && year.pointer("/plan/script").is_some() {
            return year;
        }
        let per_instance = commands_per_instance(&year).max(1.0);
        let instances = match declared {
            true => year["instances"].as_u64().unwrap_or(1).max(1),
            false => YEAR_INSTANCES,
        };
        let name = year["name"].as_str().unwrap_or("traffic").to_owned();
        year["name"] = json!(format!("a year of {name}"));
        year["instances"] = json!(instances);
        if !declared {
            year["concurrency"] = json!(50);
        }
        let commands = instances as f64 * per_instance;
        year["intervalMs"] = json!(((YEAR_MS as f64 / commands) as u64).max(1));
        year
    }

    /// Starts a load generator (replacing one that runs), seeded by `seed`: the same scenario,
    /// seed and ticks give the same store.
    pub fn start_load(&mut self, generator: Value, seed: u64) -> Result<LoadStatus> {
        self.finish_clock();
        let run = load_run(generator.clone(), self.services.main.model(), seed)?;
        let status = run.status();
        self.load = Some(run);
        self.restart_time_lapse();
        self.run.note(RunStep::LoadStarted { generator, seed });
        Ok(status)
    }

    /// Sends at most `max` commands of the running generator (none while it is paused). While
    /// the system's clock lags behind a move it is making, the generator waits for it: its
    /// commands then come between whole moves, as a replay of the run log gives them.
    pub fn tick_load(&mut self, max: usize) -> Result<TickReport> {
        let run = self.load.as_mut().ok_or(Error::NoLoad)?;
        if self.clock_owed.is_some() {
            return Ok(TickReport {
                done: run.is_done(),
                ..TickReport::default()
            });
        }
        let report = self.tick_by_days(max);
        self.findings.keep_up(&mut self.services.main);
        self.run.note(RunStep::Load(report.commands));
        Ok(report)
    }

    /// Sends at most `max` commands of the running generator, stopping at the end of each
    /// simulated day to close it (the time-lapse's sample and policy), so that the days look the
    /// same however the run is sliced.
    fn tick_by_days(&mut self, max: usize) -> TickReport {
        let mut report = TickReport::default();
        while report.commands < max {
            let Some(run) = self.load.as_mut() else { break };
            let interval = i64::try_from(run.generator().interval_ms).unwrap_or(i64::MAX);
            let now = self.services.main.store().now_ms();
            let today = now.div_euclid(DAY_MS);
            // The commands that still fall within today: each moves the clock by `interval` first.
            let within = match interval {
                0 => max,
                _ => {
                    let left_today = (today + 1).saturating_mul(DAY_MS).saturating_sub(1).saturating_sub(now);
                    usize::try_from(left_today / interval).unwrap_or(max)
                }
            };
            let left = max - report.commands;
            let send = if within == 0 {
                // The next command starts another day: today is over.
                self.close_days_through(today);
                1
            } else {
                within.min(left)
            };
            let Some(run) = self.load.as_mut() else { break };
            let part = run.tick(&mut self.services.main, send);
            report.commands += part.commands;
            report.accepted += part.accepted;
            report.rejected += part.rejected;
            report.failed += part.failed;
            report.done = part.done;
            if part.commands == 0 {
                break;
            }
        }
        report
    }

    /// Sends the running generator's next command, even while it is paused.
    pub fn step_load(&mut self) -> Result<TickReport> {
        self.finish_clock();
        let run = self.load.as_mut().ok_or(Error::NoLoad)?;
        let report = run.step_one(&mut self.services.main);
        self.findings.keep_up(&mut self.services.main);
        self.run.note(RunStep::Load(report.commands));
        Ok(report)
    }

    /// Pauses the running generator: ticks send nothing until [`Workspace::resume_load`].
    pub fn pause_load(&mut self) -> Result<()> {
        self.load.as_mut().ok_or(Error::NoLoad)?.pause();
        Ok(())
    }

    /// Resumes a paused generator.
    pub fn resume_load(&mut self) -> Result<()> {
        self.load.as_mut().ok_or(Error::NoLoad)?.resume();
        Ok(())
    }

    /// Where the running generator is.
    pub fn load_status(&self) -> Option<LoadStatus> {
        self.load.as_ref().map(LoadRun::status)
    }

    /// Drops the running generator; what it sent stays in the store.
    pub fn stop_load(&mut self) {
        if self.load.take().is_some() {
            self.run.note(RunStep::LoadStopped);
        }
    }
}

/// A load generator's run from its definition, checked against `model`.
pub(super) fn load_run(generator: Value, model: &Model, seed: u64) -> Result<LoadRun> {
    let generator: LoadGenerator = serde_json::from_value(generator).map_err(|e| Error::Unreadable {
        what: "load generator",
        message: e.to_string(),
    })?;
    LoadRun::new(generator, model, seed).map_err(|e| Error::Invalid {
        what: "load generator",
        problems: e.problems,
    })
}

/// How many commands an instance of a step plan sends on average: each step's mean repeat times
/// its probability.
fn commands_per_instance(generator: &Value) -> f64 {
    let steps = generator.pointer("/plan/steps").and_then(Value::as_array);
    steps.into_iter().flatten().fold(0.0, |sum, step| {
        let probability = step["probability"].as_f64().unwrap_or(1.0);
        let repeat = |i: usize| step["repeat"].get(i).and_then(Value::as_f64).unwrap_or(1.0);
        sum + probability * (repeat(0) + repeat(1)) / 2.0
    })
}
