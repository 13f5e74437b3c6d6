//! The relation map: nodes and the relations between them, laid out by `layout-rs`.
//!
//! `layout-rs` does a Graphviz-style layered layout (ranks, crossing reduction,
//! Brandes–Köpf placement, curved edges through dummy nodes). We use it only for
//! geometry: node centres and the edges' Bézier curves are read from its graph after
//! placement, and this module writes the SVG itself, so links, ids, classes and
//! escaping are ours and never depend on the crate's own SVG writer.
//!
//! The work is split by job, each a module of its own:
//!
//! - [`normalise`]: the input as a canonical graph, so the same graph always gives
//!   the same bytes whatever order it came in; each node's shape, label lines and
//!   box;
//! - [`order`]: graph algorithms on plain indexes: an acyclic orientation of the
//!   relations and the ordering of ranks to reduce crossings;
//! - [`layout`]: the adapter to `layout-rs`, the only code that knows the crate;
//! - [`arrange`]: which layout to keep, and where everything it leaves out goes
//!   (nodes without relations, the legend), giving the drawing's size;
//! - [`draw`]: the SVG.
//!
//! An author's diagram ([`diagram_svg`]) is drawn the same way, so a Graphviz block
//! looks like the site's relation maps and follows both palettes; only its role, its
//! description and the direction of its ranks differ.

mod arrange;
mod draw;
mod layout;
mod normalise;
mod order;

use super::svg::text_width;
use super::{Chart, Diagram, GraphEdge, GraphNode};

use super::svg::TEXT_SIZE as FONT_SIZE;
const MARGIN: f64 = 12.0;
/// Free space the layout keeps around a node: across ranks (room for the curves)
/// and between neighbours in a rank.
const HALO_ACROSS: f64 = 70.0;
const HALO_ALONG: f64 = 18.0;
/// Relation names are drawn on the curves up to this many curves; past it they would
/// crowd the drawing (and slow the layout, which gives each label a node of its own),
/// and stay in the curves' `<title>`s.
const MAX_DRAWN_EDGE_LABELS: usize = 40;

/// Which way the ranks of a layout run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
    /// Ranks are columns, relations run left to right.
    Across,
    /// Ranks are rows, relations run top to bottom.
    Down,
}

/// A drawn edge: a chain of cubic Bézier segments as the layout crate gives it (the
/// first pair is the start point and its control point, each later pair a control
/// point and the point it leads into), and where its arrowheads and label go.
struct Curve {
    points: Vec<((f64, f64), (f64, f64))>,
    start_head: bool,
    end_head: bool,
    label: Option<EdgeLabel>,
}

impl Curve {
    fn translated(self, dx: f64, dy: f64) -> Curve {
        let shift = |(x, y): (f64, f64)| (x + dx, y + dy);
        Curve {
            points: self
                .points
                .into_iter()
                .map(|(p, q)| (shift(p), shift(q)))
                .collect(),
            label: self.label.map(|label| EdgeLabel {
                x: label.x + dx,
                y: label.y + dy,
                ..label
            }),
            ..self
        }
    }
}

/// Where an edge's label is drawn: the text's anchor point (on its baseline), its
/// estimated width, and whether it starts at the anchor or is centred on it.
#[derive(Clone, Copy)]
struct EdgeLabel {
    x: f64,
    y: f64,
    width: f64,
    starts: bool,
}

impl EdgeLabel {
    /// The label of a layout's text connector whose box is centred on `middle`. The
    /// crate reserves the connector's box for the text and runs the curve through
    /// the box's edge: across, horizontal curves would cross a label centred in it,
    /// so it sits just above the centre; down, vertical ones would, so it starts
    /// just right of it.
    fn at(middle: (f64, f64), text: &str, direction: Direction) -> EdgeLabel {
        let width = text_width(text, FONT_SIZE);
        match direction {
            Direction::Across => EdgeLabel {
                x: middle.0,
                y: middle.1 - 4.0,
                width,
                starts: false,
            },
            Direction::Down => EdgeLabel {
                x: middle.0 + 4.0,
                y: middle.1 + FONT_SIZE * 0.35,
                width,
                starts: true,
            },
        }
    }

    /// The horizontal extent of the text.
    fn span(&self) -> (f64, f64) {
        if self.starts {
            (self.x, self.x + self.width)
        } else {
            (self.x - self.width / 2.0, self.x + self.width / 2.0)
        }
    }
}

/// A map of `nodes` and the `edges` between them, drawn as an inline SVG, with the node
/// whose id is `focus` emphasised with the relations that touch it (`rm-edge-focus`),
/// and the relations among the other nodes drawn as secondary (`rm-edge-aside`); an
/// empty SVG of no size when there are no nodes.
///
/// Duplicate node ids keep one node, edges to unknown ids and from a node to itself
/// are skipped, duplicate edges are drawn once, and all relations between two nodes
/// share one curve whose `<title>` names each of them. When the nodes belong to more
/// than one named group, a legend names each group beside its shape.
pub fn relation_map_svg(
    nodes: &[GraphNode],
    edges: &[GraphEdge],
    title: &str,
    focus: Option<&str>,
) -> Chart {
    let title = if title.trim().is_empty() {
        "Relation map"
    } else {
        title
    };
    draw_graph(
        nodes,
        edges,
        &Look {
            title,
            focus,
            direction: None,
            diagram: None,
        },
    )
}

/// A diagram an author wrote (a Graphviz `dot` block): drawn like a relation map, but
/// as one picture (`role="img"`, named by `title`) whose ranks run the way the author
/// asked, with arrowheads only when its edges are `directed`. Nodes are not links;
/// a node's slot gives its shape and colours as on a map.
pub fn diagram_svg(diagram: &Diagram) -> Chart {
    draw_graph(
        &diagram.nodes,
        &diagram.edges,
        &Look {
            title: &diagram.title,
            focus: None,
            direction: Some(diagram.direction),
            diagram: Some(diagram.directed),
        },
    )
}

/// How a graph is drawn: as a relation map (`diagram: None`), or as a diagram whose
/// edges are directed or not; its ranks running the best way (`direction: None`) or
/// the given one.
struct Look<'a> {
    title: &'a str,
    focus: Option<&'a str>,
    direction: Option<Direction>,
    diagram: Option<bool>,
}

fn draw_graph(nodes: &[GraphNode], edges: &[GraphEdge], look: &Look) -> Chart {
    let mut nodes = normalise::nodes(nodes);
    if nodes.is_empty() {
        return Chart {
            svg: String::new(),
            size: (0.0, 0.0),
        };
    }
    let pairs = normalise::pairs(&nodes, edges);
    let legend = normalise::legend(&nodes);
    let draw_labels = pairs.len() <= MAX_DRAWN_EDGE_LABELS;
    let mut drawing = arrange::arrange(&mut nodes, &pairs, &legend, draw_labels, look.direction);
    if look.diagram == Some(false) {
        for curve in &mut drawing.curves {
            (curve.start_head, curve.end_head) = (false, false);
        }
    }
    let map = draw::Map {
        nodes: &nodes,
        pairs: &pairs,
        drawing: &drawing,
        draw_labels,
    };
    let svg = match look.diagram {
        None => draw::map(&map, look.title, look.focus),
        Some(_) => draw::diagram(&map, look.title),
    };
    Chart {
        svg,
        size: drawing.size,
    }
}
