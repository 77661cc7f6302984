//! Properties of a system of modules under random faults: with an outbox, an inbox and retries
//! every published message takes effect exactly once; with a dual write and publisher crashes
//! the losses are counted and visible; the run is the same whatever the step sizes; and the trace
//! of every correlation is a graph without cycles whose events all exist. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::collections::BTreeSet;

use eventarium::sim::system::Services;
use eventarium::store::Direction;
use proptest::prelude::*;
use serde_json::{json, Value};
use support::system::{invoices, place, start, system};

/// Fault shares and windows: duplicate, consumer crash, publisher crash, delay, reorder window,
/// an outage's start and length.
type Faults = (f64, f64, f64, u64, u64, u64, u64);

fn faults() -> impl Strategy<Value = Faults> {
    (
        0.0..0.9f64,
        0.0..0.7f64,
        0.0..0.9f64,
        0u64..50,
        0u64..500,
        0u64..2000,
        0u64..3000,
    )
}

fn faults_json((duplicate, consumer_crash, publisher_crash, delay, window, from, length): Faults) -> Value {
    json!({ "duplicate": duplicate, "consumerCrash": consumer_crash, "publisherCrash": publisher_crash,
        "delayMs": delay, "reorderWindowMs": window,
        "outages": if length > 0 { json!([{ "fromMs": from, "toMs": from + length }]) } else { json!([]) } })
}

fn seeded(mut document: Value, seed: u64) -> Value {
    document["settings"]["seed"] = json!(seed);
    // Enough retries that a run of crashes cannot exhaust them.
    document["system"]["consumers"][0]["retry"] = json!({ "maxRetries": 50, "backoffMs": 10 });
    document
}

fn run(services: &mut Services, orders: u32, steps: &[u64]) {
    for order in 1..=orders {
        place(services, order, i64::from(order));
        for &step in steps {
            services.run(step).unwrap();
        }
    }
    services.run_until_idle();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn with_an_outbox_an_inbox_and_retries_each_message_takes_effect_once(
        seed in any::<u64>(), faults in faults(), orders in 1u32..12,
    ) {
        let mut services = start(seeded(system("outbox", faults_json(faults), true), seed));
        run(&mut services, orders, &[37]);
        let effects = services.effects("BillOrders").unwrap();
        prop_assert_eq!(effects.len(), orders as usize, "every message handled");
        prop_assert!(effects.values().all(|&n| n == 1), "each once: {:?}", effects);
        for order in 1..=orders {
            prop_assert_eq!(invoices(&services, order), 1);
        }
        let stats = &services.message_stats()[0];
        prop_assert_eq!((stats.lost, stats.parked, stats.in_flight), (0, 0, 0));
        prop_assert_eq!(stats.duplicates_delivered, stats.duplicates_dropped);
        let consumer = services.subscribers().into_iter().find(|s| s.name == "BillOrders").unwrap();
        prop_assert_eq!((consumer.checkpoint, consumer.pending), (u64::from(orders), 0), "the checkpoint passed them all");
    }

    #[test]
    fn with_a_dual_write_the_losses_are_counted_and_visible(
        seed in any::<u64>(), faults in faults(), orders in 1u32..12,
    ) {
        let mut services = start(seeded(system("dualWrite", faults_json(faults), true), seed));
        run(&mut services, orders, &[37]);
        let stats = &services.message_stats()[0];
        let lost: BTreeSet<String> = services.messages().iter().filter(|m| m.lost).map(|m| m.id.clone()).collect();
        prop_assert_eq!(stats.lost, lost.len() as u64);
        prop_assert_eq!(stats.published + stats.lost, u64::from(orders));
        let invoiced = (1..=orders).filter(|&o| invoices(&services, o) == 1).count() as u64;
        prop_assert_eq!(invoiced, stats.published, "what was not lost was invoiced once");
        if faults.2 == 0.0 {
            prop_assert_eq!(stats.lost, 0);
        }
    }

    #[test]
    fn the_run_is_the_same_whatever_the_step_sizes(
        seed in any::<u64>(), faults in faults(), orders in 1u32..8,
        steps in prop::collection::vec(1u64..400, 1..6),
    ) {
        let document = seeded(system("outbox", faults_json(faults), false), seed);
        let total: u64 = steps.iter().sum();
        let mut stepped = start(document.clone());
        run(&mut stepped, orders, &steps);
        let mut whole = start(document);
        run(&mut whole, orders, &[total]);
        prop_assert_eq!(stepped.deliveries(None).unwrap(), whole.deliveries(None).unwrap());
        prop_assert_eq!(stepped.message_stats(), whole.message_stats());
        prop_assert_eq!(
            stepped.runtime("billing").unwrap().store().export_json(),
            whole.runtime("billing").unwrap().store().export_json()
        );
    }

    #[test]
    fn every_trace_is_acyclic_and_its_events_exist(
        seed in any::<u64>(), faults in faults(), orders in 1u32..6,
    ) {
        let mut services = start(seeded(system("outbox", faults_json(faults), false), seed));
        run(&mut services, orders, &[50]);
        let correlations = services.correlations().to_vec();
        prop_assert_eq!(correlations.len(), orders as usize);
        for correlation in correlations {
            let trace = services.trace(&correlation);
            let ids: Vec<&str> = trace.nodes.iter().map(|n| n.id.as_str()).collect();
            let unique: BTreeSet<&str> = ids.iter().copied().collect();
            prop_assert_eq!(unique.len(), ids.len(), "each node once");
            // Nodes come causes first, so every edge points forwards: no cycle.
            for edge in &trace.edges {
                let from = ids.iter().position(|id| *id == edge.from);
                let to = ids.iter().position(|id| *id == edge.to);
                prop_assert!(matches!((from, to), (Some(f), Some(t)) if f < t), "{:?}", edge);
            }
            for node in trace.nodes.iter().filter(|n| n.kind == "event") {
                let runtime = services.runtime(&node.module).unwrap();
                let found = runtime
                    .store()
                    .read_correlation(&correlation, 0, usize::MAX, Direction::Forwards)
                    .iter()
                    .any(|e| e.event_id.to_string() == node.id);
                prop_assert!(found, "event {} in {}", node.id, node.module);
            }
            prop_assert!(trace.nodes.iter().any(|n| n.kind == "command"));
        }
    }
}
