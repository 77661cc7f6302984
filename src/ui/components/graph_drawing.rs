//! The causal graph's nodes and arrows as plain SVG: one shape per node, its kind by its shape
//! and colour, a word over it for what went wrong (failed, lost, duplicate). Drawn again only
//! when the graph or the level of detail changes: panning and zooming move the group that holds
//! it, not what is in it.

use std::rc::Rc;

use yew::prelude::*;

use crate::session::{CausalGraph, GraphNode, NodeKind};

/// Properties of [`GraphDrawing`].
#[derive(Properties)]
pub struct GraphDrawingProps {
    /// The graph, laid out.
    pub graph: Rc<CausalGraph>,
    /// Whether the labels are written (zoomed in enough to read them).
    pub labels: bool,
    /// A node was clicked (or chosen with the keyboard): its index.
    pub onselect: Callback<usize>,
}

impl PartialEq for GraphDrawingProps {
    /// The same graph by identity: comparing hundreds of nodes on every move of a drag would
    /// cost what this component saves.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.graph, &other.graph) && self.labels == other.labels && self.onselect == other.onselect
    }
}

/// The arrows, then the nodes over them.
#[component]
pub fn GraphDrawing(props: &GraphDrawingProps) -> Html {
    let graph = &props.graph;
    html! {
        <g class="graph-drawing">
            <g class="graph-edges">
                { for graph.edges.iter().map(|e| html! {
                    <path d={e.path.clone()} marker-end="url(#graph-head)" />
                }) }
            </g>
            { for graph.nodes.iter().enumerate().map(|(i, node)| draw_node(i, node, props)) }
        </g>
    }
}

fn draw_node(i: usize, node: &GraphNode, props: &GraphDrawingProps) -> Html {
    let flags = node.flags();
    let mut class = classes!("graph-node", format!("kind-{}", kind_class(node.kind)));
    for flag in &flags {
        class.push(format!("flag-{flag}"));
    }
    let onclick = props.onselect.reform(move |_: MouseEvent| i);
    let onkeydown = {
        let onselect = props.onselect.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                onselect.emit(i);
            }
        })
    };
    let said = if flags.is_empty() {
        String::new()
    } else {
        format!(" ({})", flags.join(", "))
    };
    let (x, y) = (node.x, node.y);
    html! {
        <g class={class} data-node={node.id.clone()} tabindex="0" role="button" {onclick} {onkeydown}
            aria-label={format!("{} in {}: {}{said}", node.kind.word(), node.module, node.label)}>
            <title>{ format!("{} in {}: {}{said}", node.kind.word(), node.module, node.label) }</title>
            { shape(node.kind, x, y, node.w, node.h) }
            if !flags.is_empty() {
                <text class="graph-flag" x={fmt(x + node.w)} y={fmt(y - 4.0)} text-anchor="end">
                    { flags.join(" · ").to_uppercase() }
                </text>
            }
            if props.labels {
                <text class="graph-kind" x={fmt(x + 12.0)} y={fmt(y + 17.0)}>
                    { format!("{} · {}", node.kind.word(), node.module) }
                </text>
                <text class="graph-label" x={fmt(x + 12.0)} y={fmt(y + 35.0)}>{ &node.short }</text>
            }
        </g>
    }
}

/// A kind's shape: commands square, events rounded, messages a pill, deliveries slanted,
/// timeouts six-sided, calls square and dashed (by their class), process steps oval.
pub fn shape(kind: NodeKind, x: f64, y: f64, w: f64, h: f64) -> Html {
    let polygon = |points: &[(f64, f64)]| {
        let points: Vec<String> = points.iter().map(|(px, py)| format!("{px:.0},{py:.0}")).collect();
        html! { <polygon class="graph-shape" points={points.join(" ")} /> }
    };
    let rect = |radius: f64| {
        html! { <rect class="graph-shape" x={fmt(x)} y={fmt(y)} width={fmt(w)} height={fmt(h)} rx={fmt(radius)} /> }
    };
    match kind {
        NodeKind::Command | NodeKind::Call | NodeKind::Other => rect(0.0),
        NodeKind::Event => rect(10.0),
        NodeKind::Message => rect(h / 2.0),
        NodeKind::Delivery => polygon(&[(x + 10.0, y), (x + w, y), (x + w - 10.0, y + h), (x, y + h)]),
        NodeKind::Timeout => polygon(&[
            (x + 12.0, y),
            (x + w - 12.0, y),
            (x + w, y + h / 2.0),
            (x + w - 12.0, y + h),
            (x + 12.0, y + h),
            (x, y + h / 2.0),
        ]),
        NodeKind::Input => html! {
            <ellipse class="graph-shape" cx={fmt(x + w / 2.0)} cy={fmt(y + h / 2.0)} rx={fmt(w / 2.0)} ry={fmt(h / 2.0)} />
        },
    }
}

/// A kind as a CSS class name.
pub fn kind_class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Input => "input",
        kind => kind.word(),
    }
}

fn fmt(value: f64) -> String {
    format!("{value:.0}")
}
