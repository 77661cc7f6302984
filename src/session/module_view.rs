//! One module of the system as the System page opens it from the map: what it is, its streams
//! (grouped by category, as the workspace lists the main module's), a stream's events, its read
//! models and their documents; a state-stored module's tables with their rows.

use serde_json::Value;

use super::listing::{self, CategoryGroup, StreamFilter, StreamOrder};
use super::system_run::publishing_words;
use super::workspace::Workspace;
use super::{payload_line, Result};
use crate::model::ModuleKind;
use crate::store::{Direction, Source};

/// A module at a glance, with what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleView {
    /// Its name.
    pub name: String,
    /// Whether it is the main module (the workspace's pages show it in full).
    pub main: bool,
    /// Whether it keeps events (`true`) or rows.
    pub event_sourced: bool,
    /// How it publishes, in words.
    pub publishing: &'static str,
    /// Events or rows held.
    pub size: u64,
    /// The contracts it publishes.
    pub contracts: Vec<String>,
    /// Rows in its outbox, and how many of them the relay published.
    pub outbox: (usize, usize),
    /// Messages a crash lost between a change and its publish.
    pub lost: u64,
    /// What it is responsible for.
    pub description: String,
    /// Its streams by category, each listing its first ones (event-sourced).
    pub streams: Vec<CategoryGroup>,
    /// Its read models and how many documents each holds (event-sourced).
    pub read_models: Vec<(String, usize)>,
    /// Its tables and how many rows each holds (state-stored).
    pub tables: Vec<(String, usize)>,
}

/// One event of a module's stream, as the module view lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleEvent {
    /// Its revision in the stream.
    pub revision: u64,
    /// Its type and schema version: `OrderPlaced v1`.
    pub event_type: String,
    /// When it was recorded, in simulated ms.
    pub at_ms: i64,
    /// Its correlation id, if it has one.
    pub correlation_id: Option<String>,
    /// Its data in one line.
    pub data: String,
}

/// How many streams of a category the module view lists at first.
pub const MODULE_STREAMS_LISTED: usize = 8;

impl Workspace {
    /// Module `module` at a glance, its streams filtered by `filter` (as the workspace's stream
    /// list filters), `listed` of each category.
    pub fn module_view(&self, module: &str, filter: &str, listed: usize) -> Result<ModuleView> {
        let services = self.services();
        let row = services
            .modules()
            .into_iter()
            .find(|m| m.name == module)
            .ok_or_else(|| crate::sim::Error::Unknown {
                what: "module",
                name: module.to_owned(),
            })?;
        let definition = services.definition().module(module);
        let mut view = ModuleView {
            name: row.name.clone(),
            main: services.module_names().first().is_some_and(|main| main == module),
            event_sourced: row.kind == ModuleKind::EventSourced,
            publishing: publishing_words(row.publishing),
            size: row.size,
            contracts: row.contracts.clone(),
            outbox: (row.outbox, row.relayed),
            lost: row.lost,
            description: definition.map(|m| m.description.clone()).unwrap_or_default(),
            streams: Vec::new(),
            read_models: Vec::new(),
            tables: Vec::new(),
        };
        if view.event_sourced {
            let runtime = services.runtime(module)?;
            view.streams = listing::streams(
                runtime.store(),
                &StreamFilter::new(filter),
                StreamOrder::default(),
                listed,
            );
            view.read_models = runtime
                .projections()
                .into_iter()
                .map(|p| {
                    let documents = runtime.documents(&p.name).map_or(0, |d| d.len());
                    (p.name, documents)
                })
                .collect();
        } else {
            view.tables = definition
                .map(|m| {
                    m.tables
                        .iter()
                        .map(|t| (t.name.clone(), services.rows(module, &t.name).map_or(0, |r| r.len())))
                        .collect()
                })
                .unwrap_or_default();
        }
        Ok(view)
    }

    /// The last `count` events of a stream of module `module`, oldest first.
    pub fn module_stream(&self, module: &str, stream_id: &str, count: usize) -> Result<Vec<ModuleEvent>> {
        let runtime = self.services().runtime(module)?;
        let mut events = runtime
            .store()
            .read(Source::Stream(stream_id), u64::MAX, count, Direction::Backwards)
            .unwrap_or_default();
        events.reverse();
        Ok(events
            .into_iter()
            .map(|e| ModuleEvent {
                revision: e.revision,
                event_type: format!("{} v{}", e.event_type, e.schema_version),
                at_ms: e.metadata.timestamp_ms,
                correlation_id: e.metadata.correlation_id.clone(),
                data: payload_line(&e.data),
            })
            .collect())
    }

    /// The first `count` documents of a read model of module `module`, or rows of a table of a
    /// state-stored one, by id.
    pub fn module_documents(&self, module: &str, name: &str, count: usize) -> Result<Vec<(String, Value)>> {
        let services = self.services();
        let held = match services.runtime(module) {
            Ok(runtime) => runtime.documents(name)?,
            Err(_) => services.rows(module, name)?,
        };
        Ok(held.iter().take(count).map(|(id, v)| (id.clone(), v.clone())).collect())
    }
}
