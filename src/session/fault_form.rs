//! The system page's fault form: whose faults ([`FaultScope`]), its fields ([`FaultField`]) and
//! their text as typed ([`FaultForm`]), checked field by field: a share from 0 to 100 %, times in
//! whole ms, an outage as seconds from now.

use crate::model::{Faults, Window};
use crate::sim::system::FaultTarget;

/// Whose faults the form shows and sets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultScope {
    /// The system's: every link and publisher.
    All,
    /// A consumer's or a process manager's link.
    Consumer(String),
    /// A module's publisher.
    Module(String),
}

impl FaultScope {
    /// The scope as the core names it.
    pub fn target(&self) -> FaultTarget<'_> {
        match self {
            FaultScope::All => FaultTarget::All,
            FaultScope::Consumer(name) => FaultTarget::Consumer(name),
            FaultScope::Module(name) => FaultTarget::Module(name),
        }
    }

    /// The scope in a few words, as the form's select lists it.
    pub fn label(&self) -> String {
        match self {
            FaultScope::All => "Whole system".to_owned(),
            FaultScope::Consumer(name) => format!("Link to {name}"),
            FaultScope::Module(name) => format!("Publisher of {name}"),
        }
    }
}

/// A field of the fault form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultField {
    /// The share of deliveries made twice, in %.
    Duplicate,
    /// The shortest delivery, in ms.
    Delay,
    /// How much longer a delivery may take, in ms.
    ReorderWindow,
    /// The share of deliveries the consumer crashes after, before acknowledging, in %.
    ConsumerCrash,
    /// The share of publishes the publisher crashes before, in %.
    PublisherCrash,
    /// An outage from now, in seconds.
    Outage,
}

impl FaultField {
    /// Every field, in the form's order.
    pub const ALL: [FaultField; 6] = [
        FaultField::Duplicate,
        FaultField::Delay,
        FaultField::ReorderWindow,
        FaultField::ConsumerCrash,
        FaultField::PublisherCrash,
        FaultField::Outage,
    ];

    /// The field's label.
    pub fn label(self) -> &'static str {
        match self {
            FaultField::Duplicate => "Duplicates (%)",
            FaultField::Delay => "Delay (ms)",
            FaultField::ReorderWindow => "Reorder window (ms)",
            FaultField::ConsumerCrash => "Crash before ack (%)",
            FaultField::PublisherCrash => "Publisher crash (%)",
            FaultField::Outage => "Outage from now (s)",
        }
    }

    /// Whether the field means something for `scope`: a publisher only crashes, a link does all
    /// but that, the whole system everything.
    pub fn applies_to(self, scope: &FaultScope) -> bool {
        match scope {
            FaultScope::All => true,
            FaultScope::Consumer(_) => self != FaultField::PublisherCrash,
            FaultScope::Module(_) => self == FaultField::PublisherCrash,
        }
    }
}

/// The fault form as typed: one text per [`FaultField`], in that order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FaultForm(pub [String; 6]);

impl FaultForm {
    /// The form filled with `faults` at simulated time `now_ms`: shares in %, an outage as the
    /// seconds left of the last window not over yet (empty when none is).
    pub fn of(faults: &Faults, now_ms: i64) -> FaultForm {
        let now = u64::try_from(now_ms).unwrap_or(0);
        let outage = faults
            .outages
            .iter()
            .filter(|w| w.to_ms > now)
            .map(|w| w.to_ms - w.from_ms.max(now))
            .max()
            .map_or_else(String::new, |ms| trimmed(ms as f64 / 1000.0));
        FaultForm([
            trimmed(faults.duplicate * 100.0),
            faults.delay_ms.to_string(),
            faults.reorder_window_ms.to_string(),
            trimmed(faults.consumer_crash * 100.0),
            trimmed(faults.publisher_crash * 100.0),
            outage,
        ])
    }

    /// The text of one field.
    pub fn get(&self, field: FaultField) -> &str {
        &self.0[index(field)]
    }

    /// Sets the text of one field.
    pub fn set(&mut self, field: FaultField, text: String) {
        self.0[index(field)] = text;
    }

    /// The faults the form says, an outage starting at `now_ms`; or each field's problem: a share
    /// must be a number from 0 to 100, a time a whole number of ms (an outage a number of
    /// seconds), 0 or more. An empty field is 0.
    pub fn read(&self, now_ms: i64) -> Result<Faults, Vec<(FaultField, String)>> {
        let mut problems = Vec::new();
        let mut share = |field: FaultField| match number(self.get(field).trim().trim_end_matches('%')) {
            Some(value) if (0.0..=100.0).contains(&value) => value / 100.0,
            Some(_) => {
                problems.push((field, "a share must be from 0 to 100 %".to_owned()));
                0.0
            }
            None => {
                problems.push((field, "not a number".to_owned()));
                0.0
            }
        };
        let (duplicate, consumer_crash, publisher_crash) = (
            share(FaultField::Duplicate),
            share(FaultField::ConsumerCrash),
            share(FaultField::PublisherCrash),
        );
        let mut millis = |field: FaultField| {
            let text = self.get(field).trim();
            if text.is_empty() {
                return 0;
            }
            text.parse::<u64>().unwrap_or_else(|_| {
                problems.push((field, "a whole number of ms, 0 or more".to_owned()));
                0
            })
        };
        let (delay_ms, reorder_window_ms) = (millis(FaultField::Delay), millis(FaultField::ReorderWindow));
        let outage_ms = match number(self.get(FaultField::Outage)) {
            Some(seconds) if (0.0..=86_400.0).contains(&seconds) => (seconds * 1000.0).round() as u64,
            _ => {
                problems.push((FaultField::Outage, "a number of seconds from 0 to 86400".to_owned()));
                0
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let now = u64::try_from(now_ms).unwrap_or(0);
        Ok(Faults {
            duplicate,
            delay_ms,
            reorder_window_ms,
            consumer_crash,
            publisher_crash,
            outages: (outage_ms > 0)
                .then_some(Window {
                    from_ms: now,
                    to_ms: now + outage_ms,
                })
                .into_iter()
                .collect(),
        })
    }
}

fn index(field: FaultField) -> usize {
    FaultField::ALL.iter().position(|f| *f == field).unwrap_or(0)
}

/// A finite number, or `None`; empty text is 0.
fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return Some(0.0);
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A number without trailing zeros: `50`, `12.5`.
fn trimmed(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    format!("{rounded}")
}
