//! The keyboard shortcuts, listed in a dialog that `?` opens.

use yew::prelude::*;

use super::dialog::Dialog;

/// Every shortcut and what it does.
pub const SHORTCUTS: [(&str, &str); 8] = [
    ("Ctrl K", "open the command palette: every action by name"),
    ("n", "new event type"),
    ("?", "show or hide this help"),
    ("p", "presenter mode: larger type, high contrast, one panel at a time"),
    ("← →", "in presenter mode, the previous or next panel"),
    ("/", "filter the streams"),
    ("c", "go to the command console"),
    ("Esc", "close this help, the palette or a dialog; leave presenter mode"),
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
    html! {
        <Dialog title="Keyboard shortcuts" class="help" onclose={props.onclose.clone()}>
            <dl class="shortcuts">
                { for SHORTCUTS.iter().map(|(key, what)| html! { <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></> }) }
            </dl>
        </Dialog>
    }
}
