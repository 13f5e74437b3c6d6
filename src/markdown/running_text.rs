//! Running text between other Markdown: where wiki links and the first use of each
//! glossary term on a page become links. Headings, code, links and image text never get
//! here (the pass keeps them out).

use std::collections::HashSet;
use std::ops::Range;

use super::LinkKind;
use super::glossary::{Glossary, Piece, split_wiki_links};
use super::links::{anchor_open, placeholder, push_escaped_html};

pub(crate) struct RunningText<'g> {
    glossary: &'g Glossary,
    /// `@/` + this page's content path: a term never links to its own page.
    own_dest: String,
    /// Terms already linked on this page.
    linked: HashSet<usize>,
    /// Whether `[[Name]]` is a link (folio's own syntax) or text.
    wiki_links: bool,
}

/// What a text event becomes.
pub(crate) enum Out {
    Text(String),
    Link {
        kind: LinkKind,
        dest: String,
        /// Where it was written, in the body.
        range: Range<usize>,
        label: String,
        /// The term's expansion, for `<abbr title>`.
        expansion: Option<String>,
    },
}

impl<'g> RunningText<'g> {
    pub(crate) fn new(glossary: &'g Glossary, page: &str, wiki_links: bool) -> Self {
        Self {
            glossary,
            own_dest: format!("@/{page}"),
            linked: HashSet::new(),
            wiki_links,
        }
    }

    /// The pieces `text` becomes, or nothing when it stays as it is. `written` is the
    /// text as it stands in the body, starting at byte `offset`.
    pub(crate) fn split(&mut self, text: &str, written: &str, offset: usize) -> Vec<Out> {
        let may_link = self.wiki_links && memchr::memmem::find(text.as_bytes(), b"[[").is_some();
        // Most text has neither: the common case must not allocate.
        if !may_link && !self.glossary.may_match(text) {
            return Vec::new();
        }
        let pieces = match may_link {
            true => split_wiki_links(text),
            false => vec![Piece::Plain(text)],
        };
        let mut out = Vec::new();
        let mut changed = false;
        for piece in pieces {
            match piece {
                Piece::Plain(plain) => changed |= self.terms(plain, written, offset, &mut out),
                Piece::Wiki {
                    target,
                    label,
                    range,
                } => {
                    changed = true;
                    let source = &text[range];
                    out.push(Out::Link {
                        kind: LinkKind::Wiki,
                        dest: target.to_string(),
                        range: locate(written, source, offset),
                        label: label.to_string(),
                        expansion: None,
                    });
                }
            }
        }
        if changed { out } else { Vec::new() }
    }

    /// Links the first use of each term in `plain`; true when it linked any.
    fn terms(&mut self, plain: &str, written: &str, offset: usize, out: &mut Vec<Out>) -> bool {
        let mut last = 0;
        for (range, index) in self.glossary.find(plain) {
            let term = &self.glossary.terms()[index];
            let own =
                term.dest == self.own_dest || term.dest.starts_with(&format!("{}#", self.own_dest));
            if own || !self.linked.insert(index) {
                continue;
            }
            out.push(Out::Text(plain[last..range.start].to_string()));
            out.push(Out::Link {
                kind: LinkKind::Term,
                dest: term.dest.clone(),
                range: locate(written, &term.term, offset),
                label: plain[range.clone()].to_string(),
                expansion: Some(term.expansion.clone()),
            });
            last = range.end;
        }
        if last == 0 {
            out.push(Out::Text(plain.to_string()));
            return false;
        }
        out.push(Out::Text(plain[last..].to_string()));
        true
    }
}

/// Where `needle` stands in the written text, or the whole text when escapes or
/// entities made it read differently there.
fn locate(written: &str, needle: &str, offset: usize) -> Range<usize> {
    match written.find(needle) {
        Some(at) => offset + at..offset + at + needle.len(),
        None => offset..offset + written.len(),
    }
}

/// The HTML that opens link `index`: a plain link for a wiki link, a link around an
/// `<abbr>` for a term.
pub(crate) fn link_open(index: usize, expansion: Option<&str>) -> String {
    match expansion {
        None => anchor_open(index, ""),
        Some(expansion) => {
            let mut html = format!(
                "<a class=\"term\" href=\"{}\"><abbr title=\"",
                placeholder(index)
            );
            push_escaped_html(&mut html, expansion);
            html.push_str("\">");
            html
        }
    }
}

pub(crate) fn link_close(expansion: Option<&str>) -> &'static str {
    match expansion {
        None => "</a>",
        Some(_) => "</abbr></a>",
    }
}
