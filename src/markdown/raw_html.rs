//! Raw HTML an author wrote, read just far enough to know its start tags and their
//! attributes with their offsets: what the sanitiser will remove (to say so at the
//! line) and which `src` and `href` values are links folio resolves.
//!
//! pulldown-cmark hands raw HTML over a line or a tag at a time, so a comment or a
//! `<script>` can span events: the [`Scanner`] carries that state from one to the next.

use std::ops::Range;

/// One start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StartTag<'t> {
    /// Lowercased.
    pub(crate) name: String,
    /// Offset of the `<` in the event's text.
    pub(crate) at: usize,
    pub(crate) attributes: Vec<Attribute<'t>>,
}

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attribute<'t> {
    /// Lowercased.
    pub(crate) name: String,
    /// Offset of the name in the event's text.
    pub(crate) at: usize,
    /// The value as written, without its quotes.
    pub(crate) value: &'t str,
    /// Where the value is written, quotes included; empty without a value.
    pub(crate) span: Range<usize>,
}

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: [&str; 6] = ["script", "style", "textarea", "title", "xmp", "noembed"];

#[derive(Debug, Default)]
enum State {
    #[default]
    Markup,
    /// Inside `<!-- … -->`.
    Comment,
    /// Inside a raw-text element, until `</name`.
    RawText(&'static str),
}

/// Reads the raw HTML events of one page in order.
#[derive(Debug, Default)]
pub(crate) struct Scanner {
    state: State,
}

impl Scanner {
    /// The start tags in `html`, the next raw HTML event of the page.
    pub(crate) fn tags<'t>(&mut self, html: &'t str) -> Vec<StartTag<'t>> {
        let mut tags = Vec::new();
        let mut at = 0;
        while at < html.len() {
            at = match self.state {
                State::Comment => self.skip_to(html, at, "-->", State::Markup),
                State::RawText(name) => self.skip_to(html, at, &format!("</{name}"), State::Markup),
                State::Markup => match html[at..].find('<') {
                    None => html.len(),
                    Some(lt) => self.markup(html, at + lt, &mut tags),
                },
            };
        }
        tags
    }

    /// Skips past `end` (ASCII case-insensitively), switching to `next` if found.
    fn skip_to(&mut self, html: &str, at: usize, end: &str, next: State) -> usize {
        let rest = html[at..].to_ascii_lowercase();
        match rest.find(end) {
            Some(found) => {
                self.state = next;
                at + found + end.len()
            }
            None => html.len(),
        }
    }

    /// Reads what starts with the `<` at `lt`; returns where to go on.
    fn markup<'t>(&mut self, html: &'t str, lt: usize, tags: &mut Vec<StartTag<'t>>) -> usize {
        let rest = &html[lt + 1..];
        if rest.starts_with("!--") {
            self.state = State::Comment;
            return lt + 4;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return lt + 1;
        }
        let name = name.to_ascii_lowercase();
        let (attributes, end) = attributes(html, lt + 1 + name_len);
        if let Some(raw) = RAW_TEXT.iter().find(|raw| **raw == name) {
            self.state = State::RawText(raw);
        }
        tags.push(StartTag {
            name,
            at: lt,
            attributes,
        });
        end
    }
}

/// The attributes from `at` to the end of the tag, and the offset after the tag.
fn attributes(html: &str, mut at: usize) -> (Vec<Attribute<'_>>, usize) {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] == b'>' {
            return (found, (at + 1).min(html.len()));
        }
        let name_len = html[at..]
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '/' | '>' | '='))
            .unwrap_or(html.len() - at)
            .max(1);
        let name_at = at;
        let name = html[at..at + name_len].to_ascii_lowercase();
        at += name_len;
        let (value, span) = value(html, at);
        at = span.end.max(at);
        found.push(Attribute {
            name,
            at: name_at,
            value,
            span,
        });
    }
}

/// The value of an attribute whose name ends at `at`, and where it is written.
fn value(html: &str, at: usize) -> (&str, Range<usize>) {
    let after_blanks = |from: usize| {
        from + html[from..]
            .find(|c: char| !c.is_ascii_whitespace())
            .unwrap_or(html.len() - from)
    };
    let eq = after_blanks(at);
    if !html[eq..].starts_with('=') {
        return ("", at..at);
    }
    let start = after_blanks(eq + 1);
    let rest = &html[start..];
    match rest.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let len = rest[1..].find(quote).unwrap_or(rest.len() - 1);
            let end = (start + len + 2).min(html.len());
            (&rest[1..1 + len], start..end)
        }
        _ => {
            let len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(rest.len());
            (&rest[..len], start..start + len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(tags: &[StartTag]) -> Vec<String> {
        tags.iter().map(|t| t.name.clone()).collect()
    }

    #[test]
    fn attributes_with_their_values_and_spans() {
        let html = "<p>x <IMG Src=\"a.png\" alt='b c' hidden width=3>";
        let tags = Scanner::default().tags(html);
        assert_eq!(names(&tags), ["p", "img"]);
        let img = &tags[1];
        assert_eq!(img.at, 5);
        let attrs: Vec<_> = img
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.value, &html[a.span.clone()]))
            .collect();
        assert_eq!(
            attrs,
            [
                ("src", "a.png", "\"a.png\""),
                ("alt", "b c", "'b c'"),
                ("hidden", "", ""),
                ("width", "3", "3"),
            ]
        );
        assert_eq!(img.attributes[0].at, 10);
    }

    #[test]
    fn comments_and_scripts_spanning_events_hide_their_tags() {
        let mut scanner = Scanner::default();
        assert_eq!(names(&scanner.tags("<!-- <iframe>")), Vec::<String>::new());
        assert_eq!(names(&scanner.tags("<video> --> <b>")), ["b"]);
        assert_eq!(names(&scanner.tags("<script>if (a<b) {")), ["script"]);
        assert_eq!(names(&scanner.tags("<i></SCRIPT><kbd>")), ["kbd"]);
    }

    #[test]
    fn end_tags_and_unfinished_markup_are_not_start_tags() {
        let tags = Scanner::default().tags("</div> < 3 <a href=\"x");
        assert_eq!(names(&tags), ["a"]);
        assert_eq!(tags[0].attributes[0].value, "x");
    }
}
