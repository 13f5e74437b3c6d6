//! The relation map's SVG: the arrowhead marker, the curves with their relation
//! names, the nodes as linked shapes with their labels, and the legend. Everything
//! is placed already; this only writes.

use std::fmt::Write as _;

use super::super::svg::{escape, id_prefix, num, open_link, open_svg};
use super::arrange::{Drawing, KEY_GAP, KEY_SIZE};
use super::normalise::{HEXAGON_INSET, LINE_HEIGHT, Node, Pair, SLANT, Shape, display_label};
use super::{Curve, FONT_SIZE};

/// Everything a map is drawn from.
pub(super) struct Map<'a> {
    pub nodes: &'a [Node<'a>],
    pub pairs: &'a [Pair<'a>],
    pub drawing: &'a Drawing<'a>,
    pub draw_labels: bool,
}

pub(super) fn map(map: &Map, title: &str, focus: Option<&str>) -> String {
    let desc = describe(map.nodes.len(), map.pairs);
    let (mut out, prefix) = open(map, "folio-map", "group", (title, &desc), focus);
    let focus = focus.and_then(|id| map.nodes.iter().position(|n| n.node.id == id));
    write_body(&mut out, &prefix, map, focus);
    out
}

/// An author's diagram: one picture, so `role="img"`; its nodes are not links.
pub(super) fn diagram(map: &Map, title: &str) -> String {
    let desc = describe_diagram(map.nodes.len(), map.pairs.len());
    let (mut out, prefix) = open(map, "folio-diagram", "img", (title, &desc), None);
    write_body(&mut out, &prefix, map, None);
    out
}

/// The root `<svg>` and the arrowhead marker, and the prefix of their ids, hashed
/// from what makes this drawing differ from another on the page.
fn open(
    map: &Map,
    class: &str,
    role: &str,
    (title, desc): (&str, &str),
    focus: Option<&str>,
) -> (String, String) {
    let Map { nodes, pairs, .. } = *map;
    let edge_key: String = pairs.iter().map(|p| format!("{}>{};", p.a, p.b)).collect();
    let mut hash_parts = vec![title, focus.unwrap_or(""), &edge_key];
    hash_parts.extend(nodes.iter().map(|n| n.node.id.as_str()));
    let prefix = id_prefix("rm", &hash_parts);
    let mut out = String::with_capacity(1024 + nodes.len() * 300 + pairs.len() * 200);
    open_svg(
        &mut out,
        &prefix,
        class,
        role,
        map.drawing.size,
        title,
        desc,
    );
    let _ = write!(
        out,
        "<defs><marker id=\"{prefix}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" \
         orient=\"auto-start-reverse\"><path class=\"rm-arrowhead\" fill=\"currentColor\" \
         d=\"M0 0L10 5L0 10z\"/></marker></defs>"
    );
    (out, prefix)
}

/// Everything inside the root: curves, nodes, legend; then `</svg>`.
fn write_body(out: &mut String, prefix: &str, map: &Map, focus: Option<usize>) {
    write_edges(out, prefix, map, focus);
    write_nodes(out, map.nodes, focus);
    write_legend(out, map.drawing);
    out.push_str("</svg>");
}

fn write_edges(out: &mut String, prefix: &str, map: &Map, focus: Option<usize>) {
    let _ = write!(
        out,
        "<g class=\"rm-edges\" fill=\"none\" stroke=\"currentColor\" text-anchor=\"middle\">"
    );
    for (pair, curve) in map.pairs.iter().zip(&map.drawing.curves) {
        let class = match focus {
            Some(f) if f == pair.a || f == pair.b => "rm-edge rm-edge-focus",
            Some(_) => "rm-edge rm-edge-aside",
            None => "rm-edge",
        };
        let _ = write!(
            out,
            "<g class=\"{class}\"><title>{}</title>",
            escape(&edge_title(map.nodes, pair))
        );
        let _ = write!(out, "<path d=\"{}\"", path_data(curve));
        if curve.start_head {
            let _ = write!(out, " marker-start=\"url(#{prefix}-arrow)\"");
        }
        if curve.end_head {
            let _ = write!(out, " marker-end=\"url(#{prefix}-arrow)\"");
        }
        out.push_str("/>");
        if map.draw_labels {
            write_edge_label(out, curve, &pair.label());
        }
        out.push_str("</g>");
    }
    out.push_str("</g>");
}

fn write_edge_label(out: &mut String, curve: &Curve, label: &str) {
    let Some(place) = curve.label.filter(|_| !label.is_empty()) else {
        return;
    };
    let _ = write!(
        out,
        "<text class=\"rm-edge-label\" x=\"{}\" y=\"{}\"{} fill=\"currentColor\" \
         stroke=\"none\">{}</text>",
        num(place.x),
        num(place.y),
        if place.starts {
            " text-anchor=\"start\""
        } else {
            ""
        },
        escape(label)
    );
}

/// SVG path data: `C` for the first segment, then `S`, whose first control point is
/// the reflection of the previous one, exactly as the layout crate builds its curves.
fn path_data(curve: &Curve) -> String {
    let mut d = String::new();
    let mut points = curve.points.iter();
    let Some(((x, y), first_control)) = points.next() else {
        return d;
    };
    let _ = write!(d, "M{} {}", num(*x), num(*y));
    for (i, (control, (x, y))) in points.enumerate() {
        if i == 0 {
            let _ = write!(d, "C{} {} ", num(first_control.0), num(first_control.1));
        } else {
            d.push('S');
        }
        let _ = write!(
            d,
            "{} {} {} {}",
            num(control.0),
            num(control.1),
            num(*x),
            num(*y)
        );
    }
    d
}

/// "A — partners → B", one per relation, joined by "; ".
fn edge_title(nodes: &[Node], pair: &Pair) -> String {
    let a = display_label(nodes[pair.a].node);
    let b = display_label(nodes[pair.b].node);
    let one = |from: &str, name: &str, to: &str| {
        if name.is_empty() {
            format!("{from} → {to}")
        } else {
            format!("{from} — {name} → {to}")
        }
    };
    pair.forward
        .iter()
        .map(|name| one(a, name, b))
        .chain(pair.backward.iter().map(|name| one(b, name, a)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The class of a node or legend key of `slot`: `rm-s3`, which the stylesheet
/// colours; nothing more for a node of no group, which keeps the neutral look.
fn slot_class(slot: Option<usize>) -> String {
    slot.map_or_else(String::new, |slot| format!(" rm-s{slot}"))
}

fn write_nodes(out: &mut String, nodes: &[Node], focus: Option<usize>) {
    out.push_str(
        "<g class=\"rm-nodes\" fill=\"none\" stroke=\"currentColor\" text-anchor=\"middle\">",
    );
    for (i, node) in nodes.iter().enumerate() {
        let mut class = format!("rm-node{}", slot_class(node.slot));
        if focus == Some(i) {
            class.push_str(" rm-focus");
        }
        let close = open_link(out, &node.node.href, &class);
        let _ = write!(out, "<title>{}</title>", escape(display_label(node.node)));
        write_shape(out, node.shape, node.center, node.size);
        write_lines(out, node);
        out.push_str(close);
    }
    out.push_str("</g>");
}

/// The label's lines, one `<text>` each, centred on the node as a block. A baseline
/// a third of an em below a line's middle centres it without `dominant-baseline`,
/// which renderers disagree on; the fill and stroke are for viewers without the
/// stylesheet, where the group strokes the shapes.
fn write_lines(out: &mut String, node: &Node) {
    let (cx, cy) = node.center;
    let first = cy - (node.lines.len() - 1) as f64 * LINE_HEIGHT / 2.0;
    for (i, line) in node.lines.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"currentColor\" stroke=\"none\">{}</text>",
            num(cx),
            num(first + i as f64 * LINE_HEIGHT + FONT_SIZE * 0.35),
            escape(line)
        );
    }
}

fn write_shape(out: &mut String, shape: Shape, (cx, cy): (f64, f64), (w, h): (f64, f64)) {
    if let Some(corners) = corners(shape, (cx, cy), (w, h)) {
        out.push_str("<path d=\"");
        for (i, (x, y)) in corners.iter().enumerate() {
            let command = if i == 0 { 'M' } else { 'L' };
            let _ = write!(out, "{command}{} {}", num(*x), num(*y));
        }
        out.push_str("z\"/>");
        return;
    }
    if shape == Shape::Ellipse {
        let _ = write!(
            out,
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"/>",
            num(cx),
            num(cy),
            num(w / 2.0),
            num(h / 2.0)
        );
        return;
    }
    let rx = match shape {
        Shape::Pill => h.min(NODE_ROUND_LIMIT) / 2.0,
        Shape::Rect => 2.0,
        _ => 6.0,
    };
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/>",
        num(cx - w / 2.0),
        num(cy - h / 2.0),
        num(w),
        num(h),
        num(rx)
    );
}

/// The corners of a shape drawn as a polygon, clockwise from the top left; `None`
/// for the round shapes and rectangles.
fn corners(shape: Shape, (cx, cy): (f64, f64), (w, h): (f64, f64)) -> Option<Vec<(f64, f64)>> {
    let (x0, y0, x1, y1) = (cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0);
    let inset = HEXAGON_INSET.min(w / 4.0);
    let slant = SLANT.min(w / 4.0);
    let cut = (h / 4.0).min(8.0);
    match shape {
        Shape::Hexagon => Some(vec![
            (x0 + inset, y0),
            (x1 - inset, y0),
            (x1, cy),
            (x1 - inset, y1),
            (x0 + inset, y1),
            (x0, cy),
        ]),
        Shape::Parallelogram => Some(vec![(x0 + slant, y0), (x1, y0), (x1 - slant, y1), (x0, y1)]),
        Shape::Octagon => Some(vec![
            (x0 + cut, y0),
            (x1 - cut, y0),
            (x1, y0 + cut),
            (x1, y1 - cut),
            (x1 - cut, y1),
            (x0 + cut, y1),
            (x0, y1 - cut),
            (x0, y0 + cut),
        ]),
        Shape::Pill | Shape::Rect | Shape::Ellipse | Shape::Rounded => None,
    }
}

/// A pill's ends are round up to this height; a taller pill keeps that radius, so
/// the corners don't eat into a label of several lines.
const NODE_ROUND_LIMIT: f64 = 44.0;

/// The legend: each group's shape in its colours, and its name, from the key's
/// centre.
fn write_legend(out: &mut String, drawing: &Drawing) {
    if drawing.legend.is_empty() {
        return;
    }
    out.push_str(
        "<g class=\"rm-legend\" fill=\"none\" stroke=\"currentColor\" text-anchor=\"start\">",
    );
    for (entry, (cx, cy)) in &drawing.legend {
        let _ = write!(out, "<g class=\"rm-key{}\">", slot_class(Some(entry.slot)));
        write_shape(out, entry.shape, (*cx, *cy), KEY_SIZE);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"currentColor\" stroke=\"none\">{}</text></g>",
            num(cx + KEY_SIZE.0 / 2.0 + KEY_GAP),
            num(cy + FONT_SIZE * 0.35),
            escape(&entry.name)
        );
    }
    out.push_str("</g>");
}

fn describe(nodes: usize, pairs: &[Pair]) -> String {
    let relations: usize = pairs
        .iter()
        .map(|p| p.forward.len() + p.backward.len())
        .sum();
    let n = if nodes == 1 { "item" } else { "items" };
    let r = if relations == 1 {
        "relation"
    } else {
        "relations"
    };
    format!("Map of {nodes} {n} and {relations} {r} between them.")
}

fn describe_diagram(nodes: usize, edges: usize) -> String {
    let n = if nodes == 1 { "node" } else { "nodes" };
    let e = if edges == 1 { "edge" } else { "edges" };
    format!("Diagram of {nodes} {n} and {edges} {e}.")
}
