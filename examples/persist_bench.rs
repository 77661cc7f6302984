//! What autosave costs with a large workspace: a workspace of the shopping cart is filled to N
//! events by the performance run's generator (carts of 10), saved in parts as the browser keeps
//! it, then a command is sent and saved again, a hundred times (the save cost per command: the
//! heads, the read models and the one or two chunks that changed), and the parts are opened again
//! (the restore after a reload), checked equal to the workspace saved.
//!
//! `cargo run --release --example persist_bench -- [N]` (N default 1,000,000); as wasm32-wasip1
//! under Node with `bench/persist.sh`. IndexedDB's own write and read time is not in these figures
//! (the e2e run measures a reload in Chromium).

mod common;

use std::collections::BTreeMap;
use std::time::Instant;

use eventarium::model::Scenario;
use eventarium::session::{ExpectedMode, Saver, Workspace};
use serde_json::json;

const CART: &str = include_str!("../static/scenarios/shopping-cart.eventarium.json");
const PER_CART: u64 = 10;
const COMMANDS: u64 = 100;

fn main() -> Result<(), String> {
    let n = common::count_arg(1_000_000)?;
    println!(
        "persist_bench ({}, N = {n}, carts of {PER_CART})",
        std::env::consts::ARCH
    );
    let scenario = Scenario::import(CART).map_err(|p| format!("{p:?}"))?;
    let mut workspace = Workspace::open(scenario).map_err(|e| e.to_string())?;
    workspace
        .start_load(common::perf_generator(n, PER_CART), 7)
        .map_err(|p| format!("{p:?}"))?;
    while workspace.tick_load(5_000).is_ok_and(|report| !report.done) {
        workspace.step(usize::MAX);
    }
    workspace.step(usize::MAX);
    println!("filled to {} events", workspace.head());

    let mut saver = Saver::default();
    let mut kept = BTreeMap::new();
    let (mut scenario_head, mut store_head) = (String::new(), String::new());
    let mut keep = |parts: eventarium::session::SaveParts, saver: &mut Saver| {
        scenario_head = parts.scenario;
        store_head = parts.store;
        for (index, chunk) in parts.chunks {
            kept.insert(index, chunk);
        }
        kept.retain(|index, _| *index < parts.chunk_count);
        saver.written(parts.mark);
    };
    let started = Instant::now();
    let first = saver.parts(&workspace, true);
    let whole = first.bytes();
    let first_ms = started.elapsed().as_secs_f64() * 1e3;
    println!(
        "first save (everything)      {first_ms:>9.1} ms  {:>7.1} MB",
        whole as f64 / 1e6
    );
    println!(
        "  of which the scenario with its read models {:.2} MB, the store's head {:.2} MB",
        first.scenario.len() as f64 / 1e6,
        first.store.len() as f64 / 1e6
    );
    keep(first, &mut saver);

    let (mut saving, mut written, mut chunks) = (0.0, 0u64, 0usize);
    for i in 0..COMMANDS {
        let id = format!("bench-{i}");
        workspace.send(
            "OpenCart",
            &format!("cart-{id}"),
            json!({"cartId": id, "customerId": "c-1"}),
            ExpectedMode::Read,
        );
        workspace.step(usize::MAX);
        let started = Instant::now();
        let parts = saver.parts(&workspace, true);
        saving += started.elapsed().as_secs_f64();
        written += parts.bytes() as u64;
        chunks += parts.chunks.len();
        keep(parts, &mut saver);
    }
    let per = COMMANDS as f64;
    println!(
        "save after one command       {:>9.2} ms  {:>7.3} MB written ({:.1} chunks, heads and read models)",
        saving * 1e3 / per,
        written as f64 / per / 1e6,
        chunks as f64 / per
    );

    let started = Instant::now();
    let restored = Workspace::restore_parts(
        &scenario_head,
        &store_head,
        kept.iter().map(|(i, c)| (*i, c.clone())),
        &mut || true,
    )
    .map_err(|p| format!("{p:?}"))?;
    let restore_ms = started.elapsed().as_secs_f64() * 1e3;
    println!(
        "restore {:>8} events         {restore_ms:>9.0} ms  {:>7.0} events/s",
        restored.event_count(),
        restored.event_count() as f64 / (restore_ms / 1e3)
    );
    // One saved document at a time (each is hundreds of MB at a million events, and wasm32 has
    // 4 GiB), compared by a hash.
    drop(kept);
    let restored_hash = hash(&restored.save());
    drop(restored);
    if restored_hash != hash(&workspace.save()) {
        return Err("the restored workspace differs from the one saved".to_owned());
    }
    println!("restored identically (the whole saved document compared)");
    Ok(())
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}
