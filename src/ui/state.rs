//! The workspace's UI state: which panels are open. One [`Reducible`] value, changed only through
//! [`PanelAction`]s, provided to components through a context.

use std::rc::Rc;

use yew::Reducible;

/// A panel of the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    /// Event types, commands, stream types, projections, upcasters, policies and specs.
    Model,
    /// The command console.
    Commands,
    /// Streams grouped by category, and the timeline of appended events.
    Streams,
    /// The selected event or model element in detail.
    Inspector,
    /// Anti-pattern findings.
    Warnings,
}

impl Panel {
    /// Every panel, in the order the workspace shows them.
    pub const ALL: [Panel; 5] = [
        Panel::Model,
        Panel::Commands,
        Panel::Streams,
        Panel::Inspector,
        Panel::Warnings,
    ];

    /// The heading shown on the panel.
    pub fn title(self) -> &'static str {
        match self {
            Panel::Model => "Model",
            Panel::Commands => "Console",
            Panel::Streams => "Streams",
            Panel::Inspector => "Inspector",
            Panel::Warnings => "Warnings",
        }
    }

    /// A stable, lower-case name for CSS classes and test selectors.
    pub fn slug(self) -> &'static str {
        match self {
            Panel::Model => "model",
            Panel::Commands => "commands",
            Panel::Streams => "streams",
            Panel::Inspector => "inspector",
            Panel::Warnings => "warnings",
        }
    }
}

/// What the user can do to the panels and overlays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelAction {
    /// Collapse an open panel, or open a collapsed one.
    Toggle(Panel),
    /// Show the keyboard help, or hide it.
    ToggleHelp,
    /// Hide the keyboard help and the command palette.
    CloseHelp,
    /// Show the command palette, or hide it.
    TogglePalette,
    /// Open a panel (collapsed or not).
    Open(Panel),
    /// Turn presenter mode on or off.
    TogglePresenter,
    /// In presenter mode, show the next panel (or the previous one, with `false`).
    FocusNext(bool),
}

/// The state of the workspace shell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppState {
    collapsed: Vec<Panel>,
    help: bool,
    palette: bool,
    presenter: bool,
    /// The panel presenter mode shows, an index into [`Panel::ALL`].
    focus: usize,
}

impl AppState {
    /// Whether a panel shows its body.
    pub fn is_open(&self, panel: Panel) -> bool {
        !self.collapsed.contains(&panel)
    }

    /// Whether the keyboard help is shown.
    pub fn help_open(&self) -> bool {
        self.help
    }

    /// Whether presenter mode is on: larger type, high contrast, one panel at a time.
    pub fn presenter(&self) -> bool {
        self.presenter
    }

    /// The panel presenter mode shows.
    pub fn focused(&self) -> Panel {
        Panel::ALL[self.focus % Panel::ALL.len()]
    }

    /// Whether the command palette is shown.
    pub fn palette_open(&self) -> bool {
        self.palette
    }

    /// How many panels are open.
    pub fn open_count(&self) -> usize {
        Panel::ALL.iter().filter(|p| self.is_open(**p)).count()
    }
}

impl Reducible for AppState {
    type Action = PanelAction;

    fn reduce(self: Rc<Self>, action: PanelAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            PanelAction::Toggle(panel) => {
                if let Some(i) = next.collapsed.iter().position(|p| *p == panel) {
                    next.collapsed.remove(i);
                } else {
                    next.collapsed.push(panel);
                }
            }
            PanelAction::ToggleHelp => next.help = !next.help,
            PanelAction::CloseHelp => {
                next.help = false;
                next.palette = false;
            }
            PanelAction::TogglePalette => next.palette = !next.palette,
            PanelAction::Open(panel) => next.collapsed.retain(|p| *p != panel),
            PanelAction::TogglePresenter => next.presenter = !next.presenter,
            PanelAction::FocusNext(forward) => {
                let n = Panel::ALL.len();
                next.focus = if forward {
                    (next.focus + 1) % n
                } else {
                    (next.focus + n - 1) % n
                };
                let focused = next.focused();
                next.collapsed.retain(|p| *p != focused);
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_a_panel_twice_reopens_it() {
        let state = Rc::new(AppState::default());
        let once = state.clone().reduce(PanelAction::Toggle(Panel::Inspector));
        assert!(!once.is_open(Panel::Inspector));
        assert_eq!(once.open_count(), 4);
        let twice = once.reduce(PanelAction::Toggle(Panel::Inspector));
        assert!(twice.is_open(Panel::Inspector));
        assert_eq!(*twice, AppState::default());
    }

    #[test]
    fn presenter_mode_steps_through_every_panel_and_back() {
        let mut state = Rc::new(AppState::default()).reduce(PanelAction::Toggle(Panel::Streams));
        state = state.reduce(PanelAction::TogglePresenter);
        assert!(state.presenter());
        assert_eq!(state.focused(), Panel::Model);
        state = state.reduce(PanelAction::FocusNext(false));
        assert_eq!(
            state.focused(),
            Panel::Warnings,
            "backwards from the first wraps to the last"
        );
        for _ in 0..3 {
            state = state.reduce(PanelAction::FocusNext(true));
        }
        assert_eq!(state.focused(), Panel::Streams);
        assert!(
            state.is_open(Panel::Streams),
            "a collapsed panel opens when it gets the focus"
        );
        assert!(!state.reduce(PanelAction::TogglePresenter).presenter());
    }

    #[test]
    fn the_help_opens_toggles_and_closes() {
        let state = Rc::new(AppState::default());
        let open = state.reduce(PanelAction::ToggleHelp);
        assert!(open.help_open());
        assert!(!open.clone().reduce(PanelAction::ToggleHelp).help_open());
        assert!(!open.reduce(PanelAction::CloseHelp).help_open());
    }
}
