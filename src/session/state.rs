//! Everything the page holds besides the [`Workspace`](super::Workspace): which page and panels
//! show, what is selected, the draft in the editor and its problems, the delete being confirmed,
//! the notices, the labs' selections and the generator's and time travel's controls. One
//! [`State`], changed only by [`State::reduce`] with an [`Action`]; plain data, so every
//! transition is tested natively. The workspace changes elsewhere and says so with
//! [`Action::WorkspaceChanged`], which moves [`State::revision`] on.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::Value;

use super::page::{Page, Panel, Step};
use super::{Draft, SendOutcome, StreamOrder, Submission, Traced, LISTED, LISTED_MORE};
use crate::lint::{Finding, Subject};
use crate::model::edit::{Dependent, Kind};
use crate::model::Problem;
use crate::sim::spec::SpecReport;
use crate::sim::Decision;

/// One side of the two-participants lab.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Participant {
    /// What they sent to decide.
    pub submission: Option<Submission>,
    /// Their decision, not appended yet.
    pub decision: Option<Decision>,
    /// What their last decision or append did.
    pub outcome: Option<SendOutcome>,
}

/// A delete the user is asked to confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingDelete {
    /// The kind of definition.
    pub kind: Kind,
    /// Its index among its kind.
    pub index: usize,
    /// What it is, for the messages: `command AddNote`.
    pub what: String,
    /// What goes or changes with it.
    pub dependents: Vec<Dependent>,
    /// How many stored events have its type (event types only).
    pub stored: u64,
}

/// The load generator's controls.
#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    /// Its definition, as JSON.
    pub definition: Value,
    /// Its seed.
    pub seed: u64,
    /// Commands per tick at most.
    pub speed: usize,
    /// Whether it plays.
    pub playing: bool,
    /// What was wrong with the last start.
    pub problems: Vec<Problem>,
}

/// The system page's clock when it plays: how fast, and whether messages are drawn moving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemClock {
    /// Whether the simulated clock moves by itself.
    pub playing: bool,
    /// Simulated ms per real ms: 1 is real time.
    pub speed: u32,
    /// Whether messages are drawn moving along the map's arrows.
    pub animate: bool,
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock {
            playing: false,
            speed: 1,
            animate: true,
        }
    }
}

/// What the page starts with, read from the browser and the workspace when it opens.
#[derive(Debug, Clone, Default)]
pub struct Start {
    /// Why the saved work could not be used, if it could not.
    pub notice: Option<String>,
    /// Whether nothing was ever saved: the scenario picker shows.
    pub first_start: bool,
    /// The draft that was being edited, with its problems.
    pub draft: Option<(Draft, Vec<Problem>)>,
    /// The generator the model suggests.
    pub generator: Value,
    /// The scenario's seed.
    pub seed: u64,
    /// The workspace's findings.
    pub findings: Vec<Finding>,
}

/// The commands per tick a generator starts with.
pub const DEFAULT_SPEED: usize = 10;

/// Everything the page holds; see the module's documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// How many times the workspace changed: what reads of it depend on. First, so that
    /// comparing two states usually stops here.
    pub revision: u64,
    /// The page under the header.
    pub page: Page,
    collapsed: Vec<Panel>,
    /// Whether the keyboard help shows.
    pub help: bool,
    /// Whether the list of kept workspaces shows.
    pub workspaces: bool,
    /// Whether the Share dialog shows.
    pub sharing: bool,
    /// Whether the command palette shows.
    pub palette: bool,
    /// Whether presenter mode is on: larger type, high contrast, one panel at a time.
    pub presenter: bool,
    /// The panel presenter mode shows, an index into [`Panel::ALL`].
    focus: usize,
    /// Whether the first-start scenario picker shows.
    pub picking: bool,
    /// A lasting notice (a save that could not be read or written).
    pub notice: Option<String>,
    /// The status line: what a save, a delete or a new version did.
    pub status: Option<String>,
    /// A file that could not be imported, with its problems.
    pub import_problems: Option<(String, Vec<String>)>,
    /// The stream filter as typed.
    pub filter: String,
    /// The order of each category's streams in the list.
    pub stream_order: StreamOrder,
    /// How many streams each category lists.
    pub listed: usize,
    /// The stream whose timeline shows.
    pub selected_stream: Option<String>,
    /// The event the inspector shows, by global position.
    pub selected_event: Option<u64>,
    /// What the console's last command did.
    pub outcome: Option<SendOutcome>,
    /// The specs' last verdicts.
    pub spec_reports: Option<Rc<Vec<SpecReport>>>,
    /// The definition open in the editor.
    pub editor: Option<Rc<Draft>>,
    /// The draft's problems, from its last check or a refused save.
    pub draft_problems: Rc<Vec<Problem>>,
    /// The delete waiting for the user's answer.
    pub pending_delete: Option<PendingDelete>,
    /// The projection the projections lab shows.
    pub lab_selected: Option<String>,
    /// Why the lab's last action failed.
    pub lab_error: Option<String>,
    /// Events per second of the last projection step.
    pub rate: Option<f64>,
    /// The event type the schema lab shows, by index.
    pub schema_selected: usize,
    /// Both sides of the two-participants lab.
    pub participants: Rc<[Participant; 2]>,
    /// The load generator's controls.
    pub generator: Generator,
    /// The system page's clock.
    pub system_clock: SystemClock,
    /// The position time travel shows, `None` for now.
    pub travel: Option<u64>,
    /// The read model time travel shows, `None` for the first.
    pub travel_projection: Option<String>,
    /// The correlation whose causal graph the system page shows.
    pub traced: Option<Traced>,
    /// The stream type the lifecycle page offers to close the books of, as a warning asked.
    pub books_target: Option<String>,
    /// The workspace's findings as of [`State::revision`].
    pub findings: Rc<Vec<Finding>>,
    /// Findings seen before that no longer hold.
    pub resolved: Rc<Vec<Finding>>,
    seen: Rc<BTreeMap<String, Finding>>,
}

/// What changes the [`State`].
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show another page.
    ShowPage(Page),
    /// Show the lifecycle page with closing the books of this stream type offered.
    CloseTheBooks(String),
    /// Collapse an open panel, or open a collapsed one.
    TogglePanel(Panel),
    /// Open a panel (collapsed or not).
    OpenPanel(Panel),
    /// Show the keyboard help, or hide it.
    ToggleHelp,
    /// Show the list of kept workspaces, or hide it.
    ToggleWorkspaces,
    /// Show the Share dialog, or hide it.
    ToggleShare,
    /// Show the command palette, or hide it.
    TogglePalette,
    /// Hide the keyboard help and the command palette.
    CloseOverlays,
    /// Turn presenter mode on or off.
    TogglePresenter,
    /// In presenter mode, show the next or the previous panel.
    Focus(Step),
    /// A lasting notice for the user.
    Notice(String),
    /// Dismiss the lasting notice.
    DismissNotice,
    /// A message for the status line.
    Status(String),
    /// Dismiss the status line.
    DismissStatus,
    /// A file could not be imported: its name and its problems.
    ImportFailed(String, Vec<String>),
    /// Close the list of import problems.
    CloseImportProblems,
    /// The workspace was replaced: what was selected in the old one goes.
    Replaced,
    /// Close the first-start scenario picker.
    ClosePicker,
    /// Filter the streams (listing the first few of each category again).
    Filter(String),
    /// List each category's streams in another order (listing the first few again).
    OrderStreams(StreamOrder),
    /// List more streams per category.
    MoreStreams,
    /// Show a stream's timeline.
    SelectStream(String),
    /// Inspect an event.
    SelectEvent(u64),
    /// Show a correlation's causal graph on the system page.
    Trace(Traced),
    /// The console sent a command.
    Sent(SendOutcome),
    /// Specs ran: all of them, or the one named, whose line alone is replaced.
    SpecsRan(Option<String>, Vec<SpecReport>),
    /// Open the editor on a draft, with its problems.
    OpenDraft(Draft, Vec<Problem>),
    /// The draft as the user changed it.
    EditDraft(Draft),
    /// The draft's problems, from a check or a refused save.
    DraftProblems(Vec<Problem>),
    /// Close the editor.
    CloseEditor,
    /// The draft was saved (or a blue-green build started): the status line says what it did.
    Saved(String),
    /// Ask the user to confirm a delete.
    AskDelete(PendingDelete),
    /// The user did not want the delete.
    CancelDelete,
    /// The delete was done: the status line says what it did.
    Deleted(String),
    /// The delete was refused with these problems; the draft stays open.
    DeleteRefused(Vec<Problem>),
    /// Show a finding's subject: a stream, a category, a projection; the rest go to the workspace.
    ShowSubject(Subject),
    /// Show a projection in the projections lab.
    SelectProjection(String),
    /// What the lab's last action did.
    LabDone(Result<(), String>),
    /// Events per second of the last projection step.
    Rate(f64),
    /// Show an event type in the schema lab.
    SelectEventType(usize),
    /// A participant's side (0 or 1) after their move.
    Moved(usize, Box<Participant>),
    /// A new generator definition.
    SetGenerator(Value),
    /// A new seed.
    SetSeed(u64),
    /// Commands per tick.
    SetSpeed(usize),
    /// The generator was started (then it plays), or refused with these problems.
    Started(Result<(), Vec<Problem>>),
    /// Play the generator.
    Play,
    /// Pause the generator, or note that its run is over.
    Pause,
    /// Let the system's simulated clock move by itself, or stop it.
    PlaySystem(bool),
    /// The system clock's speed: simulated ms per real ms.
    SystemSpeed(u32),
    /// Draw messages moving along the map's arrows, or not.
    AnimateMessages(bool),
    /// Travel to a position, or back to now.
    Travel(Option<u64>),
    /// The read model time travel shows.
    TravelProjection(String),
    /// The workspace changed; these are its findings now.
    WorkspaceChanged(Rc<Vec<Finding>>),
}

impl State {
    /// The state a page opens with.
    pub fn new(start: Start) -> State {
        let (editor, problems) = match start.draft {
            Some((draft, problems)) => (Some(Rc::new(draft)), problems),
            None => (None, Vec::new()),
        };
        let mut state = State {
            page: Page::Workspace,
            collapsed: Vec::new(),
            help: false,
            workspaces: false,
            sharing: false,
            palette: false,
            presenter: false,
            focus: 0,
            picking: start.first_start,
            notice: start.notice,
            status: None,
            import_problems: None,
            filter: String::new(),
            stream_order: StreamOrder::default(),
            listed: LISTED,
            selected_stream: None,
            selected_event: None,
            outcome: None,
            spec_reports: None,
            editor,
            draft_problems: Rc::new(problems),
            pending_delete: None,
            lab_selected: None,
            lab_error: None,
            rate: None,
            schema_selected: 0,
            participants: Rc::default(),
            generator: Generator {
                definition: start.generator,
                seed: start.seed,
                speed: DEFAULT_SPEED,
                playing: false,
                problems: Vec::new(),
            },
            system_clock: SystemClock::default(),
            travel: None,
            travel_projection: None,
            books_target: None,
            traced: None,
            revision: 0,
            findings: Rc::default(),
            resolved: Rc::default(),
            seen: Rc::default(),
        };
        state.note_findings(Rc::new(start.findings));
        state
    }

    /// Whether a panel shows its body.
    pub fn is_open(&self, panel: Panel) -> bool {
        !self.collapsed.contains(&panel)
    }

    /// How many panels are open.
    pub fn open_count(&self) -> usize {
        Panel::ALL.iter().filter(|p| self.is_open(**p)).count()
    }

    /// The panel presenter mode shows.
    pub fn focused(&self) -> Panel {
        Panel::ALL[self.focus % Panel::ALL.len()]
    }

    /// The panels the workspace shows: all of them, or in presenter mode the focused one.
    pub fn shown_panels(&self) -> Vec<Panel> {
        Panel::ALL
            .into_iter()
            .filter(|p| !self.presenter || *p == self.focused())
            .collect()
    }

    /// The state after `action`.
    pub fn reduce(mut self, action: Action) -> State {
        match action {
            Action::ShowPage(page) => self.page = page,
            Action::CloseTheBooks(stream_type) => {
                self.page = Page::Lifecycle;
                self.books_target = Some(stream_type);
            }
            Action::TogglePanel(panel) => self.toggle(panel),
            Action::OpenPanel(panel) => self.collapsed.retain(|p| *p != panel),
            Action::ToggleHelp => self.help = !self.help,
            Action::ToggleWorkspaces => self.workspaces = !self.workspaces,
            Action::ToggleShare => self.sharing = !self.sharing,
            Action::TogglePalette => self.palette = !self.palette,
            Action::CloseOverlays => {
                (self.help, self.palette, self.workspaces, self.sharing) = (false, false, false, false);
            }
            Action::TogglePresenter => self.presenter = !self.presenter,
            Action::Focus(step) => self.step_focus(step),
            Action::Notice(message) => self.notice = Some(message),
            Action::DismissNotice => self.notice = None,
            Action::Status(message) => self.status = Some(message),
            Action::DismissStatus => self.status = None,
            Action::ImportFailed(file, problems) => self.import_problems = Some((file, problems)),
            Action::CloseImportProblems => self.import_problems = None,
            Action::Replaced => self.replaced(),
            Action::ClosePicker => self.picking = false,
            Action::Filter(text) => (self.filter, self.listed) = (text, LISTED),
            Action::OrderStreams(order) => (self.stream_order, self.listed) = (order, LISTED),
            Action::MoreStreams => self.listed += LISTED_MORE,
            Action::SelectStream(id) => self.selected_stream = Some(id),
            Action::SelectEvent(position) => self.selected_event = Some(position),
            Action::Trace(traced) => (self.traced, self.page) = (Some(traced), Page::System),
            Action::Sent(outcome) => self.sent(outcome),
            Action::SpecsRan(only, reports) => self.specs_ran(only.as_deref(), reports),
            Action::ShowSubject(subject) => self.show_subject(subject),
            action => return self.reduce_editor(action),
        }
        self
    }

    fn reduce_editor(mut self, action: Action) -> State {
        match action {
            Action::OpenDraft(draft, problems) => {
                self.editor = Some(Rc::new(draft));
                self.draft_problems = Rc::new(problems);
            }
            Action::EditDraft(draft) => self.editor = Some(Rc::new(draft)),
            Action::DraftProblems(problems) => self.draft_problems = Rc::new(problems),
            Action::CloseEditor => self.editor = None,
            Action::Saved(message) | Action::Deleted(message) => {
                self.status = Some(message);
                self.editor = None;
            }
            Action::AskDelete(pending) => self.pending_delete = Some(pending),
            Action::CancelDelete => self.pending_delete = None,
            Action::DeleteRefused(problems) => self.delete_refused(problems),
            action => return self.reduce_labs(action),
        }
        self
    }

    fn reduce_labs(mut self, action: Action) -> State {
        match action {
            Action::SelectProjection(name) => self.lab_selected = Some(name),
            Action::LabDone(result) => self.lab_error = result.err(),
            Action::Rate(rate) => self.rate = Some(rate),
            Action::SelectEventType(index) => self.schema_selected = index,
            Action::Moved(side, participant) => {
                if let Some(me) = Rc::make_mut(&mut self.participants).get_mut(side) {
                    *me = *participant;
                }
            }
            Action::SetGenerator(definition) => self.generator.definition = definition,
            Action::SetSeed(seed) => self.generator.seed = seed,
            Action::SetSpeed(speed) => self.generator.speed = speed,
            Action::Started(Ok(())) => (self.generator.problems, self.generator.playing) = (Vec::new(), true),
            Action::Started(Err(problems)) => self.generator.problems = problems,
            Action::Play => self.generator.playing = true,
            Action::Pause => self.generator.playing = false,
            Action::PlaySystem(playing) => self.system_clock.playing = playing,
            Action::SystemSpeed(speed) => self.system_clock.speed = speed.max(1),
            Action::AnimateMessages(animate) => self.system_clock.animate = animate,
            Action::Travel(position) => self.travel = position,
            Action::TravelProjection(name) => self.travel_projection = Some(name),
            Action::WorkspaceChanged(findings) => {
                self.revision += 1;
                self.note_findings(findings);
            }
            // Every other action is reduced above.
            _ => {}
        }
        self
    }

    fn toggle(&mut self, panel: Panel) {
        if let Some(i) = self.collapsed.iter().position(|p| *p == panel) {
            self.collapsed.remove(i);
        } else {
            self.collapsed.push(panel);
        }
    }

    /// Moves presenter mode's focus; a collapsed panel opens when it gets the focus.
    fn step_focus(&mut self, step: Step) {
        let n = Panel::ALL.len();
        self.focus = match step {
            Step::Next => (self.focus + 1) % n,
            Step::Previous => (self.focus + n - 1) % n,
        };
        let focused = self.focused();
        self.collapsed.retain(|p| *p != focused);
    }

    fn replaced(&mut self) {
        self.editor = None;
        self.spec_reports = None;
        self.outcome = None;
        self.selected_stream = None;
        self.selected_event = None;
        self.traced = None;
        self.notice = None;
        self.system_clock.playing = false;
        // Another scenario's findings are not resolved by this one.
        self.seen = Rc::default();
        self.resolved = Rc::default();
        self.books_target = None;
    }

    /// An append selects its stream.
    fn sent(&mut self, outcome: SendOutcome) {
        if let SendOutcome::Appended { stream_id, .. } = &outcome {
            self.selected_stream = Some(stream_id.clone());
        }
        self.outcome = Some(outcome);
    }

    /// Running one spec again replaces its line and keeps the others'.
    fn specs_ran(&mut self, only: Option<&str>, mut reports: Vec<SpecReport>) {
        if let (Some(name), Some(previous)) = (only, &self.spec_reports) {
            let fresh = reports.pop();
            reports = previous
                .iter()
                .map(|r| match &fresh {
                    Some(fresh) if r.name == name => fresh.clone(),
                    _ => r.clone(),
                })
                .collect();
        }
        self.spec_reports = Some(Rc::new(reports));
    }

    fn delete_refused(&mut self, mut problems: Vec<Problem>) {
        let what = self.pending_delete.take().map(|p| p.what).unwrap_or_default();
        let first = format!("{what} was not deleted: fix what still needs it first");
        problems.insert(0, Problem::new("", first));
        self.draft_problems = Rc::new(problems);
    }

    /// A stream opens its timeline, a category the stream list, a projection the lab; a
    /// definition's editor is opened by the caller, who can read the model.
    fn show_subject(&mut self, subject: Subject) {
        match subject {
            Subject::Stream { id } => {
                // Filtered to it, so that among thousands of streams it is the one listed.
                (self.filter, self.listed) = (id.clone(), LISTED);
                self.selected_stream = Some(id);
                self.collapsed.retain(|p| *p != Panel::Streams);
                self.page = Page::Workspace;
            }
            Subject::Projection { name } => {
                self.lab_selected = Some(name);
                self.page = Page::Projections;
            }
            Subject::EventType { .. }
            | Subject::Field { .. }
            | Subject::Command { .. }
            | Subject::StreamType { .. }
            | Subject::Policy { .. } => {}
            Subject::Category { .. } => {
                self.page = Page::Workspace;
                self.collapsed.retain(|p| *p != Panel::Streams);
                self.selected_stream = None;
            }
            Subject::Upcaster { .. } => self.page = Page::Workspace,
            // The system has no page yet: its findings say where they are.
            Subject::Module { .. } | Subject::Contract { .. } | Subject::Consumer { .. } | Subject::Process { .. } => {}
        }
    }

    /// Keeps every finding seen, to list those that no longer hold as resolved.
    fn note_findings(&mut self, findings: Rc<Vec<Finding>>) {
        let seen = Rc::make_mut(&mut self.seen);
        for finding in findings.iter() {
            seen.insert(finding.id.clone(), finding.clone());
        }
        let now: std::collections::HashSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        let resolved = seen
            .values()
            .filter(|f| !now.contains(f.id.as_str()))
            .cloned()
            .collect();
        self.resolved = Rc::new(resolved);
        self.findings = findings;
    }
}
