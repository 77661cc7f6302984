//! The workspace's components, one per file.

mod model_outline;
mod panel_frame;
mod status_bar;

pub use model_outline::ModelOutline;
pub use panel_frame::PanelFrame;
pub use status_bar::StatusBar;
