//! Times a projection over N events two ways: the no-code `countByKey` template (native Rust) and
//! the same count as a scripted `on_ItemAdded` handler in the sandbox; checks both give the same
//! documents.
//!
//! `cargo run --release --no-default-features --example projection_bench -- [N]` (default 100,000)

use std::time::Instant;

use eventarium::model::Projection;
use eventarium::script::{Limits, Sandbox};
use eventarium::sim::{projection, Envelope};
use serde_json::json;

const PRODUCTS: u64 = 50;

fn main() -> Result<(), String> {
    let n: u64 = std::env::args()
        .nth(1)
        .map_or(Ok(100_000), |a| a.parse())
        .map_err(|e| format!("N: {e}"))?;
    let events: Vec<Envelope> = (0..n)
        .map(|i| Envelope {
            event_type: "ItemAdded".into(),
            schema_version: 1,
            data: json!({ "cartId": format!("{}", i % 1000), "productId": format!("p-{}", i % PRODUCTS), "qty": 1 }),
            stream_id: format!("cart-{}", i % 1000),
            revision: i / 1000,
            position: i,
        })
        .collect();
    let template = projection_from(json!({ "template": "countByKey" }))?;
    let script = projection_from(json!({
        "script": "fn on_ItemAdded(doc, event) { if doc == () { #{ count: 1 } } else { doc.count += 1; doc } }"
    }))?;

    let mut sandbox = Sandbox::new(Limits::default(), 1);
    println!("projection over {n} ItemAdded events, {PRODUCTS} keys");
    let mut results = Vec::new();
    for (name, projection) in [("template countByKey", &template), ("scripted on_ItemAdded", &script)] {
        let started = Instant::now();
        let documents = projection::run(projection, &mut sandbox, &events).map_err(|e| e.to_string())?;
        let elapsed = started.elapsed();
        let ns = elapsed.as_nanos() as f64 / n as f64;
        println!(
            "  {name:<24} {:>9.1} ms  {:>12.0} events/s  {ns:>8.1} ns/event",
            elapsed.as_secs_f64() * 1e3,
            1e9 / ns
        );
        results.push((documents, ns));
    }
    let counts = |docs: &projection::Documents| -> u64 { docs.values().filter_map(|d| d["count"].as_u64()).sum() };
    let (template_docs, template_ns) = &results[0];
    let (script_docs, script_ns) = &results[1];
    if counts(template_docs) != n || counts(script_docs) != n || template_docs.len() as u64 != PRODUCTS {
        return Err(format!(
            "wrong documents: template {template_docs:?}, script {script_docs:?}"
        ));
    }
    println!(
        "  the template is {:.0}x faster than the script",
        script_ns / template_ns
    );
    Ok(())
}

fn projection_from(logic: serde_json::Value) -> Result<Projection, String> {
    serde_json::from_value(json!({
        "name": "ItemsAddedPerProduct",
        "source": { "eventTypes": ["ItemAdded"] },
        "key": "data.productId",
        "logic": logic,
    }))
    .map_err(|e| e.to_string())
}
