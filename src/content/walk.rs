//! Finding the files under `content/`: Markdown pages, assets and folders, skipping
//! hidden and editor files and refusing symlinks that lead out of the site.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::{Asset, relative_to};
use crate::diag::{Diagnostic, Diagnostics, Kind};

#[derive(Debug, Default)]
pub struct Walked {
    pub markdown: Vec<PathBuf>,
    pub assets: Vec<Asset>,
    pub folders: Vec<String>,
}

/// Walks `content_dir` in file-name order, so every later stage sees the same order.
pub fn walk(site_root: &Path, content_dir: &Path, diagnostics: &mut Diagnostics) -> Walked {
    let mut walked = Walked::default();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(Kind::ContentMissing, "the content folder does not exist")
                .in_file(relative_to(site_root, content_dir))
                .help("create it, or set `content-dir` under [build] in book.toml"),
        );
        return walked;
    }
    let canonical_root =
        std::fs::canonicalize(site_root).unwrap_or_else(|_| site_root.to_path_buf());
    let mut refused = Vec::new();
    let entries = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || (!is_ignored(entry.file_name())
                    && stays_inside(entry, &canonical_root, &mut refused))
        });
    for entry in entries {
        match entry {
            Ok(entry) => add_entry(&mut walked, content_dir, entry, site_root, diagnostics),
            // A dangling editor lock link (`.#x`) fails to resolve: it is ignored all
            // the same.
            Err(error)
                if error
                    .path()
                    .and_then(Path::file_name)
                    .is_some_and(is_ignored) => {}
            Err(error) => diagnostics.push(walk_error(site_root, &error)),
        }
    }
    for path in refused {
        diagnostics.push(
            Diagnostic::error(
                Kind::BadSymlink,
                "symbolic link points outside the site folder",
            )
            .in_file(relative_to(site_root, &path))
            .help("copy the file into the site instead of linking to it"),
        );
    }
    walked
}

fn add_entry(
    walked: &mut Walked,
    content_dir: &Path,
    entry: DirEntry,
    site_root: &Path,
    diagnostics: &mut Diagnostics,
) {
    let Some(content_path) = content_path(content_dir, entry.path()) else {
        diagnostics.push(
            Diagnostic::error(
                Kind::NotUtf8,
                "file name is not valid UTF-8, so it cannot become part of a URL",
            )
            .in_file(relative_to(site_root, entry.path()))
            .help("rename it"),
        );
        return;
    };
    if entry.file_type().is_dir() {
        walked.folders.push(content_path);
    } else if entry.path().extension() == Some(OsStr::new("md")) {
        walked.markdown.push(entry.into_path());
    } else {
        walked.assets.push(Asset {
            content_path,
            absolute: entry.into_path(),
        });
    }
}

/// Symlinks are followed only when their target stays inside the site root.
fn stays_inside(entry: &DirEntry, canonical_root: &Path, refused: &mut Vec<PathBuf>) -> bool {
    if !entry.path_is_symlink() {
        return true;
    }
    match std::fs::canonicalize(entry.path()) {
        Ok(target) if target.starts_with(canonical_root) => true,
        Ok(_) => {
            refused.push(entry.path().to_path_buf());
            false
        }
        // A dangling link: nothing to read, and walkdir would report it as an error.
        Err(_) => false,
    }
}

fn walk_error(site_root: &Path, error: &walkdir::Error) -> Diagnostic {
    let path = error
        .path()
        .map(|p| relative_to(site_root, p))
        .unwrap_or_default();
    let (kind, message) = match error.loop_ancestor() {
        Some(ancestor) => (
            Kind::BadSymlink,
            format!(
                "symbolic link loop back to {}",
                crate::diag::display_path(&relative_to(site_root, ancestor))
            ),
        ),
        None => (
            Kind::Unreadable,
            format!(
                "cannot read: {}",
                error
                    .io_error()
                    .map_or_else(|| error.to_string(), ToString::to_string)
            ),
        ),
    };
    Diagnostic::error(kind, message).in_file(path)
}

/// Hidden files and the files editors leave while a file is open.
pub fn is_ignored(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx", ".tmp", ".bak"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "4913"
        || name == "Thumbs.db"
}

/// `path` relative to `content_dir` with `/` separators, NFC-normalised so that the
/// same name typed on different systems maps to the same URL; None for non-UTF-8 names.
pub fn content_path(content_dir: &Path, path: &Path) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let relative = path.strip_prefix(content_dir).ok()?;
    let mut parts = Vec::new();
    for component in relative.components() {
        parts.push(component.as_os_str().to_str()?.nfc().collect::<String>());
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_and_hidden_files_are_ignored() {
        for name in [
            ".hidden.md",
            "page.md~",
            "#page.md#",
            ".#page.md",
            "page.md.swp",
            "4913",
        ] {
            assert!(is_ignored(OsStr::new(name)), "{name}");
        }
        for name in ["page.md", "image.png", "notes#1.md"] {
            assert!(!is_ignored(OsStr::new(name)), "{name}");
        }
    }

    #[test]
    fn content_paths_use_forward_slashes_and_nfc() {
        let dir = Path::new("/site/content");
        assert_eq!(
            content_path(dir, Path::new("/site/content/a/b.md")).unwrap(),
            "a/b.md"
        );
        let decomposed = "/site/content/cafe\u{301}.md";
        assert_eq!(
            content_path(dir, Path::new(decomposed)).unwrap(),
            "caf\u{e9}.md"
        );
    }
}
