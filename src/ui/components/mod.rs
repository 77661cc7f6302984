//! The workspace's components, one per file.

mod panel_frame;
mod status_bar;

pub use panel_frame::PanelFrame;
pub use status_bar::StatusBar;
