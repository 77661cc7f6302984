//! The header: the brand, the page tabs, and the workspace's actions (open a built-in scenario,
//! import, export, reset, the palette, presenter mode, the shortcuts).

use web_sys::{HtmlAnchorElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::model::BUILT_IN;
use crate::session::{Action, Page};
use crate::ui::state::{use_app, Handle};

/// Properties of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The scenario's name, for the export's file name.
    pub name: AttrValue,
}

/// The header.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let (state, handle) = (&app.state, &app.handle);
    let tabs = Page::ALL.into_iter().map(|p| {
        let onclick = handle.callback(move |_: MouseEvent| Action::ShowPage(p));
        html! { <button type="button" aria-label={p.name()} aria-pressed={(state.page == p).to_string()} {onclick}>{ p.label() }</button> }
    });
    html! {
        <header class="app-header">
            <h1 class="brand">{ "Eventarium" }</h1>
            <p class="tagline">{ "Model, run and stress event-sourced systems in your browser" }</p>
            <nav class="pages" aria-label="Views">{ for tabs }</nav>
            <nav class="app-actions" aria-label="Workspace">
                <button type="button" title="The workspaces kept in this browser"
                    onclick={handle.callback(|_: MouseEvent| Action::ToggleWorkspaces)}>{ "Workspaces" }</button>
                <select aria-label="Open a built-in scenario" onchange={on_pick(handle)}>
                    <option value="" selected=true>{ "Open built-in…" }</option>
                    { for BUILT_IN.iter().enumerate().map(|(i, b)| html! { <option value={i.to_string()}>{ b.id }</option> }) }
                </select>
                <label class="button">
                    { "Import" }
                    <input type="file" accept=".json,application/json" aria-label="Import a scenario file" onchange={on_import(handle)} />
                </label>
                <ExportLink name={props.name.clone()}>{ "Export" }</ExportLink>
                <button type="button" title="A link that opens a copy of this workspace"
                    onclick={handle.callback(|_: MouseEvent| Action::ToggleShare)}>{ "Share" }</button>
                <button type="button" class="reset" onclick={on_reset(handle)}>{ "Reset" }</button>
                <button type="button" aria-label="Command palette" title="Command palette (Ctrl+K)"
                    onclick={handle.callback(|_: MouseEvent| Action::TogglePalette)}>{ "⌘K" }</button>
                <button type="button" aria-pressed={state.presenter.to_string()} title="Presenter mode (p)"
                    onclick={handle.callback(|_: MouseEvent| Action::TogglePresenter)}>{ "Presenter" }</button>
                <button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)"
                    onclick={handle.callback(|_: MouseEvent| Action::ToggleHelp)}>{ "?" }</button>
            </nav>
        </header>
    }
}

/// Properties of [`ExportLink`].
#[derive(Properties, PartialEq)]
pub struct ExportLinkProps {
    /// The scenario's name, for the file name.
    pub name: AttrValue,
    /// The link's text.
    pub children: Html,
}

/// A link that downloads the workspace as a scenario file.
#[component]
pub fn ExportLink(props: &ExportLinkProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let handle = app.handle.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        // The download starts after this handler, with the link as it is now.
        e.target_unchecked_into::<HtmlAnchorElement>()
            .set_href(&handle.export_href());
    });
    let file_name = format!("{}.eventarium.json", slug(&props.name));
    html! { <a class="button" href="#" download={file_name} {onclick}>{ props.children.clone() }</a> }
}

fn on_pick(handle: &Handle) -> Callback<Event> {
    let handle = handle.clone();
    Callback::from(move |e: Event| {
        let select = e.target_unchecked_into::<HtmlSelectElement>();
        let index: Option<usize> = select.value().parse().ok();
        select.set_value("");
        if let Some(index) = index {
            handle.open_built_in(index);
        }
    })
}

fn on_import(handle: &Handle) -> Callback<Event> {
    let handle = handle.clone();
    Callback::from(move |e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        handle.import(file);
    })
}

fn on_reset(handle: &Handle) -> Callback<MouseEvent> {
    let handle = handle.clone();
    Callback::from(move |_| handle.reset())
}

/// A file-name-safe version of a scenario's name.
fn slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "workspace".to_owned()
    } else {
        slug
    }
}
