//! Projections: read models built by folding events into documents keyed by an event field.
//!
//! A scripted projection defines one handler per event type it reacts to:
//! `fn on_ItemAdded(doc, event)` returns the new document, or `()` to delete it. `doc` is `()`
//! when the key has no document yet. Handlers are replayed on rebuilds, so they must be
//! idempotent in effect and have no side effects. A template needs no code at all.

use serde::{Deserialize, Serialize};

/// Which events a projection reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// Every event (`"all"`).
    All,
    /// Events of streams in these categories.
    Categories(Vec<String>),
    /// Events of these types.
    EventTypes(Vec<String>),
    /// Events of these streams.
    Streams(Vec<String>),
}

/// When a projection or a policy runs relative to the append. A projection is inline unless it
/// says otherwise, a policy async.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Lifecycle {
    /// In the same step as the append: always up to date.
    #[default]
    Inline,
    /// Later, from a subscription: eventually consistent.
    Async,
}

/// Who consumes what a projection or a policy produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Audience {
    /// This service's own code: it may read private events.
    #[default]
    Internal,
    /// Another team's service, a published API or an integration feed: it depends on whatever it
    /// reads, so it should read only public events.
    External,
}

impl Audience {
    /// Whether this is the default (left out of scenario files).
    pub fn is_internal(&self) -> bool {
        *self == Audience::Internal
    }
}

/// A no-code projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Template {
    /// `{ "count": n }` per key.
    CountByKey,
    /// `{ "sum": total }` per key, adding up a field path of each event, e.g. `data.amount`.
    SumByKey {
        /// The path of the number to add; events without it add nothing.
        field: String,
    },
    /// Per stream id: the last event as `{ type, data, revision, position }`.
    LatestPerStream,
}

/// How a projection computes its documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ProjectionLogic {
    /// A rhai source with `on_<EventType>(doc, event)` handlers.
    Script(String),
    /// A built-in template, run natively.
    Template(Template),
}

/// A read model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Projection {
    /// The name, e.g. `CartSummary`.
    pub name: String,
    /// Bumped when the logic changes, which calls for a rebuild.
    #[serde(default = "one")]
    pub version: u32,
    /// What the documents answer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Which events it reads.
    pub source: Source,
    /// When it runs.
    #[serde(default)]
    pub lifecycle: Lifecycle,
    /// Who reads its documents.
    #[serde(default, skip_serializing_if = "Audience::is_internal")]
    pub audience: Audience,
    /// The document id: a path in the event, `streamId`, `type` or `data.<field>…`, e.g. `data.cartId`.
    pub key: String,
    /// Handlers or a template.
    pub logic: ProjectionLogic,
    /// When an async projection stores its checkpoint (an inline one is written with the events).
    #[serde(default, skip_serializing_if = "Checkpointing::is_default")]
    pub checkpointing: Checkpointing,
    /// What an async projection does at positions still in flight (taken by a transaction that
    /// has not committed yet) when it reads.
    #[serde(default, skip_serializing_if = "Gaps::is_default")]
    pub gaps: Gaps,
}

/// When an async projection stores its checkpoint, against when it writes its documents: what a
/// crash between the two leaves behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase", tag = "mode")]
pub enum Checkpointing {
    /// In the same transaction as the documents: a crash loses both, so the events are processed
    /// again on the documents as they were.
    #[default]
    WithReadModel,
    /// Separately, after each batch: a crash after the documents were written and before the
    /// checkpoint processes the batch again on documents that already have it.
    AfterBatch,
    /// Separately, every so many positions: a crash processes again everything since.
    Every {
        /// Positions between two stored checkpoints, at least 1.
        events: u32,
    },
}

/// [`Checkpointing`] in the externally tagged form [`super::tagged::retag`] reads.
#[derive(Deserialize)]
#[serde(remote = "Checkpointing", rename_all = "camelCase", deny_unknown_fields)]
enum Tagged {
    WithReadModel,
    AfterBatch,
    Every { events: u32 },
}

impl<'de> Deserialize<'de> for Checkpointing {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = super::tagged::retag(deserializer, "mode", &["withReadModel", "afterBatch"])?;
        super::tagged::read::<D, _>(value, Tagged::deserialize)
    }
}

/// What an async projection does at a gap: a position taken by a transaction still in flight,
/// while later positions have committed. Inline projections are written within the transaction
/// and never see one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase", tag = "mode")]
pub enum Gaps {
    /// Reads whatever has committed and moves its checkpoint past the gap: once the slow
    /// transaction commits, its events lie behind the checkpoint and are never read.
    #[default]
    Naive,
    /// Reads only up to the high-water mark, the lowest position still in flight, and waits
    /// there. A gap in flight for `staleAfterMs` is passed and its positions listed, to be read
    /// once they commit; without it, the projection waits as long as the transaction does.
    #[serde(rename_all = "camelCase")]
    HighWaterMark {
        /// How long a gap may hold it up, in simulated ms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stale_after_ms: Option<u64>,
    },
}

/// [`Gaps`] in the externally tagged form [`super::tagged::retag`] reads.
#[derive(Deserialize)]
#[serde(remote = "Gaps", rename_all = "camelCase", deny_unknown_fields)]
enum TaggedGaps {
    Naive,
    #[serde(rename_all = "camelCase")]
    HighWaterMark {
        #[serde(default)]
        stale_after_ms: Option<u64>,
    },
}

impl<'de> Deserialize<'de> for Gaps {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = super::tagged::retag(deserializer, "mode", &["naive"])?;
        super::tagged::read::<D, _>(value, TaggedGaps::deserialize)
    }
}

impl Gaps {
    fn is_default(&self) -> bool {
        *self == Gaps::Naive
    }
}

impl Checkpointing {
    fn is_default(&self) -> bool {
        *self == Checkpointing::WithReadModel
    }

    /// In words, for the page: "with the read model", "after each batch", "every 100 events".
    pub fn words(self) -> String {
        match self {
            Checkpointing::WithReadModel => "with the read model, in one transaction".to_owned(),
            Checkpointing::AfterBatch => "separately, after each batch".to_owned(),
            Checkpointing::Every { events } => format!("separately, every {events} events"),
        }
    }
}

fn one() -> u32 {
    1
}

/// Whether a key path is well formed: `streamId`, `type`, `revision`, `position`,
/// `schemaVersion` or `data` followed by `.name` segments.
pub fn is_key_path(path: &str) -> bool {
    let mut parts = path.split('.');
    match parts.next() {
        Some("streamId" | "type" | "revision" | "position" | "schemaVersion") => parts.next().is_none(),
        Some("data") => parts.all(|part| !part.is_empty()),
        _ => false,
    }
}
