//! Properties of the runtime over random command sequences on the shopping cart: an in-place
//! rebuild equals the incrementally built read models; a blue-green build ends equal to an
//! in-place rebuild; time travel at the head equals the present; the same seed and inputs give the
//! same store, whatever the step sizes. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use eventarium::model::Template;
use eventarium::sim::{CommandRequest, Runtime};
use proptest::prelude::*;
use serde_json::{json, Value};

const PROJECTIONS: [&str; 2] = ["CartSummary", "ItemsAddedPerProduct"];

/// One command: which kind, on which of four carts, which of three products, what quantity.
type Op = (u8, u8, u8, i64);

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec((0u8..5, 1u8..5, 0u8..3, 1i64..4), 0..40)
}

fn runtime(seed: u64) -> Runtime {
    let mut scenario = support::built_in::cart();
    scenario.settings.seed = seed;
    support::built_in::runtime(&scenario)
}

fn request((kind, cart, product, qty): Op) -> CommandRequest {
    let id = cart.to_string();
    let product = format!("p-{product}");
    let (command, data) = match kind {
        0 => ("OpenCart", json!({"cartId": id, "customerId": "c"})),
        1 => (
            "AddItem",
            json!({"cartId": id, "productId": product, "qty": qty, "unitPrice": 10}),
        ),
        2 => ("RemoveItem", json!({"cartId": id, "productId": product, "qty": 1})),
        3 => ("ConfirmCart", json!({"cartId": id})),
        _ => ("CancelCart", json!({"cartId": id, "reason": "changed mind"})),
    };
    CommandRequest {
        command: command.to_owned(),
        stream_id: format!("cart-{cart}"),
        data,
        ..CommandRequest::default()
    }
}

/// Runs the commands (rejections are part of the traffic), stepping async work by `chunk` events.
fn drive(runtime: &mut Runtime, ops: &[Op], chunk: usize) {
    for op in ops {
        if let Err(error) = runtime.execute(&request(*op)) {
            panic!("{op:?}: {error}");
        }
        runtime.step(chunk);
    }
    runtime.run_until_idle();
}

fn documents(runtime: &Runtime) -> Vec<Value> {
    PROJECTIONS
        .iter()
        .map(|name| json!(runtime.documents(name).cloned().unwrap_or_default()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn an_in_place_rebuild_equals_the_incremental_read_models(ops in ops(), chunk in 1usize..7) {
        let mut runtime = runtime(1);
        drive(&mut runtime, &ops, chunk);
        let incremental = documents(&runtime);
        for name in PROJECTIONS {
            prop_assert!(runtime.rebuild(name).is_ok());
        }
        while !runtime.step(chunk).idle {}
        prop_assert_eq!(documents(&runtime), incremental);
    }

    #[test]
    fn blue_green_ends_equal_to_an_in_place_rebuild(
        before in ops(), during in ops(), chunk in 1usize..7, switch_lag in 0u64..5,
    ) {
        let mut runtime = runtime(2);
        drive(&mut runtime, &before, chunk);
        let mut next = runtime.model().projection("ItemsAddedPerProduct").cloned().unwrap_or_else(|| panic!("missing"));
        next.version += 1;
        next.logic = eventarium::model::ProjectionLogic::Template(Template::SumByKey { field: "data.qty".to_owned() });
        prop_assert!(runtime.start_blue_green(next, switch_lag).is_ok());
        drive(&mut runtime, &during, chunk);
        let status = runtime.projection("ItemsAddedPerProduct").unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!((status.version, status.blue_green), (2, None));
        let switched = documents(&runtime);
        prop_assert!(runtime.rebuild("ItemsAddedPerProduct").is_ok());
        runtime.run_until_idle();
        prop_assert_eq!(documents(&runtime), switched);
    }

    #[test]
    fn time_travel_at_the_head_equals_the_present(ops in ops()) {
        let mut runtime = runtime(3);
        drive(&mut runtime, &ops, 3);
        let head = runtime.head();
        prop_assume!(head > 0);
        for name in PROJECTIONS {
            let past = runtime.documents_at(name, head - 1).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(Some(&past), runtime.documents(name).ok());
        }
        // The cart summary is the decider's own view: its line count matches the state at the head.
        for cart in 1..5 {
            let stream = format!("cart-{cart}");
            let state = runtime.stream_state_at(&stream, head - 1).unwrap_or_else(|e| panic!("{e}"));
            let now = runtime.stream_state_at(&stream, u64::MAX).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(state, now);
        }
    }

    #[test]
    fn the_same_seed_and_inputs_give_the_same_store(ops in ops(), chunk_a in 1usize..7, chunk_b in 1usize..7) {
        let mut a = runtime(4);
        let mut b = runtime(4);
        drive(&mut a, &ops, chunk_a);
        drive(&mut b, &ops, chunk_b);
        prop_assert_eq!(a.store().export_json(), b.store().export_json());
        prop_assert_eq!(documents(&a), documents(&b));
        let statuses = |r: &Runtime| r.projections().iter().map(|p| (p.checkpoint, p.documents)).collect::<Vec<_>>();
        prop_assert_eq!(statuses(&a), statuses(&b));
    }
}

/// Commands on two carts, each after a chance of a retention change on its stream: 0 hides the
/// first readable event (truncation), 1 soft-deletes the stream.
fn retention() -> impl Strategy<Value = Vec<(Op, u8)>> {
    prop::collection::vec(((0u8..5, 1u8..3, 0u8..3, 1i64..4), 0u8..12), 0..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// What the runtime keeps between commands (each stream's folded state, read on from where it
    /// stopped) decides as a fresh fold of everything readable does, also after the start of a
    /// stream moved or the stream was soft-deleted and written again.
    #[test]
    fn kept_folds_decide_as_a_fresh_fold_of_the_readable_history(ops in retention()) {
        use eventarium::script::{Limits, Sandbox};
        use eventarium::sim::{decider::{self, Metadata}, Envelope};
        use eventarium::store::{DeleteMode, Direction, ExpectedRevision, StreamMetadata};
        let mut runtime = runtime(5);
        for (op, retention) in ops {
            let command = request(op);
            let stream = command.stream_id.clone();
            match retention {
                // Hide the stream's first readable event, or all of it until it is written again.
                0 => {
                    let first = runtime.store().read_stream(&stream, 0, 1, Direction::Forwards).ok()
                        .and_then(|events| events.first().map(|e| e.revision));
                    if let Some(first) = first {
                        let metadata = StreamMetadata { truncate_before: Some(first + 1), ..StreamMetadata::default() };
                        prop_assert!(runtime.store_mut().set_stream_metadata(&stream, metadata).is_ok());
                    }
                }
                1 => {
                    let _ = runtime.store_mut().delete_stream(&stream, ExpectedRevision::Any, DeleteMode::Soft);
                }
                _ => {}
            }
            let history: Vec<Envelope> = runtime.store().read_stream(&stream, 0, usize::MAX, Direction::Forwards)
                .unwrap_or_default()
                .iter()
                .map(Envelope::from_recorded)
                .collect();
            let model = runtime.model().clone();
            let fresh = decider::handle(
                &model,
                &mut Sandbox::new(Limits::default(), 0),
                &stream,
                &history,
                &command.command,
                &command.data,
                &Metadata::at(runtime.store().now_ms()),
            ).map_err(|e| e.to_string());
            let kept = runtime.decide(&command);
            prop_assert_eq!(
                kept.as_ref().map(|d| &d.outcome).map_err(ToString::to_string),
                fresh.as_ref().map_err(Clone::clone),
                "{} on {}", command.command, stream
            );
            if let Ok(decision) = kept {
                let _ = runtime.commit(&decision);
            }
        }
    }
}

/// A value at a template's key or amount path, in every shape the stored-text path must treat as
/// the parsed path does: plain and escaped strings, integers (also past `i64`), decimals, null,
/// booleans, objects, and no value at all.
fn payload_value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(Some(json!("a"))),
        Just(Some(json!("b"))),
        Just(Some(json!("a\"b"))),
        Just(Some(json!("é\n"))),
        (-3i64..4).prop_map(|n| Some(json!(n))),
        Just(Some(json!(i64::MAX))),
        Just(Some(json!(u64::MAX))),
        Just(Some(json!(2.5))),
        Just(Some(json!(1e300))),
        Just(Some(Value::Null)),
        Just(Some(json!(true))),
        Just(Some(json!({"x": [1, "}"]}))),
        Just(None),
    ]
}

/// Events as (stream, `Added` or `Removed`, the value at `data.k`, the value at `data.n`).
type PayloadEvents = Vec<(u8, bool, Option<Value>, Option<Value>)>;

fn template_events() -> impl Strategy<Value = PayloadEvents> {
    prop::collection::vec((0u8..3, any::<bool>(), payload_value(), payload_value()), 0..60)
}

/// A store holding `events` over `cart-1`, `cart-2` and `user-1`, and the same events as the
/// parsed path gets them.
fn stored(events: &PayloadEvents) -> (eventarium::store::Store, Vec<eventarium::sim::Envelope>) {
    use eventarium::sim::Envelope;
    use eventarium::store::{Config, Direction, ExpectedRevision, NewEvent, Store};

    let mut store = Store::new(Config::default());
    for (stream, typed, k, n) in events {
        let mut data = serde_json::Map::new();
        if let Some(k) = k {
            data.insert("k".to_owned(), k.clone());
        }
        if let Some(n) = n {
            data.insert("n".to_owned(), n.clone());
        }
        let stream_id = ["cart-1", "cart-2", "user-1"][*stream as usize];
        let event = NewEvent::new(if *typed { "Added" } else { "Removed" }, Value::Object(data));
        store
            .append(stream_id, ExpectedRevision::Any, vec![event])
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let envelopes = store
        .read_all(0, usize::MAX, Direction::Forwards)
        .iter()
        .map(Envelope::from_recorded)
        .collect();
    (store, envelopes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// `countByKey` and `sumByKey` read keys and amounts from the stored text while they can and
    /// parse the event when they cannot; whatever the payloads and the chunk size, they end with
    /// the documents of the parsed path run over the same events.
    #[test]
    fn templates_on_stored_text_equal_the_parsed_path(events in template_events(), chunk in 1usize..9) {
        use eventarium::model::Model;
        use eventarium::script::{Limits, Sandbox};
        use eventarium::sim::projection;

        let model: Model = serde_json::from_value(json!({ "projections": [
            { "name": "Count", "version": 1, "source": "all", "lifecycle": "async", "key": "data.k", "logic": { "template": "countByKey" } },
            { "name": "Sum", "version": 1, "source": "all", "lifecycle": "async", "key": "data.k", "logic": { "template": { "sumByKey": { "field": "data.n" } } } },
            { "name": "PerStream", "version": 1, "source": { "categories": ["cart"] }, "lifecycle": "async", "key": "streamId", "logic": { "template": "countByKey" } },
            { "name": "PerType", "version": 1, "source": "all", "lifecycle": "async", "key": "type", "logic": { "template": "countByKey" } }
        ]})).unwrap_or_else(|e| panic!("{e}"));
        let (store, envelopes) = stored(&events);
        let mut runtime = Runtime::with_store(model.clone(), store, 1);
        while !runtime.step(chunk).idle {}
        for definition in &model.projections {
            let mut sandbox = Sandbox::new(Limits::default(), 1);
            let parsed = projection::run(definition, &mut sandbox, &envelopes).unwrap_or_else(|e| panic!("{e}"));
            let stored = runtime.documents(&definition.name).cloned().unwrap_or_default();
            prop_assert_eq!(stored, parsed, "{} over {} events in chunks of {}", definition.name, events.len(), chunk);
        }
    }
}

/// A handler that exercises what a document kept as a Rhai value between events must survive:
/// a new document, an update, a delete (`()`), a char (which JSON turns into a string), the
/// envelope's fields, any payload value, and a float that JSON cannot hold (an error: the
/// projection stops there).
const HANDLER: &str = r#"
fn on_Added(doc, event) {
  let d = if doc == () { #{ n: 0 } } else { doc };
  d.n += 1;
  d.last = event.data.n;
  d.at = [event.position, event.revision, event.streamId, event.schemaVersion];
  if event.data.k == "b" && d.n > 2 { return (); }
  if event.data.n == 3 { d.c = 'x'; }
  if event.data.n == -3 { d.bad = 0.0 / 0.0; }
  d
}
fn on_Removed(doc, event) {
  if doc == () { () } else { doc.n -= 1; doc }
}
"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// A scripted projection keeps the documents a chunk touches as Rhai values and builds each
    /// event from the stored record; whatever the payloads and the chunk size, it ends as the
    /// parsed path, event by event, would: the same documents, and the same poison event.
    #[test]
    fn scripts_over_stored_chunks_equal_the_parsed_path(events in template_events(), chunk in 1usize..9) {
        use eventarium::model::Model;
        use eventarium::script::{Limits, Sandbox};
        use eventarium::sim::projection;

        let model: Model = serde_json::from_value(json!({ "projections": [
            { "name": "Scripted", "version": 1, "source": "all", "lifecycle": "async", "key": "data.k", "logic": { "script": HANDLER } }
        ]})).unwrap_or_else(|e| panic!("{e}"));
        let (store, envelopes) = stored(&events);
        let definition = &model.projections[0];
        let mut sandbox = Sandbox::new(Limits::default(), 1);
        let mut parsed = projection::Documents::new();
        let mut stopped_at = None;
        for event in &envelopes {
            if projection::apply(definition, &mut sandbox, &mut parsed, event).is_err() {
                stopped_at = Some(event.position);
                break;
            }
        }
        let mut runtime = Runtime::with_store(model.clone(), store, 1);
        while !runtime.step(chunk).idle {}
        let status = runtime.projection("Scripted").unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(status.poison.map(|p| p.position), stopped_at, "where it stopped");
        let stored = runtime.documents("Scripted").cloned().unwrap_or_default();
        prop_assert_eq!(stored, parsed, "over {} events in chunks of {}", events.len(), chunk);
    }
}
