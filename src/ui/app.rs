//! The root component: the workspace shell with its header, four panels and the status bar.

use yew::prelude::*;

use super::components::{PanelFrame, StatusBar};
use super::state::{AppState, Panel, PanelAction};

/// The whole application.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);

    let panels = Panel::ALL.iter().map(|&panel| {
        let ontoggle = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(PanelAction::Toggle(panel)))
        };
        html! {
            <PanelFrame key={panel.slug()} {panel} open={state.is_open(panel)} {ontoggle}>
                { empty_state(panel) }
            </PanelFrame>
        }
    });

    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{ "Eventarium" }</h1>
                <p class="tagline">{ "Model, run and stress event-sourced systems in your browser" }</p>
            </header>
            <main class="workspace">{ for panels }</main>
            <StatusBar open_panels={state.open_count()} total_panels={Panel::ALL.len()} />
        </div>
    }
}

/// What a panel shows before the user has made anything.
fn empty_state(panel: Panel) -> Html {
    let text = match panel {
        Panel::Model => "No event types, commands or projections yet.",
        Panel::Streams => "No streams yet. Streams appear here as commands append events.",
        Panel::Inspector => "Select an event or a model element to inspect it.",
        Panel::Warnings => "No warnings. Anti-patterns are flagged here as you model and simulate.",
    };
    html! { <p class="empty-state">{ text }</p> }
}
