//! Long work from a timer, in chunks: [`use_chunked_work`] runs a piece of work every
//! [`STEP_EVERY_MS`] within a share of [`WORK_BUDGET_MS`], and draws the page again at most every
//! [`REDRAW_EVERY_MS`] (and when the work is over). The projection steps, the load generator and
//! the system's clock run this way, and when several run at once they share the budget: each
//! takes what the others left of it in their last tick, and at least an even share.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::session::Chunk;

/// How often the work is done while it runs, in ms.
pub const STEP_EVERY_MS: u32 = 16;
/// How long the work of one tick should take, so frames keep coming, in ms: of a 16.7 ms frame
/// this leaves the browser about 4.7 ms to draw. With a generator filling a million events
/// (`bench/ui.sh`), frames stayed at p95 16.8 ms, as with 10 ms, while the rate rose by a tenth
/// to a third (see bench/README.md). Tickers running at once share it, and a tick that draws the
/// page leaves out what the last drawing took.
pub const WORK_BUDGET_MS: f64 = 12.0;
/// How often the page is drawn again while a generator or a rebuild runs, in ms. The ticks in
/// between only work: drawing a large page on every tick took a third of the time and left
/// little of each frame for a scroll or a click.
pub const REDRAW_EVERY_MS: f64 = 100.0;
/// How often each ticker draws the page at least, when others draw it in between.
const OWN_REDRAW_AT_LEAST_MS: f64 = 3.0 * REDRAW_EVERY_MS;

/// What one tick may do: a chunk of items sized to its budget from the last ticks' pace, and the
/// time by which it should be done, for work that can ask the clock as it goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slice {
    /// How many items fit the budget at the pace of the last ticks (at least 1).
    pub items: usize,
    /// When the budget runs out, in [`now`]'s ms.
    pub until: f64,
}

impl Slice {
    /// Whether the budget has time left.
    pub fn more(&self) -> bool {
        now() < self.until
    }
}

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
    /// Does a chunk of work within the slice it is given.
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
    W: FnMut(Slice) -> Worked + 'static,
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

/// The time in ms, as precise as the page's clock gives it.
fn now() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or_else(js_sys::Date::now, |performance| performance.now())
}

thread_local! {
    /// What each running ticker's last tick took, by ticker: the budget they share.
    static TAKEN: RefCell<BTreeMap<u64, f64>> = const { RefCell::new(BTreeMap::new()) };
    /// The number the next ticker takes.
    static NEXT_TICKER: Cell<u64> = const { Cell::new(0) };
    /// When the page was last drawn by a ticker, and what that drawing took: every ticker's
    /// drawing is the same (the page reads the workspace again), so they share one cadence.
    static DRAWN: Cell<(f64, f64)> = const { Cell::new((f64::NEG_INFINITY, 0.0)) };
}

/// A running ticker's place in the shared budget, given up when the ticker is dropped.
struct Place(u64);

impl Place {
    fn take() -> Place {
        let id = NEXT_TICKER.with(|next| next.replace(next.get() + 1));
        TAKEN.with(|taken| taken.borrow_mut().insert(id, 0.0));
        Place(id)
    }

    /// This tick's budget: what the others left of [`WORK_BUDGET_MS`] in their last tick.
    fn budget(&self) -> f64 {
        TAKEN.with(|taken| {
            let taken = taken.borrow();
            let others: Vec<f64> = taken
                .iter()
                .filter(|(id, _)| **id != self.0)
                .map(|(_, ms)| *ms)
                .collect();
            share(&others)
        })
    }

    fn took(&self, ms: f64) {
        TAKEN.with(|taken| taken.borrow_mut().insert(self.0, ms));
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        TAKEN.with(|taken| taken.borrow_mut().remove(&self.0));
    }
}

/// A ticker's budget when the others running took `others` (ms each) in their last tick: what
/// they left of [`WORK_BUDGET_MS`], and at least an even share of it.
fn share(others: &[f64]) -> f64 {
    #[allow(clippy::cast_precision_loss, reason = "a handful of tickers")]
    let even = WORK_BUDGET_MS / (others.len() + 1) as f64;
    (WORK_BUDGET_MS - others.iter().sum::<f64>()).max(even)
}

/// The body of one tick, with its chunk estimate and its place in the shared budget.
fn ticker<M, W, D>(mut work: Work<M, W, D>) -> impl FnMut()
where
    M: Fn() -> usize + 'static,
    W: FnMut(Slice) -> Worked + 'static,
    D: FnMut(Tick) + 'static,
{
    let mut chunk = Chunk::default();
    let place = Place::take();
    let mut mine = f64::NEG_INFINITY;
    move || {
        let started = now();
        let (drawn, drawing_took) = DRAWN.get();
        // A ticker whose drawing another's keeps taking draws its own now and then (its
        // redraw may tell the page more than that the workspace changed, such as a rate).
        let drawing = redraw_due(drawn, started, false) || started - mine >= OWN_REDRAW_AT_LEAST_MS;
        // A drawing in this tick, or in another ticker's a moment ago, takes from this frame.
        let drawing_now = drawing || started - drawn < f64::from(STEP_EVERY_MS);
        let budget = (place.budget() - if drawing_now { drawing_took } else { 0.0 }).max(1.0);
        let items = chunk.size(budget, (work.max)());
        let worked = (work.work)(Slice {
            items,
            until: started + budget,
        });
        let ended = now();
        let took_ms = (ended - started).max(0.1);
        chunk.record(worked.items, took_ms);
        place.took(took_ms);
        if drawing || worked.over {
            mine = ended;
            DRAWN.set((ended, drawing_took));
            (work.redraw)(Tick {
                items: worked.items,
                took_ms,
                over: worked.over,
            });
            // The page is drawn in the microtask the redraw queued; this one comes after it.
            yew::platform::spawn_local(async move { DRAWN.set((ended, now() - ended)) });
        }
    }
}

/// Whether a tick that ends at `now` draws the page again: when the work is over, or once
/// [`REDRAW_EVERY_MS`] passed since `drawn`, the time of the last drawing.
fn redraw_due(drawn: f64, now: f64, over: bool) -> bool {
    over || now - drawn >= REDRAW_EVERY_MS || now < drawn
}

#[cfg(test)]
mod tests {
    use super::{redraw_due, share, WORK_BUDGET_MS};

    #[test]
    fn the_page_is_drawn_every_100_ms_when_the_work_ends_and_after_a_clock_jump() {
        let cases = [
            ("too soon", 1_000.0, 1_099.0, false, false),
            ("100 ms later", 1_000.0, 1_100.0, false, true),
            ("over, however soon", 1_000.0, 1_001.0, true, true),
            ("the clock went back", 1_000.0, 900.0, false, true),
        ];
        for (name, drawn, now, over, want) in cases {
            assert_eq!(redraw_due(drawn, now, over), want, "{name}");
        }
    }

    #[test]
    fn tickers_share_the_budget_and_each_keeps_an_even_share() {
        let cases: [(&str, &[f64], f64); 4] = [
            ("alone", &[], WORK_BUDGET_MS),
            ("beside a light one", &[1.5], WORK_BUDGET_MS - 1.5),
            ("beside a heavy one", &[11.0], WORK_BUDGET_MS / 2.0),
            ("among three heavy ones", &[6.0, 6.0, 6.0], WORK_BUDGET_MS / 4.0),
        ];
        for (name, others, want) in cases {
            assert!(
                (share(others) - want).abs() < 1e-9,
                "{name}: {} not {want}",
                share(others)
            );
        }
    }
}
