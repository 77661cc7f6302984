//! The time-lapse: a generator run over simulated months, one sample per simulated day whatever
//! the ticks, and the lifecycle policy applied as the days end.

use eventarium::model::{Scenario, BUILT_IN};
use eventarium::session::{LifecyclePolicy, Workspace, DAY_MS};
use eventarium::store::ArchiveSettings;
use serde_json::json;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn shop() -> Workspace {
    let scenario = Scenario::import(BUILT_IN[0].text).unwrap_or_else(|p| panic!("{p:?}"));
    Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"))
}

/// 200 carts over about 60 days: a command every 6 simulated hours, most carts confirmed.
fn two_months() -> serde_json::Value {
    json!({
        "name": "two months of carts", "instances": 200, "streamId": "cart-{n}", "concurrency": 4,
        "intervalMs": 21_600_000,
        "plan": { "steps": [
            { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c-{n}" } },
            { "command": "AddItem", "repeat": [1, 2], "data": { "cartId": "{n}", "productId": "p-{i}", "qty": 1, "unitPrice": 10 } },
            { "command": "ConfirmCart", "probability": 0.9, "data": { "cartId": "{n}" } }
        ] }
    })
}

/// Runs the generator to its end in ticks of `size` commands, the projections stepped each time.
fn run(workspace: &mut Workspace, size: usize) {
    workspace.start_load(two_months(), 5).expect("start");
    loop {
        let report = workspace.tick_load(size).expect("tick");
        workspace.step(10_000);
        if report.done {
            break;
        }
    }
}

#[test]
fn every_simulated_day_is_sampled_the_same_however_the_run_is_sliced() {
    let mut one = shop();
    run(&mut one, 7);
    let mut other = shop();
    run(&mut other, 500);
    let days: Vec<_> = one.time_lapse().to_vec();
    assert!(days.len() >= 50, "about two months of days: {}", days.len());
    let comparable = |w: &Workspace| {
        w.time_lapse()
            .iter()
            .map(|s| {
                (
                    s.day,
                    s.events,
                    s.total_events,
                    s.hot_bytes,
                    s.longest_stream,
                    s.conflicts,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(comparable(&one), comparable(&other), "ticks of 7 and of 500 commands");
    assert_eq!(days[0].day, 0);
    assert!(days.windows(2).all(|w| w[1].day == w[0].day + 1), "one sample a day");
    let appended: u64 = days.iter().map(|s| s.events).sum();
    assert_eq!(appended, days.last().map_or(0, |s| s.total_events), "the days add up");
    assert!(
        days.iter().all(|s| s.events > 0 && s.events <= 20),
        "a handful a day: {days:?}"
    );
}

#[test]
fn the_policy_archives_uploads_and_scavenges_as_the_days_end() {
    let mut workspace = shop();
    workspace
        .configure_archive(Some(ArchiveSettings {
            segment_events: 50,
            retain_ms: 7 * DAY_MS,
            retain_bytes: 0,
        }))
        .expect("archiver");
    workspace.set_lifecycle_policy(LifecyclePolicy {
        archive_closed_after_days: Some(10),
        upload_daily: true,
        scavenge_every_days: Some(7),
    });
    run(&mut workspace, 100);
    let days = workspace.time_lapse();
    let last = days.last().expect("days");
    assert!(last.cold_bytes > 0, "archived and offloaded bytes: {last:?}");
    assert!(
        days.iter().any(|s| s.hot_bytes < days[0].hot_bytes.max(1) * 1000),
        "{last:?}"
    );
    let storage = workspace
        .lifecycle_view(&eventarium::session::CostModel::default())
        .storage;
    assert!(storage.archived_streams > 100, "closed carts archived: {storage:?}");
    assert!(storage.archive_only_events > 0, "old segments offloaded: {storage:?}");
    // Moving the clock on closes the days it passes.
    let before = workspace.time_lapse().len();
    workspace.advance_clock(3 * DAY_MS as u64).expect("clock");
    assert_eq!(workspace.time_lapse().len(), before + 3, "three more days");
}

#[test]
fn a_move_of_a_century_keeps_the_last_ten_years_of_days() {
    let mut workspace = shop();
    workspace.start_load(two_months(), 5).expect("start");
    workspace.tick_load(3).expect("tick");
    workspace.advance_clock(100 * 365 * DAY_MS as u64).expect("clock");
    assert_eq!(workspace.time_lapse().len(), 3_650, "ten years of samples at most");
}

#[test]
fn the_lifecycle_policy_is_saved_and_exported_with_the_scenario() {
    let mut workspace = shop();
    let policy = LifecyclePolicy {
        archive_closed_after_days: Some(12),
        upload_daily: false,
        scavenge_every_days: Some(7),
    };
    workspace.set_lifecycle_policy(policy);
    for text in [workspace.save(), workspace.export()] {
        let reopened = Workspace::open(Scenario::import(&text).unwrap_or_else(|p| panic!("{p:?}")))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reopened.lifecycle_policy(), policy);
    }
    workspace.set_lifecycle_policy(LifecyclePolicy::default());
    assert!(
        !workspace.save().contains("archiveClosedAfterDays"),
        "no policy, nothing saved"
    );
}
