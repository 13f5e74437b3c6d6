//! The list of every file a site consists of, and how to produce each one. `build`
//! writes the list to disk; a dev server can answer a request from it without writing
//! anything. Both produce the same bytes from the same entry.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::search;
use super::xml::escape_xml;
use crate::diag::{Diagnostic, Diagnostics};
use crate::embedded;
use crate::render::{Output, Renderer};
use crate::site::Site;

/// How one file's bytes come about.
#[derive(Debug, Clone)]
pub enum Source {
    /// A page rendered through the templates.
    Render(Output),
    /// A file copied from the site folder (an asset or a theme file).
    Copy { from: PathBuf, file: PathBuf },
    /// A file of the built-in theme.
    Embedded(&'static [u8]),
    /// A file folio generates: sitemap, robots.txt, the feed, redirect pages.
    Generated(String),
    /// A binary file folio generates: the search index.
    Bytes(Vec<u8>),
}

/// One file of the site: its path below the output folder, as URL segments (not
/// encoded), the last one being the file name.
#[derive(Debug, Clone)]
pub struct File {
    pub path: Vec<String>,
    pub source: Source,
}

impl File {
    fn new(path: Vec<String>, source: Source) -> Self {
        Self { path, source }
    }

    pub fn is_page(&self) -> bool {
        matches!(self.source, Source::Render(_))
    }

    /// The file's bytes.
    pub fn produce<'a>(&'a self, renderer: &Renderer) -> Result<Cow<'a, [u8]>, Diagnostic> {
        match &self.source {
            Source::Render(output) => renderer
                .render(*output)
                .map(|html| Cow::Owned(html.into_bytes())),
            Source::Copy { from, file } => std::fs::read(from)
                .map(Cow::Owned)
                .map_err(|e| Diagnostic::error(format!("cannot read file: {e}")).in_file(file)),
            Source::Embedded(bytes) => Ok(Cow::Borrowed(bytes)),
            Source::Generated(text) => Ok(Cow::Borrowed(text.as_bytes())),
            Source::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
        }
    }
}

/// Every file of the site but the search index ([`search_files`]), pages first.
pub fn plan(renderer: &Renderer, theme_dir: &Path, diagnostics: &mut Diagnostics) -> Vec<File> {
    let site = renderer.site();
    let mut files: Vec<File> = renderer
        .outputs()
        .into_iter()
        .map(|(mut segments, output)| {
            segments.push("index.html".into());
            File::new(segments, Source::Render(output))
        })
        .collect();
    files.push(File::new(
        vec!["404.html".into()],
        Source::Render(Output::NotFound),
    ));
    // A site's own page at /print/ wins over the generated one.
    if site.has_print_page() && !files.iter().any(|f| f.path == ["print", "index.html"]) {
        files.push(File::new(
            vec!["print".into(), "index.html".into()],
            Source::Render(Output::Print),
        ));
    }
    for (asset, segments) in site.assets.iter().zip(&site.asset_segments) {
        let file = Path::new("content").join(&asset.content_path);
        files.push(File::new(
            segments.clone(),
            Source::Copy {
                from: asset.absolute.clone(),
                file,
            },
        ));
    }
    for (path, source) in theme_files(theme_dir, diagnostics) {
        if !site.config.search.enabled && search::is_builtin_ui(&path, &source) {
            continue;
        }
        let segments = std::iter::once("theme")
            .chain(path.split('/'))
            .map(str::to_string)
            .collect();
        files.push(File::new(segments, source));
    }
    files.push(File::new(
        vec!["sitemap.xml".into()],
        Source::Generated(sitemap(site)),
    ));
    if let Some(feed) = super::feed::atom(site) {
        let name = super::feed::PATH.trim_start_matches('/');
        files.push(File::new(vec![name.into()], Source::Generated(feed)));
    }
    let robots = format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        site.base.absolute("/sitemap.xml")
    );
    files.push(File::new(
        vec!["robots.txt".into()],
        Source::Generated(robots),
    ));
    for (segments, page) in &site.aliases {
        let mut path = segments.clone();
        path.push("index.html".into());
        files.push(File::new(
            path,
            Source::Generated(redirect_page(&site.href(&site.pages[*page].url))),
        ));
    }
    files
}

/// Every path that two files of the plan share, as an error. The site stage keeps
/// pages and sections apart; this catches what reaches one path another way (an
/// asset, a theme file or an alias on a page's path).
pub fn duplicates(files: &[File]) -> Diagnostics {
    let mut seen = std::collections::HashSet::with_capacity(files.len());
    let mut diagnostics = Diagnostics::new();
    for file in files {
        let path = file.path.join("/");
        if seen.contains(&path) {
            diagnostics.push(duplicate(&path));
        } else {
            seen.insert(path);
        }
    }
    diagnostics
}

/// Two files at one path: the error `build` and `serve` both give.
pub fn duplicate(path: &str) -> Diagnostic {
    Diagnostic::error(format!("two outputs would both be written to {path}"))
        .help("give one of the pages a different `slug`")
}

/// The search index's files, when the site has search: kept apart from [`plan`]
/// because Pagefind takes seconds on a large site, which a dev server would rather
/// spend when the index is first asked for.
pub fn search_files(site: &Site) -> Result<Vec<File>, Diagnostic> {
    if !site.config.search.enabled {
        return Ok(Vec::new());
    }
    Ok(search::index(site)?
        .into_iter()
        .map(|file| File::new(file.path, Source::Bytes(file.bytes)))
        .collect())
}

/// The built-in theme's files, with the site's `theme/` files laid over them.
fn theme_files(theme_dir: &Path, diagnostics: &mut Diagnostics) -> BTreeMap<String, Source> {
    let mut files: BTreeMap<String, Source> = embedded::files(&embedded::THEME)
        .into_iter()
        .map(|(path, bytes)| (path, Source::Embedded(bytes)))
        .collect();
    let walk = walkdir::WalkDir::new(theme_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::content::walk::is_ignored(e.file_name()));
    for entry in walk {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let Some(path) = crate::content::walk::content_path(theme_dir, entry.path()) else {
                    continue;
                };
                let file = Path::new("theme").join(&path);
                files.insert(
                    path,
                    Source::Copy {
                        from: entry.into_path(),
                        file,
                    },
                );
            }
            Ok(_) => {}
            Err(error)
                if error
                    .io_error()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
                    && error.depth() == 0 => {}
            Err(error) => diagnostics.push(
                Diagnostic::error(format!("cannot read the theme folder: {error}"))
                    .in_file("theme"),
            ),
        }
    }
    files
}

fn sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut entry = |url: &str, lastmod: Option<String>| {
        let _ = write!(
            xml,
            "  <url>\n    <loc>{}</loc>\n",
            escape_xml(&site.base.absolute(url))
        );
        if let Some(lastmod) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", escape_xml(&lastmod));
        }
        xml.push_str("  </url>\n");
    };
    for section in site.sections.iter().filter(|s| s.page.is_none()) {
        entry(&section.url, None);
    }
    for id in site.reading_order() {
        let page = &site.pages[id];
        let date = page
            .front_matter
            .updated
            .as_ref()
            .or(page.front_matter.date.as_ref());
        entry(&page.url, date.map(|d| d.iso()));
    }
    for taxonomy in &site.taxonomies {
        entry(&taxonomy.url, None);
        for term in &taxonomy.terms {
            entry(&term.url, None);
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

fn redirect_page(target: &str) -> String {
    let target = escape_xml(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<link rel=\"canonical\" href=\"{target}\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{target}\">{target}</a>.</p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_pages_escape_their_target() {
        let html = redirect_page("/a/?x=\"<script>");
        assert!(html.contains("url=/a/?x=&quot;&lt;script&gt;"), "{html}");
    }
}
