//! Who a script belongs to: the kind of model element and its name, shown in every error.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of model element whose logic a script holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OwnerKind {
    /// Decides which events a command produces, from the state folded so far.
    Decider,
    /// Folds events into a read model.
    Projection,
    /// Turns an old event version into the current one, on read.
    Upcaster,
    /// Reacts to events by issuing commands.
    Policy,
    /// Produces commands or data for a simulation run.
    Generator,
    /// A state-stored module's command handler: reads a row, writes it back.
    Handler,
    /// Turns a module's private events or row changes into public messages.
    Translation,
    /// Turns messages from the broker into commands.
    Consumer,
    /// A process manager's `evolve` and `decide`.
    Process,
}

impl fmt::Display for OwnerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OwnerKind::Decider => "decider",
            OwnerKind::Projection => "projection",
            OwnerKind::Upcaster => "upcaster",
            OwnerKind::Policy => "policy",
            OwnerKind::Generator => "generator",
            OwnerKind::Handler => "handler",
            OwnerKind::Translation => "translation",
            OwnerKind::Consumer => "consumer",
            OwnerKind::Process => "process",
        })
    }
}

/// A model element that owns a script, e.g. the decider `Cart`; displayed as `decider Cart`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Owner {
    /// The kind of element.
    pub kind: OwnerKind,
    /// The element's name as the user wrote it.
    pub name: String,
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.name)
    }
}
