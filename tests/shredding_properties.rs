//! Crypto-shredding leaves no readable personal field anywhere: after random carts of random
//! customers, some archived, some offloaded to the archive's segments, forgetting some customers
//! leaves none of their ids in any event read, any export, or any read model built again, while
//! the others read as they were written. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use eventarium::model::{Scenario, BUILT_IN};
use eventarium::session::Workspace;
use eventarium::sim::CommandRequest;
use eventarium::store::{ArchiveSettings, Direction, SHREDDED};
use proptest::prelude::*;
use serde_json::{json, Value};

const CUSTOMERS: usize = 5;

#[derive(Debug, Clone)]
struct Cart {
    customer: usize,
    items: u8,
    confirm: bool,
}

fn cart() -> impl Strategy<Value = Cart> {
    (0..CUSTOMERS, 0..4u8, any::<bool>()).prop_map(|(customer, items, confirm)| Cart {
        customer,
        items,
        confirm,
    })
}

fn customer(n: usize) -> String {
    format!("cust-{n}")
}

fn shop() -> Workspace {
    let scenario = Scenario::import(BUILT_IN[0].text).unwrap_or_else(|p| panic!("{p:?}"));
    let mut workspace = Workspace::open(scenario).unwrap_or_else(|e| panic!("{e}"));
    for stream_type in ["Cart", "Customer"] {
        workspace
            .seal_personal_fields(stream_type, "customerId")
            .unwrap_or_else(|p| panic!("{p:?}"));
    }
    workspace
}

fn send(workspace: &mut Workspace, command: &str, stream: &str, data: Value) {
    let request = CommandRequest {
        command: command.to_owned(),
        stream_id: stream.to_owned(),
        data,
        ..CommandRequest::default()
    };
    workspace.execute(&request).unwrap_or_else(|e| panic!("{command}: {e}"));
}

/// Every payload a read hands over: `$all`, then each stream (archived ones are left out of `$all`).
fn payloads(workspace: &Workspace) -> Vec<String> {
    let store = workspace.runtime().store();
    let mut texts: Vec<String> = store
        .read_all(0, usize::MAX, Direction::Forwards)
        .iter()
        .map(|e| e.data.to_string())
        .collect();
    let streams: Vec<String> = store.each_stream().map(|(id, _)| id.to_owned()).collect();
    for id in streams {
        let _ = store.read_stream_raw(&id, 0, usize::MAX, Direction::Forwards, |e| {
            texts.push(e.data_json.to_string())
        });
    }
    texts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn forgetting_leaves_no_readable_personal_field(
        carts in prop::collection::vec(cart(), 1..14),
        forget in prop::collection::btree_set(0..CUSTOMERS, 1..=2),
        archive_confirmed in any::<bool>(),
        offload in any::<bool>(),
    ) {
        let mut shop = shop();
        if offload {
            let settings = ArchiveSettings { segment_events: 4, retain_ms: 0, retain_bytes: 0 };
            shop.configure_archive(Some(settings)).expect("archiver");
        }
        for (n, cart) in carts.iter().enumerate() {
            let stream = format!("cart-{n}");
            let id = n.to_string();
            send(&mut shop, "OpenCart", &stream, json!({"cartId": id, "customerId": customer(cart.customer)}));
            for i in 0..cart.items {
                let item = json!({"cartId": id, "productId": format!("p{i}"), "qty": 1, "unitPrice": 3});
                send(&mut shop, "AddItem", &stream, item);
            }
            if cart.confirm && cart.items > 0 {
                send(&mut shop, "ConfirmCart", &stream, json!({"cartId": id}));
            }
        }
        shop.run_until_idle();
        if archive_confirmed {
            shop.archive_closed(0).expect("archived");
        }
        if offload {
            shop.upload_segments().expect("uploaded");
            shop.scavenge();
        }
        let written: BTreeSet<usize> = carts.iter().map(|c| c.customer).collect();
        for &n in &forget {
            let forgotten = shop.forget_subject(&customer(n));
            prop_assert_eq!(forgotten.is_ok(), written.contains(&n), "{:?}", forgotten);
        }
        // Read models are built again from the events as they now read.
        let names: Vec<String> = shop.scenario().model.projections.iter().map(|p| p.name.clone()).collect();
        for name in &names {
            shop.rebuild(name).expect("rebuild");
        }
        shop.run_until_idle();

        let export = shop.export_store();
        let reads = payloads(&shop);
        let documents: Vec<String> = names
            .iter()
            .map(|name| json!(shop.runtime().documents(name).expect("documents")).to_string())
            .collect();
        for n in 0..CUSTOMERS {
            let id = format!("\"{}\"", customer(n));
            let everywhere = || reads.iter().chain(&documents).chain(std::iter::once(&export));
            if forget.contains(&n) {
                let found: Vec<&String> = everywhere().filter(|text| text.contains(&id)).collect();
                prop_assert!(found.is_empty(), "{id} still readable in {found:?}");
            } else if written.contains(&n) {
                prop_assert!(reads.iter().any(|text| text.contains(&id)), "{id} reads as written");
                // The vault names the subjects it holds keys for; the events hold only pseudonyms.
                let events = export.split("\"events\":").nth(1).unwrap_or_default();
                prop_assert!(!events.contains(&id), "{id} is sealed in the export's events");
            }
        }
        let shredded = forget.iter().any(|n| written.contains(n));
        prop_assert_eq!(reads.iter().any(|t| t.contains(SHREDDED)), shredded);

        // The export, imported again, reads the same: the keys travel with it, minus the dropped ones.
        let again = eventarium::store::Store::import_json(&export).expect("import");
        let reread: Vec<String> = again
            .read_all(0, usize::MAX, Direction::Forwards)
            .iter()
            .map(|e| e.data.to_string())
            .collect();
        let before: Vec<String> = shop
            .runtime()
            .store()
            .read_all(0, usize::MAX, Direction::Forwards)
            .iter()
            .map(|e| e.data.to_string())
            .collect();
        prop_assert_eq!(reread, before);
    }
}
