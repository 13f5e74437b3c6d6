//! The summary: the HTML before `<!-- more -->`, else the first top-level paragraph.
//! The pass records where these are in its event list; the summary is rendered from
//! that slice, with the containers still open at a `<!-- more -->` closed.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, TagEnd};

/// What the `End` of an open container writes (alerts close with `</div>`, not
/// `</blockquote>`).
#[derive(Debug, Clone)]
pub(crate) enum Closer {
    Tag(TagEnd),
    Html(&'static str),
}

impl Closer {
    pub(crate) fn event<'a>(&self) -> Event<'a> {
        match self {
            Closer::Tag(end) => Event::End(*end),
            Closer::Html(html) => Event::Html(CowStr::Borrowed(html)),
        }
    }
}

/// Where the summary ends, as indices into the pass's output events.
#[derive(Debug, Default)]
pub(crate) struct SummaryMarks {
    paragraph_start: Option<usize>,
    first_paragraph: Option<Range<usize>>,
    /// The index of the first `<!-- more -->` and the containers open there.
    more: Option<(usize, Vec<Closer>)>,
}

impl SummaryMarks {
    /// A top-level paragraph starts at event `index`.
    pub(crate) fn paragraph_starts(&mut self, index: usize) {
        self.paragraph_start.get_or_insert(index);
    }

    /// A top-level paragraph ended just before event `index`.
    pub(crate) fn paragraph_ends(&mut self, index: usize) {
        if self.first_paragraph.is_none() {
            self.first_paragraph = Some(self.paragraph_start.unwrap_or(0)..index);
        }
    }

    /// A `<!-- more -->` at event `index`, with `open` containers around it.
    pub(crate) fn more(&mut self, index: usize, open: &[Closer]) {
        if self.more.is_none() {
            self.more = Some((index, open.to_vec()));
        }
    }

    pub(crate) fn html(&self, events: &[Event<'_>]) -> String {
        let mut html = String::new();
        if let Some((cut, open)) = &self.more {
            let before = events.get(..*cut).unwrap_or(events).iter().cloned();
            let closing = open.iter().rev().map(Closer::event);
            pulldown_cmark::html::push_html(&mut html, before.chain(closing));
        } else if let Some(range) = &self.first_paragraph {
            let paragraph = events.get(range.clone()).unwrap_or_default();
            pulldown_cmark::html::push_html(&mut html, paragraph.iter().cloned());
        }
        html
    }
}

/// `<!-- more -->`, with any spacing inside the comment.
pub(crate) fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}
