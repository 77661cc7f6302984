//! Long work from a timer, in chunks: [`use_chunked_work`] runs a piece of work every
//! [`STEP_EVERY_MS`], sized by a [`Chunk`] estimate to take about [`WORK_BUDGET_MS`], and draws
//! the page again at most every [`REDRAW_EVERY_MS`] (and when the work is over). Both the
//! projection steps and the load generator run this way.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::session::Chunk;

/// How often the work is done while it runs, in ms.
pub const STEP_EVERY_MS: u32 = 16;
/// How long the work of one tick should take, so frames keep coming, in ms: of a 16.7 ms frame
/// this leaves the browser about 4.7 ms to draw. With a generator filling a million events
/// (`bench/ui.sh`), frames stayed at p95 16.8 ms, as with 10 ms, while the rate rose by a tenth
/// to a third (see bench/README.md).
pub const WORK_BUDGET_MS: f64 = 12.0;
/// How often the page is drawn again while a generator or a rebuild runs, in ms. The ticks in
/// between only work: drawing a large page on every tick took a third of the time and left
/// little of each frame for a scroll or a click.
pub const REDRAW_EVERY_MS: f64 = 100.0;

/// What one chunk of work did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Worked {
    /// How many items it did.
    pub items: usize,
    /// Whether there is nothing left to do.
    pub over: bool,
}

/// What a redraw is told: the last tick's work and how long it took, in ms (at least 0.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tick {
    /// How many items the last chunk did.
    pub items: usize,
    /// How long it took.
    pub took_ms: f64,
    /// Whether there is nothing left to do.
    pub over: bool,
}

/// What [`use_chunked_work`] runs while it is on.
pub struct Work<M, W, D> {
    /// The most items in one chunk, read on every tick.
    pub max: M,
    /// Does a chunk of at most the given items.
    pub work: W,
    /// Draws the page again after a tick, no more often than every [`REDRAW_EVERY_MS`].
    pub redraw: D,
}

/// Runs `work` from a timer while `active` is true. The closures of the render that turns it on
/// are kept until it turns off (later ones are dropped), so they must read what changes, such as
/// a generator's speed, through handles. The chunk estimate starts afresh each time it turns on.
#[hook]
pub fn use_chunked_work<M, W, D>(active: bool, work: Work<M, W, D>)
where
    M: Fn() -> usize + 'static,
    W: FnMut(usize) -> Worked + 'static,
    D: FnMut(Tick) + 'static,
{
    let work = Rc::new(RefCell::new(Some(work)));
    use_effect_with(active, move |active| {
        let interval = active
            .then(|| work.borrow_mut().take())
            .flatten()
            .map(|work| Interval::new(STEP_EVERY_MS, ticker(work)));
        move || drop(interval)
    });
}

/// The body of one tick, with the chunk estimate and the time of the last drawing it keeps.
fn ticker<M, W, D>(mut work: Work<M, W, D>) -> impl FnMut()
where
    M: Fn() -> usize + 'static,
    W: FnMut(usize) -> Worked + 'static,
    D: FnMut(Tick) + 'static,
{
    let mut chunk = Chunk::default();
    let mut drawn = js_sys::Date::now();
    move || {
        let started = js_sys::Date::now();
        let worked = (work.work)(chunk.size(WORK_BUDGET_MS, (work.max)()));
        let now = js_sys::Date::now();
        let took_ms = (now - started).max(0.1);
        chunk.record(worked.items, took_ms);
        if redraw_due(&mut drawn, now, worked.over) {
            (work.redraw)(Tick {
                items: worked.items,
                took_ms,
                over: worked.over,
            });
        }
    }
}

/// Whether a tick that ended at `now` draws the page again: when the work is over, or once
/// [`REDRAW_EVERY_MS`] passed since `drawn`, the time of the last drawing (then moved to `now`).
fn redraw_due(drawn: &mut f64, now: f64, over: bool) -> bool {
    let due = over || now - *drawn >= REDRAW_EVERY_MS || now < *drawn;
    if due {
        *drawn = now;
    }
    due
}

#[cfg(test)]
mod tests {
    use super::redraw_due;

    #[test]
    fn the_page_is_drawn_every_100_ms_when_the_work_ends_and_after_a_clock_jump() {
        let cases = [
            ("too soon", 1_000.0, 1_099.0, false, false),
            ("100 ms later", 1_000.0, 1_100.0, false, true),
            ("over, however soon", 1_000.0, 1_001.0, true, true),
            ("the clock went back", 1_000.0, 900.0, false, true),
        ];
        for (name, drawn, now, over, want) in cases {
            let mut at = drawn;
            assert_eq!(redraw_due(&mut at, now, over), want, "{name}");
            assert_eq!(
                at,
                if want { now } else { drawn },
                "{name}: the time of the last drawing"
            );
        }
    }
}
