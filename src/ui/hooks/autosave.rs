//! Autosave: the workspace is saved in the browser a moment after it changes, at most that moment
//! after the first change not yet saved (so a running generator is saved as it goes), and at once
//! when the page is hidden or left, so a reload never loses what was just done.

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::session::Action;
use crate::ui::state::Handle;
use crate::ui::storage;

/// How long after the first unsaved change the workspace is saved, in ms.
const AUTOSAVE_DELAY_MS: u32 = 400;
/// The same while a generator, a rebuild or the system's clock runs: a save writes the whole
/// store, and every 400 ms it held a frame in three during a run (see bench/README.md).
const AUTOSAVE_RUNNING_DELAY_MS: u32 = 5_000;

/// Saves the workspace [`AUTOSAVE_DELAY_MS`] after its `revision` first moved since the last
/// save ([`AUTOSAVE_RUNNING_DELAY_MS`] while something `running` changes it all the time), and
/// whatever is unsaved when the run stops, the page is hidden (`visibilitychange`) or left
/// (`pagehide`); a save the browser refuses becomes the page's notice.
#[hook]
pub fn use_autosave(handle: &Handle, revision: u64, running: bool) {
    // The save waiting for its moment, if one is.
    let pending = use_mut_ref(|| None::<Timeout>);
    {
        let (handle, pending) = (handle.clone(), pending.clone());
        use_effect_with(revision, move |revision| {
            if *revision > 0 && pending.borrow().is_none() {
                let waiting = pending.clone();
                let delay = if running {
                    AUTOSAVE_RUNNING_DELAY_MS
                } else {
                    AUTOSAVE_DELAY_MS
                };
                let save = Timeout::new(delay, move || {
                    waiting.borrow_mut().take();
                    save_now(&handle);
                });
                *pending.borrow_mut() = Some(save);
            }
        });
    }
    {
        // When the run stops, what it left unsaved is saved at once, as after any other edit.
        let (handle, pending) = (handle.clone(), pending.clone());
        use_effect_with(running, move |running| {
            if !*running && pending.borrow_mut().take().is_some() {
                save_now(&handle);
            }
        });
    }
    let handle = handle.clone();
    use_effect_with((), move |()| {
        let flush = move || {
            // Taking the timeout drops (cancels) it: this save replaces it.
            if pending.borrow_mut().take().is_some() {
                save_now(&handle);
            }
        };
        let listeners = web_sys::window().map(|window| {
            let document = window.document();
            let on_hide = flush.clone();
            let hidden = document.map(|document| {
                EventListener::new(&document.clone(), "visibilitychange", move |_| {
                    if document.visibility_state() == web_sys::VisibilityState::Hidden {
                        on_hide();
                    }
                })
            });
            (EventListener::new(&window, "pagehide", move |_| flush()), hidden)
        });
        move || drop(listeners)
    });
}

fn save_now(handle: &Handle) {
    let saved = storage::save(&handle.workspace.borrow());
    if let Err(message) = saved {
        handle.dispatch(Action::Notice(message));
    }
}
