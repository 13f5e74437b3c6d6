//! The table of contents: the flat list of headings nested into a tree by level.

use super::{Heading, TocEntry};

/// Nests each heading under the closest earlier heading of a smaller level. Skipped
/// levels (an h4 right under an h2) nest directly; a heading with no smaller level
/// before it (a first h3 followed by an h2) becomes a root. Built with an explicit
/// stack, never recursion; the stack is at most six deep.
pub(crate) fn build(headings: &[Heading]) -> Vec<TocEntry> {
    let mut roots = Vec::new();
    let mut open: Vec<TocEntry> = Vec::new();
    for heading in headings {
        close_while(&mut open, &mut roots, |top| top.level >= heading.level);
        open.push(TocEntry {
            level: heading.level,
            id: heading.id.clone(),
            title: heading.text.clone(),
            children: Vec::new(),
        });
    }
    close_while(&mut open, &mut roots, |_| true);
    roots
}

/// Pops open entries while `done` says so, attaching each to its parent (or the roots).
fn close_while(
    open: &mut Vec<TocEntry>,
    roots: &mut Vec<TocEntry>,
    mut done: impl FnMut(&TocEntry) -> bool,
) {
    while let Some(entry) = open.pop_if(|top| done(top)) {
        match open.last_mut() {
            Some(parent) => parent.children.push(entry),
            None => roots.push(entry),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.to_string(),
            text: id.to_uppercase(),
            range: 0..0,
        }
    }

    /// The tree as `id(children…)` text, to compare shapes at a glance.
    fn shape(entries: &[TocEntry]) -> String {
        let parts: Vec<String> = entries
            .iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.id.clone()
                } else {
                    format!("{}({})", e.id, shape(&e.children))
                }
            })
            .collect();
        parts.join(" ")
    }

    #[test]
    fn nests_by_level() {
        let toc = build(&[
            heading(1, "a"),
            heading(2, "b"),
            heading(3, "c"),
            heading(2, "d"),
            heading(1, "e"),
        ]);
        assert_eq!(shape(&toc), "a(b(c) d) e");
        assert_eq!(toc[0].title, "A");
    }

    #[test]
    fn skipped_levels_nest_directly() {
        let toc = build(&[
            heading(2, "a"),
            heading(4, "b"),
            heading(3, "c"),
            heading(6, "d"),
        ]);
        assert_eq!(shape(&toc), "a(b c(d))");
    }

    #[test]
    fn a_deep_first_heading_becomes_a_root() {
        let toc = build(&[
            heading(3, "a"),
            heading(2, "b"),
            heading(3, "c"),
            heading(1, "d"),
        ]);
        assert_eq!(shape(&toc), "a b(c) d");
    }

    #[test]
    fn empty_input_gives_empty_toc() {
        assert!(build(&[]).is_empty());
    }
}
