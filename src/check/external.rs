//! `folio check --external`: every link and image to another site fetched once, and
//! each failure reported where it is written.
//!
//! The Markdown stage already lists every web link of a page (Markdown links and
//! images, autolinks, and the `src`/`href` of raw HTML it keeps) with its span, and
//! the site stage places the span in the page's file; a plain `build` or `check`
//! stops there and never touches the network. This module dedupes those links by URL
//! (the `#fragment` dropped, `//host/…` fetched over HTTPS), leaves out the
//! `[check] external-exclude` prefixes and the answers still fresh in the cache
//! (`cache.rs`), fetches the rest (`fetch.rs`), and turns each verdict into one
//! diagnostic: at the first place the URL is written, the others named in its help,
//! so a URL used on 30 pages is one problem, not 30. Only the files of failing links
//! are read again, to show their lines.
//!
//! Front matter has no typed field that holds a URL (links there are free-form
//! `extra` data that only a template gives a meaning), so its values are not fetched.

mod cache;
mod fetch;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Kind, display_path, position_of};
use crate::progress::{Phase, Progress};
use crate::project::Project;
use crate::site::Site;
pub use fetch::{Limits, USER_AGENT, Verdict};

/// How a run of `folio check --external` treats what earlier runs found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct External {
    /// Trust the cached answers younger than `[check] external-cache`; when false,
    /// every link is fetched (and the cache refreshed).
    pub use_cache: bool,
    pub limits: Limits,
}

impl Default for External {
    fn default() -> Self {
        Self {
            use_cache: true,
            limits: Limits::default(),
        }
    }
}

/// A place a URL is written: the file, relative to the site folder, and the byte range.
#[derive(Debug, Clone)]
struct Use {
    file: PathBuf,
    range: Range<usize>,
}

/// Fetches every external link of `site` and reports the ones that fail.
pub fn check(
    project: &Project,
    site: &Site,
    external: External,
    progress: &dyn Progress,
) -> Diagnostics {
    let settings = &site.config.check;
    let uses = uses_by_url(site, &Exclusions::new(&settings.external_exclude));
    let cache_dir = project.cache_dir.as_deref();
    let mut cache = cache_dir.map_or_else(cache::Cache::default, |dir| {
        cache::Cache::load(dir, settings.external_cache.0)
    });
    let (mut verdicts, to_fetch) = split_cached(&uses, external.use_cache.then_some(&cache));
    progress.started(Phase::External, Some(to_fetch.len()));
    let fetched = fetch::fetch_all(
        &to_fetch,
        settings.external_timeout.0,
        external.limits,
        progress,
    );
    progress.finished();
    for (url, verdict) in to_fetch.iter().zip(fetched) {
        remember(&mut cache, url, &verdict);
        verdicts.insert(url, verdict);
    }
    if let Some(dir) = cache_dir {
        // A cache that cannot be written only costs the next run its requests.
        let _ = cache.save(dir);
    }
    report(&project.root, &uses, &verdicts)
}

/// The verdicts the cache holds, and the URLs it has none for.
fn split_cached<'a>(
    uses: &'a BTreeMap<String, Vec<Use>>,
    cache: Option<&cache::Cache>,
) -> (BTreeMap<&'a str, Verdict>, Vec<String>) {
    let mut verdicts = BTreeMap::new();
    let mut to_fetch = Vec::new();
    for url in uses.keys() {
        match cache.and_then(|cache| cache.get(url)) {
            Some(entry) => {
                let moved = entry.moved_to.clone();
                verdicts.insert(
                    url.as_str(),
                    moved.map_or(Verdict::Works, |to| Verdict::Moved { to }),
                );
            }
            None => to_fetch.push(url.clone()),
        }
    }
    (verdicts, to_fetch)
}

/// Keeps a verdict that needs no action, forgets any other.
fn remember(cache: &mut cache::Cache, url: &str, verdict: &Verdict) {
    match verdict {
        Verdict::Works => cache.insert(url.to_string(), None),
        Verdict::Moved { to } => cache.insert(url.to_string(), Some(to.clone())),
        Verdict::Broken { .. } | Verdict::Unverified { .. } => cache.remove(url),
    }
}

/// Every URL to fetch, with the places it is written, in page order.
fn uses_by_url(site: &Site, excluded: &Exclusions) -> BTreeMap<String, Vec<Use>> {
    let mut uses: BTreeMap<String, Vec<Use>> = BTreeMap::new();
    for page in &site.pages {
        for link in &page.external_links {
            let url = fetched_url(&link.url);
            if excluded.matches(&url) {
                continue;
            }
            uses.entry(url).or_default().push(Use {
                file: page.file.clone(),
                range: link.range.clone(),
            });
        }
    }
    uses
}

/// The URL a link is fetched at: without its fragment, `//host/…` over HTTPS.
fn fetched_url(written: &str) -> String {
    let trimmed = written.trim();
    let without_fragment = trimmed.split_once('#').map_or(trimmed, |(url, _)| url);
    match without_fragment.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => without_fragment.to_string(),
    }
}

/// `[check] external-exclude`: URL prefixes, `*` standing for any characters.
struct Exclusions(Vec<regex::Regex>);

impl Exclusions {
    fn new(patterns: &[String]) -> Self {
        let compiled = patterns.iter().filter_map(|pattern| {
            let parts: Vec<String> = pattern.split('*').map(regex::escape).collect();
            regex::Regex::new(&format!("^{}", parts.join(".*"))).ok()
        });
        Self(compiled.collect())
    }

    fn matches(&self, url: &str) -> bool {
        self.0.iter().any(|pattern| pattern.is_match(url))
    }
}

/// One diagnostic per URL that needs attention.
fn report(
    root: &Path,
    uses: &BTreeMap<String, Vec<Use>>,
    verdicts: &BTreeMap<&str, Verdict>,
) -> Diagnostics {
    let mut files = SourceFiles::new(root);
    let mut diagnostics = Diagnostics::new();
    for (url, verdict) in verdicts {
        let (diagnostic, fix) = match verdict {
            Verdict::Works => continue,
            Verdict::Moved { to } => (
                Diagnostic::warning(
                    Kind::ExternalMoved,
                    format!("`{url}` redirects permanently to `{to}`"),
                ),
                Some(format!("link to `{to}` instead")),
            ),
            Verdict::Broken { reason } => (
                Diagnostic::error(
                    Kind::ExternalBroken,
                    format!("broken external link `{url}`: {reason}"),
                ),
                None,
            ),
            Verdict::Unverified { reason } => (
                Diagnostic::warning(
                    Kind::ExternalUnverified,
                    format!("external link `{url}` could not be verified: {reason}"),
                ),
                Some("it may work for readers; check it by hand or add it to `[check] external-exclude`".into()),
            ),
        };
        diagnostics.push(files.locate(diagnostic, &uses[*url], fix));
    }
    diagnostics
}

/// The page files of failing links, each read once, to locate diagnostics in them.
struct SourceFiles<'a> {
    root: &'a Path,
    texts: HashMap<PathBuf, Option<String>>,
}

impl<'a> SourceFiles<'a> {
    fn new(root: &'a Path) -> Self {
        Self {
            root,
            texts: HashMap::new(),
        }
    }

    /// `diagnostic` at the first of `uses`, its help naming the others after `fix`.
    fn locate(&mut self, diagnostic: Diagnostic, uses: &[Use], fix: Option<String>) -> Diagnostic {
        let Some((first, others)) = uses.split_first() else {
            return diagnostic;
        };
        let diagnostic = self.place(diagnostic, first);
        let elsewhere = (!others.is_empty()).then(|| {
            let places: Vec<String> = others.iter().map(|used| self.location(used)).collect();
            format!("also linked at {}", places.join(", "))
        });
        let help: Vec<String> = fix.into_iter().chain(elsewhere).collect();
        match help.is_empty() {
            true => diagnostic,
            false => diagnostic.help(help.join("; ")),
        }
    }

    fn place(&mut self, diagnostic: Diagnostic, used: &Use) -> Diagnostic {
        match self.text(&used.file) {
            Some(text) => diagnostic.at(&used.file, text, used.range.clone()),
            None => diagnostic.in_file(&used.file),
        }
    }

    /// `file:line:col` of a use.
    fn location(&mut self, used: &Use) -> String {
        let file = display_path(&used.file);
        match self.text(&used.file) {
            Some(text) => {
                let position = position_of(text, used.range.clone());
                format!("{file}:{}:{}", position.line + 1, position.column + 1)
            }
            None => file,
        }
    }

    fn text(&mut self, file: &Path) -> Option<&str> {
        let root = self.root;
        (self.texts.entry(file.to_path_buf()))
            .or_insert_with(|| std::fs::read_to_string(root.join(file)).ok())
            .as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_fetched_without_their_fragment_and_protocol_relative_over_https() {
        assert_eq!(
            fetched_url("https://a.example/x#part"),
            "https://a.example/x"
        );
        assert_eq!(
            fetched_url("//cdn.example/lib.js"),
            "https://cdn.example/lib.js"
        );
        assert_eq!(fetched_url(" http://a.example/ "), "http://a.example/");
    }

    #[test]
    fn exclusions_are_prefixes_with_wildcards() {
        let excluded = Exclusions::new(&[
            "https://private.example/".to_string(),
            "https://*.internal/".to_string(),
        ]);
        assert!(excluded.matches("https://private.example/a"));
        assert!(excluded.matches("https://wiki.internal/page"));
        assert!(!excluded.matches("https://public.example/"));
        assert!(!excluded.matches("http://private.example/"));
        assert!(!Exclusions::new(&["a.b(".to_string()]).matches("ab"));
    }
}
