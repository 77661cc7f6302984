//! The definition editor over the page, and the delete it asks to confirm.

use yew::prelude::*;

use crate::session::{system_choices, Action};
use crate::ui::components::{ConfirmDelete, DefinitionEditor};
use crate::ui::effects::draft_path;
use crate::ui::reads::PageProps;
use crate::ui::state::{use_app, use_workspace_read};

/// The editor on the open draft, if any, and the pending delete's question.
#[component]
pub fn Editor(props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let state = &app.state;
    let choices = use_workspace_read(&app, (), |workspace, ()| system_choices(workspace.scenario()));
    let editor = state.editor.clone().map(|draft| {
        let (changing, saving, closing, deleting) = (
            app.handle.clone(),
            app.handle.clone(),
            app.handle.clone(),
            app.handle.clone(),
        );
        let (saved, deleted) = (draft.clone(), draft.clone());
        let onchange = Callback::from(move |draft| changing.edit_draft(draft));
        let onsave = Callback::from(move |()| saving.save_draft(&saved));
        let oncancel = Callback::from(move |()| closing.close_editor());
        let ondelete = Callback::from(move |()| deleting.ask_delete(&deleted));
        html! {
            <DefinitionEditor path={draft_path(&app.handle, &draft)} {draft} problems={state.draft_problems.clone()}
                model={props.reads.model.clone()} choices={choices.clone()} {onchange} {onsave} {oncancel} {ondelete} />
        }
    });
    let confirm = state.pending_delete.clone().map(|pending| {
        let handle = app.handle.clone();
        let asked = pending.clone();
        let onconfirm = Callback::from(move |()| handle.delete(&asked));
        html! {
            <ConfirmDelete what={pending.what} dependents={pending.dependents} stored={pending.stored}
                {onconfirm} oncancel={app.handle.callback(|()| Action::CancelDelete)} />
        }
    });
    html! { <>{ editor }{ confirm }</> }
}
