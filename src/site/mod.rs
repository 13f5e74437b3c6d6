//! The site stage: the frozen graph of pages and sections with their URLs, resolved
//! links, backlinks, taxonomies and navigation. Built once per build from the content
//! and Markdown stages; read-only afterwards, so it can be shared between threads.

mod assemble;
pub mod book;
mod links;
mod names;
mod relations;
mod taxonomies;
mod timeline;
pub mod urls;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{BaseUrl, Config, SiteLanguage};
use crate::content::{Asset, FrontMatter};
use crate::markdown::TocEntry;
pub use assemble::assemble;
pub use relations::Related;
pub use taxonomies::{Taxonomy, Term};
pub use timeline::TimelineEvent;

pub type PageId = usize;
pub type SectionId = usize;

#[derive(Debug)]
pub struct Page {
    /// `areas/iaea.md`: the page's identity in `@/` links and `get_page`.
    pub content_path: String,
    /// `content/areas/iaea.md`: for diagnostics and "edit this page".
    pub file: PathBuf,
    /// URL segments below the root, as written (not encoded): the output folder.
    pub segments: Vec<String>,
    /// Site path, percent-encoded: `/areas/iaea/` (without the base path).
    pub url: String,
    pub title: String,
    /// Whether the body starts with its own level-1 heading.
    pub title_in_body: bool,
    pub front_matter: Arc<FrontMatter>,
    /// Body HTML as the Markdown stage wrote it, with link placeholders; `content()`
    /// fills them in. Keeping one copy, not two, halves what a large site holds.
    pub body: std::sync::Arc<str>,
    /// The URL of each link of `body`, by index.
    pub link_urls: Vec<String>,
    /// Links and images to other sites, each with its byte range in `file`, for
    /// `folio check --external`.
    pub external_links: Vec<crate::markdown::ExternalLink>,
    pub summary: String,
    pub toc: Arc<Vec<TocEntry>>,
    pub anchors: Vec<String>,
    pub word_count: usize,
    /// Whether the body has a mermaid diagram, so the page loads the mermaid script.
    pub mermaid: bool,
    /// Whether the page is shown in the default language, having no translation into
    /// the site's.
    pub fallback: bool,
    pub section: SectionId,
    /// Set when this page is a section's own page (`_index.md`).
    pub is_section_page: bool,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
    /// Pages that link here or name this page in a relation, in reading order.
    pub backlinks: Vec<PageId>,
    /// The pages this page names, by relation.
    pub relations: Vec<Related>,
    /// The pages that name this one, by relation, in reading order.
    pub referenced_by: Vec<Related>,
    /// Indexes into `Site::timeline` of the events this page tells.
    pub events: Vec<usize>,
    /// Indexes into `Site::timeline` of other pages' events that name this page.
    pub mentioned_in: Vec<usize>,
}

impl Page {
    /// The body HTML with every link resolved.
    pub fn content(&self) -> String {
        crate::markdown::substitute_links(&self.body, |i| {
            std::borrow::Cow::Borrowed(self.link_urls.get(i).map_or("", String::as_str))
        })
    }
}

#[derive(Debug)]
pub struct Section {
    /// The folder's content path (`` for the root).
    pub folder: String,
    pub segments: Vec<String>,
    pub url: String,
    pub title: String,
    /// The section's own page, from `_index.md` (or `x.md` beside the folder `x/`).
    pub page: Option<PageId>,
    /// Its pages, in reading order: weight, then date, then title.
    pub pages: Vec<PageId>,
    pub subsections: Vec<SectionId>,
    pub parent: Option<SectionId>,
}

/// What a content path or URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Page(PageId),
    Section(SectionId),
    Asset(usize),
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub base: BaseUrl,
    pub pages: Vec<Page>,
    /// Section 0 is the root.
    pub sections: Vec<Section>,
    pub assets: Vec<Asset>,
    /// Where each asset is written: its folder's section URL, then its file name, so an
    /// asset stays beside the pages of its folder whatever their slugs.
    pub asset_segments: Vec<Vec<String>>,
    pub taxonomies: Vec<Taxonomy>,
    /// Redirects from `aliases`: old site path to the page it now lives at.
    pub aliases: Vec<(Vec<String>, PageId)>,
    /// Every dated event, in chronological order.
    pub timeline: Vec<TimelineEvent>,
    /// Every glossary term, with where it is defined.
    pub glossary: crate::markdown::Glossary,
    /// An mdBook book's table of contents: set when the site is one, whose chapters
    /// are then written as `.html` files in SUMMARY.md's order.
    pub book: Option<book::BookNav>,
    /// Every language of the site, the default one first: a site is built once per
    /// language, each under its own folder (none for the default).
    pub languages: Arc<[SiteLanguage]>,
    /// This site's language, by index into `languages`.
    pub language: usize,
    by_content_path: HashMap<String, Target>,
}

impl Site {
    pub const ROOT: SectionId = 0;

    pub fn root(&self) -> &Section {
        &self.sections[Self::ROOT]
    }

    /// A page or section by its content path (`areas/iaea.md`, `areas`, `areas/_index.md`).
    pub fn lookup(&self, content_path: &str) -> Option<Target> {
        let trimmed = content_path.trim_start_matches("@/").trim_matches('/');
        self.by_content_path.get(trimmed).copied()
    }

    /// The link a template or page writes for a site path: under the base path.
    pub fn href(&self, site_path: &str) -> String {
        self.base.join(site_path)
    }

    /// The site path of an asset: `/areas/map.png`.
    pub fn asset_url(&self, asset: usize) -> String {
        urls::path_of_file(&self.asset_segments[asset])
    }

    /// The section's ancestors from the root down, itself included.
    pub fn ancestry(&self, mut section: SectionId) -> Vec<SectionId> {
        let mut chain = vec![section];
        while let Some(parent) = self.sections[section].parent {
            chain.push(parent);
            section = parent;
        }
        chain.reverse();
        chain
    }

    /// Sites larger than this get no one-page print view: at tens of thousands of pages
    /// it would be hundreds of megabytes that no browser prints.
    pub const MAX_PRINTED_PAGES: usize = 500;

    /// Whether the whole site is printed on one page at `/print/`.
    pub fn has_print_page(&self) -> bool {
        self.pages.len() <= Self::MAX_PRINTED_PAGES && self.book.as_ref().is_none_or(|b| b.print)
    }

    /// The language of this site's pages.
    pub fn language(&self) -> &SiteLanguage {
        &self.languages[self.language]
    }

    /// The site path `site_path` of the language's own folder: `/zh/print/` for
    /// `/print/` in Chinese; unchanged in the default language.
    pub fn in_language(&self, site_path: &str) -> String {
        match self.language().is_default {
            true => site_path.to_string(),
            false => format!("/{}{site_path}", self.language().code),
        }
    }

    /// Where the Atom feed is written, as a site path: one feed per language.
    pub fn feed_path(&self) -> String {
        self.in_language("/atom.xml")
    }

    /// Whether the site has an Atom feed: a page is an entry when its front matter has
    /// a `date`, and a feed needs one for its own `updated` date.
    pub fn has_feed(&self) -> bool {
        self.pages
            .iter()
            .any(|page| page.front_matter.date.is_some())
    }

    /// Where the print page is, when the site has one: `/print/`, or `/print.html` in
    /// a book, as mdBook writes it.
    pub fn print_path(&self) -> Option<String> {
        let path = match self.book {
            Some(_) => "/print.html".to_string(),
            None => self.in_language("/print/"),
        };
        self.has_print_page().then_some(path)
    }

    /// Whether the page is in the search index (an mdBook book can leave chapters out).
    pub fn is_searched(&self, page: PageId) -> bool {
        self.book
            .as_ref()
            .is_none_or(|b| !b.unsearched.contains(&page))
    }

    /// Each page's position in reading order, by page id.
    pub fn reading_rank(&self) -> Vec<usize> {
        let mut rank = vec![0; self.pages.len()];
        for (position, id) in self.reading_order().into_iter().enumerate() {
            rank[id] = position;
        }
        rank
    }

    /// Every page in reading order: sections depth-first, each section's own page
    /// before its pages and subsections.
    pub fn reading_order(&self) -> Vec<PageId> {
        let mut order = Vec::with_capacity(self.pages.len());
        let mut stack = vec![Self::ROOT];
        while let Some(id) = stack.pop() {
            let section = &self.sections[id];
            order.extend(section.page);
            order.extend(&section.pages);
            stack.extend(section.subsections.iter().rev());
        }
        order
    }
}

/// A page or section in one language's site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// By index into the site's languages.
    pub language: usize,
    /// Its site path.
    pub url: String,
    /// Whether the language's site shows it untranslated.
    pub fallback: bool,
}

/// The page or section at `content_path` in each language's site that has it, in the
/// order of `sites` (the site's languages).
pub fn translations(sites: &[Arc<Site>], content_path: &str) -> Vec<Translation> {
    (sites.iter().enumerate())
        .filter_map(|(language, site)| {
            let (url, fallback) = match site.lookup(content_path)? {
                Target::Page(id) => (&site.pages[id].url, site.pages[id].fallback),
                Target::Section(id) => (&site.sections[id].url, false),
                Target::Asset(_) => return None,
            };
            Some(Translation {
                language,
                url: url.clone(),
                fallback,
            })
        })
        .collect()
}
