//! The app layer: what a page or a console script works on. A [`Workspace`] holds the scenario as
//! drafted, its runtime, the load run and the linter's bookkeeping ([`Findings`]), with typed
//! errors ([`Error`]); the views answer what pages read (stream listings, chart data, schema
//! views, time travel, a correlation's causal graph). No web types, so every part is tested
//! natively and in wasm; the UI (`crate::ui`) and the JavaScript API ([`crate::api`]) are thin
//! adapters over it.
//!
//! Beside the workspace: [`import`] (a scenario document read as the app reads it, lint settings
//! included), [`check_scenario`] (the terminal checker), and the plain-Rust helpers of the
//! editor ([`Draft`], [`form`], [`highlight`]) and of long work ([`Chunk`]).

mod charts;
mod check;
pub mod chunk;
mod console;
mod draft;
mod error;
mod findings;
pub mod form;
mod graph;
pub mod highlight;
mod import;
mod listing;
mod load;
mod page;
mod policies;
mod projections;
mod reads;
mod schema;
mod state;
mod system;
mod traces;
mod travel;
mod words;
mod workspace;

pub use charts::{histogram, ChartData};
pub use check::{check_scenario, CheckReport};
pub use chunk::Chunk;
pub use console::{ExpectedMode, SendOutcome};
pub use draft::{enum_from_text, enum_text, problems_under, type_name, with_type_name, Draft, TYPE_NAMES};
pub use error::{Error, Result};
pub use findings::{Findings, MAX_PENDING};
pub use form::{input_for, payload, stream_for, Input, Submission};
pub use graph::{CausalGraph, GraphEdge, GraphNode, NodeKind, SHORT_LABEL};
pub use import::{import, import_value, thresholds};
pub use listing::{CategoryGroup, StreamFilter, StreamOrder, StreamRow, LISTED, LISTED_MORE};
pub use page::{Page, Panel, Step};
pub use schema::{StoredVersion, UpcastView};
pub use state::{Action, Generator, Participant, PendingDelete, Start, State, DEFAULT_SPEED};
pub use system::{payload_line, BoxKind, MapArrow, MapBox, ModuleCommands, Preset, SystemMap};
pub use traces::{CorrelationRow, Traced};
pub use words::{counted, counted_as, duration, instant};
pub use workspace::Workspace;
