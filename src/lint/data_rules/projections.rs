//! `non-idempotent-projection`: applying the same stored event twice changes a scripted
//! projection's documents. `stopped-projection`: a running projection stopped at a poison event.

use super::super::rules::{NON_IDEMPOTENT_PROJECTION, STOPPED_PROJECTION};
use super::super::{Finding, Severity, Subject, Thresholds};
use crate::model::{Lifecycle, Model, Projection, ProjectionLogic, Source as Reads};
use crate::script::Sandbox;
use crate::sim::projection::{apply, Documents};
use crate::sim::{upcast::upcast_all, Envelope, ProjectionStatus};
use crate::store::{Direction, RawEvent, Source, Store};

/// How many stored events the check applies twice.
pub(crate) const SAMPLE: usize = 20;

/// Applies each of the first [`SAMPLE`] events the projection reads once to the documents built
/// so far and once more to the result; a second application that changes them is a finding.
/// Returns the finding, if any, and whether the sample was full (when it was not, later appends
/// can change the answer). A handler that fails ends the check without a finding.
pub(crate) fn non_idempotent(
    model: &Model,
    store: &Store,
    thresholds: &Thresholds,
    sandbox: &mut Sandbox,
    projection: &Projection,
) -> (Option<Finding>, bool) {
    if !thresholds.enabled(NON_IDEMPOTENT_PROJECTION.code) || !matches!(projection.logic, ProjectionLogic::Script(_)) {
        return (None, true);
    }
    let sample = sample(store, &projection.source);
    let full = sample.len() == SAMPLE;
    let mut documents = Documents::new();
    for stored in sample {
        let Ok(events) = upcast_all(model, sandbox, std::slice::from_ref(&stored)) else {
            continue;
        };
        for event in events {
            if apply(projection, sandbox, &mut documents, &event).is_err() {
                return (None, full);
            }
            let mut again = documents.clone();
            if apply(projection, sandbox, &mut again, &event).is_err() {
                return (None, full);
            }
            if again != documents {
                let message = format!(
                    "applying {} at position {} twice changes the documents of {}",
                    event.event_type, stored.position, projection.name
                );
                let subject = Subject::Projection {
                    name: projection.name.clone(),
                };
                let finding = Finding::new(&NON_IDEMPOTENT_PROJECTION, Severity::Warning, subject, message);
                return (Some(finding), full);
            }
        }
    }
    (None, full)
}

/// The first [`SAMPLE`] stored events a projection reads, in log order.
fn sample(store: &Store, reads: &Reads) -> Vec<Envelope> {
    let mut events = Vec::new();
    let mut read = |source: Source<'_>| {
        let _ = store.read_raw(source, 0, SAMPLE, Direction::Forwards, |e: RawEvent<'_>| {
            events.push(Envelope::from_raw(&e));
        });
    };
    match reads {
        Reads::All => read(Source::All),
        Reads::Categories(names) => names.iter().for_each(|n| read(Source::Category(n))),
        Reads::EventTypes(names) => names.iter().for_each(|n| read(Source::EventType(n))),
        Reads::Streams(ids) => ids.iter().for_each(|id| read(Source::Stream(id))),
    }
    events.sort_by_key(|e| e.position);
    events.dedup_by_key(|e| e.position);
    events.truncate(SAMPLE);
    events
}

/// A finding for a projection that is stopped at a poison event: critical when it is inline, as
/// it then refuses the appends it reads.
pub(crate) fn stopped(thresholds: &Thresholds, status: &ProjectionStatus) -> Option<Finding> {
    let poison = status.poison.as_ref()?;
    if !thresholds.enabled(STOPPED_PROJECTION.code) {
        return None;
    }
    let (severity, effect) = match status.lifecycle {
        Lifecycle::Inline => (Severity::Critical, "appends it reads are refused until it runs again"),
        Lifecycle::Async => (Severity::Warning, "its documents fall behind with every append"),
    };
    let message = format!(
        "{} is stopped at position {} ({} in {}): {}; {effect}",
        status.name, poison.position, poison.event_type, poison.stream_id, poison.error
    );
    let subject = Subject::Projection {
        name: status.name.clone(),
    };
    Some(Finding::new(&STOPPED_PROJECTION, severity, subject, message))
}
