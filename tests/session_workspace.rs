//! The app layer's workspace: commands from the console, the stream list and the timeline,
//! saving and restoring, specs, drafted edits, schema evolution, two participants, charts, load
//! generators and time travel.

use eventarium::model::edit::{self, Kind};
use eventarium::model::{BuiltIn, Scenario, Spec, BUILT_IN};
use eventarium::session::{histogram, Draft, ExpectedMode, SendOutcome, StoredVersion, StreamOrder, Workspace};
use eventarium::sim::spec::SpecReport;
use serde_json::json;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
fn cart() -> Workspace {
    let scenario = Scenario::import(BUILT_IN[0].text).unwrap_or_else(|p| panic!("{p:?}"));
    Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"))
}

fn event_type_index(workspace: &Workspace, name: &str) -> usize {
    let types = &workspace.scenario().model.event_types;
    types
        .iter()
        .position(|t| t.name == name)
        .unwrap_or_else(|| panic!("no event type {name}"))
}

fn open_cart(workspace: &mut Workspace, n: u32) -> SendOutcome {
    let data = json!({"cartId": n.to_string(), "customerId": "c-1"});
    workspace.send("OpenCart", &format!("cart-{n}"), data, ExpectedMode::Read)
}

#[test]
fn a_long_stream_list_shows_its_first_streams_by_id_and_counts_the_rest() {
    use StreamOrder::{LongestFirst, Natural};
    let mut workspace = cart();
    for n in 1..=30 {
        open_cart(&mut workspace, n);
    }
    let data = json!({"cartId": "17", "productId": "p", "qty": 1, "unitPrice": 1});
    workspace.send("AddItem", "cart-17", data, ExpectedMode::Read);
    let listed = |filter: &str, order: StreamOrder| -> Vec<String> {
        let groups = workspace.streams(filter, order, 5);
        groups[0].streams.iter().map(|s| s.id.clone()).collect()
    };
    let cases = [
        ("", Natural, ["cart-1", "cart-2", "cart-3", "cart-4", "cart-5"]),
        (
            "cart-2*",
            Natural,
            ["cart-2", "cart-20", "cart-21", "cart-22", "cart-23"],
        ),
        ("", LongestFirst, ["cart-17", "cart-1", "cart-2", "cart-3", "cart-4"]),
        (
            "cart-1*",
            LongestFirst,
            ["cart-17", "cart-1", "cart-10", "cart-11", "cart-12"],
        ),
    ];
    for (filter, order, want) in cases {
        assert_eq!(listed(filter, order), want, "{filter:?} {order:?}");
    }
    let groups = workspace.streams("", Natural, 5);
    assert_eq!((groups[0].matching, groups[0].events, groups[0].longest), (30, 31, 2));
    let filtered = workspace.streams("cart-2*", Natural, 5);
    assert_eq!(filtered[0].matching, 11, "cart-2 and cart-20 to cart-29");
    assert_eq!(filtered[0].longest, 1);
}

#[test]
fn a_command_appends_and_its_stream_is_listed() {
    let mut workspace = cart();
    let outcome = open_cart(&mut workspace, 1);
    assert_eq!(
        outcome,
        SendOutcome::Appended {
            command_id: "cmd-1".into(),
            stream_id: "cart-1".into(),
            events: vec![("CartOpened".into(), 0)],
        }
    );
    let groups = workspace.streams("", StreamOrder::Natural, 10);
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!((groups[0].category.as_str(), groups[0].events), ("cart", 1));
    assert_eq!(workspace.stream_span("cart-1"), Some((0, 1)));
    assert_eq!(workspace.stream_span("cart-2"), None);
    let events = workspace.stream_page("cart-1", 0, 10);
    assert_eq!(
        events.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>(),
        ["CartOpened"]
    );
    assert_eq!(workspace.event(0).map(|e| e.stream_id), Some("cart-1".to_owned()));
}

#[test]
fn rejections_conflicts_and_bad_payloads_are_told_apart() {
    let mut workspace = cart();
    open_cart(&mut workspace, 1);
    assert_eq!(
        open_cart(&mut workspace, 1),
        SendOutcome::Rejected("cart already opened".into()),
        "a second opening"
    );
    // The decider accepts the item; the append then finds the stream is not new.
    let item = json!({"cartId": "1", "productId": "p", "qty": 1, "unitPrice": 5});
    let conflict = workspace.send("AddItem", "cart-1", item, ExpectedMode::NoStream);
    assert!(matches!(conflict, SendOutcome::Conflict(_)), "{conflict:?}");
    let bad = workspace.send("AddItem", "cart-1", json!({"cartId": "1"}), ExpectedMode::Read);
    assert!(
        matches!(&bad, SendOutcome::Failed(message) if message.contains("productId")),
        "{bad:?}"
    );
    assert_eq!(workspace.event_count(), 1, "nothing else was appended");
}

#[test]
fn a_saved_workspace_restores_with_its_events() {
    let mut workspace = cart();
    open_cart(&mut workspace, 1);
    open_cart(&mut workspace, 2);
    let restored = Workspace::restore(&workspace.save()).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(restored.event_count(), 2);
    assert_eq!(restored.save(), workspace.save(), "save → restore → save");
    let problems = Workspace::restore("{\"format\": 1}").err().unwrap_or_default();
    assert!(!problems.is_empty(), "a broken document is refused with its problems");
}

#[test]
fn the_built_in_specs_run_all_or_one_by_name() {
    let workspace = cart();
    let all = workspace.run_specs(None);
    assert_eq!(all.len(), 13, "the cart has 13 specs");
    assert!(all.iter().all(SpecReport::passed), "{all:#?}");
    let first = all[0].name.clone();
    let one = workspace.run_specs(Some(&first));
    assert_eq!(
        one.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        [first.as_str()]
    );
}

#[test]
fn a_new_event_type_and_command_drafted_in_place_run() {
    let mut workspace = cart();
    let note =
        json!({"name": "NoteAdded", "versions": [{"version": 1, "fields": [{"name": "text", "type": "string"}]}]});
    workspace
        .put(Kind::EventType, None, note)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    let command = json!({"name": "AddNote", "streamType": "Cart", "fields": [{"name": "text", "type": "string"}]});
    assert!(workspace.check(Kind::Command, None, &command).is_empty());
    let cart_at = 0;
    let mut cart = edit::get(workspace.scenario(), Kind::StreamType, cart_at).unwrap_or_default();
    let script = cart["script"].as_str().unwrap_or_default().replacen(
        "fn decide(command, state) {",
        "fn decide(command, state) {\n    if command.type == \"AddNote\" { return [#{ type: \"NoteAdded\", data: #{ text: command.data.text } }]; }",
        1,
    );
    cart["script"] = json!(script);
    let (at, _) = workspace
        .put(Kind::Command, None, command)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(workspace.scenario().model.commands[at].name, "AddNote");
    workspace
        .put(Kind::StreamType, Some(cart_at), cart)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    let sent = workspace.send("AddNote", "cart-9", json!({"text": "hello"}), ExpectedMode::Read);
    assert!(
        matches!(&sent, SendOutcome::Appended { events, .. } if events[0].0 == "NoteAdded"),
        "{sent:?}"
    );
    let restored = Workspace::restore(&workspace.save()).unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(
        restored.scenario().model.command("AddNote").is_some(),
        "saved with the work"
    );
}

#[test]
fn a_refused_edit_changes_nothing() {
    let mut workspace = cart();
    open_cart(&mut workspace, 1);
    let before = workspace.save();
    let broken = json!({"name": "Cart", "streamIdPattern": "cart-{id}", "script": "fn decide(command, state) {"});
    let problems = workspace
        .put(Kind::StreamType, Some(0), broken)
        .err()
        .unwrap_or_default();
    assert!(
        problems
            .iter()
            .any(|p| p.path == "model.streamTypes[0].script" && p.line.is_some()),
        "{problems:#?}"
    );
    assert_eq!(workspace.save(), before);
}

#[test]
fn an_edit_that_strands_stored_events_is_refused() {
    let mut workspace = cart();
    open_cart(&mut workspace, 1);
    let at = event_type_index(&workspace, "CartOpened");
    let mut opened = edit::get(workspace.scenario(), Kind::EventType, at).unwrap_or_default();
    let mut v2 = opened["versions"][0].clone();
    v2["version"] = json!(2);
    if let Some(versions) = opened["versions"].as_array_mut() {
        versions.push(v2);
    }
    let problems = workspace.check(Kind::EventType, Some(at), &opened);
    assert!(
        problems
            .iter()
            .any(|p| p.path == "events" && p.message.contains("CartOpened v1")),
        "{problems:#?}"
    );
    assert!(workspace.put(Kind::EventType, Some(at), opened).is_err());
    assert_eq!(
        workspace.scenario().model.event_types[at].current_version(),
        1,
        "unchanged"
    );
}

#[test]
fn an_endless_loop_in_a_decider_is_stopped_with_a_message() {
    let mut workspace = cart();
    let mut cart = edit::get(workspace.scenario(), Kind::StreamType, 0).unwrap_or_default();
    cart["script"] = json!("fn decide(command, state) {\n    loop { }\n}\n\nfn evolve(state, event) {\n    state\n}\n");
    workspace
        .put(Kind::StreamType, Some(0), cart)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    let outcome = open_cart(&mut workspace, 1);
    assert!(
        matches!(&outcome, SendOutcome::Failed(message) if message.contains("line 2")),
        "{outcome:?}"
    );
}

#[test]
fn a_version_added_with_its_upcaster_shows_old_events_upcast() {
    let mut workspace = cart();
    open_cart(&mut workspace, 1);
    let at = event_type_index(&workspace, "CartOpened");
    let version = json!({"version": 2, "fields": [
        {"name": "cartId", "type": "id"}, {"name": "customerId", "type": "id"},
        {"name": "channel", "type": "string", "required": false, "default": "web"}]});
    let upcaster = json!({"eventType": "CartOpened", "from": 1, "to": 2,
        "logic": {"ops": [{"op": "addField", "field": "channel", "default": "shop"}]}});
    let lonely = workspace.check_version(
        at,
        version.clone(),
        json!({"eventType": "CartOpened", "from": 1, "to": 2, "logic": {"ops": [{"op": "removeField", "field": "nope"}]}}),
    );
    assert!(
        !lonely.is_empty(),
        "an upcaster that leaves out the new required field is refused"
    );
    workspace
        .add_version(at, version, upcaster)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(
        workspace.stored_versions("CartOpened"),
        [StoredVersion {
            version: 1,
            events: 1,
            unreadable: None
        }]
    );
    let views = workspace.upcast_views("CartOpened", 10);
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].stored.schema_version, 1);
    let read = views[0].read.clone().unwrap_or_default();
    assert_eq!(
        (read[0].schema_version, read[0].data["channel"].as_str()),
        (2, Some("shop"))
    );
}

#[test]
fn one_event_is_shown_upcast_by_its_position_split_or_failing() {
    let mut workspace = cart();
    for n in [1, 2] {
        open_cart(&mut workspace, n);
    }
    let at = event_type_index(&workspace, "CartOpened");
    let version = json!({"version": 2, "fields": [
        {"name": "cartId", "type": "id"}, {"name": "customerId", "type": "id"},
        {"name": "channel", "type": "string", "required": false, "default": "web"}]});
    let script = r#"fn upcast(event) {
    if event.streamId == "cart-2" { throw "cart-2 was opened by hand"; }
    let opened = #{ data: event.data };
    opened.data.channel = "shop";
    [opened, #{ type: "CartNoted", schemaVersion: 1, data: #{ note: "from v1" } }]
}"#;
    let upcaster = json!({"eventType": "CartOpened", "from": 1, "to": 2, "logic": {"script": script}});
    workspace
        .add_version(at, version, upcaster)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    open_cart(&mut workspace, 3);

    let split = workspace
        .upcast_view(0)
        .unwrap_or_else(|| panic!("cart-1's v1 event has a view"));
    assert_eq!(
        (split.stored.stream_id.as_str(), split.stored.schema_version),
        ("cart-1", 1),
        "as stored"
    );
    assert_eq!(
        split.stored.data.get("channel"),
        None,
        "the stored payload is untouched"
    );
    let read: Vec<(String, u32, Option<&str>)> = split
        .read
        .as_ref()
        .unwrap_or_else(|e| panic!("cart-1 upcasts: {e}"))
        .iter()
        .map(|e| (e.event_type.clone(), e.schema_version, e.data["channel"].as_str()))
        .collect();
    assert_eq!(
        read,
        [
            ("CartOpened".to_owned(), 2, Some("shop")),
            ("CartNoted".to_owned(), 1, None)
        ],
        "split in two, the first at the current version"
    );

    let failed = workspace
        .upcast_view(1)
        .unwrap_or_else(|| panic!("cart-2's v1 event has a view"));
    let error = failed.read.clone().err().unwrap_or_default();
    assert!(
        error.contains("upcaster CartOpened v1→v2") && error.contains("cart-2 was opened by hand"),
        "the upcaster's error: {error}"
    );
    assert_eq!(failed.stored.stream_id, "cart-2", "the failing event as stored");

    let current = workspace.event(2).map(|e| (e.stream_id, e.schema_version));
    assert_eq!(current, Some(("cart-3".to_owned(), 2)), "cart-3 was opened at v2");
    assert_eq!(
        workspace.upcast_view(2),
        None,
        "an event at the current version has no view"
    );
    assert_eq!(workspace.upcast_view(99), None, "no event at that position");
    assert_eq!(
        workspace.upcast_views("CartOpened", 10),
        [split, failed],
        "the schema lab's views are the same, one per old event"
    );
}

#[test]
fn two_participants_decide_on_the_same_revision_and_the_second_append_conflicts() {
    let mut workspace = cart();
    open_cart(&mut workspace, 1);
    let item = |product: &str| json!({"cartId": "1", "productId": product, "qty": 1, "unitPrice": 5});
    let ann = workspace.decide("AddItem", "cart-1", item("p-1"), ExpectedMode::Read);
    let ben = workspace.decide("AddItem", "cart-1", item("p-2"), ExpectedMode::Read);
    let (Ok(ann), Ok(ben)) = (ann, ben) else {
        panic!("both decide")
    };
    assert!(matches!(workspace.commit(&ben), SendOutcome::Appended { .. }));
    let conflict = workspace.commit(&ann);
    assert!(
        matches!(&conflict, SendOutcome::Conflict(m) if m.contains("expected")),
        "{conflict:?}"
    );
    // The retry reads again and goes through.
    let retry = workspace.send("AddItem", "cart-1", item("p-1"), ExpectedMode::Read);
    assert!(matches!(retry, SendOutcome::Appended { .. }), "{retry:?}");
    assert_eq!(workspace.event_count(), 3);
}

#[test]
fn stream_lengths_fall_in_doubling_buckets() {
    assert!(histogram(&[]).is_empty());
    let buckets = histogram(&[1, 1, 2, 3, 4, 5, 9, 16]);
    let labels: Vec<(&str, u64)> = buckets.iter().map(|(l, n)| (l.as_str(), *n)).collect();
    assert_eq!(labels, [("1", 2), ("2", 1), ("3–4", 2), ("5–8", 1), ("9–16", 2)]);
}

#[test]
fn the_charts_read_lengths_types_growth_and_lag() {
    let mut workspace = cart();
    for n in 1..=3 {
        open_cart(&mut workspace, n);
    }
    let item = json!({"cartId": "1", "productId": "p", "qty": 1, "unitPrice": 5});
    workspace.send("AddItem", "cart-1", item, ExpectedMode::Read);
    let data = workspace.chart_data();
    assert_eq!(data.stream_lengths, [("1".to_owned(), 2), ("2".to_owned(), 1)]);
    assert_eq!(
        data.per_type,
        [("CartOpened".to_owned(), 3), ("ItemAdded".to_owned(), 1)]
    );
    assert_eq!(data.growth.last().map(|g| g.1), Some(4));
    assert_eq!(data.lags.len(), 2);
}

#[test]
fn the_default_generator_fills_streams_and_time_travel_sees_the_past() {
    let mut workspace = cart();
    let generator = workspace.default_generator();
    workspace.start_load(generator, 7).unwrap_or_else(|p| panic!("{p:#?}"));
    while workspace.tick_load(100).is_ok_and(|r| !r.done) {}
    let status = workspace.load_status().unwrap_or_else(|| panic!("a run"));
    assert!(status.done && status.accepted > 200, "{status:?}");
    assert!(workspace.event_count() > 200);
    let early = workspace.streams_at(0);
    assert_eq!(early.len(), 1, "one stream after the first event: {early:?}");
    let now = workspace.streams_at(u64::MAX);
    assert_eq!(now.iter().map(|s| s.1).sum::<u64>(), workspace.event_count());
    workspace.run_until_idle();
    let at_zero = workspace.documents_at("CartSummary", 0).unwrap_or_default();
    assert_eq!(at_zero.len(), 1);
    assert!(workspace.start_load(json!({"name": "x"}), 1).is_err());
}

#[test]
fn a_draft_is_changed_once_it_differs_from_what_it_was_opened_on() {
    let workspace = cart();
    let index = event_type_index(&workspace, "ItemAdded");
    let saved = edit::get(workspace.scenario(), Kind::EventType, index).unwrap_or_default();
    let mut draft = Draft {
        kind: Kind::EventType,
        index: Some(index),
        item: saved,
        blue_green: false,
    };
    assert!(!workspace.draft_is_changed(&draft), "opened and untouched");
    draft.set("/description", json!("typed"));
    assert!(workspace.draft_is_changed(&draft), "a description typed");

    let mut new = Draft {
        kind: Kind::Command,
        index: None,
        item: edit::template(workspace.scenario(), Kind::Command),
        blue_green: false,
    };
    assert!(!workspace.draft_is_changed(&new), "a new one as the template made it");
    new.set("/name", json!("Checkout"));
    assert!(workspace.draft_is_changed(&new), "a new one named");
}

#[test]
fn reset_finds_the_built_in_scenario_a_workspace_was_opened_from() {
    for (index, built_in) in BUILT_IN.iter().enumerate() {
        let scenario = Scenario::import(built_in.text).unwrap_or_else(|p| panic!("{p:?}"));
        let found = BuiltIn::named(&scenario.name).map(|(at, b)| (at, b.id));
        assert_eq!(found, Some((index, built_in.id)), "{}", scenario.name);
    }
    assert_eq!(BUILT_IN[1].name(), "Hotel guest stay");
    assert!(BuiltIn::named("My own scenario").is_none());
}

#[test]
fn a_required_field_added_with_its_upcaster_upcasts_the_specs_given_events() {
    let mut workspace = cart();
    let at = event_type_index(&workspace, "CartOpened");
    let version = json!({"version": 2, "fields": [
        {"name": "cartId", "type": "id"}, {"name": "customerId", "type": "id"},
        {"name": "channel", "type": "string", "required": true}]});
    let upcaster = json!({"eventType": "CartOpened", "from": 1, "to": 2,
        "logic": {"ops": [{"op": "addField", "field": "channel", "default": "shop"}]}});
    assert_eq!(workspace.check_version(at, version.clone(), upcaster.clone()), []);
    workspace
        .add_version(at, version, upcaster)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    // The specs' CartOpened events were written at v1; read through the upcaster, the specs
    // that start from one still pass. (The spec that opens a cart now fails, rightly: the
    // decider does not set the new field yet.)
    let specs = &workspace.scenario().specs;
    let given_opened = |spec: &&Spec| spec.given().iter().any(|event| event.event_type == "CartOpened");
    let versions: Vec<Option<u32>> = specs
        .iter()
        .flat_map(|spec| spec.given().iter())
        .filter(|event| event.event_type == "CartOpened")
        .map(|event| event.version)
        .collect();
    assert!(
        !versions.is_empty() && versions.iter().all(|v| *v == Some(1)),
        "{versions:?}"
    );
    let starting_open: Vec<String> = specs.iter().filter(given_opened).map(|s| s.name().to_owned()).collect();
    let failed: Vec<SpecReport> = workspace
        .run_specs(None)
        .into_iter()
        .filter(|report| starting_open.contains(&report.name) && !report.passed())
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn a_spec_problem_names_the_spec() {
    let workspace = cart();
    let at = event_type_index(&workspace, "CartOpened");
    let version = json!({"version": 2, "fields": [{"name": "cartId", "type": "id"}]});
    let no_upcaster = json!({"eventType": "ItemAdded", "from": 9, "to": 10, "logic": {"ops": []}});
    let problems = workspace.check_version(at, version, no_upcaster);
    let given = problems
        .iter()
        .find(|p| p.path.contains(".given["))
        .map(|p| p.message.clone());
    assert!(given.is_some_and(|m| m.starts_with("in spec \"")), "{problems:#?}");
}

#[test]
fn the_long_lived_preset_grows_a_stream_past_the_oversized_threshold_early() {
    let mut workspace = cart();
    let presets = workspace.generator_presets();
    let names: Vec<&str> = presets.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["Typical traffic", "Long-lived Cart streams", "A year of traffic"]
    );
    assert_eq!(presets[0].1, workspace.default_generator());
    workspace
        .start_load(presets[1].1.clone(), 7)
        .unwrap_or_else(|error| panic!("{error}"));
    // One stream at a time: its 151 events come first, in the run's first 160 commands.
    let mut sent = 0;
    while sent < 160 {
        let report = workspace.tick_load(10).unwrap_or_else(|error| panic!("{error}"));
        sent += report.commands;
        assert!(!report.done || sent >= 160, "done after {sent} commands");
    }
    let oversized = workspace
        .findings()
        .iter()
        .any(|finding| finding.code == "oversized-stream");
    assert!(oversized, "{:#?}", workspace.findings());
}
