//! Internally tagged enums (`{ "op": "renameField", "from": … }`) read without serde's buffering
//! of tagged content, which costs about 20 KiB of the web bundle (see `bench/README.md`): the
//! object is read as a JSON value, its tag taken out, and the rest read in the externally tagged
//! form (`{ "renameField": { "from": … } }`) that a plain derive reads directly.

use serde::de::{Deserializer, Error, Unexpected};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Reads an object tagged by `tag` and returns it in the externally tagged form; a variant named
/// in `units` becomes a bare name and takes no other field.
pub(crate) fn retag<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &'static str,
    units: &[&str],
) -> Result<Value, D::Error> {
    let Value::Object(mut fields) = Value::deserialize(deserializer)? else {
        return Err(D::Error::invalid_type(
            Unexpected::Other("not an object"),
            &"an object with a tag",
        ));
    };
    let variant = match fields.remove(tag) {
        Some(Value::String(variant)) => variant,
        Some(_) => return Err(D::Error::custom(format_args!("`{tag}` must be a string"))),
        None => return Err(D::Error::missing_field(tag)),
    };
    if units.contains(&variant.as_str()) && fields.is_empty() {
        return Ok(Value::String(variant));
    }
    Ok(Value::Object(Map::from_iter([(variant, Value::Object(fields))])))
}

/// Reads `T` from a JSON value, with the error in `D`'s terms.
pub(crate) fn read<'de, D: Deserializer<'de>, T>(
    value: Value,
    read: impl FnOnce(Value) -> serde_json::Result<T>,
) -> Result<T, D::Error> {
    read(value).map_err(D::Error::custom)
}
