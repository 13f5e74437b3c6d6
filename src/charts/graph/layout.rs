//! The adapter to the `layout-rs` crate, and the only code that knows it: hands it
//! the connected nodes and an acyclic orientation of the relations, and reads back
//! each node's centre and each relation's curve.
//!
//! This is `VisualGraph::do_it` taken apart, for two reasons. Its first step,
//! `to_valid_dag`, checks every edge for a cycle with a path search that can take
//! exponential time on dense graphs; we orient the edges acyclically ourselves
//! ([`orient`]) and hand the DAG over directly. And its crossing reduction costs about
//! the cube of a rank's width for 50 rounds (seconds for 100 nodes and 300 edges);
//! past a small size we order the ranks with the usual barycentre sweeps instead
//! ([`order_ranks`]). Ranks, dummy nodes, coordinates and curves are still the crate's.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use layout::adt::dag::{DAG, NodeHandle};
use layout::core::base::Orientation;
use layout::core::format::Visible;
use layout::core::geometry::{Point, Position};
use layout::core::style::StyleAttr;
use layout::std_shapes::render::generate_curve_for_elements;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use layout::topo::placer::Placer;

use super::normalise::{Node, Pair, Shape};
use super::order::{order_ranks, orient};
use super::{Curve, Direction, EdgeLabel, FONT_SIZE, HALO_ACROSS, HALO_ALONG};

/// Up to this many edge segments (edges plus the dummy nodes of long edges), the
/// crate's own rank ordering runs: its results are good but its cost grows with the
/// cube of a rank's width. Above, [`order_ranks`] does.
const CRATE_ORDERING_MAX_SEGMENTS: usize = 100;

/// The result of a layout: a centre per node (meaningful for connected nodes only)
/// and a curve per pair.
pub(super) struct Layout {
    pub centers: Vec<(f64, f64)>,
    pub curves: Vec<Curve>,
}

/// What the layout graph is made of: the crate's graph, our node's handle in it (for
/// connected nodes), and which pair each of its edges (from, to) stands for.
struct Built {
    graph: VisualGraph,
    handles: Vec<Option<NodeHandle>>,
    pair_of: BTreeMap<(usize, usize), usize>,
}

/// Runs the layered layout over the nodes marked `connected`, their relations
/// running in `direction`. Returns `None` if the layout crate panicked or lost an
/// edge.
pub(super) fn lay_out(
    nodes: &[Node],
    connected: &[bool],
    pairs: &[Pair],
    draw_labels: bool,
    direction: Direction,
) -> Option<Layout> {
    if pairs.is_empty() {
        return Some(Layout {
            centers: vec![(0.0, 0.0); nodes.len()],
            curves: Vec::new(),
        });
    }
    let (oriented, segments) = orient(nodes.len(), pairs);
    // Labels are nodes of their own in the layout, one rank each.
    let segments = segments + if draw_labels { pairs.len() } else { 0 };
    catch_unwind(AssertUnwindSafe(|| {
        let mut built = build(nodes, connected, pairs, &oriented, draw_labels, direction);
        place(&mut built.graph, segments);
        let centers = built
            .handles
            .iter()
            .map(|handle| {
                handle.map_or((0.0, 0.0), |h| {
                    let center = built.graph.pos(h).center();
                    (center.x, center.y)
                })
            })
            .collect();
        let curves = read_curves(&built, pairs, &oriented, direction)?;
        Some(Layout { centers, curves })
    }))
    .ok()
    .flatten()
}

fn orientation(direction: Direction) -> Orientation {
    match direction {
        Direction::Across => Orientation::LeftToRight,
        Direction::Down => Orientation::TopToBottom,
    }
}

/// The crate's graph of the connected nodes and the `oriented` pairs, with a text
/// label on each edge when `draw_labels`.
fn build(
    nodes: &[Node],
    connected: &[bool],
    pairs: &[Pair],
    oriented: &[(usize, usize)],
    draw_labels: bool,
    direction: Direction,
) -> Built {
    let mut graph = VisualGraph::new(orientation(direction));
    // Validation re-checks the whole DAG after every change: a debugging aid.
    graph.dag.set_validate(false);
    let handles: Vec<Option<NodeHandle>> = nodes
        .iter()
        .zip(connected)
        .map(|(node, &connected)| connected.then(|| graph.add_node(element(node, direction))))
        .collect();
    let mut label_look = StyleAttr::simple();
    // The crate sizes a label as one font size per character, which is wider than
    // text really is; a smaller nominal size makes the room it reserves match our
    // estimate for the label drawn at FONT_SIZE.
    label_look.font_size = (FONT_SIZE * 0.6).round() as usize;
    let mut pair_of = BTreeMap::new();
    for (index, (pair, &(from, to))) in pairs.iter().zip(oriented).enumerate() {
        let (Some(from), Some(to)) = (handles[from], handles[to]) else {
            continue;
        };
        let mut arrow = Arrow::simple("");
        if draw_labels {
            arrow.text = pair.label();
            arrow.look = label_look.clone();
        }
        graph.add_edge(arrow, from, to);
        graph.dag.add_edge(from, to);
        pair_of.insert((from.get_index(), to.get_index()), index);
    }
    Built {
        graph,
        handles,
        pair_of,
    }
}

/// A node as the crate's element: its box, and the free space it keeps around it
/// (wide between ranks, for the curves; narrow between neighbours in a rank).
fn element(node: &Node, direction: Direction) -> Element {
    let halo = match direction {
        Direction::Across => Point::new(HALO_ACROSS, HALO_ALONG),
        Direction::Down => Point::new(HALO_ALONG, HALO_ACROSS * 0.7),
    };
    let shape = match node.shape {
        Shape::Ellipse => ShapeKind::Circle(String::new()),
        _ => ShapeKind::Box(String::new()),
    };
    Element {
        shape,
        pos: Position::new(
            Point::zero(),
            Point::new(node.size.0, node.size.1),
            Point::zero(),
            halo,
        ),
        look: StyleAttr::simple(),
        orientation: orientation(direction),
        properties: None,
    }
}

/// Ranks, dummy nodes, rank ordering and coordinates.
fn place(graph: &mut VisualGraph, segments: usize) {
    let small = segments <= CRATE_ORDERING_MAX_SEGMENTS;
    graph.split_text_edges();
    graph.split_long_edges(!small);
    if !small {
        order_dag(&mut graph.dag);
    }
    for handle in graph.iter_nodes() {
        graph.element_mut(handle).resize();
    }
    Placer::new(graph).layout(false);
}

/// [`order_ranks`] over the crate's DAG.
fn order_dag(dag: &mut DAG) {
    let indexes = |handles: &Vec<NodeHandle>| handles.iter().map(NodeHandle::get_index).collect();
    let nodes: Vec<NodeHandle> = dag.iter().collect();
    let predecessors: Vec<Vec<usize>> = nodes
        .iter()
        .map(|&n| indexes(dag.predecessors(n)))
        .collect();
    let successors: Vec<Vec<usize>> = nodes.iter().map(|&n| indexes(dag.successors(n))).collect();
    let mut rows: Vec<Vec<usize>> = (0..dag.num_levels())
        .map(|level| indexes(dag.row(level)))
        .collect();
    order_ranks(&mut rows, &predecessors, &successors);
    for (level, row) in rows.into_iter().enumerate() {
        *dag.row_mut(level) = row.into_iter().map(NodeHandle::new).collect();
    }
}

/// Each edge is now a chain of connector nodes from one of our nodes to another;
/// the one carrying text is where the edge's label goes. `None` if a pair lost its
/// edge.
fn read_curves(
    built: &Built,
    pairs: &[Pair],
    oriented: &[(usize, usize)],
    direction: Direction,
) -> Option<Vec<Curve>> {
    let graph = &built.graph;
    let mut curves: Vec<Option<Curve>> = (0..pairs.len()).map(|_| None).collect();
    for &from in built.handles.iter().flatten() {
        for &first in graph.succ(from) {
            let (chain, label_middle, to) = follow_chain(graph, from, first);
            let Some(&index) = built.pair_of.get(&(from.get_index(), to.get_index())) else {
                continue;
            };
            let path = generate_curve_for_elements(&chain, &Arrow::default(), 30.0);
            let pair = &pairs[index];
            // The layout may have turned the pair around; the heads follow the
            // relations' real directions.
            let along = oriented[index].0 == pair.a;
            let (a_to_b, b_to_a) = (!pair.forward.is_empty(), !pair.backward.is_empty());
            curves[index] = Some(Curve {
                points: path.iter().map(|(p, q)| ((p.x, p.y), (q.x, q.y))).collect(),
                start_head: if along { b_to_a } else { a_to_b },
                end_head: if along { a_to_b } else { b_to_a },
                label: label_middle.map(|m| EdgeLabel::at((m.x, m.y), &pair.label(), direction)),
            });
        }
    }
    curves.into_iter().collect()
}

/// The elements from `from` through the connectors that start at `first` to the
/// node they lead to, the middle of the connector carrying text (if any), and that
/// node.
fn follow_chain(
    graph: &VisualGraph,
    from: NodeHandle,
    first: NodeHandle,
) -> (Vec<Element>, Option<Point>, NodeHandle) {
    let mut chain = vec![graph.element(from).clone()];
    let mut label_middle = None;
    let mut at = first;
    while graph.is_connector(at) {
        let element = graph.element(at);
        if let ShapeKind::Connector(Some(_)) = element.shape {
            label_middle = Some(element.pos.middle());
        }
        chain.push(element.clone());
        match graph.dag.single_succ(at) {
            Some(next) if chain.len() <= graph.num_nodes() => at = next,
            _ => break,
        }
    }
    chain.push(graph.element(at).clone());
    (chain, label_middle, at)
}
