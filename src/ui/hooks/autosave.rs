//! Autosave: the workspace is saved in the browser a moment after each change (debounced).

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::session::Action;
use crate::ui::state::Handle;
use crate::ui::storage;

/// How long after a change the workspace is saved, in ms.
const AUTOSAVE_DELAY_MS: u32 = 400;

/// Saves the workspace [`AUTOSAVE_DELAY_MS`] after its `revision` moved; a save the browser
/// refuses becomes the page's notice.
#[hook]
pub fn use_autosave(handle: &Handle, revision: u64) {
    let pending = use_mut_ref(|| None::<Timeout>);
    let handle = handle.clone();
    use_effect_with(revision, move |revision| {
        if *revision > 0 {
            let save = Timeout::new(AUTOSAVE_DELAY_MS, move || {
                let saved = storage::save(&handle.workspace.borrow());
                if let Err(message) = saved {
                    handle.dispatch(Action::Notice(message));
                }
            });
            // Replacing the timeout drops (cancels) the one still waiting: saves are debounced.
            *pending.borrow_mut() = Some(save);
        }
    });
}
