//! A new definition of a kind: a valid skeleton with a name no other one has.

use serde_json::Value;

use super::kind::{names, Kind};
use crate::model::scenario::Scenario;
use crate::model::system::{System, MAIN_MODULE};
use crate::model::system_check::topics;

/// A new definition of a kind, with a name no other one has, ready to be edited.
pub fn template(scenario: &Scenario, kind: Kind) -> Value {
    let taken = names(scenario, kind);
    let unique = |base: &str| {
        (1..)
            .map(|n| if n == 1 { base.to_owned() } else { format!("{base}{n}") })
            .find(|name| !taken.contains(name))
            .unwrap_or_default()
    };
    let model = &scenario.model;
    let event_type = model.event_types.first().map_or("", |t| t.name.as_str());
    match kind {
        Kind::EventType => serde_json::json!({
            "name": unique("NewEvent"),
            "versions": [{"version": 1, "fields": []}],
        }),
        Kind::Command => serde_json::json!({
            "name": unique("NewCommand"),
            "streamType": model.stream_types.first().map_or("", |s| s.name.as_str()),
            "fields": [],
        }),
        Kind::StreamType => {
            let name = unique("NewStream");
            serde_json::json!({
                "name": name,
                "streamIdPattern": format!("{}-{{id}}", name.to_lowercase()),
                "initialState": {},
                "script": "fn decide(command, state) {\n    throw \"unknown command \" + command.type;\n}\n\nfn evolve(state, event) {\n    state\n}\n",
            })
        }
        Kind::Projection => serde_json::json!({
            "name": unique("NewProjection"),
            "source": "all",
            "key": "streamId",
            "logic": {"template": "countByKey"},
        }),
        Kind::Upcaster => {
            // The first step along some type's versions that no upcaster takes yet.
            let (event_type, from, to) = model
                .event_types
                .iter()
                .find_map(|t| {
                    let mut versions: Vec<u32> = t.versions.iter().map(|v| v.version).collect();
                    versions.sort_unstable();
                    versions
                        .windows(2)
                        .find(|pair| model.upcaster(&t.name, pair[0]).is_none())
                        .map(|pair| (t.name.as_str(), pair[0], pair[1]))
                })
                .unwrap_or((event_type, 1, 2));
            serde_json::json!({
            "eventType": event_type,
            "from": from,
            "to": to,
            "logic": {"script": "fn upcast(event) {\n    event\n}\n"},
            })
        }
        Kind::Policy => serde_json::json!({
            "name": unique("NewPolicy"),
            "on": [event_type],
            "logic": {"script": "fn react(event) {\n    []\n}\n"},
        }),
        Kind::Spec => {
            let command = model.commands.first();
            let stream = command
                .and_then(|c| model.stream_type(&c.stream_type))
                .map_or_else(|| "stream-1".to_owned(), |s| s.stream_id_pattern.replace("{id}", "1"));
            serde_json::json!({
                "kind": "decider",
                "name": unique("new example"),
                "when": {"stream": stream, "command": command.map_or("", |c| c.name.as_str()), "data": {}},
                "then": "nothing",
            })
        }
        Kind::Module => serde_json::json!({
            "name": unique("NewModule"),
            "kind": "eventSourced",
            "publishing": "outbox",
            "model": {},
        }),
        Kind::Consumer => {
            let (module, topic) = subscription(scenario);
            serde_json::json!({
                "name": unique("NewConsumer"),
                "module": module,
                "topics": topic.into_iter().collect::<Vec<_>>(),
                "logic": {"script": "fn handle(message) {\n    []\n}\n"},
                "inbox": true,
            })
        }
        Kind::Process => {
            let (module, topic) = subscription(scenario);
            serde_json::json!({
                "name": unique("NewProcess"),
                "module": module,
                "topics": topic.into_iter().collect::<Vec<_>>(),
                "correlate": "data.id",
                "script": "fn evolve(state, input) {\n    state\n}\n\nfn decide(input, state) {\n    #{}\n}\n",
                "inbox": true,
            })
        }
        Kind::External => {
            let name = unique("NewExternal");
            serde_json::json!({
                "name": name,
                "latencyMs": 100,
                "jitterMs": 100,
                "idempotencyKeys": true,
                "succeeded": format!("{name}Succeeded"),
                "failed": format!("{name}Failed"),
            })
        }
    }
}

/// Where a new subscriber starts: in the system's first module (or the main one), reading the
/// first topic there is.
fn subscription(scenario: &Scenario) -> (String, Option<String>) {
    let empty = System::default();
    let system = scenario.system.as_ref().unwrap_or(&empty);
    let module = system
        .modules
        .first()
        .map_or_else(|| system.main.clone(), |m| m.name.clone());
    let module = if module.is_empty() {
        MAIN_MODULE.to_owned()
    } else {
        module
    };
    (module, topics(scenario, system).into_iter().next())
}
