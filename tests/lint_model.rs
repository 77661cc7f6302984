//! The rules that read the model alone: each one fires on the anti-pattern it names, stays quiet on
//! the healthy variant next to it, and is silenced by `settings.lint.disabled`. The built-in
//! scenarios are linted too, and what they produce is spelled out.

mod support;

use eventarium::lint::{lint, Finding, Severity, Subject, Thresholds};
use eventarium::model::Model;
use eventarium::store::{Config, Store};
use serde_json::{json, Value};
use support::model;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The codes of the rules under test.
const MODEL_CODES: [&str; 8] = [
    "crud-sourcing",
    "property-sourcing",
    "state-obsession",
    "clickbait-event",
    "breaking-change-without-upcaster",
    "pii-in-public-event",
    "private-event-leak",
    "projection-reads-read-model",
];

fn findings(model: &Model, thresholds: &Thresholds) -> Vec<Finding> {
    lint(model, &Store::new(Config::default()), thresholds)
}

/// A required field.
fn field(name: &str, field_type: Value) -> Value {
    json!({"name": name, "type": field_type})
}

/// A required field marked as personal data.
fn pii(name: &str, field_type: Value) -> Value {
    json!({"name": name, "type": field_type, "pii": true})
}

/// A private event type with one schema version.
fn private(name: &str, fields: Value) -> Value {
    json!({"name": name, "versions": [{"version": 1, "fields": fields}]})
}

/// A public event type with one schema version.
fn public(name: &str, fields: Value) -> Value {
    json!({"name": name, "visibility": "public", "versions": [{"version": 1, "fields": fields}]})
}

/// A model of these event types.
fn events(event_types: Value) -> Value {
    json!({ "eventTypes": event_types })
}

/// A stream type whose decider emits the listed event types.
fn emitting(name: &str, emits: &[&str]) -> Value {
    let events: Vec<String> = emits
        .iter()
        .map(|e| format!("#{{ type: \"{e}\", data: #{{}} }}"))
        .collect();
    json!({
        "name": name,
        "streamIdPattern": format!("{}-{{id}}", name.to_lowercase()),
        "initialState": {},
        "script": format!("fn decide(command, state) {{ [{}] }}\nfn evolve(state, event) {{ state }}", events.join(", ")),
    })
}

fn event_subject(name: &str) -> Subject {
    Subject::EventType { name: name.to_owned() }
}

fn field_subject(event_type: &str, version: u32, field: &str) -> Subject {
    Subject::Field {
        event_type: event_type.to_owned(),
        version,
        field: field.to_owned(),
    }
}

/// What a case expects of its rule.
enum Expect {
    /// A finding of the rule with this severity on this subject.
    Fires(Severity, Subject),
    /// No finding of the rule on this subject.
    QuietOn(Subject),
    /// No finding of the rule at all.
    Silent,
}

/// One model and what one rule must say about it.
struct Case {
    code: &'static str,
    name: &'static str,
    model: Value,
    expect: Expect,
}

fn case(code: &'static str, name: &'static str, model: Value, expect: Expect) -> Case {
    Case {
        code,
        name,
        model,
        expect,
    }
}

fn cases() -> Vec<Case> {
    use Expect::{Fires, QuietOn, Silent};
    let id = || json!("id");
    let int = || json!("int");
    let string = || json!("string");
    let eight: Vec<Value> = (1..=8).map(|i| field(&format!("f{i}"), int())).collect();
    let seven: Vec<Value> = (1..=7).map(|i| field(&format!("f{i}"), int())).collect();
    let customer_events = |names: &[&str]| {
        let types: Vec<Value> = names
            .iter()
            .map(|n| private(n, json!([field("customerId", id()), field("value", string())])))
            .collect();
        json!({"eventTypes": types, "streamTypes": [emitting("Customer", names)]})
    };
    let renamed = |visibility: &str, upcasters: Value| {
        json!({
            "eventTypes": [{"name": "ItemAdded", "visibility": visibility, "versions": [
                {"version": 1, "fields": [field("sku", string()), field("qty", int())]},
                {"version": 2, "fields": [field("productId", string()), field("qty", int())]},
            ]}],
            "upcasters": upcasters,
        })
    };
    let rename_upcaster = json!([{"eventType": "ItemAdded", "from": 1, "to": 2,
        "logic": {"ops": [{"op": "renameField", "from": "sku", "to": "productId"}]}}]);
    let cart = || json!([field("cartId", id()), field("total", int())]);
    // A private ItemAdded and a public CartCheckedOut from the Cart decider, read by a projection
    // and a policy of the given audience and source.
    let consumers = |audience: &str, source: Value, handlers: &str, on: Value| {
        json!({
            "eventTypes": [private("ItemAdded", cart()), public("CartCheckedOut", cart())],
            "streamTypes": [emitting("Cart", &["ItemAdded", "CartCheckedOut"])],
            "projections": [{"name": "Sales", "audience": audience, "source": source, "key": "data.cartId",
                "logic": {"script": handlers}}],
            "policies": [{"name": "Ship", "audience": audience, "on": on,
                "logic": {"script": "fn react(event) { [] }"}}],
        })
    };
    let both = "fn on_ItemAdded(doc, event) { doc }\nfn on_CartCheckedOut(doc, event) { doc }";
    let public_only = "fn on_CartCheckedOut(doc, event) { doc }";
    let projection = |name: &str| Subject::Projection { name: name.to_owned() };
    let policy = |name: &str| Subject::Policy { name: name.to_owned() };
    vec![
        // crud-sourcing
        case(
            "crud-sourcing",
            "an …Updated event is a warning",
            events(json!([private("CartUpdated", cart())])),
            Fires(Severity::Warning, event_subject("CartUpdated")),
        ),
        case(
            "crud-sourcing",
            "a …Modified event is a warning",
            events(json!([private("ProfileModified", cart())])),
            Fires(Severity::Warning, event_subject("ProfileModified")),
        ),
        case(
            "crud-sourcing",
            "a …Deleted event is a warning",
            events(json!([private("CartDeleted", cart())])),
            Fires(Severity::Warning, event_subject("CartDeleted")),
        ),
        case(
            "crud-sourcing",
            "a …Created birth event is only worth knowing",
            events(json!([private("AccountCreated", cart())])),
            Fires(Severity::Info, event_subject("AccountCreated")),
        ),
        case(
            "crud-sourcing",
            "business names are fine",
            events(json!([private("ItemAdded", cart()), private("CartConfirmed", cart())])),
            Silent,
        ),
        // property-sourcing
        case(
            "property-sourcing",
            "a <Field>Changed event with one business field",
            events(json!([private(
                "EmailChanged",
                json!([field("customerId", id()), field("email", string())])
            )])),
            Fires(Severity::Warning, event_subject("EmailChanged")),
        ),
        case(
            "property-sourcing",
            "a <Field>Set event whose only other field is named like an id",
            events(json!([private(
                "LimitSet",
                json!([field("accountId", string()), field("limit", int())])
            )])),
            Fires(Severity::Warning, event_subject("LimitSet")),
        ),
        case(
            "property-sourcing",
            "a …Changed event that carries the whole business change",
            events(json!([private(
                "AddressChanged",
                json!([
                    field("customerId", id()),
                    field("street", string()),
                    field("city", string())
                ])
            )])),
            Silent,
        ),
        case(
            "property-sourcing",
            "a one-field event with a business name",
            events(json!([private(
                "EmailCorrected",
                json!([field("customerId", id()), field("email", string())])
            )])),
            Silent,
        ),
        case(
            "property-sourcing",
            "a stream type that emits three property events",
            customer_events(&["EmailChanged", "NameChanged", "PhoneSet"]),
            Fires(
                Severity::Warning,
                Subject::StreamType {
                    name: "Customer".to_owned(),
                },
            ),
        ),
        case(
            "property-sourcing",
            "a stream type that emits two property events",
            customer_events(&["EmailChanged", "NameChanged"]),
            QuietOn(Subject::StreamType {
                name: "Customer".to_owned(),
            }),
        ),
        // state-obsession
        case(
            "state-obsession",
            "eight fields",
            events(json!([private("OrderPlaced", Value::Array(eight))])),
            Fires(Severity::Warning, event_subject("OrderPlaced")),
        ),
        case(
            "state-obsession",
            "a field named state",
            events(json!([private(
                "ItemAdded",
                json!([
                    field("cartId", id()),
                    field("state", json!({"object": [field("total", int())]}))
                ])
            )])),
            Fires(Severity::Warning, event_subject("ItemAdded")),
        ),
        case(
            "state-obsession",
            "seven fields, none of them the state",
            events(json!([private("OrderPlaced", Value::Array(seven))])),
            Silent,
        ),
        // clickbait-event
        case(
            "clickbait-event",
            "a private event with only ids is worth knowing",
            events(json!([private("OrderShipped", json!([field("orderId", id())]))])),
            Fires(Severity::Info, event_subject("OrderShipped")),
        ),
        case(
            "clickbait-event",
            "a public event with no fields is a warning",
            events(json!([public("OrderChanged", json!([]))])),
            Fires(Severity::Warning, event_subject("OrderChanged")),
        ),
        case(
            "clickbait-event",
            "a public event whose string fields are named like ids",
            events(json!([public(
                "OrderShipped",
                json!([field("orderId", string()), field("shipment_id", string())])
            )])),
            Fires(Severity::Warning, event_subject("OrderShipped")),
        ),
        case(
            "clickbait-event",
            "an event with a fact (totalPaid is not an id)",
            events(json!([public(
                "StayPaid",
                json!([field("stayId", id()), field("totalPaid", int())])
            )])),
            Silent,
        ),
        case(
            "clickbait-event",
            "only the current version counts",
            json!({"eventTypes": [{"name": "OrderShipped", "visibility": "public", "versions": [
                {"version": 1, "fields": [field("orderId", id())]},
                {"version": 2, "fields": [field("orderId", id()), field("carrier", json!({"enum": ["dhl", "ups"]}))]},
            ]}]}),
            Silent,
        ),
        // breaking-change-without-upcaster
        case(
            "breaking-change-without-upcaster",
            "a private rename with no upcaster is a warning",
            renamed("private", json!([])),
            Fires(Severity::Warning, event_subject("ItemAdded")),
        ),
        case(
            "breaking-change-without-upcaster",
            "a public rename with no upcaster is critical",
            renamed("public", json!([])),
            Fires(Severity::Critical, event_subject("ItemAdded")),
        ),
        case(
            "breaking-change-without-upcaster",
            "the same change with its upcaster",
            renamed("public", rename_upcaster),
            Silent,
        ),
        case(
            "breaking-change-without-upcaster",
            "an optional field with a default is additive",
            json!({"eventTypes": [{"name": "ItemAdded", "visibility": "public", "versions": [
                {"version": 1, "fields": [field("sku", string())]},
                {"version": 2, "fields": [field("sku", string()),
                    {"name": "currency", "type": "string", "required": false, "default": "EUR"}]},
            ]}]}),
            Silent,
        ),
        // pii-in-public-event
        case(
            "pii-in-public-event",
            "personal data in a public event is critical",
            events(json!([public(
                "CustomerRegistered",
                json!([field("customerId", id()), pii("email", string())])
            )])),
            Fires(Severity::Critical, field_subject("CustomerRegistered", 1, "email")),
        ),
        case(
            "pii-in-public-event",
            "personal data nested in an object of the current version",
            json!({"eventTypes": [{"name": "StayBooked", "visibility": "public", "versions": [
                {"version": 1, "fields": [field("stayId", id())]},
                {"version": 2, "fields": [field("stayId", id()),
                    field("guests", json!({"list": {"object": [field("age", int()), pii("name", string())]}}))]},
            ]}]}),
            Fires(Severity::Critical, field_subject("StayBooked", 2, "guests[].name")),
        ),
        case(
            "pii-in-public-event",
            "an id marked pii is a reference: only worth knowing",
            events(json!([public(
                "CartConfirmed",
                json!([pii("customerId", id()), field("total", int())])
            )])),
            Fires(Severity::Info, field_subject("CartConfirmed", 1, "customerId")),
        ),
        case(
            "pii-in-public-event",
            "an id whose name says it is an email is personal data, not a reference",
            events(json!([public(
                "CartConfirmed",
                json!([pii("customerEmail", id()), field("total", int())])
            )])),
            Fires(Severity::Critical, field_subject("CartConfirmed", 1, "customerEmail")),
        ),
        case(
            "pii-in-public-event",
            "personal data in a private event",
            events(json!([private(
                "CustomerRegistered",
                json!([field("customerId", id()), pii("email", string())])
            )])),
            Silent,
        ),
        case(
            "pii-in-public-event",
            "personal data only in an older version",
            json!({"eventTypes": [{"name": "CustomerRegistered", "visibility": "public", "versions": [
                {"version": 1, "fields": [field("customerId", id()), pii("email", string())]},
                {"version": 2, "fields": [field("customerId", id())]},
            ]}], "upcasters": [{"eventType": "CustomerRegistered", "from": 1, "to": 2,
                "logic": {"ops": [{"op": "removeField", "field": "email"}]}}]}),
            Silent,
        ),
        case(
            "private-event-leak",
            "an external projection handles a private event of its category",
            consumers(
                "external",
                json!({"categories": ["cart"]}),
                both,
                json!(["CartCheckedOut"]),
            ),
            Fires(Severity::Warning, projection("Sales")),
        ),
        case(
            "private-event-leak",
            "an external policy reacts to a private event",
            consumers(
                "external",
                json!({"categories": ["cart"]}),
                public_only,
                json!(["ItemAdded"]),
            ),
            Fires(Severity::Warning, policy("Ship")),
        ),
        case(
            "private-event-leak",
            "an external projection that handles only the public event",
            consumers(
                "external",
                json!({"categories": ["cart"]}),
                public_only,
                json!(["CartCheckedOut"]),
            ),
            Silent,
        ),
        case(
            "private-event-leak",
            "internal consumers may read private events",
            consumers(
                "internal",
                json!({"eventTypes": ["ItemAdded"]}),
                both,
                json!(["ItemAdded"]),
            ),
            Silent,
        ),
        case(
            "projection-reads-read-model",
            "a handler looks up another projection's document",
            consumers(
                "internal",
                json!("all"),
                "fn on_CartCheckedOut(doc, event) { let s = read_model(\"Sales\", event.data.cartId); doc }",
                json!([]),
            ),
            Fires(Severity::Warning, projection("Sales")),
        ),
        case(
            "projection-reads-read-model",
            "handlers that read only their events",
            consumers("internal", json!("all"), both, json!([])),
            Silent,
        ),
    ]
}

#[test]
fn each_rule_fires_on_its_anti_pattern_and_not_on_the_healthy_variant() {
    let cases = cases();
    for code in MODEL_CODES {
        let fires = cases
            .iter()
            .any(|c| c.code == code && matches!(c.expect, Expect::Fires(..)));
        let quiet = cases
            .iter()
            .any(|c| c.code == code && !matches!(c.expect, Expect::Fires(..)));
        assert!(
            fires && quiet,
            "{code} needs a case where it fires and one where it does not"
        );
    }
    for case in cases {
        let found = findings(&model(case.model), &Thresholds::default());
        let of_rule: Vec<&Finding> = found.iter().filter(|f| f.code == case.code).collect();
        let what = format!("{} / {}: {of_rule:#?}", case.code, case.name);
        match case.expect {
            Expect::Fires(severity, subject) => {
                let id = format!("{}:{subject}", case.code);
                let finding = of_rule
                    .iter()
                    .find(|f| f.subject == subject)
                    .unwrap_or_else(|| panic!("{what}\nexpected a finding on {subject}"));
                assert_eq!(
                    (finding.severity, finding.id.as_str()),
                    (severity, id.as_str()),
                    "{what}"
                );
                assert!(!finding.message.is_empty() && !finding.message.contains('\n'), "{what}");
            }
            Expect::QuietOn(subject) => assert!(of_rule.iter().all(|f| f.subject != subject), "{what}"),
            Expect::Silent => assert!(of_rule.is_empty(), "{what}"),
        }
    }
}

#[test]
fn a_disabled_rule_is_silent_and_the_others_still_run() {
    for case in cases().into_iter().filter(|c| matches!(c.expect, Expect::Fires(..))) {
        let model = model(case.model);
        let thresholds = Thresholds {
            disabled: vec![case.code.to_owned()],
            ..Thresholds::default()
        };
        let found = findings(&model, &thresholds);
        assert!(
            found.iter().all(|f| f.code != case.code),
            "{} / {}: disabled but found {found:#?}",
            case.code,
            case.name
        );
        let others_before: Vec<Finding> = findings(&model, &Thresholds::default())
            .into_iter()
            .filter(|f| f.code != case.code)
            .collect();
        assert_eq!(
            found, others_before,
            "{} / {}: the other rules still run",
            case.code, case.name
        );
    }
}

#[test]
fn messages_name_the_things_and_the_figures() {
    let model = model(json!({
        "eventTypes": [
            private("CartUpdated", json!([field("cartId", json!("id")), field("total", json!("int"))])),
            {"name": "ItemAdded", "versions": [
                {"version": 1, "fields": [field("sku", json!("string"))]},
                {"version": 2, "fields": [field("productId", json!("string"))]},
            ]},
            public("CustomerRegistered", json!([pii("email", json!("string"))])),
        ],
    }));
    let messages: Vec<(&str, String)> = findings(&model, &Thresholds::default())
        .iter()
        .map(|f| (f.code, f.message.clone()))
        .collect();
    let says = |code: &str, parts: &[&str]| {
        assert!(
            messages
                .iter()
                .any(|(c, m)| *c == code && parts.iter().all(|p| m.contains(p))),
            "{code} should say {parts:?}: {messages:#?}"
        );
    };
    says("crud-sourcing", &["CartUpdated", "…Updated", "table operation"]);
    says(
        "breaking-change-without-upcaster",
        &[
            "ItemAdded",
            "v1→v2",
            "removed required field \"sku\"",
            "no upcaster from v1",
        ],
    );
    says("pii-in-public-event", &["CustomerRegistered", "email", "personal data"]);
}

#[test]
fn the_built_in_scenarios_only_have_findings_worth_knowing() {
    let expected: [(&str, &[&str]); 3] = [
        (
            "shopping-cart",
            &[
                // CartOpened { cartId, customerId }: a private birth event that carries only ids.
                "clickbait-event:event type CartOpened",
                // Public events publish the customer's id, marked pii: a reference, not the data.
                "pii-in-public-event:field CartConfirmed v1.customerId",
                "pii-in-public-event:field PurchaseRecorded v1.customerId",
            ],
        ),
        (
            "hotel-guest-stay",
            &[
                "pii-in-public-event:field GuestCheckedOut v1.guestId",
                "pii-in-public-event:field InvoiceIssued v1.guestId",
            ],
        ),
        (
            "concert-ticketing",
            // CartOpened { cartId, customerId }, as in the cart. The checkout's email leaves the
            // module only in the system's CheckoutCompleted contract, which this lint does not read.
            &["clickbait-event:event type CartOpened"],
        ),
    ];
    for (id, want) in expected {
        let scenario = support::built_in::scenario(id);
        let found: Vec<Finding> = findings(&scenario.model, &Thresholds::default())
            .into_iter()
            .filter(|f| MODEL_CODES.contains(&f.code))
            .collect();
        let ids: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, want, "{id}: {found:#?}");
        assert!(found.iter().all(|f| f.severity == Severity::Info), "{id}: {found:#?}");
    }
}
