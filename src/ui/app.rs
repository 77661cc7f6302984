//! The root component, the shell: it opens the [`Workspace`] and the page's [`State`] from what
//! the browser kept, provides both through the context, runs the timers, the shortcuts and the
//! autosave, and lays out the header, the page and the overlays.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::components::{HelpOverlay, ImportProblems, ScenarioPicker, ShareDialog, StatusBar, WorkspacesDialog};
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
use super::storage::{self, Slot};
use crate::session::{Action, Page, Panel, Start, State, Workspace};

/// The whole application: while the browser's database opens the workspace kept, a line that
/// says so, then the [`Shell`].
#[component]
pub fn App() -> Html {
    let opened = use_state(|| None::<Rc<RefCell<Option<storage::Opened>>>>);
    {
        let opened = opened.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                let kept = storage::open().await;
                opened.set(Some(Rc::new(RefCell::new(Some(kept)))));
            });
        });
    }
    match &*opened {
        Some(kept) => html! { <Shell opened={OpenedOnce(kept.clone())} /> },
        None => html! {
            <div class="app opening" role="status" aria-live="polite">{ "Opening your workspace…" }</div>
        },
    }
}

/// What the shell opens with, taken once on its first render.
#[derive(Clone)]
pub struct OpenedOnce(Rc<RefCell<Option<storage::Opened>>>);

impl PartialEq for OpenedOnce {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Properties of [`Shell`].
#[derive(Properties, PartialEq)]
pub struct ShellProps {
    pub opened: OpenedOnce,
}

/// The page around an opened workspace.
#[component]
fn Shell(props: &ShellProps) -> Html {
    let opened = use_memo((), |()| start(props.opened.0.borrow_mut().take()));
    let state = use_reducer(|| State::new(opened.1.clone()));
    let handle = use_memo((), {
        let (workspace, slot, dispatcher) = (opened.0.clone(), opened.2.clone(), state.dispatcher());
        move |_| Handle::kept_in(workspace, slot, dispatcher)
    });
    let app = AppContext {
        state: state.clone(),
        handle: (*handle).clone(),
    };
    let reads = use_reads(&app.handle, state.revision);
    {
        // A share link in the address is offered once the workspace kept is open, and again
        // whenever one is pasted into the address of the open page (only its fragment changes).
        let handle = app.handle.clone();
        use_effect_with((), move |()| {
            super::share::open_shared(&handle);
            let listener = web_sys::window().map(|window| {
                gloo::events::EventListener::new(&window, "hashchange", move |_| super::share::open_shared(&handle))
            });
            move || drop(listener)
        });
    }
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

/// The workspace and what the page starts with, from what the browser kept.
fn start(opened: Option<storage::Opened>) -> (Rc<RefCell<Workspace>>, Start, Slot) {
    let storage::Opened {
        mut workspace,
        slot,
        notice,
        first,
    } = opened.unwrap_or_else(|| storage::Opened {
        workspace: Workspace::empty(),
        slot: Slot::new("Untitled workspace"),
        notice: None,
        first: false,
    });
    let draft = storage::load_draft().map(|draft| {
        let problems = workspace.check(draft.kind, draft.index, &draft.item);
        (draft, problems)
    });
    let start = Start {
        notice,
        first_start: first,
        draft,
        generator: storage::load_generator().unwrap_or_else(|| workspace.default_generator()),
        seed: workspace.scenario().settings.seed,
        findings: workspace.findings().to_vec(),
    };
    (Rc::new(RefCell::new(workspace)), start, slot)
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
            if state.workspaces { <WorkspacesDialog /> }
            if state.sharing { <ShareDialog /> }
            if state.help { <HelpOverlay onclose={handle.callback(|()| Action::CloseOverlays)} /> }
        </>
    }
}
