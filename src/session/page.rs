//! What the page shows: the [`Page`] under the header and the workspace's [`Panel`]s, with the
//! [`Step`] presenter mode moves by.

/// What fills the page under the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    /// The five panels.
    Workspace,
    /// Load generators, live warnings and time travel.
    Simulation,
    /// The projections lab.
    Projections,
    /// The schema evolution lab.
    Schema,
    /// Two participants acting on one stream.
    Participants,
    /// Charts of the store and the projections.
    Charts,
    /// The modules as a map, the broker's figures and faults, and the dead letters.
    System,
    /// Storage over time: archiving, scavenging, compaction and summaries, and what they cost.
    Lifecycle,
}

impl Page {
    /// Every page, in the order of the header's tabs.
    pub const ALL: [Page; 8] = [
        Page::Workspace,
        Page::Simulation,
        Page::Projections,
        Page::Schema,
        Page::Participants,
        Page::Charts,
        Page::System,
        Page::Lifecycle,
    ];

    /// The tab's short label.
    pub fn label(self) -> &'static str {
        match self {
            Page::Workspace => "Workspace",
            Page::Simulation => "Simulate",
            Page::Projections => "Projections",
            Page::Schema => "Schema",
            Page::Participants => "Conflicts",
            Page::Charts => "Charts",
            Page::System => "System",
            Page::Lifecycle => "Lifecycle",
        }
    }

    /// The page's full name, for the tab's accessible label.
    pub fn name(self) -> &'static str {
        match self {
            Page::Workspace => "Workspace",
            Page::Simulation => "Simulation",
            Page::Projections => "Projections lab",
            Page::Schema => "Schema lab",
            Page::Participants => "Two participants",
            Page::Charts => "Charts",
            Page::System => "System map",
            Page::Lifecycle => "Data lifecycle",
        }
    }
}

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

/// Which way presenter mode moves through the panels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// To the next panel, from the last back to the first.
    Next,
    /// To the previous panel, from the first to the last.
    Previous,
}
