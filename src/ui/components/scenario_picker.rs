//! The first start: which scenario to begin with — one of the built-in ones (the first is open
//! behind the dialog already) or an empty workspace.

use serde_json::Value;
use yew::prelude::*;

use crate::model::BUILT_IN;

/// Properties of [`ScenarioPicker`].
#[derive(Properties, PartialEq)]
pub struct ScenarioPickerProps {
    /// Called with the built-in scenario's index, or `None` for an empty workspace.
    pub onpick: Callback<Option<usize>>,
}

/// The picker.
#[component]
pub fn ScenarioPicker(props: &ScenarioPickerProps) -> Html {
    let choices = BUILT_IN.iter().enumerate().map(|(i, built_in)| {
        let document: Value = serde_json::from_str(built_in.text).unwrap_or_default();
        let name = document["name"].as_str().unwrap_or(built_in.id).to_owned();
        let description = document["description"].as_str().unwrap_or_default().to_owned();
        let onclick = props.onpick.reform(move |_: MouseEvent| Some(i));
        html! {
            <li>
                <button type="button" class={classes!("choice", (i == 0).then_some("primary"))} {onclick}
                    aria-label={format!("Start with {name}")} autofocus={i == 0}>
                    <strong>{ name }</strong>
                    <span>{ description }</span>
                </button>
            </li>
        }
    });
    let onempty = props.onpick.reform(|_: MouseEvent| None);
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-label="Choose a scenario">
            <section class="dialog scenario-picker">
                <h2>{ "Welcome to Eventarium" }</h2>
                <p>{ "Pick a scenario to start from. Everything you change is saved in this browser as you go; export it to keep a file." }</p>
                <ul class="choices">
                    { for choices }
                    <li>
                        <button type="button" class="choice" onclick={onempty} aria-label="Start with an empty workspace">
                            <strong>{ "Empty workspace" }</strong>
                            <span>{ "No definitions: draft your own model from scratch." }</span>
                        </button>
                    </li>
                </ul>
            </section>
        </div>
    }
}
