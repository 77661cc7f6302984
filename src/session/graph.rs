//! The system page's trace view: one correlation's causal graph laid out left to right. Each node
//! sits one column right of its furthest cause (the longest path from a node with no cause), so
//! every arrow points right; within a column, nodes follow the row of their first cause, then
//! time, which keeps a chain of causes on one line and crossings few. Flags say what went wrong:
//! a failure, a message lost before the broker, a delivery of a duplicate copy.

use std::collections::{HashMap, VecDeque};

use crate::sim::system::Trace;

/// A node's width and height, the gaps between columns and rows, and the drawing's margin.
const NODE_W: f64 = 200.0;
const NODE_H: f64 = 44.0;
const GAP_X: f64 = 64.0;
const GAP_Y: f64 = 16.0;
const MARGIN: f64 = 24.0;

/// The characters of a label written on a node; the whole label is in its details.
pub const SHORT_LABEL: usize = 26;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A command a module handled.
    Command,
    /// An event a module stored.
    Event,
    /// A message put on the broker.
    Message,
    /// A delivery of a message to a consumer or a process manager.
    Delivery,
    /// A process manager's timeout.
    Timeout,
    /// A call to an external system.
    Call,
    /// A process manager's step, kept in its own stream.
    Input,
    /// Anything else the journal notes.
    Other,
}

impl NodeKind {
    /// Every kind a legend names, in the order of a chain.
    pub const ALL: [NodeKind; 7] = [
        NodeKind::Command,
        NodeKind::Event,
        NodeKind::Message,
        NodeKind::Delivery,
        NodeKind::Input,
        NodeKind::Timeout,
        NodeKind::Call,
    ];

    /// The kind a trace names.
    pub fn of(kind: &str) -> NodeKind {
        match kind {
            "command" => NodeKind::Command,
            "event" => NodeKind::Event,
            "message" => NodeKind::Message,
            "delivery" => NodeKind::Delivery,
            "timeout" => NodeKind::Timeout,
            "call" => NodeKind::Call,
            "input" => NodeKind::Input,
            _ => NodeKind::Other,
        }
    }

    /// The kind in a word, for labels and CSS classes.
    pub fn word(self) -> &'static str {
        match self {
            NodeKind::Command => "command",
            NodeKind::Event => "event",
            NodeKind::Message => "message",
            NodeKind::Delivery => "delivery",
            NodeKind::Timeout => "timeout",
            NodeKind::Call => "call",
            NodeKind::Input => "process step",
            NodeKind::Other => "other",
        }
    }
}

/// One thing that happened, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    /// Its id in the trace: an event id, `c-1`, `msg-3`, `d-7`, …
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// The module (or external system, or process) it happened in.
    pub module: String,
    /// What it was, in words.
    pub label: String,
    /// The label cut to [`SHORT_LABEL`] characters, for the drawing.
    pub short: String,
    /// When, in simulated ms.
    pub at_ms: i64,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// A delivery of a duplicate copy of a message.
    pub duplicate: bool,
    /// A message lost before it reached the broker.
    pub lost: bool,
    /// Its column: the length of the longest chain of causes leading to it.
    pub column: usize,
    /// Its row within the column.
    pub row: usize,
    /// Its left side on the drawing.
    pub x: f64,
    /// Its top.
    pub y: f64,
    /// Its width.
    pub w: f64,
    /// Its height.
    pub h: f64,
    /// What caused it, as indices into [`CausalGraph::nodes`].
    pub causes: Vec<usize>,
    /// What it caused, likewise.
    pub effects: Vec<usize>,
}

impl GraphNode {
    /// Whether it failed.
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// What went wrong with it, in words for a badge: `failed`, `lost`, `duplicate`.
    pub fn flags(&self) -> Vec<&'static str> {
        [
            (self.failed(), "failed"),
            (self.lost, "lost"),
            (self.duplicate, "duplicate"),
        ]
        .into_iter()
        .filter_map(|(on, word)| on.then_some(word))
        .collect()
    }
}

/// `from` caused `to`, drawn as a curve from `from`'s right side to `to`'s left side.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphEdge {
    /// The cause, an index into [`CausalGraph::nodes`].
    pub from: usize,
    /// The effect.
    pub to: usize,
    /// The SVG path (a cubic curve).
    pub path: String,
}

/// A correlation's causal graph, laid out; see the module's documentation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CausalGraph {
    /// The correlation id.
    pub correlation_id: String,
    /// The nodes, in the trace's order (causes first, then by time).
    pub nodes: Vec<GraphNode>,
    /// What caused what; each edge's cause is in an earlier column than its effect.
    pub edges: Vec<GraphEdge>,
    /// How many columns the nodes take.
    pub columns: usize,
    /// The drawing's width.
    pub width: f64,
    /// The drawing's height.
    pub height: f64,
}

impl CausalGraph {
    /// Lays a trace out: columns by the longest chain of causes, rows by the first cause's row,
    /// then time. Linear in nodes and edges but for sorting each column. An edge naming a node
    /// the trace does not hold is left out, and so is one that would close a cycle (the journal
    /// notes causes as things happen, so a trace has none).
    pub fn layout(trace: &Trace) -> CausalGraph {
        let n = trace.nodes.len();
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(n);
        for (i, node) in trace.nodes.iter().enumerate() {
            index.entry(node.id.as_str()).or_insert(i);
        }
        let mut causes: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut effects: Vec<Vec<usize>> = vec![Vec::new(); n];
        for edge in &trace.edges {
            let (Some(&from), Some(&to)) = (index.get(edge.from.as_str()), index.get(edge.to.as_str())) else {
                continue;
            };
            if from != to && !causes[to].contains(&from) {
                causes[to].push(from);
                effects[from].push(to);
            }
        }
        let column = columns(&causes, &effects);
        // An edge whose cause is not left of its effect can only close a cycle: it is dropped.
        for (to, list) in causes.iter_mut().enumerate() {
            list.retain(|&from| column[from] < column[to]);
        }
        for (from, list) in effects.iter_mut().enumerate() {
            list.retain(|&to| column[from] < column[to]);
        }
        let row = rows(trace, &column, &causes);
        let nodes: Vec<GraphNode> = trace
            .nodes
            .iter()
            .zip(causes.into_iter().zip(effects))
            .enumerate()
            .map(|(i, (node, (causes, effects)))| GraphNode {
                id: node.id.clone(),
                kind: NodeKind::of(&node.kind),
                module: node.module.clone(),
                label: node.label.clone(),
                short: shortened(&node.label, SHORT_LABEL),
                at_ms: node.at_ms,
                error: node.error.clone(),
                duplicate: node.duplicate,
                lost: node.lost,
                column: column[i],
                row: row[i],
                x: MARGIN + column[i] as f64 * (NODE_W + GAP_X),
                y: MARGIN + row[i] as f64 * (NODE_H + GAP_Y),
                w: NODE_W,
                h: NODE_H,
                causes,
                effects,
            })
            .collect();
        let edges = nodes
            .iter()
            .enumerate()
            .flat_map(|(from, node)| node.effects.iter().map(move |&to| (from, to)))
            .map(|(from, to)| GraphEdge {
                from,
                to,
                path: curve(&nodes[from], &nodes[to]),
            })
            .collect();
        let columns = column.iter().max().map_or(0, |c| c + 1);
        let rows = row.iter().max().map_or(0, |r| r + 1);
        CausalGraph {
            correlation_id: trace.correlation_id.clone(),
            nodes,
            edges,
            columns,
            width: 2.0 * MARGIN + columns as f64 * (NODE_W + GAP_X) - if columns > 0 { GAP_X } else { 0.0 },
            height: 2.0 * MARGIN + rows as f64 * (NODE_H + GAP_Y) - if rows > 0 { GAP_Y } else { 0.0 },
        }
    }

    /// The index of the node with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// How many nodes failed, were lost or are duplicates.
    pub fn flagged(&self) -> usize {
        self.nodes.iter().filter(|n| !n.flags().is_empty()).count()
    }
}

/// Each node's column: 0 for a node with no cause, else one more than its furthest cause's.
/// Nodes are taken causes first (Kahn's order, ties in the trace's order); a node left over, in a
/// cycle, goes one right of the causes already placed.
fn columns(causes: &[Vec<usize>], effects: &[Vec<usize>]) -> Vec<usize> {
    let n = causes.len();
    let mut waiting: Vec<usize> = causes.iter().map(Vec::len).collect();
    let mut ready: VecDeque<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut column = vec![0usize; n];
    let mut placed = vec![false; n];
    while let Some(i) = ready.pop_front() {
        placed[i] = true;
        for &effect in &effects[i] {
            column[effect] = column[effect].max(column[i] + 1);
            waiting[effect] -= 1;
            if waiting[effect] == 0 {
                ready.push_back(effect);
            }
        }
    }
    for i in 0..n {
        if !placed[i] {
            column[i] = causes[i]
                .iter()
                .filter(|&&c| placed[c])
                .map(|&c| column[c] + 1)
                .max()
                .unwrap_or(0);
            placed[i] = true;
        }
    }
    column
}

/// Each node's row within its column: columns from left to right, each sorted by the row of the
/// node's first cause (the highest one), then by time, then by the trace's order.
fn rows(trace: &Trace, column: &[usize], causes: &[Vec<usize>]) -> Vec<usize> {
    let width = column.iter().max().map_or(0, |c| c + 1);
    let mut by_column: Vec<Vec<usize>> = vec![Vec::new(); width];
    for (i, &c) in column.iter().enumerate() {
        by_column[c].push(i);
    }
    let mut row = vec![0usize; column.len()];
    for members in &mut by_column {
        // Causes sit in earlier columns, whose rows are already known.
        let first_cause = |i: usize| causes[i].iter().map(|&c| row[c]).min().unwrap_or(0);
        let mut keyed: Vec<(usize, i64, usize)> = members
            .iter()
            .map(|&i| (first_cause(i), trace.nodes[i].at_ms, i))
            .collect();
        keyed.sort_unstable();
        for (r, (_, _, i)) in keyed.into_iter().enumerate() {
            row[i] = r;
        }
    }
    row
}

/// A curve from `from`'s right side to `to`'s left side, leaving and arriving level.
fn curve(from: &GraphNode, to: &GraphNode) -> String {
    let (x1, y1) = (from.x + from.w, from.y + from.h / 2.0);
    let (x2, y2) = (to.x, to.y + to.h / 2.0);
    let bend = ((x2 - x1) / 2.0).min(GAP_X * 1.5);
    format!(
        "M {x1:.0} {y1:.0} C {:.0} {y1:.0}, {:.0} {y2:.0}, {x2:.0} {y2:.0}",
        x1 + bend,
        x2 - bend
    )
}

/// `text` cut to `max` characters, the last one an ellipsis when it was cut.
fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((at, _)) if text.chars().count() > max => format!("{}…", &text[..at]),
        _ => text.to_owned(),
    }
}
