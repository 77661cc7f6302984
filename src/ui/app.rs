//! The root component: the workspace with its header, panels and status bar. It owns the
//! [`Workspace`] (the scenario and its running simulation), what is selected, and the autosave.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::components::{
    Charts, CommandConsole, CommandPalette, ConfirmDelete, Control, DefinitionEditor, EventInspector, HelpOverlay,
    ImportProblems, LabAction, ModelOutline, Move, PanelFrame, Participant, ProjectionsLab, ScenarioPicker, SchemaLab,
    Simulation, SpecResults, StatusBar, StreamList, Submission, Timeline, TwoParticipants, WarningsList,
    SHOWN_DOCUMENTS, SHOWN_STREAMS,
};
use super::state::{AppState, Panel, PanelAction};
use super::storage;
use crate::model::edit::{self, Dependent, Kind};
use crate::model::{Problem, BUILT_IN};
use crate::session::Draft;
use crate::session::SendOutcome;
use crate::session::Workspace;
use crate::session::{Chunk, LISTED, LISTED_MORE};

/// How long after a change the workspace is saved, in ms.
const AUTOSAVE_DELAY_MS: u32 = 400;
/// How long after the last keystroke a draft is checked, in ms.
const CHECK_DELAY_MS: u32 = 300;

/// How often the projections (while one is behind) and a playing generator are stepped, in ms.
const STEP_EVERY_MS: u32 = 16;
/// How many events each projection reads per step at most.
const STEP_EVENTS: usize = 5_000;
/// How long the work of one tick should take, so frames keep coming, in ms: of a 16.7 ms frame
/// this leaves the browser about 4.7 ms to draw. With a generator filling a million events
/// (`bench/ui.sh`), frames stayed at p95 16.8 ms, as with 10 ms, while the rate rose by a tenth
/// to a third (see bench/README.md).
const WORK_BUDGET_MS: f64 = 12.0;
/// How often the page is drawn again while a generator or a rebuild runs, in ms. The ticks in
/// between only work: drawing a large page on every tick took a third of the time and left
/// little of each frame for a scroll or a click.
const REDRAW_EVERY_MS: f64 = 100.0;

/// Whether a tick that ended at `now` draws the page again: when the work is over, or once
/// [`REDRAW_EVERY_MS`] passed since `drawn`, the time of the last drawing (then moved to `now`).
fn redraw_due(drawn: &mut f64, now: f64, over: bool) -> bool {
    let due = over || now - *drawn >= REDRAW_EVERY_MS || now < *drawn;
    if due {
        *drawn = now;
    }
    due
}
/// How many old events the schema lab shows beside their upcast.
const UPCAST_VIEWS: usize = 50;
/// How many documents the lab lists.
const DOCUMENT_PAGE: usize = 200;

/// What fills the page under the header.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Page {
    /// The five panels.
    Workspace,
    /// The projections lab.
    Projections,
    /// The schema evolution lab.
    Schema,
    /// Two participants acting on one stream.
    Participants,
    /// Charts of the store and the projections.
    Charts,
    /// Load generators, live warnings and time travel.
    Simulation,
}

/// The pages, with their short label and their full name.
const PAGES: [(Page, &str, &str); 6] = [
    (Page::Workspace, "Workspace", "Workspace"),
    (Page::Simulation, "Simulate", "Simulation"),
    (Page::Projections, "Projections", "Projections lab"),
    (Page::Schema, "Schema", "Schema lab"),
    (Page::Participants, "Conflicts", "Two participants"),
    (Page::Charts, "Charts", "Charts"),
];

/// A delete the user is asked to confirm.
#[derive(Clone, PartialEq)]
struct PendingDelete {
    kind: Kind,
    index: usize,
    what: String,
    dependents: Vec<Dependent>,
    stored: u64,
}

/// The whole application.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let loaded = use_memo((), |_| {
        let (workspace, notice, first_start) = storage::load();
        let draft = storage::load_draft();
        (Rc::new(RefCell::new(workspace)), notice, first_start, draft)
    });
    let workspace = loaded.0.clone();
    let notice = use_state(|| loaded.1.clone());
    let picking = use_state(|| loaded.2);
    let editor = use_state(|| loaded.3.clone().map(Rc::new));
    let draft_problems = use_state(|| {
        let problems = loaded
            .3
            .as_ref()
            .map(|d| loaded.0.borrow().check(d.kind, d.index, &d.item));
        Rc::new(problems.unwrap_or_default())
    });
    let checking = use_mut_ref(|| None::<Timeout>);
    let pending_delete = use_state(|| None::<PendingDelete>);
    let status = use_state(|| None::<String>);
    let page = use_state(|| Page::Workspace);
    let lab_selected = use_state(|| None::<String>);
    let lab_error = use_state(|| None::<String>);
    let rate = use_state(|| None::<f64>);
    let schema_selected = use_state(|| 0usize);
    let participants = use_state(|| Rc::new([Participant::default(), Participant::default()]));
    let generator = use_state(|| loaded.0.borrow().default_generator());
    let seed = use_state(|| loaded.0.borrow().scenario().settings.seed);
    let speed = use_state(|| 10usize);
    let playing = use_state(|| false);
    let load_problems = use_state(Vec::<Problem>::new);
    let travel = use_state(|| None::<u64>);
    let travel_projection = use_state(|| None::<String>);
    // Every finding seen so far, to mark those that no longer hold as resolved.
    let seen_findings = use_mut_ref(std::collections::BTreeMap::<String, crate::lint::Finding>::new);
    // Bumped after every change to the workspace: re-renders, and schedules an autosave.
    let generation = use_state(|| 0u64);
    // Bumps the generation from timers, which would otherwise see the value of their first render.
    let bump = use_mut_ref(Callback::<()>::noop);
    {
        let generation = generation.clone();
        *bump.borrow_mut() = Callback::from(move |()| generation.set(*generation + 1));
    }
    let outcome = use_state(|| None::<SendOutcome>);
    let filter = use_state(String::new);
    // How many streams each category lists: more on request, back to the first few on a new filter.
    let listed = use_state(|| LISTED);
    let selected_stream = use_state(|| None::<String>);
    let selected_event = use_state(|| None::<u64>);
    let pending_save = use_mut_ref(|| None::<Timeout>);
    let import_problems = use_state(|| None::<(String, Vec<String>)>);
    let spec_reports = use_state(|| None::<Rc<Vec<crate::sim::spec::SpecReport>>>);
    let reading = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);

    // The shortcuts call the latest callbacks through this cell.
    let shortcut_new = use_mut_ref(Callback::<Kind>::noop);
    {
        let (state, shortcut_new) = (state.clone(), shortcut_new.clone());
        use_effect_with((), move |_| {
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            let document = gloo::utils::document();
            let listener = gloo::events::EventListener::new_with_options(&document, "keydown", options, move |event| {
                let event: &web_sys::KeyboardEvent = event.unchecked_ref();
                let onnew = shortcut_new.borrow().clone();
                on_shortcut(event, &state, &onnew);
            });
            move || drop(listener)
        });
    }

    {
        let (workspace, notice, pending_save) = (workspace.clone(), notice.clone(), pending_save.clone());
        use_effect_with(*generation, move |generation| {
            if *generation > 0 {
                let save = Timeout::new(AUTOSAVE_DELAY_MS, move || {
                    if let Err(message) = storage::save(&workspace.borrow()) {
                        notice.set(Some(message));
                    }
                });
                // Replacing the timeout drops (cancels) the one still waiting: saves are debounced.
                *pending_save.borrow_mut() = Some(save);
            }
        });
    }

    let onsend = {
        let (workspace, generation, outcome, selected_stream) = (
            workspace.clone(),
            generation.clone(),
            outcome.clone(),
            selected_stream.clone(),
        );
        Callback::from(move |submission: Submission| {
            let result = workspace.borrow_mut().send(
                &submission.command,
                &submission.stream_id,
                submission.data,
                submission.expected,
            );
            if let SendOutcome::Appended { stream_id, .. } = &result {
                selected_stream.set(Some(stream_id.clone()));
            }
            outcome.set(Some(result));
            generation.set(*generation + 1);
        })
    };
    let onselectevent = {
        let selected_event = selected_event.clone();
        Callback::from(move |position: u64| selected_event.set(Some(position)))
    };
    let onselectstream = {
        let selected_stream = selected_stream.clone();
        Callback::from(move |id: String| selected_stream.set(Some(id)))
    };
    let onfilter = {
        let (filter, listed) = (filter.clone(), listed.clone());
        Callback::from(move |text: String| {
            filter.set(text);
            listed.set(LISTED);
        })
    };
    let onmorestreams = {
        let listed = listed.clone();
        Callback::from(move |()| listed.set(*listed + LISTED_MORE))
    };
    let onexport = {
        let workspace = workspace.clone();
        Callback::from(move |e: MouseEvent| {
            let text = workspace.borrow().save();
            let href = format!(
                "data:application/json;charset=utf-8,{}",
                js_sys::encode_uri_component(&text)
            );
            // The download starts after this handler, with the link as it is now.
            e.target_unchecked_into::<HtmlAnchorElement>().set_href(&href);
        })
    };
    // Replaces the workspace (after the caller asked), and forgets what was selected.
    let replace = {
        let spec_reports = spec_reports.clone();
        let (workspace, generation, outcome, selected_stream, selected_event, notice) = (
            workspace.clone(),
            generation.clone(),
            outcome.clone(),
            selected_stream.clone(),
            selected_event.clone(),
            notice.clone(),
        );
        let editor = editor.clone();
        Callback::from(move |next: Workspace| {
            *workspace.borrow_mut() = next;
            storage::save_draft(None);
            editor.set(None);
            spec_reports.set(None);
            outcome.set(None);
            selected_stream.set(None);
            selected_event.set(None);
            notice.set(None);
            generation.set(*generation + 1);
        })
    };
    let onreset = {
        let replace = replace.clone();
        Callback::from(move |_| {
            let sure = gloo::dialogs::confirm(
                "Reset to the built-in shopping cart? Everything in this workspace is replaced (export it first to keep it).",
            );
            if sure {
                replace.emit(storage::built_in(0));
            }
        })
    };
    let onpick = {
        let replace = replace.clone();
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            let index: Option<usize> = select.value().parse().ok();
            select.set_value("");
            let Some(index) = index else { return };
            let name = BUILT_IN.get(index).map_or("", |b| b.id);
            if gloo::dialogs::confirm(&format!(
                "Open the built-in scenario {name}? Everything in this workspace is replaced (export it first to keep it)."
            )) {
                replace.emit(storage::built_in(index));
            }
        })
    };
    let onimport = {
        let (replace, import_problems, reading) = (replace.clone(), import_problems.clone(), reading.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let name = file.name();
            let (replace, import_problems, done) = (replace.clone(), import_problems.clone(), reading.clone());
            let blob = gloo::file::Blob::from(file);
            let reader = gloo::file::callbacks::read_as_text(&blob, move |text| {
                done.borrow_mut().take();
                let restored = text
                    .map_err(|error| vec![format!("the file could not be read: {error}")])
                    .and_then(|text| {
                        Workspace::restore(&text).map_err(|problems| problems.iter().map(ToString::to_string).collect())
                    });
                match restored {
                    Ok(next) => {
                        let sure = gloo::dialogs::confirm(&format!(
                            "Replace this workspace with {name} ({})? Export it first to keep it.",
                            next.scenario().name
                        ));
                        if sure {
                            replace.emit(next);
                        }
                    }
                    Err(problems) => import_problems.set(Some((name, problems))),
                }
            });
            *reading.borrow_mut() = Some(reader);
        })
    };
    let onrunspecs = {
        let (workspace, spec_reports) = (workspace.clone(), spec_reports.clone());
        Callback::from(move |only: Option<String>| {
            let mut reports = workspace.borrow().run_specs(only.as_deref());
            // Running one spec again replaces its line and keeps the others'.
            if let (Some(name), Some(previous)) = (&only, (*spec_reports).clone()) {
                let fresh = reports.pop();
                reports = previous
                    .iter()
                    .map(|r| {
                        if &r.name == name {
                            fresh.clone().unwrap_or_else(|| r.clone())
                        } else {
                            r.clone()
                        }
                    })
                    .collect();
            }
            spec_reports.set(Some(Rc::new(reports)));
        })
    };
    let onhelp = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(PanelAction::ToggleHelp))
    };
    let onpalettebutton = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(PanelAction::TogglePalette))
    };
    let onclosehelp = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(PanelAction::CloseHelp))
    };
    let oncloseproblems = {
        let import_problems = import_problems.clone();
        Callback::from(move |_| import_problems.set(None))
    };

    // Opens the editor on a draft, checked at once.
    let open_draft = {
        let (workspace, editor, draft_problems) = (workspace.clone(), editor.clone(), draft_problems.clone());
        Callback::from(move |draft: Draft| {
            storage::save_draft(Some(&draft));
            draft_problems.set(Rc::new(workspace.borrow().check(draft.kind, draft.index, &draft.item)));
            editor.set(Some(Rc::new(draft)));
        })
    };
    let onedit = {
        let (workspace, open_draft) = (workspace.clone(), open_draft.clone());
        Callback::from(move |(kind, index): (Kind, usize)| {
            let item = edit::get(workspace.borrow().scenario(), kind, index);
            if let Some(item) = item {
                open_draft.emit(Draft {
                    kind,
                    index: Some(index),
                    item,
                    blue_green: false,
                });
            }
        })
    };
    let onnew = {
        let (workspace, open_draft) = (workspace.clone(), open_draft.clone());
        Callback::from(move |kind: Kind| {
            let item = edit::template(workspace.borrow().scenario(), kind);
            open_draft.emit(Draft {
                kind,
                index: None,
                item,
                blue_green: false,
            });
        })
    };
    *shortcut_new.borrow_mut() = onnew.clone();
    let ondraft = {
        let (workspace, editor, draft_problems, checking) = (
            workspace.clone(),
            editor.clone(),
            draft_problems.clone(),
            checking.clone(),
        );
        Callback::from(move |draft: Draft| {
            storage::save_draft(Some(&draft));
            let (workspace, draft_problems, checked) = (workspace.clone(), draft_problems.clone(), draft.clone());
            // Checked once the typing pauses; a newer keystroke cancels the pending check.
            let check = Timeout::new(CHECK_DELAY_MS, move || {
                draft_problems.set(Rc::new(workspace.borrow().check(
                    checked.kind,
                    checked.index,
                    &checked.item,
                )));
            });
            *checking.borrow_mut() = Some(check);
            editor.set(Some(Rc::new(draft)));
        })
    };
    let close_editor = {
        let (editor, checking) = (editor.clone(), checking.clone());
        Callback::from(move |()| {
            checking.borrow_mut().take();
            storage::save_draft(None);
            editor.set(None);
        })
    };
    let onsavedraft = {
        let (workspace, editor, draft_problems, generation, status, close_editor) = (
            workspace.clone(),
            editor.clone(),
            draft_problems.clone(),
            generation.clone(),
            status.clone(),
            close_editor.clone(),
        );
        Callback::from(move |()| {
            let Some(draft) = (*editor).clone() else { return };
            if draft.blue_green {
                let started = workspace.borrow_mut().start_blue_green(draft.item.clone());
                match started {
                    Ok(()) => {
                        let name = draft.text("/name");
                        status.set(Some(format!(
                            "Building {name} v{} beside the running version.",
                            draft.get("/version")
                        )));
                        close_editor.emit(());
                        generation.set(*generation + 1);
                    }
                    Err(problems) => draft_problems.set(Rc::new(problems)),
                }
                return;
            }
            let result = workspace.borrow_mut().put(draft.kind, draft.index, draft.item.clone());
            match result {
                Ok((index, changed)) => {
                    let name = edit::names(workspace.borrow().scenario(), draft.kind)
                        .get(index)
                        .cloned()
                        .unwrap_or_default();
                    status.set(Some(saved_message(&format!("Saved {} {name}", draft.kind), &changed)));
                    close_editor.emit(());
                    generation.set(*generation + 1);
                }
                Err(problems) => draft_problems.set(Rc::new(problems)),
            }
        })
    };
    let ondelete = {
        let (workspace, editor, pending_delete) = (workspace.clone(), editor.clone(), pending_delete.clone());
        Callback::from(move |()| {
            let Some(draft) = (*editor).clone() else { return };
            let Some(index) = draft.index else { return };
            let ws = workspace.borrow();
            let name = edit::names(ws.scenario(), draft.kind)
                .get(index)
                .cloned()
                .unwrap_or_default();
            let stored = if draft.kind == Kind::EventType {
                ws.events_of_type(&name)
            } else {
                0
            };
            pending_delete.set(Some(PendingDelete {
                kind: draft.kind,
                index,
                what: format!("{} {name}", draft.kind),
                dependents: ws.dependents(draft.kind, index),
                stored,
            }));
        })
    };
    let onconfirmdelete = {
        let (workspace, pending_delete, draft_problems, generation, status, close_editor) = (
            workspace.clone(),
            pending_delete.clone(),
            draft_problems.clone(),
            generation.clone(),
            status.clone(),
            close_editor.clone(),
        );
        Callback::from(move |()| {
            let Some(pending) = (*pending_delete).clone() else {
                return;
            };
            pending_delete.set(None);
            let result = workspace.borrow_mut().remove(pending.kind, pending.index);
            match result {
                Ok(changed) => {
                    status.set(Some(saved_message(&format!("Deleted {}", pending.what), &changed)));
                    close_editor.emit(());
                    generation.set(*generation + 1);
                }
                Err(problems) => {
                    let mut problems = problems;
                    problems.insert(
                        0,
                        Problem::new(
                            "",
                            format!("{} was not deleted: fix what still needs it first", pending.what),
                        ),
                    );
                    draft_problems.set(Rc::new(problems));
                }
            }
        })
    };
    let oncanceldelete = {
        let pending_delete = pending_delete.clone();
        Callback::from(move |()| pending_delete.set(None))
    };
    let onpickfirst = {
        let (replace, picking) = (replace.clone(), picking.clone());
        Callback::from(move |index: Option<usize>| {
            if let Some(index) = index {
                replace.emit(storage::built_in(index));
            } else {
                replace.emit(Workspace::empty());
            }
            picking.set(false);
        })
    };
    let onclosestatus = {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| status.set(None))
    };

    // Read once per change of the workspace, not once per render.
    let groups = {
        // The stream list is read only while the workspace page shows it.
        let workspace = workspace.clone();
        let shown = *page == Page::Workspace;
        use_memo(
            (*generation, (*filter).clone(), *listed, shown),
            move |(_, filter, listed, shown)| {
                if *shown {
                    workspace.borrow().streams(filter, *listed)
                } else {
                    Vec::new()
                }
            },
        )
    };
    let findings = {
        let workspace = workspace.clone();
        use_memo(*generation, move |_| workspace.borrow_mut().findings().to_vec())
    };
    let model = {
        let workspace = workspace.clone();
        use_memo(*generation, move |_| workspace.borrow().scenario().model.clone())
    };
    let event_count = {
        let workspace = workspace.clone();
        use_memo(*generation, move |_| workspace.borrow().event_count())
    };

    let statuses = {
        let workspace = workspace.clone();
        use_memo(*generation, move |_| workspace.borrow().projections())
    };
    let lab_documents = {
        let workspace = workspace.clone();
        // Read only while the lab is shown: a generator changes the generation on every tick.
        let shown = *page == Page::Projections;
        use_memo(
            (*generation, (*lab_selected).clone(), shown),
            move |(_, selected, shown)| {
                selected
                    .as_ref()
                    .filter(|_| *shown)
                    .map(|name| workspace.borrow().documents(name, DOCUMENT_PAGE))
                    .unwrap_or_default()
            },
        )
    };
    // While a projection, a rebuild or a blue-green build is behind, step it from a timer, a
    // chunk at a time, so the page keeps answering and shows the progress.
    let busy = statuses.iter().any(|s| {
        (s.lag > 0 && s.poison.is_none()) || s.blue_green.as_ref().is_some_and(|b| b.lag > 0 && b.poison.is_none())
    });
    {
        let (workspace, bump, rate) = (workspace.clone(), bump.clone(), rate.clone());
        use_effect_with(busy, move |busy| {
            let interval = busy.then(|| {
                let mut chunk = Chunk::default();
                let mut drawn = js_sys::Date::now();
                gloo::timers::callback::Interval::new(STEP_EVERY_MS, move || {
                    let started = js_sys::Date::now();
                    let report = workspace.borrow_mut().step(chunk.size(WORK_BUDGET_MS, STEP_EVENTS));
                    let now = js_sys::Date::now();
                    let took = (now - started).max(0.1);
                    chunk.record(usize::try_from(report.events).unwrap_or(usize::MAX), took);
                    if redraw_due(&mut drawn, now, report.events == 0) {
                        #[allow(clippy::cast_precision_loss, reason = "a rate for display")]
                        rate.set(Some(report.events as f64 * 1000.0 / took));
                        bump.borrow().emit(());
                    }
                })
            });
            move || drop(interval)
        });
    }
    let onlab = {
        let (workspace, lab_selected, lab_error, generation, onedit, open_draft) = (
            workspace.clone(),
            lab_selected.clone(),
            lab_error.clone(),
            generation.clone(),
            onedit.clone(),
            open_draft.clone(),
        );
        Callback::from(move |(name, action): (String, LabAction)| {
            let index = workspace
                .borrow()
                .scenario()
                .model
                .projections
                .iter()
                .position(|p| p.name == name);
            let result = match action {
                LabAction::Select => {
                    lab_selected.set(Some(name));
                    Ok(())
                }
                LabAction::Rebuild => workspace.borrow_mut().rebuild(&name).map(drop),
                LabAction::Switch => workspace.borrow_mut().switch_blue_green(&name),
                LabAction::Cancel => workspace.borrow_mut().cancel_blue_green(&name),
                LabAction::Skip => workspace.borrow_mut().skip(&name).map(drop),
                LabAction::Edit => {
                    if let Some(index) = index {
                        onedit.emit((Kind::Projection, index));
                    }
                    Ok(())
                }
                LabAction::BlueGreen => {
                    let item =
                        index.and_then(|i| Some((i, edit::get(workspace.borrow().scenario(), Kind::Projection, i)?)));
                    if let Some((index, mut item)) = item {
                        let version = item["version"].as_u64().unwrap_or(1);
                        item["version"] = serde_json::json!(version + 1);
                        open_draft.emit(Draft {
                            kind: Kind::Projection,
                            index: Some(index),
                            item,
                            blue_green: true,
                        });
                    }
                    Ok(())
                }
            };
            lab_error.set(result.err().map(|error| error.to_string()));
            generation.set(*generation + 1);
        })
    };
    let schema = {
        let workspace = workspace.clone();
        let on_schema_page = *page == Page::Schema;
        use_memo(
            (*generation, *schema_selected, on_schema_page),
            move |(_, selected, shown)| {
                let mut ws = workspace.borrow_mut();
                let types = Rc::new(ws.scenario().model.event_types.clone());
                let name = types.get(*selected).map(|t| t.name.clone()).unwrap_or_default();
                if !shown {
                    return (types, Rc::default(), Rc::default());
                }
                let stored = Rc::new(ws.stored_versions(&name));
                let views = Rc::new(ws.upcast_views(&name, UPCAST_VIEWS));
                (types, stored, views)
            },
        )
    };
    let onschemaselect = {
        let schema_selected = schema_selected.clone();
        Callback::from(move |index: usize| schema_selected.set(index))
    };
    let onschemacheck = {
        let workspace = workspace.clone();
        Callback::from(
            move |(index, version, upcaster): (usize, serde_json::Value, serde_json::Value)| {
                workspace.borrow_mut().check_version(index, version, upcaster)
            },
        )
    };
    let onschemaadd = {
        let (workspace, generation, status) = (workspace.clone(), generation.clone(), status.clone());
        Callback::from(
            move |(index, version, upcaster): (usize, serde_json::Value, serde_json::Value)| {
                let number = version["version"].clone();
                workspace.borrow_mut().add_version(index, version, upcaster)?;
                let name = workspace
                    .borrow()
                    .scenario()
                    .model
                    .event_types
                    .get(index)
                    .map(|t| t.name.clone())
                    .unwrap_or_default();
                status.set(Some(format!("Added {name} v{number} with its upcaster.")));
                generation.set(*generation + 1);
                Ok(())
            },
        )
    };
    let onmove = {
        let (workspace, participants, generation) = (workspace.clone(), participants.clone(), generation.clone());
        Callback::from(move |(side, step): (usize, Move)| {
            let mut both = (**participants).clone();
            let Some(me) = both.get_mut(side) else { return };
            let mut ws = workspace.borrow_mut();
            let decide =
                |ws: &mut Workspace, s: &Submission| ws.decide(&s.command, &s.stream_id, s.data.clone(), s.expected);
            match step {
                Move::Decide(submission) => {
                    match decide(&mut ws, &submission) {
                        Ok(decision) => {
                            me.decision = Some(decision);
                            me.outcome = None;
                        }
                        Err(failed) => me.outcome = Some(failed),
                    }
                    me.submission = Some(submission);
                }
                Move::Append => {
                    if let Some(decision) = me.decision.take() {
                        me.outcome = Some(ws.commit(&decision));
                    }
                }
                Move::Retry => {
                    if let Some(submission) = me.submission.clone() {
                        me.outcome = Some(match decide(&mut ws, &submission) {
                            Ok(decision) => ws.commit(&decision),
                            Err(failed) => failed,
                        });
                    }
                }
            }
            drop(ws);
            participants.set(Rc::new(both));
            generation.set(*generation + 1);
        })
    };
    let charts = {
        let workspace = workspace.clone();
        let shown = *page == Page::Charts;
        use_memo((*generation, shown), move |(_, shown)| {
            if *shown {
                workspace.borrow().chart_data()
            } else {
                Default::default()
            }
        })
    };
    {
        // While the generator plays, send a few commands every tick.
        let (workspace, bump, playing_handle, speed) = (workspace.clone(), bump.clone(), playing.clone(), *speed);
        use_effect_with((*playing, speed), move |(playing, _)| {
            let interval = playing.then(|| {
                let mut chunk = Chunk::default();
                let mut drawn = js_sys::Date::now();
                gloo::timers::callback::Interval::new(STEP_EVERY_MS, move || {
                    let started = js_sys::Date::now();
                    let report = workspace.borrow_mut().tick_load(chunk.size(WORK_BUDGET_MS, speed));
                    let now = js_sys::Date::now();
                    chunk.record(report.as_ref().map_or(0, |r| r.commands), now - started);
                    let over = report.as_ref().map_or(true, |r| r.done);
                    if over {
                        playing_handle.set(false);
                    }
                    if redraw_due(&mut drawn, now, over) {
                        bump.borrow().emit(());
                    }
                })
            });
            move || drop(interval)
        });
    }
    let resolved = {
        let seen = seen_findings.clone();
        use_memo(findings.clone(), move |findings| {
            let mut seen = seen.borrow_mut();
            for finding in findings.iter() {
                seen.insert(finding.id.clone(), finding.clone());
            }
            let now: std::collections::HashSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
            seen.values()
                .filter(|f| !now.contains(f.id.as_str()))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let onjump = {
        let (page, selected_stream, lab_selected, onedit, workspace, state) = (
            page.clone(),
            selected_stream.clone(),
            lab_selected.clone(),
            onedit.clone(),
            workspace.clone(),
            state.clone(),
        );
        Callback::from(move |subject: crate::lint::Subject| {
            use crate::lint::Subject;
            let scenario = workspace.borrow().scenario().clone();
            // A finding about a definition opens its editor.
            let edit_named = |kind: Kind, name: &str| {
                if let Some(index) = edit::names(&scenario, kind).iter().position(|n| n == name) {
                    onedit.emit((kind, index));
                }
            };
            match subject {
                Subject::Stream { id } => {
                    selected_stream.set(Some(id));
                    state.dispatch(PanelAction::Open(Panel::Streams));
                    page.set(Page::Workspace);
                }
                Subject::Projection { name } => {
                    lab_selected.set(Some(name));
                    page.set(Page::Projections);
                }
                Subject::EventType { name } | Subject::Field { event_type: name, .. } => {
                    edit_named(Kind::EventType, &name)
                }
                Subject::Command { name } => edit_named(Kind::Command, &name),
                Subject::StreamType { name } => edit_named(Kind::StreamType, &name),
                Subject::Policy { name } => edit_named(Kind::Policy, &name),
                Subject::Category { .. } => {
                    page.set(Page::Workspace);
                    state.dispatch(PanelAction::Open(Panel::Streams));
                    selected_stream.set(None);
                }
                _ => page.set(Page::Workspace),
            }
        })
    };
    let oncontrol = {
        let (workspace, generator, seed, speed, playing, load_problems, travel, travel_projection, generation) = (
            workspace.clone(),
            generator.clone(),
            seed.clone(),
            speed.clone(),
            playing.clone(),
            load_problems.clone(),
            travel.clone(),
            travel_projection.clone(),
            generation.clone(),
        );
        Callback::from(move |control: Control| match control {
            Control::Generator(value) => generator.set(value),
            Control::Seed(value) => seed.set(value),
            Control::Speed(value) => speed.set(value),
            Control::Start => {
                let started = workspace.borrow_mut().start_load((*generator).clone(), *seed);
                match started {
                    Ok(_) => {
                        load_problems.set(Vec::new());
                        playing.set(true);
                    }
                    Err(error) => load_problems.set(error.problems()),
                }
                generation.set(*generation + 1);
            }
            Control::Play(on) => {
                let _ = if on {
                    workspace.borrow_mut().resume_load()
                } else {
                    workspace.borrow_mut().pause_load()
                };
                playing.set(on);
                generation.set(*generation + 1);
            }
            Control::Step => {
                let _ = workspace.borrow_mut().step_load();
                generation.set(*generation + 1);
            }
            Control::Travel(position) => travel.set(position),
            Control::TravelProjection(name) => travel_projection.set(Some(name)),
        })
    };
    let simulation = {
        let workspace = workspace.clone();
        let shown = *page == Page::Simulation;
        use_memo(
            (*generation, shown, *travel, (*travel_projection).clone()),
            move |(_, shown, travel, projection)| {
                let mut ws = workspace.borrow_mut();
                let names: Vec<String> = ws.scenario().model.projections.iter().map(|p| p.name.clone()).collect();
                let projection = projection.clone().or_else(|| names.first().cloned());
                if !shown {
                    return (
                        Rc::new((Vec::new(), 0)),
                        Rc::new(names),
                        projection,
                        Rc::new(Ok((Vec::new(), 0))),
                    );
                }
                // Now is the store's counters; the past is one read of `$all` up to the position.
                let streams = match travel {
                    Some(at) => {
                        let mut streams = ws.streams_at(*at);
                        let total = streams.len();
                        streams.truncate(SHOWN_STREAMS);
                        (streams, total)
                    }
                    None => {
                        let groups = ws.streams("", SHOWN_STREAMS);
                        let total = groups.iter().map(|g| g.matching).sum::<u64>();
                        let mut streams: Vec<(String, u64)> = groups
                            .into_iter()
                            .flat_map(|g| g.streams)
                            .map(|s| (s.id, s.events))
                            .collect();
                        streams.sort_unstable();
                        streams.truncate(SHOWN_STREAMS);
                        (streams, usize::try_from(total).unwrap_or(usize::MAX))
                    }
                };
                let documents = match (&projection, travel) {
                    (Some(name), Some(at)) => ws
                        .documents_at(name, *at)
                        .map(|documents| {
                            let total = documents.len();
                            (documents.into_iter().take(SHOWN_DOCUMENTS).collect(), total)
                        })
                        .map_err(|error| error.to_string()),
                    (Some(name), None) => Ok(ws.documents(name, SHOWN_DOCUMENTS)),
                    (None, _) => Ok((Vec::new(), 0)),
                };
                (Rc::new(streams), Rc::new(names), projection, Rc::new(documents))
            },
        )
    };
    let onpage = {
        let page = page.clone();
        Callback::from(move |next: Page| page.set(next))
    };

    // The palette's actions change only with the scenario.
    let palette = {
        let workspace = workspace.clone();
        use_memo(*generation, move |_| {
            let actions = palette_actions(workspace.borrow().scenario());
            let labels: Vec<String> = actions.iter().map(|(label, _)| label.clone()).collect();
            (
                Rc::new(labels),
                actions.into_iter().map(|(_, action)| action).collect::<Vec<_>>(),
            )
        })
    };
    let palette_items = palette.0.clone();
    let onpalette = {
        let (state, onedit, onnew, onrunspecs) = (state.clone(), onedit.clone(), onnew.clone(), onrunspecs.clone());
        let palette = palette.clone();
        Callback::from(move |index: usize| {
            state.dispatch(PanelAction::TogglePalette);
            match palette.1.get(index).copied() {
                Some(PaletteAction::New(kind)) => onnew.emit(kind),
                Some(PaletteAction::Edit(kind, i)) => onedit.emit((kind, i)),
                Some(PaletteAction::RunSpecs) => {
                    state.dispatch(PanelAction::Open(Panel::Model));
                    onrunspecs.emit(None);
                }
                Some(PaletteAction::Toggle(panel)) => state.dispatch(PanelAction::Toggle(panel)),
                Some(PaletteAction::Focus(selector)) => focus(selector),
                Some(PaletteAction::Click(selector)) => {
                    let element = gloo::utils::document().query_selector(selector).ok().flatten();
                    if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                        element.click();
                    }
                }
                Some(PaletteAction::Help) => state.dispatch(PanelAction::ToggleHelp),
                None => {}
            }
        })
    };
    let onclosepalette = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(PanelAction::TogglePalette))
    };

    let view = {
        let ws = workspace.borrow();
        let name = ws.scenario().name.clone();
        let stream = (*selected_stream).clone();
        let timeline = stream.as_ref().and_then(|id| Some((id.clone(), ws.stream_span(id)?.1)));
        let event = selected_event.and_then(|position| ws.event(position));
        View {
            model,
            name,
            groups: groups.clone(),
            timeline,
            event,
            findings,
            events: *event_count,
        }
    };

    // Presenter mode shows one panel at a time.
    let shown_panels: Vec<Panel> = Panel::ALL
        .into_iter()
        .filter(|p| !state.presenter() || *p == state.focused())
        .collect();
    let onpresenter = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(PanelAction::TogglePresenter))
    };
    let panels = shown_panels.iter().map(|&panel| {
        let ontoggle = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(PanelAction::Toggle(panel)))
        };
        let body = match panel {
            Panel::Model => {
                let scenario = Rc::new(workspace.borrow().scenario().clone());
                let names = Rc::new(scenario.specs.iter().map(|s| s.name().to_owned()).collect::<Vec<_>>());
                html! {
                    <>
                        <ModelOutline scenario={scenario} onedit={onedit.clone()} onnew={onnew.clone()} />
                        <SpecResults {names} reports={(*spec_reports).clone()} onrun={onrunspecs.clone()} />
                    </>
                }
            }
            Panel::Commands => html! {
                <CommandConsole model={view.model.clone()} outcome={(*outcome).clone()}
                    onsend={onsend.clone()} onselectevent={onselectevent.clone()} />
            },
            Panel::Streams => html! {
                <>
                    <StreamList groups={view.groups.clone()} filter={(*filter).clone()} onfilter={onfilter.clone()}
                        selected={(*selected_stream).clone()} onselect={onselectstream.clone()}
                        onmore={onmorestreams.clone()} />
                    if let Some((id, total)) = view.timeline.clone() {
                        <Timeline stream_id={id.clone()} {total} read={read_page(&workspace, id)} generation={*generation}
                            selected={*selected_event} onselect={onselectevent.clone()} />
                    }
                </>
            },
            Panel::Inspector => html! { <EventInspector event={view.event.clone()} /> },
            Panel::Warnings => html! { <WarningsList findings={view.findings.clone()} resolved={resolved.clone()} onjump={onjump.clone()} /> },
        };
        html! {
            <PanelFrame key={panel.slug()} {panel} open={state.is_open(panel)} {ontoggle}>
                { body }
            </PanelFrame>
        }
    });

    let file_name = format!("{}.eventarium.json", slug(&view.name));
    html! {
        <div class={classes!("app", state.presenter().then_some("presenter"))}>
            <header class="app-header">
                <h1 class="brand">{ "Eventarium" }</h1>
                <p class="tagline">{ "Model, run and stress event-sourced systems in your browser" }</p>
                <nav class="pages" aria-label="Views">
                    { for PAGES.into_iter().map(|(p, label, name)| {
                        let onclick = onpage.reform(move |_: MouseEvent| p);
                        html! { <button type="button" aria-label={name} aria-pressed={(*page == p).to_string()} {onclick}>{ label }</button> }
                    }) }
                </nav>
                <nav class="app-actions" aria-label="Workspace">
                    <select aria-label="Open a built-in scenario" onchange={onpick}>
                        <option value="" selected=true>{ "Open built-in…" }</option>
                        { for BUILT_IN.iter().enumerate().map(|(i, b)| html! { <option value={i.to_string()}>{ b.id }</option> }) }
                    </select>
                    <label class="button">
                        { "Import" }
                        <input type="file" accept=".json,application/json" aria-label="Import a scenario file" onchange={onimport} />
                    </label>
                    <a class="button" href="#" download={file_name.clone()} onclick={onexport.clone()}>{ "Export" }</a>
                    <button type="button" class="reset" onclick={onreset}>{ "Reset" }</button>
                    <button type="button" aria-label="Command palette" title="Command palette (Ctrl+K)" onclick={onpalettebutton}>{ "⌘K" }</button>
                    <button type="button" aria-pressed={state.presenter().to_string()} title="Presenter mode (p)" onclick={onpresenter}>{ "Presenter" }</button>
                    <button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onclick={onhelp}>{ "?" }</button>
                </nav>
            </header>
            <div class="messages">
                if state.presenter() {
                    <div class="presenter-bar" role="status" aria-label="Presenter mode">
                        { if *page == Page::Workspace {
                            let at = Panel::ALL.iter().position(|p| *p == state.focused()).unwrap_or(0) + 1;
                            format!("Presenter mode · {} ({at} of {}) · ← → to move between panels · Esc to leave", state.focused().title(), Panel::ALL.len())
                        } else {
                            "Presenter mode · Esc to leave".to_owned()
                        } }
                    </div>
                }
                if let Some(message) = (*notice).clone() {
                    <div class="notice" role="alert">
                        { message }
                        <a class="button" href="#" download={file_name} onclick={onexport}>{ "Export now" }</a>
                    </div>
                }
                if let Some(message) = (*status).clone() {
                    <div class="status-message" role="status">
                        { message }
                        <button type="button" class="icon" aria-label="Dismiss" onclick={onclosestatus}>{ "✕" }</button>
                    </div>
                }
            </div>
            if *page == Page::Workspace {
                <main class="workspace">{ for panels }</main>
            } else if *page == Page::Participants {
                <main class="lab-page" aria-label="Two participants, one stream">
                    <TwoParticipants model={view.model.clone()} participants={(*participants).clone()} {onmove} />
                </main>
            } else if *page == Page::Simulation {
                <main class="lab-page" aria-label="Simulation">
                    <Simulation generator={(*generator).clone()} seed={*seed} speed={*speed} playing={*playing}
                        status={workspace.borrow().load_status()} problems={(*load_problems).clone()}
                        head={workspace.borrow().head()} travel={*travel} streams={simulation.0.clone()}
                        projections={simulation.1.clone()} projection={simulation.2.clone()}
                        documents={simulation.3.clone()} {oncontrol}>
                        <WarningsList findings={view.findings.clone()} resolved={resolved.clone()} onjump={onjump.clone()} />
                    </Simulation>
                </main>
            } else if *page == Page::Charts {
                <main class="lab-page" aria-label="Charts">
                    <Charts data={charts.clone()} />
                </main>
            } else if *page == Page::Schema {
                <main class="lab-page" aria-label="Schema evolution lab">
                    <SchemaLab event_types={schema.0.clone()} selected={*schema_selected} stored={schema.1.clone()}
                        views={schema.2.clone()} onselect={onschemaselect} check={onschemacheck} onadd={onschemaadd} />
                </main>
            } else {
                <main class="lab-page" aria-label="Projections lab">
                    <ProjectionsLab statuses={statuses.clone()} selected={(*lab_selected).clone()}
                        documents={lab_documents.clone()} rate={*rate} error={(*lab_error).clone()} onaction={onlab} />
                </main>
            }
            <StatusBar
                scenario={Some(view.name.clone())}
                events={view.events}
                open_panels={state.open_count()}
                total_panels={Panel::ALL.len()} />
            if let Some((file, problems)) = (*import_problems).clone() {
                <ImportProblems {file} {problems} onclose={oncloseproblems} />
            }
            if let Some(draft) = (*editor).clone() {
                <DefinitionEditor
                    path={draft.path(edit::names(workspace.borrow().scenario(), draft.kind).len())}
                    {draft}
                    problems={(*draft_problems).clone()}
                    model={view.model.clone()}
                    onchange={ondraft}
                    onsave={onsavedraft}
                    oncancel={close_editor}
                    {ondelete} />
            }
            if let Some(pending) = (*pending_delete).clone() {
                <ConfirmDelete what={pending.what} dependents={pending.dependents} stored={pending.stored}
                    onconfirm={onconfirmdelete} oncancel={oncanceldelete} />
            }
            if *picking { <ScenarioPicker onpick={onpickfirst} /> }
            if state.palette_open() {
                <CommandPalette items={palette_items} onrun={onpalette} onclose={onclosepalette} />
            }
            if state.help_open() { <HelpOverlay onclose={onclosehelp} /> }
        </div>
    }
}

/// The keyboard shortcuts (listed by `HelpOverlay`); keys typed into a form field
/// are left to the field.
fn on_shortcut(event: &web_sys::KeyboardEvent, state: &UseReducerHandle<AppState>, onnew: &Callback<Kind>) {
    if (event.ctrl_key() || event.meta_key()) && event.key().eq_ignore_ascii_case("k") {
        event.prevent_default();
        state.dispatch(PanelAction::TogglePalette);
        return;
    }
    if event.ctrl_key() || event.meta_key() || event.alt_key() {
        return;
    }
    // A dialog over the workspace takes the keys.
    let covered = gloo::utils::document()
        .query_selector(".overlay")
        .ok()
        .flatten()
        .is_some();
    let in_field = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    match event.key().as_str() {
        "Escape" if state.presenter() && !covered => state.dispatch(PanelAction::TogglePresenter),
        "Escape" => state.dispatch(PanelAction::CloseHelp),
        _ if in_field => {}
        _ if covered && !state.help_open() => {}
        "?" => state.dispatch(PanelAction::ToggleHelp),
        "n" => {
            event.prevent_default();
            onnew.emit(Kind::EventType);
        }
        "p" => state.dispatch(PanelAction::TogglePresenter),
        "ArrowRight" | "]" if state.presenter() => state.dispatch(PanelAction::FocusNext(true)),
        "ArrowLeft" | "[" if state.presenter() => state.dispatch(PanelAction::FocusNext(false)),
        "/" => {
            event.prevent_default();
            focus(".stream-filter");
        }
        "c" => {
            event.prevent_default();
            focus(".command-console select");
        }
        _ => {}
    }
}

/// Reads a window of a stream's events for the timeline.
fn read_page(
    workspace: &Rc<RefCell<Workspace>>,
    stream_id: String,
) -> Callback<(u64, usize), Vec<crate::store::RecordedEvent>> {
    let workspace = workspace.clone();
    Callback::from(move |(offset, count): (u64, usize)| workspace.borrow().stream_page(&stream_id, offset, count))
}

/// What a save or a delete did, for the status line: `Saved command AddNote; also changed:
/// stream type Cart (now refers to …)`.
fn saved_message(done: &str, changed: &[Dependent]) -> String {
    if changed.is_empty() {
        return format!("{done}.");
    }
    let list: Vec<String> = changed
        .iter()
        .map(|d| {
            format!(
                "{} {} ({})",
                d.kind,
                d.name,
                if d.removed { "removed" } else { d.how.as_str() }
            )
        })
        .collect();
    format!("{done}; also: {}.", list.join(", "))
}

/// Focuses the first element a selector finds.
fn focus(selector: &str) {
    let element = gloo::utils::document().query_selector(selector).ok().flatten();
    if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Every action the command palette offers for a scenario, with its label.
fn palette_actions(scenario: &crate::model::Scenario) -> Vec<(String, PaletteAction)> {
    let mut actions: Vec<(String, PaletteAction)> = Vec::new();
    for kind in Kind::ALL {
        actions.push((format!("New {kind}"), PaletteAction::New(kind)));
    }
    for kind in Kind::ALL {
        for (i, name) in edit::names(scenario, kind).into_iter().enumerate() {
            actions.push((format!("Edit {kind} {name}"), PaletteAction::Edit(kind, i)));
        }
    }
    actions.push(("Run all specs".to_owned(), PaletteAction::RunSpecs));
    for panel in Panel::ALL {
        actions.push((
            format!("Show or hide the {} panel", panel.title()),
            PaletteAction::Toggle(panel),
        ));
    }
    actions.push(("Filter the streams".to_owned(), PaletteAction::Focus(".stream-filter")));
    actions.push((
        "Send a command".to_owned(),
        PaletteAction::Focus(".command-console select"),
    ));
    actions.push((
        "Export the workspace".to_owned(),
        PaletteAction::Click(".app-actions a.button"),
    ));
    actions.push((
        "Import a scenario file".to_owned(),
        PaletteAction::Click(".app-actions input[type=file]"),
    ));
    actions.push((
        "Reset to the built-in scenario".to_owned(),
        PaletteAction::Click(".app-actions .reset"),
    ));
    actions.push(("Keyboard shortcuts".to_owned(), PaletteAction::Help));
    actions
}

/// What a command palette entry does.
#[derive(Clone, Copy)]
enum PaletteAction {
    New(Kind),
    Edit(Kind, usize),
    RunSpecs,
    Toggle(Panel),
    Focus(&'static str),
    Click(&'static str),
    Help,
}

/// What the panels show, read from the workspace once per render.
struct View {
    model: Rc<crate::model::Model>,
    name: String,
    groups: Rc<Vec<crate::session::CategoryGroup>>,
    timeline: Option<(String, u64)>,
    event: Option<crate::store::RecordedEvent>,
    findings: Rc<Vec<crate::lint::Finding>>,
    events: u64,
}

/// A file-name-safe version of a scenario's name.
fn slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "workspace".to_owned()
    } else {
        slug
    }
}
