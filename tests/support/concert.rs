//! The built-in concert-ticketing system as the tests drive it through `Services`: a customer
//! account and a concert on sale, checkouts and payments, changes to the document before it starts,
//! and readers for what each module holds.

use eventarium::session::Workspace;
use eventarium::sim::system::{CommandResult, ExternalRow, Instance, ModuleCommand, Services};
use eventarium::store::Direction;
use serde_json::{json, Value};

use super::built_in;

/// The built-in's id.
pub const CONCERT: &str = "concert-ticketing";
/// A day of simulated time.
pub const DAY_MS: u64 = 86_400_000;
/// The price of a golden circle ticket at the concert `open_sales` schedules, in cents.
pub const GOLD: i64 = 60_000;

/// The built-in system opened as the app opens it.
#[track_caller]
pub fn concert_workspace() -> Workspace {
    Workspace::open(built_in::scenario(CONCERT)).unwrap_or_else(|e| panic!("{e}"))
}

/// Sends a command from the System page's console; it must be accepted.
#[track_caller]
pub fn send_on_page(workspace: &mut Workspace, module: &str, command: &str, stream: &str, data: Value) {
    let said = workspace
        .send_to_module(module, command, stream, &data.to_string())
        .unwrap_or_else(|e| panic!("{module} {command} → {stream}: {e}"));
    assert!(said.contains(" accepted in "), "{said}");
}

/// The built-in document, to be changed before it is started.
pub fn document() -> Value {
    serde_json::from_str(built_in::text(CONCERT)).expect("the built-in is JSON")
}

#[track_caller]
pub fn start(document: &Value) -> Services {
    let scenario = built_in::import(CONCERT, &document.to_string());
    Services::new(&scenario).unwrap_or_else(|error| panic!("the system does not start: {error}"))
}

/// The entry called `name` in `system.<list>` (modules, consumers, processes, externals).
#[track_caller]
pub fn entry<'d>(document: &'d mut Value, list: &str, name: &str) -> &'d mut Value {
    match document["system"][list]
        .as_array_mut()
        .and_then(|entries| entries.iter_mut().find(|e| e["name"] == name))
    {
        Some(entry) => entry,
        None => panic!("no {name:?} in system.{list}"),
    }
}

/// Replaces `from` by `to` in the script at `script`, which must contain it.
#[track_caller]
pub fn patch(script: &mut Value, from: &str, to: &str) {
    let text = script.as_str().expect("a script").to_owned();
    assert!(text.contains(from), "the script has no {from:?}:\n{text}");
    *script = Value::String(text.replace(from, to));
}

#[track_caller]
pub fn send(services: &mut Services, module: &str, command: &str, stream: &str, data: Value) -> CommandResult {
    send_in(services, module, command, stream, data, None)
}

#[track_caller]
pub fn send_in(
    services: &mut Services,
    module: &str,
    command: &str,
    stream: &str,
    data: Value,
    correlation: Option<&str>,
) -> CommandResult {
    let result = services
        .execute(&ModuleCommand {
            module: module.to_owned(),
            command: command.to_owned(),
            stream_id: stream.to_owned(),
            data,
            correlation_id: correlation.map(str::to_owned),
            sender: None,
        })
        .unwrap_or_else(|error| panic!("{module} {command} → {stream}: {error}"));
    assert!(
        result.accepted,
        "{module} {command} → {stream} was rejected: {:?}",
        result.rejection
    );
    result
}

/// A command to a module as the helpers send it: module ("" for the main one), command, stream
/// (or row) id and data.
pub type Sent = (&'static str, &'static str, String, Value);

/// The commands that put a concert on sale for two customers: 100 standing places and 4 in the
/// golden circle.
pub fn sales() -> Vec<Sent> {
    let mut commands: Vec<Sent> = [("u-1", "Ada"), ("u-2", "Grace")]
        .into_iter()
        .map(|(id, name)| {
            let email = format!("{}@example.com", name.to_lowercase());
            (
                "users",
                "RegisterCustomer",
                id.to_owned(),
                json!({ "name": name, "email": email }),
            )
        })
        .collect();
    commands.push((
        "concerts",
        "ScheduleConcert",
        "concert-warsaw".to_owned(),
        json!({ "concertId": "warsaw", "name": "Renaissance World Tour", "artist": "Beyoncé",
            "venue": "PGE Narodowy, Warsaw", "startsAt": "2023-06-27T20:00:00Z",
            "tiers": [{ "tier": "standing", "price": 25_000, "capacity": 100 },
                      { "tier": "goldenCircle", "price": GOLD, "capacity": 4 }] }),
    ));
    commands
}

/// The commands by which customer `customer` fills cart `cart` with `quantity` golden circle
/// tickets and confirms it.
pub fn checkout(cart: &str, customer: &str, quantity: i64) -> Vec<Sent> {
    let stream = format!("cart-{cart}");
    vec![
        (
            "",
            "OpenCart",
            stream.clone(),
            json!({ "cartId": cart, "customerId": customer }),
        ),
        (
            "",
            "AddTickets",
            stream.clone(),
            json!({ "cartId": cart, "concertId": "warsaw", "tier": "goldenCircle", "quantity": quantity, "unitPrice": GOLD }),
        ),
        (
            "",
            "ConfirmCart",
            stream,
            json!({ "cartId": cart, "email": format!("{customer}@example.com") }),
        ),
    ]
}

/// A customer account and a concert on sale ([`sales`]), the clock run until idle.
pub fn open_sales(services: &mut Services) {
    for (module, command, stream, data) in sales() {
        send(services, module, command, &stream, data);
    }
    services.run_until_idle();
}

/// [`checkout`] sent, the clock left as it is; returns the checkout's correlation id.
pub fn confirm_cart(services: &mut Services, cart: &str, customer: &str, quantity: i64) -> String {
    checkout(cart, customer, quantity)
        .into_iter()
        .map(|(module, command, stream, data)| send(services, module, command, &stream, data))
        .last()
        .map(|confirmed| confirmed.correlation_id)
        .unwrap_or_default()
}

/// Customer `customer` checks out cart `cart` with `quantity` golden circle tickets, and the
/// clock runs until nothing is left to do; returns the checkout's correlation id.
pub fn check_out(services: &mut Services, cart: &str, customer: &str, quantity: i64) -> String {
    let correlation = confirm_cart(services, cart, customer, quantity);
    services.run_until_idle();
    correlation
}

/// Gives the order workflow of `document` the deadline the built-in lacks: fifteen minutes after
/// the seats are held, an unpaid order is cancelled and its seats released (compensation).
pub fn with_payment_deadline(document: &mut Value) {
    let workflow = entry(document, "processes", "OrderFulfilment");
    workflow["timeouts"] = json!(["PaymentDeadline"]);
    workflow["compensations"] = json!([{ "step": "ReserveSeats", "undo": "ReleaseSeats" }]);
    let script = &mut workflow["script"];
    patch(
        script,
        "// Nothing is scheduled: an order nobody pays for keeps its seats for ever.\n            #{ commands:",
        "#{ schedule: [#{ name: \"PaymentDeadline\", afterMs: 900000, data: #{ orderId: d.orderId } }], commands:",
    );
    patch(
        script,
        "        _ => { #{} }",
        "        \"PaymentDeadline\" => {\n            if state.status != \"awaitingPayment\" { return #{}; }\n            #{ commands: [update(state.order, \"cancelled\", \"not paid in time\")], done: true, compensate: true }\n        },\n        _ => { #{} }",
    );
    patch(
        script,
        "        \"PaymentFailed\" => { if state.status == \"awaitingPayment\" { state.status = \"cancelled\"; } },",
        "        \"PaymentFailed\" => { if state.status == \"awaitingPayment\" { state.status = \"cancelled\"; } },\n        \"PaymentDeadline\" => { if state.status == \"awaitingPayment\" { state.status = \"expired\"; } },",
    );
}

/// The customer pays order `order` on the checkout page, which carries the checkout's correlation.
pub fn pay(services: &mut Services, order: &str, correlation: &str) {
    send_in(
        services,
        "payments",
        "SubmitPayment",
        &format!("payment-{order}"),
        json!({ "orderId": order, "cardToken": "tok-visa-4242" }),
        Some(correlation),
    );
    services.run_until_idle();
}

/// A stream's events as `(type, data)`, oldest first.
pub fn events(services: &Services, module: &str, stream: &str) -> Vec<(String, Value)> {
    let runtime = services
        .runtime(module)
        .unwrap_or_else(|error| panic!("{module}: {error}"));
    runtime
        .store()
        .read_stream(stream, 0, usize::MAX, Direction::Forwards)
        .map(|events| events.into_iter().map(|e| (e.event_type, e.data)).collect())
        .unwrap_or_default()
}

pub fn types(services: &Services, module: &str, stream: &str) -> Vec<String> {
    events(services, module, stream).into_iter().map(|(t, _)| t).collect()
}

/// A projection's document, `null` when it has none.
pub fn read_model(services: &Services, module: &str, projection: &str, id: &str) -> Value {
    let runtime = services
        .runtime(module)
        .unwrap_or_else(|error| panic!("{module}: {error}"));
    match runtime.document(projection, id) {
        Ok(document) => document.cloned().unwrap_or(Value::Null),
        Err(error) => panic!("{module} {projection}: {error}"),
    }
}

/// The golden circle as `[held, left]`.
pub fn golden_circle(services: &Services) -> [i64; 2] {
    let tier = &read_model(services, "reservations", "SeatsLeft", "warsaw")["tiers"]["goldenCircle"];
    [tier["held"].as_i64().unwrap_or(-1), tier["left"].as_i64().unwrap_or(-1)]
}

pub fn external(services: &Services, name: &str) -> ExternalRow {
    match services.externals().into_iter().find(|e| e.name == name) {
        Some(row) => row,
        None => panic!("no external system {name:?}"),
    }
}

pub fn instance(services: &Services, order: &str) -> Option<Instance> {
    services
        .instances("OrderFulfilment")
        .expect("the order workflow runs")
        .into_iter()
        .find(|i| i.id == order)
}

/// The tickets issued for an order, by ticket id, over all its batches.
pub fn tickets(services: &Services, order: &str) -> Vec<String> {
    events(services, "tickets", &format!("tickets-{order}"))
        .into_iter()
        .filter(|(t, _)| t == "TicketsIssued")
        .flat_map(|(_, data)| data["tickets"].as_array().cloned().unwrap_or_default())
        .map(|ticket| ticket["ticketId"].as_str().unwrap_or_default().to_owned())
        .collect()
}

pub fn invoices(services: &Services, order: &str) -> Vec<Value> {
    events(services, "payments", &format!("invoice-{order}"))
        .into_iter()
        .map(|(_, data)| data["invoiceNumber"].clone())
        .collect()
}

/// Whatever the broker could not deliver, over every subscriber.
pub fn parked(services: &Services) -> Vec<String> {
    services
        .subscribers()
        .iter()
        .flat_map(|s| services.parked(&s.name).expect("a subscriber"))
        .map(|p| format!("{} {}: {}", p.message.topic, p.message.id, p.error))
        .collect()
}
