//! A script editor: the source in a text area over its highlighted copy, with line numbers and a
//! marker at each line and column a problem was reported at.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::session::highlight::tokens;

/// One problem shown in the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// The line, from 1; `None` for a problem of the whole script.
    pub line: Option<u32>,
    /// The column, from 1.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
}

/// Properties of [`ScriptEditor`].
#[derive(Properties, PartialEq)]
pub struct ScriptEditorProps {
    /// What the script is, e.g. `Cart script`: the text area's accessible name.
    pub label: AttrValue,
    /// The source.
    pub value: AttrValue,
    /// The problems to mark.
    #[prop_or_default]
    pub markers: Vec<Marker>,
    /// Called with the new source on every keystroke.
    pub oninput: Callback<String>,
}

/// The editor.
#[component]
pub fn ScriptEditor(props: &ScriptEditorProps) -> Html {
    // Opened with a problem marked (a "Fix the handler"), the caret goes to its line.
    let area = use_node_ref();
    {
        let (area, first) = (area.clone(), props.markers.iter().find_map(|m| m.line));
        let source = props.value.to_string();
        use_effect_with((), move |()| {
            let textarea = area.cast::<HtmlTextAreaElement>();
            if let (Some(textarea), Some(line)) = (textarea, first) {
                let start: usize = source
                    .split('\n')
                    .take(line.saturating_sub(1) as usize)
                    .map(|l| l.chars().count() + 1)
                    .sum();
                let end = start
                    + source
                        .split('\n')
                        .nth(line.saturating_sub(1) as usize)
                        .map_or(0, |l| l.chars().count());
                let _ = textarea.focus();
                let (start, end) = (u32::try_from(start).unwrap_or(0), u32::try_from(end).unwrap_or(0));
                let _ = textarea.set_selection_range(start, end);
                let row = textarea
                    .parent_element()
                    .and_then(|code| code.query_selector(".line-marker").ok().flatten());
                if let Some(row) = row {
                    row.scroll_into_view_with_bool(false);
                }
            }
        });
    }
    let source = props.value.as_str();
    let lines = source.split('\n').count();
    let widest = source.split('\n').map(|l| l.chars().count()).max().unwrap_or(0);
    let marked = |line: usize| props.markers.iter().any(|m| m.line == u32::try_from(line).ok());
    let oninput = props
        .oninput
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let error_id = format!("script-problems-{}", props.label.replace(' ', "-"));
    let invalid = !props.markers.is_empty();
    // A trailing new line needs a character after it to take up a line in the <pre>.
    let tail = if source.ends_with('\n') || source.is_empty() {
        " "
    } else {
        ""
    };
    html! {
        <div class="script-editor-frame">
            <div class={classes!("script-editor", invalid.then_some("invalid"))} style={format!("--lines: {lines}; --cols: {}", widest + 2)}>
                <ol class="gutter" aria-hidden="true">
                    { for (1..=lines).map(|n| html! {
                        <li class={classes!(marked(n).then_some("marked"))}>{ n }</li>
                    }) }
                </ol>
                <div class="code">
                    <pre class="highlight" aria-hidden="true">
                        { for tokens(source).into_iter().map(|(token, text)| match token.class() {
                            Some(class) => html! { <span class={class}>{ text }</span> },
                            None => html! { { text } },
                        }) }
                        { tail }
                    </pre>
                    { for props.markers.iter().filter_map(|m| m.line.map(|line| (line, m))).map(|(line, m)| html! {
                        <div class="line-marker" title={m.message.clone()}
                            style={format!("--at-line: {}; --at-column: {}", line, m.column.unwrap_or(1))}></div>
                    }) }
                    <textarea ref={area} aria-label={props.label.clone()} spellcheck="false" wrap="off"
                        autocomplete="off" autocapitalize="off"
                        aria-invalid={invalid.to_string()} aria-describedby={error_id.clone()}
                        value={props.value.clone()} {oninput} />
                </div>
            </div>
            <ul class="script-problems" id={error_id} aria-live="polite">
                { for props.markers.iter().map(|m| {
                    let at = match (m.line, m.column) {
                        (Some(line), Some(column)) => format!("line {line}, column {column}: "),
                        (Some(line), None) => format!("line {line}: "),
                        _ => String::new(),
                    };
                    html! { <li class="script-problem">{ at }{ m.message.clone() }</li> }
                }) }
            </ul>
        </div>
    }
}
