//! The charts page: stream lengths, events per type, growth and projection lag, as SVG.

use yew::prelude::*;

use crate::ui::components::Charts;
use crate::ui::reads::PageProps;
use crate::ui::state::use_app;

/// The page.
#[component]
pub fn ChartsPage(_props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let data = {
        let workspace = app.handle.workspace.clone();
        use_memo(app.state.revision, move |_| workspace.borrow().chart_data())
    };
    html! {
        <main class="lab-page" aria-label="Charts">
            <Charts {data} />
        </main>
    }
}
