//! Subscriptions, delivered by polling.
//!
//! A subscription is a cursor: the position of the last event it delivered. [`Store::poll`]
//! returns the next events after it that match the filter, catch-up and live alike, since both
//! are just the log: the events stored when the subscription started come first, then those
//! appended later, in position order, each exactly once. Only committed events exist (an append
//! is atomic), and a hidden event is skipped as a read would skip it.
//!
//! A pull model keeps the single-threaded wasm core simple: the store never calls out, so a slow
//! or failing consumer can never affect an append; it only falls behind. Subscriptions are
//! runtime state and are not part of a snapshot.

use std::collections::BTreeMap;
use std::mem::size_of;

use serde::{Deserialize, Serialize};

use super::archive::ColdFilter;
use super::error::{Error, Result};
use super::event::{RawEvent, RecordedEvent};
use super::ids::validate_stream_id;
use super::read::{Direction, Slots};
use super::store::Store;

/// Which events a subscription delivers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionFilter {
    /// Every event (`$all`).
    All,
    /// The events of one category.
    Category(String),
    /// The events of one stream; it need not exist yet.
    Stream(String),
}

/// Names a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SubscriptionId(pub u64);

#[derive(Debug, Clone)]
struct Subscription {
    filter: SubscriptionFilter,
    /// The position of the last delivered event; `None` before the first.
    checkpoint: Option<u64>,
}

#[derive(Debug, Default)]
pub(crate) struct Subscriptions {
    next_id: u64,
    active: BTreeMap<u64, Subscription>,
}

impl Subscriptions {
    pub fn heap_bytes(&self) -> usize {
        self.active.len() * (size_of::<Subscription>() + 64)
    }
}

impl Store {
    /// Starts a subscription after the checkpoint `from` (the position of the last event the
    /// consumer has processed), or from the first event when `from` is `None`.
    pub fn subscribe(&mut self, filter: SubscriptionFilter, from: Option<u64>) -> Result<SubscriptionId> {
        if let SubscriptionFilter::Stream(stream_id) = &filter {
            validate_stream_id(stream_id)?;
        }
        let subscriptions = &mut self.subscriptions;
        let id = subscriptions.next_id;
        subscriptions.next_id += 1;
        subscriptions.active.insert(
            id,
            Subscription {
                filter,
                checkpoint: from,
            },
        );
        Ok(SubscriptionId(id))
    }

    /// Delivers up to `max` events after the subscription's checkpoint and moves it past them.
    pub fn poll(&mut self, id: SubscriptionId, max: usize) -> Result<Vec<RecordedEvent>> {
        let mut events = Vec::new();
        self.poll_raw(id, max, |event| events.push(event.to_recorded()))?;
        Ok(events)
    }

    /// [`Store::poll`] without building `Value`s; returns how many events were delivered.
    pub fn poll_raw(&mut self, id: SubscriptionId, max: usize, mut visit: impl FnMut(RawEvent<'_>)) -> Result<usize> {
        let subscription = self
            .subscriptions
            .active
            .get(&id.0)
            .ok_or_else(|| Error::invalid(format!("subscription {}", id.0), "it does not exist"))?;
        let Some(from) = subscription.checkpoint.map_or(Some(0), |c| c.checked_add(1)) else {
            return Ok(0);
        };
        let catalog = &self.catalog;
        let (slots, cold) = match &subscription.filter {
            SubscriptionFilter::All => (Slots::Log(self.log.len()), ColdFilter::All),
            SubscriptionFilter::Category(name) => match (catalog.category(name), catalog.category_index(name)) {
                (Some(c), Some(index)) => (Slots::List(&c.slots), ColdFilter::Category(index)),
                _ => (Slots::Empty, ColdFilter::Nothing),
            },
            SubscriptionFilter::Stream(id) => match (catalog.stream(id), catalog.stream_index(id)) {
                (Some(s), Some(index)) => (Slots::List(&s.slots), ColdFilter::Stream(index)),
                _ => (Slots::Empty, ColdFilter::Nothing),
            },
        };
        let mut last = None;
        let count = self.scan(slots, cold, from, max, Direction::Forwards, &mut |event| {
            last = Some(event.position);
            visit(event);
        });
        if let (Some(position), Some(subscription)) = (last, self.subscriptions.active.get_mut(&id.0)) {
            subscription.checkpoint = Some(position);
        }
        Ok(count)
    }

    /// The position of the last event a subscription delivered.
    pub fn checkpoint(&self, id: SubscriptionId) -> Option<u64> {
        self.subscriptions.active.get(&id.0).and_then(|s| s.checkpoint)
    }

    /// Ends a subscription; returns whether it existed.
    pub fn unsubscribe(&mut self, id: SubscriptionId) -> bool {
        self.subscriptions.active.remove(&id.0).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Config, ExpectedRevision, NewEvent};
    use serde_json::json;

    fn add(store: &mut Store, stream: &str, n: usize) {
        let events = (0..n).map(|i| NewEvent::new("T", json!(i))).collect();
        assert!(
            store.append(stream, ExpectedRevision::Any, events).is_ok(),
            "append to {stream}"
        );
    }

    #[test]
    fn catch_up_then_live_each_once_in_order() {
        let mut store = Store::new(Config::default());
        add(&mut store, "cart-1", 3);
        add(&mut store, "user-1", 2);
        let all = store
            .subscribe(SubscriptionFilter::All, None)
            .unwrap_or(SubscriptionId(99));
        let carts = store
            .subscribe(SubscriptionFilter::Category("cart".into()), Some(0))
            .unwrap_or(SubscriptionId(99));
        let user = store
            .subscribe(SubscriptionFilter::Stream("user-1".into()), None)
            .unwrap_or(SubscriptionId(99));
        let positions =
            |events: Result<Vec<RecordedEvent>>| events.map(|e| e.iter().map(|e| e.position).collect::<Vec<_>>());
        assert_eq!(
            positions(store.poll(all, 4)).ok(),
            Some(vec![0, 1, 2, 3]),
            "catch-up, limited"
        );
        assert_eq!(
            positions(store.poll(carts, 10)).ok(),
            Some(vec![1, 2]),
            "after checkpoint 0"
        );
        add(&mut store, "cart-1", 1);
        assert_eq!(
            positions(store.poll(all, 10)).ok(),
            Some(vec![4, 5]),
            "rest of catch-up, then live"
        );
        assert_eq!(
            positions(store.poll(carts, 10)).ok(),
            Some(vec![5]),
            "live category event"
        );
        assert_eq!(positions(store.poll(user, 10)).ok(), Some(vec![3, 4]), "stream events");
        assert_eq!(positions(store.poll(all, 10)).ok(), Some(vec![]), "nothing new");
        assert!(store.unsubscribe(all), "unsubscribe");
        assert_eq!(
            store.poll(all, 1).err().map(|e| e.code()),
            Some("InvalidInput"),
            "poll after unsubscribe"
        );
    }
}
