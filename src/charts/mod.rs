//! Charts: small, accessible SVG pictures drawn at build time and inlined in pages.
//!
//! Two pictures, each a pure function from plain data to an SVG string:
//!
//! - [`timeline_svg`]: events on a year axis, one linked mark per event;
//! - [`relation_map_svg`]: nodes and the relations between them, laid out as a
//!   layered graph by the `layout-rs` crate, one link per node;
//! - [`diagram_svg`]: the same drawing for a graph an author wrote (a Graphviz
//!   block), as one picture (`role="img"`) with no links.
//!
//! Both make the same promises, so a page can inline them as they are:
//!
//! - the root `<svg>` has `role="group"` (not `img`, whose content is hidden from
//!   assistive technology: the marks are links; a diagram, which has none, is an
//!   `img`) and is labelled by its own `<title>` and
//!   `<desc>`, whose ids start with a prefix hashed from the chart's content, so two
//!   charts on one page don't share ids;
//! - every mark is an `<a href>` with a `<title>` giving its full text;
//! - all text is escaped, and labels are shown whole: a long one is wrapped onto
//!   several lines, never cut short;
//! - legible where it is read: no text is smaller than 11 CSS pixels, the drawing
//!   is at least as wide as folio's reading column, and it is never shrunk below
//!   its own size (a wider drawing scrolls in its figure instead);
//! - groups are told apart by shape as well as by colour, and a map of several
//!   named groups has a legend;
//! - no script, no style attributes, no external references: colours come from
//!   classes styled by [`CHART_CSS`] and from `currentColor`, so the charts follow
//!   the light and dark themes;
//! - coordinates rounded to one decimal, and inputs sorted before use, so the same
//!   input always gives the same bytes.
//!
//! This module knows nothing of the rest of folio: callers turn their content into
//! the structs below.

mod graph;
mod svg;
mod timeline;

#[cfg(test)]
mod css_tests;
#[cfg(test)]
mod tests;

/// One event on a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimelineEvent {
    /// Year, month 1–12 or 0 if unknown, day 1–31 or 0 if unknown.
    pub start: (i32, u8, u8),
    /// The end of a period, drawn as a bar; `None` for a single date.
    pub end: Option<(i32, u8, u8)>,
    /// The date as shown to readers, e.g. "March 2016".
    pub label: String,
    pub summary: String,
    /// Where the mark links to, e.g. "/timeline/#event-3".
    pub href: String,
}

/// How many palette slots [`CHART_CSS`] colours, light and dark: the groups of a
/// relation map take one each, and a group's slot picks its shape as well.
pub const PALETTE_SLOTS: usize = 6;

/// One node of a relation map.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GraphNode {
    pub id: String,
    pub label: String,
    pub href: String,
    /// The name of the node's group as readers know it (a site names each group by
    /// its section's title): the legend shows it beside the group's shape.
    pub group: String,
    /// The group's palette slot: it picks the shape and, through the class
    /// `rm-s<slot>`, the colours. Slots from [`PALETTE_SLOTS`] on wrap around;
    /// `None` is a node of no group, drawn in neutral colours.
    pub slot: Option<usize>,
}

/// One relation, from one node id to another.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// The relation's name, e.g. "partners".
    pub label: String,
}

/// A drawn relation map: its SVG and the size of its drawing, in user units.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub svg: String,
    pub size: (f64, f64),
}

impl Chart {
    /// Whether the chart shows whole in the reading column with its text no smaller
    /// than 11 pixels, so that a reader never has to scroll it.
    pub fn fits_reading_width(&self) -> bool {
        svg::least_size(self.size.0) <= svg::READING_WIDTH
    }
}

/// A timeline of `events` as an inline SVG, or an empty string when there are no
/// events. See the `timeline` module for how partial dates are placed.
pub fn timeline_svg(events: &[TimelineEvent], title: &str) -> String {
    timeline::timeline_svg(events, title)
}

pub use graph::{Direction, diagram_svg, relation_map_svg};

/// A diagram an author wrote, as a graph: drawn by [`diagram_svg`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// The accessible name of the picture.
    pub title: String,
    pub direction: Direction,
    /// Whether edges have arrowheads.
    pub directed: bool,
}

/// The charts' styles, shipped as `theme/charts.css`: palettes for the
/// light and dark themes (by `prefers-color-scheme`, overridden by
/// `html[data-theme]`) of [`PALETTE_SLOTS`] slots, and the rules for every class the
/// charts use.
pub const CHART_CSS: &str = include_str!("../../theme/charts.css");
