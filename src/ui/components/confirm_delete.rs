//! Asks before a definition is deleted, and says what depends on it: what goes with it, what
//! changes, which scripts mention it, and how many stored events have its type.

use yew::prelude::*;

use crate::model::edit::Dependent;

/// Properties of [`ConfirmDelete`].
#[derive(Properties, PartialEq)]
pub struct ConfirmDeleteProps {
    /// What would be deleted, e.g. `event type ItemAdded`.
    pub what: AttrValue,
    /// What depends on it.
    pub dependents: Vec<Dependent>,
    /// Stored events of the type (for an event type), which stay in the store untyped.
    #[prop_or_default]
    pub stored: u64,
    /// Called when the user confirms.
    pub onconfirm: Callback<()>,
    /// Called when the user keeps it.
    pub oncancel: Callback<()>,
}

/// The question.
#[component]
pub fn ConfirmDelete(props: &ConfirmDeleteProps) -> Html {
    let (removed, kept): (Vec<&Dependent>, Vec<&Dependent>) = props.dependents.iter().partition(|d| d.removed);
    let line = |d: &&Dependent| html! { <li><strong>{ format!("{} {}", d.kind, d.name) }</strong>{ format!(" {}", d.how) }</li> };
    let title = format!("Delete {}?", props.what);
    html! {
        <div class="overlay" role="alertdialog" aria-modal="true" aria-label={title.clone()}>
            <section class="dialog confirm-delete">
                <h2>{ title }</h2>
                if props.dependents.is_empty() && props.stored == 0 {
                    <p>{ "Nothing else depends on it." }</p>
                }
                if !removed.is_empty() {
                    <p>{ "These go with it:" }</p>
                    <ul class="dependents removed">{ for removed.iter().map(line) }</ul>
                }
                if !kept.is_empty() {
                    <p>{ "These stay, changed or to be checked:" }</p>
                    <ul class="dependents kept">{ for kept.iter().map(line) }</ul>
                }
                if props.stored > 0 {
                    <p>{ format!("{} stored events have this type; they stay in the store, read without a schema.", props.stored) }</p>
                }
                <div class="dialog-actions">
                    <button type="button" onclick={props.oncancel.reform(|_| ())}>{ "Keep it" }</button>
                    <button type="button" class="danger" onclick={props.onconfirm.reform(|_| ())}>{ "Delete" }</button>
                </div>
            </section>
        </div>
    }
}
