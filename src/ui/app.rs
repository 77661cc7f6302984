//! The root component: the workspace shell with its header, four panels and the status bar.

use std::rc::Rc;

use yew::prelude::*;

use super::components::{ModelOutline, PanelFrame, StatusBar};
use super::state::{AppState, Panel, PanelAction};
use crate::model::{Problem, Scenario, BUILT_IN};

/// The whole application.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let scenario = use_memo((), |_| open_built_in());

    let panels = Panel::ALL.iter().map(|&panel| {
        let ontoggle = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(PanelAction::Toggle(panel)))
        };
        html! {
            <PanelFrame key={panel.slug()} {panel} open={state.is_open(panel)} {ontoggle}>
                { panel_body(panel, &scenario) }
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
            <StatusBar
                scenario={scenario.as_ref().as_ref().map(|s| s.name.clone()).ok()}
                open_panels={state.open_count()}
                total_panels={Panel::ALL.len()} />
        </div>
    }
}

/// The scenario the app opens with: the first built-in one.
fn open_built_in() -> Result<Rc<Scenario>, Vec<Problem>> {
    Scenario::import(BUILT_IN[0].text).map(Rc::new)
}

/// What a panel shows.
fn panel_body(panel: Panel, scenario: &Result<Rc<Scenario>, Vec<Problem>>) -> Html {
    let text = match (panel, scenario) {
        (Panel::Model, Ok(scenario)) => return html! { <ModelOutline scenario={scenario.clone()} /> },
        (Panel::Model, Err(problems)) => {
            return html! {
                <div class="problems" role="alert">
                    <p>{ "The built-in scenario could not be loaded:" }</p>
                    <ul>{ for problems.iter().map(|p| html! { <li>{ p.to_string() }</li> }) }</ul>
                </div>
            }
        }
        (Panel::Streams, _) => "No streams yet. Streams appear here as commands append events.",
        (Panel::Inspector, _) => "Select an event or a model element to inspect it.",
        (Panel::Warnings, _) => "No warnings. Anti-patterns are flagged here as you model and simulate.",
    };
    html! { <p class="empty-state">{ text }</p> }
}
