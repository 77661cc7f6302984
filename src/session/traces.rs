//! What the system page's Trace section works on: the correlations begun last to choose from,
//! a correlation's causal graph ([`CausalGraph`]), and what a user typed to trace found: a
//! correlation id, or an event's id, whose correlation its metadata carries.

use super::graph::CausalGraph;
use super::workspace::Workspace;
use crate::store::{Direction, EventId, Source};

/// A correlation as the trace picker lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationRow {
    /// The correlation id.
    pub id: String,
    /// What started it: its first node's label.
    pub description: String,
    /// How many nodes its graph has.
    pub nodes: usize,
    /// How many of them failed, were lost or are duplicates.
    pub flagged: usize,
}

/// The correlation whose graph the system page shows, and the node selected in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traced {
    /// The correlation id.
    pub correlation: String,
    /// The id of the node to select first (an event's id, say), if any.
    pub node: Option<String>,
}

impl Workspace {
    /// The `listed` correlations begun last, the latest first, and how many there are in all.
    pub fn recent_correlations(&self, listed: usize) -> (Vec<CorrelationRow>, usize) {
        let services = self.services();
        let all = services.correlations();
        let rows = all
            .iter()
            .rev()
            .take(listed)
            .map(|id| {
                let trace = services.trace(id);
                CorrelationRow {
                    id: id.to_string(),
                    description: trace.nodes.first().map(|n| n.label.clone()).unwrap_or_default(),
                    nodes: trace.nodes.len(),
                    flagged: trace
                        .nodes
                        .iter()
                        .filter(|n| n.error.is_some() || n.lost || n.duplicate)
                        .count(),
                }
            })
            .collect();
        (rows, all.len())
    }

    /// The causal graph of one correlation, laid out (empty for a correlation nothing carries).
    pub fn causal_graph(&self, correlation: &str) -> CausalGraph {
        CausalGraph::layout(&self.services().trace(correlation))
    }

    /// What a user typed to trace, found: a correlation id that something carries, or the id of
    /// an event in any module's store, which gives its correlation (and the event, to select).
    pub fn find_trace(&self, text: &str) -> Option<Traced> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if !self.services().trace(text).nodes.is_empty() {
            return Some(Traced {
                correlation: text.to_owned(),
                node: None,
            });
        }
        let correlation = self.correlation_of_event(text)?;
        Some(Traced {
            correlation,
            node: Some(text.to_owned()),
        })
    }

    /// The correlation id an event carries in its metadata, the event found by its id in any
    /// event-sourced module's store; `None` when no store holds it or it carries none. An id
    /// is not stored (it is made from the store's seed and the event's position), so each
    /// position is tried: no event is read but the one found.
    pub fn correlation_of_event(&self, event_id: &str) -> Option<String> {
        let id = EventId::parse(event_id.trim()).ok()?;
        let services = self.services();
        services
            .module_names()
            .iter()
            .filter_map(|module| services.runtime(module).ok())
            .find_map(|runtime| {
                let store = runtime.store();
                let seed = store.config().seed;
                let position = (0..store.next_position()).find(|&p| EventId::derive(seed, p) == id)?;
                let event = store.read(Source::All, position, 1, Direction::Forwards).ok()?;
                event
                    .into_iter()
                    .find(|e| e.position == position)
                    .and_then(|e| e.metadata.correlation_id)
            })
    }
}
