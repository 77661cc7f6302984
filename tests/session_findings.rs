//! The workspace's findings: the linter catches up when the findings are read, over what the
//! commands since changed, and finds what a full lint finds, however often it is read.

mod support;

use std::collections::BTreeSet;

use eventarium::lint::{Finding, Levels, Linter, Thresholds, DAY_MS};
use eventarium::session::Workspace;
use eventarium::sim::{CommandRequest, Expected};
use serde_json::json;
use support::built_in;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The built-in shopping cart, running a generator over `instances` carts that opens each and
/// adds between `adds[0]` and `adds[1]` items, `interval_ms` apart, seeded with `seed`.
fn carts(instances: u64, interval_ms: u64, adds: [u64; 2], seed: u64) -> Workspace {
    let mut workspace = Workspace::open(built_in::cart()).unwrap_or_else(|error| panic!("{error}"));
    let generator = json!({
        "name": "carts", "instances": instances, "streamId": "cart-{n}", "intervalMs": interval_ms,
        "plan": { "steps": [
            { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c-{n}" } },
            { "command": "AddItem", "repeat": adds, "data": { "cartId": "{n}", "productId": "p-1", "qty": 1, "unitPrice": 100 } }
        ] }
    });
    workspace
        .start_load(generator, seed)
        .unwrap_or_else(|error| panic!("{error}"));
    workspace
}

/// A full lint of the workspace's model and store.
fn full_lint(workspace: &Workspace, thresholds: Thresholds) -> Vec<Finding> {
    let runtime = workspace.runtime();
    Linter::new(runtime.model(), runtime.store(), thresholds)
        .findings()
        .to_vec()
}

/// A generator moves the clock before each command; the findings must move on with it, not
/// be marked stale (which lints everything again at the next look, on every frame of a run).
#[test]
fn a_generator_keeps_the_findings_moving_on() {
    let mut workspace = carts(4, 1000, [3, 3], 1);
    workspace.findings();
    let report = workspace.tick_load(10).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(report.commands, 10, "commands sent");
    assert!(
        !workspace.findings_are_stale(),
        "the findings were marked stale by the generator"
    );
    let kept = workspace.findings().to_vec();
    assert_eq!(
        kept,
        full_lint(&workspace, Thresholds::default()),
        "the kept findings are a full lint's"
    );
}

/// Runs carts with thresholds low enough that the data rules fire (long streams, a hot stream
/// with a conflict, old personal data, a projection sampled as it fills), reading the findings
/// after each of `reads_every` commands, and returns the findings at the end with a full lint's.
fn carts_read_every(reads_every: usize) -> (Vec<Finding>, Vec<Finding>) {
    let mut workspace = carts(3, 60_000, [2, 9], 7);
    let thresholds = Thresholds {
        stream_events: Levels {
            info: 3,
            warning: 6,
            critical: 12,
        },
        hot_window: 8,
        hot_conflicts: 1,
        ..Thresholds::default()
    };
    workspace.set_thresholds(thresholds.clone());
    workspace.findings();
    for sent in 1..=30 {
        workspace.tick_load(1).unwrap_or_else(|error| panic!("{error}"));
        if sent == 15 {
            // Two participants decide on the same revision; the second commit conflicts.
            let add = CommandRequest {
                command: "AddItem".to_owned(),
                stream_id: "cart-1".to_owned(),
                data: json!({ "cartId": "1", "productId": "p-2", "qty": 1, "unitPrice": 5 }),
                expected: Expected::Read,
                correlation_id: None,
                causation_id: None,
                retries: 0,
                sender: None,
            };
            let first = workspace.decide_request(&add).unwrap_or_else(|error| panic!("{error}"));
            let second = workspace.decide_request(&add).unwrap_or_else(|error| panic!("{error}"));
            workspace
                .commit_decision(&first)
                .unwrap_or_else(|error| panic!("{error}"));
            assert!(
                workspace.commit_decision(&second).is_err(),
                "the stale decision conflicts"
            );
            workspace
                .advance_clock(40 * DAY_MS)
                .unwrap_or_else(|error| panic!("{error}"));
        }
        if sent % reads_every == 0 {
            workspace.findings();
        }
    }
    assert!(!workspace.findings_are_stale(), "the findings were marked stale");
    let kept = workspace.findings().to_vec();
    (kept, full_lint(&workspace, thresholds))
}

/// The linter catches up when the findings are read: reading them after every command, every
/// few commands or only at the end finds the same, and what a full lint finds.
#[test]
fn findings_read_now_and_then_are_the_findings_read_after_every_command() {
    let (every, full) = carts_read_every(1);
    let codes: BTreeSet<&str> = every.iter().map(|f| f.code).collect();
    for code in [
        "oversized-stream",
        "hot-stream",
        "pii-without-retention",
        "non-idempotent-projection",
    ] {
        assert!(codes.contains(code), "{code} fired: {codes:?}");
    }
    assert_eq!(every, full, "read after every command");
    for reads_every in [4, 7, 1_000] {
        let (kept, full) = carts_read_every(reads_every);
        assert_eq!(kept, every, "read every {reads_every} commands");
        assert_eq!(kept, full, "read every {reads_every} commands, against a full lint");
    }
}
