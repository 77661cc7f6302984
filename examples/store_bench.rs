//! The store's own speed, with no JavaScript in the loop: appends and full reads of N events
//! (default 1,000,000) over N/100 streams, the workload of the peer harness (see bench/README.md).
//!
//! `cargo run --release --no-default-features --example store_bench -- [N]` runs it natively;
//! built for `wasm32-wasip1` it runs under Node's WASI (`bench/store.sh` does both). Every row
//! checks what it did and the program exits non-zero when a count is wrong, so a broken store
//! cannot print a fast row.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use eventarium::store::{AppendResult, ArchiveSettings, Config, Direction, ExpectedRevision, NewEvent, Source, Store};
use serde_json::{json, Value};

const DEFAULT_EVENTS: u64 = 1_000_000;
const EVENTS_PER_STREAM: u64 = 100;
const BATCH: u64 = 100;
const PAGE: usize = 10_000;
/// Positions per archive segment (rows g to j).
const SEGMENT: u64 = 10_000;
const EVENT_TYPE: &str = "ItemAdded";
const SINGLE_STREAM: &str = "cart-single";
/// `std::env::consts::OS` is empty on wasm32-wasip1, so WASI is named here.
const OS: &str = if cfg!(target_os = "wasi") {
    "wasi"
} else {
    std::env::consts::OS
};

/// One line of the table.
struct Row {
    name: &'static str,
    events: u64,
    elapsed: Duration,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("store_bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let n = events_from_args()?;
    let ids: Vec<String> = (0..(n / EVENTS_PER_STREAM).max(1))
        .map(|s| format!("cart-{s}"))
        .collect();
    // What the JS side hands over after JSON.stringify: one text per stream, built untimed.
    let texts: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"cartId":"{id}","sku":"SKU-123","qty":1,"price":9.99}}"#))
        .collect();
    let streams = ids.len() as u64;
    let payload_bytes: u64 = (0..n).map(|i| texts[(i % streams) as usize].len() as u64).sum();
    println!(
        "store_bench on {}/{}: N = {n} events of {EVENT_TYPE} over {streams} streams",
        std::env::consts::ARCH,
        OS
    );

    let append_text =
        |store: &mut Store, s: usize, expected| store.append_json_text(&ids[s], expected, EVENT_TYPE, &texts[s]);
    // The first store of a run also pays for growing the heap (in wasm, the linear memory); an
    // untimed pass does that once, so the rows compare steady states. Its time is printed apart.
    let (first_pass, _) = append_round_robin(n, streams, append_text)?;
    let (elapsed, _) = append_round_robin(n, streams, |store, s, expected| {
        let event = NewEvent::new(EVENT_TYPE, cart_item(&ids[s]));
        store.append(&ids[s], expected, vec![event])
    })?;
    let mut rows = vec![row("(a) append 1/call, Value", n, elapsed)];
    let (elapsed, store) = append_round_robin(n, streams, append_text)?;
    rows.push(row("(b) append 1/call, JSON text", n, elapsed));
    rows.push(scan_raw(&store, n, payload_bytes)?);
    rows.push(scan_owned(&store, n)?);
    rows.push(read_streams(&store, &ids, n, payload_bytes)?);
    let heap_bytes = store.approx_heap_bytes();
    let mut store = store;
    rows.extend(through_the_archive(&mut store, &ids, n, payload_bytes)?);
    let archived_heap_bytes = store.approx_heap_bytes();
    drop(store);
    rows.push(append_batches(n)?);

    print_table(&rows);
    println!(
        "approx_heap_bytes / N: {:.1} bytes per event (store of row b)",
        heap_bytes as f64 / n as f64
    );
    println!(
        "approx_heap_bytes / N after rows g-j: {:.1} bytes per event (the archive's copies included)",
        archived_heap_bytes as f64 / n as f64
    );
    println!(
        "warm-up, untimed above: row b's appends on a fresh heap took {:.1} ms",
        first_pass.as_secs_f64() * 1e3
    );
    Ok(())
}

/// N from the first argument, or the default.
fn events_from_args() -> Result<u64, String> {
    let Some(arg) = std::env::args().nth(1) else {
        return Ok(DEFAULT_EVENTS);
    };
    match arg.parse::<u64>() {
        Ok(n) if (1..=u64::from(u32::MAX)).contains(&n) => Ok(n),
        _ => Err(format!("N must be a whole number from 1 to {}, not {arg:?}", u32::MAX)),
    }
}

/// The payload of the peer harness's event.
fn cart_item(cart_id: &str) -> Value {
    json!({"cartId": cart_id, "sku": "SKU-123", "qty": 1, "price": 9.99})
}

/// The exact expectation for a stream that already holds `events` events.
fn expected_after(events: u64) -> ExpectedRevision {
    events
        .checked_sub(1)
        .map_or(ExpectedRevision::NoStream, ExpectedRevision::Exact)
}

fn row(name: &'static str, events: u64, elapsed: Duration) -> Row {
    Row { name, events, elapsed }
}

fn check(what: &str, got: u64, want: u64) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got}, want {want}"))
    }
}

/// Appends `n` events one per call into a new store, event `i` to stream `i % streams` with the
/// exact expected revision, through `append(store, stream index, expected)`.
fn append_round_robin(
    n: u64,
    streams: u64,
    mut append: impl FnMut(&mut Store, usize, ExpectedRevision) -> eventarium::store::Result<AppendResult>,
) -> Result<(Duration, Store), String> {
    let mut store = Store::new(Config::default());
    let started = Instant::now();
    for i in 0..n {
        append(&mut store, (i % streams) as usize, expected_after(i / streams))
            .map_err(|error| format!("append of event {i}: {error}"))?;
    }
    let elapsed = started.elapsed();
    check("events appended", store.next_position(), n)?;
    Ok((elapsed, store))
}

/// (c) `$all` forwards through the visitor: no `Value`, no copy.
fn scan_raw(store: &Store, n: u64, payload_bytes: u64) -> Result<Row, String> {
    let started = Instant::now();
    let (mut count, mut bytes) = (0u64, 0u64);
    let returned = store
        .read_raw(Source::All, 0, usize::MAX, Direction::Forwards, |event| {
            count += 1;
            bytes += event.data_json.len() as u64;
        })
        .map_err(|error| format!("read $all (raw): {error}"))?;
    let elapsed = started.elapsed();
    check("read $all (raw): events returned", returned as u64, n)?;
    check("read $all (raw): events visited", count, n)?;
    check("read $all (raw): payload bytes", bytes, payload_bytes)?;
    Ok(row("(c) read $all, raw visitor", n, elapsed))
}

/// (d) `$all` forwards as owned `RecordedEvent`s, in pages, summing `qty` as a projection would.
fn scan_owned(store: &Store, n: u64) -> Result<Row, String> {
    let started = Instant::now();
    let (mut count, mut qty, mut from) = (0u64, 0u64, 0u64);
    loop {
        let page = store.read_all(from, PAGE, Direction::Forwards);
        count += page.len() as u64;
        qty += page.iter().filter_map(|event| event.data["qty"].as_u64()).sum::<u64>();
        match page.last() {
            Some(last) if page.len() == PAGE => from = last.position + 1,
            _ => break,
        }
    }
    let elapsed = started.elapsed();
    check("read $all (owned): events", count, n)?;
    check("read $all (owned): sum of qty", qty, n)?;
    Ok(row("(d) read $all, owned pages", n, elapsed))
}

/// (e) Every stream read fully through the visitor.
fn read_streams(store: &Store, ids: &[String], n: u64, payload_bytes: u64) -> Result<Row, String> {
    let started = Instant::now();
    let (mut count, mut bytes) = (0u64, 0u64);
    for id in ids {
        count += store
            .read_stream_raw(id, 0, usize::MAX, Direction::Forwards, |event| {
                bytes += event.data_json.len() as u64;
            })
            .map_err(|error| format!("read stream {id}: {error}"))? as u64;
    }
    let elapsed = started.elapsed();
    check("read every stream: events", count, n)?;
    check("read every stream: payload bytes", bytes, payload_bytes)?;
    Ok(row("(e) read every stream, raw", n, elapsed))
}

/// (g) every complete segment uploaded, (h) a scavenge removing all of them locally, (i) `$all`
/// and (j) every stream read back through the archive.
fn through_the_archive(store: &mut Store, ids: &[String], n: u64, payload_bytes: u64) -> Result<Vec<Row>, String> {
    let settings = ArchiveSettings {
        segment_events: SEGMENT,
        retain_ms: 0,
        retain_bytes: 0,
    };
    store.configure_archive(Some(settings)).map_err(|e| e.to_string())?;
    let uploaded = n / SEGMENT * SEGMENT;
    let started = Instant::now();
    let report = store.upload_segments().map_err(|e| e.to_string())?;
    let upload = row("(g) upload segments of 10k", n, started.elapsed());
    check("events uploaded", report.events, uploaded)?;
    store.advance_ms(1).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let scavenged = store.scavenge();
    let scavenge = row("(h) scavenge: offload them", n, started.elapsed());
    check("events offloaded", scavenged.events_offloaded, uploaded)?;
    let mut rows = vec![upload, scavenge];
    let mut through = scan_raw(store, n, payload_bytes)?;
    through.name = "(i) read $all via archive, raw";
    rows.push(through);
    let mut streams = read_streams(store, ids, n, payload_bytes)?;
    streams.name = "(j) read streams via archive";
    rows.push(streams);
    Ok(rows)
}

/// (f) `n` events into one stream, 100 per call (the last call takes the rest).
fn append_batches(n: u64) -> Result<Row, String> {
    let mut store = Store::new(Config::default());
    let started = Instant::now();
    let mut written = 0;
    while written < n {
        let size = BATCH.min(n - written);
        let batch = (0..size)
            .map(|_| NewEvent::new(EVENT_TYPE, cart_item(SINGLE_STREAM)))
            .collect();
        store
            .append(SINGLE_STREAM, expected_after(written), batch)
            .map_err(|error| format!("batch append after {written} events: {error}"))?;
        written += size;
    }
    let elapsed = started.elapsed();
    check("batched events appended", store.next_position(), n)?;
    Ok(row("(f) append 100/call, 1 stream", n, elapsed))
}

fn print_table(rows: &[Row]) {
    println!(
        "{:<32} {:>9} {:>10} {:>12} {:>9}",
        "row", "N", "total ms", "events/s", "ns/event"
    );
    for Row { name, events, elapsed } in rows {
        let seconds = elapsed.as_secs_f64();
        println!(
            "{name:<32} {events:>9} {:>10.1} {:>12.0} {:>9.1}",
            seconds * 1e3,
            *events as f64 / seconds,
            seconds * 1e9 / *events as f64
        );
    }
}
