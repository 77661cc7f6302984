//! The data rules of `lint` on a small model: each rule fires and stays silent as its table says,
//! is silent when disabled, and `Linter::after_append` agrees with a full `lint` after every batch.

use eventarium::lint::{lint, Finding, Levels, Linter, Severity, Subject, Thresholds};
use eventarium::model::Model;
use eventarium::store::{Config, ExpectedRevision, NewEvent, Store};
use serde_json::json;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// `Thing` streams end (`ThingClosed`), `Log` streams never do, `Bomb`'s evolve throws on `Boom`;
/// `LogWritten` is at v2 with no upcaster from v1; projection `Counter` adds up, `Latest` sets.
fn model() -> Model {
    let versions = |n: u32| (1..=n).map(|v| json!({"version": v, "fields": []})).collect::<Vec<_>>();
    let evolve = "fn decide(command, state) { [] }\nfn evolve(state, event) { state }";
    let value = json!({
        "eventTypes": [
            {"name": "ThingOpened", "versions": versions(1)},
            {"name": "ThingNoted", "versions": versions(1)},
            {"name": "ThingClosed", "versions": versions(1)},
            {"name": "LogWritten", "versions": versions(2)},
        ],
        "commands": [{"name": "WriteLog", "streamType": "Log"}],
        "streamTypes": [
            {"name": "Thing", "streamIdPattern": "thing-{id}",
             "script": format!("// \"ThingOpened\" \"ThingNoted\" \"ThingClosed\"\n{evolve}")},
            {"name": "Log", "streamIdPattern": "log-{id}",
             "script": format!("// \"WriteLog\" makes \"LogWritten\"\n{evolve}")},
            {"name": "Bomb", "streamIdPattern": "bomb-{id}",
             "script": "fn decide(command, state) { [] }\nfn evolve(state, event) { if event.type == \"Boom\" { throw \"boom\"; } state }"},
        ],
        "projections": [
            {"name": "Counter", "source": {"categories": ["thing"]}, "key": "streamId",
             "logic": {"script": "fn on_ThingNoted(doc, event) { if doc == () { #{ n: 1 } } else { doc.n += 1; doc } }"}},
            {"name": "Latest", "source": {"categories": ["thing"]}, "key": "streamId",
             "logic": {"script": "fn on_ThingNoted(doc, event) { #{ last: event.revision } }"}},
        ],
    });
    serde_json::from_value(value).unwrap_or_else(|error| panic!("the test model does not parse: {error}"))
}

/// Small thresholds, so that a few events fire a rule.
fn thresholds() -> Thresholds {
    Thresholds {
        stream_events: Levels {
            info: 3,
            warning: 5,
            critical: 8,
        },
        stream_bytes: Levels {
            info: 100,
            warning: 200,
            critical: 400,
        },
        hot_share: 0.5,
        hot_window: 10,
        lifecycle_events: 4,
        category_families: 3,
        growth_min_events: 2,
        ..Thresholds::default()
    }
}

/// One append: `count` events of a type and version to a stream, each with a `pad`-character text.
type Append = (&'static str, &'static str, u32, usize, usize);

#[track_caller]
fn store_with(appends: &[Append]) -> Store {
    let mut store = Store::new(Config::default());
    for &(stream, event_type, version, count, pad) in appends {
        append(&mut store, stream, event_type, version, count, pad);
    }
    store
}

#[track_caller]
fn append(store: &mut Store, stream: &str, event_type: &str, version: u32, count: usize, pad: usize) {
    let events = (0..count)
        .map(|_| NewEvent::new(event_type, json!({ "pad": "x".repeat(pad) })).with_schema_version(version))
        .collect();
    if let Err(error) = store.append(stream, ExpectedRevision::Any, events) {
        panic!("append to {stream}: {error}");
    }
}

fn stream(id: &str) -> Subject {
    Subject::Stream { id: id.to_owned() }
}

struct Case {
    name: &'static str,
    appends: &'static [Append],
    code: &'static str,
    /// The findings of `code` expected, with a word their message must contain.
    want: Vec<(Severity, Subject, &'static str)>,
}

fn cases() -> Vec<Case> {
    use Severity::{Critical, Info, Warning};
    let case = |name, appends, code, want| Case {
        name,
        appends,
        code,
        want,
    };
    vec![
        case(
            "5 events warn",
            &[("thing-1", "ThingNoted", 1, 5, 0)],
            "oversized-stream",
            vec![(Warning, stream("thing-1"), "5 events")],
        ),
        case(
            "8 events are critical",
            &[("thing-1", "ThingNoted", 1, 8, 0)],
            "oversized-stream",
            vec![(Critical, stream("thing-1"), "8 events")],
        ),
        case(
            "2 events are fine",
            &[("thing-1", "ThingNoted", 1, 2, 0)],
            "oversized-stream",
            vec![],
        ),
        case(
            "big payload",
            &[("thing-1", "ThingNoted", 1, 1, 120)],
            "oversized-stream-bytes",
            vec![(Info, stream("thing-1"), "130 payload bytes")],
        ),
        case(
            "small payload",
            &[("thing-1", "ThingNoted", 1, 2, 10)],
            "oversized-stream-bytes",
            vec![],
        ),
        case(
            "a long log",
            &[("log-1", "LogWritten", 2, 4, 0)],
            "stream-without-lifecycle",
            vec![(
                Warning,
                Subject::StreamType { name: "Log".into() },
                "log-1 holds 4 events",
            )],
        ),
        case(
            "a short log",
            &[("log-1", "LogWritten", 2, 3, 0)],
            "stream-without-lifecycle",
            vec![],
        ),
        case(
            "a long thing that can close",
            &[("thing-1", "ThingNoted", 1, 9, 0)],
            "stream-without-lifecycle",
            vec![],
        ),
        case(
            "60% of the window",
            &[("thing-2", "ThingNoted", 1, 4, 0), ("thing-1", "ThingNoted", 1, 6, 0)],
            "hot-stream",
            vec![(Warning, stream("thing-1"), "6 of the last 10")],
        ),
        case(
            "50% is not more than half",
            &[("thing-2", "ThingNoted", 1, 5, 0), ("thing-1", "ThingNoted", 1, 5, 0)],
            "hot-stream",
            vec![],
        ),
        case(
            "window not full",
            &[("thing-1", "ThingNoted", 1, 6, 0)],
            "hot-stream",
            vec![],
        ),
        case(
            "three families",
            &[
                ("misc-1", "AlphaOne", 1, 1, 0),
                ("misc-2", "BetaTwo", 1, 1, 0),
                ("misc-1", "GammaThree", 1, 1, 0),
            ],
            "category-for-everything",
            vec![(Warning, Subject::Category { name: "misc".into() }, "Alpha, Beta, Gamma")],
        ),
        case(
            "two families",
            &[
                ("misc-1", "AlphaOne", 1, 1, 0),
                ("misc-1", "AlphaTwo", 1, 1, 0),
                ("misc-1", "BetaOne", 1, 1, 0),
            ],
            "category-for-everything",
            vec![],
        ),
        case(
            "v1 without upcaster",
            &[("thing-1", "ThingNoted", 1, 1, 0), ("log-1", "LogWritten", 1, 2, 0)],
            "missing-upcaster",
            vec![(
                Critical,
                Subject::EventType {
                    name: "LogWritten".into(),
                },
                "2 stored LogWritten v1 events (first at position 1)",
            )],
        ),
        case(
            "current version",
            &[("log-1", "LogWritten", 2, 2, 0)],
            "missing-upcaster",
            vec![],
        ),
        case(
            "evolve throws",
            &[("bomb-1", "ThingNoted", 1, 1, 0), ("bomb-1", "Boom", 1, 1, 0)],
            "throwing-evolve",
            vec![(Critical, stream("bomb-1"), "boom")],
        ),
        case(
            "evolve folds",
            &[("bomb-1", "ThingNoted", 1, 2, 0)],
            "throwing-evolve",
            vec![],
        ),
        case(
            "counter counts twice",
            &[("thing-1", "ThingOpened", 1, 1, 0), ("thing-1", "ThingNoted", 1, 1, 0)],
            "non-idempotent-projection",
            vec![(
                Warning,
                Subject::Projection { name: "Counter".into() },
                "ThingNoted at position 1",
            )],
        ),
        case(
            "no events to sample",
            &[("log-1", "LogWritten", 2, 1, 0)],
            "non-idempotent-projection",
            vec![],
        ),
    ]
}

const DATA_CODES: [&str; 10] = [
    "oversized-stream",
    "oversized-stream-bytes",
    "stream-growth",
    "unchecked-append",
    "stream-without-lifecycle",
    "hot-stream",
    "category-for-everything",
    "missing-upcaster",
    "throwing-evolve",
    "non-idempotent-projection",
];

fn of_code<'f>(findings: &'f [Finding], code: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

#[test]
fn each_data_rule_fires_as_its_table_says() {
    let model = model();
    for case in cases() {
        let store = store_with(case.appends);
        let findings = lint(&model, &store, &thresholds());
        let found = of_code(&findings, case.code);
        assert_eq!(found.len(), case.want.len(), "{}: {found:#?}", case.name);
        for (finding, (severity, subject, words)) in found.iter().zip(&case.want) {
            assert_eq!(
                (finding.code, finding.severity, &finding.subject),
                (case.code, *severity, subject),
                "{}",
                case.name
            );
            assert_eq!(finding.id, format!("{}:{subject}", case.code), "{}: id", case.name);
            assert!(
                finding.message.contains(words),
                "{}: {:?} lacks {words:?}",
                case.name,
                finding.message
            );
        }
    }
}

#[test]
fn a_disabled_rule_is_silent() {
    let model = model();
    for case in cases() {
        let store = store_with(case.appends);
        let thresholds = Thresholds {
            disabled: vec![case.code.to_owned()],
            ..thresholds()
        };
        let findings = lint(&model, &store, &thresholds);
        assert_eq!(of_code(&findings, case.code), Vec::<&Finding>::new(), "{}", case.name);
    }
}

#[test]
fn after_append_agrees_with_a_full_lint() {
    const STREAMS: [&str; 8] = [
        "thing-0", "thing-1", "thing-2", "log-0", "log-1", "bomb-0", "misc-0", "misc-1",
    ];
    const TYPES: [(&str, u32); 8] = [
        ("ThingOpened", 1),
        ("ThingNoted", 1),
        ("ThingNoted", 1),
        ("LogWritten", 2),
        ("LogWritten", 1),
        ("Boom", 1),
        ("AlphaOne", 1),
        ("BetaTwo", 1),
    ];
    let model = model();
    let mut store = store_with(&[("thing-0", "ThingNoted", 1, 2, 0)]);
    let mut linter = Linter::new(&model, &store, thresholds());
    let mut seed: u64 = 7;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    let mut fired = std::collections::BTreeSet::new();
    for step in 0..200 {
        let mut touched = Vec::new();
        for _ in 0..1 + next(2) {
            let stream = STREAMS[next(STREAMS.len())];
            let (event_type, version) = TYPES[next(TYPES.len())];
            append(&mut store, stream, event_type, version, 1 + next(3), next(3) * 30);
            touched.push(stream);
            let _ = store.advance_ms(next(3) as u64 * 60_000);
        }
        linter.after_append(&model, &store, &touched);
        let full = lint(&model, &store, linter.thresholds());
        assert_eq!(
            linter.findings(),
            full.as_slice(),
            "step {step} after appending to {touched:?}"
        );
        fired.extend(full.iter().map(|f| f.code).filter(|code| DATA_CODES.contains(code)));
    }
    assert_eq!(
        fired.len(),
        DATA_CODES.len(),
        "the sequence should fire every data rule, fired: {fired:?}"
    );
}

#[test]
fn relint_follows_a_model_change() {
    let mut model = model();
    let store = store_with(&[("log-1", "LogWritten", 1, 2, 0)]);
    let mut linter = Linter::new(&model, &store, thresholds());
    assert_eq!(of_code(linter.findings(), "missing-upcaster").len(), 1, "before");
    model.event_types.retain(|t| t.name != "LogWritten");
    linter.relint(&model, &store);
    assert_eq!(
        of_code(linter.findings(), "missing-upcaster").len(),
        0,
        "after the type is gone"
    );
    assert_eq!(
        linter.findings(),
        lint(&model, &store, linter.thresholds()).as_slice(),
        "same as lint"
    );
}
