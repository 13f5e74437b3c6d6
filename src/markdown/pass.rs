//! The one pass over pulldown-cmark's events: it rewrites the events folio renders its
//! own way (headings, links, images, alerts, code blocks), collects headings, links and
//! warnings with their source ranges, and marks the summary; pulldown-cmark's writer
//! then turns the rewritten events into HTML.
//!
//! With mdBook's conventions ([`Flavour::MdBook`]) headings and definition terms get
//! mdBook's ids and links, footnotes move to a list at the end, code blocks are written
//! mdBook's way and `[[…]]` is plain text; see `mdbook/`.
//!
//! Nesting is tracked with an explicit stack (`closers`), never recursion, so a
//! 10,000-deep blockquote cannot overflow the call stack.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options as ParserOptions, Parser};
use pulldown_cmark::{Tag, TagEnd, TextMergeWithOffset};

use super::heading::OpenHeading;
use super::highlight::Highlighter;
use super::ids::IdAllocator;
use super::image::OpenImage;
use super::input::Source;
use super::links::{self, Target};
use super::mdbook::{self, Footnotes};
use super::raw_html::{Scanner, StartTag};
use super::shortcode::{PageCalls, Piece};
use super::summary::{Closer, SummaryMarks, is_more_marker};
use super::{
    Context, ExternalLink, Flavour, Heading, Link, LinkKind, MdBook, Options, Rendered, Warning,
    alerts, code, dot, math, mermaid, running_text, sanitize, toc,
};
use crate::diag::Kind;

pub(crate) fn render(body: &str, context: &Context) -> Rendered {
    let word_count = count_words(body);
    let calls = PageCalls::find(body, context);
    let prepared = calls.as_ref().map(|calls| calls.prepare(body));
    let body = prepared.as_deref().unwrap_or(body);
    let source = Source::new(body);
    let mut pass = Pass::new(context, body);
    pass.calls = calls;
    let parser = Parser::new_ext(source.text(), parser_options(context.options));
    // Merged, so a wiki link split over several text events by its brackets is whole.
    for (event, range) in TextMergeWithOffset::new(parser.into_offset_iter()) {
        pass.event(event, source.original(range));
    }
    pass.finish(word_count)
}

/// Words as runs of non-blank bytes: close enough for a reading time, and a tenth of the
/// cost of splitting on Unicode whitespace.
fn count_words(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for byte in text.bytes() {
        let blank = byte.is_ascii_whitespace();
        words += usize::from(!blank && !in_word);
        in_word = !blank;
    }
    words
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
    if let Flavour::MdBook(book) = &options.flavour {
        parser.set(ParserOptions::ENABLE_DEFINITION_LIST, book.definition_lists);
        parser.set(ParserOptions::ENABLE_GFM, book.admonitions);
    }
    parser
}

/// A fenced or indented code block being read; its text arrives in pieces.
struct OpenCode<'a> {
    info: CowStr<'a>,
    text: String,
    range: Range<usize>,
}

struct Pass<'a, 'h> {
    highlighter: &'h Highlighter,
    /// The body as written, to locate wiki links and terms inside a text event.
    body: &'h str,
    text: running_text::RunningText<'h>,
    /// How many links are open: text inside a link is never linked again.
    open_links: usize,
    /// Whether the author wrote raw HTML, which must then be sanitised.
    raw_html: bool,
    /// Reads the raw HTML events in order, for the tags and attributes in them.
    scanner: Scanner,
    trust_raw_html: bool,
    alert_titles: &'h super::alerts::AlertTitles,
    /// Whether `$…$`, `$$…$$` and `math` fences are formulas.
    math: bool,
    /// The rewritten events, in document order.
    out: Vec<Event<'a>>,
    /// One per open container: what its `End` writes.
    closers: Vec<Closer>,
    heading: Option<OpenHeading<'a>>,
    code: Option<OpenCode<'a>>,
    image: Option<OpenImage<'a>>,
    ids: IdAllocator,
    /// The book's settings, when mdBook's conventions apply.
    mdbook: Option<&'h MdBook>,
    /// Footnotes, gathered for the end of the page (mdBook's conventions only).
    footnotes: Footnotes<'a>,
    summary: SummaryMarks,
    headings: Vec<Heading>,
    links: Vec<Link>,
    external: Vec<ExternalLink>,
    anchors: Vec<String>,
    warnings: Vec<Warning>,
    /// Whether a mermaid diagram was written.
    mermaid: bool,
    /// The page's shortcode calls, when it has any and the site expands them.
    calls: Option<PageCalls<'h>>,
    /// What folio itself wrote into the page (shortcodes' output, diagrams' SVG), which
    /// the sanitiser must not touch: the events hold a token for each (see
    /// `sanitize::trusted_token`) unless all raw HTML is trusted.
    trusted: Vec<String>,
}

impl<'a, 'h> Pass<'a, 'h> {
    fn new(context: &Context<'h>, body: &'h str) -> Self {
        let mdbook = match &context.options.flavour {
            Flavour::Folio => None,
            Flavour::MdBook(book) => Some(book),
        };
        let wiki_links = mdbook.is_none();
        Self {
            highlighter: context.highlighter,
            body,
            text: running_text::RunningText::new(context.glossary, context.page, wiki_links),
            open_links: 0,
            raw_html: false,
            scanner: Scanner::default(),
            trust_raw_html: context.options.trust_raw_html,
            alert_titles: &context.options.alert_titles,
            math: context.options.math,
            out: Vec::new(),
            closers: Vec::new(),
            heading: None,
            code: None,
            image: None,
            ids: match mdbook {
                Some(_) => IdAllocator::mdbook(),
                None => IdAllocator::default(),
            },
            mdbook,
            footnotes: Footnotes::default(),
            summary: SummaryMarks::default(),
            headings: Vec::new(),
            links: Vec::new(),
            external: Vec::new(),
            anchors: Vec::new(),
            warnings: Vec::new(),
            mermaid: false,
            calls: None,
            trusted: Vec::new(),
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.code.is_some() {
            return self.code_event(event);
        }
        if let Some(heading) = &mut self.heading {
            heading.note_text(&event, self.image.is_some());
        }
        if let Some(image) = &mut self.image {
            if image.take(event) {
                self.finish_image();
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => self.end(end),
            Event::Text(text) if self.heading.is_none() && self.open_links == 0 => {
                self.running_text(text, range)
            }
            Event::Html(_) | Event::InlineHtml(_)
                if self
                    .calls
                    .as_ref()
                    .is_some_and(|calls| calls.overlaps(&range)) =>
            {
                self.shortcode_html(event, range)
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) if !is_more_marker(html) => {
                self.raw_html(event, range)
            }
            Event::InlineMath(tex) => self.formula(&tex, false, range),
            Event::DisplayMath(tex) => self.formula(&tex, true, range),
            Event::FootnoteReference(name) if self.mdbook.is_some() => {
                self.footnote_reference(&name)
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) if is_more_marker(html) => {
                // Only outside headings and notes: a summary cut there would be odd HTML.
                if self.heading.is_none() && !self.footnotes.is_open() {
                    self.summary.more(self.out.len(), &self.closers);
                }
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    fn emit(&mut self, event: Event<'a>) {
        self.sink().push(event);
    }

    /// Where events go: to the open heading, if any, else to the open footnote, else to
    /// the output.
    fn sink(&mut self) -> &mut Vec<Event<'a>> {
        match (&mut self.heading, self.footnotes.sink()) {
            (Some(heading), _) => &mut heading.events,
            (None, Some(note)) => note,
            (None, None) => &mut self.out,
        }
    }

    /// Passes a container's start through, remembering how it ends.
    fn open(&mut self, tag: Tag<'a>) {
        self.closers.push(Closer::Tag(tag.to_end()));
        self.emit(Event::Start(tag));
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Heading { .. } => {
                self.heading = OpenHeading::new(tag, range, self.mdbook.is_some())
            }
            Tag::DefinitionListTitle if self.mdbook.is_some() => {
                self.heading = Some(OpenHeading::term(range))
            }
            Tag::FootnoteDefinition(name) if self.mdbook.is_some() => {
                self.footnotes.open(&name, range);
                self.closers.push(Closer::Tag(TagEnd::FootnoteDefinition));
            }
            Tag::CodeBlock(kind) => self.start_code(kind, range),
            Tag::Image {
                dest_url, title, ..
            } => {
                let src = self.image_src(&dest_url, range);
                self.image = Some(OpenImage::new(src, title));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => self.start_link(link_type, dest_url, title, id, range),
            Tag::BlockQuote(Some(kind)) => {
                self.emit(Event::Html(alerts::open(kind, self.alert_titles).into()));
                self.closers.push(Closer::Html(alerts::CLOSE));
            }
            Tag::Paragraph if self.at_top_level() => {
                self.summary.paragraph_starts(self.out.len());
                self.open(tag);
            }
            other => self.open(other),
        }
    }

    fn end(&mut self, end: TagEnd) {
        // A term is held back like a heading only with mdBook's conventions.
        if matches!(end, TagEnd::Heading(_))
            || end == TagEnd::DefinitionListTitle && self.heading.is_some()
        {
            return self.finish_heading();
        }
        if end == TagEnd::FootnoteDefinition && self.mdbook.is_some() {
            self.closers.pop();
            if let Some((range, message)) = self.footnotes.close() {
                self.warn(range, message);
            }
            return;
        }
        if end == TagEnd::Link {
            self.open_links = self.open_links.saturating_sub(1);
        }
        let closer = self.closers.pop().unwrap_or(Closer::Tag(end));
        self.emit(closer.event());
        if end == TagEnd::Paragraph && self.at_top_level() {
            self.summary.paragraph_ends(self.out.len());
        }
    }

    fn at_top_level(&self) -> bool {
        self.closers.is_empty() && self.heading.is_none()
    }

    fn warn(&mut self, range: Range<usize>, message: impl Into<String>) {
        self.warnings.push(Warning {
            kind: Kind::Markdown,
            range,
            message: message.into(),
            help: None,
        });
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
        self.open_links += 1;
        // `<a@b.c>` has no scheme as written, but pulldown-cmark writes it as mailto:.
        let target = match link_type {
            LinkType::Email => Target::External,
            _ => links::classify(&dest_url),
        };
        let dest_url = match target {
            Target::Internal => {
                let index = self.push_link(LinkKind::Link, &dest_url, range);
                // pulldown-cmark would percent-encode the placeholder's NULs: write the
                // tag here; the `</a>` is the ordinary end of a link.
                self.emit(Event::InlineHtml(links::anchor_open(index, &title).into()));
                self.closers.push(Closer::Tag(TagEnd::Link));
                return;
            }
            Target::External => {
                if link_type != LinkType::Email {
                    self.push_external(LinkKind::Link, &dest_url, range);
                }
                dest_url
            }
            Target::Unsafe => {
                self.warn(range, links::UNSAFE_MESSAGE);
                CowStr::Borrowed("#")
            }
        };
        self.open(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        });
    }

    /// The `src` attribute value for an image: a placeholder, the escaped URL, or `#`.
    fn image_src(&mut self, dest: &str, range: Range<usize>) -> String {
        match links::classify(dest) {
            Target::Internal => links::placeholder(self.push_link(LinkKind::Image, dest, range)),
            Target::External => {
                self.push_external(LinkKind::Image, dest, range);
                let mut src = String::with_capacity(dest.len());
                links::push_escaped_href(&mut src, dest);
                src
            }
            Target::Unsafe => {
                self.warn(range, links::UNSAFE_MESSAGE);
                "#".to_string()
            }
        }
    }

    /// Plain text, where wiki links and the first use of each glossary term become links.
    fn running_text(&mut self, text: CowStr<'a>, range: Range<usize>) {
        let written = self.body.get(range.clone()).unwrap_or_default();
        let pieces = self.text.split(&text, written, range.start);
        if pieces.is_empty() {
            return self.emit(Event::Text(text));
        }
        for piece in pieces {
            match piece {
                running_text::Out::Text(plain) => self.emit(Event::Text(plain.into())),
                running_text::Out::Link {
                    kind,
                    dest,
                    range,
                    label,
                    expansion,
                } => {
                    let index = self.push_link(kind, &dest, range);
                    let expansion = expansion.as_deref();
                    self.emit(Event::InlineHtml(
                        running_text::link_open(index, expansion).into(),
                    ));
                    self.emit(Event::Text(label.into()));
                    self.emit(Event::InlineHtml(
                        running_text::link_close(expansion).into(),
                    ));
                }
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

    /// Keeps a link to another site for `folio check --external`, if it is on the web.
    fn push_external(&mut self, kind: LinkKind, url: &str, range: Range<usize>) {
        if links::is_web(url) {
            self.external.push(ExternalLink {
                kind,
                url: url.to_string(),
                range,
            });
        }
    }

    fn finish_image(&mut self) {
        if let Some(image) = self.image.take() {
            self.emit(Event::InlineHtml(image.into_html().into()));
        }
    }

    // ---- raw HTML ----

    /// A raw HTML event: what sanitising will remove is reported, and `src` and `href`
    /// values that folio resolves become placeholders like Markdown links' URLs.
    fn raw_html(&mut self, event: Event<'a>, range: Range<usize>) {
        let (Event::Html(html) | Event::InlineHtml(html)) = &event else {
            return self.emit(event);
        };
        self.raw_html = true;
        if self.mdbook.is_some() {
            // mdBook passes raw HTML through: its ids are link targets too
            // (books keep `<a id="old-heading"></a>` so old links still land).
            self.anchors.extend(raw_html_ids(html));
        }
        let tags = self.scanner.tags(html);
        if !self.trust_raw_html {
            for removal in sanitize::removals(&tags) {
                self.warnings.push(Warning {
                    kind: Kind::RawHtmlRemoved,
                    range: locate(self.body, &range, html, removal.range),
                    message: removal.message,
                    help: Some(sanitize::TRUST_HELP.to_string()),
                });
            }
        }
        let Some(rewritten) = self.raw_html_links(html, &tags, &range) else {
            return self.emit(event);
        };
        let rewritten = CowStr::from(rewritten);
        self.emit(match event {
            Event::Html(_) => Event::Html(rewritten),
            _ => Event::InlineHtml(rewritten),
        });
    }

    /// `html` with each `src` or `href` value folio resolves replaced by a placeholder
    /// in double quotes; `None` when there is none.
    fn raw_html_links(
        &mut self,
        html: &str,
        tags: &[StartTag],
        range: &Range<usize>,
    ) -> Option<String> {
        let mut out = String::new();
        let mut copied = 0;
        for tag in tags {
            let kept = self.trust_raw_html || sanitize::keeps(&tag.name);
            if !kept || !LINKING_ELEMENTS.contains(&tag.name.as_str()) {
                continue;
            }
            let kind = match tag.name.as_str() {
                "img" => LinkKind::Image,
                _ => LinkKind::Link,
            };
            // A value with a character reference (`&amp;`) is left to the browser, as
            // written: folio would have to decode it to know where it leads.
            let urls = tag.attributes.iter().filter(|a| {
                matches!(a.name.as_str(), "src" | "href")
                    && !a.span.is_empty()
                    && !a.value.contains('&')
            });
            for attribute in urls {
                let at = locate(self.body, range, html, attribute.span.clone());
                match links::classify(attribute.value) {
                    Target::Internal => {}
                    Target::External => {
                        self.push_external(kind, attribute.value, at);
                        continue;
                    }
                    Target::Unsafe => continue,
                }
                let index = self.push_link(kind, attribute.value, at);
                out.push_str(&html[copied..attribute.span.start]);
                out.push('"');
                out.push_str(&links::placeholder(index));
                out.push('"');
                copied = attribute.span.end;
            }
        }
        (copied > 0).then(|| out + &html[copied..])
    }

    // ---- shortcodes ----

    /// An HTML event that holds shortcode calls: each call's output is written as
    /// trusted HTML, and the rest of the event as raw HTML of the page.
    fn shortcode_html(&mut self, event: Event<'a>, range: Range<usize>) {
        let Some(mut calls) = self.calls.take() else {
            return self.emit(event);
        };
        let pieces = calls.expand(range, &mut |dest, at| {
            links::placeholder(self.push_link(LinkKind::Image, dest, at))
        });
        self.calls = Some(calls);
        for piece in pieces {
            match piece {
                Piece::Trusted(html) => self.trusted(html),
                Piece::Raw(at) => {
                    let html =
                        CowStr::from(self.body.get(at.clone()).unwrap_or_default().to_string());
                    match html.trim().is_empty() {
                        true => self.emit(Event::Html(html)),
                        false => self.raw_html(Event::InlineHtml(html), at),
                    }
                }
            }
        }
    }

    fn trusted(&mut self, html: String) {
        if self.trust_raw_html {
            return self.emit(Event::Html(html.into()));
        }
        self.emit(Event::Html(
            sanitize::trusted_token(self.trusted.len()).into(),
        ));
        self.trusted.push(html);
    }

    // ---- headings ----

    fn finish_heading(&mut self) {
        let Some(open) = self.heading.take() else {
            return;
        };
        let finished = open.finish(&mut self.ids);
        match finished.heading {
            Some(heading) => {
                if finished.duplicate_id {
                    let message = format!("duplicate heading id `{}`", heading.id);
                    self.warn(heading.range.clone(), message);
                }
                self.headings.push(heading);
            }
            None => self.anchors.push(finished.id),
        }
        self.sink().extend(finished.events);
    }

    // ---- math ----

    /// Writes a formula as MathML; TeX that does not parse is an error at `range`.
    fn formula(&mut self, tex: &str, display: bool, range: Range<usize>) {
        let formula = math::render(tex, display);
        if let Some(message) = formula.error {
            self.warnings.push(Warning {
                kind: Kind::Math,
                range,
                message,
                help: None,
            });
        }
        self.emit(Event::InlineHtml(formula.html.into()));
    }

    // ---- footnotes (mdBook's conventions) ----

    fn footnote_reference(&mut self, name: &str) {
        let after_reference = self.sink().last().is_some_and(Footnotes::is_reference);
        let reference = self.footnotes.reference(name, after_reference);
        if let Some(heading) = &mut self.heading {
            heading.note_id_text(&reference.number.to_string());
        }
        self.anchors.push(reference.id);
        self.emit(Event::InlineHtml(reference.html.into()));
    }

    // ---- code blocks ----

    fn start_code(&mut self, kind: CodeBlockKind<'a>, range: Range<usize>) {
        let info = match kind {
            CodeBlockKind::Fenced(info) => info,
            CodeBlockKind::Indented => CowStr::Borrowed(""),
        };
        self.code = Some(OpenCode {
            info,
            text: String::new(),
            range,
        });
    }

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
        let info = code::parse_info(&open.info);
        if self.math && info.language == "math" {
            let tex = code::content_range(self.body, open.range);
            return self.formula(open.text.trim_end(), true, tex);
        }
        if self.mdbook.is_none() {
            match info.language {
                "dot" | "graphviz" => return self.dot(&open, info.title),
                "mermaid" => return self.mermaid(&open, info.title),
                _ => {}
            }
        }
        let block = match self.mdbook {
            Some(book) => mdbook::render_code(&open.info, &open.text, self.highlighter, book),
            None => code::render(&open.info, &open.text, self.highlighter),
        };
        if let Some(mut warning) = block.warning {
            warning.range = match warning.kind {
                Kind::UnknownLanguage => code::language_range(self.body, open.range),
                _ => open.range,
            };
            self.warnings.push(warning);
        }
        self.emit(Event::Html(block.html.into()));
    }

    // ---- diagrams ----

    /// A Graphviz block as SVG; DOT that does not parse is an error and stays on the
    /// page as a code block.
    fn dot(&mut self, open: &OpenCode<'a>, title: Option<&str>) {
        match dot::render(&open.text, title) {
            Ok(drawn) => {
                for shape in drawn.unknown_shapes {
                    self.warnings.push(Warning {
                        kind: Kind::DiagramUnknown,
                        range: code::language_range(self.body, open.range.clone()),
                        message: format!("unknown DOT shape `{shape}`: drawn as a rounded box"),
                        help: Some(dot::SHAPES_HELP.to_string()),
                    });
                }
                self.trusted(drawn.html);
            }
            Err(error) => {
                let range = self.in_block(open, error.at.map_or(0..0, |at| at..at + 1));
                self.warnings.push(Warning {
                    kind: Kind::Diagram,
                    range,
                    message: error.message,
                    help: Some(dot::HELP.to_string()),
                });
                let block = code::render(&open.info, &open.text, self.highlighter);
                self.emit(Event::Html(block.html.into()));
            }
        }
    }

    /// A mermaid block, drawn in the browser; one whose type mermaid does not know is a
    /// warning at its first word.
    fn mermaid(&mut self, open: &OpenCode<'a>, title: Option<&str>) {
        if let Some(unknown) = mermaid::check(&open.text) {
            self.warnings.push(Warning {
                kind: Kind::DiagramUnknown,
                range: self.in_block(open, unknown.range),
                message: unknown.message,
                help: unknown.help,
            });
        }
        self.mermaid = true;
        self.emit(Event::Html(mermaid::html(&open.text, title).into()));
    }

    /// Where `within`, a range of a fenced block's text, is in the body: exact when the
    /// block's text is written as it is (not indented in a list or a quote), else the
    /// block's first line of text.
    fn in_block(&self, open: &OpenCode, within: Range<usize>) -> Range<usize> {
        let content = code::content_range(self.body, open.range.clone());
        let written = self.body.get(content.start..).unwrap_or_default();
        if written.starts_with(open.text.as_str()) && !within.is_empty() {
            let end = (content.start + within.end).min(content.end);
            return content.start + within.start..end;
        }
        let first_line = written.find('\n').unwrap_or(written.len());
        content.start..content.start + first_line.min(content.len())
    }

    // ---- the result ----

    fn finish(mut self, word_count: usize) -> Rendered {
        // pulldown-cmark balances its events, so these are only a safety net.
        self.finish_code();
        self.finish_image();
        self.finish_heading();
        let summary = self.summary.html(&self.out);
        self.finish_footnotes();
        let mut html = String::with_capacity(self.out.len() * 16);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        let trusted = &self.trusted;
        let (mut html, summary) = match self.raw_html && !self.trust_raw_html {
            true => (
                sanitize::sanitize(&html, trusted),
                sanitize::sanitize(&summary, trusted),
            ),
            false => (
                sanitize::restore_trusted(html, trusted),
                sanitize::restore_trusted(summary, trusted),
            ),
        };
        self.warnings.extend(
            self.calls
                .take()
                .map(PageCalls::finish)
                .into_iter()
                .flatten(),
        );
        // Kept for the whole build, once per page: growth slack would add up to as much
        // again as the pages themselves.
        html.shrink_to_fit();
        let title = self
            .headings
            .iter()
            .find(|h| h.level == 1)
            .map(|h| h.text.clone());
        Rendered {
            html: html.into(),
            summary,
            title,
            toc: toc::build(&self.headings).into(),
            word_count,
            headings: self.headings,
            links: self.links,
            external: self.external,
            anchors: self.anchors,
            warnings: self.warnings,
            mermaid: self.mermaid,
        }
    }

    /// Appends the footnote list (mdBook's conventions only).
    fn finish_footnotes(&mut self) {
        let footnotes = std::mem::take(&mut self.footnotes);
        let mut found = Vec::new();
        let list = footnotes.finish(&mut self.anchors, &mut found);
        self.out.extend(list);
        for (range, message) in found {
            self.warn(range, message);
        }
    }
}

/// The raw HTML elements whose `src` or `href` folio resolves.
const LINKING_ELEMENTS: [&str; 6] = ["a", "img", "video", "audio", "source", "iframe"];

/// Where `span`, a range in `html` (the text of the event at `range`), is in the body.
/// pulldown-cmark gives each line of an HTML block its own range, even in a block quote
/// or a list, so the event's text is the body's there; where it is not (a NUL replaced
/// before parsing), the event's start stands in.
fn locate(body: &str, range: &Range<usize>, html: &str, span: Range<usize>) -> Range<usize> {
    match body.get(range.clone()) == Some(html) {
        true => range.start + span.start..range.start + span.end,
        false => range.start..range.start,
    }
}

/// The values of the `id` attributes in a piece of raw HTML.
fn raw_html_ids(html: &str) -> impl Iterator<Item = String> + '_ {
    html.match_indices("id=")
        .filter(|(at, _)| html[..*at].ends_with(|c: char| c.is_ascii_whitespace()))
        .filter_map(|(at, _)| {
            let rest = &html[at + 3..];
            let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            let value = &rest[1..];
            Some(value[..value.find(quote)?].to_string())
        })
}
