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
    /// Closing the books: each stream lives one period, and the next period's stream starts from
    /// the state the last one closed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<Periods>,
}

/// Closing the books, for a stream type whose streams would otherwise never end (a cash
/// register, a ledger account, a room's calendar).
///
/// Commands go to the base stream, e.g. `register-7`, and land in its open period's stream,
/// `register-7:3`. When a period closes, `closed_event` is appended to it and `opened_event` to the
/// next period's stream in one transaction across the two streams; both carry the state the period
/// closed with (`{ "of", "period", "state" }`), and a fold of the next period starts from it. A
/// base stream written before its type had periods is period 0, closed like any other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Periods {
    /// The event type that ends a period, e.g. `ShiftClosed`.
    pub closed_event: String,
    /// The event type that starts the next one, e.g. `ShiftOpened`.
    pub opened_event: String,
    /// When a period closes on its own (the books can also be closed by hand).
    pub close_after: PeriodEnd,
}

/// When a period closes: before the first command of a later simulated day, or once it holds so
/// many events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum PeriodEnd {
    /// `{"days": n}`: a period spans n simulated days (a shift, a business day, a month of 30).
    Days(u32),
    /// `{"events": n}`: a period holds at most n events, its closing one excluded.
    Events(u32),
}

impl PeriodEnd {
    /// In words: "every day", "every 7 days", "every 500 events".
    pub fn words(self) -> String {
        match self {
            PeriodEnd::Days(1) => "every simulated day".to_owned(),
            PeriodEnd::Days(days) => format!("every {days} simulated days"),
            PeriodEnd::Events(events) => format!("every {events} events"),
        }
    }
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
    /// For crypto-shredding: the field naming whose personal data an event holds (the data
    /// subject), e.g. `customerId`. An event without it takes its stream's last subject; a stream
    /// with none is its own subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
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

/// A period stream's base and number: `register-7:3` is period 3 of `register-7`; a stream with
/// no `:<n>` suffix is its own base, period 0.
pub fn period_of(stream_id: &str) -> (&str, u64) {
    stream_id
        .rsplit_once(':')
        .and_then(|(base, n)| {
            let digits = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0');
            digits.then(|| n.parse().ok().map(|n| (base, n))).flatten()
        })
        .unwrap_or((stream_id, 0))
}

/// The stream of period `n` of `base`: the base itself for period 0.
pub fn period_stream(base: &str, n: u64) -> String {
    match n {
        0 => base.to_owned(),
        n => format!("{base}:{n}"),
    }
}
