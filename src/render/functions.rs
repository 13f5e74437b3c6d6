//! Functions templates can call to reach the rest of the site: `get_url`, `get_page`,
//! `get_section` and `get_taxonomy`. Each looks the site up and returns data.

use std::sync::Arc;

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::charts;
use super::views::{
    EventView, FigureView, GlossaryView, PageView, SectionView, TaxonomyView, page_timeline,
};
use crate::markdown::glossary::term_anchor;
use crate::site::{Site, Target};

type Lookup = fn(&Site, &Kwargs) -> TeraResult<Value>;

/// Every function a template can call, by name.
const FUNCTIONS: [(&str, Lookup); 9] = [
    ("get_url", |site, kwargs| {
        get_url(site, kwargs).map(|url| Value::from_serializable(&url))
    }),
    ("get_page", get_page),
    ("get_section", get_section),
    ("get_taxonomy", get_taxonomy),
    ("get_timeline", get_timeline),
    ("get_figures", get_figures),
    ("get_glossary", get_glossary),
    ("timeline_chart", timeline_chart),
    ("relation_map", relation_map),
];

/// The names of the functions templates can call.
pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|(name, _)| *name)
}

/// Registers the site's functions, and the filters of `filters.rs`.
pub fn register(tera: &mut Tera, site: &Arc<Site>) {
    super::filters::register(tera, site);
    for (name, lookup) in FUNCTIONS {
        let site = Arc::clone(site);
        tera.register_function(name, move |kwargs: Kwargs, _: &State| {
            lookup(&site, &kwargs)
        });
    }
}

/// `get_url(path="@/areas/iaea.md")` or a content path: the page's URL; a path starting
/// with `/` (a theme file, say): that path under the base URL.
fn get_url(site: &Site, kwargs: &Kwargs) -> TeraResult<String> {
    let path: &str = kwargs.must_get("path")?;
    if path.starts_with('/') {
        return Ok(site.href(path));
    }
    let url = match site.lookup(path) {
        Some(Target::Page(id)) => &site.pages[id].url,
        Some(Target::Section(id)) => &site.sections[id].url,
        Some(Target::Asset(id)) => return Ok(site.href(&site.asset_url(id))),
        None => {
            return Err(Error::message(format!(
                "get_url: no page or file `{path}` in the content folder"
            )));
        }
    };
    Ok(site.href(url))
}

fn get_page(site: &Site, kwargs: &Kwargs) -> TeraResult<Value> {
    let path: &str = kwargs.must_get("path")?;
    match site.lookup(path) {
        Some(Target::Page(id)) => value(&PageView::new(site, id)),
        _ => Err(Error::message(format!(
            "get_page: no page `{path}` in the content folder"
        ))),
    }
}

fn get_section(site: &Site, kwargs: &Kwargs) -> TeraResult<Value> {
    let path: &str = kwargs.must_get("path")?;
    let folder = path
        .trim_start_matches("@/")
        .trim_end_matches("_index.md")
        .trim_matches('/');
    match site.sections.iter().position(|s| s.folder == folder) {
        Some(id) => value(&SectionView::new(site, id)),
        None => Err(Error::message(format!(
            "get_section: no folder `{path}` in the content folder"
        ))),
    }
}

fn get_taxonomy(site: &Site, kwargs: &Kwargs) -> TeraResult<Value> {
    let kind: &str = kwargs.must_get("kind")?;
    match site.taxonomies.iter().find(|t| t.name == kind) {
        Some(taxonomy) => value(&TaxonomyView::new(site, taxonomy)),
        None if site.config.taxonomy_names().iter().any(|n| n == kind) => Ok(Value::none()),
        None => Err(Error::message(format!(
            "get_taxonomy: no taxonomy `{kind}`; declare it under [taxonomies] in book.toml"
        ))),
    }
}

/// `get_timeline()`: every event; `get_timeline(page="organisations/iaea.md")`: the
/// events that page tells or is named in.
fn get_timeline(site: &Site, kwargs: &Kwargs) -> TeraResult<Value> {
    let events: Vec<usize> = match kwargs.get::<&str>("page")? {
        None => (0..site.timeline.len()).collect(),
        Some(path) => page_timeline(&site.pages[page_id(site, path, "get_timeline")?]),
    };
    value(
        &events
            .into_iter()
            .map(|e| EventView::new(site, e))
            .collect::<Vec<_>>(),
    )
}

/// `get_figures()`: every key figure of the site, in reading order.
fn get_figures(site: &Site, _: &Kwargs) -> TeraResult<Value> {
    let figures: Vec<FigureView> = site
        .reading_order()
        .into_iter()
        .flat_map(|id| {
            site.pages[id]
                .front_matter
                .figures
                .iter()
                .map(move |f| FigureView::new(site, f, id))
        })
        .collect();
    value(&figures)
}

/// `get_glossary()`: every term, sorted, with its expansion and where it is defined.
fn get_glossary(site: &Site, _: &Kwargs) -> TeraResult<Value> {
    let mut terms: Vec<GlossaryView> = site
        .glossary
        .terms()
        .iter()
        .map(|term| {
            let (path, anchor) = term
                .dest
                .split_once('#')
                .map_or((term.dest.as_str(), None), |(p, a)| (p, Some(a)));
            let page_url = match site.lookup(path) {
                Some(Target::Page(id)) => site.href(&site.pages[id].url),
                _ => String::new(),
            };
            let id = term_anchor(&term.term);
            let url = anchor.map_or_else(|| page_url.clone(), |a| format!("{page_url}#{a}"));
            GlossaryView {
                term: &term.term,
                expansion: &term.expansion,
                id,
                url,
            }
        })
        .collect();
    terms.sort_by_cached_key(|t| (t.term.to_lowercase(), t.term.to_string()));
    value(&terms)
}

/// `timeline_chart()` or `timeline_chart(page="…")`: an SVG chart of the events that
/// `get_timeline` gives, each mark linking to `#event-N` in the list beside it.
fn timeline_chart(site: &Site, kwargs: &Kwargs) -> TeraResult<Value> {
    let (events, title) = match kwargs.get::<&str>("page")? {
        None => (
            (0..site.timeline.len()).collect(),
            "Timeline of every dated event".to_string(),
        ),
        Some(path) => {
            let id = page_id(site, path, "timeline_chart")?;
            (
                page_timeline(&site.pages[id]),
                format!("Timeline of {}", site.pages[id].title),
            )
        }
    };
    Ok(Value::safe_string(&charts::timeline_chart(
        site, &events, &title,
    )))
}

/// `relation_map()`: every page that takes part in a relation, and the relations among
/// them; `relation_map(page="…")`: that page, the pages it names or is named by, and
/// every relation among them, those of the page drawn as its own.
fn relation_map(site: &Site, kwargs: &Kwargs) -> TeraResult<Value> {
    let chart = match kwargs.get::<&str>("page")? {
        None => charts::relation_map(
            site,
            &charts::related_pages(site),
            "How the pages relate",
            None,
        ),
        Some(path) => charts::page_map(site, page_id(site, path, "relation_map")?),
    };
    Ok(Value::safe_string(&chart.svg))
}

fn page_id(site: &Site, path: &str, function: &str) -> TeraResult<crate::site::PageId> {
    match site.lookup(path) {
        Some(Target::Page(id)) => Ok(id),
        _ => Err(Error::message(format!(
            "{function}: no page `{path}` in the content folder"
        ))),
    }
}

fn value<T: serde::Serialize>(view: &T) -> TeraResult<Value> {
    Value::try_from_serializable(view)
}
