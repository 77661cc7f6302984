//! Autosave in the browser's IndexedDB (`idb.js`): every workspace in parts (the scenario, the
//! store's head and its events in chunks, see [`crate::session::Saver`]), so a save writes what
//! changed and a million events are kept. Several named workspaces; the one open last is opened
//! again. A workspace that cannot be read is kept aside, marked, and said why, never dropped; the
//! save of earlier builds in local storage ([`SAVE_KEY`]) moves to IndexedDB once.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::model::BUILT_IN;
use crate::session::Draft;
use crate::session::{Saver, Workspace};

#[wasm_bindgen(module = "/src/ui/idb.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = list)]
    async fn idb_list() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = load)]
    async fn idb_load(id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = save)]
    async fn idb_save(
        entry: String,
        scenario: String,
        store: String,
        chunks: js_sys::Array,
        chunk_count: f64,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = keepAside)]
    async fn idb_keep_aside(entry: String, raw: Option<String>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = update)]
    async fn idb_update(entry: String) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = duplicate)]
    async fn idb_duplicate(from: &str, entry: String) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = remove)]
    async fn idb_remove(id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = rawText)]
    async fn idb_raw_text(id: &str) -> Result<JsValue, JsValue>;
}

/// Where earlier builds saved the workspace (moved to IndexedDB on the first start).
pub const SAVE_KEY: &str = "eventarium.workspace";
/// Where earlier builds kept a save that could not be read (moved too).
pub const BACKUP_KEY: &str = "eventarium.workspace.backup";
/// Which workspace was open last.
pub const CURRENT_KEY: &str = "eventarium.current";
/// Where the definition open in the editor is kept until it is saved or cancelled.
pub const DRAFT_KEY: &str = "eventarium.draft";
/// Where the load generator's definition is kept as the user edits it.
pub const GENERATOR_KEY: &str = "eventarium.generator";

/// A workspace as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub name: String,
    /// The events stored when it was last saved.
    #[serde(default)]
    pub events: u64,
    /// The bytes of text it takes.
    #[serde(default)]
    pub bytes: u64,
    /// When it was last saved, in ms since the epoch.
    #[serde(default)]
    pub saved_ms: f64,
    /// Why it could not be read, when it could not: it is kept aside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damaged: Option<String>,
}

impl Entry {
    fn new(name: &str) -> Entry {
        Entry {
            id: new_id(),
            name: name.to_owned(),
            events: 0,
            bytes: 0,
            saved_ms: js_sys::Date::now(),
            damaged: None,
        }
    }

    fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A fresh workspace id: the time and a random part, so that two tabs never pick the same.
fn new_id() -> String {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "ms since 1970 and a random 32-bit part"
    )]
    let (time, random) = (
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 4_294_967_296.0) as u64,
    );
    format!("ws-{time:x}-{random:08x}")
}

/// The workspace open: its list entry, what of it was written, and the size of each chunk kept.
#[derive(Debug, Clone)]
pub struct Slot {
    pub entry: Entry,
    saver: Saver,
    chunk_bytes: Vec<usize>,
}

impl Slot {
    /// A new, unsaved workspace named `name`.
    pub fn new(name: &str) -> Slot {
        Slot {
            entry: Entry::new(name),
            saver: Saver::default(),
            chunk_bytes: Vec::new(),
        }
    }
}

/// What the page opens with.
pub(crate) struct Opened {
    pub workspace: Workspace,
    pub slot: Slot,
    pub notice: Option<String>,
    /// Nothing was ever saved in this browser.
    pub first: bool,
}

/// What the browser said when it refused, in a few words.
fn reason(error: &JsValue) -> String {
    let field = |key: &str| {
        js_sys::Reflect::get(error, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let name = field("name");
    let message = field("message");
    match (name.is_empty(), message.is_empty()) {
        (false, false) => format!("{name}: {message}"),
        (false, true) => name,
        (true, false) => message,
        (true, true) => error.as_string().unwrap_or_else(|| "refused".to_owned()),
    }
}

fn is_quota(error: &JsValue) -> bool {
    js_sys::Reflect::get(error, &"name".into())
        .ok()
        .and_then(|v| v.as_string())
        .is_some_and(|name| name == "QuotaExceededError")
}

/// The workspaces kept, most recently saved first.
pub(crate) async fn list() -> Result<Vec<Entry>, String> {
    let text = idb_list().await.map_err(|e| reason(&e))?;
    let mut entries: Vec<Entry> = serde_json::from_str(&text.as_string().unwrap_or_default()).unwrap_or_default();
    entries.sort_by(|a, b| b.saved_ms.total_cmp(&a.saved_ms));
    Ok(entries)
}

/// Opens the workspace open last (after moving an earlier build's save here), or the first
/// built-in scenario in a new one.
pub(crate) async fn open() -> Opened {
    let moved = move_local_save().await;
    let entries = match list().await {
        Ok(entries) => entries,
        Err(why) => {
            return Opened {
                workspace: built_in(0),
                slot: Slot::new(BUILT_IN.first().map_or("Workspace", |b| b.id)),
                notice: Some(format!(
                "This browser does not let the page keep your work ({why}): it is open here, but export it to keep it."
            )),
                first: false,
            }
        }
    };
    let current = LocalStorage::raw().get_item(CURRENT_KEY).ok().flatten();
    let chosen = current
        .and_then(|id| entries.iter().find(|e| e.id == id && e.damaged.is_none()))
        .or_else(|| entries.iter().find(|e| e.damaged.is_none()));
    let mut notice = moved;
    if let Some(entry) = chosen {
        match open_kept(&entry.id).await {
            Ok((workspace, slot, opening)) => {
                remember_current(&slot.entry.id);
                return Opened {
                    workspace,
                    slot,
                    notice: notice.or(opening),
                    first: false,
                };
            }
            Err(why) => notice = Some(why),
        }
    }
    let first = entries.is_empty() && notice.is_none();
    let slot = Slot::new(BUILT_IN.first().map_or("Workspace", |b| b.id));
    remember_current(&slot.entry.id);
    Opened {
        workspace: built_in(0),
        slot,
        notice: notice.map(|n| format!("{n} The built-in scenario is open in a new workspace.")),
        first,
    }
}

/// Opens a kept workspace; when it cannot be read it is marked damaged (kept) and the error
/// says why.
pub(crate) async fn open_kept(id: &str) -> Result<(Workspace, Slot, Option<String>), String> {
    let kept = idb_load(id)
        .await
        .map_err(|e| format!("Your workspaces could not be read ({}).", reason(&e)))?;
    let field = |value: &JsValue, key: &str| js_sys::Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED);
    let mut entry: Entry = serde_json::from_str(&field(&kept, "entry").as_string().unwrap_or_default())
        .map_err(|_| "That workspace is no longer kept in this browser.".to_owned())?;
    let head = field(&kept, "head");
    let scenario = field(&head, "scenario").as_string();
    let store = field(&head, "store").as_string();
    let chunks = js_sys::Array::from(&field(&kept, "chunks"));
    let mut chunk_bytes = Vec::new();
    let pairs = chunks.iter().map(|pair| {
        let pair = js_sys::Array::from(&pair);
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "chunk indices are small integers"
        )]
        let index = pair.get(0).as_f64().unwrap_or(-1.0) as u64;
        let text = pair.get(1).as_string().unwrap_or_default();
        chunk_bytes.push(text.len());
        (index, text)
    });
    // A saved system's run log is replayed for at most this long; past it the notice says so.
    let deadline = js_sys::Date::now() + OPENING_REPLAY_MS;
    let restored = match (scenario, store) {
        (Some(scenario), Some(store)) => {
            Workspace::restore_parts(&scenario, &store, pairs, &mut || js_sys::Date::now() < deadline)
                .map_err(|problems| describe(&problems))
        }
        _ => Err(entry
            .damaged
            .clone()
            .unwrap_or_else(|| "nothing of it is kept".to_owned())),
    };
    match restored {
        Ok(mut workspace) => {
            let notice = workspace.take_opening_notice();
            let slot = Slot {
                saver: Saver::restored(&workspace),
                chunk_bytes,
                entry,
            };
            Ok((workspace, slot, notice))
        }
        Err(why) => {
            entry.damaged = Some(why.clone());
            let kept = idb_update(entry.json()).await.is_ok();
            Err(format!(
                "Your workspace \"{}\" could not be read ({why}). {}",
                entry.name,
                if kept {
                    "It is kept aside in the workspace list, where you can export what is left of it."
                } else {
                    "It could not even be marked: export your work before changing anything."
                }
            ))
        }
    }
}

fn describe(problems: &[crate::model::Problem]) -> String {
    let first = problems.first().map(ToString::to_string).unwrap_or_default();
    format!(
        "{} problem{}, the first: {first}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )
}

/// Moves the save of earlier builds from local storage into a workspace of its own, once: a
/// save that reads opens as the current workspace, one that does not is kept aside as damaged.
/// Answers what the user should be told.
async fn move_local_save() -> Option<String> {
    let storage = LocalStorage::raw();
    let mut told = None;
    for key in [SAVE_KEY, BACKUP_KEY] {
        let Some(text) = storage.get_item(key).ok().flatten() else {
            continue;
        };
        let deadline = js_sys::Date::now() + OPENING_REPLAY_MS;
        let moved = match Workspace::restore_within(&text, &mut || js_sys::Date::now() < deadline) {
            Ok(workspace) if key == SAVE_KEY => {
                let mut slot = Slot::new(&workspace.scenario().name);
                let saved = write(&workspace, &mut slot).await;
                if saved.is_ok() {
                    remember_current(&slot.entry.id);
                }
                saved
            }
            restored => {
                let why = match restored {
                    Ok(_) => "kept aside by an earlier version".to_owned(),
                    Err(problems) => describe(&problems),
                };
                let mut entry = Entry::new(DAMAGED_NAME);
                entry.bytes = text.len() as u64;
                entry.damaged = Some(why.clone());
                told = Some(format!(
                    "Your saved work could not be read ({why}). It is kept aside in the workspace list as \"{DAMAGED_NAME}\", where you can export it."
                ));
                idb_keep_aside(entry.json(), Some(text))
                    .await
                    .map(drop)
                    .map_err(|e| reason(&e))
            }
        };
        match moved {
            Ok(()) => {
                let _ = storage.remove_item(key);
            }
            Err(why) => {
                return Some(format!(
                    "Your saved work could not be moved to this browser's database ({why}); it stays where it was."
                ))
            }
        }
    }
    told
}

/// The name a save that could not be read is kept under.
const DAMAGED_NAME: &str = "Saved work that could not be read";

/// Remembers which workspace is open, to open it again next time.
pub(crate) fn remember_current(id: &str) {
    let _ = LocalStorage::raw().set_item(CURRENT_KEY, id);
}

/// How long opening the page may spend replaying a saved system's run log, in ms: a long run
/// takes about as long to replay as it took to run (see bench/README.md).
const OPENING_REPLAY_MS: f64 = 1_500.0;

/// Saves the workspace open in `slot`: what changed since the last save, in one transaction. A
/// refusal (a full quota, storage switched off) is said with the workspace's name; nothing is
/// marked written then, so the next save writes it again.
pub(crate) fn save(workspace: &Workspace, slot: &Rc<RefCell<Slot>>) -> impl Future<Output = Result<(), String>> {
    let (parts, entry, sizes) = {
        let slot = slot.borrow();
        (
            slot.saver.parts(workspace, true),
            slot.entry.clone(),
            slot.chunk_bytes.clone(),
        )
    };
    let slot = slot.clone();
    async move {
        let id = entry.id.clone();
        let written = write_parts(&parts, entry, &sizes).await;
        let mut slot = slot.borrow_mut();
        match written {
            // Another workspace was opened meanwhile: this one's bookkeeping went with it.
            Ok(_) if slot.entry.id != id => Ok(()),
            Ok((entry, chunk_bytes)) => {
                slot.entry = entry;
                slot.chunk_bytes = chunk_bytes;
                slot.saver.written(parts.mark);
                Ok(())
            }
            Err(error) => {
                let why = if is_quota(&error) {
                    "the browser's storage is full".to_owned()
                } else {
                    reason(&error)
                };
                Err(format!(
                    "Workspace \"{}\" could not be saved ({why}). Your work is still open here; export it to keep it.",
                    slot.entry.name
                ))
            }
        }
    }
}

/// Saves a workspace just made in `slot`, all of it.
async fn write(workspace: &Workspace, slot: &mut Slot) -> Result<(), String> {
    let parts = slot.saver.parts(workspace, true);
    let (entry, chunk_bytes) = write_parts(&parts, slot.entry.clone(), &slot.chunk_bytes)
        .await
        .map_err(|e| reason(&e))?;
    slot.entry = entry;
    slot.chunk_bytes = chunk_bytes;
    slot.saver.written(parts.mark);
    Ok(())
}

async fn write_parts(
    parts: &crate::session::SaveParts,
    mut entry: Entry,
    chunk_bytes: &[usize],
) -> Result<(Entry, Vec<usize>), JsValue> {
    let mut sizes = chunk_bytes.to_vec();
    #[allow(clippy::cast_possible_truncation, reason = "a thousand chunks a million events")]
    sizes.resize(parts.chunk_count as usize, 0);
    let chunks = js_sys::Array::new();
    for (index, text) in &parts.chunks {
        #[allow(clippy::cast_possible_truncation, reason = "as above")]
        if let Some(size) = sizes.get_mut(*index as usize) {
            *size = text.len();
        }
        #[allow(clippy::cast_precision_loss, reason = "chunk indices are small")]
        let pair = js_sys::Array::of2(&JsValue::from_f64(*index as f64), &JsValue::from_str(text));
        chunks.push(&pair);
    }
    entry.events = parts.events;
    entry.bytes = (parts.scenario.len() + parts.store.len() + sizes.iter().sum::<usize>()) as u64;
    entry.saved_ms = js_sys::Date::now();
    entry.damaged = None;
    #[allow(clippy::cast_precision_loss, reason = "chunk counts are small")]
    let count = parts.chunk_count as f64;
    idb_save(entry.json(), parts.scenario.clone(), parts.store.clone(), chunks, count).await?;
    Ok((entry, sizes))
}

/// Renames a kept workspace.
pub(crate) async fn rename(entry: &Entry, name: &str) -> Result<(), String> {
    let renamed = Entry {
        name: name.to_owned(),
        ..entry.clone()
    };
    idb_update(renamed.json()).await.map(drop).map_err(|e| reason(&e))
}

/// Copies a kept workspace under a new name; answers the copy's entry.
pub(crate) async fn duplicate(entry: &Entry) -> Result<Entry, String> {
    let copy = Entry {
        id: new_id(),
        name: format!("{} (copy)", entry.name),
        saved_ms: js_sys::Date::now(),
        ..entry.clone()
    };
    idb_duplicate(&entry.id, copy.json()).await.map_err(|e| reason(&e))?;
    Ok(copy)
}

/// Deletes a kept workspace.
pub(crate) async fn delete(id: &str) -> Result<(), String> {
    idb_remove(id).await.map(drop).map_err(|e| reason(&e))
}

/// The text kept of a workspace, as a scenario document (or the raw text kept aside).
pub(crate) async fn raw_text(id: &str) -> Result<String, String> {
    let text = idb_raw_text(id).await.map_err(|e| reason(&e))?;
    Ok(text.as_string().unwrap_or_default())
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
