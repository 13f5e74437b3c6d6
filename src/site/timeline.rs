//! The timeline: every dated event of every page, in chronological order. Partial dates
//! sort by the start of their period, a year before a month of it; each event keeps the
//! pages it names, so every page can show its own timeline.

use super::names::Names;
use super::relations::{Related, resolve_map};
use super::{Page, PageId, Site};
use crate::content::date::PartialDate;
use crate::content::front_matter::Located;
use crate::diag::{Diagnostic, Diagnostics, Kind, did_you_mean};

#[derive(Debug, Clone)]
pub struct TimelineEvent {
    /// The anchor of the event on a timeline page: `event-3`.
    pub id: String,
    pub date: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub summary: String,
    /// The page that tells of it.
    pub page: PageId,
    /// The id of the passage of that page that tells of it, checked to exist.
    pub anchor: Option<String>,
    pub relations: Vec<Related>,
}

impl TimelineEvent {
    /// Every page the event names.
    pub fn named_pages(&self) -> impl Iterator<Item = PageId> + '_ {
        self.relations.iter().flat_map(|r| r.pages.iter().copied())
    }
}

/// Whether the page has a heading with the event's `anchor` as its id; an error at the
/// anchor if not.
fn known_anchor(page: &Page, anchor: &Located<String>, diagnostics: &mut Diagnostics) -> bool {
    if page.anchors.contains(&anchor.value) {
        return true;
    }
    let mut error = Diagnostic::error(
        Kind::BrokenAnchor,
        format!(
            "this event's anchor `{}` is not the id of a heading on its page",
            anchor.value
        ),
    )
    .in_file(&page.file)
    .with_position(anchor.position.clone());
    error = match did_you_mean(&anchor.value, page.anchors.iter().map(String::as_str)) {
        Some(close) => error.help(format!("did you mean `{close}`?")),
        None => error.help("give the id of a heading of this page, e.g. `anchor: part-1` for `## Part 1 {#part-1}`"),
    };
    diagnostics.push(error);
    false
}

/// Collects and orders the events, and records on each page the events it tells and
/// the events that name it.
pub fn collect(site: &mut Site, names: &Names, diagnostics: &mut Diagnostics) {
    let rank = site.reading_rank();
    let mut events = Vec::new();
    for (id, page) in site.pages.iter().enumerate() {
        for (order, event) in page.front_matter.events.iter().enumerate() {
            if event.date.is_none() {
                diagnostics.push(
                    Diagnostic::warning(
                        Kind::UndatedEvent,
                        "this event has no date, so it is left out of the timeline",
                    )
                    .in_file(&page.file)
                    .with_position(event.position.clone())
                    .help("add `date: 2016`, `2016-03` or `2016-03-01`"),
                );
            }
            let relations = resolve_map(site, names, id, &event.relations, diagnostics);
            let anchor = event
                .anchor
                .as_ref()
                .filter(|anchor| known_anchor(page, anchor, diagnostics))
                .map(|anchor| anchor.value.clone());
            let key = (rank[id], order);
            events.push((
                key,
                TimelineEvent {
                    id: String::new(),
                    date: event.date.clone(),
                    end: event.end.clone(),
                    summary: event.summary.clone(),
                    page: id,
                    anchor,
                    relations,
                },
            ));
        }
    }
    events.retain(|(_, e)| e.date.is_some());
    events
        .sort_by(|(a_key, a), (b_key, b)| (&a.date, &a.end, a_key).cmp(&(&b.date, &b.end, b_key)));
    let timeline: Vec<TimelineEvent> = events
        .into_iter()
        .enumerate()
        .map(|(index, (_, mut event))| {
            event.id = format!("event-{}", index + 1);
            event
        })
        .collect();
    for (index, event) in timeline.iter().enumerate() {
        site.pages[event.page].events.push(index);
        for named in event.named_pages() {
            let mentioned = &mut site.pages[named].mentioned_in;
            if named != event.page && mentioned.last() != Some(&index) {
                mentioned.push(index);
            }
        }
    }
    site.timeline = timeline;
}
