//! Headings as the pass reads them: their events are held back until the heading ends,
//! because the id (and so the opening tag) depends on the whole heading's text. With
//! mdBook's conventions a definition list's term is held back the same way, since
//! mdBook gives terms ids too.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Heading;
use super::ids::{IdAllocator, heading_id};
use super::links::push_escaped_html;
use super::mdbook;

type Attributes<'a> = Vec<(CowStr<'a>, Option<CowStr<'a>>)>;

/// What is being held back.
enum Element<'a> {
    Heading {
        level: HeadingLevel,
        explicit_id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Attributes<'a>,
    },
    /// A definition list's term (`<dt>`), with mdBook's conventions only.
    Term,
}

pub(crate) struct OpenHeading<'a> {
    element: Element<'a>,
    range: Range<usize>,
    text: String,
    /// The text mdBook makes the id from, when its conventions apply: unlike `text`,
    /// it leaves out image alt text and counts footnote numbers and soft breaks.
    id_text: Option<String>,
    /// The heading's inline content, already rewritten by the pass.
    pub(crate) events: Vec<Event<'a>>,
}

/// A heading read to its end: what to record and what to write.
pub(crate) struct Finished<'a> {
    /// `None` for a term, which is no heading.
    pub(crate) heading: Option<Heading>,
    pub(crate) id: String,
    pub(crate) events: Vec<Event<'a>>,
    /// Set when an explicit `{#id}` repeats an id already on the page.
    pub(crate) duplicate_id: bool,
}

impl<'a> OpenHeading<'a> {
    /// From the parts of pulldown-cmark's `Tag::Heading`; `mdbook` when its
    /// conventions apply.
    pub(crate) fn new(tag: Tag<'a>, range: Range<usize>, mdbook: bool) -> Option<Self> {
        let Tag::Heading {
            level,
            id,
            classes,
            attrs,
        } = tag
        else {
            return None;
        };
        let element = Element::Heading {
            level,
            explicit_id: id.filter(|id| !id.is_empty()),
            classes,
            attrs,
        };
        Some(Self::holding(element, range, mdbook))
    }

    /// A definition list's term, which only mdBook's conventions give an id.
    pub(crate) fn term(range: Range<usize>) -> Self {
        Self::holding(Element::Term, range, true)
    }

    fn holding(element: Element<'a>, range: Range<usize>, mdbook: bool) -> Self {
        Self {
            element,
            range,
            text: String::new(),
            id_text: mdbook.then(String::new),
            events: Vec::new(),
        }
    }

    /// Adds an event's share of the plain text: text, inline code, math and image alt
    /// text, with markup stripped and line breaks as spaces (as mdBook does).
    pub(crate) fn note_text(&mut self, event: &Event<'_>, in_image: bool) {
        match event {
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => {
                self.text.push_str(text);
                if !in_image {
                    self.note_id_text(text);
                }
            }
            Event::SoftBreak => {
                self.text.push(' ');
                self.note_id_text("\n");
            }
            Event::HardBreak => self.text.push(' '),
            _ => {}
        }
    }

    /// Adds text that counts only towards mdBook's id (a footnote's number).
    pub(crate) fn note_id_text(&mut self, text: &str) {
        if let Some(id_text) = &mut self.id_text {
            id_text.push_str(text);
        }
    }

    /// Gives the heading its id and wraps its content in the heading tag: with folio's
    /// conventions the anchor link follows the text, with mdBook's it wraps the text.
    pub(crate) fn finish(self, ids: &mut IdAllocator) -> Finished<'a> {
        let text = self.text.trim().to_string();
        let explicit_id = match &self.element {
            Element::Heading { explicit_id, .. } => explicit_id.as_deref(),
            Element::Term => None,
        };
        let (id, duplicate_id) = match (explicit_id, &self.id_text) {
            (Some(id), _) => (id.to_string(), !ids.explicit(id)),
            (None, Some(id_text)) => (ids.unique(mdbook::id_from_content(id_text)), false),
            (None, None) => (ids.generated(heading_id(&text)), false),
        };
        let (link_open, link_close) = match self.id_text {
            Some(_) => (Some(mdbook::header_link(&id)), "</a>".to_string()),
            None => (None, anchor_html(&id)),
        };
        let mut events = Vec::with_capacity(self.events.len() + 4);
        let level = open_tag(self.element, &id, &mut events);
        events.extend(link_open.map(|html| Event::InlineHtml(html.into())));
        events.extend(self.events);
        events.push(Event::InlineHtml(link_close.into()));
        events.push(match level {
            Some(level) => Event::End(TagEnd::Heading(level)),
            None => Event::Html("</dt>\n".into()),
        });
        let heading = level.map(|level| Heading {
            level: level as u8,
            id: id.clone(),
            text,
            range: self.range,
        });
        Finished {
            heading,
            id,
            events,
            duplicate_id,
        }
    }
}

/// Pushes the element's opening tag with its id; returns the heading's level, or
/// `None` for a term.
fn open_tag<'a>(
    element: Element<'a>,
    id: &str,
    events: &mut Vec<Event<'a>>,
) -> Option<HeadingLevel> {
    match element {
        Element::Heading {
            level,
            classes,
            attrs,
            ..
        } => {
            events.push(Event::Start(Tag::Heading {
                level,
                id: Some(id.to_string().into()),
                classes,
                attrs: without_id_or_class(attrs),
            }));
            Some(level)
        }
        Element::Term => {
            let mut html = String::from("<dt id=\"");
            push_escaped_html(&mut html, id);
            html.push_str("\">");
            events.push(Event::Html(html.into()));
            None
        }
    }
}

/// `{#id}` and `{.class}` are written from their own fields; custom attributes named
/// `id` or `class` would write the attribute twice.
fn without_id_or_class(attrs: Attributes<'_>) -> Attributes<'_> {
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
