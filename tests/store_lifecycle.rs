//! The store's lifecycle operations, given / when / then: archiving by stream and by log
//! position, reading through the archive, the storage meter, and compaction.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use eventarium::store::{
    ArchiveSettings, Config, Direction, Error, ExpectedRevision, NewEvent, Source, Store, SubscriptionFilter,
};
use serde_json::json;

fn store() -> Store {
    Store::new(Config {
        seed: 9,
        ..Config::default()
    })
}

fn add(store: &mut Store, stream: &str, n: u64) {
    let events = (0..n).map(|i| NewEvent::new("Added", json!({ "i": i }))).collect();
    store.append(stream, ExpectedRevision::Any, events).expect("append");
}

fn positions(events: &[eventarium::store::RecordedEvent]) -> Vec<u64> {
    events.iter().map(|e| e.position).collect()
}

const DAY: i64 = 86_400_000;

#[test]
fn an_archived_stream_reads_back_whole_but_leaves_the_log_and_its_projections() {
    // Given two closed carts and an open one.
    let mut store = store();
    add(&mut store, "cart-1", 3);
    add(&mut store, "cart-2", 2);
    add(&mut store, "cart-3", 1);
    let subscription = store
        .subscribe(SubscriptionFilter::Category("cart".into()), None)
        .expect("subscribe");
    // When cart-1 is archived.
    store.archive_stream("cart-1").expect("archive");
    // Then reading it returns every event, counted as a cold read…
    let read = store.read_stream("cart-1", 0, 100, Direction::Forwards).expect("read");
    assert_eq!(positions(&read), [0, 1, 2], "cart-1 reads whole");
    let reads = store.cold_reads();
    assert_eq!(
        (reads.archived_stream_reads, reads.archived_stream_events),
        (1, 3),
        "one cold read of three events"
    );
    // …while $all, the category and a subscription (what a rebuild reads) skip it.
    assert_eq!(
        positions(&store.read_all(0, 100, Direction::Forwards)),
        [3, 4, 5],
        "$all"
    );
    assert_eq!(
        positions(&store.read_category("cart", 0, 100, Direction::Forwards)),
        [3, 4, 5]
    );
    let delivered = store.poll(subscription, 100).expect("poll");
    assert_eq!(positions(&delivered), [3, 4, 5], "a rebuild from the start");
    // And writing to it says why it cannot.
    let refused = store.append("cart-1", ExpectedRevision::Any, vec![NewEvent::new("Added", json!({}))]);
    assert!(
        matches!(&refused, Err(Error::StreamArchived { stream_id }) if stream_id == "cart-1"),
        "{refused:?}"
    );
    let storage = store.storage();
    assert_eq!(
        (storage.archived_streams, storage.archived_events, storage.hot_events),
        (1, 3, 3),
        "the meter"
    );
    // Restoring brings it back everywhere.
    store.restore_stream("cart-1").expect("restore");
    assert_eq!(store.read_all(0, 100, Direction::Forwards).len(), 6, "$all again");
    assert!(
        matches!(store.archive_stream("cart-9"), Err(Error::StreamNotFound { .. })),
        "an unknown stream"
    );
}

#[test]
fn segments_leave_only_after_upload_and_outside_retention_and_reads_fall_through() {
    // Given an archiver cutting segments of 4 positions, keeping 30 days and 28 bytes (a segment) locally.
    let mut store = store();
    let settings = ArchiveSettings {
        segment_events: 4,
        retain_ms: 30 * DAY,
        retain_bytes: 28,
    };
    store.configure_archive(Some(settings)).expect("configure");
    for day in 0..12 {
        add(&mut store, &format!("shift-{}", day % 3), 1);
        store.advance_ms(DAY as u64 / 2).expect("clock");
    }
    let before = store.read_all(0, 100, Direction::Forwards);
    // A scavenge before any upload removes nothing.
    assert_eq!(store.scavenge().events_offloaded, 0, "nothing uploaded yet");
    // When the complete segments are uploaded: 12 positions make three.
    let upload = store.upload_segments().expect("upload");
    assert_eq!((upload.segments, upload.events), (3, 12), "three segments");
    // Nothing goes while inside the retention window (6 days old at most)…
    assert_eq!(store.scavenge().events_offloaded, 0, "retained by age");
    // …and 40 days later only the segments with a segment after them go.
    store.advance_ms(40 * DAY as u64).expect("clock");
    let report = store.scavenge();
    assert_eq!(report.events_offloaded, 8, "two segments offloaded: {report:?}");
    let storage = store.storage();
    assert_eq!(
        (
            storage.local_from_position,
            storage.archive_only_events,
            storage.hot_events
        ),
        (8, 8, 4),
        "the meter: {storage:?}"
    );
    assert_eq!(store.stats().events, 4, "four events are local");
    // Then every read returns what was written, fetching from the archive.
    assert_eq!(store.read_all(0, 100, Direction::Forwards), before, "$all");
    let backwards: Vec<_> = store.read_all(u64::MAX, 100, Direction::Backwards);
    assert_eq!(
        backwards.into_iter().rev().collect::<Vec<_>>(),
        before,
        "$all backwards"
    );
    let shift = store.read_stream("shift-1", 0, 100, Direction::Forwards).expect("read");
    assert_eq!(positions(&shift), [1, 4, 7, 10], "a stream across the horizon");
    let tail = store.read_stream("shift-1", 2, 1, Direction::Forwards).expect("read");
    assert_eq!(positions(&tail), [7], "from a revision in the archive");
    let mut late = Vec::new();
    store
        .read_raw(Source::Category("shift"), 6, 3, Direction::Forwards, |e| {
            late.push(e.position)
        })
        .expect("read");
    assert_eq!(late, [6, 7, 8], "a category read crossing the horizon");
    assert!(store.cold_reads().archive_fetches >= 4, "the fetches are counted");
    // And the state survives an export.
    let text = store.export_json();
    let imported = Store::import_json(&text).expect("import");
    assert_eq!(imported.export_json(), text, "export, import, export");
    assert_eq!(imported.storage().local_from_position, 8, "the horizon");
    assert_eq!(imported.read_all(0, 100, Direction::Forwards), before, "reads");
    assert!(
        store
            .configure_archive(Some(ArchiveSettings {
                segment_events: 5,
                ..settings
            }))
            .is_err(),
        "the segment size is fixed once something is uploaded"
    );
}

#[test]
fn compaction_keeps_the_tail_and_puts_the_snapshot_at_the_revision() {
    let mut store = store();
    add(&mut store, "account-1", 5);
    add(&mut store, "account-2", 2);
    let other_before = store
        .read_stream("account-2", 0, 100, Direction::Forwards)
        .expect("read");
    let snapshot = NewEvent::new("Compacted", json!({ "balance": 3 }));
    let report = store.compact_stream("account-1", 3, snapshot).expect("compact");
    assert_eq!((report.revision, report.events_removed), (3, 3), "{report:?}");
    let read = store
        .read_stream("account-1", 0, 100, Direction::Forwards)
        .expect("read");
    let seen: Vec<_> = read
        .iter()
        .map(|e| (e.revision, e.position, e.event_type.as_str()))
        .collect();
    assert_eq!(
        seen,
        [(3, 3, "Compacted"), (4, 4, "Added")],
        "the snapshot at revision 3, then the tail"
    );
    assert_eq!(read[0].data, json!({ "balance": 3 }));
    assert_eq!(
        store
            .read_stream("account-2", 0, 100, Direction::Forwards)
            .expect("read"),
        other_before,
        "other streams untouched"
    );
    assert_eq!(store.stats().events, 4, "three events gone");
    let cases = [
        ("account-1", 2, "hidden already"),
        ("account-1", 9, "last revision is 4"),
        ("account-9", 0, "not found"),
    ];
    for (stream, revision, says) in cases {
        let error = store
            .compact_stream(stream, revision, NewEvent::new("Compacted", json!({})))
            .expect_err("refused");
        assert!(error.to_string().contains(says), "{stream}@{revision}: {error}");
    }
    store
        .append(
            "account-1",
            ExpectedRevision::Exact(4),
            vec![NewEvent::new("Added", json!({}))],
        )
        .expect("the numbering goes on");
}
