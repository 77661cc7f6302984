//! Command handling: fold a stream's history with `evolve`, then `decide`. `decide` sees the
//! command as `#{ type, data, metadata }`, the metadata being [`Metadata`] (in `metadata.rs`).
//!
//! The decider is pure and synchronous: [`handle`] takes the history and returns new events or
//! a [`Rejection`] as a value; only [`handle_in_store`] touches a store, appending with the
//! revision it read so a concurrent writer makes it fail instead of being overwritten.
//!
//! Folds and decisions take the fast path, with the state kept a Rhai value between calls. When
//! that path cannot say where it stopped (a limit hit with no line, a value that cannot cross
//! into the script), it says so with `Stop::NeedsLocation` and the call is re-run on
//! the located path, with JSON between calls, which reports the problem at its line.

mod cache;
mod decision;
mod fold;
mod handle;
mod in_store;
mod located;
mod metadata;

pub use decision::{Emitted, Outcome, Rejection};
pub use fold::state_after;
pub use handle::handle;
pub use in_store::handle_in_store;
pub use metadata::{Metadata, USER};

pub use cache::FoldCache;
pub(crate) use fold::Fold;
pub(crate) use handle::Incoming;
pub(crate) use in_store::{expected_after, first_readable, handle_stored, read_history, state_through};
