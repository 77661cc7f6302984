//! The lifecycle page's view and actions on the shopping cart: archive closed carts and read one
//! back, see what a rebuild would now lose, upload segments and scavenge, and keep it all over a
//! save and a reload.

use eventarium::model::{Scenario, BUILT_IN};
use eventarium::session::{CostModel, ExpectedMode, Workspace};
use eventarium::store::{ArchiveSettings, Direction};
use serde_json::json;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const DAY: u64 = 86_400_000;

fn send(workspace: &mut Workspace, command: &str, n: u32, data: serde_json::Value) {
    let outcome = workspace.send(command, &format!("cart-{n}"), data, ExpectedMode::Read);
    assert!(
        matches!(outcome, eventarium::session::SendOutcome::Appended { .. }),
        "{command} cart-{n}: {outcome:?}"
    );
}

/// Ten carts, a day apart; the odd ones confirmed.
fn shop() -> Workspace {
    let scenario = Scenario::import(BUILT_IN[0].text).unwrap_or_else(|p| panic!("{p:?}"));
    let mut workspace = Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"));
    for n in 1..=10 {
        send(
            &mut workspace,
            "OpenCart",
            n,
            json!({"cartId": n.to_string(), "customerId": format!("c-{n}")}),
        );
        let line = json!({"cartId": n.to_string(), "productId": "p-1", "qty": 1, "unitPrice": 100});
        send(&mut workspace, "AddItem", n, line);
        if n % 2 == 1 {
            send(&mut workspace, "ConfirmCart", n, json!({"cartId": n.to_string()}));
        }
        workspace.advance_clock(DAY).expect("clock");
    }
    workspace.run_until_idle();
    workspace
}

#[test]
fn closed_carts_go_to_the_archived_partition_and_read_back() {
    let mut workspace = shop();
    let view = workspace.lifecycle_view(&CostModel::default());
    assert_eq!(view.closed_total, 5, "five confirmed carts: {:?}", view.closed);
    assert_eq!(view.closed[0].id, "cart-1", "idle longest first");
    assert_eq!(view.closed[0].last_event, "CartConfirmed");
    // Carts closed for 5 days or more: 1, 3 and 5.
    assert_eq!(workspace.archive_closed(5 * DAY).expect("archive"), 3);
    workspace.findings();
    let lint_reads = workspace.lifecycle_view(&CostModel::default()).storage.reads;
    assert_eq!(
        lint_reads.archived_stream_reads, 0,
        "the linter reads no archived stream"
    );
    let view = workspace.lifecycle_view(&CostModel::default());
    let archived: Vec<&str> = view.archived.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(archived, ["cart-1", "cart-3", "cart-5"]);
    assert_eq!(
        (view.closed_total, view.storage.archived_events),
        (2, 9),
        "{:?}",
        view.storage
    );
    assert!(view.costs.archived > 0.0 && view.costs.total > 0.0, "{:?}", view.costs);
    // Reading one back returns all of it, and costs a cold read.
    let events = workspace
        .runtime()
        .store()
        .read_stream("cart-3", 0, 100, Direction::Forwards)
        .expect("read");
    assert_eq!(events.len(), 3, "cart-3 whole");
    let view = workspace.lifecycle_view(&CostModel::default());
    assert_eq!(
        view.costs.cold_read_ms,
        CostModel::default().archived_read_ms,
        "one cold read"
    );
    // A rebuild of the cart summary would now lose the archived carts' documents.
    let preview = workspace.rebuild_preview("CartSummary").expect("preview");
    assert_eq!(
        (preview.now, preview.after, preview.lost_total),
        (10, 7, 3),
        "{preview:?}"
    );
    assert_eq!(preview.lost, ["1", "3", "5"], "the archived carts' documents");
    // Writing to an archived cart says why not, and restoring lets it.
    workspace.archive_stream("cart-4").expect("archive an open cart");
    let line = json!({"cartId": "4", "productId": "p", "qty": 1, "unitPrice": 1});
    let outcome = workspace.send("AddItem", "cart-4", line.clone(), ExpectedMode::Read);
    assert!(
        format!("{outcome:?}").contains("is archived: restore it"),
        "{outcome:?}"
    );
    workspace.restore_stream("cart-4").expect("restore");
    send(&mut workspace, "AddItem", 4, line);
    workspace.restore_stream("cart-3").expect("restore");
    assert_eq!(workspace.rebuild_preview("CartSummary").expect("preview").lost_total, 2);
}

#[test]
fn segments_upload_then_leave_after_retention_and_the_workspace_reloads_with_them() {
    let mut workspace = shop();
    let settings = ArchiveSettings {
        segment_events: 5,
        retain_ms: (3 * DAY) as i64,
        retain_bytes: 0,
    };
    workspace.configure_archive(Some(settings)).expect("configure");
    let upload = workspace.upload_segments().expect("upload");
    // 25 cart events and 5 purchases recorded on customers.
    assert_eq!(upload.segments, 6, "30 events make six segments: {upload:?}");
    let before = workspace.runtime().store().read_all(0, 100, Direction::Forwards);
    let report = workspace.scavenge();
    assert!(report.events_offloaded > 0, "{report:?}");
    let view = workspace.lifecycle_view(&CostModel::default());
    assert_eq!(view.storage.archive_only_events, report.events_offloaded);
    assert!(view.segments.iter().any(|s| !s.local), "{:?}", view.segments);
    assert_eq!(
        workspace.runtime().store().read_all(0, 100, Direction::Forwards),
        before,
        "reads fall through"
    );
    // A closed cart whose events are only in the archive is still listed whole, and archiving it
    // reads nothing.
    let cart = view.closed.iter().find(|s| s.id == "cart-1").expect("cart-1 is closed");
    assert_eq!(
        (cart.events, cart.last_event.as_str()),
        (3, "CartConfirmed"),
        "{cart:?}"
    );
    let reads = workspace.lifecycle_view(&CostModel::default()).storage.reads;
    workspace.archive_stream("cart-1").expect("archive");
    let archived = workspace.lifecycle_view(&CostModel::default());
    assert_eq!(archived.archived[0].events, 3, "{:?}", archived.archived);
    assert_eq!(archived.storage.reads, reads, "no read counted");
    workspace.restore_stream("cart-1").expect("restore");
    let saved = workspace.save();
    let reopened = Workspace::restore(&saved).unwrap_or_else(|p| panic!("{p:?}"));
    let again = reopened.lifecycle_view(&CostModel::default());
    assert_eq!(
        again.storage.local_from_position, view.storage.local_from_position,
        "the horizon"
    );
    assert_eq!(
        reopened.runtime().store().read_all(0, 100, Direction::Forwards),
        before,
        "reads after a reload"
    );
}
