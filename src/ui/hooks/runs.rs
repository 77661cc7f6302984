//! The two loops that run from a timer while the user watches: the projections stepping while
//! one is behind (a rebuild, a blue-green build, a catch-up), and a playing load generator.

use std::cell::Cell;

use yew::prelude::*;

use super::chunked::{use_chunked_work, Tick, Work};
use crate::session::{Action, State};
use crate::ui::state::AppContext;

/// How many events each projection reads per step at most.
const STEP_EVENTS: usize = 5_000;

/// While a projection, a rebuild or a blue-green build is behind (`busy`), steps it a chunk at
/// a time, so the page keeps answering and shows the progress and the rate.
#[hook]
pub fn use_projection_steps(app: &AppContext, busy: bool) {
    let (handle, drawing) = (app.handle.clone(), app.handle.clone());
    use_chunked_work(
        busy,
        Work {
            max: || STEP_EVENTS,
            work: move |max| handle.step_projections(max),
            redraw: move |tick: Tick| {
                #[allow(clippy::cast_precision_loss, reason = "a rate for display")]
                drawing.dispatch(Action::Rate(tick.items as f64 * 1000.0 / tick.took_ms));
                drawing.changed();
            },
        },
    );
}

/// While the generator plays, sends commands every tick, at most its speed; a change of speed
/// takes effect at the next tick and keeps the chunk estimate. The run's end pauses it.
#[hook]
pub fn use_generator(app: &AppContext) {
    let State { generator, .. } = &*app.state;
    let speed = use_memo((), |_| Cell::new(generator.speed));
    speed.set(generator.speed);
    let (handle, drawing) = (app.handle.clone(), app.handle.clone());
    use_chunked_work(
        generator.playing,
        Work {
            max: move || speed.get(),
            work: move |max| handle.tick_load(max),
            redraw: move |tick: Tick| {
                if tick.over {
                    drawing.dispatch(Action::Pause);
                }
                drawing.changed();
            },
        },
    );
}
