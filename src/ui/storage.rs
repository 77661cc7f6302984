//! Autosave in the browser's local storage: the workspace as one scenario document under
//! [`SAVE_KEY`]. A save that cannot be read back is moved to [`BACKUP_KEY`] before anything
//! overwrites it, so nothing the user made is lost.

use gloo::storage::{LocalStorage, Storage};

use crate::model::BUILT_IN;
use crate::session::Draft;
use crate::session::Workspace;

/// Where the workspace is saved.
pub const SAVE_KEY: &str = "eventarium.workspace";
/// Where a save that could not be read is kept.
pub const BACKUP_KEY: &str = "eventarium.workspace.backup";
/// Where the definition open in the editor is kept until it is saved or cancelled.
pub const DRAFT_KEY: &str = "eventarium.draft";
/// Where the load generator's definition is kept as the user edits it.
pub const GENERATOR_KEY: &str = "eventarium.generator";

/// The workspace to start with, a message for the user when the save could not be used, and
/// whether this is the first start (nothing was ever saved in this browser).
pub(crate) fn load() -> (Workspace, Option<String>, bool) {
    let (workspace, notice) = restore();
    let first = notice.is_none() && LocalStorage::raw().get_item(SAVE_KEY).ok().flatten().is_none();
    (workspace, notice, first)
}

fn restore() -> (Workspace, Option<String>) {
    let storage = LocalStorage::raw();
    let saved = storage.get_item(SAVE_KEY).ok().flatten();
    let Some(text) = saved else {
        return (built_in(0), None);
    };
    // A saved system's run log is replayed for at most this long; past it the notice says so.
    let deadline = js_sys::Date::now() + OPENING_REPLAY_MS;
    match Workspace::restore_within(&text, &mut || js_sys::Date::now() < deadline) {
        Ok(mut workspace) => {
            let notice = workspace.take_opening_notice();
            (workspace, notice)
        }
        Err(problems) => {
            let kept = storage.set_item(BACKUP_KEY, &text).is_ok();
            let first = problems.first().map(ToString::to_string).unwrap_or_default();
            let notice = format!(
                "Your saved work could not be read ({} problem{}, the first: {first}). {} The built-in scenario is open instead.",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                if kept {
                    format!("A copy is kept in this browser's storage under \"{BACKUP_KEY}\".")
                } else {
                    "It could not be copied aside: export your work before changing anything.".to_owned()
                }
            );
            (built_in(0), Some(notice))
        }
    }
}

/// How long opening the page may spend replaying a saved system's run log, in ms: a long run
/// takes about as long to replay as it took to run (see bench/README.md).
const OPENING_REPLAY_MS: f64 = 1_500.0;

/// The most events autosave keeps with the model. Browser storage holds a few MB, and writing a
/// store of a million events there would stall the page for seconds and then fail; past this the
/// model alone is saved and [`save`] says so.
pub const AUTOSAVE_EVENTS: u64 = 20_000;

/// Saves the workspace; the error says why the browser refused (a full quota, storage switched
/// off), or that the events were too many to keep and only the model was saved. When the read
/// models do not fit beside the events, the events are kept without them (a reload then
/// replays them).
pub(crate) fn save(workspace: &Workspace) -> Result<(), String> {
    let events = workspace.event_count();
    if events > AUTOSAVE_EVENTS {
        write(&workspace.save_model())?;
        return Err(format!(
            "The model is saved in this browser, but its {events} events are too many to keep there (at most {AUTOSAVE_EVENTS}): export the workspace to keep them."
        ));
    }
    write(&workspace.save()).or_else(|_| write(&workspace.save_events()))
}

fn write(text: &str) -> Result<(), String> {
    LocalStorage::raw()
        .set_item(SAVE_KEY, text)
        .map_err(|error| {
            let field = |key: &str| {
                js_sys::Reflect::get(&error, &key.into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default()
            };
            let name = field("name");
            let reason = if name.is_empty() {
                error.as_string().unwrap_or_else(|| "refused".to_owned())
            } else {
                format!("{name}: {}", field("message"))
            };
            format!(
                "Autosave failed ({reason}): the browser's storage may be full or switched off. Your work is still open here; export it to keep it."
            )
        })
}

/// Keeps the definition being edited (or forgets it, with `None`).
pub(crate) fn save_draft(draft: Option<&Draft>) {
    keep(DRAFT_KEY, draft);
}

/// The definition that was being edited when the page was left, if any.
pub(crate) fn load_draft() -> Option<Draft> {
    kept(DRAFT_KEY)
}

/// Keeps the load generator's definition as edited (or forgets it, with `None`).
pub(crate) fn save_generator(generator: Option<&serde_json::Value>) {
    keep(GENERATOR_KEY, generator);
}

/// The load generator's definition as it was left, if it was edited.
pub(crate) fn load_generator() -> Option<serde_json::Value> {
    kept(GENERATOR_KEY)
}

/// Keeps a copy of what is on screen under `key` (or forgets it, with `None`). A failure loses
/// only the copy, not what is on screen, so it is not reported.
fn keep<T: serde::Serialize>(key: &str, value: Option<&T>) {
    let storage = LocalStorage::raw();
    let _ = match value.and_then(|value| serde_json::to_string(value).ok()) {
        Some(text) => storage.set_item(key, &text),
        None => storage.remove_item(key),
    };
}

/// The copy kept under `key`, if there is one that reads back.
fn kept<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let text = LocalStorage::raw().get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// A built-in scenario, opened fresh (an empty workspace should one ever fail to open).
pub(crate) fn built_in(index: usize) -> Workspace {
    let text = BUILT_IN.get(index).or(BUILT_IN.first()).map_or("", |b| b.text);
    crate::session::import(text)
        .ok()
        .and_then(|scenario| Workspace::open(scenario).ok())
        .unwrap_or_else(Workspace::empty)
}
