//! `non-idempotent-consumer` and `order-dependent-consumer`, found by running each consumer on
//! fresh services of the [`Lab`] with sample messages ([`Lab::sample`]: every id `"1"`, so two
//! samples concern the same thing).
//!
//! Redelivery: for a consumer without an inbox, its topics with a schema in turn, until one
//! shows it: a sample is handed over once and what the modules hold is noted, then the same
//! message (the same id) is handed over again. When the first handling succeeded and the second
//! changed what the modules hold (events stored per module, rows, messages made per topic, calls
//! to external systems that do the work), the handling is not idempotent.
//!
//! Order: for each pair of a consumer's topics with a schema (the first `pairs` pairs, in the
//! order of its topics), both samples are handed over on fresh services in one order, and on
//! other fresh services in the other. The consumer depends on the order when the two runs end
//! differently: a message handled in one order and failed in the other, a different number of
//! its commands accepted (one was rejected), or a different ending (each stream's state folded
//! by `evolve`, rows, calls to external systems that do the work; not how many events or
//! messages it took, since a consumer that tolerates the other order may skip what is already
//! done). A message that fails in both orders says nothing about order, and is not flagged.

use std::collections::BTreeSet;

use super::lab::{first_difference, Compare, Sample};
use super::Lab;
use crate::lint::rules::{NON_IDEMPOTENT_CONSUMER, ORDER_DEPENDENT_CONSUMER};
use crate::lint::{Finding, Severity, Subject, Thresholds};
use crate::model::Consumer;
use crate::sim::system::Holdings;

/// One finding per consumer without an inbox whose handling of a message twice does more than
/// handling it once.
pub(super) fn non_idempotent_consumer(lab: &Lab, _: &Thresholds) -> Vec<Finding> {
    lab.system()
        .consumers
        .iter()
        .filter(|consumer| !consumer.inbox)
        .filter_map(|consumer| {
            distinct(&consumer.topics)
                .into_iter()
                .find_map(|topic| redelivered(lab, consumer, &lab.sample(topic)?))
        })
        .collect()
}

/// Hands `sample` to `consumer` twice; a finding when the second time changed what the modules
/// hold.
fn redelivered(lab: &Lab, consumer: &Consumer, sample: &Sample) -> Option<Finding> {
    let mut services = lab.services()?;
    let id = services.make_up(&sample.source, &sample.topic, sample.data.clone());
    let first = services.hand(&consumer.name, &id).ok()??;
    if first.outcome != "handled" {
        return None;
    }
    let once = services.holdings();
    services.hand(&consumer.name, &id).ok()?;
    let twice = services.holdings();
    let difference = first_difference(&once, &twice, ("after one delivery", "after two"), Compare::Work)?;
    let message = format!(
        "{} (module {}, no inbox) does the work again when {} comes twice: {difference}",
        consumer.name, consumer.module, sample.topic
    );
    let subject = Subject::Consumer {
        name: consumer.name.clone(),
    };
    Some(Finding::new(
        &NON_IDEMPOTENT_CONSUMER,
        Severity::Warning,
        subject,
        message,
    ))
}

/// One finding per consumer that ends differently when two of its topics' messages arrive in
/// the other order.
pub(super) fn order_dependent_consumer(lab: &Lab, thresholds: &Thresholds) -> Vec<Finding> {
    lab.system()
        .consumers
        .iter()
        .filter_map(|consumer| {
            let samples: Vec<Sample> = distinct(&consumer.topics)
                .into_iter()
                .filter_map(|topic| lab.sample(topic))
                .collect();
            let pairs = (0..samples.len()).flat_map(|i| (i + 1..samples.len()).map(move |j| (i, j)));
            pairs
                .take(thresholds.order_pairs)
                .find_map(|(i, j)| reordered(lab, consumer, [&samples[i], &samples[j]]))
        })
        .collect()
}

/// How a run of two messages ended.
struct Ending {
    /// Per message, in the order of the samples: how its delivery ended (`handled`, `failed`,
    /// held by a consumer stopped at the other) and how many of the commands it led to were
    /// accepted.
    outcomes: [(&'static str, u32); 2],
    /// Per message, why its delivery failed: told, not compared.
    errors: [Option<String>; 2],
    holdings: Holdings,
}

/// Hands both samples to `consumer` in both orders; a finding when the runs end differently.
fn reordered(lab: &Lab, consumer: &Consumer, samples: [&Sample; 2]) -> Option<Finding> {
    let forwards = run(lab, consumer, samples, [0, 1])?;
    let backwards = run(lab, consumer, samples, [1, 0])?;
    let labels = (
        format!("with {} first", samples[0].topic),
        format!("with {} first", samples[1].topic),
    );
    let difference = (0..2)
        .find(|&k| forwards.outcomes[k] != backwards.outcomes[k])
        .map(|k| {
            let say = |ending: &Ending| {
                let (outcome, accepted) = ending.outcomes[k];
                match &ending.errors[k] {
                    Some(error) => format!("{outcome} ({error})"),
                    None => format!("{outcome}, {accepted} command(s) accepted"),
                }
            };
            format!(
                "{} is {} {}, {} {}",
                samples[k].topic,
                say(&forwards),
                labels.0,
                say(&backwards),
                labels.1
            )
        })
        .or_else(|| {
            first_difference(
                &forwards.holdings,
                &backwards.holdings,
                (&labels.0, &labels.1),
                Compare::Ending,
            )
        })?;
    let message = format!(
        "{} (module {}) ends differently when {} arrives before {}: {difference}",
        consumer.name, consumer.module, samples[1].topic, samples[0].topic
    );
    let subject = Subject::Consumer {
        name: consumer.name.clone(),
    };
    Some(Finding::new(
        &ORDER_DEPENDENT_CONSUMER,
        Severity::Warning,
        subject,
        message,
    ))
}

/// Makes up both samples (in their order, so that their ids are the same in every run) and hands
/// them to `consumer` in `order` on fresh services.
fn run(lab: &Lab, consumer: &Consumer, samples: [&Sample; 2], order: [usize; 2]) -> Option<Ending> {
    let mut services = lab.services()?;
    let ids = samples.map(|s| services.make_up(&s.source, &s.topic, s.data.clone()));
    let mut outcomes = [("", 0); 2];
    let mut errors = [None, None];
    for k in order {
        match services.hand(&consumer.name, &ids[k]).ok()? {
            Some(delivery) => (outcomes[k].0, errors[k]) = (delivery.outcome, delivery.error),
            // A failure before stopped the consumer (retry policy `stop`): it holds this one.
            None => outcomes[k].0 = "held by the stopped consumer",
        }
    }
    let effects = services.effects(&consumer.name).ok()?;
    for (k, id) in ids.iter().enumerate() {
        outcomes[k].1 = effects.get(id).copied().unwrap_or(0);
    }
    Some(Ending {
        outcomes,
        errors,
        holdings: services.holdings(),
    })
}

/// The topics, each once, in their order.
fn distinct(topics: &[String]) -> Vec<&str> {
    let mut seen = BTreeSet::new();
    topics
        .iter()
        .map(String::as_str)
        .filter(|topic| seen.insert(*topic))
        .collect()
}
