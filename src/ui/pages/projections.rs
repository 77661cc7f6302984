//! The projections lab: each projection's state, checkpoint, lag and documents, with rebuilds,
//! blue-green builds and poison events.

use yew::prelude::*;

use crate::ui::components::ProjectionsLab;
use crate::ui::reads::PageProps;
use crate::ui::state::{use_app, use_workspace_read};

/// How many documents the lab lists.
const DOCUMENT_PAGE: usize = 200;

/// The page.
#[component]
pub fn ProjectionsPage(props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let state = &app.state;
    let documents = use_workspace_read(&app, state.lab_selected.clone(), |workspace, selected| {
        selected
            .as_ref()
            .map(|name| workspace.documents(name, DOCUMENT_PAGE))
            .unwrap_or_default()
    });
    let writers = use_workspace_read(&app, (), |workspace, ()| workspace.writers());
    let handle = app.handle.clone();
    let onaction = Callback::from(move |(name, action)| handle.lab(name, action));
    html! {
        <main class="lab-page" aria-label="Projections lab">
            <ProjectionsLab statuses={props.reads.statuses.clone()} selected={state.lab_selected.clone()}
                {documents} {writers} rate={state.rate} error={state.lab_error.clone()} {onaction} />
        </main>
    }
}
