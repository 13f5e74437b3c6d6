//! The site's data as the inputs of the charts module: the timeline chart and relation
//! maps that templates draw with `timeline_chart()` and `relation_map()`.
//!
//! A relation map groups pages by their top-level section, and each group's palette
//! slot is its section's place in the site's navigation: stable for a site, whatever
//! its folders are called, and the same on every map of it.

use std::collections::BTreeSet;

use crate::charts::{Chart, GraphEdge, GraphNode, TimelineEvent, relation_map_svg, timeline_svg};
use crate::site::{PageId, SectionId, Site};

/// The chart of `events` (indexes into the site's timeline); each mark links to the
/// event's entry in the list beside the chart (`#event-N`).
pub fn timeline_chart(site: &Site, events: &[usize], title: &str) -> String {
    let events: Vec<TimelineEvent> = events
        .iter()
        .filter_map(|&index| {
            let event = &site.timeline[index];
            let date = event.date.as_ref()?;
            Some(TimelineEvent {
                start: parts(date),
                end: event.end.as_ref().map(parts),
                label: match &event.end {
                    Some(end) => format!("{}–{}", date.human(), end.human()),
                    None => date.human(),
                },
                summary: event.summary.clone(),
                href: format!("#{}", event.id),
            })
        })
        .collect();
    timeline_svg(&events, title)
}

fn parts(date: &crate::content::date::PartialDate) -> (i32, u8, u8) {
    let to_u8 = |v: Option<i8>| v.and_then(|v| u8::try_from(v).ok()).unwrap_or(0);
    (
        i32::from(date.year()),
        to_u8(date.month()),
        to_u8(date.day()),
    )
}

/// The relations among `pages`, each page a node grouped by its top-level section.
/// With a `focus`, the relations that touch it are drawn as the map's own, the others
/// (among the pages around it) as secondary.
pub fn relation_map(
    site: &Site,
    pages: &BTreeSet<PageId>,
    title: &str,
    focus: Option<PageId>,
) -> Chart {
    let id = |page: PageId| site.pages[page].content_path.clone();
    let nodes: Vec<GraphNode> = pages
        .iter()
        .map(|&page| {
            let p = &site.pages[page];
            let section = top_section(site, p.section);
            GraphNode {
                id: id(page),
                label: p
                    .front_matter
                    .acronym
                    .as_ref()
                    .map_or_else(|| p.title.clone(), |a| a.value.clone()),
                href: site.href(&p.url),
                group: section.map_or_else(String::new, |(_, s)| site.sections[s].title.clone()),
                slot: section.map(|(slot, _)| slot),
            }
        })
        .collect();
    let edges: Vec<GraphEdge> = relations_among(site, pages)
        .map(|(from, name, to)| GraphEdge {
            from: id(from),
            to: id(to),
            label: name.to_string(),
        })
        .collect();
    relation_map_svg(&nodes, &edges, title, focus.map(id).as_deref())
}

/// The map of `page`, the pages it names or is named by, and every relation among
/// them, those of the page drawn as its own.
pub fn page_map(site: &Site, page: PageId) -> Chart {
    let title = format!("Relations of {}", site.pages[page].title);
    relation_map(site, &neighbourhood(site, page), &title, Some(page))
}

/// Every relation from one of `pages` to another of them, as (from, name, to); a
/// page naming itself is left out.
pub fn relations_among<'a>(
    site: &'a Site,
    pages: &'a BTreeSet<PageId>,
) -> impl Iterator<Item = (PageId, &'a str, PageId)> + 'a {
    pages.iter().flat_map(move |&from| {
        site.pages[from].relations.iter().flat_map(move |related| {
            (related.pages.iter())
                .filter(move |&&to| to != from && pages.contains(&to))
                .map(move |&to| (from, related.name.as_str(), to))
        })
    })
}

/// The top-level section that holds `section`, with its place in the site's
/// navigation; `None` for the root, whose pages belong to no group.
fn top_section(site: &Site, section: SectionId) -> Option<(usize, SectionId)> {
    let top = *site.ancestry(section).get(1)?;
    let place = site.root().subsections.iter().position(|&s| s == top)?;
    Some((place, top))
}

/// A page and every page it names or is named by.
pub fn neighbourhood(site: &Site, page: PageId) -> BTreeSet<PageId> {
    let p = &site.pages[page];
    std::iter::once(page)
        .chain(
            p.relations
                .iter()
                .chain(&p.referenced_by)
                .flat_map(|r| r.pages.iter().copied()),
        )
        .collect()
}

/// Every page that takes part in a relation.
pub fn related_pages(site: &Site) -> BTreeSet<PageId> {
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.relations
                .iter()
                .chain(&p.referenced_by)
                .any(|r| !r.pages.is_empty())
        })
        .map(|(id, _)| id)
        .collect()
}
