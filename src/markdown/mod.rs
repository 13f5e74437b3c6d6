//! The Markdown stage: one pass over pulldown-cmark's events per page, producing the
//! body HTML, its headings and table of contents, and every link with its source span.
//!
//! The output depends only on the page's Markdown and the options, never on other
//! pages, so it can be memoised by a hash of its input. Internal links are therefore
//! not resolved here: each one is written as a placeholder that the site stage replaces
//! once every page's URL is known (see [`substitute_links`]).
//!
//! The work is split by idea: [`render`](render()) drives one pass (`pass.rs`) over the
//! events; headings (`heading.rs`) and their ids (`ids.rs`), the TOC tree (`toc.rs`),
//! links and placeholders (`links.rs`, `image.rs`), the summary (`summary.rs`), GitHub
//! alerts (`alerts.rs`), code blocks (`code.rs`, `lines.rs`, [`highlight`]), math
//! (`math.rs`), diagrams (`dot.rs`, `mermaid.rs`) and the highlighting stylesheet (`stylesheet.rs`) each live in their own file. A book written
//! for mdBook renders with its conventions instead ([`Flavour::MdBook`], `mdbook/`).

pub mod alerts;
mod code;
mod dot;
pub mod glossary;
mod heading;
pub mod highlight;
mod highlight_store;
mod ids;
mod image;
mod input;
mod lines;
mod links;
mod math;
mod mdbook;
mod mermaid;
mod pass;
mod raw_html;
mod running_text;
mod sanitize;
mod shortcode;
mod stylesheet;
mod summary;
mod toc;
mod token_classes;

use std::borrow::Cow;
use std::ops::Range;

pub use glossary::{Glossary, Term};
pub use highlight::{Change, HighlightError, Highlighter, LineOptions};
pub use mdbook::{Edition, MdBook};
pub use stylesheet::stylesheet;

/// The `[markdown]` switches of book.toml that change rendering.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Options {
    pub smart_punctuation: bool,
    pub math: bool,
    /// Pass raw HTML through as written instead of sanitising it.
    pub trust_raw_html: bool,
    /// Whose conventions ids, footnotes and code blocks follow.
    pub flavour: Flavour,
    /// Alerts' titles in the page's language.
    pub alert_titles: alerts::AlertTitles,
}

/// Whose conventions a page's ids, footnotes and code blocks follow: links into a
/// published book name its ids, so a book keeps those of the tool it was written for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// folio's own: GitHub's heading ids with an anchor after the text, footnotes where
    /// pulldown-cmark puts them, `linenos` and `hl_lines` in fences.
    #[default]
    Folio,
    /// mdBook 0.5's: its heading and term ids, footnote list, code-block classes,
    /// playground wrapper and hidden lines.
    MdBook(MdBook),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text, for the TOC and "did you mean".
    pub text: String,
    /// Byte range of the heading in the Markdown body.
    pub range: Range<usize>,
}

/// One entry of the table of contents, with the headings nested below it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
    /// `[[Name]]`: `dest` is the name, resolved against page titles, ids and acronyms.
    Wiki,
    /// A glossary term's first use, linked by folio rather than by the author.
    Term,
}

/// A link whose target folio must resolve: a relative path, a site-absolute path, an
/// `@/` content path or a `#fragment`. Links with a URL scheme are not listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    /// The destination as written (after reference definitions are applied).
    pub dest: String,
    /// Byte range of the link in the Markdown body, for diagnostics.
    pub range: Range<usize>,
}

/// A link or image to another site over the web (`http:`, `https:` or `//host/…`), as
/// written, with its source span: the build writes it as it is, and `folio check
/// --external` fetches it and reports a failure where it is written. Other schemes
/// (`mailto:`, `tel:`, `ftp:`) cannot be checked over HTTP and are not listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    /// [`LinkKind::Link`] or [`LinkKind::Image`].
    pub kind: LinkKind,
    pub url: String,
    /// Byte range of the link in the Markdown body, or in a page's file once the site
    /// stage has placed it there.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// [`Kind::Markdown`](crate::diag::Kind::Markdown) unless a kind of its own fits.
    pub kind: crate::diag::Kind,
    pub range: Range<usize>,
    pub message: String,
    /// What to do about it, such as the closest known name.
    pub help: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Body HTML; `links[i]`'s URL appears as a placeholder (see [`substitute_links`]).
    pub html: std::sync::Arc<str>,
    /// HTML of the text before `<!-- more -->`, else of the first paragraph; may hold
    /// placeholders too.
    pub summary: String,
    /// Plain text of the first level-1 heading.
    pub title: Option<String>,
    pub headings: Vec<Heading>,
    pub toc: std::sync::Arc<Vec<TocEntry>>,
    /// Words of the Markdown source, for reading times.
    pub word_count: usize,
    pub links: Vec<Link>,
    /// Links and images to other sites, in the order written.
    pub external: Vec<ExternalLink>,
    /// Ids besides the headings' that a link may name, in the order written: with
    /// [`Flavour::MdBook`], definition terms' ids and footnotes' (`fr-NAME-N` for each
    /// reference, `footnote-NAME` for each note).
    pub anchors: Vec<String>,
    pub warnings: Vec<Warning>,
    /// Whether the page has a mermaid diagram, drawn in the browser: only such a page
    /// loads the mermaid script.
    pub mermaid: bool,
}

/// Everything besides a page's own text that its rendering depends on.
pub struct Context<'a> {
    pub options: &'a Options,
    pub highlighter: &'a Highlighter,
    /// Terms to link on first use; an empty glossary links none.
    pub glossary: &'a Glossary,
    /// The page's content path (`areas/iaea.md`): its own terms are not linked.
    pub page: &'a str,
    /// The shortcodes a page may call; with none, `{{ name() }}` is text.
    pub shortcodes: Option<&'a crate::shortcodes::Shortcodes>,
    /// The content folder on disk, where shortcodes read files (`figure`'s image size).
    pub content_dir: Option<&'a std::path::Path>,
}

/// Renders a page's Markdown body.
///
/// Never panics, whatever the input; deeply nested or pathological Markdown is handled
/// without recursion.
pub fn render(body: &str, context: &Context) -> Rendered {
    pass::render(body, context)
}

/// Replaces every link placeholder in `html` by the URL `resolve(i)` gives for link `i`,
/// escaped for an attribute value.
///
/// A placeholder is `\0`, the link's index in decimal, `\0`. The Markdown input can
/// never produce a NUL (they are replaced by U+FFFD before parsing), so placeholders
/// cannot collide with page text.
pub fn substitute_links<'a>(html: &str, resolve: impl FnMut(usize) -> Cow<'a, str>) -> String {
    links::substitute(html, resolve)
}

/// The id GitHub and mdBook give a heading with this text: lowercase, spaces to `-`,
/// punctuation dropped, Unicode letters kept. Repeats are numbered by the caller.
pub fn heading_id(text: &str) -> String {
    ids::heading_id(text)
}

#[cfg(test)]
mod mdbook_tests;
#[cfg(test)]
mod tests;
