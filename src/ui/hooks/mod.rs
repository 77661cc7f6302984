//! The page's hooks: work from timers in chunks, the two loops that use it, the keyboard
//! shortcuts and the autosave.

mod autosave;
mod chunked;
mod runs;
mod shortcuts;

pub(crate) use autosave::save_now;
pub use autosave::use_autosave;
pub use chunked::Worked;
pub use runs::{use_generator, use_projection_steps, use_system_clock};
pub use shortcuts::{focus, use_shortcuts};
