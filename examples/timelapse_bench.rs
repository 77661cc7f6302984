//! A year of traffic in the time-lapse, with no JavaScript crossing: the built-in cart's typical
//! traffic sized to about `N` events (default 5,000,000) and spaced over a simulated year, the
//! lifecycle policy on (closed carts archived after 30 idle days, segments of 100,000 positions
//! uploaded daily and kept locally 30 days, a scavenge every 30 days), each day closed with its
//! sample. Prints the events, the days, the rate, and the memory per event: natively the store's
//! estimate and the peak RSS, in wasm the linear memory.
//!
//! `cargo run --release --no-default-features --example timelapse_bench -- [N]`;
//! `bench/timelapse.sh [N]` runs it natively and as wasm32-wasip1 under Node.

mod common;

use std::time::Instant;

use eventarium::model::{Scenario, BUILT_IN};
use eventarium::session::{LifecyclePolicy, Workspace, DAY_MS};
use eventarium::store::ArchiveSettings;
use serde_json::json;

/// Events one cart of the typical traffic appends on average (measured on the year preset).
const EVENTS_PER_CART: u64 = 6;

fn main() -> Result<(), String> {
    let target = common::count_arg(5_000_000)?;
    let scenario = Scenario::import(BUILT_IN[0].text).map_err(|p| format!("{p:?}"))?;
    let mut workspace = Workspace::open(scenario).map_err(|e| e.to_string())?;
    let mut year = workspace.year_of_traffic();
    let instances = (target / EVENTS_PER_CART).max(1);
    let commands = year["instances"].as_u64().unwrap_or(1) * 7;
    year["instances"] = json!(instances);
    year["intervalMs"] = json!((365 * DAY_MS as u64 / (instances * 7)).max(1));
    workspace
        .configure_archive(Some(ArchiveSettings {
            segment_events: 100_000,
            retain_ms: 30 * DAY_MS,
            retain_bytes: 0,
        }))
        .map_err(|e| e.to_string())?;
    workspace.set_lifecycle_policy(LifecyclePolicy {
        archive_closed_after_days: Some(30),
        upload_daily: true,
        scavenge_every_days: Some(30),
    });
    workspace.start_load(year, 7).map_err(|e| e.to_string())?;
    println!(
        "timelapse_bench ({}): about {target} events, {instances} carts over a simulated year (the preset sends about {commands} commands)",
        std::env::consts::ARCH
    );
    let started = Instant::now();
    let mut sent = 0u64;
    let mut reported_month = 0;
    loop {
        let report = workspace.tick_load(10_000).map_err(|e| e.to_string())?;
        sent += report.commands as u64;
        // A line a simulated month on stderr, so that a run that runs out of memory says how far
        // it got.
        let month = workspace.time_lapse().len() / 30;
        if month > reported_month {
            reported_month = month;
            let events = workspace.event_count();
            eprintln!(
                "month {month}: {events} events, {:.1} s, memory {} bytes/event",
                started.elapsed().as_secs_f64(),
                memory_per_event(events)
            );
        }
        if report.done {
            break;
        }
    }
    workspace.advance_clock(DAY_MS as u64).map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let events = workspace.event_count();
    let days = workspace.time_lapse().len();
    let store = workspace.runtime().store();
    let storage = store.storage();
    println!("| commands | events | days | s | events/s | store bytes/event | memory bytes/event |");
    println!("|--:|--:|--:|--:|--:|--:|--:|");
    println!(
        "| {sent} | {events} | {days} | {seconds:.1} | {:.0} | {:.1} | {} |",
        events as f64 / seconds,
        store.approx_heap_bytes() as f64 / events as f64,
        memory_per_event(events)
    );
    println!(
        "storage: hot {} events, archived streams {} ({} events), archive only {} events, uploaded {} events",
        storage.hot_events,
        storage.archived_streams,
        storage.archived_events,
        storage.archive_only_events,
        storage.uploaded_events
    );
    if days < 365 {
        return Err(format!("only {days} days sampled"));
    }
    Ok(())
}

/// The linear memory in wasm; the peak resident set natively (Linux), per event.
fn memory_per_event(events: u64) -> String {
    #[cfg(target_arch = "wasm32")]
    let bytes = Some(core::arch::wasm32::memory_size(0) as u64 * 65_536);
    #[cfg(not(target_arch = "wasm32"))]
    let bytes = std::fs::read_to_string("/proc/self/status").ok().and_then(|status| {
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|kb| kb.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .map(|kb| kb * 1024)
    });
    bytes.map_or_else(|| "?".to_owned(), |b| format!("{:.0}", b as f64 / events.max(1) as f64))
}
