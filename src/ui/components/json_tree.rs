//! A JSON value as a tree: objects and arrays fold and unfold one at a time, or all at once with
//! one click.

use std::collections::HashSet;

use serde_json::Value;
use web_sys::Element;
use yew::prelude::*;

/// Properties of [`JsonTree`].
#[derive(Properties, PartialEq)]
pub struct JsonTreeProps {
    /// What the value is, e.g. `Payload`.
    pub label: AttrValue,
    /// The value.
    pub value: Value,
    /// Whether it starts unfolded (the root always shows its first level).
    #[prop_or(true)]
    pub open: bool,
}

/// The tree, with Unfold all and Fold all. A folded node draws only its summary: its children are
/// drawn when it is unfolded, so a large value that nobody opened costs one line per node shown
/// (the simulation page redraws its read model on every tick of a generator).
#[component]
pub fn JsonTree(props: &JsonTreeProps) -> Html {
    // Every node is open when `open_all` is, except those in `flipped` (and the other way round);
    // bumping the generation redraws every node as chosen.
    let state = use_state(|| (props.open, 0u32));
    let flipped = use_state(HashSet::<String>::new);
    let (open_all, generation) = *state;
    let all = |open: bool| {
        let (state, flipped) = (state.clone(), flipped.clone());
        Callback::from(move |_: MouseEvent| {
            flipped.set(HashSet::new());
            state.set((open, state.1 + 1));
        })
    };
    let ontoggle = {
        let flipped = flipped.clone();
        Callback::from(move |(path, open): (String, bool)| {
            let mut next = (*flipped).clone();
            // The browser has already opened or closed the node; record it if that is not the default.
            if open == open_all {
                next.remove(&path);
            } else {
                next.insert(path);
            }
            flipped.set(next);
        })
    };
    let tree = Tree {
        open_all,
        flipped: &flipped,
        ontoggle: &ontoggle,
    };
    html! {
        <section class="json-tree" aria-label={props.label.clone()}>
            <div class="json-tree-actions">
                <strong>{ props.label.clone() }</strong>
                <button type="button" class="link" onclick={all(true)} aria-label={format!("Unfold all of {}", props.label)}>{ "Unfold all" }</button>
                <button type="button" class="link" onclick={all(false)} aria-label={format!("Fold all of {}", props.label)}>{ "Fold all" }</button>
            </div>
            <div class="json-root" key={generation.to_string()}>{ tree.node(None, &props.value, String::new()) }</div>
        </section>
    }
}

/// What every node of one tree needs to know.
struct Tree<'a> {
    open_all: bool,
    flipped: &'a HashSet<String>,
    ontoggle: &'a Callback<(String, bool)>,
}

impl Tree<'_> {
    /// The node at `path` (its keys from the root, e.g. `/lines/0`); the root is always open.
    fn node(&self, key: Option<&str>, value: &Value, path: String) -> Html {
        let label = key.map(|k| html! { <><span class="json-key">{ format!("{k:?}") }</span>{ ": " }</> });
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
            scalar => {
                let class = match scalar {
                    Value::String(_) => "json-string",
                    Value::Number(_) => "json-number",
                    _ => "json-literal",
                };
                return html! { <div class="json-leaf">{ label }<span class={class}>{ scalar.to_string() }</span></div> };
            }
        };
        let (open_mark, close_mark) = if value.is_array() { ("[", "]") } else { ("{", "}") };
        let summary = format!("{open_mark} {} {close_mark}", plural(children.len(), value.is_array()));
        if children.is_empty() {
            return html! { <div class="json-leaf">{ label }{ format!("{open_mark}{close_mark}") }</div> };
        }
        let is_array = value.is_array();
        let open = path.is_empty() || self.open_all != self.flipped.contains(&path);
        let ontoggle = {
            let (ontoggle, path) = (self.ontoggle.clone(), path.clone());
            Callback::from(move |event: Event| {
                let now_open = event
                    .target_dyn_into::<Element>()
                    .is_some_and(|details| details.has_attribute("open"));
                if now_open != open {
                    ontoggle.emit((path.clone(), now_open));
                }
            })
        };
        html! {
            <details class="json-node" {open} {ontoggle}>
                <summary>{ label }<span class="json-summary">{ summary }</span></summary>
                if open {
                    <div class="json-children">
                        { for children.into_iter().map(|(k, v)| {
                            let child = format!("{path}/{k}");
                            self.node(if is_array { None } else { Some(&k) }, v, child)
                        }) }
                    </div>
                }
            </details>
        }
    }
}

fn plural(n: usize, array: bool) -> String {
    let noun = if array { "item" } else { "key" };
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
