//! Rules over the events themselves: `hot-stream` (the last appends), and, from a [`Tally`] of
//! what is stored, `category-for-everything` and `missing-upcaster`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::super::rules::{CATEGORY_FOR_EVERYTHING, HOT_STREAM, MISSING_UPCASTER};
use super::super::{Finding, Severity, Subject, Thresholds};
use crate::model::{missing_path, Model};
use crate::store::{category_of, Direction, Source, Store};

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
}

/// What a [`Tally::catch_up`] read: the event types and categories it saw.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    pub(crate) event_types: BTreeSet<String>,
    pub(crate) categories: BTreeSet<String>,
}

impl Tally {
    /// Reads `$all` past the last event seen; no payload is parsed.
    pub(crate) fn catch_up(&mut self, store: &Store) -> Touched {
        let mut touched = Touched::default();
        let mut last: Option<(&str, &str, u32)> = None;
        let _ = store.read_raw(Source::All, self.next, usize::MAX, Direction::Forwards, |event| {
            self.next = event.position + 1;
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
        touched
    }

    /// Every category seen.
    pub(crate) fn categories(&self) -> impl Iterator<Item = &str> {
        self.categories.keys().map(String::as_str)
    }

    /// Every event type seen.
    pub(crate) fn event_types(&self) -> impl Iterator<Item = &str> {
        self.versions.keys().map(String::as_str)
    }
}

/// `hot-stream`: the streams taking more than `hot_share` of the last `hot_window` events of
/// `$all` (read backwards); nothing while the store holds fewer events than the window.
pub(crate) fn hot_streams(store: &Store, thresholds: &Thresholds) -> Vec<Finding> {
    if !thresholds.enabled(HOT_STREAM.code) {
        return Vec::new();
    }
    let window = usize::try_from(thresholds.hot_window).unwrap_or(usize::MAX);
    let mut counts: HashMap<&str, u64> = HashMap::new();
    let read = store.read_raw(Source::All, u64::MAX, window, Direction::Backwards, |event| {
        *counts.entry(event.stream_id).or_default() += 1;
    });
    if read.ok() != Some(window) {
        return Vec::new();
    }
    let mut hot: Vec<(&str, u64)> = counts
        .into_iter()
        .filter(|&(_, count)| count as f64 > thresholds.hot_share * window as f64)
        .collect();
    hot.sort_unstable();
    hot.into_iter()
        .map(|(id, count)| {
            let message = format!(
                "stream {id} took {count} of the last {window} appends ({:.0}%, over {:.0}%)",
                count as f64 * 100.0 / window as f64,
                thresholds.hot_share * 100.0
            );
            let subject = Subject::Stream { id: id.to_owned() };
            Finding::new(&HOT_STREAM, Severity::Warning, subject, message)
        })
        .collect()
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
