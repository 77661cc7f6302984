//! The lifecycle page's "Copy-and-transform migration" section: copy a stream type's streams
//! into a new category at their current versions, compare them with the originals (dual reads),
//! switch, archive the old streams; and what that costs beside upcasting on read.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::lifecycle::{act, said_line, Said};
use crate::session::{bytes, counted, MigrationView, Workspace};
use crate::ui::state::{use_app, use_workspace_read, Handle};

/// A move of the migration, with what it says when done.
type Move = fn(&mut Workspace) -> Result<String, String>;

/// The section.
#[component]
pub fn Migrate() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let said: Said = use_state(|| None);
    let view = use_workspace_read(&app, (), |workspace, ()| {
        let types: Vec<(String, String)> = workspace
            .scenario()
            .model
            .stream_types
            .iter()
            .map(|t| (t.name.clone(), t.category().to_owned()))
            .collect();
        (workspace.migration(), types)
    });
    let (migration, types) = &*view;
    let picked = use_state(|| 0usize);
    let typed = use_state(|| None::<String>);
    let chosen = types.get(*picked).or(types.first()).cloned();
    let to = (*typed)
        .clone()
        .unwrap_or_else(|| chosen.as_ref().map(|(_, c)| format!("{c}_v2")).unwrap_or_default());
    let button = |label: &str, work: Move| {
        let (handle, said) = (app.handle.clone(), said.clone());
        html! { <button onclick={Callback::from(move |_: MouseEvent| act(&handle, &said, work))}>{ label.to_owned() }</button> }
    };
    let body = match migration {
        Some(m) => progress(m, &button),
        None => {
            let on_pick = {
                let (picked, typed) = (picked.clone(), typed.clone());
                Callback::from(move |e: Event| {
                    let index = e.target_unchecked_into::<HtmlSelectElement>().selected_index();
                    picked.set(usize::try_from(index).unwrap_or(0));
                    typed.set(None);
                })
            };
            let on_type = {
                let typed = typed.clone();
                Callback::from(move |e: InputEvent| {
                    typed.set(Some(e.target_unchecked_into::<HtmlInputElement>().value()))
                })
            };
            let on_start = start(&app.handle, &said, chosen.map(|(name, _)| name), to.clone());
            html! {
                <div class="lifecycle-form">
                    <label class="inline-field">{ "Stream type " }
                        <select aria-label="Stream type to migrate" onchange={on_pick}>
                            { for types.iter().map(|(name, category)| html! { <option>{ format!("{name} ({category}-…)") }</option> }) }
                        </select>
                    </label>
                    <label class="inline-field">{ "New category " }
                        <input aria-label="New category" size="12" value={to} oninput={on_type} />
                    </label>
                    <button class="primary" onclick={on_start} disabled={types.is_empty()}>{ "Start the copy" }</button>
                </div>
            }
        }
    };
    html! {
        <section class="lab-panel migrate" aria-label="Copy-and-transform migration">
            <h3>{ "Copy-and-transform migration" }</h3>
            <p class="muted">{ "Upcasting on read leaves history as it is and runs the upcasters on every read of an old \
                event. A copy-and-transform migration runs them once: each stream is copied into a new category with \
                its events at their current versions (projections and policies skip the copies), compared with the \
                original (dual reads), then commands switch to the new streams and the old ones are archived." }</p>
            { body }
            { said_line(&said) }
        </section>
    }
}

fn start(handle: &Handle, said: &Said, stream_type: Option<String>, to: String) -> Callback<MouseEvent> {
    let (handle, said) = (handle.clone(), said.clone());
    Callback::from(move |_: MouseEvent| {
        let (stream_type, to) = (stream_type.clone().unwrap_or_default(), to.trim().to_owned());
        act(&handle, &said, |workspace| {
            workspace
                .start_migration(&stream_type, &to)
                .map_err(|e| e.to_string())?;
            Ok(format!("Copying {stream_type} into {to}-… as the steps go"))
        });
    })
}

/// Where the copy is, what it cost, and the next moves.
fn progress(m: &MigrationView, button: &dyn Fn(&str, Move) -> Html) -> Html {
    let from = &m.migration.from;
    let to = &m.migration.to;
    let copied = m.migration.checkpoint.min(m.head);
    let stage = match (m.migration.switched_at, m.migration.archived) {
        (None, _) if copied < m.head => format!("Copying {from}-… into {to}-…: position {copied} of {}", m.head),
        (None, _) => format!("{to}-… has caught up with {from}-…: compare them, then switch"),
        (Some(at), 0) => format!("Switched at position {at}: commands to {from}-… ids go to {to}-…"),
        (Some(_), archived) => format!("Switched; {} of {from}-… archived", counted(archived, "old stream")),
    };
    let dual = m.migration.dual_read.as_ref().map(|d| {
        let words = if d.differing == 0 {
            format!("Dual read: {} folded the same old and new.", counted(d.streams, "stream"))
        } else {
            format!("Dual read: {} of {} fold differently ({}…): do not switch before you know why.",
                d.differing, counted(d.streams, "stream"), d.named.join(", "))
        };
        html! { <p class={classes!("crash-report", (d.differing > 0).then_some("harmful"))} role="status">{ words }</p> }
    });
    html! {
        <>
            <p><strong>{ stage }</strong></p>
            <progress max={m.head.max(1).to_string()} value={copied.to_string()} aria-label="Copy"></progress>
            <p class="muted">{ format!("{} read, {} written ({}). Upcasting on read runs {} on every full read of the old streams; \
                the copy ran them once. Until the old streams are archived the store holds both: {} in {} and {} in {}.",
                counted(m.migration.read, "event"), counted(m.migration.written, "event"), bytes(m.migration.bytes),
                counted(m.migration.upcast_steps, "upcaster step"), bytes(m.old_bytes), counted(m.old_streams, "old stream"),
                bytes(m.new_bytes), counted(m.new_streams, "new stream")) }</p>
            if let Some(error) = &m.migration.error {
                <p class="field-problem" role="alert">{ format!("The copy stopped {error}") }</p>
            }
            { for dual }
            <div class="lifecycle-form">
                if m.migration.switched_at.is_none() {
                    { button("Compare old and new", |w| w.dual_read().map(|d| format!("Compared {}", counted(d.streams, "stream"))).map_err(|e| e.to_string())) }
                    { button("Switch", |w| w.switch_migration().map(|at| format!("Switched at position {at}")).map_err(|e| e.to_string())) }
                    { button("Cancel the migration", |w| w.cancel_migration().map(|()| "Cancelled: the copies are deleted".to_owned()).map_err(|e| e.to_string())) }
                } else {
                    { button("Archive the old streams", |w| w.archive_migrated().map(|n| format!("Archived {}", counted(n, "old stream"))).map_err(|e| e.to_string())) }
                }
            </div>
        </>
    }
}
