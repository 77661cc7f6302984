//! The Yew user interface: the only module that imports yew, web-sys or gloo.

mod app;
mod components;
mod state;
mod storage;

pub use app::App;
pub use components::{
    Charts, ChartsProps, Control, FieldsEditor, FieldsEditorProps, JsonTree, JsonTreeProps, LabAction, Marker,
    Participant, ProjectionsLab, ProjectionsLabProps, SchemaLab, SchemaLabProps, ScriptEditor, ScriptEditorProps,
    Simulation, SimulationProps, StreamList, StreamListProps, Timeline, TimelineProps, TwoParticipants,
    TwoParticipantsProps,
};
// What the components show, re-exported for the component tests.
pub use crate::session::{
    histogram, CategoryGroup, ChartData, ExpectedMode, SendOutcome, StoredVersion, StreamRow, UpcastView, Workspace,
    LISTED, LISTED_MORE,
};
pub use state::{AppState, Panel, PanelAction};
pub use storage::{BACKUP_KEY, DRAFT_KEY, SAVE_KEY};

/// Mounts [`App`] into the page body. Called once by the web binary.
pub fn mount() {
    yew::Renderer::<App>::new().render();
}
