//! The command palette's actions: every action by name (new or edit any definition, run the
//! specs, show or hide a panel, filter the streams, export, import, reset, the shortcuts), and
//! [`Palette`], which shows them and runs the one picked.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::model::edit::{self, Kind};
use crate::model::{Scenario, BUILT_IN};
use crate::session::{Action, Page, Panel};
use crate::ui::components::CommandPalette;
use crate::ui::components::LabAction;
use crate::ui::hooks::focus;
use crate::ui::state::{use_app, use_workspace_read, Handle};

/// What a command palette entry does.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PaletteAction {
    New(Kind),
    Edit(Kind, usize),
    RunSpecs,
    Toggle(Panel),
    Focus(&'static str),
    Click(&'static str),
    Help,
    Go(Page),
    Presenter,
    Lab(usize, LabAction),
    OpenBuiltIn(usize),
}

/// The palette over the page; its actions change only with the scenario.
#[component]
pub fn Palette() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let actions = use_workspace_read(&app, (), |workspace, ()| palette_actions(workspace.scenario()));
    let items = Rc::new(actions.iter().map(|(label, _)| label.clone()).collect::<Vec<_>>());
    let handle = app.handle.clone();
    let onrun = Callback::from(move |index: usize| {
        handle.dispatch(Action::TogglePalette);
        if let Some((_, action)) = actions.get(index) {
            run(&handle, *action);
        }
    });
    let onclose = app.handle.callback(|()| Action::TogglePalette);
    html! { <CommandPalette {items} {onrun} {onclose} /> }
}

fn run(handle: &Handle, action: PaletteAction) {
    match action {
        PaletteAction::New(kind) => handle.new_draft(kind),
        PaletteAction::Edit(kind, i) => handle.edit(kind, i),
        PaletteAction::RunSpecs => {
            handle.dispatch(Action::OpenPanel(Panel::Model));
            handle.run_specs(None);
        }
        PaletteAction::Toggle(panel) => handle.dispatch(Action::TogglePanel(panel)),
        PaletteAction::Focus(selector) => focus(selector),
        PaletteAction::Click(selector) => {
            let element = gloo::utils::document().query_selector(selector).ok().flatten();
            if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                element.click();
            }
        }
        PaletteAction::Help => handle.dispatch(Action::ToggleHelp),
        PaletteAction::Go(page) => handle.dispatch(Action::ShowPage(page)),
        PaletteAction::Presenter => handle.dispatch(Action::TogglePresenter),
        PaletteAction::Lab(index, lab) => {
            let workspace = handle.workspace.borrow();
            let name = workspace
                .scenario()
                .model
                .projections
                .get(index)
                .map(|p| p.name.clone());
            drop(workspace);
            if let Some(name) = name {
                handle.dispatch(Action::ShowPage(Page::Projections));
                handle.lab(name, lab);
            }
        }
        PaletteAction::OpenBuiltIn(index) => handle.open_built_in(index),
    }
}

/// Every action the command palette offers for a scenario, with its label.
fn palette_actions(scenario: &Scenario) -> Vec<(String, PaletteAction)> {
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
    for page in Page::ALL {
        actions.push((format!("Go to {}", page.name()), PaletteAction::Go(page)));
    }
    for (i, projection) in scenario.model.projections.iter().enumerate() {
        let name = &projection.name;
        actions.push((
            format!("Rebuild projection {name} in place"),
            PaletteAction::Lab(i, LabAction::Rebuild),
        ));
        actions.push((
            format!("Blue-green rebuild of projection {name}"),
            PaletteAction::Lab(i, LabAction::BlueGreen),
        ));
    }
    for (i, built_in) in BUILT_IN.iter().enumerate() {
        actions.push((
            format!("Open the built-in scenario {}", built_in.name()),
            PaletteAction::OpenBuiltIn(i),
        ));
    }
    actions.push(("Presenter mode on or off".to_owned(), PaletteAction::Presenter));
    for panel in Panel::ALL {
        actions.push((
            format!("Show or hide the {} panel", panel.title()),
            PaletteAction::Toggle(panel),
        ));
    }
    let fixed = [
        ("Filter the streams", PaletteAction::Focus(".stream-filter")),
        ("Send a command", PaletteAction::Focus(".command-console select")),
        ("Export the workspace", PaletteAction::Click(".app-actions a.button")),
        (
            "Import a scenario file",
            PaletteAction::Click(".app-actions input[type=file]"),
        ),
        (
            "Reset to the built-in scenario",
            PaletteAction::Click(".app-actions .reset"),
        ),
        ("Keyboard shortcuts", PaletteAction::Help),
    ];
    actions.extend(fixed.into_iter().map(|(label, action)| (label.to_owned(), action)));
    actions
}
