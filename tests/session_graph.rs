//! The system page's causal graph: a correlation's trace laid out left to right, every node once,
//! every arrow pointing right, on made-up traces of every shape and size and on the built-in
//! concert ticketing system with duplicates and lost messages staged; the correlations to choose
//! from, and the correlation of an event found by its id.

mod support;

use std::collections::BTreeSet;

use eventarium::session::{CausalGraph, NodeKind, Preset, Traced, SHORT_LABEL};
use eventarium::sim::system::{Trace, TraceEdge, TraceNode};
use eventarium::store::Direction;
use serde_json::json;
use support::concert::{check_out, concert_workspace, open_sales, pay, send_in};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn node(id: &str, kind: &str, at_ms: i64) -> TraceNode {
    TraceNode {
        id: id.to_owned(),
        kind: kind.to_owned(),
        module: "orders".to_owned(),
        label: format!("{kind} {id}"),
        at_ms,
        error: None,
        duplicate: false,
        lost: false,
    }
}

fn edge(from: &str, to: &str) -> TraceEdge {
    TraceEdge {
        from: from.to_owned(),
        to: to.to_owned(),
    }
}

fn trace(nodes: Vec<TraceNode>, edges: Vec<TraceEdge>) -> Trace {
    Trace {
        correlation_id: "c-1".to_owned(),
        nodes,
        edges,
    }
}

/// `n` nodes, each caused by one or two earlier ones (picked by a fixed sequence), and a few
/// roots: the shape of a busy correlation, with fan-out and joins.
fn synthetic(n: usize) -> Trace {
    let kinds = ["command", "event", "message", "delivery", "call", "timeout", "input"];
    let mut state = 0x9e37_79b9_u64;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let mut nodes = Vec::with_capacity(n);
    let mut edges = Vec::new();
    for i in 0..n {
        nodes.push(node(&format!("n-{i}"), kinds[i % kinds.len()], i as i64 * 3));
        if i % 97 == 0 {
            continue; // a root
        }
        edges.push(edge(&format!("n-{}", next(i)), &format!("n-{i}")));
        if i % 5 == 0 {
            edges.push(edge(&format!("n-{}", next(i)), &format!("n-{i}")));
        }
    }
    trace(nodes, edges)
}

/// Every node placed once, inside the drawing, in a cell no other node takes; every edge
/// from a column to one further right, drawn from its cause to its effect.
#[track_caller]
fn assert_well_laid_out(graph: &CausalGraph, trace: &Trace) {
    assert_eq!(graph.nodes.len(), trace.nodes.len(), "every node once");
    let ids: Vec<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
    let expected: Vec<&str> = trace.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, expected, "in the trace's order");
    let cells: BTreeSet<(usize, usize)> = graph.nodes.iter().map(|n| (n.column, n.row)).collect();
    assert_eq!(cells.len(), graph.nodes.len(), "no two nodes share a place");
    for n in &graph.nodes {
        assert!(
            n.x >= 0.0 && n.y >= 0.0 && n.x + n.w <= graph.width && n.y + n.h <= graph.height,
            "{} inside the drawing",
            n.id
        );
        assert!(n.column < graph.columns, "{}", n.id);
    }
    for e in &graph.edges {
        let (from, to) = (&graph.nodes[e.from], &graph.nodes[e.to]);
        assert!(from.column < to.column, "{} → {} points right", from.id, to.id);
        assert!(from.x + from.w < to.x, "{} → {} drawn left to right", from.id, to.id);
        assert!(e.path.starts_with("M "), "{}", e.path);
        assert!(from.effects.contains(&e.to) && to.causes.contains(&e.from));
    }
    let known: BTreeSet<&str> = ids.iter().copied().collect();
    let kept = trace
        .edges
        .iter()
        .filter(|e| known.contains(e.from.as_str()) && known.contains(e.to.as_str()))
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect::<BTreeSet<_>>();
    assert_eq!(graph.edges.len(), kept.len(), "every edge between known nodes, once");
}

#[test]
fn a_node_sits_one_column_right_of_its_furthest_cause() {
    // a → b → c → d, and a → d directly: d goes after c, not after a.
    let t = trace(
        vec![
            node("a", "command", 0),
            node("b", "event", 1),
            node("c", "message", 2),
            node("d", "delivery", 3),
            node("e", "command", 4),
        ],
        vec![edge("a", "b"), edge("b", "c"), edge("c", "d"), edge("a", "d")],
    );
    let graph = CausalGraph::layout(&t);
    let column = |id: &str| graph.nodes[graph.find(id).unwrap()].column;
    assert_eq!(
        ["a", "b", "c", "d", "e"].map(column),
        [0, 1, 2, 3, 0],
        "longest path from a root; e has no cause"
    );
    assert_eq!(graph.columns, 4);
    assert_well_laid_out(&graph, &t);
    let d = &graph.nodes[graph.find("d").unwrap()];
    assert_eq!(d.causes.len(), 2);
    assert_eq!(d.kind, NodeKind::Delivery);
    assert_eq!(graph.find("nowhere"), None);
}

#[test]
fn rows_follow_the_first_cause_then_time() {
    // Two roots; the second root's effect happened first, yet sits below the first root's.
    let t = trace(
        vec![
            node("r1", "command", 0),
            node("r2", "command", 1),
            node("x2", "event", 2),
            node("x1", "event", 5),
            node("y1", "event", 3),
        ],
        vec![edge("r1", "x1"), edge("r2", "x2"), edge("r1", "y1")],
    );
    let graph = CausalGraph::layout(&t);
    let row = |id: &str| graph.nodes[graph.find(id).unwrap()].row;
    assert_eq!((row("r1"), row("r2")), (0, 1));
    assert_eq!(
        (row("y1"), row("x1"), row("x2")),
        (0, 1, 2),
        "r1's effects by time, then r2's: no crossing"
    );
}

#[test]
fn edges_to_unknown_nodes_cycles_and_repeats_are_left_out() {
    let t = trace(
        vec![node("a", "command", 0), node("b", "event", 1), node("c", "message", 2)],
        vec![
            edge("a", "b"),
            edge("a", "b"),
            edge("ghost", "c"),
            edge("b", "b"),
            edge("b", "c"),
            edge("c", "b"),
        ],
    );
    let graph = CausalGraph::layout(&t);
    assert_eq!(graph.nodes.len(), 3);
    for e in &graph.edges {
        assert!(graph.nodes[e.from].column < graph.nodes[e.to].column, "{e:?}");
    }
    assert!(graph.edges.len() <= 2, "{:?}", graph.edges);
    let empty = CausalGraph::layout(&trace(Vec::new(), Vec::new()));
    assert!(empty.nodes.is_empty() && empty.edges.is_empty() && empty.columns == 0);
}

#[test]
fn a_node_shows_its_flags_and_a_short_label() {
    let mut failed = node("d-1", "delivery", 0);
    failed.error = Some("boom".to_owned());
    failed.duplicate = true;
    let mut lost = node("msg-1", "message", 0);
    lost.lost = true;
    lost.label = "OrderPlaced, a topic with a very long name indeed (lost: the publisher crashed)".to_owned();
    let graph = CausalGraph::layout(&trace(vec![failed, lost, node("c-1", "command", 0)], Vec::new()));
    assert_eq!(graph.nodes[0].flags(), ["failed", "duplicate"]);
    assert!(graph.nodes[0].failed());
    assert_eq!(graph.nodes[1].flags(), ["lost"]);
    assert!(graph.nodes[2].flags().is_empty());
    assert_eq!(graph.flagged(), 2);
    let short = &graph.nodes[1].short;
    assert_eq!(short.chars().count(), SHORT_LABEL, "{short}");
    assert!(short.ends_with('…') && graph.nodes[1].label.starts_with(short.trim_end_matches('…')));
    assert_eq!(
        graph.nodes[2].short, graph.nodes[2].label,
        "a short label is kept whole"
    );
}

#[test]
fn five_hundred_and_five_thousand_nodes_lay_out_with_every_edge_pointing_right() {
    for n in [500, 5_000] {
        let t = synthetic(n);
        let graph = CausalGraph::layout(&t);
        assert_well_laid_out(&graph, &t);
        assert!(graph.columns > 5, "{n} nodes in {} columns", graph.columns);
    }
}

#[test]
fn a_busy_correlation_of_the_concert_system_lays_out() {
    let mut workspace = concert_workspace();
    let services = workspace.services_mut();
    open_sales(services);
    // Thirty checkouts on one correlation: one graph of several hundred nodes.
    for k in 0..30 {
        let stream = format!("cart-b{k}");
        let lines = [
            ("OpenCart", json!({ "cartId": format!("b{k}"), "customerId": "u-2" })),
            (
                "AddTickets",
                json!({ "cartId": format!("b{k}"), "concertId": "warsaw", "tier": "standing", "quantity": 1, "unitPrice": 25_000 }),
            ),
            (
                "ConfirmCart",
                json!({ "cartId": format!("b{k}"), "email": "grace@example.com" }),
            ),
        ];
        for (command, data) in lines {
            send_in(services, "", command, &stream, data, Some("busy"));
        }
    }
    services.run_until_idle();
    let t = workspace.services().trace("busy");
    assert!(t.nodes.len() >= 500, "{} nodes", t.nodes.len());
    let graph = workspace.causal_graph("busy");
    assert_well_laid_out(&graph, &t);
    let modules: BTreeSet<&str> = graph.nodes.iter().map(|n| n.module.as_str()).collect();
    assert!(modules.len() >= 4, "{modules:?}");
    assert!(graph.nodes.iter().all(|n| n.kind != NodeKind::Other));
}

/// The graphs of every correlation of a concert run: open sales, stage `preset`, check out
/// `carts` carts, and pay for each order if `paid`.
fn graphs_after(preset: Preset, carts: usize, paid: bool) -> Vec<CausalGraph> {
    let mut workspace = concert_workspace();
    open_sales(workspace.services_mut());
    workspace.stage(preset).unwrap();
    for k in 0..carts {
        let cart = format!("k{k}");
        let correlation = check_out(workspace.services_mut(), &cart, "u-1", 1);
        if paid {
            pay(workspace.services_mut(), &cart, &correlation);
        }
    }
    workspace.run_system_until_idle();
    let ids: Vec<String> = workspace
        .services()
        .correlations()
        .iter()
        .map(|c| c.to_string())
        .collect();
    ids.iter().map(|id| workspace.causal_graph(id)).collect()
}

#[test]
fn duplicates_and_losses_on_the_concert_system_are_flagged() {
    let calm = graphs_after(Preset::Calm, 2, false);
    assert!(calm.iter().all(|g| g.flagged() == 0), "nothing flagged without faults");

    // Duplicate payment doubles the deliveries into payments: the order must be paid for.
    let doubled = graphs_after(Preset::Duplicates, 1, true);
    let duplicates: Vec<_> = doubled.iter().flat_map(|g| &g.nodes).filter(|n| n.duplicate).collect();
    assert!(!duplicates.is_empty(), "a duplicate delivery is flagged");
    for d in duplicates {
        assert_eq!(d.kind, NodeKind::Delivery, "{d:?}");
        assert!(d.label.contains("duplicate"), "{}", d.label);
        assert!(d.flags().contains(&"duplicate"));
    }

    let lossy = graphs_after(Preset::DualWriteLoses, 8, false);
    let lost: Vec<_> = lossy
        .iter()
        .flat_map(|g| g.nodes.iter().map(move |n| (g, n)))
        .filter(|(_, n)| n.lost)
        .collect();
    assert!(!lost.is_empty(), "a lost message is flagged");
    for (graph, message) in lost {
        assert_eq!(message.kind, NodeKind::Message, "{message:?}");
        assert!(message.flags().contains(&"lost"));
        assert!(
            message
                .effects
                .iter()
                .all(|&e| graph.nodes[e].kind != NodeKind::Delivery),
            "a lost message is delivered to no one"
        );
    }
}

#[test]
fn the_picker_lists_the_latest_correlations_first_and_finds_one_by_event_id() {
    let mut workspace = concert_workspace();
    let services = workspace.services_mut();
    open_sales(services);
    let first = check_out(services, "k1", "u-1", 1);
    let second = check_out(services, "k2", "u-2", 1);
    let (rows, total) = workspace.recent_correlations(usize::MAX);
    assert_eq!(total, workspace.services().correlations().len());
    assert_eq!(rows.len(), total);
    let at = |id: &str| rows.iter().position(|r| r.id == id);
    assert_eq!(at(&second), Some(0), "the latest first");
    assert!(at(&first) > at(&second));
    assert_eq!(workspace.recent_correlations(2).0.len(), 2);
    let graph = workspace.causal_graph(&second);
    assert_eq!(rows[0].nodes, graph.nodes.len());
    assert_eq!(rows[0].description, graph.nodes[0].label);
    assert!(rows[0].description.contains("ConfirmCart"), "{}", rows[0].description);
    assert_eq!(rows[0].flagged, 0);

    assert_eq!(
        workspace.find_trace(&format!("  {first} ")),
        Some(Traced {
            correlation: first.clone(),
            node: None
        })
    );
    // An event of another module, found by its id: its correlation, and the event to select.
    let orders = workspace.services().runtime("orders").unwrap();
    let placed = orders.store().read_all(0, usize::MAX, Direction::Forwards);
    let event = placed
        .iter()
        .find(|e| e.metadata.correlation_id.as_deref() == Some(second.as_str()))
        .expect("the second checkout placed an order");
    let id = event.event_id.to_string();
    assert_eq!(workspace.correlation_of_event(&id), Some(second.clone()));
    let found = workspace.find_trace(&id).expect("found by event id");
    assert_eq!(found.correlation, second);
    let graph = workspace.causal_graph(&found.correlation);
    assert!(
        graph.find(&id).is_some(),
        "the event is a node of its correlation's graph"
    );
    for nothing in ["", "  ", "no-such-thing", "00000000-0000-4000-8000-000000000000"] {
        assert_eq!(workspace.find_trace(nothing), None, "{nothing:?}");
    }
    assert!(workspace.causal_graph("no-such-thing").nodes.is_empty());
}

#[test]
fn commands_sent_from_the_console_in_one_chain_make_one_trace_and_log_their_chain() {
    let mut workspace = concert_workspace();
    open_sales(workspace.services_mut());
    for k in 0..2 {
        for (command, data) in [
            ("OpenCart", json!({ "cartId": format!("c{k}"), "customerId": "u-2" })),
            (
                "AddTickets",
                json!({ "cartId": format!("c{k}"), "concertId": "warsaw", "tier": "standing", "quantity": 1, "unitPrice": 25_000 }),
            ),
            (
                "ConfirmCart",
                json!({ "cartId": format!("c{k}"), "email": "grace@example.com" }),
            ),
        ] {
            let said = workspace
                .send_in_chain(
                    "carts",
                    command,
                    &format!("cart-c{k}"),
                    &data.to_string(),
                    Some(" chain-1 "),
                )
                .unwrap();
            assert!(said.contains("(correlation chain-1)"), "{said}");
        }
    }
    let alone = workspace
        .send_in_chain(
            "carts",
            "OpenCart",
            "cart-c9",
            r#"{"cartId": "c9", "customerId": "u-2"}"#,
            Some(" "),
        )
        .unwrap();
    assert!(
        !alone.contains("chain-1"),
        "a blank correlation starts a new chain: {alone}"
    );
    workspace.run_system_until_idle();
    let graph = workspace.causal_graph("chain-1");
    let commands = graph.nodes.iter().filter(|n| n.kind == NodeKind::Command).count();
    assert!(
        commands >= 6,
        "both checkouts' commands, and what they caused: {commands}"
    );
    let modules: BTreeSet<&str> = graph.nodes.iter().map(|n| n.module.as_str()).collect();
    assert!(modules.len() >= 3, "{modules:?}");
    let log: Vec<String> = workspace.run_log().iter().map(|s| s.describe()).collect();
    assert!(
        log.iter().any(|s| s == "OpenCart → cart-c0 in carts, in chain-1"),
        "{log:?}"
    );
    assert!(log.iter().any(|s| s == "OpenCart → cart-c9 in carts"), "{log:?}");
}
