//! Turning the located front-matter tree (from YAML or TOML) into typed `FrontMatter`
//! fields, one field at a time, so that every wrong field gets its own diagnostic.
//!
//! A null value (`date:` with nothing after it) counts as not set: templates for new
//! pages often leave fields empty.

use std::collections::HashMap;

use serde_json::{Map, Number, Value as Json};

use super::tree::{Node, Value};
use super::{FrontMatter, Located, Report, Schema, records};
use crate::content::date::PartialDate;
use crate::diag::{Kind, did_you_mean, same_key};

/// The keys folio itself understands; taxonomies and relations come from the schema on
/// top.
pub(super) const CORE_KEYS: [&str; 18] = [
    "title",
    "description",
    "weight",
    "date",
    "updated",
    "draft",
    "slug",
    "aliases",
    "template",
    "tags",
    "extra",
    "acronym",
    "names",
    "events",
    "figures",
    "glossary",
    "translated-from",
    "taxonomies",
];

/// Keys other generators (Hugo, Zola, Jekyll, Docusaurus) use for what folio names
/// otherwise, matched whatever their case and separators: the folio key, and a note
/// when the meaning differs.
const OTHER_NAMES: [(&str, &str, &str); 12] = [
    ("lastmod", "updated", ""),
    ("modified", "updated", ""),
    ("lastmodified", "updated", ""),
    ("publishdate", "date", ""),
    ("pubdate", "date", ""),
    ("summary", "description", ""),
    ("excerpt", "description", ""),
    ("layout", "template", ""),
    ("sidebarposition", "weight", ""),
    ("navorder", "weight", ""),
    (
        "published",
        "draft",
        " A page that is not ready is marked `draft: true`.",
    ),
    (
        "categories",
        "tags",
        " Or declare `[taxonomies.categories]` in book.toml to keep them apart.",
    ),
];

const QUOTE_HELP: &str = "put the value in quotes to make it a string";

pub(super) fn convert(root: &Node, schema: &Schema, report: &mut Report) -> FrontMatter {
    let mut front_matter = FrontMatter::default();
    let entries = match &root.value {
        Value::Map(entries) => entries,
        Value::Null => return front_matter,
        other => {
            let message = format!(
                "front matter must be a mapping of keys to values, found {}",
                other.kind()
            );
            report.push(
                report
                    .error(Kind::WrongType, &root.location, message)
                    .help("write one `key: value` per line"),
            );
            return front_matter;
        }
    };
    let mut seen = HashMap::new();
    for (key, value) in entries {
        if let Some(name) = key_name(report, "front matter", &mut seen, key) {
            field(&mut front_matter, &name, key, value, schema, report);
        }
    }
    front_matter
}

fn field(
    fm: &mut FrontMatter,
    name: &str,
    key: &Node,
    value: &Node,
    schema: &Schema,
    report: &mut Report,
) {
    match name {
        "title" => fm.title = string(report, name, value),
        "description" => fm.description = string(report, name, value),
        "weight" => fm.weight = integer(report, name, value),
        "date" => fm.date = date(report, name, value),
        "updated" => fm.updated = date(report, name, value),
        "draft" => fm.draft = boolean(report, name, value).unwrap_or(false),
        "slug" => fm.slug = located_string(report, name, value),
        "template" => fm.template = located_string(report, name, value),
        "aliases" => fm.aliases = string_list(report, name, value).unwrap_or_default(),
        "extra" => fm.extra = extra(report, value),
        "acronym" => fm.acronym = located_string(report, name, value),
        "names" => fm.names = string_list(report, name, value).unwrap_or_default(),
        "events" => fm.events = records::events(report, value, schema),
        "figures" => fm.figures = records::figures(report, value),
        "glossary" => fm.glossary = records::glossary(report, value),
        "translated-from" => fm.translated_from = located_string(report, name, value),
        "taxonomies" => taxonomies_table(fm, value, schema, report),
        _ if schema.relations.iter().any(|r| r == name) => {
            if let Some(references) = string_list(report, name, value) {
                fm.relations.insert(name.to_string(), references);
            }
        }
        _ if name == "tags" || schema.taxonomies.iter().any(|t| t == name) => {
            if let Some(terms) = string_list(report, name, value) {
                fm.taxonomies.insert(
                    name.to_string(),
                    terms.into_iter().map(|t| t.value).collect(),
                );
            }
        }
        _ => unknown_key(report, name, key, schema),
    }
}

/// Zola's `[taxonomies]` table (`taxonomies: {tags: [a], categories: [b]}`): each key
/// is read as if it stood at the top, and must be `tags` or a taxonomy book.toml
/// declares.
fn taxonomies_table(fm: &mut FrontMatter, value: &Node, schema: &Schema, report: &mut Report) {
    let Value::Map(entries) = &value.value else {
        return mismatch(report, "taxonomies", "a table of taxonomy names", value);
    };
    let mut seen = HashMap::new();
    for (key, terms) in entries {
        let Some(name) = key_name(report, "taxonomies", &mut seen, key) else {
            continue;
        };
        if name != "tags" && !schema.taxonomies.contains(&name) {
            let message = format!("unknown taxonomy `{name}`");
            let declared =
                std::iter::once("tags").chain(schema.taxonomies.iter().map(String::as_str));
            let help = match did_you_mean(&name, declared) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("declare it in book.toml as `[taxonomies.{name}]`"),
            };
            report.push(
                report
                    .error(Kind::UnknownFrontMatterKey, &key.location, message)
                    .help(help),
            );
            continue;
        }
        if let Some(terms) = string_list(report, &name, terms) {
            let entry = fm.taxonomies.entry(name).or_default();
            entry.extend(terms.into_iter().map(|t| t.value));
        }
    }
}

/// The key's text, or `None` (with a diagnostic) for a key that is not a scalar or that
/// repeats an earlier key of the same mapping. `seen` maps names to their 1-based line.
pub(super) fn key_name(
    report: &mut Report,
    mapping: &str,
    seen: &mut HashMap<String, usize>,
    key: &Node,
) -> Option<String> {
    let Some(name) = scalar_text(&key.value) else {
        let message = format!(
            "keys in {mapping} must be names, found {}",
            key.value.kind()
        );
        report.push(report.error(Kind::WrongType, &key.location, message));
        return None;
    };
    let line = report.position(&key.location).line + 1;
    if let Some(first) = seen.get(&name) {
        let message = format!("duplicate key `{name}` in {mapping}");
        let label = format!("`{name}` is already set on line {first}");
        report.push(
            report
                .error(Kind::DuplicateKey, &key.location, message)
                .label(label)
                .help("remove one of them"),
        );
        return None;
    }
    seen.insert(name.clone(), line);
    Some(name)
}

/// How a scalar key reads as a name; YAML allows `1: x` or `true: x`.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some("null".to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Str(s) => Some(s.clone()),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

pub(super) fn mismatch(report: &mut Report, name: &str, expected: &str, value: &Node) {
    let message = format!("`{name}` must be {expected}, found {}", value.value.kind());
    let mut diagnostic = report.error(Kind::WrongType, &value.location, message);
    if matches!(
        value.value,
        Value::Bool(_) | Value::Int(_) | Value::Float(_)
    ) && expected.contains("string")
    {
        diagnostic = diagnostic.help(QUOTE_HELP);
    }
    report.push(diagnostic);
}

pub(super) fn string(report: &mut Report, name: &str, value: &Node) -> Option<String> {
    located_string(report, name, value).map(|s| s.value)
}

pub(super) fn located_string(
    report: &mut Report,
    name: &str,
    value: &Node,
) -> Option<Located<String>> {
    match &value.value {
        Value::Str(s) => Some(Located {
            value: s.clone(),
            position: report.position(&value.location),
        }),
        Value::Null => None,
        _ => {
            mismatch(report, name, "a string", value);
            None
        }
    }
}

fn integer(report: &mut Report, name: &str, value: &Node) -> Option<i64> {
    match &value.value {
        Value::Int(i) => i64::try_from(*i).ok().or_else(|| {
            report.push(report.error(
                Kind::InvalidValue,
                &value.location,
                format!("`{name}` is too large"),
            ));
            None
        }),
        Value::Null => None,
        _ => {
            mismatch(report, name, "an integer", value);
            None
        }
    }
}

fn boolean(report: &mut Report, name: &str, value: &Node) -> Option<bool> {
    match &value.value {
        Value::Bool(b) => Some(*b),
        Value::Null => None,
        other => {
            let message = format!("`{name}` must be true or false, found {}", other.kind());
            let fix = format!(
                "write `{}` or `{}`",
                report.assignment(name, "true"),
                report.assignment(name, "false")
            );
            let help = match other {
                Value::Str(s) if is_yaml_11_boolean(s) => {
                    format!("`{s}` is not a boolean here: {fix}")
                }
                _ => fix,
            };
            report.push(
                report
                    .error(Kind::WrongType, &value.location, message)
                    .help(help),
            );
            None
        }
    }
}

fn is_yaml_11_boolean(text: &str) -> bool {
    let words = ["yes", "no", "on", "off", "y", "n"];
    words.iter().any(|w| w.eq_ignore_ascii_case(text.trim()))
}

pub(super) fn date(report: &mut Report, name: &str, value: &Node) -> Option<PartialDate> {
    let parsed = match &value.value {
        Value::Null => return None,
        Value::Int(year) => PartialDate::parse(&year.to_string()),
        Value::Str(text) => PartialDate::parse(text),
        other => Err(format!("found {}", other.kind())),
    };
    parsed
        .map_err(|reason| {
            let message = format!("`{name}` must be a date such as 2016, 2016-03 or 2016-03-01");
            let help = "a time may follow the day, as in 2016-03-01T10:00:00+02:00";
            report.push(
                report
                    .error(Kind::InvalidValue, &value.location, message)
                    .label(reason)
                    .help(help),
            );
        })
        .ok()
}

pub(super) fn string_list(
    report: &mut Report,
    name: &str,
    value: &Node,
) -> Option<Vec<Located<String>>> {
    let items = match &value.value {
        Value::Seq(items) => items,
        Value::Null => return None,
        Value::Str(s) => {
            let message = format!("`{name}` must be a list of strings, found a single string");
            let help = format!("write `{}`", report.assignment(name, &format!("[{s:?}]")));
            report.push(
                report
                    .error(Kind::WrongType, &value.location, message)
                    .help(help),
            );
            return None;
        }
        _ => {
            mismatch(report, name, "a list of strings", value);
            return None;
        }
    };
    let mut strings = Vec::with_capacity(items.len());
    for item in items {
        match &item.value {
            Value::Str(_) => strings.extend(located_string(report, name, item)),
            other => {
                let message = format!(
                    "`{name}` must be a list of strings, found {} in the list",
                    other.kind()
                );
                let mut diagnostic = report.error(Kind::WrongType, &item.location, message);
                if matches!(other, Value::Bool(_) | Value::Int(_) | Value::Float(_)) {
                    diagnostic = diagnostic.help(QUOTE_HELP);
                }
                report.push(diagnostic);
            }
        }
    }
    Some(strings)
}

fn unknown_key(report: &mut Report, name: &str, key: &Node, schema: &Schema) {
    let known = CORE_KEYS
        .iter()
        .copied()
        .chain(schema.taxonomies.iter().map(String::as_str))
        .chain(schema.relations.iter().map(String::as_str));
    let help = match (other_name(name), did_you_mean(name, known)) {
        (Some((key, note)), _) => format!("did you mean `{key}`?{note}"),
        (None, Some(close)) => format!("did you mean `{close}`?"),
        (None, None) => {
            let entry = report.assignment(name, "...");
            let example = report.assignment("extra", &format!("{{ {entry} }}"));
            format!("free-form data goes under `extra`, as in `{example}`")
        }
    };
    let message = format!("unknown front-matter key `{name}`");
    report.push(
        report
            .error(Kind::UnknownFrontMatterKey, &key.location, message)
            .label("unknown key")
            .help(help),
    );
}

/// The folio key and note for a key another generator uses (`lastmod`, `publishDate`).
fn other_name(name: &str) -> Option<(&'static str, &'static str)> {
    OTHER_NAMES
        .iter()
        .find(|(other, _, _)| same_key(other, name))
        .map(|(_, key, note)| (*key, *note))
}

fn extra(report: &mut Report, value: &Node) -> Map<String, Json> {
    match &value.value {
        Value::Map(entries) => json_map(report, entries),
        Value::Null => Map::new(),
        _ => {
            mismatch(report, "extra", "a mapping of names to values", value);
            Map::new()
        }
    }
}

fn json_map(report: &mut Report, entries: &[(Node, Node)]) -> Map<String, Json> {
    let mut seen = HashMap::new();
    let mut map = Map::new();
    for (key, value) in entries {
        if let Some(name) = key_name(report, "`extra`", &mut seen, key) {
            map.insert(name, json(report, value));
        }
    }
    map
}

/// Free-form data as templates see it. Nesting is bounded by the loaders' depth limit.
fn json(report: &mut Report, node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => i64::try_from(*i)
            .map(Number::from)
            .or_else(|_| u64::try_from(*i).map(Number::from))
            .map_or_else(|_| Json::String(i.to_string()), Json::Number),
        Value::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(|item| json(report, item)).collect()),
        Value::Map(entries) => Json::Object(json_map(report, entries)),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::super::{FrontMatter, Schema, parse};
    use crate::content::date::Precision;
    use crate::diag::Diagnostic;

    fn schema() -> Schema {
        Schema {
            taxonomies: vec!["authors".to_string()],
            relations: vec!["partners".to_string()],
        }
    }

    fn front_matter(yaml: &str) -> FrontMatter {
        let source = format!("---\n{yaml}---\nbody\n");
        match parse(Path::new("a.md"), &source, &schema()) {
            Ok(parsed) => parsed.front_matter,
            Err(errors) => panic!("{errors:#?}"),
        }
    }

    /// The errors as `line: message`, lines 1-based in the .md file.
    fn errors(yaml: &str) -> Vec<(usize, String)> {
        errors_full(yaml)
            .iter()
            .map(|d| (d.position.as_ref().unwrap().line + 1, d.message.clone()))
            .collect()
    }

    fn errors_full(yaml: &str) -> Vec<Diagnostic> {
        let source = format!("---\n{yaml}---\nbody\n");
        parse(Path::new("a.md"), &source, &schema()).expect_err("should fail")
    }

    #[test]
    fn zolas_taxonomies_table_reads_as_top_level_taxonomies() {
        let fm = front_matter("tags: [a]\ntaxonomies:\n  tags: [b]\n  authors: [Ann]\n");
        assert_eq!(fm.taxonomies["tags"], ["a", "b"]);
        assert_eq!(fm.taxonomies["authors"], ["Ann"]);
        let found = errors_full("taxonomies:\n  autors: [Ann]\n  places: [Rome]\n");
        let found: Vec<_> = (found.iter())
            .map(|d| {
                (
                    d.position.as_ref().unwrap().line + 1,
                    d.message.as_str(),
                    d.help.clone(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    3,
                    "unknown taxonomy `autors`",
                    Some("did you mean `authors`?".to_string())
                ),
                (
                    4,
                    "unknown taxonomy `places`",
                    Some("declare it in book.toml as `[taxonomies.places]`".to_string())
                ),
            ]
        );
    }

    #[test]
    fn every_core_field_is_typed() {
        let fm = front_matter(
            "title: Hello\ndescription: A page\nweight: -2\ndate: 2016\nupdated: 2016-03-01 10:00\n\
             draft: true\nslug: hello\naliases: [/a/, /b/]\ntemplate: page.html\n\
             tags: [rust, yaml]\nauthors:\n  - Ann\n",
        );
        assert_eq!(fm.title.as_deref(), Some("Hello"));
        assert_eq!(fm.description.as_deref(), Some("A page"));
        assert_eq!(fm.weight, Some(-2));
        assert_eq!(
            fm.date.as_ref().map(|d| d.precision()),
            Some(Precision::Year)
        );
        assert_eq!(
            fm.updated.as_ref().map(|d| d.iso()).as_deref(),
            Some("2016-03-01T10:00:00")
        );
        assert!(fm.draft);
        assert_eq!(fm.slug.unwrap().value, "hello");
        assert_eq!(
            fm.aliases
                .iter()
                .map(|a| a.value.as_str())
                .collect::<Vec<_>>(),
            ["/a/", "/b/"]
        );
        assert_eq!(fm.template.unwrap().value, "page.html");
        assert_eq!(fm.taxonomies["tags"], ["rust", "yaml"]);
        assert_eq!(fm.taxonomies["authors"], ["Ann"]);
    }

    #[test]
    fn empty_values_count_as_not_set() {
        let fm = front_matter("title:\ndate: ~\ndraft:\ntags:\nextra:\n");
        assert_eq!(fm, FrontMatter::default());
    }

    #[test]
    fn a_date_that_is_not_a_date_is_an_error() {
        assert_eq!(
            errors("date: soon\n"),
            [(
                2,
                "`date` must be a date such as 2016, 2016-03 or 2016-03-01".to_string()
            )]
        );
        assert_eq!(errors("updated: 2015-02-29\n").len(), 1);
        assert_eq!(errors("date: [2016]\n").len(), 1);
        let error = &errors_full("date: 16\n")[0];
        assert!(error.label.as_ref().unwrap().contains("`16`"), "{error:?}");
    }

    #[test]
    fn wrong_types_name_the_field_and_what_was_found() {
        assert_eq!(
            errors("tags: 3\n"),
            [(
                2,
                "`tags` must be a list of strings, found an integer".to_string()
            )]
        );
        assert_eq!(
            errors("tags: rust\n"),
            [(
                2,
                "`tags` must be a list of strings, found a single string".to_string()
            )]
        );
        assert_eq!(
            errors("title:\n  - a\n  - b\n"),
            [(3, "`title` must be a string, found a list".to_string())]
        );
        assert_eq!(
            errors("weight: 1.5\n"),
            [(2, "`weight` must be an integer, found a number".to_string())]
        );
        assert_eq!(
            errors("extra: [1]\n"),
            [(
                2,
                "`extra` must be a mapping of names to values, found a list".to_string()
            )]
        );
        let quoted = &errors_full("title: 1984\n")[0];
        assert_eq!(
            quoted.help.as_deref(),
            Some("put the value in quotes to make it a string")
        );
    }

    #[test]
    fn bad_list_items_are_located_one_by_one() {
        assert_eq!(
            errors("tags:\n  - ok\n  - 2016\n  - [x]\n"),
            [
                (
                    4,
                    "`tags` must be a list of strings, found an integer in the list".to_string()
                ),
                (
                    5,
                    "`tags` must be a list of strings, found a list in the list".to_string()
                ),
            ]
        );
    }

    #[test]
    fn only_true_and_false_are_booleans() {
        let errors = errors_full("draft: yes\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "`draft` must be true or false, found a string"
        );
        assert!(
            errors[0]
                .help
                .as_ref()
                .unwrap()
                .contains("`yes` is not a boolean")
        );
        assert!(!front_matter("draft: false\n").draft);
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_repeated_key() {
        let errors = errors_full("title: A\ndate: 2016\ntitle: B\n");
        assert_eq!(errors.len(), 1);
        let position = errors[0].position.as_ref().unwrap();
        assert_eq!((position.line, position.column), (3, 0));
        assert_eq!(errors[0].message, "duplicate key `title` in front matter");
        assert_eq!(
            errors[0].label.as_deref(),
            Some("`title` is already set on line 2")
        );
        assert_eq!(
            self::errors("extra:\n  a: 1\n  b:\n    c: 1\n    c: 2\n"),
            [(6, "duplicate key `c` in `extra`".to_string())]
        );
    }

    #[test]
    fn unknown_keys_suggest_a_close_name_or_extra() {
        let errors = errors_full("titel: A\nauthor: [Ann]\ncolour: red\n");
        let found: Vec<_> = errors
            .iter()
            .map(|d| {
                (
                    d.position.as_ref().unwrap().line + 1,
                    d.message.as_str(),
                    d.help.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            found[0],
            (
                2,
                "unknown front-matter key `titel`",
                "did you mean `title`?"
            )
        );
        assert_eq!(
            found[1],
            (
                3,
                "unknown front-matter key `author`",
                "did you mean `authors`?"
            )
        );
        assert_eq!(found[2].0, 4);
        assert_eq!(
            found[2].2,
            "free-form data goes under `extra`, as in `extra: { colour: ... }`"
        );
    }

    #[test]
    fn keys_of_other_generators_suggest_the_folio_key() {
        let errors = errors_full("lastmod: 2024-01-02\npublishDate: 2024-01-01\nsummary: x\n");
        let found: Vec<_> = errors
            .iter()
            .map(|d| {
                let position = d.position.as_ref().unwrap();
                (
                    position.line + 1,
                    position.column + 1,
                    d.help.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (2, 1, "did you mean `updated`?"),
                (3, 1, "did you mean `date`?"),
                (4, 1, "did you mean `description`?"),
            ]
        );
    }

    #[test]
    fn every_error_in_a_file_is_reported() {
        let found =
            errors("title: [a]\ndate: someday\ndraft: yes\nsulg: x\ntags: 1\ntitle: again\n");
        let lines: Vec<_> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7], "{found:#?}");
    }

    #[test]
    fn front_matter_must_be_a_mapping() {
        assert_eq!(
            errors("- a\n- b\n"),
            [(
                2,
                "front matter must be a mapping of keys to values, found a list".to_string()
            )]
        );
        assert_eq!(errors("just text\n").len(), 1);
    }

    #[test]
    fn extra_becomes_json() {
        let fm = front_matter(
            "extra:\n  toc: true\n  ratio: 0.5\n  none: ~\n  1: one\n  true: yes\n  \
             nested: {list: [1, two, {deep: null}]}\n  big: 18446744073709551615\n",
        );
        assert_eq!(
            serde_json::Value::Object(fm.extra),
            json!({
                "toc": true,
                "ratio": 0.5,
                "none": null,
                "1": "one",
                "true": "yes",
                "nested": {"list": [1, "two", {"deep": null}]},
                "big": 18446744073709551615u64,
            })
        );
    }

    #[test]
    fn extra_keys_must_be_scalars() {
        assert_eq!(
            errors("extra:\n  ? [a, b]\n  : 1\n"),
            [(3, "keys in `extra` must be names, found a list".to_string())]
        );
    }

    #[test]
    fn aliases_and_anchors_work_within_limits() {
        let fm = front_matter("tags: &t [a, b]\nextra:\n  same: *t\n");
        assert_eq!(fm.taxonomies["tags"], ["a", "b"]);
        assert_eq!(fm.extra["same"], json!(["a", "b"]));
    }
}
