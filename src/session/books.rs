//! Closing the books as a guided refactor: what giving a stream type periods changes in the model,
//! previewed, then applied in one step with the existing streams closed; and each period stream
//! type's tracker, "where did each stream's last period end".

use serde::Serialize;
use serde_json::{json, Value};

use super::{Result, Workspace};
use crate::model::edit::Edited;
use crate::model::{
    period_of, period_stream, EventType, Field, FieldType, Lifecycle, PeriodEnd, Periods, Problem, Projection,
    ProjectionLogic, Scenario, SchemaVersion, Source, Visibility,
};
use crate::sim::{line_diff, BooksClosed};

/// What the refactor would change, as the page shows it before it is applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BooksPlan {
    /// The stream type.
    pub stream_type: String,
    /// The event type that ends a period.
    pub closed_event: String,
    /// The event type that starts the next one.
    pub opened_event: String,
    /// The tracker projection.
    pub tracker: String,
    /// When a period closes, in words.
    pub close_after: String,
    /// Each change, in words.
    pub changes: Vec<String>,
    /// The stream type's definition before and after, as a line diff (`+ `, `- `, `  `).
    pub diff: String,
    /// The existing streams that are closed when it is applied (period 0 of each).
    pub streams_to_close: u64,
}

/// What applying the refactor did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BooksApplied {
    /// The plan that was applied.
    pub plan: BooksPlan,
    /// The existing streams closed, each with the period it opened.
    pub closed: Vec<BooksClosed>,
    /// Streams that could not be closed (archived, deleted), with why.
    pub not_closed: Vec<(String, String)>,
}

/// One period stream type's tracker, as the lifecycle page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BooksView {
    /// The stream type.
    pub stream_type: String,
    /// When its periods close, in words.
    pub close_after: String,
    /// Its bases, each with its open period, first ones by id.
    pub bases: Vec<OpenPeriod>,
    /// How many bases it has.
    pub bases_total: usize,
}

/// A base stream's open period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenPeriod {
    /// The base stream, e.g. `register-7`.
    pub base: String,
    /// The open period's number and stream.
    pub period: u64,
    /// Its stream.
    pub stream: String,
    /// Events in it so far.
    pub events: u64,
}

/// How much of an unchanged line a plan's diff shows.
const CONTEXT_CHARS: usize = 72;

/// How many bases a tracker lists.
pub const BOOKS_LISTED: usize = 12;

impl Workspace {
    /// What giving `stream_type` periods that close `close_after` would change; the problems of
    /// the changed model when it would not be sound.
    pub fn books_plan(
        &self,
        stream_type: &str,
        close_after: PeriodEnd,
    ) -> std::result::Result<BooksPlan, Vec<Problem>> {
        let (_, plan) = self.books_edit(stream_type, close_after)?;
        Ok(plan)
    }

    /// Applies [`Workspace::books_plan`]: the model changes, then the books of every existing
    /// stream of the type are closed, so their next commands start period 1 from the state they
    /// ended with. Nothing changes on a problem.
    pub fn close_the_books(
        &mut self,
        stream_type: &str,
        close_after: PeriodEnd,
    ) -> std::result::Result<BooksApplied, Vec<Problem>> {
        let (scenario, plan) = self.books_edit(stream_type, close_after)?;
        self.apply(Edited {
            scenario,
            index: 0,
            changed: Vec::new(),
        })?;
        let (mut closed, mut not_closed) = (Vec::new(), Vec::new());
        for base in self.unclosed_bases(stream_type) {
            match self.services.main.close_books(&base) {
                Ok(done) => closed.push(done),
                Err(error) => not_closed.push((base, error.to_string())),
            }
        }
        Ok(BooksApplied {
            plan,
            closed,
            not_closed,
        })
    }

    /// Closes the open period of `base` now (any stream id of it will do).
    pub fn close_books(&mut self, base: &str) -> Result<BooksClosed> {
        Ok(self.services.main.close_books(base)?)
    }

    /// The tracker of every stream type with periods.
    pub fn books_view(&self) -> Vec<BooksView> {
        let runtime = &self.services.main;
        let store = runtime.store();
        self.scenario
            .model
            .stream_types
            .iter()
            .filter_map(|stream_type| {
                let periods = stream_type.periods.as_ref()?;
                let mut bases: Vec<&str> = store
                    .each_stream()
                    .map(|(id, _)| id)
                    .filter(|id| stream_type.owns(id))
                    .map(|id| period_of(id).0)
                    .collect();
                bases.sort_unstable();
                bases.dedup();
                let bases_total = bases.len();
                let bases = bases
                    .into_iter()
                    .take(BOOKS_LISTED)
                    .map(|base| {
                        let period = runtime.open_period(base);
                        let stream = period_stream(base, period);
                        let events = store.stream_stats(&stream).map_or(0, |s| s.events);
                        OpenPeriod {
                            base: base.to_owned(),
                            period,
                            stream,
                            events,
                        }
                    })
                    .collect();
                Some(BooksView {
                    stream_type: stream_type.name.clone(),
                    close_after: periods.close_after.words(),
                    bases,
                    bases_total,
                })
            })
            .collect()
    }

    /// The scenario with `stream_type` given periods, and the plan that says what changed.
    fn books_edit(
        &self,
        stream_type: &str,
        close_after: PeriodEnd,
    ) -> std::result::Result<(Scenario, BooksPlan), Vec<Problem>> {
        let mut scenario = self.scenario.clone();
        let model = &mut scenario.model;
        let (index, before) = model
            .stream_types
            .iter()
            .enumerate()
            .find(|(_, s)| s.name == stream_type)
            .map(|(i, s)| (i, s.clone()))
            .ok_or_else(|| {
                vec![Problem::new(
                    "streamType",
                    format!("unknown stream type {stream_type:?}"),
                )]
            })?;
        if before.periods.is_some() {
            return Err(vec![Problem::new(
                "streamType",
                format!("{stream_type} already closes its books"),
            )]);
        }
        let closed_event = format!("{stream_type}PeriodClosed");
        let opened_event = format!("{stream_type}PeriodOpened");
        let tracker = format!("{stream_type}Periods");
        let mut changes = Vec::new();
        for (name, what) in [(&closed_event, "ends a period"), (&opened_event, "starts the next one")] {
            if model.event_type(name).is_none() {
                model.event_types.push(period_event(name, what));
                changes.push(format!(
                    "adds the event type {name}, which {what}: {{ of, period, state }}, the state carried forward"
                ));
            }
        }
        let periods = Periods {
            closed_event: closed_event.clone(),
            opened_event: opened_event.clone(),
            close_after,
        };
        let category = before.category().to_owned();
        changes.push(format!(
            "{stream_type} streams live one period each ({category}-{{id}}:{{n}}) and close {}: the closing and the next opening are appended together, across the two streams",
            close_after.words()
        ));
        changes.push(format!(
            "commands to {category}-{{id}} go to its open period, which decides on the state carried forward"
        ));
        if model.projection(&tracker).is_none() {
            model
                .projections
                .push(tracker_projection(&tracker, &closed_event, &opened_event));
            changes.push(format!(
                "adds the inline projection {tracker}: per stream, its open period and where the last one ended"
            ));
        }
        let mut after = before.clone();
        after.periods = Some(periods);
        if let Some(definition) = model.stream_types.get_mut(index) {
            *definition = after.clone();
        }
        let streams_to_close = self.unclosed_bases(stream_type).len() as u64;
        if streams_to_close > 0 {
            changes.push(format!(
                "closes the books of the {streams_to_close} existing {category} streams now: each continues in period 1"
            ));
        }
        // The whole scenario is checked again, as an edit of any definition is.
        let scenario = Scenario::from_value(scenario.to_value())?;
        let problems = self.recorded_problems(&scenario);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok((
            scenario,
            BooksPlan {
                stream_type: stream_type.to_owned(),
                closed_event,
                opened_event,
                tracker,
                close_after: close_after.words(),
                changes,
                diff: json_diff(&json!(before), &json!(after)),
                streams_to_close,
            },
        ))
    }

    /// The base streams of `stream_type` written before it had periods (period 0), still open:
    /// not deleted, not archived, holding events and not followed by a period 1.
    fn unclosed_bases(&self, stream_type: &str) -> Vec<String> {
        let runtime = &self.services.main;
        let store = runtime.store();
        let Some(definition) = self.scenario.model.stream_type(stream_type) else {
            return Vec::new();
        };
        store
            .each_stream()
            .filter(|(id, stats)| {
                definition.owns(id)
                    && period_of(id).1 == 0
                    && !id.ends_with(":0")
                    && stats.events > 0
                    && !stats.tombstoned
                    && !stats.soft_deleted
                    && !stats.archived
                    && matches!(store.last_revision(&period_stream(id, 1)), Ok(None))
            })
            .map(|(id, _)| id.to_owned())
            .collect()
    }
}

/// A period event type: `{ of, period, state }`.
fn period_event(name: &str, what: &str) -> EventType {
    let fields = vec![
        Field::new("of", FieldType::Id),
        Field::new("period", FieldType::Int),
        Field::new("state", FieldType::Json),
    ];
    EventType {
        name: name.to_owned(),
        description: format!("Closing the books: {what}, carrying the state forward."),
        visibility: Visibility::default(),
        versions: vec![SchemaVersion {
            version: 1,
            fields,
            description: String::new(),
        }],
    }
}

/// The tracker: per base stream, its open period and where the last one ended.
fn tracker_projection(name: &str, closed: &str, opened: &str) -> Projection {
    let script = format!(
        "// Where each stream's books stand: its open period, and the state the last one closed with.\n\
         fn on_{opened}(doc, event) {{\n    \
             let doc = if doc == () {{ #{{}} }} else {{ doc }};\n    \
             doc.open = event.data.period;\n    \
             doc.stream = event.streamId;\n    \
             doc.openedAt = event.position;\n    \
             doc\n\
         }}\n\n\
         fn on_{closed}(doc, event) {{\n    \
             let doc = if doc == () {{ #{{}} }} else {{ doc }};\n    \
             doc.lastClosed = event.data.period;\n    \
             doc.closedStream = event.streamId;\n    \
             doc.closedAt = event.position;\n    \
             doc.closingState = event.data.state;\n    \
             doc\n\
         }}\n"
    );
    Projection {
        name: name.to_owned(),
        version: 1,
        description: "Closing the books: each stream's open period and where the last one ended.".to_owned(),
        source: Source::EventTypes(vec![closed.to_owned(), opened.to_owned()]),
        lifecycle: Lifecycle::Inline,
        audience: Default::default(),
        key: "data.of".to_owned(),
        logic: ProjectionLogic::Script(script),
        checkpointing: Default::default(),
        gaps: Default::default(),
    }
}

/// Two values as pretty JSON, diffed by line: the changed lines with one line of context (cut to
/// [`CONTEXT_CHARS`], a script being one line), and `  …` where unchanged lines are left out.
fn json_diff(before: &Value, after: &Value) -> String {
    let lines = |value: &Value| -> Vec<String> {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        text.lines().map(str::to_owned).collect()
    };
    let diff = line_diff(&lines(before), &lines(after));
    let lines: Vec<&str> = diff.lines().collect();
    let changed = |i: usize| lines.get(i).is_some_and(|line| !line.starts_with("  "));
    let mut shown = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if changed(i) {
            shown.push((*line).to_owned());
        } else if changed(i + 1) || (i > 0 && changed(i - 1)) {
            shown.push(match line.char_indices().nth(CONTEXT_CHARS) {
                Some((cut, _)) => format!("{}…", &line[..cut]),
                None => (*line).to_owned(),
            });
        } else if shown.last().is_none_or(|last| last != "  …") {
            shown.push("  …".to_owned());
        }
    }
    shown.join("\n")
}
