//! The Atom feed (`atom.xml`): the dated pages, newest first.
//!
//! Feed readers want absolute URLs; they are absolute when book.toml's `base-url` has a
//! host. With a path-only base URL the links and ids are site paths, which readers
//! resolve against the feed's own address.

use std::fmt::Write as _;

use super::xml::escape_xml;
use crate::content::date::PartialDate;
use crate::site::{Page, Site};

/// Where the feed is written, as a site path.
pub const PATH: &str = "/atom.xml";

/// Entries beyond this many are left out: readers only show the latest.
const MAX_ENTRIES: usize = 50;

/// Whether the site has a feed: a page is an entry when its front matter has a `date`,
/// and a feed needs one for its own `updated` date.
pub fn has_entries(site: &Site) -> bool {
    site.pages
        .iter()
        .any(|page| page.front_matter.date.is_some())
}

/// The feed, or `None` when no page is dated.
pub fn atom(site: &Site) -> Option<String> {
    let mut pages: Vec<(&Page, &PartialDate)> = site
        .reading_order()
        .into_iter()
        .map(|id| &site.pages[id])
        .filter_map(|page| Some((page, page.front_matter.date.as_ref()?)))
        .collect();
    // Stable: pages of one date stay in reading order.
    pages.sort_by(|a, b| b.1.cmp(a.1));
    pages.truncate(MAX_ENTRIES);
    let updated = |page: &Page, date: &PartialDate| {
        page.front_matter.updated.as_ref().unwrap_or(date).clone()
    };
    let newest = pages.iter().map(|&(p, d)| updated(p, d)).max()?;
    let config = &site.config.book;
    let home = site.base.absolute("/");
    let author = match config.authors.is_empty() {
        true => config.title.clone(),
        false => config.authors.join(", "),
    };
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\" xml:base=\"{home}\">\n  \
         <title>{title}</title>\n",
        lang = escape_xml(&config.language),
        home = escape_xml(&home),
        title = escape_xml(&config.title),
    );
    if !config.description.is_empty() {
        let _ = writeln!(
            xml,
            "  <subtitle>{}</subtitle>",
            escape_xml(&config.description)
        );
    }
    let _ = write!(
        xml,
        "  <link href=\"{home}\"/>\n  <link rel=\"self\" href=\"{feed}\"/>\n  <id>{home}</id>\n  \
         <updated>{updated}</updated>\n  <author><name>{author}</name></author>\n  \
         <generator>folio</generator>\n",
        home = escape_xml(&home),
        feed = escape_xml(&site.base.absolute(PATH)),
        updated = newest.rfc3339(),
        author = escape_xml(&author),
    );
    for (page, date) in pages {
        let url = escape_xml(&site.base.absolute(&page.url)).into_owned();
        let _ = write!(
            xml,
            "  <entry>\n    <title>{title}</title>\n    <link href=\"{url}\"/>\n    \
             <id>{url}</id>\n    <published>{published}</published>\n    \
             <updated>{updated}</updated>\n",
            title = escape_xml(&page.title),
            published = date.rfc3339(),
            updated = updated(page, date).rfc3339(),
        );
        let _ = match &page.front_matter.description {
            Some(text) => writeln!(xml, "    <summary>{}</summary>", escape_xml(text)),
            None if !page.summary.trim().is_empty() => writeln!(
                xml,
                "    <summary type=\"html\">{}</summary>",
                escape_xml(&page.summary)
            ),
            None => Ok(()),
        };
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Some(xml)
}
