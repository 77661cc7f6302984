//! What several parts of the page read from the workspace, once per change of it (not once per
//! render): the model, the scenario's name, the event count and the projections' statuses.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::Model;
use crate::sim::ProjectionStatus;
use crate::ui::state::Handle;

/// The shared reads, as of one revision of the workspace.
#[derive(PartialEq)]
pub struct Reads {
    /// The scenario's model.
    pub model: Rc<Model>,
    /// The scenario's name.
    pub name: String,
    /// How many events the store holds.
    pub events: u64,
    /// Each projection's status.
    pub statuses: Rc<Vec<ProjectionStatus>>,
}

impl Reads {
    /// Whether a projection, a rebuild or a blue-green build is behind and can move on.
    pub fn busy(&self) -> bool {
        self.statuses.iter().any(|s| {
            (s.lag > 0 && s.poison.is_none()) || s.blue_green.as_ref().is_some_and(|b| b.lag > 0 && b.poison.is_none())
        })
    }
}

/// The shared reads at `revision`.
#[hook]
pub fn use_reads(handle: &Handle, revision: u64) -> Rc<Reads> {
    let workspace = handle.workspace.clone();
    use_memo(revision, move |_| {
        let workspace = workspace.borrow();
        Reads {
            model: Rc::new(workspace.scenario().model.clone()),
            name: workspace.scenario().name.clone(),
            events: workspace.event_count(),
            statuses: Rc::new(workspace.projections()),
        }
    })
}

/// What a page is given by the shell.
#[derive(Properties, PartialEq)]
pub struct PageProps {
    /// The shared reads.
    pub reads: Rc<Reads>,
}
