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
//! Every document is hashed, so that `build` can reuse what it kept of the previous
//! build's index (see [`search_store`]): all of it when Pagefind would be given the very
//! same documents, otherwise each unchanged page as Pagefind packed it and each index
//! file whose content is unchanged.

use std::fmt::Write as _;
use std::path::{Component, Path};
use std::sync::Mutex;

use pagefind::api::{Gzipped, HtmlFile, PagefindIndex, SyntheticFile};
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use xxhash_rust::xxh3::Xxh3;

use super::plan::Source;
use super::search_store::{self, PagesWriter, Sink, write_index};
use super::xml::escape_xml;
use crate::diag::{Diagnostic, Kind};
use crate::progress::{Phase, Progress};
use crate::site::{Page, PageId, Site};
use crate::staged::Staged;

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
    /// For a gzipped file, the key of what it holds (see [`search_store`]).
    pub gzip_key: Option<pagefind::api::GzipKey>,
}

/// The search index of a site.
#[derive(Debug)]
pub struct Index {
    /// Its files, sorted by path.
    pub files: Vec<IndexFile>,
    /// How much of it was made afresh.
    pub made: Made,
    /// With [`Store::Files`], when the index was made afresh: the store's files,
    /// written beside their places, to be put there once the build has succeeded.
    pub staged: Vec<Staged>,
}

/// How much of an index was made afresh, for a build's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Made {
    /// The pages in the index.
    pub pages: usize,
    /// How many of them Pagefind parsed: it was given the others packed from the store.
    pub parsed: usize,
    /// Whether the index was the previous build's, found in the store under the same
    /// key.
    pub reused: bool,
}

/// What the previous build kept: each page as Pagefind packed it, and each gzipped
/// index file.
struct Previous {
    pages: Option<search_store::StoredPages>,
    gzipped: Option<Gzipped>,
}

/// What Pagefind gives: the index's files, and how many pages it parsed.
type Indexed = (Vec<SyntheticFile>, usize);

/// Where the previous index is kept, for the next one to reuse (see [`search_store`]).
#[derive(Clone, Copy)]
pub enum Store<'a> {
    /// Nowhere: the index is made afresh and not kept.
    Nothing,
    /// In the files at this path (`folio build`): read from there, and written beside
    /// them, for the caller to put in place from [`Index::staged`] once its build has
    /// succeeded.
    Files(&'a Path),
    /// In memory (`folio serve`, from one generation of the site to the next): taken
    /// while the index is made, then replaced by the new one.
    Memory(&'a Mutex<Option<search_store::Kept>>),
}

fn lock<T>(memory: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    memory
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A page to index: its site, its id there, and the hash of its document.
type Searched<'a> = (&'a Site, PageId, u128);

/// Builds the index of every page of every language's site, in reading order, and
/// returns its files sorted by path. With a `store`, it reuses what the previous build
/// kept there (see [`search_store`]): the whole index when Pagefind would be given the
/// very same documents, otherwise every unchanged page as Pagefind packed it and every
/// gzipped file whose content is unchanged. Pagefind keeps one index per language, by
/// each document's `<html lang>`; a page a language's site shows untranslated is left to
/// the default language's index. Pagefind names its files by a hash of their content
/// and numbers pages in the order they are added, so the same site always gives the
/// same bytes. Each page added is a step of [`Phase::Indexing`].
pub fn index(sites: &[&Site], progress: &dyn Progress, store: Store) -> Result<Index, Diagnostic> {
    let searched = searched(sites);
    let key = key(&searched);
    let (stored_index, stored_pages) = match store {
        Store::Nothing => (None, None),
        // The pages are read only if the index cannot be reused whole.
        Store::Files(path) => (search_store::load_index(path), None),
        Store::Memory(memory) => lock(memory)
            .take()
            .map_or((None, None), search_store::Kept::into_stored),
    };
    if stored_index
        .as_ref()
        .is_some_and(|stored| stored.key == key)
    {
        let stored = stored_index.expect("just checked");
        let files = stored.files();
        if let Store::Memory(memory) = store {
            *lock(memory) = search_store::Kept::from_stored(stored, stored_pages).ok();
        }
        return Ok(Index {
            files,
            made: Made {
                pages: searched.len(),
                parsed: 0,
                reused: true,
            },
            staged: Vec::new(),
        });
    }
    let previous = Previous {
        pages: match store {
            Store::Files(path) => search_store::load_pages(path),
            _ => stored_pages,
        },
        gzipped: (stored_index.as_ref()).map(search_store::StoredIndex::gzipped),
    };
    drop(stored_index);
    let mut pages = start_pages(store);
    let (files, parsed) = run(&searched, &previous, &mut pages, progress)?;
    drop(previous);
    let mut files: Vec<IndexFile> = (files.into_iter())
        .filter(|file| !UNUSED.iter().any(|name| file.filename.as_os_str() == *name))
        .map(|file| {
            Ok(IndexFile {
                path: segments(&file.filename)?,
                bytes: file.contents,
                gzip_key: file.gzip_key,
            })
        })
        .collect::<Result<_, Diagnostic>>()?;
    // Pagefind lists some files from a hash map: sorting keeps the plan itself stable.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let staged = keep(store, key, &files, pages);
    Ok(Index {
        files,
        made: Made {
            pages: searched.len(),
            parsed,
            reused: false,
        },
        staged,
    })
}

/// Where the new store's pages are written as Pagefind packs them. None without a
/// store, or when its file cannot be made: a store that cannot be kept only makes the
/// next build slower.
fn start_pages(store: Store) -> Option<PagesWriter> {
    let sink = match store {
        Store::Nothing => return None,
        Store::Files(path) => Sink::pages_file(path).ok()?,
        Store::Memory(_) => Sink::Memory(Vec::new()),
    };
    PagesWriter::start(sink).ok()
}

/// Adds a page to the new store's pages, giving them up if they cannot be written.
fn keep_page(pages: &mut Option<PagesWriter>, document: u128, page: &[u8]) {
    if let Some(writer) = pages
        && writer.push(document, page).is_err()
    {
        *pages = None;
    }
}

/// Keeps the store of the index `key` made of `files`, with its `pages`: in `store`'s
/// memory, or written beside its files and returned, staged, to be put in place once
/// the build has succeeded. A store file that cannot be written is left out.
fn keep(store: Store, key: u128, files: &[IndexFile], pages: Option<PagesWriter>) -> Vec<Staged> {
    let pages = pages.map(PagesWriter::finish);
    match store {
        Store::Nothing => Vec::new(),
        Store::Files(path) => {
            let index = Sink::index_file(path).and_then(|sink| write_index(sink, key, files));
            (std::iter::once(index).chain(pages))
                .filter_map(|sink| sink.and_then(Sink::into_staged).ok().flatten())
                .collect()
        }
        Store::Memory(memory) => {
            let index = write_index(Sink::Memory(Vec::new()), key, files);
            *lock(memory) = match (index, pages) {
                (Ok(index), Some(Ok(pages))) => search_store::Kept::from_sinks(index, pages),
                _ => None,
            };
            Vec::new()
        }
    }
}

/// The pages of `site` in the index, in the order they are added: those it shows
/// untranslated are the default language's.
pub fn searched_pages(site: &Site) -> Vec<PageId> {
    let mut order = site.reading_order();
    order.retain(|&id| site.is_searched(id) && !site.pages[id].fallback);
    order
}

/// Every page to index, in the order it is added, with the hash of its document and
/// URL. The documents are dropped once hashed and made again, a batch at a time, for
/// the pages Pagefind is given: making one is a copy of the page's HTML, while holding
/// them all would take as much memory as the site's text.
fn searched<'a>(sites: &[&'a Site]) -> Vec<Searched<'a>> {
    let pages: Vec<(&Site, PageId)> = (sites.iter())
        .flat_map(|site| searched_pages(site).into_iter().map(move |id| (*site, id)))
        .collect();
    pages
        .into_par_iter()
        .map(|(site, id)| {
            let page = &site.pages[id];
            let mut hasher = Xxh3::new();
            hasher.update(page.url.as_bytes());
            hasher.update(&[0]);
            hasher.update(document(site, page).as_bytes());
            (site, id, hasher.digest128())
        })
        .collect()
}

/// The key of the index of the pages `searched`: a hash of every document Pagefind is
/// given, with its URL, in order, and of the versions of folio and Pagefind, which
/// decide what Pagefind makes of them. Options are not hashed: folio passes Pagefind
/// none, and everything a page sets (its language too) is in its document.
fn key(searched: &[Searched]) -> u128 {
    let mut hasher = Xxh3::new();
    for version in [env!("CARGO_PKG_VERSION"), pagefind::api::VERSION] {
        hasher.update(version.as_bytes());
        hasher.update(&[0]);
    }
    for (_, _, document) in searched {
        hasher.update(&document.to_le_bytes());
    }
    hasher.digest128()
}

/// Runs Pagefind, which is async, on a runtime and a thread of its own: that works
/// whether or not the caller is itself inside a runtime, and turns a panic in Pagefind
/// into an error instead of the end of the build. Returns the index's files and how
/// many pages were parsed; each page, packed, is added to `pages` in order.
fn run(
    searched: &[Searched],
    previous: &Previous,
    pages: &mut Option<PagesWriter>,
    progress: &dyn Progress,
) -> Result<Indexed, Diagnostic> {
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
                runtime.block_on(build(searched, previous, pages, progress))
            })
            .map_err(|e| failure(format!("cannot start a thread: {e}")))?;
        worker
            .join()
            .map_err(|panic| failure(format!("Pagefind failed: {}", panic_message(&*panic))))?
    })
}

async fn build(
    searched: &[Searched<'_>],
    previous: &Previous,
    pages: &mut Option<PagesWriter>,
    progress: &dyn Progress,
) -> Result<Indexed, Diagnostic> {
    let mut index = PagefindIndex::new(Some(PagefindServiceConfig::builder().build()))
        .map_err(|e| failure(format!("{e:#}")))?;
    progress.started(Phase::Indexing, Some(searched.len()));
    let mut parsed = 0;
    for batch in searched.chunks(BATCH) {
        let files = batch
            .par_iter()
            .map(|&(site, id, document_hash)| {
                let page = &site.pages[id];
                // The URL is the site path without the base path: Pagefind's script
                // puts the base path it is served under in front, so the index does not
                // depend on `--base-url`.
                let file = HtmlFile {
                    source_path: None,
                    url: Some(page.url.clone()),
                    content: document(site, page),
                };
                let packed = (previous.pages.as_ref()).and_then(|pages| pages.page(document_hash));
                (file, packed.map(<[u8]>::to_vec))
            })
            .collect();
        let fresh = index
            .add_html_files_reusing(files)
            .await
            .map_err(|e| failure(format!("{e:#}")))?;
        for (&(_, _, document), fresh) in batch.iter().zip(fresh) {
            parsed += usize::from(fresh.is_some());
            let stored = || previous.pages.as_ref()?.page(document);
            if let Some(packed) = fresh.as_deref().or_else(stored) {
                keep_page(pages, document, packed);
            }
        }
        (0..batch.len()).for_each(|_| progress.advanced());
    }
    // The phase lasts until the index is built and compressed, which takes as long as
    // adding the pages: the bar stays full meanwhile rather than vanish.
    let none = Gzipped::default();
    let files = index
        .get_files_reusing(previous.gzipped.as_ref().unwrap_or(&none))
        .await;
    progress.finished();
    let files = files.map_err(|e| failure(format!("{e:#}")))?;
    Ok((files, parsed))
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
