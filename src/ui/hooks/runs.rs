//! The loops that run from a timer while the user watches: the projections stepping while one is
//! behind (a rebuild, a blue-green build, a catch-up), a playing load generator, and the system's
//! simulated clock playing.

use std::cell::Cell;

use gloo::timers::callback::Interval;

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

/// How often the playing system clock moves, in real ms.
const CLOCK_EVERY_MS: u32 = 100;

/// While the system clock plays, moves it every [`CLOCK_EVERY_MS`] by that times its speed, and
/// draws the page again; an error stops it and says why.
#[hook]
pub fn use_system_clock(app: &AppContext) {
    let clock = app.state.system_clock;
    let handle = app.handle.clone();
    use_effect_with((clock.playing, clock.speed), move |&(playing, speed)| {
        let interval = playing.then(|| {
            Interval::new(CLOCK_EVERY_MS, move || {
                let moved = handle
                    .workspace
                    .borrow_mut()
                    .run_system(u64::from(CLOCK_EVERY_MS) * u64::from(speed));
                if let Err(error) = moved {
                    handle.dispatch(Action::PlaySystem(false));
                    handle.dispatch(Action::Status(format!("The system clock stopped: {error}")));
                }
                handle.changed();
            })
        });
        move || drop(interval)
    });
}
