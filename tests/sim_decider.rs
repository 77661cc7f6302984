//! Commands through the decider: given / when / then through the spec runner (upcast history,
//! rejections, empty decisions, errors), and through `sim::decider::handle_in_store` against a
//! real store: appends with the right expected revision, stored events never rewritten, nothing
//! written on a rejection or an error, conflicts, deletes and retention. Table-driven, the case in
//! every message.

mod support;

use eventarium::model::Model;
use eventarium::sim::decider::{self, Emitted, Metadata, Outcome};
use eventarium::sim::{Envelope, Error};
use eventarium::store::{Config, Direction, Error as StoreError, ExpectedRevision, NewEvent, Store};
use serde_json::{json, Value};
use support::given::{event, event_at, given, Case};
use support::{model, sandbox};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const ACCOUNT: &str = r#"
fn decide(command, state) {
    let d = command.data;
    switch command.type {
        "Open" => {
            if state.open { throw "account already open"; }
            [#{ type: "Opened", data: #{ accountId: d.accountId } }]
        },
        "Deposit" => {
            if !state.open { throw "account is not open"; }
            if d.amount == 0 { return []; }
            [#{ type: "Deposited", data: #{ amount: d.amount } }, #{ type: "BalanceChecked", data: #{ balance: state.balance + d.amount } }]
        },
        "Corrupt" => [#{ type: "Deposited", data: #{ amount: "ten" } }],
        _ => { throw "unknown command " + command.type; }
    }
}

fn evolve(state, event) {
    switch event.type {
        "Opened" => { state.open = true; },
        "Deposited" => { state.balance += event.data.amount; },
        _ => {}
    }
    state
}
"#;

fn account() -> Model {
    model(json!({
        "eventTypes": [
            {"name": "Opened", "versions": [{"version": 1, "fields": [{"name": "accountId", "type": "id"}]}]},
            {"name": "Deposited", "versions": [
                {"version": 1, "fields": [{"name": "cents", "type": "int"}]},
                {"version": 2, "fields": [
                    {"name": "amount", "type": "int"},
                    {"name": "currency", "type": "string", "required": false, "default": "EUR"},
                ]},
            ]},
            {"name": "BalanceChecked", "versions": [{"version": 1, "fields": [{"name": "balance", "type": "int"}]}]},
        ],
        "commands": [
            {"name": "Open", "streamType": "Account", "fields": [{"name": "accountId", "type": "id"}]},
            {"name": "Deposit", "streamType": "Account", "fields": [{"name": "amount", "type": "int"}]},
            {"name": "Corrupt", "streamType": "Account"},
        ],
        "streamTypes": [{
            "name": "Account",
            "streamIdPattern": "account-{id}",
            "initialState": {"open": false, "balance": 0},
            "script": ACCOUNT,
        }],
        "upcasters": [{"eventType": "Deposited", "from": 1, "to": 2, "logic": {"ops": [
            {"op": "renameField", "from": "cents", "to": "amount"},
        ]}}],
    }))
}

/// `(revision, type, version, data)` of every event of a stream, `[]` when it was never written.
#[track_caller]
fn stream(store: &Store, stream_id: &str) -> Vec<(u64, String, u32, Value)> {
    match store.read_stream(stream_id, 0, usize::MAX, Direction::Forwards) {
        Ok(events) => events
            .into_iter()
            .map(|e| (e.revision, e.event_type, e.schema_version, e.data))
            .collect(),
        Err(StoreError::StreamNotFound { .. }) => Vec::new(),
        Err(error) => panic!("reading {stream_id}: {error}"),
    }
}

fn emitted(event_type: &str, schema_version: u32, data: Value) -> Emitted {
    Emitted {
        event_type: event_type.to_owned(),
        schema_version,
        data,
    }
}

#[test]
fn commands_append_with_no_stream_then_with_the_exact_revision() {
    let model = account();
    let mut sandbox = sandbox();
    let mut store = Store::new(Config::default());
    let open = decider::handle_in_store(
        &model,
        &mut sandbox,
        &mut store,
        "account-1",
        "Open",
        &json!({"accountId": "1"}),
    );
    assert_eq!(
        open,
        Ok(Outcome::Accepted(vec![emitted("Opened", 1, json!({"accountId": "1"}))])),
        "first command: the outcome"
    );
    assert_eq!(
        stream(&store, "account-1"),
        [(0, "Opened".to_owned(), 1, json!({"accountId": "1"}))],
        "first command: appended to the new stream"
    );
    let deposit = decider::handle_in_store(
        &model,
        &mut sandbox,
        &mut store,
        "account-1",
        "Deposit",
        &json!({"amount": 5}),
    );
    let deposited = json!({"amount": 5, "currency": "EUR"});
    assert_eq!(
        deposit,
        Ok(Outcome::Accepted(vec![
            emitted("Deposited", 2, deposited.clone()),
            emitted("BalanceChecked", 1, json!({"balance": 5})),
        ])),
        "second command: the outcome, defaults filled in, at the current version"
    );
    assert_eq!(
        stream(&store, "account-1"),
        [
            (0, "Opened".to_owned(), 1, json!({"accountId": "1"})),
            (1, "Deposited".to_owned(), 2, deposited),
            (2, "BalanceChecked".to_owned(), 1, json!({"balance": 5})),
        ],
        "second command: appended after revision 0"
    );
    let pristine = stream(&store, "account-2");
    assert_eq!(pristine, [], "another stream is untouched");
}

#[test]
fn history_is_upcast_before_it_is_folded() {
    let model = account();
    given(
        &model,
        [
            event("account-1", "Opened", json!({"accountId": "1"})),
            event_at("account-1", "Deposited", 1, json!({"cents": 40})),
        ],
    )
    .when("account-1", "Deposit", json!({"amount": 2}))
    .then([
        ("Deposited", json!({"amount": 2, "currency": "EUR"})),
        ("BalanceChecked", json!({"balance": 42})),
    ]);
}

#[test]
fn stored_history_is_upcast_when_read_and_never_rewritten() {
    let model = account();
    let mut store = Store::new(Config::default());
    let old = [
        NewEvent::new("Opened", json!({"accountId": "1"})),
        NewEvent::new("Deposited", json!({"cents": 40})).with_schema_version(1),
    ];
    let appended = store.append("account-1", ExpectedRevision::NoStream, old.to_vec());
    assert!(appended.is_ok(), "old events: {appended:?}");
    let deposit = decider::handle_in_store(
        &model,
        &mut sandbox(),
        &mut store,
        "account-1",
        "Deposit",
        &json!({"amount": 2}),
    );
    let balance = match &deposit {
        Ok(Outcome::Accepted(events)) => events.get(1).map(|e| e.data.clone()),
        _ => None,
    };
    assert_eq!(
        balance,
        Some(json!({"balance": 42})),
        "the v1 event counted as amount 40: {deposit:?}"
    );
    let versions: Vec<(u64, u32)> = stream(&store, "account-1").iter().map(|e| (e.0, e.2)).collect();
    assert_eq!(
        versions,
        [(0, 1), (1, 1), (2, 2), (3, 1)],
        "stored events are never rewritten"
    );
}

/// What the spec runner must find for an outcome `handle_in_store` gives.
#[track_caller]
fn then(case: Case, expected: &Result<Outcome, Error>) {
    match expected {
        Ok(Outcome::Accepted(events)) if events.is_empty() => case.then_nothing(),
        Ok(Outcome::Accepted(events)) => case.then(events.iter().map(|e| (e.event_type.as_str(), e.data.clone()))),
        Ok(Outcome::Rejected(rejection)) => case.then_rejected(&rejection.message),
        Err(error) => case.then_error(error.clone()),
    }
}

/// Each case decided twice: as a spec (given the opened account) and by `handle_in_store` on a
/// store holding the same event, which must then be left as it was.
#[test]
fn rejections_errors_and_empty_decisions_write_nothing() {
    let model = account();
    let opened = || {
        let mut store = Store::new(Config::default());
        let opened = NewEvent::new("Opened", json!({"accountId": "1"}));
        let appended = store.append("account-1", ExpectedRevision::NoStream, vec![opened]);
        assert!(appended.is_ok(), "setting up: {appended:?}");
        store
    };
    let payload_error = |subject: &str, path: &str, problem: &str| {
        Err(Error::Payload(eventarium::model::PayloadError {
            subject: subject.to_owned(),
            path: path.to_owned(),
            problem: problem.to_owned(),
        }))
    };
    let rejected = |message: &str| {
        Ok(Outcome::Rejected(decider::Rejection {
            message: message.to_owned(),
            value: json!(message),
        }))
    };
    let cases = [
        (
            "a rejection",
            "account-1",
            "Open",
            json!({"accountId": "1"}),
            rejected("account already open"),
        ),
        (
            "a rejection on a new stream",
            "account-2",
            "Deposit",
            json!({"amount": 1}),
            rejected("account is not open"),
        ),
        (
            "an empty decision",
            "account-1",
            "Deposit",
            json!({"amount": 0}),
            Ok(Outcome::Accepted(vec![])),
        ),
        (
            "an emitted event that does not match its schema",
            "account-1",
            "Corrupt",
            json!({}),
            payload_error("Deposited v2", "amount", r#"expected int, got "ten""#),
        ),
        (
            "a command payload that does not match its schema",
            "account-1",
            "Deposit",
            json!({"amount": 1.5}),
            payload_error("Deposit", "amount", "expected int, got 1.5"),
        ),
        (
            "a stream of another type",
            "cart-1",
            "Deposit",
            json!({"amount": 1}),
            Err(Error::WrongStream {
                command: "Deposit".to_owned(),
                stream_type: "Account".to_owned(),
                pattern: "account-{id}".to_owned(),
                stream_id: "cart-1".to_owned(),
            }),
        ),
    ];
    for (case, stream_id, command, data, expected) in cases {
        let decided = given(&model, [event("account-1", "Opened", json!({"accountId": "1"}))])
            .when(stream_id, command, data.clone())
            .named(case);
        then(decided, &expected);
        let mut store = opened();
        let before = store.read_all(0, usize::MAX, Direction::Forwards);
        let outcome = decider::handle_in_store(&model, &mut sandbox(), &mut store, stream_id, command, &data);
        assert_eq!(outcome, expected, "{case}: the outcome");
        assert_eq!(
            store.read_all(0, usize::MAX, Direction::Forwards),
            before,
            "{case}: nothing written"
        );
    }
}

#[test]
fn an_emitted_event_off_its_schema_names_the_event_field_and_expectation() {
    let model = account();
    let mut store = Store::new(Config::default());
    let result = decider::handle_in_store(&model, &mut sandbox(), &mut store, "account-1", "Corrupt", &json!({}));
    let message = result.map_err(|e| e.to_string());
    assert_eq!(
        message,
        Err(r#"Deposited v2: field "amount": expected int, got "ten""#.to_owned()),
        "corrupt event: the message"
    );
    assert_eq!(stream(&store, "account-1"), [], "corrupt event: nothing written");
}

/// `handle_in_store` reads and appends within one call, so no writer can come in between there.
/// This plays the same protocol by hand (read, decide with `handle`, append with the revision read)
/// with another writer in between, then shows `handle_in_store` succeeding on the retry.
#[test]
fn a_writer_in_between_makes_the_append_conflict_and_a_retry_sees_its_event() {
    let model = account();
    let mut sandbox = sandbox();
    let mut store = Store::new(Config::default());
    let open = decider::handle_in_store(
        &model,
        &mut sandbox,
        &mut store,
        "account-1",
        "Open",
        &json!({"accountId": "1"}),
    );
    assert!(open.is_ok(), "open: {open:?}");
    let read = store
        .read_stream("account-1", 0, usize::MAX, Direction::Forwards)
        .unwrap_or_default();
    let history: Vec<Envelope> = read.iter().map(Envelope::from_recorded).collect();
    let outcome = decider::handle(
        &model,
        &mut sandbox,
        "account-1",
        &history,
        "Deposit",
        &json!({"amount": 5}),
        &Metadata::at(store.now_ms()),
    );
    let Ok(Outcome::Accepted(decided)) = outcome else {
        panic!("conflict: decided {outcome:?}")
    };
    let other = NewEvent::new("Deposited", json!({"amount": 100, "currency": "EUR"})).with_schema_version(2);
    let other_append = store.append("account-1", ExpectedRevision::Any, vec![other]);
    assert!(other_append.is_ok(), "the other writer: {other_append:?}");
    let events = decided
        .iter()
        .map(|e| NewEvent::new(e.event_type.clone(), e.data.clone()).with_schema_version(e.schema_version))
        .collect();
    let late = store.append("account-1", ExpectedRevision::Exact(0), events);
    let conflict = StoreError::WrongExpectedVersion {
        stream_id: "account-1".to_owned(),
        expected: ExpectedRevision::Exact(0),
        actual: Some(1),
    };
    assert_eq!(late.map(|_| ()), Err(conflict), "conflict: the late append is refused");
    let retry = decider::handle_in_store(
        &model,
        &mut sandbox,
        &mut store,
        "account-1",
        "Deposit",
        &json!({"amount": 5}),
    );
    let balance = match retry {
        Ok(Outcome::Accepted(events)) => events.get(1).map(|e| e.data.clone()),
        _ => None,
    };
    assert_eq!(
        balance,
        Some(json!({"balance": 105})),
        "retry: decided on the other writer's event"
    );
    let revisions: Vec<(u64, String)> = stream(&store, "account-1").into_iter().map(|e| (e.0, e.1)).collect();
    let expected = [(0, "Opened"), (1, "Deposited"), (2, "Deposited"), (3, "BalanceChecked")];
    assert_eq!(
        revisions,
        expected.map(|(r, t)| (r, t.to_owned())),
        "retry: appended after revision 1"
    );
}

#[test]
fn a_deleted_stream_is_a_store_error() {
    let model = account();
    let mut store = Store::new(Config::default());
    let deleted = store.delete_stream("account-1", ExpectedRevision::Any, eventarium::store::DeleteMode::Hard);
    assert!(deleted.is_ok(), "tombstone: {deleted:?}");
    let result = decider::handle_in_store(
        &model,
        &mut sandbox(),
        &mut store,
        "account-1",
        "Open",
        &json!({"accountId": "1"}),
    );
    let expected = Error::Store(StoreError::StreamDeleted {
        stream_id: "account-1".to_owned(),
    });
    assert_eq!(result, Err(expected), "tombstone: the error");
}

#[test]
fn a_stream_whose_events_are_hidden_by_retention_still_accepts_commands() {
    use eventarium::store::StreamMetadata;
    let model = account();
    let cases = [
        (
            "truncate_before",
            StreamMetadata {
                truncate_before: Some(1),
                ..StreamMetadata::default()
            },
        ),
        (
            "max_age_ms",
            StreamMetadata {
                max_age_ms: Some(1),
                ..StreamMetadata::default()
            },
        ),
    ];
    for (case, metadata) in cases {
        let mut store = Store::new(Config::default());
        let opened = NewEvent::new("Opened", json!({"accountId": "1"}));
        assert!(
            store
                .append("account-1", ExpectedRevision::NoStream, vec![opened])
                .is_ok(),
            "{case}"
        );
        assert!(store.set_stream_metadata("account-1", metadata).is_ok(), "{case}");
        assert!(store.advance_ms(10).is_ok(), "{case}");
        let result = decider::handle_in_store(
            &model,
            &mut sandbox(),
            &mut store,
            "account-1",
            "Open",
            &json!({"accountId": "1"}),
        );
        assert!(matches!(result, Ok(Outcome::Accepted(_))), "{case}: {result:?}");
        assert_eq!(
            store.last_revision("account-1"),
            Ok(Some(1)),
            "{case}: appended after the hidden event"
        );
    }
}
