//! The event store's semantics, as KurrentDB documents them: expected revisions, atomic batches,
//! metadata, deletes, scavenging, stats, snapshots and limits.
//! They run natively and, compiled to wasm, under `wasm-pack test --node`.

use eventarium::store::{
    Config, DeleteMode, Direction, Error, ExpectedRevision, NewEvent, RecordedEvent, Source, Store, StreamMetadata,
};
use serde_json::json;

use ExpectedRevision::{Any, Exact, NoStream, StreamExists};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn event(n: u64) -> NewEvent {
    NewEvent::new("ItemAdded", json!({"n": n}))
}

/// A store holding `n` events in each of the given streams, appended in order.
#[track_caller]
fn given(history: &[(&str, u64)]) -> Store {
    let mut store = Store::new(Config::default());
    for &(stream, n) in history {
        let events = (0..n).map(event).collect();
        if let Err(error) = store.append(stream, Any, events) {
            panic!("given: append to {stream}: {error}");
        }
    }
    store
}

/// "ok" or the error's code.
fn outcome<T>(result: Result<T, Error>) -> &'static str {
    result.map_or_else(|e| e.code(), |_| "ok")
}

fn revisions(events: &[RecordedEvent]) -> Vec<u64> {
    events.iter().map(|e| e.revision).collect()
}

fn positions(events: &[RecordedEvent]) -> Vec<u64> {
    events.iter().map(|e| e.position).collect()
}

/// The four stream states of KurrentDB's table; each holds `s` plus an unrelated stream.
fn stream_in_state(state: &str) -> Store {
    let mut store = given(&[("other", 1)]);
    if state != "no stream" {
        let appended = store.append("s", NoStream, vec![event(0), event(1)]);
        assert!(appended.is_ok(), "given {state}: {appended:?}");
    }
    let mode = match state {
        "soft-deleted" => DeleteMode::Soft,
        "hard-deleted" => DeleteMode::Hard,
        _ => return store,
    };
    let deleted = store.delete_stream("s", Exact(1), mode);
    assert!(deleted.is_ok(), "given {state}: {deleted:?}");
    store
}

#[test]
fn expected_revisions_follow_kurrentdb() {
    let cases = [
        ("no stream", Any, "ok"),
        ("no stream", NoStream, "ok"),
        ("no stream", StreamExists, "WrongExpectedVersion"),
        ("no stream", Exact(0), "WrongExpectedVersion"),
        ("existing", Any, "ok"),
        ("existing", NoStream, "WrongExpectedVersion"),
        ("existing", StreamExists, "ok"),
        ("existing", Exact(1), "ok"),
        ("existing", Exact(0), "WrongExpectedVersion"),
        ("existing", Exact(2), "WrongExpectedVersion"),
        ("soft-deleted", Any, "ok"),
        ("soft-deleted", NoStream, "ok"),
        ("soft-deleted", StreamExists, "StreamDeleted"),
        ("soft-deleted", Exact(1), "ok"),
        ("soft-deleted", Exact(0), "WrongExpectedVersion"),
        ("hard-deleted", Any, "StreamDeleted"),
        ("hard-deleted", NoStream, "StreamDeleted"),
        ("hard-deleted", StreamExists, "StreamDeleted"),
        ("hard-deleted", Exact(1), "StreamDeleted"),
    ];
    for (state, expected, want) in cases {
        let case = format!("append to a {state} stream expecting {expected}");
        let mut store = stream_in_state(state);
        let before = store.export_json();
        let result = store.append("s", expected, vec![event(9)]);
        assert_eq!(outcome(result.clone()), want, "{case}: {result:?}");
        if want != "ok" {
            assert_eq!(store.export_json(), before, "{case}: a rejected append writes nothing");
            continue;
        }
        let (visible, next) = match state {
            "no stream" => (vec![0], 0),
            "existing" => (vec![0, 1, 2], 2),
            _ => (vec![2], 2), // soft-deleted: numbering continues, old events stay hidden
        };
        let read = store.read_stream("s", 0, 10, Direction::Forwards).unwrap_or_default();
        assert_eq!(revisions(&read), visible, "{case}: what the stream reads after");
        let next_expected = result.ok().map(|r| r.next_expected_revision);
        assert_eq!(next_expected, Some(Exact(next)), "{case}: next expected revision");
    }
}

#[test]
fn wrong_expected_version_names_the_stream_and_both_revisions() {
    let mut store = given(&[("cart-1", 3)]);
    let error = store.append("cart-1", Exact(1), vec![event(0)]).err();
    let want = Error::WrongExpectedVersion {
        stream_id: "cart-1".into(),
        expected: Exact(1),
        actual: Some(2),
    };
    assert_eq!(error, Some(want), "conflict details");
}

#[test]
fn an_empty_batch_only_checks_the_expectation() {
    let mut store = given(&[("a", 2)]);
    let cases = [
        ("a", Exact(1), "ok", Some(Exact(1))),
        ("a", NoStream, "WrongExpectedVersion", None),
        ("new", NoStream, "ok", Some(NoStream)),
        ("new", StreamExists, "WrongExpectedVersion", None),
    ];
    for (stream, expected, want, next) in cases {
        let result = store.append(stream, expected, vec![]);
        assert_eq!(
            outcome(result.clone()),
            want,
            "empty append to {stream} expecting {expected}"
        );
        assert_eq!(
            result.ok().map(|r| r.next_expected_revision),
            next,
            "next expected of {stream}"
        );
    }
    assert_eq!(store.next_position(), 2, "nothing was written");
    assert_eq!(
        outcome(store.read_stream("new", 0, 1, Direction::Forwards)),
        "StreamNotFound",
        "no stream created"
    );
}

#[test]
fn a_batch_is_all_or_nothing() {
    let too_big = NewEvent::new("Huge", json!("x".repeat(100)));
    let cases = [
        ("an invalid event type", NewEvent::new("", json!(1)), "InvalidInput"),
        ("schema version 0", event(1).with_schema_version(0), "InvalidInput"),
        ("a payload over the limit", too_big, "PayloadTooLarge"),
    ];
    for (case, bad, want) in cases {
        let mut store = Store::new(Config {
            max_payload_bytes: 64,
            ..Config::default()
        });
        let result = store.append("cart-1", Any, vec![event(0), bad, event(2)]);
        assert_eq!(outcome(result), want, "batch with {case}");
        assert_eq!(store.next_position(), 0, "batch with {case}: nothing written");
        assert!(
            store.read_all(0, 10, Direction::Forwards).is_empty(),
            "batch with {case}: nothing readable"
        );
    }
}

#[test]
fn append_many_is_all_or_nothing_across_streams() {
    let mut store = given(&[("a", 1), ("b", 1)]);
    let batch = vec![
        ("a".to_owned(), Exact(0), vec![event(1)]),
        ("c".to_owned(), NoStream, vec![event(1)]),
        ("b".to_owned(), Exact(5), vec![event(1)]),
    ];
    assert_eq!(
        outcome(store.append_many(batch)),
        "WrongExpectedVersion",
        "third part conflicts"
    );
    assert_eq!(store.next_position(), 2, "nothing of the first two parts was written");
    assert_eq!(
        outcome(store.read_stream("c", 0, 1, Direction::Forwards)),
        "StreamNotFound",
        "c not created"
    );

    let batch = vec![
        ("a".to_owned(), Exact(0), vec![event(1)]),
        ("a".to_owned(), Exact(1), vec![event(2), event(3)]),
        ("c".to_owned(), NoStream, vec![event(1)]),
    ];
    let results = store.append_many(batch).unwrap_or_default();
    let summary: Vec<_> = results.iter().map(|r| (r.next_expected_revision, r.position)).collect();
    assert_eq!(
        summary,
        vec![(Exact(1), Some(2)), (Exact(3), Some(4)), (Exact(0), Some(5))],
        "later parts see earlier parts of the same batch"
    );
    let all = store.read_all(0, 100, Direction::Forwards);
    let timestamps: Vec<i64> = all.iter().map(|e| e.metadata.timestamp_ms).collect();
    assert!(timestamps.iter().all(|&t| t == 0), "one clock time for the whole batch");
}

#[test]
fn reads_go_both_ways_from_a_starting_point() {
    let store = given(&[("cart-1", 3), ("user-1", 2), ("cart-2", 2)]);
    // positions: cart-1 0..=2, user-1 3..=4, cart-2 5..=6
    let stream =
        |from, max, direction| revisions(&store.read_stream("cart-1", from, max, direction).unwrap_or_default());
    assert_eq!(
        stream(0, 10, Direction::Forwards),
        vec![0, 1, 2],
        "whole stream forwards"
    );
    assert_eq!(stream(1, 1, Direction::Forwards), vec![1], "from 1, one event");
    assert_eq!(
        stream(u64::MAX, 2, Direction::Backwards),
        vec![2, 1],
        "from the end backwards"
    );
    assert_eq!(stream(1, 10, Direction::Backwards), vec![1, 0], "from 1 backwards");
    assert_eq!(stream(7, 10, Direction::Forwards), Vec::<u64>::new(), "past the end");
    let cases = [
        (Source::All, 2, 3, Direction::Forwards, vec![2, 3, 4]),
        (Source::All, u64::MAX, 2, Direction::Backwards, vec![6, 5]),
        (Source::Category("cart"), 1, 10, Direction::Forwards, vec![1, 2, 5, 6]),
        (Source::Category("cart"), 4, 10, Direction::Backwards, vec![2, 1, 0]),
        (Source::Category("nope"), 0, 10, Direction::Forwards, vec![]),
        (Source::EventType("ItemAdded"), 6, 10, Direction::Forwards, vec![6]),
        (Source::All, 0, 0, Direction::Forwards, vec![]),
    ];
    for (source, from, max, direction, want) in cases {
        let got = store.read(source, from, max, direction).map(|e| positions(&e));
        assert_eq!(
            got.ok(),
            Some(want),
            "read {source:?} from {from} max {max} {direction:?}"
        );
    }
}

#[test]
fn reads_by_correlation_and_raw_reads_agree_with_owned_reads() {
    let mut store = Store::new(Config {
        seed: 42,
        clock_start_ms: 1_000,
        ..Config::default()
    });
    let tagged = |n| {
        event(n)
            .with_correlation_id("order-7")
            .with_causation_id(format!("cmd-{n}"))
            .with_header("by", "test")
    };
    assert!(
        store.append("cart-1", NoStream, vec![tagged(0), event(1)]).is_ok(),
        "append"
    );
    assert!(store.advance_ms(5).is_ok(), "advance");
    assert!(store.append("pay-1", NoStream, vec![tagged(2)]).is_ok(), "append");
    let correlated = store.read_correlation("order-7", 0, 10, Direction::Forwards);
    assert_eq!(positions(&correlated), vec![0, 2], "correlated events");
    let last = correlated.last();
    assert_eq!(
        last.map(|e| e.metadata.timestamp_ms),
        Some(1_005),
        "timestamp is the clock at append"
    );
    assert_eq!(
        last.and_then(|e| e.metadata.causation_id.clone()).as_deref(),
        Some("cmd-2"),
        "causation"
    );
    assert_eq!(last.map(|e| e.metadata.headers.len()), Some(1), "headers");
    let mut raw = Vec::new();
    let count = store.read_stream_raw("cart-1", 0, 10, Direction::Forwards, |e| raw.push(e.to_recorded()));
    assert_eq!(count.ok(), Some(2), "raw count");
    assert_eq!(
        Some(raw),
        store.read_stream("cart-1", 0, 10, Direction::Forwards).ok(),
        "raw equals owned"
    );

    let mut twin = Store::new(Config {
        seed: 42,
        ..Config::default()
    });
    assert!(twin.append("x", Any, vec![event(0)]).is_ok(), "append to twin");
    let id = |s: &Store| s.read_all(0, 1, Direction::Forwards).first().map(|e| e.event_id);
    assert_eq!(id(&store), id(&twin), "same seed and position give the same event id");
}

#[test]
fn stream_metadata_is_honoured_by_every_read_at_once() {
    let cases = [
        (
            "max_count 2",
            StreamMetadata {
                max_count: Some(2),
                ..Default::default()
            },
            vec![2, 3],
        ),
        (
            "truncate_before 3",
            StreamMetadata {
                truncate_before: Some(3),
                ..Default::default()
            },
            vec![3],
        ),
        (
            "max_age 25 ms",
            StreamMetadata {
                max_age_ms: Some(25),
                ..Default::default()
            },
            vec![2, 3],
        ),
        ("no limits", StreamMetadata::default(), vec![0, 1, 2, 3]),
    ];
    for (case, metadata, want) in cases {
        let mut store = Store::new(Config::default());
        for n in 0..4 {
            assert!(store.append("cart-1", Any, vec![event(n)]).is_ok(), "{case}: append");
            assert!(store.advance_ms(10).is_ok(), "{case}: advance");
        } // timestamps 0, 10, 20, 30; now 40
        assert!(
            store.append("cart-2", Any, vec![event(9)]).is_ok(),
            "{case}: other stream"
        );
        assert!(
            store.set_stream_metadata("cart-1", metadata).is_ok(),
            "{case}: set metadata"
        );
        let read = store
            .read_stream("cart-1", 0, 10, Direction::Forwards)
            .unwrap_or_default();
        assert_eq!(revisions(&read), want, "{case}: stream read");
        let from_all: Vec<u64> = store
            .read_all(0, 10, Direction::Forwards)
            .iter()
            .filter(|e| e.stream_id == "cart-1")
            .map(|e| e.revision)
            .collect();
        assert_eq!(from_all, want, "{case}: $all read");
        let from_category: Vec<u64> = store
            .read_category("cart", u64::MAX, 10, Direction::Backwards)
            .iter()
            .filter(|e| e.stream_id == "cart-1")
            .map(|e| e.revision)
            .rev()
            .collect();
        assert_eq!(from_category, want, "{case}: category read");
        assert_eq!(
            store.get_stream_metadata("cart-1").ok(),
            Some(metadata),
            "{case}: metadata reads back"
        );
        assert_eq!(
            store.stats().streams["cart-1"].events,
            4,
            "{case}: space comes back only through scavenge"
        );
    }
}

#[test]
fn soft_delete_hides_the_stream_until_it_is_written_again() {
    let mut store = given(&[("cart-1", 3), ("cart-2", 1)]);
    assert!(
        store.delete_stream("cart-1", Exact(2), DeleteMode::Soft).is_ok(),
        "soft delete"
    );
    assert_eq!(
        outcome(store.read_stream("cart-1", 0, 10, Direction::Forwards)),
        "StreamNotFound",
        "read after delete"
    );
    assert_eq!(
        positions(&store.read_category("cart", 0, 10, Direction::Forwards)),
        vec![3],
        "category hides it"
    );
    assert_eq!(
        store.get_stream_metadata("cart-1").ok().and_then(|m| m.truncate_before),
        Some(3),
        "truncate_before"
    );
    let mut restored = Store::import_json(&store.export_json()).unwrap_or_else(|_| Store::new(Config::default()));
    assert!(
        restored
            .set_stream_metadata("cart-1", StreamMetadata::default())
            .is_ok(),
        "new metadata"
    );
    let read = restored
        .read_stream("cart-1", 0, 10, Direction::Forwards)
        .unwrap_or_default();
    assert_eq!(
        revisions(&read),
        vec![0, 1, 2],
        "as in KurrentDB, new metadata undeletes until a scavenge"
    );
    assert!(store.append("cart-1", NoStream, vec![event(7)]).is_ok(), "write again");
    let read = store
        .read_stream("cart-1", 0, 10, Direction::Forwards)
        .unwrap_or_default();
    assert_eq!(revisions(&read), vec![3], "numbering continues, old events stay hidden");
}

#[test]
fn hard_delete_is_forever() {
    let mut store = given(&[("cart-1", 2), ("cart-2", 1)]);
    assert!(
        store.delete_stream("cart-1", Any, DeleteMode::Hard).is_ok(),
        "hard delete"
    );
    let check = |store: &mut Store, when: &str| {
        let read = store.read_stream("cart-1", 0, 10, Direction::Forwards);
        assert_eq!(outcome(read), "StreamDeleted", "{when}: read");
        assert_eq!(
            outcome(store.append("cart-1", Any, vec![event(1)])),
            "StreamDeleted",
            "{when}: append"
        );
        assert_eq!(
            outcome(store.set_stream_metadata("cart-1", StreamMetadata::default())),
            "StreamDeleted",
            "{when}: metadata"
        );
        assert_eq!(
            outcome(store.delete_stream("cart-1", Any, DeleteMode::Soft)),
            "StreamDeleted",
            "{when}: delete"
        );
        assert_eq!(
            positions(&store.read_all(0, 10, Direction::Forwards)),
            vec![2],
            "{when}: $all hides it"
        );
    };
    check(&mut store, "after the delete");
    store.scavenge();
    check(&mut store, "after a scavenge");
    let mut imported = Store::import_json(&store.export_json()).unwrap_or_else(|_| Store::new(Config::default()));
    check(&mut imported, "after a snapshot round trip");
    assert!(
        store.delete_stream("never-written", NoStream, DeleteMode::Hard).is_ok(),
        "tombstone a new stream"
    );
    assert_eq!(
        outcome(store.append("never-written", Any, vec![event(1)])),
        "StreamDeleted",
        "tombstone holds"
    );
}

#[test]
fn scavenge_reports_and_stats_follow() {
    let mut store = given(&[("cart-1", 4), ("cart-2", 2), ("user-1", 3)]); // 9 events of 7 bytes
    let keep_one = StreamMetadata {
        max_count: Some(1),
        ..Default::default()
    };
    assert!(store.set_stream_metadata("cart-1", keep_one).is_ok(), "metadata");
    assert!(
        store.delete_stream("user-1", Any, DeleteMode::Soft).is_ok(),
        "soft delete"
    );
    let before = store.read_all(0, 100, Direction::Forwards);
    let report = store.scavenge();
    assert_eq!(
        (report.events_removed, report.bytes_reclaimed),
        (6, 42),
        "3 from cart-1, 3 from user-1"
    );
    assert_eq!(store.read_all(0, 100, Direction::Forwards), before, "reads unchanged");
    let stats = store.stats();
    assert_eq!((stats.events, stats.bytes), (3, 21), "totals after scavenge");
    let carts = &stats.categories["cart"];
    assert_eq!(
        (carts.streams, carts.events, carts.max_stream_length),
        (2, 3, 2),
        "cart category"
    );
    assert_eq!(carts.longest_stream.as_deref(), Some("cart-2"), "longest cart");
    assert_eq!(stats.streams["user-1"].last_revision, Some(2), "last revision survives");
    assert_eq!(stats.categories["user"].streams, 0, "no user stream holds events");
    let appended = store.append("user-1", Exact(2), vec![event(0)]);
    assert_eq!(
        appended.ok().and_then(|r| r.position),
        Some(9),
        "positions and revisions continue"
    );
}

#[test]
fn snapshot_round_trip_is_byte_identical() {
    let mut store = Store::new(Config {
        seed: 7,
        clock_start_ms: 1_700_000_000_000,
        max_payload_bytes: 4096,
    });
    let texts = [
        r#"{"z":1,"a":[1.5,"é"]}"#,
        r#"{"cartId":"cart-42","sku":"SKU-123","qty":1,"price":9.99}"#,
    ];
    for (n, text) in texts.iter().enumerate() {
        let appended =
            NewEvent::from_json_text("ItemAdded", text).map(|e| e.with_correlation_id("c").with_header("h", "v"));
        assert!(
            appended
                .and_then(|e| store.append("cart-1", Any, vec![event(n as u64), e]))
                .is_ok(),
            "append"
        );
        assert!(store.advance_ms(10).is_ok(), "advance");
    }
    let setup = [
        store.append("user-1", NoStream, vec![event(1).with_schema_version(2)]),
        store.append("gone-1", NoStream, vec![event(1)]),
        store.append("soft-1", NoStream, vec![event(1)]),
    ];
    assert!(setup.iter().all(Result::is_ok), "setup appends");
    let max_three = StreamMetadata {
        max_count: Some(3),
        ..Default::default()
    };
    assert!(store.set_stream_metadata("cart-1", max_three).is_ok(), "metadata");
    assert!(
        store.delete_stream("gone-1", Any, DeleteMode::Hard).is_ok(),
        "hard delete"
    );
    assert!(
        store.delete_stream("soft-1", Any, DeleteMode::Soft).is_ok(),
        "soft delete"
    );
    store.scavenge();
    let first = store.export_json();
    let imported = Store::import_json(&first);
    let second = imported.as_ref().map(Store::export_json).unwrap_or_default();
    assert_eq!(second, first, "export → import → export");
    assert!(
        first.contains(r#""data":{"z":1,"a":[1.5,"é"]}"#),
        "payload key order kept: {first}"
    );
    let read = |s: &Store| s.read_all(0, 100, Direction::Forwards);
    assert_eq!(
        imported.as_ref().map(read).ok(),
        Some(read(&store)),
        "same reads, ids included"
    );
    assert_eq!(
        imported.as_ref().map(Store::stats).ok(),
        Some(store.stats()),
        "same stats"
    );
    assert_eq!(
        imported.map(|s| s.now_ms()).ok(),
        Some(1_700_000_000_020),
        "clock restored"
    );
}

#[test]
fn snapshot_import_rejects_what_is_wrong_and_says_what() {
    let mut store = Store::new(Config::default());
    assert!(
        store.append("cart-1", NoStream, vec![event(0), event(1)]).is_ok(),
        "append"
    );
    assert!(store.append("cart-2", NoStream, vec![event(2)]).is_ok(), "append");
    let good = store.export_json();
    assert!(Store::import_json(&good).is_ok(), "the unmodified document imports");
    let cases = [
        (
            "bad format",
            good.replace("eventarium-store", "other"),
            r#"format is "other", expected "eventarium-store""#,
        ),
        (
            "bad version",
            good.replace(r#""version":1"#, r#""version":3"#),
            "version is 3, this build reads 1 and 2",
        ),
        ("not json", good[..good.len() - 3].to_owned(), "not a snapshot document"),
        ("not an object", "[1]".to_owned(), "not a snapshot document"),
        (
            "invalid json payload",
            good.replace(r#""data":{"n":1}"#, r#""data":{"n":}"#),
            "line 1",
        ),
        (
            "repeated position",
            good.replace(r#""position":1,"#, r#""position":0,"#),
            "event at position 0: positions must increase strictly",
        ),
        (
            "bad stream id",
            good.replace(r#""stream_id":"cart-2""#, r#""stream_id":"$cart-2""#),
            "reserved",
        ),
        (
            "revision gap",
            good.replace(r#""revision":1,"#, r#""revision":2,"#),
            "revision 2 of stream \"cart-1\" does not follow 0",
        ),
        (
            "unlisted stream",
            good.replace(
                r#""stream_id":"cart-2","revision""#,
                r#""stream_id":"cart-3","revision""#,
            ),
            "not listed in streams",
        ),
        (
            "unknown field",
            good.replace(r#""tombstones""#, r#""extra":1,"tombstones""#),
            "unknown field `extra`",
        ),
        (
            "missing events",
            good[..good.find(r#","events""#).unwrap_or(0)].to_owned() + "}",
            "missing field `events`",
        ),
        (
            "seed mismatch",
            good.replacen(r#""seed":0"#, r#""seed":1"#, 1),
            "seed 1 differs from config.seed 0",
        ),
        (
            "clock before its start",
            good.replace(r#""clock_ms":0"#, r#""clock_ms":-1"#),
            "clock_ms -1 is before",
        ),
    ];
    for (case, text, phrase) in cases {
        let error = Store::import_json(&text).err();
        assert_eq!(
            error.as_ref().map(Error::code),
            Some("InvalidSnapshot"),
            "{case}: {error:?}"
        );
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains(phrase),
            "{case}: {message:?} should contain {phrase:?}"
        );
    }
}

#[test]
fn limits_are_clear_errors() {
    let mut store = Store::new(Config {
        max_payload_bytes: 10,
        ..Config::default()
    });
    let error = store
        .append("cart-1", Any, vec![NewEvent::new("Big", json!("0123456789"))])
        .err();
    assert_eq!(
        error.map(|e| e.to_string()).as_deref(),
        Some(r#"payload of "Big" event for stream "cart-1" is 12 bytes, over the limit of 10"#),
        "payload limit"
    );
    let cases = [
        ("", "InvalidInput"),
        ("$all", "InvalidInput"),
        ("a\nb", "InvalidInput"),
        ("ok-1", "ok"),
    ];
    for (stream, want) in cases {
        assert_eq!(
            outcome(store.append(stream, Any, vec![event(0)])),
            want,
            "append to {stream:?}"
        );
        assert_eq!(
            outcome(store.append_json_text(stream, Any, "T", "[1, 2]")),
            want,
            "append_json_text to {stream:?}"
        );
    }
    assert_eq!(
        outcome(store.append_json_text("ok-1", Any, "T", "{oops}")),
        "InvalidInput",
        "invalid json text"
    );
    assert_eq!(outcome(store.set_ms(-1)), "InvalidInput", "clock going back");
    assert_eq!(
        outcome(ExpectedRevision::parse("-1")),
        "InvalidInput",
        "negative revision"
    );
}

#[test]
fn each_event_keeps_its_own_headers_when_sets_are_shared() {
    let mut store = Store::new(Config::default());
    let events = vec![
        event(0).with_header("command", "AddItem"),
        event(1),
        event(2).with_header("command", "AddItem"),
        event(3).with_header("command", "AddItem").with_header("by", "ann"),
    ];
    assert!(store.append("cart-1", NoStream, events).is_ok(), "append");
    let headers = |store: &Store| -> Vec<Vec<(String, String)>> {
        store
            .read_stream("cart-1", 0, 10, Direction::Forwards)
            .unwrap_or_default()
            .iter()
            .map(|e| e.metadata.headers.clone().into_iter().collect())
            .collect()
    };
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    let expected = vec![
        vec![pair("command", "AddItem")],
        vec![],
        vec![pair("command", "AddItem")],
        vec![pair("by", "ann"), pair("command", "AddItem")],
    ];
    assert_eq!(headers(&store), expected, "as appended");
    let imported = Store::import_json(&store.export_json());
    assert_eq!(
        imported.as_ref().map(headers).ok(),
        Some(expected),
        "after export and import"
    );
}
