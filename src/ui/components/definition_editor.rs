//! The editor of one definition, over the workspace: a form for its kind (fields as rows, schema
//! versions side by side with their diff, scripts in a script editor), the problems found as the
//! user types, and Save, Cancel and Delete.

use std::rc::Rc;

use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{FieldsEditor, JsonField, Marker, ScriptEditor};
use crate::model::edit::Kind;
use crate::model::{Model, Problem};
use crate::session::{problems_under, Draft};

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
    /// Called with every edit.
    pub onchange: Callback<Draft>,
    /// Called when the user saves.
    pub onsave: Callback<()>,
    /// Called when the user closes without saving.
    pub oncancel: Callback<()>,
    /// Called when the user asks to delete it (only for one already saved).
    pub ondelete: Callback<()>,
}

/// How one control edits the draft: the JSON pointer it sets.
type Set = Rc<dyn Fn(&str, Value)>;

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
        onchange: &props.onchange,
    };
    let (body, shown) = match draft.kind {
        Kind::EventType => event_type(&context),
        Kind::Command => command(&context),
        Kind::StreamType => stream_type(&context),
        Kind::Projection => projection(&context),
        Kind::Upcaster => upcaster(&context),
        Kind::Policy => policy(&context),
        Kind::Spec => spec(&context),
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
                        { if count == 0 { "No problems".to_owned() } else if count == 1 { "1 problem".to_owned() } else { format!("{count} problems") } }
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

/// What every kind's form reads.
struct Context<'a> {
    draft: &'a Draft,
    set: &'a Set,
    under: &'a [(String, &'a Problem)],
    model: &'a Model,
    onchange: &'a Callback<Draft>,
}

impl Context<'_> {
    /// A callback setting `pointer` to what `parse` makes of a control's text.
    fn on(&self, pointer: &str, parse: fn(String) -> Value) -> Callback<String> {
        let (set, pointer) = (self.set.clone(), pointer.to_owned());
        Callback::from(move |text: String| set(&pointer, parse(text)))
    }

    /// A callback setting `pointer` to a value.
    fn on_value(&self, pointer: &str) -> Callback<Value> {
        let (set, pointer) = (self.set.clone(), pointer.to_owned());
        Callback::from(move |value: Value| set(&pointer, value))
    }

    /// The problems at a path inside the definition (`.fields`), with the rest of their path.
    fn problems(&self, prefix: &str) -> Vec<(String, String)> {
        self.under
            .iter()
            .filter_map(|(rest, p)| Some((rest.strip_prefix(prefix)?.to_owned(), p.message.clone())))
            .collect()
    }

    /// The script problems at a path, as markers.
    fn markers(&self, path: &str) -> Vec<Marker> {
        self.under
            .iter()
            .filter(|(rest, _)| rest == path)
            .map(|(_, p)| Marker {
                line: p.line,
                column: p.column,
                message: p.message.clone(),
            })
            .collect()
    }

    fn text_input(&self, label: &str, pointer: &str) -> Html {
        let oninput = self
            .on(pointer, |t| json!(t))
            .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
        let problems = self.problems(&pointer.replace('/', "."));
        html! {
            <label class="editor-field">
                <span>{ label.to_owned() }</span>
                <input type="text" value={self.draft.text(pointer)} {oninput}
                    aria-invalid={(!problems.is_empty()).to_string()} />
                { for problems.iter().filter(|(rest, _)| rest.is_empty()).map(|(_, m)| html! { <span class="field-problem" role="alert">{ m.clone() }</span> }) }
            </label>
        }
    }

    fn number_input(&self, label: &str, pointer: &str) -> Html {
        let onchange = self
            .on(pointer, |t| t.trim().parse::<u64>().map_or(json!(t), |n| json!(n)))
            .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());
        html! {
            <label class="editor-field short">
                <span>{ label.to_owned() }</span>
                <input type="number" min="1" value={self.draft.get(pointer).to_string()} {onchange} />
            </label>
        }
    }

    /// A picker; a missing value shows as the first option, the file format's default.
    fn select(&self, label: &str, pointer: &str, options: &[(&str, &str)], parse: fn(String) -> Value) -> Html {
        let current = match self.draft.get(pointer) {
            Value::String(s) => s,
            Value::Null => options.first().map(|(v, _)| (*v).to_owned()).unwrap_or_default(),
            other => other.to_string(),
        };
        let onchange = self
            .on(pointer, parse)
            .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
        html! {
            <label class="editor-field">
                <span>{ label.to_owned() }</span>
                <select {onchange}>
                    { for options.iter().map(|(value, text)| html! {
                        <option value={value.to_string()} selected={*value == current}>{ text.to_string() }</option>
                    }) }
                </select>
            </label>
        }
    }

    fn description(&self) -> Html {
        self.text_input("Description", "/description")
    }

    fn script(&self, label: &str, pointer: &str) -> Html {
        let oninput = self.on(pointer, |t| json!(t));
        html! {
            <section class="editor-script">
                <h3>{ label.to_owned() }</h3>
                <ScriptEditor label={format!("{} {label}", self.draft.text("/name")).trim().to_owned()}
                    value={self.draft.text(pointer)} markers={self.markers(&pointer.replace('/', "."))} {oninput} />
            </section>
        }
    }

    fn json(&self, label: &str, pointer: &str, rows: u32) -> Html {
        html! {
            <label class="editor-field wide">
                <span>{ label.to_owned() }</span>
                <JsonField label={label.to_owned()} value={self.draft.get(pointer)} {rows} onchange={self.on_value(pointer)} />
            </label>
        }
    }

    /// A choice between a script and another kind of logic, each with its starting value.
    fn logic(&self, other: (&str, &str, Value), script: &str) -> Html {
        let is_script = self.draft.get("/logic/script").is_string();
        let (key, text, start) = other;
        let (set, start, script) = (self.set.clone(), start, script.to_owned());
        let key_owned = key.to_owned();
        let onchange = Callback::from(move |e: Event| {
            let picked = e.target_unchecked_into::<HtmlSelectElement>().value();
            let logic = if picked == "script" {
                json!({ "script": script })
            } else {
                json!({ key_owned.clone(): start })
            };
            set("/logic", logic);
        });
        html! {
            <label class="editor-field">
                <span>{ "Logic" }</span>
                <select {onchange}>
                    <option value="script" selected={is_script}>{ "Script" }</option>
                    <option value={key.to_owned()} selected={!is_script}>{ text.to_owned() }</option>
                </select>
            </label>
        }
    }
}

fn event_type(c: &Context<'_>) -> (Html, Vec<String>) {
    let versions = c.draft.get("/versions").as_array().cloned().unwrap_or_default();
    let name = c.draft.text("/name");
    let diffs = c.draft.version_diffs();
    let onadd = {
        let (draft, onchange) = (c.draft.clone(), c.onchange.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = draft.clone();
            next.add_version();
            onchange.emit(next);
        })
    };
    let columns = versions.iter().enumerate().map(|(i, version)| {
        let number = version["version"].as_u64().unwrap_or(0);
        let label = format!("{name} v{number}");
        let diff = diffs.iter().find(|(_, new, _)| u64::from(*new) == number).map(|(old, _, d)| {
            let changes: Vec<String> = d
                .added
                .iter()
                .map(|f| format!("+ {f}"))
                .chain(d.removed.iter().map(|f| format!("− {f}")))
                .chain(d.renamed.iter().map(|r| format!("{} → {}", r.from, r.to)))
                .chain(d.retyped.iter().map(|r| format!("{}: {} → {}", r.field, r.from, r.to)))
                .collect();
            html! {
                <div class={classes!("version-diff", d.breaking.then_some("breaking"))} aria-label={format!("Changes from v{old} to v{number}")}>
                    <strong>{ if d.breaking { format!("v{old} → v{number}: breaking, needs an upcaster") } else { format!("v{old} → v{number}: compatible") } }</strong>
                    if changes.is_empty() { <span class="diff-none">{ "no change" }</span> }
                    <ul>{ for changes.into_iter().map(|c| html! { <li>{ c }</li> }) }</ul>
                    <ul class="diff-reasons">{ for d.reasons.iter().map(|r| html! { <li>{ r.clone() }</li> }) }</ul>
                </div>
            }
        });
        let onremove = {
            let (draft, onchange) = (c.draft.clone(), c.onchange.clone());
            Callback::from(move |_: MouseEvent| {
                let mut next = draft.clone();
                next.edit_list("/versions", |list| drop(list.remove(i)));
                onchange.emit(next);
            })
        };
        html! {
            <section class="version-column" aria-label={label.clone()}>
                <h3>{ format!("v{number}") }
                    if versions.len() > 1 {
                        <button type="button" class="icon" aria-label={format!("Remove {label}")} onclick={onremove}>{ "✕" }</button>
                    }
                </h3>
                { diff }
                { c.text_input("What changed", &format!("/versions/{i}/description")) }
                <FieldsEditor label={label} fields={version["fields"].clone()}
                    problems={c.problems(&format!(".versions[{i}].fields"))}
                    onchange={c.on_value(&format!("/versions/{i}/fields"))} />
            </section>
        }
    });
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name", "/name") }
                { c.select("Visibility", "/visibility", &[("private", "private: internal to its stream type"), ("public", "public: a published contract")], |t| json!(t)) }
            </div>
            { c.description() }
            <div class="versions">{ for columns }</div>
            <button type="button" onclick={onadd}>{ "+ Version" }</button>
        </>
    };
    (body, vec![".versions".into(), ".name".into()])
}

fn command(c: &Context<'_>) -> (Html, Vec<String>) {
    let streams: Vec<(&str, &str)> = c
        .model
        .stream_types
        .iter()
        .map(|s| (s.name.as_str(), s.name.as_str()))
        .collect();
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name", "/name") }
                { c.select("Handled by stream type", "/streamType", &streams, |t| json!(t)) }
            </div>
            { c.description() }
            <h3>{ "Fields" }</h3>
            <FieldsEditor label={c.draft.text("/name")} fields={c.draft.get("/fields")}
                problems={c.problems(".fields")} onchange={c.on_value("/fields")} />
        </>
    };
    (body, vec![".fields".into(), ".name".into()])
}

fn stream_type(c: &Context<'_>) -> (Html, Vec<String>) {
    let strategy = c.draft.get("/retention/strategy");
    let set = c.set.clone();
    let onretention = Callback::from(move |e: Event| {
        let picked = e.target_unchecked_into::<HtmlSelectElement>().value();
        set(
            "/retention",
            if picked.is_empty() {
                Value::Null
            } else {
                json!({"strategy": picked})
            },
        );
    });
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name", "/name") }
                { c.text_input("Stream id pattern", "/streamIdPattern") }
            </div>
            { c.description() }
            { c.json("Initial state", "/initialState", 3) }
            { c.script("Script: decide and evolve", "/script") }
            <div class="editor-row">
                <label class="editor-field">
                    <span>{ "Retention of personal data" }</span>
                    <select onchange={onretention}>
                        { for [("", "no plan"), ("cryptoShredding", "crypto-shredding"), ("streamMetadata", "stream metadata ($maxAge)"), ("archiveAndDelete", "archive and delete")]
                            .into_iter().map(|(v, t)| html! { <option value={v} selected={strategy.as_str().unwrap_or_default() == v}>{ t }</option> }) }
                    </select>
                </label>
                if strategy.is_string() { { c.text_input("Plan", "/retention/description") } }
            </div>
        </>
    };
    (body, vec![".script".into(), ".name".into(), ".streamIdPattern".into()])
}

fn projection(c: &Context<'_>) -> (Html, Vec<String>) {
    let is_script = c.draft.get("/logic/script").is_string();
    let handlers: String = c
        .model
        .event_types
        .iter()
        .take(1)
        .map(|t| format!("fn on_{}(doc, event) {{\n    doc\n}}\n", t.name))
        .collect();
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name", "/name") }
                { c.number_input("Version", "/version") }
                { c.text_input("Document key", "/key") }
            </div>
            { c.description() }
            <div class="editor-row">
                { c.select("Runs", "/lifecycle", &[("inline", "inline, within the append"), ("async", "async, from a subscription")], |t| json!(t)) }
                { c.select("Read by", "/audience", &[("internal", "this service"), ("external", "other teams (public events only)")], |t| json!(t)) }
                { c.logic(("template", "Template", json!("countByKey")), &handlers) }
            </div>
            { c.json("Source: \"all\", {\"categories\": […]}, {\"eventTypes\": […]} or {\"streams\": […]}", "/source", 3) }
            if is_script { { c.script("Handlers", "/logic/script") } } else { { c.json("Template", "/logic/template", 3) } }
        </>
    };
    (body, vec![".logic.script".into(), ".name".into(), ".key".into()])
}

fn upcaster(c: &Context<'_>) -> (Html, Vec<String>) {
    let types: Vec<(&str, &str)> = c
        .model
        .event_types
        .iter()
        .map(|t| (t.name.as_str(), t.name.as_str()))
        .collect();
    let is_script = c.draft.get("/logic/script").is_string();
    let body = html! {
        <>
            <div class="editor-row">
                { c.select("Event type", "/eventType", &types, |t| json!(t)) }
                { c.number_input("From version", "/from") }
                { c.number_input("To version", "/to") }
                { c.logic(("ops", "Operations", json!([])), "fn upcast(event) {\n    event\n}\n") }
            </div>
            if is_script { { c.script("Script: upcast", "/logic/script") } } else { { c.json("Operations", "/logic/ops", 6) } }
        </>
    };
    (body, vec![".logic.script".into()])
}

fn policy(c: &Context<'_>) -> (Html, Vec<String>) {
    let is_script = c.draft.get("/logic/script").is_string();
    let on: Vec<String> = c
        .draft
        .get("/on")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let set = c.set.clone();
    let onon = Callback::from(move |e: Event| {
        let text = e.target_unchecked_into::<HtmlInputElement>().value();
        let types: Vec<&str> = text.split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
        set("/on", json!(types));
    });
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name", "/name") }
                <label class="editor-field">
                    <span>{ "Reacts to (event types, separated by commas)" }</span>
                    <input type="text" value={on.join(", ")} onchange={onon} />
                </label>
                { c.select("Sends to", "/audience", &[("internal", "this service"), ("external", "other teams (public events only)")], |t| json!(t)) }
                { c.logic(("mapping", "Mapping", json!([])), "fn react(event) {\n    []\n}\n") }
            </div>
            { c.description() }
            if is_script { { c.script("Script: react", "/logic/script") } } else { { c.json("Mapping", "/logic/mapping", 6) } }
        </>
    };
    (body, vec![".logic.script".into(), ".name".into()])
}

fn spec(c: &Context<'_>) -> (Html, Vec<String>) {
    let body = html! {
        <>
            { c.text_input("Name", "/name") }
            { c.json("The example: kind, given, when, then", "", 16) }
        </>
    };
    (body, vec![".name".into()])
}

fn slug(kind: Kind) -> String {
    kind.label().replace(' ', "-")
}
