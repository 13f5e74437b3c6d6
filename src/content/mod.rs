//! The content stage: walking `content/`, reading each file and parsing its front
//! matter. It knows files and folders, not URLs: those belong to the site stage.

pub mod date;
pub mod front_matter;
pub mod translations;
pub mod walk;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use std::sync::Arc;

use crate::includes::Expansion;
use crate::memo::{self, Memo};

use crate::diag::{Diagnostic, Diagnostics, Kind};
pub use front_matter::{FrontMatter, Located, Schema};
pub use translations::Languages;
pub use walk::{Walked, walk};

/// Markdown files larger than this are refused, so one stray file cannot exhaust memory.
pub const MAX_PAGE_BYTES: u64 = 8 * 1024 * 1024;

/// A Markdown file, read and with its front matter parsed.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the content folder, with `/` separators: `areas/iaea.md`. A
    /// translation has the path of the page it translates (`areas/iaea.md` for
    /// `areas/iaea.zh.md`): that is its identity in its language's site.
    pub content_path: String,
    /// The code of the language a translation is in; None for the default language.
    pub language: Option<String>,
    /// Path relative to the site root, for diagnostics: `content/areas/iaea.md`.
    pub file: PathBuf,
    /// The whole text of the file.
    pub text: String,
    pub front_matter: Arc<FrontMatter>,
    pub body_offset: usize,
    /// The whole text with its `{{#include}}`s and other links helpers expanded, when
    /// it has any (never in the front matter, which keeps `body_offset` true): the
    /// Markdown stage reads its body instead.
    pub expanded: Option<Arc<Expansion>>,
}

impl Source {
    /// The Markdown the page is rendered from.
    pub fn body(&self) -> &str {
        let text = self.expanded.as_ref().map_or(&self.text, |e| &e.text);
        &text[self.body_offset..]
    }

    /// The range of `text` that `range` of [`Source::body`] comes from, for locating a
    /// diagnostic in the file: inside expanded text, the whole directive.
    pub fn original_range(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let range = self.body_offset + range.start..self.body_offset + range.end;
        match &self.expanded {
            // Where a preprocessor rewrote the text, the same words found in the file
            // are the best guess; else the whole file.
            Some(expansion) if expansion.is_rewritten() => {
                let words = expansion.text.get(range.clone()).unwrap_or_default();
                match self.text.find(words).filter(|_| !words.is_empty()) {
                    Some(start) => start..start + words.len(),
                    None => expansion.original_range(range),
                }
            }
            Some(expansion) => expansion.original_range(range),
            None => range,
        }
    }

    /// The content path of the folder this file sits in (`` for the root).
    pub fn folder(&self) -> &str {
        self.content_path
            .rsplit_once('/')
            .map_or("", |(folder, _)| folder)
    }

    pub fn is_section_index(&self) -> bool {
        self.content_path == "_index.md" || self.content_path.ends_with("/_index.md")
    }
}

/// A file copied as it is, next to the page beside it.
#[derive(Debug, Clone)]
pub struct Asset {
    pub content_path: String,
    pub absolute: PathBuf,
}

/// Everything under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub sources: Vec<Source>,
    pub assets: Vec<Asset>,
    /// Every folder's content path, the root (``) first, parents before children.
    pub folders: Vec<String>,
    /// The content paths of the drafts left out, so that a link to one can say why it
    /// leads nowhere.
    pub drafts: Vec<String>,
    /// An mdBook book's SUMMARY.md, whose chapters `sources` holds in its order.
    pub book: Option<crate::mdbook::summary::Outline>,
}

/// Walks and reads `content_dir`. `site_root` is used to name files in diagnostics and
/// to keep symlinks inside the site.
pub fn load(
    site_root: &Path,
    content_dir: &Path,
    schema: &Schema,
    include_drafts: bool,
    languages: &Languages,
    memo: Option<&FrontMatterMemo>,
) -> (Content, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let walked = walk(site_root, content_dir, &mut diagnostics);
    let schema_key = format!("{:?}", (&schema.taxonomies, &schema.relations));
    let results: Vec<_> = walked
        .markdown
        .par_iter()
        .map(|path| {
            read_source(
                site_root,
                content_dir,
                path,
                schema,
                memo.map(|m| (m, schema_key.as_str())),
            )
        })
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    let mut drafts = Vec::new();
    for result in results {
        let result = result.map(|mut source| {
            diagnostics.extend(source.identify_language(languages));
            source
        });
        match result {
            Ok(source) if include_drafts || !source.front_matter.draft => {
                let expansion = source.expanded.as_ref();
                diagnostics.extend(expansion.into_iter().flat_map(|e| e.diagnostics.clone()));
                sources.push(source);
            }
            Ok(draft) => drafts.push(draft.content_path),
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let content = Content {
        folders: folders_with_pages(walked.folders, &sources),
        sources,
        assets: walked.assets,
        drafts,
        book: None,
    };
    (content, diagnostics)
}

/// The folders that hold a page, directly or below: a folder of assets only (images
/// beside a guide, say) is no section, and its files stay beside their pages.
fn folders_with_pages(folders: Vec<String>, sources: &[Source]) -> Vec<String> {
    let mut with_pages = std::collections::HashSet::new();
    for source in sources {
        let mut folder = source.folder();
        loop {
            if !with_pages.insert(folder) {
                break;
            }
            match folder.rsplit_once('/') {
                Some((parent, _)) => folder = parent,
                None if !folder.is_empty() => folder = "",
                None => break,
            }
        }
    }
    folders
        .into_iter()
        .filter(|folder| folder.is_empty() || with_pages.contains(folder.as_str()))
        .collect()
}

/// Parsed front matter (or its errors) by a hash of the file's path, text and schema.
pub type FrontMatterMemo = Memo<Arc<Result<(Arc<FrontMatter>, usize), Vec<Diagnostic>>>>;

/// Reads and parses one Markdown file, through the memo when there is one.
fn read_source(
    site_root: &Path,
    content_dir: &Path,
    path: &Path,
    schema: &Schema,
    memo: Option<(&FrontMatterMemo, &str)>,
) -> Result<Source, Vec<Diagnostic>> {
    let file = relative_to(site_root, path);
    let content_path = walk::content_path(content_dir, path).ok_or_else(|| {
        vec![Diagnostic::error(Kind::NotUtf8, "file name is not valid UTF-8").in_file(&file)]
    })?;
    let text = read_text(path, &file).map_err(|d| vec![d])?;
    let parse = || {
        Arc::new(
            front_matter::parse(&file, &text, schema)
                .map(|p| (Arc::new(p.front_matter), p.body_offset)),
        )
    };
    let parsed = match memo {
        Some((memo, schema_key)) => {
            let key = memo::key([
                file.as_os_str().as_encoded_bytes(),
                text.as_bytes(),
                schema_key.as_bytes(),
            ]);
            memo.get_or_insert_with(key, parse)
        }
        None => parse(),
    };
    let (front_matter, body_offset) = match parsed.as_ref() {
        Ok((front_matter, body_offset)) => (Arc::clone(front_matter), *body_offset),
        Err(errors) => return Err(errors.clone()),
    };
    let expanded = expand(site_root, &file, &text, body_offset);
    Ok(Source {
        content_path,
        language: None,
        file,
        text,
        front_matter,
        body_offset,
        expanded,
    })
}

/// The page's links helpers (`{{#include file}}`, as in mdBook) expanded, when its body
/// has any. Front matter is never expanded: a page whose front matter holds `{{` is
/// left as it is.
fn expand(site_root: &Path, file: &Path, text: &str, body_offset: usize) -> Option<Arc<Expansion>> {
    let has_directive = |text: &str| memchr::memmem::find(text.as_bytes(), b"{{").is_some();
    if !has_directive(&text[body_offset..]) || has_directive(&text[..body_offset]) {
        return None;
    }
    let expansion = crate::includes::expand(site_root, file, text);
    (expansion.text != text || !expansion.diagnostics.is_empty()).then(|| Arc::new(expansion))
}

/// The text of a page file, refused when too large or not UTF-8.
pub(crate) fn read_text(path: &Path, file: &Path) -> Result<String, Diagnostic> {
    use std::io::Read;
    // One open and an fstat on it rather than a stat and an open: one path lookup less
    // per file, on sites of thousands of files.
    let mut opened = std::fs::File::open(path).map_err(|e| io_diagnostic(e, file))?;
    let metadata = opened.metadata().map_err(|e| io_diagnostic(e, file))?;
    if metadata.len() > MAX_PAGE_BYTES {
        return Err(Diagnostic::error(
            Kind::TooLarge,
            format!(
                "file is {} bytes, over the limit of {MAX_PAGE_BYTES} bytes for a page",
                metadata.len()
            ),
        )
        .in_file(file)
        .help("split it into several pages"));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    opened
        .read_to_end(&mut bytes)
        .map_err(|e| io_diagnostic(e, file))?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let end = text.len();
        Diagnostic::error(Kind::NotUtf8, "file is not valid UTF-8")
            .at(file, &format!("{text}\u{FFFD}"), end..end + 3)
            .label("the first invalid byte is here")
            .help("save the file as UTF-8")
    })
}

fn io_diagnostic(error: std::io::Error, file: &Path) -> Diagnostic {
    if error.kind() == std::io::ErrorKind::NotFound {
        return Diagnostic::error(Kind::Unreadable, "file disappeared during the build")
            .in_file(file)
            .help("build again");
    }
    Diagnostic::error(Kind::Unreadable, format!("cannot read file: {error}")).in_file(file)
}

/// `path` relative to `root` when it is inside it, else as it is.
pub fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_deleted_after_the_walk_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        let gone = content.join("gone.md");
        let errors =
            read_source(dir.path(), &content, &gone, &Schema::default(), None).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "content/gone.md: file disappeared during the build"
        );
    }
}
