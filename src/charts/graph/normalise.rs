//! The input as a canonical graph: nodes sorted by id (the first of duplicate ids
//! wins), edges to unknown ids and self-loops dropped, duplicate edges merged, and
//! all relations between one pair of nodes gathered into one [`Pair`]. Also gives
//! each node its shape, from its palette slot, and its box, from its label's lines.

use std::collections::{BTreeMap, BTreeSet};

use super::super::svg::{text_width, wrap};
use super::super::{GraphEdge, GraphNode, PALETTE_SLOTS};
use super::FONT_SIZE;

/// Node labels are wrapped at this many characters: about 170 pixels of text.
pub(super) const LINE_CHARS: usize = 24;
/// The height of a one-line node, and what each further line adds.
pub(super) const NODE_HEIGHT: f64 = 28.0;
pub(super) const LINE_HEIGHT: f64 = 15.0;
const NODE_PADDING: f64 = 12.0;
/// How far a hexagon's points and a parallelogram's slant reach beyond the text box.
pub(super) const HEXAGON_INSET: f64 = NODE_HEIGHT / 2.0;
pub(super) const SLANT: f64 = 10.0;

/// A node after canonicalisation, with its drawn box.
pub(super) struct Node<'a> {
    pub node: &'a GraphNode,
    /// The palette slot, below [`PALETTE_SLOTS`]; `None` for a node of no group.
    pub slot: Option<usize>,
    pub shape: Shape,
    /// The label, wrapped.
    pub lines: Vec<String>,
    /// Centre and size, in drawing coordinates once laid out.
    pub center: (f64, f64),
    pub size: (f64, f64),
}

/// All relations between one pair of nodes, `a < b` by index.
pub(super) struct Pair<'a> {
    pub a: usize,
    pub b: usize,
    /// Relation names from `a` to `b`, and from `b` to `a`, sorted and unique.
    pub forward: Vec<&'a str>,
    pub backward: Vec<&'a str>,
}

impl Pair<'_> {
    /// The relation names drawn on the curve.
    pub fn label(&self) -> String {
        let mut names: Vec<&str> = self
            .forward
            .iter()
            .chain(&self.backward)
            .copied()
            .filter(|n| !n.is_empty())
            .collect();
        names.sort_unstable();
        names.dedup();
        names.join(", ")
    }
}

/// One line of the legend: a slot's shape and the names of the groups drawn in it.
pub(super) struct LegendEntry {
    pub slot: usize,
    pub shape: Shape,
    pub name: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Shape {
    Pill,
    Rect,
    Ellipse,
    Hexagon,
    Parallelogram,
    Octagon,
    /// Nodes of no group.
    Rounded,
}

impl Shape {
    /// One shape per slot, so groups differ by outline as well as by colour.
    const BY_SLOT: [Shape; PALETTE_SLOTS] = [
        Shape::Pill,
        Shape::Rect,
        Shape::Ellipse,
        Shape::Hexagon,
        Shape::Parallelogram,
        Shape::Octagon,
    ];

    pub fn for_slot(slot: Option<usize>) -> Shape {
        slot.map_or(Shape::Rounded, |slot| Shape::BY_SLOT[slot % PALETTE_SLOTS])
    }

    /// The box of this shape around text of this size, with room for the corners
    /// the shape cuts off.
    fn around(self, (text_width, text_height): (f64, f64)) -> (f64, f64) {
        let width = text_width + 2.0 * NODE_PADDING;
        let height = text_height + NODE_HEIGHT - LINE_HEIGHT;
        let (width, height) = match self {
            Shape::Ellipse => (width * 1.2, height + 6.0 * text_height / LINE_HEIGHT),
            Shape::Hexagon => (width + HEXAGON_INSET, height),
            Shape::Parallelogram => (width + SLANT, height),
            _ => (width, height),
        };
        (width.max(40.0), height)
    }
}

/// Sorted by id (then by the other fields, so duplicates resolve the same way
/// whatever their order), first of each id kept, boxes sized from the label.
pub(super) fn nodes(nodes: &[GraphNode]) -> Vec<Node<'_>> {
    let mut sorted: Vec<&GraphNode> = nodes.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.id, &a.label, &a.href, &a.group, a.slot)
            .cmp(&(&b.id, &b.label, &b.href, &b.group, b.slot))
    });
    sorted.dedup_by(|a, b| a.id == b.id);
    sorted.into_iter().map(node).collect()
}

fn node(node: &GraphNode) -> Node<'_> {
    let slot = node.slot.map(|slot| slot % PALETTE_SLOTS);
    let shape = Shape::for_slot(slot);
    let lines = wrap(display_label(node), LINE_CHARS);
    let widest = lines
        .iter()
        .map(|line| text_width(line, FONT_SIZE))
        .fold(0.0, f64::max);
    Node {
        node,
        slot,
        shape,
        size: shape.around((widest, lines.len() as f64 * LINE_HEIGHT)),
        lines,
        center: (0.0, 0.0),
    }
}

/// Relations between known nodes, deduplicated and grouped by pair.
pub(super) fn pairs<'a>(nodes: &[Node<'a>], edges: &'a [GraphEdge]) -> Vec<Pair<'a>> {
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.node.id.as_str(), i))
        .collect();
    let mut pairs: BTreeMap<(usize, usize), Pair<'a>> = BTreeMap::new();
    for edge in edges {
        let (Some(&from), Some(&to)) = (index.get(edge.from.as_str()), index.get(edge.to.as_str()))
        else {
            continue;
        };
        // A relation of a node with itself has nothing to connect on a map.
        if from == to {
            continue;
        }
        let (a, b) = (from.min(to), from.max(to));
        let pair = pairs.entry((a, b)).or_insert_with(|| Pair {
            a,
            b,
            forward: Vec::new(),
            backward: Vec::new(),
        });
        let names = if from == a {
            &mut pair.forward
        } else {
            &mut pair.backward
        };
        names.push(edge.label.trim());
    }
    let mut pairs: Vec<Pair> = pairs.into_values().collect();
    for pair in &mut pairs {
        for names in [&mut pair.forward, &mut pair.backward] {
            names.sort_unstable();
            names.dedup();
        }
    }
    pairs
}

/// The groups drawn, one entry per slot in slot order, naming every group that slot
/// stands for here; empty when the nodes are all of one group, where a legend would
/// explain nothing. Nodes of no group or an unnamed one are left out.
pub(super) fn legend(nodes: &[Node]) -> Vec<LegendEntry> {
    let mut by_slot: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for node in nodes {
        let name = node.node.group.trim();
        if let (Some(slot), false) = (node.slot, name.is_empty()) {
            by_slot.entry(slot).or_default().insert(name);
        }
    }
    if by_slot.values().map(BTreeSet::len).sum::<usize>() < 2 {
        return Vec::new();
    }
    by_slot
        .into_iter()
        .map(|(slot, names)| LegendEntry {
            slot,
            shape: Shape::for_slot(Some(slot)),
            name: names.into_iter().collect::<Vec<_>>().join(", "),
        })
        .collect()
}

pub(super) fn display_label(node: &GraphNode) -> &str {
    let label = node.label.trim();
    if label.is_empty() {
        node.id.trim()
    } else {
        label
    }
}
