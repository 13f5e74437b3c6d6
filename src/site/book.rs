//! A book's place in the site graph: where mdBook writes each chapter (its source path
//! with `.html`, `README.md` as `index.html`) and the table of contents the sidebar
//! shows, with chapter numbers, part titles and draft chapters, each chapter resolved
//! to its page.

use super::{PageId, Site, Target};
use crate::mdbook::summary::{Outline, TocItem};

/// The table of contents of a book, its chapters resolved to pages, and the book's own
/// files.
#[derive(Debug, Clone, Default)]
pub struct BookNav {
    pub toc: Vec<TocEntry>,
    /// Whether chapters show their numbers (book.toml's `no-section-label` unset).
    pub numbered: bool,
    /// Whether the whole book is printed on one page, `print.html`.
    pub print: bool,
    /// Redirect pages: an old path, as segments, and where it leads, as written.
    pub redirects: Vec<(Vec<String>, String)>,
    /// Fragment redirects: a page's path, as segments, the old fragment, and where it
    /// leads, as written.
    pub fragment_redirects: Vec<(Vec<String>, String, String)>,
    /// `git-repository-url`: a link to the book's sources in the header.
    pub repository_url: Option<String>,
    /// Whether the book's text runs right to left.
    pub right_to_left: bool,
    /// The pages `[output.html.search.chapter]` leaves out of the search index.
    pub unsearched: std::collections::HashSet<PageId>,
    /// `[output.html.fold]`: chapters nested deeper than this level are folded in the
    /// sidebar unless they hold the current chapter; none when folding is off.
    pub fold: Option<u8>,
    /// Whether the book asks for the dark theme (`default-theme` one of mdBook's dark
    /// ones) when the reader has not picked one.
    pub dark: bool,
}

/// One line of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TocEntry {
    Chapter {
        title: String,
        /// `1.2.`, as mdBook shows it; none for prefix and suffix chapters.
        number: Option<String>,
        /// None for a draft chapter, which has no page.
        page: Option<PageId>,
        children: Vec<TocEntry>,
    },
    Part(String),
    Separator,
}

impl BookNav {
    /// The outline's table of contents with each chapter's page, found by its file.
    pub fn new(outline: &Outline, site: &Site) -> Self {
        let page_of = |index: usize| match site.lookup(&outline.chapters[index].path) {
            Some(Target::Page(page)) => Some(page),
            _ => None,
        };
        Self {
            toc: entries(&outline.toc, &page_of),
            numbered: true,
            print: true,
            redirects: Vec::new(),
            fragment_redirects: Vec::new(),
            repository_url: None,
            right_to_left: false,
            dark: false,
            fold: None,
            unsearched: Default::default(),
        }
    }
}

fn entries(items: &[TocItem], page_of: &dyn Fn(usize) -> Option<PageId>) -> Vec<TocEntry> {
    items
        .iter()
        .map(|item| match item {
            TocItem::Chapter {
                name,
                number,
                chapter,
                children,
            } => TocEntry::Chapter {
                title: name.clone(),
                number: number.as_ref().map(|n| section_number(n)),
                page: chapter.and_then(page_of),
                children: entries(children, page_of),
            },
            TocItem::Part(title) => TocEntry::Part(title.clone()),
            TocItem::Separator => TocEntry::Separator,
        })
        .collect()
}

impl BookNav {
    /// The fragment redirects of the page written at `path`, as the JSON object a
    /// script reads (`{"old-id": "new.html#x"}`), safe inside `<script>`; none when it
    /// has none.
    pub fn fragment_redirects_at(&self, path: &[String]) -> Option<String> {
        let map: serde_json::Map<String, serde_json::Value> = self
            .fragment_redirects
            .iter()
            .filter(|(at, _, _)| at == path)
            .map(|(_, fragment, to)| (fragment.clone(), to.clone().into()))
            .collect();
        let json = serde_json::Value::Object(map).to_string();
        (json != "{}").then(|| json.replace("</", "<\\/"))
    }
}

/// `1.2.` for `[1, 2]`, as mdBook writes section numbers.
pub fn section_number(number: &[u32]) -> String {
    number.iter().map(|n| format!("{n}.")).collect()
}

/// The output path of a chapter, as mdBook writes it: its source path with `.html`
/// for `.md`, and `README.md` as `index.html` in its folder.
pub fn chapter_segments(content_path: &str) -> Vec<String> {
    let mut segments: Vec<String> = content_path.split('/').map(str::to_string).collect();
    if let Some(last) = segments.last_mut() {
        let stem = last.strip_suffix(".md").unwrap_or(last);
        *last = match stem {
            "README" => "index.html".to_string(),
            stem => format!("{stem}.html"),
        };
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_are_written_where_mdbook_writes_them() {
        assert_eq!(chapter_segments("ch01-02-hello.md"), ["ch01-02-hello.html"]);
        assert_eq!(chapter_segments("hello/print.md"), ["hello", "print.html"]);
        assert_eq!(chapter_segments("README.md"), ["index.html"]);
        assert_eq!(chapter_segments("guide/README.md"), ["guide", "index.html"]);
        assert_eq!(chapter_segments("index.md"), ["index.html"]);
    }

    #[test]
    fn numbers_read_as_mdbook_shows_them() {
        assert_eq!(section_number(&[1]), "1.");
        assert_eq!(section_number(&[2, 10, 1]), "2.10.1.");
    }
}
