//! The messages under the header: presenter mode's bar, a lasting notice (with "Export now"),
//! and the status line.

use yew::prelude::*;

use crate::session::{Action, Page, Panel, State};
use crate::ui::header::ExportLink;
use crate::ui::reads::PageProps;
use crate::ui::state::use_app;

/// The messages.
#[component]
pub fn Messages(props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let state = &app.state;
    let ondismiss = app.handle.callback(|_: MouseEvent| Action::DismissStatus);
    html! {
        <div class="messages">
            if state.presenter {
                <div class="presenter-bar" role="status" aria-label="Presenter mode">{ presenter_line(state) }</div>
            }
            if let Some(message) = state.notice.clone() {
                <div class="notice" role="alert">
                    { message }
                    <ExportLink name={props.reads.name.clone()}>{ "Export now" }</ExportLink>
                </div>
            }
            if let Some(message) = state.status.clone() {
                <div class="status-message" role="status">
                    { message }
                    <button type="button" class="icon" aria-label="Dismiss" onclick={ondismiss}>{ "✕" }</button>
                </div>
            }
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
