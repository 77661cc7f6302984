//! Component tests in a real browser: `wasm-pack test --headless --chrome -- --test browser`.
//! Each test mounts the app into a fresh element of the page, acts on it like a user and asserts on
//! the DOM.
#![cfg(all(target_arch = "wasm32", feature = "ui"))]

use eventarium::ui::{App, SAVE_KEY};
use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app into a new element appended to the body and renders it, after clearing what
/// earlier tests saved (each test starts from the built-in scenario).
async fn mount_app() -> Element {
    settle().await;
    forget_everything().await;
    mount_opened().await
}

/// Forgets everything kept in this browser: local storage and the workspaces' database.
async fn forget_everything() {
    LocalStorage::clear();
    let delete = js_sys::Function::new_no_args(
        "return new Promise(done => { const q = indexedDB.deleteDatabase('eventarium'); q.onsuccess = q.onerror = () => done(); });",
    );
    let promise: js_sys::Promise = delete.call0(&wasm_bindgen::JsValue::NULL).expect("deletes").into();
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Every text kept in the workspaces' database, one after the other.
async fn kept_text() -> String {
    let read = js_sys::Function::new_no_args(concat!(
        "return new Promise(done => { const q = indexedDB.open('eventarium', 1); q.onsuccess = () => { ",
        "const db = q.result; if (!db.objectStoreNames.contains('heads')) { db.close(); done(''); return; } ",
        "const t = db.transaction(['heads', 'chunks']); const h = t.objectStore('heads').getAll(); ",
        "const c = t.objectStore('chunks').getAll(); t.oncomplete = () => { db.close(); ",
        "done(JSON.stringify(h.result) + c.result.join('')); }; }; q.onerror = () => done(''); });"
    ));
    let promise: js_sys::Promise = read.call0(&wasm_bindgen::JsValue::NULL).expect("reads").into();
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// Mounts the app and waits until it has opened the workspace kept.
async fn mount_opened() -> Element {
    let root = mount::<App>(()).await;
    wait_for_shell(&root).await;
    root
}

async fn wait_for_shell(root: &Element) {
    wait_until("the workspace is open", || {
        root.query_selector(".app-header").ok().flatten().is_some()
    })
    .await;
}

thread_local! {
    /// What the tests mounted so far, each as the way to unmount it.
    static MOUNTED: std::cell::RefCell<Vec<Box<dyn FnOnce()>>> = std::cell::RefCell::new(Vec::new());
}

/// Keeps a mounted app's handle, so that [`settle`] can unmount it.
fn keep<C: yew::BaseComponent>(app: yew::AppHandle<C>) {
    MOUNTED.with(|mounted| mounted.borrow_mut().push(Box::new(move || app.destroy())));
}

/// Unmounts what earlier tests mounted: an unmounted app's pending autosave is cancelled with it,
/// so none can write to the storage this test starts from (instead of waiting for them to run).
async fn settle() {
    let earlier: Vec<_> = MOUNTED.with(|mounted| mounted.borrow_mut().drain(..).collect());
    for unmount in earlier {
        unmount();
    }
    yew::scheduler::flush().await;
}

/// How long [`wait_until`] waits for the page to reach a state before the test fails.
const WAIT_MS: f64 = 5_000.0;

/// Waits until `holds` is true, looking again after every turn of the event loop (timers,
/// renders and storage writes happen between two looks); fails, saying `what` it waited for, once
/// [`WAIT_MS`] have passed.
async fn wait_until(what: &str, mut holds: impl FnMut() -> bool) {
    let started = js_sys::Date::now();
    loop {
        yew::scheduler::flush().await;
        if holds() {
            return;
        }
        let waited = js_sys::Date::now() - started;
        assert!(waited < WAIT_MS, "waited {waited} ms, in vain, for this: {what}");
        next_turn().await;
    }
}

/// Resolves in a later turn of the event loop, after the timers already due.
async fn next_turn() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = gloo::utils::window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("the selector is valid")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

/// Clicks like a user: `HTMLElement.click()` for HTML, a bubbling click
/// event for SVG (whose elements have no `click()`).
fn click(root: &Element, selector: &str) {
    let element = find(root, selector);
    match element.dyn_ref::<HtmlElement>() {
        Some(html) => html.click(),
        None => {
            let init = web_sys::MouseEventInit::new();
            init.set_bubbles(true);
            let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("a click event");
            element.dispatch_event(&event).expect("dispatched");
        }
    }
}

#[wasm_bindgen_test]
async fn the_shell_shows_the_name_and_every_panel() {
    let root = mount_app().await;
    assert_eq!(find(&root, ".brand").text_content().as_deref(), Some("Eventarium"));
    for panel in ["model", "commands", "streams", "inspector", "warnings"] {
        let body = find(&root, &format!(".panel-{panel} .panel-body"));
        assert!(
            !body.text_content().unwrap_or_default().is_empty(),
            "panel {panel} has an empty body"
        );
    }
    assert!(find(&root, ".status-bar")
        .text_content()
        .unwrap_or_default()
        .contains("5 of 5 panels open"));
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
    assert_eq!(specs, 13, "the cart scenario's specs are listed");
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
        .contains("4 of 5 panels open"));

    click(&root, ".panel-inspector .panel-toggle");
    yew::scheduler::flush().await;
    assert!(
        root.query_selector(".panel-inspector .panel-body").unwrap().is_some(),
        "body not restored"
    );
    assert!(find(&root, ".status-bar")
        .text_content()
        .unwrap_or_default()
        .contains("5 of 5 panels open"));
}

/// Types `text` into the input or text area at `selector`, as a user would.
fn type_into(root: &Element, selector: &str, text: &str) {
    let input: HtmlInputElement = find(root, selector).unchecked_into();
    input.set_value(text);
    let event = web_sys::Event::new("input").expect("an input event");
    input.dispatch_event(&event).expect("the event is dispatched");
}

/// The text of the last element that matches `selector`.
fn last_text_of(root: &Element, selector: &str) -> String {
    let all = root.query_selector_all(selector).expect("the selector is valid");
    all.item(all.length().saturating_sub(1))
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn text_of(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

/// Fills the console's OpenCart form for `cart-<n>` and sends it.
async fn open_cart(root: &Element, n: u32) {
    type_into(root, ".command-console [aria-label='Stream id']", &format!("cart-{n}"));
    type_into(root, "#field-cartId", &n.to_string());
    type_into(root, "#field-customerId", "c-1");
    yew::scheduler::flush().await;
    click(root, ".command-console button[type=submit]");
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn a_command_from_the_console_appends_and_its_event_can_be_inspected() {
    let root = mount_app().await;
    open_cart(&root, 7).await;
    let outcome = text_of(&root, ".outcome");
    assert!(
        outcome.contains("appended to cart-7") && outcome.contains("CartOpened @0"),
        "{outcome}"
    );
    let streams = text_of(&root, ".stream-list");
    assert!(
        streams.contains("cart-7") && streams.contains("1 stream · 1 event"),
        "{streams}"
    );
    assert!(
        text_of(&root, ".timeline").contains("CartOpened"),
        "the timeline shows the event"
    );
    click(&root, ".timeline-event");
    yew::scheduler::flush().await;
    let inspector = text_of(&root, ".event-inspector");
    for words in ["cart-7", "CartOpened v1", "\"customerId\": \"c-1\"", "Header command"] {
        assert!(inspector.contains(words), "{words:?} missing from {inspector}");
    }
    assert!(text_of(&root, ".status-bar").contains("1 event"));
}

#[wasm_bindgen_test]
async fn the_console_checks_the_form_before_sending() {
    let root = mount_app().await;
    type_into(&root, "#field-cartId", "1");
    yew::scheduler::flush().await;
    click(&root, ".command-console button[type=submit]");
    yew::scheduler::flush().await;
    let problems = root
        .query_selector_all(".command-console .field-problem")
        .expect("the selector is valid")
        .length();
    assert_eq!(problems, 1, "customerId is missing");
    let stream: HtmlInputElement = find(&root, ".command-console [aria-label='Stream id']").unchecked_into();
    assert_eq!(stream.value(), "cart-1", "the stream follows the cartId typed");
    assert!(root.query_selector(".outcome").unwrap().is_none(), "nothing was sent");
    assert!(text_of(&root, ".stream-list").contains("No streams yet"));
}

#[wasm_bindgen_test]
async fn a_second_opening_is_rejected_with_the_deciders_message() {
    let root = mount_app().await;
    open_cart(&root, 1).await;
    open_cart(&root, 1).await;
    assert!(text_of(&root, ".outcome-rejected").contains("Rejected: cart already opened"));
}

#[wasm_bindgen_test]
async fn the_stream_list_filters_by_part_and_by_wildcard() {
    let root = mount_app().await;
    for n in [1, 2, 12] {
        open_cart(&root, n).await;
    }
    let count = |root: &Element| {
        root.query_selector_all(".stream-row")
            .expect("the selector is valid")
            .length()
    };
    assert_eq!(count(&root), 3);
    type_into(&root, ".stream-filter", "cart-1*");
    yew::scheduler::flush().await;
    assert_eq!(count(&root), 2, "cart-1 and cart-12");
    type_into(&root, ".stream-filter", "2");
    yew::scheduler::flush().await;
    assert_eq!(count(&root), 2, "cart-2 and cart-12");
    type_into(&root, ".stream-filter", "guest-*");
    yew::scheduler::flush().await;
    assert!(text_of(&root, ".stream-list").contains("No stream matches the filter."));
}

#[wasm_bindgen_test]
async fn a_long_category_lists_its_first_streams_and_more_on_request() {
    use eventarium::ui::{CategoryGroup, StreamList, StreamListProps, StreamRow, LISTED, LISTED_MORE};
    use std::{cell::Cell, rc::Rc};
    let rows = (0..LISTED)
        .map(|n| StreamRow {
            id: format!("cart-{n}"),
            events: 1,
            bytes: 10,
        })
        .collect();
    let group = CategoryGroup {
        category: "cart".into(),
        streams: rows,
        matching: 300,
        events: 300,
        longest: 1,
    };
    let asked = Rc::new(Cell::new(0));
    let props = StreamListProps {
        groups: Rc::new(vec![group]),
        filter: String::new(),
        onfilter: yew::Callback::noop(),
        order: eventarium::ui::StreamOrder::Natural,
        onorder: yew::Callback::noop(),
        selected: None,
        onselect: yew::Callback::noop(),
        onmore: {
            let asked = asked.clone();
            yew::Callback::from(move |()| asked.set(asked.get() + 1))
        },
    };
    let root = mount::<StreamList>(props).await;
    let rows = root.query_selector_all(".stream-row").expect("the selector is valid");
    assert_eq!(rows.length() as usize, LISTED);
    let hint = text_of(&root, ".stream-category .hint");
    let more = 300 - LISTED;
    assert!(hint.contains(&format!("{more} more")), "{hint}");
    assert!(hint.contains(&format!("list {} more", LISTED_MORE.min(more))), "{hint}");
    click(&root, ".stream-category .hint button");
    assert_eq!(asked.get(), 1, "asked for more");
}

/// Mounts the app on a saved workspace: the built-in cart after `prepare`, as a reload finds it.
async fn mount_saved(prepare: impl FnOnce(&mut eventarium::ui::Workspace)) -> Element {
    use eventarium::model::{Scenario, BUILT_IN};
    let scenario = Scenario::import(BUILT_IN[0].text).expect("the cart imports");
    let mut workspace = eventarium::ui::Workspace::open(scenario).expect("the cart opens");
    prepare(&mut workspace);
    mount_workspace(&workspace).await
}

/// Opens `cart-<n>` with a command, outside the page.
fn send_open_cart(workspace: &mut eventarium::ui::Workspace, n: u32) {
    let data = serde_json::json!({"cartId": n.to_string(), "customerId": "c-1"});
    let outcome = workspace.send(
        "OpenCart",
        &format!("cart-{n}"),
        data,
        eventarium::ui::ExpectedMode::Read,
    );
    assert!(
        matches!(outcome, eventarium::ui::SendOutcome::Appended { .. }),
        "cart-{n}: {outcome:?}"
    );
}

/// The ids in the stream list, top to bottom.
fn listed_streams(root: &Element) -> Vec<String> {
    let rows = root
        .query_selector_all(".stream-row .stream-id")
        .expect("the selector is valid");
    (0..rows.length())
        .filter_map(|i| rows.item(i).and_then(|row| row.text_content()))
        .collect()
}

#[wasm_bindgen_test]
async fn the_stream_list_puts_cart_2_before_cart_10_and_longest_first_on_request() {
    let root = mount_saved(|workspace| {
        for n in [100, 10, 2, 1] {
            send_open_cart(workspace, n);
        }
        let item = serde_json::json!({"cartId": "10", "productId": "p-1", "qty": 1, "unitPrice": 5});
        workspace.send("AddItem", "cart-10", item, eventarium::ui::ExpectedMode::Read);
    })
    .await;
    assert_eq!(
        listed_streams(&root),
        ["cart-1", "cart-2", "cart-10", "cart-100"],
        "by id"
    );
    let order: web_sys::HtmlSelectElement = find(&root, ".stream-order").unchecked_into();
    assert_eq!(order.value(), "By id");
    order.set_selected_index(1);
    order
        .dispatch_event(&web_sys::Event::new("change").expect("an event"))
        .expect("dispatched");
    yew::scheduler::flush().await;
    assert_eq!(
        listed_streams(&root),
        ["cart-10", "cart-1", "cart-2", "cart-100"],
        "longest first, then by id"
    );
    click(&root, "nav.pages [aria-label='Simulation']");
    yew::scheduler::flush().await;
    click(&root, "nav.pages [aria-label='Workspace']");
    yew::scheduler::flush().await;
    let order: web_sys::HtmlSelectElement = find(&root, ".stream-order").unchecked_into();
    assert_eq!(order.value(), "Longest first", "the order outlives a page switch");
    assert_eq!(listed_streams(&root), ["cart-10", "cart-1", "cart-2", "cart-100"]);
}

#[wasm_bindgen_test]
async fn the_inspector_shows_an_old_event_as_stored_and_as_reads_see_it() {
    let root = mount_saved(|workspace| {
        for n in [1, 2] {
            send_open_cart(workspace, n);
        }
        let types = &workspace.scenario().model.event_types;
        let at = types.iter().position(|t| t.name == "CartOpened").expect("CartOpened");
        let version = serde_json::json!({"version": 2, "fields": [
            {"name": "cartId", "type": "id"}, {"name": "customerId", "type": "id"},
            {"name": "channel", "type": "string", "required": false, "default": "web"}]});
        let script = "fn upcast(event) {\n    if event.streamId == \"cart-2\" { throw \"opened by hand\"; }\n    \
                      event.data.channel = \"shop\";\n    event\n}";
        let upcaster = serde_json::json!({"eventType": "CartOpened", "from": 1, "to": 2, "logic": {"script": script}});
        workspace.add_version(at, version, upcaster).expect("v2 is added");
        send_open_cart(workspace, 3);
    })
    .await;
    let inspect = |n: u32| {
        let root = root.clone();
        async move {
            let rows = root.query_selector_all(".stream-row").expect("the selector is valid");
            let row = rows.item(n - 1).expect("the stream is listed");
            row.unchecked_into::<HtmlElement>().click();
            let stream = format!("cart-{n}");
            wait_until(&format!("the timeline shows {stream}"), || {
                text_of(&root, ".timeline h3").contains(&stream)
                    && root.query_selector(".timeline-event").ok().flatten().is_some()
            })
            .await;
            click(&root, ".timeline-event");
            yew::scheduler::flush().await;
            text_of(&root, ".event-inspector")
        }
    };
    let inspector = inspect(1).await;
    assert!(
        inspector.contains("CartOpened v1") && inspector.contains("Payload as stored (v1)"),
        "{inspector}"
    );
    let read = text_of(&root, ".event-inspector .upcast-read");
    assert!(
        read.contains("Read as CartOpened v2") && read.contains("\"channel\": \"shop\""),
        "{read}"
    );
    let inspector = inspect(2).await;
    assert!(
        inspector.contains("Reads fail: upcaster CartOpened v1→v2") && inspector.contains("opened by hand"),
        "{inspector}"
    );
    let inspector = inspect(3).await;
    assert!(
        inspector.contains("CartOpened v2") && root.query_selector(".upcast-read").ok().flatten().is_none(),
        "an event at the current version shows as stored only: {inspector}"
    );
}

#[wasm_bindgen_test]
async fn work_is_saved_and_a_fresh_app_restores_it() {
    let root = mount_app().await;
    open_cart(&root, 5).await;
    // Autosave is debounced, and the write is asynchronous: wait for the database to hold it.
    let started = js_sys::Date::now();
    while !kept_text().await.contains("cart-5") {
        assert!(js_sys::Date::now() - started < WAIT_MS, "the save never held cart-5");
        next_turn().await;
    }
    let fresh = gloo::utils::document().create_element("div").expect("a div");
    gloo::utils::body().append_child(&fresh).expect("appended");
    keep(yew::Renderer::<App>::with_root(fresh.clone()).render());
    wait_for_shell(&fresh).await;
    assert!(text_of(&fresh, ".stream-list").contains("cart-5"), "restored");
}

#[wasm_bindgen_test]
async fn a_corrupted_save_is_kept_aside_and_explained() {
    settle().await;
    forget_everything().await;
    LocalStorage::raw().set_item(SAVE_KEY, "{ not json").expect("stored");
    let fresh = mount_opened().await;
    let notice = text_of(&fresh, ".notice");
    assert!(
        notice.contains("could not be read") && notice.contains("kept aside in the workspace list"),
        "{notice}"
    );
    assert!(
        LocalStorage::raw().get_item(SAVE_KEY).ok().flatten().is_none(),
        "moved out of local storage"
    );
    assert!(kept_text().await.contains("{ not json"), "the text is kept as it was");
    assert!(text_of(&fresh, ".status-bar").contains("Scenario: Shopping cart"));
    click(&fresh, ".app-actions button");
    wait_until("the list shows the damaged save", || {
        text_of(&fresh, ".workspaces-dialog").contains("Could not be read")
    })
    .await;
    let list = text_of(&fresh, ".workspaces-dialog");
    assert!(
        list.contains("Saved work that could not be read") && list.contains("Export"),
        "{list}"
    );
}

#[wasm_bindgen_test]
async fn specs_run_all_and_a_failing_one_shows_expected_against_actual() {
    settle().await;
    // The built-in cart with its first spec expecting the wrong customer.
    let mut document: serde_json::Value =
        serde_json::from_str(eventarium::model::BUILT_IN[0].text).expect("the built-in parses");
    document["specs"][0]["then"]["events"][0]["data"]["customerId"] = serde_json::json!("c-8");
    forget_everything().await;
    LocalStorage::raw()
        .set_item(SAVE_KEY, &document.to_string())
        .expect("stored");
    let root = mount_opened().await;
    click(&root, ".spec-actions button");
    yew::scheduler::flush().await;
    assert_eq!(text_of(&root, ".spec-summary"), "12 of 13 passed");
    let failed = text_of(&root, ".spec-failed");
    assert!(failed.contains("opening a cart"), "{failed}");
    let expected = text_of(&root, ".spec-failed .diff-expected");
    let actual = text_of(&root, ".spec-failed .diff-actual");
    assert!(
        expected.contains("c-8") && actual.contains("c-7"),
        "- {expected} / + {actual}"
    );
}

/// Mounts any component into a new element and renders it.
async fn mount<C: yew::BaseComponent>(props: C::Properties) -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div can be created");
    document
        .body()
        .expect("the page has a body")
        .append_child(&root)
        .expect("the div can be appended");
    keep(yew::Renderer::<C>::with_root_and_props(root.clone(), props).render());
    yew::scheduler::flush().await;
    root
}

#[wasm_bindgen_test]
async fn a_folded_json_node_draws_its_children_only_once_unfolded() {
    use eventarium::ui::{JsonTree, JsonTreeProps};
    let props = JsonTreeProps {
        label: "Doc".into(),
        value: serde_json::json!({ "lines": { "p-1": { "qty": 2 } }, "tags": ["a", "b"] }),
        open: false,
    };
    let root = mount::<JsonTree>(props).await;
    let leaves = |root: &Element| root.query_selector_all(".json-leaf").expect("valid").length();
    assert_eq!(
        leaves(&root),
        0,
        "only the root's first level, folded: {:?}",
        root.text_content()
    );
    assert_eq!(
        root.query_selector_all("details").expect("valid").length(),
        3,
        "root, lines, tags"
    );
    // The user unfolds `tags`: the browser opens it and says so with a toggle event.
    let tags = root
        .query_selector_all("details.json-node")
        .expect("valid")
        .item(2)
        .expect("a third node")
        .unchecked_into::<Element>();
    tags.set_attribute("open", "").expect("open can be set");
    let toggle = web_sys::Event::new("toggle").expect("an event");
    tags.dispatch_event(&toggle).expect("dispatched");
    yew::scheduler::flush().await;
    assert_eq!(leaves(&root), 2, "the two tags are drawn");
    assert!(!text_of(&root, ".json-root").contains("qty"), "lines stays folded");
    click(&root, "button[aria-label='Unfold all of Doc']");
    yew::scheduler::flush().await;
    assert_eq!(leaves(&root), 3, "everything is drawn");
    click(&root, "button[aria-label='Fold all of Doc']");
    yew::scheduler::flush().await;
    assert_eq!(leaves(&root), 0, "folded again");
}

#[wasm_bindgen_test]
async fn the_script_editor_numbers_lines_highlights_and_marks_the_reported_line() {
    use eventarium::ui::{Marker, ScriptEditor};
    let props = eventarium::ui::ScriptEditorProps {
        label: "Cart script".into(),
        value: "fn decide(command, state) {\n    // a rule\n    1 +\n}\n".into(),
        markers: vec![Marker {
            line: Some(3),
            column: Some(7),
            message: "expecting an expression".into(),
        }],
        oninput: yew::Callback::noop(),
    };
    let root = mount::<ScriptEditor>(props).await;
    let numbers = root.query_selector_all(".gutter li").expect("valid").length();
    assert_eq!(numbers, 5, "one number per line, the empty last one included");
    assert_eq!(text_of(&root, ".gutter li.marked"), "3");
    assert_eq!(text_of(&root, ".tok-keyword"), "fn");
    assert_eq!(text_of(&root, ".tok-comment"), "// a rule");
    assert!(text_of(&root, ".script-problem").contains("line 3, column 7: expecting an expression"));
    let marker = find(&root, ".line-marker").get_attribute("style").unwrap_or_default();
    assert!(
        marker.contains("--at-line: 3") && marker.contains("--at-column: 7"),
        "{marker}"
    );
    let area = find(&root, "textarea");
    assert_eq!(area.get_attribute("aria-label").as_deref(), Some("Cart script"));
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn the_fields_editor_edits_a_schema_as_rows_and_reports_each_change() {
    use eventarium::ui::FieldsEditor;
    use std::cell::RefCell;
    use std::rc::Rc;
    let changed: Rc<RefCell<Option<serde_json::Value>>> = Rc::default();
    let seen = changed.clone();
    let props = eventarium::ui::FieldsEditorProps {
        label: "ItemAdded v2".into(),
        fields: serde_json::json!([
            {"name": "productId", "type": "id"},
            {"name": "status", "type": {"enum": ["open", "closed"]}, "required": false, "default": "open", "pii": true},
        ]),
        problems: vec![("[0].name".into(), "duplicate field".into())],
        onchange: yew::Callback::from(move |v| *seen.borrow_mut() = Some(v)),
    };
    let root = mount::<FieldsEditor>(props).await;
    assert_eq!(root.query_selector_all(".field-row").expect("valid").length(), 2);
    let status_type: web_sys::HtmlSelectElement =
        find(&root, "[aria-label='ItemAdded v2 field status: type']").unchecked_into();
    assert_eq!(status_type.value(), "enum");
    let values: HtmlInputElement = find(
        &root,
        "[aria-label='ItemAdded v2 field status: values, separated by commas']",
    )
    .unchecked_into();
    assert_eq!(values.value(), "open, closed");
    assert!(
        text_of(&root, ".field-row.invalid").contains("duplicate field"),
        "a problem is shown on its row"
    );
    type_into(&root, "[aria-label='ItemAdded v2 field productId: name']", "sku");
    yew::scheduler::flush().await;
    let after = changed.borrow().clone().unwrap_or_default();
    assert_eq!(after[0]["name"], "sku");
    assert_eq!(after[1]["pii"], true, "the other row is kept as it was");
    // Optional is kept as `required: false` (leaving it out would mean required).
    click(&root, ".field-row:first-child .check input");
    yew::scheduler::flush().await;
    assert_eq!(changed.borrow().clone().unwrap_or_default()[0]["required"], false);
    click(&root, "[aria-label='Add a field to ItemAdded v2']");
    yew::scheduler::flush().await;
    let added = changed.borrow().clone().unwrap_or_default();
    assert_eq!(added.as_array().map(Vec::len), Some(3));
}

#[wasm_bindgen_test]
async fn the_timeline_draws_only_the_rows_in_view_of_a_million_events() {
    use eventarium::store::{Config, ExpectedRevision, NewEvent, Store};
    use eventarium::ui::Timeline;
    // One real event, served at every revision the timeline asks for.
    let mut store = Store::new(Config::default());
    store
        .append(
            "cart-1",
            ExpectedRevision::Any,
            vec![NewEvent::new("ItemAdded", serde_json::json!({}))],
        )
        .expect("appended");
    let template = store
        .read(
            eventarium::store::Source::All,
            0,
            1,
            eventarium::store::Direction::Forwards,
        )
        .expect("read")[0]
        .clone();
    let asked = std::rc::Rc::new(std::cell::Cell::new(0usize));
    let counter = asked.clone();
    let read = yew::Callback::from(move |(offset, count): (u64, usize)| {
        counter.set(counter.get().max(count));
        (offset..offset + count as u64)
            .map(|revision| {
                let mut event = template.clone();
                event.revision = revision;
                event.position = revision;
                event
            })
            .collect::<Vec<_>>()
    });
    let props = eventarium::ui::TimelineProps {
        stream_id: "cart-1".into(),
        total: 1_000_000,
        read,
        generation: 0,
        selected: None,
        onselect: yew::Callback::noop(),
    };
    let root = mount::<Timeline>(props).await;
    wait_until("the timeline draws its rows", || {
        root.query_selector(".timeline-row").ok().flatten().is_some()
    })
    .await;
    let rows = root.query_selector_all(".timeline-row").expect("valid").length();
    assert!(rows > 0 && rows <= 40, "{rows} rows drawn of 1M");
    assert!(asked.get() <= 40, "at most a window is read: {}", asked.get());
    assert!(
        text_of(&root, ".timeline-row:last-child").contains("#999999"),
        "it opens at the end"
    );
    let view: HtmlElement = find(&root, ".timeline-view").unchecked_into();
    view.set_scroll_top(500_000 * 30);
    let scrolled = web_sys::Event::new("scroll").expect("a scroll event");
    view.dispatch_event(&scrolled).expect("dispatched");
    yew::scheduler::flush().await;
    let first = text_of(&root, ".timeline-row");
    assert!(first.contains("#4999"), "the window moved to the middle: {first}");
}

#[wasm_bindgen_test]
async fn the_event_type_editor_shows_versions_side_by_side_with_their_diff() {
    let root = mount_app().await;
    click(&root, "[aria-label='Edit event type ItemAdded']");
    yew::scheduler::flush().await;
    let columns = root.query_selector_all(".version-column").expect("valid").length();
    assert_eq!(columns, 2, "v1 and v2");
    let diff = text_of(&root, ".version-diff");
    assert!(diff.contains("v1 → v2: breaking"), "{diff}");
    assert!(diff.contains("sku → productId"), "{diff}");
    click(&root, ".editor-body > button");
    yew::scheduler::flush().await;
    assert_eq!(
        root.query_selector_all(".version-column").expect("valid").length(),
        3,
        "a third version"
    );
    let last = last_text_of(&root, ".version-diff");
    assert!(
        last.contains("v2 → v3: compatible") && last.contains("no change"),
        "{last}"
    );
    // A field retyped in the new version is a breaking change, shown as the user picks it.
    let picker: web_sys::HtmlSelectElement =
        find(&root, "[aria-label='ItemAdded v3 field qty: type']").unchecked_into();
    picker.set_value("string");
    picker
        .dispatch_event(&web_sys::Event::new("change").expect("an event"))
        .expect("dispatched");
    yew::scheduler::flush().await;
    let last = last_text_of(&root, ".version-diff");
    assert!(last.contains("qty: int → string"), "{last}");
    click(&root, ".editor-actions button:not(.primary):not(.danger)");
    yew::scheduler::flush().await;
    assert!(
        root.query_selector(".editor").expect("valid").is_none(),
        "Cancel closes it"
    );
}

/// A projection's status as the runtime reports it, caught up, for the lab tests to change.
fn status(name: &str) -> eventarium::sim::ProjectionStatus {
    eventarium::sim::ProjectionStatus {
        name: name.to_owned(),
        version: 1,
        lifecycle: eventarium::model::Lifecycle::Async,
        state: eventarium::sim::ProjectionState::Live,
        checkpoint: 10,
        lag: 0,
        documents: 3,
        poison: None,
        skipped: Vec::new(),
        rebuild: None,
        blue_green: None,
        checkpointing: eventarium::model::Checkpointing::WithReadModel,
        gaps: Default::default(),
        crash_armed: false,
        crashes: Vec::new(),
        waiting_at: None,
        missed: Vec::new(),
        pending: Vec::new(),
        draining: false,
        drained: 0,
        last_rebuild: None,
    }
}

#[wasm_bindgen_test]
async fn an_async_projection_card_offers_the_crash_and_reports_the_double_count() {
    use eventarium::model::Checkpointing;
    use eventarium::ui::{LabAction, ProjectionsLab, ProjectionsLabProps};
    use std::cell::RefCell;
    use std::rc::Rc;
    let mut counter = status("Counter");
    counter.checkpointing = Checkpointing::AfterBatch;
    counter.crashes = vec![eventarium::sim::Crash {
        written_up_to: 12,
        restarted_from: 9,
        processed_again: 3,
        rolled_back: false,
        checkpointing: Checkpointing::AfterBatch,
    }];
    let actions: Rc<RefCell<Vec<(String, LabAction)>>> = Rc::default();
    let seen = actions.clone();
    let root = mount::<ProjectionsLab>(ProjectionsLabProps {
        statuses: Rc::new(vec![counter]),
        selected: None,
        documents: Rc::default(),
        rate: None,
        error: None,
        writers: Rc::default(),
        onaction: yew::Callback::from(move |a| seen.borrow_mut().push(a)),
    })
    .await;
    let report = text_of(&root, ".crash-report");
    assert!(
        report.contains("restarted at position 9 (the checkpoint it had stored): 3 positions read again"),
        "{report}"
    );
    assert!(report.contains("applies twice"), "{report}");
    click(&root, ".lab-card .checkpointing button");
    yew::scheduler::flush().await;
    assert_eq!(actions.borrow().last(), Some(&("Counter".to_owned(), LabAction::Crash)));
    let select: web_sys::HtmlSelectElement = find(&root, "[aria-label='Checkpoint of Counter']").unchecked_into();
    assert_eq!(select.value(), "afterBatch");
    select.set_value("withReadModel");
    select
        .dispatch_event(&web_sys::Event::new("change").expect("an event"))
        .expect("dispatched");
    yew::scheduler::flush().await;
    assert_eq!(
        actions.borrow().last(),
        Some(&(
            "Counter".to_owned(),
            LabAction::Checkpoint(Checkpointing::WithReadModel)
        ))
    );
}

#[wasm_bindgen_test]
async fn the_lab_shows_gaps_a_stuck_rebuild_and_stages_a_slow_writer() {
    use eventarium::model::Gaps;
    use eventarium::session::Writers;
    use eventarium::sim::{Flight, ProjectionState, RebuildProgress};
    use eventarium::ui::{LabAction, ProjectionsLab, ProjectionsLabProps};
    use std::cell::RefCell;
    use std::rc::Rc;
    let mut naive = status("Naive");
    naive.missed = vec![41];
    let mut waiting = status("Waiting");
    waiting.gaps = Gaps::HighWaterMark { stale_after_ms: None };
    waiting.state = ProjectionState::CatchingUp;
    waiting.lag = 2;
    waiting.waiting_at = Some(41);
    let mut stuck = status("Stuck");
    stuck.state = ProjectionState::Rebuilding;
    stuck.rebuild = Some(RebuildProgress {
        processed: 5,
        total: 10,
        crashed_at: Some(5),
        stalled: true,
        ..Default::default()
    });
    let actions: Rc<RefCell<Vec<(String, LabAction)>>> = Rc::default();
    let seen = actions.clone();
    let writers = Writers {
        armed: None,
        in_flight: vec![Flight {
            from: 41,
            to: 42,
            stream_id: "cart-2".into(),
            began_ms: 0,
            commits_ms: 5_000,
        }],
        now_ms: 1_000,
        guards: true,
    };
    let root = mount::<ProjectionsLab>(ProjectionsLabProps {
        statuses: Rc::new(vec![naive, waiting, stuck]),
        selected: None,
        documents: Rc::default(),
        rate: None,
        error: None,
        writers: Rc::new(writers),
        onaction: yew::Callback::from(move |a| seen.borrow_mut().push(a)),
    })
    .await;
    let text = text_of(&root, ".projections-lab");
    assert!(
        text.contains("1 event of cart-2 at position 41, commits in 4.000 s"),
        "{text}"
    );
    assert!(text.contains("Read past 1 event in flight (position 41)"), "{text}");
    assert!(
        text.contains("waiting at a gap") && text.contains("Waiting at position 41"),
        "{text}"
    );
    assert!(
        text.contains("stuck rebuilding") && text.contains("crashed at position 5"),
        "{text}"
    );
    click(&root, ".slow-writer button");
    yew::scheduler::flush().await;
    assert_eq!(
        actions.borrow().last(),
        Some(&(String::new(), LabAction::HoldNextWrite))
    );
    let select: web_sys::HtmlSelectElement = find(&root, "[aria-label='Gaps of Naive']").unchecked_into();
    select.set_value("wait");
    select
        .dispatch_event(&web_sys::Event::new("change").expect("an event"))
        .expect("dispatched");
    yew::scheduler::flush().await;
    assert_eq!(
        actions.borrow().last(),
        Some(&(
            "Naive".to_owned(),
            LabAction::Gaps(Gaps::HighWaterMark { stale_after_ms: None })
        ))
    );
}

#[wasm_bindgen_test]
async fn a_blue_green_build_that_caught_up_says_so_and_may_switch() {
    use eventarium::ui::{ProjectionsLab, ProjectionsLabProps};
    use std::rc::Rc;

    let mut built = status("Built");
    built.blue_green = Some(eventarium::sim::BlueGreenStatus {
        version: 2,
        checkpoint: 10,
        lag: 0,
        switch_lag: 0,
        held: true,
        documents: 3,
        poison: None,
    });
    let props = ProjectionsLabProps {
        statuses: Rc::new(vec![built]),
        selected: None,
        documents: Rc::new((Vec::new(), 0)),
        rate: None,
        error: None,
        writers: Rc::default(),
        onaction: yew::Callback::noop(),
    };
    let root = mount::<ProjectionsLab>(props).await;
    let side = text_of(&root, ".next-side");
    assert!(
        side.contains("v2 caught up: ready to switch") && !side.contains("building"),
        "{side}"
    );
    let switch = find(&root, ".blue-green button.primary");
    assert!(!switch.has_attribute("disabled"), "caught up: switch enabled");
}

#[wasm_bindgen_test]
async fn the_projections_lab_shows_state_progress_blue_green_and_poison() {
    use eventarium::ui::{LabAction, ProjectionsLab, ProjectionsLabProps};
    use std::cell::RefCell;
    use std::rc::Rc;
    let mut rebuilding = status("Rebuilding");
    rebuilding.state = eventarium::sim::ProjectionState::Rebuilding;
    rebuilding.lag = 60;
    rebuilding.rebuild = Some(eventarium::sim::RebuildProgress {
        processed: 40,
        total: 100,
        ..Default::default()
    });
    let mut building = status("Building");
    building.blue_green = Some(eventarium::sim::BlueGreenStatus {
        version: 2,
        checkpoint: 4,
        lag: 6,
        switch_lag: 0,
        held: true,
        documents: 1,
        poison: None,
    });
    let mut stopped = status("Stopped");
    stopped.state = eventarium::sim::ProjectionState::Stopped;
    stopped.poison = Some(eventarium::sim::Poison {
        position: 7,
        stream_id: "cart-1".into(),
        event_type: "ItemAdded".into(),
        error: "projection Stopped, fn on_ItemAdded, line 2: boom".into(),
        line: Some(2),
        column: None,
    });
    let asked: Rc<RefCell<Vec<(String, LabAction)>>> = Rc::default();
    let seen = asked.clone();
    let props = ProjectionsLabProps {
        statuses: Rc::new(vec![rebuilding, building, stopped]),
        selected: Some("Building".into()),
        documents: Rc::new((vec![("k-1".into(), serde_json::json!({"count": 2, "name": "a"}))], 3)),
        rate: Some(125_000.0),
        error: None,
        writers: Rc::default(),
        onaction: yew::Callback::from(move |a| seen.borrow_mut().push(a)),
    };
    let root = mount::<ProjectionsLab>(props).await;
    assert!(text_of(&root, ".rebuild-progress").contains("40 of 100 events, 125000 events/s"));
    let progress = find(&root, "progress");
    assert_eq!(progress.get_attribute("value").as_deref(), Some("40"));
    let switch = find(&root, ".blue-green button.primary");
    assert!(switch.has_attribute("disabled"), "not caught up yet: switch disabled");
    assert!(text_of(&root, ".blue-green").contains("v1 live") && text_of(&root, ".blue-green").contains("v2 building"));
    assert!(text_of(&root, ".poison").contains("Stopped at position 7 (ItemAdded in cart-1)"));
    assert!(text_of(&root, ".poison").contains("line 2: boom"));
    assert!(text_of(&root, ".lab-documents").contains("the first 1 shown"));
    assert_eq!(text_of(&root, "table.documents thead"), "keycountname");
    click(&root, ".poison button:not(.primary)");
    yew::scheduler::flush().await;
    assert_eq!(
        asked.borrow().last().cloned(),
        Some(("Stopped".to_owned(), LabAction::Skip))
    );
}

#[wasm_bindgen_test]
async fn the_charts_draw_one_bar_per_bucket_and_a_growth_line() {
    use eventarium::ui::{histogram, ChartData, Charts, ChartsProps};
    let data = ChartData {
        stream_lengths: histogram(&[1, 2, 3, 9]),
        per_type: vec![("A".into(), 5), ("B".into(), 10)],
        growth: vec![(0, 1), (60_000, 5), (120_000, 14)],
        lags: vec![("P".into(), 0)],
    };
    let root = mount::<Charts>(ChartsProps {
        data: std::rc::Rc::new(data),
    })
    .await;
    let figures = root.query_selector_all("figure").expect("valid").length();
    assert_eq!(figures, 4);
    let per_type = find(&root, "figure[aria-label='Events per type'] svg");
    assert_eq!(
        per_type.get_attribute("aria-label").as_deref(),
        Some("Events per type: A 5 events, B 10 events")
    );
    let widths: Vec<f64> = (0..2)
        .filter_map(|i| {
            let rects = root
                .query_selector_all("figure[aria-label='Events per type'] rect")
                .ok()?;
            rects
                .item(i)?
                .unchecked_into::<Element>()
                .get_attribute("width")?
                .parse()
                .ok()
        })
        .collect();
    assert!(
        (widths[1] - 2.0 * widths[0]).abs() < 0.5,
        "bars scale with the value: {widths:?}"
    );
    assert_eq!(
        root.query_selector_all("figure[aria-label='Stream length histogram'] rect")
            .expect("valid")
            .length(),
        5,
        "1, 2, 3–4, 5–8 (empty) and 9–16"
    );
    let line = find(&root, "polyline").get_attribute("points").unwrap_or_default();
    assert_eq!(line.split(' ').count(), 3);
    let growth = text_of(&root, "figure[aria-label='Growth over simulated time']");
    assert!(
        growth.contains("(+2 min)") && growth.contains("1970-01-01 00:0"),
        "{growth}"
    );
}

#[wasm_bindgen_test]
async fn the_schema_lab_flags_a_stored_version_with_no_path_and_shows_old_events_beside_their_upcast() {
    use eventarium::model::{Scenario, BUILT_IN};
    use eventarium::ui::{SchemaLab, SchemaLabProps, StoredVersion, UpcastView};
    use std::rc::Rc;
    let scenario = Scenario::import(BUILT_IN[0].text).expect("the cart imports");
    let types = Rc::new(scenario.model.event_types.clone());
    let item_added = types.iter().position(|t| t.name == "ItemAdded").expect("ItemAdded");
    let envelope = |version: u32, data: serde_json::Value| eventarium::sim::Envelope {
        event_type: "ItemAdded".into(),
        schema_version: version,
        data,
        stream_id: "cart-1".into(),
        revision: 1,
        position: 1,
    };
    let props = SchemaLabProps {
        event_types: types,
        selected: item_added,
        stored: Rc::new(vec![
            StoredVersion {
                version: 1,
                events: 4,
                unreadable: None,
            },
            StoredVersion {
                version: 3,
                events: 1,
                unreadable: Some("ItemAdded v3 is newer than its current version v2".into()),
            },
        ]),
        views: Rc::new(vec![UpcastView {
            stored: envelope(1, serde_json::json!({"sku": "p-1"})),
            read: Ok(vec![envelope(
                2,
                serde_json::json!({"productId": "p-1", "currency": "EUR"}),
            )]),
        }]),
        onselect: yew::Callback::noop(),
        check: yew::Callback::from(|_| Vec::new()),
        onadd: yew::Callback::from(|_| Ok(())),
    };
    let root = mount::<SchemaLab>(props).await;
    let stored = text_of(&root, ".stored-versions");
    assert!(stored.contains("v1: 4 stored, upcast v1 → v2"), "{stored}");
    assert!(
        text_of(&root, ".stored-versions .unreadable").contains("cannot be read: ItemAdded v3 is newer"),
        "{stored}"
    );
    assert!(text_of(&root, ".stored-side").contains("\"sku\""));
    let read = text_of(&root, ".read-side");
    assert!(
        read.contains("Read as ItemAdded v2") && read.contains("\"currency\": \"EUR\""),
        "{read}"
    );
    assert!(text_of(&root, ".next-version h3").contains("Add v3 with its upcaster"));
}

#[wasm_bindgen_test]
async fn the_two_participants_show_a_pending_decision_and_a_retry_after_a_conflict() {
    use eventarium::model::{Scenario, BUILT_IN};
    use eventarium::ui::{ExpectedMode, Participant, SendOutcome, TwoParticipants, TwoParticipantsProps, Workspace};
    use std::rc::Rc;
    let scenario = Scenario::import(BUILT_IN[0].text).expect("the cart imports");
    let mut workspace = Workspace::open(scenario.clone()).expect("it opens");
    let data = serde_json::json!({"cartId": "1", "customerId": "c-1"});
    let decision = workspace
        .decide("OpenCart", "cart-1", data, ExpectedMode::Read)
        .expect("decided");
    let ann = Participant {
        submission: None,
        decision: Some(decision),
        outcome: None,
    };
    let ben = Participant {
        submission: None,
        decision: None,
        outcome: Some(SendOutcome::Conflict("expected 0, actual 1".into())),
    };
    let props = TwoParticipantsProps {
        model: Rc::new(scenario.model),
        participants: Rc::new([ann, ben]),
        onmove: yew::Callback::noop(),
    };
    let root = mount::<TwoParticipants>(props).await;
    let ann = text_of(&root, "[aria-label='Participant Ann'] .pending-decision");
    assert!(
        ann.contains("Ann read cart-1 at no stream yet and decided: CartOpened. Not appended yet."),
        "{ann}"
    );
    assert!(text_of(&root, "[aria-label='Participant Ben'] .outcome-conflict").contains("expected 0, actual 1"));
    let ben = text_of(&root, "[aria-label='Participant Ben']");
    assert!(ben.contains("Retry: read again and append"), "{ben}");
    assert!(find(&root, "form[aria-label=\"Ann's console\"]")
        .text_content()
        .unwrap_or_default()
        .contains("Decide OpenCart"));
}

#[wasm_bindgen_test]
async fn the_simulation_page_shows_the_run_the_controls_and_time_travel() {
    use eventarium::sim::load::LoadStatus;
    use eventarium::ui::{Control, Simulation, SimulationProps};
    use std::cell::RefCell;
    use std::rc::Rc;
    let controls: Rc<RefCell<Vec<Control>>> = Rc::default();
    let seen = controls.clone();
    let props = SimulationProps {
        generator: serde_json::json!({"name": "g"}),
        presets: Rc::new(vec![
            ("Typical".into(), serde_json::json!({"name": "typical"})),
            ("Long-lived".into(), serde_json::json!({"name": "long"})),
        ]),
        seed: 7,
        speed: 10,
        playing: true,
        status: Some(LoadStatus {
            name: "g".into(),
            instances: 10,
            instances_started: 4,
            instances_done: 3,
            commands_sent: 40,
            accepted: 38,
            rejected: 1,
            failed: 1,
            last_errors: vec!["cmd-9 failed".into()],
            paused: false,
            done: false,
            simulated_ms: 120_000,
        }),
        problems: Vec::new(),
        head: 41,
        travel: Some(12),
        streams: Rc::new((vec![("cart-1".into(), 5), ("cart-2".into(), 8)], 2)),
        projections: Rc::new(vec!["CartSummary".into()]),
        projection: Some("CartSummary".into()),
        documents: Rc::new(Err("projection CartSummary: boom".into())),
        oncontrol: yew::Callback::from(move |c| seen.borrow_mut().push(c)),
        children: yew::Html::default(),
    };
    let root = mount::<Simulation>(props).await;
    let status = text_of(&root, ".load-status");
    assert!(
        status.contains(
            "3 of 10 instances done, 40 commands (38 accepted, 1 rejected, 1 failed), 2 min of simulated time"
        ),
        "{status}"
    );
    assert!(
        text_of(&root, ".lab-actions").contains("Pause"),
        "playing: Pause is offered"
    );
    let slider: HtmlInputElement = find(&root, "input[type=range]").unchecked_into();
    assert_eq!((slider.max(), slider.value()), ("40".to_owned(), "12".to_owned()));
    assert!(text_of(&root, ".time-travel h3").contains("As of position 12"));
    assert!(text_of(&root, ".time-travel").contains("2 streams") && text_of(&root, ".time-travel").contains("boom"));
    click(&root, ".time-travel .travel-row button");
    yew::scheduler::flush().await;
    assert_eq!(controls.borrow().last(), Some(&Control::Travel(None)), "Back to now");
    let preset: web_sys::HtmlSelectElement = find(&root, "[aria-label='Generator preset']").unchecked_into();
    preset.set_value("1");
    preset
        .dispatch_event(&web_sys::Event::new("change").expect("an event"))
        .expect("dispatched");
    yew::scheduler::flush().await;
    assert_eq!(
        controls.borrow().last(),
        Some(&Control::Generator(serde_json::json!({"name": "long"}))),
        "a preset replaces the definition"
    );
}

#[wasm_bindgen_test]
async fn the_system_map_draws_modules_and_subscriptions_and_stages_a_preset() {
    let workspace = concert();
    let subscriptions: usize = workspace.services().subscribers().iter().map(|s| s.topics.len()).sum();
    let root = mount_workspace(&workspace).await;
    click(&root, "button[aria-label='System map']");
    wait_until("the map is drawn", || {
        root.query_selector(".system-map svg").ok().flatten().is_some()
    })
    .await;
    let count = |selector: &str| root.query_selector_all(selector).map(|l| l.length()).unwrap_or(0);
    assert!(count(".map-box") >= 9, "seven modules and two external systems");
    assert_eq!(count(".map-box.state-stored"), 1, "users keeps rows");
    assert_eq!(count(".map-box.external"), 2);
    assert_eq!(count(".map-arrow") as usize, subscriptions);
    assert_eq!(count("table.system-links tbody tr") as usize, subscriptions);
    assert!(
        text_of(&root, ".system-clock").contains("0.000 s"),
        "{}",
        text_of(&root, ".system-clock")
    );

    click(&root, ".presets button[title*='twice']");
    wait_until("the preset is staged", || {
        find(&root, ".presets button[title*='twice']")
            .get_attribute("aria-pressed")
            .as_deref()
            == Some("true")
    })
    .await;
    assert!(text_of(&root, ".preset-explanation").contains("twice"));
    // The preset staged is the system's, not the page's: it shows after a visit elsewhere.
    click(&root, "button[aria-label='Workspace']");
    wait_until("the map is gone", || {
        root.query_selector(".system-map svg").ok().flatten().is_none()
    })
    .await;
    click(&root, "button[aria-label='System map']");
    wait_until("the map is drawn again", || {
        root.query_selector(".system-map svg").ok().flatten().is_some()
    })
    .await;
    assert_eq!(
        find(&root, ".presets button[title*='twice']")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    click(&root, "[aria-label='Run the clock'] button:nth-child(3)");
    wait_until("the clock moved 10 s", || {
        text_of(&root, ".system-clock").contains("10.000 s")
    })
    .await;
    assert!(
        text_of(&root, ".status-message").contains("tasks ran"),
        "{}",
        text_of(&root, ".status-message")
    );
}

/// The built-in concert-ticketing system, opened.
fn concert() -> eventarium::ui::Workspace {
    use eventarium::model::{Scenario, BUILT_IN};
    let concert = BUILT_IN
        .iter()
        .find(|b| b.id == "concert-ticketing")
        .expect("the concert system ships");
    let scenario = Scenario::import(concert.text).expect("the concert system imports");
    eventarium::ui::Workspace::open(scenario).expect("the concert system opens")
}

/// Mounts the app on a workspace saved as a reload finds it.
async fn mount_workspace(workspace: &eventarium::ui::Workspace) -> Element {
    settle().await;
    forget_everything().await;
    // As an earlier version left it: opening moves it into the database.
    LocalStorage::raw()
        .set_item(SAVE_KEY, &workspace.save())
        .expect("the save is stored");
    mount_opened().await
}

/// Mounts the app on the built-in concert-ticketing system, as a reload finds it.
async fn mount_concert() -> Element {
    mount_workspace(&concert()).await
}

#[wasm_bindgen_test]
async fn a_consumer_is_edited_in_the_model_panel_and_its_inbox_turned_on() {
    let root = mount_concert().await;
    click(&root, "[aria-label='Edit consumer ChargeCards']");
    yew::scheduler::flush().await;
    let title = text_of(&root, ".editor-header h2");
    assert!(title.contains("Edit consumer ChargeCards"), "{title}");
    let picked = root
        .query_selector_all(".pick-many .pick input:checked")
        .expect("valid")
        .length();
    assert_eq!(picked, 1, "it reads payments.PaymentSubmitted");
    let inbox: HtmlInputElement = find(&root, ".editor-field.check input").unchecked_into();
    assert!(!inbox.checked(), "the first deployment has no inbox");
    inbox.click();
    wait_until("the draft has the inbox", || {
        find(&root, ".editor-field.check input")
            .unchecked_into::<HtmlInputElement>()
            .checked()
    })
    .await;
    click(&root, ".editor-actions button.primary");
    wait_until("the editor closes on save", || {
        root.query_selector(".editor").ok().flatten().is_none()
    })
    .await;
    let said = text_of(&root, ".status-message");
    assert!(said.contains("Saved consumer ChargeCards"), "{said}");
    assert!(!said.contains("restarts"), "an inbox needs no restart: {said}");
    click(&root, "[aria-label='Edit consumer ChargeCards']");
    yew::scheduler::flush().await;
    assert!(find(&root, ".editor-field.check input")
        .unchecked_into::<HtmlInputElement>()
        .checked());
}

#[wasm_bindgen_test]
async fn a_module_shows_its_contracts_and_a_new_consumer_waits_for_a_restart() {
    let root = mount_concert().await;
    click(&root, "[aria-label='Edit module payments']");
    yew::scheduler::flush().await;
    let contracts = root.query_selector_all(".version-column").expect("valid").length();
    assert_eq!(contracts, 2, "PaymentSucceeded v1 and PaymentFailed v1");
    click(&root, ".editor-actions button:not(.primary):not(.danger)");
    yew::scheduler::flush().await;

    click(&root, "[aria-label='New consumer']");
    yew::scheduler::flush().await;
    assert_eq!(text_of(&root, ".editor-status"), "No problems");
    click(&root, ".editor-actions button.primary");
    wait_until("the new consumer is saved", || {
        root.query_selector(".editor").ok().flatten().is_none()
    })
    .await;
    let said = text_of(&root, ".status-message");
    assert!(said.contains("consumer NewConsumer added"), "{said}");
    click(&root, "button[aria-label='System map']");
    wait_until("the System page says a restart is needed", || {
        root.query_selector(".restart-needed").ok().flatten().is_some()
    })
    .await;
    let arrows = || root.query_selector_all(".map-arrow").map(|l| l.length()).unwrap_or(0);
    let before = arrows();
    click(&root, ".restart-needed button");
    wait_until("the restart brings the consumer in", || {
        root.query_selector(".restart-needed").ok().flatten().is_none()
    })
    .await;
    assert_eq!(arrows(), before + 1, "the new consumer's subscription is drawn");
}

#[wasm_bindgen_test]
async fn a_module_box_opens_the_module_below_the_map_and_its_editor() {
    let root = mount_concert().await;
    click(&root, "button[aria-label='System map']");
    wait_until("the map is drawn", || {
        root.query_selector(".system-map svg").ok().flatten().is_some()
    })
    .await;
    let users = find(&root, "[aria-label='Open module users']");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let enter = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("a key event");
    users.dispatch_event(&enter).expect("dispatched");
    wait_until("the users module opens", || {
        root.query_selector("section[aria-label='Module users']")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    assert!(text_of(&root, ".module-view").contains("customers (0 rows)"));
    click(&root, "[aria-label='Open module carts']");
    wait_until("carts replaces users", || {
        root.query_selector("section[aria-label='Module carts']")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    assert!(
        text_of(&root, ".module-view").contains("Open in the workspace"),
        "carts is the main module"
    );
    click(&root, "[aria-label='Edit module carts']");
    yew::scheduler::flush().await;
    assert!(text_of(&root, ".editor-header h2").contains("Edit module carts"));
    click(&root, "[aria-label='Close the module']");
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn the_system_page_sets_a_consumers_faults_and_opens_it_from_the_map() {
    let root = mount_concert().await;
    click(&root, "button[aria-label='System map']");
    wait_until("the map is drawn", || {
        root.query_selector(".system-map svg").ok().flatten().is_some()
    })
    .await;
    let arrow = ".map-arrow[aria-label='CheckoutCompleted to StartOrders']";
    assert_eq!(find(&root, arrow).get_attribute("tabindex").as_deref(), Some("0"));

    // The arrow opens its consumer, and the fault form targets its link.
    click_any(&root, arrow);
    wait_until("the consumer is open", || {
        root.query_selector(".consumer-view").ok().flatten().is_some()
    })
    .await;
    assert!(text_of(&root, ".consumer-view h3").contains("StartOrders"));
    let target: web_sys::HtmlSelectElement = find(&root, "select[aria-label='Fault target']").unchecked_into();
    wait_until("the form targets the link", || target.value() == "Link to StartOrders").await;

    let duplicates = "input[aria-label='Duplicates (%)']";
    type_into(&root, duplicates, "150");
    wait_until("the share is checked as typed", || {
        text_of(&root, ".fault-controls").contains("from 0 to 100")
    })
    .await;
    assert!(find(&root, ".fault-controls button[type='submit']").has_attribute("disabled"));
    type_into(&root, duplicates, "100");
    wait_until("the problem is gone", || {
        !find(&root, ".fault-controls button[type='submit']").has_attribute("disabled")
    })
    .await;
    click(&root, ".fault-controls button[type='submit']");
    wait_until("the faults are set", || {
        text_of(&root, ".status-message").contains("Faults set: Link to StartOrders")
    })
    .await;

    // A poison message on its topic: the consumer view lists every failed attempt.
    click(&root, ".presets button[title*='malformed']");
    click(&root, "[aria-label='Run the clock'] button:nth-child(4)");
    wait_until("the deliveries are listed", || {
        root.query_selector_all(".consumer-deliveries tbody tr")
            .map(|l| l.length())
            .unwrap_or(0)
            == 4
    })
    .await;
    let view = text_of(&root, ".consumer-view");
    assert!(
        view.contains("failed") && view.contains("1 (listed under Dead letters)"),
        "{view}"
    );
    assert_eq!(
        text_of(&root, ".consumer-deliveries tbody tr td:nth-child(3)"),
        "4",
        "newest first: the last retry"
    );
    assert!(text_of(&root, ".run-log summary").contains("inputs logged"));
}

mod support;

/// The concert system with a payment deadline and a purchase made, as the system views see it.
mod system_views {
    use std::cell::RefCell;
    use std::rc::Rc;

    use eventarium::session::{Start, State, Workspace};
    use eventarium::ui::{AppContext, Handle, ModuleTables, Outboxes, ProcessInstances};
    use yew::prelude::*;

    use super::support::built_in;
    use super::support::concert::{confirm_cart, document, open_sales, with_payment_deadline, CONCERT};

    /// Properties of [`Views`].
    #[derive(Properties)]
    pub struct ViewsProps {
        /// The workspace the views read and change.
        pub workspace: Rc<RefCell<Workspace>>,
    }

    impl PartialEq for ViewsProps {
        fn eq(&self, other: &Self) -> bool {
            Rc::ptr_eq(&self.workspace, &other.workspace)
        }
    }

    /// The system views in an app context of their own, over `workspace`.
    #[component]
    pub fn Views(props: &ViewsProps) -> Html {
        let state = use_reducer(|| State::new(Start::default()));
        let handle = use_memo((), {
            let (workspace, dispatcher) = (props.workspace.clone(), state.dispatcher());
            move |_| Handle::new(workspace, dispatcher)
        });
        let app = AppContext {
            state: state.clone(),
            handle: (*handle).clone(),
        };
        html! {
            <ContextProvider<AppContext> context={app}>
                <ProcessInstances />
                <Outboxes />
                <ModuleTables />
            </ContextProvider<AppContext>>
        }
    }

    /// A workspace on the concert system whose order workflow waits 15 min for the payment,
    /// after u-1 confirmed a cart and 5 s passed.
    pub fn purchased() -> Rc<RefCell<Workspace>> {
        let mut document = document();
        with_payment_deadline(&mut document);
        let scenario = built_in::import(CONCERT, &document.to_string());
        let mut workspace = Workspace::open(scenario).expect("the concert system opens");
        let services = workspace.services_mut();
        open_sales(services);
        confirm_cart(services, "k1", "u-1", 2);
        workspace.run_system(5_000).expect("the clock runs");
        Rc::new(RefCell::new(workspace))
    }
}

#[wasm_bindgen_test]
async fn the_system_views_show_an_instance_and_fire_its_deadline_now() {
    settle().await;
    let workspace = system_views::purchased();
    let root = mount::<system_views::Views>(system_views::ViewsProps { workspace }).await;
    let count = |selector: &str| root.query_selector_all(selector).map(|l| l.length()).unwrap_or(0);
    assert_eq!(count(".instance-card"), 1);
    let card = text_of(&root, ".instance-card");
    assert!(card.contains("k1") && card.contains("running"), "{card}");
    assert!(card.contains("OrderSubmitted → SeatsHeld"), "{card}");
    assert!(card.contains("reservations: ReserveSeats → seats-warsaw"), "{card}");
    let deadline = text_of(&root, ".instance-timeouts li");
    assert!(
        deadline.contains("PaymentDeadline") && deadline.contains("fires in 14 min"),
        "{deadline}"
    );
    assert!(
        text_of(&root, ".outbox-view h4").contains("1 of 1 relayed"),
        "{}",
        text_of(&root, ".outbox-view h4")
    );
    assert_eq!(count(".table-rows li"), 2, "two customers registered");
    assert_eq!(count(".table-changes li"), 2);

    click(&root, ".instance-timeouts button");
    wait_until("the deadline fired and the instance compensated", || {
        text_of(&root, ".instance-card .instance-status") == "compensated"
    })
    .await;
    assert_eq!(count(".instance-timeouts"), 0, "nothing pending any more");
    assert!(
        text_of(&root, ".instance-history").contains("SeatsHeld → PaymentDeadline"),
        "{}",
        text_of(&root, ".instance-history")
    );
}

/// Dispatches a click that bubbles, on any element (an SVG one has no `click()`).
fn click_any(root: &Element, selector: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("click", &init).expect("an event");
    find(root, selector).dispatch_event(&event).expect("dispatched");
}

#[wasm_bindgen_test]
async fn a_traced_causal_graph_shows_a_node_s_details_and_moves_to_its_causes() {
    use eventarium::session::CausalGraph;
    use eventarium::sim::system::{Trace, TraceEdge, TraceNode};
    use eventarium::ui::{CausalGraphView, CausalGraphViewProps};
    settle().await;
    let node = |id: &str, kind: &str, module: &str, label: &str| TraceNode {
        id: id.to_owned(),
        kind: kind.to_owned(),
        module: module.to_owned(),
        label: label.to_owned(),
        at_ms: 1_000,
        error: None,
        duplicate: false,
        lost: false,
    };
    let mut lost = node(
        "msg-1",
        "message",
        "orders",
        "OrderPlaced (lost: the publisher crashed)",
    );
    lost.lost = true;
    let mut copy = node(
        "d-1",
        "delivery",
        "billing",
        "OrderSubmitted → BillOrders (attempt 1, duplicate)",
    );
    (copy.duplicate, copy.error) = (true, Some("boom".to_owned()));
    let trace = Trace {
        correlation_id: "c-1".to_owned(),
        nodes: vec![
            node("c-1", "command", "orders", "PlaceOrder → order-1"),
            node("e-1", "event", "orders", "OrderPlaced @ order-1"),
            lost,
            node("msg-2", "message", "orders", "OrderSubmitted"),
            copy,
        ],
        edges: [("c-1", "e-1"), ("e-1", "msg-1"), ("e-1", "msg-2"), ("msg-2", "d-1")]
            .map(|(from, to)| TraceEdge {
                from: from.to_owned(),
                to: to.to_owned(),
            })
            .to_vec(),
    };
    let graph = std::rc::Rc::new(CausalGraph::layout(&trace));
    let root = mount::<CausalGraphView>(CausalGraphViewProps { graph, selected: None }).await;
    let count = |selector: &str| root.query_selector_all(selector).map(|l| l.length()).unwrap_or(0);
    assert_eq!(count(".graph-drawing .graph-node"), 5);
    assert_eq!(count(".graph-edges path"), 4);
    let drawing = text_of(&root, ".graph-drawing");
    for word in ["LOST", "FAILED · DUPLICATE"] {
        assert!(drawing.contains(word), "{word} in {drawing}");
    }
    assert_eq!(count(".graph-legend li"), 10, "seven kinds and three flags");
    assert!(text_of(&root, ".graph-details").contains("Click a node"));

    click_any(&root, "[data-node='d-1']");
    wait_until("the delivery is inspected", || {
        text_of(&root, ".graph-details").contains("delivery in billing")
    })
    .await;
    let details = text_of(&root, ".graph-details");
    for words in [
        "boom",
        "duplicate",
        "failed",
        "attempt 1, duplicate",
        "Caused by",
        "message in orders: OrderSubmitted",
    ] {
        assert!(details.contains(words), "{words:?} in {details}");
    }
    assert_eq!(count(".graph-selected"), 1, "the node is ringed");

    click(&root, ".graph-details .graph-links button");
    wait_until("its cause is inspected", || {
        text_of(&root, ".graph-details h4").contains("message in orders")
    })
    .await;
    assert!(text_of(&root, ".graph-details").contains("event in orders: OrderPlaced @ order-1"));

    let zoom = text_of(&root, ".graph-controls span");
    click(&root, "[aria-label='Zoom in']");
    wait_until("the zoom changes", || text_of(&root, ".graph-controls span") != zoom).await;
    assert!(text_of(&root, ".graph-controls span").contains("5 nodes · 4 arrows"));
}

#[wasm_bindgen_test]
async fn the_inspector_traces_an_event_on_the_system_page() {
    let root = mount_app().await;
    open_cart(&root, 7).await;
    click(&root, ".timeline-event");
    yew::scheduler::flush().await;
    click(&root, ".event-inspector .trace-button");
    wait_until("the system page shows the event's graph", || {
        root.query_selector(".system-page .trace-section .graph-drawing")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    wait_until("the event is selected", || {
        text_of(&root, ".graph-details").contains("CartOpened @ cart-7")
    })
    .await;
    assert_eq!(
        root.query_selector_all(".trace-section .graph-selected")
            .map(|l| l.length())
            .unwrap_or(0),
        1
    );
}

#[wasm_bindgen_test]
async fn the_lifecycle_page_archives_a_closed_cart_and_previews_the_rebuild() {
    use eventarium::model::{Scenario, BUILT_IN};
    use eventarium::ui::ExpectedMode;
    let scenario = Scenario::import(BUILT_IN[0].text).expect("the cart scenario");
    let mut workspace = eventarium::ui::Workspace::open(scenario).expect("it opens");
    for n in 1..=3 {
        let id = n.to_string();
        let stream = format!("cart-{n}");
        workspace.send(
            "OpenCart",
            &stream,
            serde_json::json!({"cartId": id, "customerId": "c-1"}),
            ExpectedMode::Read,
        );
        let line = serde_json::json!({"cartId": id, "productId": "p", "qty": 1, "unitPrice": 1});
        workspace.send("AddItem", &stream, line, ExpectedMode::Read);
        workspace.send(
            "ConfirmCart",
            &stream,
            serde_json::json!({"cartId": id}),
            ExpectedMode::Read,
        );
    }
    workspace.run_until_idle();
    let root = mount_workspace(&workspace).await;
    click(&root, "button[aria-label='Data lifecycle']");
    wait_until("the lifecycle page shows", || {
        root.query_selector(".lifecycle-meter").ok().flatten().is_some()
    })
    .await;
    assert!(
        text_of(&root, ".meter-figures").contains("Hot"),
        "{}",
        text_of(&root, ".meter-figures")
    );
    let by_stream = text_of(&root, "[aria-label='Archive by stream']");
    let meter = text_of(&root, ".meter-figures");
    assert!(by_stream.contains("Closed, not archived (3)"), "{by_stream} {meter}");
    click(&root, "[aria-label='Archive cart-2']");
    wait_until("cart-2 is archived", || {
        text_of(&root, "[aria-label='Archive by stream']").contains("Archived (1)")
    })
    .await;
    assert!(
        text_of(&root, ".meter-figures").contains("1 stream · 3 events"),
        "{}",
        text_of(&root, ".meter-figures")
    );
    click(&root, "[aria-label='Read back cart-2']");
    wait_until("the read is costed", || {
        text_of(&root, ".lifecycle-said").contains("Read 3 events of cart-2 back")
    })
    .await;
    click(&root, "[aria-label='Rebuild preview'] button");
    wait_until("the preview shows", || {
        text_of(&root, ".rebuild-result").contains("1 lost")
    })
    .await;
    assert!(
        text_of(&root, ".rebuild-result").contains("Lost: 2"),
        "{}",
        text_of(&root, ".rebuild-result")
    );
    // A typo in the archiver's settings is said where it is typed, and nothing is saved.
    let segment: HtmlInputElement = find(&root, "[aria-label='Segment size in events']").unchecked_into();
    segment.set_value("ten");
    segment
        .dispatch_event(&web_sys::Event::new("input").expect("an event"))
        .expect("dispatched");
    wait_until("the problem shows", || {
        text_of(&root, "[aria-label='Archive by position']").contains("Segment size: type a whole number")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_lifecycle_warning_leads_to_closing_the_books_and_goes_away() {
    use eventarium::model::{Scenario, BUILT_IN};
    use eventarium::ui::ExpectedMode;
    let text = BUILT_IN
        .iter()
        .find(|b| b.id == "cashier-register")
        .expect("the cashier register")
        .text;
    let mut workspace = eventarium::ui::Workspace::open(Scenario::import(text).expect("it imports")).expect("it opens");
    let open = serde_json::json!({"registerId": "1", "float": 100});
    workspace.send("OpenRegister", "register-1", open, ExpectedMode::Read);
    for n in 0..60 {
        let sale = serde_json::json!({"registerId": "1", "saleId": format!("s{n}"), "amount": 5});
        workspace.send("RecordSale", "register-1", sale, ExpectedMode::Read);
    }
    let root = mount_workspace(&workspace).await;
    let refactor = "button[aria-label='Close the books of CashRegister…'], .warnings-list button.refactor";
    wait_until("the warning offers the refactor", || {
        root.query_selector(refactor).ok().flatten().is_some()
    })
    .await;
    click(&root, ".warnings-list button.refactor");
    wait_until("the lifecycle page shows the model change", || {
        text_of(&root, "[aria-label='The model change']").contains("adds the inline projection CashRegisterPeriods")
    })
    .await;
    assert!(
        text_of(&root, ".books-plan pre.diff").contains("\"periods\""),
        "{}",
        text_of(&root, ".books-plan pre.diff")
    );
    click(&root, ".books button.primary");
    wait_until("the books are closed", || {
        text_of(&root, "[aria-label='Closing the books'] .lifecycle-said").contains("register-1 → register-1:1")
    })
    .await;
    assert!(
        text_of(&root, ".books-tracker").contains("register-1:1"),
        "{}",
        text_of(&root, ".books-tracker")
    );
    click(&root, "button[aria-label='Workspace']");
    wait_until("the warning is resolved", || {
        root.query_selector(".warnings-list button.refactor")
            .ok()
            .flatten()
            .is_none()
            && text_of(&root, ".warnings-list").contains("resolved")
    })
    .await;
}

/// Text that would run or make elements if it were ever put into the page as HTML.
const HOSTILE: [&str; 10] = [
    "<img src=x onerror=\"window.__owned=1\">",
    "<script>window.__owned=2</script>",
    "\"><svg onload=window.__owned=3>",
    "&lt;b&gt;not bold&lt;/b&gt;",
    "<iframe src=javascript:window.__owned=4>",
    "' onmouseover='window.__owned=5",
    "</textarea><b>bold</b>",
    "{{ name }} ${name} %s",
    "ünïcödé — 事件 🎟",
    "<a href=javascript:window.__owned=6>link</a>",
];

/// A hostile text for `seed`: two of [`HOSTILE`] around the seed, so that every run is the same.
fn hostile(seed: usize) -> String {
    let first = HOSTILE.get(seed % HOSTILE.len()).copied().unwrap_or_default();
    let second = HOSTILE.get((seed * 7 + 3) % HOSTILE.len()).copied().unwrap_or_default();
    format!("{first} {seed} {second}")
}

#[wasm_bindgen_test]
async fn names_descriptions_and_payloads_are_rendered_as_text_never_as_html() {
    for seed in 0..HOSTILE.len() {
        let text = hostile(seed);
        let mut document: serde_json::Value =
            serde_json::from_str(eventarium::model::BUILT_IN[0].text).expect("the built-in parses");
        document["name"] = serde_json::json!(text);
        document["description"] = serde_json::json!(text);
        document["model"]["eventTypes"][0]["description"] = serde_json::json!(text);
        document["model"]["commands"][0]["description"] = serde_json::json!(text);
        let scenario = eventarium::model::Scenario::import(&document.to_string()).expect("still a valid scenario");
        let mut workspace = eventarium::ui::Workspace::open(scenario).expect("opens");
        let data = serde_json::json!({ "cartId": "1", "customerId": text });
        workspace.send("OpenCart", "cart-1", data, eventarium::ui::ExpectedMode::Read);
        let root = mount_workspace(&workspace).await;
        click(&root, ".stream-list button");
        yew::scheduler::flush().await;
        click(&root, ".timeline button");
        yew::scheduler::flush().await;
        let made = root
            .query_selector_all(
                "img, script, iframe, svg[onload], b, [onerror], [onload], [onmouseover], a[href^='javascript']",
            )
            .map(|found| found.length())
            .unwrap_or(u32::MAX);
        assert_eq!(made, 0, "seed {seed}: an element was made from {text:?}");
        let owned = js_sys::Reflect::get(&gloo::utils::window(), &"__owned".into()).unwrap_or_default();
        assert!(owned.is_undefined(), "seed {seed}: a handler ran from {text:?}");
        assert!(
            text_of(&root, ".status-bar").contains(&text),
            "seed {seed}: the name shows as written"
        );
        let inspected = text_of(&root, ".event-inspector");
        let escaped = serde_json::to_string(&text).unwrap_or_default();
        assert!(
            inspected.contains(&text) || inspected.contains(escaped.trim_matches('"')),
            "seed {seed}: the payload shows as written: {inspected}"
        );
    }
}
