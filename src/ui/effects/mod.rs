//! What the user's actions do to the workspace: each borrows it, calls it, and dispatches what
//! came of it, then says the workspace changed. Every call that changes the [`Workspace`] is
//! made from here (the reads that pages show are made by the pages).

mod editor;
mod labs;

pub(crate) use editor::draft_path;

use crate::model::{BuiltIn, BUILT_IN};
use crate::session::{Action, Submission, Workspace};
use crate::ui::hooks::save_now;
use crate::ui::state::Handle;
use crate::ui::storage::{self, Slot};

impl Handle {
    /// Sends a command from the console.
    pub fn send(&self, submission: Submission) {
        let outcome = self.workspace.borrow_mut().send(
            &submission.command,
            &submission.stream_id,
            submission.data,
            submission.expected,
        );
        self.dispatch(Action::Sent(outcome));
        self.changed();
    }

    /// Runs every spec, or the one named.
    pub fn run_specs(&self, only: Option<String>) {
        let reports = self.workspace.borrow().run_specs(only.as_deref());
        self.dispatch(Action::SpecsRan(only, reports));
    }

    /// The workspace as a `data:` address, for the export link.
    pub fn export_href(&self) -> String {
        let text = {
            let mut workspace = self.workspace.borrow_mut();
            workspace.finish_clock_move();
            workspace.export()
        };
        format!(
            "data:application/json;charset=utf-8,{}",
            js_sys::encode_uri_component(&text)
        )
    }

    /// Replaces what this workspace holds (after the caller asked), and forgets what was
    /// selected.
    pub fn replace(&self, next: Workspace) {
        let generator = next.default_generator();
        *self.workspace.borrow_mut() = next;
        storage::save_draft(None);
        storage::save_generator(None);
        self.dispatch(Action::Replaced);
        // The generator the new model suggests, not the one written for the model replaced.
        self.dispatch(Action::SetGenerator(generator));
        self.changed();
    }

    /// Opens `next` as a new workspace named after its scenario; this one is saved first and
    /// stays in the list.
    pub fn open_new(&self, next: Workspace) {
        save_now(self);
        let slot = Slot::new(&next.scenario().name);
        storage::remember_current(&slot.entry.id);
        *self.slot.borrow_mut() = slot;
        self.replace(next);
        save_now(self);
    }

    /// Opens a kept workspace in place of this one (saved first).
    pub fn switch_to(&self, id: String) {
        if self.slot.borrow().entry.id == id {
            return;
        }
        save_now(self);
        let handle = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match storage::open_kept(&id).await {
                Ok((workspace, slot, notice)) => {
                    storage::remember_current(&slot.entry.id);
                    let name = slot.entry.name.clone();
                    *handle.slot.borrow_mut() = slot;
                    handle.replace(workspace);
                    handle.dispatch(Action::Status(format!("Opened the workspace \"{name}\".")));
                    if let Some(notice) = notice {
                        handle.dispatch(Action::Notice(notice));
                    }
                }
                Err(why) => handle.dispatch(Action::Notice(why)),
            }
        });
    }

    /// Opens a built-in scenario fresh, in a new workspace.
    pub fn open_built_in(&self, index: usize) {
        self.open_new(storage::built_in(index));
    }

    /// Asks, then opens fresh the built-in scenario this workspace was opened from (the first
    /// built-in when it was not opened from one).
    pub fn reset(&self) {
        let current = self.workspace.borrow().scenario().name.clone();
        let (index, name) = match BuiltIn::named(&current) {
            Some((index, built_in)) => (index, built_in.name()),
            None => (0, BUILT_IN.first().map(BuiltIn::name).unwrap_or_default()),
        };
        let sure = gloo::dialogs::confirm(&format!(
            "Reset to the built-in {name}? Everything in this workspace is replaced (export it first to keep it)."
        ));
        if sure {
            self.replace(storage::built_in(index));
        }
    }

    /// Answers the first-start picker: a built-in scenario, or an empty workspace.
    pub fn pick_first(&self, index: Option<usize>) {
        let next = index.map_or_else(Workspace::empty, storage::built_in);
        self.slot.borrow_mut().entry.name.clone_from(&next.scenario().name);
        self.replace(next);
        self.dispatch(Action::ClosePicker);
    }

    /// Reads a scenario file: with problems, lists them and keeps the work; else opens it as a
    /// new workspace.
    pub fn import(&self, file: web_sys::File) {
        let name = file.name();
        let (handle, blob) = (self.clone(), gloo::file::Blob::from(file));
        let reader = gloo::file::callbacks::read_as_text(&blob, move |text| {
            handle.reading.borrow_mut().take();
            let restored = text
                .map_err(|error| vec![format!("the file could not be read: {error}")])
                .and_then(|text| {
                    Workspace::restore(&text).map_err(|problems| problems.iter().map(ToString::to_string).collect())
                });
            match restored {
                Ok(next) => {
                    handle.open_new(next);
                    handle.dispatch(Action::Status(format!(
                        "Imported {name} as a new workspace; the one open before is in the workspace list."
                    )));
                }
                Err(problems) => handle.dispatch(Action::ImportFailed(name, problems)),
            }
        });
        *self.reading.borrow_mut() = Some(reader);
    }
}
