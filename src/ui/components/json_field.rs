//! A JSON value typed as text: the text is kept as typed, and only a value that parses is passed
//! on; while it does not parse, the parse error is shown under it.

use serde_json::Value;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Properties of [`JsonField`].
#[derive(Properties, PartialEq)]
pub struct JsonFieldProps {
    /// The control's accessible name.
    pub label: AttrValue,
    /// The value.
    pub value: Value,
    /// How many lines the text area shows.
    #[prop_or(4)]
    pub rows: u32,
    /// Called with each edit that parses.
    pub onchange: Callback<Value>,
}

/// The field.
#[component]
pub fn JsonField(props: &JsonFieldProps) -> Html {
    let pretty = |value: &Value| serde_json::to_string_pretty(value).unwrap_or_default();
    let text = use_state(|| pretty(&props.value));
    let error = use_state(|| None::<String>);
    {
        // A new value from outside (not the one this text parses to) replaces the text.
        let (text, error) = (text.clone(), error.clone());
        use_effect_with(props.value.clone(), move |value| {
            if serde_json::from_str::<Value>(&text).ok().as_ref() != Some(value) {
                text.set(pretty(value));
                error.set(None);
            }
        });
    }
    let oninput = {
        let (text, error, onchange) = (text.clone(), error.clone(), props.onchange.clone());
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            match serde_json::from_str::<Value>(&typed) {
                Ok(value) => {
                    error.set(None);
                    onchange.emit(value);
                }
                Err(e) => error.set(Some(format!("not JSON yet: {e}"))),
            }
            text.set(typed);
        })
    };
    html! {
        <div class="json-field">
            <textarea class="code-text" aria-label={props.label.clone()} spellcheck="false" rows={props.rows.to_string()}
                aria-invalid={error.is_some().to_string()} value={(*text).clone()} {oninput} />
            if let Some(message) = (*error).clone() {
                <p class="field-problem" role="alert">{ message }</p>
            }
        </div>
    }
}
