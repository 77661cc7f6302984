//! The store snapshot import: a document `Store::import_json` reads (the JS API's
//! `EventStore.importJson`, and a scenario's embedded events), then read, exported and imported
//! again.

use eventarium::store::{Direction, Store};

/// Imports `data` as a snapshot; one that imports is read, and its export must import again and
/// export the same text.
pub fn snapshot_import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(store) = Store::import_json(text) else {
        return;
    };
    let stats = store.stats();
    for (stream, _) in store.each_stream() {
        let _ = store.read_stream(stream, 0, 100, Direction::Forwards);
    }
    let _ = store.read_all(0, 1000, Direction::Forwards);
    drop(stats);
    let exported = store.export_json();
    match Store::import_json(&exported) {
        Ok(again) => assert!(
            again.export_json() == exported,
            "a store's export imports as another store"
        ),
        Err(error) => panic!("a store's export does not import again: {error}"),
    }
}
