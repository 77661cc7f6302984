//! [`Model`]: every definition of a scenario, with lookups by name.

use serde::{Deserialize, Serialize};

use super::command::Command;
use super::event_type::EventType;
use super::policy::Policy;
use super::projection::Projection;
use super::stream_type::StreamType;
use super::upcaster::Upcaster;

/// What a user drafted: event types, commands, stream types, projections, upcasters, policies.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Model {
    /// Event types with their schema versions.
    #[serde(default)]
    pub event_types: Vec<EventType>,
    /// Commands.
    #[serde(default)]
    pub commands: Vec<Command>,
    /// Stream types (deciders).
    #[serde(default)]
    pub stream_types: Vec<StreamType>,
    /// Projections.
    #[serde(default)]
    pub projections: Vec<Projection>,
    /// Upcasters.
    #[serde(default)]
    pub upcasters: Vec<Upcaster>,
    /// Policies.
    #[serde(default)]
    pub policies: Vec<Policy>,
}

impl Model {
    /// An event type by name.
    pub fn event_type(&self, name: &str) -> Option<&EventType> {
        self.event_types.iter().find(|t| t.name == name)
    }

    /// A command by name.
    pub fn command(&self, name: &str) -> Option<&Command> {
        self.commands.iter().find(|c| c.name == name)
    }

    /// A stream type by name.
    pub fn stream_type(&self, name: &str) -> Option<&StreamType> {
        self.stream_types.iter().find(|s| s.name == name)
    }

    /// The stream type whose category a stream id is in.
    pub fn stream_type_of(&self, stream_id: &str) -> Option<&StreamType> {
        self.stream_types.iter().find(|s| s.owns(stream_id))
    }

    /// A projection by name.
    pub fn projection(&self, name: &str) -> Option<&Projection> {
        self.projections.iter().find(|p| p.name == name)
    }

    /// The upcaster that reads an event type at a version.
    pub fn upcaster(&self, event_type: &str, from: u32) -> Option<&Upcaster> {
        self.upcasters
            .iter()
            .find(|u| u.event_type == event_type && u.from == from)
    }

    /// The policies that react to an event type.
    pub fn policies_on<'a>(&'a self, event_type: &'a str) -> impl Iterator<Item = &'a Policy> + 'a {
        self.policies
            .iter()
            .filter(move |p| p.on.iter().any(|t| t == event_type))
    }
}
