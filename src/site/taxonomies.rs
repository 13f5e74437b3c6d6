//! Taxonomies (`tags` and those declared in book.toml): every term with its pages, and
//! the URLs of the taxonomy's index and term pages.

use std::collections::{BTreeMap, HashMap};

use super::urls::{path_of, slugify, title_from_name};
use super::{PageId, Site};

#[derive(Debug)]
pub struct Taxonomy {
    /// The front-matter key: `tags`.
    pub name: String,
    pub title: String,
    pub segments: Vec<String>,
    pub url: String,
    /// Sorted by name, case-insensitively.
    pub terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
}

impl Taxonomy {
    /// The term a page's front matter names, however it was capitalised.
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.by_slug.get(&slugify(name)).map(|&i| &self.terms[i])
    }
}

#[derive(Debug)]
pub struct Term {
    /// As first written.
    pub name: String,
    pub segments: Vec<String>,
    pub url: String,
    /// In reading order.
    pub pages: Vec<PageId>,
}

pub fn collect(site: &Site) -> Vec<Taxonomy> {
    let order = site.reading_order();
    site.config
        .taxonomy_names()
        .into_iter()
        .map(|name| {
            let title = site
                .config
                .taxonomies
                .get(&name)
                .and_then(|t| t.title.clone())
                .unwrap_or_else(|| title_from_name(&name));
            let mut segments = site.language().prefix();
            segments.push(name.clone());
            let terms = collect_terms(site, &order, &name, &segments);
            let by_slug = terms
                .iter()
                .enumerate()
                .map(|(i, t)| (t.segments.last().cloned().unwrap_or_default(), i))
                .collect();
            Taxonomy {
                by_slug,
                url: path_of(&segments),
                name,
                title,
                segments,
                terms,
            }
        })
        .filter(|taxonomy| !taxonomy.terms.is_empty())
        .collect()
}

fn collect_terms(site: &Site, order: &[PageId], taxonomy: &str, base: &[String]) -> Vec<Term> {
    // Terms that slug alike ("Rust", "rust") are one term, named as first written.
    let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
    for &id in order {
        let Some(names) = site.pages[id].front_matter.taxonomies.get(taxonomy) else {
            continue;
        };
        for name in names {
            let slug = slugify(name);
            let term = by_slug.entry(slug.clone()).or_insert_with(|| {
                let mut segments = base.to_vec();
                segments.push(slug);
                Term {
                    name: name.to_string(),
                    url: path_of(&segments),
                    segments,
                    pages: Vec::new(),
                }
            });
            if term.pages.last() != Some(&id) {
                term.pages.push(id);
            }
        }
    }
    let mut terms: Vec<Term> = by_slug.into_values().collect();
    terms.sort_by_cached_key(|t| (t.name.to_lowercase(), t.name.clone()));
    terms
}
