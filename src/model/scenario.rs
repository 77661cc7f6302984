//! [`Scenario`]: the versioned `*.eventarium.json` document, with import and export.
//!
//! ```json
//! { "format": "eventarium-scenario", "version": 4, "name": "…", "description": "…",
//!   "settings": { "seed": 7, "lint": {} }, "model": { "eventTypes": [], "commands": [], … },
//!   "specs": [], "events": { …a store snapshot… }, "readModels": { …what was built of it… },
//!   "system": { "modules": [], "consumers": [], "processes": [], "externals": [], "faults": {} } }
//! ```
//!
//! [`Scenario::import`] checks everything (the shape, every name and reference, every script) and
//! reports all problems with their JSON paths, or hands back a whole scenario; never half of one.
//! [`Scenario::export`] writes the current version; import → export → import gives an equal scenario.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::migrate::{self, FORMAT, FORMAT_VERSION};
use super::model::Model;
use super::problem::Problem;
use super::spec::Spec;
use super::system::System;
use super::{structure, validate};

/// Scenario-wide settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// Seeds the store's event ids and the sandbox's randomness.
    #[serde(default)]
    pub seed: u64,
    /// Lint rule settings, by rule name; read by the lint module.
    #[serde(default)]
    pub lint: BTreeMap<String, Value>,
    /// The scenario's typical traffic, a load generator: the first preset, and what a year of
    /// traffic runs. Without it both are made from the first stream type's commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<Value>,
    /// What the simulated days apply to the store as they end (archiving, uploads, scavenges),
    /// as the lifecycle page sets it; read by the app layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Value>,
}

/// A whole scenario: the model, its specs and optionally the events of a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// The scenario's name.
    pub name: String,
    /// What it models.
    pub description: String,
    /// Settings.
    pub settings: Settings,
    /// The definitions.
    pub model: Model,
    /// The executable examples.
    pub specs: Vec<Spec>,
    /// A store snapshot as [`crate::store::Store::export_json`] writes it, embedded as JSON.
    pub events: Option<Value>,
    /// The read models built over those events, as the runtime saves them, so that opening the
    /// scenario does not replay the store; left out, or not fitting, they are built again.
    pub read_models: Option<Value>,
    /// The modules beside the main one and what travels between them; `None` for a scenario of
    /// one module.
    pub system: Option<System>,
    /// The system's run as its page's run log keeps it (the inputs since the system started, and
    /// the main module's events it started from), embedded as JSON, so that opening the scenario
    /// can replay the other modules, the broker and the processes to where they were.
    pub run: Option<Value>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Document {
    pub format: String,
    pub version: u64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub model: Model,
    #[serde(default)]
    pub specs: Vec<Spec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_models: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<System>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<Value>,
}

impl Scenario {
    /// Reads a scenario document of any supported format version, checking everything.
    pub fn import(text: &str) -> Result<Scenario, Vec<Problem>> {
        Scenario::from_value(Scenario::parse(text)?)
    }

    /// A scenario document's text as JSON, or the one problem saying where it is not JSON.
    pub fn parse(text: &str) -> Result<Value, Vec<Problem>> {
        serde_json::from_str(text).map_err(|error| {
            let line = u32::try_from(error.line()).ok();
            let column = u32::try_from(error.column()).ok();
            vec![Problem::new("", format!("invalid json: {error}")).at(line, column)]
        })
    }

    /// Like [`Scenario::import`], from a parsed JSON value.
    pub fn from_value(value: Value) -> Result<Scenario, Vec<Problem>> {
        let value = migrate::to_current(value).map_err(|problem| vec![problem])?;
        let document = match Document::deserialize(&value) {
            Ok(document) => document,
            Err(error) => return Err(structure::diagnose(&value, &error.to_string())),
        };
        let scenario = Scenario {
            name: document.name,
            description: document.description,
            settings: document.settings,
            model: document.model,
            specs: document.specs,
            events: document.events,
            read_models: document.read_models,
            system: document.system,
            run: document.run,
        };
        let problems = validate::check(&scenario);
        if problems.is_empty() {
            Ok(scenario)
        } else {
            Err(problems)
        }
    }

    /// The scenario as a pretty-printed document of the current format version.
    pub fn export(&self) -> String {
        serde_json::to_string_pretty(&self.to_document()).unwrap_or_default()
    }

    /// [`Scenario::export`] without the indentation: what a browser's storage keeps, where a
    /// third of a store's pretty-printed text would be spaces.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_document()).unwrap_or_default()
    }

    /// The scenario as a JSON value of the current format version.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self.to_document()).unwrap_or_default()
    }

    fn to_document(&self) -> Document {
        Document {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
            name: self.name.clone(),
            description: self.description.clone(),
            settings: self.settings.clone(),
            model: self.model.clone(),
            specs: self.specs.clone(),
            events: self.events.clone(),
            read_models: self.read_models.clone(),
            system: self.system.clone(),
            run: self.run.clone(),
        }
    }
}
