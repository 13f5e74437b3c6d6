//! The output stage: producing every file of the site's plan straight into a staging
//! folder in parallel (no rendered page is kept in memory), then swapping the staging
//! folder into place.

pub mod feed;
pub mod plan;
pub mod search;
pub mod swap;
pub mod xml;

use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::render::Renderer;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub pages: usize,
    pub assets: usize,
}

/// Told how far the writing of pages has come, to draw a progress bar.
pub trait Progress: Sync {
    fn started(&self, _total: usize) {}
    fn advanced(&self) {}
    fn finished(&self) {}
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {}

/// Writes the whole site to `output`. On any error nothing of the old output changes.
pub fn write_site(
    renderer: &Renderer,
    output: &Path,
    theme_dir: &Path,
    progress: &dyn Progress,
) -> Result<Written, Diagnostics> {
    let staging = swap::prepare_staging(output)
        .map_err(|e| io_failure("cannot create the staging folder", output, e))?;
    let result = write_all(renderer, &staging, theme_dir, progress);
    progress.finished();
    match result {
        Ok(written) => {
            swap::swap_into_place(&staging, output)
                .map_err(|e| io_failure("cannot move the new site into place", output, e))?;
            Ok(written)
        }
        Err(diagnostics) => {
            let _ = swap::remove_if_present(&staging);
            Err(diagnostics)
        }
    }
}

fn write_all(
    renderer: &Renderer,
    staging: &Path,
    theme_dir: &Path,
    progress: &dyn Progress,
) -> Result<Written, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut files = plan::plan(renderer, theme_dir, &mut diagnostics);
    match plan::search_files(renderer.site()) {
        Ok(index) => files.extend(index),
        Err(diagnostic) => diagnostics.push(diagnostic),
    }
    progress.started(files.len());
    let failures: Vec<Diagnostic> = files
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
        .collect();
    diagnostics.extend(deduplicate(failures));
    if diagnostics.has_errors() {
        return Err(diagnostics.sorted());
    }
    let pages = files.iter().filter(|f| f.is_page()).count();
    Ok(Written {
        pages,
        assets: files.len() - pages,
    })
}

/// One broken template would otherwise report the same error for every page it renders.
fn deduplicate(failures: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept: Vec<(Diagnostic, usize)> = Vec::new();
    for failure in failures {
        match kept.iter_mut().find(|(d, _)| {
            d.message == failure.message && d.position == failure.position && d.file == failure.file
        }) {
            Some((_, count)) => *count += 1,
            None => kept.push((failure, 0)),
        }
    }
    kept.into_iter()
        .map(|(diagnostic, more)| match more {
            0 => diagnostic,
            more => {
                let help = diagnostic.help.clone().unwrap_or_default();
                diagnostic.help(format!("{help} (and {more} more)").trim().to_string())
            }
        })
        .collect()
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
    std::fs::create_dir_all(&folder)
        .map_err(|e| Diagnostic::error(format!("cannot create the folder for {relative}: {e}")))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => {
                Diagnostic::error(format!("two outputs would both be written to {relative}"))
                    .help("give one of the pages a different `slug`")
            }
            _ => Diagnostic::error(format!("cannot write {relative}: {e}")),
        })?;
    io::Write::write_all(&mut file, bytes)
        .map_err(|e| Diagnostic::error(format!("cannot write {relative}: {e}")))
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
                return Err(Diagnostic::error(format!(
                    "refusing to write to the unsafe path segment `{}`",
                    segment.escape_debug()
                )));
            }
        }
    }
    Ok(path)
}

fn io_failure(what: &str, path: &Path, error: io::Error) -> Diagnostics {
    Diagnostic::error(format!("{what}: {error}"))
        .in_file(path)
        .into()
}
