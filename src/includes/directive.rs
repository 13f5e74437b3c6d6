//! Finding mdBook's `{{#…}}` directives in a text and reading their arguments, matching
//! what mdBook 0.5.4's `links` preprocessor matches with its regex:
//!
//! - `\{{#` … `}}` is an escape, up to the last `}}` of its line;
//! - `{{`, optional whitespace, `#name`, whitespace, arguments without `}`, then `}}` is a
//!   directive (its arguments may span lines);
//! - a name mdBook does not know is left alone, as mdBook leaves it, unless it is close
//!   enough to a known one to be a likely typo.
//!
//! A known name whose arguments cannot be read (no file, or no closing `}}`) is found too,
//! so that it can be reported; mdBook silently leaves it as text.

use std::ops::Range;

use memchr::{memchr, memmem};

use super::select::LineRange;
use crate::diag::did_you_mean;

/// The directive names mdBook knows; `playpen` is the old name of `playground`.
const NAMES: [&str; 5] = [
    "include",
    "rustdoc_include",
    "playground",
    "playpen",
    "title",
];

/// A directive and the bytes of the text it spans.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Found<'a> {
    pub range: Range<usize>,
    pub directive: Directive<'a>,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Directive<'a> {
    /// `\{{#…}}`: written out as it is, without its backslash.
    Escaped,
    /// `{{#title …}}`: the chapter's title, everything between the name and `}}`.
    Title(&'a str),
    /// `{{#include path…}}`, or `{{#rustdoc_include path…}}` with `hide_outside`.
    Include {
        path: &'a str,
        lines: Lines<'a>,
        hide_outside: bool,
    },
    /// `{{#playground path attributes…}}`; `old_name` when written `playpen`.
    Playground {
        path: &'a str,
        attributes: Vec<&'a str>,
        old_name: bool,
    },
    /// A known name whose arguments mdBook cannot read.
    Malformed { name: &'a str },
    /// A name mdBook does not know, close to one it does.
    Misspelt { name: &'a str, meant: &'static str },
}

/// Which lines of a file an include takes.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Lines<'a> {
    Numbers(LineRange),
    Anchor(&'a str),
}

/// Every directive of `text`, in order.
pub(super) fn find(text: &str) -> impl Iterator<Item = Found<'_>> {
    let mut cursor = 0;
    std::iter::from_fn(move || {
        loop {
            let open = cursor + memmem::find(&text.as_bytes()[cursor..], b"{{")?;
            // An escape's backslash must not belong to what came before.
            if open > cursor
                && let Some(end) = escape_at(text, open)
            {
                cursor = end;
                let directive = Directive::Escaped;
                return Some(Found {
                    range: open - 1..end,
                    directive,
                });
            }
            if let Some((end, name, arguments)) = directive_at(text, open) {
                cursor = end;
                if let Some(directive) = read(name, arguments) {
                    return Some(Found {
                        range: open..end,
                        directive,
                    });
                }
            } else if let Some(found) = malformed_at(text, open) {
                cursor = found.range.end;
                return Some(found);
            } else {
                cursor = open + 1;
            }
        }
    })
}

/// The end of the escape `\{{#…}}` whose `{{` is at `open`: mdBook's `\\\{\{\#.*\}\}`
/// runs to the last `}}` of the line.
fn escape_at(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if open == 0 || bytes[open - 1] != b'\\' || bytes.get(open + 2) != Some(&b'#') {
        return None;
    }
    let body = open + 3;
    let line_end = memchr(b'\n', &bytes[body..]).map_or(text.len(), |at| body + at);
    let close = memmem::rfind(&bytes[body..line_end], b"}}")?;
    Some(body + close + 2)
}

/// The end, name and arguments of the directive whose `{{` is at `open`, as mdBook's
/// `\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}` matches it.
fn directive_at(text: &str, open: usize) -> Option<(usize, &str, &str)> {
    let (name, after_name) = name_at(text, open)?;
    let rest = &text[after_name..];
    let spaces = rest.len() - rest.trim_start().len();
    let last_space = rest[..spaces].char_indices().next_back()?.0;
    // `\s+` gives its last character back when `}` follows at once: `[^}]+` needs one.
    let arguments_start = match rest[spaces..].starts_with('}') {
        true if last_space > 0 => after_name + last_space,
        true => return None,
        false => after_name + spaces,
    };
    let close = arguments_start + text[arguments_start..].find('}')?;
    if !text[close..].starts_with("}}") {
        return None;
    }
    Some((close + 2, name, &text[arguments_start..close]))
}

/// The name of `{{ #name` at `open` and where it ends.
fn name_at(text: &str, open: usize) -> Option<(&str, usize)> {
    let after_braces = &text[open + 2..];
    let hash = after_braces.trim_start();
    let name_start = open + 2 + (after_braces.len() - hash.len()) + 1;
    if !hash.starts_with('#') {
        return None;
    }
    let name_len = text[name_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len() - name_start);
    (name_len > 0).then(|| {
        (
            &text[name_start..name_start + name_len],
            name_start + name_len,
        )
    })
}

/// A known directive at `open` that `directive_at` could not read, spanning its name.
fn malformed_at(text: &str, open: usize) -> Option<Found<'_>> {
    let (name, end) = name_at(text, open)?;
    NAMES.contains(&name).then_some(Found {
        range: open..end,
        directive: Directive::Malformed { name },
    })
}

/// What the directive `name` with `arguments` asks for; None for a name mdBook does not
/// know and that looks like no typo of one.
fn read<'a>(name: &'a str, arguments: &'a str) -> Option<Directive<'a>> {
    if !NAMES.contains(&name) {
        return did_you_mean(name, NAMES).map(|meant| Directive::Misspelt { name, meant });
    }
    if name == "title" {
        return Some(Directive::Title(arguments));
    }
    let mut words = arguments.split_whitespace();
    let Some(path) = words.next() else {
        return Some(Directive::Malformed { name });
    };
    Some(match name {
        "playground" | "playpen" => Directive::Playground {
            path,
            attributes: words.collect(),
            old_name: name == "playpen",
        },
        _ => {
            let (path, selector) = path.split_once(':').unwrap_or((path, ""));
            Directive::Include {
                path,
                lines: lines(selector),
                hide_outside: name == "rustdoc_include",
            }
        }
    })
}

/// The lines after `path:`, read as mdBook reads them: a number starts a range (a second
/// one ends it; anything else there means "to the end"), an empty first part means "from
/// the start", anything else is an anchor name.
fn lines(selector: &str) -> Lines<'_> {
    let mut parts = selector.splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let first = match first.parse::<usize>() {
        Ok(number) => Some(number),
        Err(_) if first.is_empty() => None,
        Err(_) => return Lines::Anchor(first),
    };
    let last = match parts.next() {
        None => first,
        Some(last) => last.parse::<usize>().ok(),
    };
    Lines::Numbers(LineRange { first, last })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, Directive<'_>)> {
        find(text)
            .map(|found| (&text[found.range.clone()], found.directive))
            .collect()
    }

    fn include(
        path: &'static str,
        lines: Lines<'static>,
        hide_outside: bool,
    ) -> Directive<'static> {
        Directive::Include {
            path,
            lines,
            hide_outside,
        }
    }

    fn numbers(first: Option<usize>, last: Option<usize>) -> Lines<'static> {
        Lines::Numbers(LineRange { first, last })
    }

    #[test]
    fn every_selector_reads_as_mdbook_reads_it() {
        let cases = [
            ("f.rs", numbers(None, None)),
            ("f.rs:", numbers(None, None)),
            ("f.rs::", numbers(None, None)),
            ("f.rs::NaN", numbers(None, None)),
            ("f.rs:5", numbers(Some(5), Some(5))),
            ("f.rs:5:", numbers(Some(5), None)),
            ("f.rs:5:NaN", numbers(Some(5), None)),
            ("f.rs::5", numbers(None, Some(5))),
            ("f.rs:5:10", numbers(Some(5), Some(10))),
            ("f.rs:5:10:17:x", numbers(Some(5), Some(10))),
            ("f.rs:-5", Lines::Anchor("-5")),
            ("f.rs:some-anchor:ignored", Lines::Anchor("some-anchor")),
        ];
        for (argument, lines) in cases {
            let text = format!("{{{{#include {argument}}}}}");
            assert_eq!(
                found(&text),
                [(text.as_str(), include("f.rs", lines, false))]
            );
        }
    }

    #[test]
    fn directives_are_found_with_their_byte_ranges() {
        let text = "Some text {{#playground file.rs}} and {{ #rustdoc_include a.rs:2 extra }}.";
        let all: Vec<Found> = find(text).collect();
        assert_eq!(all[0].range, 10..33);
        assert_eq!(all[1].range, 38..73);
        assert_eq!(
            all[1].directive,
            include("a.rs", numbers(Some(2), Some(2)), true)
        );
    }

    #[test]
    fn playground_attributes_and_the_old_name() {
        let text = "{{#playground my.rs editable no_run}} {{#playpen old.rs}}";
        let all = found(text);
        assert_eq!(
            all[0].1,
            Directive::Playground {
                path: "my.rs",
                attributes: vec!["editable", "no_run"],
                old_name: false
            }
        );
        assert_eq!(
            all[1].1,
            Directive::Playground {
                path: "old.rs",
                attributes: vec![],
                old_name: true
            }
        );
    }

    #[test]
    fn a_title_keeps_its_words_and_arguments_may_span_lines() {
        assert_eq!(
            found("{{#title My  Title}}"),
            [("{{#title My  Title}}", Directive::Title("My  Title"))]
        );
        assert_eq!(
            found("{{#include\n  a.md\n}}"),
            [(
                "{{#include\n  a.md\n}}",
                include("a.md", numbers(None, None), false)
            )]
        );
    }

    #[test]
    fn escapes_run_to_the_last_closing_braces_of_their_line() {
        let text = "\\{{#include a}} and {{#include b}}\n{{#include c}}";
        assert_eq!(
            found(text),
            [
                ("\\{{#include a}} and {{#include b}}", Directive::Escaped),
                ("{{#include c}}", include("c", numbers(None, None), false)),
            ]
        );
        assert_eq!(
            found("\\{{#include a\n}}").len(),
            1,
            "unescaped on the next line"
        );
    }

    #[test]
    fn unknown_names_are_left_alone_unless_they_look_like_a_typo() {
        assert_eq!(found("{{#each items}} {{baz}} {{#}} {{#if x}} {{{"), []);
        assert_eq!(
            found("{{#inclde a.md}}"),
            [(
                "{{#inclde a.md}}",
                Directive::Misspelt {
                    name: "inclde",
                    meant: "include"
                }
            )]
        );
    }

    #[test]
    fn known_names_that_cannot_be_read_are_malformed() {
        let malformed = |name| Directive::Malformed { name };
        assert_eq!(
            found("{{#include}} {{#include   }} {{#playground a.rs"),
            [
                ("{{#include", malformed("include")),
                ("{{#include   }}", malformed("include")),
                ("{{#playground", malformed("playground")),
            ]
        );
    }

    #[test]
    fn braces_inside_arguments_end_the_directive_as_in_mdbook() {
        assert_eq!(found("{{#include a}b}}").len(), 1, "malformed, not a match");
        assert_eq!(
            found("{{#include a}b}}")[0].1,
            Directive::Malformed { name: "include" }
        );
        assert_eq!(
            found("{{{#include a}}"),
            [("{{#include a}}", include("a", numbers(None, None), false))]
        );
    }
}
