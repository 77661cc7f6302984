//! The linter's cost on a large store: a full pass over 1,000,000 events (10,000 `cart-<n>`
//! streams of the built-in shopping-cart model: `CartOpened` then `ItemAdded`), then
//!
//! 1. 1,000 batches of 1–5 events appended straight to the store, each to a random stream,
//!    followed by `Linter::after_append` (the linter on its own: the first batch to a stream
//!    folds the whole stream for `throwing-evolve`), then the same 1,000 streams again (warm:
//!    only the batch is folded);
//! 2. 1,000 `AddItem` commands on random carts through the runtime, twice over the same store:
//!    once with the runtime's findings kept up to date after every command, once without. The
//!    difference of the two means is what linting adds to a command batch (it shares the
//!    command's fold, so it folds only the appended event). The target is at most 1 ms.
//!
//! `cargo run --release --no-default-features --example lint_bench`

use std::process::ExitCode;
use std::time::{Duration, Instant};

use eventarium::lint::{Linter, Thresholds};
use eventarium::model::{Model, Scenario};
use eventarium::session::Findings;
use eventarium::sim::{CommandRequest, Runtime};
use eventarium::store::{Config, ExpectedRevision, NewEvent, Payload, Store};
use serde_json::json;

const STREAMS: u64 = 10_000;
const EVENTS_PER_STREAM: u64 = 100;
const BATCHES: u64 = 1_000;
const SCENARIO: &str = include_str!("../static/scenarios/shopping-cart.eventarium.json");

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("lint_bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let scenario =
        Scenario::import(SCENARIO).map_err(|problems| format!("the scenario does not import: {problems:?}"))?;
    let model = scenario.model;
    let item =
        Payload::from_value(&json!({"cartId": "c", "productId": "p-1", "qty": 1, "unitPrice": 250, "currency": "EUR"}));
    let added = || NewEvent::from_payload("ItemAdded", item.clone()).with_schema_version(2);

    let started = Instant::now();
    let mut store = cart_store()?;
    let events = store.stats().events;
    println!(
        "store: {events} events in {STREAMS} streams, built in {:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let mut linter = Linter::new(&model, &store, Thresholds::default());
    println!(
        "Linter::new: {:?} ({} findings)",
        started.elapsed(),
        linter.findings().len()
    );

    // Twice over the same streams: first each batch meets a stream the linter never folded, then
    // every stream is warm and only the batch itself is folded.
    for round in ["cold streams", "warm streams"] {
        let mut seed: u64 = 42;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let (mut total, mut max, mut appended) = (Duration::ZERO, Duration::ZERO, 0);
        for _ in 0..BATCHES {
            let stream = format!("cart-{}", next(STREAMS));
            let count = 1 + next(5);
            let batch = (0..count).map(|_| added()).collect();
            let started = Instant::now();
            store
                .append(&stream, ExpectedRevision::Any, batch)
                .map_err(|e| e.to_string())?;
            linter.after_append(&model, &store, &[&stream]);
            let elapsed = started.elapsed();
            total += elapsed;
            max = max.max(elapsed);
            appended += count;
        }
        let mean = total / BATCHES as u32;
        println!(
            "{BATCHES} batches ({appended} events) of append + after_append, {round}: mean {} µs, max {} µs ({} findings)",
            mean.as_micros(),
            max.as_micros(),
            linter.findings().len()
        );
    }
    let full = eventarium::lint::lint(&model, &store, linter.thresholds());
    if full != linter.findings() {
        return Err("the incremental findings differ from a full lint".to_owned());
    }
    println!("the incremental findings equal a full lint");
    through_the_runtime(&model)
}

/// A store of `STREAMS` carts of `EVENTS_PER_STREAM` events each.
fn cart_store() -> Result<Store, String> {
    let item =
        Payload::from_value(&json!({"cartId": "c", "productId": "p-1", "qty": 1, "unitPrice": 250, "currency": "EUR"}));
    let added = || NewEvent::from_payload("ItemAdded", item.clone()).with_schema_version(2);
    let mut store = Store::new(Config::default());
    for n in 0..STREAMS {
        let opened = NewEvent::new("CartOpened", json!({"cartId": format!("c{n}"), "customerId": "u-1"}));
        let events = std::iter::once(opened)
            .chain((1..EVENTS_PER_STREAM).map(|_| added()))
            .collect();
        store
            .append(&format!("cart-{n}"), ExpectedRevision::NoStream, events)
            .map_err(|e| e.to_string())?;
    }
    if store.stats().events != STREAMS * EVENTS_PER_STREAM {
        return Err(format!("expected {} events", STREAMS * EVENTS_PER_STREAM));
    }
    Ok(store)
}

/// Part 2: the same commands, interleaved one by one, on a runtime that keeps its findings and on
/// one that has none (so the machine's drift hits both alike); twice over the same carts, so
/// that in the second round every cart's fold is cached in both. Returns an error if the kept
/// findings differ from a full lint at the end.
fn through_the_runtime(model: &Model) -> Result<(), String> {
    // The decider and the linter only: projections and policies would add their own work.
    let mut model = model.clone();
    model.projections.clear();
    model.policies.clear();
    let mut plain = Runtime::with_store(model.clone(), cart_store()?, 7);
    let mut linted = Runtime::with_store(model, cart_store()?, 7);
    let mut kept = Findings::new(Thresholds::default());
    let started = Instant::now();
    let findings = kept.read(&mut linted).len();
    println!(
        "runtime: first findings (a full pass) in {:?}, {findings} findings",
        started.elapsed()
    );
    for round in ["carts seen for the first time", "the same carts again"] {
        let mut seed: u64 = 42;
        let mut totals = [Duration::ZERO; 2];
        for _ in 0..BATCHES {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let cart = (seed >> 33) % STREAMS;
            let request = CommandRequest {
                command: "AddItem".to_owned(),
                stream_id: format!("cart-{cart}"),
                data: json!({"cartId": format!("c{cart}"), "productId": "p-2", "qty": 1, "unitPrice": 250}),
                ..CommandRequest::default()
            };
            let started = Instant::now();
            plain.execute(&request).map_err(|e| e.to_string())?;
            totals[0] += started.elapsed();
            let started = Instant::now();
            linted.execute(&request).map_err(|e| e.to_string())?;
            kept.read(&mut linted);
            totals[1] += started.elapsed();
        }
        let [without, with] = totals.map(|t| t.as_secs_f64() * 1e6 / BATCHES as f64);
        println!(
            "runtime, {BATCHES} AddItem commands, {round}: mean {without:.0} µs without the linter, \
             {with:.0} µs with findings kept: linting adds {:.0} µs per command (target ≤ 1,000 µs)",
            with - without
        );
    }
    let full = eventarium::lint::lint(linted.model(), linted.store(), &Thresholds::default());
    if kept.read(&mut linted) != full.as_slice() {
        return Err("the runtime's findings differ from a full lint".to_owned());
    }
    println!("the runtime's findings equal a full lint");
    Ok(())
}
