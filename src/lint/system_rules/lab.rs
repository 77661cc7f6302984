//! [`Lab`]: a scenario's definitions without its events or faults, to start fresh services from;
//! the sample messages the running rules hand them; and where two runs' holdings differ.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::model::{fill_payload, EventType, Faults, Field, FieldType, Model, Scenario, System};
use crate::sim::system::{Holdings, Services};

/// The value every id of a sample takes, so that samples of two topics concern the same thing.
const SAMPLE_ID: &str = "1";

/// The longest a value is quoted in a message.
const QUOTED: usize = 80;

/// A scenario's definitions (the main model, the system, the settings), its events left out and
/// its faults switched off: what the running rules start fresh services from.
pub(crate) struct Lab {
    scenario: Scenario,
    system: System,
}

/// A made-up message on a topic.
pub(crate) struct Sample {
    /// The topic.
    pub(crate) topic: String,
    /// The module that publishes it.
    pub(crate) source: String,
    /// Its payload: every field of the topic's schema.
    pub(crate) data: Value,
}

/// A consumer or a process manager reading a topic.
pub(crate) struct Reader<'s> {
    /// Its name.
    pub(crate) name: &'s str,
    /// `consumer` or `process`.
    pub(crate) kind: &'static str,
    /// Its module.
    pub(crate) module: &'s str,
}

impl Lab {
    /// The lab of a scenario with a system; `None` for a scenario of one module.
    pub(crate) fn new(scenario: &Scenario) -> Option<Lab> {
        let mut system = scenario.system.clone()?;
        system.faults = Faults::default();
        for module in &mut system.modules {
            module.faults = None;
        }
        for consumer in &mut system.consumers {
            consumer.faults = None;
        }
        let scenario = Scenario {
            name: scenario.name.clone(),
            settings: scenario.settings.clone(),
            model: scenario.model.clone(),
            system: Some(system.clone()),
            ..Scenario::default()
        };
        Some(Lab { scenario, system })
    }

    /// The system, without its faults.
    pub(crate) fn system(&self) -> &System {
        &self.system
    }

    /// Puts in the main module's model as it is now; whether it changed.
    pub(crate) fn set_model(&mut self, model: &Model) -> bool {
        if self.scenario.model == *model {
            return false;
        }
        self.scenario.model = model.clone();
        true
    }

    /// Fresh services: the main module over an empty store, the other modules empty; `None`
    /// when they do not start.
    pub(crate) fn services(&self) -> Option<Services> {
        Services::new(&self.scenario).ok()
    }

    /// The consumers and process managers that read `topic`, consumers first.
    pub(crate) fn readers(&self, topic: &str) -> Vec<Reader<'_>> {
        let consumers = self
            .system
            .consumers
            .iter()
            .map(|c| (c.name.as_str(), "consumer", c.module.as_str(), &c.topics));
        let processes = self
            .system
            .processes
            .iter()
            .map(|p| (p.name.as_str(), "process", p.module.as_str(), &p.topics));
        consumers
            .chain(processes)
            .filter(|(_, _, _, topics)| topics.iter().any(|t| t == topic))
            .map(|(name, kind, module, _)| Reader { name, kind, module })
            .collect()
    }

    /// A sample message on `topic`: every field of its schema's current version with a value of
    /// its type (ids `"1"`, numbers 1, an enum's first value, one item in a list), filled and
    /// checked like a payload. `None` for a topic with no schema (an external system's answers)
    /// or a schema the sample does not fit.
    pub(crate) fn sample(&self, topic: &str) -> Option<Sample> {
        let (source, event_type) = self.schema(topic)?;
        let fields = &event_type.current()?.fields;
        let data = fill_payload(topic, fields, &sample_object(fields)).ok()?;
        Some(Sample {
            topic: topic.to_owned(),
            source: source.to_owned(),
            data,
        })
    }

    /// The module that publishes `topic` and its schema: a contract, or `module.EventType`.
    fn schema(&self, topic: &str) -> Option<(&str, &EventType)> {
        for module in &self.system.modules {
            if let Some(contract) = module.contracts.iter().find(|c| c.name == topic) {
                return Some((module.name.as_str(), contract));
            }
        }
        let (module, event_type) = private_topic(&self.system, topic)?;
        let (module, model) = if module == self.system.main {
            (self.system.main.as_str(), &self.scenario.model)
        } else {
            let module = self.system.module(module)?;
            (module.name.as_str(), module.model.as_ref()?)
        };
        Some((module, model.event_type(event_type)?))
    }
}

/// `module.EventType` split, when `topic` is another module's private event type rather than a
/// contract or an external system's answer.
pub(crate) fn private_topic<'t>(system: &System, topic: &'t str) -> Option<(&'t str, &'t str)> {
    let is_contract = system
        .modules
        .iter()
        .any(|m| m.contracts.iter().any(|c| c.name == topic));
    let is_answer = system
        .externals
        .iter()
        .any(|e| e.succeeded == topic || e.failed == topic);
    if is_contract || is_answer {
        return None;
    }
    let (module, event_type) = topic.split_once('.')?;
    let known = module == system.main || system.module(module).is_some();
    known.then_some((module, event_type))
}

fn sample_object(fields: &[Field]) -> Value {
    let map: Map<String, Value> = fields
        .iter()
        .map(|field| (field.name.clone(), sample_value(&field.field_type)))
        .collect();
    Value::Object(map)
}

fn sample_value(field_type: &FieldType) -> Value {
    match field_type {
        FieldType::Id => json!(SAMPLE_ID),
        FieldType::Int | FieldType::Decimal => json!(1),
        FieldType::Bool => json!(true),
        FieldType::Enum(values) => values.first().map_or(Value::Null, |value| json!(value)),
        FieldType::Timestamp => json!("2026-01-01T00:00:00Z"),
        FieldType::String => json!("sample"),
        FieldType::List(item) => json!([sample_value(item)]),
        FieldType::Object(fields) => sample_object(fields),
        FieldType::Json => json!({}),
    }
}

/// What two runs' holdings are compared on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compare {
    /// The work done: events stored per module, rows, messages made per topic, calls to external
    /// systems that do the work. A redelivery that does nothing adds none of them.
    Work,
    /// Where things end: each stream's state folded by `evolve`, rows, calls that do the work.
    /// How many events or messages it took is left out: a consumer that tolerates the other
    /// order may skip what is already done and still end in the same place.
    Ending,
}

/// Where two runs' holdings first differ, in words (`events in billing: 1 after one delivery,
/// 2 after two`), each side named by its label; `None` when they are the same on what `compare`
/// looks at.
pub(crate) fn first_difference(a: &Holdings, b: &Holdings, labels: (&str, &str), compare: Compare) -> Option<String> {
    let say = |what: String, x: String, y: String| format!("{what}: {x} {}, {y} {}", labels.0, labels.1);
    if compare == Compare::Work {
        if let Some((module, x, y)) = first_in(&a.events, &b.events) {
            return Some(say(format!("events in {module}"), count(x), count(y)));
        }
    }
    if compare == Compare::Ending {
        if let Some((stream, x, y)) = first_in(&a.states, &b.states) {
            return Some(say(format!("stream {stream} ends as"), quote(x), quote(y)));
        }
    }
    if let Some((row, x, y)) = first_in(&a.rows, &b.rows) {
        return Some(say(format!("row {row}"), quote(x), quote(y)));
    }
    if compare == Compare::Work {
        if let Some((topic, x, y)) = first_in(&a.messages, &b.messages) {
            return Some(say(format!("{topic} messages"), count(x), count(y)));
        }
    }
    (a.calls != b.calls).then(|| {
        say(
            "calls to external systems that do the work".to_owned(),
            a.calls.to_string(),
            b.calls.to_string(),
        )
    })
}

/// The first key (in order) whose values differ, with both.
fn first_in<'m, V: PartialEq>(
    a: &'m BTreeMap<String, V>,
    b: &'m BTreeMap<String, V>,
) -> Option<(&'m str, Option<&'m V>, Option<&'m V>)> {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .find(|key| a.get(*key) != b.get(*key))
        .map(|key| (key.as_str(), a.get(key), b.get(key)))
}

fn count(n: Option<&u64>) -> String {
    n.copied().unwrap_or(0).to_string()
}

/// A value as compact JSON, cut at [`QUOTED`] characters; `none` when there is none.
pub(crate) fn quote(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "none".to_owned();
    };
    let text = value.to_string();
    match text.char_indices().nth(QUOTED) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}
