//! Code blocks as mdBook writes them. The fence's first word is the language
//! (`language-rust`); every other word (`ignore`, `should_panic`, `edition2021`,
//! `hidelines=~`…) is kept as a class for themes and scripts. A Rust block becomes a
//! playground unless `ignore`d or `noplayground` (or the book turns playgrounds off,
//! unless `mdbook-runnable`): its `<pre>` gets the `playground` class, its `<code>` the
//! book's edition, and code without `fn main` a hidden wrapper. Hidden lines stay in the
//! page, each in a `<span class="boring">`; highlighting sees the block as shown.

use std::collections::BTreeMap;

use super::hidden_lines::{self, Line};
use super::{Edition, MdBook};
use crate::diag::Kind;
use crate::markdown::Warning;
use crate::markdown::code::{Block, push_code};
use crate::markdown::highlight::{Highlighter, LineOptions};
use crate::markdown::links::push_escaped_html;

/// A fence's info string read mdBook's way.
struct Fence<'i> {
    language: &'i str,
    /// The words after the language, in order.
    attributes: Vec<&'i str>,
}

impl<'i> Fence<'i> {
    fn parse(info: &'i str) -> Self {
        let mut words = info.split([' ', '\t', ',']).filter(|word| !word.is_empty());
        Self {
            language: words.next().unwrap_or_default(),
            attributes: words.collect(),
        }
    }

    fn has(&self, attribute: &str) -> bool {
        self.attributes.contains(&attribute)
    }

    fn is_playground(&self, book: &MdBook) -> bool {
        let runs = book.runnable
            && !["ignore", "noplayground", "noplaypen"]
                .iter()
                .any(|a| self.has(a));
        self.language == "rust" && (runs || self.has("mdbook-runnable"))
    }

    /// The book's edition, for a playground that names none.
    fn added_edition(&self, book: &MdBook) -> Option<Edition> {
        let named = self.attributes.iter().any(|a| a.starts_with("edition"));
        book.edition.filter(|_| !named)
    }

    /// The prefix of hidden lines: a Rust block's rule, else the fence's
    /// `hidelines=PREFIX`, else the book's prefix for the language.
    fn hidden_lines<'c>(
        &self,
        code: &'c str,
        configured: &BTreeMap<String, String>,
    ) -> Option<Vec<Line<'c>>> {
        if self.language == "rust" {
            return Some(hidden_lines::rust(code));
        }
        let prefix = self
            .attributes
            .iter()
            .find_map(|a| a.strip_prefix("hidelines="))
            .or_else(|| configured.get(self.language).map(String::as_str))?;
        Some(hidden_lines::with_prefix(code, prefix))
    }
}

pub(crate) fn render(info: &str, code: &str, highlighter: &Highlighter, book: &MdBook) -> Block {
    let fence = Fence::parse(info);
    // mdBook leaves an empty block alone.
    let playground = !code.is_empty() && fence.is_playground(book);
    let edition = playground.then(|| fence.added_edition(book)).flatten();
    let keeps_code = book.editable && fence.has("editable");
    let wrapped = (playground && !keeps_code)
        .then(|| hidden_lines::wrap_rust_main(code))
        .flatten();
    let code = wrapped.as_deref().unwrap_or(code);
    let mut html = open_tags(&fence, edition, playground);
    let warning = match fence.hidden_lines(code, &book.hidelines) {
        Some(lines) => push_with_hidden_lines(&mut html, fence.language, &lines, highlighter),
        None => push_code(
            &mut html,
            fence.language,
            code,
            &LineOptions::default(),
            highlighter,
        ),
    };
    html.push_str("</code></pre>\n");
    // mdBook never warns of a language it does not know, so a book built here does not.
    let warning = warning.map(|message| Warning::of_block(Kind::Markdown, message, None));
    Block { html, warning }
}

/// `<pre class="code[ playground]" data-lang="…"><code class="language-… attributes…">`,
/// every part escaped: an info string is arbitrary text.
fn open_tags(fence: &Fence<'_>, edition: Option<Edition>, playground: bool) -> String {
    let mut html = String::from("<pre class=\"code");
    if playground {
        html.push_str(" playground");
    }
    html.push('"');
    if fence.language.is_empty() {
        html.push_str("><code>");
        return html;
    }
    html.push_str(" data-lang=\"");
    push_escaped_html(&mut html, fence.language);
    html.push_str("\"><code class=\"language-");
    push_escaped_html(&mut html, fence.language);
    for class in fence
        .attributes
        .iter()
        .copied()
        .chain(edition.map(Edition::class))
    {
        html.push(' ');
        push_escaped_html(&mut html, class);
    }
    html.push_str("\">");
    html
}

/// Highlights the block as shown, then wraps each hidden line, line end included, in
/// `<span class="boring">` so that hiding it leaves no blank line.
fn push_with_hidden_lines(
    html: &mut String,
    language: &str,
    lines: &[Line<'_>],
    highlighter: &Highlighter,
) -> Option<String> {
    let shown: String = lines.iter().flat_map(|line| [&*line.text, "\n"]).collect();
    let mut inner = String::with_capacity(shown.len() * 2);
    let warning = push_code(
        &mut inner,
        language,
        &shown,
        &LineOptions::default(),
        highlighter,
    );
    // The highlighter writes one line of HTML per line of code, each with its spans
    // closed, so hidden lines can be wrapped whole.
    let mut hidden = lines.iter().map(|line| line.hidden);
    for line_html in inner.split_inclusive('\n') {
        if hidden.next().unwrap_or(false) {
            html.push_str("<span class=\"boring\">");
            html.push_str(line_html);
            html.push_str("</span>");
        } else {
            html.push_str(line_html);
        }
    }
    warning
}
