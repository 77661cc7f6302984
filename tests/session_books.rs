//! Closing the books: a stream type given periods, as the guided refactor from the
//! `stream-without-lifecycle` warning does it, under the cashier register's load.

use eventarium::model::edit::Kind;
use eventarium::model::{PeriodEnd, Scenario, BUILT_IN};
use eventarium::session::{Error as SessionError, Workspace};
use eventarium::sim::{CommandRequest, Error as SimError};
use eventarium::store::Direction;
use serde_json::{json, Value};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const DAY_MS: u64 = 86_400_000;

fn tills() -> Workspace {
    let text = BUILT_IN
        .iter()
        .find(|b| b.id == "cashier-register")
        .expect("the cashier register ships")
        .text;
    let scenario = Scenario::import(text).unwrap_or_else(|p| panic!("{p:?}"));
    Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"))
}

fn send(workspace: &mut Workspace, command: &str, stream: &str, data: Value) -> Result<String, SimError> {
    let request = CommandRequest {
        command: command.to_owned(),
        stream_id: stream.to_owned(),
        data,
        ..CommandRequest::default()
    };
    workspace
        .execute(&request)
        .map(|done| done.decision.stream_id)
        .map_err(|e| match e {
            SessionError::Sim(e) => e,
            other => panic!("{other}"),
        })
}

/// Opens register `r` and rings up `sales` sales of 100 a day, for `days` days.
fn trade(workspace: &mut Workspace, r: &str, days: u64, sales: u64) {
    let stream = format!("register-{r}");
    if workspace
        .runtime()
        .store()
        .last_revision(&stream)
        .ok()
        .flatten()
        .is_none()
    {
        send(
            workspace,
            "OpenRegister",
            &stream,
            json!({"registerId": r, "float": 1000}),
        )
        .expect("open");
    }
    for day in 0..days {
        for i in 0..sales {
            let sale = json!({"registerId": r, "saleId": format!("{day}-{i}"), "amount": 100});
            send(workspace, "RecordSale", &stream, sale).expect("sale");
        }
        workspace.advance_clock(DAY_MS).expect("a day passes");
    }
}

fn codes(workspace: &mut Workspace) -> Vec<String> {
    workspace.findings().iter().map(|f| f.code.to_owned()).collect()
}

/// The state `stream` folds to, read as the next command would decide on it.
fn cash(workspace: &mut Workspace, stream: &str) -> Value {
    workspace
        .stream_state_at(stream, u64::MAX)
        .unwrap_or_else(|e| panic!("{stream}: {e}"))
}

fn types(workspace: &Workspace, stream: &str) -> Vec<String> {
    let mut types = Vec::new();
    let store = workspace.runtime().store();
    store
        .read_stream_raw(stream, 0, usize::MAX, Direction::Forwards, |e| {
            types.push(e.event_type.to_owned())
        })
        .expect("read");
    types
}

#[test]
fn closing_the_books_takes_the_warning_away_and_carries_the_cash_forward() {
    let mut tills = tills();
    trade(&mut tills, "1", 6, 12);
    assert!(codes(&mut tills).contains(&"stream-without-lifecycle".to_owned()));
    let before = cash(&mut tills, "register-1");

    let plan = tills.books_plan("CashRegister", PeriodEnd::Days(1)).expect("plan");
    assert_eq!(plan.streams_to_close, 1);
    assert!(plan.diff.contains("+   \"periods\""), "{}", plan.diff);
    let applied = tills
        .close_the_books("CashRegister", PeriodEnd::Days(1))
        .expect("applied");
    assert_eq!(applied.closed.len(), 1);
    assert_eq!(applied.closed[0].opened, "register-1:1");

    assert!(!codes(&mut tills).contains(&"stream-without-lifecycle".to_owned()));
    assert_eq!(
        types(&tills, "register-1").last().map(String::as_str),
        Some("CashRegisterPeriodClosed")
    );
    assert_eq!(types(&tills, "register-1:1"), ["CashRegisterPeriodOpened"]);
    assert_eq!(
        cash(&mut tills, "register-1:1"),
        before,
        "the next period starts where the last ended"
    );

    // The same load goes on: commands to the base land in the open period, and close it daily.
    trade(&mut tills, "1", 3, 12);
    assert_eq!(tills.runtime().open_period("register-1"), 3);
    assert_eq!(
        types(&tills, "register-1:1").len(),
        1 + 12 + 1,
        "opened, a day of sales, closed"
    );
    let state = cash(&mut tills, "register-1:3");
    assert_eq!(state["cash"], json!(before["cash"].as_i64().unwrap() + 3 * 12 * 100));
    assert_eq!(state["sales"], json!(before["sales"].as_i64().unwrap() + 36));
    assert!(!codes(&mut tills).contains(&"stream-without-lifecycle".to_owned()));

    // The tracker knows where each register's books stand (a new projection catches up first).
    tills.step(100_000);
    let tracker = tills
        .runtime()
        .document("CashRegisterPeriods", "register-1")
        .expect("tracker");
    let tracker = tracker.expect("a document for register 1");
    assert_eq!(tracker["open"], json!(3));
    assert_eq!(tracker["lastClosed"], json!(2));
    let closed_with = before["cash"].as_i64().unwrap() + 2 * 12 * 100;
    assert_eq!(tracker["closingState"]["cash"], json!(closed_with));
}

#[test]
fn a_closed_period_takes_no_command() {
    let mut tills = tills();
    trade(&mut tills, "2", 1, 3);
    tills
        .close_the_books("CashRegister", PeriodEnd::Events(3))
        .expect("applied");
    let sale = json!({"registerId": "2", "saleId": "x", "amount": 100});
    for _ in 0..2 {
        let stream = send(&mut tills, "RecordSale", "register-2", sale.clone()).expect("sale");
        assert_eq!(stream, "register-2:1", "the base goes to its open period");
    }
    // Period 1 holds 3 events: the next command closes it first.
    let stream = send(&mut tills, "RecordSale", "register-2", sale.clone()).expect("sale");
    assert_eq!(stream, "register-2:2");
    match send(&mut tills, "RecordSale", "register-2:1", sale.clone()) {
        Err(SimError::NotOpenPeriod { stream_id, open }) => {
            assert_eq!((stream_id.as_str(), open.as_str()), ("register-2:1", "register-2:2"));
        }
        other => panic!("a closed period took a command: {other:?}"),
    }
    assert_eq!(
        send(&mut tills, "RecordSale", "register-2:2", sale).expect("sale"),
        "register-2:2"
    );
}

#[test]
fn the_closing_and_the_opening_are_appended_together_or_not_at_all() {
    let mut tills = tills();
    trade(&mut tills, "3", 1, 3);
    tills
        .close_the_books("CashRegister", PeriodEnd::Days(1))
        .expect("applied");
    // The tracker, inline, fails on the opening of period 2: neither event is appended.
    let index = tills
        .scenario()
        .model
        .projections
        .iter()
        .position(|p| p.name == "CashRegisterPeriods")
        .expect("the tracker");
    let mut tracker = json!(tills.scenario().model.projections[index]);
    tracker["logic"]["script"] = json!(
        "fn on_CashRegisterPeriodOpened(doc, event) { if event.data.period == 2 { throw \"tracker down\" } #{} }\nfn on_CashRegisterPeriodClosed(doc, event) { doc }"
    );
    tills.put(Kind::Projection, Some(index), tracker).expect("put");
    tills.step(100_000);
    let head = tills.runtime().head();
    let before = types(&tills, "register-3:1");
    let failed = tills.close_books("register-3");
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(tills.runtime().head(), head);
    assert_eq!(types(&tills, "register-3:1"), before);
    assert_eq!(tills.runtime().open_period("register-3"), 1);
}

#[test]
fn a_year_at_the_tills_runs_and_the_refactor_holds_under_the_same_load() {
    let mut tills = tills();
    let year = tills.year_of_traffic();
    tills.start_load(year, 3).expect("start");
    let mut sent = 0;
    let mut tick = |tills: &mut Workspace, until: usize| {
        while sent < until {
            let report = tills.tick_load(250).expect("tick");
            assert!(!report.done, "the year ended early");
            sent += report.commands;
        }
    };
    tick(&mut tills, 1_500);
    tills.step(100_000);
    let status = tills.load_status().expect("running");
    assert_eq!(status.failed, 0, "{:?}", status.last_errors);
    assert!(codes(&mut tills).contains(&"stream-without-lifecycle".to_owned()));

    tills
        .close_the_books("CashRegister", PeriodEnd::Days(1))
        .expect("applied");
    tick(&mut tills, 3_000);
    tills.step(100_000);
    let status = tills.load_status().expect("running");
    assert_eq!(status.failed, 0, "{:?}", status.last_errors);
    let codes = codes(&mut tills);
    let lifecycle: Vec<_> = tills
        .findings()
        .iter()
        .filter(|f| f.code == "stream-without-lifecycle")
        .map(|f| f.message.clone())
        .collect();
    assert!(
        lifecycle.iter().all(|m| !m.contains("CashRegister")),
        "{lifecycle:?} in {codes:?}"
    );
    assert!(tills.runtime().open_period("register-1") > 1);
}

#[test]
fn a_period_must_last_at_least_a_day_or_an_event() {
    let tills = tills();
    let problems = tills
        .books_plan("CashRegister", PeriodEnd::Days(0))
        .expect_err("refused");
    assert!(
        problems.iter().any(|p| p.message.contains("at least 1")),
        "{problems:?}"
    );
}
