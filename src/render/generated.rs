//! The views of the files folio generates for machines rather than readers: the
//! sitemap, the Atom feed, robots.txt and the redirect page of each alias. They are
//! rendered through templates like any page (`sitemap.xml`, `atom.xml`, `robots.txt`,
//! `alias.html`), so a site can replace each one; these views only gather the data.
//!
//! Feed readers and crawlers want absolute URLs; they are absolute when book.toml's
//! `base-url` has a host. With a path-only base URL they are site paths, which readers
//! resolve against the file's own address.

use serde::Serialize;

use crate::content::date::PartialDate;
use std::sync::Arc;

use crate::site::{Page, PageId, Site, Translation, translations};

/// Feed entries beyond this many are left out: readers only show the latest.
const MAX_FEED_ENTRIES: usize = 50;

/// One `<url>` of the sitemap.
#[derive(Serialize)]
pub struct SitemapEntry {
    pub loc: String,
    /// The page's `updated` or `date`, as an ISO date.
    pub lastmod: Option<String>,
    /// The page in every language it is translated into, itself included, when it is
    /// in more than one (`<xhtml:link rel="alternate" hreflang>`).
    pub alternates: Vec<Alternate>,
}

/// A page in one language.
#[derive(Serialize)]
pub struct Alternate {
    pub language: String,
    pub href: String,
}

/// Every language's pages, sections and taxonomy pages, language by language, each in
/// reading order. A page a language's site shows untranslated is listed once, in the
/// default language.
pub fn sitemap(sites: &[Arc<Site>]) -> Vec<SitemapEntry> {
    sites
        .iter()
        .flat_map(|site| language_sitemap(sites, site))
        .collect()
}

fn language_sitemap(sites: &[Arc<Site>], site: &Site) -> Vec<SitemapEntry> {
    let entry = |url: &str, lastmod: Option<String>| SitemapEntry {
        loc: site.base.absolute(url),
        lastmod,
        alternates: Vec::new(),
    };
    let mut entries: Vec<SitemapEntry> = site
        .sections
        .iter()
        .filter(|s| s.page.is_none())
        .map(|section| entry(&section.url, None))
        .collect();
    for id in site.reading_order() {
        let page = &site.pages[id];
        if page.fallback {
            continue;
        }
        let fm = &page.front_matter;
        let date = fm.updated.as_ref().or(fm.date.as_ref());
        let mut entry = entry(&page.url, date.map(PartialDate::iso));
        entry.alternates = alternates(sites, &page.content_path);
        entries.push(entry);
    }
    for taxonomy in &site.taxonomies {
        entries.push(entry(&taxonomy.url, None));
        entries.extend(taxonomy.terms.iter().map(|term| entry(&term.url, None)));
    }
    entries
}

/// The translations of the page at `content_path`, itself included, as absolute
/// links; none when it has no translation.
pub fn alternates(sites: &[Arc<Site>], content_path: &str) -> Vec<Alternate> {
    let translated: Vec<Translation> = translations(sites, content_path)
        .into_iter()
        .filter(|translation| !translation.fallback)
        .collect();
    if translated.len() < 2 {
        return Vec::new();
    }
    (translated.into_iter())
        .map(|translation| {
            let site = &sites[translation.language];
            Alternate {
                language: site.language().code.clone(),
                href: site.base.absolute(&translation.url),
            }
        })
        .collect()
}

/// The Atom feed's data.
#[derive(Serialize)]
pub struct FeedView<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub language: &'a str,
    pub home: String,
    pub self_url: String,
    /// The newest entry's update, RFC 3339.
    pub updated: String,
    pub author: String,
    pub entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
pub struct FeedEntry<'a> {
    pub title: &'a str,
    pub url: String,
    pub published: String,
    pub updated: String,
    /// The front matter's `description`, as text.
    pub description: Option<&'a str>,
    /// The page's summary, as HTML, when it has no description.
    pub summary_html: Option<&'a str>,
}

impl<'a> FeedView<'a> {
    /// The dated pages, newest first; `None` when no page is dated.
    pub fn new(site: &'a Site) -> Option<Self> {
        let mut dated: Vec<(PageId, &PartialDate)> = site
            .reading_order()
            .into_iter()
            .filter(|&id| !site.pages[id].fallback)
            .filter_map(|id| Some((id, site.pages[id].front_matter.date.as_ref()?)))
            .collect();
        // Stable: pages of one date stay in reading order.
        dated.sort_by(|a, b| b.1.cmp(a.1));
        dated.truncate(MAX_FEED_ENTRIES);
        let entries: Vec<FeedEntry> = dated
            .into_iter()
            .map(|(id, date)| FeedEntry::new(site, &site.pages[id], date))
            .collect();
        let updated = entries.iter().map(|e| e.updated.clone()).max()?;
        let book = &site.config.book;
        Some(Self {
            title: &book.title,
            subtitle: &book.description,
            language: &book.language,
            home: site.base.absolute(&site.in_language("/")),
            self_url: site.base.absolute(&site.feed_path()),
            updated,
            author: match book.authors.is_empty() {
                true => book.title.clone(),
                false => book.authors.join(", "),
            },
            entries,
        })
    }
}

impl<'a> FeedEntry<'a> {
    fn new(site: &Site, page: &'a Page, date: &PartialDate) -> Self {
        let fm = &page.front_matter;
        let description = fm.description.as_deref();
        let summary = page.summary.trim();
        Self {
            title: &page.title,
            url: site.base.absolute(&page.url),
            published: date.rfc3339(),
            updated: fm.updated.as_ref().unwrap_or(date).rfc3339(),
            description,
            summary_html: (description.is_none() && !summary.is_empty())
                .then_some(page.summary.as_str()),
        }
    }
}
