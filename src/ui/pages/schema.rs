//! The schema lab: an event type's stored versions, a next version with its upcaster, and old
//! events as stored beside what every read sees.

use std::rc::Rc;

use yew::prelude::*;

use crate::session::Action;
use crate::ui::components::SchemaLab;
use crate::ui::reads::PageProps;
use crate::ui::state::{use_app, use_workspace_read};

/// How many old events the schema lab shows beside their upcast.
const UPCAST_VIEWS: usize = 50;

/// The page.
#[component]
pub fn SchemaPage(_props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let state = &app.state;
    let schema = use_workspace_read(&app, state.schema_selected, |workspace, selected| {
        let types = Rc::new(workspace.scenario().model.event_types.clone());
        let name = types.get(*selected).map(|t| t.name.clone()).unwrap_or_default();
        let stored = Rc::new(workspace.stored_versions(&name));
        let views = Rc::new(workspace.upcast_views(&name, UPCAST_VIEWS));
        (types, stored, views)
    });
    let (event_types, stored, views) = (*schema).clone();
    let (checking, adding) = (app.handle.clone(), app.handle.clone());
    let check = Callback::from(move |evolution| checking.check_evolution(evolution));
    let onadd = Callback::from(move |evolution| adding.add_evolution(evolution));
    html! {
        <main class="lab-page" aria-label="Schema evolution lab">
            <SchemaLab {event_types} selected={state.schema_selected} {stored} {views}
                onselect={app.handle.callback(Action::SelectEventType)} {check} {onadd} />
        </main>
    }
}
