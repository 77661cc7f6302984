//! A system of modules at speed, with no JavaScript crossing: messages through publish → broker
//! → inbox → consumer with every fault on (duplicates, reordering delays, consumer crashes), the
//! consumer a no-code one that only reads (`broker`), a script that returns no command
//! (`script`), or a script whose command runs in the consuming module (`commands`); and the
//! built-in concert ticketing system run until its modules hold `EVENTS` events (`builtin`); and
//! the causal graph of one correlation of 500 and of 5,000 nodes, read and laid out (`graph`); and
//! a System page's run saved and opened again, which replays its run log (`restore`).
//!
//! `cargo run --release --no-default-features --example system_bench -- [N] [ROWS] [EVENTS]` (N
//! messages, default 200,000; ROWS a comma list of `broker`, `script`, `commands`, `graph`, `builtin`,
//! `restore`, default all; EVENTS default 1,000,000);
//! `bench/system.sh` runs it natively and as wasm32-wasip1 under Node.

mod common;

use std::time::Instant;

use eventarium::model::{ModuleKind, Scenario};
use eventarium::session::{CausalGraph, Workspace};
use eventarium::sim::system::{CommandResult, ModuleCommand, Services};
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("../tests/fixtures/orders-billing.eventarium.json");
const CONCERT: &str = include_str!("../static/scenarios/concert-ticketing.eventarium.json");

fn main() -> Result<(), String> {
    let n = common::count_arg(200_000)?;
    let rows = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "broker,script,commands,graph,builtin,restore".to_owned());
    let events = std::env::args()
        .nth(3)
        .map_or(Ok(1_000_000), |a| a.parse())
        .map_err(|e| format!("EVENTS: {e}"))?;
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
    if rows.contains("graph") {
        for nodes in [500, 5_000] {
            graph(nodes)?;
        }
    }
    if rows.contains("builtin") {
        built_in(events)?;
    }
    if rows.contains("restore") {
        for events in [1_000, 5_000] {
            restore(events)?;
        }
    }
    Ok(())
}

/// The built-in concert system as the System page runs it: a concert on sale, a load generator
/// checking carts out while the clock plays in ticks of 160 ms, until the main module holds
/// `events` events; then the workspace is saved as autosave saves it and opened again, which
/// replays the run log. The best of 3.
fn restore(events: u64) -> Result<(), String> {
    let scenario = Scenario::import(CONCERT).map_err(|p| format!("{p:?}"))?;
    let mut workspace = Workspace::open(scenario).map_err(|e| e.to_string())?;
    let concert = json!({ "concertId": "warsaw", "name": "Tour", "artist": "Band", "venue": "Hall",
        "startsAt": "2027-06-27T20:00:00Z",
        "tiers": [{ "tier": "standing", "price": 25_000, "capacity": 100_000_000 }] });
    workspace
        .send_to_module("concerts", "ScheduleConcert", "concert-warsaw", &concert.to_string())
        .map_err(|e| e.to_string())?;
    workspace.run_system_until_idle();
    let generator = json!({
        "name": "checkouts", "instances": 1_000_000, "streamId": "cart-{n}", "concurrency": 20, "intervalMs": 1000,
        "plan": { "steps": [
            { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "u-{n}" } },
            { "command": "AddTickets", "data": { "cartId": "{n}", "concertId": "warsaw", "tier": "standing", "quantity": 1, "unitPrice": 25000 } },
            { "command": "ConfirmCart", "data": { "cartId": "{n}", "email": "u-{n}@example.com" } },
        ] },
    });
    workspace.start_load(generator, 1).map_err(|e| e.to_string())?;
    let started = Instant::now();
    while workspace.event_count() < events {
        workspace.tick_load(10).map_err(|e| e.to_string())?;
        workspace.run_system(160).map_err(|e| e.to_string())?;
    }
    let ran_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let saved = workspace.save();
    let save_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut open_ms = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let mut opened = Workspace::restore(&saved).map_err(|p| format!("{p:?}"))?;
        open_ms = open_ms.min(started.elapsed().as_secs_f64() * 1000.0);
        if let Some(notice) = opened.take_opening_notice() {
            return Err(format!("the run was not brought back: {notice}"));
        }
    }
    println!(
        "| saved and opened again: {} events in the main module, {} inputs logged | {} KB saved | run {ran_ms:.0} ms | save {save_ms:.0} ms | open (replay) {open_ms:.0} ms |",
        workspace.event_count(),
        workspace.run_log().len(),
        saved.len() / 1024
    );
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

/// Sends a command to a module (the main one when `module` is empty).
fn send(
    services: &mut Services,
    module: &str,
    command: &str,
    stream: String,
    data: Value,
    correlation: Option<String>,
) -> Result<CommandResult, String> {
    services
        .execute(&ModuleCommand {
            module: module.to_owned(),
            command: command.to_owned(),
            stream_id: stream,
            data,
            correlation_id: correlation,
            sender: None,
        })
        .map_err(|e| format!("{module} {command}: {e}"))
}

/// The system page's causal graph of one busy correlation of the built-in concert system:
/// shoppers check out and pay, all on one correlation, until its trace holds `nodes` nodes;
/// then the trace is read and laid out (the best of 5 runs of each).
fn graph(nodes: usize) -> Result<(), String> {
    const CORRELATION: &str = "busy";
    let scenario = Scenario::import(CONCERT).map_err(|p| format!("{p:?}"))?;
    let mut services = Services::new(&scenario).map_err(|e| e.to_string())?;
    let customer = json!({ "name": "Shopper", "email": "u-1@example.com" });
    send(
        &mut services,
        "users",
        "RegisterCustomer",
        "u-1".to_owned(),
        customer,
        None,
    )?;
    send(
        &mut services,
        "concerts",
        "ScheduleConcert",
        "concert-c0".to_owned(),
        json!({ "concertId": "c0", "name": "Tour", "artist": "Band", "venue": "Hall",
            "startsAt": "2027-06-27T20:00:00Z",
            "tiers": [{ "tier": "standing", "price": 9_000, "capacity": 1_000_000 }] }),
        None,
    )?;
    let mut shopper = 0u64;
    while services.trace(CORRELATION).nodes.len() < nodes {
        for _ in 0..10 {
            shopper += 1;
            let (cart, busy) = (format!("k{shopper}"), Some(CORRELATION.to_owned()));
            let stream = format!("cart-{cart}");
            let steps = [
                ("", "OpenCart", json!({ "cartId": cart, "customerId": "u-1" })),
                (
                    "",
                    "AddTickets",
                    json!({ "cartId": cart, "concertId": "c0", "tier": "standing", "quantity": 1, "unitPrice": 9_000 }),
                ),
                ("", "ConfirmCart", json!({ "cartId": cart, "email": "u-1@example.com" })),
            ];
            for (module, command, data) in steps {
                send(&mut services, module, command, stream.clone(), data, busy.clone())?;
            }
            services.run(2_000).map_err(|e| e.to_string())?;
            let payment = json!({ "orderId": cart, "cardToken": "tok-visa-4242" });
            send(
                &mut services,
                "payments",
                "SubmitPayment",
                format!("payment-{cart}"),
                payment,
                busy,
            )?;
        }
        services.run_until_idle();
    }
    let best = |work: &mut dyn FnMut() -> usize| {
        (0..5)
            .map(|_| {
                let started = Instant::now();
                let size = work();
                (started.elapsed().as_secs_f64() * 1000.0, size)
            })
            .fold((f64::MAX, 0), |(ms, _), (run, size)| (ms.min(run), size))
    };
    let trace = services.trace(CORRELATION);
    let (read_ms, _) = best(&mut || services.trace(CORRELATION).nodes.len());
    let (layout_ms, edges) = best(&mut || CausalGraph::layout(&trace).edges.len());
    println!(
        "| causal graph: {shopper} checkouts on one correlation | {} nodes | {edges} edges | trace read {read_ms:.2} ms | layout {layout_ms:.2} ms |",
        trace.nodes.len()
    );
    Ok(())
}

/// The built-in concert ticketing system run until its modules hold `events` events together:
/// customers register, fill carts for one of 100 concerts, check out and pay, in rounds of 100
/// shoppers with the clock run between the steps, every flaw and the gateway's failures as shipped.
fn built_in(events: u64) -> Result<(), String> {
    const SHOPPERS_PER_ROUND: u64 = 100;
    const CONCERTS: u64 = 100;
    let scenario = Scenario::import(CONCERT).map_err(|p| format!("{p:?}"))?;
    let mut services = Services::new(&scenario).map_err(|e| e.to_string())?;
    let started = Instant::now();
    for c in 0..CONCERTS {
        send(
            &mut services,
            "concerts",
            "ScheduleConcert",
            format!("concert-c{c}"),
            json!({ "concertId": format!("c{c}"), "name": "Tour", "artist": "Band", "venue": "Hall",
                "startsAt": "2027-06-27T20:00:00Z",
                "tiers": [{ "tier": "standing", "price": 9_000, "capacity": 1_000_000 }] }),
            None,
        )?;
    }
    services.run(1_000).map_err(|e| e.to_string())?;
    let held = |services: &Services| -> u64 {
        services
            .modules()
            .iter()
            .filter(|m| m.kind == ModuleKind::EventSourced)
            .map(|m| m.size)
            .sum()
    };
    let mut shopper = 0u64;
    let mut rounds = 0u64;
    while held(&services) < events {
        let mut checkouts = Vec::new();
        for _ in 0..SHOPPERS_PER_ROUND {
            shopper += 1;
            let (id, cart) = (format!("u-{shopper}"), format!("k{shopper}"));
            let email = format!("{id}@example.com");
            send(
                &mut services,
                "users",
                "RegisterCustomer",
                id.clone(),
                json!({ "name": "Shopper", "email": email }),
                None,
            )?;
            send(
                &mut services,
                "",
                "OpenCart",
                format!("cart-{cart}"),
                json!({ "cartId": cart, "customerId": id }),
                None,
            )?;
            send(
                &mut services,
                "",
                "AddTickets",
                format!("cart-{cart}"),
                json!({ "cartId": cart, "concertId": format!("c{}", shopper % CONCERTS), "tier": "standing", "quantity": 2, "unitPrice": 9_000 }),
                None,
            )?;
            let confirmed = send(
                &mut services,
                "",
                "ConfirmCart",
                format!("cart-{cart}"),
                json!({ "cartId": cart, "email": email }),
                None,
            )?;
            checkouts.push((cart, confirmed.correlation_id));
        }
        services.run(2_000).map_err(|e| e.to_string())?;
        for (cart, correlation) in checkouts {
            let _ = send(
                &mut services,
                "payments",
                "SubmitPayment",
                format!("payment-{cart}"),
                json!({ "orderId": cart, "cardToken": "tok-visa-4242" }),
                Some(correlation),
            )?;
        }
        services.run(5_000).map_err(|e| e.to_string())?;
        rounds += 1;
    }
    services.run_until_idle();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let total = held(&services);
    let per_module: Vec<String> = services
        .modules()
        .iter()
        .map(|m| format!("{} {}", m.name, m.size))
        .collect();
    println!(
        "| concert ticketing to {events} events: {rounds} rounds, {shopper} shoppers | {} messages | {total} events | {ms:.0} | {:.0} events/s |",
        services.messages().len(),
        total as f64 / (ms / 1000.0)
    );
    println!("(per module: {})", per_module.join(", "));
    Ok(())
}
