//! The views of an mdBook book's own files: its table of contents, written once per
//! build as `toc.html` (a page of its own, for readers without scripts) and `toc.js`
//! (which puts the same list in every chapter's sidebar), so that a chapter's size does
//! not grow with the number of chapters.

use serde::Serialize;

use crate::site::Site;
use crate::site::book::TocEntry;

/// One line of the table of contents, flattened so that a template writes the nested
/// lists without recursion: after a line that `opens` a list come its children, and
/// after a line come `closes` ends of lists.
#[derive(Serialize)]
pub struct TocLine<'a> {
    /// `chapter`, `draft`, `part` or `separator`.
    pub kind: &'static str,
    pub title: &'a str,
    /// `1.2.`, unless book.toml's `no-section-label` is set or the chapter has none.
    pub number: Option<&'a str>,
    /// The chapter's URL; none for a draft, a part title or a separator.
    pub url: Option<String>,
    /// Whether its children follow, in a list of their own.
    pub opens: bool,
    /// How many lists end after it (its own item included when it has no children).
    pub closes: usize,
}

/// The table of contents of `site`'s book, empty when the site is not a book.
pub fn toc(site: &Site) -> Vec<TocLine<'_>> {
    let mut lines = Vec::new();
    if let Some(book) = &site.book {
        flatten(site, &book.toc, book.numbered, &mut lines);
    }
    lines
}

fn flatten<'a>(site: &'a Site, toc: &'a [TocEntry], numbered: bool, lines: &mut Vec<TocLine<'a>>) {
    for entry in toc {
        let line = match entry {
            TocEntry::Chapter {
                title,
                number,
                page,
                children,
            } => TocLine {
                kind: if page.is_some() { "chapter" } else { "draft" },
                title,
                number: number.as_deref().filter(|_| numbered),
                url: page.map(|p| site.href(&site.pages[p].url)),
                opens: !children.is_empty(),
                closes: 0,
            },
            TocEntry::Part(title) => line_of("part", title),
            TocEntry::Separator => line_of("separator", ""),
        };
        lines.push(line);
        if let TocEntry::Chapter { children, .. } = entry
            && !children.is_empty()
        {
            flatten(site, children, numbered, lines);
            if let Some(last) = lines.last_mut() {
                last.closes += 1;
            }
        }
    }
}

fn line_of<'a>(kind: &'static str, title: &'a str) -> TocLine<'a> {
    TocLine {
        kind,
        title,
        number: None,
        url: None,
        opens: false,
        closes: 0,
    }
}
