//! Schema diffs: what changed between two versions of an event type, and whether it breaks readers.
//!
//! A change is breaking when an event written under the old version no longer means the same
//! under the new one without an upcaster: a required field removed, a field retyped or renamed,
//! a required field added without a default. Adding an optional field is not breaking.

use serde::Serialize;

use super::event_type::SchemaVersion;
use super::field::{Field, FieldType};

/// A field renamed between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rename {
    /// The old name.
    pub from: String,
    /// The new name.
    pub to: String,
}

/// A field whose type changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retype {
    /// The field.
    pub field: String,
    /// The old type.
    pub from: FieldType,
    /// The new type.
    pub to: FieldType,
}

/// What changed from one schema version to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemaDiff {
    /// Fields only in the new version (renames excluded).
    pub added: Vec<String>,
    /// Fields only in the old version (renames excluded).
    pub removed: Vec<String>,
    /// Fields renamed: a removed and an added field of the same type, the new one hinted `renamedFrom`.
    pub renamed: Vec<Rename>,
    /// Fields in both versions with different types.
    pub retyped: Vec<Retype>,
    /// Whether old events need an upcaster.
    pub breaking: bool,
    /// Why it is breaking, one sentence per change, e.g. `removed required field "sku"`.
    pub reasons: Vec<String>,
}

/// Compares two schema versions.
pub fn diff(old: &SchemaVersion, new: &SchemaVersion) -> SchemaDiff {
    let find = |fields: &[Field], name: &str| fields.iter().find(|f| f.name == name).cloned();
    let mut result = SchemaDiff {
        added: Vec::new(),
        removed: Vec::new(),
        renamed: Vec::new(),
        retyped: Vec::new(),
        breaking: false,
        reasons: Vec::new(),
    };
    let mut renamed_old: Vec<&str> = Vec::new();
    for field in &new.fields {
        if let Some(before) = find(&old.fields, &field.name) {
            if before.field_type != field.field_type {
                result.reasons.push(format!(
                    "retyped field {:?} from {} to {}",
                    field.name, before.field_type, field.field_type
                ));
                result.retyped.push(Retype {
                    field: field.name.clone(),
                    from: before.field_type,
                    to: field.field_type.clone(),
                });
            } else if field.required && !before.required && field.default.is_none() {
                result
                    .reasons
                    .push(format!("field {:?} became required without a default", field.name));
            }
            continue;
        }
        let rename = field.renamed_from.as_deref().and_then(|previous| {
            let before = find(&old.fields, previous)?;
            let gone = find(&new.fields, previous).is_none();
            (gone && before.field_type == field.field_type).then_some(previous)
        });
        if let Some(previous) = rename {
            renamed_old.push(previous);
            result
                .reasons
                .push(format!("renamed field {previous:?} to {:?}", field.name));
            result.renamed.push(Rename {
                from: previous.to_owned(),
                to: field.name.clone(),
            });
        } else {
            if field.required && field.default.is_none() {
                result
                    .reasons
                    .push(format!("added required field {:?} without a default", field.name));
            }
            result.added.push(field.name.clone());
        }
    }
    for field in &old.fields {
        if find(&new.fields, &field.name).is_none() && !renamed_old.contains(&field.name.as_str()) {
            if field.required {
                result.reasons.push(format!("removed required field {:?}", field.name));
            }
            result.removed.push(field.name.clone());
        }
    }
    result.breaking = !result.reasons.is_empty();
    result
}
