//! The controls every kind's form is made of, each bound to a JSON pointer into the draft and
//! showing the problems found there.

use std::rc::Rc;

use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::model::{Model, Problem};
use crate::session::{Draft, SystemChoices};
use crate::ui::components::{JsonField, Marker, ScriptEditor};

/// How one control edits the draft: the JSON pointer it sets.
pub(super) type Set = Rc<dyn Fn(&str, Value)>;

/// What every kind's form reads.
pub(super) struct Context<'a> {
    pub(super) draft: &'a Draft,
    pub(super) set: &'a Set,
    pub(super) under: &'a [(String, &'a Problem)],
    pub(super) model: &'a Model,
    /// What the system's forms offer to pick from.
    pub(super) choices: &'a SystemChoices,
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
        let problems = self.problems(&problem_path(pointer));
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

    /// A count or a duration: a whole number from `min` up; a missing one is left out of the file.
    pub(super) fn whole_input(&self, label: &str, pointer: &str, min: u64) -> Html {
        let parse = |t: String| match t.trim() {
            "" => Value::Null,
            text => text.parse::<u64>().map_or(json!(text), |n| json!(n)),
        };
        self.number_field(label, pointer, (min.to_string(), "1"), parse)
    }

    /// A number with a fraction; a missing one is left out of the file.
    pub(super) fn decimal_input(&self, label: &str, pointer: &str) -> Html {
        let parse = |t: String| match t.trim() {
            "" => Value::Null,
            text => text.parse::<f64>().map_or(json!(text), |n| json!(n)),
        };
        self.number_field(label, pointer, ("0".to_owned(), "0.1"), parse)
    }

    /// A number input with its `(min, step)`; what is typed goes into the draft as `parse` makes it
    /// (text that is no number stays text, for the check to name).
    fn number_field(
        &self,
        label: &str,
        pointer: &str,
        (min, step): (String, &str),
        parse: fn(String) -> Value,
    ) -> Html {
        let onchange = self
            .on(pointer, parse)
            .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());
        let value = match self.draft.get(pointer) {
            Value::Null => String::new(),
            Value::String(text) => text,
            other => other.to_string(),
        };
        html! {
            <label class="editor-field short">
                <span>{ label.to_owned() }</span>
                <input type="number" {min} step={step.to_owned()} {value} {onchange} />
                { self.problem_at(pointer) }
            </label>
        }
    }

    /// A share from 0 to 1, typed as a percentage.
    pub(super) fn percent_input(&self, label: &str, pointer: &str) -> Html {
        let onchange = self
            .on(pointer, |t| match t.trim().parse::<f64>() {
                Ok(percent) => json!(percent / 100.0),
                Err(_) => json!(t),
            })
            .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());
        let value = match self.draft.get(pointer) {
            Value::Number(n) => format!("{}", (n.as_f64().unwrap_or(0.0) * 1000.0).round() / 10.0),
            Value::String(text) => text,
            _ => "0".to_owned(),
        };
        html! {
            <label class="editor-field short">
                <span>{ label.to_owned() }</span>
                <input type="number" min="0" max="100" step="0.1" {value} {onchange} />
                { self.problem_at(pointer) }
            </label>
        }
    }

    /// A yes-or-no setting.
    pub(super) fn checkbox(&self, label: &str, pointer: &str) -> Html {
        let onchange = self
            .on(pointer, |t| json!(t == "true"))
            .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked().to_string());
        html! {
            <label class="editor-field check">
                <input type="checkbox" checked={self.draft.get(pointer).as_bool().unwrap_or(false)} {onchange} />
                <span>{ label.to_owned() }</span>
            </label>
        }
    }

    /// A list of names typed with commas between them.
    pub(super) fn names_input(&self, label: &str, pointer: &str) -> Html {
        let names: Vec<String> = self
            .draft
            .get(pointer)
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let onchange = self
            .on(pointer, |t| {
                json!(t
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .collect::<Vec<_>>())
            })
            .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());
        html! {
            <label class="editor-field">
                <span>{ label.to_owned() }</span>
                <input type="text" value={names.join(", ")} {onchange} />
                { self.problem_at(pointer) }
            </label>
        }
    }

    /// A set of names picked from `options` with a checkbox each; a name in the draft that is not
    /// an option stays listed, so a typo can be seen and unticked.
    pub(super) fn pick_many(&self, label: &str, pointer: &str, options: &[String]) -> Html {
        let picked: Vec<String> = self
            .draft
            .get(pointer)
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let mut shown: Vec<String> = options.to_vec();
        shown.extend(picked.iter().filter(|p| !options.contains(p)).cloned());
        let boxes = shown.into_iter().map(|option| {
            let on = picked.contains(&option);
            let (set, pointer, picked, name) = (self.set.clone(), pointer.to_owned(), picked.clone(), option.clone());
            let onchange = Callback::from(move |_: Event| {
                let next: Vec<&String> = if on {
                    picked.iter().filter(|p| **p != name).collect()
                } else {
                    picked.iter().chain(std::iter::once(&name)).collect()
                };
                set(&pointer, json!(next));
            });
            html! {
                <label class={classes!("pick", (!options.contains(&option)).then_some("unknown"))}>
                    <input type="checkbox" checked={on} {onchange} />{ option }
                </label>
            }
        });
        html! {
            <fieldset class="editor-field wide pick-many">
                <legend>{ label.to_owned() }</legend>
                <div class="picks">{ for boxes }</div>
                { self.problem_at(pointer) }
            </fieldset>
        }
    }

    /// The problems found right at `pointer` (not inside it), shown by its control.
    fn problem_at(&self, pointer: &str) -> Html {
        let problems = self.problems(&problem_path(pointer));
        html! {
            { for problems.iter().filter(|(rest, _)| rest.is_empty() || rest.starts_with('[')).map(|(_, m)| html! {
                <span class="field-problem" role="alert">{ m.clone() }</span>
            }) }
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
                    value={self.draft.text(pointer)} markers={self.markers(&problem_path(pointer))} {oninput} />
            </section>
        }
    }

    pub(super) fn json(&self, label: &str, pointer: &str, rows: u32) -> Html {
        self.json_or(label, pointer, rows, Value::Null)
    }

    /// [`Context::json`] showing `missing` where the draft has nothing (an empty list the file
    /// leaves out).
    pub(super) fn json_or(&self, label: &str, pointer: &str, rows: u32, missing: Value) -> Html {
        let value = match self.draft.get(pointer) {
            Value::Null => missing,
            value => value,
        };
        html! {
            <label class="editor-field wide">
                <span>{ label.to_owned() }</span>
                <JsonField label={label.to_owned()} {value} {rows} onchange={self.on_value(pointer)} />
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

/// Where a JSON pointer into the draft points, as problems name it: `/versions/0/fields` is
/// `.versions[0].fields`.
pub(super) fn problem_path(pointer: &str) -> String {
    pointer
        .split('/')
        .filter(|part| !part.is_empty())
        .map(|part| match part.parse::<usize>() {
            Ok(index) => format!("[{index}]"),
            Err(_) => format!(".{part}"),
        })
        .collect()
}
