//! Snapshot files written by earlier builds still import, and read and export the same.
//!
//! `fixtures/store-correlations-v2.json` was written before correlation ids and causation ids
//! were kept compactly (commit 11448e2): a version-2 document (uploaded segments, an archive
//! section) whose events carry command ids in and out of order, ids not written as the runtime
//! writes them, causation ids equal to their correlation ids or not, and headers.

use eventarium::store::{ArchiveSettings, Config, Direction, ExpectedRevision, NewEvent, RecordedEvent, Store};
use serde_json::json;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const FIXTURE: &str = include_str!("fixtures/store-correlations-v2.json");

/// `(stream, correlation, causation)` of each append, one event each but the last two.
const APPENDS: [(&str, Option<&str>, Option<&str>); 10] = [
    ("cart-1", Some("cmd-1"), Some("cmd-1")),
    ("cart-2", Some("cmd-2"), Some("cmd-2")),
    ("cart-1", Some("cmd-1"), Some("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")),
    ("cart-3", Some("cmd-10"), Some("cmd-10")),
    ("cart-2", Some("cmd-4"), Some("cmd-4")),
    ("cart-3", Some("cmd-01"), Some("cmd-01")),
    ("cart-1", Some("order-7"), Some("cmd-2")),
    ("cart-4", None, Some("loose")),
    ("cart-4", Some("cmd-11"), None),
    ("cart-2", Some("cmd-1"), Some("cmd-1")),
];

/// The store the fixture holds, built through the API.
fn build() -> Store {
    let mut store = Store::new(Config {
        seed: 11,
        ..Config::default()
    });
    let settings = ArchiveSettings {
        segment_events: 4,
        retain_ms: 0,
        retain_bytes: 0,
    };
    assert!(store.configure_archive(Some(settings)).is_ok(), "archive settings");
    for (n, (stream, correlation, causation)) in APPENDS.into_iter().enumerate() {
        let copies = if n >= APPENDS.len() - 2 { 3 } else { 1 };
        let events = (0..copies)
            .map(|i| {
                let mut event = NewEvent::new("Happened", json!({ "n": n, "i": i })).with_header("command", "Do");
                event.correlation_id = correlation.map(str::to_owned);
                event.causation_id = causation.map(str::to_owned);
                event
            })
            .collect();
        assert!(
            store.append(stream, ExpectedRevision::Any, events).is_ok(),
            "append {n}"
        );
        assert!(store.advance_ms(5).is_ok(), "clock");
    }
    assert!(store.upload_segments().is_ok(), "upload");
    store.scavenge();
    store
}

fn correlation_reads(store: &Store) -> Vec<Vec<RecordedEvent>> {
    let ids = [
        "cmd-1", "cmd-2", "cmd-4", "cmd-10", "cmd-11", "cmd-01", "order-7", "cmd-3", "loose",
    ];
    ids.iter()
        .flat_map(|id| {
            [
                store.read_correlation(id, 0, usize::MAX, Direction::Forwards),
                store.read_correlation(id, u64::MAX, 2, Direction::Backwards),
            ]
        })
        .collect()
}

#[test]
fn a_file_written_before_compact_correlations_imports_the_same() {
    let imported = Store::import_json(FIXTURE);
    assert!(imported.is_ok(), "import: {:?}", imported.as_ref().err());
    let imported = imported.unwrap_or_else(|_| Store::new(Config::default()));
    assert_eq!(imported.export_json(), FIXTURE.trim_end(), "export → import → export");
    let built = build();
    assert_eq!(
        built.export_json(),
        FIXTURE.trim_end(),
        "this build writes the same file"
    );
    assert_eq!(
        imported.read_all(0, usize::MAX, Direction::Forwards),
        built.read_all(0, usize::MAX, Direction::Forwards),
        "$all"
    );
    assert_eq!(
        correlation_reads(&imported),
        correlation_reads(&built),
        "correlation reads"
    );
    let cmd_1: Vec<u64> = correlation_reads(&imported)
        .first()
        .map(|events| events.iter().map(|e| e.position).collect())
        .unwrap_or_default();
    assert_eq!(cmd_1, [0, 2, 11, 12, 13], "cmd-1 by position, archived copies first");
}

/// Writes the fixture; run with `--ignored` on the build whose files it stands for.
#[cfg(not(target_arch = "wasm32"))]
#[test]
#[ignore = "writes tests/fixtures/store-correlations-v2.json"]
fn write_the_fixture() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-correlations-v2.json");
    assert!(
        std::fs::write(path, build().export_json() + "\n").is_ok(),
        "write {path}"
    );
}
