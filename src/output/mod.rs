//! The output stage: producing every file of the site's plan in parallel, each written
//! as soon as it is produced (no rendered page is kept in memory), either into a
//! staging folder swapped into place or, over a previous build, only where it changed.

pub mod plan;
pub mod search;
pub mod search_store;
pub mod swap;
mod update;
pub mod xml;

use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Kind, display_path};
use crate::progress::{Phase, Progress, Silent};
use crate::render::Renderers;
use plan::File;
use update::OldOutput;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub pages: usize,
    pub assets: usize,
    /// When a previous build was updated in place: how many files it already held
    /// byte for byte, and so were not written.
    pub unchanged: Option<usize>,
}

/// Writes the files of the site's plan to `output`: a previous build is updated in
/// place, writing only what changed (see `update.rs`); anything else gets a fresh copy
/// made in a staging folder and swapped in. On any error nothing of the old output
/// changes.
pub fn write_site(
    renderer: &Renderers,
    output: &Path,
    files: &[File],
    progress: &dyn Progress,
) -> Result<Written, Diagnostics> {
    progress.started(Phase::Writing, Some(files.len()));
    let previous = output
        .join(swap::MARKER)
        .is_file()
        .then(|| OldOutput::scan(output, files))
        .flatten();
    let result = match previous {
        Some(old) => update::update(renderer, output, files, &old, progress).map(Some),
        None => write_fresh(renderer, output, files, progress).map(|()| None),
    };
    progress.finished();
    Ok(written(files, result?))
}

/// What writing `files` wrote: `unchanged` of them already held when a previous build
/// was updated.
fn written(files: &[File], unchanged: Option<usize>) -> Written {
    let pages = files.iter().filter(|f| f.is_page()).count();
    Written {
        pages,
        assets: files.len() - pages,
        unchanged,
    }
}

/// Writes every file into a staging folder and swaps it in for `output`.
fn write_fresh(
    renderer: &Renderers,
    output: &Path,
    files: &[File],
    progress: &dyn Progress,
) -> Result<(), Diagnostics> {
    let staging = swap::prepare_staging(output)
        .map_err(|e| io_failure("cannot create the staging folder", output, e))?;
    let failures = write_into(&staging, renderer, files, progress);
    swap_in(&staging, output, failures)
}

/// Writes `files` below `staging`, returning what failed.
fn write_into(
    staging: &Path,
    renderer: &Renderers,
    files: &[File],
    progress: &dyn Progress,
) -> Vec<Diagnostic> {
    files
        .par_iter()
        .filter_map(|file| {
            progress.advanced();
            let bytes = match file.produce(renderer) {
                Ok(bytes) => bytes,
                Err(diagnostic) => return Some(diagnostic),
            };
            let (name, folder) = file.path.split_last()?;
            write_file(staging, folder, name, &bytes).err()
        })
        .collect()
}

/// Swaps the written `staging` folder in for `output`, unless something failed.
fn swap_in(staging: &Path, output: &Path, failures: Vec<Diagnostic>) -> Result<(), Diagnostics> {
    if !failures.is_empty() {
        return Err(discard(staging, failures));
    }
    swap::swap_into_place(staging, output)
        .map_err(|e| io_failure("cannot move the new site into place", output, e))
}

/// Removes the `staging` folder of a failed build, returning its `failures`.
fn discard(staging: &Path, failures: Vec<Diagnostic>) -> Diagnostics {
    let _ = swap::remove_if_present(staging);
    Diagnostics::collapsed(failures).sorted()
}

/// [`write_site`] for `files` and the files `late` makes of the site (the search
/// index), with what else it returns. Where there is no previous build to update, the
/// site's files are written while `late` runs, and each fills the pauses of the other
/// on the cores. A previous build is updated once every file is known, since what it
/// no longer has is removed.
pub fn write_site_with<T: Send>(
    renderer: &Renderers,
    output: &Path,
    mut files: Vec<File>,
    late: impl FnOnce() -> Result<(Vec<File>, T), Diagnostics> + Send,
    progress: &dyn Progress,
) -> Result<(Written, T), Diagnostics> {
    if output.join(swap::MARKER).is_file() {
        let (more, made) = late()?;
        files.extend(more);
        return Ok((write_site(renderer, output, &files, progress)?, made));
    }
    let staging = swap::prepare_staging(output)
        .map_err(|e| io_failure("cannot create the staging folder", output, e))?;
    // The progress shown is `late`'s, then the writing: the site's files are written
    // by then, and `late`'s follow.
    let (mut failures, late) = std::thread::scope(|scope| {
        let late = scope.spawn(late);
        let failures = write_into(&staging, renderer, &files, &Silent);
        (failures, late.join())
    });
    let (more, made) = match late {
        Ok(Ok(made)) if failures.is_empty() => made,
        Ok(Ok(_)) => return Err(discard(&staging, failures)),
        Ok(Err(diagnostics)) => {
            failures.extend(diagnostics);
            return Err(discard(&staging, failures));
        }
        Err(panic) => {
            discard(&staging, failures);
            std::panic::resume_unwind(panic)
        }
    };
    progress.started(Phase::Writing, Some(files.len() + more.len()));
    (0..files.len()).for_each(|_| progress.advanced());
    let failures = write_into(&staging, renderer, &more, progress);
    progress.finished();
    swap_in(&staging, output, failures)?;
    files.extend(more);
    Ok((written(&files, None), made))
}

/// Writes `segments/.../name` under `root`. Each file is created new, so two outputs
/// that would land on one file are an error rather than a silent overwrite, and a
/// segment that could climb out of `root` is refused.
pub fn write_file(
    root: &Path,
    segments: &[String],
    name: &str,
    bytes: &[u8],
) -> Result<(), Diagnostic> {
    let folder = safe_join(root, segments.iter().map(String::as_str))?;
    let path = safe_join(&folder, [name])?;
    let relative = display_path(path.strip_prefix(root).unwrap_or(&path));
    std::fs::create_dir_all(&folder).map_err(|e| {
        Diagnostic::error(
            Kind::WriteFailed,
            format!("cannot create the folder for {relative}: {e}"),
        )
    })?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => plan::duplicate(&relative),
            _ => Diagnostic::error(Kind::WriteFailed, format!("cannot write {relative}: {e}")),
        })?;
    io::Write::write_all(&mut file, bytes)
        .map_err(|e| Diagnostic::error(Kind::WriteFailed, format!("cannot write {relative}: {e}")))
}

fn safe_join<'a>(
    root: &Path,
    segments: impl IntoIterator<Item = &'a str>,
) -> Result<PathBuf, Diagnostic> {
    let mut path = root.to_path_buf();
    for segment in segments {
        let mut components = Path::new(segment).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(part)), None) if !segment.contains(['/', '\\']) => {
                path.push(part)
            }
            _ => {
                return Err(Diagnostic::error(
                    Kind::OutputRefused,
                    format!(
                        "refusing to write to the unsafe path segment `{}`",
                        segment.escape_debug()
                    ),
                ));
            }
        }
    }
    Ok(path)
}

fn io_failure(what: &str, path: &Path, error: io::Error) -> Diagnostics {
    Diagnostic::error(Kind::WriteFailed, format!("{what}: {error}"))
        .in_file(path)
        .into()
}
