//! [`Finding`]: one anti-pattern found, with its production risk and its fix.

use std::fmt;

use serde::Serialize;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing hurts yet.
    Info,
    /// Will hurt in production as it is.
    Warning,
    /// Hurts now, or loses data.
    Critical,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        })
    }
}

/// What a finding is attached to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Subject {
    /// An event type.
    EventType {
        /// Its name.
        name: String,
    },
    /// A field of one schema version of an event type.
    #[serde(rename_all = "camelCase")]
    Field {
        /// The event type.
        event_type: String,
        /// The schema version.
        version: u32,
        /// The field.
        field: String,
    },
    /// A command.
    Command {
        /// Its name.
        name: String,
    },
    /// A stream.
    Stream {
        /// Its id.
        id: String,
    },
    /// A category of streams.
    Category {
        /// Its name.
        name: String,
    },
    /// A stream type (decider).
    StreamType {
        /// Its name.
        name: String,
    },
    /// A projection.
    Projection {
        /// Its name.
        name: String,
    },
    /// An upcaster, by the event type and version it starts from.
    #[serde(rename_all = "camelCase")]
    Upcaster {
        /// The event type.
        event_type: String,
        /// The version it upcasts from.
        from: u32,
    },
    /// A policy.
    Policy {
        /// Its name.
        name: String,
    },
    /// A module of the scenario's system.
    Module {
        /// Its name.
        name: String,
    },
    /// A public event type a module publishes (a topic).
    Contract {
        /// Its name.
        name: String,
    },
    /// A consumer of the scenario's system.
    Consumer {
        /// Its name.
        name: String,
    },
    /// A process manager of the scenario's system.
    Process {
        /// Its name.
        name: String,
    },
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::EventType { name } => write!(f, "event type {name}"),
            Subject::Field {
                event_type,
                version,
                field,
            } => write!(f, "field {event_type} v{version}.{field}"),
            Subject::Command { name } => write!(f, "command {name}"),
            Subject::Stream { id } => write!(f, "stream {id}"),
            Subject::Category { name } => write!(f, "category {name}"),
            Subject::StreamType { name } => write!(f, "stream type {name}"),
            Subject::Projection { name } => write!(f, "projection {name}"),
            Subject::Upcaster { event_type, from } => write!(f, "upcaster {event_type} v{from}"),
            Subject::Policy { name } => write!(f, "policy {name}"),
            Subject::Module { name } => write!(f, "module {name}"),
            Subject::Contract { name } => write!(f, "contract {name}"),
            Subject::Consumer { name } => write!(f, "consumer {name}"),
            Subject::Process { name } => write!(f, "process {name}"),
        }
    }
}

/// One anti-pattern found: what, where, why it hurts in production, and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// `<code>:<subject>`, e.g. `oversized-stream:stream cart-7`: the same problem on the same
    /// thing keeps its id from run to run, so a UI can tell new findings from resolved ones.
    pub id: String,
    /// The rule, e.g. `oversized-stream`.
    pub code: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// What it is attached to.
    pub subject: Subject,
    /// What was found, in one line with the figures.
    pub message: String,
    /// Why it hurts in production.
    pub why: &'static str,
    /// What to do about it.
    pub fix: &'static str,
    /// Where to learn more.
    pub learn_more: &'static str,
}

impl Finding {
    /// A finding of rule `code` on `subject`; its id follows from both.
    pub(crate) fn new(rule: &Rule, severity: Severity, subject: Subject, message: String) -> Self {
        Finding {
            id: format!("{}:{subject}", rule.code),
            code: rule.code,
            severity,
            subject,
            message,
            why: rule.why,
            fix: rule.fix,
            learn_more: rule.learn_more,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({}): {}",
            self.severity, self.code, self.subject, self.message
        )
    }
}

/// A rule's fixed texts: its code and what every finding of it explains.
pub(crate) struct Rule {
    pub(crate) code: &'static str,
    pub(crate) why: &'static str,
    pub(crate) fix: &'static str,
    pub(crate) learn_more: &'static str,
}

/// Findings sorted by id, one per id (the most severe wins).
pub(crate) fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| a.id.cmp(&b.id).then(b.severity.cmp(&a.severity)));
    findings.dedup_by(|later, first| later.id == first.id);
    findings
}
