//! `passive-aggressive-event`: a contract that one subscriber acts on by answering its
//! publisher, found by running that subscriber.
//!
//! A contract is flagged when exactly one consumer or process manager reads it, in another
//! module than the publisher's, and handing that subscriber a sample message (on fresh services
//! of the [`Lab`]) makes a message — a message it sends, or one translated from what its commands
//! stored or wrote — that a consumer or process manager of the publishing module reads: the
//! publisher waits for an answer, so the event is a command in disguise. A contract read by
//! several subscribers, or whose one subscriber answers nobody in the publishing module (or
//! fails on the sample), is not flagged.

use super::Lab;
use crate::lint::rules::PASSIVE_AGGRESSIVE_EVENT;
use crate::lint::{Finding, Severity, Subject, Thresholds};

/// One finding per contract whose one subscriber answers the publishing module.
pub(super) fn passive_aggressive_event(lab: &Lab, _: &Thresholds) -> Vec<Finding> {
    let mut findings = Vec::new();
    for module in &lab.system().modules {
        for contract in &module.contracts {
            let readers = lab.readers(&contract.name);
            let [reader] = readers.as_slice() else {
                continue;
            };
            if reader.module == module.name {
                continue;
            }
            let Some(answer) = answer(lab, &module.name, &contract.name, reader.name) else {
                continue;
            };
            let message = format!(
                "{} (published by {}) has one subscriber, {} {} (module {}), whose handling answers with {answer}",
                contract.name, module.name, reader.kind, reader.name, reader.module
            );
            let subject = Subject::Contract {
                name: contract.name.clone(),
            };
            findings.push(Finding::new(
                &PASSIVE_AGGRESSIVE_EVENT,
                Severity::Info,
                subject,
                message,
            ));
        }
    }
    findings
}

/// Hands a sample of `topic` to `reader`; the first message its handling made that the
/// `publisher` module reads, as `Topic, read by …`.
fn answer(lab: &Lab, publisher: &str, topic: &str, reader: &str) -> Option<String> {
    let sample = lab.sample(topic)?;
    let mut services = lab.services()?;
    let id = services.make_up(&sample.source, topic, sample.data);
    let before = services.messages().len();
    let delivery = services.hand(reader, &id).ok()??;
    if delivery.outcome != "handled" {
        return None;
    }
    services.messages().get(before..)?.iter().find_map(|message| {
        let back: Vec<String> = lab
            .readers(&message.topic)
            .iter()
            .filter(|r| r.module == publisher)
            .map(|r| format!("{} {}", r.kind, r.name))
            .collect();
        (!back.is_empty()).then(|| {
            format!(
                "{}, which {publisher} reads ({}): the publisher waits for an answer",
                message.topic,
                back.join(", ")
            )
        })
    })
}
