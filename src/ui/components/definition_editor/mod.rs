//! The editor of one definition, over the workspace: a form for its kind (fields as rows, schema
//! versions side by side with their diff, scripts in a script editor), the problems found as the
//! user types, and Save, Cancel and Delete.

mod controls;
mod forms;
mod system_forms;

use std::rc::Rc;

use serde_json::Value;
use yew::prelude::*;

use crate::model::edit::Kind;
use crate::model::{Model, Problem};
use crate::session::{counted, problems_under, Draft, SystemChoices};
use controls::{Context, Set};

/// Properties of [`DefinitionEditor`].
#[derive(Properties, PartialEq)]
pub struct DefinitionEditorProps {
    /// What is being edited.
    pub draft: Rc<Draft>,
    /// Where it is in the scenario document, e.g. `model.commands[2]`.
    pub path: AttrValue,
    /// The problems of the whole scenario with this draft in it.
    pub problems: Rc<Vec<Problem>>,
    /// The model as saved, for the pickers.
    pub model: Rc<Model>,
    /// The system's modules, topics and commands, for the system's pickers.
    #[prop_or_default]
    pub choices: Rc<SystemChoices>,
    /// Called with every edit.
    pub onchange: Callback<Draft>,
    /// Called when the user saves.
    pub onsave: Callback<()>,
    /// Called when the user closes without saving.
    pub oncancel: Callback<()>,
    /// Called when the user asks to delete it (only for one already saved).
    pub ondelete: Callback<()>,
}

/// The editor.
#[component]
pub fn DefinitionEditor(props: &DefinitionEditorProps) -> Html {
    let draft = props.draft.clone();
    let set: Set = {
        let (draft, onchange) = (draft.clone(), props.onchange.clone());
        Rc::new(move |pointer: &str, value: Value| {
            let mut next = (*draft).clone();
            next.set(pointer, value);
            onchange.emit(next);
        })
    };
    let under = problems_under(&props.problems, &props.path);
    let elsewhere: Vec<&Problem> = props
        .problems
        .iter()
        .filter(|p| !under.iter().any(|(_, q)| std::ptr::eq(*q, *p)))
        .collect();
    let context = Context {
        draft: &draft,
        set: &set,
        under: &under,
        model: &props.model,
        choices: &props.choices,
        onchange: &props.onchange,
    };
    let (body, shown) = match draft.kind {
        Kind::EventType => forms::event_type(&context),
        Kind::Command => forms::command(&context),
        Kind::StreamType => forms::stream_type(&context),
        Kind::Projection => forms::projection(&context),
        Kind::Upcaster => forms::upcaster(&context),
        Kind::Policy => forms::policy(&context),
        Kind::Spec => forms::spec(&context),
        Kind::Module => system_forms::module(&context),
        Kind::Consumer => system_forms::consumer(&context),
        Kind::Process => system_forms::process(&context),
        Kind::External => system_forms::external(&context),
    };
    let rest: Vec<String> = under
        .iter()
        .filter(|(rest, _)| !shown.iter().any(|prefix| rest.starts_with(prefix.as_str())))
        .map(|(rest, p)| {
            let at = rest.trim_start_matches('.');
            let at = if at.is_empty() {
                String::new()
            } else {
                format!("{at}: ")
            };
            format!("{at}{}", p.message)
        })
        .chain(elsewhere.iter().map(ToString::to_string))
        .collect();
    let name = draft.text("/name");
    let title = match (draft.index, draft.kind) {
        _ if draft.blue_green => format!("Blue-green build of {name} v{}", draft.get("/version")),
        (None, kind) => format!("New {kind}"),
        (Some(_), Kind::Upcaster) => format!(
            "Upcaster {} v{} → v{}",
            draft.text("/eventType"),
            draft.get("/from"),
            draft.get("/to")
        ),
        (Some(_), kind) => format!("Edit {kind} {name}"),
    };
    let count = props.problems.len();
    html! {
        <div class="overlay editor-overlay" role="dialog" aria-modal="true" aria-label={title.clone()}>
            <section class={classes!("editor", format!("editor-{}", slug(draft.kind)))}>
                <header class="editor-header">
                    <h2>{ title }</h2>
                    <span class={classes!("editor-status", (count > 0).then_some("invalid"))} aria-live="polite">
                        { if count == 0 { "No problems".to_owned() } else { counted(count as u64, "problem") } }
                    </span>
                    <div class="editor-actions">
                        if draft.index.is_some() && !draft.blue_green {
                            <button type="button" class="danger" onclick={props.ondelete.reform(|_| ())}>{ "Delete" }</button>
                        }
                        <button type="button" onclick={props.oncancel.reform(|_| ())}>{ "Cancel" }</button>
                        <button type="button" class="primary" onclick={props.onsave.reform(|_| ())}>{ if draft.blue_green { "Start the build" } else { "Save" } }</button>
                    </div>
                </header>
                <div class="editor-body">
                    { body }
                    if !rest.is_empty() {
                        <section class="editor-problems" aria-label="Problems">
                            <h3>{ "Problems" }</h3>
                            <ul>{ for rest.into_iter().map(|p| html! { <li>{ p }</li> }) }</ul>
                        </section>
                    }
                </div>
            </section>
        </div>
    }
}

fn slug(kind: Kind) -> String {
    kind.label().replace(' ', "-")
}
