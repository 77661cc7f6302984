//! The workspaces kept in this browser: each with its size, opened, renamed, duplicated or
//! deleted (after asking); one that could not be read says why and can still be exported.

use std::rc::Rc;

use web_sys::HtmlAnchorElement;
use yew::prelude::*;

use super::dialog::Dialog;
use crate::session::{bytes, counted, Action, Workspace};
use crate::ui::hooks::save_now;
use crate::ui::state::{use_app, Handle};
use crate::ui::storage::{self, Entry};

/// The list, as a dialog.
#[component]
pub fn WorkspacesDialog() -> Html {
    let entries = use_state(|| None::<Result<Rc<Vec<Entry>>, String>>);
    // Moved by every change made here, to read the list again.
    let generation = use_state(|| 0_u32);
    let app = use_app();
    {
        let (entries, handle) = (entries.clone(), app.as_ref().map(|app| app.handle.clone()));
        use_effect_with(*generation, move |_| {
            // What is open now is written first, so the list shows it as it is.
            if let Some(handle) = handle {
                save_now(&handle);
            }
            wasm_bindgen_futures::spawn_local(async move {
                entries.set(Some(storage::list().await.map(Rc::new)));
            });
        });
    }
    let Some(app) = app else { return Html::default() };
    let handle = app.handle.clone();
    let refresh = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(*generation + 1))
    };
    let current = handle.slot.borrow().entry.id.clone();
    let body = match &*entries {
        None => html! { <p role="status">{ "Reading the list…" }</p> },
        Some(Err(why)) => {
            html! { <p class="problem" role="alert">{ format!("The list could not be read: {why}") }</p> }
        }
        Some(Ok(list)) if list.is_empty() => {
            html! { <p>{ "Nothing is kept yet: this workspace is saved as you work." }</p> }
        }
        Some(Ok(list)) => html! {
            <table class="workspaces">
                <thead><tr><th scope="col">{ "Workspace" }</th><th scope="col">{ "Events" }</th>
                    <th scope="col">{ "Size" }</th><th scope="col">{ "Saved" }</th><th scope="col">{ "Actions" }</th></tr></thead>
                <tbody>
                    { for list.iter().map(|entry| row(entry, entry.id == current, &handle, &refresh)) }
                </tbody>
            </table>
        },
    };
    let onnew = {
        let (handle, refresh) = (handle.clone(), refresh.clone());
        Callback::from(move |_: MouseEvent| {
            handle.open_new(Workspace::empty());
            refresh.emit(());
        })
    };
    html! {
        <Dialog title="Workspaces in this browser" class="workspaces-dialog" onclose={handle.callback(|()| Action::CloseOverlays)}>
            <p class="hint">{ "Everything you make is saved here as you work, each workspace apart. Export one to keep it elsewhere or share it." }</p>
            { body }
            <p><button type="button" onclick={onnew}>{ "New empty workspace" }</button></p>
        </Dialog>
    }
}

fn row(entry: &Entry, current: bool, handle: &Handle, refresh: &Callback<()>) -> Html {
    let name = entry.name.clone();
    let actions = if let Some(why) = &entry.damaged {
        html! {
            <>
                <span class="problem">{ format!("Could not be read: {why}") }</span>
                { export_kept(entry) }
                { delete_button(entry, current, refresh) }
            </>
        }
    } else {
        let open = {
            let (handle, id) = (handle.clone(), entry.id.clone());
            Callback::from(move |_: MouseEvent| handle.switch_to(id.clone()))
        };
        html! {
            <>
                if current {
                    <span class="current">{ "open now" }</span>
                } else {
                    <button type="button" aria-label={format!("Open {name}")} onclick={open}>{ "Open" }</button>
                }
                { rename_button(entry, current, handle, refresh) }
                { duplicate_button(entry, current, handle, refresh) }
                { delete_button(entry, current, refresh) }
            </>
        }
    };
    html! {
        <tr key={entry.id.clone()} class={classes!(current.then_some("current"), entry.damaged.is_some().then_some("damaged"))}>
            <th scope="row">{ name.clone() }</th>
            <td>{ entry.events }</td>
            <td>{ bytes(entry.bytes) }</td>
            <td>{ saved(entry.saved_ms) }</td>
            <td class="actions">{ actions }</td>
        </tr>
    }
}

fn rename_button(entry: &Entry, current: bool, handle: &Handle, refresh: &Callback<()>) -> Html {
    let (entry, handle, refresh) = (entry.clone(), handle.clone(), refresh.clone());
    let label = format!("Rename {}", entry.name);
    let onclick = Callback::from(move |_: MouseEvent| {
        let Some(name) = gloo::dialogs::prompt("A new name for this workspace:", Some(&entry.name)) else {
            return;
        };
        let name = name.trim().to_owned();
        if name.is_empty() || name == entry.name {
            return;
        }
        if current {
            handle.slot.borrow_mut().entry.name.clone_from(&name);
        }
        let (entry, handle, refresh) = (entry.clone(), handle.clone(), refresh.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(why) = storage::rename(&entry, &name).await {
                handle.dispatch(Action::Notice(format!("The workspace could not be renamed: {why}")));
            }
            refresh.emit(());
        });
    });
    html! { <button type="button" aria-label={label} {onclick}>{ "Rename" }</button> }
}

fn duplicate_button(entry: &Entry, current: bool, handle: &Handle, refresh: &Callback<()>) -> Html {
    let (entry, handle, refresh) = (entry.clone(), handle.clone(), refresh.clone());
    let label = format!("Duplicate {}", entry.name);
    let onclick = Callback::from(move |_: MouseEvent| {
        let (entry, handle, refresh) = (entry.clone(), handle.clone(), refresh.clone());
        if current {
            save_now(&handle);
        }
        wasm_bindgen_futures::spawn_local(async move {
            match storage::duplicate(&entry).await {
                Ok(copy) => handle.dispatch(Action::Status(format!(
                    "\"{}\" is a copy of \"{}\".",
                    copy.name, entry.name
                ))),
                Err(why) => handle.dispatch(Action::Notice(format!("The workspace could not be copied: {why}"))),
            }
            refresh.emit(());
        });
    });
    html! { <button type="button" aria-label={label} {onclick}>{ "Duplicate" }</button> }
}

fn delete_button(entry: &Entry, current: bool, refresh: &Callback<()>) -> Html {
    let label = format!("Delete {}", entry.name);
    if current {
        return html! {
            <button type="button" aria-label={label} disabled=true title="This workspace is open: open another one to delete it">{ "Delete" }</button>
        };
    }
    let (entry, refresh) = (entry.clone(), refresh.clone());
    let onclick = Callback::from(move |_: MouseEvent| {
        let sure = gloo::dialogs::confirm(&format!(
            "Delete the workspace \"{}\" ({}, {})? This cannot be undone: export it first to keep it.",
            entry.name,
            counted(entry.events, "event"),
            bytes(entry.bytes)
        ));
        if !sure {
            return;
        }
        let (id, refresh) = (entry.id.clone(), refresh.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let _ = storage::delete(&id).await;
            refresh.emit(());
        });
    });
    html! { <button type="button" class="danger" aria-label={label} {onclick}>{ "Delete" }</button> }
}

/// A link that downloads what is kept of a workspace that could not be read.
fn export_kept(entry: &Entry) -> Html {
    let id = entry.id.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        let link: HtmlAnchorElement = e.target_unchecked_into();
        if !link.href().starts_with("data:") {
            e.prevent_default();
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = storage::raw_text(&id).await.unwrap_or_default();
                link.set_href(&format!(
                    "data:application/json;charset=utf-8,{}",
                    js_sys::encode_uri_component(&text)
                ));
                link.click();
            });
        }
    });
    html! {
        <a class="button" href="#" download="damaged-workspace.json" aria-label={format!("Export what is kept of {}", entry.name)} {onclick}>
            { "Export" }
        </a>
    }
}

/// When, as a local date and time.
fn saved(ms: f64) -> String {
    let date = js_sys::Date::new(&ms.into());
    let text: String = date.to_locale_string("default", &js_sys::Object::new()).into();
    text
}
