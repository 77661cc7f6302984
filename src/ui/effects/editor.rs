//! The definition editor's effects: opening a draft (checked at once), checking it as the user
//! types, saving it, and deleting a definition after the user confirmed.

use std::rc::Rc;

use gloo::timers::callback::Timeout;

use crate::model::edit::{self, Dependent, Kind};
use crate::model::Problem;
use crate::session::{Action, Draft, PendingDelete};
use crate::ui::state::Handle;
use crate::ui::storage;

/// How long after the last keystroke a draft is checked, in ms.
const CHECK_DELAY_MS: u32 = 300;

impl Handle {
    /// Opens the editor on a draft, checked at once.
    pub fn open_draft(&self, draft: Draft) {
        self.open_draft_marked(draft, Vec::new());
    }

    /// Opens the editor on a draft, checked at once, with `marked` beside what the check found
    /// (a runtime error at its script line, say).
    pub fn open_draft_marked(&self, draft: Draft, marked: Vec<Problem>) {
        storage::save_draft(Some(&draft));
        let mut problems = self.workspace.borrow().check(draft.kind, draft.index, &draft.item);
        problems.extend(marked);
        self.dispatch(Action::OpenDraft(draft, problems));
    }

    /// Opens the editor on a definition of the scenario.
    pub fn edit(&self, kind: Kind, index: usize) {
        let item = edit::get(self.workspace.borrow().scenario(), kind, index);
        if let Some(item) = item {
            self.open_draft(Draft {
                kind,
                index: Some(index),
                item,
                blue_green: false,
            });
        }
    }

    /// Opens the editor on the definition of a kind named so, if there is one.
    pub fn edit_named(&self, kind: Kind, name: &str) {
        let index = edit::names(self.workspace.borrow().scenario(), kind)
            .iter()
            .position(|n| n == name);
        if let Some(index) = index {
            self.edit(kind, index);
        }
    }

    /// Opens the editor on a new definition of a kind: a valid skeleton with a fresh name.
    pub fn new_draft(&self, kind: Kind) {
        let item = edit::template(self.workspace.borrow().scenario(), kind);
        self.open_draft(Draft {
            kind,
            index: None,
            item,
            blue_green: false,
        });
    }

    /// Keeps the draft as the user changed it; it is checked once the typing pauses (a newer
    /// keystroke cancels the pending check).
    pub fn edit_draft(&self, draft: Draft) {
        storage::save_draft(Some(&draft));
        let (handle, checked) = (self.clone(), draft.clone());
        let check = Timeout::new(CHECK_DELAY_MS, move || {
            let problems = handle
                .workspace
                .borrow()
                .check(checked.kind, checked.index, &checked.item);
            handle.dispatch(Action::DraftProblems(problems));
        });
        *self.checking.borrow_mut() = Some(check);
        self.dispatch(Action::EditDraft(draft));
    }

    /// Closes the editor as Esc does: a draft with changes is dropped only when the user says so.
    pub fn dismiss_editor(&self, draft: &Draft) {
        let changed = self.workspace.borrow().draft_is_changed(draft);
        let name = [draft.text("/name"), draft.text("/eventType")].concat();
        if !changed || gloo::dialogs::confirm(&format!("Drop your changes to {} {name}?", draft.kind)) {
            self.close_editor();
        }
    }

    /// Closes the editor, forgetting the draft.
    pub fn close_editor(&self) {
        self.checking.borrow_mut().take();
        storage::save_draft(None);
        self.dispatch(Action::CloseEditor);
    }

    /// Saves the draft into the scenario (or starts its blue-green build), or keeps it open
    /// with the problems that refused it.
    pub fn save_draft(&self, draft: &Draft) {
        let saved = if draft.blue_green {
            let started = self.workspace.borrow_mut().start_blue_green(draft.item.clone());
            started.map(|()| {
                let name = draft.text("/name");
                format!("Building {name} v{} beside the running version.", draft.get("/version"))
            })
        } else {
            let put = self
                .workspace
                .borrow_mut()
                .put(draft.kind, draft.index, draft.item.clone());
            put.map(|(index, changed)| {
                let name = self.name_of(draft.kind, index);
                self.noting_restart(saved_message(&format!("Saved {} {name}", draft.kind), &changed))
            })
        };
        match saved {
            Ok(message) => {
                self.close_editor();
                self.dispatch(Action::Saved(message));
                self.changed();
            }
            Err(problems) => self.dispatch(Action::DraftProblems(problems)),
        }
    }

    /// Asks the user to confirm deleting the draft's definition, listing what depends on it.
    pub fn ask_delete(&self, draft: &Draft) {
        let Some(index) = draft.index else { return };
        let name = self.name_of(draft.kind, index);
        let workspace = self.workspace.borrow();
        let stored = if draft.kind == Kind::EventType {
            workspace.events_of_type(&name)
        } else {
            0
        };
        let pending = PendingDelete {
            kind: draft.kind,
            index,
            what: format!("{} {name}", draft.kind),
            dependents: workspace.dependents(draft.kind, index),
            stored,
        };
        drop(workspace);
        self.dispatch(Action::AskDelete(pending));
    }

    /// Deletes a definition the user confirmed, or keeps the draft open with why it could not.
    pub fn delete(&self, pending: &PendingDelete) {
        let removed = self.workspace.borrow_mut().remove(pending.kind, pending.index);
        match removed {
            Ok(changed) => {
                self.close_editor();
                self.dispatch(Action::CancelDelete);
                let deleted = saved_message(&format!("Deleted {}", pending.what), &changed);
                self.dispatch(Action::Deleted(self.noting_restart(deleted)));
                self.changed();
            }
            Err(problems) => self.dispatch(Action::DeleteRefused(problems)),
        }
    }

    /// `message`, and what of the edit waits for the system to restart, if anything does.
    fn noting_restart(&self, message: String) -> String {
        let waiting = self.workspace.borrow().restart_needed().join("; ");
        if waiting.is_empty() {
            message
        } else {
            format!("{message} The running system keeps its old shape until it restarts (System page): {waiting}.")
        }
    }

    /// The name of a definition, empty if there is none at `index`.
    fn name_of(&self, kind: Kind, index: usize) -> String {
        edit::names(self.workspace.borrow().scenario(), kind)
            .get(index)
            .cloned()
            .unwrap_or_default()
    }
}

/// The editor's path line for a draft: where it sits among the definitions of its kind.
pub(crate) fn draft_path(handle: &Handle, draft: &Rc<Draft>) -> String {
    draft.path(edit::names(handle.workspace.borrow().scenario(), draft.kind).len())
}

/// What a save or a delete did, for the status line: `Saved command AddNote; also changed:
/// stream type Cart (now refers to …)`.
fn saved_message(done: &str, changed: &[Dependent]) -> String {
    if changed.is_empty() {
        return format!("{done}.");
    }
    let list: Vec<String> = changed
        .iter()
        .map(|d| {
            format!(
                "{} {} ({})",
                d.kind,
                d.name,
                if d.removed { "removed" } else { d.how.as_str() }
            )
        })
        .collect();
    format!("{done}; also: {}.", list.join(", "))
}
