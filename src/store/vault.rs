//! Crypto-shredding: personal fields are stored sealed with a key per data subject, kept in the
//! store's key vault; forgetting a subject drops its key, and every copy of its fields (the log,
//! the archive's segments, an exported snapshot, read models built again) reads as shredded.
//!
//! A sealed value is `{"$sealed": "<key id>", "cipher": "<hex>"}` in the stored payload; reads
//! reveal it while the key is in the vault and give [`SHREDDED`] once it is not. The key id is a
//! pseudonym (`k7`), so the payload does not name the subject. The cipher is simulated: a keyed
//! stream XORed over the value's JSON text, enough to make the stored bytes unreadable without the
//! key, not a cipher to protect real data with.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::ids::splitmix64;
use super::Store;

/// The key of a sealed value's marker object.
pub const SEALED: &str = "$sealed";
/// What a sealed value reads as once its subject is forgotten.
pub const SHREDDED: &str = "[shredded]";

/// The keys, one per data subject, in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Vault {
    keys: Vec<Key>,
    by_subject: HashMap<String, u32>,
}

/// One subject's key; `secret` is `None` once forgotten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Key {
    subject: String,
    secret: Option<u64>,
}

/// A data subject as the vault knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// Whose data it is, e.g. `c-7`; [`SHREDDED`] once forgotten.
    pub subject: String,
    /// The key's pseudonymous id, as sealed values name it, e.g. `k3`.
    pub key: String,
    /// Whether the key was dropped.
    pub forgotten: bool,
}

/// What forgetting a subject did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forgotten {
    /// The subject.
    pub subject: String,
    /// Stored events that held its sealed fields, local and archived copies counted once each.
    pub events: u64,
    /// Of those, copies in the archive (uploaded segments).
    pub archived_copies: u64,
    /// The values that were sealed, as they read before: what read models built earlier may still
    /// hold until they are built again.
    pub values: Vec<Value>,
}

impl Vault {
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The subjects, in the order their keys were made.
    pub(crate) fn subjects(&self) -> Vec<Subject> {
        self.keys
            .iter()
            .zip(0u32..)
            .map(|(key, index)| Subject {
                subject: key.subject.clone(),
                key: key_id(index),
                forgotten: key.secret.is_none(),
            })
            .collect()
    }

    /// `value` sealed with `subject`'s key, made from `seed` on first use; a forgotten subject's
    /// new data is sealed with a new key (forgetting is not a ban on coming back).
    pub(crate) fn seal(&mut self, seed: u64, subject: &str, value: &Value) -> Value {
        let index = match self.by_subject.get(subject) {
            Some(&index) if self.secret(index).is_some() => index,
            _ => {
                let index = self.keys.len() as u32;
                let secret = splitmix64(seed ^ splitmix64(u64::from(index) ^ 0x5EA1_ED00_C0FF_EE00));
                self.keys.push(Key {
                    subject: subject.to_owned(),
                    secret: Some(secret),
                });
                self.by_subject.insert(subject.to_owned(), index);
                index
            }
        };
        let secret = self.secret(index).unwrap_or_default();
        let plain = value.to_string();
        let cipher: String = keystream(secret, plain.as_bytes())
            .map(|byte| format!("{byte:02x}"))
            .collect();
        json!({ SEALED: key_id(index), "cipher": cipher })
    }

    /// `payload` with its sealed values revealed (or shredded); borrowed when it holds none.
    pub(crate) fn reveal<'p>(&self, payload: &'p str) -> Cow<'p, str> {
        if self.keys.is_empty() || !payload.contains(SEALED) {
            return Cow::Borrowed(payload);
        }
        match serde_json::from_str::<Value>(payload) {
            Ok(mut value) => {
                self.reveal_value(&mut value);
                Cow::Owned(value.to_string())
            }
            Err(_) => Cow::Borrowed(payload),
        }
    }

    fn reveal_value(&self, value: &mut Value) {
        match value {
            Value::Object(map) => match self.opened(map) {
                Some(revealed) => *value = revealed,
                None => map.values_mut().for_each(|v| self.reveal_value(v)),
            },
            Value::Array(items) => items.iter_mut().for_each(|v| self.reveal_value(v)),
            _ => {}
        }
    }

    /// A sealed value's content, or [`SHREDDED`] when its key is gone; `None` for any other object.
    fn opened(&self, map: &Map<String, Value>) -> Option<Value> {
        let index = parse_key_id(map.get(SEALED)?.as_str()?)?;
        let cipher = map.get("cipher")?.as_str()?;
        let Some(secret) = self.secret(index) else {
            return Some(json!(SHREDDED));
        };
        let bytes: Option<Vec<u8>> = (0..cipher.len() / 2)
            .map(|i| u8::from_str_radix(cipher.get(2 * i..2 * i + 2)?, 16).ok())
            .collect();
        let plain: Vec<u8> = keystream(secret, &bytes?).collect();
        serde_json::from_slice(&plain).ok()
    }

    /// The ids of `subject`'s live keys (it may have had several, if it came back after being
    /// forgotten).
    fn live_keys(&self, subject: &str) -> Vec<String> {
        self.keys
            .iter()
            .zip(0u32..)
            .filter(|(key, _)| key.subject == subject && key.secret.is_some())
            .map(|(_, index)| key_id(index))
            .collect()
    }

    /// Drops `subject`'s keys, and its name with them: the vault's record of who it was is
    /// personal data too.
    fn forget(&mut self, subject: &str) {
        for key in self
            .keys
            .iter_mut()
            .filter(|k| k.subject == subject && k.secret.is_some())
        {
            key.secret = None;
            key.subject = SHREDDED.to_owned();
        }
        self.by_subject.remove(subject);
    }

    /// The plain scalar leaves of the values sealed with one of `keys` in `value`: what read
    /// models built earlier may hold of them.
    fn sealed_values(&self, value: &Value, keys: &[String], out: &mut Vec<Value>) {
        match value {
            Value::Object(map) => match map.get(SEALED).and_then(Value::as_str) {
                Some(key) if keys.iter().any(|k| k == key) => {
                    if let Some(opened) = self.opened(map) {
                        plain_values(&opened, out);
                    }
                }
                _ => map.values().for_each(|v| self.sealed_values(v, keys, out)),
            },
            Value::Array(items) => items.iter().for_each(|v| self.sealed_values(v, keys, out)),
            _ => {}
        }
    }

    fn secret(&self, index: u32) -> Option<u64> {
        self.keys.get(index as usize).and_then(|k| k.secret)
    }

    /// The keys as a snapshot keeps them.
    pub(crate) fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// A vault from a snapshot's keys.
    pub(crate) fn from_keys(keys: Vec<Key>) -> Vault {
        let by_subject = keys
            .iter()
            .zip(0u32..)
            .filter(|(key, _)| key.secret.is_some())
            .map(|(key, index)| (key.subject.clone(), index))
            .collect();
        Vault { keys, by_subject }
    }
}

impl Store {
    /// `value` sealed with the key of data subject `subject` (made on first use): store it in
    /// place of a personal field, and reads reveal it until [`Store::forget_subject`].
    pub fn seal(&mut self, subject: &str, value: &Value) -> Value {
        self.vault.seal(self.config.seed, subject, value)
    }

    /// The data subjects whose fields were sealed, forgotten or not.
    pub fn subjects(&self) -> Vec<Subject> {
        self.vault.subjects()
    }

    /// Drops the keys of `subject`: every sealed copy of its fields, local or archived, reads as
    /// [`SHREDDED`] from now on. `None` when the subject has no key (unknown, or forgotten).
    pub fn forget_subject(&mut self, subject: &str) -> Option<Forgotten> {
        let keys = self.vault.live_keys(subject);
        if keys.is_empty() {
            return None;
        }
        let markers: Vec<String> = keys.iter().map(|k| format!("\"{SEALED}\":\"{k}\"")).collect();
        let holds = |payload: &str| markers.iter().any(|m| payload.contains(m.as_str()));
        let mut values = Vec::new();
        let vault = &self.vault;
        let mut collect = |payload: &str| {
            if let Ok(value) = serde_json::from_str::<Value>(payload) {
                vault.sealed_values(&value, &keys, &mut values);
            }
        };
        let (mut events, mut archived_copies) = (0, 0);
        for stored in self.log.forwards_from(0) {
            if holds(stored.payload) {
                events += 1;
                collect(stored.payload);
            }
        }
        for stored in self.archive.log.forwards_from(0) {
            if holds(stored.payload) {
                archived_copies += 1;
                // Below the local horizon the archive holds the only copy; above it the log's
                // copy was counted.
                if stored.slot < self.archive.local_slot() {
                    events += 1;
                    collect(stored.payload);
                }
            }
        }
        values.sort_by_key(Value::to_string);
        values.dedup();
        self.vault.forget(subject);
        Some(Forgotten {
            subject: subject.to_owned(),
            events,
            archived_copies,
            values,
        })
    }
}

/// The strings and numbers in `value`, the shredded marker left out.
fn plain_values(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => map.values().for_each(|v| plain_values(v, out)),
        Value::Array(items) => items.iter().for_each(|v| plain_values(v, out)),
        Value::String(s) if s != SHREDDED => out.push(value.clone()),
        Value::Number(_) => out.push(value.clone()),
        _ => {}
    }
}

fn key_id(index: u32) -> String {
    format!("k{index}")
}

fn parse_key_id(id: &str) -> Option<u32> {
    id.strip_prefix('k')?.parse().ok()
}

/// `bytes` XORed with the keystream of `secret`.
fn keystream(secret: u64, bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
    bytes.iter().enumerate().map(move |(i, byte)| {
        let block = splitmix64(secret ^ (i as u64 / 8));
        byte ^ block.to_le_bytes()[i % 8]
    })
}
