//! The runtime: commands through deciders, projections, upcasting on read, policies and the
//! spec runner. Pure and synchronous: everything takes the model, a [`crate::script::Sandbox`]
//! and events, and returns values; only [`decider::handle_in_store`] writes to a store.
//!
//! The modules double as namespaces: [`decider::handle`], [`projection::run`],
//! [`upcast::upcast_all`], [`policy::react`], [`spec::run_all`]. [`Envelope`] (in `envelope.rs`)
//! is the event as scripts see it; [`Error`] (in `error.rs`) is what stops a run; `line_diff.rs`
//! draws spec failures.

pub mod decider;
mod envelope;
mod error;
mod json_path;
mod line_diff;
pub mod load;
pub mod policy;
pub mod projection;
mod runtime;
pub mod spec;
pub mod system;
pub mod upcast;

pub use decider::FoldCache;
pub use envelope::{Envelope, COMPACTED_EVENT, SUMMARY_EVENT};
pub use error::{Error, Result};
pub use line_diff::line_diff;
pub use runtime::{
    BlueGreenStatus, BooksClosed, Changes, CommandRequest, Committed, Crash, Decision, DualRead, Executed, Expected,
    Flight, Migration, Poison, PolicyRejection, PolicyState, PolicyStatus, ProjectionState, ProjectionStatus,
    RebuildFault, RebuildProgress, Runtime, Shared, Skipped, StepReport, SummaryReport, MAX_INLINE_COMMANDS,
    MAX_POLICY_DEPTH, MIGRATED_FROM,
};
