//! Images as the pass reads them: everything between an image's start and end becomes
//! its `alt` text, so the pass writes the whole `<img>` tag at the end.

use pulldown_cmark::{CowStr, Event};

use super::links;

pub(crate) struct OpenImage<'a> {
    /// The `src` value, ready for the attribute (a placeholder, an escaped URL or `#`).
    src: String,
    title: CowStr<'a>,
    alt: String,
    /// Tags opened inside the alt text (emphasis…) and not closed yet.
    depth: usize,
}

impl<'a> OpenImage<'a> {
    pub(crate) fn new(src: String, title: CowStr<'a>) -> Self {
        Self {
            src,
            title,
            alt: String::new(),
            depth: 0,
        }
    }

    /// Takes one event of the image's content, as pulldown-cmark's writer would for the
    /// alt text; returns true at the image's own end.
    pub(crate) fn take(&mut self, event: Event<'_>) -> bool {
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) if self.depth == 0 => return true,
            Event::End(_) => self.depth -= 1,
            Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) => {
                self.alt.push_str(&text)
            }
            Event::InlineMath(tex) => self.alt.push_str(&format!("${tex}$")),
            Event::DisplayMath(tex) => self.alt.push_str(&format!("$${tex}$$")),
            Event::SoftBreak | Event::HardBreak | Event::Rule => self.alt.push(' '),
            Event::Html(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
        false
    }

    pub(crate) fn into_html(self) -> String {
        links::image(&self.src, &self.alt, &self.title)
    }
}
