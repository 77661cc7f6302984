//! The root component: the workspace with its header, panels and status bar. It owns the
//! [`Workspace`] (the scenario and its running simulation), what is selected, and the autosave.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::components::{
    CommandConsole, EventInspector, HelpOverlay, ImportProblems, ModelOutline, PanelFrame, SpecResults, StatusBar,
    StreamList, Submission, Timeline, WarningsList, SHOWN,
};
use super::state::{AppState, Panel, PanelAction};
use super::storage;
use super::workspace::SendOutcome;
use super::workspace::Workspace;
use crate::model::BUILT_IN;

/// How long after a change the workspace is saved, in ms.
const AUTOSAVE_DELAY_MS: u32 = 400;

/// The whole application.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let loaded = use_memo((), |_| {
        let (workspace, notice) = storage::load();
        (Rc::new(RefCell::new(workspace)), notice)
    });
    let workspace = loaded.0.clone();
    let notice = use_state(|| loaded.1.clone());
    // Bumped after every change to the workspace: re-renders, and schedules an autosave.
    let generation = use_state(|| 0u64);
    let outcome = use_state(|| None::<SendOutcome>);
    let filter = use_state(String::new);
    let selected_stream = use_state(|| None::<String>);
    let selected_event = use_state(|| None::<u64>);
    let pending_save = use_mut_ref(|| None::<Timeout>);
    let import_problems = use_state(|| None::<(String, Vec<String>)>);
    let spec_reports = use_state(|| None::<Rc<Vec<crate::sim::spec::SpecReport>>>);
    let reading = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);

    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            let document = gloo::utils::document();
            let listener = gloo::events::EventListener::new_with_options(&document, "keydown", options, move |event| {
                let event: &web_sys::KeyboardEvent = event.unchecked_ref();
                on_shortcut(event, &state);
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
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
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
        Callback::from(move |next: Workspace| {
            *workspace.borrow_mut() = next;
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
    let onclosehelp = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(PanelAction::CloseHelp))
    };
    let oncloseproblems = {
        let import_problems = import_problems.clone();
        Callback::from(move |_| import_problems.set(None))
    };

    let view = {
        let mut ws = workspace.borrow_mut();
        let model = Rc::new(ws.scenario().model.clone());
        let name = ws.scenario().name.clone();
        let groups = ws.streams(&filter);
        let stream = (*selected_stream).clone();
        let timeline = stream.as_ref().map(|id| {
            let total = groups
                .iter()
                .flat_map(|g| &g.streams)
                .find(|s| &s.id == id)
                .map_or(0, |s| s.events);
            (id.clone(), Rc::new(ws.stream_events(id, SHOWN)), total)
        });
        let event = selected_event.and_then(|position| ws.event(position));
        let findings = Rc::new(ws.findings());
        View {
            model,
            name,
            groups,
            timeline,
            event,
            findings,
            events: ws.event_count(),
        }
    };

    let panels = Panel::ALL.iter().map(|&panel| {
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
                        <ModelOutline scenario={scenario} />
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
                        selected={(*selected_stream).clone()} onselect={onselectstream.clone()} />
                    if let Some((id, events, total)) = view.timeline.clone() {
                        <Timeline stream_id={id} {events} {total} selected={*selected_event} onselect={onselectevent.clone()} />
                    }
                </>
            },
            Panel::Inspector => html! { <EventInspector event={view.event.clone()} /> },
            Panel::Warnings => html! { <WarningsList findings={view.findings.clone()} /> },
        };
        html! {
            <PanelFrame key={panel.slug()} {panel} open={state.is_open(panel)} {ontoggle}>
                { body }
            </PanelFrame>
        }
    });

    let file_name = format!("{}.eventarium.json", slug(&view.name));
    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand">{ "Eventarium" }</h1>
                <p class="tagline">{ "Model, run and stress event-sourced systems in your browser" }</p>
                <nav class="app-actions" aria-label="Workspace">
                    <select aria-label="Open a built-in scenario" onchange={onpick}>
                        <option value="" selected=true>{ "Open built-in…" }</option>
                        { for BUILT_IN.iter().enumerate().map(|(i, b)| html! { <option value={i.to_string()}>{ b.id }</option> }) }
                    </select>
                    <label class="button">
                        { "Import" }
                        <input type="file" accept=".json,application/json" aria-label="Import a scenario file" onchange={onimport} />
                    </label>
                    <a class="button" href="#" download={file_name} onclick={onexport}>{ "Export" }</a>
                    <button type="button" onclick={onreset}>{ "Reset" }</button>
                    <button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onclick={onhelp}>{ "?" }</button>
                </nav>
            </header>
            if let Some(message) = (*notice).clone() {
                <div class="notice" role="alert">{ message }</div>
            }
            <main class="workspace">{ for panels }</main>
            <StatusBar
                scenario={Some(view.name.clone())}
                events={view.events}
                open_panels={state.open_count()}
                total_panels={Panel::ALL.len()} />
            if let Some((file, problems)) = (*import_problems).clone() {
                <ImportProblems {file} {problems} onclose={oncloseproblems} />
            }
            if state.help_open() { <HelpOverlay onclose={onclosehelp} /> }
        </div>
    }
}

/// The keyboard shortcuts (listed by `HelpOverlay`); keys typed into a form field
/// are left to the field.
fn on_shortcut(event: &web_sys::KeyboardEvent, state: &UseReducerHandle<AppState>) {
    if event.ctrl_key() || event.meta_key() || event.alt_key() {
        return;
    }
    let in_field = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    let focus = |selector: &str| {
        let element = gloo::utils::document().query_selector(selector).ok().flatten();
        if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            let _ = element.focus();
        }
    };
    match event.key().as_str() {
        "Escape" => state.dispatch(PanelAction::CloseHelp),
        _ if in_field => {}
        "?" => state.dispatch(PanelAction::ToggleHelp),
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

/// What the panels show, read from the workspace once per render.
struct View {
    model: Rc<crate::model::Model>,
    name: String,
    groups: Vec<super::workspace::CategoryGroup>,
    timeline: Option<(String, Rc<Vec<crate::store::RecordedEvent>>, u64)>,
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
