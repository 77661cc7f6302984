//! The keyboard shortcuts, listed in an overlay that `?` opens.

use yew::prelude::*;

/// Every shortcut and what it does.
pub const SHORTCUTS: [(&str, &str); 4] = [
    ("?", "show or hide this help"),
    ("/", "filter the streams"),
    ("c", "go to the command console"),
    ("Esc", "close this help or a dialog"),
];

/// Properties of [`HelpOverlay`].
#[derive(Properties, PartialEq)]
pub struct HelpOverlayProps {
    /// Called when the user closes it.
    pub onclose: Callback<()>,
}

/// The overlay.
#[component]
pub fn HelpOverlay(props: &HelpOverlayProps) -> Html {
    let onclose = props.onclose.reform(|_| ());
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <section class="dialog help">
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <dl class="shortcuts">
                    { for SHORTCUTS.iter().map(|(key, what)| html! { <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></> }) }
                </dl>
                <button type="button" class="primary" onclick={onclose}>{ "Close" }</button>
            </section>
        </div>
    }
}
