//! The app layer: what a page or a console script works on. A [`Workspace`] holds the scenario as
//! drafted, its runtime, the load run and the linter's bookkeeping; the views answer what pages
//! read (stream listings, chart data, schema views, time travel). No web types, so every part is
//! tested natively and in wasm; the UI and the JavaScript API are thin adapters over it.

pub mod chunk;
mod draft;
mod form;
pub mod highlight;
mod listing;
mod workspace;

pub use chunk::Chunk;
pub use draft::{enum_from_text, enum_text, problems_under, type_name, with_type_name, Draft, TYPE_NAMES};
pub use form::{input_for, payload, Input};
pub use listing::{CategoryGroup, StreamFilter, StreamRow, LISTED, LISTED_MORE};
pub use workspace::{histogram, ChartData, ExpectedMode, SendOutcome, StoredVersion, UpcastView, Workspace};
