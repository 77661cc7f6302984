//! The causal graph's side panel: the selected node in full (kind, module, label, time, error,
//! what went wrong) and its causes and effects, each a link that moves the selection to it.

use std::rc::Rc;

use yew::prelude::*;

use crate::session::{clock, duration, CausalGraph};

/// Properties of [`NodeDetails`].
#[derive(Properties)]
pub struct NodeDetailsProps {
    /// The graph.
    pub graph: Rc<CausalGraph>,
    /// The selected node's index, if one is selected.
    pub node: Option<usize>,
    /// A cause or an effect was chosen: its index.
    pub onselect: Callback<usize>,
}

impl PartialEq for NodeDetailsProps {
    /// The same graph by identity: comparing every node on every move of a drag would cost more
    /// than drawing the panel again.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.graph, &other.graph) && self.node == other.node && self.onselect == other.onselect
    }
}

/// The panel.
#[component]
pub fn NodeDetails(props: &NodeDetailsProps) -> Html {
    let graph = &props.graph;
    let Some(node) = props.node.and_then(|i| graph.nodes.get(i)) else {
        return html! {
            <aside class="graph-details" aria-label="Node details">
                <p class="muted">{ "Click a node to see what it was, what caused it and what it caused." }</p>
            </aside>
        };
    };
    let first = graph.nodes.iter().map(|n| n.at_ms).min().unwrap_or(node.at_ms);
    let after = u64::try_from(node.at_ms - first).unwrap_or(0);
    let flags = node.flags();
    let mut rows = vec![
        ("Kind", node.kind.word().to_owned()),
        ("Module", node.module.clone()),
        ("What", node.label.clone()),
        (
            "When",
            // On the clock the System page shows.
            format!(
                "at {} simulated ({} after the first)",
                clock(node.at_ms),
                duration(after)
            ),
        ),
        ("Id", node.id.clone()),
    ];
    if let Some(error) = &node.error {
        rows.push(("Error", error.clone()));
    }
    html! {
        <aside class="graph-details" aria-label="Node details">
            <h4>
                { format!("{} in {}", node.kind.word(), node.module) }
                { for flags.iter().map(|flag| html! { <span class={classes!("graph-badge", format!("flag-{flag}"))}>{ flag }</span> }) }
            </h4>
            <dl class="envelope">
                { for rows.into_iter().map(|(name, value)| html! { <><dt>{ name }</dt><dd>{ value }</dd></> }) }
            </dl>
            { links("Caused by", "Nothing traced caused it: it started a chain.", &node.causes, props) }
            { links("Caused", "Nothing traced came of it.", &node.effects, props) }
        </aside>
    }
}

/// Causes or effects as buttons that select them.
fn links(title: &str, none: &str, of: &[usize], props: &NodeDetailsProps) -> Html {
    html! {
        <section class="graph-links" aria-label={title.to_owned()}>
            <h5>{ title }</h5>
            if of.is_empty() {
                <p class="muted">{ none }</p>
            } else {
                <ul>
                    { for of.iter().filter_map(|&i| Some((i, props.graph.nodes.get(i)?))).map(|(i, n)| html! {
                        <li>
                            <button type="button" class="link" onclick={props.onselect.reform(move |_: MouseEvent| i)}>
                                { format!("{} in {}: {}", n.kind.word(), n.module, n.short) }
                            </button>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}
