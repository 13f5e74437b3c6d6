//! What templates see: typed, borrowed views of the frozen site. Templates get data,
//! never pre-built markup (except a page's rendered content), and build the HTML.

use std::collections::HashSet;

use serde::Serialize;

use crate::content::date::PartialDate;
use crate::content::front_matter::Figure;
use crate::markdown::TocEntry;
use crate::markdown::glossary::term_anchor;
use crate::site::urls::title_from_name;
use crate::site::{PageId, Related, SectionId, Site, Taxonomy, Term};

/// A page or section reached from another page: enough to write a link to it.
#[derive(Serialize)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub url: String,
}

impl<'a> LinkView<'a> {
    pub fn page(site: &'a Site, id: PageId) -> Self {
        let page = &site.pages[id];
        Self {
            title: &page.title,
            url: site.href(&page.url),
        }
    }

    /// The page, at the heading `anchor` when there is one.
    pub fn passage(site: &'a Site, id: PageId, anchor: Option<&str>) -> Self {
        let mut link = Self::page(site, id);
        if let Some(anchor) = anchor {
            link.url = format!("{}#{anchor}", link.url);
        }
        link
    }

    pub fn section(site: &'a Site, id: SectionId) -> Self {
        let section = &site.sections[id];
        Self {
            title: &section.title,
            url: site.href(&section.url),
        }
    }
}

#[derive(Serialize)]
pub struct TermLinkView<'a> {
    pub name: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct PageTaxonomyView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub terms: Vec<TermLinkView<'a>>,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub title_in_body: bool,
    pub description: Option<&'a str>,
    /// The link to this page, under the base path.
    pub url: String,
    /// The absolute URL, when book.toml's base-url has a host; else the same as `url`.
    pub permalink: String,
    /// The file, relative to the site root, for "edit this page" links.
    pub source: String,
    pub content_path: &'a str,
    pub content: String,
    pub summary: &'a str,
    pub toc: &'a [TocEntry],
    pub date: Option<&'a PartialDate>,
    pub updated: Option<&'a PartialDate>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub word_count: usize,
    /// Whether the page has a mermaid diagram: the templates load the script then.
    pub mermaid: bool,
    /// Minutes, at 200 words a minute, at least 1.
    pub reading_time: usize,
    pub taxonomies: Vec<PageTaxonomyView<'a>>,
    /// The pages this page names, the pages that name it and the other pages that link
    /// here: each page once.
    pub related: RelatedBlockView<'a>,
    /// The events this page tells.
    pub events: Vec<EventView<'a>>,
    /// The events this page tells or is named in, in chronological order. An event's
    /// page is left out where it is this page or `related` lists it.
    pub timeline: Vec<EventView<'a>>,
    pub figures: Vec<FigureView<'a>>,
    pub acronym: Option<&'a str>,
    /// Glossary entries this page defines, with their anchors.
    pub glossary: Vec<GlossaryView<'a>>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Whether the page is shown untranslated, in the default language.
    pub fallback: bool,
    /// The code of the language its text is in.
    pub language: &'a str,
}

impl<'a> PageView<'a> {
    pub fn new(site: &'a Site, id: PageId) -> Self {
        let page = &site.pages[id];
        let fm = &page.front_matter;
        let related = RelatedBlockView::new(site, id);
        Self {
            title: &page.title,
            title_in_body: page.title_in_body,
            description: fm.description.as_deref(),
            url: site.href(&page.url),
            permalink: site.base.absolute(&page.url),
            source: crate::diag::display_path(&page.file),
            content_path: &page.content_path,
            content: page.content(),
            summary: &page.summary,
            toc: &page.toc,
            date: fm.date.as_ref(),
            updated: fm.updated.as_ref(),
            weight: fm.weight,
            draft: fm.draft,
            word_count: page.word_count,
            mermaid: page.mermaid,
            reading_time: page.word_count.div_ceil(200).max(1),
            taxonomies: page_taxonomies(site, id),
            events: page
                .events
                .iter()
                .map(|&e| EventView::new(site, e))
                .collect(),
            timeline: page_timeline(page)
                .into_iter()
                .map(|e| EventView::beside(site, e, &related))
                .collect(),
            related,
            figures: fm
                .figures
                .iter()
                .map(|f| FigureView::new(site, f, id))
                .collect(),
            acronym: fm.acronym.as_ref().map(|a| a.value.as_str()),
            glossary: fm
                .glossary
                .iter()
                .map(|e| GlossaryView {
                    term: &e.term,
                    expansion: &e.expansion,
                    id: term_anchor(&e.term),
                    url: format!("{}#{}", site.href(&page.url), term_anchor(&e.term)),
                })
                .collect(),
            extra: &fm.extra,
            fallback: page.fallback,
            language: match page.fallback {
                true => &site.languages[0].code,
                false => &site.language().code,
            },
        }
    }
}

fn page_taxonomies(site: &Site, id: PageId) -> Vec<PageTaxonomyView<'_>> {
    let written = &site.pages[id].front_matter.taxonomies;
    site.taxonomies
        .iter()
        .filter_map(|taxonomy| {
            let names = written.get(&taxonomy.name)?;
            let terms = names
                .iter()
                .filter_map(|name| taxonomy.term(name))
                .map(|term| TermLinkView {
                    name: &term.name,
                    url: site.href(&term.url),
                })
                .collect();
            Some(PageTaxonomyView {
                name: &taxonomy.name,
                title: &taxonomy.title,
                terms,
            })
        })
        .collect()
}

pub fn page_timeline(page: &crate::site::Page) -> Vec<usize> {
    let mut events: Vec<usize> = page
        .events
        .iter()
        .chain(&page.mentioned_in)
        .copied()
        .collect();
    events.sort_unstable();
    events.dedup();
    events
}

/// Pages named by a relation, with the relation's heading from book.toml.
#[derive(Serialize)]
pub struct RelatedView<'a> {
    pub name: &'a str,
    pub title: String,
    pub pages: Vec<LinkView<'a>>,
}

impl<'a> RelatedView<'a> {
    pub fn new(site: &'a Site, related: &'a Related, reverse: bool) -> Self {
        Self {
            name: &related.name,
            title: relation_title(site, &related.name, reverse),
            pages: related
                .pages
                .iter()
                .map(|&p| LinkView::page(site, p))
                .collect(),
        }
    }
}

/// A relation's heading: book.toml's `title`, or its `reverse-title` over the pages that
/// name a page by it; a heading made from the relation's name when book.toml has none.
fn relation_title(site: &Site, name: &str, reverse: bool) -> String {
    let declared = site.config.relations.get(name);
    let title = match (reverse, declared) {
        (false, Some(r)) => r.title.clone(),
        (true, Some(r)) => r.reverse_title.clone(),
        (_, None) => None,
    };
    title.unwrap_or_else(|| match reverse {
        false => title_from_name(name),
        true => format!("Named in {name} by"),
    })
}

/// Everything a page is connected to, each page listed once: the pages it names, by
/// relation; the pages that name it, by relation; then the other pages that link to
/// it. A group left with no page is dropped, so a page with no connection has none.
#[derive(Serialize)]
pub struct RelatedBlockView<'a> {
    pub groups: Vec<RelatedGroupView<'a>>,
    /// The page's relation map as inline SVG, where it earns its place (see
    /// [`earns_a_map`]) and shows whole at the reading width. Filled in only when the
    /// page itself is rendered: a page a template reaches through `get_page` has none.
    pub map: Option<String>,
    /// This page and every page of `groups`, for the sections that must not repeat them.
    #[serde(skip)]
    listed: HashSet<PageId>,
}

/// One heading of a related block and its pages.
#[derive(Serialize)]
pub struct RelatedGroupView<'a> {
    /// The heading's anchor: `related-partners`, `named-in-partners` or `links-here`.
    pub id: String,
    pub title: String,
    pub pages: Vec<LinkView<'a>>,
}

impl<'a> RelatedBlockView<'a> {
    pub fn new(site: &'a Site, id: PageId) -> Self {
        let page = &site.pages[id];
        let mut listed = HashSet::from([id]);
        let mut groups = Vec::new();
        let named = (page.relations.iter().map(|r| (r, false)))
            .chain(page.referenced_by.iter().map(|r| (r, true)));
        for (related, reverse) in named {
            let anchor = if reverse { "named-in" } else { "related" };
            groups.push(RelatedGroupView {
                id: format!("{anchor}-{}", related.name),
                title: relation_title(site, &related.name, reverse),
                pages: unlisted(site, &related.pages, &mut listed),
            });
        }
        groups.retain(|g| !g.pages.is_empty());
        let title = match groups.is_empty() {
            true => "Pages that link here",
            false => "Other pages that link here",
        };
        groups.push(RelatedGroupView {
            id: "links-here".to_string(),
            title: title.to_string(),
            pages: unlisted(site, &page.backlinks, &mut listed),
        });
        groups.retain(|g| !g.pages.is_empty());
        Self {
            groups,
            map: None,
            listed,
        }
    }

    /// Whether the block lists `page`, or is `page`'s own.
    pub fn lists(&self, page: PageId) -> bool {
        self.listed.contains(&page)
    }
}

/// Links to those of `pages` not yet in `listed`, which then holds them too.
fn unlisted<'a>(
    site: &'a Site,
    pages: &[PageId],
    listed: &mut HashSet<PageId>,
) -> Vec<LinkView<'a>> {
    (pages.iter().copied())
        .filter(|&p| listed.insert(p))
        .map(|p| LinkView::page(site, p))
        .collect()
}

/// The most pages a page's relation map draws, itself included. Past this a map of
/// every relation among them is a tangle that no longer fits the reading width (this
/// repository's most related page has 45), and the grouped lists say it better.
const MAX_MAPPED_PAGES: usize = 12;

/// Whether a map of `id`'s neighbourhood shows more than its lists: whether it draws
/// at most `MAX_MAPPED_PAGES` (12) pages and the relations among the pages it names or is
/// named by, itself left out, are more than one star. Relations that all touch one
/// neighbour (a hub related to everything, or a single relation) say only "these pages
/// relate to the hub", which the hub's own block lists; two that share no page, or a
/// triangle, show a structure no list does.
pub fn earns_a_map(site: &Site, id: PageId) -> bool {
    let mut neighbours = super::charts::neighbourhood(site, id);
    if neighbours.len() > MAX_MAPPED_PAGES {
        return false;
    }
    neighbours.remove(&id);
    let pairs: Vec<(PageId, PageId)> = super::charts::relations_among(site, &neighbours)
        .map(|(from, _, to)| (from, to))
        .collect();
    // A hub that touches every relation touches the first one: it is one of its ends.
    let Some(&(a, b)) = pairs.first() else {
        return false;
    };
    let touches_all = |hub: PageId| pairs.iter().all(|&(x, y)| x == hub || y == hub);
    !touches_all(a) && !touches_all(b)
}

/// One event of the timeline.
#[derive(Serialize)]
pub struct EventView<'a> {
    /// Its anchor on a timeline page.
    pub id: &'a str,
    pub date: Option<&'a PartialDate>,
    pub end: Option<&'a PartialDate>,
    pub summary: &'a str,
    /// The page that tells of it; none on a page's own timeline where that is the page
    /// itself or a page its related block lists.
    pub page: Option<LinkView<'a>>,
    pub relations: Vec<RelatedView<'a>>,
}

impl<'a> EventView<'a> {
    pub fn new(site: &'a Site, index: usize) -> Self {
        Self::with_page(site, index, true)
    }

    /// The event on a page's timeline, beside the page's related block.
    pub fn beside(site: &'a Site, index: usize, related: &RelatedBlockView) -> Self {
        Self::with_page(site, index, !related.lists(site.timeline[index].page))
    }

    fn with_page(site: &'a Site, index: usize, show_page: bool) -> Self {
        let event = &site.timeline[index];
        Self {
            id: &event.id,
            date: event.date.as_ref(),
            end: event.end.as_ref(),
            summary: &event.summary,
            page: show_page.then(|| LinkView::passage(site, event.page, event.anchor.as_deref())),
            relations: event
                .relations
                .iter()
                .map(|r| RelatedView::new(site, r, false))
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub struct FigureView<'a> {
    pub label: &'a str,
    pub value: &'a str,
    pub unit: Option<&'a str>,
    pub as_of: Option<&'a PartialDate>,
    /// The page that gives the figure.
    pub page: LinkView<'a>,
}

impl<'a> FigureView<'a> {
    pub fn new(site: &'a Site, figure: &'a Figure, page: PageId) -> Self {
        Self {
            label: &figure.label,
            value: &figure.value,
            unit: figure.unit.as_deref(),
            as_of: figure.as_of.as_ref(),
            page: LinkView::page(site, page),
        }
    }
}

#[derive(Serialize)]
pub struct GlossaryView<'a> {
    pub term: &'a str,
    pub expansion: &'a str,
    /// The anchor of the term's entry on its defining page.
    pub id: String,
    /// Where the term is defined: its page, or the entry's anchor.
    pub url: String,
}

/// A page as listed by a section or taxonomy term.
#[derive(Serialize)]
pub struct PageSummaryView<'a> {
    pub title: &'a str,
    pub url: String,
    pub description: Option<&'a str>,
    pub summary: &'a str,
    pub date: Option<&'a PartialDate>,
    pub weight: Option<i64>,
}

impl<'a> PageSummaryView<'a> {
    pub fn new(site: &'a Site, id: PageId) -> Self {
        let page = &site.pages[id];
        Self {
            title: &page.title,
            url: site.href(&page.url),
            description: page.front_matter.description.as_deref(),
            summary: &page.summary,
            date: page.front_matter.date.as_ref(),
            weight: page.front_matter.weight,
        }
    }
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub description: Option<&'a str>,
    /// The section's own page's content, empty when the folder has no `_index.md`.
    pub content: String,
    /// Whether that content has a mermaid diagram.
    pub mermaid: bool,
    pub pages: Vec<PageSummaryView<'a>>,
    pub subsections: Vec<SubsectionView<'a>>,
}

#[derive(Serialize)]
pub struct SubsectionView<'a> {
    pub title: &'a str,
    pub url: String,
    pub description: Option<&'a str>,
    pub page_count: usize,
}

impl<'a> SectionView<'a> {
    pub fn new(site: &'a Site, id: SectionId) -> Self {
        let section = &site.sections[id];
        let page = section.page.map(|p| &site.pages[p]);
        Self {
            title: &section.title,
            url: site.href(&section.url),
            permalink: site.base.absolute(&section.url),
            description: page.and_then(|p| p.front_matter.description.as_deref()),
            content: page.map(crate::site::Page::content).unwrap_or_default(),
            mermaid: page.is_some_and(|p| p.mermaid),
            pages: section
                .pages
                .iter()
                .map(|&p| PageSummaryView::new(site, p))
                .collect(),
            subsections: section
                .subsections
                .iter()
                .map(|&s| SubsectionView::new(site, s))
                .collect(),
        }
    }
}

impl<'a> SubsectionView<'a> {
    fn new(site: &'a Site, id: SectionId) -> Self {
        let section = &site.sections[id];
        Self {
            title: &section.title,
            url: site.href(&section.url),
            description: section
                .page
                .and_then(|p| site.pages[p].front_matter.description.as_deref()),
            page_count: section.pages.len(),
        }
    }
}

/// Breadcrumbs and neighbours of a page or section.
#[derive(Serialize)]
pub struct NavView<'a> {
    /// From the home page down to the parent of the current page.
    pub breadcrumbs: Vec<LinkView<'a>>,
    pub prev: Option<LinkView<'a>>,
    pub next: Option<LinkView<'a>>,
}

impl<'a> NavView<'a> {
    pub fn for_page(site: &'a Site, id: PageId) -> Self {
        let page = &site.pages[id];
        let mut chain = site.ancestry(page.section);
        if page.is_section_page {
            chain.pop();
        }
        Self {
            breadcrumbs: chain
                .into_iter()
                .map(|s| LinkView::section(site, s))
                .collect(),
            prev: page.prev.map(|p| LinkView::page(site, p)),
            next: page.next.map(|p| LinkView::page(site, p)),
        }
    }

    pub fn for_section(site: &'a Site, id: SectionId) -> Self {
        let mut chain = site.ancestry(id);
        chain.pop();
        Self {
            breadcrumbs: chain
                .into_iter()
                .map(|s| LinkView::section(site, s))
                .collect(),
            prev: None,
            next: None,
        }
    }
}

#[derive(Serialize)]
pub struct TaxonomyView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub url: String,
    pub terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub url: String,
    pub page_count: usize,
}

impl<'a> TaxonomyView<'a> {
    pub fn new(site: &'a Site, taxonomy: &'a Taxonomy) -> Self {
        Self {
            name: &taxonomy.name,
            title: &taxonomy.title,
            url: site.href(&taxonomy.url),
            terms: taxonomy
                .terms
                .iter()
                .map(|t| TermView {
                    name: &t.name,
                    url: site.href(&t.url),
                    page_count: t.pages.len(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub struct TermPagesView<'a> {
    pub name: &'a str,
    pub url: String,
    pub pages: Vec<PageSummaryView<'a>>,
}

impl<'a> TermPagesView<'a> {
    pub fn new(site: &'a Site, term: &'a Term) -> Self {
        Self {
            name: &term.name,
            url: site.href(&term.url),
            pages: term
                .pages
                .iter()
                .map(|&p| PageSummaryView::new(site, p))
                .collect(),
        }
    }
}

/// The site as every template sees it, computed once per build.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The code of the language of this site's pages (`zh`).
    pub language: &'a str,
    /// The code of the default language, that pages not translated are shown in.
    pub default_language: &'a str,
    /// The language's home page: `/` in the default language, `/zh/` in Chinese.
    pub home_url: String,
    pub authors: &'a [String],
    /// The base path, with a trailing `/`: prefix for hand-written links.
    pub base_url: &'a str,
    /// The absolute URL of the home page, when base-url has a host.
    pub url: String,
    pub search: bool,
    /// The URL of the page that holds the whole site (`/print/`, a book's
    /// `/print.html`), when there is one.
    pub print: Option<String>,
    /// Whether the site is an mdBook book: its sidebar is then the book's table of
    /// contents, from `toc.js`.
    pub book: bool,
    /// `ltr` or `rtl`, for `<html dir>`.
    pub direction: &'static str,
    /// Where the sources are (an mdBook book's `git-repository-url`).
    pub repository_url: Option<&'a str>,
    /// Whether the dark palette is the default until the reader picks one.
    pub dark_by_default: bool,
    /// The stylesheets and scripts book.toml adds to every page, as URLs.
    pub additional_css: Vec<String>,
    pub additional_js: Vec<String>,
    /// "Edit this page" links: book.toml's `edit-url`, where `{path}` stands for
    /// `page.source`.
    pub edit_url: Option<&'a str>,
    /// The Atom feed, when there is one: when some page has a `date`.
    pub feed_url: Option<String>,
    /// The top-level sections, for the header navigation.
    pub sections: Vec<LinkView<'a>>,
    pub taxonomies: Vec<LinkView<'a>>,
    pub extra: &'a toml::Table,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let config = &site.config;
        Self {
            title: &config.book.title,
            description: &config.book.description,
            language: &config.book.language,
            default_language: &site.languages[0].code,
            home_url: site.href(&site.in_language("/")),
            authors: &config.book.authors,
            base_url: &site.base.path,
            url: site.base.absolute("/"),
            search: config.search.enabled,
            print: site.print_path().map(|path| site.href(&path)),
            book: site.book.is_some(),
            direction: match site.book.as_ref().is_some_and(|b| b.right_to_left) {
                true => "rtl",
                false => site.language().dir(),
            },
            repository_url: site.book.as_ref().and_then(|b| b.repository_url.as_deref()),
            dark_by_default: site.book.as_ref().is_some_and(|b| b.dark),
            additional_css: hrefs(site, &config.theme.additional_css),
            additional_js: hrefs(site, &config.theme.additional_js),
            edit_url: config.book.edit_url.as_deref(),
            feed_url: site.has_feed().then(|| site.href(&site.feed_path())),
            sections: site
                .root()
                .subsections
                .iter()
                .map(|&s| LinkView::section(site, s))
                .collect(),
            taxonomies: site
                .taxonomies
                .iter()
                .map(|t| LinkView {
                    title: &t.title,
                    url: site.href(&t.url),
                })
                .collect(),
            extra: &config.extra,
        }
    }
}

/// Paths from the site folder as links under the base path.
fn hrefs(site: &Site, paths: &[String]) -> Vec<String> {
    paths
        .iter()
        .map(|path| site.href(&format!("/{}", path.trim_start_matches("./"))))
        .collect()
}

/// The page being shown, in one of the site's languages: for the language switcher and
/// `<link rel="alternate" hreflang>`.
#[derive(Serialize)]
pub struct LanguageLink<'a> {
    pub code: &'a str,
    /// The language's name, as written in it.
    pub name: &'a str,
    pub dir: &'static str,
    pub href: String,
    /// The absolute URL, when base-url has a host.
    pub permalink: String,
    /// Whether this is the language of the page being shown.
    pub current: bool,
    /// Whether that language's site shows the page untranslated.
    pub fallback: bool,
}

impl<'a> LanguageLink<'a> {
    pub fn new(site: &'a Site, url: &str, current: bool, fallback: bool) -> Self {
        let language = site.language();
        Self {
            code: &language.code,
            name: &language.name,
            dir: language.dir(),
            href: site.href(url),
            permalink: site.base.absolute(url),
            current,
            fallback,
        }
    }
}
