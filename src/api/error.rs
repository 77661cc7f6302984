//! Store errors as JavaScript `Error` objects with a stable `code` and their details.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::store::{Error, ExpectedRevision};

/// Turns a store error into a JavaScript `Error` with `code` and the variant's details.
pub fn to_js(error: Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name(error.code());
    let mut fields: Vec<(&str, JsValue)> = vec![("code", error.code().into())];
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
        Error::StreamDeleted { stream_id } | Error::StreamNotFound { stream_id } => {
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
    for (key, value) in fields {
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
