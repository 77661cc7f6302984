//! The pages under the header, one per file; each reads the state and the workspace through
//! the context and is given the shared reads by the shell.

mod books;
mod charts;
mod forget;
mod lifecycle;
mod migrate;
mod participants;
mod projections;
mod schema;
mod simulation;
mod system;
mod workspace;

pub use charts::ChartsPage;
pub use lifecycle::LifecyclePage;
pub use participants::ParticipantsPage;
pub use projections::ProjectionsPage;
pub use schema::SchemaPage;
pub use simulation::SimulationPage;
pub use system::SystemPage;
pub use workspace::WorkspacePage;
