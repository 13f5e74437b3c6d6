//! Unknown keys in book.toml: every one of them found in one pass over the parsed
//! document, before serde reads any value, each located at its key with the fix: a
//! close spelling, or the table the key belongs to (`base_url` at the top level goes
//! under `[build]` as `base-url`).
//!
//! The keys each table accepts are read from the defaults' own serialisation, so they
//! cannot drift from the structs in `config.rs`.

use serde_json::{Map, Value as Json, json};
use toml::de::{DeTable, DeValue};

use super::{CONFIG_FILE, Config, Language, Relation, Taxonomy};
use crate::diag::{Diagnostic, Kind, did_you_mean, same_key};

/// Every unknown key of `document` (parsed from `text`), in file order.
pub(super) fn unknown(text: &str, document: &DeTable) -> Vec<Diagnostic> {
    let schema = schema();
    let mut found = Vec::new();
    walk(document, &schema, &schema, "", &mut found);
    found.sort_by_key(|(start, _)| *start);
    found
        .into_iter()
        .map(|(start, problem)| {
            Diagnostic::error(Kind::UnknownConfigKey, problem.message)
                .at(CONFIG_FILE, text, start..start + problem.key_len)
                .label("unknown key")
                .help(problem.help)
        })
        .collect()
}

struct Problem {
    message: String,
    key_len: usize,
    help: String,
}

/// Every key book.toml accepts, dotted as the manual names them (`book.title`,
/// `relations.*.reverse-title`; `*` for a name the site chooses), from the same schema
/// that finds unknown keys.
pub fn known() -> Vec<String> {
    let mut keys = Vec::new();
    dotted(&schema(), "", &mut keys);
    keys
}

/// The keys of `shape` below `prefix`: a table's own name for free-form data (`extra`),
/// the full path of each leaf.
fn dotted(shape: &Json, prefix: &str, keys: &mut Vec<String>) {
    match shape {
        Json::Object(fields) => {
            for (key, inner) in fields {
                let path = match prefix {
                    "" => key.clone(),
                    _ => format!("{prefix}.{key}"),
                };
                dotted(inner, &path, keys);
            }
        }
        _ => keys.push(prefix.to_string()),
    }
}

/// The shape of book.toml: each table an object of its keys. `"*"` stands for any
/// name in a table of named tables; `null` marks free-form data.
fn schema() -> Json {
    let mut schema = serde_json::to_value(Config::default()).unwrap_or_default();
    schema["taxonomies"] = json!({ "*": Taxonomy::default() });
    schema["relations"] = json!({ "*": Relation::default() });
    let mut language = serde_json::to_value(Language::default()).unwrap_or_default();
    language["taxonomies"] = json!({ "*": { "title": null } });
    language["relations"] = json!({ "*": { "title": null, "reverse-title": null } });
    schema["languages"] = json!({ "*": language });
    schema["extra"] = Json::Null;
    schema
}

fn walk(
    table: &DeTable,
    shape: &Json,
    schema: &Json,
    name: &str,
    found: &mut Vec<(usize, Problem)>,
) {
    let Json::Object(fields) = shape else {
        return;
    };
    for (key, value) in table {
        let span = key.span();
        match fields
            .get(key.get_ref().as_ref())
            .or_else(|| fields.get("*"))
        {
            Some(inner) => {
                if let DeValue::Table(inner_table) = value.get_ref() {
                    let inner_name = match name {
                        "" => key.get_ref().to_string(),
                        _ => format!("{name}.{}", key.get_ref()),
                    };
                    walk(inner_table, inner, schema, &inner_name, found);
                }
            }
            None => found.push((
                span.start,
                problem(key.get_ref(), span.len(), name, fields, schema),
            )),
        }
    }
}

fn problem(
    key: &str,
    key_len: usize,
    table: &str,
    fields: &Map<String, Json>,
    schema: &Json,
) -> Problem {
    let place = match table {
        "" => format!("at the top level of {CONFIG_FILE}"),
        _ => format!("in [{table}]"),
    };
    Problem {
        message: format!("unknown key `{key}` {place}"),
        key_len,
        help: help(key, table, fields, schema),
    }
}

/// The fix for an unknown key: another spelling of a key of the same table, the table
/// it belongs to, a close key, or the list of keys the table takes.
fn help(key: &str, table: &str, fields: &Map<String, Json>, schema: &Json) -> String {
    let names = fields.keys().map(String::as_str).filter(|k| *k != "*");
    if let Some(same) = names.clone().find(|name| same_key(name, key)) {
        return format!("did you mean `{same}`?");
    }
    if let Some((home, spelling)) = home_table(key, table, schema) {
        return format!("put it under [{home}] as `{spelling}`");
    }
    if let Some(close) = did_you_mean(key, names.clone()) {
        return format!("did you mean `{close}`?");
    }
    let expected: Vec<&str> = names.collect();
    match expected.as_slice() {
        [] => "names here are free-form".into(),
        _ => format!("expected one of: {}", expected.join(", ")),
    }
}

/// The other top-level table with a key spelt like `key`, and that key's spelling.
fn home_table<'a>(key: &str, table: &str, schema: &'a Json) -> Option<(&'a str, &'a str)> {
    let Json::Object(tables) = schema else {
        return None;
    };
    tables
        .iter()
        .filter(|(name, _)| *name != table)
        .filter_map(|(name, shape)| Some((name, shape.as_object()?)))
        .find_map(|(name, fields)| {
            let spelling = fields.keys().find(|field| same_key(field, key))?;
            Some((name.as_str(), spelling.as_str()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, column, message, help) of each unknown key of `text`, 1-based.
    fn unknown_keys(text: &str) -> Vec<(usize, usize, String, String)> {
        let document = DeTable::parse(text).unwrap();
        unknown(text, document.get_ref())
            .into_iter()
            .map(|d| {
                let p = d.position.unwrap();
                (p.line + 1, p.column + 1, d.message, d.help.unwrap())
            })
            .collect()
    }

    #[test]
    fn known_keys_are_dotted_with_a_star_for_chosen_names() {
        let keys = known();
        for key in [
            "book.title",
            "build.base-url",
            "relations.*.reverse-title",
            "extra",
        ] {
            assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
        }
        assert!(!keys.iter().any(|k| k == "book" || k.starts_with("extra.")));
    }

    #[test]
    fn every_unknown_key_is_reported_in_file_order() {
        let found = unknown_keys(
            "[build]\nouput-dir = \"out\"\n[book]\ntitel = \"x\"\n\n[search]\nenabeld = true\n",
        );
        let expected = [
            (2, 1, "[build]", "`output-dir`"),
            (4, 1, "[book]", "`title`"),
            (7, 1, "[search]", "`enabled`"),
        ];
        assert_eq!(found.len(), 3, "{found:?}");
        for (found, (line, column, table, close)) in found.iter().zip(expected) {
            assert_eq!((found.0, found.1), (line, column), "{found:?}");
            assert!(found.2.ends_with(&format!("in {table}")), "{found:?}");
            assert_eq!(found.3, format!("did you mean {close}?"));
        }
    }

    #[test]
    fn a_key_of_another_table_names_the_table_and_the_spelling() {
        let found = unknown_keys("base_url = \"/\"\ntitle = \"x\"\n[book]\nbaseURL = \"/\"\n");
        let helps: Vec<_> = found.iter().map(|f| (f.0, f.3.as_str())).collect();
        assert_eq!(
            helps,
            [
                (1, "put it under [build] as `base-url`"),
                (2, "put it under [book] as `title`"),
                (4, "put it under [build] as `base-url`"),
            ]
        );
        assert_eq!(
            found[0].2,
            "unknown key `base_url` at the top level of book.toml"
        );
    }

    #[test]
    fn another_spelling_of_a_key_of_the_same_table_is_a_did_you_mean() {
        let found = unknown_keys("[build]\nbase_url = \"/\"\n");
        assert_eq!(found[0].3, "did you mean `base-url`?");
    }

    #[test]
    fn named_tables_are_checked_and_extra_is_free_form() {
        let found = unknown_keys(
            "[taxonomies.topics]\ntitel = \"Topics\"\n[relations.partners]\nreverse = \"x\"\n[extra]\nanything = 1\n",
        );
        let lines: Vec<_> = found.iter().map(|f| (f.0, f.2.as_str())).collect();
        assert_eq!(
            lines,
            [
                (2, "unknown key `titel` in [taxonomies.topics]"),
                (4, "unknown key `reverse` in [relations.partners]"),
            ]
        );
    }
}
