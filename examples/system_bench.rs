//! A system of modules at speed, with no JavaScript crossing: messages through publish → broker
//! → inbox → consumer with every fault on (duplicates, reordering delays, consumer crashes), the
//! consumer a no-code one that only reads (`broker`), a script that returns no command
//! (`script`), or a script whose command runs in the consuming module (`commands`).
//!
//! `cargo run --release --no-default-features --example system_bench -- [N] [ROWS]` (N messages,
//! default 200,000; ROWS a comma list of `broker`, `script`, `commands`, default all);
//! `bench/system.sh` runs it natively and as wasm32-wasip1 under Node.

mod common;

use std::time::Instant;

use eventarium::model::Scenario;
use eventarium::sim::system::Services;
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("../tests/fixtures/orders-billing.eventarium.json");

fn main() -> Result<(), String> {
    let n = common::count_arg(200_000)?;
    let rows = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "broker,script,commands".to_owned());
    println!("system_bench ({}, N = {n})", std::env::consts::ARCH);
    println!("| row | messages | deliveries | ms | messages/s |");
    println!("|---|--:|--:|--:|--:|");
    for (row, consumer) in [
        ("broker", Consumer::Reads),
        ("script", Consumer::Script),
        ("commands", Consumer::Commands),
    ] {
        if rows.contains(row) {
            broker(if consumer == Consumer::Reads { n } else { n.min(100_000) }, consumer)?;
        }
    }
    Ok(())
}

/// What billing's consumer does with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Consumer {
    /// Reads it: a no-code consumer with no command.
    Reads,
    /// Runs a script that checks it and sends nothing.
    Script,
    /// Runs a script whose command issues an invoice.
    Commands,
}

/// The example system with every fault on and billing's consumer behind an inbox.
fn system(consumer: Consumer) -> Result<Services, String> {
    let mut document: Value = serde_json::from_str(FIXTURE).map_err(|e| e.to_string())?;
    document["system"]["faults"] = json!({
        "duplicate": 0.1, "delayMs": 2, "reorderWindowMs": 50, "consumerCrash": 0.05
    });
    let logic = &mut document["system"]["consumers"][0]["logic"];
    match consumer {
        Consumer::Reads => *logic = json!({ "mapping": [] }),
        Consumer::Script => {
            *logic = json!({ "script": "fn handle(message) { if message.data.total < 0 { throw \"negative\"; } [] }" })
        }
        Consumer::Commands => {}
    }
    let scenario = Scenario::from_value(document).map_err(|p| format!("{p:?}"))?;
    Services::new(&scenario).map_err(|e| e.to_string())
}

fn broker(n: u64, consumer: Consumer) -> Result<(), String> {
    let mut services = system(consumer)?;
    let started = Instant::now();
    for i in 0..n {
        let data = json!({ "orderId": i.to_string(), "total": i % 1000 });
        services
            .inject("OrderSubmitted", data, None)
            .map_err(|e| e.to_string())?;
        if i % 1000 == 999 {
            services.run(10).map_err(|e| e.to_string())?;
        }
    }
    services.run_until_idle();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let stats = &services.message_stats()[0];
    if stats.handled < n || stats.in_flight != 0 || stats.parked != 0 {
        return Err(format!("not every message was handled: {stats:?}"));
    }
    let row = match consumer {
        Consumer::Reads => "publish → inbox → consumer (no code)",
        Consumer::Script => "publish → inbox → consumer (script)",
        Consumer::Commands => "publish → inbox → consumer → IssueInvoice",
    };
    println!(
        "| {row} | {n} | {} | {ms:.0} | {:.0} |",
        stats.delivered,
        n as f64 / (ms / 1000.0)
    );
    Ok(())
}
