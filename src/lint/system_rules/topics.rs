//! `private-event-consumer`: a consumer or process manager subscribed to another module's
//! private events (`module.EventType`) rather than to a contract.

use super::lab::private_topic;
use super::Lab;
use crate::lint::rules::PRIVATE_EVENT_CONSUMER;
use crate::lint::{Finding, Severity, Subject, Thresholds};

/// One finding per consumer or process reading a private event type of a module other than its
/// own (its own module's private events are its own business).
pub(super) fn private_event_consumer(lab: &Lab, _: &Thresholds) -> Vec<Finding> {
    let system = lab.system();
    let consumers = system.consumers.iter().map(|c| {
        let subject = Subject::Consumer { name: c.name.clone() };
        (subject, "consumer", &c.name, &c.module, &c.topics)
    });
    let processes = system.processes.iter().map(|p| {
        let subject = Subject::Process { name: p.name.clone() };
        (subject, "process", &p.name, &p.module, &p.topics)
    });
    consumers
        .chain(processes)
        .filter_map(|(subject, kind, name, own, topics)| {
            let private: Vec<&str> = topics
                .iter()
                .filter(|topic| private_topic(system, topic).is_some_and(|(module, _)| module != own.as_str()))
                .map(String::as_str)
                .collect();
            if private.is_empty() {
                return None;
            }
            let message = format!(
                "{kind} {name} (module {own}) subscribes to {}, private to {}",
                private.join(", "),
                if private.len() == 1 {
                    "its module"
                } else {
                    "their modules"
                }
            );
            Some(Finding::new(
                &PRIVATE_EVENT_CONSUMER,
                Severity::Warning,
                subject,
                message,
            ))
        })
        .collect()
}
