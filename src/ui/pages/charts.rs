//! The charts page: stream lengths, events per type, growth and projection lag, as SVG.

use yew::prelude::*;

use crate::ui::components::Charts;
use crate::ui::reads::PageProps;
use crate::ui::state::{use_app, use_workspace_read};

/// The page.
#[component]
pub fn ChartsPage(_props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let data = use_workspace_read(&app, (), |workspace, ()| workspace.chart_data());
    html! {
        <main class="lab-page" aria-label="Charts">
            <Charts {data} />
        </main>
    }
}
