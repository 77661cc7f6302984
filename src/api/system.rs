//! The system part of `Simulation`: the modules beside the main one, the broker and its faults,
//! outboxes, inboxes, parked messages, process instances, external calls and traces (see the
//! README's API section). The main module is what the rest of `Simulation` works on.

use serde::Deserialize;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::convert::{json_text, whole_number};
use super::error::{invalid, sim_to_js};
use super::simulation::{json_to_js, Simulation};
use crate::model::Faults;
use crate::sim::system::{FaultTarget, ModuleCommand};

type JsResult<T = JsValue> = Result<T, JsValue>;

/// `execute` with a `module`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JsModuleCommand {
    module: Option<String>,
    command: String,
    stream_id: String,
    data: Option<Value>,
    correlation_id: Option<String>,
    sender: Option<String>,
    // What the main module's requests may carry; another module's ignore them.
    expected: Option<Value>,
    causation_id: Option<String>,
    retries: Option<u32>,
}

/// `setFaults`: the faults, and whose.
/// Read by hand, not with `#[serde(flatten)]`, whose buffering costs bundle bytes.
struct JsFaults {
    consumer: Option<String>,
    module: Option<String>,
    faults: Value,
}

impl JsFaults {
    fn parse(text: &str) -> serde_json::Result<Self> {
        let mut faults: serde_json::Map<String, Value> = serde_json::from_str(text)?;
        let mut name = |key: &str| match faults.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(name)) => Ok(Some(name)),
            Some(_) => Err(serde::de::Error::custom(format_args!("`{key}` must be a string"))),
        };
        Ok(JsFaults {
            consumer: name("consumer")?,
            module: name("module")?,
            faults: Value::Object(faults),
        })
    }
}

impl Simulation {
    /// Runs a command naming a module other than the main one; `None` for the main module's.
    pub(super) fn execute_in_module(&mut self, request: &JsValue) -> JsResult<Option<JsValue>> {
        let text = json_text(request, "command request")?;
        let Ok(request) = serde_json::from_str::<JsModuleCommand>(&text) else {
            // Not a module command: the main module's parser words the problem.
            return Ok(None);
        };
        let services = self.workspace.services_mut();
        let main = services.module_names()[0].clone();
        let module = match request.module {
            Some(module) if module != main => module,
            _ => return Ok(None),
        };
        let _ = (request.expected, request.causation_id, request.retries);
        let result = services
            .execute(&ModuleCommand {
                module: module.clone(),
                command: request.command,
                stream_id: request.stream_id.clone(),
                data: request.data.unwrap_or_else(|| json!({})),
                correlation_id: request.correlation_id,
                sender: request.sender,
            })
            .map_err(sim_to_js)?;
        Ok(Some(json_to_js(&json!({
            "commandId": result.command_id,
            "correlationId": result.correlation_id,
            "module": module,
            "streamId": request.stream_id,
            "outcome": if result.accepted { "accepted" } else { "rejected" },
            "rejection": result.rejection,
            "events": result.written,
        }))))
    }
}

#[wasm_bindgen]
impl Simulation {
    /// The modules, the main one first: `[{ name, kind: 'eventSourced' | 'stateStored',
    /// publishing: 'dualWrite' | 'outbox' | 'changeDataCapture', size, contracts, outbox, relayed,
    /// lost }]` (`size`: events, or rows).
    pub fn modules(&self) -> JsValue {
        json_to_js(&self.workspace.services().modules())
    }

    /// The consumers and process managers: `[{ name, kind, module, topics, inbox, stopped,
    /// parked, held }]`.
    pub fn consumers(&self) -> JsValue {
        json_to_js(&self.workspace.services().subscribers())
    }

    /// Moves the simulated clock `{ ms }` forward (or a number of ms), delivering, relaying,
    /// retrying, firing timeouts and answering calls as they fall due: `{ tasks, now }`.
    pub fn run(&mut self, options: JsValue) -> JsResult {
        let ms = match options.as_f64() {
            Some(ms) => ms,
            None => {
                let text = json_text(&options, "run options")?;
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .and_then(|v| v.get("ms").and_then(Value::as_f64))
                    .ok_or_else(|| invalid("run options", "expected { ms } with a number of milliseconds"))?
            }
        };
        let ms = whole_number(ms, "ms")?;
        let services = self.workspace.services_mut();
        let tasks = services.run(ms).map_err(sim_to_js)?;
        Ok(json_to_js(&json!({ "tasks": tasks, "now": services.now() })))
    }

    /// Sets faults `{ duplicate, delayMs, reorderWindowMs, consumerCrash, publisherCrash,
    /// outages: [{ fromMs, toMs }] }` on one consumer's link (`consumer`), one module's publisher
    /// (`module`), or everywhere (neither).
    #[wasm_bindgen(js_name = setFaults)]
    pub fn set_faults(&mut self, faults: JsValue) -> JsResult<()> {
        let text = json_text(&faults, "faults")?;
        let request = JsFaults::parse(&text).map_err(|e| invalid("faults", e.to_string()))?;
        let parsed: Faults = serde_json::from_value(request.faults).map_err(|e| invalid("faults", e.to_string()))?;
        for (key, share) in [
            ("duplicate", parsed.duplicate),
            ("consumerCrash", parsed.consumer_crash),
            ("publisherCrash", parsed.publisher_crash),
        ] {
            if !(0.0..=1.0).contains(&share) {
                return Err(invalid(format!("faults.{key}"), "expected a share from 0 to 1"));
            }
        }
        let target = match (&request.consumer, &request.module) {
            (Some(consumer), None) => FaultTarget::Consumer(consumer),
            (None, Some(module)) => FaultTarget::Module(module),
            (None, None) => FaultTarget::All,
            (Some(_), Some(_)) => return Err(invalid("faults", "name a consumer or a module, not both")),
        };
        self.workspace
            .services_mut()
            .set_faults(target, &parsed)
            .map_err(sim_to_js)
    }

    /// Deliveries made, oldest first, to one consumer (`{ consumer }`) or all: `[{ id, consumer,
    /// messageId, topic, attempt, duplicate, atMs, outcome: 'handled' | 'dropped' | 'failed' |
    /// 'crashed', error? }]`.
    pub fn deliveries(&self, filter: JsValue) -> JsResult {
        let consumer = if filter.is_undefined() || filter.is_null() {
            None
        } else if let Some(name) = filter.as_string() {
            Some(name)
        } else {
            let text = json_text(&filter, "deliveries filter")?;
            serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v.get("consumer").and_then(Value::as_str).map(str::to_owned))
        };
        self.workspace
            .services()
            .deliveries(consumer.as_deref())
            .map(|d| json_to_js(&d))
            .map_err(sim_to_js)
    }

    /// Every message made, oldest first: `[{ id, topic, data, source, correlationId,
    /// causationId, createdMs, publishedMs, lost }]`.
    pub fn messages(&self) -> JsValue {
        json_to_js(&self.workspace.services().messages())
    }

    /// Puts a message `{ topic, data, correlationId? }` on a topic from outside any module (as
    /// `console`); its subscribers get it when the clock runs. Returns the message id.
    pub fn publish(&mut self, message: JsValue) -> JsResult<String> {
        let text = json_text(&message, "message")?;
        let value: Value = serde_json::from_str(&text).map_err(|e| invalid("message", e.to_string()))?;
        let Some(topic) = value.get("topic").and_then(Value::as_str) else {
            return Err(invalid("message", "expected { topic, data, correlationId? }"));
        };
        let data = value.get("data").cloned().unwrap_or_else(|| json!({}));
        let correlation = value.get("correlationId").and_then(Value::as_str);
        self.workspace
            .services_mut()
            .inject(topic, data, correlation)
            .map_err(sim_to_js)
    }

    /// A consumer's parked messages: `[{ message, attempts, error, parkedMs }]`.
    pub fn parked(&self, consumer: &str) -> JsResult {
        self.workspace
            .services()
            .parked(consumer)
            .map(|p| json_to_js(&p))
            .map_err(sim_to_js)
    }

    /// Delivers a consumer's parked messages again, ahead of new ones (all, or the one with
    /// `messageId`); returns how many.
    #[wasm_bindgen(js_name = replayParked)]
    pub fn replay_parked(&mut self, consumer: &str, message_id: Option<String>) -> JsResult<f64> {
        self.workspace
            .services_mut()
            .replay_parked(consumer, message_id.as_deref())
            .map(|n| n as f64)
            .map_err(sim_to_js)
    }

    /// Drops a parked message for good.
    #[wasm_bindgen(js_name = skipParked)]
    pub fn skip_parked(&mut self, consumer: &str, message_id: &str) -> JsResult<()> {
        self.workspace
            .services_mut()
            .skip_parked(consumer, message_id)
            .map_err(sim_to_js)
    }

    /// Starts a consumer stopped by a failure again; returns how many held messages it gets.
    #[wasm_bindgen(js_name = resumeConsumer)]
    pub fn resume_consumer(&mut self, consumer: &str) -> JsResult<f64> {
        self.workspace
            .services_mut()
            .resume(consumer)
            .map(|n| n as f64)
            .map_err(sim_to_js)
    }

    /// Turns a consumer's inbox on (remembering ids `retentionMs`, or forever) or off.
    #[wasm_bindgen(js_name = setInbox)]
    pub fn set_inbox(&mut self, consumer: &str, on: bool, retention_ms: Option<f64>) -> JsResult<()> {
        let retention = retention_ms.map(|ms| whole_number(ms, "retentionMs")).transpose()?;
        self.workspace
            .services_mut()
            .set_inbox(consumer, on, retention)
            .map_err(sim_to_js)
    }

    /// A module's outbox, oldest row first: `[{ message, relayedMs, relayCrashes }]`.
    pub fn outbox(&self, module: &str) -> JsResult {
        self.workspace
            .services()
            .outbox(module)
            .map(|o| json_to_js(&o))
            .map_err(sim_to_js)
    }

    /// A consumer's inbox, oldest first: `[{ messageId, handledMs }]`, or `null` without one.
    pub fn inbox(&self, consumer: &str) -> JsResult {
        self.workspace
            .services()
            .inbox(consumer)
            .map(|i| json_to_js(&i))
            .map_err(sim_to_js)
    }

    /// A state-stored module's table as an object keyed by row id.
    pub fn rows(&self, module: &str, table: &str) -> JsResult {
        self.workspace
            .services()
            .rows(module, table)
            .map(json_to_js)
            .map_err(sim_to_js)
    }

    /// A process manager's instances: `[{ id, streamId, state, done, compensated, inputs, steps,
    /// sent: [{ module, command, streamId, data }], pendingTimeouts: [{ id, name, dueMs }] }]`.
    pub fn processes(&self, name: &str) -> JsResult {
        self.workspace
            .services()
            .instances(name)
            .map(|i| json_to_js(&i))
            .map_err(sim_to_js)
    }

    /// Fires a pending timeout (its `id` in `pendingTimeouts`) of a process instance now, at the
    /// simulated time, ahead of its due time; it does not fire again. Throws `Unknown` for a
    /// process, instance or timeout that is not pending (it fired, or was cancelled).
    #[wasm_bindgen(js_name = fireTimeoutNow)]
    pub fn fire_timeout_now(&mut self, process: &str, instance: &str, timeout_id: &str) -> JsResult<()> {
        self.workspace
            .services_mut()
            .fire_timeout_now(process, instance, timeout_id)
            .map_err(sim_to_js)
    }

    /// A state-stored module's changes, oldest first, each a command's write to a row:
    /// `[{ id, command, commandId, table, rowId, op: 'insert' | 'update' | 'delete', before,
    /// after, atMs, correlationId }]`.
    pub fn changes(&self, module: &str) -> JsResult {
        self.workspace
            .services()
            .changes(module)
            .map(|c| json_to_js(&c))
            .map_err(sim_to_js)
    }

    /// A stream of an event-sourced module as stored: `[{ eventId, streamId, type, data,
    /// revision, position, schemaVersion, metadata: { correlationId, causationId, timestampMs,
    /// headers } }]`.
    #[wasm_bindgen(js_name = readStream)]
    pub fn read_stream(&self, module: &str, stream_id: &str) -> JsResult {
        let runtime = self.workspace.services().runtime(module).map_err(sim_to_js)?;
        let events = runtime
            .store()
            .read_stream(stream_id, 0, usize::MAX, crate::store::Direction::Forwards)
            .map_err(|e| sim_to_js(e.into()))?;
        let events: Vec<Value> = events
            .into_iter()
            .map(|e| {
                json!({
                    "eventId": e.event_id.to_string(),
                    "streamId": e.stream_id,
                    "type": e.event_type,
                    "data": e.data,
                    "revision": e.revision,
                    "position": e.position,
                    "schemaVersion": e.schema_version,
                    "metadata": {
                        "correlationId": e.metadata.correlation_id,
                        "causationId": e.metadata.causation_id,
                        "timestampMs": e.metadata.timestamp_ms,
                        "headers": e.metadata.headers,
                    },
                })
            })
            .collect();
        Ok(json_to_js(&events))
    }

    /// The causal graph of a correlation across modules: `{ correlationId, nodes: [{ id, kind,
    /// module, label, atMs, error? }], edges: [{ from, to }] }`, causes before effects.
    pub fn trace(&self, correlation_id: &str) -> JsValue {
        json_to_js(&self.workspace.services().trace(correlation_id))
    }

    /// The correlation ids traced, oldest first.
    pub fn correlations(&self) -> JsValue {
        json_to_js(self.workspace.services().correlations())
    }

    /// Failures outside any delivery: `[{ owner, message, correlationId }]` — a translation that
    /// threw, a timeout whose step failed, a message that broke its contract (not published).
    pub fn errors(&self) -> JsValue {
        let errors: Vec<Value> = self
            .workspace
            .services()
            .errors()
            .iter()
            .map(|(owner, message, correlation)| json!({ "owner": owner, "message": message, "correlationId": correlation }))
            .collect();
        json_to_js(&errors)
    }

    /// The calls made to external systems: `[{ id, external, key, data, madeMs, outcome, effect }]`.
    pub fn calls(&self) -> JsValue {
        json_to_js(&self.workspace.services().calls())
    }

    /// The external systems' figures: `[{ name, calls, effects, failures }]`.
    pub fn externals(&self) -> JsValue {
        json_to_js(&self.workspace.services().externals())
    }

    /// The broker's figures, one row per topic and consumer (and per topic nobody reads):
    /// `[{ topic, consumer, published, republished, delivered, duplicatesDelivered,
    /// duplicatesDropped, lost, parked, inFlight, handled, failed, skipped, crashed }]`.
    #[wasm_bindgen(js_name = messageStats)]
    pub fn message_stats(&self) -> JsValue {
        json_to_js(&self.workspace.services().message_stats())
    }

    /// The simulated time, in ms.
    pub fn now(&self) -> f64 {
        self.workspace.services().now() as f64
    }
}
