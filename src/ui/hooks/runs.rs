//! The loops that run from a timer while the user watches: the projections stepping while one is
//! behind (a rebuild, a blue-green build, a catch-up), a playing load generator, and the system's
//! simulated clock playing.

use std::cell::Cell;

use yew::prelude::*;

use super::chunked::{use_chunked_work, Slice, Tick, Work, Worked, STEP_EVERY_MS};
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
            work: move |slice: Slice| handle.step_projections(slice.items),
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
            work: move |slice: Slice| handle.tick_load(slice.items),
            redraw: move |tick: Tick| {
                if tick.over {
                    drawing.dispatch(Action::Pause);
                }
                drawing.changed();
            },
        },
    );
}

/// The most tasks of the system one tick may run: its time budget stops it well before.
const CLOCK_MAX_TASKS: usize = 100_000;

/// While the system clock plays, moves it every tick by the tick's length times its speed, doing
/// as many of the tasks that fall due as fit the tick's work budget: when they do not all fit,
/// the simulated clock lags real time rather than a frame being late. An error stops it and says
/// why; the page is drawn again as the generator's is.
#[hook]
pub fn use_system_clock(app: &AppContext) {
    let clock = app.state.system_clock;
    let speed = use_memo((), |_| Cell::new(clock.speed));
    speed.set(clock.speed);
    let (handle, drawing) = (app.handle.clone(), app.handle.clone());
    use_chunked_work(
        clock.playing,
        Work {
            max: || CLOCK_MAX_TASKS,
            work: move |slice: Slice| {
                let ms = u64::from(STEP_EVERY_MS) * u64::from(speed.get());
                let played = handle
                    .workspace
                    .borrow_mut()
                    .play_system(ms, CLOCK_MAX_TASKS, &mut || slice.more());
                match played {
                    Ok((ran, _)) => Worked {
                        items: ran,
                        over: false,
                    },
                    Err(error) => {
                        handle.dispatch(Action::PlaySystem(false));
                        handle.dispatch(Action::Status(format!("The system clock stopped: {error}")));
                        Worked { items: 0, over: true }
                    }
                }
            },
            redraw: move |_: Tick| drawing.changed(),
        },
    );
}
