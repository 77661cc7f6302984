//! What a user drafts: event types with versioned schemas, commands, stream types (deciders),
//! projections, upcasters, policies and specs, and the scenario file format that holds them.
//!
//! Everything here is plain data with serde (camelCase JSON) and no behaviour beyond checks;
//! running it is [`crate::sim`]'s job. Script conventions, which the built-in scenarios follow:
//!
//! - a stream type's script: `fn decide(command, state)` returns `[#{ type, data }, …]` (empty:
//!   nothing happened) or rejects with `throw "message"`; `fn evolve(state, event)` returns the
//!   new state. `command` is `#{ type, data, metadata }`, with `metadata` holding
//!   `#{ now, correlationId, causationId, sender }` (`now`: the simulated clock in ms; `sender`:
//!   `user`, or the name of the policy that sent it); an event is
//!   `#{ type, data, streamId, revision, position, schemaVersion }`;
//! - a projection: `fn on_<EventType>(doc, event)` returns the new document, or `()` to delete it;
//! - an upcaster: `fn upcast(event)` returns an event or an array of events;
//! - a policy: `fn react(event)` returns an array of commands `#{ type, streamId, data }`; it runs
//!   async (the default) or inline (`"lifecycle": "inline"`), like a projection.
//!
//! Files: [`Field`] and [`FieldType`] in `field.rs`; [`EventType`] in `event_type.rs`; [`diff`]
//! in `diff.rs`; [`fill_payload`] in `payload.rs`; `command.rs`, `stream_type.rs`,
//! `projection.rs`, `upcaster.rs`, `policy.rs`, `spec.rs` and `reaction_spec.rs` (specs of policies,
//! translations, consumers and process managers); [`Model`] in `model.rs`; the file
//! format in `scenario.rs`, `migrate.rs`, `structure.rs` (shape problems), `validate.rs`,
//! `upcast_check.rs` and `spec_check.rs` (references), `scripts.rs` (compiling scripts), `problem.rs`; the scenarios
//! that ship with the app in `builtin.rs`; editing one definition at a time (renames, dependents,
//! removal) in [`edit`].

mod builtin;
mod command;
mod diff;
pub mod edit;
mod event_type;
mod field;
mod migrate;
#[allow(clippy::module_inception, reason = "model/model.rs holds the Model type itself")]
mod model;
mod payload;
mod policy;
mod problem;
mod projection;
mod reaction_spec;
mod scenario;
mod scripts;
mod spec;
mod spec_check;
mod stream_type;
mod structure;
mod system;
pub mod system_check;
pub(crate) mod tagged;
mod upcast_check;
mod upcaster;
mod validate;

pub use builtin::{BuiltIn, BUILT_IN};
pub use command::Command;
pub use diff::{diff, Rename, Retype, SchemaDiff};
pub use event_type::{EventType, SchemaVersion, Visibility};
pub use field::{Field, FieldType};
pub use migrate::{FORMAT, FORMAT_VERSION};
pub use model::Model;
pub use payload::{check_value, fill_payload, PayloadError};
pub use policy::{CommandMapping, Policy, PolicyLogic};
pub use problem::Problem;
pub use projection::{
    is_key_path, Audience, Checkpointing, Gaps, Lifecycle, Projection, ProjectionLogic, Source, Template,
};
pub use reaction_spec::{
    ConsumerSpec, EventExample, EventWhen, ExpectedCall, ExpectedCommand, ExpectedTimeout, InputWhen, MessageExample,
    MessageWhen, PolicySpec, ProcessSpec, Reactions, TranslationSpec,
};
pub use scenario::{Scenario, Settings};
pub use spec::{DeciderSpec, ExpectedEvent, GivenEvent, ProjectionSpec, Spec, Then, When, WhenMetadata};
pub use stream_type::{period_of, period_stream, PeriodEnd, Periods, Retention, RetentionStrategy, StreamType};
pub use system::{
    Compensation, Consumer, ConsumerLogic, External, Faults, Handler, Module, ModuleKind, NackAction, Process,
    Publishing, RetryPolicy, System, Table, Translation, Window, MAIN_MODULE,
};
pub(crate) use upcast_check::missing_path;
pub use upcaster::{Conversion, Op, SplitTarget, UpcastLogic, Upcaster};
