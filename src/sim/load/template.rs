//! Data templates: parsing `{n}`, `{i}`, `{random:LO..HI}`, `{pick:a|b}` and `{{`, compiling a
//! payload template with the command's field types as hints, and rendering it for an instance.

use serde_json::{json, Value};

use super::random::Rng;
use super::MAX_TEMPLATE_DEPTH;
use crate::model::{Field, FieldType, Problem};

/// A compiled data template.
#[derive(Debug, Clone)]
pub(super) enum Node {
    /// No placeholder anywhere below.
    Fixed(Value),
    /// A string that is exactly one placeholder; `true` keeps it text.
    Whole(Slot, bool),
    /// A string with placeholders in it.
    Text(Vec<Piece>),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

#[derive(Debug, Clone)]
pub(super) enum Piece {
    Literal(String),
    Slot(Slot),
}

#[derive(Debug, Clone)]
pub(super) enum Slot {
    N,
    I,
    Random(i64, i64),
    Pick(Vec<String>),
}

/// What the command's schema says about the value at a place in the template.
#[derive(Clone, Copy)]
pub(super) enum Hint<'a> {
    None,
    Fields(&'a [Field]),
    Type(&'a FieldType),
}

impl<'a> Hint<'a> {
    fn field(self, key: &str) -> Hint<'a> {
        let fields = match self {
            Hint::Fields(fields) => fields,
            Hint::Type(FieldType::Object(fields)) => fields.as_slice(),
            _ => return Hint::None,
        };
        fields
            .iter()
            .find(|f| f.name == key)
            .map_or(Hint::None, |f| Hint::Type(&f.field_type))
    }

    fn item(self) -> Hint<'a> {
        match self {
            Hint::Type(FieldType::List(item)) => Hint::Type(item),
            _ => Hint::None,
        }
    }

    fn is_text(self) -> bool {
        matches!(
            self,
            Hint::Type(FieldType::String | FieldType::Id | FieldType::Enum(_) | FieldType::Timestamp)
        )
    }
}

/// The instance and repetition a template is rendered for.
#[derive(Clone, Copy)]
pub(super) struct Point {
    pub(super) n: u32,
    pub(super) i: u32,
}

pub(super) fn compile_node(
    value: &Value,
    hint: Hint<'_>,
    path: &str,
    depth: usize,
    problems: &mut Vec<Problem>,
) -> Node {
    if depth > MAX_TEMPLATE_DEPTH && (value.is_array() || value.is_object()) {
        problems.push(Problem::new(
            path,
            format!("nested deeper than {MAX_TEMPLATE_DEPTH} levels"),
        ));
        return Node::Fixed(Value::Null);
    }
    let node = match value {
        Value::String(text) if text.contains('{') => match parse_text(text) {
            Ok(pieces) => text_node(pieces, hint.is_text()),
            Err(message) => {
                problems.push(Problem::new(path, message));
                Node::Fixed(Value::Null)
            }
        },
        Value::Array(items) => Node::Array(
            items
                .iter()
                .enumerate()
                .map(|(k, item)| compile_node(item, hint.item(), &format!("{path}[{k}]"), depth + 1, problems))
                .collect(),
        ),
        Value::Object(entries) => Node::Object(
            entries
                .iter()
                .map(|(key, item)| {
                    let node = compile_node(item, hint.field(key), &format!("{path}.{key}"), depth + 1, problems);
                    (key.clone(), node)
                })
                .collect(),
        ),
        other => Node::Fixed(other.clone()),
    };
    node.settled()
}

/// A templated string: one placeholder alone becomes [`Node::Whole`], plain text [`Node::Fixed`].
fn text_node(mut pieces: Vec<Piece>, as_text: bool) -> Node {
    match (pieces.pop(), pieces.is_empty()) {
        (Some(Piece::Slot(slot)), true) => Node::Whole(slot, as_text),
        (Some(Piece::Literal(text)), true) => Node::Fixed(Value::String(text)),
        (Some(last), false) => {
            pieces.push(last);
            Node::Text(pieces)
        }
        (None, _) => Node::Fixed(Value::String(String::new())),
    }
}

impl Node {
    /// The same node, as one fixed value when nothing below it varies.
    fn settled(self) -> Node {
        let fixed = match &self {
            Node::Array(items) => items.iter().all(|n| matches!(n, Node::Fixed(_))),
            Node::Object(entries) => entries.iter().all(|(_, n)| matches!(n, Node::Fixed(_))),
            _ => false,
        };
        if fixed {
            Node::Fixed(self.render(Point { n: 0, i: 0 }, &mut Rng(0)))
        } else {
            self
        }
    }

    pub(super) fn render(&self, at: Point, rng: &mut Rng) -> Value {
        match self {
            Node::Fixed(value) => value.clone(),
            Node::Whole(slot, true) => Value::String(slot.text(at, rng)),
            Node::Whole(slot, false) => slot.value(at, rng),
            Node::Text(pieces) => Value::String(render_text(pieces, at, rng)),
            Node::Array(items) => Value::Array(items.iter().map(|n| n.render(at, rng)).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, node)| (key.clone(), node.render(at, rng)))
                    .collect(),
            ),
        }
    }
}

impl Slot {
    fn value(&self, at: Point, rng: &mut Rng) -> Value {
        match self {
            Slot::N => json!(at.n),
            Slot::I => json!(at.i),
            Slot::Random(lo, hi) => json!(rng.between(*lo, *hi)),
            Slot::Pick(_) => Value::String(self.text(at, rng)),
        }
    }

    fn text(&self, at: Point, rng: &mut Rng) -> String {
        match self {
            Slot::N => at.n.to_string(),
            Slot::I => at.i.to_string(),
            Slot::Random(lo, hi) => rng.between(*lo, *hi).to_string(),
            Slot::Pick(options) => options.get(rng.below(options.len())).cloned().unwrap_or_default(),
        }
    }
}

pub(super) fn render_text(pieces: &[Piece], at: Point, rng: &mut Rng) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Literal(text) => out.push_str(text),
            Piece::Slot(slot) => out.push_str(&slot.text(at, rng)),
        }
    }
    out
}

/// Splits a template string into text and placeholders; `{{` is a literal `{`.
pub(super) fn parse_text(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        literal.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        if let Some(escaped) = after.strip_prefix('{') {
            literal.push('{');
            rest = escaped;
            continue;
        }
        let Some(close) = after.find('}') else {
            return Err(format!("unclosed placeholder {:?}", cut(&rest[open..])));
        };
        let slot = parse_slot(&after[..close])?;
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(Piece::Slot(slot));
        rest = &after[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

fn parse_slot(inner: &str) -> Result<Slot, String> {
    if inner == "n" {
        return Ok(Slot::N);
    }
    if inner == "i" {
        return Ok(Slot::I);
    }
    if let Some(options) = inner.strip_prefix("pick:") {
        return Ok(Slot::Pick(options.split('|').map(str::to_owned).collect()));
    }
    if let Some(range) = inner.strip_prefix("random:") {
        let bounds = range
            .split_once("..")
            .and_then(|(lo, hi)| Some((lo.trim().parse::<i64>().ok()?, hi.trim().parse::<i64>().ok()?)));
        return match bounds {
            Some((lo, hi)) if lo <= hi => Ok(Slot::Random(lo, hi)),
            Some((lo, hi)) => Err(format!("{{{inner}}}: the low end {lo} is above the high end {hi}")),
            None => Err(format!(
                "{{{}}}: expected {{random:LO..HI}} with whole numbers",
                cut(inner)
            )),
        };
    }
    Err(format!(
        "unknown placeholder \"{{{}}}\"; use {{n}}, {{i}}, {{random:LO..HI}} or {{pick:a|b|…}}",
        cut(inner)
    ))
}

/// At most 40 characters of `text`, for messages.
fn cut(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}
