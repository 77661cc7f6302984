//! The keyboard shortcuts (listed by `HelpOverlay`), from one listener on the document.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::model::edit::Kind;
use crate::session::{Action, State, Step};
use crate::ui::state::{AppContext, Handle};

/// Listens to the keys while the page is open.
#[hook]
pub fn use_shortcuts(app: &AppContext) {
    let app = app.clone();
    use_effect_with((), move |()| {
        let options = gloo::events::EventListenerOptions::enable_prevent_default();
        let document = gloo::utils::document();
        let listener = gloo::events::EventListener::new_with_options(&document, "keydown", options, move |event| {
            // A fresh clone reads the latest state without keeping every state seen.
            let state = app.state.clone();
            on_shortcut(event.unchecked_ref(), &state, &app.handle);
        });
        move || drop(listener)
    });
}

/// What a key does; keys typed into a form field are left to the field.
fn on_shortcut(event: &KeyboardEvent, state: &State, handle: &Handle) {
    if (event.ctrl_key() || event.meta_key()) && event.key().eq_ignore_ascii_case("k") {
        event.prevent_default();
        handle.dispatch(Action::TogglePalette);
        return;
    }
    if event.ctrl_key() || event.meta_key() || event.alt_key() {
        return;
    }
    // A dialog over the workspace takes the keys.
    let covered = gloo::utils::document()
        .query_selector(".overlay")
        .ok()
        .flatten()
        .is_some();
    let in_field = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    let escape = event.key() == "Escape";
    if escape && !(state.help || state.palette) {
        if state.pending_delete.is_some() {
            return handle.dispatch(Action::CancelDelete);
        }
        if let Some(draft) = &state.editor {
            return handle.dismiss_editor(draft);
        }
    }
    let action = match event.key().as_str() {
        "Escape" if state.presenter && !covered => Action::TogglePresenter,
        "Escape" => Action::CloseOverlays,
        _ if in_field => return,
        _ if covered && !state.help => return,
        "?" => Action::ToggleHelp,
        "p" => Action::TogglePresenter,
        "ArrowRight" | "]" if state.presenter => Action::Focus(Step::Next),
        "ArrowLeft" | "[" if state.presenter => Action::Focus(Step::Previous),
        key => {
            let selector = match key {
                "n" => None,
                "/" => Some(".stream-filter"),
                "c" => Some(".command-console select"),
                _ => return,
            };
            event.prevent_default();
            match selector {
                Some(selector) => focus(selector),
                None => handle.new_draft(Kind::EventType),
            }
            return;
        }
    };
    handle.dispatch(action);
}

/// Focuses the first element a selector finds.
pub fn focus(selector: &str) {
    let element = gloo::utils::document().query_selector(selector).ok().flatten();
    if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
