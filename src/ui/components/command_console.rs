//! The command console: pick a command, fill the form generated from its schema (checked before
//! sending), choose the stream and how to append, send; see what happened.

use std::collections::BTreeMap;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::model::{Field, Model};
use crate::session::{input_for, payload, stream_for, Input};
use crate::session::{ExpectedMode, SendOutcome, Submission};

/// Properties of [`CommandConsole`].
#[derive(Properties, PartialEq)]
pub struct CommandConsoleProps {
    /// The model whose commands are offered.
    pub model: Rc<Model>,
    /// What the last command did.
    #[prop_or_default]
    pub outcome: Option<SendOutcome>,
    /// Called with a checked submission.
    pub onsend: Callback<Submission>,
    /// Called with an event's position when one of the produced events is clicked.
    #[prop_or_default]
    pub onselectevent: Callback<u64>,
    /// The form's accessible name.
    #[prop_or(AttrValue::Static("Command console"))]
    pub label: AttrValue,
    /// What the submit button says before the command's name.
    #[prop_or(AttrValue::Static("Send"))]
    pub verb: AttrValue,
}

/// The console.
#[component]
pub fn CommandConsole(props: &CommandConsoleProps) -> Html {
    let model = &props.model;
    let selected = use_state(|| model.commands.first().map(|c| c.name.clone()).unwrap_or_default());
    let texts = use_state(BTreeMap::<String, String>::new);
    let stream_id = use_state(String::new);
    // Whether the user typed the stream id; until then it follows the id typed into the form.
    let typed_stream = use_state(|| false);
    let expected = use_state(ExpectedMode::default);
    let problems = use_state(BTreeMap::<String, String>::new);

    // A new result is brought into view: at 720 px it falls below the fold of the panel.
    let form = use_node_ref();
    {
        let form = form.clone();
        use_effect_with(props.outcome.clone(), move |outcome| {
            let shown = form
                .cast::<web_sys::Element>()
                .and_then(|f| f.query_selector(".outcome").ok().flatten());
            if let (Some(_), Some(shown)) = (outcome, shown) {
                shown.scroll_into_view_with_bool(false);
            }
        });
    }
    let Some(command) = model.command(&selected).or(model.commands.first()) else {
        return html! { <p class="empty-state">{ "The model has no commands yet." }</p> };
    };
    let pattern = model
        .stream_type(&command.stream_type)
        .map(|t| t.stream_id_pattern.clone())
        .unwrap_or_default();

    // Another command keeps the stream and what was typed into the fields it shares (cartId).
    // A command of another stream type starts from its own pattern instead.
    let onpick = {
        let (selected, problems, model) = (selected.clone(), problems.clone(), props.model.clone());
        let (stream_id, typed_stream, texts) = (stream_id.clone(), typed_stream.clone(), texts.clone());
        let stream_type = command.stream_type.clone();
        Callback::from(move |e: Event| {
            let picked = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(next) = model.command(&picked).filter(|next| next.stream_type != stream_type) {
                let pattern = model
                    .stream_type(&next.stream_type)
                    .map(|t| t.stream_id_pattern.as_str());
                let stream = pattern.and_then(|pattern| stream_for(pattern, &next.fields, &texts));
                stream_id.set(stream.unwrap_or_default());
                typed_stream.set(false);
            }
            selected.set(picked);
            problems.set(BTreeMap::new());
        })
    };
    let onstream = {
        let (stream_id, typed_stream) = (stream_id.clone(), typed_stream.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            typed_stream.set(!text.trim().is_empty());
            stream_id.set(text);
        })
    };
    let onexpected = {
        let expected = expected.clone();
        Callback::from(move |e: Event| {
            expected.set(match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "any" => ExpectedMode::Any,
                "no_stream" => ExpectedMode::NoStream,
                _ => ExpectedMode::Read,
            })
        })
    };
    let onsubmit = {
        let (texts, problems, stream_id, expected) =
            (texts.clone(), problems.clone(), stream_id.clone(), expected.clone());
        let fields = command.fields.clone();
        let name = command.name.clone();
        let onsend = props.onsend.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut found = BTreeMap::new();
            if stream_id.trim().is_empty() {
                found.insert("streamId".to_owned(), "required".to_owned());
            }
            match payload(&fields, &texts) {
                Ok(data) if found.is_empty() => {
                    problems.set(BTreeMap::new());
                    onsend.emit(Submission {
                        command: name.clone(),
                        stream_id: stream_id.trim().to_owned(),
                        data,
                        expected: *expected,
                    });
                }
                Ok(_) => problems.set(found),
                Err(more) => {
                    found.extend(more);
                    problems.set(found);
                }
            }
        })
    };

    let field_inputs = command.fields.iter().map(|field| {
        let text = texts.get(&field.name).cloned().unwrap_or_default();
        let problem = problems.get(&field.name).cloned();
        let onchange = {
            let (texts, name, stream_id) = (texts.clone(), field.name.clone(), stream_id.clone());
            let (typed_stream, fields, pattern) = (*typed_stream, command.fields.clone(), pattern.clone());
            Callback::from(move |value: String| {
                let mut next = (*texts).clone();
                next.insert(name.clone(), value);
                if !typed_stream {
                    if let Some(stream) = stream_for(&pattern, &fields, &next) {
                        stream_id.set(stream);
                    }
                }
                texts.set(next);
            })
        };
        view_field(field, text, problem, onchange)
    });
    let stream_problem = problems.get("streamId").cloned();
    let input_id = format!("console-stream-{}", command.name);

    html! {
        <form class="command-console" ref={form} aria-label={props.label.clone()} {onsubmit} novalidate=true>
            <label class="field">
                <span>{ "Command" }</span>
                <select aria-label="Command" onchange={onpick}>
                    { for model.commands.iter().map(|c| html! {
                        <option value={c.name.clone()} selected={c.name == command.name}>{ &c.name }</option>
                    }) }
                </select>
            </label>
            if !command.description.is_empty() { <p class="hint">{ &command.description }</p> }
            <label class="field" for={input_id.clone()}>
                <span>{ "Stream" }<small>{ format!(" ({pattern})") }</small></span>
                <input id={input_id} aria-label="Stream id" aria-invalid={stream_problem.is_some().to_string()}
                    value={(*stream_id).clone()} oninput={onstream}
                    placeholder={pattern.replace("{id}", "1")} />
                if let Some(problem) = stream_problem { <span class="field-problem" role="alert">{ problem }</span> }
            </label>
            { for field_inputs }
            <label class="field">
                <span>{ "Expected revision" }</span>
                <select aria-label="Expected revision" onchange={onexpected}>
                    <option value="read" selected={*expected == ExpectedMode::Read}>{ "as read (optimistic)" }</option>
                    <option value="any" selected={*expected == ExpectedMode::Any}>{ "any (no check)" }</option>
                    <option value="no_stream" selected={*expected == ExpectedMode::NoStream}>{ "no stream (must be new)" }</option>
                </select>
            </label>
            <button type="submit" class="primary">{ format!("{} {}", props.verb, command.name) }</button>
            { view_outcome(props.outcome.as_ref(), &props.onselectevent) }
        </form>
    }
}

fn view_field(field: &Field, text: String, problem: Option<String>, onchange: Callback<String>) -> Html {
    let id = format!("field-{}", field.name);
    let label = format!("{}{}", field.name, if field.required { "" } else { " (optional)" });
    let invalid = problem.is_some().to_string();
    let input = match input_for(&field.field_type) {
        Input::Checkbox => {
            let oninput =
                onchange.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked().to_string());
            html! { <input id={id.clone()} type="checkbox" aria-label={field.name.clone()} checked={text == "true"} onchange={oninput} /> }
        }
        Input::Choice(values) => {
            let oninput = onchange.reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
            html! {
                <select id={id.clone()} aria-label={field.name.clone()} aria-invalid={invalid} onchange={oninput}>
                    <option value="" selected={text.is_empty()}>{ "—" }</option>
                    { for values.into_iter().map(|v| html! { <option value={v.clone()} selected={v == text}>{ v }</option> }) }
                </select>
            }
        }
        Input::Json => {
            let oninput = onchange.reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
            html! { <textarea id={id.clone()} aria-label={field.name.clone()} aria-invalid={invalid} value={text} {oninput} placeholder="JSON" /> }
        }
        Input::Number { whole } => {
            let oninput = onchange.reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
            html! { <input id={id.clone()} type="text" inputmode={if whole { "numeric" } else { "decimal" }}
            aria-label={field.name.clone()} aria-invalid={invalid} value={text} {oninput} /> }
        }
        Input::Text => {
            let oninput = onchange.reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
            html! { <input id={id.clone()} type="text" aria-label={field.name.clone()} aria-invalid={invalid} value={text} {oninput} /> }
        }
    };
    html! {
        <label class="field" for={id}>
            <span>{ label }<small>{ format!(" {}", field.field_type) }</small></span>
            { input }
            if let Some(problem) = problem { <span class="field-problem" role="alert">{ problem }</span> }
        </label>
    }
}

fn view_outcome(outcome: Option<&SendOutcome>, onselect: &Callback<u64>) -> Html {
    match outcome {
        None => html! {},
        Some(SendOutcome::Appended {
            command_id,
            stream_id,
            events,
        }) if events.is_empty() => html! {
            <p class="outcome outcome-empty" role="status">{ format!("{command_id}: nothing changed on {stream_id}") }</p>
        },
        Some(SendOutcome::Appended {
            command_id,
            stream_id,
            events,
        }) => html! {
            <div class="outcome outcome-appended" role="status">
                <p>{ format!("{command_id} appended to {stream_id}:") }</p>
                <ul>
                    { for events.iter().map(|(event_type, position)| {
                        let position = *position;
                        let onclick = onselect.reform(move |_| position);
                        html! { <li><button type="button" class="link" {onclick}>{ format!("{event_type} @{position}") }</button></li> }
                    }) }
                </ul>
            </div>
        },
        Some(SendOutcome::Rejected(message)) => html! {
            <p class="outcome outcome-rejected" role="alert">{ format!("Rejected: {message}") }</p>
        },
        Some(SendOutcome::Conflict(message)) => html! {
            <p class="outcome outcome-conflict" role="alert">{ format!("Conflict: {message}") }</p>
        },
        Some(SendOutcome::Failed(message)) => html! {
            <p class="outcome outcome-failed" role="alert">{ format!("Not sent: {message}") }</p>
        },
    }
}
