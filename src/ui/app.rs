//! The root component, the shell: it opens the [`Workspace`] and the page's [`State`] from what
//! the browser kept, provides both through the context, runs the timers, the shortcuts and the
//! autosave, and lays out the header, the page and the overlays.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::components::{HelpOverlay, ImportProblems, ScenarioPicker, StatusBar};
use super::editor::Editor;
use super::header::Header;
use super::hooks::{use_autosave, use_generator, use_projection_steps, use_shortcuts, use_system_clock};
use super::messages::Messages;
use super::pages::{
    ChartsPage, LifecyclePage, ParticipantsPage, ProjectionsPage, SchemaPage, SimulationPage, SystemPage, WorkspacePage,
};
use super::palette::Palette;
use super::reads::{use_reads, Reads};
use super::state::{AppContext, Handle};
use super::storage;
use crate::session::{Action, Page, Panel, Start, State, Workspace};

/// The whole application.
#[component]
pub fn App() -> Html {
    let opened = use_memo((), |_| open());
    let state = use_reducer(|| State::new(opened.1.clone()));
    let handle = use_memo((), {
        let (workspace, dispatcher) = (opened.0.clone(), state.dispatcher());
        move |_| Handle::new(workspace, dispatcher)
    });
    let app = AppContext {
        state: state.clone(),
        handle: (*handle).clone(),
    };
    let reads = use_reads(&app.handle, state.revision);
    use_shortcuts(&app);
    let running = reads.busy() || state.generator.playing || state.system_clock.playing;
    use_autosave(&app.handle, state.revision, running);
    use_projection_steps(&app, reads.busy());
    use_generator(&app);
    use_system_clock(&app);
    html! {
        <ContextProvider<AppContext> context={app}>
            <div class={classes!("app", state.presenter.then_some("presenter"))}>
                <Header name={reads.name.clone()} />
                <Messages reads={reads.clone()} />
                { page(state.page, &reads) }
                <StatusBar scenario={Some(reads.name.clone())} events={reads.events}
                    open_panels={state.open_count()} total_panels={Panel::ALL.len()} />
                { overlays(&state, &handle, &reads) }
            </div>
        </ContextProvider<AppContext>>
    }
}

/// The workspace and what the page starts with, from the browser's storage.
fn open() -> (Rc<RefCell<Workspace>>, Start) {
    let (mut workspace, notice, first_start) = storage::load();
    let draft = storage::load_draft().map(|draft| {
        let problems = workspace.check(draft.kind, draft.index, &draft.item);
        (draft, problems)
    });
    let start = Start {
        notice,
        first_start,
        draft,
        generator: storage::load_generator().unwrap_or_else(|| workspace.default_generator()),
        seed: workspace.scenario().settings.seed,
        findings: workspace.findings().to_vec(),
    };
    (Rc::new(RefCell::new(workspace)), start)
}

/// The page under the header.
fn page(page: Page, reads: &Rc<Reads>) -> Html {
    let reads = reads.clone();
    match page {
        Page::Workspace => html! { <WorkspacePage {reads} /> },
        Page::Simulation => html! { <SimulationPage {reads} /> },
        Page::Projections => html! { <ProjectionsPage {reads} /> },
        Page::Schema => html! { <SchemaPage {reads} /> },
        Page::Participants => html! { <ParticipantsPage {reads} /> },
        Page::Charts => html! { <ChartsPage {reads} /> },
        Page::System => html! { <SystemPage {reads} /> },
        Page::Lifecycle => html! { <LifecyclePage {reads} /> },
    }
}

/// The dialogs over the page, in the order they stack.
fn overlays(state: &State, handle: &Handle, reads: &Rc<Reads>) -> Html {
    let picker = handle.clone();
    let onpick = Callback::from(move |index| picker.pick_first(index));
    html! {
        <>
            if let Some((file, problems)) = state.import_problems.clone() {
                <ImportProblems {file} {problems} onclose={handle.callback(|()| Action::CloseImportProblems)} />
            }
            <Editor reads={reads.clone()} />
            if state.picking { <ScenarioPicker {onpick} /> }
            if state.palette { <Palette /> }
            if state.help { <HelpOverlay onclose={handle.callback(|()| Action::CloseOverlays)} /> }
        </>
    }
}
