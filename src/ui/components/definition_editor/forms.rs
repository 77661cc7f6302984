//! One form per kind of definition, each returning its controls and the problem paths it shows
//! beside them (the rest are listed under the form).

use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::controls::{problem_path, Context};
use crate::ui::components::FieldsEditor;

pub(super) fn event_type(c: &Context<'_>) -> (Html, Vec<String>) {
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name", "/name") }
                { c.select("Visibility", "/visibility", &[("private", "private: internal to its stream type"), ("public", "public: a published contract")], |t| json!(t)) }
            </div>
            { c.description() }
            { versions(c, "") }
        </>
    };
    (body, vec![".versions".into(), ".name".into()])
}

/// The schema versions of the event type at `base` in the draft (`""` for an event type, a
/// module's contract for a module) side by side, each with what changed from the one before.
pub(super) fn versions(c: &Context<'_>, base: &str) -> Html {
    let versions = c
        .draft
        .get(&format!("{base}/versions"))
        .as_array()
        .cloned()
        .unwrap_or_default();
    let name = c.draft.text(&format!("{base}/name"));
    let diffs = c.draft.version_diffs_at(base);
    let problem_base = problem_path(base);
    let onadd = {
        let (draft, onchange, base) = (c.draft.clone(), c.onchange.clone(), base.to_owned());
        Callback::from(move |_: MouseEvent| {
            let mut next = draft.clone();
            next.add_version_at(&base);
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
            let (draft, onchange, pointer) = (c.draft.clone(), c.onchange.clone(), format!("{base}/versions"));
            Callback::from(move |_: MouseEvent| {
                let mut next = draft.clone();
                next.edit_list(&pointer, |list| drop(list.remove(i)));
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
                { c.text_input("What changed", &format!("{base}/versions/{i}/description")) }
                <FieldsEditor label={label} fields={version["fields"].clone()}
                    problems={c.problems(&format!("{problem_base}.versions[{i}].fields"))}
                    onchange={c.on_value(&format!("{base}/versions/{i}/fields"))} />
            </section>
        }
    });
    html! {
        <>
            <div class="versions">{ for columns }</div>
            <button type="button" onclick={onadd}>{ if base.is_empty() { "+ Version".to_owned() } else { format!("+ Version of {name}") } }</button>
        </>
    }
}

pub(super) fn command(c: &Context<'_>) -> (Html, Vec<String>) {
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

pub(super) fn stream_type(c: &Context<'_>) -> (Html, Vec<String>) {
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

pub(super) fn projection(c: &Context<'_>) -> (Html, Vec<String>) {
    let is_script = c.draft.get("/logic/script").is_string();
    let mode = c
        .draft
        .get("/checkpointing/mode")
        .as_str()
        .unwrap_or("withReadModel")
        .to_owned();
    let set = c.set.clone();
    let oncheckpoint = Callback::from(move |e: Event| {
        let picked = e.target_unchecked_into::<HtmlSelectElement>().value();
        let value = match picked.as_str() {
            "every" => json!({"mode": "every", "events": 100}),
            "withReadModel" => Value::Null,
            other => json!({"mode": other}),
        };
        set("/checkpointing", value);
    });
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
                if c.draft.get("/lifecycle").as_str() == Some("async") {
                    <label class="editor-field">
                        <span>{ "Checkpoint stored" }</span>
                        <select onchange={oncheckpoint}>
                            { for [("withReadModel", "with the read model"), ("afterBatch", "separately, after each batch"), ("every", "separately, every N events")]
                                .into_iter().map(|(v, t)| html! { <option value={v} selected={mode == v}>{ t }</option> }) }
                        </select>
                    </label>
                    if mode == "every" { { c.number_input("Every (events)", "/checkpointing/events") } }
                }
                { c.select("Read by", "/audience", &[("internal", "this service"), ("external", "other teams (public events only)")], |t| json!(t)) }
                { c.logic(("template", "Template", json!("countByKey")), &handlers) }
            </div>
            { c.json("Source: \"all\", {\"categories\": […]}, {\"eventTypes\": […]} or {\"streams\": […]}", "/source", 3) }
            if is_script { { c.script("Handlers", "/logic/script") } } else { { c.json("Template", "/logic/template", 3) } }
        </>
    };
    (
        body,
        vec![
            ".logic.script".into(),
            ".name".into(),
            ".key".into(),
            ".checkpointing.events".into(),
        ],
    )
}

pub(super) fn upcaster(c: &Context<'_>) -> (Html, Vec<String>) {
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

pub(super) fn policy(c: &Context<'_>) -> (Html, Vec<String>) {
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

pub(super) fn spec(c: &Context<'_>) -> (Html, Vec<String>) {
    let body = html! {
        <>
            { c.text_input("Name", "/name") }
            { c.json("The example: kind, given, when, then", "", 16) }
        </>
    };
    (body, vec![".name".into()])
}
