//! The workspace page: the five panels (model, console, streams, inspector, warnings), or in
//! presenter mode the focused one.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::session::{Action, Panel, Workspace};
use crate::store::RecordedEvent;
use crate::ui::components::{
    CommandConsole, EventInspector, ModelOutline, PanelFrame, SpecResults, StreamList, Timeline, WarningsList,
};
use crate::ui::reads::PageProps;
use crate::ui::state::{use_app, use_workspace_read, AppContext};

/// The panels.
#[component]
pub fn WorkspacePage(props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let groups = use_workspace_read(
        &app,
        (app.state.filter.clone(), app.state.stream_order, app.state.listed),
        |workspace, (filter, order, listed)| workspace.streams(filter, *order, *listed),
    );
    let inspected = use_workspace_read(&app, app.state.selected_event, |workspace, position| {
        position.map_or((None, None), |p| (workspace.event(p), workspace.upcast_view(p)))
    });
    let panels = app.state.shown_panels().into_iter().map(|panel| {
        let ontoggle = app.handle.callback(move |()| Action::TogglePanel(panel));
        let body = match panel {
            Panel::Model => model_panel(&app),
            Panel::Commands => html! {
                <CommandConsole model={props.reads.model.clone()} outcome={app.state.outcome.clone()}
                    onsend={send(&app)} onselectevent={app.handle.callback(Action::SelectEvent)} />
            },
            Panel::Streams => streams_panel(&app, groups.clone()),
            Panel::Inspector => {
                let (event, upcast) = (*inspected).clone();
                html! { <EventInspector {event} {upcast} ontrace={app.handle.callback(Action::Trace)} /> }
            }
            Panel::Warnings => warnings(&app),
        };
        html! {
            <PanelFrame key={panel.slug()} {panel} open={app.state.is_open(panel)} {ontoggle}>
                { body }
            </PanelFrame>
        }
    });
    html! { <main class="workspace">{ for panels }</main> }
}

/// The warnings with their resolved ones and "Show", as the workspace and the simulation page
/// list them.
pub fn warnings(app: &AppContext) -> Html {
    let handle = app.handle.clone();
    let onjump = Callback::from(move |subject| handle.show(subject));
    let onbooks = app.handle.callback(Action::CloseTheBooks);
    html! {
        <WarningsList findings={app.state.findings.clone()} resolved={app.state.resolved.clone()} {onjump} {onbooks} />
    }
}

fn send(app: &AppContext) -> Callback<crate::session::Submission> {
    let handle = app.handle.clone();
    Callback::from(move |submission| handle.send(submission))
}

fn model_panel(app: &AppContext) -> Html {
    let scenario = Rc::new(app.handle.workspace.borrow().scenario().clone());
    let names = Rc::new(scenario.specs.iter().map(|s| s.name().to_owned()).collect::<Vec<_>>());
    let (edit, new, run) = (app.handle.clone(), app.handle.clone(), app.handle.clone());
    let onedit = Callback::from(move |(kind, index)| edit.edit(kind, index));
    let onnew = Callback::from(move |kind| new.new_draft(kind));
    let onrun = Callback::from(move |only| run.run_specs(only));
    html! {
        <>
            <ModelOutline {scenario} {onedit} {onnew} />
            <SpecResults {names} reports={app.state.spec_reports.clone()} {onrun} />
        </>
    }
}

fn streams_panel(app: &AppContext, groups: Rc<Vec<crate::session::CategoryGroup>>) -> Html {
    let state = &app.state;
    let workspace = &app.handle.workspace;
    let timeline = state
        .selected_stream
        .as_ref()
        .and_then(|id| Some((id.clone(), workspace.borrow().stream_span(id)?.1)));
    html! {
        <>
            <StreamList {groups} filter={state.filter.clone()} onfilter={app.handle.callback(Action::Filter)}
                order={state.stream_order} onorder={app.handle.callback(Action::OrderStreams)}
                selected={state.selected_stream.clone()} onselect={app.handle.callback(Action::SelectStream)}
                onmore={app.handle.callback(|()| Action::MoreStreams)} />
            if let Some((id, total)) = timeline {
                <Timeline stream_id={id.clone()} {total} read={read_page(workspace, id)} generation={state.revision}
                    selected={state.selected_event} onselect={app.handle.callback(Action::SelectEvent)} />
            }
        </>
    }
}

/// Reads a window of a stream's events for the timeline.
fn read_page(workspace: &Rc<RefCell<Workspace>>, stream_id: String) -> Callback<(u64, usize), Vec<RecordedEvent>> {
    let workspace = workspace.clone();
    Callback::from(move |(offset, count): (u64, usize)| workspace.borrow().stream_page(&stream_id, offset, count))
}
