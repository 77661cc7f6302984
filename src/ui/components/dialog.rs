//! A modal dialog over the workspace: a titled box with a Close button.

use yew::prelude::*;

/// Properties of [`Dialog`].
#[derive(Properties, PartialEq)]
pub struct DialogProps {
    /// The heading, which is also the dialog's accessible name.
    pub title: AttrValue,
    /// A class for the box, e.g. `help`.
    #[prop_or_default]
    pub class: Classes,
    /// Called when the user closes it.
    pub onclose: Callback<()>,
    /// What the dialog says.
    #[prop_or_default]
    pub children: Html,
}

/// The dialog.
#[component]
pub fn Dialog(props: &DialogProps) -> Html {
    let onclose = props.onclose.reform(|_| ());
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-label={props.title.clone()}>
            <section class={classes!("dialog", props.class.clone())}>
                <h2>{ props.title.clone() }</h2>
                { props.children.clone() }
                <button type="button" class="primary" onclick={onclose}>{ "Close" }</button>
            </section>
        </div>
    }
}
