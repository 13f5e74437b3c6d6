//! Where everything goes: which layout to keep (relations across or down), the
//! laid-out part moved to the margin, nodes without relations set in rows below it
//! (the layout would put them all in its first rank, one tall column), the legend
//! below those, and the drawing's size.
//!
//! A drawing no wider than the reading column is centred in a drawing exactly that
//! wide, so it shows at its nominal size there; a wider one keeps its size and
//! scrolls (see `open_svg`), so its text is never scaled below what it was set at.

use super::super::svg::{READING_WIDTH, text_width};
use super::layout::{Layout, lay_out};
use super::normalise::{LegendEntry, Node, Pair};
use super::{Curve, Direction, FONT_SIZE, HALO_ALONG, MARGIN};

/// A legend key: the shape's box, and the gap between it and the group's name.
pub(super) const KEY_SIZE: (f64, f64) = (28.0, 16.0);
pub(super) const KEY_GAP: f64 = 6.0;

/// The laid-out picture: a curve per pair, the centre of each legend entry's key,
/// and the drawing's size. The nodes' centres are set in place.
pub(super) struct Drawing<'a> {
    pub curves: Vec<Curve>,
    pub legend: Vec<(&'a LegendEntry, (f64, f64))>,
    pub size: (f64, f64),
}

pub(super) fn arrange<'a>(
    nodes: &mut [Node],
    pairs: &[Pair],
    legend: &'a [LegendEntry],
    draw_labels: bool,
    direction: Option<Direction>,
) -> Drawing<'a> {
    let mut connected = vec![false; nodes.len()];
    for pair in pairs {
        connected[pair.a] = true;
        connected[pair.b] = true;
    }
    let laid_out = match direction {
        Some(direction) => lay_out(nodes, &connected, pairs, draw_labels, direction),
        None => best_layout(nodes, &connected, pairs, draw_labels),
    };
    // The layout crate asserts its own invariants; should one ever fail, the map
    // degrades to rows of nodes joined by straight lines instead of failing the build.
    let fell_back = laid_out.is_none();
    if fell_back {
        connected.fill(false);
    }
    let (curves, width, top) = laid_out.map_or((Vec::new(), READING_WIDTH, 0.0), |layout| {
        fit(nodes, &connected, layout)
    });
    let bottom = place_nodes_in_rows(nodes, &connected, top, width);
    let curves = if fell_back {
        straight_curves(nodes, pairs)
    } else {
        curves
    };
    let sizes: Vec<(f64, f64)> = legend.iter().map(key_size).collect();
    let (centers, bottom) = rows(&sizes, bottom, width);
    let keys = centers
        .into_iter()
        .zip(&sizes)
        .map(|((cx, cy), (w, _))| (cx - w / 2.0 + KEY_SIZE.0 / 2.0, cy));
    Drawing {
        curves,
        legend: legend.iter().zip(keys).collect(),
        size: (width, bottom + MARGIN),
    }
}

/// The room a legend entry takes: its key, the gap, its name.
fn key_size(entry: &LegendEntry) -> (f64, f64) {
    (
        KEY_SIZE.0 + KEY_GAP + text_width(&entry.name, FONT_SIZE),
        KEY_SIZE.1,
    )
}

/// Moves the laid-out part to the margin, centred when narrower than the reading
/// column, and sets the nodes' centres. Returns the curves, the drawing's width and
/// the bottom of the laid-out part.
fn fit(nodes: &mut [Node], connected: &[bool], layout: Layout) -> (Vec<Curve>, f64, f64) {
    let Layout { centers, curves } = layout;
    let (min_x, min_y, max_x, max_y) = bounds(nodes, &centers, connected, &curves);
    let (part_width, part_height) = if curves.is_empty() {
        (0.0, 0.0)
    } else {
        (max_x - min_x + 2.0 * MARGIN, max_y - min_y + MARGIN)
    };
    let width = part_width.max(READING_WIDTH);
    let dx = MARGIN - min_x + (width - part_width) / 2.0;
    let dy = MARGIN - min_y;
    for (node, center) in nodes.iter_mut().zip(centers) {
        node.center = (center.0 + dx, center.1 + dy);
    }
    let curves = curves.into_iter().map(|c| c.translated(dx, dy)).collect();
    (curves, width, part_height)
}

/// Relations across first: labels are wider than tall, so ranks as columns are
/// compact where ranks as rows make one very wide line of boxes. But a graph of long
/// paths (a chain, say) is many ranks deep, too wide for the reading column: such a
/// layout is tried again top to bottom, and the narrower one kept.
fn best_layout(
    nodes: &[Node],
    connected: &[bool],
    pairs: &[Pair],
    draw_labels: bool,
) -> Option<Layout> {
    let width = |layout: &Layout| {
        let (min_x, _, max_x, _) = bounds(nodes, &layout.centers, connected, &layout.curves);
        max_x - min_x + 2.0 * MARGIN
    };
    let across = lay_out(nodes, connected, pairs, draw_labels, Direction::Across)?;
    let across_width = width(&across);
    if across_width <= READING_WIDTH {
        return Some(across);
    }
    match lay_out(nodes, connected, pairs, draw_labels, Direction::Down) {
        Some(down) if width(&down) < across_width => Some(down),
        _ => Some(across),
    }
}

/// The area covered by the laid-out nodes and curves (control points included,
/// which bound a Bézier curve).
fn bounds(
    nodes: &[Node],
    centers: &[(f64, f64)],
    connected: &[bool],
    curves: &[Curve],
) -> (f64, f64, f64, f64) {
    let mut b = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    let mut add = |x: f64, y: f64| {
        if x.is_finite() && y.is_finite() {
            b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
        }
    };
    for ((node, center), _) in nodes
        .iter()
        .zip(centers)
        .zip(connected)
        .filter(|(_, c)| **c)
    {
        add(center.0 - node.size.0 / 2.0, center.1 - node.size.1 / 2.0);
        add(center.0 + node.size.0 / 2.0, center.1 + node.size.1 / 2.0);
    }
    for curve in curves {
        for (p, q) in &curve.points {
            add(p.0, p.1);
            add(q.0, q.1);
        }
        if let Some(label) = &curve.label {
            let (left, right) = label.span();
            add(left, label.y - FONT_SIZE);
            add(right, label.y + 4.0);
        }
    }
    if b.0.is_finite() {
        b
    } else {
        (0.0, 0.0, 0.0, 0.0)
    }
}

/// Sets the nodes not marked in `skip` in rows below `top`. Returns the bottom of
/// the last row, or `top` when there are none.
fn place_nodes_in_rows(nodes: &mut [Node], skip: &[bool], top: f64, width: f64) -> f64 {
    let placed: Vec<usize> = (0..nodes.len()).filter(|&i| !skip[i]).collect();
    let sizes: Vec<(f64, f64)> = placed.iter().map(|&i| nodes[i].size).collect();
    let (centers, bottom) = rows(&sizes, top, width);
    for (i, center) in placed.into_iter().zip(centers) {
        nodes[i].center = center;
    }
    bottom
}

/// Boxes of `sizes` set in rows, left to right, wrapping at `width`, starting a
/// margin below `top`, each box centred on its row. Returns their centres and the
/// bottom of the last row (or `top` when there are no boxes).
fn rows(sizes: &[(f64, f64)], top: f64, width: f64) -> (Vec<(f64, f64)>, f64) {
    // Each row: the index of its first box and its height.
    let mut starts: Vec<(usize, f64)> = Vec::new();
    let mut x = f64::INFINITY;
    let mut xs = Vec::with_capacity(sizes.len());
    for (i, &(w, h)) in sizes.iter().enumerate() {
        if x + w > width - MARGIN {
            starts.push((i, 0.0));
            x = MARGIN;
        }
        let row = starts.last_mut().expect("a row was started");
        row.1 = row.1.max(h);
        xs.push(x + w / 2.0);
        x += w + HALO_ALONG;
    }
    let mut centers = Vec::with_capacity(sizes.len());
    let mut y = top + MARGIN;
    for (row, &(first, height)) in starts.iter().enumerate() {
        let end = starts.get(row + 1).map_or(sizes.len(), |next| next.0);
        centers.extend((first..end).map(|i| (xs[i], y + height / 2.0)));
        y += height + HALO_ALONG;
    }
    let bottom = if starts.is_empty() {
        top
    } else {
        y - HALO_ALONG
    };
    (centers, bottom)
}

/// Straight lines between box edges, for when there is no layout to follow.
fn straight_curves(nodes: &[Node], pairs: &[Pair]) -> Vec<Curve> {
    pairs
        .iter()
        .map(|pair| {
            let (from, to) = if pair.forward.is_empty() {
                (&nodes[pair.b], &nodes[pair.a])
            } else {
                (&nodes[pair.a], &nodes[pair.b])
            };
            let (x0, y0) = box_exit(from, to.center);
            let (x1, y1) = box_exit(to, from.center);
            let both = !pair.forward.is_empty() && !pair.backward.is_empty();
            // A cubic whose control points are its ends is a straight line.
            Curve {
                points: vec![((x0, y0), (x0, y0)), ((x1, y1), (x1, y1))],
                start_head: both,
                end_head: true,
                label: None,
            }
        })
        .collect()
}

/// Where the line from the centre of `node` towards `target` leaves its box.
fn box_exit(node: &Node, target: (f64, f64)) -> (f64, f64) {
    let (cx, cy) = node.center;
    let (dx, dy) = (target.0 - cx, target.1 - cy);
    let (hw, hh) = (node.size.0 / 2.0, node.size.1 / 2.0);
    let t = match (dx == 0.0, dy == 0.0) {
        (true, true) => 0.0,
        (true, false) => hh / dy.abs(),
        (false, true) => hw / dx.abs(),
        (false, false) => (hw / dx.abs()).min(hh / dy.abs()),
    };
    (cx + dx * t.min(1.0), cy + dy * t.min(1.0))
}
