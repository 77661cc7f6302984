//! External systems (a payment gateway, an email provider): a call is answered after the
//! latency, on the `succeeded` or `failed` topic, failing as often as the failure rate says. With
//! idempotency keys a call repeated with a key answers as the first one did without doing the
//! work again; without, every call does it: a charge twice is two charges.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::schedule::Task;
use super::trace::Label;
use super::Services;
use crate::model::External;
use crate::sim::error::{Error, Result};

/// An external system and what it did.
#[derive(Debug)]
pub(super) struct ExternalRun {
    pub definition: External,
    pub calls: u64,
    /// Calls that did the work (a charge made, an email sent).
    pub effects: u64,
    pub failures: u64,
    /// The answer given to each idempotency key.
    pub answered: BTreeMap<String, bool>,
}

impl ExternalRun {
    pub fn new(definition: External) -> ExternalRun {
        ExternalRun {
            definition,
            calls: 0,
            effects: 0,
            failures: 0,
            answered: BTreeMap::new(),
        }
    }
}

/// One call to an external system.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Call {
    pub id: String,
    pub external: usize,
    pub key: Option<String>,
    pub data: Value,
    pub module: usize,
    pub correlation_id: String,
    pub made_ms: i64,
    /// `Some(true)` once answered with success.
    pub outcome: Option<bool>,
    /// Whether answering it did the work.
    pub effect: bool,
}

impl Services {
    /// Calls an external system; its answer comes after its latency.
    pub(super) fn call(
        &mut self,
        name: &str,
        key: Option<String>,
        data: Value,
        module: usize,
        correlation: &str,
        cause: &str,
    ) -> Result<()> {
        let external = self
            .externals
            .iter()
            .position(|e| e.definition.name == name)
            .ok_or_else(|| Error::Unknown {
                what: "external system",
                name: name.to_owned(),
            })?;
        let id = self.journal.next_id("x");
        let now = self.now();
        let definition = &self.externals[external].definition;
        let wait = definition.latency_ms + self.dice.upto(definition.jitter_ms);
        let label = match &key {
            Some(key) => format!("call {name} (key {key})"),
            None => format!("call {name}"),
        };
        self.journal.add(
            &id,
            "call",
            &self.names[module],
            Label::Text(label),
            now,
            correlation,
            Some(cause),
        );
        self.externals[external].calls += 1;
        self.calls.push(Call {
            id,
            external,
            key,
            data,
            module,
            correlation_id: correlation.to_owned(),
            made_ms: now,
            outcome: None,
            effect: false,
        });
        let call = self.calls.len() - 1;
        self.agenda.at(
            now.saturating_add(i64::try_from(wait).unwrap_or(i64::MAX)),
            Task::Answer { call },
        );
        Ok(())
    }

    /// An external system answers a call.
    pub(super) fn answer(&mut self, call: usize) {
        let external = self.calls[call].external;
        let key = self.calls[call].key.clone();
        let run = &mut self.externals[external];
        let remembered = key
            .as_ref()
            .filter(|_| run.definition.idempotency_keys)
            .and_then(|k| run.answered.get(k).copied());
        let succeeded = match remembered {
            Some(outcome) => outcome,
            None => {
                let failure_rate = run.definition.failure_rate;
                let failed = self.dice.chance(failure_rate);
                let run = &mut self.externals[external];
                run.effects += u64::from(!failed);
                if let (Some(key), true) = (&key, run.definition.idempotency_keys) {
                    run.answered.insert(key.clone(), !failed);
                }
                self.calls[call].effect = !failed;
                !failed
            }
        };
        let run = &mut self.externals[external];
        run.failures += u64::from(!succeeded);
        self.calls[call].outcome = Some(succeeded);
        let topic = if succeeded {
            run.definition.succeeded.clone()
        } else {
            run.definition.failed.clone()
        };
        let source = run.definition.name.clone();
        let mut data = match &self.calls[call].data {
            Value::Object(map) => Value::Object(map.clone()),
            other => json!({ "request": other }),
        };
        if let Value::Object(map) = &mut data {
            map.insert("callId".into(), json!(self.calls[call].id));
            if let Some(key) = &key {
                map.insert("key".into(), json!(key));
            }
        }
        let (correlation, cause) = (self.calls[call].correlation_id.clone(), self.calls[call].id.clone());
        let message = self.make_message(&source, &topic, data, &correlation, Some(&cause));
        self.publish(message);
    }
}
