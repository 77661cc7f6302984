//! The system page's view on the built-in concert ticketing system: the map's boxes and arrows,
//! placed in columns by how far messages travel, with the broker's live figures, and the fault
//! presets a trainer stages in one click.

mod support;

use eventarium::session::{BoxKind, Preset, SystemMap, Workspace};
use serde_json::json;
use support::concert::{check_out, concert_workspace, confirm_cart, open_sales, send};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn place(map: &SystemMap, name: &str) -> (f64, f64) {
    let found = map.boxes.iter().find(|b| b.name == name);
    let found = found.unwrap_or_else(|| panic!("no box {name}"));
    (found.x, found.y)
}

#[test]
fn the_map_shows_every_module_and_external_with_an_arrow_per_subscription() {
    let workspace = concert_workspace();
    let map = workspace.system_map();
    let names: Vec<&str> = map.boxes.iter().map(|b| b.name.as_str()).collect();
    for name in [
        "carts",
        "concerts",
        "reservations",
        "orders",
        "payments",
        "tickets",
        "users",
        "PaymentGateway",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let kind = |name: &str| map.boxes.iter().find(|b| b.name == name).map(|b| b.kind);
    assert_eq!(kind("users"), Some(BoxKind::StateStored));
    assert_eq!(kind("orders"), Some(BoxKind::EventSourced));
    assert_eq!(kind("PaymentGateway"), Some(BoxKind::External));
    let subscriptions: usize = workspace.services().subscribers().iter().map(|s| s.topics.len()).sum();
    assert_eq!(map.arrows.len(), subscriptions);
    for arrow in &map.arrows {
        assert!(arrow.path.starts_with("M "), "{arrow:?}");
        assert_eq!(arrow.stats.published, 0);
    }
    // A subscriber sits right of what it reads from, unless the arrow closes a loop.
    let (carts_x, _) = place(&map, "carts");
    let (orders_x, _) = place(&map, "orders");
    assert!(orders_x > carts_x, "orders ({orders_x}) after carts ({carts_x})");
    assert!(map.width > 0.0 && map.height > 0.0);
    for b in &map.boxes {
        assert!(
            b.x + b.w <= map.width && b.y + b.h <= map.height,
            "{b:?} inside the drawing"
        );
    }
}

/// A customer account and a concert on sale, the clock run for 10 s, then `preset` staged and a
/// checkout by u-1, with 5 s more on the clock.
fn checkout(workspace: &mut Workspace, preset: Preset) {
    let services = workspace.services_mut();
    open_sales(services);
    services.run(10_000).unwrap();
    workspace.stage(preset).unwrap();
    confirm(workspace, "k1");
    workspace.run_system(5_000).unwrap();
}

/// u-1 fills cart `cart` with two golden circle tickets and confirms it, the clock left as it is.
fn confirm(workspace: &mut Workspace, cart: &str) {
    confirm_cart(workspace.services_mut(), cart, "u-1", 2);
}

fn total(map: &SystemMap, figure: impl Fn(&eventarium::sim::system::LinkStats) -> u64) -> u64 {
    map.arrows.iter().map(|a| figure(&a.stats)).sum()
}

#[test]
fn an_arrow_carries_the_broker_figures() {
    let mut workspace = concert_workspace();
    checkout(&mut workspace, Preset::Calm);
    workspace.run_system_until_idle();
    let map = workspace.system_map();
    assert!(total(&map, |s| s.handled) > 0, "{:?}", map.arrows);
    let busy = map.arrows.iter().find(|a| a.stats.handled > 0).unwrap();
    assert!(busy.summary().contains("handled"), "{}", busy.summary());
    assert_eq!((map.waiting, total(&map, |s| s.in_flight)), (0, 0));
    assert!(map.now_ms > 0);
}

#[test]
fn presets_stage_the_failure_they_name() {
    let mut calm = concert_workspace();
    checkout(&mut calm, Preset::Calm);
    let calm = calm.system_map();
    assert_eq!(total(&calm, |s| s.duplicates_delivered), 0);

    let mut doubled = concert_workspace();
    checkout(&mut doubled, Preset::Duplicates);
    // The duplicates are on the links into payments: the customer pays.
    let payment = json!({ "orderId": "k1", "cardToken": "tok-visa-4242" });
    send(
        doubled.services_mut(),
        "payments",
        "SubmitPayment",
        "payment-k1",
        payment,
    );
    doubled.run_system_until_idle();
    let doubled = doubled.system_map();
    assert!(total(&doubled, |s| s.duplicates_delivered) > 0);
    assert!(
        doubled.arrows.iter().any(|a| a.troubled()),
        "a duplicate took effect somewhere"
    );

    let mut held = concert_workspace();
    let services = held.services_mut();
    open_sales(services);
    services.run(10_000).unwrap();
    let before = total(&held.system_map(), |s| s.handled);
    held.stage(Preset::Outage).unwrap();
    confirm(&mut held, "k1");
    held.run_system(5_000).unwrap();
    let map = held.system_map();
    assert_eq!(
        total(&map, |s| s.handled),
        before,
        "nothing delivered during the outage"
    );
    assert!(total(&map, |s| s.in_flight) > 0, "the checkout's messages wait");
    held.run_system(10_000).unwrap();
    assert!(
        total(&held.system_map(), |s| s.handled) > before,
        "delivered once it ended"
    );

    let mut lossy = concert_workspace();
    lossy.stage(Preset::DualWriteLoses).unwrap();
    let services = lossy.services_mut();
    open_sales(services);
    services.run(10_000).unwrap();
    for n in 0..8 {
        check_out(services, &format!("k{n}"), "u-1", 1);
    }
    lossy.run_system_until_idle();
    let lossy = lossy.system_map();
    assert!(
        total(&lossy, |s| s.lost) > 0 || lossy.boxes.iter().any(|b| b.lost > 0),
        "a dual write lost a message"
    );

    let mut restaged = concert_workspace();
    let services = restaged.services_mut();
    open_sales(services);
    services.run(10_000).unwrap();
    restaged.stage(Preset::Duplicates).unwrap();
    restaged.stage(Preset::Calm).unwrap();
    confirm(&mut restaged, "k1");
    restaged.run_system_until_idle();
    assert_eq!(
        total(&restaged.system_map(), |s| s.duplicates_delivered),
        0,
        "calm clears the faults"
    );
    for preset in Preset::ALL {
        assert!(!preset.label().is_empty() && preset.explanation().ends_with('.'));
    }
}

#[test]
fn the_page_console_sends_a_command_to_any_module_and_says_what_came_of_it() {
    let mut workspace = concert_workspace();
    let modules = workspace.module_commands();
    assert_eq!(modules[0].module, "carts", "the main module first");
    let users = modules.iter().find(|m| m.module == "users").expect("users");
    let register = users
        .commands
        .iter()
        .find(|(name, _)| name == "RegisterCustomer")
        .expect("a handler");
    assert!(register.1.contains(&"email".to_owned()), "{register:?}");

    let data = r#"{ "name": "Ada", "email": "ada@example.com" }"#;
    let said = workspace
        .send_to_module("users", "RegisterCustomer", "u-1", data)
        .unwrap();
    assert!(
        said.starts_with("RegisterCustomer accepted in users: 1 written"),
        "{said}"
    );
    assert_eq!(
        workspace
            .services()
            .rows("users", "customers")
            .map(|rows| rows.len())
            .unwrap_or(0),
        1
    );
    let again = workspace
        .send_to_module("users", "RegisterCustomer", "u-1", data)
        .unwrap();
    assert!(again.starts_with("RegisterCustomer rejected in users: "), "{again}");

    let not_json = workspace
        .send_to_module("users", "RegisterCustomer", "u-2", "{ name: ")
        .unwrap_err();
    assert!(not_json.to_string().contains("not JSON"), "{not_json}");
    let no_id = workspace
        .send_to_module("users", "RegisterCustomer", " ", data)
        .unwrap_err();
    assert!(no_id.to_string().contains("id"), "{no_id}");
    let nowhere = workspace
        .send_to_module("nowhere", "RegisterCustomer", "u-2", data)
        .unwrap_err();
    assert!(nowhere.to_string().contains("nowhere"), "{nowhere}");
}
