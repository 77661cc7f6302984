//! A system's run survives a reload: the saved workspace keeps the System page's run log (with a
//! load generator's traffic), and opening it replays the log, so the other modules, the broker
//! and the processes come back where they were; when the main module took commands the log does
//! not hold, its events come back, the rest starts empty, and the workspace says why.

mod support;

use eventarium::session::{ExpectedMode, FaultScope, Preset, RunStep, Workspace};
use serde_json::{json, Value};
use support::built_in;
use support::concert::{checkout, concert_workspace, sales, send_on_page};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A concert on sale, a duplicate-payment preset, checkouts from the console and from a load
/// generator, and the clock played in slices between them, as the page plays it.
fn busy_run(workspace: &mut Workspace) {
    for (module, command, stream, data) in sales() {
        send_on_page(workspace, module, command, &stream, data);
    }
    workspace.run_system_until_idle();
    workspace.stage(Preset::Duplicates).unwrap();
    for (module, command, stream, data) in checkout("k1", "u-1", 1) {
        send_on_page(workspace, module, command, &stream, data);
    }
    let generator = json!({
        "name": "checkouts", "instances": 6, "streamId": "cart-g{n}", "concurrency": 2, "intervalMs": 1000,
        "plan": { "steps": [
            { "command": "OpenCart", "data": { "cartId": "g{n}", "customerId": "u-2" } },
            { "command": "AddTickets", "data": { "cartId": "g{n}", "concertId": "warsaw", "tier": "standing", "quantity": 1, "unitPrice": 25000 } },
            { "command": "ConfirmCart", "data": { "cartId": "g{n}", "email": "grace@example.com" } },
        ] },
    });
    workspace.start_load(generator, 7).unwrap();
    for _ in 0..40 {
        workspace.tick_load(2).unwrap();
        // A budget spent after three tasks: the clock often lags, and the generator waits for it.
        let mut left = 3;
        workspace
            .play_system(500, usize::MAX, &mut || {
                left -= 1;
                left > 0
            })
            .unwrap();
    }
    workspace.stop_load();
}

/// What the System page shows of a run: the map's figures, the links', every module's
/// streams and the clock.
fn seen(workspace: &Workspace) -> (String, String, i64, u64) {
    let services = workspace.services();
    (
        format!("{:?}", workspace.system_map()),
        format!("{:?}", services.message_stats()),
        services.now(),
        workspace.event_count(),
    )
}

#[test]
fn a_saved_system_opens_where_it_was_with_its_run_log() {
    let mut workspace = concert_workspace();
    busy_run(&mut workspace);
    workspace.finish_clock_move();
    let saved = workspace.save();

    let mut opened = Workspace::restore(&saved).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(opened.take_opening_notice(), None);
    assert_eq!(seen(&opened), seen(&workspace));
    assert_eq!(opened.run_log(), workspace.run_log());
    assert_eq!(
        opened.staged_preset(),
        Some(Preset::Duplicates),
        "the preset staged shows as staged"
    );
    let log: Vec<String> = opened.run_log().iter().map(RunStep::describe).collect();
    assert!(
        log.iter().any(|s| s.starts_with("load generator checkouts started")),
        "{log:?}"
    );
    assert!(log.iter().any(|s| s.starts_with("load generator sent")), "{log:?}");
    assert!(
        workspace.services().message_stats().iter().any(|l| l.delivered > 0),
        "the run delivered messages"
    );

    // An exported file is the same document, and it opens the same way.
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    assert_eq!(parse(&saved), parse(&workspace.export()));
    let mut imported = Workspace::restore(&workspace.export()).unwrap();
    assert_eq!(imported.take_opening_notice(), None);
    assert_eq!(seen(&imported), seen(&workspace));
}

#[test]
fn the_run_goes_on_after_the_reload_as_it_would_have_without_it() {
    let mut kept = concert_workspace();
    busy_run(&mut kept);
    kept.finish_clock_move();
    let mut reloaded = Workspace::restore(&kept.save()).unwrap();
    for workspace in [&mut kept, &mut reloaded] {
        for (module, command, stream, data) in checkout("k2", "u-2", 1) {
            send_on_page(workspace, module, command, &stream, data);
        }
        workspace.run_system(5_000).unwrap();
    }
    assert_eq!(seen(&reloaded), seen(&kept));
}

#[test]
fn a_main_module_changed_outside_the_log_keeps_its_events_and_the_page_is_told() {
    let mut workspace = concert_workspace();
    busy_run(&mut workspace);
    // The workspace's own console writes to the main module without the System page.
    let sent = workspace.send(
        "OpenCart",
        "cart-side",
        json!({ "cartId": "side", "customerId": "u-1" }),
        ExpectedMode::Any,
    );
    assert!(format!("{sent:?}").contains("Appended"), "{sent:?}");
    let mut opened = Workspace::restore(&workspace.save()).unwrap();
    let notice = opened.take_opening_notice().expect("the page is told");
    assert!(notice.contains("outside the System page"), "{notice}");
    assert_eq!(
        opened.event_count(),
        workspace.event_count(),
        "every event of the main module"
    );
    assert_eq!(opened.take_opening_notice(), None, "told once");
    assert_eq!(opened.run_log(), workspace.run_log(), "the log is kept, to replay");
}

#[test]
fn a_run_log_that_does_not_read_is_told_and_the_events_come_back() {
    let mut workspace = concert_workspace();
    busy_run(&mut workspace);
    let mut document: Value = serde_json::from_str(&workspace.save()).unwrap();
    document["run"]["steps"][0] = json!({ "teleport": 3 });
    let mut opened = Workspace::restore(&document.to_string()).unwrap();
    let notice = opened.take_opening_notice().expect("the page is told");
    assert!(notice.contains("could not be read"), "{notice}");
    assert_eq!(opened.event_count(), workspace.event_count());
}

#[test]
fn a_workspace_of_one_module_saves_no_run() {
    let workspace = Workspace::open(built_in::cart()).unwrap();
    let document: Value = serde_json::from_str(&workspace.save()).unwrap();
    assert!(document.get("run").is_none());
}

#[test]
fn the_preset_shown_is_the_last_staged_and_none_before_or_once_faults_are_set_by_hand() {
    let mut workspace = concert_workspace();
    assert_eq!(
        workspace.staged_preset(),
        None,
        "the scenario's own faults, no preset's"
    );
    workspace.stage(Preset::Poison).unwrap();
    workspace.run_system(1_000).unwrap();
    assert_eq!(workspace.staged_preset(), Some(Preset::Poison));
    let faults = workspace.faults(&FaultScope::All).unwrap();
    workspace.set_faults(&FaultScope::All, faults).unwrap();
    assert_eq!(workspace.staged_preset(), None);
    workspace.stage(Preset::Calm).unwrap();
    assert_eq!(workspace.staged_preset(), Some(Preset::Calm));
}

#[test]
fn a_run_too_long_to_replay_while_the_page_opens_brings_the_events_back_and_says_so() {
    let mut workspace = concert_workspace();
    busy_run(&mut workspace);
    let saved = workspace.save();
    let mut inputs = 0;
    let mut opened = Workspace::restore_within(&saved, &mut || {
        inputs += 1;
        inputs < 10
    })
    .unwrap();
    let notice = opened.take_opening_notice().expect("the page is told");
    assert!(notice.contains("too long to replay while the page opens"), "{notice}");
    assert!(notice.contains("Replay on the System page"), "{notice}");
    assert_eq!(opened.event_count(), workspace.event_count());
    // Replay, asked for, runs the whole log and brings the system back.
    opened.replay().unwrap();
    assert_eq!(seen(&opened), seen(&workspace));
}

#[test]
fn inputs_that_fail_leave_no_trace_so_the_reload_and_the_replay_match() {
    let mut workspace = concert_workspace();
    for (module, command, stream, data) in sales() {
        send_on_page(&mut workspace, module, command, &stream, data);
    }
    // Typed wrong on the page: nothing runs, nothing is logged, and no id is used up.
    let typos = [
        (
            "carts",
            "OpenCart",
            "cart-k1",
            r#"{"cartid": "k1", "customerId": "u-1"}"#,
        ),
        ("carts", "OpenCart", "cart-k1", r#"{"cartId": "k1""#),
        ("carts", "OpenCart", " ", r#"{"cartId": "k1", "customerId": "u-1"}"#),
        (
            "users",
            "RegisterCustomer",
            "u-3",
            r#"{"name": 3, "email": "x@example.com"}"#,
        ),
    ];
    for (module, command, stream, data) in typos {
        assert!(
            workspace.send_to_module(module, command, stream, data).is_err(),
            "{command} {data}"
        );
    }
    for (module, command, stream, data) in checkout("k1", "u-1", 1) {
        send_on_page(&mut workspace, module, command, &stream, data);
    }
    workspace.run_system(5_000).unwrap();
    let mut opened = Workspace::restore(&workspace.save()).unwrap();
    assert_eq!(opened.take_opening_notice(), None);
    assert_eq!(seen(&opened), seen(&workspace));
    let ids = |w: &Workspace| {
        w.services()
            .correlations()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&opened), ids(&workspace));
}
