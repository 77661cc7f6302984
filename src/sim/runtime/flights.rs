//! Transactions in flight. A slow writer takes its positions when it appends and commits later;
//! meanwhile writers after it commit above it, and the log has a gap that readers of `$all`
//! see: the positions are taken, their events not visible yet. A naive async projection reads
//! what has committed and moves its checkpoint past the gap, so the slow writer's events end up
//! behind it and are never read. The fix is the high-water mark: read only up to the lowest
//! position still in flight and wait there; and, so that one stuck transaction cannot hold the
//! projection up forever, pass a gap once it is stale and list its positions, to be read once
//! they commit (see [`Gaps`]).
//!
//! The simulation knows which positions are in flight (its clock says when each commits), so
//! the page can show what a naive reader missed, which a real one could not. Inline projections
//! and policies are written within the transaction and never see a gap; async policies always
//! wait at the high-water mark.

use std::ops::Range;

use serde::Serialize;

use super::migration::Duplicates;
use super::Runtime;
use crate::model::{Gaps, Lifecycle};
use crate::sim::error::{Error, Result};

/// A transaction that took positions and has not committed yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flight {
    /// The first position it took.
    pub from: u64,
    /// The position after the last it took.
    pub to: u64,
    /// The stream it appends to.
    pub stream_id: String,
    /// When it took them, in simulated ms.
    pub began_ms: i64,
    /// When it commits, in simulated ms.
    pub commits_ms: i64,
}

/// How far a reader of `$all` may read now, and which positions below that it reads past while
/// they are in flight.
#[derive(Debug, Clone, Default)]
pub(crate) struct Horizon {
    /// The position it stops before: the store's head, or the high-water mark.
    pub(crate) end: u64,
    /// Positions in flight below `end`, read past.
    pub(crate) passed: Vec<Range<u64>>,
    /// The side of a migration readers skip (see [`super::Migration::duplicates`]).
    pub(crate) duplicates: Option<Duplicates>,
}

impl Horizon {
    /// Everything up to the head is committed.
    pub(crate) fn open(head: u64) -> Self {
        Horizon {
            end: head,
            passed: Vec::new(),
            duplicates: None,
        }
    }

    /// Whether the event at `position` of `stream_id` is the side of a migration readers skip.
    pub(crate) fn skips(&self, stream_id: &str, position: u64) -> bool {
        self.duplicates.as_ref().is_some_and(|d| d.skip(stream_id, position))
    }

    /// Whether `position` is in flight and read past.
    pub(crate) fn passes(&self, position: u64) -> bool {
        self.passed.iter().any(|range| range.contains(&position))
    }
}

impl Runtime {
    /// Holds the next command's transaction open for `ms` simulated milliseconds: its events take
    /// their positions now and commit when the clock has moved that far (or at
    /// [`Runtime::commit_in_flight`]).
    pub fn hold_next_write(&mut self, ms: u64) -> Result<()> {
        if ms == 0 || i64::try_from(ms).is_err() {
            return Err(Error::BadResult {
                owner: "the slow writer".to_owned(),
                message: format!("{ms} ms is not a time it can hold its transaction open for: give 1 ms or more"),
            });
        }
        self.slow_writer = Some(ms);
        Ok(())
    }

    /// How long the next command's transaction will be held open, if a slow writer is armed.
    pub fn slow_writer(&self) -> Option<u64> {
        self.slow_writer
    }

    /// The transactions still in flight, oldest first.
    pub fn in_flight(&self) -> Vec<Flight> {
        let now = self.store.now_ms();
        self.flights.iter().filter(|f| f.commits_ms > now).cloned().collect()
    }

    /// Commits every transaction in flight now; answers how many there were.
    pub fn commit_in_flight(&mut self) -> usize {
        let open = self.in_flight().len();
        self.flights.clear();
        if open > 0 {
            self.note_stale();
        }
        open
    }

    /// Turns the append that just took `positions` of `stream_id` into a flight, if a slow
    /// writer is armed.
    pub(super) fn take_off(&mut self, stream_id: &str, positions: Range<u64>) {
        let Some(ms) = self.slow_writer.take() else {
            return;
        };
        let now = self.store.now_ms();
        self.flights.retain(|f| f.commits_ms > now);
        self.flights.push(Flight {
            from: positions.start,
            to: positions.end,
            stream_id: stream_id.to_owned(),
            began_ms: now,
            commits_ms: now.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX)),
        });
    }

    /// How far a reader with `gaps` may read now. Inline projections that are behind (a rebuild)
    /// and policies wait at the high-water mark.
    pub(crate) fn horizon(&self, gaps: Gaps, lifecycle: Lifecycle) -> Horizon {
        let head = self.head();
        let now = self.store.now_ms();
        let mut horizon = Horizon::open(head);
        horizon.duplicates = self.migration.as_ref().map(super::Migration::duplicates);
        let gaps = match lifecycle {
            Lifecycle::Inline => Gaps::HighWaterMark { stale_after_ms: None },
            Lifecycle::Async => gaps,
        };
        for flight in self.flights.iter().filter(|f| f.commits_ms > now) {
            let waits = match gaps {
                Gaps::Naive => false,
                Gaps::HighWaterMark { stale_after_ms } => stale_after_ms
                    .is_none_or(|ms| now.saturating_sub(flight.began_ms) < i64::try_from(ms).unwrap_or(i64::MAX)),
            };
            if waits {
                horizon.end = horizon.end.min(flight.from);
            }
        }
        for flight in self
            .flights
            .iter()
            .filter(|f| f.commits_ms > now && f.from < horizon.end)
        {
            horizon.passed.push(flight.from..flight.to);
        }
        horizon
    }

    /// The high-water mark: the lowest position still in flight, or the head.
    pub fn high_water_mark(&self) -> u64 {
        let now = self.store.now_ms();
        self.flights
            .iter()
            .filter(|f| f.commits_ms > now)
            .map(|f| f.from)
            .fold(self.head(), u64::min)
    }
}
