//! A JSON value as a tree: objects and arrays fold and unfold one at a time, or all at once with
//! one click.

use serde_json::Value;
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

/// The tree, with Unfold all and Fold all.
#[component]
pub fn JsonTree(props: &JsonTreeProps) -> Html {
    // Bumping the generation redraws every node with `open` as chosen.
    let state = use_state(|| (props.open, 0u32));
    let (open, generation) = *state;
    let onunfold = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.set((true, state.1 + 1)))
    };
    let onfold = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.set((false, state.1 + 1)))
    };
    html! {
        <section class="json-tree" aria-label={props.label.clone()}>
            <div class="json-tree-actions">
                <strong>{ props.label.clone() }</strong>
                <button type="button" class="link" onclick={onunfold} aria-label={format!("Unfold all of {}", props.label)}>{ "Unfold all" }</button>
                <button type="button" class="link" onclick={onfold} aria-label={format!("Fold all of {}", props.label)}>{ "Fold all" }</button>
            </div>
            <div class="json-root" key={generation.to_string()}>{ node(None, &props.value, open, 0) }</div>
        </section>
    }
}

fn node(key: Option<&str>, value: &Value, open: bool, depth: usize) -> Html {
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
    html! {
        <details class="json-node" open={open || depth == 0}>
            <summary>{ label }<span class="json-summary">{ summary }</span></summary>
            <div class="json-children">
                { for children.into_iter().map(|(k, v)| node(if is_array { None } else { Some(&k) }, v, open, depth + 1)) }
            </div>
        </details>
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
