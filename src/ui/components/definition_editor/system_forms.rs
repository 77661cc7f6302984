//! The forms of the system's definitions: modules (with their contracts, translations, tables and
//! handlers), consumers, process managers and external systems.

use serde_json::{json, Value};
use yew::prelude::*;

use super::controls::Context;
use super::forms::versions;
use crate::ui::components::FieldsEditor;

const PUBLISHING: [(&str, &str); 3] = [
    ("dualWrite", "dual write: save, then publish"),
    ("outbox", "outbox: written with the change, relayed"),
    ("changeDataCapture", "change data capture (state-stored)"),
];

const EXHAUSTED: [(&str, &str); 4] = [
    ("park", "park it (dead letter)"),
    ("retry", "retry again"),
    ("skip", "skip it"),
    ("stop", "stop the consumer"),
];

pub(super) fn module(c: &Context<'_>) -> (Html, Vec<String>) {
    let state_stored = c.draft.text("/kind") == "stateStored";
    let is_main = c
        .choices
        .modules
        .first()
        .is_some_and(|main| *main == c.draft.text("/name"));
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name", "/name") }
                { c.select("Keeps its state", "/kind", &[("eventSourced", "as events (event-sourced)"), ("stateStored", "in tables (state-stored)")], |t| json!(t)) }
                { c.select("Publishes by", "/publishing", &PUBLISHING, |t| json!(t)) }
            </div>
            { c.description() }
            if state_stored {
                { list(c, "Tables", "/tables", "+ Table", json!({"name": "rows", "fields": []}), table) }
                { list(c, "Command handlers", "/handlers", "+ Handler", handler_template(c), handler) }
            } else if is_main {
                <p class="muted">{ "The main module's event types, commands and stream types are the model panel's." }</p>
            } else {
                { c.json_or("Its model: event types, commands, stream types, projections", "/model", 10, json!({})) }
            }
            { list(c, "Contracts: the public event types it publishes", "/contracts", "+ Contract", json!({"name": "NewContract", "visibility": "public", "versions": [{"version": 1, "fields": []}]}), contract) }
            { list(c, "Translations: private events (or row changes) made public", "/translations", "+ Translation", json!({"name": "NewTranslation", "on": [], "script": "fn translate(event, state) {\n    []\n}\n"}), translation) }
        </>
    };
    (
        body,
        vec![
            ".name".into(),
            ".tables".into(),
            ".handlers".into(),
            ".contracts".into(),
            ".translations".into(),
        ],
    )
}

/// A list inside the draft at `pointer`, each item drawn by `item` with a Remove button, and an
/// Add button that appends `start`.
fn list(
    c: &Context<'_>,
    title: &str,
    pointer: &str,
    add: &str,
    start: Value,
    item: fn(&Context<'_>, &str) -> Html,
) -> Html {
    let items = c.draft.get(pointer).as_array().map_or(0, Vec::len);
    let onadd = {
        let (draft, onchange, pointer) = (c.draft.clone(), c.onchange.clone(), pointer.to_owned());
        Callback::from(move |_: MouseEvent| {
            let mut next = draft.clone();
            next.edit_list(&pointer, |list| list.push(start.clone()));
            onchange.emit(next);
        })
    };
    let rows = (0..items).map(|i| {
        let at = format!("{pointer}/{i}");
        let name = c.draft.text(&format!("{at}/name"));
        let onremove = {
            let (draft, onchange, pointer) = (c.draft.clone(), c.onchange.clone(), pointer.to_owned());
            Callback::from(move |_: MouseEvent| {
                let mut next = draft.clone();
                next.edit_list(&pointer, |list| drop(list.remove(i)));
                onchange.emit(next);
            })
        };
        html! {
            <section class="system-item" aria-label={name.clone()}>
                <button type="button" class="icon remove" aria-label={format!("Remove {name}")} onclick={onremove}>{ "✕" }</button>
                { item(c, &at) }
            </section>
        }
    });
    html! {
        <section class="editor-list">
            <h3>{ title.to_owned() }</h3>
            { for rows }
            <button type="button" onclick={onadd}>{ add.to_owned() }</button>
        </section>
    }
}

fn contract(c: &Context<'_>, at: &str) -> Html {
    html! {
        <>
            { c.text_input("Contract", &format!("{at}/name")) }
            { versions(c, at) }
        </>
    }
}

fn translation(c: &Context<'_>, at: &str) -> Html {
    html! {
        <>
            <div class="editor-row">
                { c.text_input("Translation", &format!("{at}/name")) }
                { c.names_input("Reads (its private event types or tables, separated by commas)", &format!("{at}/on")) }
            </div>
            { c.script("Script: translate(event, state)", &format!("{at}/script")) }
        </>
    }
}

fn table(c: &Context<'_>, at: &str) -> Html {
    let name = c.draft.text(&format!("{at}/name"));
    html! {
        <>
            { c.text_input("Table", &format!("{at}/name")) }
            <FieldsEditor label={name} fields={c.draft.get(&format!("{at}/fields"))}
                problems={c.problems(&super::controls::problem_path(&format!("{at}/fields")))}
                onchange={c.on_value(&format!("{at}/fields"))} />
        </>
    }
}

fn handler_template(c: &Context<'_>) -> Value {
    let table = c.draft.text("/tables/0/name");
    json!({"name": "NewHandler", "table": table, "fields": [], "script": "fn handle(command, row) {\n    #{ row: command.data, messages: [] }\n}\n"})
}

fn handler(c: &Context<'_>, at: &str) -> Html {
    let tables: Vec<String> = c
        .draft
        .get("/tables")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect();
    let options: Vec<(&str, &str)> = tables.iter().map(|t| (t.as_str(), t.as_str())).collect();
    let name = c.draft.text(&format!("{at}/name"));
    html! {
        <>
            <div class="editor-row">
                { c.text_input("Command", &format!("{at}/name")) }
                { c.select("Reads and writes a row of", &format!("{at}/table"), &options, |t| json!(t)) }
            </div>
            <FieldsEditor label={name} fields={c.draft.get(&format!("{at}/fields"))}
                problems={c.problems(&super::controls::problem_path(&format!("{at}/fields")))}
                onchange={c.on_value(&format!("{at}/fields"))} />
            { c.script("Script: handle(command, row)", &format!("{at}/script")) }
        </>
    }
}

fn modules(c: &Context<'_>) -> Vec<(String, String)> {
    c.choices.modules.iter().map(|m| (m.clone(), m.clone())).collect()
}

fn retry(c: &Context<'_>) -> Html {
    html! {
        <div class="editor-row" aria-label="Retries">
            { c.whole_input("Retries before giving up", "/retry/maxRetries", 0) }
            { c.whole_input("First retry after (ms)", "/retry/backoffMs", 0) }
            { c.decimal_input("Each retry waits × longer", "/retry/multiplier") }
            { c.select("After the last retry", "/retry/exhausted", &EXHAUSTED, |t| json!(t)) }
        </div>
    }
}

pub(super) fn consumer(c: &Context<'_>) -> (Html, Vec<String>) {
    let is_script = c.draft.get("/logic/script").is_string();
    let modules = modules(c);
    let module_options: Vec<(&str, &str)> = modules.iter().map(|(v, t)| (v.as_str(), t.as_str())).collect();
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name (its consumer group)", "/name") }
                { c.select("Sends commands to module", "/module", &module_options, |t| json!(t)) }
                { c.logic(("mapping", "Mapping", json!([])), "fn handle(message) {\n    []\n}\n") }
            </div>
            { c.description() }
            { c.pick_many("Reads the topics", "/topics", &c.choices.topics) }
            <div class="editor-row">
                { c.checkbox("Inbox: drops a message id it has handled", "/inbox") }
                { c.whole_input("Inbox remembers (ms; empty: for ever)", "/inboxRetentionMs", 1) }
            </div>
            { retry(c) }
            if is_script { { c.script("Script: handle(message)", "/logic/script") } } else { { c.json_or("Mapping: the commands built from the message", "/logic/mapping", 6, json!([])) } }
        </>
    };
    (
        body,
        vec![
            ".logic.script".into(),
            ".name".into(),
            ".topics".into(),
            ".retry".into(),
            ".inboxRetentionMs".into(),
        ],
    )
}

pub(super) fn process(c: &Context<'_>) -> (Html, Vec<String>) {
    let modules = modules(c);
    let module_options: Vec<(&str, &str)> = modules.iter().map(|(v, t)| (v.as_str(), t.as_str())).collect();
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name", "/name") }
                { c.select("Sends commands to module (unless a command names one)", "/module", &module_options, |t| json!(t)) }
                { c.text_input("Instance key (where in a message)", "/correlate") }
            </div>
            { c.description() }
            { c.pick_many("Reads the topics", "/topics", &c.choices.topics) }
            <div class="editor-row">
                { c.names_input("Timeouts it may schedule (names, separated by commas)", "/timeouts") }
                { c.names_input("Its steps: the commands it sends", "/steps") }
            </div>
            { c.json_or("Compensations: [{\"step\": command, \"undo\": command}]", "/compensations", 4, json!([])) }
            <div class="editor-row">
                { c.checkbox("Inbox: drops a message id it has handled", "/inbox") }
            </div>
            { retry(c) }
            { c.script("Script: evolve(state, input) and decide(input, state)", "/script") }
        </>
    };
    (
        body,
        vec![
            ".script".into(),
            ".name".into(),
            ".topics".into(),
            ".retry".into(),
            ".timeouts".into(),
            ".steps".into(),
            ".correlate".into(),
        ],
    )
}

pub(super) fn external(c: &Context<'_>) -> (Html, Vec<String>) {
    let body = html! {
        <>
            <div class="editor-row">
                { c.text_input("Name", "/name") }
                { c.whole_input("Answers after (ms)", "/latencyMs", 0) }
                { c.whole_input("Up to this much later (ms)", "/jitterMs", 0) }
                { c.percent_input("Fails (%)", "/failureRate") }
            </div>
            { c.description() }
            <div class="editor-row">
                { c.checkbox("Honours idempotency keys: a repeated key answers without doing it again", "/idempotencyKeys") }
            </div>
            <div class="editor-row">
                { c.text_input("Publishes its successes on", "/succeeded") }
                { c.text_input("Publishes its failures on", "/failed") }
            </div>
        </>
    };
    (
        body,
        vec![
            ".name".into(),
            ".latencyMs".into(),
            ".jitterMs".into(),
            ".failureRate".into(),
            ".succeeded".into(),
            ".failed".into(),
        ],
    )
}
