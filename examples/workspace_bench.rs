//! What the app's pages ask of the workspace once a large store is loaded, without the page: the
//! performance run's generator (`bench/ui/perf.test.mjs`, carts of 10) fills a workspace of the
//! shopping cart with N events, then each read a render makes is timed (the median of a few calls),
//! and so are a tick of the generator and a step of an in-place rebuild, near the end.
//!
//! `cargo run --release --example workspace_bench -- [N]` (N default 1,000,000); built as
//! wasm32-wasip1 it runs under Node with `bench/wasi-run.mjs`, as `bench/runtime.sh` does.

mod common;

use std::time::Instant;

use eventarium::model::Scenario;
use eventarium::session::{ExpectedMode, StreamOrder, Workspace, LISTED};
use serde_json::json;

const CART: &str = include_str!("../static/scenarios/shopping-cart.eventarium.json");
const PER_CART: u64 = 10;
/// A page of documents, as the projections lab shows it.
const DOCUMENT_PAGE: usize = 200;

fn main() -> Result<(), String> {
    let n = common::count_arg(1_000_000)?;
    println!(
        "workspace_bench ({}, N = {n}, carts of {PER_CART})",
        std::env::consts::ARCH
    );
    let scenario = Scenario::import(CART).map_err(|p| format!("{p:?}"))?;
    let mut workspace = Workspace::open(scenario).map_err(|e| e.to_string())?;
    let carts = n / PER_CART;
    workspace
        .start_load(common::perf_generator(n, PER_CART), 7)
        .map_err(|p| format!("{p:?}"))?;
    let started = Instant::now();
    let mut last_tenth = Instant::now();
    let mut tenth = 1;
    // The page reads the findings each time it draws (the warnings panel and the status bar), so
    // the linter keeps up with every commit: read them after each tick, as a redraw would.
    workspace.findings();
    while workspace.tick_load(500).is_ok_and(|report| !report.done) {
        workspace.step(usize::MAX);
        std::hint::black_box(workspace.findings().len());
        let head = workspace.head();
        if head >= n * tenth / 10 {
            let seconds = last_tenth.elapsed().as_secs_f64();
            println!(
                "  fill to {head:>8} events: {:>7.0} events/s over the last tenth",
                (n / 10) as f64 / seconds
            );
            last_tenth = Instant::now();
            tenth += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "fill {:>8} events  {:>8.1} s  {:>8.0} events/s",
        workspace.head(),
        seconds,
        workspace.head() as f64 / seconds
    );

    let last = format!("cart-{carts}");
    for order in StreamOrder::ALL {
        let label = order.label().to_lowercase();
        timed(&format!("streams, no filter, {label}"), || {
            workspace.streams("", order, LISTED).len()
        });
        timed(&format!("streams, filtered, {label}"), || {
            workspace.streams(&format!("{last}*"), order, LISTED).len()
        });
        timed(&format!("streams, cart-9*, {label}"), || {
            workspace.streams("cart-9*", order, LISTED).len()
        });
    }
    timed("findings", || workspace.findings().len());
    timed("model clone", || workspace.scenario().model.clone().projections.len());
    timed("event count", || workspace.event_count() as usize);
    timed("projection statuses", || workspace.projections().len());
    timed("documents, a page", || {
        workspace.documents("CartSummary", DOCUMENT_PAGE).0.len()
    });
    timed("timeline span + page", || {
        let span = workspace.stream_span("cart-1");
        workspace.stream_page("cart-1", 0, 50).len() + usize::from(span.is_some())
    });
    timed("chart data", || workspace.chart_data().growth.len());
    timed("one command", || {
        let outcome = workspace.send(
            "AddItem",
            &last,
            json!({ "cartId": carts.to_string(), "productId": "p-1", "qty": 1, "unitPrice": 100 }),
            ExpectedMode::Any,
        );
        format!("{outcome:?}").len()
    });

    workspace.rebuild("ItemsAddedPerProduct").map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut steps = 0;
    while workspace.step(20_000).events > 0 {
        steps += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "rebuild ItemsAddedPerProduct  {steps} steps of 20,000  {seconds:>6.2} s  {:>9.0} events/s",
        workspace.head() as f64 / seconds
    );
    Ok(())
}

/// Times `read` as a page would call it: the median of five calls.
fn timed(what: &str, mut read: impl FnMut() -> usize) {
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(read());
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!("  {what:<32} {:>9.2} ms", times[2]);
}
