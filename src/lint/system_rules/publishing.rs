//! `dual-write`: a module that saves and then publishes, with nothing tying the two together,
//! while something subscribes to what it publishes.

use super::Lab;
use crate::lint::rules::DUAL_WRITE;
use crate::lint::Subject;
use crate::lint::{Finding, Severity, Thresholds};
use crate::model::Publishing;

/// One finding per module publishing by dual write (the default) whose contracts someone reads.
/// A module's private events (`module.EventType` topics) are read from its store, not published
/// by it, so they do not count.
pub(super) fn dual_write(lab: &Lab, _: &Thresholds) -> Vec<Finding> {
    lab.system()
        .modules
        .iter()
        .filter(|module| module.publishing == Publishing::DualWrite)
        .filter_map(|module| {
            let read: Vec<String> = module
                .contracts
                .iter()
                .filter_map(|contract| {
                    let readers: Vec<&str> = lab.readers(&contract.name).iter().map(|r| r.name).collect();
                    (!readers.is_empty()).then(|| format!("{} (read by {})", contract.name, readers.join(", ")))
                })
                .collect();
            if read.is_empty() {
                return None;
            }
            let message = format!(
                "{} publishes {} by dual write, with no outbox and no change data capture: a crash between a change and its publish loses the message",
                module.name,
                read.join(", ")
            );
            let subject = Subject::Module {
                name: module.name.clone(),
            };
            Some(Finding::new(&DUAL_WRITE, Severity::Warning, subject, message))
        })
        .collect()
}
