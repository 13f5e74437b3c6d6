//! Reading an mdBook book's sources into folio's content model: the chapters that
//! SUMMARY.md lists, in its order, each a page without front matter (mdBook has none;
//! its title is its name in SUMMARY.md), and every other file of the source folder an
//! asset copied to the same path, as mdBook copies it. Markdown files SUMMARY.md does
//! not list are not built, as in mdBook, and a warning names them.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::chapters::{self, Raw};
use super::config::BookToml;
use super::preprocess::Plan;
use super::summary::{self, Outline, SUMMARY_FILE};
use crate::content::{self, Content, FrontMatter, Source, relative_to};
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::includes::Expansion;

/// Reads the book whose sources are in `src_dir`, running its preprocessors as its
/// book.toml orders them. With `[build] create-missing`, mdBook creates a missing
/// chapter's file; folio never writes into a book's sources, so it builds the chapter
/// as mdBook would after creating it (a heading with its name) and warns that the file
/// is missing. The page `input-404` names (`404.md` by default), when it exists, is the
/// book's 404 page, outside its chapters.
pub fn load(root: &Path, src_dir: &Path, book: &BookToml) -> (Content, Diagnostics) {
    let create_missing = book.build.create_missing;
    let mut diagnostics = Diagnostics::new();
    let walked = content::walk(root, src_dir, &mut diagnostics);
    let summary_file = relative_to(root, &src_dir.join(SUMMARY_FILE));
    let outline = match read_summary(&src_dir.join(SUMMARY_FILE), &summary_file)
        .and_then(|text| summary::parse(&text, &summary_file))
    {
        Ok(outline) => outline,
        Err(error) => {
            diagnostics.push(error);
            Outline::default()
        }
    };
    let read: Vec<Result<Raw, Diagnostic>> = outline
        .chapters
        .par_iter()
        .map(|chapter| read_chapter(root, src_dir, &chapter.path, &chapter.name, create_missing))
        .collect();
    let mut raw = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(chapter) => raw.push(chapter),
            Err(error) => diagnostics.push(error),
        }
    }
    let processed = match Plan::new(&book.toml_text(), "html") {
        Ok(plan) => {
            let (processed, found) = chapters::process(root, plan, &outline, &raw);
            diagnostics.extend(found);
            processed
        }
        Err(errors) => {
            diagnostics.extend(errors);
            Vec::new()
        }
    };
    let titles: HashMap<&str, &str> = outline
        .chapters
        .iter()
        .map(|c| (c.path.as_str(), c.name.as_str()))
        .collect();
    let mut sources: Vec<Source> = raw
        .into_iter()
        .zip(processed.into_iter().chain(std::iter::repeat_with(|| None)))
        .map(|(chapter, processed)| {
            let name = titles
                .get(chapter.path.as_str())
                .copied()
                .unwrap_or_default();
            source(chapter, name, processed)
        })
        .collect();
    let not_found = book.html.input_404.as_deref().unwrap_or("404.md");
    match read_not_found(root, src_dir, not_found) {
        Ok(page) => sources.extend(page),
        Err(error) => diagnostics.push(error),
    }
    let not_found_file = relative_to(root, &src_dir.join(not_found));
    let unlisted = unlisted(root, src_dir, &walked.markdown, &outline, create_missing);
    diagnostics.extend(
        unlisted
            .into_iter()
            .filter(|d| d.file.as_deref() != Some(not_found_file.as_path())),
    );
    let content = Content {
        sources,
        assets: walked.assets,
        folders: vec![String::new()],
        drafts: Vec::new(),
        book: Some(outline),
    };
    (content, diagnostics)
}

/// The text of SUMMARY.md, which a book cannot do without.
fn read_summary(path: &Path, file: &Path) -> Result<String, Diagnostic> {
    if !path.exists() {
        return Err(
            Diagnostic::error(Kind::Summary, "the book has no SUMMARY.md")
                .in_file(file)
                .help("SUMMARY.md lists the book's chapters, one `- [Title](file.md)` a line"),
        );
    }
    content::read_text(path, file)
}

/// The book's own 404 page, when its file exists.
fn read_not_found(root: &Path, src_dir: &Path, path: &str) -> Result<Option<Source>, Diagnostic> {
    let absolute = src_dir.join(path);
    if !absolute.is_file() {
        return Ok(None);
    }
    let file = relative_to(root, &absolute);
    let text = content::read_text(&absolute, &file)?;
    let raw = Raw {
        path: path.to_string(),
        file,
        text,
    };
    Ok(Some(source(raw, "Page not found", None)))
}

/// One chapter's file, or the heading mdBook would create it with.
fn read_chapter(
    root: &Path,
    src_dir: &Path,
    path: &str,
    name: &str,
    create_missing: bool,
) -> Result<Raw, Diagnostic> {
    let absolute = src_dir.join(path);
    let file = relative_to(root, &absolute);
    let text = match content::read_text(&absolute, &file) {
        Ok(text) => text,
        // Warned about by `unlisted`, which names SUMMARY.md.
        Err(_) if !absolute.exists() && create_missing => format!("# {name}\n"),
        Err(_) if !absolute.exists() => {
            return Err(Diagnostic::error(
                Kind::Summary,
                format!("SUMMARY.md lists `{path}`, which does not exist"),
            )
            .in_file(&file)
            .help("create the file, or remove it from SUMMARY.md (`create-missing = false` in book.toml makes this an error)"));
        }
        Err(diagnostic) => return Err(diagnostic),
    };
    Ok(Raw {
        path: path.to_string(),
        file,
        text,
    })
}

/// A chapter as a page titled by its name in SUMMARY.md (or its `{{#title}}`).
fn source(chapter: Raw, name: &str, processed: Option<Expansion>) -> Source {
    let title = processed.as_ref().and_then(|p| p.title.clone());
    let front_matter = FrontMatter {
        title: Some(title.unwrap_or_else(|| name.to_string())),
        ..FrontMatter::default()
    };
    Source {
        language: None,
        content_path: chapter.path,
        file: chapter.file,
        text: chapter.text,
        front_matter: Arc::new(front_matter),
        body_offset: 0,
        expanded: processed.map(Arc::new),
    }
}

/// Where `index.html` leads when no chapter is written there and the first chapter is
/// in a folder: a copy of it at the root, as mdBook writes for a first chapter at the
/// root, would break its relative links, so it is a redirect instead.
pub fn index_redirect(pages: &[crate::site::Page]) -> Option<(Vec<String>, String)> {
    let index = ["index.html".to_string()];
    let first = pages.first()?;
    let nested = first.segments.len() > 1;
    (nested && !pages.iter().any(|p| p.segments == index))
        .then(|| (index.to_vec(), first.segments.join("/")))
}

/// Warnings for the Markdown files of the source folder that SUMMARY.md does not list
/// (so mdBook does not build them either), and for the chapters it lists whose file is
/// missing.
fn unlisted(
    root: &Path,
    src_dir: &Path,
    markdown: &[std::path::PathBuf],
    outline: &Outline,
    create_missing: bool,
) -> Vec<Diagnostic> {
    let listed: HashSet<&str> = outline.chapters.iter().map(|c| c.path.as_str()).collect();
    let mut warnings: Vec<Diagnostic> = markdown
        .iter()
        .filter_map(|path| {
            let content_path = content::walk::content_path(src_dir, path)?;
            (content_path != SUMMARY_FILE && !listed.contains(content_path.as_str())).then(|| {
                Diagnostic::warning(Kind::Summary, "not listed in SUMMARY.md, so not built")
                    .in_file(relative_to(root, path))
                    .help("add it to SUMMARY.md to build it")
            })
        })
        .collect();
    warnings.extend(
        outline
            .chapters
            .iter()
            .filter(|chapter| create_missing && !src_dir.join(&chapter.path).exists())
            .map(|chapter| {
                Diagnostic::warning(
                    Kind::Summary,
                    format!("SUMMARY.md lists `{}`, which does not exist: built as an empty chapter", chapter.path),
                )
                .in_file(relative_to(root, &src_dir.join(SUMMARY_FILE)))
                .help("mdBook would create the file (`create-missing`); folio never writes into a book's sources, so create it yourself")
            }),
    );
    warnings
}
