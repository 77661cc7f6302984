//! The store's key vault: sealed values read back as written while their subject's key lives, as
//! shredded once it is forgotten, in the log, the archive and an export alike.

use eventarium::store::{ArchiveSettings, Config, Direction, ExpectedRevision, NewEvent, Store, SHREDDED};
use serde_json::{json, Value};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn customer_of(store: &Store, stream: &str) -> Value {
    let mut found = Value::Null;
    store
        .read_stream_raw(stream, 0, 1, Direction::Forwards, |e| {
            found = serde_json::from_str::<Value>(&e.data_json).unwrap_or_default()["email"].clone();
        })
        .expect("read");
    found
}

fn opened(store: &mut Store, stream: &str, subject: &str, email: &str) {
    let sealed = store.seal(subject, &json!(email));
    let event = NewEvent::new("CustomerRegistered", json!({ "id": subject, "email": sealed }));
    store
        .append(stream, ExpectedRevision::NoStream, vec![event])
        .expect("append");
}

#[test]
fn a_sealed_field_reads_back_until_its_subject_is_forgotten() {
    let mut store = Store::new(Config {
        seed: 9,
        ..Config::default()
    });
    opened(&mut store, "customer-1", "c-1", "ann@example.com");
    opened(&mut store, "customer-2", "c-2", "ben@example.com");
    assert_eq!(customer_of(&store, "customer-1"), json!("ann@example.com"));
    let export = store.export_json();
    assert!(!export.contains("ann@example.com"), "stored sealed");
    assert!(export.contains("\"$sealed\":\"k0\""), "{export}");

    let forgotten = store.forget_subject("c-1").expect("a known subject");
    assert_eq!((forgotten.events, forgotten.archived_copies), (1, 0));
    assert_eq!(forgotten.values, vec![json!("ann@example.com")]);
    assert_eq!(customer_of(&store, "customer-1"), json!(SHREDDED));
    assert_eq!(customer_of(&store, "customer-2"), json!("ben@example.com"));
    assert!(store.forget_subject("c-1").is_none(), "forgotten already");
    assert!(store.forget_subject("c-9").is_none(), "never known");

    let again = Store::import_json(&store.export_json()).expect("import");
    assert_eq!(customer_of(&again, "customer-1"), json!(SHREDDED));
    assert_eq!(customer_of(&again, "customer-2"), json!("ben@example.com"));
    let subjects: Vec<(String, bool)> = again.subjects().into_iter().map(|s| (s.subject, s.forgotten)).collect();
    assert_eq!(
        subjects,
        [(SHREDDED.to_owned(), true), ("c-2".to_owned(), false)],
        "not even its name is kept"
    );
}

#[test]
fn an_archived_copy_is_shredded_with_the_rest() {
    let mut store = Store::new(Config::default());
    store
        .configure_archive(Some(ArchiveSettings {
            segment_events: 1,
            retain_ms: 0,
            retain_bytes: 0,
        }))
        .expect("archiver");
    opened(&mut store, "customer-1", "c-1", "ann@example.com");
    opened(&mut store, "customer-2", "c-2", "ben@example.com");
    store.upload_segments().expect("uploaded");
    store.scavenge();
    assert_eq!(
        customer_of(&store, "customer-1"),
        json!("ann@example.com"),
        "read through the archive"
    );
    let forgotten = store.forget_subject("c-1").expect("known");
    assert_eq!((forgotten.events, forgotten.archived_copies), (1, 1));
    assert_eq!(customer_of(&store, "customer-1"), json!(SHREDDED));
    // A subject forgotten and back gets a new key.
    opened(&mut store, "customer-3", "c-1", "ann@new.example.com");
    assert_eq!(customer_of(&store, "customer-3"), json!("ann@new.example.com"));
    assert_eq!(customer_of(&store, "customer-1"), json!(SHREDDED));
}
