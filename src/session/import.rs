//! Reading a scenario document as the app does: the model's checks (`crate::model::Scenario`)
//! and the lint settings, which the lint module reads, every problem at once with its path.

use serde_json::Value;

use crate::lint::Thresholds;
use crate::model::{Problem, Scenario};

/// Reads a scenario document of any supported format version, checking everything.
pub fn import(text: &str) -> Result<Scenario, Vec<Problem>> {
    import_value(Scenario::parse(text)?)
}

/// Like [`import`], from a parsed JSON value.
pub fn import_value(value: Value) -> Result<Scenario, Vec<Problem>> {
    let lint = value.pointer("/settings/lint").cloned();
    let mut problems = match Scenario::from_value(value) {
        Ok(scenario) => match Thresholds::from_settings(&scenario.settings.lint) {
            Ok(_) => return Ok(scenario),
            Err(problems) => problems,
        },
        Err(problems) => problems,
    };
    // The model did not read: the lint settings may still be wrong, and every problem is told at
    // once. Where the model already reported their shape, that is enough.
    if !problems.iter().any(|p| p.path.starts_with("settings")) {
        if let Some(Ok(settings)) = lint.map(serde_json::from_value) {
            problems.extend(Thresholds::from_settings(&settings).err().unwrap_or_default());
        }
    }
    Err(problems)
}

/// The lint thresholds a scenario's settings give (import checked them; the defaults are a
/// fallback for a scenario made in code).
pub fn thresholds(scenario: &Scenario) -> Thresholds {
    Thresholds::from_settings(&scenario.settings.lint).unwrap_or_default()
}
