//! Saving a workspace in parts, so that a save writes what changed rather than the whole store:
//! the scenario as drafted (with the read models and the system's run), the store's head, and
//! the events in chunks of [`CHUNK_POSITIONS`] positions. While the store only grows at its end
//! (its [`Store::lineage`] unchanged), a save rewrites the chunk the last one ended in and writes
//! the new ones; a scavenge, a compaction or another store rewrites them all.
//!
//! Whoever keeps the parts (the browser's IndexedDB, a test's map) writes a [`SaveParts`] in one
//! transaction and then tells the [`Saver`] it is [`Saver::written`]; a failed write is simply
//! written again, and more, by the next save. [`Workspace::restore_parts`] reads them back.

use super::import::import;
use super::Result;
use super::Workspace;
use crate::model::edit::recorded_problems;
use crate::model::{Problem, Scenario};
use crate::sim::Runtime;
use crate::store::Store;

/// How many positions a chunk of saved events spans: a save rewrites at most one chunk it had
/// already written (the last, partly filled), and a million events are a thousand chunks.
pub const CHUNK_POSITIONS: u64 = 1_024;

/// What a save writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveParts {
    /// The scenario document without its events, with the read models (when asked) and the run.
    pub scenario: String,
    /// The store's snapshot head ([`Store::export_head_json`]).
    pub store: String,
    /// The chunks to write, by index: chunk `i` holds the events at positions
    /// `i * CHUNK_POSITIONS ..(i + 1) * CHUNK_POSITIONS`, as a JSON array.
    pub chunks: Vec<(u64, String)>,
    /// How many chunks the workspace now has: any kept from index `chunk_count` on is dropped.
    pub chunk_count: u64,
    /// The events stored (the store's and the archive's), for a listing.
    pub events: u64,
    /// What the [`Saver`] notes once these parts are written.
    pub mark: SaveMark,
}

impl SaveParts {
    /// How many bytes of text the parts written now hold.
    pub fn bytes(&self) -> usize {
        self.scenario.len() + self.store.len() + self.chunks.iter().map(|(_, c)| c.len()).sum::<usize>()
    }
}

/// How far a save went: the store it saved and the position its events reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveMark {
    lineage: (u64, u64),
    next_position: u64,
}

impl SaveMark {
    /// Where `store` stands now.
    fn of(store: &Store) -> SaveMark {
        SaveMark {
            lineage: store.lineage(),
            next_position: store.next_position(),
        }
    }
}

/// Remembers what of a workspace was written, to write only the rest next time.
#[derive(Debug, Default, Clone)]
pub struct Saver {
    written: Option<SaveMark>,
}

impl Saver {
    /// A saver for parts written by an earlier session of `workspace` (just restored from them):
    /// its next save writes only what changes from here on.
    pub fn restored(workspace: &Workspace) -> Saver {
        let store = workspace.services.main.store();
        Saver {
            written: Some(SaveMark::of(store)),
        }
    }

    /// The parts to write for `workspace` now; `read_models: false` leaves them out (opening it
    /// again then rebuilds them from the events).
    pub fn parts(&self, workspace: &Workspace, read_models: bool) -> SaveParts {
        let store = workspace.services.main.store();
        let mark = SaveMark::of(store);
        let chunk_count = mark.next_position.div_ceil(CHUNK_POSITIONS);
        let first = match self.written {
            Some(written) if written.lineage == mark.lineage && written.next_position <= mark.next_position => {
                written.next_position / CHUNK_POSITIONS
            }
            _ => 0,
        };
        let chunks = (first..chunk_count)
            .map(|i| {
                let from = i * CHUNK_POSITIONS;
                (i, store.export_events_json(from..from + CHUNK_POSITIONS))
            })
            .collect();
        SaveParts {
            scenario: workspace.scenario_head(read_models),
            store: store.export_head_json(),
            chunks,
            chunk_count,
            events: workspace.event_count(),
            mark,
        }
    }

    /// Notes that parts made with `mark` were written.
    pub fn written(&mut self, mark: SaveMark) {
        self.written = Some(mark);
    }

    /// Forgets what was written: the next save writes everything (after the parts were lost or
    /// moved).
    pub fn forget(&mut self) {
        self.written = None;
    }
}

impl Workspace {
    /// The scenario document without the store's events, as a save in parts keeps it.
    fn scenario_head(&self, read_models: bool) -> String {
        let store = self.services.main.store();
        Scenario {
            events: None,
            read_models: (read_models && store.next_position() > 0).then(|| self.services.main.save_read_models()),
            run: self.saved_run(),
            ..self.scenario.clone()
        }
        .to_json()
    }

    /// Opens a workspace saved in parts ([`Saver::parts`]): the scenario document, the store's
    /// head and the event chunks in order. Every problem is listed, as for an import; a saved
    /// system's run is replayed while `more` says there is time (see [`Workspace::open_within`]).
    pub fn restore_parts(
        scenario: &str,
        store: &str,
        chunks: impl IntoIterator<Item = (u64, String)>,
        more: &mut dyn FnMut() -> bool,
    ) -> Result<Workspace, Vec<Problem>> {
        let scenario = import(scenario)?;
        if scenario.events.is_some() {
            return Err(vec![Problem::new(
                "events",
                "a workspace saved in parts keeps its events apart from the scenario",
            )]);
        }
        // The chunks must come in order, none missing: a store may well start past position 0
        // (scavenged), so a lost chunk would not show in the events themselves.
        let mut expected = 0;
        let mut missing = None;
        let mut in_order = chunks.into_iter().map_while(|(index, chunk)| {
            if index != expected {
                missing = Some(expected);
                return None;
            }
            expected += 1;
            Some(chunk)
        });
        let store = Store::import_parts(store, &mut in_order);
        let lost = |index: u64| {
            vec![Problem::new(
                "events",
                format!("the saved events of chunk {index} are missing"),
            )]
        };
        if let Some(index) = missing {
            return Err(lost(index));
        }
        let store = store.map_err(|error| vec![Problem::new("events", error.to_string())])?;
        if expected < store.next_position().div_ceil(CHUNK_POSITIONS) {
            return Err(lost(expected));
        }
        let problems = recorded_problems(&scenario, &store);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Workspace::open_with_store(scenario, store, more))
    }

    /// Opens `scenario` (without embedded events) over `store`, as [`Workspace::open_within`]
    /// opens one with them.
    fn open_with_store(scenario: Scenario, store: Store, more: &mut dyn FnMut() -> bool) -> Workspace {
        let mut runtime = Runtime::with_store(scenario.model.clone(), store, scenario.settings.seed);
        if let Some(saved) = &scenario.read_models {
            runtime.restore_read_models(saved);
        }
        // A system's replay starts from the events the workspace opened with; without a system
        // there is nothing to replay, and a million events are not copied for it.
        let start = scenario
            .system
            .as_ref()
            .is_some_and(|_| runtime.store().next_position() > 0)
            .then(|| serde_json::from_str(&runtime.store().export_json()).ok())
            .flatten();
        Workspace::assemble(scenario, runtime, start, more)
    }
}
