//! What several parts of the page read from the workspace, once per change of it (not once per
//! render): the model, the scenario's name, the event count, the projections' statuses and
//! whether a policy is behind.

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
    /// Whether a policy is behind and can move on (the same steps move it).
    pub policies_behind: bool,
    /// Whether a migration's copy is behind and can move on (the same steps move it).
    pub copy_behind: bool,
}

impl Reads {
    /// Whether a projection, a rebuild, a blue-green build or a policy is behind and can move on.
    pub fn busy(&self) -> bool {
        self.policies_behind
            || self.copy_behind
            || self.statuses.iter().any(|s| {
                (s.lag > 0 && s.poison.is_none() && s.waiting_at.is_none() && !s.stalled())
                    || s.draining
                    || s.blue_green.as_ref().is_some_and(|b| b.lag > 0 && b.poison.is_none())
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
            policies_behind: workspace.policies().iter().any(|p| p.lag > 0 && p.stopped.is_none()),
            copy_behind: workspace.copy_behind(),
        }
    })
}

/// What a page is given by the shell.
#[derive(Properties, PartialEq)]
pub struct PageProps {
    /// The shared reads.
    pub reads: Rc<Reads>,
}
