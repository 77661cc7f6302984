//! Identifiers: seeded event ids, and the rules for stream ids, categories and event types.
//!
//! Event ids are not stored: an id is a pure function of the store's seed and the event's global
//! position, so the same seed and the same appends give the same ids on every run and machine.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::{Error, Result};

/// The longest stream id or event type accepted, in bytes.
pub const MAX_NAME_BYTES: usize = 1024;

/// A 128-bit event id, shown as a UUID-v4-shaped string (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(u128);

impl EventId {
    /// The id of the event at `position` in a store seeded with `seed`.
    pub fn derive(seed: u64, position: u64) -> Self {
        let high = splitmix64(seed ^ splitmix64(position));
        let low = splitmix64(high ^ 0xD1B5_4A32_D192_ED03);
        let mut value = (u128::from(high) << 64) | u128::from(low);
        value = (value & !(0xF << 76)) | (0x4 << 76); // version 4
        value = (value & !(0x3 << 62)) | (0x2 << 62); // RFC 4122 variant
        EventId(value)
    }

    /// The id as a number.
    pub fn as_u128(self) -> u128 {
        self.0
    }

    /// Parses the hyphenated form that [`Display`](fmt::Display) writes.
    pub fn parse(text: &str) -> Result<Self> {
        let groups: Vec<&str> = text.split('-').collect();
        let shape_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()));
        let hex: String = groups.concat();
        match u128::from_str_radix(&hex, 16) {
            Ok(value) if shape_ok => Ok(EventId(value)),
            _ => Err(Error::invalid(
                format!("event id {text:?}"),
                "expected 8-4-4-4-12 hex digits",
            )),
        }
    }
}

impl EventId {
    /// The id in its hyphenated form (`8-4-4-4-12` lower-case hex digits), without formatting
    /// machinery: this runs once for every event a read returns.
    pub fn to_hyphenated(self) -> [u8; 36] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [b'-'; 36];
        let mut at = 0;
        for nibble in 0..32 {
            if matches!(nibble, 8 | 12 | 16 | 20) {
                at += 1;
            }
            out[at] = HEX[((self.0 >> (124 - nibble * 4)) & 0xF) as usize];
            at += 1;
        }
        out
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only ASCII hex digits and hyphens are written.
        f.write_str(std::str::from_utf8(&self.to_hyphenated()).unwrap_or_default())
    }
}

impl Serialize for EventId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Checks a stream id: non-empty, at most 1024 bytes, no control characters, and not starting
/// with `$` (KurrentDB reserves those names for system streams such as `$all`).
pub fn validate_stream_id(stream_id: &str) -> Result<()> {
    validate_name("stream id", stream_id)?;
    if stream_id.starts_with('$') {
        return Err(Error::invalid(
            format!("stream id {stream_id:?}"),
            "names starting with $ are reserved for system streams",
        ));
    }
    Ok(())
}

/// Checks an event type: non-empty, at most 1024 bytes, no control characters.
pub fn validate_event_type(event_type: &str) -> Result<()> {
    validate_name("event type", event_type)
}

/// The category of a stream: the part before the first `-`, or the whole id when there is none
/// (KurrentDB's `$by_category` rule: `cart-42` is in `cart`).
pub fn category_of(stream_id: &str) -> &str {
    stream_id.split_once('-').map_or(stream_id, |(category, _)| category)
}

fn validate_name(what: &str, name: &str) -> Result<()> {
    let reason = if name.is_empty() {
        "it is empty".to_owned()
    } else if name.len() > MAX_NAME_BYTES {
        format!("it is {} bytes, over the limit of {MAX_NAME_BYTES}", name.len())
    } else if name.chars().any(char::is_control) {
        "it contains a control character".to_owned()
    } else {
        return Ok(());
    };
    let shown: String = name.chars().take(64).collect();
    Err(Error::invalid(format!("{what} {shown:?}"), reason))
}

pub(crate) fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn event_ids_are_deterministic_distinct_and_uuid_v4_shaped() {
        let ids: BTreeSet<EventId> = (0..10_000).map(|p| EventId::derive(7, p)).collect();
        assert_eq!(ids.len(), 10_000, "ids for distinct positions are distinct");
        assert_eq!(EventId::derive(7, 3), EventId::derive(7, 3), "same seed and position");
        assert_ne!(EventId::derive(7, 3), EventId::derive(8, 3), "another seed");
        for id in ids.iter().take(100) {
            let text = id.to_string();
            assert_eq!(text.len(), 36, "{text}");
            assert_eq!(&text[14..15], "4", "version digit of {text}");
            assert!("89ab".contains(&text[19..20]), "variant digit of {text}");
            assert_eq!(EventId::parse(&text).ok(), Some(*id), "parse back {text}");
        }
    }

    #[test]
    fn event_id_parse_rejects_other_shapes() {
        for text in [
            "",
            "0123",
            "0000000-0000-4000-8000-000000000000x",
            "g0000000-0000-4000-8000-000000000000",
        ] {
            assert!(EventId::parse(text).is_err(), "{text:?} should be rejected");
        }
    }

    #[test]
    fn stream_id_rules() {
        let long = "a".repeat(MAX_NAME_BYTES + 1);
        let cases = [
            ("cart-1", true),
            ("a", true),
            ("ünïcode-流", true),
            ("", false),
            ("$all", false),
            ("$ce-cart", false),
            ("tab\there", false),
            ("nul\0", false),
            (long.as_str(), false),
            (&long[1..], true),
        ];
        for (id, ok) in cases {
            assert_eq!(validate_stream_id(id).is_ok(), ok, "validate_stream_id({id:.20?})");
        }
    }

    #[test]
    fn category_is_the_part_before_the_first_dash() {
        let cases = [
            ("cart-42", "cart"),
            ("cart-42-x", "cart"),
            ("cart", "cart"),
            ("-x", ""),
            ("a-", "a"),
        ];
        for (id, category) in cases {
            assert_eq!(category_of(id), category, "category_of({id:?})");
        }
    }
}
