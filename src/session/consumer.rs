//! One subscriber (a consumer or a process manager) as the system page opens it: where its
//! checkpoint is, its inbox with the duplicates it dropped, every delivery attempt newest first,
//! the retries waiting on the clock, its retry policy, and whether it stopped or parked messages.

use super::error::Result;
use super::workspace::Workspace;
use crate::model::{Faults, NackAction, RetryPolicy};
use crate::sim::system::{Delivery, ScheduledRetry};

/// How many deliveries the view lists before "show more" (which adds as many again).
pub const SHOWN_DELIVERIES: usize = 20;

/// A row of a subscriber's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxLine {
    /// The message id kept.
    pub message_id: String,
    /// When it was handled.
    pub handled_ms: i64,
    /// How many later deliveries of it the inbox dropped (dedup hits).
    pub dropped: usize,
}

/// A subscriber opened.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsumerView {
    /// Its name.
    pub name: String,
    /// `consumer` or `process`.
    pub kind: &'static str,
    /// Its module.
    pub module: String,
    /// What it reads.
    pub topics: Vec<String>,
    /// How many messages its checkpoint has passed.
    pub checkpoint: u64,
    /// The last message its checkpoint passed.
    pub checkpoint_message_id: Option<String>,
    /// Messages published to it and not behind the checkpoint yet.
    pub pending: usize,
    /// Its inbox's rows, oldest first; `None` without an inbox.
    pub inbox: Option<Vec<InboxLine>>,
    /// The latest deliveries, newest first, at most as many as asked for.
    pub deliveries: Vec<Delivery>,
    /// How many deliveries there were in all.
    pub delivery_count: usize,
    /// Retries waiting on the clock, soonest first.
    pub retries: Vec<ScheduledRetry>,
    /// How it retries, and what follows the last retry.
    pub policy: RetryPolicy,
    /// Why it stopped, if it did.
    pub stopped: Option<String>,
    /// Messages held while stopped.
    pub held: usize,
    /// Messages parked.
    pub parked: usize,
    /// Its link's faults.
    pub faults: Faults,
}

impl Workspace {
    /// Subscriber `name` opened, with its latest `shown` deliveries.
    pub fn consumer_view(&self, name: &str, shown: usize) -> Result<ConsumerView> {
        let services = self.services();
        let Some(row) = services.subscribers().into_iter().find(|s| s.name == name) else {
            return Err(crate::sim::Error::Unknown {
                what: "consumer",
                name: name.to_owned(),
            }
            .into());
        };
        let all = services.deliveries(Some(name))?;
        let dropped = |id: &str| {
            all.iter()
                .filter(|d| d.outcome == "dropped" && d.message_id == id)
                .count()
        };
        let inbox = services.inbox(name)?.map(|rows| {
            rows.into_iter()
                .map(|row| InboxLine {
                    dropped: dropped(&row.message_id),
                    message_id: row.message_id,
                    handled_ms: row.handled_ms,
                })
                .collect()
        });
        let system = services.definition();
        let policy = system
            .consumer(name)
            .map(|c| c.retry)
            .or_else(|| system.process(name).map(|p| p.retry))
            .unwrap_or_default();
        let delivery_count = all.len();
        Ok(ConsumerView {
            name: row.name,
            kind: row.kind,
            module: row.module,
            topics: row.topics,
            checkpoint: row.checkpoint,
            checkpoint_message_id: row.checkpoint_message_id,
            pending: row.pending,
            inbox,
            deliveries: all.into_iter().rev().take(shown).collect(),
            delivery_count,
            retries: services.retries(name)?,
            policy,
            stopped: row.stopped,
            held: row.held,
            parked: row.parked,
            faults: services.faults(crate::sim::system::FaultTarget::Consumer(name))?,
        })
    }
}

/// A retry policy in words: `3 retries, 100 ms apart then ×2 each, then park`.
pub fn retry_words(policy: &RetryPolicy) -> String {
    let then = match policy.exhausted {
        NackAction::Retry => "then retry on",
        NackAction::Park => "then park",
        NackAction::Skip => "then skip",
        NackAction::Stop => "then stop the consumer",
    };
    format!(
        "{}, {} ms apart then ×{} each, {then}",
        super::counted_as(u64::from(policy.max_retries), "retry", "retries"),
        policy.backoff_ms,
        policy.multiplier
    )
}
