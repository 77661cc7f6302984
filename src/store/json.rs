//! Canonical compact JSON text, made without building a `serde_json::Value`.
//!
//! Payloads are stored as JSON text. Text that comes from outside (the JavaScript API, a snapshot)
//! is streamed through serde_json's parser into a writer: that validates it, drops insignificant
//! white space, keeps object keys in their order, and writes strings and numbers the way
//! `serde_json` prints them. The result is a fixed point: canonical text comes back unchanged,
//! and so does the text of a serialized `Value`. That is what makes a snapshot export → import →
//! export byte-identical while payloads keep the key order their author chose.

use std::fmt;
use std::io::Write;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

/// Validates `text` as one JSON value and returns its canonical compact form.
pub(crate) fn canonical(text: &str) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(text.len());
    let mut deserializer = serde_json::Deserializer::from_str(text);
    Canon(&mut out).deserialize(&mut deserializer)?;
    deserializer.end()?;
    String::from_utf8(out).map_err(serde_json::Error::custom)
}

/// `deserialize_with` helper: reads any JSON value as canonical text.
pub(crate) fn deserialize_canonical<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let mut out = Vec::new();
    Canon(&mut out).deserialize(deserializer)?;
    String::from_utf8(out).map_err(D::Error::custom)
}

/// Writes the value it visits into the buffer.
struct Canon<'a>(&'a mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for Canon<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Canon<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        self.0.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        write!(self.0, "{v}").map_err(E::custom)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        write!(self.0, "{v}").map_err(E::custom)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        serde_json::to_writer(&mut *self.0, &v).map_err(E::custom)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        serde_json::to_writer(&mut *self.0, v).map_err(E::custom)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let out = self.0;
        out.push(b'[');
        let mut first = true;
        loop {
            let mark = out.len();
            if !first {
                out.push(b',');
            }
            if seq.next_element_seed(Canon(&mut *out))?.is_none() {
                out.truncate(mark);
                break;
            }
            first = false;
        }
        out.push(b']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let out = self.0;
        out.push(b'{');
        let mut first = true;
        loop {
            let mark = out.len();
            if !first {
                out.push(b',');
            }
            if map.next_key_seed(Canon(&mut *out))?.is_none() {
                out.truncate(mark);
                break;
            }
            out.push(b':');
            map.next_value_seed(Canon(&mut *out))?;
            first = false;
        }
        out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_is_compact_ordered_and_a_fixed_point() {
        let cases = [
            (
                r#" { "b" : 1 , "a" : [ true, null, -2, 9.99 ] } "#,
                r#"{"b":1,"a":[true,null,-2,9.99]}"#,
            ),
            (r#""caf\u00e9 \"q\"""#, r#""café \"q\"""#),
            ("1e3", "1000.0"),
            ("[]", "[]"),
            ("{}", "{}"),
            (r#"{"":{"x":[[]]}}"#, r#"{"":{"x":[[]]}}"#),
            ("18446744073709551615", "18446744073709551615"),
        ];
        for (input, want) in cases {
            let got = canonical(input).ok();
            assert_eq!(got.as_deref(), Some(want), "canonical({input:?})");
            assert_eq!(canonical(want).ok().as_deref(), Some(want), "fixed point of {want:?}");
        }
    }

    #[test]
    fn floats_of_seventeen_digits_are_a_fixed_point() {
        // Found by fuzzing the snapshot import: serde_json's fast float parser can be one unit in
        // the last place off for 17 significant digits, so each export and import moved an
        // event's number (`3.3333333333333334e31` came back `3.333333333333334e31`).
        for input in [
            "3.3333333333333334e31",
            "1.1111111111111111e33",
            "1111111111111111111111111111111111",
            "0.30000000000000004",
            "[1.1111111111111111e21,-2.2250738585072014e-308,1.7976931348623157e308]",
        ] {
            let once = canonical(input).unwrap_or_default();
            let twice = canonical(&once).ok();
            assert_eq!(
                twice.as_deref(),
                Some(once.as_str()),
                "canonical({input:?}) is a fixed point"
            );
            let exact: Option<f64> = input.parse().ok();
            if let Some(exact) = exact {
                assert_eq!(once.parse::<f64>().ok(), Some(exact), "{input:?} keeps its value");
            }
        }
    }

    #[test]
    fn canonical_text_of_a_value_is_its_serialization() {
        let value =
            serde_json::json!({"cartId": "cart-42", "sku": "SKU-123", "qty": 1, "price": 9.99, "tags": ["a\n"]});
        let text = serde_json::to_string(&value).unwrap_or_default();
        assert_eq!(
            canonical(&text).ok(),
            Some(text.clone()),
            "serialized Value is canonical"
        );
    }

    #[test]
    fn invalid_json_is_rejected() {
        let deep = "[".repeat(200) + "]".repeat(200).as_str();
        for input in [
            "",
            "{",
            "{\"a\":}",
            "[1,]",
            "nul",
            "1 2",
            "{'a':1}",
            "NaN",
            deep.as_str(),
        ] {
            assert!(canonical(input).is_err(), "canonical({input:.20?}) should fail");
        }
    }
}
