//! The wasm-bindgen JavaScript API: the same core the UI uses, for the browser console, Node and
//! benchmarks.
//!
//! Values cross the boundary as JSON text: arguments are turned into text once with
//! `JSON.stringify` and parsed in Rust; results are written as JSON text in Rust and parsed once
//! with `JSON.parse`. Payloads stay text all the way into the store, so no JavaScript object is
//! built per field and none is shared with the caller: the store keeps copies.
//!
//! Errors are JavaScript `Error`s with a stable `code` (see [`crate::store::Error::code`]) and the
//! details as properties (`streamId`, `expected`, `actual`, `limit`, …).

mod convert;
mod error;
mod event_store;
mod simulation;
mod system;

pub use event_store::EventStore;
pub use simulation::Simulation;
