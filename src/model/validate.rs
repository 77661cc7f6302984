//! Semantic checks of a scenario that reads well as types: names, versions, defaults and every
//! reference between definitions. Each problem names its JSON path.

use super::field::{Field, FieldType};
use super::model::Model;
use super::payload::check_value;
use super::problem::Problem;
use super::projection::{is_key_path, Checkpointing, ProjectionLogic, Source, Template};
use super::scenario::Scenario;
use super::stream_type::{PeriodEnd, Periods};
use super::{scripts, spec_check, system_check, upcast_check};
use crate::store::Store;

/// Every problem of a scenario, in document order; empty when it is sound.
pub(crate) fn check(scenario: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    let model = &scenario.model;
    event_types(model, &mut problems);
    commands(model, &mut problems);
    stream_types(model, &mut problems);
    projections(model, &mut problems);
    upcast_check::upcasters(model, &mut problems);
    policies(model, &mut problems);
    spec_check::specs(scenario, &mut problems);
    if let Some(events) = &scenario.events {
        match Store::import_json(&events.to_string()) {
            Ok(store) => upcast_check::recorded(model, &store, &mut problems),
            Err(error) => problems.push(Problem::new("events", error.to_string())),
        }
    }
    scripts::check(scenario, &mut problems);
    system_check::check(scenario, &mut problems);
    problems
}

/// Whether a name can follow `on_` in a handler: a letter or `_`, then letters, digits or `_`.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(crate) fn names<'a>(
    items: impl Iterator<Item = &'a str>,
    path: &str,
    what: &str,
    identifier: bool,
    problems: &mut Vec<Problem>,
) {
    let mut seen: Vec<&str> = Vec::new();
    for (index, name) in items.enumerate() {
        let at = format!("{path}[{index}].name");
        if name.trim().is_empty() {
            problems.push(Problem::new(at, format!("{what} needs a name")));
        } else if identifier && !is_identifier(name) {
            problems.push(Problem::new(
                at,
                format!("{name:?} is not a valid {what} name (letters, digits and _, not starting with a digit)"),
            ));
        } else if let Some(first) = seen.iter().position(|seen| *seen == name) {
            problems.push(Problem::new(
                at,
                format!("duplicate {what} {name:?} (first at {path}[{first}])"),
            ));
        }
        seen.push(name);
    }
}

fn event_types(model: &Model, problems: &mut Vec<Problem>) {
    let path = "model.eventTypes";
    names(
        model.event_types.iter().map(|t| t.name.as_str()),
        path,
        "event type",
        true,
        problems,
    );
    for (i, event_type) in model.event_types.iter().enumerate() {
        let at = format!("{path}[{i}].versions");
        if event_type.versions.is_empty() {
            problems.push(Problem::new(&at, "needs at least one version"));
        }
        let mut previous: Option<&[Field]> = None;
        for (j, version) in event_type.versions.iter().enumerate() {
            let expected = u32::try_from(j + 1).unwrap_or(u32::MAX);
            if version.version != expected {
                problems.push(Problem::new(
                    format!("{at}[{j}].version"),
                    format!(
                        "expected {expected}: versions count up from 1 in order, got {}",
                        version.version
                    ),
                ));
            }
            fields(&version.fields, &format!("{at}[{j}].fields"), problems);
            for (k, field) in version.fields.iter().enumerate() {
                let Some(old) = &field.renamed_from else { continue };
                if !previous.is_some_and(|fields| fields.iter().any(|f| &f.name == old)) {
                    problems.push(Problem::new(
                        format!("{at}[{j}].fields[{k}].renamedFrom"),
                        format!("the previous version has no field {old:?}"),
                    ));
                }
            }
            previous = Some(&version.fields);
        }
    }
}

/// Checks a list of fields (names unique and non-empty, enums, defaults), recursing into objects.
pub(crate) fn fields(fields: &[Field], path: &str, problems: &mut Vec<Problem>) {
    names(fields.iter().map(|f| f.name.as_str()), path, "field", false, problems);
    for (k, field) in fields.iter().enumerate() {
        let at = format!("{path}[{k}]");
        check_type(&field.field_type, &format!("{at}.type"), problems);
        if let Some(default) = &field.default {
            if let Err((inner, problem)) = check_value(&field.field_type, default) {
                let inner = if inner.is_empty() {
                    String::new()
                } else {
                    format!(" at {inner}")
                };
                problems.push(Problem::new(format!("{at}.default"), format!("{problem}{inner}")));
            }
        }
    }
}

fn check_type(field_type: &FieldType, path: &str, problems: &mut Vec<Problem>) {
    match field_type {
        FieldType::Enum(values) => {
            for (i, value) in values.iter().enumerate() {
                if values.get(..i).is_some_and(|before| before.contains(value)) {
                    problems.push(Problem::new(
                        format!("{path}.enum[{i}]"),
                        format!("duplicate enum value {value:?}"),
                    ));
                }
            }
        }
        FieldType::List(item) => check_type(item, &format!("{path}.list"), problems),
        FieldType::Object(inner) => fields(inner, &format!("{path}.object"), problems),
        _ => {}
    }
}

fn commands(model: &Model, problems: &mut Vec<Problem>) {
    let path = "model.commands";
    names(
        model.commands.iter().map(|c| c.name.as_str()),
        path,
        "command",
        true,
        problems,
    );
    for (i, command) in model.commands.iter().enumerate() {
        if model.stream_type(&command.stream_type).is_none() {
            problems.push(Problem::new(
                format!("{path}[{i}].streamType"),
                format!("unknown stream type {:?}", command.stream_type),
            ));
        }
        fields(&command.fields, &format!("{path}[{i}].fields"), problems);
    }
}

fn stream_types(model: &Model, problems: &mut Vec<Problem>) {
    let path = "model.streamTypes";
    names(
        model.stream_types.iter().map(|s| s.name.as_str()),
        path,
        "stream type",
        false,
        problems,
    );
    for (i, stream_type) in model.stream_types.iter().enumerate() {
        let pattern = &stream_type.stream_id_pattern;
        let category = pattern.strip_suffix("-{id}").unwrap_or_default();
        if category.is_empty() || category.contains(['-', '{', '}', '$']) {
            problems.push(Problem::new(
                format!("{path}[{i}].streamIdPattern"),
                format!("expected \"<category>-{{id}}\", e.g. \"cart-{{id}}\", got {pattern:?}"),
            ));
        } else if let Some(first) = model.stream_types.iter().position(|s| s.category() == category) {
            if first < i {
                problems.push(Problem::new(
                    format!("{path}[{i}].streamIdPattern"),
                    format!("category {category:?} is already used by {path}[{first}]"),
                ));
            }
        }
        if let Some(periods) = &stream_type.periods {
            self::periods(model, periods, &format!("{path}[{i}].periods"), problems);
        }
        let subject = stream_type.retention.as_ref().and_then(|r| r.subject.as_deref());
        if let Some(subject) = subject {
            let named = model
                .event_types
                .iter()
                .flat_map(|t| &t.versions)
                .any(|v| v.fields.iter().any(|f| f.name == subject));
            if !named {
                problems.push(Problem::new(
                    format!("{path}[{i}].retention.subject"),
                    format!("no event type has a field {subject:?} to name the data subject"),
                ));
            }
        }
    }
}

fn periods(model: &Model, periods: &Periods, path: &str, problems: &mut Vec<Problem>) {
    for (name, key) in [
        (&periods.closed_event, "closedEvent"),
        (&periods.opened_event, "openedEvent"),
    ] {
        if model.event_type(name).is_none() {
            problems.push(Problem::new(
                format!("{path}.{key}"),
                format!("unknown event type {name:?}"),
            ));
        }
    }
    if periods.closed_event == periods.opened_event {
        problems.push(Problem::new(
            format!("{path}.openedEvent"),
            "a period must close and open with two different event types",
        ));
    }
    if matches!(periods.close_after, PeriodEnd::Days(0) | PeriodEnd::Events(0)) {
        problems.push(Problem::new(format!("{path}.closeAfter"), "must be at least 1"));
    }
}

fn projections(model: &Model, problems: &mut Vec<Problem>) {
    let path = "model.projections";
    names(
        model.projections.iter().map(|p| p.name.as_str()),
        path,
        "projection",
        false,
        problems,
    );
    for (i, projection) in model.projections.iter().enumerate() {
        let at = format!("{path}[{i}]");
        if projection.version == 0 {
            problems.push(Problem::new(format!("{at}.version"), "versions start at 1"));
        }
        match &projection.source {
            Source::All => {}
            Source::Categories(list) => {
                references(list, &format!("{at}.source.categories"), "category", problems, |c| {
                    model.stream_types.iter().any(|s| s.category() == c)
                })
            }
            Source::EventTypes(list) => {
                references(list, &format!("{at}.source.eventTypes"), "event type", problems, |t| {
                    model.event_type(t).is_some()
                })
            }
            Source::Streams(list) => references(list, &format!("{at}.source.streams"), "stream", problems, |s| {
                !s.is_empty()
            }),
        }
        if projection.checkpointing == (Checkpointing::Every { events: 0 }) {
            problems.push(Problem::new(
                format!("{at}.checkpointing.events"),
                "a checkpoint every 0 events is never stored: use at least 1",
            ));
        }
        if !is_key_path(&projection.key) {
            problems.push(Problem::new(format!("{at}.key"), key_message(&projection.key)));
        }
        if let ProjectionLogic::Template(Template::SumByKey { field }) = &projection.logic {
            if !is_key_path(field) {
                problems.push(Problem::new(
                    format!("{at}.logic.template.sumByKey.field"),
                    key_message(field),
                ));
            }
        }
    }
}

pub(crate) fn key_message(path: &str) -> String {
    format!("expected streamId, type, revision, position, schemaVersion or data.<field>…, got {path:?}")
}

fn references(list: &[String], path: &str, what: &str, problems: &mut Vec<Problem>, known: impl Fn(&str) -> bool) {
    if list.is_empty() {
        problems.push(Problem::new(path, format!("needs at least one {what}")));
    }
    for (i, name) in list.iter().enumerate() {
        if !known(name) {
            problems.push(Problem::new(format!("{path}[{i}]"), format!("unknown {what} {name:?}")));
        }
    }
}

fn policies(model: &Model, problems: &mut Vec<Problem>) {
    let path = "model.policies";
    names(
        model.policies.iter().map(|p| p.name.as_str()),
        path,
        "policy",
        false,
        problems,
    );
    for (i, policy) in model.policies.iter().enumerate() {
        let at = format!("{path}[{i}]");
        references(&policy.on, &format!("{at}.on"), "event type", problems, |t| {
            model.event_type(t).is_some()
        });
        let super::policy::PolicyLogic::Mapping(mappings) = &policy.logic else {
            continue;
        };
        for (j, mapping) in mappings.iter().enumerate() {
            let at = format!("{at}.logic.mapping[{j}]");
            let Some(command) = model.command(&mapping.command) else {
                problems.push(Problem::new(
                    format!("{at}.command"),
                    format!("unknown command {:?}", mapping.command),
                ));
                continue;
            };
            for placeholder in placeholders(&mapping.stream_id) {
                if !is_key_path(placeholder) {
                    problems.push(Problem::new(format!("{at}.streamId"), key_message(placeholder)));
                }
            }
            for (field, source) in &mapping.data {
                if !command.fields.iter().any(|f| &f.name == field) {
                    problems.push(Problem::new(
                        format!("{at}.data.{field}"),
                        format!("command {:?} has no field {field:?}", command.name),
                    ));
                }
                if !is_key_path(source) {
                    problems.push(Problem::new(format!("{at}.data.{field}"), key_message(source)));
                }
            }
        }
    }
}

/// The `{path}` placeholders of a template such as `invoice-{data.stayId}`.
pub(crate) fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(inside, _)| inside))
}
