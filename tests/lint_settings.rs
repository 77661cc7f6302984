//! Lint settings in a scenario: defaults, every setting read, every mistake reported with its path,
//! and a scenario whose settings are wrong does not import.

mod support;

use eventarium::lint::{Severity, Thresholds};
use eventarium::model::Problem;
use serde_json::{json, Value};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn settings(lint: Value) -> Result<Thresholds, Vec<String>> {
    let lint = serde_json::from_value(lint).unwrap_or_default();
    Thresholds::from_settings(&lint).map_err(|problems| problems.iter().map(Problem::to_string).collect())
}

#[test]
fn every_setting_is_read_over_the_defaults() {
    let read = settings(json!({
        "oversized-stream": { "info": 10, "warning": 20, "critical": 30 },
        "oversized-stream-bytes": { "warning": 2000000 },
        "hot-stream": { "share": 0.25, "window": 200, "conflicts": 7 },
        "stream-growth": { "horizonMs": 3600000, "minEvents": 9 },
        "pii-without-retention": { "ageMs": 86400000 },
        "stream-without-lifecycle": { "events": 5 },
        "category-for-everything": { "families": 3 },
        "disabled": ["crud-sourcing"],
        "failOn": "warning"
    }))
    .unwrap_or_else(|problems| panic!("{problems:?}"));
    let defaults = Thresholds::default();
    assert_eq!(
        (
            read.stream_events.info,
            read.stream_events.warning,
            read.stream_events.critical
        ),
        (10, 20, 30)
    );
    assert_eq!(read.stream_bytes.warning, 2_000_000);
    assert_eq!(
        read.stream_bytes.info, defaults.stream_bytes.info,
        "unset levels keep their defaults"
    );
    assert_eq!((read.hot_share, read.hot_window, read.hot_conflicts), (0.25, 200, 7));
    assert_eq!((read.growth_horizon_ms, read.growth_min_events), (3_600_000, 9));
    assert_eq!(read.pii_age_ms, 86_400_000);
    assert_eq!((read.lifecycle_events, read.category_families), (5, 3));
    assert!(!read.enabled("crud-sourcing") && read.enabled("hot-stream"));
    assert_eq!(read.fail_on, Severity::Warning);
    assert_eq!(defaults.stream_events.severity(99), None);
    assert_eq!(defaults.stream_events.severity(100), Some(Severity::Info));
    assert_eq!(defaults.stream_events.severity(1_000), Some(Severity::Warning));
    assert_eq!(defaults.stream_events.severity(10_000), Some(Severity::Critical));
}

#[test]
fn every_mistake_is_reported_with_its_path() {
    // (settings, the problem expected among those reported)
    let cases = [
        (
            json!({"oversized-stream": 5}),
            "settings.lint.oversized-stream: expected an object",
        ),
        (
            json!({"oversized-stream": {"info": 0}}),
            "settings.lint.oversized-stream.info: expected a whole number above 0",
        ),
        (
            json!({"oversized-stream": {"info": 50, "warning": 10}}),
            "settings.lint.oversized-stream: expected info <= warning <= critical",
        ),
        (
            json!({"oversized-stream": {"huge": 1}}),
            "settings.lint.oversized-stream.huge: unknown key, expected one of info, warning, critical",
        ),
        (
            json!({"hot-stream": {"share": 1.5}}),
            "settings.lint.hot-stream.share: expected a share above 0 and at most 1",
        ),
        (
            json!({"stream-growth": {"horizonMs": 0}}),
            "settings.lint.stream-growth.horizonMs: expected a whole number above 0",
        ),
        (
            json!({"pii-without-retention": {"days": 30}}),
            "settings.lint.pii-without-retention.days: unknown key, expected one of ageMs",
        ),
        (
            json!({"disabled": "crud-sourcing"}),
            "settings.lint.disabled: expected a list of rule codes",
        ),
        (
            json!({"disabled": ["crud"]}),
            "settings.lint.disabled[0]: unknown rule \"crud\", expected one of",
        ),
        (
            json!({"failOn": "fatal"}),
            "settings.lint.failOn: expected \"info\", \"warning\" or \"critical\"",
        ),
        (json!({"oversize": {}}), "settings.lint.oversize: unknown setting"),
    ];
    for (lint, expected) in cases {
        let problems = settings(lint.clone()).err().unwrap_or_default();
        assert!(problems.iter().any(|p| p.starts_with(expected)), "{lint}: {problems:?}");
    }
    let all = settings(json!({"failOn": 1, "disabled": [2], "hot-stream": {"window": -1}}))
        .err()
        .unwrap_or_default();
    assert_eq!(all.len(), 3, "every problem at once: {all:?}");
}

#[test]
fn a_scenario_with_wrong_lint_settings_does_not_import() {
    let mut document = support::built_in::cart_json();
    document["settings"]["lint"] = json!({"failOn": "sometimes"});
    let problems = eventarium::session::import_value(document).err().unwrap_or_default();
    let shown: Vec<String> = problems.iter().map(Problem::to_string).collect();
    assert!(shown.iter().any(|p| p.starts_with("settings.lint.failOn")), "{shown:?}");
}
