//! The system page's fault controls on the built-in concert ticketing system, driven through the
//! page's own workspace calls: the fault form checked as typed and read back, each preset's
//! effect, the consumer view, and the run log replayed: the same seed gives the same run, another
//! seed another, and a module switched to an outbox loses nothing on the replay.

mod support;

use eventarium::model::Publishing;
use eventarium::session::{
    poison_topic, FaultField, FaultForm, FaultScope, Preset, RunStep, Workspace, POISON, SHOWN_DELIVERIES,
};
use eventarium::sim::system::LinkStats;
use serde_json::{json, Value};
use support::built_in;
use support::concert::{checkout, concert_workspace, external, sales, send_on_page, CONCERT};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Two customer accounts and a concert on sale, the clock run until idle.
fn open_sales(workspace: &mut Workspace) {
    for (module, command, stream, data) in sales() {
        send_on_page(workspace, module, command, &stream, data);
    }
    workspace.run_system_until_idle();
}

/// u-1 checks out cart `cart` with one golden circle ticket, the clock left as it is.
fn check_out(workspace: &mut Workspace, cart: &str) {
    for (module, command, stream, data) in checkout(cart, "u-1", 1) {
        send_on_page(workspace, module, command, &stream, data);
    }
}

fn pay(workspace: &mut Workspace, order: &str) {
    send_on_page(
        workspace,
        "payments",
        "SubmitPayment",
        &format!("payment-{order}"),
        json!({ "orderId": order, "cardToken": "tok-visa-4242" }),
    );
    workspace.run_system_until_idle();
}

fn total(workspace: &Workspace, figure: impl Fn(&LinkStats) -> u64) -> u64 {
    workspace.services().message_stats().iter().map(figure).sum()
}

fn lost(workspace: &Workspace) -> u64 {
    workspace.services().modules().iter().map(|m| m.lost).sum()
}

fn form(fields: [&str; 6]) -> FaultForm {
    FaultForm(fields.map(str::to_owned))
}

#[test]
fn the_fault_form_checks_each_field_and_applies_nothing_on_a_problem() {
    let faults = form(["12.5%", "20", "500", "50", "0", "10"])
        .read(3_000)
        .expect("a good form reads");
    assert_eq!(faults.duplicate, 0.125);
    assert_eq!((faults.delay_ms, faults.reorder_window_ms), (20, 500));
    assert_eq!((faults.consumer_crash, faults.publisher_crash), (0.5, 0.0));
    assert_eq!(faults.outages.len(), 1, "{faults:?}");
    assert_eq!((faults.outages[0].from_ms, faults.outages[0].to_ms), (3_000, 13_000));
    assert_eq!(
        FaultForm::of(&faults, 5_000),
        form(["12.5", "20", "500", "50", "0", "8"]),
        "read back with the outage's seconds left"
    );
    let empty = form(["", "", "", "", "", ""]).read(0).expect("empty is no fault");
    assert_eq!(empty, eventarium::model::Faults::default());

    for (fields, field, says) in [
        (["150", "", "", "", "", ""], FaultField::Duplicate, "0 to 100"),
        (["-1", "", "", "", "", ""], FaultField::Duplicate, "0 to 100"),
        (["", "", "", "many", "", ""], FaultField::ConsumerCrash, "not a number"),
        (["", "fast", "", "", "", ""], FaultField::Delay, "whole number"),
        (["", "", "-5", "", "", ""], FaultField::ReorderWindow, "whole number"),
        (["", "", "", "", "", "soon"], FaultField::Outage, "seconds"),
    ] {
        let problems = form(fields).read(0).expect_err("a bad field is a problem");
        assert_eq!(problems.len(), 1, "{fields:?}: {problems:?}");
        assert_eq!(problems[0].0, field, "{fields:?}");
        assert!(problems[0].1.contains(says), "{fields:?}: {}", problems[0].1);
    }

    let workspace = concert_workspace();
    let link = FaultScope::Consumer("ChargeCards".to_owned());
    let before = workspace.faults(&link).unwrap();
    assert!(form(["", "x", "", "", "", ""]).read(0).is_err());
    assert_eq!(workspace.faults(&link).unwrap(), before, "nothing applied");
    assert!(workspace.run_log().is_empty());
    assert!(FaultField::PublisherCrash.applies_to(&FaultScope::Module("orders".into())));
    assert!(!FaultField::PublisherCrash.applies_to(&link));
    assert!(!FaultField::Duplicate.applies_to(&FaultScope::Module("orders".into())));
}

#[test]
fn faults_set_on_a_link_a_publisher_or_the_system_read_back() {
    let mut workspace = concert_workspace();
    let scopes = workspace.fault_scopes();
    assert_eq!(scopes[0], FaultScope::All);
    assert!(scopes.contains(&FaultScope::Consumer("ChargeCards".into())));
    assert!(scopes.contains(&FaultScope::Module("orders".into())));

    let system = workspace.faults(&FaultScope::All).unwrap();
    assert_eq!(system.delay_ms, 20, "the built-in's broker delays 20 ms");
    let link = FaultScope::Consumer("ChargeCards".to_owned());
    let doubled = form(["100", "0", "0", "0", "0", ""]).read(0).unwrap();
    workspace.set_faults(&link, doubled.clone()).unwrap();
    assert_eq!(workspace.faults(&link).unwrap(), doubled);
    assert_eq!(
        workspace.faults(&FaultScope::Consumer("StartOrders".into())).unwrap(),
        system,
        "another link keeps its own"
    );
    let orders = FaultScope::Module("orders".to_owned());
    let crashing = form(["", "", "", "", "30", ""]).read(0).unwrap();
    workspace.set_faults(&orders, crashing.clone()).unwrap();
    assert_eq!(workspace.faults(&orders).unwrap().publisher_crash, 0.3);
    assert_eq!(workspace.run_log().len(), 2);
    assert!(matches!(
        workspace.run_log()[0],
        RunStep::Faults(FaultScope::Consumer(_), _)
    ));

    let nobody = workspace.set_faults(&FaultScope::Consumer("Nobody".into()), doubled);
    assert!(nobody.unwrap_err().to_string().contains("Nobody"));
    assert_eq!(workspace.run_log().len(), 2, "a failed input is not logged");
}

#[test]
fn duplicate_payment_charges_the_card_twice_and_an_inbox_on_the_link_stops_it() {
    let mut workspace = concert_workspace();
    open_sales(&mut workspace);
    workspace.stage(Preset::Duplicates).unwrap();
    let charge = FaultScope::Consumer("ChargeCards".to_owned());
    assert_eq!(workspace.faults(&charge).unwrap().duplicate, 1.0);
    assert_eq!(
        workspace
            .faults(&FaultScope::Consumer("StartOrders".into()))
            .unwrap()
            .duplicate,
        0.0,
        "only the links into the payments module"
    );
    check_out(&mut workspace, "k1");
    workspace.run_system_until_idle();
    pay(&mut workspace, "k1");
    let gateway = external(workspace.services(), "PaymentGateway");
    assert_eq!((gateway.calls, gateway.effects), (2, 2), "the card was charged twice");

    let said = workspace.set_inbox("ChargeCards", true).unwrap();
    assert!(said.contains("on"), "{said}");
    let consumer = workspace
        .scenario()
        .system
        .as_ref()
        .and_then(|s| s.consumer("ChargeCards"));
    assert!(
        consumer.is_some_and(|c| c.inbox),
        "the scenario's consumer has an inbox now"
    );
    let replayed = workspace.replay().unwrap();
    assert!(replayed.starts_with("Replayed "), "{replayed}");
    let gateway = external(workspace.services(), "PaymentGateway");
    assert_eq!(gateway.calls, 1, "the inbox dropped the second delivery");
    let view = workspace.consumer_view("ChargeCards", SHOWN_DELIVERIES).unwrap();
    let inbox = view.inbox.expect("an inbox");
    assert!(inbox.iter().any(|row| row.dropped == 1), "{inbox:?}");
    assert!(view.deliveries.iter().any(|d| d.outcome == "dropped"));
}

#[test]
fn dual_write_loses_an_order_and_an_outbox_replayed_loses_nothing() {
    let mut workspace = concert_workspace();
    open_sales(&mut workspace);
    workspace.stage(Preset::DualWriteLoses).unwrap();
    for n in 0..8 {
        check_out(&mut workspace, &format!("k{n}"));
    }
    workspace.run_system_until_idle();
    assert!(lost(&workspace) > 0, "a dual write lost a message");

    let dual: Vec<String> = workspace
        .services()
        .modules()
        .into_iter()
        .filter(|m| m.publishing == Publishing::DualWrite)
        .map(|m| m.name)
        .collect();
    assert!(dual.contains(&"carts".to_owned()), "{dual:?}");
    for module in &dual {
        let said = workspace.set_publishing(module, Publishing::Outbox).unwrap();
        assert!(said.contains("replay"), "{said}");
    }
    assert!(
        lost(&workspace) > 0,
        "the running system keeps its dual writes until the replay"
    );
    let replayed = workspace.replay().unwrap();
    assert!(replayed.contains("with seed 2023"), "{replayed}");
    assert!(!replayed.contains("failed"), "{replayed}");
    assert_eq!(lost(&workspace), 0, "an outbox loses nothing");
    assert_eq!(total(&workspace, |s| s.lost), 0);
    let orders = workspace.services().runtime("orders").unwrap().head();
    assert!(orders >= 8, "every checkout became an order: {orders} events");
    assert!(workspace
        .set_publishing("nowhere", Publishing::Outbox)
        .unwrap_err()
        .to_string()
        .contains("nowhere"));
}

#[test]
fn out_of_order_lets_a_later_message_arrive_first() {
    let mut workspace = concert_workspace();
    open_sales(&mut workspace);
    workspace.stage(Preset::OutOfOrder).unwrap();
    for n in 0..4 {
        check_out(&mut workspace, &format!("k{n}"));
    }
    workspace.run_system_until_idle();
    let services = workspace.services();
    let overtaken: Vec<(String, Vec<u64>)> = services
        .subscribers()
        .into_iter()
        .map(|s| {
            let numbers = services
                .deliveries(Some(&s.name))
                .unwrap()
                .iter()
                .filter_map(|d| d.message_id.strip_prefix("msg-")?.parse().ok())
                .collect();
            (s.name, numbers)
        })
        .filter(|(_, numbers): &(String, Vec<u64>)| numbers.windows(2).any(|w| w[1] < w[0]))
        .collect();
    assert!(!overtaken.is_empty(), "some consumer got a later message first");
}

#[test]
fn a_poison_message_fails_every_retry_is_parked_then_replayed_or_skipped() {
    let mut workspace = concert_workspace();
    open_sales(&mut workspace);
    assert_eq!(poison_topic(workspace.services()).as_deref(), Some("CheckoutCompleted"));
    workspace.stage(Preset::Poison).unwrap();
    workspace.run_system(50).unwrap();
    let view = workspace.consumer_view("StartOrders", SHOWN_DELIVERIES).unwrap();
    assert_eq!(view.retries.len(), 1, "a retry waits on the clock: {:?}", view.retries);
    assert_eq!(view.retries[0].attempt, 2);
    assert!(view.retries[0].due_ms > workspace.services().now());
    assert_eq!(view.pending, 1, "the checkpoint waits for it");

    workspace.run_system_until_idle();
    let view = workspace.consumer_view("StartOrders", 2).unwrap();
    assert_eq!(view.parked, 1);
    assert_eq!(view.delivery_count, 4, "the first delivery and 3 retries");
    assert_eq!(view.deliveries.len(), 2, "capped");
    assert_eq!(view.deliveries[0].attempt, 4, "newest first");
    assert!(view
        .deliveries
        .iter()
        .all(|d| d.outcome == "failed" && d.error.is_some()));
    assert!(view.retries.is_empty());
    let parked = workspace.services().parked("StartOrders").unwrap();
    assert_eq!(parked.len(), view.parked, "as many as the dead letters list");
    assert_eq!(parked[0].message.data, json!(POISON));
    assert_eq!(view.pending, 0, "a parked message is behind the checkpoint");

    let id = parked[0].message.id.clone();
    assert_eq!(workspace.replay_parked("StartOrders", Some(&id)).unwrap(), 1);
    workspace.run_system_until_idle();
    assert_eq!(
        workspace.services().parked("StartOrders").unwrap().len(),
        1,
        "replayed unfixed, it fails and is parked again"
    );
    workspace.skip_parked("StartOrders", &id).unwrap();
    let view = workspace.consumer_view("StartOrders", SHOWN_DELIVERIES).unwrap();
    assert_eq!(view.parked, 0);
    assert!(matches!(workspace.run_log().last(), Some(RunStep::SkipParked(_, _))));
    let replayed = workspace.replay().unwrap();
    assert!(!replayed.contains("failed"), "{replayed}");
    assert_eq!(
        workspace.services().parked("StartOrders").unwrap().len(),
        0,
        "skipped again"
    );
}

#[test]
fn a_poison_message_a_fixed_consumer_tolerates_is_not_parked() {
    let mut document: Value = serde_json::from_str(built_in::text(CONCERT)).unwrap();
    support::concert::patch(
        &mut support::concert::entry(&mut document, "consumers", "StartOrders")["logic"]["script"],
        "let d = message.data;",
        "let d = message.data;\n    if type_of(d) != \"map\" { return []; }",
    );
    let mut workspace = Workspace::open(built_in::import(CONCERT, &document.to_string())).unwrap();
    workspace.stage(Preset::Poison).unwrap();
    workspace.run_system_until_idle();
    let view = workspace.consumer_view("StartOrders", SHOWN_DELIVERIES).unwrap();
    assert_eq!((view.parked, view.delivery_count), (0, 1));
    assert_eq!(view.deliveries[0].outcome, "handled");
}

#[test]
fn crash_before_ack_and_an_outage_show_in_the_consumer_view() {
    let mut workspace = concert_workspace();
    open_sales(&mut workspace);
    workspace.stage(Preset::CrashBeforeAck).unwrap();
    for n in 0..4 {
        check_out(&mut workspace, &format!("k{n}"));
    }
    workspace.run_system_until_idle();
    assert!(total(&workspace, |s| s.crashed) > 0);
    let view = workspace.consumer_view("StartOrders", SHOWN_DELIVERIES).unwrap();
    assert!(
        view.deliveries.iter().any(|d| d.outcome == "crashed"),
        "{:?}",
        view.deliveries
    );
    assert_eq!(view.faults.consumer_crash, 0.5);
    assert!(view.checkpoint > 0 && view.checkpoint_message_id.is_some());
    assert_eq!(
        eventarium::session::retry_words(&view.policy),
        "3 retries, 100 ms apart then ×2 each, then park"
    );

    workspace.stage(Preset::Outage).unwrap();
    let now = workspace.services().now();
    let outage = workspace.faults(&FaultScope::Consumer("StartOrders".into())).unwrap();
    assert_eq!(FaultForm::of(&outage, now).get(FaultField::Outage), "10");
    workspace.stage(Preset::Calm).unwrap();
    let calm = workspace.faults(&FaultScope::Consumer("StartOrders".into())).unwrap();
    assert_eq!(calm, eventarium::model::Faults::default());
    assert!(workspace.consumer_view("Nobody", 1).is_err());
}

/// A run with every kind of fault: checkouts under duplicates, reordering and crashes.
fn faulty_run(workspace: &mut Workspace) {
    open_sales(workspace);
    let noisy = form(["30", "10", "800", "30", "20", ""]).read(0).unwrap();
    workspace.set_faults(&FaultScope::All, noisy).unwrap();
    for n in 0..3 {
        check_out(workspace, &format!("k{n}"));
        workspace.run_system(700).unwrap();
    }
    workspace.run_system(10_000).unwrap();
    workspace.run_system_until_idle();
}

#[test]
fn the_same_seed_and_inputs_give_the_same_run_and_another_seed_another() {
    let mut workspace = concert_workspace();
    faulty_run(&mut workspace);
    let first = workspace.services().message_stats();
    assert!(
        first.iter().any(|s| s.duplicates_delivered > 0 || s.crashed > 0),
        "faults took effect"
    );
    assert_eq!(
        workspace.run_log().first().map(RunStep::describe).as_deref(),
        Some("RegisterCustomer → u-1 in users")
    );

    let replayed = workspace.replay().unwrap();
    let steps = workspace.run_log().len();
    assert!(
        replayed.starts_with(&format!("Replayed {steps} inputs with seed 2023")),
        "{replayed}"
    );
    assert_eq!(
        workspace.services().message_stats(),
        first,
        "replayed, the same figures"
    );
    let mut again = concert_workspace();
    faulty_run(&mut again);
    assert_eq!(
        again.services().message_stats(),
        first,
        "the same inputs on a fresh system"
    );

    workspace.set_seed(7);
    assert_eq!(workspace.seed(), 7);
    let replayed = workspace.replay().unwrap();
    assert!(replayed.contains("with seed 7"), "{replayed}");
    assert_ne!(workspace.services().message_stats(), first, "another seed, another run");
    assert_eq!(workspace.run_log().len(), steps, "a replay logs nothing new");
    assert_eq!(eventarium::session::parse_seed(" 42 "), Ok(42));
    assert!(eventarium::session::parse_seed("-1").is_err());
}

#[test]
fn a_clock_moved_in_small_steps_logs_one_step_and_runs_as_one_big_one() {
    let run = |steps: &[u64]| {
        let mut workspace = concert_workspace();
        open_sales(&mut workspace);
        let noisy = form(["30", "10", "800", "30", "20", ""]).read(0).unwrap();
        workspace.set_faults(&FaultScope::All, noisy).unwrap();
        check_out(&mut workspace, "k1");
        for &ms in steps {
            workspace.run_system(ms).unwrap();
        }
        workspace
    };
    let small = run(&[100; 30]);
    let big = run(&[3_000]);
    assert_eq!(small.services().message_stats(), big.services().message_stats());
    let clock: Vec<String> = small
        .run_log()
        .iter()
        .map(RunStep::describe)
        .filter(|step| step.starts_with("clock"))
        .collect();
    assert_eq!(
        clock,
        ["clock until idle", "clock +3000 ms"],
        "the sales ran until idle, then one move"
    );
}

#[test]
fn a_clock_played_in_slices_runs_as_one_move_and_an_input_finishes_it_first() {
    let start = |workspace: &mut Workspace| {
        open_sales(workspace);
        let noisy = form(["30", "10", "800", "30", "20", ""]).read(0).unwrap();
        workspace.set_faults(&FaultScope::All, noisy).unwrap();
        check_out(workspace, "k1");
    };
    let mut whole = concert_workspace();
    start(&mut whole);
    whole.run_system(3_000).unwrap();

    let mut sliced = concert_workspace();
    start(&mut sliced);
    let mut ticks = 0;
    // A budget spent after each tick's first task (the page's is its frame's time).
    while !sliced.play_system(3_000, usize::MAX, &mut || false).unwrap().1 {
        assert!(sliced.clock_lags(), "short of the target, the clock lags");
        ticks += 1;
        assert!(ticks < 1_000, "the move ends");
    }
    assert!(ticks > 1, "one task a tick took several ticks");
    assert_eq!(sliced.services().message_stats(), whole.services().message_stats());
    assert_eq!(sliced.services().now(), whole.services().now());

    // A command while the clock lags comes after the whole move, as a replay gives it.
    let mut lagging = concert_workspace();
    start(&mut lagging);
    assert!(!lagging.play_system(3_000, 1, &mut || true).unwrap().1);
    check_out(&mut lagging, "k2");
    let log: Vec<String> = lagging.run_log().iter().map(RunStep::describe).collect();
    let clock = log
        .iter()
        .position(|s| s == "clock +3000 ms")
        .expect("the move is logged whole");
    let command = log
        .iter()
        .position(|s| s.starts_with("OpenCart → cart-k2"))
        .expect("the command");
    assert!(clock < command, "{log:?}");
    assert!(!lagging.clock_lags());
}
