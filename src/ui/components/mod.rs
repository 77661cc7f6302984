//! The workspace's components, one per file.

mod command_console;
mod confirm_delete;
mod definition_editor;
mod dialog;
mod event_inspector;
mod fields_editor;
mod help_overlay;
mod import_problems;
mod json_field;
mod model_outline;
mod panel_frame;
mod scenario_picker;
mod script_editor;
mod spec_results;
mod status_bar;
mod stream_list;
mod timeline;
mod warnings_list;

pub use command_console::{CommandConsole, Submission};
pub use confirm_delete::ConfirmDelete;
pub use definition_editor::DefinitionEditor;
pub use event_inspector::EventInspector;
pub use fields_editor::FieldsEditor;
pub use help_overlay::HelpOverlay;
pub use import_problems::ImportProblems;
pub use json_field::JsonField;
pub use model_outline::ModelOutline;
pub use panel_frame::PanelFrame;
pub use scenario_picker::ScenarioPicker;
pub use script_editor::{Marker, ScriptEditor};
pub use spec_results::SpecResults;
pub use status_bar::StatusBar;
pub use stream_list::StreamList;
pub use timeline::{Timeline, SHOWN};
pub use warnings_list::WarningsList;
