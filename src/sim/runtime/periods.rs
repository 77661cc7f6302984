//! Closing the books: the streams of a stream type with [`Periods`] live one period each.
//!
//! A command is addressed to the base stream (`register-7`) and lands in its open period
//! (`register-7:3`); the open period is the highest one whose stream exists, found in a few store
//! lookups (periods are numbered without gaps, since only a closing opens the next one). A base
//! stream written before its type had periods is period 0. When the open period is due (a later
//! simulated day, or it holds its events), it is closed before the command is decided: its closing
//! event and the next period's opening event are appended in one transaction across the two
//! streams, both carrying the state the period folds to, so the next period's decisions start
//! from it. A command addressed to a closed period is refused.

use serde::Serialize;
use serde_json::{json, Value};

use super::Runtime;
use crate::model::{fill_payload, period_of, period_stream, PeriodEnd, Periods, StreamType};
use crate::sim::decider::read_history;
use crate::sim::envelope::Envelope;
use crate::sim::error::{Error, Result};
use crate::store::{ExpectedRevision, NewEvent};

/// A simulated day, in ms: what `{"days": n}` counts.
const DAY_MS: i64 = 86_400_000;

/// What closing a period wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BooksClosed {
    /// The stream that was closed, e.g. `register-7:3`.
    pub closed: String,
    /// The stream of the period that opened, e.g. `register-7:4`.
    pub opened: String,
    /// The closing event's position; the opening one is the next.
    pub position: u64,
    /// The state carried forward.
    pub state: Value,
}

impl Runtime {
    /// The stream a command addressed to `stream_id` goes to: itself, unless its stream type has
    /// periods; then its base's open period, closed first when `close_due` and it is due. A closed
    /// period is refused.
    pub(super) fn route(&mut self, stream_id: &str, close_due: bool) -> Result<String> {
        let migrated = self.migrated(stream_id);
        let stream_id = migrated.as_deref().unwrap_or(stream_id);
        let Some(periods) = self.periods_of(stream_id) else {
            return Ok(stream_id.to_owned());
        };
        let (base, addressed) = period_of(stream_id);
        let base = base.to_owned();
        let open = self.open_period(&base);
        // A base id with no suffix means "the open period"; a suffix names one.
        if stream_id != base && addressed != open {
            return Err(Error::NotOpenPeriod {
                stream_id: stream_id.to_owned(),
                open: period_stream(&base, open),
            });
        }
        if close_due && self.period_due(&periods, &period_stream(&base, open)) {
            let closed = self.close_books(&base)?;
            return Ok(closed.opened);
        }
        Ok(period_stream(&base, open))
    }

    /// Closes the open period of `base` now: see [`BooksClosed`]. Fails when its stream type has
    /// no periods or the period holds no event yet.
    pub fn close_books(&mut self, base: &str) -> Result<BooksClosed> {
        let (base, _) = period_of(base);
        let periods = self.periods_of(base).ok_or_else(|| Error::Unknown {
            what: "stream type with periods for stream",
            name: base.to_owned(),
        })?;
        let open = self.open_period(base);
        let closed = period_stream(base, open);
        let opened = period_stream(base, open + 1);
        let (history, expected) = read_history(&self.store, &closed)?;
        self.last_readable(&closed, history.last().map(|e| e.revision))?;
        let state = self.folded(&closed, &history)?;
        let position = self.head();
        let revision = history.last().map_or(0, |e| e.revision + 1);
        let event = |runtime: &Runtime, event_type: &str, period: u64, stream_id: &str| -> Result<Envelope> {
            let data = json!({ "of": base, "period": period, "state": state });
            let (data, schema_version) = runtime.filled(event_type, &data)?;
            let (revision, position) = if period == open {
                (revision, position)
            } else {
                (0, position + 1)
            };
            Ok(Envelope {
                event_type: event_type.to_owned(),
                schema_version,
                data,
                stream_id: stream_id.to_owned(),
                revision,
                position,
            })
        };
        let pending = [
            event(self, &periods.closed_event, open, &closed)?,
            event(self, &periods.opened_event, open + 1, &opened)?,
        ];
        let staged = self.stage_inline(&pending)?;
        let correlation = format!("books-{closed}");
        let new_event = |e: &Envelope| {
            NewEvent::new(e.event_type.clone(), e.data.clone())
                .with_schema_version(e.schema_version)
                .with_correlation_id(correlation.clone())
                .with_causation_id(correlation.clone())
                .with_header("command", "CloseTheBooks")
        };
        self.store.append_many(vec![
            (closed.clone(), expected, vec![new_event(&pending[0])]),
            (opened.clone(), ExpectedRevision::NoStream, vec![new_event(&pending[1])]),
        ])?;
        self.apply_staged(staged, position + 2);
        self.note(&[&closed, &opened]);
        self.folds.take(&closed);
        self.react_inline(position);
        Ok(BooksClosed {
            closed,
            opened,
            position,
            state,
        })
    }

    /// The open period of `base`: the highest period whose stream exists, 0 when only the base
    /// stream does, and 1 for a base that has none yet.
    pub fn open_period(&self, base: &str) -> u64 {
        let exists = |n: u64| !matches!(self.store.last_revision(&period_stream(base, n)), Ok(None));
        if !exists(1) {
            return if exists(0) { 0 } else { 1 };
        }
        // Periods 1..=open all exist: double past the end, then halve back to it.
        let (mut low, mut high) = (1u64, 2u64);
        while exists(high) {
            low = high;
            high = high.saturating_mul(2);
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if exists(middle) {
                low = middle;
            } else {
                high = middle;
            }
        }
        low
    }

    /// The periods of the stream type that owns `stream_id`, if it has any.
    fn periods_of(&self, stream_id: &str) -> Option<Periods> {
        self.model
            .stream_type_of(stream_id)
            .and_then(|s: &StreamType| s.periods.clone())
    }

    /// Whether the open period `stream_id` is due to close before the next command.
    fn period_due(&self, periods: &Periods, stream_id: &str) -> bool {
        let Some(stats) = self.store.stream_stats(stream_id) else {
            return false;
        };
        match periods.close_after {
            PeriodEnd::Events(events) => stats.events >= u64::from(events),
            PeriodEnd::Days(days) => stats.first_timestamp_ms.is_some_and(|first| {
                let day = |ms: i64| ms.div_euclid(DAY_MS);
                day(self.store.now_ms()) >= day(first) + i64::from(days)
            }),
        }
    }

    /// `data` filled against the current version of `event_type`, with that version.
    fn filled(&self, event_type: &str, data: &Value) -> Result<(Value, u32)> {
        let definition = self.model.event_type(event_type).ok_or_else(|| Error::Unknown {
            what: "event type",
            name: event_type.to_owned(),
        })?;
        let fields = definition.current().map_or(&[][..], |v| v.fields.as_slice());
        Ok((fill_payload(event_type, fields, data)?, definition.current_version()))
    }
}
