//! Updating a previous build in place. Every file is still produced, but one whose
//! bytes are already on disk is left alone, and only changed files are written: first
//! into the staging folder beside the output (one flat folder, so staging makes no
//! folders), then, once every file of the build has been produced, renamed over their
//! old versions. A failed build, or one stopped before that point, therefore leaves the
//! previous output as it was, with nothing of its own inside (the next build removes
//! the staging folder); a build that changes nothing writes nothing, and unchanged
//! files keep their modification times for incremental deploys (rsync, object-store
//! syncs).
//!
//! Files the site no longer has are removed, so the folder ends up exactly as a fresh
//! build would write it. When the old output cannot be updated safely (a file where
//! the new site has a folder, names that differ only in case), the caller writes a
//! fresh copy instead.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::plan::File;
use super::safe_join;
use super::swap::{self, MARKER};
use crate::diag::{self, Diagnostic, Diagnostics, display_path};
use crate::progress::Progress;
use crate::render::Renderers;
use crate::site::urls::collision_key;

/// What a path of the old output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Folder,
}

/// An old output that the new plan can replace in place.
pub(super) struct OldOutput {
    /// Its entries by path (`a/b/index.html`), the marker left out.
    entries: HashMap<String, Kind>,
    /// Every file of the new plan and every folder above one.
    planned: HashMap<String, Kind>,
}

impl OldOutput {
    /// Reads the output folder; None when it cannot be read whole, holds a name that is
    /// not UTF-8 (which no plan path can match), or cannot take `files` in place.
    pub(super) fn scan(output: &Path, files: &[File]) -> Option<Self> {
        let mut entries = HashMap::new();
        for entry in walkdir::WalkDir::new(output).min_depth(1) {
            let entry = entry.ok()?;
            let relative = entry.path().strip_prefix(output).ok()?;
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_str())
                .collect::<Option<Vec<_>>>()?
                .join("/");
            let kind = match entry.file_type().is_dir() {
                true => Kind::Folder,
                false => Kind::File,
            };
            if key != MARKER {
                entries.insert(key, kind);
            }
        }
        let old = Self {
            entries,
            planned: planned_paths(files),
        };
        old.can_take_plan().then_some(old)
    }

    /// Whether the plan can replace this output in place: no path changes between file
    /// and folder, and no old name differs from a new one only in case or Unicode
    /// normalisation (on case-insensitive file systems they are one file, which
    /// removing the old name would delete).
    fn can_take_plan(&self) -> bool {
        let folded: HashSet<String> = self.planned.keys().map(|p| collision_key(p)).collect();
        self.entries
            .iter()
            .all(|(path, kind)| match self.planned.get(path) {
                Some(planned_kind) => planned_kind == kind,
                None => !folded.contains(&collision_key(path)),
            })
    }
}

/// Every file of the plan and every folder above one.
fn planned_paths(files: &[File]) -> HashMap<String, Kind> {
    let mut paths = HashMap::with_capacity(files.len() * 2);
    for file in files {
        for depth in 1..file.path.len() {
            paths.insert(file.path[..depth].join("/"), Kind::Folder);
        }
        paths.insert(file.path.join("/"), Kind::File);
    }
    paths
}

/// A produced file whose bytes differ from the old output's: written to `temporary`,
/// in the staging folder.
struct Staged {
    temporary: PathBuf,
    target: PathBuf,
}

/// Brings `output` to `files` and returns how many of them it already held; on error
/// it is left as it was.
pub(super) fn update(
    renderer: &Renderers,
    output: &Path,
    files: &[File],
    old: &OldOutput,
    progress: &dyn Progress,
) -> Result<usize, Diagnostics> {
    let staging = swap::prepare_staging(output)
        .map_err(|e| super::io_failure("cannot create the staging folder", output, e))?;
    let results: Vec<Result<Option<Staged>, Diagnostic>> = (files.par_iter().enumerate())
        .map(|(number, file)| {
            progress.advanced();
            let bytes = file.produce(renderer)?;
            stage(output, &staging.join(number.to_string()), file, &bytes, old)
        })
        .collect();
    let mut staged = Vec::new();
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(Some(file)) => staged.push(file),
            Ok(None) => {}
            Err(diagnostic) => failures.push(diagnostic),
        }
    }
    if !failures.is_empty() {
        let _ = swap::remove_if_present(&staging);
        return Err(Diagnostics::collapsed(failures).sorted());
    }
    let replaced = staged.iter().try_for_each(replace);
    let _ = swap::remove_if_present(&staging);
    replaced?;
    remove_stale(output, old).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            diag::Kind::WriteFailed,
            format!("cannot remove an old file from the output: {e}"),
        ))
    })?;
    Ok(files.len() - staged.len())
}

/// Writes `bytes` to `temporary` unless the file's old version holds them already.
fn stage(
    output: &Path,
    temporary: &Path,
    file: &File,
    bytes: &[u8],
    old: &OldOutput,
) -> Result<Option<Staged>, Diagnostic> {
    let target = safe_join(output, file.path.iter().map(String::as_str))?;
    let was_file = old.entries.get(&file.path.join("/")) == Some(&Kind::File);
    if was_file && holds(&target, bytes) {
        return Ok(None);
    }
    std::fs::write(temporary, bytes).map_err(|e| {
        let relative = display_path(target.strip_prefix(output).unwrap_or(&target));
        Diagnostic::error(
            diag::Kind::WriteFailed,
            format!("cannot write {relative}: {e}"),
        )
    })?;
    Ok(Some(Staged {
        temporary: temporary.to_path_buf(),
        target,
    }))
}

/// Moves a staged file over its old version, making the folders a new file needs.
fn replace(file: &Staged) -> Result<(), Diagnostic> {
    let folder = file.target.parent().unwrap_or(&file.target);
    std::fs::create_dir_all(folder)
        .and_then(|()| std::fs::rename(&file.temporary, &file.target))
        .map_err(|e| {
            Diagnostic::error(
                diag::Kind::WriteFailed,
                format!("cannot replace {}: {e}", display_path(&file.target)),
            )
        })
}

/// Whether the file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != u64::try_from(bytes.len()).ok() {
        return false;
    }
    let mut on_disk = Vec::with_capacity(bytes.len());
    file.read_to_end(&mut on_disk).is_ok() && on_disk == bytes
}

/// Removes what the old output had and the new one has not, leftovers of an
/// interrupted update among them.
fn remove_stale(output: &Path, old: &OldOutput) -> io::Result<()> {
    let stale: HashSet<&str> = old
        .entries
        .keys()
        .filter(|path| !old.planned.contains_key(*path))
        .map(String::as_str)
        .collect();
    for path in &stale {
        // A stale folder goes whole, with everything inside it.
        let parent = path.rsplit_once('/').map(|(parent, _)| parent);
        if parent.is_some_and(|parent| stale.contains(parent)) {
            continue;
        }
        let full = output.join(path);
        let removed = match old.entries[*path] {
            Kind::Folder => std::fs::remove_dir_all(full),
            Kind::File => std::fs::remove_file(full),
        };
        match removed {
            Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    }
    Ok(())
}
