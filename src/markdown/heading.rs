//! Headings as the pass reads them: their events are held back until the heading ends,
//! because the id (and so the opening tag) depends on the whole heading's text.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Heading;
use super::ids::{IdAllocator, heading_id};
use super::links::push_escaped_html;

pub(crate) struct OpenHeading<'a> {
    level: HeadingLevel,
    explicit_id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    range: Range<usize>,
    text: String,
    /// The heading's inline content, already rewritten by the pass.
    pub(crate) events: Vec<Event<'a>>,
}

/// A heading read to its end: what to record and what to write.
pub(crate) struct Finished<'a> {
    pub(crate) heading: Heading,
    pub(crate) events: Vec<Event<'a>>,
    /// Set when an explicit `{#id}` repeats an id already on the page.
    pub(crate) duplicate_id: bool,
}

impl<'a> OpenHeading<'a> {
    /// From the parts of pulldown-cmark's `Tag::Heading`.
    pub(crate) fn new(tag: Tag<'a>, range: Range<usize>) -> Option<Self> {
        let Tag::Heading {
            level,
            id,
            classes,
            attrs,
        } = tag
        else {
            return None;
        };
        Some(Self {
            level,
            explicit_id: id.filter(|id| !id.is_empty()),
            classes,
            attrs,
            range,
            text: String::new(),
            events: Vec::new(),
        })
    }

    /// Adds an event's share of the plain text: text, inline code, math and image alt
    /// text, with markup stripped and line breaks as spaces (as mdBook does).
    pub(crate) fn note_text(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => self.text.push_str(text),
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            _ => {}
        }
    }

    /// Gives the heading its id and wraps its content in the heading tag, with the
    /// anchor link after the text.
    pub(crate) fn finish(self, ids: &mut IdAllocator) -> Finished<'a> {
        let text = self.text.trim().to_string();
        let (id, duplicate_id) = match &self.explicit_id {
            Some(id) => (id.to_string(), !ids.explicit(id)),
            None => (ids.generated(heading_id(&text)), false),
        };
        let mut events = Vec::with_capacity(self.events.len() + 3);
        events.push(Event::Start(Tag::Heading {
            level: self.level,
            id: Some(id.clone().into()),
            classes: self.classes,
            attrs: without_id_or_class(self.attrs),
        }));
        events.extend(self.events);
        events.push(Event::InlineHtml(anchor_html(&id).into()));
        events.push(Event::End(TagEnd::Heading(self.level)));
        let heading = Heading {
            level: self.level as u8,
            id,
            text,
            range: self.range,
        };
        Finished {
            heading,
            events,
            duplicate_id,
        }
    }
}

/// `{#id}` and `{.class}` are written from their own fields; custom attributes named
/// `id` or `class` would write the attribute twice.
fn without_id_or_class<'a>(
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
) -> Vec<(CowStr<'a>, Option<CowStr<'a>>)> {
    attrs
        .into_iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("id") && !name.eq_ignore_ascii_case("class"))
        .collect()
}

/// The link after a heading's text; the theme shows it on hover.
fn anchor_html(id: &str) -> String {
    let mut html = String::from("<a class=\"anchor\" href=\"#");
    push_escaped_html(&mut html, id);
    html.push_str("\" aria-label=\"Link to this section\">#</a>");
    html
}
