//! Typed relations declared in book.toml (`partners`, `programmes`…): each reference in
//! a page's front matter or one of its events is resolved to a page, and every target
//! learns which pages name it, grouped by relation.

use std::collections::BTreeMap;

use super::names::Names;
use super::{PageId, Site};
use crate::content::Located;
use crate::diag::{Diagnostic, Diagnostics, Kind};

/// The pages a relation names, or that name a page by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub name: String,
    pub pages: Vec<PageId>,
}

/// Resolves the references of one relation map; unresolvable ones are reported.
pub fn resolve_map(
    site: &Site,
    names: &Names,
    from: PageId,
    written: &BTreeMap<String, Vec<Located<String>>>,
    diagnostics: &mut Diagnostics,
) -> Vec<Related> {
    let mut related = Vec::new();
    for (name, references) in written {
        let folders = site
            .config
            .relations
            .get(name)
            .map(|r| r.sections.as_slice())
            .unwrap_or_default();
        let mut pages = Vec::new();
        for reference in references {
            match names.find(site, &reference.value, folders) {
                Ok(id) if !pages.contains(&id) => pages.push(id),
                Ok(_) => {}
                Err(problem) => {
                    let page = &site.pages[from];
                    let diagnostic = Diagnostic::error(
                        Kind::UnknownRelationTarget,
                        format!("`{name}` names no page: {problem}"),
                    )
                    .in_file(&page.file)
                    .with_position(reference.position.clone());
                    diagnostics.push(match names.suggest(&reference.value) {
                        Some(close) => diagnostic.help(format!("did you mean `{close}`?")),
                        None => diagnostic.help(
                            "refer to a page by its file name without `.md`, its path or its title",
                        ),
                    });
                }
            }
        }
        related.push(Related {
            name: name.clone(),
            pages,
        });
    }
    related
}

/// Resolves every page's relations and fills in each target's reverse lists. Returns
/// the (source, target) pairs, for backlinks.
pub fn resolve(
    site: &mut Site,
    names: &Names,
    diagnostics: &mut Diagnostics,
) -> Vec<(PageId, PageId)> {
    let resolved: Vec<Vec<Related>> = (0..site.pages.len())
        .map(|id| {
            resolve_map(
                site,
                names,
                id,
                &site.pages[id].front_matter.relations,
                diagnostics,
            )
        })
        .collect();
    let mut edges = Vec::new();
    let mut reverse: Vec<BTreeMap<String, Vec<PageId>>> = vec![BTreeMap::new(); site.pages.len()];
    for (from, relations) in resolved.iter().enumerate() {
        for relation in relations {
            for &to in &relation.pages {
                edges.push((from, to));
                reverse[to]
                    .entry(relation.name.clone())
                    .or_default()
                    .push(from);
            }
        }
    }
    let rank = site.reading_rank();
    for ((page, relations), reverse) in site.pages.iter_mut().zip(resolved).zip(reverse) {
        page.relations = relations;
        page.referenced_by = reverse
            .into_iter()
            .map(|(name, mut pages)| {
                pages.sort_by_key(|id| rank[*id]);
                pages.dedup();
                Related { name, pages }
            })
            .collect();
    }
    edges
}
