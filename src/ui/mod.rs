//! The Yew user interface: the only module that imports yew, web-sys or gloo.

mod app;
pub mod chunk;
mod components;
mod draft;
mod form;
pub mod highlight;
mod listing;
mod state;
mod storage;
mod workspace;

pub use app::App;
pub use components::{
    Charts, ChartsProps, Control, FieldsEditor, FieldsEditorProps, JsonTree, JsonTreeProps, LabAction, Marker,
    Participant, ProjectionsLab, ProjectionsLabProps, SchemaLab, SchemaLabProps, ScriptEditor, ScriptEditorProps,
    Simulation, SimulationProps, StreamList, StreamListProps, Timeline, TimelineProps, TwoParticipants,
    TwoParticipantsProps, LISTED, LISTED_MORE,
};
pub use listing::{CategoryGroup, StreamFilter, StreamRow};
pub use state::{AppState, Panel, PanelAction};
pub use storage::{BACKUP_KEY, DRAFT_KEY, SAVE_KEY};
pub use workspace::{histogram, ChartData, ExpectedMode, SendOutcome, StoredVersion, UpcastView, Workspace};

/// Mounts [`App`] into the page body. Called once by the web binary.
pub fn mount() {
    yew::Renderer::<App>::new().render();
}
