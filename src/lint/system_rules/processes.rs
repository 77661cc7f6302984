//! `process-without-timeout`: a process manager that can never time out.
//! `step-without-compensation`: a step of a process manager that nothing undoes.

use std::collections::BTreeSet;

use super::Lab;
use crate::lint::rules::{PROCESS_WITHOUT_TIMEOUT, STEP_WITHOUT_COMPENSATION};
use crate::lint::{Finding, Severity, Subject, Thresholds};

/// One finding per process that declares no `timeouts` and whose script never mentions
/// `schedule` (as a whole word): it has no way to give up waiting.
pub(super) fn process_without_timeout(lab: &Lab, _: &Thresholds) -> Vec<Finding> {
    lab.system()
        .processes
        .iter()
        .filter(|process| process.timeouts.is_empty() && !mentions(&process.script, "schedule"))
        .map(|process| {
            let message = format!(
                "{} declares no timeouts and its script schedules none: an instance whose answer never comes waits forever",
                process.name
            );
            let subject = Subject::Process {
                name: process.name.clone(),
            };
            Finding::new(&PROCESS_WITHOUT_TIMEOUT, Severity::Warning, subject, message)
        })
        .collect()
}

/// One finding per process with steps (its `steps`) that have no entry in its `compensations`;
/// a step that is itself the undo of another step needs none.
pub(super) fn step_without_compensation(lab: &Lab, _: &Thresholds) -> Vec<Finding> {
    lab.system()
        .processes
        .iter()
        .filter_map(|process| {
            let covered: BTreeSet<&str> = process
                .compensations
                .iter()
                .flat_map(|c| [c.step.as_str(), c.undo.as_str()])
                .collect();
            let mut listed = BTreeSet::new();
            let bare: Vec<&str> = process
                .steps
                .iter()
                .map(String::as_str)
                .filter(|step| !covered.contains(step) && listed.insert(*step))
                .collect();
            if bare.is_empty() {
                return None;
            }
            let message = format!(
                "{}'s step{} {} {} no compensation: when the process fails after {}, nothing undoes {}",
                process.name,
                if bare.len() == 1 { "" } else { "s" },
                bare.join(", "),
                if bare.len() == 1 { "has" } else { "have" },
                if bare.len() == 1 { "it" } else { "them" },
                if bare.len() == 1 { "it" } else { "them" },
            );
            let subject = Subject::Process {
                name: process.name.clone(),
            };
            Some(Finding::new(
                &STEP_WITHOUT_COMPENSATION,
                Severity::Warning,
                subject,
                message,
            ))
        })
        .collect()
}

/// Whether `word` occurs in `source` as a whole word (not inside `rescheduled`).
fn mentions(source: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    source.match_indices(word).any(|(at, _)| {
        let before = source[..at].chars().next_back();
        let after = source[at + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}
