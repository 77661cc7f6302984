//! Rules that read a scenario's system: its modules, consumers and process managers, and what
//! travels between them. Some read the definitions alone; the others run consumers on services
//! of their own, started fresh from the definitions (see [`Lab`]), so the running state is never
//! touched and the recorded events never matter.
//!
//! Only the definitions count (the main model, the system, the seed), so the findings hold until
//! one of them changes: [`super::Linter`] finds them once and again at a relint with a changed
//! model, never after an append. A scenario without a system runs none of this.
//!
//! Files: `system_rules/publishing.rs` (`dual-write`), `system_rules/topics.rs`
//! (`private-event-consumer`), `system_rules/processes.rs` (`process-without-timeout`,
//! `step-without-compensation`), `system_rules/lab.rs` (fresh services, sample messages, what a
//! run leaves), `system_rules/consumers.rs` (`non-idempotent-consumer`,
//! `order-dependent-consumer`, found by running them) and `system_rules/replies.rs`
//! (`passive-aggressive-event`, found by running the one consumer).

mod consumers;
mod lab;
mod processes;
mod publishing;
mod replies;
mod topics;

pub(crate) use lab::Lab;

use super::finding::Rule;
use super::{rules, Finding, Thresholds};

/// A rule and the check that finds it in a system.
type RuleCheck = (&'static Rule, fn(&Lab, &Thresholds) -> Vec<Finding>);

/// Every system rule, in the order of `rules::ALL`.
const CHECKS: [RuleCheck; 7] = [
    (&rules::DUAL_WRITE, publishing::dual_write),
    (&rules::NON_IDEMPOTENT_CONSUMER, consumers::non_idempotent_consumer),
    (&rules::PRIVATE_EVENT_CONSUMER, topics::private_event_consumer),
    (&rules::PROCESS_WITHOUT_TIMEOUT, processes::process_without_timeout),
    (&rules::STEP_WITHOUT_COMPENSATION, processes::step_without_compensation),
    (&rules::ORDER_DEPENDENT_CONSUMER, consumers::order_dependent_consumer),
    (&rules::PASSIVE_AGGRESSIVE_EVENT, replies::passive_aggressive_event),
];

/// Every finding of the system rules that are switched on.
///
/// Cost: the static rules read the definitions; the running ones start fresh services (a main
/// runtime with an empty store, empty modules) per probe and hand them one or two made-up
/// messages: per consumer without an inbox, two handlings per topic with a schema; per consumer,
/// four handlings per pair of its topics, at most `order-dependent-consumer.pairs` pairs; per
/// contract with one subscriber, one handling. Nothing scheduled runs (see
/// [`crate::sim::system::Services::hand`]).
pub(crate) fn check(lab: &Lab, thresholds: &Thresholds) -> Vec<Finding> {
    CHECKS
        .iter()
        .filter(|(rule, _)| thresholds.enabled(rule.code))
        .flat_map(|(_, rule_check)| rule_check(lab, thresholds))
        .collect()
}
