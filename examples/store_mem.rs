//! Memory and speed check of the event store at 1M events over 10k streams.
//!
//! `cargo run --release --no-default-features --example store_mem [tick]`: with `tick`, the clock
//! advances 1 ms before every append (the worst case for timestamp storage).

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use eventarium::store::{Config, Direction, ExpectedRevision, Source, Store};

/// Counts live heap bytes, to check `approx_heap_bytes` against the allocator.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const EVENTS: u64 = 1_000_000;
const STREAMS: u64 = 10_000;

fn main() -> Result<(), eventarium::store::Error> {
    let tick = std::env::args().any(|arg| arg == "tick");
    let mut store = Store::new(Config::default());
    let (mut stream, mut payload) = (String::new(), String::new());
    let live_before = LIVE.load(Ordering::Relaxed);
    let started = Instant::now();
    for i in 0..EVENTS {
        let cart = i % STREAMS;
        stream.clear();
        payload.clear();
        let _ = write!(stream, "cart-{cart}");
        let _ = write!(
            payload,
            r#"{{"cartId":"cart-{cart}","sku":"SKU-{}","qty":1,"price":9.99}}"#,
            i % 1000
        );
        if tick {
            store.advance_ms(1)?;
        }
        store.append_json_text(&stream, ExpectedRevision::Any, "ItemAdded", &payload)?;
    }
    let append_time = started.elapsed();
    let bytes = store.approx_heap_bytes();
    let live = LIVE.load(Ordering::Relaxed) - live_before;
    println!("events:                 {EVENTS} over {STREAMS} streams (clock ticking: {tick})");
    println!("approx_heap_bytes:      {bytes} ({:.1} MB)", bytes as f64 / 1e6);
    println!("bytes per event:        {:.1}", bytes as f64 / EVENTS as f64);
    println!(
        "allocator live bytes:   {live} ({:.1} per event)",
        live as f64 / EVENTS as f64
    );
    println!(
        "append:                 {:.0} ns/event",
        append_time.as_nanos() as f64 / EVENTS as f64
    );

    let started = Instant::now();
    let mut read = 0;
    for cart in 0..STREAMS {
        read += store.read_raw(
            Source::Stream(&format!("cart-{cart}")),
            0,
            1000,
            Direction::Forwards,
            |_| {},
        )?;
    }
    report("read every stream (raw)", read, started);

    let started = Instant::now();
    let read = store.read_raw(Source::All, 0, usize::MAX, Direction::Forwards, |_| {})?;
    report("read $all (raw)", read, started);

    let started = Instant::now();
    let read = store.read_raw(
        Source::Category("cart"),
        u64::MAX,
        usize::MAX,
        Direction::Backwards,
        |_| {},
    )?;
    report("read category backwards (raw)", read, started);

    let started = Instant::now();
    let read = store.read_all(500_000, 100_000, Direction::Forwards).len();
    report("read $all (owned Values)", read, started);
    Ok(())
}

fn report(what: &str, events: usize, started: Instant) {
    let ns = started.elapsed().as_nanos() as f64 / events.max(1) as f64;
    println!("{:<24}{events} events, {ns:.0} ns/event", format!("{what}:"));
}
