//! Import never panics: random text, and the built-in scenarios with keys deleted, values
//! replaced by other types, and text truncated.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use eventarium::model::Scenario;
use proptest::prelude::*;
use serde_json::Value;
use support::built_in;

/// The id of one of the built-in scenarios.
fn built_in_id() -> impl Strategy<Value = &'static str> {
    prop::sample::select(built_in::ids().collect::<Vec<_>>())
}

/// Walks to the `pick`-th node (in pre-order, modulo the node count) and applies `change`.
fn mutate(value: &mut Value, pick: usize, change: u8) {
    let mut count = 0;
    visit(value, &mut count, pick, change);
}

fn visit(value: &mut Value, count: &mut usize, pick: usize, change: u8) -> bool {
    if *count == pick {
        *value = match change % 6 {
            0 => Value::Null,
            1 => Value::from(-1),
            2 => Value::from("strng"),
            3 => Value::Array(vec![]),
            4 => Value::Object(serde_json::Map::new()),
            _ => match value {
                Value::Object(map) => {
                    let first = map.keys().next().cloned();
                    if let Some(key) = first {
                        map.remove(&key);
                    }
                    return true;
                }
                _ => Value::Bool(true),
            },
        };
        return true;
    }
    *count += 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|item| visit(item, count, pick, change)),
        Value::Object(map) => map.values_mut().any(|item| visit(item, count, pick, change)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_text_never_panics(text in ".{0,200}") {
        let _ = Scenario::import(&text);
    }

    #[test]
    fn mutated_built_ins_never_panic(id in built_in_id(), mutations in proptest::collection::vec((0usize..3000, any::<u8>()), 1..4)) {
        let mut document: Value = serde_json::from_str(built_in::text(id)).unwrap_or_default();
        for (pick, change) in mutations {
            mutate(&mut document, pick, change);
        }
        if let Ok(scenario) = Scenario::from_value(document) {
            let again = Scenario::import(&scenario.export());
            prop_assert_eq!(again.ok(), Some(scenario));
        }
    }

    #[test]
    fn truncated_built_ins_never_panic(id in built_in_id(), cut in 0usize..40_000) {
        let text = built_in::text(id);
        let end = text.char_indices().map(|(i, _)| i).take_while(|i| *i <= cut).last().unwrap_or(0);
        let _ = Scenario::import(&text[..end]);
    }
}
