//! The one pass over pulldown-cmark's events: it rewrites the events folio renders its
//! own way (headings, links, images, alerts, code blocks), collects headings, links and
//! warnings with their source ranges, and finds the summary; pulldown-cmark's writer
//! then turns the rewritten events into HTML.
//!
//! Nesting is tracked with an explicit stack (`closers`), never recursion, so a
//! 10,000-deep blockquote cannot overflow the call stack.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Options as ParserOptions, Parser, Tag, TagEnd};

use super::highlight::Highlighter;
use super::ids::{IdAllocator, heading_id};
use super::input::Source;
use super::links::{self, Target};
use super::{Heading, Link, LinkKind, Options, Rendered, Warning, alerts, code, toc};

pub(crate) fn render(body: &str, options: &Options, highlighter: &Highlighter) -> Rendered {
    let source = Source::new(body);
    let mut pass = Pass::new(highlighter);
    for (event, range) in Parser::new_ext(source.text(), parser_options(options)).into_offset_iter()
    {
        pass.event(event, source.original(range));
    }
    pass.finish()
}

/// The extensions folio enables, named one by one: `Options::all()` would also turn on
/// wikilinks, metadata blocks and whatever a later pulldown-cmark adds.
fn parser_options(options: &Options) -> ParserOptions {
    let mut parser = ParserOptions::ENABLE_TABLES
        | ParserOptions::ENABLE_FOOTNOTES
        | ParserOptions::ENABLE_STRIKETHROUGH
        | ParserOptions::ENABLE_TASKLISTS
        | ParserOptions::ENABLE_HEADING_ATTRIBUTES
        | ParserOptions::ENABLE_DEFINITION_LIST
        | ParserOptions::ENABLE_GFM;
    parser.set(
        ParserOptions::ENABLE_SMART_PUNCTUATION,
        options.smart_punctuation,
    );
    parser.set(ParserOptions::ENABLE_MATH, options.math);
    parser
}

/// What the `End` of an open container writes.
#[derive(Debug, Clone)]
enum Closer {
    Tag(TagEnd),
    Html(&'static str),
}

impl Closer {
    fn event<'a>(&self) -> Event<'a> {
        match self {
            Closer::Tag(end) => Event::End(*end),
            Closer::Html(html) => Event::Html(CowStr::Borrowed(html)),
        }
    }
}

/// A heading being read: its events are held back until its text, and so its id, is
/// known.
struct OpenHeading<'a> {
    level: pulldown_cmark::HeadingLevel,
    explicit_id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    range: Range<usize>,
    text: String,
    events: Vec<Event<'a>>,
}

struct OpenCode<'a> {
    info: CowStr<'a>,
    text: String,
    range: Range<usize>,
}

/// An image being read: its content becomes the `alt` text.
struct OpenImage<'a> {
    src: String,
    title: CowStr<'a>,
    alt: String,
    /// Tags opened inside the alt text (emphasis…) and not closed yet.
    depth: usize,
}

/// Where the summary ends, as indices into `Pass::out`.
#[derive(Default)]
struct SummaryMarks {
    paragraph_start: Option<usize>,
    first_paragraph: Option<Range<usize>>,
    /// The index of `<!-- more -->` and the containers open there, to close them.
    more: Option<(usize, Vec<Closer>)>,
}

struct Pass<'a, 'h> {
    highlighter: &'h Highlighter,
    out: Vec<Event<'a>>,
    closers: Vec<Closer>,
    heading: Option<OpenHeading<'a>>,
    code: Option<OpenCode<'a>>,
    image: Option<OpenImage<'a>>,
    ids: IdAllocator,
    summary: SummaryMarks,
    headings: Vec<Heading>,
    links: Vec<Link>,
    warnings: Vec<Warning>,
}

impl<'a, 'h> Pass<'a, 'h> {
    fn new(highlighter: &'h Highlighter) -> Self {
        Self {
            highlighter,
            out: Vec::new(),
            closers: Vec::new(),
            heading: None,
            code: None,
            image: None,
            ids: IdAllocator::default(),
            summary: SummaryMarks::default(),
            headings: Vec::new(),
            links: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.code.is_some() {
            return self.code_event(event);
        }
        self.note_heading_text(&event);
        if self.image.is_some() {
            return self.image_event(event);
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => self.end(end),
            Event::Html(ref html) | Event::InlineHtml(ref html) if is_more_marker(html) => {
                self.mark_more();
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    /// Sends an event to the open heading, if any, else to the output.
    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(heading) => heading.events.push(event),
            None => self.out.push(event),
        }
    }

    fn open(&mut self, tag: Tag<'a>) {
        self.closers.push(Closer::Tag(tag.to_end()));
        self.emit(Event::Start(tag));
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                self.heading = Some(OpenHeading {
                    level,
                    explicit_id: id.filter(|id| !id.is_empty()),
                    classes,
                    attrs,
                    range,
                    text: String::new(),
                    events: Vec::new(),
                });
            }
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info,
                    pulldown_cmark::CodeBlockKind::Indented => CowStr::Borrowed(""),
                };
                self.code = Some(OpenCode {
                    info,
                    text: String::new(),
                    range,
                });
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let src = self.image_src(dest_url, range);
                self.image = Some(OpenImage {
                    src,
                    title,
                    alt: String::new(),
                    depth: 0,
                });
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => self.start_link(link_type, dest_url, title, id, range),
            Tag::BlockQuote(Some(kind)) => {
                self.emit(Event::Html(alerts::open(kind).into()));
                self.closers.push(Closer::Html(alerts::CLOSE));
            }
            Tag::Paragraph => {
                if self.at_top_level() && self.summary.paragraph_start.is_none() {
                    self.summary.paragraph_start = Some(self.out.len());
                }
                self.open(Tag::Paragraph);
            }
            other => self.open(other),
        }
    }

    fn end(&mut self, end: TagEnd) {
        if matches!(end, TagEnd::Heading(_)) {
            return self.finish_heading();
        }
        let closer = self.closers.pop().unwrap_or(Closer::Tag(end));
        self.emit(closer.event());
        if end == TagEnd::Paragraph && self.at_top_level() && self.summary.first_paragraph.is_none()
        {
            let start = self.summary.paragraph_start.unwrap_or(0);
            self.summary.first_paragraph = Some(start..self.out.len());
        }
    }

    fn at_top_level(&self) -> bool {
        self.closers.is_empty() && self.heading.is_none()
    }

    fn mark_more(&mut self) {
        // Only the first marker counts, and only outside headings.
        if self.summary.more.is_none() && self.heading.is_none() {
            self.summary.more = Some((self.out.len(), self.closers.clone()));
        }
    }

    // ---- links and images ----

    fn start_link(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        range: Range<usize>,
    ) {
        // `<a@b.c>` has no scheme as written but pulldown-cmark writes it as mailto:.
        let target = if link_type == LinkType::Email {
            Target::External
        } else {
            links::classify(&dest_url)
        };
        match target {
            Target::Internal => {
                let index = self.push_link(LinkKind::Link, &dest_url, range);
                self.emit(Event::InlineHtml(links::anchor_open(index, &title).into()));
                self.closers.push(Closer::Tag(TagEnd::Link));
            }
            Target::External => self.open(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }),
            Target::Unsafe => {
                self.warn(range, links::UNSAFE_MESSAGE);
                let dest_url = CowStr::Borrowed("#");
                self.open(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                });
            }
        }
    }

    /// The `src` attribute value for an image: a placeholder, the escaped URL, or `#`.
    fn image_src(&mut self, dest: CowStr<'a>, range: Range<usize>) -> String {
        match links::classify(&dest) {
            Target::Internal => links::placeholder(self.push_link(LinkKind::Image, &dest, range)),
            Target::External => {
                let mut src = String::with_capacity(dest.len());
                links::push_escaped_href(&mut src, &dest);
                src
            }
            Target::Unsafe => {
                self.warn(range, links::UNSAFE_MESSAGE);
                "#".to_string()
            }
        }
    }

    fn push_link(&mut self, kind: LinkKind, dest: &str, range: Range<usize>) -> usize {
        self.links.push(Link {
            kind,
            dest: dest.to_string(),
            range,
        });
        self.links.len() - 1
    }

    /// Collects alt text the way pulldown-cmark's writer does, until the image ends.
    fn image_event(&mut self, event: Event<'a>) {
        let Some(image) = &mut self.image else { return };
        match event {
            Event::Start(_) => image.depth += 1,
            Event::End(_) if image.depth == 0 => self.finish_image(),
            Event::End(_) => image.depth -= 1,
            Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) => {
                image.alt.push_str(&text)
            }
            Event::InlineMath(tex) => image.alt.push_str(&format!("${tex}$")),
            Event::DisplayMath(tex) => image.alt.push_str(&format!("$${tex}$$")),
            Event::SoftBreak | Event::HardBreak | Event::Rule => image.alt.push(' '),
            Event::Html(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn finish_image(&mut self) {
        if let Some(image) = self.image.take() {
            let html = links::image(&image.src, &image.alt, &image.title);
            self.emit(Event::InlineHtml(html.into()));
        }
    }

    // ---- headings ----

    /// The plain text of a heading: text, inline code, math and image alt text, with
    /// markup stripped and line breaks as spaces.
    fn note_heading_text(&mut self, event: &Event<'a>) {
        let Some(heading) = &mut self.heading else {
            return;
        };
        match event {
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => heading.text.push_str(text),
            Event::SoftBreak | Event::HardBreak => heading.text.push(' '),
            _ => {}
        }
    }

    fn finish_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let text = heading.text.trim().to_string();
        let id = match &heading.explicit_id {
            Some(id) => {
                if !self.ids.explicit(id) {
                    self.warn(
                        heading.range.clone(),
                        &format!("duplicate heading id `{id}`"),
                    );
                }
                id.to_string()
            }
            None => self.ids.generated(heading_id(&text)),
        };
        let level = heading.level as u8;
        self.headings.push(Heading {
            level,
            id: id.clone(),
            text,
            range: heading.range,
        });
        // `{#id}` and `{.class}` are written from the fields; attributes named id or
        // class would duplicate them.
        let attrs = heading
            .attrs
            .into_iter()
            .filter(|(name, _)| {
                !name.eq_ignore_ascii_case("id") && !name.eq_ignore_ascii_case("class")
            })
            .collect();
        let anchor = anchor_html(&id);
        self.out.push(Event::Start(Tag::Heading {
            level: heading.level,
            id: Some(id.into()),
            classes: heading.classes,
            attrs,
        }));
        self.out.extend(heading.events);
        self.out.push(Event::InlineHtml(anchor.into()));
        self.out.push(Event::End(TagEnd::Heading(heading.level)));
    }

    // ---- code blocks ----

    fn code_event(&mut self, event: Event<'a>) {
        let Some(code) = &mut self.code else { return };
        match event {
            Event::Text(text) => code.text.push_str(&text),
            Event::End(_) => self.finish_code(),
            _ => {}
        }
    }

    fn finish_code(&mut self) {
        let Some(open) = self.code.take() else { return };
        let block = code::render(&open.info, &open.text, self.highlighter);
        if let Some(message) = block.warning {
            self.warn(open.range, &message);
        }
        self.emit(Event::Html(block.html.into()));
    }

    fn warn(&mut self, range: Range<usize>, message: &str) {
        self.warnings.push(Warning {
            range,
            message: message.to_string(),
        });
    }

    // ---- the result ----

    fn finish(mut self) -> Rendered {
        // pulldown-cmark balances its events, so these are only a safety net.
        self.finish_code();
        self.finish_image();
        self.finish_heading();
        let summary = self.summary_html();
        let mut html = String::with_capacity(self.out.len() * 16);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        let title = self
            .headings
            .iter()
            .find(|h| h.level == 1)
            .map(|h| h.text.clone());
        Rendered {
            html,
            summary,
            title,
            toc: toc::build(&self.headings),
            headings: self.headings,
            links: self.links,
            warnings: self.warnings,
        }
    }

    /// The events before `<!-- more -->` with their open containers closed, else the
    /// first top-level paragraph.
    fn summary_html(&self) -> String {
        let mut html = String::new();
        if let Some((cut, open)) = &self.summary.more {
            let closing = open.iter().rev().map(Closer::event);
            let events = self.out[..*cut].iter().cloned().chain(closing);
            pulldown_cmark::html::push_html(&mut html, events);
        } else if let Some(range) = &self.summary.first_paragraph {
            let events = self
                .out
                .get(range.clone())
                .unwrap_or_default()
                .iter()
                .cloned();
            pulldown_cmark::html::push_html(&mut html, events);
        }
        html
    }
}

/// `<!-- more -->`, with any spacing inside the comment.
fn is_more_marker(html: &str) -> bool {
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

/// The link shown on hover after a heading's text.
fn anchor_html(id: &str) -> String {
    let mut html = String::from("<a class=\"anchor\" href=\"#");
    links::push_escaped_html(&mut html, id);
    html.push_str("\" aria-label=\"Link to this section\">#</a>");
    html
}
