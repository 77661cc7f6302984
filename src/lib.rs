//! Eventarium: an event-sourcing modelling simulator that runs entirely in the browser.
//!
//! The crate is one library with a web binary on top:
//!
//! - [`store`]: the event store (streams, the global log, expected revisions, metadata, retention);
//! - [`script`]: the sandbox that runs user logic;
//! - [`model`]: what a user drafts (event types and schemas, commands, deciders, projections, …)
//!   and the scenario file format;
//! - [`sim`]: the runtime that connects the model to the store (commands, projections, policies,
//!   rebuilds, upcasting on read, load generators, the spec runner);
//! - [`lint`]: anti-pattern findings over the model and the store;
//! - [`session`]: the app layer: the workspace a page or a console script works on, its findings
//!   and what pages read;
//! - `api` (feature `api`, on by default): the wasm-bindgen JavaScript API, a thin adapter over
//!   [`session`]; the web app loads it as a module of its own when the console first uses it;
//! - `ui` (feature `ui`, on by default): the Yew user interface, a thin adapter over [`session`],
//!   the only module that touches the DOM.
//!
//! Dependencies point one way, each module using only those to its left:
//!
//! ```text
//! store ← script ← model ← sim ← lint ← session ← { api, ui }
//! ```
//!
//! The runtime knows nothing of the linter: it notes what changed ([`sim::Changes`]) and lends
//! its sandbox and fold cache ([`sim::Shared`]); [`session::Findings`] keeps the linter. The core
//! (everything but `ui`) has no web dependency: `cargo test --no-default-features` builds and
//! tests it alone.
#![deny(missing_docs)]

#[cfg(feature = "api")]
pub mod api;
pub mod lint;
pub mod model;
pub mod script;
pub mod session;
pub mod sim;
pub mod store;
#[cfg(feature = "ui")]
pub mod ui;
