//! How a run sends: the active instances take turns (round-robin), each with its next command
//! already planned, from its steps as they are reached or from the list `generate(n)` returned.

use std::collections::VecDeque;

use serde_json::Value;

use super::random::{instance_seed, Rng};
use super::script::generate;
use super::template::{render_text, Node, Point};
use super::{LoadRun, TickReport, KEPT_ERRORS};
use crate::script::{Sandbox, ScriptId};
use crate::sim::decider::Outcome;
use crate::sim::{CommandRequest, Runtime};

impl LoadRun {
    pub(super) fn run(&mut self, runtime: &mut Runtime, max_commands: usize) -> TickReport {
        let mut report = TickReport::default();
        // Instances that plan no command take no turn, so starts are bounded separately.
        let mut starts_left = max_commands.saturating_add(self.generator.concurrency as usize);
        while report.commands < max_commands {
            let Some(item) = self.next_item(&mut starts_left) else {
                break;
            };
            self.send(runtime, item, &mut report);
        }
        report.done = self.is_done();
        report
    }

    /// The next command in round-robin order, starting instances as others finish.
    fn next_item(&mut self, starts_left: &mut usize) -> Option<Item> {
        if !self.fill(starts_left) {
            return None;
        }
        let count = self.active.len();
        let index = self.cursor.checked_rem(count)?;
        let instance = self.active.get_mut(index)?;
        let item = instance.next.take();
        instance.next = instance.advance(self.plan.steps());
        if instance.next.is_none() {
            self.active.remove(index);
            self.finished += 1;
            self.cursor = index;
        } else {
            self.cursor = index + 1;
        }
        item
    }

    /// Starts instances until `concurrency` are active or all have started, and says whether it got
    /// there before `starts_left` ran out. A tick stops rather than go on with fewer active
    /// instances, so the order of the commands does not depend on how a run is cut into ticks.
    fn fill(&mut self, starts_left: &mut usize) -> bool {
        while self.active.len() < self.generator.concurrency as usize && self.started < self.generator.instances {
            if *starts_left == 0 {
                return false;
            }
            *starts_left -= 1;
            self.started += 1;
            let n = self.started;
            let stream_id = render_text(&self.stream_id, Point { n, i: 0 }, &mut Rng(0));
            let source = match &mut self.plan {
                Compiled::Steps(_) => Source::Steps(Cursor::new(instance_seed(self.seed, n))),
                Compiled::Script { sandbox, script } => {
                    Source::Listed(generate(sandbox, *script, instance_seed(self.seed, n), n, &stream_id))
                }
            };
            let mut instance = Active {
                n,
                stream_id,
                source,
                next: None,
            };
            instance.next = instance.advance(self.plan.steps());
            if instance.next.is_some() {
                self.active.push(instance);
            } else {
                self.finished += 1;
            }
        }
        true
    }

    fn send(&mut self, runtime: &mut Runtime, item: Item, report: &mut TickReport) {
        self.sent += 1;
        report.commands += 1;
        let result = item.and_then(|request| {
            // Through the runtime, not the store: the findings then move on with the clock
            // instead of being marked stale (a full lint at the next look).
            runtime
                .advance_clock(self.generator.interval_ms)
                .map_err(|error| format!("{} to {}: {error}", request.command, request.stream_id))?;
            self.simulated_ms = self.simulated_ms.saturating_add(self.generator.interval_ms);
            runtime
                .execute(&request)
                .map_err(|error| format!("{} to {}: {error}", request.command, request.stream_id))
        });
        match result.map(|executed| executed.decision.outcome) {
            Ok(Outcome::Accepted(_)) => {
                self.accepted += 1;
                report.accepted += 1;
            }
            Ok(Outcome::Rejected(_)) => {
                self.rejected += 1;
                report.rejected += 1;
            }
            Err(message) => {
                self.failed += 1;
                report.failed += 1;
                if self.last_errors.len() == KEPT_ERRORS {
                    self.last_errors.pop_front();
                }
                self.last_errors.push_back(format!("command {}: {message}", self.sent));
            }
        }
    }
}

/// A command to send, or why the plan could not produce it.
pub(super) type Item = Result<CommandRequest, String>;

#[derive(Debug)]
pub(super) enum Compiled {
    Steps(Vec<CompiledStep>),
    Script { sandbox: Box<Sandbox>, script: ScriptId },
}

impl Compiled {
    fn steps(&self) -> &[CompiledStep] {
        match self {
            Compiled::Steps(steps) => steps,
            Compiled::Script { .. } => &[],
        }
    }
}

#[derive(Debug)]
pub(super) struct CompiledStep {
    pub(super) command: String,
    pub(super) data: Node,
    pub(super) min: u32,
    pub(super) max: u32,
    pub(super) probability: f64,
}

/// An instance being driven, with its next command already planned (`None`: it is done).
#[derive(Debug)]
pub(super) struct Active {
    n: u32,
    stream_id: String,
    source: Source,
    next: Option<Item>,
}

#[derive(Debug)]
enum Source {
    Steps(Cursor),
    Listed(VecDeque<Item>),
}

/// Where an instance is in a step plan: steps are drawn as they are reached.
#[derive(Debug)]
struct Cursor {
    rng: Rng,
    next_step: usize,
    current: usize,
    left: u32,
    repetition: u32,
}

impl Cursor {
    fn new(seed: u64) -> Cursor {
        Cursor {
            rng: Rng(seed),
            next_step: 0,
            current: 0,
            left: 0,
            repetition: 0,
        }
    }

    /// The next (step, repetition) to send, drawing inclusion and repeat counts as steps are reached.
    fn next(&mut self, steps: &[CompiledStep]) -> Option<(usize, u32)> {
        while self.left == 0 {
            let step = steps.get(self.next_step)?;
            self.current = self.next_step;
            self.next_step += 1;
            let included = self.rng.chance(step.probability);
            let count = self.rng.between(i64::from(step.min), i64::from(step.max));
            self.left = if included {
                u32::try_from(count).unwrap_or(step.min)
            } else {
                0
            };
            self.repetition = 0;
        }
        self.left -= 1;
        self.repetition += 1;
        Some((self.current, self.repetition - 1))
    }
}

impl Active {
    fn advance(&mut self, steps: &[CompiledStep]) -> Option<Item> {
        match &mut self.source {
            Source::Listed(items) => items.pop_front(),
            Source::Steps(cursor) => {
                let (index, i) = cursor.next(steps)?;
                let step = steps.get(index)?;
                let data = step.data.render(Point { n: self.n, i }, &mut cursor.rng);
                Some(Ok(request(step.command.clone(), self.stream_id.clone(), data)))
            }
        }
    }
}

pub(super) fn request(command: String, stream_id: String, data: Value) -> CommandRequest {
    CommandRequest {
        command,
        stream_id,
        data,
        retries: 1,
        ..CommandRequest::default()
    }
}
