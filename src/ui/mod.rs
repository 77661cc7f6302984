//! The Yew user interface: the only module that imports yew, web-sys or gloo.

mod app;
mod components;
mod state;

pub use app::App;
pub use state::{AppState, Panel, PanelAction};

/// Mounts [`App`] into the page body. Called once by the web binary.
pub fn mount() {
    yew::Renderer::<App>::new().render();
}
