//! Values crossing the sandbox boundary: JSON in, Rhai values inside, JSON out.
//!
//! Written by hand rather than through `rhai::serde`, so that what is not JSON (a NaN, a function
//! pointer, a blob) is refused with the path where it sits instead of being turned into `null`, and so
//! that nesting is bounded: the conversions recurse, and a script can nest arrays thousands deep.

use rhai::{Array, Dynamic, Map};
use serde::de::{DeserializeSeed, Deserializer, Error as DeError, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// How deeply a value crossing the boundary may nest. Events and states a user types stay far below.
pub(crate) const MAX_DEPTH: usize = 64;

/// Why a value cannot cross, and where in it the problem sits (e.g. `[2].lines[0]`, empty for the value itself).
#[derive(Debug)]
pub(crate) struct Unfit {
    pub(crate) path: String,
    pub(crate) what: String,
}

impl Unfit {
    fn new(what: impl Into<String>) -> Self {
        Unfit {
            path: String::new(),
            what: what.into(),
        }
    }

    fn under(mut self, step: String) -> Self {
        self.path.insert_str(0, &step);
        self
    }

    /// The problem in one phrase, e.g. `NaN, which JSON cannot hold (at .total)`.
    pub(crate) fn describe(&self) -> String {
        if self.path.is_empty() {
            self.what.clone()
        } else {
            format!("{} (at {})", self.what, self.path)
        }
    }
}

/// Converts a JSON value into a Rhai value; integers stay `i64`, other numbers become `f64`.
pub(crate) fn to_dynamic(value: &Value) -> Result<Dynamic, Unfit> {
    to_dynamic_at(value, 0)
}

fn to_dynamic_at(value: &Value, depth: usize) -> Result<Dynamic, Unfit> {
    if depth > MAX_DEPTH {
        return Err(Unfit::new(format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    Ok(match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => number_to_dynamic(n)?,
        Value::String(s) => Dynamic::from(s.clone()),
        Value::Array(items) => {
            let mut array = Array::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                array.push(to_dynamic_at(item, depth + 1).map_err(|e| e.under(format!("[{i}]")))?);
            }
            Dynamic::from_array(array)
        }
        Value::Object(entries) => {
            let mut map = Map::new();
            for (key, item) in entries {
                let item = to_dynamic_at(item, depth + 1).map_err(|e| e.under(format!(".{key}")))?;
                map.insert(key.as_str().into(), item);
            }
            Dynamic::from_map(map)
        }
    })
}

/// Parses JSON text straight into a Rhai value: what [`to_dynamic`] makes of the parsed
/// value, without building it. `Err` for text that is not JSON or for a value `to_dynamic`
/// refuses (too deep, an integer past `i64`).
pub(crate) fn parse_dynamic(json: &str) -> Result<Dynamic, serde_json::Error> {
    let mut parser = serde_json::Deserializer::from_str(json);
    let value = DynamicSeed { depth: 0 }.deserialize(&mut parser)?;
    parser.end()?;
    Ok(value)
}

/// Builds the Rhai value at `depth` (see [`parse_dynamic`]).
#[derive(Clone, Copy)]
struct DynamicSeed {
    depth: usize,
}

impl DynamicSeed {
    fn child(self) -> Self {
        DynamicSeed { depth: self.depth + 1 }
    }
}

impl<'de> DeserializeSeed<'de> for DynamicSeed {
    type Value = Dynamic;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Dynamic, D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(D::Error::custom(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DynamicSeed {
    type Value = Dynamic;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E: DeError>(self) -> Result<Dynamic, E> {
        Ok(Dynamic::UNIT)
    }

    fn visit_bool<E: DeError>(self, b: bool) -> Result<Dynamic, E> {
        Ok(Dynamic::from_bool(b))
    }

    fn visit_i64<E: DeError>(self, i: i64) -> Result<Dynamic, E> {
        Ok(Dynamic::from_int(i))
    }

    fn visit_u64<E: DeError>(self, u: u64) -> Result<Dynamic, E> {
        i64::try_from(u)
            .map(Dynamic::from_int)
            .map_err(|_| E::custom(too_large(u)))
    }

    fn visit_f64<E: DeError>(self, f: f64) -> Result<Dynamic, E> {
        Ok(Dynamic::from_float(f))
    }

    fn visit_str<E: DeError>(self, s: &str) -> Result<Dynamic, E> {
        // Through `From<&str>`: short strings are stored inline, with no `String` in between.
        Ok(s.into())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Dynamic, A::Error> {
        let mut array = Array::with_capacity(items.size_hint().unwrap_or(0));
        while let Some(item) = items.next_element_seed(self.child())? {
            array.push(item);
        }
        Ok(Dynamic::from_array(array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Dynamic, A::Error> {
        let mut map = Map::new();
        while let Some(key) = entries.next_key_seed(KeySeed)? {
            let item = entries.next_value_seed(self.child())?;
            map.insert(key, item);
        }
        Ok(Dynamic::from_map(map))
    }
}

/// The key type of a Rhai [`Map`] (Rhai does not export its name).
type MapKey = <Map as KeyOf>::Key;

trait KeyOf {
    type Key;
}

impl<K, V> KeyOf for std::collections::BTreeMap<K, V> {
    type Key = K;
}

/// Reads a map key straight into Rhai's key type (short keys are stored inline, so most keys
/// allocate nothing).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = MapKey;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<MapKey, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = MapKey;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a map key")
    }

    fn visit_str<E: DeError>(self, s: &str) -> Result<MapKey, E> {
        Ok(s.into())
    }
}

/// Why an integer past `i64` cannot go into a script.
fn too_large(n: impl std::fmt::Display) -> String {
    format!("the integer {n} is larger than a script can hold ({})", i64::MAX)
}

fn number_to_dynamic(n: &Number) -> Result<Dynamic, Unfit> {
    if let Some(i) = n.as_i64() {
        Ok(Dynamic::from_int(i))
    } else if n.is_u64() {
        Err(Unfit::new(too_large(n)))
    } else {
        n.as_f64()
            .map(Dynamic::from_float)
            .ok_or_else(|| Unfit::new(format!("the number {n}")))
    }
}

/// Whether `value` holds arrays or maps nested more than `max` levels deep (the value itself is level 0),
/// adding to `looked_at` how many items and entries the walk looked at.
///
/// Rhai clones, drops and measures nested values recursively, so a script that nests arrays thousands
/// deep (`for i in 0..6000 { a = [a] }`) would overflow the stack inside Rhai itself (in wasm V8's
/// own stack, which no setting of ours can grow). The engine calls this on every variable read (see
/// `engine.rs`), which bounds how deep anything a script builds can get. The walk recurses at most
/// `max + 1` levels and stops at the first container past the limit.
pub(crate) fn nests_deeper_than(value: &Dynamic, max: usize, looked_at: &mut u64) -> bool {
    let mut too_deep = |item: &Dynamic| is_container(item) && (max == 0 || nests_deeper_than(item, max - 1, looked_at));
    if let Ok(items) = value.as_array_ref() {
        let found = items.iter().any(&mut too_deep);
        *looked_at = looked_at.saturating_add(items.len() as u64);
        found
    } else if let Ok(entries) = value.as_map_ref() {
        let found = entries.values().any(&mut too_deep);
        *looked_at = looked_at.saturating_add(entries.len() as u64);
        found
    } else {
        false
    }
}

fn is_container(value: &Dynamic) -> bool {
    value.is_array() || value.is_map()
}

/// Whether `value` would come back unchanged from [`to_json`] and then [`to_dynamic`]: plain
/// data (unit, booleans, integers, finite floats, strings, arrays, maps) no deeper than
/// [`MAX_DEPTH`], with no char, shared, read-only or tagged value in it. A runtime that keeps a
/// result as a Rhai value for the next call checks this instead of converting it there and back.
pub(crate) fn is_plain(value: &Dynamic) -> bool {
    is_plain_at(value, 0)
}

fn is_plain_at(value: &Dynamic, depth: usize) -> bool {
    if depth > MAX_DEPTH || value.is_shared() || value.is_read_only() || value.tag() != 0 {
        return false;
    }
    if value.is_unit() || value.is_bool() || value.is_int() || value.is_string() {
        return true;
    }
    if let Ok(f) = value.as_float() {
        return f.is_finite();
    }
    if let Ok(items) = value.as_array_ref() {
        return items.iter().all(|item| is_plain_at(item, depth + 1));
    }
    if let Ok(entries) = value.as_map_ref() {
        return entries.values().all(|item| is_plain_at(item, depth + 1));
    }
    false
}

/// Converts a Rhai value into JSON; `()` becomes `null`, a char a one-character string.
pub(crate) fn to_json(value: Dynamic) -> Result<Value, Unfit> {
    to_json_at(value, 0)
}

fn to_json_at(value: Dynamic, depth: usize) -> Result<Value, Unfit> {
    if depth > MAX_DEPTH {
        return Err(Unfit::new(format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    let value = value.flatten();
    if value.is_unit() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(i) = value.as_int() {
        return Ok(Value::Number(i.into()));
    }
    if let Ok(f) = value.as_float() {
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| Unfit::new(format!("{f}, which JSON cannot hold")));
    }
    if let Ok(c) = value.as_char() {
        return Ok(Value::String(c.to_string()));
    }
    if value.is_string() {
        return value.into_string().map(Value::String).map_err(Unfit::new);
    }
    if value.is_array() {
        let items = value.into_array().map_err(Unfit::new)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            out.push(to_json_at(item, depth + 1).map_err(|e| e.under(format!("[{i}]")))?);
        }
        return Ok(Value::Array(out));
    }
    let type_name = value.type_name();
    match value.try_cast::<Map>() {
        Some(map) => {
            let mut out = serde_json::Map::new();
            for (key, item) in map {
                let item = to_json_at(item, depth + 1).map_err(|e| e.under(format!(".{key}")))?;
                out.insert(key.to_string(), item);
            }
            Ok(Value::Object(out))
        }
        None => Err(Unfit::new(format!(
            "a value of type '{type_name}', which JSON cannot hold"
        ))),
    }
}
