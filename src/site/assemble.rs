//! Building the site graph from the content and Markdown stages: sections from folders,
//! pages into sections, URLs, collision checks and reading order.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::book::{self, BookNav};
use super::names::Names;
use super::urls::{collision_key, path_of, path_of_file, slug_problem, title_from_name};
use super::{
    Page, PageId, Section, SectionId, Site, Target, links, relations, taxonomies, timeline,
};
use crate::config::{Config, SiteLanguage};
use crate::content::{Content, Located, Source};
use crate::diag::{Diagnostic, Diagnostics, Kind, display_path};
use crate::markdown::glossary::term_anchor;
use crate::markdown::{Glossary, Rendered};

/// Builds the frozen site of one language, `languages[language]`. It always returns a
/// site, so that every problem of the run can be reported; the diagnostics say whether
/// it may be written.
pub fn assemble(
    config: Config,
    content: Content,
    rendered: Vec<Arc<Rendered>>,
    glossary: Glossary,
    (languages, language): (Arc<[SiteLanguage]>, usize),
) -> (Site, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let base = config.base_url();
    let translated = (!languages[language].is_default).then(|| languages[language].code.clone());
    let mut site = Site {
        config,
        base,
        pages: Vec::with_capacity(content.sources.len()),
        sections: Vec::new(),
        assets: content.assets,
        asset_segments: Vec::new(),
        taxonomies: Vec::new(),
        aliases: Vec::new(),
        timeline: Vec::new(),
        glossary,
        book: None,
        languages,
        language,
        by_content_path: HashMap::new(),
    };
    let folder_ids = add_sections(&mut site, &content.folders);
    let placement = place_sources(
        &content.sources,
        &folder_ids,
        &site.sections,
        &mut diagnostics,
    );
    site.pages = (content.sources.par_iter().zip(&rendered).zip(&placement))
        .map(|((source, rendered), place)| {
            let mut page = new_page(source, rendered, *place);
            page.fallback = source.language != translated;
            page
        })
        .collect();
    link_sections_to_pages(&mut site, &placement);
    match &content.book {
        Some(_) => assign_chapter_urls(&mut site),
        None => assign_urls(&mut site, &mut diagnostics),
    }
    index_content_paths(&mut site);
    match &content.book {
        Some(outline) => {
            keep_reading_order(&mut site, outline);
            site.book = Some(BookNav::new(outline, &site));
        }
        None => order_sections(&mut site),
    }
    collect_aliases(&mut site, &mut diagnostics);
    site.taxonomies = taxonomies::collect(&site);
    check_collisions(&site, &mut diagnostics);
    add_term_anchors(&mut site);
    let names = Names::new(&site);
    let mut edges = relations::resolve(&mut site, &names, &mut diagnostics);
    timeline::collect(&mut site, &names, &mut diagnostics);
    edges.extend(links::resolve(
        &mut site,
        &names,
        &content.sources,
        &content.drafts,
        rendered,
        &mut diagnostics,
    ));
    set_backlinks(&mut site, edges);
    (site, diagnostics)
}

/// Where a source goes: a regular page of a section, or a section's own page.
#[derive(Debug, Clone, Copy)]
enum Place {
    PageOf(SectionId),
    SectionPage(SectionId),
}

fn add_sections(site: &mut Site, folders: &[String]) -> HashMap<String, SectionId> {
    let mut ids = HashMap::new();
    let mut folders: Vec<&String> = folders.iter().collect();
    folders.sort_by_key(|f| {
        (
            f.matches('/').count() + usize::from(!f.is_empty()),
            f.as_str(),
        )
    });
    if folders.first().is_none_or(|f| !f.is_empty()) {
        folders.insert(0, const { &String::new() });
    }
    for folder in folders {
        let parent = parent_folder(folder).and_then(|p| ids.get(p).copied());
        let id = site.sections.len();
        site.sections.push(Section {
            folder: folder.clone(),
            segments: Vec::new(),
            url: String::new(),
            title: String::new(),
            page: None,
            pages: Vec::new(),
            subsections: Vec::new(),
            parent,
        });
        if let Some(parent) = parent {
            site.sections[parent].subsections.push(id);
        }
        ids.insert(folder.clone(), id);
    }
    ids
}

fn parent_folder(folder: &str) -> Option<&str> {
    if folder.is_empty() {
        return None;
    }
    Some(folder.rsplit_once('/').map_or("", |(parent, _)| parent))
}

/// `_index.md` is its folder's page; `x.md` beside a folder `x/` without one is too.
fn place_sources(
    sources: &[Source],
    folder_ids: &HashMap<String, SectionId>,
    sections: &[Section],
    diagnostics: &mut Diagnostics,
) -> Vec<Place> {
    let mut owner: Vec<Option<usize>> = vec![None; sections.len()];
    let mut places = Vec::with_capacity(sources.len());
    for (index, source) in sources.iter().enumerate() {
        let folder = folder_ids
            .get(source.folder())
            .copied()
            .unwrap_or(Site::ROOT);
        places.push(if source.is_section_index() {
            Place::SectionPage(folder)
        } else {
            Place::PageOf(folder)
        });
        if source.is_section_index() {
            owner[folder] = Some(index);
        }
    }
    for (index, source) in sources.iter().enumerate() {
        let Some(twin) = source
            .content_path
            .strip_suffix(".md")
            .and_then(|folder| folder_ids.get(folder))
        else {
            continue;
        };
        if source.is_section_index() {
            continue;
        }
        match owner[*twin] {
            None => {
                owner[*twin] = Some(index);
                places[index] = Place::SectionPage(*twin);
            }
            Some(other) => diagnostics.push(
                Diagnostic::error(
                    Kind::UrlCollision,
                    format!(
                        "both this file and {} are the page of the folder `{}`",
                        display_path(&sources[other].file),
                        sections[*twin].folder
                    ),
                )
                .in_file(&source.file)
                .help("keep one of them"),
            ),
        }
    }
    places
}

fn new_page(source: &Source, rendered: &Rendered, place: Place) -> Page {
    let (section, is_section_page) = match place {
        Place::PageOf(section) => (section, false),
        Place::SectionPage(section) => (section, true),
    };
    let body = source.body();
    let title_in_body = rendered
        .headings
        .first()
        .is_some_and(|h| h.level == 1 && body[..h.range.start.min(body.len())].trim().is_empty());
    let title = source
        .front_matter
        .title
        .clone()
        .or_else(|| rendered.title.clone())
        .unwrap_or_else(|| title_from_name(file_stem(&source.content_path)));
    Page {
        content_path: source.content_path.clone(),
        file: source.file.clone(),
        segments: Vec::new(),
        url: String::new(),
        title,
        title_in_body,
        front_matter: Arc::clone(&source.front_matter),
        body: std::sync::Arc::from(""),
        link_urls: Vec::new(),
        external_links: Vec::new(),
        summary: String::new(),
        toc: Arc::clone(&rendered.toc),
        anchors: (rendered.headings.iter().map(|h| h.id.clone()))
            .chain(rendered.anchors.iter().cloned())
            .collect(),
        word_count: rendered.word_count,
        mermaid: rendered.mermaid,
        fallback: false,
        section,
        is_section_page,
        prev: None,
        next: None,
        backlinks: Vec::new(),
        relations: Vec::new(),
        referenced_by: Vec::new(),
        events: Vec::new(),
        mentioned_in: Vec::new(),
    }
}

fn file_stem(content_path: &str) -> &str {
    let name = content_path.rsplit('/').next().unwrap_or(content_path);
    name.strip_suffix(".md").unwrap_or(name)
}

fn link_sections_to_pages(site: &mut Site, placement: &[Place]) {
    for (id, place) in placement.iter().enumerate() {
        match *place {
            Place::SectionPage(section) => site.sections[section].page = Some(id),
            Place::PageOf(section) => site.sections[section].pages.push(id),
        }
    }
}

/// Sections first, parents before children, then pages under their section's URL.
fn assign_urls(site: &mut Site, diagnostics: &mut Diagnostics) {
    for id in 0..site.sections.len() {
        let section = &site.sections[id];
        let mut segments = section.parent.map_or_else(
            || site.language().prefix(),
            |p| site.sections[p].segments.clone(),
        );
        let name = section
            .folder
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let page_slug = section
            .page
            .and_then(|p| checked_slug(&site.pages[p], diagnostics));
        if section.parent.is_some() {
            segments.push(page_slug.unwrap_or(name.clone()));
        }
        let title = match section.page {
            Some(page) => site.pages[page].title.clone(),
            None if id == Site::ROOT => site.config.book.title.clone(),
            None => title_from_name(&name),
        };
        let section = &mut site.sections[id];
        section.url = path_of(&segments);
        section.segments = segments;
        section.title = title;
    }
    for page in &mut site.pages {
        let section = &site.sections[page.section];
        page.segments = section.segments.clone();
        if !page.is_section_page {
            let slug = checked_slug(page, diagnostics)
                .unwrap_or_else(|| file_stem(&page.content_path).to_string());
            page.segments.push(slug);
        }
        page.url = path_of(&page.segments);
    }
    let by_folder: HashMap<&str, &Section> = site
        .sections
        .iter()
        .map(|s| (s.folder.as_str(), s))
        .collect();
    site.asset_segments = site
        .assets
        .iter()
        .map(|asset| asset_segments(&by_folder, &asset.content_path))
        .collect();
}

/// Where an asset is written: below the nearest folder that is a section (a folder of
/// assets only is none), at the same path from there.
fn asset_segments(by_folder: &HashMap<&str, &Section>, content_path: &str) -> Vec<String> {
    let (folder, name) = content_path.rsplit_once('/').unwrap_or(("", content_path));
    let mut section = folder;
    let mut below = Vec::new();
    let mut segments = loop {
        if let Some(found) = by_folder.get(section) {
            break found.segments.clone();
        }
        match section.rsplit_once('/') {
            Some((parent, last)) => {
                below.push(last);
                section = parent;
            }
            None if !section.is_empty() => {
                below.push(section);
                section = "";
            }
            None => break Vec::new(),
        }
    };
    segments.extend(below.into_iter().rev().map(str::to_string));
    segments.push(name.to_string());
    segments
}

/// The page's slug when it has a usable one; a bad slug is reported.
fn checked_slug(page: &Page, diagnostics: &mut Diagnostics) -> Option<String> {
    let Located { value, position } = page.front_matter.slug.as_ref()?;
    match slug_problem(value) {
        None => Some(value.to_string()),
        Some(problem) => {
            diagnostics.push(
                Diagnostic::error(
                    Kind::InvalidValue,
                    format!("invalid slug `{}`: {problem}", value.escape_debug()),
                )
                .in_file(&page.file)
                .with_position(position.clone())
                .help("use a single URL segment such as `peer-review`"),
            );
            None
        }
    }
}

fn index_content_paths(site: &mut Site) {
    for (id, page) in site.pages.iter().enumerate() {
        site.by_content_path
            .insert(page.content_path.clone(), Target::Page(id));
    }
    for (id, section) in site.sections.iter().enumerate() {
        let target = section.page.map_or(Target::Section(id), Target::Page);
        site.by_content_path
            .entry(section.folder.clone())
            .or_insert(target);
    }
    for (id, asset) in site.assets.iter().enumerate() {
        site.by_content_path
            .insert(asset.content_path.clone(), Target::Asset(id));
    }
}

/// Where mdBook writes each chapter and copies each file: their source paths, `.md`
/// made `.html`.
fn assign_chapter_urls(site: &mut Site) {
    let root = &mut site.sections[Site::ROOT];
    root.url = "/".to_string();
    root.title = site.config.book.title.clone();
    for page in &mut site.pages {
        page.segments = book::chapter_segments(&page.content_path);
        page.url = path_of_file(&page.segments);
    }
    site.asset_segments = site
        .assets
        .iter()
        .map(|asset| asset.content_path.split('/').map(str::to_string).collect())
        .collect();
}

/// A book's pages as the content stage gave them, in SUMMARY.md's order, each page's
/// previous and next its neighbours in that order.
/// A page the outline does not list (the book's 404 page) is left out of it.
fn keep_reading_order(site: &mut Site, outline: &crate::mdbook::summary::Outline) {
    let chapters: std::collections::HashSet<&str> =
        outline.chapters.iter().map(|c| c.path.as_str()).collect();
    let pages = &site.pages;
    site.sections[Site::ROOT]
        .pages
        .retain(|&id| chapters.contains(pages[id].content_path.as_str()));
    let ids: Vec<PageId> = site.sections[Site::ROOT].pages.clone();
    for (i, id) in ids.iter().enumerate() {
        site.pages[*id].prev = i.checked_sub(1).map(|p| ids[p]);
        site.pages[*id].next = ids.get(i + 1).copied();
    }
}

/// Reading order inside each section, and prev/next between its pages.
fn order_sections(site: &mut Site) {
    let pages = &site.pages;
    let page_key = |id: &PageId| {
        let page = &pages[*id];
        let fm = &page.front_matter;
        (
            fm.weight.is_none(),
            fm.weight,
            fm.date.is_none(),
            fm.date.clone(),
            page.title.to_lowercase(),
            page.content_path.clone(),
        )
    };
    let mut orders = Vec::with_capacity(site.sections.len());
    for section in &site.sections {
        let mut ids = section.pages.clone();
        ids.sort_by_cached_key(page_key);
        let mut subsections = section.subsections.clone();
        subsections.sort_by_cached_key(|s| {
            let sub = &site.sections[*s];
            let weight = sub.page.and_then(|p| pages[p].front_matter.weight);
            (
                weight.is_none(),
                weight,
                sub.title.to_lowercase(),
                sub.folder.clone(),
            )
        });
        orders.push((ids, subsections));
    }
    for (section, (ids, subsections)) in site.sections.iter_mut().zip(orders) {
        for (i, id) in ids.iter().enumerate() {
            site.pages[*id].prev = i.checked_sub(1).map(|p| ids[p]);
            site.pages[*id].next = ids.get(i + 1).copied();
        }
        section.pages = ids;
        section.subsections = subsections;
    }
}

/// Each page's aliases, in its language's folder: an old path of a translation is a
/// path of the translated site.
fn collect_aliases(site: &mut Site, diagnostics: &mut Diagnostics) {
    let prefix = site.language().prefix();
    for (id, page) in site.pages.iter().enumerate() {
        for alias in &page.front_matter.aliases {
            let segments: Vec<String> = alias
                .value
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            match segments.iter().find_map(|s| slug_problem(s)) {
                None if !segments.is_empty() => {
                    let segments = prefix.iter().cloned().chain(segments).collect();
                    site.aliases.push((segments, id));
                }
                problem => diagnostics.push(
                    Diagnostic::error(
                        Kind::InvalidValue,
                        format!(
                            "invalid alias `{}`: {}",
                            alias.value.escape_debug(),
                            problem.unwrap_or("it is the site root")
                        ),
                    )
                    .in_file(&page.file)
                    .with_position(alias.position.clone())
                    .help("write an old site path such as `/old/page/`"),
                ),
            }
        }
    }
}

/// Two sources must never be written to one URL, not even one that differs only in
/// case or Unicode normalisation, which some hosts and file systems would merge.
fn check_collisions(site: &Site, diagnostics: &mut Diagnostics) {
    let mut owners: HashMap<String, String> = HashMap::new();
    let mut claim = |url: &str, owner: String, file: Option<&std::path::Path>| match owners
        .get(&collision_key(url))
    {
        Some(first) => {
            let mut diagnostic = Diagnostic::error(
                Kind::UrlCollision,
                format!("{owner} and {first} both map to the URL {url}"),
            )
            .help("rename one of them or give one a different `slug`");
            diagnostic.file = file.map(std::path::Path::to_path_buf);
            diagnostics.push(diagnostic);
        }
        None => {
            owners.insert(collision_key(url), owner);
        }
    };
    for section in site.sections.iter().filter(|s| s.page.is_none()) {
        claim(
            &section.url,
            format!("the folder `{}/`", section.folder),
            None,
        );
    }
    for page in &site.pages {
        claim(&page.url, display_path(&page.file), Some(&page.file));
    }
    for (id, asset) in site.assets.iter().enumerate() {
        claim(
            &format!("{}/", site.asset_url(id)),
            format!("the file content/{}", asset.content_path),
            None,
        );
    }
    for (segments, page) in &site.aliases {
        let page = &site.pages[*page];
        claim(
            &path_of(segments),
            format!("an alias of {}", display_path(&page.file)),
            Some(&page.file),
        );
    }
    for taxonomy in &site.taxonomies {
        claim(
            &taxonomy.url,
            format!("the taxonomy `{}`", taxonomy.name),
            None,
        );
        for term in &taxonomy.terms {
            claim(
                &term.url,
                format!("the {} term `{}`", taxonomy.name, term.name),
                None,
            );
        }
    }
}

/// A glossary entry is linked to `#term-…` on the page that defines it, so that anchor
/// must count as one of the page's own.
fn add_term_anchors(site: &mut Site) {
    for page in &mut site.pages {
        let anchors: Vec<String> = page
            .front_matter
            .glossary
            .iter()
            .map(|e| term_anchor(&e.term))
            .collect();
        page.anchors.extend(anchors);
    }
}

/// Every page that links to or names another, listed on the target in reading order.
fn set_backlinks(site: &mut Site, edges: Vec<(PageId, PageId)>) {
    let mut backlinks: Vec<Vec<PageId>> = vec![Vec::new(); site.pages.len()];
    for (from, to) in edges {
        if from != to {
            backlinks[to].push(from);
        }
    }
    let rank = site.reading_rank();
    for (page, mut sources) in site.pages.iter_mut().zip(backlinks) {
        sources.sort_by_key(|id| rank[*id]);
        sources.dedup();
        page.backlinks = sources;
    }
}
