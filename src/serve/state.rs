//! What the server serves: one successfully built [`Generation`] of the site, and the
//! [`Snapshot`] the builder publishes after every build, good or failed.
//!
//! A generation is immutable once built. The builder makes a whole new one and swaps it
//! in through a `tokio::sync::watch` channel, so a request sees either the old site or
//! the new one, never a mix, and a failed build simply publishes no new generation.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use axum::body::Bytes;

use super::path::{self, RequestPath};
use super::reload;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::plan::{self, File, Source};
use crate::output::search;
use crate::pipeline::Planned;
use crate::render::Renderers;

/// One successful build: the renderer, every file of its plan, and the bytes of the
/// files produced so far.
pub struct Generation {
    /// Counts successful builds from 1; 0 is "no good build yet".
    pub number: u64,
    pub renderer: Renderers,
    pub warnings: Diagnostics,
    /// The files the pages include, relative to the site folder: watched too.
    pub included: Vec<std::path::PathBuf>,
    files: Vec<File>,
    /// Plan path (`areas/iaea/index.html`) to index in `files`.
    by_path: HashMap<String, usize>,
    /// Rendered pages and generated files, produced on first request. A generation
    /// never changes, so neither do they; the next build starts with an empty cache.
    produced: Vec<OnceLock<Result<Bytes, Diagnostic>>>,
    base: Vec<String>,
    /// The `<script>` tag injected into this generation's HTML.
    script: String,
    /// Identifies the server's run, for script tags.
    instance: String,
    /// The search index's files by plan path, made on first use: Pagefind takes
    /// seconds on a large site, and most generations are replaced before anyone
    /// searches them. Empty when the site has no search or indexing failed.
    search: OnceLock<HashMap<String, (Bytes, String)>>,
    /// The last index made by any generation of this server, kept in memory for the
    /// next one to reuse its unchanged pages and files.
    search_kept: Arc<SearchKept>,
}

/// The search index a server keeps from one generation to the next.
pub type SearchKept = std::sync::Mutex<Option<crate::output::search_store::Kept>>;

/// Where a request leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    File(usize),
    /// A file of the search index, by plan path.
    Search(String),
    /// A folder asked for without its trailing slash, or a request outside the base
    /// path that only makes sense as the home page.
    Redirect {
        location: String,
        permanent: bool,
    },
    NotFound,
}

impl Generation {
    /// Indexes the plan of a run of the pipeline.
    pub fn new(
        number: u64,
        instance: &str,
        planned: Planned,
        search_kept: Arc<SearchKept>,
    ) -> Self {
        let Planned {
            renderer,
            files,
            warnings,
            included,
        } = planned;
        let by_path = files
            .iter()
            .enumerate()
            .map(|(index, file)| (file.path.join("/"), index))
            .collect();
        let base = path::base_segments(&renderer.site().base.path);
        let produced = files.iter().map(|_| OnceLock::new()).collect();
        Self {
            number,
            renderer,
            warnings,
            included,
            files,
            by_path,
            produced,
            base,
            script: reload::script_tag(instance, number),
            instance: instance.to_string(),
            search: OnceLock::new(),
            search_kept,
        }
    }

    /// The site's base path, e.g. `/` or `/docs/`.
    pub fn base_path(&self) -> &str {
        &self.renderer.site().base.path
    }

    pub fn page_count(&self) -> usize {
        self.files.iter().filter(|f| f.is_page()).count()
    }

    pub fn file(&self, index: usize) -> &File {
        &self.files[index]
    }

    /// Whether both plans hold the same paths: then the two generations differ only in
    /// the content of their files.
    pub fn same_paths(&self, other: &Generation) -> bool {
        self.by_path.len() == other.by_path.len()
            && self
                .by_path
                .keys()
                .all(|path| other.by_path.contains_key(path))
    }

    /// Finds the plan entry for a decoded request path.
    pub fn resolve(&self, request: &RequestPath, raw: &str, query: Option<&str>) -> Resolved {
        let Some(rest) = request.segments.strip_prefix(self.base.as_slice()) else {
            return if request.segments.is_empty() {
                Resolved::Redirect {
                    location: self.base_path().to_string(),
                    // The base path comes from book.toml and may change while the
                    // server runs: a browser must not remember this redirect.
                    permanent: false,
                }
            } else {
                Resolved::NotFound
            };
        };
        if rest.is_empty() && !request.folder {
            // `/docs` for the base path `/docs/`.
            return Resolved::Redirect {
                location: self.base_path().to_string(),
                permanent: false,
            };
        }
        let mut key = rest.join("/");
        if request.folder {
            if !key.is_empty() {
                key.push('/');
            }
            key.push_str("index.html");
        }
        if let Some(&index) = self.by_path.get(&key) {
            return Resolved::File(index);
        }
        if self.has_search()
            && key
                .strip_prefix(search::FOLDER)
                .is_some_and(|r| r.starts_with('/'))
        {
            return Resolved::Search(key);
        }
        if !request.folder && self.by_path.contains_key(&format!("{key}/index.html")) {
            let mut location = format!("{raw}/");
            if let Some(query) = query {
                location.push('?');
                location.push_str(query);
            }
            return Resolved::Redirect {
                location,
                permanent: true,
            };
        }
        Resolved::NotFound
    }

    /// The site's 404 page, when its plan has one.
    pub fn not_found(&self) -> Option<usize> {
        self.by_path.get("404.html").copied()
    }

    /// The bytes served for a file: what `folio build` writes, with the reload script
    /// in HTML. Pages are rendered once per generation; `failed` hears about a page
    /// that does not render, once.
    pub fn produce(
        &self,
        index: usize,
        failed: impl FnOnce(&Diagnostic),
    ) -> Result<Bytes, Diagnostic> {
        let file = &self.files[index];
        let html = is_html(file);
        match &file.source {
            Source::Render { .. } | Source::Bytes(_) => self.produced[index]
                .get_or_init(|| {
                    let result = self.produce_now(file, html);
                    if let Err(diagnostic) = &result {
                        failed(diagnostic);
                    }
                    result
                })
                .clone(),
            Source::Embedded(bytes) if !html => Ok(Bytes::from_static(bytes)),
            // Copied files are read on each request: they may be large, and a changed
            // file is served as it is now, as the rebuild that follows would.
            Source::Copy { .. } | Source::Embedded(_) => self.produce_now(file, html),
        }
    }

    fn produce_now(&self, file: &File, html: bool) -> Result<Bytes, Diagnostic> {
        let bytes = file.produce(&self.renderer)?;
        Ok(if html {
            Bytes::from(reload::inject(&bytes, &self.script))
        } else {
            Bytes::from(bytes.into_owned())
        })
    }

    pub fn script(&self) -> &str {
        &self.script
    }

    /// This generation's script tag, carrying errors for the script to show.
    pub fn script_with_errors(&self, errors: &str) -> String {
        reload::script_tag_with_errors(&self.instance, self.number, errors)
    }

    fn has_search(&self) -> bool {
        self.renderer.site().config.search.enabled
    }

    /// A file of the search index and its content type, indexing the site first if no
    /// one has yet; `failed` hears about an index that cannot be made. Blocks while
    /// another thread indexes.
    pub fn search_file(
        &self,
        key: &str,
        failed: impl FnOnce(&Diagnostic),
    ) -> Option<(Bytes, String)> {
        self.search_index(failed).get(key).cloned()
    }

    /// Makes the search index now, so that it is ready when first searched.
    pub fn prepare_search(&self, failed: impl FnOnce(&Diagnostic)) {
        if self.has_search() {
            self.search_index(failed);
        }
    }

    fn search_index(&self, failed: impl FnOnce(&Diagnostic)) -> &HashMap<String, (Bytes, String)> {
        self.search.get_or_init(|| {
            let store = search::Store::Memory(&self.search_kept);
            match plan::search_files(&self.renderer, &crate::progress::Silent, store) {
                Ok(search) => (search.files.into_iter())
                    .filter_map(|file| {
                        let content_type = content_type(&file);
                        let Source::Bytes(bytes) = file.source else {
                            return None;
                        };
                        Some((file.path.join("/"), (Bytes::from(bytes), content_type)))
                    })
                    .collect(),
                Err(diagnostic) => {
                    failed(&diagnostic);
                    HashMap::new()
                }
            }
        })
    }
}

/// The content type of a file of the plan, from its name.
pub fn content_type(file: &File) -> String {
    let name = file.path.last().map_or("", String::as_str);
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "svg" | "manifest+json"
        )
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if textual && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

pub fn is_html(file: &File) -> bool {
    file.path
        .last()
        .and_then(|name| name.rsplit_once('.'))
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm"))
}

/// What the builder publishes after each build.
#[derive(Clone)]
pub struct Snapshot {
    /// Identifies this run of the server, so a page served by an earlier run reloads.
    pub instance: Arc<str>,
    /// The last good build; `None` until the first build succeeds.
    pub site: Option<Arc<Generation>>,
    /// The diagnostics of the latest build when it failed, as the terminal shows them.
    pub errors: Option<Arc<str>>,
    /// The first generation of the current run of stylesheet-only changes: a page of
    /// this generation or later can swap its stylesheets instead of reloading.
    pub css_since: u64,
}

impl Snapshot {
    pub fn generation(&self) -> u64 {
        self.site.as_ref().map_or(0, |site| site.number)
    }
}
