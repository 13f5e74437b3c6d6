//! The front-matter lists whose items are small records: `events`, `figures` and
//! `glossary`. Each item is checked on its own, and an unknown key in an item is an
//! error with a suggestion, like a top-level one.

use std::collections::{BTreeMap, HashMap};

use super::fields::{date, key_name, located_string, mismatch, string, string_list};
use super::tree::{Node, Value};
use super::{Event, Figure, GlossaryEntry, Report, Schema};
use crate::diag::{Kind, did_you_mean};

/// The keys of an item of `events`, besides the site's relations.
pub(super) const EVENT_KEYS: [&str; 4] = ["date", "end", "summary", "anchor"];
/// The keys of an item of `figures`.
pub(super) const FIGURE_KEYS: [&str; 4] = ["label", "value", "unit", "as_of"];
/// The keys of an item of `glossary`.
pub(super) const GLOSSARY_KEYS: [&str; 2] = ["term", "expansion"];

pub(super) fn events(report: &mut Report, value: &Node, schema: &Schema) -> Vec<Event> {
    let mut known = EVENT_KEYS.to_vec();
    known.extend(schema.relations.iter().map(String::as_str));
    records(report, "events", value, &known, |report, item, fields| {
        let summary = required(
            report,
            "events",
            "summary",
            item,
            fields.get("summary").copied(),
        );
        let mut relations = BTreeMap::new();
        for relation in &schema.relations {
            if let Some(references) = fields
                .get(relation.as_str())
                .copied()
                .and_then(|v| string_list(report, relation, v))
            {
                relations.insert(relation.clone(), references);
            }
        }
        Some(Event {
            date: fields
                .get("date")
                .copied()
                .and_then(|v| date(report, "date", v)),
            end: fields
                .get("end")
                .copied()
                .and_then(|v| date(report, "end", v)),
            summary: summary?,
            anchor: fields
                .get("anchor")
                .copied()
                .and_then(|v| located_string(report, "anchor", v)),
            relations,
            position: report.position(&item.location),
        })
    })
}

pub(super) fn figures(report: &mut Report, value: &Node) -> Vec<Figure> {
    records(
        report,
        "figures",
        value,
        &FIGURE_KEYS,
        |report, item, fields| {
            let label = required(
                report,
                "figures",
                "label",
                item,
                fields.get("label").copied(),
            );
            let value = match fields.get("value").copied() {
                Some(Node {
                    value: Value::Int(i),
                    ..
                }) => Some(i.to_string()),
                Some(Node {
                    value: Value::Float(f),
                    ..
                }) => Some(f.to_string()),
                other => required(report, "figures", "value", item, other),
            };
            Some(Figure {
                label: label?,
                value: value?,
                unit: fields
                    .get("unit")
                    .copied()
                    .and_then(|v| string(report, "unit", v)),
                as_of: fields
                    .get("as_of")
                    .copied()
                    .and_then(|v| date(report, "as_of", v)),
                position: report.position(&item.location),
            })
        },
    )
}

pub(super) fn glossary(report: &mut Report, value: &Node) -> Vec<GlossaryEntry> {
    records(
        report,
        "glossary",
        value,
        &GLOSSARY_KEYS,
        |report, item, fields| {
            let term = required(
                report,
                "glossary",
                "term",
                item,
                fields.get("term").copied(),
            );
            let expansion = required(
                report,
                "glossary",
                "expansion",
                item,
                fields.get("expansion").copied(),
            );
            Some(GlossaryEntry {
                term: term?,
                expansion: expansion?,
                position: report.position(&item.location),
            })
        },
    )
}

/// A string field an item cannot do without.
fn required(
    report: &mut Report,
    list: &str,
    name: &str,
    item: &Node,
    value: Option<&Node>,
) -> Option<String> {
    match value {
        Some(value) => located_string(report, name, value).map(|s| s.value),
        None => {
            let message = format!("an item of `{list}` has no `{name}`");
            report.push(
                report
                    .error(Kind::MissingField, &item.location, message)
                    .help(format!("add `{}` to it", report.assignment(name, "..."))),
            );
            None
        }
    }
}

/// Checks that `value` is a list of mappings with only `known` keys, and converts each
/// item with `convert`.
fn records<T>(
    report: &mut Report,
    list: &str,
    value: &Node,
    known: &[&str],
    mut convert: impl FnMut(&mut Report, &Node, &HashMap<String, &Node>) -> Option<T>,
) -> Vec<T> {
    let items = match &value.value {
        Value::Seq(items) => items,
        Value::Null => return Vec::new(),
        _ => {
            mismatch(report, list, "a list", value);
            return Vec::new();
        }
    };
    let mut converted = Vec::with_capacity(items.len());
    for item in items {
        let Value::Map(entries) = &item.value else {
            mismatch(
                report,
                &format!("each item of `{list}`"),
                "a mapping such as `- key: value`",
                item,
            );
            continue;
        };
        let mut seen = HashMap::new();
        let mut fields = HashMap::new();
        for (key, field) in entries {
            let Some(name) = key_name(report, &format!("an item of `{list}`"), &mut seen, key)
            else {
                continue;
            };
            if known.contains(&name.as_str()) {
                fields.insert(name, field);
            } else {
                let help = match did_you_mean(&name, known.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("an item of `{list}` may have: {}", known.join(", ")),
                };
                report.push(
                    report
                        .error(
                            Kind::UnknownFrontMatterKey,
                            &key.location,
                            format!("unknown key `{name}` in an item of `{list}`"),
                        )
                        .help(help),
                );
            }
        }
        converted.extend(convert(report, item, &fields));
    }
    converted
}
