//! Stream types: deciders as values (an initial state, `decide` and `evolve`) bound to a category.
//!
//! The script defines two functions, and the rules for them are strict:
//!
//! - `fn decide(command, state)` holds all the business rules. `command` is `#{ type, data }`.
//!   It returns an array of new events, `[#{ type: "ItemAdded", data: #{ … } }]`, where an empty
//!   array means nothing happened, or rejects the command with `throw "message"`.
//! - `fn evolve(state, event)` returns the new state; no rules, no rejections: it must accept
//!   every event ever stored. `event` is `#{ type, data, streamId, revision, position, schemaVersion }`,
//!   always upcast to its type's current version.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::store::category_of;

/// A decider: the behaviour of every stream of one category, e.g. `cart-{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StreamType {
    /// The name, e.g. `Cart`.
    pub name: String,
    /// What a stream of this type is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The stream id pattern: the category, a dash and `{id}`, e.g. `cart-{id}`.
    pub stream_id_pattern: String,
    /// The state before the first event.
    #[serde(default)]
    pub initial_state: Value,
    /// The rhai source defining `decide(command, state)` and `evolve(state, event)`.
    pub script: String,
    /// How long its streams keep their events, and how personal data in them is erased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Retention>,
}

/// How a stream type's data is removed when it is no longer needed (a GDPR erasure request, the
/// end of a legal retention period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Retention {
    /// The mechanism.
    pub strategy: RetentionStrategy,
    /// The plan in words: who asks, how long, what is kept (e.g. "erased 30 days after checkout").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A retention mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RetentionStrategy {
    /// Personal fields are encrypted with a key per person; erasing the key erases the data.
    CryptoShredding,
    /// Streams get `$maxAge` or `$maxCount` metadata and a scavenge removes what expired.
    StreamMetadata,
    /// Closed streams are archived and then hard-deleted.
    ArchiveAndDelete,
}

impl StreamType {
    /// The category: the pattern's part before the first `-`, e.g. `cart`.
    pub fn category(&self) -> &str {
        category_of(&self.stream_id_pattern)
    }

    /// Whether a stream id belongs to this type (its category matches).
    pub fn owns(&self, stream_id: &str) -> bool {
        stream_id.contains('-') && category_of(stream_id) == self.category()
    }
}
