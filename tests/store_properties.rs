//! Properties of the event store over random histories (native only: proptest does not run in
//! wasm).
#![cfg(not(target_arch = "wasm32"))]

use std::ops::ControlFlow;

use eventarium::store::{
    ArchiveSettings, Config, DeleteMode, Direction, ExpectedRevision, NewEvent, RecordedEvent, Source, Store,
    StreamMetadata, SubscriptionFilter,
};
use proptest::prelude::*;
use serde_json::json;

const STREAMS: [&str; 4] = ["cart-1", "cart-2", "user-1", "misc"];

#[derive(Debug, Clone)]
enum Op {
    Append {
        stream: usize,
        n: u64,
        /// Which of [`METADATA`] the events carry.
        meta: usize,
    },
    Advance(u64),
    Metadata {
        stream: usize,
        metadata: StreamMetadata,
    },
    Delete {
        stream: usize,
        hard: bool,
    },
    Scavenge,
    /// Upload the complete segments to the archive (a scavenge may then offload them).
    Upload,
    Archive {
        stream: usize,
        archived: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let stream = 0..STREAMS.len();
    let metadata = (
        proptest::option::of(1u64..4),
        proptest::option::of(1i64..40),
        proptest::option::of(0u64..6),
    )
        .prop_map(|(max_count, max_age_ms, truncate_before)| StreamMetadata {
            max_count,
            max_age_ms,
            truncate_before,
        });
    prop_oneof![
        6 => (stream.clone(), 0u64..4, 0..METADATA.len()).prop_map(|(stream, n, meta)| Op::Append { stream, n, meta }),
        2 => (0u64..20).prop_map(Op::Advance),
        1 => (stream.clone(), metadata).prop_map(|(stream, metadata)| Op::Metadata { stream, metadata }),
        1 => (stream, any::<bool>()).prop_map(|(stream, hard)| Op::Delete { stream, hard: hard && stream == 3 }),
        1 => Just(Op::Scavenge),
        1 => Just(Op::Upload),
        1 => (0..STREAMS.len(), any::<bool>()).prop_map(|(stream, archived)| Op::Archive { stream, archived }),
    ]
}

fn appends_only() -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec(
        (0..STREAMS.len(), 1u64..4, 0..METADATA.len()).prop_map(|(stream, n, meta)| Op::Append { stream, n, meta }),
        1..20,
    )
}

/// Correlation and causation ids: command ids in and out of order, one not written as the
/// runtime writes them, a causation that is or is not the correlation, and none.
const METADATA: [(Option<&str>, Option<&str>); 8] = [
    (None, None),
    (Some("cmd-1"), Some("cmd-1")),
    (Some("cmd-3"), Some("cmd-3")),
    (Some("cmd-2"), Some("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")),
    (Some("cmd-10"), None),
    (Some("order-7"), Some("cmd-1")),
    (Some("cmd-01"), Some("cmd-01")),
    (None, Some("x")),
];

/// The correlation ids read by [`observe`]: those of [`METADATA`] and one never written.
const CORRELATIONS: [&str; 7] = ["cmd-1", "cmd-3", "cmd-2", "cmd-10", "order-7", "cmd-01", "cmd-4"];

fn event(n: u64) -> NewEvent {
    NewEvent::new("Happened", json!({"n": n}))
}

fn event_with(n: u64, meta: usize) -> NewEvent {
    let (correlation, causation) = METADATA[meta % METADATA.len()];
    let mut event = event(n);
    event.correlation_id = correlation.map(str::to_owned);
    event.causation_id = causation.map(str::to_owned);
    event
}

/// Applies an operation; rejections (e.g. writing to a tombstoned stream) are part of the history.
fn apply(store: &mut Store, op: &Op) {
    let _ = match op {
        Op::Append { stream, n, meta } => store
            .append(
                STREAMS[*stream],
                ExpectedRevision::Any,
                (0..*n).map(|i| event_with(i, *meta)).collect(),
            )
            .map(drop),
        Op::Advance(ms) => store.advance_ms(*ms).map(drop),
        Op::Metadata { stream, metadata } => store.set_stream_metadata(STREAMS[*stream], *metadata),
        Op::Delete { stream, hard } => {
            let mode = if *hard { DeleteMode::Hard } else { DeleteMode::Soft };
            store.delete_stream(STREAMS[*stream], ExpectedRevision::Any, mode)
        }
        Op::Scavenge => {
            store.scavenge();
            Ok(())
        }
        Op::Upload => store.upload_segments().map(drop),
        Op::Archive { stream, archived: true } => store.archive_stream(STREAMS[*stream]),
        Op::Archive {
            stream,
            archived: false,
        } => store.restore_stream(STREAMS[*stream]),
    };
}

/// Segments of 3 positions, kept locally for 10 ms and while less than 20 payload bytes follow.
const ARCHIVE: ArchiveSettings = ArchiveSettings {
    segment_events: 3,
    retain_ms: 10,
    retain_bytes: 20,
};

fn build(ops: &[Op]) -> Store {
    let mut store = Store::new(Config {
        seed: 3,
        ..Config::default()
    });
    let _ = store.configure_archive(Some(ARCHIVE));
    ops.iter().for_each(|op| apply(&mut store, op));
    store
}

/// Everything a reader can observe: `$all`, each stream (or its error), each category and
/// each correlation.
fn observe(store: &Store) -> Vec<Result<Vec<RecordedEvent>, String>> {
    let mut seen = vec![Ok(store.read_all(0, usize::MAX, Direction::Forwards))];
    for stream in STREAMS {
        seen.push(
            store
                .read_stream(stream, 0, usize::MAX, Direction::Forwards)
                .map_err(|e| e.to_string()),
        );
        seen.push(Ok(store.read_category(
            stream.split('-').next().unwrap_or(stream),
            u64::MAX,
            100,
            Direction::Backwards,
        )));
    }
    for id in CORRELATIONS {
        seen.push(Ok(store.read_correlation(id, 0, usize::MAX, Direction::Forwards)));
        seen.push(Ok(store.read_correlation(id, u64::MAX, 3, Direction::Backwards)));
    }
    seen
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn positions_increase_and_revisions_are_contiguous(ops in proptest::collection::vec(op(), 0..30)) {
        let store = build(&ops);
        let all = store.read_all(0, usize::MAX, Direction::Forwards);
        prop_assert!(all.windows(2).all(|w| w[0].position < w[1].position), "positions strictly increase: {all:?}");
        for stream in STREAMS {
            let Ok(events) = store.read_stream(stream, 0, usize::MAX, Direction::Forwards) else { continue };
            let contiguous = events.windows(2).all(|w| w[1].revision == w[0].revision + 1);
            prop_assert!(contiguous, "revisions of {} are contiguous: {:?}", stream, events);
            let backwards = store.read_stream(stream, u64::MAX, usize::MAX, Direction::Backwards).unwrap_or_default();
            prop_assert_eq!(backwards.into_iter().rev().collect::<Vec<_>>(), events, "backwards read of {} mirrors forwards", stream);
        }
    }

    #[test]
    fn a_correlation_read_is_all_filtered_by_its_id(
        ops in proptest::collection::vec(op(), 0..40),
        id in 0..CORRELATIONS.len(),
        from in 0u64..30,
        max in 0usize..10,
    ) {
        let store = build(&ops);
        let id = CORRELATIONS[id];
        let carries = |e: &RecordedEvent| e.metadata.correlation_id.as_deref() == Some(id);
        let forwards: Vec<_> = store.read_all(from, usize::MAX, Direction::Forwards).into_iter().filter(carries).take(max).collect();
        prop_assert_eq!(store.read_correlation(id, from, max, Direction::Forwards), forwards, "forwards from {}", from);
        let backwards: Vec<_> = store.read_all(from, usize::MAX, Direction::Backwards).into_iter().filter(carries).take(max).collect();
        prop_assert_eq!(store.read_correlation(id, from, max, Direction::Backwards), backwards, "backwards from {}", from);
    }

    #[test]
    fn a_conflicting_append_writes_nothing(ops in proptest::collection::vec(op(), 0..30), stream in 0..STREAMS.len(), off in 1u64..5) {
        let mut store = build(&ops);
        let before = store.export_json();
        let actual = store.stats().streams.get(STREAMS[stream]).and_then(|s| s.last_revision);
        let wrong = ExpectedRevision::Exact(actual.map_or(off - 1, |a| a + off));
        let result = store.append(STREAMS[stream], wrong, vec![event(0)]);
        prop_assert!(result.is_err(), "appending with {} must fail", wrong);
        prop_assert_eq!(store.export_json(), before, "nothing written");
    }

    #[test]
    fn a_batch_is_all_or_nothing(ops in appends_only(), size in 1usize..6, bad_at in 0usize..6) {
        let mut store = build(&ops);
        let before = store.export_json();
        let mut batch: Vec<NewEvent> = (0..size as u64).map(event).collect();
        batch.insert(bad_at.min(size), NewEvent::new("bad\u{7}type", json!(1)));
        prop_assert!(store.append("cart-1", ExpectedRevision::Any, batch).is_err(), "invalid batch rejected");
        prop_assert_eq!(store.export_json(), before, "nothing written");
    }

    #[test]
    fn reads_after_a_scavenge_equal_reads_before(ops in proptest::collection::vec(op(), 0..40)) {
        let mut store = build(&ops);
        let before = observe(&store);
        let report = store.scavenge();
        prop_assert_eq!(observe(&store), before, "reads unchanged by a scavenge that removed {:?}", report);
        for stream in STREAMS {
            let _ = store.restore_stream(stream);
        }
        let local_from = store.storage().local_from_position;
        let local = store.read_all(local_from, usize::MAX, Direction::Forwards).len() as u64;
        prop_assert_eq!(store.stats().events, local, "only readable events remain locally");
    }

    #[test]
    fn a_payload_scan_sees_what_a_read_of_all_sees(ops in proptest::collection::vec(op(), 0..40), from in 0u64..30, max in 0usize..40, stop_at in 0usize..40) {
        let store = build(&ops);
        let mut read = Vec::new();
        let _ = store.read_raw(Source::All, from, max, Direction::Forwards, |e| {
            read.push((e.position, e.stream_id.to_owned(), e.event_type.to_owned(), e.schema_version, e.data_json.to_string()));
        });
        let mut scanned = Vec::new();
        store.scan_payloads(from, max, |e| {
            scanned.push((e.position, e.stream_id.to_owned(), e.event_type.to_owned(), e.schema_version, e.data_json.to_string()));
            ControlFlow::Continue(())
        });
        prop_assert_eq!(&scanned, &read, "the whole scan");
        let mut stopped = Vec::new();
        store.scan_payloads(from, max, |e| {
            if stopped.len() == stop_at {
                return ControlFlow::Break(());
            }
            stopped.push(e.position);
            ControlFlow::Continue(())
        });
        let want: Vec<u64> = read.iter().take(stop_at).map(|e| e.0).collect();
        prop_assert_eq!(stopped, want, "a scan stopped after {} events", stop_at);
    }

    #[test]
    fn reads_through_the_archive_return_what_was_written(ops in proptest::collection::vec(op(), 0..40)) {
        let archived = build(&ops);
        let local: Vec<Op> = ops.iter().filter(|op| !matches!(op, Op::Upload)).cloned().collect();
        let local = build(&local);
        prop_assert_eq!(observe(&archived), observe(&local), "the same reads with and without uploads, {:?}", archived.storage());
        let offloaded = archived.storage().archive_only_events;
        prop_assert_eq!(archived.stats().events + offloaded >= local.stats().events, true, "nothing lost");
    }

    #[test]
    fn an_archived_stream_reads_the_same_and_leaves_the_other_reads(ops in proptest::collection::vec(op(), 0..40), stream in 0..STREAMS.len()) {
        let mut store = build(&ops);
        let id = STREAMS[stream];
        let _ = store.restore_stream(id);
        let before = observe(&store);
        let own = store.read_stream(id, 0, usize::MAX, Direction::Forwards);
        if store.archive_stream(id).is_err() {
            return Ok(());
        }
        prop_assert_eq!(store.read_stream(id, 0, usize::MAX, Direction::Forwards), own, "its own read");
        let all = store.read_all(0, usize::MAX, Direction::Forwards);
        prop_assert!(all.iter().all(|e| e.stream_id != id), "$all skips it");
        let Ok(Some(all_before)) = before.first().cloned().transpose() else { return Ok(()) };
        let others: Vec<_> = all_before.into_iter().filter(|e| e.stream_id != id).collect();
        prop_assert_eq!(all, others, "$all still shows the others");
        prop_assert!(store.append(id, ExpectedRevision::Any, vec![event(0)]).is_err(), "no writes while archived");
        prop_assert!(store.restore_stream(id).is_ok(), "restored");
        prop_assert_eq!(observe(&store), before, "restoring brings every read back");
    }

    #[test]
    fn export_import_is_identical(ops in proptest::collection::vec(op(), 0..40)) {
        let store = build(&ops);
        let first = store.export_json();
        let imported = Store::import_json(&first);
        prop_assert!(imported.is_ok(), "import: {:?}", imported.as_ref().err());
        let imported = imported.unwrap_or_else(|_| Store::new(Config::default()));
        prop_assert_eq!(imported.export_json(), first, "export → import → export");
        prop_assert_eq!(observe(&imported), observe(&store), "same reads");
    }

    #[test]
    fn catch_up_then_live_delivers_every_event_once_in_order(
        before in appends_only(),
        rounds in proptest::collection::vec((appends_only(), 1usize..5), 0..6),
    ) {
        let mut store = build(&before);
        let all = store.subscribe(SubscriptionFilter::All, None);
        let carts = store.subscribe(SubscriptionFilter::Category("cart".into()), None);
        let (Ok(all), Ok(carts)) = (all, carts) else { return Err(TestCaseError::fail("subscribe")) };
        let (mut got_all, mut got_carts) = (Vec::new(), Vec::new());
        for (ops, max) in &rounds {
            got_all.extend(store.poll(all, *max).unwrap_or_default());
            got_carts.extend(store.poll(carts, *max).unwrap_or_default());
            ops.iter().for_each(|op| apply(&mut store, op));
        }
        got_all.extend(store.poll(all, usize::MAX).unwrap_or_default());
        got_carts.extend(store.poll(carts, usize::MAX).unwrap_or_default());
        prop_assert_eq!(got_all, store.read_all(0, usize::MAX, Direction::Forwards), "every event once, in order");
        prop_assert_eq!(got_carts, store.read_category("cart", 0, usize::MAX, Direction::Forwards), "category events once, in order");
    }
}
