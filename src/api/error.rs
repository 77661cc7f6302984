//! Store, runtime and scenario errors as JavaScript `Error` objects with a stable `code` and their
//! details as properties.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::model::Problem;
use crate::session::Error as SessionError;
use crate::sim::Error as SimError;
use crate::store::{Error, ExpectedRevision};

/// Turns a store error into a JavaScript `Error` with `code` and the variant's details.
pub fn to_js(error: Error) -> JsValue {
    let mut fields: Vec<(&str, JsValue)> = Vec::new();
    match &error {
        Error::WrongExpectedVersion {
            stream_id,
            expected,
            actual,
        } => {
            fields.push(("streamId", stream_id.into()));
            fields.push(("expected", expected_to_js(*expected)));
            fields.push(("actual", actual.map_or(JsValue::NULL, |a| (a as f64).into())));
        }
        Error::StreamDeleted { stream_id }
        | Error::StreamNotFound { stream_id }
        | Error::StreamArchived { stream_id } => {
            fields.push(("streamId", stream_id.into()));
        }
        Error::InvalidInput { subject, reason } => {
            fields.push(("subject", subject.into()));
            fields.push(("reason", reason.into()));
        }
        Error::PayloadTooLarge {
            stream_id,
            event_type,
            size,
            limit,
        } => {
            fields.push(("streamId", stream_id.into()));
            fields.push(("eventType", event_type.into()));
            fields.push(("size", (*size as f64).into()));
            fields.push(("limit", (*limit as f64).into()));
        }
        Error::InvalidSnapshot { reason } => fields.push(("reason", reason.into())),
    }
    js_error(&error.to_string(), error.code(), fields)
}

/// Turns a runtime error into a JavaScript `Error`; store errors keep their own codes and details.
pub fn sim_to_js(error: SimError) -> JsValue {
    let message = error.to_string();
    let (code, fields): (&str, Vec<(&str, JsValue)>) = match error {
        SimError::Store(error) => return to_js(error),
        SimError::Script(e) => {
            let mut fields = vec![("owner", e.owner.into())];
            fields.extend(e.function.map(|f| ("function", f.into())));
            fields.extend(e.line.map(|l| ("line", l.into())));
            fields.extend(e.column.map(|c| ("column", c.into())));
            ("ScriptError", fields)
        }
        SimError::Payload(e) => (
            "InvalidPayload",
            vec![
                ("subject", e.subject.into()),
                ("path", e.path.into()),
                ("reason", e.problem.into()),
            ],
        ),
        SimError::Unknown { what, name } => {
            // Not `name`: that is the Error's own, the code.
            ("Unknown", vec![("what", what.into()), ("unknownName", name.into())])
        }
        SimError::WrongStream {
            command,
            stream_type,
            pattern,
            stream_id,
        } => (
            "WrongStream",
            vec![
                ("command", command.into()),
                ("streamType", stream_type.into()),
                ("pattern", pattern.into()),
                ("streamId", stream_id.into()),
            ],
        ),
        SimError::NotOpenPeriod { stream_id, open } => (
            "NotOpenPeriod",
            vec![("streamId", stream_id.into()), ("open", open.into())],
        ),
        SimError::NoUpcastPath {
            event_type,
            version,
            current,
        } => (
            "NoUpcastPath",
            vec![
                ("eventType", event_type.into()),
                ("version", version.into()),
                ("current", current.into()),
            ],
        ),
        SimError::BadResult { owner, message } => {
            ("BadResult", vec![("owner", owner.into()), ("reason", message.into())])
        }
        SimError::InlineProjection { projection, error } => (
            "InlineProjectionFailed",
            vec![("projection", projection.into()), ("cause", sim_to_js(*error))],
        ),
        SimError::InlineProjectionStopped {
            projection,
            position,
            error,
        } => (
            "InlineProjectionStopped",
            vec![
                ("projection", projection.into()),
                ("position", (position as f64).into()),
                ("reason", error.into()),
            ],
        ),
        // A policy's errors stop the policy (its status says why); they reach JavaScript only
        // if a caller passes one on.
        SimError::PolicyLoop { policy, reason } => {
            ("PolicyLoop", vec![("policy", policy.into()), ("reason", reason.into())])
        }
        SimError::PolicyCommand {
            policy,
            command,
            stream_id,
            error,
        } => (
            "PolicyCommandFailed",
            vec![
                ("policy", policy.into()),
                ("command", command.into()),
                ("streamId", stream_id.into()),
                ("cause", sim_to_js(*error)),
            ],
        ),
    };
    js_error(&message, code, fields)
}

/// Turns a workspace error into a JavaScript `Error`: the runtime's keep their codes; a missing
/// load generator is `Unknown`, a document that does not read `InvalidInput`, one that does not
/// check `Invalid…` with its `problems`.
pub fn session_to_js(error: SessionError) -> JsValue {
    match error {
        SessionError::Sim(error) => sim_to_js(error),
        SessionError::NoLoad => sim_to_js(SimError::Unknown {
            what: "load generator",
            name: "(none is running; call startLoad first)".to_owned(),
        }),
        SessionError::Unreadable { what, message } => invalid(what, message),
        SessionError::Invalid { what, problems } => invalid_document(what, "InvalidDocument", &problems),
    }
}

/// An `InvalidScenario` error whose `problems` are `[{ path, message, line, column }]`; the message
/// lists them.
pub fn invalid_scenario(problems: &[Problem]) -> JsValue {
    invalid_document("scenario", "InvalidScenario", problems)
}

/// A document that does not check (a scenario, a load generator): code `code`, with `problems`.
pub fn invalid_document(subject: &str, code: &str, problems: &[Problem]) -> JsValue {
    let listed: Vec<String> = problems.iter().map(Problem::to_string).collect();
    let message = format!("invalid {subject}: {}", listed.join("; "));
    let json = serde_json::to_string(problems).unwrap_or_else(|_| "[]".into());
    js_error(&message, code, vec![("problems", super::convert::to_js(&json))])
}

/// A JavaScript `Error` named and coded `code`, with `fields` as properties.
fn js_error(message: &str, code: &str, fields: Vec<(&str, JsValue)>) -> JsValue {
    let js = js_sys::Error::new(message);
    js.set_name(code);
    for (key, value) in std::iter::once(("code", code.into())).chain(fields) {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&js, &key.into(), &value);
    }
    js.into()
}

/// The JavaScript form of an expected revision: a number or one of the three names.
pub fn expected_to_js(expected: ExpectedRevision) -> JsValue {
    match expected {
        ExpectedRevision::Any => "any".into(),
        ExpectedRevision::NoStream => "no_stream".into(),
        ExpectedRevision::StreamExists => "stream_exists".into(),
        ExpectedRevision::Exact(n) => (n as f64).into(),
    }
}

/// An `InvalidInput` error about an argument.
pub fn invalid(subject: impl Into<String>, reason: impl Into<String>) -> JsValue {
    to_js(Error::InvalidInput {
        subject: subject.into(),
        reason: reason.into(),
    })
}
