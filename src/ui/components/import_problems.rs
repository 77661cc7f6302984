//! What a failed import found: every problem with its place in the file. The work in the
//! workspace is untouched.

use yew::prelude::*;

use super::dialog::Dialog;

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

/// The list, in a dialog.
#[component]
pub fn ImportProblems(props: &ImportProblemsProps) -> Html {
    let count = props.problems.len();
    html! {
        <Dialog title={format!("{} could not be imported", props.file)} class="import-problems" onclose={props.onclose.clone()}>
            <p>{ format!(
                "{count} problem{} found. Your current work is unchanged.",
                if count == 1 { " was" } else { "s were" }
            ) }</p>
            <ul>{ for props.problems.iter().map(|p| html! { <li><code>{ p }</code></li> }) }</ul>
        </Dialog>
    }
}
