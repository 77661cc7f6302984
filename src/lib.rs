//! Eventarium: an event-sourcing modelling simulator that runs entirely in the browser.
//!
//! The crate is one library with a web binary on top:
//!
//! - [`store`]: the event store (streams, the global log, expected revisions, metadata, retention);
//! - [`model`]: what a user drafts (event types and schemas, commands, deciders, projections, …);
//! - [`script`]: the sandbox that runs user logic;
//! - [`sim`]: the runtime that connects the model to the store;
//! - [`lint`]: anti-pattern findings;
//! - [`session`]: the app layer the UI and the JavaScript API share (the workspace and its views);
//! - [`api`]: the wasm-bindgen JavaScript API;
//! - `ui` (feature `ui`, on by default): the Yew user interface, the only module that touches the DOM.
//!
//! The core modules have no web dependency: `cargo test --no-default-features` builds and tests them alone.
#![deny(missing_docs)]

pub mod api;
pub mod lint;
pub mod model;
pub mod script;
pub mod session;
pub mod sim;
pub mod store;
#[cfg(feature = "ui")]
pub mod ui;
