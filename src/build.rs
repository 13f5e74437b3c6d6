//! `folio build`: the pipeline, then the search index (the previous build's when its
//! pages are unchanged) and the output folder, written in one step: into a new folder
//! the site is written while the index is made. Nothing is written anywhere unless the
//! whole build succeeded: not the output, and not the caches that speed up the next
//! build.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics, Kind, display_path};
use crate::output::{self, Written, plan, search, swap};
use crate::pipeline::{self, Caches};
use crate::progress::{Progress, Silent};
use crate::project::{Options, Project};
use crate::staged::Staged;

#[derive(Debug)]
pub struct Report {
    pub written: Written,
    pub output: PathBuf,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
    /// How much of the search index was made afresh; none without search.
    pub search: Option<search::Made>,
}

/// Writes the highlighted code, which speeds up the next build, beside its place; none
/// when it cannot be written.
fn stage_highlight(project: &Project, caches: &Caches) -> Option<Staged> {
    let path = project.highlight_store()?;
    caches.highlighter.stage_store(&path).ok()
}

/// Builds the site into its output folder, replacing the previous build only when the
/// whole build succeeded.
pub fn build(options: &Options) -> Result<Report, Diagnostics> {
    build_with_progress(options, &Silent)
}

/// [`build`], telling `progress` how each of its slow phases advances: reading,
/// Markdown, search indexing, writing.
pub fn build_with_progress(
    options: &Options,
    progress: &dyn Progress,
) -> Result<Report, Diagnostics> {
    let started = Instant::now();
    let project = Project::load(options)?;
    if let Some(reason) = swap::refusal(&project) {
        return Err(Diagnostic::error(
            Kind::OutputRefused,
            format!(
                "refusing to write the site to {}: {reason}",
                display_path(&project.output_dir)
            ),
        )
        .help("choose another folder with --output or `output-dir` in book.toml")
        .into());
    }
    // The highlighted code outlives the build only on disk: in memory it is of no
    // further use once the Markdown is rendered.
    let caches = Caches::for_build(&project);
    let planned = pipeline::run_with_progress(&project, &caches, progress)?;
    let search_store = project.search_store();
    let store = search_store
        .as_deref()
        .map_or(search::Store::Nothing, search::Store::Files);
    let renderer = &planned.renderer;
    // The search index is made while the site is written, where nothing is to be
    // updated (see `output::write_site_with`).
    let search = || {
        let search = plan::search_files(renderer, progress, store).map_err(Diagnostics::from)?;
        Ok((search.files, (search.staged, search.made)))
    };
    // The highlighted code is written while the site is; the caches are put in place
    // only if the site was.
    let (written, highlight) = std::thread::scope(|scope| {
        let staging = scope.spawn(|| stage_highlight(&project, &caches));
        let written = output::write_site_with(
            renderer,
            &project.output_dir,
            planned.files,
            search,
            progress,
        );
        (written, staging.join())
    });
    let (written, (search_staged, search_made)) = written?;
    // A cache that cannot be written only makes the next build slower.
    for file in search_staged.into_iter().chain(highlight.ok().flatten()) {
        let _ = file.commit();
    }
    Ok(Report {
        written,
        output: project.output_dir,
        warnings: planned.warnings,
        elapsed: started.elapsed(),
        search: search_made,
    })
}
