//! The YAML of a front-matter block, loaded into a small tree where every node keeps
//! where it was written, with hard limits so that hostile input fails fast.
//!
//! A tree (rather than deserializing straight into `FrontMatter`) lets each field be
//! checked on its own, so one wrong field does not hide the next one.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Location, MessageFormatter, Spanned};

use super::tree::{self, Error, MAX_BYTES, Node, Value};

/// Deeper nesting than this is refused. Real front matter needs a handful of levels, and
/// building the located tree costs tens of kB of stack per level in debug builds, so the
/// limit must keep the deepest accepted input well inside a 2 MiB thread stack.
pub(super) const MAX_DEPTH: usize = 32;
const MAX_ALIASES: usize = 2_000;
const MAX_REPLAYED_EVENTS: usize = 10_000;
/// Also bounds the tree's memory: text replayed by aliases counts against the scalar
/// budget, and alias expansions against the replayed events.
const MAX_SCALAR_BYTES: usize = 2 * MAX_BYTES;

/// Loads `yaml`; `None` for a document with no node at all (empty or only comments).
pub(super) fn load(yaml: &str) -> Result<Option<Node>, Error> {
    tree::check_size(yaml)?;
    let root = serde_saphyr::from_str_with_options::<Option<Node<Location>>>(yaml, options())
        .map_err(|e| error(yaml, &e))?;
    Ok(root.map(|root| root.into_ranges(&|location| range(yaml, location))))
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: 2 * MAX_DEPTH,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ALIASES,
            max_events: 200_000,
            max_nodes: 100_000,
            max_documents: 1,
            max_total_scalar_bytes: MAX_SCALAR_BYTES,
            max_recorded_anchor_events: MAX_REPLAYED_EVENTS,
            max_recorded_anchor_bytes: MAX_BYTES,
            max_merge_keys: MAX_ALIASES,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: MAX_ALIASES,
        },
        // Duplicates reach the tree and are reported with the other field errors.
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        // `yes`, `on`, `y` stay strings, so `draft: yes` is caught instead of guessed.
        strict_booleans: true,
        with_snippet: false,
    }
}

/// Converts a serde-saphyr error into a message without a location suffix and a range.
fn error(yaml: &str, error: &serde_saphyr::Error) -> Error {
    let mut inner = error;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = inner
    {
        inner = error;
    }
    let message = match inner {
        serde_saphyr::Error::Budget { breach, .. } => budget_message(breach),
        serde_saphyr::Error::AliasReplayLimitExceeded { .. }
        | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. }
        | serde_saphyr::Error::AliasReplayCounterOverflow { .. } => {
            "front matter expands too many aliases".to_string()
        }
        other => {
            let text = serde_saphyr::UserMessageFormatter.format_message(other);
            // The parser's own nesting guard fires before the budget on some shapes.
            if text.contains("recursion limit") {
                budget_message(&BudgetBreach::Depth {
                    depth: MAX_DEPTH + 1,
                })
            } else {
                let printable: String = text
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                format!("invalid YAML in front matter: {printable}")
            }
        }
    };
    let range = error
        .location()
        .map_or(yaml.len()..yaml.len(), |l| range(yaml, &l));
    Error { message, range }
}

fn budget_message(breach: &BudgetBreach) -> String {
    match breach {
        BudgetBreach::Depth { .. } => {
            format!("front matter is nested more than {MAX_DEPTH} levels deep")
        }
        BudgetBreach::Aliases { .. }
        | BudgetBreach::Anchors { .. }
        | BudgetBreach::AliasAnchorRatio { .. }
        | BudgetBreach::RecordedAnchorEvents { .. }
        | BudgetBreach::RecordedAnchorBytes { .. } => {
            "front matter uses too many aliases".to_string()
        }
        BudgetBreach::ScalarBytes { .. } => {
            format!(
                "front matter expands to more than {} MiB of text",
                MAX_SCALAR_BYTES / (1024 * 1024)
            )
        }
        _ => "front matter is too large or too complex".to_string(),
    }
}

/// The byte range of `location` in `yaml`. Locations from string input carry byte
/// offsets; the line and column are the fallback.
fn range(yaml: &str, location: &Location) -> Range<usize> {
    let span = location.span();
    let start = match span.byte_offset() {
        Some(offset) => usize::try_from(offset).unwrap_or(usize::MAX),
        None => offset_of_line_column(yaml, location.line(), location.column()),
    };
    let len = span
        .byte_len()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0);
    let start = start.min(yaml.len());
    start..start.saturating_add(len).min(yaml.len())
}

/// 1-based line and character column to a byte offset, clamped to the text.
fn offset_of_line_column(yaml: &str, line: u64, column: u64) -> usize {
    let line_start: usize = yaml
        .split_inclusive('\n')
        .take(usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX))
        .map(str::len)
        .sum();
    let rest = &yaml[line_start..];
    let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
    line_start + rest.char_indices().nth(skip).map_or(rest.len(), |(i, _)| i)
}

impl<'de> Deserialize<'de> for Node<Location> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value<Location>>::deserialize(deserializer)?;
        Ok(Node {
            value: spanned.value,
            location: spanned.referenced,
        })
    }
}

impl<'de> Deserialize<'de> for Value<Location> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<Location>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value<Location>, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value<Location>, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value<Location>, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value<Location>, E> {
        Ok(Value::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value<Location>, E> {
        i128::try_from(v)
            .map(Value::Int)
            .map_err(|_| E::custom("integer too large"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value<Location>, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value<Location>, E> {
        Ok(Value::Str(v.to_string()))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value<Location>, E> {
        self.visit_str(&String::from_utf8_lossy(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value<Location>, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value<Location>, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Value<Location>, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Value<Location>, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<Location>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node<Location>>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<Location>, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node<Location>>()? {
            let value = map.next_value::<Node<Location>>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn map(yaml: &str) -> Vec<(Node, Node)> {
        match load(yaml).unwrap().unwrap().value {
            Value::Map(entries) => entries,
            other => panic!("{other:?}"),
        }
    }

    fn text_at<'a>(yaml: &'a str, node: &Node) -> &'a str {
        &yaml[node.location.clone()]
    }

    #[test]
    fn scalars_are_typed_and_located() {
        let yaml = "title: Héllo wörld\nweight: -3\ndraft: true\nratio: 0.5\nnothing:\n";
        let entries = map(yaml);
        let values: Vec<_> = entries.iter().map(|(_, v)| v.value.clone()).collect();
        assert_eq!(
            values,
            [
                Value::Str("Héllo wörld".into()),
                Value::Int(-3),
                Value::Bool(true),
                Value::Float(0.5),
                Value::Null
            ]
        );
        assert_eq!(text_at(yaml, &entries[0].0), "title");
        assert_eq!(text_at(yaml, &entries[0].1), "Héllo wörld");
        assert_eq!(text_at(yaml, &entries[1].0), "weight");
        assert_eq!(text_at(yaml, &entries[2].1), "true");
    }

    #[test]
    fn yaml_11_booleans_stay_strings() {
        let entries = map("draft: yes\nother: on\n");
        assert_eq!(entries[0].1.value, Value::Str("yes".into()));
        assert_eq!(entries[1].1.value, Value::Str("on".into()));
    }

    #[test]
    fn duplicate_keys_reach_the_tree() {
        let yaml = "a: 1\nb: 2\na: 3\n";
        let entries = map(yaml);
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[2].0.location, 10..11);
    }

    #[test]
    fn empty_yaml_has_no_node() {
        assert_eq!(load("").unwrap(), None);
        assert_eq!(load("# only a comment\n").unwrap(), None);
    }

    #[test]
    fn syntax_errors_are_located() {
        let yaml = "title: ok\ntags: [a, b\nother: x\n";
        let error = load(yaml).unwrap_err();
        assert!(error.message.starts_with("invalid YAML"), "{error:?}");
        assert!(error.range.start >= yaml.find("tags").unwrap(), "{error:?}");
    }

    #[test]
    fn line_and_column_fallback_counts_characters() {
        let yaml = "é: 1\nab: é2\n";
        assert_eq!(offset_of_line_column(yaml, 2, 5), yaml.find("é2").unwrap());
        assert_eq!(offset_of_line_column(yaml, 1, 1), 0);
        assert_eq!(offset_of_line_column(yaml, 99, 99), yaml.len());
    }

    fn assert_rejected_quickly(yaml: &str, expected: &str) {
        let start = Instant::now();
        let error = load(yaml).unwrap_err();
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "took {:?}",
            start.elapsed()
        );
        assert!(error.message.contains(expected), "{error:?}");
    }

    #[test]
    fn an_alias_bomb_is_rejected_quickly() {
        let mut yaml = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            yaml.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [prev.as_str(); 9].join(", ")
            ));
        }
        assert_rejected_quickly(&yaml, "alias");
    }

    #[test]
    fn a_large_string_expanded_many_times_is_rejected() {
        let big = "x".repeat(900 * 1024);
        let aliases = vec!["*big"; 100].join(", ");
        let yaml = format!("a: &big {big}\nb: [{aliases}]\n");
        assert_rejected_quickly(&yaml, "more than 2 MiB of text");
    }

    #[test]
    fn deep_nesting_is_rejected_quickly() {
        let flow = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert_rejected_quickly(&flow, "nested");
        let dashes = format!("{}x\n", "- ".repeat(10_000));
        assert_rejected_quickly(&dashes, "nested");
        // Indentation grows with depth, so 1,000 levels already take 500 kB.
        let block: String = (0..1_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert_rejected_quickly(&block, "nested");
    }

    #[test]
    fn nesting_up_to_the_limit_is_accepted() {
        let deepest = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(load(&deepest).is_ok());
        let deeper = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(
            load(&deeper)
                .unwrap_err()
                .message
                .contains("nested more than 32 levels")
        );
    }

    #[test]
    fn oversized_front_matter_is_refused() {
        let yaml = format!("a: {}\n", "x".repeat(MAX_BYTES));
        assert!(
            load(&yaml)
                .unwrap_err()
                .message
                .contains("larger than 1 MiB")
        );
    }
}
