//! Finding a page by what an author calls it: its content path, its id (the file name
//! without `.md`), its title, its acronym or another of its names. Relations and wiki
//! links both refer to pages this way.

use std::collections::HashMap;

use super::{PageId, Site};
use crate::diag::display_path;

pub struct Names {
    /// Lower-cased name to the pages that go by it.
    by_name: HashMap<String, Vec<PageId>>,
}

impl Names {
    pub fn new(site: &Site) -> Self {
        let mut by_name: HashMap<String, Vec<PageId>> = HashMap::new();
        for (id, page) in site.pages.iter().enumerate() {
            let fm = &page.front_matter;
            let stem = page
                .content_path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".md");
            let names = [page.title.as_str(), stem]
                .into_iter()
                .chain(fm.acronym.iter().map(|a| a.value.as_str()))
                .chain(fm.names.iter().map(|n| n.value.as_str()));
            for name in names {
                let entry = by_name.entry(name.to_lowercase()).or_default();
                if !entry.contains(&id) {
                    entry.push(id);
                }
            }
        }
        Self { by_name }
    }

    /// The one page `reference` names, looking only in `folders` when any are given.
    /// The error says what was wrong: nothing or several pages match.
    pub fn find(&self, site: &Site, reference: &str, folders: &[String]) -> Result<PageId, String> {
        let allowed = |id: &PageId| {
            folders.is_empty()
                || folders
                    .iter()
                    .any(|f| in_folder(&site.pages[*id].content_path, f))
        };
        let path = reference.trim_start_matches("@/");
        let by_path = [path.to_string(), format!("{path}.md")]
            .into_iter()
            .find_map(|p| match site.lookup(&p) {
                Some(super::Target::Page(id)) if allowed(&id) => Some(id),
                _ => None,
            });
        if let Some(id) = by_path {
            return Ok(id);
        }
        let matches: Vec<PageId> = self
            .by_name
            .get(&reference.to_lowercase())
            .into_iter()
            .flatten()
            .copied()
            .filter(allowed)
            .collect();
        match matches.as_slice() {
            [id] => Ok(*id),
            [] => Err(match folders {
                [] => format!("no page is called `{reference}`"),
                _ => format!("no page in {} is called `{reference}`", folders.join(", ")),
            }),
            several => {
                let files: Vec<String> = several
                    .iter()
                    .map(|id| display_path(&site.pages[*id].file))
                    .collect();
                Err(format!(
                    "`{reference}` is ambiguous: it names {}",
                    files.join(" and ")
                ))
            }
        }
    }

    /// Close names, for a "did you mean".
    pub fn suggest(&self, reference: &str) -> Option<&str> {
        crate::diag::did_you_mean(
            &reference.to_lowercase(),
            self.by_name.keys().map(String::as_str),
        )
    }
}

fn in_folder(content_path: &str, folder: &str) -> bool {
    let folder = folder.trim_matches('/');
    folder.is_empty()
        || content_path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}
