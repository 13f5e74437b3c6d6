//! The files of a site besides its pages: assets beside pages, the theme's files, the
//! sitemap, robots.txt and the redirect pages for aliases.

use std::fmt::Write as _;
use std::path::Path;

use super::write_file;
use crate::diag::{Diagnostic, Diagnostics};
use crate::embedded;
use crate::site::Site;

/// Copies content assets beside their pages and the theme under `theme/`, a site's own
/// theme file replacing the built-in one of the same name. Returns how many were copied.
pub fn copy_assets(
    site: &Site,
    staging: &Path,
    theme_dir: &Path,
    diagnostics: &mut Diagnostics,
) -> usize {
    let mut count = 0;
    for (asset, segments) in site.assets.iter().zip(&site.asset_segments) {
        let (folder, name) = segments.split_at(segments.len().saturating_sub(1));
        let result = std::fs::read(&asset.absolute)
            .map_err(|e| {
                Diagnostic::error(format!("cannot read asset: {e}"))
                    .in_file(Path::new("content").join(&asset.content_path))
            })
            .and_then(|bytes| write_file(staging, folder, &name[0], &bytes));
        count += record(result, diagnostics);
    }
    for (path, bytes) in theme_files(theme_dir, diagnostics) {
        let mut segments: Vec<String> = std::iter::once("theme")
            .chain(path.split('/'))
            .map(str::to_string)
            .collect();
        let name = segments.pop().unwrap_or_default();
        count += record(write_file(staging, &segments, &name, &bytes), diagnostics);
    }
    count
}

fn record(result: Result<(), Diagnostic>, diagnostics: &mut Diagnostics) -> usize {
    match result {
        Ok(()) => 1,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            0
        }
    }
}

/// The built-in theme's files, with the site's `theme/` files laid over them.
fn theme_files(theme_dir: &Path, diagnostics: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let mut files: std::collections::BTreeMap<String, Vec<u8>> = embedded::files(&embedded::THEME)
        .into_iter()
        .map(|(p, b)| (p, b.to_vec()))
        .collect();
    let walk = walkdir::WalkDir::new(theme_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::content::walk::is_ignored(e.file_name()));
    for entry in walk.flatten().filter(|e| e.file_type().is_file()) {
        let Some(path) = crate::content::walk::content_path(theme_dir, entry.path()) else {
            continue;
        };
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                files.insert(path, bytes);
            }
            Err(e) => diagnostics.push(
                Diagnostic::error(format!("cannot read theme file: {e}"))
                    .in_file(Path::new("theme").join(&path)),
            ),
        }
    }
    files.remove(".keep");
    files.into_iter().collect()
}

pub fn write_generated(site: &Site, staging: &Path, diagnostics: &mut Diagnostics) {
    let sitemap = sitemap(site);
    let robots = format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        site.base.absolute("/sitemap.xml")
    );
    for (name, text) in [("sitemap.xml", sitemap), ("robots.txt", robots)] {
        record(write_file(staging, &[], name, text.as_bytes()), diagnostics);
    }
    for (segments, page) in &site.aliases {
        let html = redirect_page(&site.href(&site.pages[*page].url));
        record(
            write_file(staging, segments, "index.html", html.as_bytes()),
            diagnostics,
        );
    }
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

/// Escapes text for XML and HTML, dropping the control characters XML 1.0 forbids so a
/// stray character in a title cannot make a feed or sitemap unreadable.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_drops_forbidden_control_characters() {
        assert_eq!(
            escape_xml("a<b>&\"c\"\u{1}\u{b}\td"),
            "a&lt;b&gt;&amp;&quot;c&quot;\td"
        );
    }

    #[test]
    fn redirect_pages_escape_their_target() {
        let html = redirect_page("/a/?x=\"<script>");
        assert!(html.contains("url=/a/?x=&quot;&lt;script&gt;"), "{html}");
    }
}
