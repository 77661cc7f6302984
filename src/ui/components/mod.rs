//! The workspace's components, one per file.

mod command_console;
mod dialog;
mod event_inspector;
mod help_overlay;
mod import_problems;
mod model_outline;
mod panel_frame;
mod spec_results;
mod status_bar;
mod stream_list;
mod timeline;
mod warnings_list;

pub use command_console::{CommandConsole, Submission};
pub use event_inspector::EventInspector;
pub use help_overlay::HelpOverlay;
pub use import_problems::ImportProblems;
pub use model_outline::ModelOutline;
pub use panel_frame::PanelFrame;
pub use spec_results::SpecResults;
pub use status_bar::StatusBar;
pub use stream_list::StreamList;
pub use timeline::{Timeline, SHOWN};
pub use warnings_list::WarningsList;
