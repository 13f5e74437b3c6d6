//! SUMMARY.md, the table of contents of an mdBook book, read with mdBook's own parser
//! (the `mdbook-summary` crate, so that a book parses exactly as mdBook parses it) and
//! turned into what folio needs: the chapters to build, in reading order, and the tree
//! the sidebar shows, with part titles, separators, numbers and draft chapters.

use std::path::Path;

use mdbook_summary::{Link, SummaryItem};

use crate::diag::{Diagnostic, Kind};

/// The file that lists a book's chapters, in its source folder.
pub const SUMMARY_FILE: &str = "SUMMARY.md";

/// A book's chapters and table of contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Every chapter that has a file, in reading order: prefix chapters, numbered
    /// chapters depth first, suffix chapters.
    pub chapters: Vec<Chapter>,
    /// The table of contents as SUMMARY.md lays it out.
    pub toc: Vec<TocItem>,
}

/// A chapter with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// Its name in SUMMARY.md, which is its title.
    pub name: String,
    /// Its file, relative to the source folder, with `/` separators: `hello/comment.md`.
    pub path: String,
    /// `1.2.` for a numbered chapter; none for prefix and suffix chapters.
    pub number: Option<Vec<u32>>,
    /// The names of the chapters it is nested in, outermost first.
    pub parents: Vec<String>,
    /// The chapter it is nested in, by index into [`Outline::chapters`].
    pub parent: Option<usize>,
}

/// One line of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TocItem {
    Chapter {
        name: String,
        number: Option<Vec<u32>>,
        /// Index into [`Outline::chapters`]; none for a draft chapter (`[Title]()`),
        /// which is listed but has no page.
        chapter: Option<usize>,
        children: Vec<TocItem>,
    },
    /// A `# Part title` line between numbered chapters.
    Part(String),
    /// A `---` line.
    Separator,
}

/// Parses the text of SUMMARY.md; `file` is its path for diagnostics.
pub fn parse(text: &str, file: &Path) -> Result<Outline, Diagnostic> {
    let summary = mdbook_summary::parse_summary(text).map_err(|error| {
        let message = format!("{error:#}");
        located(
            Diagnostic::error(Kind::Summary, summary_message(&message)),
            file,
            text,
            &message,
        )
        .help("SUMMARY.md lists chapters as `- [Title](file.md)`, nested by indentation")
    })?;
    let mut outline = Outline::default();
    let sections = [
        summary.prefix_chapters,
        summary.numbered_chapters,
        summary.suffix_chapters,
    ];
    for items in sections {
        let toc = outline.add_items(items, None, &[]);
        outline.toc.extend(toc);
    }
    Ok(outline)
}

impl Outline {
    fn add_items(
        &mut self,
        items: Vec<SummaryItem>,
        parent: Option<usize>,
        parents: &[String],
    ) -> Vec<TocItem> {
        items
            .into_iter()
            .map(|item| match item {
                SummaryItem::Link(link) => self.add_link(link, parent, parents),
                SummaryItem::PartTitle(title) => TocItem::Part(title),
                SummaryItem::Separator => TocItem::Separator,
                _ => TocItem::Separator,
            })
            .collect()
    }

    fn add_link(&mut self, link: Link, parent: Option<usize>, parents: &[String]) -> TocItem {
        let number = link.number.map(|n| n.to_vec());
        let chapter = link
            .location
            .filter(|location| !location.as_os_str().is_empty())
            .map(|location| {
                self.chapters.push(Chapter {
                    name: link.name.clone(),
                    path: crate::diag::display_path(&location),
                    number: number.clone(),
                    parents: parents.to_vec(),
                    parent,
                });
                self.chapters.len() - 1
            });
        let mut nested_parents = parents.to_vec();
        nested_parents.push(link.name.clone());
        let children = self.add_items(link.nested_items, chapter.or(parent), &nested_parents);
        TocItem::Chapter {
            name: link.name,
            number,
            chapter,
            children,
        }
    }
}

/// mdBook's message without its own location prefix, which the diagnostic shows.
fn summary_message(message: &str) -> String {
    match message.split_once(": ") {
        Some((prefix, rest)) if prefix.starts_with("failed to parse SUMMARY.md line") => {
            format!("invalid SUMMARY.md: {rest}")
        }
        _ => format!("invalid SUMMARY.md: {message}"),
    }
}

/// The diagnostic at the line and column mdBook's parser names in its message (its
/// error type carries them only there), or at the file when it names none.
fn located(diagnostic: Diagnostic, file: &Path, text: &str, message: &str) -> Diagnostic {
    let number_after = |word: &str| -> Option<usize> {
        let rest = message.split_once(word)?.1.trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    match (number_after(" line "), number_after(", column ")) {
        (Some(line), Some(column)) if line > 0 => {
            let start: usize = text
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum();
            let offset = (start + column.saturating_sub(1)).min(text.len());
            diagnostic.at(file, text, offset..offset)
        }
        _ => diagnostic.in_file(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(text: &str) -> Outline {
        parse(text, Path::new("src/SUMMARY.md")).expect("parses")
    }

    fn numbers(outline: &Outline) -> Vec<(String, Option<Vec<u32>>, Option<usize>)> {
        outline
            .chapters
            .iter()
            .map(|c| (c.path.clone(), c.number.clone(), c.parent))
            .collect()
    }

    #[test]
    fn prefix_numbered_nested_and_suffix_chapters_in_reading_order() {
        let text = "# Summary\n\n[Intro](intro.md)\n\n- [One](one.md)\n  - [One A](one/a.md)\n  \
                    - [One B](one/b.md)\n- [Two](two.md)\n\n[Credits](credits.md)\n";
        let outline = outline(text);
        assert_eq!(
            numbers(&outline),
            [
                ("intro.md".into(), None, None),
                ("one.md".into(), Some(vec![1]), None),
                ("one/a.md".into(), Some(vec![1, 1]), Some(1)),
                ("one/b.md".into(), Some(vec![1, 2]), Some(1)),
                ("two.md".into(), Some(vec![2]), None),
                ("credits.md".into(), None, None),
            ]
        );
        assert_eq!(outline.chapters[2].parents, ["One"]);
    }

    #[test]
    fn parts_separators_and_drafts_are_in_the_toc_only() {
        let text = "[Intro](intro.md)\n\n---\n\n# Part one\n\n* [One](one.md)\n* [Later]()\n\n\
                    # Part two\n\n* [Two](two.md)\n";
        let outline = outline(text);
        assert_eq!(outline.chapters.len(), 3);
        let kinds: Vec<String> = outline
            .toc
            .iter()
            .map(|item| match item {
                TocItem::Chapter { name, chapter, .. } => format!("{name}:{chapter:?}"),
                TocItem::Part(title) => format!("part {title}"),
                TocItem::Separator => "---".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "Intro:Some(0)",
                "---",
                "part Part one",
                "One:Some(1)",
                "Later:None",
                "part Part two",
                "Two:Some(2)"
            ]
        );
        let TocItem::Chapter { number, .. } = &outline.toc[6] else {
            panic!("a chapter");
        };
        // mdBook numbers a draft chapter like any other.
        assert_eq!(number.as_deref(), Some(&[3][..]));
    }

    #[test]
    fn a_parse_error_is_located_in_summary_md() {
        let text = "- [One](one.md)\n\n[Suffix](s.md)\n\n- [Two](two.md)\n";
        let error = parse(text, Path::new("src/SUMMARY.md")).expect_err("a list after the suffix");
        assert_eq!(error.kind, Kind::Summary);
        let location = error.location().expect("located");
        assert!(
            location.starts_with("src/SUMMARY.md:5:"),
            "{location}: {error}"
        );
        assert!(error.message.starts_with("invalid SUMMARY.md: "), "{error}");
    }

    #[test]
    fn a_file_listed_twice_is_an_error() {
        let error = parse("- [A](a.md)\n- [B](a.md)\n", Path::new("src/SUMMARY.md"))
            .expect_err("duplicate");
        assert_eq!(error.kind, Kind::Summary);
        assert!(error.message.contains("Duplicate file"), "{error}");
    }
}
