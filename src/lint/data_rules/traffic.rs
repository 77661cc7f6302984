//! Rules over the events themselves: `hot-stream` (the last appends in a [`Window`], and the
//! store's conflict counts), and, from a [`Tally`] of what is stored, `category-for-everything`,
//! `missing-upcaster` and `crud-command-pair`.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use super::super::rules::{CATEGORY_FOR_EVERYTHING, CRUD_COMMAND_PAIR, HOT_STREAM, MISSING_UPCASTER};
use super::super::{Finding, Severity, Subject, Thresholds};
use crate::model::{missing_path, Model};
use crate::store::{category_of, Direction, RawEvent, Source, Store};

/// What is stored, by event type and version and by category, read once and moved forward with
/// each append batch ([`Tally::catch_up`] reads only the events past the last one it saw).
///
/// It counts the events visible when they were read: after a delete, new stream metadata or a
/// scavenge, build a new one.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// The position to read `$all` from next.
    next: u64,
    /// Event type → schema version → (events, first position).
    versions: HashMap<String, BTreeMap<u32, (u64, u64)>>,
    /// Category → the event types its streams hold.
    categories: HashMap<String, BTreeSet<String>>,
    /// Command name (the `command` header) → how often it appended events, and how often those
    /// held both a `…Created` and a `…Updated` event.
    commands: BTreeMap<String, (u64, u64)>,
}

/// The events one command appended: consecutive events with the same causation id.
#[derive(Default)]
struct Run {
    causation: String,
    command: String,
    created: bool,
    updated: bool,
}

/// What a [`Tally::catch_up`] read: the event types and categories it saw.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    pub(crate) event_types: BTreeSet<String>,
    pub(crate) categories: BTreeSet<String>,
    pub(crate) commands: BTreeSet<String>,
}

impl Tally {
    /// Reads `$all` past the last event seen; no payload is parsed. Each event also enters
    /// `window`, when given.
    pub(crate) fn catch_up(&mut self, store: &Store, mut window: Option<&mut Window>) -> Touched {
        let mut touched = Touched::default();
        let mut last: Option<(&str, &str, u32)> = None;
        let mut run: Option<Run> = None;
        let _ = store.read_raw(Source::All, self.next, usize::MAX, Direction::Forwards, |event| {
            self.next = event.position + 1;
            if let Some(window) = window.as_deref_mut() {
                window.push(event.stream_id);
            }
            self.follow_command(&mut run, &event, &mut touched);
            let category = category_of(event.stream_id);
            let versions = match self.versions.get_mut(event.event_type) {
                Some(versions) => versions,
                None => self.versions.entry(event.event_type.to_owned()).or_default(),
            };
            versions.entry(event.schema_version).or_insert((0, event.position)).0 += 1;
            // Runs of one stream and type are common: skip the set lookups for them.
            if last == Some((category, event.event_type, event.schema_version)) {
                return;
            }
            last = Some((category, event.event_type, event.schema_version));
            let types = match self.categories.get_mut(category) {
                Some(types) => types,
                None => self.categories.entry(category.to_owned()).or_default(),
            };
            if !types.contains(event.event_type) {
                types.insert(event.event_type.to_owned());
            }
            if !touched.event_types.contains(event.event_type) {
                touched.event_types.insert(event.event_type.to_owned());
            }
            if !touched.categories.contains(category) {
                touched.categories.insert(category.to_owned());
            }
        });
        // A command's events are appended in one batch, so the last run is complete.
        self.end_run(run.take(), &mut touched);
        touched
    }

    /// Groups events by the command that caused them (the runtime's `command` header and
    /// causation id); events appended without them belong to no command.
    fn follow_command(&mut self, run: &mut Option<Run>, event: &RawEvent<'_>, touched: &mut Touched) {
        let causation = event.causation_id.unwrap_or("");
        let command = event.headers.and_then(|h| h.get("command"));
        if run
            .as_ref()
            .is_some_and(|r| r.causation != causation || command != Some(&r.command))
        {
            self.end_run(run.take(), touched);
        }
        let Some(command) = command.filter(|_| !causation.is_empty()) else {
            return;
        };
        let current = run.get_or_insert_with(|| Run {
            causation: causation.to_owned(),
            command: command.clone(),
            ..Run::default()
        });
        current.created |= event.event_type.len() > 7 && event.event_type.ends_with("Created");
        current.updated |= event.event_type.len() > 7 && event.event_type.ends_with("Updated");
    }

    fn end_run(&mut self, run: Option<Run>, touched: &mut Touched) {
        let Some(run) = run else { return };
        let counts = self.commands.entry(run.command.clone()).or_default();
        counts.0 += 1;
        if run.created && run.updated {
            counts.1 += 1;
        }
        touched.commands.insert(run.command);
    }

    /// Every category seen.
    pub(crate) fn categories(&self) -> impl Iterator<Item = &str> {
        self.categories.keys().map(String::as_str)
    }

    /// Every event type seen.
    pub(crate) fn event_types(&self) -> impl Iterator<Item = &str> {
        self.versions.keys().map(String::as_str)
    }

    /// Every command seen in the `command` header.
    pub(crate) fn commands(&self) -> impl Iterator<Item = &str> {
        self.commands.keys().map(String::as_str)
    }
}

/// The stream ids of the last `size` events, with a count per stream: what `hot-stream` looks
/// at, moved forward event by event instead of read again after each batch.
#[derive(Debug)]
pub(crate) struct Window {
    size: usize,
    ids: VecDeque<String>,
    counts: HashMap<String, u64>,
}

impl Window {
    /// The last `size` readable events of `$all`, read backwards.
    pub(crate) fn read(store: &Store, size: u64) -> Window {
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        let mut window = Window {
            size,
            ids: VecDeque::new(),
            counts: HashMap::new(),
        };
        let mut newest_first = Vec::new();
        let _ = store.read_raw(Source::All, u64::MAX, size, Direction::Backwards, |event| {
            newest_first.push(event.stream_id.to_owned());
        });
        for id in newest_first.into_iter().rev() {
            window.push(&id);
        }
        window
    }

    fn push(&mut self, stream_id: &str) {
        if self.size == 0 {
            return;
        }
        if self.ids.len() == self.size {
            if let Some(oldest) = self.ids.pop_front() {
                if let Some(count) = self.counts.get_mut(&oldest) {
                    *count -= 1;
                    if *count == 0 {
                        self.counts.remove(&oldest);
                    }
                }
            }
        }
        match self.counts.get_mut(stream_id) {
            Some(count) => *count += 1,
            None => {
                self.counts.insert(stream_id.to_owned(), 1);
            }
        }
        self.ids.push_back(stream_id.to_owned());
    }
}

/// `hot-stream`: the streams taking more than `hot_share` of the last `hot_window` events of
/// `$all` (nothing while the store holds fewer events than the window), and the streams with at
/// least `hot_conflicts` appends rejected by the expected-revision check; one finding per stream.
pub(crate) fn hot_streams(store: &Store, thresholds: &Thresholds, window: &Window) -> Vec<Finding> {
    if !thresholds.enabled(HOT_STREAM.code) {
        return Vec::new();
    }
    let mut hot: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    if window.ids.len() == window.size {
        let size = window.size as f64;
        for (id, &count) in &window.counts {
            if count as f64 > thresholds.hot_share * size {
                hot.entry(id.as_str()).or_default().push(format!(
                    "took {count} of the last {} appends ({:.0}%, over {:.0}%)",
                    window.size,
                    count as f64 * 100.0 / size,
                    thresholds.hot_share * 100.0
                ));
            }
        }
    }
    for (id, conflicts) in store.conflicted_streams() {
        let readable = store.stream_stats(id).is_some_and(|s| !s.tombstoned && !s.soft_deleted);
        if conflicts >= thresholds.hot_conflicts && readable {
            hot.entry(id).or_default().push(format!(
                "had {conflicts} append{} rejected with a wrong expected revision (threshold {})",
                if conflicts == 1 { "" } else { "s" },
                thresholds.hot_conflicts
            ));
        }
    }
    hot.into_iter()
        .map(|(id, reasons)| {
            let message = format!("stream {id} {}", reasons.join(" and "));
            let subject = Subject::Stream { id: id.to_owned() };
            Finding::new(&HOT_STREAM, Severity::Warning, subject, message)
        })
        .collect()
}

/// `crud-command-pair`: every time the command appended events (at least three times), they held
/// both a `…Created` and a `…Updated` event.
pub(crate) fn crud_command_pair(thresholds: &Thresholds, tally: &Tally, command: &str) -> Option<Finding> {
    const AT_LEAST: u64 = 3;
    if !thresholds.enabled(CRUD_COMMAND_PAIR.code) {
        return None;
    }
    let &(runs, pairs) = tally.commands.get(command)?;
    if runs < AT_LEAST || pairs < runs {
        return None;
    }
    let message =
        format!("each of the {runs} times {command} ran, it appended a …Created and a …Updated event together");
    let subject = Subject::Command {
        name: command.to_owned(),
    };
    Some(Finding::new(&CRUD_COMMAND_PAIR, Severity::Warning, subject, message))
}

/// `category-for-everything`: the category's streams hold at least `category_families` event
/// families (a type's name without its last CamelCase word: `ItemAdded` is in `Item`).
pub(crate) fn category_for_everything(
    store: &Store,
    thresholds: &Thresholds,
    tally: &Tally,
    category: &str,
) -> Option<Finding> {
    if !thresholds.enabled(CATEGORY_FOR_EVERYTHING.code) {
        return None;
    }
    let types = tally.categories.get(category)?;
    let families: BTreeSet<&str> = types.iter().map(|t| family(t)).collect();
    if families.len() < thresholds.category_families {
        return None;
    }
    let streams = store.category_stats(category).map_or(0, |c| c.streams);
    let message = format!(
        "category {category} mixes {} event families ({}) from {} event types over {streams} streams (threshold {})",
        families.len(),
        families.into_iter().collect::<Vec<_>>().join(", "),
        types.len(),
        thresholds.category_families
    );
    let subject = Subject::Category {
        name: category.to_owned(),
    };
    Some(Finding::new(
        &CATEGORY_FOR_EVERYTHING,
        Severity::Warning,
        subject,
        message,
    ))
}

/// `missing-upcaster`: stored events of the type at a version no upcaster chain brings to the
/// current one, counted, with the first one's position.
pub(crate) fn missing_upcaster(
    model: &Model,
    thresholds: &Thresholds,
    tally: &Tally,
    event_type: &str,
) -> Option<Finding> {
    if !thresholds.enabled(MISSING_UPCASTER.code) {
        return None;
    }
    let mut broken = tally
        .versions
        .get(event_type)?
        .iter()
        .filter_map(|(&version, &(count, first))| {
            Some((version, count, first, missing_path(model, event_type, version)?))
        });
    let (version, mut count, mut first, why) = broken.next()?;
    let mut versions = vec![format!("v{version}")];
    for (version, more, at, _) in broken {
        versions.push(format!("v{version}"));
        count += more;
        first = first.min(at);
    }
    let message = format!(
        "{count} stored {event_type} {} events (first at position {first}) cannot be read: {why}",
        versions.join(", ")
    );
    let subject = Subject::EventType {
        name: event_type.to_owned(),
    };
    Some(Finding::new(&MISSING_UPCASTER, Severity::Critical, subject, message))
}

/// An event type's family: its name without the last CamelCase word (`CartConfirmed` → `Cart`);
/// a one-word name is its own family.
pub(crate) fn family(event_type: &str) -> &str {
    match event_type
        .char_indices()
        .skip(1)
        .filter(|(_, c)| c.is_uppercase())
        .last()
    {
        Some((at, _)) => &event_type[..at],
        None => event_type,
    }
}
