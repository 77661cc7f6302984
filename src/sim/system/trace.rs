//! Traceability: every command, message, delivery, timeout and call is a node with the node
//! that caused it, filed by correlation id; events come from the stores, linked by their
//! causation ids. [`Services::trace`] gives one correlation's causal graph.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use serde::Serialize;

use super::{Part, Services};
use crate::store::Direction;

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceNode {
    /// Its id: an event id, or `c-`, `msg-`, `d-`, `t-`, `x-` and a number.
    pub id: String,
    /// `command`, `event`, `message`, `delivery`, `timeout`, `call` or `input` (a process step).
    pub kind: String,
    /// The module (or external system, or process) it happened in.
    pub module: String,
    /// What it was, in words.
    pub label: String,
    /// When, in simulated ms.
    pub at_ms: i64,
    /// Why it failed, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A delivery of a copy the broker made: the message came twice.
    #[serde(skip_serializing_if = "is_false")]
    pub duplicate: bool,
    /// A message lost before it reached the broker (a dual write that crashed in between).
    #[serde(skip_serializing_if = "is_false")]
    pub lost: bool,
}

/// Whether a flag is off, so that it is left out of the JSON.
fn is_false(flag: &bool) -> bool {
    !*flag
}

/// `from` caused `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceEdge {
    /// The cause.
    pub from: String,
    /// The effect.
    pub to: String,
}

/// A correlation's causal graph, nodes in the order they happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trace {
    /// The correlation id.
    pub correlation_id: String,
    /// What happened.
    pub nodes: Vec<TraceNode>,
    /// What caused what.
    pub edges: Vec<TraceEdge>,
}

/// What a node was, in words made only when a trace is read: most nodes are never shown.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Label {
    /// Said as it is.
    Text(String),
    /// A message: its topic.
    Message(usize),
    /// A delivery of a message to a subscriber.
    Delivery {
        subscriber: usize,
        message: usize,
        attempt: u32,
        duplicate: bool,
    },
}

/// A node's id: a number made here (shown as `d-7`, `msg-3`), or one given (an event's or a
/// command's id).
#[derive(Debug, Clone)]
pub(super) enum NodeId {
    /// `prefix-n`, written out only when a trace is read.
    Numbered(&'static str, u64),
    /// Said as it is.
    Given(Rc<str>),
}

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NodeId::Numbered(prefix, n) => write!(f, "{prefix}-{n}"),
            NodeId::Given(id) => f.write_str(id),
        }
    }
}

/// What caused a node.
#[derive(Debug, Clone)]
pub(super) enum Cause {
    /// Nothing traced: it started a chain.
    Nothing,
    /// The node at this index of the journal.
    Node(usize),
    /// A node by its id: an event, or a node of any kind.
    Given(Rc<str>),
}

impl Cause {
    /// The cause named by `id`, if any.
    pub fn named(id: Option<&str>) -> Cause {
        id.map_or(Cause::Nothing, |id| Cause::Given(Rc::from(id)))
    }
}

#[derive(Debug)]
struct Node {
    id: NodeId,
    kind: &'static str,
    /// An index into [`Journal::modules`].
    module: u32,
    label: Label,
    /// What became of it, said after the label.
    note: Option<&'static str>,
    at_ms: i64,
    cause: Cause,
    /// The next node of its correlation ([`NONE`] for the last).
    next: u32,
}

/// No node.
const NONE: u32 = u32::MAX;

/// A correlation's nodes, as a list through [`Node::next`]: a chain costs no allocation of its own.
#[derive(Debug, Clone, Copy)]
struct Chain {
    first: u32,
    last: u32,
}

/// FNV-1a: the journal hashes short ids by the million, where SipHash's defence against
/// chosen keys buys nothing.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A hash map with [`Fnv`].
pub(super) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Everything traced, by correlation. Nodes are kept small and wordless: ids are numbers until
/// shown, correlations and modules are numbers into the journal's lists, and labels are worded
/// only when a trace is read, since most nodes never are.
#[derive(Debug, Default)]
pub(super) struct Journal {
    nodes: Vec<Node>,
    /// Timeouts by id: the only nodes looked up by id (to cancel or fire them).
    timeouts: FastMap<Rc<str>, usize>,
    /// Correlation ids by number, in order of first use.
    correlations: Vec<Rc<str>>,
    correlation_ids: FastMap<Rc<str>, u32>,
    /// The nodes of each correlation, by its number.
    chains: Vec<Chain>,
    /// The module (and external system, and process) names nodes are in.
    modules: Vec<Rc<str>>,
    /// How many ids each prefix handed out.
    made: Vec<(&'static str, u64)>,
    /// Why a node failed, for the few that did.
    failures: FastMap<usize, String>,
    /// Failures outside any delivery (a translation, a timeout): owner, message, correlation.
    pub errors: Vec<(String, String, String)>,
}

impl Journal {
    /// The next number for a prefix: 1, 2, …
    pub fn next_number(&mut self, prefix: &'static str) -> u64 {
        let at = match self.made.iter().position(|(p, _)| *p == prefix) {
            Some(at) => at,
            None => {
                self.made.push((prefix, 0));
                self.made.len() - 1
            }
        };
        self.made[at].1 += 1;
        self.made[at].1
    }

    /// Gives back the last number taken for `prefix`, whose taker failed and left nothing: a
    /// command typed wrong uses up no id, so a replay, which does not give it again, hands out
    /// the same ids as the run.
    pub fn give_back(&mut self, prefix: &'static str) {
        if let Some((_, n)) = self.made.iter_mut().find(|(p, _)| *p == prefix) {
            *n = n.saturating_sub(1);
        }
    }

    /// A fresh id with a prefix: `c-1`, `t-7`, …
    pub fn next_id(&mut self, prefix: &'static str) -> String {
        let n = self.next_number(prefix);
        format!("{prefix}-{n}")
    }

    /// The number of a correlation id, given one if it has none yet.
    pub fn correlation(&mut self, correlation: &str) -> u32 {
        if let Some(&n) = self.correlation_ids.get(correlation) {
            return n;
        }
        let n = u32::try_from(self.correlations.len()).unwrap_or(NONE);
        let id: Rc<str> = Rc::from(correlation);
        self.correlation_ids.insert(Rc::clone(&id), n);
        self.correlations.push(id);
        self.chains.push(Chain {
            first: NONE,
            last: NONE,
        });
        n
    }

    /// A correlation id by its number, shared.
    pub fn correlation_id(&self, n: u32) -> Rc<str> {
        self.correlations
            .get(n as usize)
            .cloned()
            .unwrap_or_else(|| Rc::from(""))
    }

    /// The number of a module (or external system, or process) name.
    pub fn module(&mut self, name: &str) -> u32 {
        let at = match self.modules.iter().position(|m| **m == *name) {
            Some(at) => at,
            None => {
                self.modules.push(Rc::from(name));
                self.modules.len() - 1
            }
        };
        u32::try_from(at).unwrap_or(NONE)
    }

    /// A module name by its number, shared.
    pub fn module_name(&self, n: u32) -> Rc<str> {
        self.modules.get(n as usize).cloned().unwrap_or_else(|| Rc::from(""))
    }

    /// The nodes of a correlation, in the order they were noted.
    fn chain(&self, correlation: &str) -> impl Iterator<Item = usize> + '_ {
        let first = self
            .correlation_ids
            .get(correlation)
            .and_then(|&n| self.chains.get(n as usize))
            .map_or(NONE, |chain| chain.first);
        std::iter::successors((first != NONE).then_some(first as usize), |&at| {
            let next = self.nodes[at].next;
            (next != NONE).then_some(next as usize)
        })
    }

    /// Notes a node, its id, module and correlation given in words.
    #[allow(clippy::too_many_arguments, reason = "a node is these seven things")]
    pub fn add(
        &mut self,
        id: &str,
        kind: &'static str,
        module: &str,
        label: Label,
        at_ms: i64,
        correlation: &str,
        cause: Option<&str>,
    ) -> usize {
        let id: Rc<str> = Rc::from(id);
        if kind == "timeout" {
            self.timeouts.insert(Rc::clone(&id), self.nodes.len());
        }
        let (module, correlation) = (self.module(module), self.correlation(correlation));
        self.add_node(
            NodeId::Given(id),
            kind,
            module,
            label,
            at_ms,
            correlation,
            Cause::named(cause),
        )
    }

    /// Notes a node, its module and correlation given by number; its index.
    #[allow(clippy::too_many_arguments, reason = "a node is these seven things")]
    pub fn add_node(
        &mut self,
        id: NodeId,
        kind: &'static str,
        module: u32,
        label: Label,
        at_ms: i64,
        correlation: u32,
        cause: Cause,
    ) -> usize {
        let at = self.nodes.len();
        let number = u32::try_from(at).unwrap_or(NONE);
        if let Some(chain) = self.chains.get_mut(correlation as usize) {
            match chain.last {
                NONE => chain.first = number,
                last => self.nodes[last as usize].next = number,
            }
            chain.last = number;
        }
        self.nodes.push(Node {
            id,
            kind,
            module,
            label,
            note: None,
            at_ms,
            cause,
            next: NONE,
        });
        at
    }

    /// The id of the node at `at`, in words.
    pub fn id_of(&self, at: usize) -> String {
        self.nodes.get(at).map(|n| n.id.to_string()).unwrap_or_default()
    }

    /// Says what became of the node at `at`.
    pub fn note_at(&mut self, at: usize, note: &'static str) {
        if let Some(node) = self.nodes.get_mut(at) {
            node.note = Some(note);
        }
    }

    /// Marks the node at `at` failed.
    pub fn failed_at(&mut self, at: usize, error: &str) {
        self.failures.insert(at, error.to_owned());
    }

    /// Says what became of a timeout.
    pub fn note(&mut self, id: &str, note: &'static str) {
        if let Some(&i) = self.timeouts.get(id) {
            self.nodes[i].note = Some(note);
        }
    }

    /// Notes a failure outside any delivery.
    pub fn note_error(&mut self, owner: &str, message: &str, correlation: &str) {
        self.errors
            .push((owner.to_owned(), message.to_owned(), correlation.to_owned()));
    }

    /// Every correlation id noted, in order of first use.
    pub fn correlations(&self) -> &[Rc<str>] {
        &self.correlations
    }
}

impl Services {
    /// The causal graph of one correlation: its commands, events, messages, deliveries,
    /// timeouts and calls across modules, and what caused what.
    pub fn trace(&self, correlation: &str) -> Trace {
        let mut nodes: Vec<(i64, u64, TraceNode)> = Vec::new();
        let mut edges = Vec::new();
        let mut order = 0;
        let mut causes: Vec<(String, String)> = Vec::new();
        for i in self.journal.chain(correlation) {
            let node = &self.journal.nodes[i];
            order += 1;
            let (mut duplicated, mut lost) = (false, false);
            let mut label = match &node.label {
                Label::Text(text) => text.clone(),
                Label::Message(message) => {
                    lost = self.messages[*message].lost;
                    self.messages[*message].topic.to_string()
                }
                Label::Delivery {
                    subscriber,
                    message,
                    attempt,
                    duplicate,
                } => {
                    duplicated = *duplicate;
                    format!(
                        "{} → {} (attempt {attempt}{})",
                        self.messages[*message].topic,
                        self.subscribers[*subscriber].name,
                        if *duplicate { ", duplicate" } else { "" }
                    )
                }
            };
            label.push_str(node.note.unwrap_or_default());
            nodes.push((
                node.at_ms,
                order,
                TraceNode {
                    id: node.id.to_string(),
                    kind: node.kind.to_owned(),
                    module: self.journal.modules[node.module as usize].to_string(),
                    label,
                    at_ms: node.at_ms,
                    error: self.journal.failures.get(&i).cloned(),
                    duplicate: duplicated,
                    lost,
                },
            ));
            let cause = match &node.cause {
                Cause::Nothing => None,
                Cause::Node(at) => Some(self.journal.id_of(*at)),
                Cause::Given(id) => Some(id.to_string()),
            };
            if let Some(cause) = cause {
                causes.push((cause, node.id.to_string()));
            }
        }
        let mut stores: Vec<(&str, &crate::store::Store, &str)> = Vec::new();
        stores.push((&self.names[0], self.main.store(), "event"));
        for (i, part) in self.others.iter().enumerate() {
            if let Part::EventSourced(runtime) = part {
                stores.push((&self.names[i + 1], runtime.store(), "event"));
            }
        }
        for process in &self.processes {
            stores.push((&process.definition.name, &process.store, "input"));
        }
        for (module, store, kind) in stores {
            for event in store.read_correlation(correlation, 0, usize::MAX, Direction::Forwards) {
                let id = event.event_id.to_string();
                order += 1;
                nodes.push((
                    event.metadata.timestamp_ms,
                    order,
                    TraceNode {
                        id: id.clone(),
                        kind: kind.to_owned(),
                        module: module.to_owned(),
                        label: format!("{} @ {}", event.event_type, event.stream_id),
                        at_ms: event.metadata.timestamp_ms,
                        error: None,
                        duplicate: false,
                        lost: false,
                    },
                ));
                if let Some(cause) = event.metadata.causation_id {
                    causes.push((cause, id));
                }
            }
        }
        nodes.sort_by_key(|(at, order, _)| (*at, *order));
        let known: BTreeSet<&str> = nodes.iter().map(|(_, _, n)| n.id.as_str()).collect();
        for (from, to) in causes {
            if known.contains(from.as_str()) && from != to {
                edges.push(TraceEdge { from, to });
            }
        }
        Trace {
            correlation_id: correlation.to_owned(),
            nodes: causes_first(nodes.into_iter().map(|(_, _, n)| n).collect(), &edges),
            edges,
        }
    }

    /// The correlation ids of everything traced, oldest first.
    pub fn correlations(&self) -> &[Rc<str>] {
        self.journal.correlations()
    }

    /// Failures outside any delivery (a translation that failed, a timeout whose step failed),
    /// as `(owner, message, correlation id)`.
    pub fn errors(&self) -> &[(String, String, String)] {
        &self.journal.errors
    }
}

/// The nodes with every cause before its effects; otherwise in the order given (by time).
fn causes_first(nodes: Vec<TraceNode>, edges: &[TraceEdge]) -> Vec<TraceNode> {
    let at: HashMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let mut waiting = vec![0usize; nodes.len()];
    let mut effects: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for edge in edges {
        if let (Some(&from), Some(&to)) = (at.get(edge.from.as_str()), at.get(edge.to.as_str())) {
            waiting[to] += 1;
            effects[from].push(to);
        }
    }
    let mut ready: std::collections::BTreeSet<usize> = (0..nodes.len()).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &effect in &effects[i] {
            waiting[effect] -= 1;
            if waiting[effect] == 0 {
                ready.insert(effect);
            }
        }
    }
    // A cycle cannot come from causes noted as things happen; keep any node left anyway.
    order.extend((0..nodes.len()).filter(|i| waiting[*i] > 0));
    let mut slots: Vec<Option<TraceNode>> = nodes.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
