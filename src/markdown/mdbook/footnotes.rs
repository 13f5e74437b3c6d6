//! Footnotes as mdBook 0.5 writes them. A reference is
//! `<sup class="footnote-reference" id="fr-NAME-N"><a href="#footnote-NAME">NUMBER</a></sup>`,
//! notes being numbered by their first reference and `N` counting references to one
//! note. The notes move to the end of the page, in number order, as
//! `<li id="footnote-NAME">` items of an `<ol class="footnote-definition">` after an
//! `<hr>`, each ending with a `↩` link back to every reference. As in mdBook, a note no
//! one refers to is left out and a second note of the same name is ignored, each with a
//! warning here.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, TagEnd};

use crate::markdown::links::push_escaped_html;

/// The start of every reference's HTML, by which the next one knows it follows one.
const REFERENCE_OPEN: &str = "<sup class=\"footnote-reference\" id=\"fr-";

#[derive(Default)]
pub(crate) struct Footnotes<'a> {
    /// Per note name: its number and how many references it has had so far.
    numbers: HashMap<String, (usize, u32)>,
    /// Names with a definition (read or being read).
    defined: HashSet<String>,
    /// The first definition of each name, in the order written.
    notes: Vec<Note<'a>>,
    /// Definitions being read, innermost last (a definition may hold another).
    open: Vec<Note<'a>>,
}

struct Note<'a> {
    name: String,
    range: Range<usize>,
    events: Vec<Event<'a>>,
    /// A later definition of a name already defined: read, then dropped.
    repeated: bool,
}

/// A reference's HTML and the id it carries.
pub(crate) struct Reference {
    pub(crate) html: String,
    pub(crate) id: String,
    pub(crate) number: usize,
}

impl<'a> Footnotes<'a> {
    /// The HTML for a reference to note `name`; `after_reference` when the previous
    /// output is a reference too, which mdBook separates from this one by a space.
    pub(crate) fn reference(&mut self, name: &str, after_reference: bool) -> Reference {
        let next_number = self.numbers.len() + 1;
        let (number, count) = self
            .numbers
            .entry(name.to_string())
            .or_insert((next_number, 0));
        *count += 1;
        let id = format!("fr-{name}-{count}");
        let mut html = String::from(if after_reference { " " } else { "" });
        html.push_str(REFERENCE_OPEN);
        push_escaped_html(&mut html, &id[3..]);
        html.push_str("\"><a href=\"#footnote-");
        push_escaped_html(&mut html, name);
        html.push_str(&format!("\">{number}</a></sup>"));
        Reference {
            html,
            id,
            number: *number,
        }
    }

    /// Whether `event` is a reference's HTML.
    pub(crate) fn is_reference(event: &Event<'_>) -> bool {
        matches!(event, Event::InlineHtml(html) if html.trim_start().starts_with(REFERENCE_OPEN))
    }

    /// Starts reading the definition of note `name`, written at `range`.
    pub(crate) fn open(&mut self, name: &str, range: Range<usize>) {
        let repeated = !self.defined.insert(name.to_string());
        self.open.push(Note {
            name: name.to_string(),
            range,
            events: Vec::new(),
            repeated,
        });
    }

    /// Where the innermost open definition's content goes, if one is open.
    pub(crate) fn sink(&mut self) -> Option<&mut Vec<Event<'a>>> {
        self.open.last_mut().map(|note| &mut note.events)
    }

    pub(crate) fn is_open(&self) -> bool {
        !self.open.is_empty()
    }

    /// Ends the innermost definition; returns a warning when it repeats a name.
    pub(crate) fn close(&mut self) -> Option<(Range<usize>, String)> {
        let note = self.open.pop()?;
        if note.repeated {
            let message = format!(
                "footnote `{}` is defined more than once; the first definition is kept",
                note.name
            );
            return Some((note.range, message));
        }
        self.notes.push(note);
        None
    }

    /// The list of notes for the end of the page, pushing each note's id to `anchors`
    /// and a warning for each note never referred to.
    pub(crate) fn finish(
        mut self,
        anchors: &mut Vec<String>,
        warnings: &mut Vec<(Range<usize>, String)>,
    ) -> Vec<Event<'a>> {
        // Definitions left open by malformed input still count, as they do in mdBook.
        while self.close().is_some() {}
        if self.notes.is_empty() {
            return Vec::new();
        }
        let mut notes = std::mem::take(&mut self.notes);
        notes.retain(|note| {
            let referenced = self.numbers.contains_key(&note.name);
            if !referenced {
                let message = format!("footnote `{}` is never referred to", note.name);
                warnings.push((note.range.clone(), message));
            }
            referenced
        });
        notes.sort_by_key(|note| self.numbers.get(&note.name).map_or(0, |n| n.0));
        let mut events = vec![
            Event::Rule,
            Event::Html("<ol class=\"footnote-definition\">\n".into()),
        ];
        for note in notes {
            let count = self.numbers.get(&note.name).map_or(0, |n| n.1);
            anchors.push(format!("footnote-{}", note.name));
            events.extend(item(note, count));
        }
        events.push(Event::Html("</ol>\n".into()));
        events
    }
}

/// A note's `<li>`, with its links back to each of its `count` references at the end
/// of its last paragraph, or after its last block when that is no paragraph.
fn item(note: Note<'_>, count: u32) -> Vec<Event<'_>> {
    let mut open = String::from("<li id=\"footnote-");
    push_escaped_html(&mut open, &note.name);
    open.push_str("\">");
    let mut events = Vec::with_capacity(note.events.len() + 3);
    events.push(Event::Html(open.into()));
    events.extend(note.events);
    let backlinks = Event::InlineHtml(backlinks(&note.name, count).into());
    match events.last() {
        Some(Event::End(TagEnd::Paragraph)) => events.insert(events.len() - 1, backlinks),
        _ => events.push(backlinks),
    }
    events.push(Event::Html("</li>\n".into()));
    events
}

/// ` <a href="#fr-NAME-1">↩</a> <a href="#fr-NAME-2">↩2</a>`…
fn backlinks(name: &str, count: u32) -> String {
    let mut html = String::new();
    for usage in 1..=count {
        html.push_str(" <a href=\"#fr-");
        push_escaped_html(&mut html, name);
        html.push_str(&format!("-{usage}\">↩"));
        if usage > 1 {
            html.push_str(&usage.to_string());
        }
        html.push_str("</a>");
    }
    html
}
