//! [`Thresholds`]: when each rule fires, from the scenario's `settings.lint`, with defaults.
//!
//! ```json
//! "lint": {
//!   "oversized-stream": { "info": 100, "warning": 1000, "critical": 10000 },
//!   "oversized-stream-bytes": { "info": 100000, "warning": 1000000, "critical": 10000000 },
//!   "hot-stream": { "share": 0.5, "window": 1000, "conflicts": 3 },
//!   "stream-growth": { "horizonMs": 604800000, "minEvents": 20 },
//!   "pii-without-retention": { "ageMs": 2592000000 },
//!   "stream-without-lifecycle": { "events": 50 },
//!   "category-for-everything": { "families": 6 },
//!   "order-dependent-consumer": { "pairs": 6 },
//!   "disabled": ["crud-sourcing"],
//!   "failOn": "critical"
//! }
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use super::Severity;
use crate::model::Problem;

/// A value's three levels: at or above `info` it is worth knowing, and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Levels {
    /// From here on, an info finding.
    pub info: u64,
    /// From here on, a warning.
    pub warning: u64,
    /// From here on, critical.
    pub critical: u64,
}

impl Levels {
    /// The severity `value` reaches, if any.
    pub fn severity(&self, value: u64) -> Option<Severity> {
        if value >= self.critical {
            Some(Severity::Critical)
        } else if value >= self.warning {
            Some(Severity::Warning)
        } else if value >= self.info {
            Some(Severity::Info)
        } else {
            None
        }
    }
}

/// When the rules fire.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// Events per stream (`oversized-stream`).
    pub stream_events: Levels,
    /// Payload bytes per stream (`oversized-stream-bytes`).
    pub stream_bytes: Levels,
    /// `hot-stream`: the share of the last `hot_window` appends one stream may take before it is hot.
    pub hot_share: f64,
    /// `hot-stream`: how many recent appends are looked at.
    pub hot_window: u64,
    /// `hot-stream`: rejected appends (expected-revision conflicts) on one stream that make it hot.
    pub hot_conflicts: u64,
    /// `stream-growth`: how far ahead, in simulated ms, the next level of `oversized-stream` is
    /// looked for at the stream's rate so far.
    pub growth_horizon_ms: u64,
    /// `stream-growth`: the fewest events a stream needs before its rate means anything.
    pub growth_min_events: u64,
    /// `pii-without-retention`: how old, in simulated ms, personal data may get in a stream type
    /// without a retention plan.
    pub pii_age_ms: u64,
    /// `stream-without-lifecycle`: a stream of a type with no closing event is flagged from this length.
    pub lifecycle_events: u64,
    /// `category-for-everything`: how many unrelated event families make a category suspicious.
    pub category_families: usize,
    /// `order-dependent-consumer`: how many pairs of its topics a consumer is run with, in both
    /// orders (each pair costs two handlings on fresh services, twice).
    pub order_pairs: usize,
    /// Rule codes switched off.
    pub disabled: Vec<String>,
    /// The checker fails when a finding reaches this severity.
    pub fail_on: Severity,
}

/// A day of the simulated clock, in ms.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            stream_events: Levels {
                info: 100,
                warning: 1_000,
                critical: 10_000,
            },
            stream_bytes: Levels {
                info: 100_000,
                warning: 1_000_000,
                critical: 10_000_000,
            },
            hot_share: 0.5,
            hot_window: 1_000,
            hot_conflicts: 3,
            growth_horizon_ms: 7 * DAY_MS,
            growth_min_events: 20,
            pii_age_ms: 30 * DAY_MS,
            lifecycle_events: 50,
            category_families: 6,
            order_pairs: 6,
            disabled: Vec::new(),
            fail_on: Severity::Critical,
        }
    }
}

impl Thresholds {
    /// Reads `settings.lint`; every problem is reported with its path, and nothing unknown passes.
    pub fn from_settings(lint: &BTreeMap<String, Value>) -> Result<Thresholds, Vec<Problem>> {
        let mut thresholds = Thresholds::default();
        let mut problems = Vec::new();
        for (key, value) in lint {
            let at = format!("settings.lint.{key}");
            match key.as_str() {
                "oversized-stream" => levels(value, &at, &mut thresholds.stream_events, &mut problems),
                "oversized-stream-bytes" => levels(value, &at, &mut thresholds.stream_bytes, &mut problems),
                "hot-stream" => {
                    for (name, entry) in object(value, &at, &["share", "window", "conflicts"], &mut problems) {
                        let path = format!("{at}.{name}");
                        match name.as_str() {
                            "share" => match entry.as_f64().filter(|s| *s > 0.0 && *s <= 1.0) {
                                Some(share) => thresholds.hot_share = share,
                                None => problems.push(Problem::new(path, "expected a share above 0 and at most 1")),
                            },
                            "window" => positive(entry, &path, &mut thresholds.hot_window, &mut problems),
                            _ => positive(entry, &path, &mut thresholds.hot_conflicts, &mut problems),
                        }
                    }
                }
                "stream-growth" => {
                    for (name, entry) in object(value, &at, &["horizonMs", "minEvents"], &mut problems) {
                        let path = format!("{at}.{name}");
                        let target = match name.as_str() {
                            "horizonMs" => &mut thresholds.growth_horizon_ms,
                            _ => &mut thresholds.growth_min_events,
                        };
                        positive(entry, &path, target, &mut problems);
                    }
                }
                "pii-without-retention" => {
                    for (name, entry) in object(value, &at, &["ageMs"], &mut problems) {
                        positive(
                            entry,
                            &format!("{at}.{name}"),
                            &mut thresholds.pii_age_ms,
                            &mut problems,
                        );
                    }
                }
                "stream-without-lifecycle" => {
                    for (name, entry) in object(value, &at, &["events"], &mut problems) {
                        positive(
                            entry,
                            &format!("{at}.{name}"),
                            &mut thresholds.lifecycle_events,
                            &mut problems,
                        );
                    }
                }
                "category-for-everything" => {
                    for (name, entry) in object(value, &at, &["families"], &mut problems) {
                        let mut families = thresholds.category_families as u64;
                        positive(entry, &format!("{at}.{name}"), &mut families, &mut problems);
                        thresholds.category_families = usize::try_from(families).unwrap_or(usize::MAX);
                    }
                }
                "order-dependent-consumer" => {
                    for (name, entry) in object(value, &at, &["pairs"], &mut problems) {
                        let mut pairs = thresholds.order_pairs as u64;
                        positive(entry, &format!("{at}.{name}"), &mut pairs, &mut problems);
                        thresholds.order_pairs = usize::try_from(pairs).unwrap_or(usize::MAX);
                    }
                }
                "disabled" => match value.as_array() {
                    Some(codes) => {
                        for (i, code) in codes.iter().enumerate() {
                            match code.as_str() {
                                Some(code) if super::CODES.contains(&code) => thresholds.disabled.push(code.to_owned()),
                                _ => problems.push(Problem::new(
                                    format!("{at}[{i}]"),
                                    format!("unknown rule {code}, expected one of {}", super::CODES.join(", ")),
                                )),
                            }
                        }
                    }
                    None => problems.push(Problem::new(at, "expected a list of rule codes")),
                },
                "failOn" => match value.as_str() {
                    Some("info") => thresholds.fail_on = Severity::Info,
                    Some("warning") => thresholds.fail_on = Severity::Warning,
                    Some("critical") => thresholds.fail_on = Severity::Critical,
                    _ => problems.push(Problem::new(at, "expected \"info\", \"warning\" or \"critical\"")),
                },
                _ => problems.push(Problem::new(
                    at,
                    "unknown setting, expected oversized-stream, oversized-stream-bytes, hot-stream, \
                     stream-growth, stream-without-lifecycle, category-for-everything, \
                     pii-without-retention, order-dependent-consumer, disabled or failOn",
                )),
            }
        }
        if problems.is_empty() {
            Ok(thresholds)
        } else {
            Err(problems)
        }
    }

    /// Whether a rule is switched on.
    pub fn enabled(&self, code: &str) -> bool {
        !self.disabled.iter().any(|d| d == code)
    }
}

/// The entries of a settings object whose keys are among `known`; others are problems.
fn object<'v>(value: &'v Value, at: &str, known: &[&str], problems: &mut Vec<Problem>) -> Vec<(&'v String, &'v Value)> {
    let Some(entries) = value.as_object() else {
        problems.push(Problem::new(at, "expected an object"));
        return Vec::new();
    };
    entries
        .iter()
        .filter(|(name, _)| {
            let known_key = known.contains(&name.as_str());
            if !known_key {
                problems.push(Problem::new(
                    format!("{at}.{name}"),
                    format!("unknown key, expected one of {}", known.join(", ")),
                ));
            }
            known_key
        })
        .collect()
}

fn positive(value: &Value, at: &str, target: &mut u64, problems: &mut Vec<Problem>) {
    match value.as_u64().filter(|n| *n > 0) {
        Some(n) => *target = n,
        None => problems.push(Problem::new(at, "expected a whole number above 0")),
    }
}

fn levels(value: &Value, at: &str, target: &mut Levels, problems: &mut Vec<Problem>) {
    let mut levels = *target;
    for (name, entry) in object(value, at, &["info", "warning", "critical"], problems) {
        let slot = match name.as_str() {
            "info" => &mut levels.info,
            "warning" => &mut levels.warning,
            _ => &mut levels.critical,
        };
        positive(entry, &format!("{at}.{name}"), slot, problems);
    }
    if levels.info > levels.warning || levels.warning > levels.critical {
        problems.push(Problem::new(at, "expected info <= warning <= critical"));
    } else {
        *target = levels;
    }
}
