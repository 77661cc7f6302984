//! The controls every kind's form is made of, each bound to a JSON pointer into the draft and
//! showing the problems found there.

use std::rc::Rc;

use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::model::{Model, Problem};
use crate::session::Draft;
use crate::ui::components::{JsonField, Marker, ScriptEditor};

/// How one control edits the draft: the JSON pointer it sets.
pub(super) type Set = Rc<dyn Fn(&str, Value)>;

/// What every kind's form reads.
pub(super) struct Context<'a> {
    pub(super) draft: &'a Draft,
    pub(super) set: &'a Set,
    pub(super) under: &'a [(String, &'a Problem)],
    pub(super) model: &'a Model,
    pub(super) onchange: &'a Callback<Draft>,
}

impl Context<'_> {
    /// A callback setting `pointer` to what `parse` makes of a control's text.
    pub(super) fn on(&self, pointer: &str, parse: fn(String) -> Value) -> Callback<String> {
        let (set, pointer) = (self.set.clone(), pointer.to_owned());
        Callback::from(move |text: String| set(&pointer, parse(text)))
    }

    /// A callback setting `pointer` to a value.
    pub(super) fn on_value(&self, pointer: &str) -> Callback<Value> {
        let (set, pointer) = (self.set.clone(), pointer.to_owned());
        Callback::from(move |value: Value| set(&pointer, value))
    }

    /// The problems at a path inside the definition (`.fields`), with the rest of their path.
    pub(super) fn problems(&self, prefix: &str) -> Vec<(String, String)> {
        self.under
            .iter()
            .filter_map(|(rest, p)| Some((rest.strip_prefix(prefix)?.to_owned(), p.message.clone())))
            .collect()
    }

    /// The script problems at a path, as markers.
    pub(super) fn markers(&self, path: &str) -> Vec<Marker> {
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

    pub(super) fn text_input(&self, label: &str, pointer: &str) -> Html {
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

    pub(super) fn number_input(&self, label: &str, pointer: &str) -> Html {
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
    pub(super) fn select(
        &self,
        label: &str,
        pointer: &str,
        options: &[(&str, &str)],
        parse: fn(String) -> Value,
    ) -> Html {
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

    pub(super) fn description(&self) -> Html {
        self.text_input("Description", "/description")
    }

    pub(super) fn script(&self, label: &str, pointer: &str) -> Html {
        let oninput = self.on(pointer, |t| json!(t));
        html! {
            <section class="editor-script">
                <h3>{ label.to_owned() }</h3>
                <ScriptEditor label={format!("{} {label}", self.draft.text("/name")).trim().to_owned()}
                    value={self.draft.text(pointer)} markers={self.markers(&pointer.replace('/', "."))} {oninput} />
            </section>
        }
    }

    pub(super) fn json(&self, label: &str, pointer: &str, rows: u32) -> Html {
        html! {
            <label class="editor-field wide">
                <span>{ label.to_owned() }</span>
                <JsonField label={label.to_owned()} value={self.draft.get(pointer)} {rows} onchange={self.on_value(pointer)} />
            </label>
        }
    }

    /// A choice between a script and another kind of logic, each with its starting value.
    pub(super) fn logic(&self, other: (&str, &str, Value), script: &str) -> Html {
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
