//! The status bar along the bottom of the workspace.

use yew::prelude::*;

use crate::session::counted;

/// Properties of [`StatusBar`].
#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    /// The loaded scenario's name, if one loaded.
    pub scenario: Option<String>,
    /// How many events the store holds.
    #[prop_or_default]
    pub events: u64,
    /// How many panels are open.
    pub open_panels: usize,
    /// How many panels there are.
    pub total_panels: usize,
}

/// One line of facts about the session.
#[component]
pub fn StatusBar(props: &StatusBarProps) -> Html {
    html! {
        <footer class="status-bar" role="status">
            <span class="status-item">{ "Ready" }</span>
            if let Some(name) = &props.scenario {
                <span class="status-item status-scenario">{ format!("Scenario: {name}") }</span>
            }
            <span class="status-item status-events">{ counted(props.events, "event") }</span>
            <span class="status-item status-panels">
                { format!("{} of {} panels open", props.open_panels, props.total_panels) }
            </span>
            <span class="status-item status-version">{ concat!("Eventarium ", env!("CARGO_PKG_VERSION")) }</span>
        </footer>
    }
}
