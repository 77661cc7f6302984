//! The given / when / then harness of the tests, built on the spec runner users see
//! (`sim::spec::run`): `given(&model, [events]).when(stream, command, data).then([events])`,
//! `then_nothing()`, `then_rejected("why")` or `then_error(error)`; `.at(now)` sets the clock
//! the command is handled at.
//!
//! Each `then…` writes the example as a decider spec, exactly as a user would in a scenario, and
//! runs it: the given events get their envelopes, the `when` stream's history is upcast and folded
//! with `evolve`, the command decided and the outcome compared with the expectation. A failure
//! panics with the runner's diff (`- expected`, `+ actual`) or error, at the test's line
//! (`#[track_caller]`).

use eventarium::model::{DeciderSpec, ExpectedEvent, GivenEvent, Model, Scenario, Spec, Then, When, WhenMetadata};
use eventarium::script::{Limits, Sandbox};
use eventarium::sim::spec::{self, SpecReport, Verdict};
use eventarium::sim::Error;
use serde_json::Value;

/// An event already stored in `stream`, at its type's current schema version.
pub fn event(stream: &str, event_type: &str, data: Value) -> GivenEvent {
    GivenEvent {
        stream: stream.to_owned(),
        event_type: event_type.to_owned(),
        version: None,
        data,
    }
}

/// An event already stored in `stream` at schema version `version`, to be upcast when read.
pub fn event_at(stream: &str, event_type: &str, version: u32, data: Value) -> GivenEvent {
    GivenEvent {
        version: Some(version),
        ..event(stream, event_type, data)
    }
}

/// The events already stored, in the order they were appended, for `model`'s deciders.
pub fn given(model: &Model, events: impl IntoIterator<Item = GivenEvent>) -> Given<'_> {
    Given {
        model,
        events: events.into_iter().collect(),
    }
}

/// What is stored before the command.
pub struct Given<'m> {
    model: &'m Model,
    events: Vec<GivenEvent>,
}

impl<'m> Given<'m> {
    /// The command `command` with payload `data`, sent to `stream`.
    pub fn when(self, stream: &str, command: &str, data: Value) -> Case<'m> {
        Case {
            name: format!("{command} on {stream}"),
            given: self,
            when: When {
                stream: stream.to_owned(),
                command: command.to_owned(),
                data,
                metadata: WhenMetadata::default(),
            },
        }
    }
}

/// Given events and a command: what remains is what should happen.
pub struct Case<'m> {
    name: String,
    given: Given<'m>,
    when: When,
}

impl Case<'_> {
    /// Names the case in failure messages (`<command> on <stream>` otherwise).
    pub fn named(self, name: &str) -> Self {
        Case {
            name: name.to_owned(),
            ..self
        }
    }

    /// The command is handled with the simulated clock at `now` (ms), as `decide` reads it in
    /// `command.metadata.now`.
    pub fn at(mut self, now: i64) -> Self {
        self.when.metadata.now = Some(now);
        self
    }

    /// The command is accepted with exactly these events `(type, data)`, in order; the data is
    /// compared after the defaults of the type's current schema are filled in.
    #[track_caller]
    pub fn then<'t>(self, events: impl IntoIterator<Item = (&'t str, Value)>) {
        let expected = events
            .into_iter()
            .map(|(event_type, data)| ExpectedEvent {
                event_type: event_type.to_owned(),
                data,
            })
            .collect();
        self.passes(Then::Events(expected));
    }

    /// The command is accepted and changes nothing: no events.
    #[track_caller]
    pub fn then_nothing(self) {
        self.passes(Then::Nothing);
    }

    /// The command is rejected with exactly `message`. The runner's own check (the message
    /// contains the text, what users write) must pass, and the outcome it reports when asked for
    /// no events must be this very message.
    #[track_caller]
    pub fn then_rejected(self, message: &str) {
        self.passes(Then::Rejected(message.to_owned()));
        let exact = format!("- (no events)\n+ rejected: {message:?}");
        let report = self.run(Then::Nothing);
        assert_eq!(
            report.verdict,
            Verdict::Failed { diff: exact },
            "{}: rejected with exactly {message:?}",
            report.name
        );
    }

    /// Handling the command fails with `error` (a script, payload or model error): the spec errs.
    #[track_caller]
    pub fn then_error(self, error: Error) {
        let report = self.run(Then::Nothing);
        assert_eq!(report.verdict, Verdict::Errored(error), "{}: the error", report.name);
    }

    #[track_caller]
    fn passes(&self, then: Then) {
        let report = self.run(then);
        match report.verdict {
            Verdict::Passed => {}
            Verdict::Failed { diff } => panic!("{} failed:\n{diff}", report.name),
            Verdict::Errored(error) => panic!("{} errored: {error}", report.name),
        }
    }

    fn run(&self, then: Then) -> SpecReport {
        let spec = Spec::Decider(DeciderSpec {
            name: self.name.clone(),
            given: self.given.events.clone(),
            when: self.when.clone(),
            then,
        });
        let scenario = Scenario {
            model: self.given.model.clone(),
            ..Scenario::default()
        };
        spec::run(&scenario, &spec, &mut Sandbox::new(Limits::default(), 0))
    }
}
