//! Glossary terms and wiki links found in running text.
//!
//! A term defined once on the site (an entity's `acronym`, or an entry of a page's
//! `glossary` list) links its first use on every other page to its definition, wrapped
//! in `<abbr title="expansion">`. Wiki links `[[Name]]` and `[[Name|label]]` become
//! ordinary links whose target the site stage resolves by name. Neither happens inside
//! headings, code, existing links or image text; the pass only hands over plain text.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use xxhash_rust::xxh3::Xxh3;

use crate::content::Source;
use crate::diag::{Diagnostic, Kind, display_path};

/// A term and where its definition is: `dest` is a link destination such as
/// `@/organisations/iaea.md` or `@/glossary.md#heu`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    pub expansion: String,
    pub dest: String,
}

/// Every term of the site, with a matcher that finds them in one pass over a text.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    terms: Vec<Term>,
    matcher: Option<AhoCorasick>,
    fingerprint: u128,
}

impl Glossary {
    /// `terms` must not repeat a term; the caller reports ambiguous definitions.
    pub fn new(mut terms: Vec<Term>) -> Self {
        terms.sort_by(|a, b| a.term.cmp(&b.term));
        // No terms, no matcher: an empty automaton would still scan every text.
        let matcher = (!terms.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(terms.iter().map(|t| t.term.as_str()))
                    .ok()
            })
            .flatten();
        let mut hasher = Xxh3::new();
        for term in &terms {
            for part in [&term.term, &term.expansion, &term.dest] {
                hasher.update(part.as_bytes());
                hasher.update(&[0]);
            }
        }
        Self {
            fingerprint: hasher.digest128(),
            terms,
            matcher,
        }
    }

    /// The terms the pages define: each acronym (linking to its page) and each entry of
    /// a page's `glossary` list (linking to `#term-…` on that page). A term defined twice
    /// is an error at the second definition.
    pub fn collect<'a>(
        sources: impl IntoIterator<Item = &'a Source>,
    ) -> (Glossary, Vec<Diagnostic>) {
        let mut terms: Vec<Term> = Vec::new();
        let mut defined: HashMap<String, &'a Source> = HashMap::new();
        let mut errors = Vec::new();
        for source in sources {
            let fm = &source.front_matter;
            let page = format!("@/{}", source.content_path);
            let acronym = fm
                .acronym
                .iter()
                .map(|a| (&a.value, &a.position, page.clone(), fm.title.clone()));
            let entries = fm.glossary.iter().map(|e| {
                (
                    &e.term,
                    &e.position,
                    format!("{page}#{}", term_anchor(&e.term)),
                    Some(e.expansion.clone()),
                )
            });
            for (term, position, dest, expansion) in acronym.chain(entries) {
                if let Some(first) = defined.get(term) {
                    let message = format!(
                        "the term `{term}` is already defined in {}",
                        display_path(&first.file)
                    );
                    let help =
                        "define each term once: as one page's `acronym` or one glossary entry";
                    errors.push(
                        Diagnostic::error(Kind::DuplicateTerm, message)
                            .in_file(&source.file)
                            .with_position(position.clone())
                            .help(help),
                    );
                    continue;
                }
                defined.insert(term.clone(), source);
                let expansion = expansion.unwrap_or_else(|| term.clone());
                terms.push(Term {
                    term: term.clone(),
                    expansion,
                    dest,
                });
            }
        }
        (Glossary::new(terms), errors)
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Changes whenever a term, expansion or destination changes: part of the key under
    /// which a page's rendering may be memoised.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// Whether `text` may contain a term: a quick test before [`Glossary::find`].
    pub(crate) fn may_match(&self, text: &str) -> bool {
        self.matcher.as_ref().is_some_and(|m| m.is_match(text))
    }

    /// The terms in `text` as (byte range, term index), leftmost-longest, whole words
    /// only: `IAEA` matches in "the IAEA's" but not in "IAEAX".
    pub(crate) fn find(&self, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        matcher
            .find_iter(text)
            .filter(|m| is_word_boundary(text, m.start()) && is_word_boundary(text, m.end()))
            .map(|m| (m.range(), m.pattern().as_usize()))
            .collect()
    }
}

/// The anchor of a glossary entry on the page that defines it.
pub fn term_anchor(term: &str) -> String {
    format!("term-{}", super::heading_id(term))
}

/// True when the characters on either side of `at` are not both word characters.
fn is_word_boundary(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
}

/// A piece of running text: plain, or a wiki link with its target and label.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'t> {
    Plain(&'t str),
    Wiki {
        target: &'t str,
        label: &'t str,
        range: std::ops::Range<usize>,
    },
}

/// Splits text at wiki links `[[target]]` and `[[target|label]]`. Byte ranges are
/// relative to `text`.
pub(crate) fn split_wiki_links(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest_start = 0;
    let mut search = 0;
    while let Some(open) = text[search..].find("[[").map(|i| search + i) {
        let Some(close) = text[open + 2..].find("]]").map(|i| open + 2 + i) else {
            break;
        };
        let inner = &text[open + 2..close];
        if inner.trim().is_empty() || inner.contains(['[', ']', '\n']) {
            search = open + 1;
            continue;
        }
        let (target, label) = inner.split_once('|').unwrap_or((inner, inner));
        if open > rest_start {
            pieces.push(Piece::Plain(&text[rest_start..open]));
        }
        pieces.push(Piece::Wiki {
            target: target.trim(),
            label: label.trim(),
            range: open..close + 2,
        });
        rest_start = close + 2;
        search = rest_start;
    }
    if rest_start < text.len() {
        pieces.push(Piece::Plain(&text[rest_start..]));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::new(vec![
            Term {
                term: "IAEA".into(),
                expansion: "International Atomic Energy Agency".into(),
                dest: "@/iaea.md".into(),
            },
            Term {
                term: "HEU".into(),
                expansion: "highly enriched uranium".into(),
                dest: "@/glossary.md#heu".into(),
            },
            Term {
                term: "A/CPPNM".into(),
                expansion: "the Amendment".into(),
                dest: "@/a.md".into(),
            },
            Term {
                term: "CPPNM".into(),
                expansion: "the Convention".into(),
                dest: "@/c.md".into(),
            },
        ])
    }

    #[test]
    fn terms_match_whole_words_only() {
        let found = glossary().find("The IAEA's HEU, not IAEAX or xHEU.");
        let words: Vec<_> = found
            .iter()
            .map(|(r, _)| &"The IAEA's HEU, not IAEAX or xHEU."[r.clone()])
            .collect();
        assert_eq!(words, ["IAEA", "HEU"]);
    }

    #[test]
    fn the_longest_term_wins() {
        let g = glossary();
        let found = g.find("the A/CPPNM and the CPPNM");
        let terms: Vec<&str> = found
            .iter()
            .map(|(_, i)| g.terms()[*i].term.as_str())
            .collect();
        assert_eq!(terms, ["A/CPPNM", "CPPNM"]);
    }

    #[test]
    fn fingerprints_change_with_any_part() {
        let a = glossary();
        let mut terms = a.terms().to_vec();
        terms[0].expansion.push('!');
        assert_ne!(a.fingerprint(), Glossary::new(terms).fingerprint());
        assert_eq!(a.fingerprint(), glossary().fingerprint());
    }

    #[test]
    fn wiki_links_split_with_and_without_labels() {
        let pieces = split_wiki_links("See [[IAEA]] and [[IAEA|the Agency]].");
        assert_eq!(
            pieces,
            [
                Piece::Plain("See "),
                Piece::Wiki {
                    target: "IAEA",
                    label: "IAEA",
                    range: 4..12
                },
                Piece::Plain(" and "),
                Piece::Wiki {
                    target: "IAEA",
                    label: "the Agency",
                    range: 17..36
                },
                Piece::Plain("."),
            ]
        );
    }

    #[test]
    fn unclosed_or_empty_brackets_stay_text() {
        assert_eq!(
            split_wiki_links("a [[ ]] b [[c"),
            [Piece::Plain("a [[ ]] b [[c")]
        );
    }
}
