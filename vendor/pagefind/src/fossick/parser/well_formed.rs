//! Reads a well-formed document without lol_html, for what the parser reads of it
//! (elements, their attributes and text) is all it needs: every element closed by its
//! own end tag, nothing that HTML tokenizes in a mode of its own. The element and text
//! it meets go to the very methods lol_html's handlers call, in the same order, so the
//! result is the one [`DomParser`](super::DomParser) gives. Anything else (a stray `<`,
//! an end tag that closes another element, `<script>`, `<svg>`, carriage returns, CSS
//! exclusions) is declined, and the document is left to lol_html.

use super::{DomParserData, DomParserResult, ElementView, REMOVE_SELECTORS};
use crate::SearchOptions;

/// Elements lol_html opens and closes at once.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content HTML reads in a mode of its own (raw text, foreign content),
/// and `<title>`'s, which is read here only when it holds no `<`.
const OWN_MODE: &[&str] = &[
    "script", "style", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript",
    "plaintext", "template", "svg", "math",
];

/// A start tag as written: its lowercase name and its attributes, values as written.
struct Tag<'a> {
    name: &'a str,
    attributes: Vec<(&'a str, &'a str)>,
    self_closing: bool,
}

impl ElementView for Tag<'_> {
    fn tag_name(&self) -> String {
        self.name.to_owned()
    }

    fn get_attribute(&self, name: &str) -> Option<String> {
        self.attribute(name).map(str::to_owned)
    }

    fn has_attribute(&self, name: &str) -> bool {
        self.attribute(name).is_some()
    }
}

impl Tag<'_> {
    /// As lol_html finds one: the first of that name, in any case. A name no attribute
    /// can have (empty, or with a space, `/`, `>` or `=`) finds none, as in lol_html,
    /// since every name read here is one of letters, digits and `-_:.`.
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(attribute, _)| attribute.eq_ignore_ascii_case(name))
            .map(|(_, value)| *value)
    }
}

/// The parser's result for `html`, or none when the document is not one this reads.
pub fn parse(html: &str, options: &SearchOptions) -> Option<DomParserResult> {
    if options.root_selector != "html"
        || !options.exclude_selectors.is_empty()
        || html.contains(['\0', '\r'])
    {
        return None;
    }
    let mut reader = Reader {
        rest: html,
        data: DomParserData::default(),
        open: Vec::new(),
        finished_root: false,
    };
    reader.read(options)?;
    Some(reader.data.finish())
}

struct Reader<'a> {
    rest: &'a str,
    data: DomParserData,
    /// The elements open, outermost first, each with its node.
    open: Vec<(&'a str, std::rc::Rc<std::cell::RefCell<super::DomParsingNode>>)>,
    finished_root: bool,
}

impl<'a> Reader<'a> {
    fn read(&mut self, options: &SearchOptions) -> Option<()> {
        loop {
            let text_end = self.rest.find('<').unwrap_or(self.rest.len());
            let text = &self.rest[..text_end];
            self.rest = &self.rest[text_end..];
            self.read_text(text)?;
            if self.rest.is_empty() {
                return self.open.is_empty().then_some(());
            }
            if let Some(after) = self.rest.strip_prefix("<!--") {
                self.rest = skip_comment(after)?;
            } else if let Some(after) = self.rest.strip_prefix("</") {
                self.read_end_tag(after)?;
            } else if self.rest[1..].starts_with(|c: char| c.is_ascii_lowercase()) {
                self.read_start_tag(options)?;
            } else if self.open.is_empty() && !self.finished_root && starts_doctype(self.rest) {
                self.rest = &self.rest[self.rest.find('>')? + 1..];
            } else {
                return None;
            }
        }
    }

    /// Text inside the root goes to the current node; outside it, lol_html reads none,
    /// and only white space is expected.
    fn read_text(&mut self, text: &str) -> Option<()> {
        if self.open.is_empty() {
            return text.trim_ascii().is_empty().then_some(());
        }
        if !text.is_empty() {
            self.data.read_text(text);
        }
        Some(())
    }

    fn read_start_tag(&mut self, options: &SearchOptions) -> Option<()> {
        let (tag, after) = start_tag(&self.rest[1..])?;
        self.rest = after;
        let is_root = tag.name == "html";
        if is_root != self.open.is_empty() || self.finished_root {
            return None;
        }
        if OWN_MODE.contains(&tag.name) {
            return None;
        }
        if tag.name == "title" && self.rest.split_once("</title>")?.0.contains('<') {
            return None;
        }
        // lol_html's handlers, in the order the parser registers them.
        if is_root {
            self.data.read_html_element(&tag);
        }
        let node = self.data.open_element(&tag, options);
        if !is_root && REMOVE_SELECTORS.contains(&tag.name) {
            self.data.exclude_current_node();
        }
        if tag.name == "link" {
            self.data.read_script_or_link(&tag);
        }
        if VOID.contains(&tag.name) {
            self.data.close_void_element(&node, &tag);
        } else if tag.self_closing {
            // HTML ignores the slash; an element left open is not well-formed here.
            return None;
        } else {
            self.open.push((tag.name, node));
        }
        Some(())
    }

    fn read_end_tag(&mut self, after: &'a str) -> Option<()> {
        let name_end = after.find(|c: char| !is_name_char(c))?;
        let (name, rest) = after.split_at(name_end);
        self.rest = rest.trim_start_matches(is_html_space).strip_prefix('>')?;
        let (open_name, node) = self.open.pop()?;
        if open_name != name {
            return None;
        }
        self.data.close_element(&node, name);
        self.finished_root = self.open.is_empty();
        Some(())
    }
}

/// Reads a start tag after its `<`: its name, attributes and the rest of the document.
fn start_tag(input: &str) -> Option<(Tag<'_>, &str)> {
    let name_end = input.find(|c: char| !is_name_char(c))?;
    let (name, mut rest) = input.split_at(name_end);
    let mut attributes = Vec::new();
    loop {
        let trimmed = rest.trim_start_matches(is_html_space);
        if let Some(after) = trimmed.strip_prefix('>') {
            return Some((Tag { name, attributes, self_closing: false }, after));
        }
        if let Some(after) = trimmed.strip_prefix("/>") {
            return Some((Tag { name, attributes, self_closing: true }, after));
        }
        // An attribute must be apart from what comes before it.
        if trimmed.len() == rest.len() {
            return None;
        }
        let (attribute, after) = attribute(trimmed)?;
        attributes.push(attribute);
        rest = after;
    }
}

/// Reads `name`, `name=value`, `name="value"` or `name='value'`.
fn attribute(input: &str) -> Option<((&str, &str), &str)> {
    let name_end = input.find(|c: char| !is_attribute_name_char(c))?;
    if name_end == 0 {
        return None;
    }
    let (name, rest) = input.split_at(name_end);
    let Some(value) = rest.trim_start_matches(is_html_space).strip_prefix('=') else {
        return Some(((name, ""), rest));
    };
    let value = value.trim_start_matches(is_html_space);
    for quote in ['"', '\''] {
        if let Some(quoted) = value.strip_prefix(quote) {
            let end = quoted.find(quote)?;
            return Some(((name, &quoted[..end]), &quoted[end + 1..]));
        }
    }
    let end = value.find(|c: char| is_html_space(c) || c == '>')?;
    let unquoted = &value[..end];
    if unquoted.is_empty() || unquoted.contains(['"', '\'', '<', '=', '`']) {
        return None;
    }
    Some(((name, unquoted), &value[end..]))
}

/// Skips a comment after its `<!--`; none for the odd forms HTML ends early.
fn skip_comment(input: &str) -> Option<&str> {
    if input.starts_with('>') || input.starts_with("->") {
        return None;
    }
    let end = input.find("-->")?;
    if input[..end].contains("--!") {
        return None;
    }
    Some(&input[end + 3..])
}

fn starts_doctype(input: &str) -> bool {
    input
        .get(..9)
        .is_some_and(|start| start.eq_ignore_ascii_case("<!doctype"))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

fn is_attribute_name_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | ':' | '.')
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\t' | '\x0C')
}

#[cfg(test)]
mod tests {
    use super::super::tests::default_options;
    use super::super::DomParser;
    use super::*;

    /// A small, seeded generator (xorshift), so that a failure can be replayed.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    const ELEMENTS: &[&str] = &[
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "span", "a", "em", "strong", "code",
        "pre", "ul", "ol", "li", "section", "article", "main", "nav", "footer", "label", "form",
        "table", "tr", "td", "th", "blockquote", "b", "i", "sup", "small", "figure", "head",
        "title", "custom-element",
    ];
    const VOIDS: &[&str] = &[
        "<br>",
        "<br />",
        "<hr/>",
        "<img src=\"/a.png\" alt=\"An &amp; image\">",
        "<img src='/b.png'>",
        "<input type=text value=\"Typed\">",
        "<wbr>",
        "<link rel=stylesheet href=\"/_pagefind/old.css\">",
        "<link href='/pagefind-ui.css'>",
        "<meta name=x content=\"y\">",
    ];
    const ATTRIBUTES: &[&str] = &[
        " id=\"first\"",
        " id='with spaces\tin it'",
        " id=plain-id",
        " class=\"c d\"",
        " data-pagefind-weight=\"2\"",
        " data-pagefind-weight='0'",
        " data-pagefind-weight=\"0.5\"",
        " data-pagefind-ignore",
        " data-pagefind-ignore=\"all\"",
        " data-pagefind-ignore=index",
        " data-pagefind-ignore=\"odd\"",
        " data-pagefind-meta=\"author:A &amp; B\"",
        " data-pagefind-meta=\"title\"",
        " data-pagefind-meta=\"image[src], caption:x:y\"",
        " data-pagefind-filter=\"tag:a, colour\"",
        " data-pagefind-filter=\"kind\"",
        " data-pagefind-sort=\"weight:3\"",
        " data-pagefind-index-attrs=\"title,alt, data-x\"",
        " title=\"A title.\"",
        " data-x='x'",
        " data-pagefind-title=\"Anchor title\"",
        " data-pagefind-default-meta=\"image:/default.png\"",
        " data-pagefind-body",
        " lang=\"fr\"",
        " hidden",
        " src=\"/s.png\"",
    ];
    const TEXTS: &[&str] = &[
        "word", "café", "naïve", "Übermaß", "&amp;", "&lt;tag&gt;", "a&nbsp;b", "&#8217;", ".",
        "?", "!", "'", "\"", " ", "\n", "\t", "  ", "x_y", "co-op", "3.14", "$5", "(note)",
        "*", "___PAGEFIND_WEIGHT___", "日本語", "e.g.", "", ">",
    ];

    fn element(random: &mut Random, depth: usize, html: &mut String) {
        let name = random.pick(ELEMENTS);
        html.push('<');
        html.push_str(name);
        for _ in 0..random.below(4) {
            html.push_str(random.pick(ATTRIBUTES));
        }
        html.push('>');
        if name == "title" {
            // What HTML reads as text here, this parser leaves alone.
            html.push_str(random.pick(TEXTS).trim_start_matches('<'));
        } else if depth < 4 {
            for _ in 0..random.below(5) {
                match random.below(8) {
                    0..=2 => element(random, depth + 1, html),
                    3 => html.push_str(random.pick(VOIDS)),
                    4 => html.push_str("<!-- a comment -->"),
                    _ => html.push_str(random.pick(TEXTS)),
                }
            }
        }
        html.push_str("</");
        html.push_str(name);
        html.push('>');
    }

    fn document(random: &mut Random) -> String {
        let mut html = String::from("<!DOCTYPE html>\n<html");
        if random.below(3) > 0 {
            html.push_str(" lang=\"EN-gb\"");
        }
        html.push_str("><head><title>Page &amp; title</title></head><body>");
        for _ in 0..random.below(6) {
            element(random, 0, &mut html);
        }
        html.push_str("</body></html>\n");
        html
    }

    fn with_lol_html(html: &str, options: &SearchOptions) -> DomParserResult {
        let mut parser = DomParser::new(options);
        parser.write(html.as_bytes()).unwrap();
        parser.wrap()
    }

    #[test]
    fn reads_generated_documents_as_lol_html_does() {
        let options = default_options();
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        for case in 0..3000 {
            let html = document(&mut random);
            let read = parse(&html, &options);
            assert!(read.is_some(), "case {case} was declined:\n{html}");
            assert_eq!(read.unwrap(), with_lol_html(&html, &options), "case {case}:\n{html}");
        }
    }

    #[test]
    fn reads_a_typical_page_with_anchors_and_metadata() {
        let options = default_options();
        let html = "<html lang=\"en\"><head><title>Guide</title></head><body>\
            <main data-pagefind-body data-pagefind-meta=\"title:Guide &amp; more\">\
            <span data-pagefind-meta=\"section:Docs\"></span><h1>Guide</h1>\
            <h2 id=\"install\">Install</h2><p>Run <code>cargo install</code>.<br />Done</p>\
            <pre><code class=\"language-rust\"><span class=\"k\">fn</span> main() {}</code></pre>\
            <img src=\"/i.png\" alt=\"Shot\"></main><nav>Skip me</nav></body></html>";
        let read = parse(html, &options).expect("a well-formed page");
        assert_eq!(read, with_lol_html(html, &options));
        assert!(read.digest.contains("___PAGEFIND_ANCHOR___h2:0:install"));
        assert_eq!(read.meta.get("section").map(String::as_str), Some("Docs"));
        assert_eq!(read.meta.get("image").map(String::as_str), Some("/i.png"));
        assert!(!read.digest.contains("Skip"));
    }

    #[test]
    fn declines_what_it_does_not_read_as_lol_html_does() {
        let options = default_options();
        let wrap = |body: &str| format!("<html><body>{body}</body></html>");
        for body in [
            "<p>unclosed",
            "<p>a<div>b</p></div>",
            "<div/>",
            "<script>if (a < b) {}</script>",
            "<style>p > a {}</style>",
            "<svg><path/></svg>",
            "<math><mi>x</mi></math>",
            "<textarea><p></textarea>",
            "a < b",
            "<P>upper</P>",
            "<p CLASS=x>upper</p>",
            "<p>line\r\nbreak</p>",
            "<p>nul\0</p>",
            "<!-->",
            "<![CDATA[x]]>",
            "<?xml version=\"1.0\"?>",
            "</br>",
            "<p a=\"b\"c>x</p>",
            "<p a=b\"c>x</p>",
        ] {
            assert!(parse(&wrap(body), &options).is_none(), "read {body:?}");
        }
        for document in [
            "<p>outside</p><html></html>",
            "<html></html>text after",
            "<html><html></html></html>",
            "<html><head><title>a <b> c</title></head></html>",
        ] {
            assert!(parse(document, &options).is_none(), "read {document:?}");
        }
    }
}
