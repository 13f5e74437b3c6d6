//! `folio check`: the pipeline every command runs, then every file of its plan
//! produced in memory and nothing written, plus the site-wide checks a build does not
//! need to fail on: pages nothing links to, and titles or names two pages share (which
//! make wiki links and relations ambiguous), and the status of each language's
//! translations (`translations.rs`). It reports the errors `folio build` would,
//! without the time the search index takes. With `--external` it also fetches every
//! link to another site (`external.rs`); without it, it never touches the network.

pub mod external;
mod translations;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Kind, display_path};
use crate::pipeline::{self, Caches, Planned};
use crate::progress::{Phase, Progress, Silent};
use crate::project::{Options, Project};
use crate::site::Site;
pub use external::External;

/// Every diagnostic of the site: its warnings, or its errors when it has any.
pub fn check(options: &Options) -> Result<Diagnostics, Diagnostics> {
    check_with_progress(options, &Silent)
}

/// [`check`], telling `progress` how each of its slow phases advances: reading,
/// Markdown, producing every file.
pub fn check_with_progress(
    options: &Options,
    progress: &dyn Progress,
) -> Result<Diagnostics, Diagnostics> {
    check_with(options, None, progress)
}

/// [`check_with_progress`], and with `external` every link to another site fetched
/// too ([`Phase::External`]).
pub fn check_with(
    options: &Options,
    external: Option<External>,
    progress: &dyn Progress,
) -> Result<Diagnostics, Diagnostics> {
    let project = Project::load(options)?;
    let planned = pipeline::run_with_progress(&project, &Caches::default(), progress)?;
    let mut diagnostics = planned.warnings.clone();
    diagnostics.extend(produce_all(&planned, progress));
    diagnostics.extend(orphans(planned.renderer.site()));
    diagnostics.extend(shared_names(planned.renderer.site()));
    diagnostics.extend(translations::status(&project, planned.renderer.sites()));
    if let Some(external) = external {
        let site = planned.renderer.site();
        diagnostics.extend(external::check(&project, site, external, progress));
    }
    diagnostics.sorted().into_result()
}

/// What producing every file of the plan reports, as `folio build` reports it.
fn produce_all(planned: &Planned, progress: &dyn Progress) -> Diagnostics {
    progress.started(Phase::Checking, Some(planned.files.len()));
    let failures: Vec<Diagnostic> = planned
        .files
        .par_iter()
        .filter_map(|file| {
            progress.advanced();
            file.verify(&planned.renderer).err()
        })
        .collect();
    progress.finished();
    Diagnostics::collapsed(failures)
}

/// Pages no other page links to or names. The home page and section pages are reached
/// through navigation, so they do not count.
pub fn orphans(site: &Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter(|page| !page.is_section_page && page.backlinks.is_empty())
        .map(|page| {
            Diagnostic::warning(
                Kind::Orphan,
                format!("orphan page: no other page links to {}", page.url),
            )
            .in_file(&page.file)
            .help("link to it from a related page, so readers can find it")
        })
        .collect()
}

/// Titles, acronyms and names that more than one page uses.
pub fn shared_names(site: &Site) -> Vec<Diagnostic> {
    let mut users: HashMap<String, Vec<usize>> = HashMap::new();
    for (id, page) in site.pages.iter().enumerate() {
        let fm = &page.front_matter;
        let names = std::iter::once(page.title.as_str())
            .chain(fm.acronym.iter().map(|a| a.value.as_str()))
            .chain(fm.names.iter().map(|n| n.value.as_str()));
        for name in names {
            let entry = users.entry(name.to_lowercase()).or_default();
            if !entry.contains(&id) {
                entry.push(id);
            }
        }
    }
    let mut shared: Vec<(String, Vec<usize>)> =
        users.into_iter().filter(|(_, ids)| ids.len() > 1).collect();
    shared.sort();
    shared
        .into_iter()
        .map(|(name, ids)| {
            let files: Vec<String> = ids.iter().map(|&id| display_path(&site.pages[id].file)).collect();
            Diagnostic::warning(Kind::SharedName, format!("`{name}` names more than one page: {}", files.join(", ")))
                .in_file(&site.pages[ids[0]].file)
                .help("give each page a distinct title, acronym and names, or wiki links and relations to them are ambiguous")
        })
        .collect()
}
