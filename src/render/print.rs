//! The print page: every page in reading order on one HTML page, as mdBook's
//! print.html. Ids must stay unique and links must stay inside the page, so each page's
//! ids get a prefix of its own (`page-areas-iaea--peer-review`) and its links are
//! resolved again: to another page, they lead to that page's anchor (`#page-areas-iaea`).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::views::GlossaryView;
use crate::markdown::glossary::term_anchor;
use crate::markdown::substitute_links;
use crate::site::urls::{absolute_href, decode, relative_href};
use crate::site::{PageId, Site};

/// One page of the print page.
#[derive(Serialize)]
pub struct PrintPageView<'a> {
    pub title: &'a str,
    pub title_in_body: bool,
    /// The page's anchor on the print page: `page-areas-iaea`.
    pub id: String,
    /// The body, its ids prefixed with `id` and `--`, its links to printed pages
    /// turned into anchors on the print page.
    pub content: String,
    /// Glossary entries the page defines, their ids prefixed too (`page-glossary--term-heu`):
    /// the page's terms link to them.
    pub glossary: Vec<GlossaryView<'a>>,
}

/// Every page in reading order, ready for the print template.
pub fn pages(site: &Site) -> Vec<PrintPageView<'_>> {
    let order = site.reading_order();
    let ids = anchor_ids(site, &order);
    let print_page = site.print_path().unwrap_or_else(|| "/".into());
    let by_url: HashMap<String, PageId> = order
        .iter()
        .flat_map(|&id| {
            let url = &site.pages[id].url;
            [(site.href(url), id), (url.clone(), id)]
        })
        .collect();
    let resolve = |url: &str| -> Option<String> {
        let (path, fragment) = url
            .split_once('#')
            .map_or((url, None), |(p, f)| (p, Some(f)));
        let target = *by_url.get(path)?;
        let anchor = &ids[&target];
        Some(match fragment.map(decode) {
            Some(fragment) if site.pages[target].anchors.contains(&fragment) => {
                format!("#{anchor}--{fragment}")
            }
            // An anchor that only the page's template writes (a timeline event, say):
            // the page itself is the nearest place on the print page.
            _ => format!("#{anchor}"),
        })
    };
    order
        .iter()
        .map(|&id| {
            let page = &site.pages[id];
            let anchor = ids[&id].clone();
            let body = prefix_ids(&page.body, &format!("{anchor}--"));
            let content = substitute_links(&body, |i| {
                let url = page.link_urls.get(i).map_or("", String::as_str);
                // A book's links are relative to their page: made absolute first, and
                // relative to the print page again when they lead off it.
                let absolute = site
                    .book
                    .as_ref()
                    .and_then(|_| absolute_href(&page.url, url));
                match (resolve(absolute.as_deref().unwrap_or(url)), absolute) {
                    (Some(anchor), _) => Cow::Owned(anchor),
                    (None, Some(absolute)) => Cow::Owned(relative_href(&print_page, &absolute)),
                    (None, None) => Cow::Borrowed(url),
                }
            });
            PrintPageView {
                title: &page.title,
                title_in_body: page.title_in_body,
                content,
                glossary: page
                    .front_matter
                    .glossary
                    .iter()
                    .map(|e| {
                        let id = format!("{anchor}--{}", term_anchor(&e.term));
                        GlossaryView {
                            term: &e.term,
                            expansion: &e.expansion,
                            url: format!("#{id}"),
                            id,
                        }
                    })
                    .collect(),
                id: anchor,
            }
        })
        .collect()
}

/// `page-` and the page's URL segments joined by `-` (`page-home` for the home page),
/// numbered when two pages would share one.
fn anchor_ids(site: &Site, order: &[PageId]) -> HashMap<PageId, String> {
    let mut taken = HashSet::new();
    let mut ids = HashMap::with_capacity(order.len());
    for &id in order {
        let segments = &site.pages[id].segments;
        let name = if segments.is_empty() {
            "home".to_string()
        } else {
            segments.join("-").replace(char::is_whitespace, "-")
        };
        let base = format!("page-{name}");
        let mut anchor = base.clone();
        let mut n = 1;
        while !taken.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        ids.insert(id, anchor);
    }
    ids
}

/// Prefixes every `id="…"` and same-page `href="#…"` inside the tags of `html`.
///
/// `html` is what the Markdown stage wrote (pulldown-cmark, or ammonia for pages with
/// raw HTML): attribute values are double-quoted and text never holds a raw `<`, so a
/// scan of tags, skipping quoted values and comments, finds every attribute. Link
/// placeholders do not start with `#` and are left for `substitute_links`.
fn prefix_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let end = tag_end(rest);
        push_tag(&mut out, &rest[..end], prefix);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The length of the tag at the start of `html`, through its `>`.
fn tag_end(html: &str) -> usize {
    let mut quote = None;
    for (i, b) in html.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// Writes one tag, prefixing the values of its `id` and `href="#…"` attributes.
fn push_tag(out: &mut String, tag: &str, prefix: &str) {
    let bytes = tag.as_bytes();
    let mut quote = None;
    let mut copied = 0;
    for i in 0..bytes.len() {
        match (quote, bytes[i]) {
            (None, b'"' | b'\'') => quote = Some(bytes[i]),
            (Some(q), b) if q == b => quote = None,
            (None, b) if b.is_ascii_whitespace() => {
                let attribute = &tag[i + 1..];
                let value = if attribute.starts_with("id=\"") {
                    i + 1 + "id=\"".len()
                } else if attribute.starts_with("href=\"#") && !attribute.starts_with("href=\"#\"")
                {
                    i + 1 + "href=\"#".len()
                } else {
                    continue;
                };
                out.push_str(&tag[copied..value]);
                out.push_str(prefix);
                copied = value;
            }
            _ => {}
        }
    }
    out.push_str(&tag[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_same_page_links_are_prefixed_inside_tags_only() {
        let html = "<h2 id=\"a\">A id=\"x\"<a class=\"anchor\" href=\"#a\">#</a></h2>\
                    <p title='say id=\"no\" href=\"#no\"'><a href=\"\u{0}0\u{0}\">x</a>\
                    <a href=\"#\">y</a><!-- <b id=\"c\"> --></p>";
        assert_eq!(
            prefix_ids(html, "p--"),
            "<h2 id=\"p--a\">A id=\"x\"<a class=\"anchor\" href=\"#p--a\">#</a></h2>\
             <p title='say id=\"no\" href=\"#no\"'><a href=\"\u{0}0\u{0}\">x</a>\
             <a href=\"#\">y</a><!-- <b id=\"c\"> --></p>"
        );
    }

    #[test]
    fn an_unclosed_tag_is_copied_whole() {
        assert_eq!(prefix_ids("a <b id=\"x", "p--"), "a <b id=\"p--x");
    }
}
