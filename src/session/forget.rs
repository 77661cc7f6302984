//! The right to be forgotten, by crypto-shredding: which stream types seal personal fields and
//! by which subject, turning it on for one, the subjects the key vault knows, and forgetting one
//! with what it leaves to do (read models built before still hold its values until rebuilt).

use serde::Serialize;
use serde_json::Value;

use super::{Result, Workspace};
use crate::lint::event_types_named;
use crate::model::edit::Edited;
use crate::model::{Field, FieldType, Problem, Retention, RetentionStrategy, Scenario};
use crate::sim::Error as SimError;
use crate::store::Subject;

/// How many subjects the lifecycle page lists.
pub const SUBJECTS_LISTED: usize = 12;

/// What the page shows of crypto-shredding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShreddingView {
    /// The stream types whose events have personal fields.
    pub stream_types: Vec<ShreddingType>,
    /// The newest subjects the vault knows.
    pub subjects: Vec<Subject>,
    /// How many it knows.
    pub subjects_total: usize,
    /// How many of them were forgotten.
    pub forgotten_total: usize,
}

/// A stream type whose events hold personal fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShreddingType {
    /// The stream type.
    pub name: String,
    /// Its personal fields, by event type: `CartOpened.customerId`.
    pub personal: Vec<String>,
    /// Whether it seals them.
    pub sealed: bool,
    /// The field naming the subject: the one it uses, or the one proposed.
    pub subject: Option<String>,
}

/// What forgetting a subject did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForgetReport {
    /// The subject.
    pub subject: String,
    /// Stored events whose fields it held, now shredded (archive-only copies counted).
    pub events: u64,
    /// Copies in the archive's segments, shredded too.
    pub archived_copies: u64,
    /// Read models that still hold some of its values: they were built before, and only a rebuild
    /// reads the shredded events.
    pub projections: Vec<String>,
}

impl Workspace {
    /// The stream types with personal fields and the vault's subjects, newest first.
    pub fn shredding_view(&self) -> ShreddingView {
        let model = &self.scenario.model;
        let stream_types = model
            .stream_types
            .iter()
            .filter_map(|stream_type| {
                let commands = model.commands.iter().filter(|c| c.stream_type == stream_type.name);
                // The type's events: the event types its decider names, with their current fields.
                let named = event_types_named(model, &stream_type.script);
                let emitted: Vec<(&str, &[Field])> = model
                    .event_types
                    .iter()
                    .filter(|t| named.contains(&t.name.as_str()))
                    .map(|t| {
                        (
                            t.name.as_str(),
                            t.current().map(|v| v.fields.as_slice()).unwrap_or_default(),
                        )
                    })
                    .collect();
                let personal: Vec<String> = emitted
                    .iter()
                    .flat_map(|(name, fields)| {
                        fields
                            .iter()
                            .filter(|f| f.pii)
                            .map(move |f| format!("{name}.{}", f.name))
                    })
                    .collect();
                if personal.is_empty() {
                    return None;
                }
                let retention = stream_type.retention.as_ref();
                let sealed = retention.is_some_and(|r| r.strategy == RetentionStrategy::CryptoShredding);
                // An id field that is personal, in its commands or else in its events.
                let proposed = commands
                    .flat_map(|c| &c.fields)
                    .chain(emitted.iter().flat_map(|(_, fields)| fields.iter()))
                    .find(|f| f.pii && f.field_type == FieldType::Id)
                    .map(|f| f.name.clone());
                Some(ShreddingType {
                    name: stream_type.name.clone(),
                    personal,
                    sealed,
                    subject: retention.and_then(|r| r.subject.clone()).or(proposed),
                })
            })
            .collect();
        let mut subjects = self.services.main.store().subjects();
        let subjects_total = subjects.len();
        let forgotten_total = subjects.iter().filter(|s| s.forgotten).count();
        subjects.reverse();
        subjects.truncate(SUBJECTS_LISTED);
        ShreddingView {
            stream_types,
            subjects,
            subjects_total,
            forgotten_total,
        }
    }

    /// Makes `stream_type` seal its events' personal fields with the key of the subject that
    /// `subject` (a field) names, from the next event on; events already stored stay as they are.
    pub fn seal_personal_fields(&mut self, stream_type: &str, subject: &str) -> std::result::Result<(), Vec<Problem>> {
        let mut scenario = self.scenario.clone();
        let definition = scenario
            .model
            .stream_types
            .iter_mut()
            .find(|s| s.name == stream_type)
            .ok_or_else(|| {
                vec![Problem::new(
                    "streamType",
                    format!("unknown stream type {stream_type:?}"),
                )]
            })?;
        definition.retention = Some(Retention {
            strategy: RetentionStrategy::CryptoShredding,
            description: "personal fields sealed with a key per subject; forgetting the subject drops the key"
                .to_owned(),
            subject: Some(subject.to_owned()),
        });
        let scenario = Scenario::from_value(scenario.to_value())?;
        self.apply(Edited {
            scenario,
            index: 0,
            changed: Vec::new(),
        })
        .map(drop)
    }

    /// Forgets a data subject (see [`ForgetReport`]).
    pub fn forget_subject(&mut self, subject: &str) -> Result<ForgetReport> {
        let forgotten = self
            .services
            .main
            .forget_subject(subject)
            .ok_or_else(|| SimError::Unknown {
                what: "data subject (or it was forgotten already)",
                name: subject.to_owned(),
            })?;
        // Strings only: a number in a document says too little to blame it.
        let needles: Vec<String> = forgotten
            .values
            .iter()
            .filter(|v| v.as_str().is_some_and(|s| s.chars().count() >= 2))
            .map(Value::to_string)
            .collect();
        self.run.shred(&needles);
        let runtime = &self.services.main;
        let projections = self
            .scenario
            .model
            .projections
            .iter()
            .filter(|p| {
                runtime.documents(&p.name).is_ok_and(|documents| {
                    documents.iter().any(|(key, document)| {
                        let key = Value::String(key.clone()).to_string();
                        let text = document.to_string();
                        needles.iter().any(|n| *n == key || text.contains(n.as_str()))
                    })
                })
            })
            .map(|p| p.name.clone())
            .collect();
        Ok(ForgetReport {
            subject: forgotten.subject,
            events: forgotten.events,
            archived_copies: forgotten.archived_copies,
            projections,
        })
    }
}
