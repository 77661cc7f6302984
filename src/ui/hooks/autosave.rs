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
/// How often at most the workspace is saved while a generator, a rebuild or the system's clock
/// runs, in ms: a save writes the whole store, and every 400 ms it held a frame in three during a
/// run (see bench/README.md). A save writes only what changed since the last, but a long run
/// still changes much between two.
const AUTOSAVE_RUNNING_EVERY_MS: f64 = 5_000.0;

/// Saves the workspace [`AUTOSAVE_DELAY_MS`] after its `revision` first moved since the last
/// save (no sooner than [`AUTOSAVE_RUNNING_EVERY_MS`] after the last one while something
/// `running` changes it all the time), and whatever is unsaved when the run stops, the page is
/// hidden (`visibilitychange`) or left (`pagehide`); a save the browser refuses becomes the
/// page's notice.
#[hook]
pub fn use_autosave(handle: &Handle, revision: u64, running: bool) {
    // The save waiting for its moment, if one is.
    let pending = use_mut_ref(|| None::<Timeout>);
    // When the last save by this timer was, in ms since the epoch.
    let last = use_mut_ref(|| f64::NEG_INFINITY);
    {
        let (handle, pending) = (handle.clone(), pending.clone());
        use_effect_with(revision, move |revision| {
            if *revision > 0 && pending.borrow().is_none() {
                let waiting = pending.clone();
                let delay = delay_ms(running, js_sys::Date::now() - *last.borrow()).max(backoff_ms());
                let save = Timeout::new(delay, move || {
                    waiting.borrow_mut().take();
                    *last.borrow_mut() = js_sys::Date::now();
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

/// How long to wait before a save, `since` ms after the last: [`AUTOSAVE_DELAY_MS`], or while
/// something runs, what is left of [`AUTOSAVE_RUNNING_EVERY_MS`] (so a run's first change is saved
/// as soon as any other).
fn delay_ms(running: bool, since: f64) -> u32 {
    let left = if running {
        AUTOSAVE_RUNNING_EVERY_MS - since
    } else {
        0.0
    };
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 0.4 to 5 s"
    )]
    let left = left.clamp(f64::from(AUTOSAVE_DELAY_MS), AUTOSAVE_RUNNING_EVERY_MS) as u32;
    left
}

thread_local! {
    /// How long the last save held the page, in ms.
    static SAVE_COST_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// The least time between two saves so that saving holds the page at most a tenth of the time:
/// a save writes only the events appended since the last, but the read models and the stream
/// list whole, which with a million events takes a while (bench/README.md). At most 30 s; the
/// page's hiding or leaving saves at once whatever the wait.
fn backoff_ms() -> u32 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 0 to 30 s"
    )]
    let ms = (SAVE_COST_MS.get() * 10.0).clamp(0.0, 30_000.0) as u32;
    ms
}

/// Saves the workspace now (what to write is taken now, the write finishes in the background);
/// a refusal becomes the page's notice.
pub(crate) fn save_now(handle: &Handle) {
    let started = js_sys::Date::now();
    let written = {
        let mut workspace = handle.workspace.borrow_mut();
        // The run log then holds all that ran, for the next start to replay.
        workspace.finish_clock_move();
        storage::save(&workspace, &handle.slot)
    };
    SAVE_COST_MS.set(js_sys::Date::now() - started);
    let handle = handle.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(message) = written.await {
            handle.dispatch(Action::Notice(message));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::{delay_ms, AUTOSAVE_DELAY_MS};

    #[test]
    fn a_run_is_saved_at_most_every_5_s_and_its_first_change_at_once() {
        let cases = [
            ("nothing runs", false, 100.0, AUTOSAVE_DELAY_MS),
            ("a run's first change", true, f64::INFINITY, AUTOSAVE_DELAY_MS),
            ("1 s after the last save", true, 1_000.0, 4_000),
            ("4.9 s after", true, 4_900.0, AUTOSAVE_DELAY_MS),
        ];
        for (name, running, since, want) in cases {
            assert_eq!(delay_ms(running, since), want, "{name}");
        }
    }
}
