//! The runtime's speed, with no JavaScript crossing: projection rebuilds over N stored events (a
//! three-line scripted handler and the `countByKey` template), and command handling on short
//! streams (the shopping cart's decider, with and without its inline projection), and the load
//! generator of the app's performance run (`bench/ui/perf.test.mjs`: carts of 100 items, ticked as
//! the app ticks it), which bounds what the page can reach; and opening a saved workspace again
//! (`restore`: the cart after the generator, saved as the app saves it, opened with its read models
//! and without them, replayed).
//!
//! `cargo run --release --no-default-features --example runtime_bench -- [N] [ROWS]` (N default
//! 1,000,000; ROWS a comma list of `template`, `script`, `commands`, `generator`, `restore`, default
//! all, e.g. to profile one); `bench/runtime.sh` runs it natively and as wasm32-wasip1 under Node.

mod common;

use std::time::Instant;

use eventarium::model::{Model, Scenario};
use eventarium::sim::load::{LoadGenerator, LoadRun};
use eventarium::sim::{CommandRequest, Runtime};
use eventarium::store::{Config, ExpectedRevision, NewEvent, Store};
use serde_json::json;

const CART: &str = include_str!("../static/scenarios/shopping-cart.eventarium.json");
const STREAMS: u64 = 10_000;
const PRODUCTS: u64 = 50;

fn main() -> Result<(), String> {
    let n = common::count_arg(1_000_000)?;
    let rows = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "template,script,commands,generator,restore".to_owned());
    let rows: Vec<&str> = rows.split(',').collect();
    println!("runtime_bench ({}, N = {n})", std::env::consts::ARCH);
    let projections: Vec<&str> = [("template", "Template"), ("script", "Scripted")]
        .iter()
        .filter(|(row, _)| rows.contains(row))
        .map(|(_, name)| *name)
        .collect();
    if !projections.is_empty() {
        rebuilds(n, &projections)?;
    }
    if rows.contains(&"commands") {
        commands(n.min(50_000))?;
    }
    if rows.contains(&"generator") {
        generator(n.min(50_000))?;
    }
    if rows.contains(&"restore") {
        restore(n.min(20_000))?;
    }
    Ok(())
}

fn rebuilds(n: u64, names: &[&str]) -> Result<(), String> {
    let model: Model = serde_json::from_value(json!({
        "eventTypes": [{ "name": "ItemAdded", "versions": [{ "version": 1, "fields": [
            { "name": "cartId", "type": "id", "required": true },
            { "name": "productId", "type": "string", "required": true },
            { "name": "qty", "type": "int", "required": true }
        ]}]}],
        "projections": [
            { "name": "Scripted", "version": 1, "source": "all", "lifecycle": "async", "key": "data.productId",
              "logic": { "script": "fn on_ItemAdded(doc, event) {\n  let count = if doc == () { 0 } else { doc.count };\n  #{ count: count + 1 }\n}" } },
            { "name": "Template", "version": 1, "source": "all", "lifecycle": "async", "key": "data.productId",
              "logic": { "template": "countByKey" } }
        ]
    }))
    .map_err(|e| e.to_string())?;
    let mut model = model;
    model.projections.retain(|p| names.contains(&p.name.as_str()));
    let mut store = Store::new(Config::default());
    for i in 0..n {
        let data = json!({ "cartId": (i % STREAMS).to_string(), "productId": format!("p-{}", i % PRODUCTS), "qty": 1 });
        store
            .append(
                &format!("cart-{}", i % STREAMS),
                ExpectedRevision::Any,
                vec![NewEvent::new("ItemAdded", data)],
            )
            .map_err(|e| e.to_string())?;
    }
    let mut runtime = Runtime::with_store(model, store, 1);
    runtime.run_until_idle();
    for &name in names {
        runtime.rebuild(name).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let mut steps = 0;
        while !runtime.step(10_000).idle {
            steps += 1;
        }
        let seconds = started.elapsed().as_secs_f64();
        let counted: u64 = runtime
            .documents(name)
            .map_err(|e| e.to_string())?
            .values()
            .filter_map(|d| d["count"].as_u64())
            .sum();
        if counted != n {
            return Err(format!("{name}: counted {counted} of {n} events"));
        }
        println!(
            "rebuild {name:<9} {n:>9} events  {:>9.1} ms  {:>11.0} events/s  ({steps} steps of 10,000)",
            seconds * 1e3,
            n as f64 / seconds
        );
    }
    Ok(())
}

fn commands(count: u64) -> Result<(), String> {
    for (label, keep_projections) in [("with inline CartSummary", true), ("decider only", false)] {
        let mut scenario = Scenario::import(CART).map_err(|p| format!("{p:?}"))?;
        if !keep_projections {
            scenario.model.projections.clear();
        }
        let mut runtime = Runtime::new(&scenario).map_err(|e| e.to_string())?;
        // Short streams: each cart is opened and gets four items, five commands per stream.
        let started = Instant::now();
        for i in 0..count {
            let cart = i / 5;
            let (command, data) = match i % 5 {
                0 => ("OpenCart", json!({ "cartId": cart.to_string(), "customerId": "c" })),
                k => (
                    "AddItem",
                    json!({ "cartId": cart.to_string(), "productId": format!("p-{k}"), "qty": 1, "unitPrice": 100 }),
                ),
            };
            let request = CommandRequest {
                command: command.to_owned(),
                stream_id: format!("cart-{cart}"),
                data,
                ..CommandRequest::default()
            };
            runtime.execute(&request).map_err(|e| e.to_string())?;
        }
        let seconds = started.elapsed().as_secs_f64();
        if runtime.head() != count {
            return Err(format!("{label}: {} events for {count} commands", runtime.head()));
        }
        println!(
            "commands {label:<24} {count:>7} commands  {:>9.1} ms  {:>9.0} commands/s",
            seconds * 1e3,
            count as f64 / seconds
        );
    }
    Ok(())
}

/// The shopping cart's own scenario (its inline `CartSummary` included) driven by the generator of
/// the app's performance run, `per_cart` commands to a stream, a tick of 500 commands at a time.
fn generator(count: u64) -> Result<(), String> {
    for per_cart in [100_u64, 10] {
        let scenario = Scenario::import(CART).map_err(|p| format!("{p:?}"))?;
        let mut runtime = Runtime::new(&scenario).map_err(|e| e.to_string())?;
        let generator: LoadGenerator =
            serde_json::from_value(common::perf_generator(count, per_cart)).map_err(|e| e.to_string())?;
        let mut run = LoadRun::new(generator, runtime.model(), 7).map_err(|e| e.to_string())?;
        let started = Instant::now();
        while !run.tick(&mut runtime, 500).done {}
        let seconds = started.elapsed().as_secs_f64();
        let status = run.status();
        if runtime.head() != count || status.failed > 0 {
            return Err(format!(
                "generator: {} events, {:?}",
                runtime.head(),
                status.last_errors
            ));
        }
        println!(
            "generator carts of {per_cart:<3} {count:>7} commands  {:>9.1} ms  {:>9.0} commands/s",
            seconds * 1e3,
            count as f64 / seconds
        );
    }
    Ok(())
}

/// What `Workspace::save` writes (and `Workspace::save_events`, without the read models).
fn workspace_text(scenario: &Scenario, runtime: &Runtime, read_models: bool) -> String {
    Scenario {
        events: serde_json::from_str(&runtime.store().export_json()).ok(),
        read_models: read_models.then(|| runtime.save_read_models()),
        ..scenario.clone()
    }
    .to_json()
}

/// The cart after `count` commands of the generator (carts of 10), saved with its events and read
/// models as a workspace is (the autosave keeps events up to 20,000), then opened again: with the
/// read models it saved, and without them, replayed to idle as the page's steps would.
fn restore(count: u64) -> Result<(), String> {
    let scenario = Scenario::import(CART).map_err(|p| format!("{p:?}"))?;
    let mut runtime = Runtime::new(&scenario).map_err(|e| e.to_string())?;
    let generator: LoadGenerator =
        serde_json::from_value(common::perf_generator(count, 10)).map_err(|e| e.to_string())?;
    let mut run = LoadRun::new(generator, runtime.model(), 7).map_err(|e| e.to_string())?;
    while !run.tick(&mut runtime, 500).done {}
    runtime.run_until_idle();

    let started = Instant::now();
    let saved = workspace_text(&scenario, &runtime, true);
    let save_ms = started.elapsed().as_secs_f64() * 1e3;
    let without = workspace_text(&scenario, &runtime, false);
    for (label, text) in [("with its read models", &saved), ("replaying them", &without)] {
        let started = Instant::now();
        let opened = Scenario::import(text).map_err(|p| format!("{p:?}"))?;
        let mut again = Runtime::new(&opened).map_err(|e| e.to_string())?;
        let replayed = again.run_until_idle();
        let ms = started.elapsed().as_secs_f64() * 1e3;
        if again.projections() != runtime.projections() {
            return Err(format!("restore {label}: the read models differ"));
        }
        println!("restore {count:>7} events {label:<22} {ms:>9.1} ms  ({replayed} events replayed)");
    }
    println!(
        "save    {count:>7} events, {:>6} KiB, {:>5} KiB of read models {save_ms:>6.1} ms",
        saved.len() / 1024,
        saved.len().saturating_sub(without.len()) / 1024
    );
    Ok(())
}
