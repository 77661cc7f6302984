//! Closing the books keeps every balance: the same commands on cash registers whose books are
//! never closed and on registers whose books close (by day, by count, by hand, from any point on)
//! are decided the same way, leave the same state in each register's open period and the same
//! read model. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

use eventarium::model::{PeriodEnd, Scenario, BUILT_IN};
use eventarium::session::Workspace;
use eventarium::sim::CommandRequest;
use proptest::prelude::*;
use serde_json::{json, Value};

const DAY_MS: u64 = 86_400_000;
const REGISTERS: [&str; 2] = ["a", "b"];

#[derive(Debug, Clone)]
enum Op {
    Sale {
        register: usize,
        amount: i64,
        card: bool,
    },
    Refund {
        register: usize,
        amount: i64,
    },
    Drop {
        register: usize,
        amount: i64,
    },
    /// Hours pass.
    Wait {
        hours: u64,
    },
    /// The books of a register are closed by hand (nothing happens without periods).
    Close {
        register: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let register = 0..REGISTERS.len();
    prop_oneof![
        4 => (register.clone(), 1..5_000i64, any::<bool>()).prop_map(|(register, amount, card)| Op::Sale { register, amount, card }),
        1 => (register.clone(), 1..3_000i64).prop_map(|(register, amount)| Op::Refund { register, amount }),
        1 => (register.clone(), 1..8_000i64).prop_map(|(register, amount)| Op::Drop { register, amount }),
        1 => (1..40u64).prop_map(|hours| Op::Wait { hours }),
        1 => register.prop_map(|register| Op::Close { register }),
    ]
}

fn period_end() -> impl Strategy<Value = PeriodEnd> {
    prop_oneof![
        (1..3u32).prop_map(PeriodEnd::Days),
        (1..12u32).prop_map(PeriodEnd::Events)
    ]
}

fn tills() -> Workspace {
    let text = BUILT_IN
        .iter()
        .find(|b| b.id == "cashier-register")
        .map(|b| b.text)
        .unwrap_or_default();
    let scenario = Scenario::import(text).unwrap_or_else(|p| panic!("{p:?}"));
    let mut workspace = Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"));
    for register in REGISTERS {
        let data = json!({"registerId": register, "float": 5_000});
        send(&mut workspace, "OpenRegister", register, data);
    }
    workspace
}

/// Sends a command to a register's base stream: what was decided, as `accepted` or the rejection.
fn send(workspace: &mut Workspace, command: &str, register: &str, data: Value) -> String {
    let request = CommandRequest {
        command: command.to_owned(),
        stream_id: format!("register-{register}"),
        data,
        ..CommandRequest::default()
    };
    match workspace.execute(&request) {
        Ok(done) => format!("{:?}", done.decision.outcome)
            .split('(')
            .next()
            .unwrap_or_default()
            .to_owned(),
        Err(error) => format!("error: {error}"),
    }
}

fn apply(workspace: &mut Workspace, op: &Op, i: usize) -> String {
    let register = |r: &usize| REGISTERS[*r];
    match op {
        Op::Sale {
            register: r,
            amount,
            card,
        } => {
            let method = if *card { "card" } else { "cash" };
            let data =
                json!({"registerId": register(r), "saleId": format!("s{i}"), "amount": amount, "method": method});
            send(workspace, "RecordSale", register(r), data)
        }
        Op::Refund { register: r, amount } => {
            let data = json!({"registerId": register(r), "saleId": format!("s{i}"), "amount": amount});
            send(workspace, "GiveRefund", register(r), data)
        }
        Op::Drop { register: r, amount } => send(
            workspace,
            "DropCash",
            register(r),
            json!({"registerId": register(r), "amount": amount}),
        ),
        Op::Wait { hours } => {
            workspace.advance_clock(hours * DAY_MS / 24).expect("the clock moves");
            String::new()
        }
        Op::Close { register: r } => {
            let base = format!("register-{}", register(r));
            if workspace.scenario().model.stream_types[0].periods.is_some() {
                workspace.close_books(&base).expect("closes");
            }
            String::new()
        }
    }
}

/// What each register's next command would decide on.
fn states(workspace: &mut Workspace) -> Vec<Value> {
    REGISTERS
        .iter()
        .map(|register| {
            let base = format!("register-{register}");
            let open = workspace.runtime().open_period(&base);
            let stream = if workspace.scenario().model.stream_types[0].periods.is_some() && open > 0 {
                format!("{base}:{open}")
            } else {
                base
            };
            workspace.stream_state_at(&stream, u64::MAX).expect("state")
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn closing_the_books_keeps_every_balance(
        ops in prop::collection::vec(op(), 1..60),
        refactor_at in 0usize..60,
        close_after in period_end(),
    ) {
        let mut never = tills();
        let mut closing = tills();
        let mut decided = (Vec::new(), Vec::new());
        for (i, op) in ops.iter().enumerate() {
            if i == refactor_at.min(ops.len() - 1) {
                closing.close_the_books("CashRegister", close_after).expect("the refactor applies");
            }
            decided.0.push(apply(&mut never, op, i));
            decided.1.push(apply(&mut closing, op, i));
        }
        prop_assert_eq!(&decided.0, &decided.1, "every command is decided the same way");
        prop_assert_eq!(states(&mut never), states(&mut closing));
        never.step(usize::MAX);
        closing.step(usize::MAX);
        prop_assert_eq!(
            never.runtime().documents("RegisterTotals").expect("totals"),
            closing.runtime().documents("RegisterTotals").expect("totals")
        );
    }
}
