//! Each rule's code and the texts every finding of it carries: why it hurts in production, the fix,
//! and where to learn more. The checks themselves are in `model_rules.rs`, `data_rules.rs` and
//! `system_rules.rs`.

use super::finding::Rule;

/// Too many events in one stream (thresholds: `oversized-stream`).
pub(crate) const OVERSIZED_STREAM: Rule = Rule {
    code: "oversized-stream",
    why: "Every command on the stream reads and folds all of it: latency and memory grow with its length, and a long stream is a contention point for concurrent writers.",
    fix: "Model shorter-lived streams (one per order, per stay, per day), or close the books: end the stream with a summary event and continue in a new one.",
    learn_more: "https://www.eventstore.com/blog/keep-your-streams-short-temporal-modelling-for-fast-reads-and-optimal-data-retention",
};

/// Too many payload bytes in one stream (thresholds: `oversized-stream-bytes`).
pub(crate) const OVERSIZED_STREAM_BYTES: Rule = Rule {
    code: "oversized-stream-bytes",
    why: "Loading the stream moves all of its bytes over the network and through the deserializer on every command.",
    fix: "Keep large documents out of events (store a reference), and keep streams short-lived.",
    learn_more: "https://www.eventstore.com/blog/keep-your-streams-short-temporal-modelling-for-fast-reads-and-optimal-data-retention",
};

/// A stream that, at its rate so far, reaches the next size level soon.
pub(crate) const STREAM_GROWTH: Rule = Rule {
    code: "stream-growth",
    why: "A stream that keeps growing at this rate will be slow to load and hard to archive; by the time the size warning fires, production streams are already long.",
    fix: "Decide now how the stream ends: a shorter-lived stream per period or per process, or closing the books with a summary event.",
    learn_more: "https://event-driven.io/en/closing_the_books_in_practice/",
};

/// A stream type with no closing or summary event whose streams keep growing.
pub(crate) const STREAM_WITHOUT_LIFECYCLE: Rule = Rule {
    code: "stream-without-lifecycle",
    why: "A stream that never ends only grows: reads get slower every month, and there is no point at which it can be archived.",
    fix: "Give the stream type an end (Closed, Completed, CheckedOut, Archived) or close the books periodically with a summary event that starts a new stream.",
    learn_more: "https://event-driven.io/en/closing_the_books_in_practice/",
};

/// One stream takes a large share of the recent appends.
pub(crate) const HOT_STREAM: Rule = Rule {
    code: "hot-stream",
    why: "All writers of a hot stream serialize on its expected revision: conflicts and retries grow with traffic, and it cannot be scaled out.",
    fix: "Split the stream by the thing that really needs consistency (per item, per day, per customer) and derive totals with a projection.",
    learn_more: "https://www.kurrent.io/blog/how-to-model-event-sourced-systems-efficiently",
};

/// Events named like table operations: Created / Updated / Deleted.
pub(crate) const CRUD_SOURCING: Rule = Rule {
    code: "crud-sourcing",
    why: "Updated events say that data changed but not why: the business intent is lost, consumers must diff payloads, and the log is a slower database table.",
    fix: "Name events after what happened in the business (ItemAddedToCart, AddressCorrected, OrderCancelled), one event per intent.",
    learn_more: "https://event-driven.io/en/property-sourcing/",
};

/// One command that always emits a Created and an Updated event together.
pub(crate) const CRUD_COMMAND_PAIR: Rule = Rule {
    code: "crud-command-pair",
    why: "A command that records one business action as 'created' then 'updated' splits a single fact in two: consumers see a half-made thing between them, and the names say nothing about the intent.",
    fix: "Emit one event named after what happened (CartOpened with its first item, GuestRegistered with the details), carrying everything the action decided.",
    learn_more: "https://event-driven.io/en/property-sourcing/",
};

/// `<Field>Changed` events carrying one field each.
pub(crate) const PROPERTY_SOURCING: Rule = Rule {
    code: "property-sourcing",
    why: "One event per changed property turns one business action into many events: invariants across fields cannot be checked in one decision and consumers see half-applied changes.",
    fix: "Emit one event per business action, carrying every field that action changes.",
    learn_more: "https://event-driven.io/en/property-sourcing/",
};

/// Events whose payload is (nearly) the whole state.
pub(crate) const STATE_OBSESSION: Rule = Rule {
    code: "state-obsession",
    why: "Events that copy the whole state grow with it, couple every consumer to the aggregate's internals, and hide what actually changed.",
    fix: "Put in the event what happened (the delta and the facts a consumer needs), not the resulting state.",
    learn_more: "https://event-driven.io/en/state-obsession/",
};

/// Events with no fields, or only ids.
pub(crate) const CLICKBAIT_EVENT: Rule = Rule {
    code: "clickbait-event",
    why: "An event that carries only ids forces every consumer to call back for the data, which couples them to the producer's availability and reads a state that may have moved on.",
    fix: "Carry the facts consumers need in the event itself; for public events, design the payload for its consumers.",
    learn_more: "https://verraes.net/2019/05/patterns-for-decoupling-distsys-fat-event/",
};

/// Many unrelated event families in one category.
pub(crate) const CATEGORY_FOR_EVERYTHING: Rule = Rule {
    code: "category-for-everything",
    why: "A category that mixes unrelated concepts has no single consistency boundary: its streams grow without bound and every subscriber reads events it does not care about.",
    fix: "Give each concept its own stream type and category (cart-…, payment-…, shipment-…).",
    learn_more: "https://www.kurrent.io/blog/how-to-model-event-sourced-systems-efficiently",
};

/// Stored events of a version no upcaster chain brings to the current one.
pub(crate) const MISSING_UPCASTER: Rule = Rule {
    code: "missing-upcaster",
    why: "Every read of those events fails or sees the wrong shape: deciders and projections break on old streams the day the new version ships.",
    fix: "Add an upcaster from the stored version to the next one (rename, add with default, split), and keep the chain complete.",
    learn_more: "https://event-driven.io/en/simple_events_versioning_patterns/",
};

/// A breaking schema change with no upcaster for it.
pub(crate) const BREAKING_CHANGE: Rule = Rule {
    code: "breaking-change-without-upcaster",
    why: "Readers of the old version break: a removed, renamed or retyped field is missing or wrong in every stored event.",
    fix: "Add an upcaster between the two versions, or make the change additive (new optional field with a default).",
    learn_more: "https://event-driven.io/en/simple_events_versioning_patterns/",
};

/// Applying the same event twice changes the read model.
pub(crate) const NON_IDEMPOTENT_PROJECTION: Rule = Rule {
    code: "non-idempotent-projection",
    why: "Subscriptions deliver at least once: after a restart or a retry the same event arrives again, and counts and sums drift.",
    fix: "Make the handler idempotent: track the last position applied per document, or set values instead of adding to them.",
    learn_more: "https://event-driven.io/en/dealing_with_eventual_consistency_and_idempotency_in_mongodb_projections/",
};

/// A projection stopped at an event its handler failed on.
pub(crate) const STOPPED_PROJECTION: Rule = Rule {
    code: "stopped-projection",
    why: "A stopped projection serves documents that fall further behind with every append, and nobody is told unless someone watches its lag. An inline one is meant to move with the append, so while it is stopped the store refuses every append it would read: the commands on those streams fail.",
    fix: "Fix the handler so that it accepts the event (saved under the same version, the projection resumes at that event), or skip the event if it is truly wrong; then make handlers tolerate every stored event.",
    learn_more: "https://www.kurrent.io/blog/live-projections-for-read-models-with-event-sourcing-and-cqrs",
};

/// A projection that reads another projection's documents.
pub(crate) const PROJECTION_READS_READ_MODEL: Rule = Rule {
    code: "projection-reads-read-model",
    why: "Its result depends on how far the other projection had got when each event was handled: rebuilds must run in order (a rebuild train), a replay gives different documents, and a lagging or failing upstream projection corrupts this one silently.",
    fix: "Build each read model from events alone: carry what you need in the events, or subscribe to the events the other projection reads and keep your own copy of the data.",
    learn_more: "https://event-driven.io/en/projections_and_read_models_in_event_driven_architecture/",
};

/// `evolve` fails on a stored event.
pub(crate) const THROWING_EVOLVE: Rule = Rule {
    code: "throwing-evolve",
    why: "evolve runs on every read: an event it cannot apply makes the stream unusable, and no command on it can ever succeed again.",
    fix: "evolve must accept every stored event: validate in decide, and let evolve only record what happened.",
    learn_more: "https://thinkbeforecoding.com/post/2021/12/17/functional-event-sourcing-decider",
};

/// An external consumer reading a private event type.
pub(crate) const PRIVATE_EVENT_LEAK: Rule = Rule {
    code: "private-event-leak",
    why: "Private events are free to change with the stream type; a consumer in another service that reads them breaks on the next refactoring, or blocks it.",
    fix: "Publish a public integration event for what the consumer needs (translated from the private ones, e.g. by an outbox), or mark the event type public and version it as a contract.",
    learn_more: "https://event-driven.io/en/internal_external_events/",
};

/// Appends without an expected revision on streams that a decider owns.
pub(crate) const UNCHECKED_APPEND: Rule = Rule {
    code: "unchecked-append",
    why: "A decider's rules hold only for the state it read: an append with expected revision `any` can land after another writer's events, so invariants are broken silently instead of failing with a conflict.",
    fix: "Append with the revision the decision read (the runtime's default), and retry the command after a WrongExpectedVersion.",
    learn_more: "https://developers.eventstore.com/clients/grpc/appending-events.html#handling-concurrency",
};

/// Personal data in long-lived streams with no retention plan.
pub(crate) const PII_WITHOUT_RETENTION: Rule = Rule {
    code: "pii-without-retention",
    why: "Events are immutable and kept forever by default: personal data in them cannot be erased on request (GDPR's right to be forgotten) unless the design says how.",
    fix: "Give the stream type a retention plan: crypto-shredding of the personal fields, stream metadata ($maxAge/$maxCount) with scavenging, or archiving and deleting closed streams.",
    learn_more: "https://event-driven.io/en/gdpr_in_event_driven_architecture/",
};

/// PII in public events.
pub(crate) const PII_IN_PUBLIC_EVENT: Rule = Rule {
    code: "pii-in-public-event",
    why: "Public events are copied into other systems you do not control: personal data there cannot be erased on request (GDPR) and leaks with every consumer.",
    fix: "Keep personal data in private events or behind a reference; publish ids, or encrypt the fields (crypto-shredding).",
    learn_more: "https://event-driven.io/en/gdpr_in_event_driven_architecture/",
};

/// A module publishing by dual write while something subscribes to its topics.
pub(crate) const DUAL_WRITE: Rule = Rule {
    code: "dual-write",
    why: "Saving the change and publishing the message are two writes with nothing tying them together: a crash, a timeout or a broker outage between them loses the message for good, and the subscribers drift from the publisher with nothing to tell them.",
    fix: "Publish through an outbox (the message written in the same transaction as the change, relayed from a checkpoint) or by change data capture of the module's store; both deliver at least once, so make the subscribers idempotent too.",
    learn_more: "https://microservices.io/patterns/data/transactional-outbox.html",
};

/// A consumer without an inbox that does the work again when a message comes twice.
pub(crate) const NON_IDEMPOTENT_CONSUMER: Rule = Rule {
    code: "non-idempotent-consumer",
    why: "The broker delivers at least once: a retry, a consumer that crashes before its acknowledgement or an outbox relay that publishes again hands it the same message twice, and every copy does the work again: a second invoice, a second charge, a count off by one.",
    fix: "Give the consumer an inbox (the message ids it handled, written with its changes and kept as long as duplicates can come), or make the handling idempotent: commands the target module ignores when they are already done (a decider that checks its state, an upsert keyed by the message), idempotency keys on external calls.",
    learn_more: "https://microservices.io/patterns/communication-style/idempotent-consumer.html",
};

/// A consumer or process reading another module's private events.
pub(crate) const PRIVATE_EVENT_CONSUMER: Rule = Rule {
    code: "private-event-consumer",
    why: "A module's private events are its internal model, free to change with it: a subscriber in another module breaks on the next refactoring of the publisher, or forbids it, and the two modules can no longer be changed or deployed apart.",
    fix: "Have the publishing module translate what the subscriber needs into a public contract (a translation, published by an outbox), versioned as an API, and subscribe to that.",
    learn_more: "https://event-driven.io/en/internal_external_events/",
};

/// A process manager that can never time out.
pub(crate) const PROCESS_WITHOUT_TIMEOUT: Rule = Rule {
    code: "process-without-timeout",
    why: "A process that waits for an answer without a deadline waits forever when the answer is lost, parked or never sent: its instance stays open, holding what it reserved, and nobody is told.",
    fix: "Declare a timeout for each wait (`timeouts`) and schedule it from `decide` (`schedule: [#{ name, afterMs, data }]`); when it fires, retry, compensate or escalate, and cancel it when the answer comes.",
    learn_more: "https://www.enterpriseintegrationpatterns.com/patterns/messaging/ProcessManager.html",
};

/// A process step nothing undoes.
pub(crate) const STEP_WITHOUT_COMPENSATION: Rule = Rule {
    code: "step-without-compensation",
    why: "A process spans modules with no transaction around them: when a later step fails or times out, the steps already taken stay done (an invoice issued for an order that was never paid, stock reserved for nobody) unless something undoes them.",
    fix: "Give each step a compensating command (`compensations: [{ step, undo }]`) and have the process ask for it (`compensate: true`) when it gives up; a step that cannot be undone goes last, after every step that can fail.",
    learn_more: "https://microservices.io/patterns/data/saga.html",
};

/// A consumer whose outcome depends on the order messages arrive in.
pub(crate) const ORDER_DEPENDENT_CONSUMER: Rule = Rule {
    code: "order-dependent-consumer",
    why: "Deliveries overtake each other: retries, redeliveries after a crash, partitions and parallel consumers hand messages over in another order than they were published, and a consumer that assumes the order rejects, fails on or overwrites what came early.",
    fix: "Make the handling independent of the order: record what arrived and act once the picture is complete (a small state machine per entity), accept the early message and let the later one find it, or carry a version per entity and ignore stale updates; failing the early message to retry it later works only with a retry policy that waits long enough.",
    learn_more: "https://www.enterpriseintegrationpatterns.com/patterns/messaging/Resequencer.html",
};

/// An event whose only consumer always answers its publisher.
pub(crate) const PASSIVE_AGGRESSIVE_EVENT: Rule = Rule {
    code: "passive-aggressive-event",
    why: "An event that exactly one consumer acts on, answering the publisher, is a command in disguise: the publisher depends on that consumer doing one thing, but the coupling is invisible, the consumer cannot refuse it as it could refuse a command, and a second subscriber or a change of mind breaks a flow nobody drew.",
    fix: "Say what is meant: send a command to the module that must act (it can accept or reject it) and let it publish its own events; or keep the event a plain fact that the publisher does not wait on.",
    learn_more: "https://event-driven.io/en/passive_aggressive_events/",
};

/// Every rule code, for settings and docs.
pub(crate) const ALL: [&Rule; 28] = [
    &OVERSIZED_STREAM,
    &OVERSIZED_STREAM_BYTES,
    &STREAM_GROWTH,
    &STREAM_WITHOUT_LIFECYCLE,
    &HOT_STREAM,
    &CRUD_SOURCING,
    &CRUD_COMMAND_PAIR,
    &PROPERTY_SOURCING,
    &STATE_OBSESSION,
    &CLICKBAIT_EVENT,
    &CATEGORY_FOR_EVERYTHING,
    &MISSING_UPCASTER,
    &BREAKING_CHANGE,
    &NON_IDEMPOTENT_PROJECTION,
    &STOPPED_PROJECTION,
    &PROJECTION_READS_READ_MODEL,
    &THROWING_EVOLVE,
    &PII_IN_PUBLIC_EVENT,
    &PII_WITHOUT_RETENTION,
    &PRIVATE_EVENT_LEAK,
    &UNCHECKED_APPEND,
    &DUAL_WRITE,
    &NON_IDEMPOTENT_CONSUMER,
    &PRIVATE_EVENT_CONSUMER,
    &PROCESS_WITHOUT_TIMEOUT,
    &STEP_WITHOUT_COMPENSATION,
    &ORDER_DEPENDENT_CONSUMER,
    &PASSIVE_AGGRESSIVE_EVENT,
];
