//! Putting a finished build in place. The new site is written to a staging folder beside
//! the output folder and swapped in with one atomic rename, so a reader, a web server or
//! an interrupted build never sees a half-written site, and a failed build leaves the
//! previous output exactly as it was.

use crate::project::Project;
use std::io;
use std::path::{Path, PathBuf};

/// A file folio writes into every output folder, so that it only ever replaces a folder
/// it created itself.
pub const MARKER: &str = ".folio";
const MARKER_TEXT: &str = "This folder is written by folio and replaced on every build.\n";

/// The staging folder for `output`: hidden, beside it, so the final rename stays on one
/// file system.
pub fn staging_path(output: &Path) -> PathBuf {
    sibling(output, "staging")
}

fn sibling(output: &Path, purpose: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}.folio-{purpose}"))
}

/// Removes what an interrupted build left beside `output`.
fn remove_leftovers(output: &Path) -> io::Result<()> {
    remove_if_present(&staging_path(output))?;
    remove_if_present(&sibling(output, "old"))
}

/// A fresh, empty staging folder; the remains of an interrupted build are removed.
pub fn prepare_staging(output: &Path) -> io::Result<PathBuf> {
    remove_leftovers(output)?;
    let staging = staging_path(output);
    std::fs::create_dir_all(&staging)?;
    std::fs::write(staging.join(MARKER), MARKER_TEXT)?;
    Ok(staging)
}

/// Replaces `output` by `staging`.
pub fn swap_into_place(staging: &Path, output: &Path) -> io::Result<()> {
    if !output.exists() {
        return std::fs::rename(staging, output);
    }
    if exchange(staging, output).is_ok() {
        return remove_if_present(staging);
    }
    // Without an atomic exchange, the old output is moved aside first; it is removed
    // only once the new one is in place.
    let old = sibling(output, "old");
    remove_if_present(&old)?;
    std::fs::rename(output, &old)?;
    if let Err(error) = std::fs::rename(staging, output) {
        std::fs::rename(&old, output)?;
        return Err(error);
    }
    remove_if_present(&old)
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

pub fn remove_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotADirectory => std::fs::remove_file(path),
        other => other,
    }
}

/// Why folio must not replace the project's output folder, or None when it may. It
/// refuses the site itself, anything that contains the site or overlaps its content,
/// anything inside its templates, theme or static folders, the root and home folders,
/// and any non-empty folder it did not create.
pub fn refusal(project: &Project) -> Option<String> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let output = project.output_dir.as_path();
    let out = canonical(output);
    let site = canonical(&project.root);
    if out.parent().is_none() {
        return Some("it is the root of the file system".into());
    }
    if std::env::home_dir().is_some_and(|home| canonical(&home) == out) {
        return Some("it is your home folder".into());
    }
    if site.starts_with(&out) {
        return Some("it is the site folder or contains it".into());
    }
    let content = canonical(&project.content_dir);
    if out.starts_with(&content) || content.starts_with(&out) {
        return Some("it is or overlaps the content folder".into());
    }
    for (kept, name) in [
        (&project.templates_dir, "templates"),
        (&project.theme_dir, "theme"),
        (&project.static_dir, "static"),
    ] {
        if out.starts_with(canonical(kept)) {
            return Some(format!("it is inside the site's {name}/ folder"));
        }
    }
    match std::fs::read_dir(output).map(|mut entries| entries.next().is_none()) {
        Ok(false) if !output.join(MARKER).is_file() => {
            Some("it is not empty and was not written by folio".into())
        }
        Ok(_) => None,
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) if error.kind() == io::ErrorKind::NotADirectory => Some("it is a file".into()),
        Err(error) => Some(format!("it cannot be read: {error}")),
    }
}
