//! A schema's fields as a form: one row per field with its name, a type picker (with an enum's
//! values, a list's item type, an object's own fields), required or optional with a default, the
//! PII flag, a rename hint and a description.

use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::session::{enum_from_text, enum_text, type_name, with_type_name, TYPE_NAMES};

/// Properties of [`FieldsEditor`].
#[derive(Properties, PartialEq)]
pub struct FieldsEditorProps {
    /// What the fields belong to, e.g. `ItemAdded v2`: part of every control's accessible name.
    pub label: AttrValue,
    /// The fields, as in the scenario file.
    pub fields: Value,
    /// Problems inside the fields, each with its path from the list (`[0].type`).
    #[prop_or_default]
    pub problems: Vec<(String, String)>,
    /// Called with the whole changed list.
    pub onchange: Callback<Value>,
}

/// A change to the list, given the text of the control that made it.
type Edit = dyn Fn(&mut Vec<Value>, String);

/// The form.
#[component]
pub fn FieldsEditor(props: &FieldsEditorProps) -> Html {
    let fields = props.fields.as_array().cloned().unwrap_or_default();
    let change = |edit: Box<Edit>| {
        let (fields, onchange) = (fields.clone(), props.onchange.clone());
        Callback::from(move |text: String| {
            let mut next = fields.clone();
            edit(&mut next, text);
            onchange.emit(Value::Array(next));
        })
    };
    let add = {
        let taken: Vec<String> = fields
            .iter()
            .filter_map(|f| f["name"].as_str().map(str::to_owned))
            .collect();
        let name = (1..)
            .map(|n| format!("field{n}"))
            .find(|n| !taken.contains(n))
            .unwrap_or_default();
        change(Box::new(move |list, _| {
            list.push(json!({"name": name, "type": "string"}))
        }))
        .reform(|_: MouseEvent| String::new())
    };
    let rows = fields.iter().enumerate().map(|(i, field)| {
        let set = |key: &'static str, parse: fn(String, &Value) -> Value| {
            change(Box::new(move |list, text| {
                if let Some(field) = list.get_mut(i).and_then(Value::as_object_mut) {
                    let value = parse(text, &Value::Object(field.clone()));
                    if value.is_null() || value == json!("") {
                        field.remove(key);
                    } else {
                        field.insert(key.to_owned(), value);
                    }
                }
            }))
        };
        let name = field["name"].as_str().unwrap_or_default().to_owned();
        let who = format!("{} field {}", props.label, if name.is_empty() { (i + 1).to_string() } else { name.clone() });
        let field_type = field.get("type").cloned().unwrap_or_else(|| json!("string"));
        let kind = type_name(&field_type).to_owned();
        let required = field.get("required").and_then(Value::as_bool).unwrap_or(true);
        let problems: Vec<(String, String)> = props
            .problems
            .iter()
            .filter_map(|(path, message)| {
                let rest = path.strip_prefix(&format!("[{i}]"))?;
                Some((rest.to_owned(), message.clone()))
            })
            .collect();
        let own: Vec<String> = problems
            .iter()
            .filter(|(rest, _)| !rest.starts_with(".type.object") && !rest.starts_with(".type["))
            .map(|(rest, message)| format!("{}{message}", rest.strip_prefix('.').map(|r| format!("{r}: ")).unwrap_or_default()))
            .collect();
        let onname = set("name", |text, _| json!(text)).reform(input_value::<InputEvent>);
        let ontype = set("type", |text, field| with_type_name(&text, &field["type"])).reform(select_value);
        let onenum = set("type", |text, _| enum_from_text(&text)).reform(input_value::<Event>);
        let onitem = set("type", |text, _| json!({"list": text})).reform(select_value);
        let onrequired = set("required", |text, _| if text == "true" { Value::Null } else { json!(false) }).reform(checked);
        let ondefault = set("default", |text, _| {
            if text.trim().is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(json!(text)) }
        })
        .reform(input_value::<Event>);
        let onpii = set("pii", |text, _| if text == "true" { json!(true) } else { Value::Null }).reform(checked);
        let onrenamed = set("renamedFrom", |text, _| json!(text.trim())).reform(input_value::<InputEvent>);
        let ondescription = set("description", |text, _| json!(text)).reform(input_value::<InputEvent>);
        let onobject = set("type", |text, _| json!({"object": serde_json::from_str::<Value>(&text).unwrap_or(json!([]))}));
        let onremove = change(Box::new(move |list, _| drop(list.remove(i)))).reform(|_: MouseEvent| String::new());
        let onup = change(Box::new(move |list, _| {
            if i > 0 {
                list.swap(i - 1, i);
            }
        }))
        .reform(|_: MouseEvent| String::new());
        let default_text = field.get("default").map(Value::to_string).unwrap_or_default();
        let nested_problems: Vec<(String, String)> = problems
            .iter()
            .filter_map(|(rest, message)| Some((rest.strip_prefix(".type.object")?.to_owned(), message.clone())))
            .collect();
        html! {
            <li class={classes!("field-row", (!own.is_empty()).then_some("invalid"))} key={i}>
                <div class="field-main">
                    <input class="field-name" type="text" aria-label={format!("{who}: name")} value={name.clone()} oninput={onname} />
                    <select class="field-type" aria-label={format!("{who}: type")} onchange={ontype}>
                        { for TYPE_NAMES.iter().map(|t| html! { <option value={*t} selected={*t == kind}>{ *t }</option> }) }
                    </select>
                    if kind == "enum" {
                        <input type="text" class="field-enum" aria-label={format!("{who}: values, separated by commas")}
                            value={enum_text(&field_type)} onchange={onenum} />
                    }
                    if kind == "list" {
                        <select aria-label={format!("{who}: item type")} onchange={onitem}>
                            { for TYPE_NAMES[..6].iter().map(|t| html! {
                                <option value={*t} selected={field_type["list"] == json!(t)}>{ *t }</option>
                            }) }
                        </select>
                    }
                    <label class="check"><input type="checkbox" checked={required} onchange={onrequired} />{ "required" }</label>
                    if !required {
                        <input type="text" class="field-default" placeholder="default (JSON)"
                            aria-label={format!("{who}: default")} value={default_text} onchange={ondefault} />
                    }
                    <label class="check" title="personal data: needs a retention plan">
                        <input type="checkbox" checked={field.get("pii").and_then(Value::as_bool).unwrap_or(false)} onchange={onpii} />{ "PII" }
                    </label>
                    <button type="button" class="icon" aria-label={format!("Move {who} up")} disabled={i == 0} onclick={onup}>{ "↑" }</button>
                    <button type="button" class="icon" aria-label={format!("Remove {who}")} onclick={onremove}>{ "✕" }</button>
                </div>
                <div class="field-extra">
                    <input type="text" placeholder="description" aria-label={format!("{who}: description")}
                        value={field["description"].as_str().unwrap_or_default().to_owned()} oninput={ondescription} />
                    <input type="text" placeholder="renamed from" aria-label={format!("{who}: renamed from")}
                        value={field["renamedFrom"].as_str().unwrap_or_default().to_owned()} oninput={onrenamed} />
                </div>
                if kind == "object" {
                    <div class="nested">
                        <FieldsEditor label={format!("{who} ·")} fields={field_type["object"].clone()}
                            problems={nested_problems} onchange={onobject.reform(|v: Value| v.to_string())} />
                    </div>
                }
                { for own.iter().map(|m| html! { <p class="field-problem" role="alert">{ m.clone() }</p> }) }
            </li>
        }
    });
    html! {
        <div class="fields-editor">
            if fields.is_empty() {
                <p class="empty-state">{ "No fields yet." }</p>
            }
            <ol class="field-rows">{ for rows }</ol>
            <button type="button" onclick={add} aria-label={format!("Add a field to {}", props.label)}>{ "+ Field" }</button>
        </div>
    }
}

fn input_value<E: TargetCast>(e: E) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn select_value(e: Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

fn checked(e: Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().checked().to_string()
}
