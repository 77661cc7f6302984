//! The app layer: what a page or a console script works on. A [`Workspace`] holds the scenario as
//! drafted, its runtime, the load run and the linter's bookkeeping ([`Findings`]), with typed
//! errors ([`Error`]); the views answer what pages read (stream listings, chart data, schema
//! views, time travel, a correlation's causal graph). No web types, so every part is tested
//! natively and in wasm; the UI (`crate::ui`) and the JavaScript API (`crate::api`) are thin
//! adapters over it.
//!
//! Beside the workspace: [`import`] (a scenario document read as the app reads it, lint settings
//! included), [`check_scenario`] (the terminal checker), and the plain-Rust helpers of the
//! editor ([`Draft`], [`form`], [`highlight`]) and of long work ([`Chunk`]).

mod books;
mod charts;
mod check;
pub mod chunk;
mod console;
mod consumer;
mod draft;
mod error;
mod fault_form;
mod findings;
pub mod forget;
pub mod form;
mod graph;
pub mod highlight;
mod import;
mod lifecycle;
mod listing;
mod load;
mod migration;
mod module_view;
mod page;
mod persist;
mod policies;
mod projections;
mod reads;
mod schema;
mod state;
mod system;
mod system_run;
mod system_views;
mod timelapse;
mod traces;
mod travel;
mod words;
mod workspace;

pub use books::{BooksApplied, BooksPlan, BooksView, OpenPeriod, BOOKS_LISTED};
pub use charts::{histogram, ChartData};
pub use check::{check_scenario, CheckReport};
pub use chunk::Chunk;
pub use console::{ExpectedMode, SendOutcome};
pub use consumer::{retry_words, ConsumerView, InboxLine, SHOWN_DELIVERIES};
pub use draft::{
    enum_from_text, enum_text, problems_under, system_choices, type_name, with_type_name, Draft, SystemChoices,
    TYPE_NAMES,
};
pub use error::{listed, Error, Result};
pub use fault_form::{FaultField, FaultForm, FaultScope};
pub use findings::{Findings, MAX_PENDING};
pub use forget::{ForgetReport, ShreddingType, ShreddingView, SUBJECTS_LISTED};
pub use form::{input_for, payload, stream_for, Input, Submission};
pub use graph::{CausalGraph, GraphEdge, GraphNode, NodeKind, SHORT_LABEL};
pub use import::{import, import_value, thresholds};
pub use lifecycle::{CostModel, Costs, LifecycleStream, LifecycleView, RebuildPreview, LIFECYCLE_LISTED};
pub use listing::{CategoryGroup, StreamFilter, StreamOrder, StreamRow, LISTED, LISTED_MORE};
pub use migration::MigrationView;
pub use module_view::{ModuleEvent, ModuleView, MODULE_STREAMS_LISTED};
pub use page::{Page, Panel, Step};
pub use persist::{SaveMark, SaveParts, Saver, CHUNK_POSITIONS};
pub use projections::Writers;
pub use schema::{StoredVersion, UpcastView};
pub use state::{Action, Generator, Participant, PendingDelete, Start, State, SystemClock, DEFAULT_SPEED};
pub use system::{
    clock, payload_line, poison_topic, BoxKind, MapArrow, MapBox, ModuleCommands, Preset, SystemMap, POISON,
};
pub use system_run::{parse_seed, publishing_words, PublishingSwitch, RunLog, RunStep};
pub use system_views::{
    InstanceStatus, InstanceView, ModuleTablesView, OutboxLine, OutboxView, ProcessView, TableView, TimeoutView,
};
pub use timelapse::{DaySample, LifecyclePolicy, DAY_MS};
pub use traces::{CorrelationRow, Traced};
pub use words::{bytes, counted, counted_as, duration, instant, money};
pub use workspace::Workspace;
