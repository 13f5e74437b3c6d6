//! `folio check`: the whole pipeline, every page rendered in memory and nothing written,
//! plus the site-wide checks a build does not need to fail on: pages nothing links to,
//! and titles or names two pages share (which make wiki links and relations ambiguous).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::build::{Caches, Options, load};
use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::render::Output;
use crate::site::Site;

pub fn check(options: &Options) -> Result<Diagnostics, Diagnostics> {
    let loaded = load(options, &Caches::default())?;
    let renderer = &loaded.renderer;
    let mut outputs: Vec<Output> = renderer
        .outputs()
        .into_iter()
        .map(|(_, output)| output)
        .collect();
    outputs.push(Output::NotFound);
    if renderer.site().has_print_page() {
        outputs.push(Output::Print);
    }
    let failures: Vec<Diagnostic> = outputs
        .par_iter()
        .filter_map(|&output| renderer.render(output).err())
        .collect();
    let mut diagnostics = loaded.warnings;
    diagnostics.extend(failures);
    diagnostics.extend(orphans(renderer.site()));
    diagnostics.extend(shared_names(renderer.site()));
    diagnostics.sorted().into_result()
}

/// Pages no other page links to or names. The home page and section pages are reached
/// through navigation, so they do not count.
pub fn orphans(site: &Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter(|page| !page.is_section_page && page.backlinks.is_empty())
        .map(|page| {
            Diagnostic::warning(format!("orphan page: no other page links to {}", page.url))
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
            Diagnostic::warning(format!("`{name}` names more than one page: {}", files.join(", ")))
                .in_file(&site.pages[ids[0]].file)
                .help("give each page a distinct title, acronym and names, or wiki links and relations to them are ambiguous")
        })
        .collect()
}
