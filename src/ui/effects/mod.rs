//! What the user's actions do to the workspace: each borrows it, calls it, and dispatches what
//! came of it, then says the workspace changed. Every call that changes the [`Workspace`] is
//! made from here (the reads that pages show are made by the pages).

mod editor;
mod labs;

pub(crate) use editor::draft_path;

use crate::model::{BuiltIn, BUILT_IN};
use crate::session::{Action, Submission, Workspace};
use crate::ui::state::Handle;
use crate::ui::storage;

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

    /// Replaces the workspace (after the caller asked), and forgets what was selected.
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

    /// Asks, then opens a built-in scenario fresh.
    pub fn open_built_in(&self, index: usize) {
        let name = BUILT_IN.get(index).map_or("", |b| b.id);
        if gloo::dialogs::confirm(&format!(
            "Open the built-in scenario {name}? Everything in this workspace is replaced (export it first to keep it)."
        )) {
            self.replace(storage::built_in(index));
        }
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
        self.replace(index.map_or_else(Workspace::empty, storage::built_in));
        self.dispatch(Action::ClosePicker);
    }

    /// Reads a scenario file: with problems, lists them and keeps the work; else replaces the
    /// workspace after asking.
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
                    let sure = gloo::dialogs::confirm(&format!(
                        "Replace this workspace with {name} ({})? Export it first to keep it.",
                        next.scenario().name
                    ));
                    if sure {
                        handle.replace(next);
                    }
                }
                Err(problems) => handle.dispatch(Action::ImportFailed(name, problems)),
            }
        });
        *self.reading.borrow_mut() = Some(reader);
    }
}
