//! What a failed import found: every problem with its place in the file. The work in the
//! workspace is untouched.

use yew::prelude::*;

/// Properties of [`ImportProblems`].
#[derive(Properties, PartialEq)]
pub struct ImportProblemsProps {
    /// The file's name.
    pub file: String,
    /// Each problem as `path: message`.
    pub problems: Vec<String>,
    /// Called when the user closes the list.
    pub onclose: Callback<()>,
}

/// The list, as a dialog over the workspace.
#[component]
pub fn ImportProblems(props: &ImportProblemsProps) -> Html {
    let onclose = props.onclose.reform(|_| ());
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="import-problems-title">
            <section class="dialog import-problems">
                <h2 id="import-problems-title">{ format!("{} could not be imported", props.file) }</h2>
                <p>{ format!(
                    "{} problem{} found. Your current work is unchanged.",
                    props.problems.len(),
                    if props.problems.len() == 1 { " was" } else { "s were" }
                ) }</p>
                <ul>{ for props.problems.iter().map(|p| html! { <li><code>{ p }</code></li> }) }</ul>
                <button type="button" class="primary" onclick={onclose}>{ "Close" }</button>
            </section>
        </div>
    }
}
