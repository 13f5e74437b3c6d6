//! Link resolution: every internal link and anchor of every page is checked against the
//! frozen page index before any HTML is written, the placeholders the Markdown stage
//! left are replaced by real URLs, and backlinks are collected on the way.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::names::Names;
use super::urls::{decode, join_relative, relative_link};
use super::{PageId, Site, Target};
use crate::config::Severity;
use crate::content::Source;
use crate::diag::{Diagnostic, Diagnostics, Kind, did_you_mean};
use crate::markdown::{ExternalLink, LinkKind, Rendered, substitute_links};

/// Site paths that folio writes itself, so links to them are not broken.
const GENERATED_FILES: [&str; 4] = ["/sitemap.xml", "/robots.txt", "/atom.xml", "/404.html"];

struct Resolution {
    body: Arc<str>,
    urls: Vec<String>,
    external: Vec<ExternalLink>,
    summary: String,
    targets: Vec<PageId>,
    diagnostics: Vec<Diagnostic>,
}

/// A link that leads nowhere: what is wrong and, when close, what was meant.
struct Broken {
    kind: Kind,
    /// Where the link goes all the same, when only its anchor is missing: the page
    /// part is rewritten either way, so a warning never leaves a link to a `.md` file.
    url: Option<String>,
    message: String,
    help: Option<String>,
}

impl Broken {
    /// The broken link, going to `url` all the same.
    fn going_to(self, url: &str) -> Self {
        Self {
            url: Some(url.to_string()),
            ..self
        }
    }
}

/// How an author wrote a link to a content path, so that a suggestion is written the
/// same way and works when pasted in.
#[derive(Clone, Copy)]
enum Written<'a> {
    /// `@/guide/x.md`: from the content folder.
    FromRoot,
    /// `x.md` or `../other/x.md`: from the folder of the linking file.
    FromFolder(&'a str),
}

impl Written<'_> {
    /// `content_path` as this kind of link.
    fn link(self, content_path: &str) -> String {
        match self {
            Written::FromRoot => format!("@/{content_path}"),
            Written::FromFolder(folder) => relative_link(folder, content_path),
        }
    }
}

/// Resolves every page's links, replacing placeholders in its HTML. Returns the
/// (source, target) pairs of links an author wrote, for backlinks. `drafts` are the
/// content paths of the drafts this build leaves out, so a link to one can say so.
pub(super) fn resolve(
    site: &mut Site,
    names: &Names,
    sources: &[Source],
    drafts: &[String],
    rendered: Vec<Arc<Rendered>>,
    diagnostics: &mut Diagnostics,
) -> Vec<(PageId, PageId)> {
    let by_url = url_index(site);
    let resolver = Resolver {
        site,
        names,
        by_url,
        drafts: drafts.iter().map(String::as_str).collect(),
    };
    // Each page's Markdown HTML is dropped as soon as its links are substituted, so the
    // site never holds two copies of every page.
    let results: Vec<Resolution> = rendered
        .into_par_iter()
        .enumerate()
        .map(|(id, rendered)| resolver.page(id, &sources[id], rendered))
        .collect();
    let mut edges = Vec::new();
    for (id, resolution) in results.into_iter().enumerate() {
        site.pages[id].body = resolution.body;
        site.pages[id].link_urls = resolution.urls;
        site.pages[id].external_links = resolution.external;
        site.pages[id].summary = resolution.summary;
        diagnostics.extend(resolution.diagnostics);
        edges.extend(resolution.targets.into_iter().map(|target| (id, target)));
    }
    edges
}

/// Every site path a link may name directly, decoded, to the thing it serves.
fn url_index(site: &Site) -> HashMap<String, Target> {
    let mut index = HashMap::new();
    for (id, section) in site.sections.iter().enumerate() {
        index.insert(
            decode(&section.url),
            section.page.map_or(Target::Section(id), Target::Page),
        );
    }
    for (id, page) in site.pages.iter().enumerate() {
        index.insert(decode(&page.url), Target::Page(id));
    }
    for id in 0..site.assets.len() {
        index.insert(decode(&site.asset_url(id)), Target::Asset(id));
    }
    for (segments, page) in &site.aliases {
        index.insert(decode(&super::urls::path_of(segments)), Target::Page(*page));
    }
    index
}

struct Resolver<'a> {
    site: &'a Site,
    names: &'a Names,
    by_url: HashMap<String, Target>,
    drafts: HashSet<&'a str>,
}

impl Resolver<'_> {
    fn page(&self, id: PageId, source: &Source, rendered: Arc<Rendered>) -> Resolution {
        let mut urls = Vec::with_capacity(rendered.links.len());
        let mut targets = Vec::new();
        let mut diagnostics = Vec::new();
        for link in &rendered.links {
            let resolved = match link.kind {
                LinkKind::Wiki => self.wiki(id, &link.dest),
                _ => self.link(id, source, &link.dest),
            };
            match resolved {
                Ok((url, target)) => {
                    urls.push(url);
                    // Terms are linked by folio, not by the author: no backlink.
                    if link.kind != LinkKind::Term {
                        targets.extend(target.filter(|t| *t != id));
                    }
                }
                Err(broken) => {
                    urls.push(broken.url.clone().unwrap_or_else(|| link.dest.clone()));
                    let range = source.original_range(link.range.clone());
                    diagnostics.push(self.broken_diagnostic(broken, source, range));
                }
            }
        }
        let resolve = |i: usize| Cow::Borrowed(urls.get(i).map_or("", String::as_str));
        // Placed in the file now, while its source is at hand: `check --external`
        // reports a failure there.
        let external = (rendered.external.iter())
            .map(|link| ExternalLink {
                kind: link.kind,
                url: link.url.clone(),
                range: source.original_range(link.range.clone()),
            })
            .collect();
        Resolution {
            summary: substitute_links(&rendered.summary, resolve),
            body: Arc::clone(&rendered.html),
            urls,
            external,
            targets,
            diagnostics,
        }
    }

    fn broken_diagnostic(
        &self,
        broken: Broken,
        source: &Source,
        range: std::ops::Range<usize>,
    ) -> Diagnostic {
        let diagnostic = match self.site.config.build.broken_links {
            Severity::Error => Diagnostic::error(broken.kind, broken.message),
            Severity::Warn => Diagnostic::warning(broken.kind, broken.message),
        };
        let diagnostic = diagnostic.at(&source.file, &source.text, range);
        match broken.help {
            Some(help) => diagnostic.help(help),
            None => diagnostic,
        }
    }

    /// `[[Name]]` or `[[Name#anchor]]`: the page going by that name.
    fn wiki(&self, from: PageId, dest: &str) -> Result<(String, Option<PageId>), Broken> {
        let (name, fragment) = dest
            .split_once('#')
            .map_or((dest, None), |(n, f)| (n, Some(f)));
        let page = self
            .names
            .find(self.site, name, &[])
            .map_err(|problem| Broken {
                url: None,
                kind: Kind::BrokenLink,
                message: format!("broken wiki link `[[{dest}]]`: {problem}"),
                help: self
                    .names
                    .suggest(name)
                    .map(|close| format!("did you mean `[[{close}]]`?")),
            })?;
        let url = self.href(from, &self.site.pages[page].url);
        match fragment {
            None => Ok((url, Some(page))),
            Some(fragment) => {
                let url = format!("{url}#{fragment}");
                self.check_anchor(Target::Page(page), fragment, dest)
                    .map_err(|broken| broken.going_to(&url))?;
                Ok((url, Some(page)))
            }
        }
    }

    /// The URL a link's destination leads to, and the page it names, if any.
    fn link(
        &self,
        from: PageId,
        source: &Source,
        dest: &str,
    ) -> Result<(String, Option<PageId>), Broken> {
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (dest, None),
        };
        let target = if path.is_empty() {
            Target::Page(from)
        } else if let Some(content_path) = path.strip_prefix("@/") {
            self.by_content_path(&decode(content_path), Written::FromRoot, dest)?
        } else if path.starts_with('/') {
            if GENERATED_FILES.contains(&path) {
                return Ok((self.href(from, path), None));
            }
            self.by_site_path(path, dest)?
        } else {
            let Some(joined) = join_relative(source.folder(), &decode(path)) else {
                // A book's link above its root leads to a sibling book published beside
                // it (`../std/index.html`): mdBook leaves it as written, and so does folio.
                if self.site.book.is_some() {
                    return Ok((dest.to_string(), None));
                }
                return Err(Broken {
                    url: None,
                    kind: Kind::BrokenLink,
                    message: format!("link `{dest}` leads outside the content folder"),
                    help: None,
                });
            };
            self.by_content_path(&joined, Written::FromFolder(source.folder()), dest)
                .or_else(|broken| self.by_output_path(&joined).ok_or(broken))?
        };
        let url = self.target_url(target);
        let page = match target {
            Target::Page(page) => Some(page),
            _ => None,
        };
        // A book's link within its page stays `#id`, as mdBook leaves it.
        let href = match (&self.site.book, path.is_empty()) {
            (Some(_), true) => String::new(),
            _ => self.href(from, &url),
        };
        match fragment {
            None => Ok((href, page)),
            Some(fragment) => {
                let url = format!("{href}#{fragment}");
                self.check_anchor(target, fragment, dest)
                    .map_err(|broken| broken.going_to(&url))?;
                Ok((url, page))
            }
        }
    }

    fn by_content_path(
        &self,
        content_path: &str,
        written: Written,
        dest: &str,
    ) -> Result<Target, Broken> {
        let trimmed = content_path.trim_end_matches('/');
        if let Some(target) = self.site.lookup(trimmed) {
            return Ok(target);
        }
        if self.drafts.contains(trimmed) {
            return Err(Broken {
                url: None,
                kind: Kind::DraftLink,
                message: format!(
                    "broken link `{dest}`: `{trimmed}` is a draft, left out of this build"
                ),
                help: Some(
                    "build with `--drafts` to include drafts, or remove `draft: true` from its front matter"
                        .into(),
                ),
            });
        }
        let candidates = self.site.by_content_path.keys().map(String::as_str);
        let fragment = dest.split_once('#').map_or("", |(_, f)| f);
        Err(Broken {
            url: None,
            kind: Kind::BrokenLink,
            message: format!(
                "broken link `{dest}`: no page or file `{trimmed}` in the content folder"
            ),
            help: did_you_mean(trimmed, candidates).map(|close| {
                let hash = if fragment.is_empty() { "" } else { "#" };
                format!("did you mean `{}{hash}{fragment}`?", written.link(close))
            }),
        })
    }

    /// How page `from` links to `site_path`: under the base path on a folio site; in a
    /// book, relative to the page, as mdBook writes links, so its output works wherever
    /// it is served.
    fn href(&self, from: PageId, site_path: &str) -> String {
        match self.site.book {
            Some(_) => super::urls::relative_href(&self.site.pages[from].url, site_path),
            None => self.site.href(site_path),
        }
    }

    /// A relative link written to an output file rather than its source, as mdBook
    /// books often do (`ch01-02-hello.html`).
    fn by_output_path(&self, joined: &str) -> Option<Target> {
        self.by_url.get(&format!("/{joined}")).copied()
    }

    fn by_site_path(&self, path: &str, dest: &str) -> Result<Target, Broken> {
        let decoded = decode(path);
        let with_slash = format!("{}/", decoded.trim_end_matches('/'));
        self.by_url
            .get(&decoded)
            .or_else(|| self.by_url.get(&with_slash))
            .copied()
            .ok_or_else(|| Broken {
                url: None,
                kind: Kind::BrokenLink,
                message: format!("broken link `{dest}`: no page or file has the URL `{path}`"),
                help: did_you_mean(&with_slash, self.by_url.keys().map(String::as_str))
                    .map(|close| format!("did you mean `{close}`?")),
            })
    }

    fn target_url(&self, target: Target) -> String {
        match target {
            Target::Page(id) => self.site.pages[id].url.clone(),
            Target::Section(id) => self.site.sections[id].url.clone(),
            Target::Asset(id) => self.site.asset_url(id),
        }
    }

    fn check_anchor(&self, target: Target, fragment: &str, dest: &str) -> Result<(), Broken> {
        let anchors: &[String] = match target {
            Target::Page(id) => &self.site.pages[id].anchors,
            Target::Section(_) => &[],
            Target::Asset(_) => return Ok(()),
        };
        let wanted = decode(fragment);
        if anchors.contains(&wanted) {
            return Ok(());
        }
        Err(Broken {
            url: None,
            kind: Kind::BrokenAnchor,
            message: format!(
                "broken anchor in `{dest}`: the page has no heading with the id `{wanted}`"
            ),
            help: did_you_mean(&wanted, anchors.iter().map(String::as_str))
                .map(|close| format!("did you mean `#{close}`?")),
        })
    }
}
