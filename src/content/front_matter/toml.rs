//! The TOML of a front-matter block (between `+++` lines, Zola's and Hugo's default),
//! loaded into the same located tree as YAML so that every field is checked alike.
//!
//! TOML has no aliases, so the only limits are the size of the block and its nesting.
//! Dates (`date = 2016-03-01`) become their text, which `fields` reads as any date.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::tree::{self, Error, Node, Value};
use super::yaml::MAX_DEPTH;

/// Loads `text`: always a table, empty for a block with no key.
pub(super) fn load(text: &str) -> Result<Node, Error> {
    tree::check_size(text)?;
    let root = DeTable::parse(text).map_err(|error| syntax_error(text, &error))?;
    let span = root.span();
    table(root.into_inner(), span, 0)
}

fn syntax_error(text: &str, error: &toml::de::Error) -> Error {
    let message: String = error
        .message()
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let range = error.span().unwrap_or(text.len()..text.len());
    Error {
        message: format!("invalid TOML in front matter: {message}"),
        range: range.start.min(text.len())..range.end.min(text.len()),
    }
}

fn node(value: Spanned<DeValue>, depth: usize) -> Result<Node, Error> {
    let location = value.span();
    let value = match value.into_inner() {
        DeValue::String(s) => Value::Str(s.into_owned()),
        DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix())
            .map_or_else(|_| Value::Str(i.to_string()), Value::Int),
        DeValue::Float(f) => f
            .as_str()
            .parse()
            .map_or_else(|_| Value::Str(f.to_string()), Value::Float),
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(datetime) => Value::Str(datetime.to_string()),
        DeValue::Array(items) => {
            check_depth(depth, &location)?;
            let items = items.into_iter().map(|item| node(item, depth + 1));
            Value::Seq(items.collect::<Result<_, _>>()?)
        }
        DeValue::Table(entries) => return table(entries, location, depth),
    };
    Ok(Node { value, location })
}

fn table(entries: DeTable, location: Range<usize>, depth: usize) -> Result<Node, Error> {
    check_depth(depth, &location)?;
    let entries = entries.into_iter().map(|(key, value)| {
        let key = Node {
            location: key.span(),
            value: Value::Str(key.into_inner().into_owned()),
        };
        Ok((key, node(value, depth + 1)?))
    });
    let mut entries: Vec<_> = entries.collect::<Result<_, _>>()?;
    // The parser's map is sorted by key; errors are reported in the order written.
    entries.sort_by_key(|(key, _)| key.location.start);
    Ok(Node {
        value: Value::Map(entries),
        location,
    })
}

fn check_depth(depth: usize, location: &Range<usize>) -> Result<(), Error> {
    if depth < MAX_DEPTH {
        return Ok(());
    }
    Err(Error {
        message: format!("front matter is nested more than {MAX_DEPTH} levels deep"),
        range: location.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each key with the text its value was written as.
    fn entries(text: &str) -> Vec<(String, &str)> {
        let Value::Map(entries) = load(text).unwrap().value else {
            panic!("not a table")
        };
        entries
            .into_iter()
            .map(|(key, value)| (text[key.location].to_string(), &text[value.location]))
            .collect()
    }

    #[test]
    fn keys_keep_the_order_written_and_values_are_located() {
        let text =
            "title = \"A\"\ndate = 2016-03-01\n[extra]\nx = 1\n[[events]]\nsummary = \"S\"\n";
        assert_eq!(
            entries(text),
            [
                ("title".to_string(), "\"A\""),
                ("date".to_string(), "2016-03-01"),
                ("extra".to_string(), "[extra]"),
                ("events".to_string(), "[[events]]"),
            ]
        );
    }

    #[test]
    fn scalars_are_typed_and_dates_are_their_text() {
        let text = "a = 0x1F\nb = 1.5\nc = true\nd = 2016-03-01T10:00:00+02:00\ne = 1979-05-27\n";
        let Value::Map(entries) = load(text).unwrap().value else {
            panic!()
        };
        let values: Vec<_> = entries.into_iter().map(|(_, v)| v.value).collect();
        assert_eq!(
            values,
            [
                Value::Int(31),
                Value::Float(1.5),
                Value::Bool(true),
                Value::Str("2016-03-01T10:00:00+02:00".into()),
                Value::Str("1979-05-27".into()),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let error = load("a = 1\na = 2\n").unwrap_err();
        assert_eq!(error.message, "invalid TOML in front matter: duplicate key");
        assert_eq!(error.range, 6..7);
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let deepest = format!(
            "a = {}{}",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(load(&deepest).is_ok());
        let deeper = format!("a = {}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let error = load(&deeper).unwrap_err();
        assert_eq!(
            error.message,
            "front matter is nested more than 32 levels deep"
        );
        for text in [
            format!("a = {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
            format!("a = {}1{}\n", "{b = ".repeat(10_000), "}".repeat(10_000)),
            format!("{} = 1\n", vec!["a"; 10_000].join(".")),
        ] {
            assert!(load(&text).is_err());
        }
    }

    #[test]
    fn oversized_front_matter_is_refused() {
        let text = format!("a = \"{}\"\n", "x".repeat(tree::MAX_BYTES));
        assert!(
            load(&text)
                .unwrap_err()
                .message
                .contains("larger than 1 MiB")
        );
    }
}
