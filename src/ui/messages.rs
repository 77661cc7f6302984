//! The messages: presenter mode's bar under the header, and over the page's corner (never
//! pushing the page down) a lasting notice (with "Export now") and the status line, which goes
//! by itself after [`STATUS_SHOWN_MS`].

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::session::{Action, Page, Panel, State};
use crate::ui::header::ExportLink;
use crate::ui::reads::PageProps;
use crate::ui::state::use_app;

/// How long the status line shows, in ms: long enough to read a sentence twice.
pub const STATUS_SHOWN_MS: u32 = 6_000;

/// The messages.
#[component]
pub fn Messages(props: &PageProps) -> Html {
    let app = use_app();
    let status = app.as_ref().and_then(|app| app.state.status.clone());
    let handle = app.as_ref().map(|app| app.handle.clone());
    use_effect_with(status, move |status| {
        let fade = status
            .as_ref()
            .zip(handle)
            .map(|(_, handle)| Timeout::new(STATUS_SHOWN_MS, move || handle.dispatch(Action::DismissStatus)));
        // A newer message (or a dismissal) drops this timeout before it fires.
        move || drop(fade)
    });
    let Some(app) = app else { return Html::default() };
    let state = &app.state;
    let ondismiss = app.handle.callback(|_: MouseEvent| Action::DismissStatus);
    let ondismiss_notice = app.handle.callback(|_: MouseEvent| Action::DismissNotice);
    html! {
        <div class="messages">
            if state.presenter {
                <div class="presenter-bar" role="status" aria-label="Presenter mode">{ presenter_line(state) }</div>
            }
            <div class="toasts">
                if let Some(message) = state.notice.clone() {
                    <div class="notice" role="alert">
                        <span>{ message }</span>
                        <ExportLink name={props.reads.name.clone()}>{ "Export now" }</ExportLink>
                        <button type="button" class="icon" aria-label="Dismiss the notice" onclick={ondismiss_notice}>{ "✕" }</button>
                    </div>
                }
                if let Some(message) = state.status.clone() {
                    <div class="status-message" role="status">
                        <span>{ message }</span>
                        <button type="button" class="icon" aria-label="Dismiss" onclick={ondismiss}>{ "✕" }</button>
                    </div>
                }
            </div>
        </div>
    }
}

/// What presenter mode's bar says: on the workspace, which panel shows and how to move.
fn presenter_line(state: &State) -> String {
    if state.page != Page::Workspace {
        return "Presenter mode · Esc to leave".to_owned();
    }
    let focused = state.focused();
    let at = Panel::ALL.iter().position(|p| *p == focused).unwrap_or(0) + 1;
    format!(
        "Presenter mode · {} ({at} of {}) · ← → to move between panels · Esc to leave",
        focused.title(),
        Panel::ALL.len()
    )
}
