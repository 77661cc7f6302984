//! Component tests in a real browser: `wasm-pack test --headless --chrome -- --test browser`.
//! Each test mounts the app into a fresh element of the page, acts on it like a user and asserts on
//! the DOM.
#![cfg(all(target_arch = "wasm32", feature = "ui"))]

use eventarium::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app into a new element appended to the body and renders it.
async fn mount_app() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div can be created");
    document
        .body()
        .expect("the page has a body")
        .append_child(&root)
        .expect("the div can be appended");
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("the selector is valid")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
}

#[wasm_bindgen_test]
async fn the_shell_shows_the_name_and_every_panel() {
    let root = mount_app().await;
    assert_eq!(find(&root, ".brand").text_content().as_deref(), Some("Eventarium"));
    for panel in ["model", "streams", "inspector", "warnings"] {
        let body = find(&root, &format!(".panel-{panel} .panel-body"));
        assert!(
            !body.text_content().unwrap_or_default().is_empty(),
            "panel {panel} has an empty body"
        );
    }
    assert!(find(&root, ".status-bar")
        .text_content()
        .unwrap_or_default()
        .contains("4 of 4 panels open"));
}

#[wasm_bindgen_test]
async fn the_built_in_scenario_is_loaded_and_outlined_in_the_model_panel() {
    let root = mount_app().await;
    let status = find(&root, ".status-bar").text_content().unwrap_or_default();
    assert!(status.contains("Scenario: Shopping cart"), "status bar: {status}");
    let event_types = find(&root, ".outline-event-types").text_content().unwrap_or_default();
    for name in ["CartOpened", "ItemAdded", "CartConfirmed"] {
        assert!(event_types.contains(name), "{name} missing from {event_types}");
    }
    assert!(
        event_types.contains("v2 · "),
        "a versioned event type shows its version: {event_types}"
    );
    let specs = root
        .query_selector_all(".outline-specs li")
        .expect("the selector is valid")
        .length();
    assert_eq!(specs, 12, "the cart scenario's specs are listed");
}

#[wasm_bindgen_test]
async fn collapsing_a_panel_hides_its_body_and_expanding_brings_it_back() {
    let root = mount_app().await;

    click(&root, ".panel-inspector .panel-toggle");
    yew::scheduler::flush().await;
    assert!(
        root.query_selector(".panel-inspector .panel-body").unwrap().is_none(),
        "body still shown"
    );
    let toggle = find(&root, ".panel-inspector .panel-toggle");
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert_eq!(toggle.get_attribute("aria-label").as_deref(), Some("Expand Inspector"));
    assert!(find(&root, ".status-bar")
        .text_content()
        .unwrap_or_default()
        .contains("3 of 4 panels open"));

    click(&root, ".panel-inspector .panel-toggle");
    yew::scheduler::flush().await;
    assert!(
        root.query_selector(".panel-inspector .panel-body").unwrap().is_some(),
        "body not restored"
    );
    assert!(find(&root, ".status-bar")
        .text_content()
        .unwrap_or_default()
        .contains("4 of 4 panels open"));
}
