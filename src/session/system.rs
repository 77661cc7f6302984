//! The system page's view: the scenario's modules and external systems as a map, boxes in columns
//! by how many hops a message takes to reach them, and an arrow for each topic a subscriber reads,
//! carrying the broker's live figures; and the fault presets a trainer stages in one click.

use serde_json::Value;

use super::error::{Error, Result};
use super::workspace::Workspace;
use crate::model::{ConsumerLogic, Faults, ModuleKind, Publishing, System, Window};
use crate::sim::system::{FaultTarget, LinkStats, Services};

/// A box's width and height on the map, and the gaps between boxes.
const BOX_W: f64 = 190.0;
const BOX_H: f64 = 66.0;
const GAP_X: f64 = 150.0;
const GAP_Y: f64 = 34.0;
const MARGIN: f64 = 20.0;

/// What a box on the map stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxKind {
    /// A module with a store of events.
    EventSourced,
    /// A module with tables (CRUD).
    StateStored,
    /// A system outside, called and answering.
    External,
}

/// A module or an external system, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct MapBox {
    /// The module's or the external system's name.
    pub name: String,
    /// What it is.
    pub kind: BoxKind,
    /// How it publishes, or what it answers, in words.
    pub detail: String,
    /// Events or rows held, or calls answered.
    pub size: u64,
    /// Messages lost between a change and its publish (dual write).
    pub lost: u64,
    /// Its left side on the drawing.
    pub x: f64,
    /// Its top.
    pub y: f64,
    /// Its width.
    pub w: f64,
    /// Its height.
    pub h: f64,
}

/// A subscription: messages on `topic` from `from` to the subscriber `consumer` in module `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct MapArrow {
    /// The topic.
    pub topic: String,
    /// The subscriber: a consumer or a process manager.
    pub consumer: String,
    /// The publisher's box, if the topic has one (a message from the console has none).
    pub from: Option<String>,
    /// The subscriber's module.
    pub to: String,
    /// The SVG path, from the publisher's right side to the subscriber's left side.
    pub path: String,
    /// Where its figures end (they are written right-aligned, just before the arrow's head).
    pub label_x: f64,
    /// The height its figures are written at.
    pub label_y: f64,
    /// The broker's figures for this topic and subscriber (zero before any message).
    pub stats: LinkStats,
}

impl MapArrow {
    /// The figures in a line short enough for the arrow.
    pub fn summary(&self) -> String {
        let s = &self.stats;
        let mut parts = vec![format!("{} sent", s.published), format!("{} handled", s.handled)];
        for (n, what) in [
            (s.in_flight, "in flight"),
            (s.duplicates_delivered, "duplicates"),
            (s.lost, "lost"),
            (s.parked, "parked"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        parts.join(" · ")
    }

    /// Whether something went wrong on it: a message lost or parked, or a duplicate that reached
    /// the consumer (no inbox dropped it).
    pub fn troubled(&self) -> bool {
        let s = &self.stats;
        s.lost > 0 || s.parked > 0 || s.duplicates_delivered > s.duplicates_dropped
    }
}

/// The map: boxes, arrows and the size of the drawing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SystemMap {
    /// The modules, then the external systems.
    pub boxes: Vec<MapBox>,
    /// One per topic a subscriber reads.
    pub arrows: Vec<MapArrow>,
    /// The drawing's width.
    pub width: f64,
    /// The drawing's height.
    pub height: f64,
    /// The simulated time, in ms.
    pub now_ms: i64,
    /// Tasks waiting on the simulated clock (deliveries, relays, timeouts, answers).
    pub waiting: usize,
}

/// A failure a trainer stages in one click, as the workshop stages them: each on the links or
/// publishers it concerns, every other fault off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Preset {
    /// Every fault off.
    Calm,
    /// Dual writes crash half the time between the change and the publish: messages are lost.
    DualWriteLoses,
    /// Every delivery into a payment module comes twice: without an inbox, a card is charged twice.
    Duplicates,
    /// Deliveries take 0 to 2 s: messages overtake each other.
    OutOfOrder,
    /// A malformed message on a topic a consumer's script reads: it fails every retry and is parked.
    Poison,
    /// Consumers crash before acknowledging half the time: the work is done, the message comes again.
    CrashBeforeAck,
    /// The broker delivers nothing for the next 10 s.
    Outage,
}

impl Preset {
    /// Every preset, in the order the page offers them.
    pub const ALL: [Preset; 7] = [
        Preset::Calm,
        Preset::DualWriteLoses,
        Preset::Duplicates,
        Preset::OutOfOrder,
        Preset::Poison,
        Preset::CrashBeforeAck,
        Preset::Outage,
    ];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            Preset::Calm => "No faults",
            Preset::DualWriteLoses => "Dual write loses an order",
            Preset::Duplicates => "Duplicate payment",
            Preset::OutOfOrder => "Out-of-order shipment",
            Preset::Poison => "Poison message",
            Preset::CrashBeforeAck => "Crash before ack",
            Preset::Outage => "Broker outage",
        }
    }

    /// What it stages, in a sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            Preset::Calm => "Every link and publisher runs without faults.",
            Preset::DualWriteLoses => {
                "Modules that save and then publish crash in between half the time: the order is saved, the message saying so is lost. An outbox does not lose it."
            }
            Preset::Duplicates => {
                "The broker delivers every message into a payment module twice (every message, when no module's name mentions pay): a consumer there without an inbox or an idempotency key charges the card twice."
            }
            Preset::OutOfOrder => {
                "Deliveries take up to 2 seconds: a later message (a shipment after its cancellation, say) may arrive first."
            }
            Preset::Poison => {
                "A malformed message (text where the contract has fields) is put on the first topic a consumer's script reads: the script fails on every retry and the message is parked, to skip or to replay once the consumer is fixed."
            }
            Preset::CrashBeforeAck => {
                "Consumers crash after their work and before acknowledging half the time: the broker delivers again."
            }
            Preset::Outage => "The broker delivers nothing for 10 seconds of simulated time, then catches up.",
        }
    }
}

/// The payload the poison message carries: text where a contract has fields.
pub const POISON: &str = "a malformed payload: text where the contract has fields";

/// A command a module takes, as the page's console offers it: its name and its fields' names.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleCommands {
    /// The module.
    pub module: String,
    /// Its commands (an event-sourced module's) or handlers (a state-stored one's), with the
    /// names of their fields.
    pub commands: Vec<(String, Vec<String>)>,
}

impl Workspace {
    /// Every module's commands, the main module first.
    pub fn module_commands(&self) -> Vec<ModuleCommands> {
        let services = self.services();
        let system = services.definition();
        services
            .module_names()
            .iter()
            .map(|module| {
                let commands = match services.runtime(module) {
                    Ok(runtime) => runtime
                        .model()
                        .commands
                        .iter()
                        .map(|c| (c.name.clone(), c.fields.iter().map(|f| f.name.clone()).collect()))
                        .collect(),
                    Err(_) => system
                        .module(module)
                        .map(|m| {
                            m.handlers
                                .iter()
                                .map(|h| (h.name.clone(), h.fields.iter().map(|f| f.name.clone()).collect()))
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                ModuleCommands {
                    module: module.clone(),
                    commands,
                }
            })
            .collect()
    }

    /// Runs a command typed on the system page in module `module`: `data` is the payload as JSON
    /// text. Says what it did (accepted with what it wrote, or rejected and why), or why it could
    /// not run: the text is not JSON, the module or command does not exist, or its data does not
    /// match its fields.
    pub fn send_to_module(&mut self, module: &str, command: &str, stream_id: &str, data: &str) -> Result<String> {
        self.send_in_chain(module, command, stream_id, data, None)
    }

    /// [`Workspace::send_to_module`], in the chain of `correlation` when one is given (blank is
    /// none): its events, messages and deliveries join that correlation's trace.
    pub fn send_in_chain(
        &mut self,
        module: &str,
        command: &str,
        stream_id: &str,
        data: &str,
        correlation: Option<&str>,
    ) -> Result<String> {
        let correlation = correlation.map(str::trim).filter(|c| !c.is_empty());
        let said = send_on(self.services_mut(), module, command, stream_id, data, correlation)?;
        self.run.note(super::system_run::RunStep::Command {
            module: module.to_owned(),
            command: command.to_owned(),
            stream_id: stream_id.to_owned(),
            data: data.to_owned(),
            correlation: correlation.map(str::to_owned),
        });
        Ok(said)
    }

    /// The system as a map with its live figures.
    pub fn system_map(&self) -> SystemMap {
        map_of(self.services())
    }

    /// Moves the simulated clock `ms` forward, delivering what falls due; how many tasks ran.
    pub fn run_system(&mut self, ms: u64) -> Result<usize> {
        let ran = self.services_mut().run(ms)?;
        self.run.note(super::system_run::RunStep::Clock(Some(ms)));
        Ok(ran)
    }

    /// Plays the clock: moves it `ms` on (or, if the last call stopped short, on to where that
    /// one was going), doing at most `max_tasks` of what falls due, and after the first only
    /// while `more` answers yes (the page asks whether its frame's budget is left). Answers how
    /// many tasks ran and whether the clock got there; a whole move is noted in the run log as one.
    pub fn play_system(&mut self, ms: u64, max_tasks: usize, more: &mut dyn FnMut() -> bool) -> Result<(usize, bool)> {
        let now = self.services.now();
        let (from, to) = self
            .clock_owed
            .unwrap_or((now, now.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX))));
        let (ran, reached) = self.services.run_within(to, max_tasks, more)?;
        self.clock_owed = if reached {
            self.run.note(super::system_run::RunStep::Clock(Some(
                u64::try_from(to - from).unwrap_or(0),
            )));
            None
        } else {
            Some((from, to))
        };
        Ok((ran, reached))
    }

    /// Finishes the clock move [`Workspace::play_system`] left short, if there is one.
    pub(super) fn finish_clock(&mut self) {
        if let Some((from, to)) = self.clock_owed.take() {
            // Run to the end: whatever fails then would have failed in the step that began it.
            let _ = self.services.run_within(to, usize::MAX, &mut || true);
            self.run.note(super::system_run::RunStep::Clock(Some(
                u64::try_from(to - from).unwrap_or(0),
            )));
        }
    }

    /// Whether the playing clock lags: it stopped short of where it was going.
    pub fn clock_lags(&self) -> bool {
        self.clock_owed.is_some()
    }

    /// Runs until nothing waits on the clock; how many tasks ran.
    pub fn run_system_until_idle(&mut self) -> usize {
        self.finish_clock();
        self.run.note(super::system_run::RunStep::Clock(None));
        self.services.run_until_idle()
    }

    /// Stages a preset (see [`stage_on`]) and notes it in the run log.
    pub fn stage(&mut self, preset: Preset) -> Result<()> {
        stage_on(self.services_mut(), preset)?;
        self.run.note(super::system_run::RunStep::Preset(preset));
        Ok(())
    }
}

/// Runs a command typed on the system page in a running system (see [`Workspace::send_to_module`]).
pub(super) fn send_on(
    services: &mut Services,
    module: &str,
    command: &str,
    stream_id: &str,
    data: &str,
    correlation: Option<&str>,
) -> Result<String> {
    let unreadable = |message: String| Error::Unreadable {
        what: "command",
        message,
    };
    let data: Value = serde_json::from_str(if data.trim().is_empty() { "{}" } else { data })
        .map_err(|e| unreadable(format!("the data is not JSON: {e}")))?;
    if stream_id.trim().is_empty() {
        return Err(unreadable("it needs a stream (or row) id".to_owned()));
    }
    let result = services.execute(&crate::sim::system::ModuleCommand {
        module: module.to_owned(),
        command: command.to_owned(),
        stream_id: stream_id.trim().to_owned(),
        data,
        correlation_id: correlation.map(str::to_owned),
        ..Default::default()
    })?;
    Ok(match (result.accepted, result.rejection) {
        (true, _) => format!(
            "{command} accepted in {module}: {} written (correlation {})",
            result.written.len(),
            result.correlation_id
        ),
        (false, rejection) => format!("{command} rejected in {module}: {}", rejection.unwrap_or_default()),
    })
}

/// Stages a preset on a running system: its faults on every link and publisher it concerns, the
/// others calm; the poison message is put on its topic.
pub(super) fn stage_on(services: &mut Services, preset: Preset) -> Result<()> {
    // Checked before anything changes: a preset that cannot be staged changes nothing.
    let poison = match preset {
        Preset::Poison => Some(poison_topic(services).ok_or_else(|| Error::Unreadable {
            what: "preset",
            message: "no consumer script reads a topic to put a poison message on".to_owned(),
        })?),
        _ => None,
    };
    let now = u64::try_from(services.now()).unwrap_or(0);
    services.set_faults(FaultTarget::All, &Faults::default())?;
    let mut consumers: Vec<String> = services.subscribers().into_iter().map(|s| s.name).collect();
    let faults = match preset {
        Preset::Calm => return Ok(()),
        Preset::DualWriteLoses => {
            let faults = Faults {
                publisher_crash: 0.5,
                ..Faults::default()
            };
            let dual: Vec<String> = services
                .modules()
                .into_iter()
                .filter(|m| m.publishing == Publishing::DualWrite)
                .map(|m| m.name)
                .collect();
            for module in dual {
                services.set_faults(FaultTarget::Module(&module), &faults)?;
            }
            return Ok(());
        }
        Preset::Poison => {
            if let Some(topic) = poison {
                services.inject(&topic, Value::String(POISON.to_owned()), None)?;
            }
            return Ok(());
        }
        Preset::Duplicates => {
            let paying: Vec<String> = services
                .subscribers()
                .into_iter()
                .filter(|s| s.module.to_lowercase().contains("pay"))
                .map(|s| s.name)
                .collect();
            if !paying.is_empty() {
                consumers = paying;
            }
            Faults {
                duplicate: 1.0,
                ..Faults::default()
            }
        }
        Preset::OutOfOrder => Faults {
            reorder_window_ms: 2_000,
            ..Faults::default()
        },
        Preset::CrashBeforeAck => Faults {
            consumer_crash: 0.5,
            ..Faults::default()
        },
        Preset::Outage => Faults {
            outages: vec![Window {
                from_ms: now,
                to_ms: now + 10_000,
            }],
            ..Faults::default()
        },
    };
    for consumer in consumers {
        services.set_faults(FaultTarget::Consumer(&consumer), &faults)?;
    }
    Ok(())
}

/// The topic the poison preset puts its message on: the first topic, by a module's contract, that
/// a consumer with a script reads.
pub fn poison_topic(services: &Services) -> Option<String> {
    let system = services.definition();
    system
        .consumers
        .iter()
        .filter(|c| matches!(c.logic, ConsumerLogic::Script(_)))
        .flat_map(|c| c.topics.iter())
        .find(|topic| {
            system
                .modules
                .iter()
                .any(|m| m.contracts.iter().any(|c| &c.name == *topic))
        })
        .cloned()
}

/// The map of a running system.
fn map_of(services: &Services) -> SystemMap {
    let system = services.definition();
    let modules = services.modules();
    let mut boxes: Vec<MapBox> = modules
        .iter()
        .map(|m| MapBox {
            name: m.name.clone(),
            kind: match m.kind {
                ModuleKind::EventSourced => BoxKind::EventSourced,
                ModuleKind::StateStored => BoxKind::StateStored,
            },
            detail: match m.publishing {
                Publishing::DualWrite => "dual write",
                Publishing::Outbox => "outbox",
                // Short enough for the box beside its rows; the switches spell it out.
                Publishing::ChangeDataCapture => "CDC",
            }
            .to_owned(),
            size: m.size,
            lost: m.lost,
            x: 0.0,
            y: 0.0,
            w: BOX_W,
            h: BOX_H,
        })
        .collect();
    for external in services.externals() {
        boxes.push(MapBox {
            name: external.name.clone(),
            kind: BoxKind::External,
            detail: format!("{} failed", external.failures),
            size: external.calls,
            lost: 0,
            x: 0.0,
            y: 0.0,
            w: BOX_W,
            h: BOX_H,
        });
    }
    let stats = services.message_stats();
    let mut arrows: Vec<MapArrow> = Vec::new();
    for subscriber in services.subscribers() {
        for topic in &subscriber.topics {
            let figures = stats
                .iter()
                .find(|s| &s.topic == topic && s.consumer.as_deref() == Some(subscriber.name.as_str()))
                .cloned()
                .unwrap_or_else(|| LinkStats {
                    topic: topic.clone(),
                    consumer: Some(subscriber.name.clone()),
                    ..LinkStats::default()
                });
            arrows.push(MapArrow {
                topic: topic.clone(),
                consumer: subscriber.name.clone(),
                from: publisher_of(system, topic),
                to: subscriber.module.clone(),
                path: String::new(),
                label_x: 0.0,
                label_y: 0.0,
                stats: figures,
            });
        }
    }
    let size = place(&mut boxes, &arrows);
    route(&boxes, &mut arrows);
    SystemMap {
        boxes,
        arrows,
        width: size.0,
        height: size.1,
        now_ms: services.now(),
        waiting: services.waiting(),
    }
}

/// Who publishes `topic`: the module whose contract it is, the module of `module.EventType`, or
/// the external system that answers on it.
fn publisher_of(system: &System, topic: &str) -> Option<String> {
    if let Some(module) = system
        .modules
        .iter()
        .find(|m| m.contracts.iter().any(|c| c.name == topic))
    {
        return Some(module.name.clone());
    }
    if let Some((module, _)) = topic.split_once('.') {
        return Some(module.to_owned());
    }
    system
        .externals
        .iter()
        .find(|e| e.succeeded == topic || e.failed == topic)
        .map(|e| e.name.clone())
}

/// Puts each box in a column: sources first, then each box one column right of the furthest box
/// sending to it (a cycle stops growing after as many passes as there are boxes); within a
/// column, in the order they were listed. Returns the drawing's width and height.
fn place(boxes: &mut [MapBox], arrows: &[MapArrow]) -> (f64, f64) {
    let index = |name: &str| boxes.iter().position(|b| b.name == name);
    let links: Vec<(usize, usize)> = arrows
        .iter()
        .filter_map(|a| Some((index(a.from.as_deref()?)?, index(&a.to)?)))
        .filter(|(from, to)| from != to)
        .collect();
    let mut column = vec![0usize; boxes.len()];
    for _ in 0..boxes.len() {
        let mut moved = false;
        for &(from, to) in &links {
            if column[to] < column[from] + 1 && column[from] + 1 < boxes.len() {
                column[to] = column[from] + 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let mut rows = vec![0usize; boxes.len()];
    let (mut width, mut height) = (0.0f64, 0.0f64);
    for (i, b) in boxes.iter_mut().enumerate() {
        let row = rows[column[i]];
        rows[column[i]] += 1;
        b.x = MARGIN + column[i] as f64 * (BOX_W + GAP_X);
        b.y = MARGIN + row as f64 * (BOX_H + GAP_Y);
        width = width.max(b.x + BOX_W + MARGIN);
        height = height.max(b.y + BOX_H + MARGIN);
    }
    (width, height)
}

/// Draws each arrow from its publisher's right side to its subscriber's left side; an arrow back
/// to the same or an earlier column loops under the boxes. The arrows leaving a box, and those
/// reaching one, are spread along its side, and each arrow's figures are written just before its
/// head, right-aligned: labels of arrows into one box stack instead of crossing.
fn route(boxes: &[MapBox], arrows: &mut [MapArrow]) {
    let at = |name: &str| boxes.iter().position(|b| b.name == name);
    let ends: Vec<(Option<usize>, Option<usize>)> = arrows
        .iter()
        .map(|a| (a.from.as_deref().and_then(at), at(&a.to)))
        .collect();
    // The k-th of n arrows on one side of a box, as an offset from the side's middle.
    let slot = |k: usize, n: usize| {
        let step = if n > 1 {
            ((BOX_H - 10.0) / (n - 1) as f64).clamp(10.0, 14.0)
        } else {
            0.0
        };
        (k as f64 - (n.saturating_sub(1)) as f64 / 2.0) * step
    };
    // The offset of arrow `i` on its publisher's side (`leaving`) or its subscriber's.
    let side = |i: usize, leaving: bool| {
        let pick = |j: usize| if leaving { ends[j].0 } else { ends[j].1 };
        let Some(b) = pick(i) else { return 0.0 };
        let on_side: Vec<usize> = (0..ends.len()).filter(|&j| pick(j) == Some(b)).collect();
        let k = on_side.iter().position(|&j| j == i).unwrap_or(0);
        slot(k, on_side.len())
    };
    for (i, arrow) in arrows.iter_mut().enumerate() {
        let Some(to) = ends[i].1.map(|b| &boxes[b]) else {
            continue;
        };
        let (x2, y2) = (to.x, to.y + to.h / 2.0 + side(i, false));
        let (x1, y1) = match ends[i].0.map(|b| &boxes[b]) {
            Some(from) => (from.x + from.w, from.y + from.h / 2.0 + side(i, true)),
            // From the console: a short arrow into the box.
            None => (to.x - 60.0, y2),
        };
        arrow.label_x = x2 - 8.0;
        if x2 > x1 {
            let bend = (x2 - x1) / 2.0;
            arrow.path = format!(
                "M {x1:.0} {y1:.0} C {:.0} {y1:.0}, {:.0} {y2:.0}, {x2:.0} {y2:.0}",
                x1 + bend,
                x2 - bend
            );
            arrow.label_y = y2 - 3.0;
        } else {
            let below = y1.max(y2) + BOX_H / 2.0 + GAP_Y / 2.0 + side(i, false).abs();
            arrow.path = format!(
                "M {x1:.0} {y1:.0} C {:.0} {below:.0}, {:.0} {below:.0}, {x2:.0} {y2:.0}",
                x1 + 80.0,
                x2 - 80.0
            );
            arrow.label_x = (x1 + x2) / 2.0 + 60.0;
            arrow.label_y = below - 4.0;
        }
    }
}

/// Simulated time as the page shows it: `12.345 s`, or minutes and seconds past a minute.
pub fn clock(ms: i64) -> String {
    if ms < 60_000 {
        format!("{:.3} s", ms as f64 / 1000.0)
    } else {
        format!("{} min {:.1} s", ms / 60_000, (ms % 60_000) as f64 / 1000.0)
    }
}

/// A message's payload in one line, for the dead letters' list.
pub fn payload_line(data: &Value) -> String {
    let text = data.to_string();
    if text.chars().count() > 120 {
        let cut: String = text.chars().take(119).collect();
        format!("{cut}…")
    } else {
        text
    }
}
