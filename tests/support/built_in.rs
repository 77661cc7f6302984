//! The scenarios that ship with Eventarium, as the tests load them: by id (`shopping-cart`), never
//! by position, and their specs by name.

use eventarium::model::{DeciderSpec, ProjectionSpec, Scenario, Spec, BUILT_IN};
use eventarium::sim::Runtime;
use serde_json::Value;

/// The id of the built-in shopping cart.
pub const CART: &str = "shopping-cart";

/// The ids of every built-in scenario, the one the app opens with first.
pub fn ids() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|built_in| built_in.id)
}

/// The document of the built-in scenario `id`, as shipped.
#[track_caller]
pub fn text(id: &str) -> &'static str {
    match BUILT_IN.iter().find(|built_in| built_in.id == id) {
        Some(built_in) => built_in.text,
        None => panic!("no built-in scenario {id:?}"),
    }
}

/// The built-in scenario `id`, imported.
#[track_caller]
pub fn scenario(id: &str) -> Scenario {
    import(id, text(id))
}

/// The scenario document `text` (named `what` in the message), imported; when it does not
/// import, every problem is shown.
#[track_caller]
pub fn import(what: &str, text: &str) -> Scenario {
    match Scenario::import(text) {
        Ok(scenario) => scenario,
        Err(problems) => {
            let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("{what} does not import:\n{}", shown.join("\n"))
        }
    }
}

/// The built-in cart's document as JSON, to be changed before it is imported.
#[track_caller]
pub fn cart_json() -> Value {
    match serde_json::from_str(text(CART)) {
        Ok(document) => document,
        Err(error) => panic!("{CART} is not JSON: {error}"),
    }
}

/// The built-in cart, imported.
#[track_caller]
pub fn cart() -> Scenario {
    scenario(CART)
}

/// A runtime over the built-in cart, with an empty store.
#[track_caller]
pub fn cart_runtime() -> Runtime {
    runtime(&cart())
}

/// A runtime over the built-in cart whose projection `name` was changed by `change` (its JSON
/// definition) before import.
#[track_caller]
pub fn cart_runtime_with(name: &str, change: impl FnOnce(&mut Value)) -> Runtime {
    let mut document = cart_json();
    let projections = document["model"]["projections"].as_array_mut();
    match projections.and_then(|all| all.iter_mut().find(|p| p["name"] == name)) {
        Some(projection) => change(projection),
        None => panic!("the cart has no projection {name}"),
    }
    runtime(&import("the cart", &document.to_string()))
}

/// A runtime over `scenario`.
#[track_caller]
pub fn runtime(scenario: &Scenario) -> Runtime {
    match Runtime::new(scenario) {
        Ok(runtime) => runtime,
        Err(error) => panic!("the runtime does not start: {error}"),
    }
}

/// The spec called `name`.
#[track_caller]
pub fn spec<'s>(scenario: &'s Scenario, name: &str) -> &'s Spec {
    match scenario.specs.iter().find(|spec| spec.name() == name) {
        Some(spec) => spec,
        None => panic!("no spec {name:?}"),
    }
}

/// The decider spec called `name`, to be changed.
#[track_caller]
pub fn decider_spec_mut<'s>(scenario: &'s mut Scenario, name: &str) -> &'s mut DeciderSpec {
    match scenario.specs.iter_mut().find(|spec| spec.name() == name) {
        Some(Spec::Decider(spec)) => spec,
        Some(_) => panic!("spec {name:?} is not a decider spec"),
        None => panic!("no spec {name:?}"),
    }
}

/// The projection spec called `name`, to be changed.
#[track_caller]
pub fn projection_spec_mut<'s>(scenario: &'s mut Scenario, name: &str) -> &'s mut ProjectionSpec {
    match scenario.specs.iter_mut().find(|spec| spec.name() == name) {
        Some(Spec::Projection(spec)) => spec,
        Some(_) => panic!("spec {name:?} is not a projection spec"),
        None => panic!("no spec {name:?}"),
    }
}
