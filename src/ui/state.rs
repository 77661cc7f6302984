//! The page's [`State`] in Yew: a [`Reducible`], provided once with the [`Workspace`] through a
//! context ([`AppContext`]) and read with [`use_app`]. The state and its reducer are plain Rust
//! in [`crate::session`]; this file only adapts them.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::session::{Action, State, Workspace};
use crate::ui::storage::Slot;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().reduce(action))
    }
}

/// What every part of the page shares and that stays the same from render to render: the
/// workspace, the state's dispatcher, and the timers of work in flight. Clones are cheap.
#[derive(Clone)]
pub struct Handle {
    /// The scenario and its running simulation.
    pub workspace: Rc<RefCell<Workspace>>,
    dispatcher: UseReducerDispatcher<State>,
    /// The draft check waiting for the typing to pause.
    pub(crate) checking: Rc<RefCell<Option<Timeout>>>,
    /// The file being read for an import.
    pub(crate) reading: Rc<RefCell<Option<FileReader>>>,
    /// Which kept workspace is open, and what of it was saved.
    pub(crate) slot: Rc<RefCell<Slot>>,
}

impl Handle {
    /// A handle on a workspace whose state `dispatcher` changes.
    pub fn new(workspace: Rc<RefCell<Workspace>>, dispatcher: UseReducerDispatcher<State>) -> Handle {
        let name = workspace.borrow().scenario().name.clone();
        Handle::kept_in(workspace, Slot::new(&name), dispatcher)
    }

    /// A handle on a workspace kept in `slot`.
    pub(crate) fn kept_in(
        workspace: Rc<RefCell<Workspace>>,
        slot: Slot,
        dispatcher: UseReducerDispatcher<State>,
    ) -> Handle {
        Handle {
            workspace,
            dispatcher,
            checking: Rc::default(),
            reading: Rc::default(),
            slot: Rc::new(RefCell::new(slot)),
        }
    }

    /// Changes the state.
    pub fn dispatch(&self, action: Action) {
        self.dispatcher.dispatch(action);
    }

    /// A callback that dispatches what `action` makes of its argument.
    pub fn callback<T: 'static>(&self, action: impl Fn(T) -> Action + 'static) -> Callback<T> {
        let dispatcher = self.dispatcher.clone();
        Callback::from(move |value| dispatcher.dispatch(action(value)))
    }

    /// Says that the workspace changed: its findings are read here, once per change, and
    /// everything that reads the workspace is drawn again.
    pub fn changed(&self) {
        let findings = self.workspace.borrow_mut().findings().to_vec();
        self.dispatch(Action::WorkspaceChanged(Rc::new(findings)));
    }
}

impl PartialEq for Handle {
    fn eq(&self, other: &Handle) -> bool {
        Rc::ptr_eq(&self.workspace, &other.workspace) && self.dispatcher == other.dispatcher
    }
}

/// What the context gives: the state as of this render, and the [`Handle`].
#[derive(Clone, PartialEq)]
pub struct AppContext {
    /// The page's state as of this render. Read it during the render; a timer that needs a
    /// value later keeps its own copy (a kept handle holds on to every state read through it).
    pub state: UseReducerHandle<State>,
    /// The workspace and the dispatcher.
    pub handle: Handle,
}

/// The page's state and handle, from the context that [`crate::ui::App`] provides (`None`
/// outside it).
#[hook]
pub fn use_app() -> Option<AppContext> {
    use_context::<AppContext>()
}

/// What `read` makes of the workspace, kept from render to render and read again only when the
/// workspace changes (its revision) or `deps` do. Pages read their views this way, so a redraw
/// for anything else does not read the store again.
#[hook]
pub fn use_workspace_read<D, T, F>(app: &AppContext, deps: D, read: F) -> Rc<T>
where
    D: PartialEq + 'static,
    T: 'static,
    F: FnOnce(&mut Workspace, &D) -> T,
{
    let workspace = app.handle.workspace.clone();
    use_memo((app.state.revision, deps), move |(_, deps)| {
        read(&mut workspace.borrow_mut(), deps)
    })
}
