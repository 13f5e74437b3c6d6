//! Full-text search: a [Pagefind](https://pagefind.app) index of every page, added to
//! the plan under `/pagefind/` so that `build` writes it and `serve` serves it like any
//! other file. Pagefind splits the index into word chunks and one fragment per page, so
//! a reader's first search downloads a few of them, never the whole index.
//!
//! Pagefind is fed a small document per page made from the site's data (title, section,
//! body HTML already in memory) rather than the themed page: it is quicker to parse,
//! and keeps navigation, sidebars and footers out of the index. The browser side is
//! `theme/search.js`.
//!
//! Every document is hashed into the index's key, so that `build` can reuse the index
//! it kept from the previous build (see [`search_store`]) when, and only when, Pagefind
//! would be given the very same documents.

use std::fmt::Write as _;
use std::path::{Component, Path};

use pagefind::api::{HtmlFile, PagefindIndex, SyntheticFile};
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use xxhash_rust::xxh3::Xxh3;

use super::plan::Source;
use super::search_store;
use super::xml::escape_xml;
use crate::diag::{Diagnostic, Kind};
use crate::progress::{Phase, Progress};
use crate::site::{Page, PageId, Site};

/// The folder of the index below the output folder. Pagefind's script finds the rest of
/// its files beside itself, and the site's base path above it.
pub const FOLDER: &str = "pagefind";

/// Pagefind's ready-made interfaces, which `theme/search.js` replaces. Leaving them out
/// keeps about 450 KB of unused files out of every site.
pub const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// The built-in theme's files for the search box, which a site without search does not
/// get. A site's own files of those names are its business and stay.
pub fn is_builtin_ui(theme_path: &str, source: &Source) -> bool {
    matches!(source, Source::Embedded(_)) && matches!(theme_path, "search.js" | "search.css")
}

/// Documents are made and handed to Pagefind, which parses them in parallel, this many
/// pages at a time, so they are never all held at once.
const BATCH: usize = 256;

/// One file of the index: its path below the output folder, as plan segments.
#[derive(Debug)]
pub struct IndexFile {
    pub path: Vec<String>,
    pub bytes: Vec<u8>,
}

/// The search index of a site.
#[derive(Debug)]
pub struct Index {
    /// Its files, sorted by path.
    pub files: Vec<IndexFile>,
    /// The hash of everything it was made from: every document given to Pagefind, with
    /// its URL, and the versions of folio and Pagefind.
    pub key: u128,
    /// Whether it was the previous build's, found in the store under the same key.
    pub reused: bool,
}

/// Builds the index of every page of every language's site, in reading order, and
/// returns its files sorted by path; or, when `store` holds the index made from the
/// very same documents, returns that one without running Pagefind. Pagefind keeps one
/// index per language, by each document's `<html lang>`; a page a language's site shows
/// untranslated is left to the default language's index. Pagefind names its files by a
/// hash of their content and numbers pages in the order they are added, so the same
/// site always gives the same bytes. Each page added is a step of [`Phase::Indexing`].
pub fn index(
    sites: &[&Site],
    progress: &dyn Progress,
    store: Option<&Path>,
) -> Result<Index, Diagnostic> {
    let orders: Vec<Vec<PageId>> = sites.iter().map(|site| searched_pages(site)).collect();
    let key = key(sites, &orders);
    if let Some(files) = store.and_then(|store| search_store::load(store, key)) {
        return Ok(Index {
            files,
            key,
            reused: true,
        });
    }
    let mut files: Vec<IndexFile> = run(sites, &orders, progress)?
        .into_iter()
        .filter(|file| !UNUSED.iter().any(|name| file.filename.as_os_str() == *name))
        .map(|file| {
            Ok(IndexFile {
                path: segments(&file.filename)?,
                bytes: file.contents,
            })
        })
        .collect::<Result<_, Diagnostic>>()?;
    // Pagefind lists some files from a hash map: sorting keeps the plan itself stable.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Index {
        files,
        key,
        reused: false,
    })
}

/// The pages of `site` in the index, in the order they are added: those it shows
/// untranslated are the default language's.
pub fn searched_pages(site: &Site) -> Vec<PageId> {
    let mut order = site.reading_order();
    order.retain(|&id| site.is_searched(id) && !site.pages[id].fallback);
    order
}

/// The key of the index of the pages `orders` of `sites`: a hash of every document
/// Pagefind is given, with its URL, in order, and of the versions of folio and
/// Pagefind, which decide what Pagefind makes of them. Options are not hashed: folio
/// passes Pagefind none, and everything a page sets (its language too) is in its
/// document.
fn key(sites: &[&Site], orders: &[Vec<PageId>]) -> u128 {
    let pages: Vec<(&Site, PageId)> = (sites.iter().zip(orders))
        .flat_map(|(site, order)| order.iter().map(move |&id| (*site, id)))
        .collect();
    let documents: Vec<u128> = pages
        .par_iter()
        .map(|&(site, id)| {
            let page = &site.pages[id];
            let mut hasher = Xxh3::new();
            hasher.update(page.url.as_bytes());
            hasher.update(&[0]);
            hasher.update(document(site, page).as_bytes());
            hasher.digest128()
        })
        .collect();
    let mut hasher = Xxh3::new();
    for version in [env!("CARGO_PKG_VERSION"), pagefind::api::VERSION] {
        hasher.update(version.as_bytes());
        hasher.update(&[0]);
    }
    for document in documents {
        hasher.update(&document.to_le_bytes());
    }
    hasher.digest128()
}

/// Runs Pagefind, which is async, on a runtime and a thread of its own: that works
/// whether or not the caller is itself inside a runtime, and turns a panic in Pagefind
/// into an error instead of the end of the build.
fn run(
    sites: &[&Site],
    orders: &[Vec<PageId>],
    progress: &dyn Progress,
) -> Result<Vec<SyntheticFile>, Diagnostic> {
    // Pagefind's options read the current folder and unwrap the result; a deleted
    // current folder must be an error here rather than a panic there.
    std::env::current_dir().map_err(|e| {
        failure(format!("the current folder is unreadable ({e})"))
            .help("run folio from an existing folder")
    })?;
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("folio-search".into())
            .spawn_scoped(scope, || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .map_err(|e| failure(format!("cannot start its runtime: {e}")))?;
                runtime.block_on(build(sites, orders, progress))
            })
            .map_err(|e| failure(format!("cannot start a thread: {e}")))?;
        worker
            .join()
            .map_err(|panic| failure(format!("Pagefind failed: {}", panic_message(&*panic))))?
    })
}

async fn build(
    sites: &[&Site],
    orders: &[Vec<PageId>],
    progress: &dyn Progress,
) -> Result<Vec<SyntheticFile>, Diagnostic> {
    let mut index = PagefindIndex::new(Some(PagefindServiceConfig::builder().build()))
        .map_err(|e| failure(format!("{e:#}")))?;
    progress.started(Phase::Indexing, Some(orders.iter().map(Vec::len).sum()));
    for (site, order) in sites.iter().zip(orders) {
        add_pages(&mut index, site, order, progress).await?;
    }
    // The phase lasts until the index is built and compressed, which takes as long as
    // adding the pages: the bar stays full meanwhile rather than vanish.
    let files = index.get_files().await;
    progress.finished();
    files.map_err(|e| failure(format!("{e:#}")))
}

/// Adds the pages `order` of `site` to the index, [`BATCH`] at a time.
async fn add_pages(
    index: &mut PagefindIndex,
    site: &Site,
    order: &[PageId],
    progress: &dyn Progress,
) -> Result<(), Diagnostic> {
    for batch in order.chunks(BATCH) {
        let files: Vec<HtmlFile> = batch
            .par_iter()
            .map(|&id| {
                let page = &site.pages[id];
                // The URL is the site path without the base path: Pagefind's script
                // puts the base path it is served under in front, so the index does not
                // depend on `--base-url`.
                HtmlFile {
                    source_path: None,
                    url: Some(page.url.clone()),
                    content: document(site, page),
                }
            })
            .collect();
        index
            .add_html_files(files)
            .await
            .map_err(|e| failure(format!("{e:#}")))?;
        (0..batch.len()).for_each(|_| progress.advanced());
    }
    Ok(())
}

/// The document Pagefind indexes for a page: its title, as the heading unless the body
/// starts with its own, and its body. Title and section are also given as metadata for
/// the results to show. Everything from the page is escaped: a title is text, never
/// markup.
pub fn document(site: &Site, page: &Page) -> String {
    let title = escape_xml(&page.title);
    let language = escape_xml(&site.config.book.language);
    let body = page.content();
    let mut html = String::with_capacity(body.len() + 3 * title.len() + 256);
    let _ = write!(
        html,
        "<html lang=\"{language}\"><head><title>{title}</title></head><body>\
         <main data-pagefind-body data-pagefind-meta=\"title:{title}\">"
    );
    if let Some(section) = section_title(site, page) {
        // An element of its own: one `data-pagefind-meta` attribute holds one value
        // given this way.
        let _ = write!(
            html,
            "<span data-pagefind-meta=\"section:{}\"></span>",
            escape_xml(section)
        );
    }
    if !page.title_in_body {
        let _ = write!(html, "<h1>{title}</h1>");
    }
    html.push_str(&body);
    html.push_str("</main></body></html>");
    html
}

/// The section a result is shown under: the one the page is in, or for a section's own
/// page the one above it. Pages at the top of the site have none.
fn section_title<'a>(site: &'a Site, page: &Page) -> Option<&'a str> {
    let section = if page.is_section_page {
        site.sections[page.section].parent?
    } else {
        page.section
    };
    (section != Site::ROOT).then(|| site.sections[section].title.as_str())
}

/// Plan segments for a path Pagefind gives relative to its folder.
fn segments(path: &Path) -> Result<Vec<String>, Diagnostic> {
    let mut segments = vec![FOLDER.to_string()];
    for component in path.components() {
        match component {
            Component::Normal(part) => match part.to_str() {
                Some(part) => segments.push(part.to_string()),
                None => return Err(unexpected_path(path)),
            },
            _ => return Err(unexpected_path(path)),
        }
    }
    Ok(segments)
}

fn unexpected_path(path: &Path) -> Diagnostic {
    failure(format!(
        "Pagefind produced a file at an unexpected path: {}",
        path.display()
    ))
}

fn failure(detail: String) -> Diagnostic {
    Diagnostic::error(
        Kind::SearchIndex,
        format!("cannot build the search index: {detail}"),
    )
    .help("turn search off with `[search] enabled = false` in book.toml to build without it")
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("it panicked")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_files_land_below_the_pagefind_folder_and_never_outside() {
        assert_eq!(
            segments(Path::new("fragment/en_1a2b3c4.pf_fragment")).unwrap(),
            ["pagefind", "fragment", "en_1a2b3c4.pf_fragment"]
        );
        assert!(segments(Path::new("../escape.js")).is_err());
        assert!(segments(Path::new("/etc/passwd")).is_err());
    }
}
