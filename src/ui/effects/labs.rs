//! The labs' effects: the projections lab's actions, the schema lab's next version, the two
//! participants' moves, the generator's controls, a finding's "Show", and the chunks of work
//! the timers do.

use gloo::timers::callback::Timeout;

use crate::lint::Subject;
use crate::model::edit::{self, Kind};
use crate::model::Problem;
use crate::session::{Action, Draft, Generator, Participant, Workspace};
use crate::ui::components::{Control, Evolution, LabAction, Move, HOLD_MS};
use crate::ui::hooks::Worked;
use crate::ui::state::Handle;
use crate::ui::storage;

impl Handle {
    /// Does what the projections lab asked for a projection.
    pub fn lab(&self, name: String, action: LabAction) {
        let mut workspace = self.workspace.borrow_mut();
        let index = workspace
            .scenario()
            .model
            .projections
            .iter()
            .position(|p| p.name == name);
        let result = match action {
            LabAction::Select => {
                self.dispatch(Action::SelectProjection(name.clone()));
                Ok(())
            }
            LabAction::Rebuild => workspace.rebuild(&name).map(drop),
            LabAction::Switch => workspace.switch_blue_green(&name),
            LabAction::Cancel => workspace.cancel_blue_green(&name),
            LabAction::Skip => workspace.skip(&name).map(drop),
            LabAction::Crash => workspace.crash_projection(&name),
            LabAction::Checkpoint(checkpointing) => workspace.set_checkpointing(&name, checkpointing),
            LabAction::Gaps(gaps) => workspace.set_gaps(&name, gaps),
            LabAction::HoldNextWrite => workspace.hold_next_write(HOLD_MS),
            LabAction::RebuildWith(fault) => workspace.rebuild_with(&name, fault).map(drop),
            LabAction::Guards(on) => {
                workspace.set_rebuild_guards(on);
                Ok(())
            }
            LabAction::CommitInFlight => {
                workspace.commit_in_flight();
                Ok(())
            }
            LabAction::Edit | LabAction::BlueGreen => Ok(()),
        };
        drop(workspace);
        match (action, index) {
            (LabAction::Edit, Some(index)) => self.fix_handler(&name, index),
            (LabAction::BlueGreen, Some(index)) => self.open_next_version(index),
            _ => {}
        }
        self.dispatch(Action::LabDone(result.map_err(|error| error.to_string())));
        self.changed();
    }

    /// Opens the next version of a projection in the editor, to build beside the running one.
    fn open_next_version(&self, index: usize) {
        let item = edit::get(self.workspace.borrow().scenario(), Kind::Projection, index);
        if let Some(mut item) = item {
            let version = item["version"].as_u64().unwrap_or(1);
            item["version"] = serde_json::json!(version + 1);
            self.open_draft(Draft {
                kind: Kind::Projection,
                index: Some(index),
                item,
                blue_green: true,
            });
        }
    }

    /// The problems of a next schema version and its upcaster, without adding them.
    pub fn check_evolution(&self, (index, version, upcaster): Evolution) -> Vec<crate::model::Problem> {
        self.workspace.borrow().check_version(index, version, upcaster)
    }

    /// Adds a next schema version with its upcaster, or says what refused it.
    pub fn add_evolution(&self, (index, version, upcaster): Evolution) -> Result<(), Vec<crate::model::Problem>> {
        let number = version["version"].clone();
        self.workspace.borrow_mut().add_version(index, version, upcaster)?;
        let name = edit::names(self.workspace.borrow().scenario(), Kind::EventType)
            .get(index)
            .cloned()
            .unwrap_or_default();
        self.dispatch(Action::Status(format!("Added {name} v{number} with its upcaster.")));
        self.changed();
        Ok(())
    }

    /// Makes a participant's move: decide, append the decision, or retry.
    pub fn move_participant(&self, me: &Participant, side: usize, step: Move) {
        let mut me = me.clone();
        let mut workspace = self.workspace.borrow_mut();
        let decide = |ws: &mut Workspace, s: &crate::session::Submission| {
            ws.decide(&s.command, &s.stream_id, s.data.clone(), s.expected)
        };
        match step {
            Move::Decide(submission) => {
                match decide(&mut workspace, &submission) {
                    Ok(decision) => (me.decision, me.outcome) = (Some(decision), None),
                    Err(failed) => me.outcome = Some(failed),
                }
                me.submission = Some(submission);
            }
            Move::Append => {
                if let Some(decision) = me.decision.take() {
                    me.outcome = Some(workspace.commit(&decision));
                }
            }
            Move::Retry => {
                if let Some(submission) = me.submission.clone() {
                    me.outcome = Some(match decide(&mut workspace, &submission) {
                        Ok(decision) => workspace.commit(&decision),
                        Err(failed) => failed,
                    });
                }
            }
        }
        drop(workspace);
        self.dispatch(Action::Moved(side, Box::new(me)));
        self.changed();
    }

    /// Does what the generator's controls asked; `generator` is as the page shows it.
    pub fn control(&self, control: Control, generator: &Generator) {
        let action = match control {
            Control::Generator(value) => {
                storage::save_generator(Some(&value));
                Action::SetGenerator(value)
            }
            Control::Seed(value) => Action::SetSeed(value),
            Control::Speed(value) => Action::SetSpeed(value),
            Control::Travel(position) => Action::Travel(position),
            Control::TravelProjection(name) => Action::TravelProjection(name),
            Control::Start => {
                let started = self
                    .workspace
                    .borrow_mut()
                    .start_load(generator.definition.clone(), generator.seed);
                Action::Started(started.map(drop).map_err(|error| error.problems()))
            }
            Control::Play | Control::Pause => {
                let pause = control == Control::Pause;
                let mut workspace = self.workspace.borrow_mut();
                // With no run to pause or resume, the controls only show the state asked for.
                let _ = if pause {
                    workspace.pause_load()
                } else {
                    workspace.resume_load()
                };
                if pause {
                    Action::Pause
                } else {
                    Action::Play
                }
            }
            Control::Step => {
                // With no run, a step does nothing and the page stays as it is.
                let _ = self.workspace.borrow_mut().step_load();
                self.changed();
                return;
            }
        };
        let changes = matches!(action, Action::Started(_) | Action::Play | Action::Pause);
        self.dispatch(action);
        if changes {
            self.changed();
        }
    }

    /// Opens a stopped projection's definition with the error it stopped on marked at its line
    /// (the script editor goes to it).
    fn fix_handler(&self, name: &str, index: usize) {
        let (item, poison) = {
            let workspace = self.workspace.borrow();
            let item = edit::get(workspace.scenario(), Kind::Projection, index);
            (item, workspace.projection(name).ok().and_then(|status| status.poison))
        };
        let Some(item) = item else { return };
        let marked = poison.map(|poison| {
            let at = format!("{}[{index}].logic.script", Kind::Projection.path());
            let why = format!(
                "stopped at position {} ({} in {}): {}",
                poison.position, poison.event_type, poison.stream_id, poison.error
            );
            Problem::new(at, why).at(poison.line, poison.column)
        });
        let draft = Draft {
            kind: Kind::Projection,
            index: Some(index),
            item,
            blue_green: false,
        };
        self.open_draft_marked(draft, marked.into_iter().collect());
    }

    /// Shows a finding's subject: a definition in its editor, the rest where the page lists it.
    pub fn show(&self, subject: Subject) {
        match &subject {
            Subject::EventType { name } | Subject::Field { event_type: name, .. } => {
                self.edit_named(Kind::EventType, name);
            }
            Subject::Command { name } => self.edit_named(Kind::Command, name),
            Subject::StreamType { name } => self.edit_named(Kind::StreamType, name),
            Subject::Policy { name } => self.edit_named(Kind::Policy, name),
            _ => {}
        }
        let stream = matches!(subject, Subject::Stream { .. });
        self.dispatch(Action::ShowSubject(subject));
        if stream {
            // After the page has drawn the timeline: bring it into view.
            Timeout::new(0, || {
                let timeline = gloo::utils::document().query_selector(".timeline").ok().flatten();
                if let Some(timeline) = timeline {
                    timeline.scroll_into_view();
                }
            })
            .forget();
        }
    }

    /// Steps the projections that are behind by at most `max` events each.
    pub fn step_projections(&self, max: usize) -> Worked {
        let report = self.workspace.borrow_mut().step(max);
        let items = usize::try_from(report.events).unwrap_or(usize::MAX);
        Worked {
            items,
            over: items == 0,
        }
    }

    /// Sends at most `max` commands of the playing generator.
    pub fn tick_load(&self, max: usize) -> Worked {
        let report = self.workspace.borrow_mut().tick_load(max);
        Worked {
            items: report.as_ref().map_or(0, |r| r.commands),
            over: report.as_ref().map_or(true, |r| r.done),
        }
    }
}
