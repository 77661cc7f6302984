//! The Yew user interface: the only module that imports yew, web-sys or gloo. A thin adapter
//! over [`crate::session`]: the shell ([`App`]), the state's context, hooks, pages and
//! components.

mod app;
mod components;
mod editor;
mod effects;
mod header;
mod hooks;
mod messages;
mod pages;
mod palette;
mod reads;
mod share;
mod state;
mod storage;

pub use app::App;
pub use components::{
    CausalGraphView, CausalGraphViewProps, Charts, ChartsProps, Control, FieldsEditor, FieldsEditorProps, JsonTree,
    JsonTreeProps, LabAction, Marker, ModuleTables, Outboxes, ProcessInstances, ProjectionsLab, ProjectionsLabProps,
    SchemaLab, SchemaLabProps, ScriptEditor, ScriptEditorProps, Simulation, SimulationProps, StreamList,
    StreamListProps, Timeline, TimelineProps, TwoParticipants, TwoParticipantsProps,
};
// What the components show, re-exported for the component tests.
pub use crate::session::{
    histogram, CategoryGroup, ChartData, ExpectedMode, Panel, Participant, SendOutcome, StoredVersion, StreamOrder,
    StreamRow, UpcastView, Workspace, LISTED, LISTED_MORE,
};
pub use state::{use_app, AppContext, Handle};
pub use storage::{BACKUP_KEY, DRAFT_KEY, SAVE_KEY};

/// Mounts [`App`] into the page body. Called once by the web binary.
pub fn mount() {
    yew::Renderer::<App>::new().render();
}
