//! The located tree that both front-matter syntaxes load into, so that one converter
//! (`fields`) checks YAML and TOML alike, with the same errors at the same places.

use std::ops::Range;

/// Front matter larger than this is refused before parsing.
pub(super) const MAX_BYTES: usize = 1024 * 1024;

/// A syntax error, located by a byte range of the block.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Error {
    pub message: String,
    pub range: Range<usize>,
}

/// Refuses a block over `MAX_BYTES`.
pub(super) fn check_size(text: &str) -> Result<(), Error> {
    if text.len() <= MAX_BYTES {
        return Ok(());
    }
    Err(Error {
        message: format!(
            "front matter is larger than {} MiB",
            MAX_BYTES / (1024 * 1024)
        ),
        range: 0..0,
    })
}

/// A value and where it was written. `L` is the loader's own location type while a
/// syntax is being read; the finished tree holds byte ranges in the front-matter block.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node<L = Range<usize>> {
    pub value: Value<L>,
    /// Where the node is used (a YAML alias points at the `*name`, not at the anchor).
    pub location: L,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value<L = Range<usize>> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node<L>>),
    /// Entries in the order written; duplicates are kept so they can be reported.
    Map(Vec<(Node<L>, Node<L>)>),
}

impl<L> Value<L> {
    /// "found ..." in error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl<L> Node<L> {
    /// The same tree with every location turned into a byte range by `locate`.
    pub fn into_ranges(self, locate: &impl Fn(&L) -> Range<usize>) -> Node {
        let value = match self.value {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Float(f),
            Value::Str(s) => Value::Str(s),
            Value::Seq(items) => Value::Seq(
                items
                    .into_iter()
                    .map(|item| item.into_ranges(locate))
                    .collect(),
            ),
            Value::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.into_ranges(locate), v.into_ranges(locate)))
                    .collect(),
            ),
        };
        Node {
            value,
            location: locate(&self.location),
        }
    }
}
