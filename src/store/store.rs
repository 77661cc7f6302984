//! The [`Store`]: configuration, the simulated clock, and the write path.
//!
//! Appends are atomic. Everything (stream ids, event types, payload sizes, expectations, across
//! all streams of an [`Store::append_many`]) is validated first, against the state the batch
//! itself would produce; only then is anything written, and writing cannot fail half-way.

use serde::{Deserialize, Serialize};

use super::archive::Archive;
use super::catalog::{Catalog, Indexed};
use super::clock::Clock;
use super::error::{Error, Result};
use super::event::NewEvent;
use super::ids::{validate_event_type, validate_stream_id};
use super::log::{Log, Meta};
use super::revision::{ExpectedRevision, StreamState};
use super::subscription::Subscriptions;
use super::vault::Vault;

/// How a store is set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Seeds the event ids.
    pub seed: u64,
    /// The simulated clock's start, in milliseconds since the Unix epoch.
    pub clock_start_ms: i64,
    /// The largest payload accepted, in bytes of compact JSON.
    pub max_payload_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 0,
            clock_start_ms: 0,
            max_payload_bytes: 1 << 20,
        }
    }
}

/// What a successful append reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AppendResult {
    /// What to expect on the next append: `Exact(last revision)`, or `NoStream` when the stream
    /// still has no events (an empty batch on a new stream).
    pub next_expected_revision: ExpectedRevision,
    /// The position of the last event written, `None` for an empty batch.
    pub position: Option<u64>,
}

/// An in-memory event store with KurrentDB semantics, built for a single-threaded wasm core.
#[derive(Debug)]
pub struct Store {
    pub(crate) config: Config,
    pub(crate) clock: Clock,
    pub(crate) log: Log,
    pub(crate) catalog: Catalog,
    pub(crate) subscriptions: Subscriptions,
    pub(crate) archive: Archive,
    pub(crate) vault: Vault,
    /// Which store this is, and how often its stored events were rewritten: see [`Store::lineage`].
    pub(crate) lineage: (u64, u64),
}

/// The identity the next store made gets.
static NEXT_STORE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Where a stored event goes: its interned stream and kind, revision, timestamp and position.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement {
    pub stream: u32,
    pub kind: u32,
    pub revision: u64,
    pub ts: i64,
    pub position: u64,
}

/// One stream's part of a validated batch.
struct Planned<'a> {
    stream_id: &'a str,
    /// The stream's index when it already exists.
    stream: Option<u32>,
    first_revision: u64,
    expected: ExpectedRevision,
    events: &'a [NewEvent],
    result: AppendResult,
}

impl Store {
    /// An empty store.
    pub fn new(config: Config) -> Self {
        Store {
            clock: Clock::starting_at(config.clock_start_ms),
            config,
            log: Log::default(),
            catalog: Catalog::default(),
            subscriptions: Subscriptions::default(),
            archive: Archive::default(),
            vault: Vault::default(),
            lineage: (NEXT_STORE.fetch_add(1, std::sync::atomic::Ordering::Relaxed), 0),
        }
    }

    /// Which store this is (unique in the process) and how many times events it had already
    /// stored were rewritten or dropped since (a scavenge, a compaction, an archive's horizon):
    /// while both stay the same, the stored events only grow at the end, which is what lets a
    /// save write only the events appended since the last one.
    pub fn lineage(&self) -> (u64, u64) {
        self.lineage
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The simulated clock's time in milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Moves the clock forward and returns the new time.
    pub fn advance_ms(&mut self, ms: u64) -> Result<i64> {
        self.clock.advance(ms)
    }

    /// Sets the clock; an earlier time than now is an [`Error::InvalidInput`].
    pub fn set_ms(&mut self, ms: i64) -> Result<()> {
        self.clock.set(ms)
    }

    /// The position the next appended event will get.
    pub fn next_position(&self) -> u64 {
        self.log.next_position()
    }

    /// Appends events to one stream if `expected` holds; all or nothing. An empty batch only
    /// checks the expectation. Each event is stamped with the clock's current time.
    pub fn append(
        &mut self,
        stream_id: &str,
        expected: ExpectedRevision,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult> {
        self.append_slice(stream_id, expected, &events)
    }

    /// Appends one event whose payload is JSON text, validated without building a `Value`.
    pub fn append_json_text(
        &mut self,
        stream_id: &str,
        expected: ExpectedRevision,
        event_type: &str,
        json_text: &str,
    ) -> Result<AppendResult> {
        let event = NewEvent::from_json_text(event_type, json_text)?;
        self.append_slice(stream_id, expected, std::slice::from_ref(&event))
    }

    fn append_slice(
        &mut self,
        stream_id: &str,
        expected: ExpectedRevision,
        events: &[NewEvent],
    ) -> Result<AppendResult> {
        let planned = self
            .plan(&[(stream_id, expected, events)])
            .inspect_err(|e| self.count_conflict(e))?;
        Ok(self.commit(planned).pop().unwrap_or(AppendResult {
            next_expected_revision: expected,
            position: None,
        }))
    }

    /// Appends to several streams, in order, all or nothing: if any stream's expectation or any
    /// event is rejected, nothing is written. A stream may appear more than once; each
    /// expectation is checked against the state the earlier parts of the batch leave.
    pub fn append_many(
        &mut self,
        batches: Vec<(String, ExpectedRevision, Vec<NewEvent>)>,
    ) -> Result<Vec<AppendResult>> {
        let parts: Vec<_> = batches
            .iter()
            .map(|(id, expected, events)| (id.as_str(), *expected, events.as_slice()))
            .collect();
        let planned = self.plan(&parts).inspect_err(|e| self.count_conflict(e))?;
        Ok(self.commit(planned))
    }

    /// Counts a rejected expectation against its stream (when it exists), for the hot-stream
    /// warning; nothing else of the store changes. Appends count their own conflicts; a writer
    /// that checks first with [`Store::check_expected`] reports the conflict it found here.
    pub fn count_conflict(&mut self, error: &Error) {
        let Error::WrongExpectedVersion { stream_id, .. } = error else {
            return;
        };
        let Some(index) = self.catalog.stream_index(stream_id) else {
            return;
        };
        if let Some(entry) = self.catalog.streams.get_mut(index as usize) {
            if entry.conflicts == 0 {
                self.catalog.conflicted.push(index);
            }
            entry.conflicts += 1;
        }
    }

    /// A stream's last revision as expected-revision checks see it: the physical one, so events
    /// hidden by metadata or a soft delete, or removed by a scavenge, still count. `None` when the
    /// stream never had events; a hard-deleted stream is [`Error::StreamDeleted`].
    ///
    /// A writer that read the stream appends with this revision, not with the last one its read
    /// returned: the two differ when retention hides the newest events.
    pub fn last_revision(&self, stream_id: &str) -> Result<Option<u64>> {
        validate_stream_id(stream_id)?;
        match self.catalog.stream(stream_id) {
            Some(stream) if stream.tombstoned => Err(Error::StreamDeleted {
                stream_id: stream_id.to_owned(),
            }),
            Some(stream) => Ok(stream.state().last_revision),
            None => Ok(None),
        }
    }

    /// Checks that an append to `stream_id` with `expected` would pass the revision check, without
    /// writing anything: the same error an append would return, conflict or deleted stream.
    pub fn check_expected(&self, stream_id: &str, expected: ExpectedRevision) -> Result<()> {
        self.plan(&[(stream_id, expected, &[])]).map(drop)
    }

    /// An estimate of the heap bytes the store holds, for benchmarks.
    pub fn approx_heap_bytes(&self) -> usize {
        self.log.heap_bytes() + self.catalog.heap_bytes() + self.subscriptions.heap_bytes() + self.archive.heap_bytes()
    }

    /// Validates a whole batch without writing anything.
    fn plan<'a>(&self, parts: &[(&'a str, ExpectedRevision, &'a [NewEvent])]) -> Result<Vec<Planned<'a>>> {
        let mut pending: Vec<(&str, StreamState)> = Vec::new();
        let mut planned = Vec::with_capacity(parts.len());
        let mut total = 0usize;
        for &(stream_id, expected, events) in parts {
            validate_stream_id(stream_id)?;
            for event in events {
                self.validate_event(stream_id, event)?;
            }
            let known = pending
                .iter()
                .rev()
                .find(|(id, _)| *id == stream_id)
                .map(|(_, state)| *state);
            let stream = self.catalog.stream_index(stream_id);
            let entry = stream.and_then(|i| self.catalog.streams.get(i as usize));
            let state = match (known, entry) {
                (Some(state), _) => state,
                (None, Some(stream)) if stream.tombstoned => {
                    return Err(Error::StreamDeleted {
                        stream_id: stream_id.to_owned(),
                    })
                }
                (None, Some(stream)) if stream.archived => {
                    return Err(Error::StreamArchived {
                        stream_id: stream_id.to_owned(),
                    })
                }
                (None, Some(stream)) => stream.state(),
                (None, None) => StreamState::default(),
            };
            expected.check(stream_id, state)?;
            let first_revision = state.last_revision.map_or(Some(0), |last| last.checked_add(1));
            let last_revision =
                match (events.len() as u64).checked_sub(1) {
                    None => state.last_revision,
                    Some(extra) => Some(first_revision.and_then(|first| first.checked_add(extra)).ok_or_else(
                        || {
                            Error::invalid(
                                format!("append to stream {stream_id:?}"),
                                "revisions would overflow 64 bits",
                            )
                        },
                    )?),
                };
            total += events.len();
            let next_expected_revision = last_revision.map_or(ExpectedRevision::NoStream, ExpectedRevision::Exact);
            let after = StreamState {
                last_revision,
                soft_deleted: state.soft_deleted && events.is_empty(),
                has_metadata: state.has_metadata,
            };
            if parts.len() > 1 {
                pending.push((stream_id, after));
            }
            planned.push(Planned {
                stream_id,
                stream,
                first_revision: first_revision.unwrap_or(0),
                expected,
                events,
                result: AppendResult {
                    next_expected_revision,
                    position: None,
                },
            });
        }
        if self.log.len().saturating_add(total) > u32::MAX as usize {
            return Err(Error::invalid("append", "the log holds at most 4294967295 events"));
        }
        Ok(planned)
    }

    pub(crate) fn validate_event(&self, stream_id: &str, event: &NewEvent) -> Result<()> {
        validate_event_type(&event.event_type)?;
        if event.schema_version == 0 {
            return Err(Error::invalid(
                format!("schema version of {:?} event", event.event_type),
                "versions start at 1",
            ));
        }
        let limit = self.config.max_payload_bytes.min(u32::MAX as usize);
        if event.data.len() > limit {
            return Err(Error::PayloadTooLarge {
                stream_id: stream_id.to_owned(),
                event_type: event.event_type.clone(),
                size: event.data.len(),
                limit,
            });
        }
        Ok(())
    }

    /// Writes a validated batch; nothing here can fail.
    fn commit(&mut self, planned: Vec<Planned<'_>>) -> Vec<AppendResult> {
        let ts = self.clock.now_ms();
        let mut results = Vec::with_capacity(planned.len());
        for part in planned {
            let mut result = part.result;
            if part.events.is_empty() {
                results.push(result);
                continue;
            }
            let stream = part
                .stream
                .unwrap_or_else(|| self.catalog.intern_stream(part.stream_id));
            if let Some(entry) = self.catalog.streams.get_mut(stream as usize) {
                entry.soft_deleted = false;
            }
            if part.expected == ExpectedRevision::Any {
                self.catalog.count_unchecked_appends(stream, 1);
            }
            for (offset, event) in part.events.iter().enumerate() {
                let kind = self.catalog.intern_kind(&event.event_type, event.schema_version);
                let meta = self.stored_meta(event);
                let position = self.log.next_position();
                let revision = part.first_revision + offset as u64;
                let placement = Placement {
                    stream,
                    kind,
                    revision,
                    ts,
                    position,
                };
                self.push_event_without_validation(placement, event.data.as_str(), meta);
                result.position = Some(position);
            }
            results.push(result);
        }
        results
    }

    /// The metadata of `event` to store, its correlation id and headers interned.
    pub(crate) fn stored_meta<'e>(&mut self, event: &'e NewEvent) -> Option<Meta<'e>> {
        let correlation = event
            .correlation_id
            .as_deref()
            .map(|id| (self.catalog.correlations.intern(id), id));
        let headers = self.catalog.intern_headers(&event.headers);
        Meta::of(correlation, event.causation_id.as_deref(), headers)
    }

    /// Stores and indexes one event without any check: the caller (commit, import, scavenge)
    /// has validated it and guarantees that positions and revisions move on.
    pub(crate) fn push_event_without_validation(&mut self, at: Placement, payload: &str, meta: Option<Meta<'_>>) {
        let correlation = meta.and_then(|m| m.correlation);
        let index = self
            .catalog
            .streams
            .get(at.stream as usize)
            .map_or(0, |stream| stream.slots.len() as u32);
        let slot = self.log.push(at, index, payload, meta);
        self.catalog.index_event(Indexed {
            slot,
            stream: at.stream,
            kind: at.kind,
            revision: at.revision,
            bytes: payload.len() as u64,
            ts: at.ts,
            correlation,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn append_results_track_revisions_and_positions() {
        let mut store = Store::new(Config::default());
        let events = |n: u64| (0..n).map(|i| NewEvent::new("T", json!(i))).collect::<Vec<_>>();
        let cases = [
            ("a", ExpectedRevision::NoStream, 2, ExpectedRevision::Exact(1), Some(1)),
            ("b", ExpectedRevision::Any, 1, ExpectedRevision::Exact(0), Some(2)),
            ("a", ExpectedRevision::Exact(1), 0, ExpectedRevision::Exact(1), None),
            ("c", ExpectedRevision::NoStream, 0, ExpectedRevision::NoStream, None),
            (
                "a",
                ExpectedRevision::StreamExists,
                1,
                ExpectedRevision::Exact(2),
                Some(3),
            ),
        ];
        for (stream, expected, n, next, position) in cases {
            let result = store.append(stream, expected, events(n));
            let want = AppendResult {
                next_expected_revision: next,
                position,
            };
            assert_eq!(result.ok(), Some(want), "append {n} to {stream} expecting {expected}");
        }
        assert_eq!(store.next_position(), 4, "next position");
        assert!(store.catalog.stream("c").is_none(), "an empty batch creates no stream");
    }
}
