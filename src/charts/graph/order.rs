//! Graph algorithms on plain node indexes, for the layout: an acyclic orientation
//! of the relations (a layered layout needs a DAG) and the ordering of each rank to
//! reduce crossings on graphs too large for the layout crate's own ordering.

use super::normalise::Pair;

/// Each pair as a (from, to) edge of an acyclic graph, which the layout needs.
///
/// Following the relations' own directions (reversing only those that close a
/// cycle) reads best, but on a tangled graph it makes long chains: a deep layout
/// whose long edges each need a dummy node per rank crossed, which costs space and
/// time. So that orientation is kept unless a shallow one, from a greedy colouring
/// (edges go from lower to higher colour, so no path is longer than the colours),
/// needs far fewer edge segments.
///
/// Also returns the number of edge segments the orientation needs.
pub(super) fn orient(count: usize, pairs: &[Pair]) -> (Vec<(usize, usize)>, usize) {
    let following = follow_directions(count, pairs);
    let shallow = colouring_order(count, pairs);
    let (following_segments, shallow_segments) =
        (segments(&following, pairs), segments(&shallow, pairs));
    let (chosen, chosen_segments) = if following_segments <= shallow_segments * 3 / 2 {
        (following, following_segments)
    } else {
        (shallow, shallow_segments)
    };
    let oriented = pairs
        .iter()
        .map(|pair| {
            if chosen[pair.a] <= chosen[pair.b] {
                (pair.a, pair.b)
            } else {
                (pair.b, pair.a)
            }
        })
        .collect();
    (oriented, chosen_segments)
}

/// A position per node, edges going from lower to higher: the reverse post-order of
/// a depth-first search along the relations, in index order, which is a topological
/// order wherever the relations have no cycle.
fn follow_directions(count: usize, pairs: &[Pair]) -> Vec<usize> {
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); count];
    for pair in pairs {
        if pair.forward.is_empty() {
            successors[pair.b].push(pair.a);
        } else {
            successors[pair.a].push(pair.b);
        }
    }
    let mut visited = vec![false; count];
    let mut post_order = Vec::with_capacity(count);
    for root in 0..count {
        if visited[root] {
            continue;
        }
        visited[root] = true;
        // (node, index of the next successor to visit)
        let mut stack = vec![(root, 0)];
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            if let Some(&succ) = successors[node].get(next) {
                top.1 += 1;
                if !visited[succ] {
                    visited[succ] = true;
                    stack.push((succ, 0));
                }
            } else {
                post_order.push(node);
                stack.pop();
            }
        }
    }
    let mut position = vec![0; count];
    for (i, node) in post_order.iter().rev().enumerate() {
        position[*node] = i;
    }
    position
}

/// A position per node from a greedy colouring, most connected nodes first: by
/// colour, then index.
fn colouring_order(count: usize, pairs: &[Pair]) -> Vec<usize> {
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); count];
    for pair in pairs {
        neighbours[pair.a].push(pair.b);
        neighbours[pair.b].push(pair.a);
    }
    let mut by_degree: Vec<usize> = (0..count).collect();
    by_degree.sort_by_key(|&n| (std::cmp::Reverse(neighbours[n].len()), n));
    let mut colour: Vec<Option<usize>> = vec![None; count];
    let mut taken: Vec<bool> = Vec::new();
    for &node in &by_degree {
        taken.clear();
        taken.resize(neighbours[node].len() + 1, false);
        for &other in &neighbours[node] {
            if let Some(c) = colour[other].filter(|&c| c < taken.len()) {
                taken[c] = true;
            }
        }
        colour[node] = taken.iter().position(|t| !t);
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&n| (colour[n], n));
    let mut position = vec![0; count];
    for (i, node) in order.into_iter().enumerate() {
        position[node] = i;
    }
    position
}

/// How many rank-to-rank segments the edges need when oriented by `position`, with
/// ranks by longest path as the layout assigns them: the edges plus their dummies.
fn segments(position: &[usize], pairs: &[Pair]) -> usize {
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); position.len()];
    for pair in pairs {
        let (from, to) = if position[pair.a] <= position[pair.b] {
            (pair.a, pair.b)
        } else {
            (pair.b, pair.a)
        };
        successors[from].push(to);
    }
    let mut order: Vec<usize> = (0..position.len()).collect();
    order.sort_by_key(|&n| position[n]);
    let mut rank = vec![0usize; position.len()];
    for &node in &order {
        for &succ in &successors[node] {
            rank[succ] = rank[succ].max(rank[node] + 1);
        }
    }
    successors
        .iter()
        .enumerate()
        .flat_map(|(from, tos)| tos.iter().map(move |&to| (from, to)))
        .map(|(from, to)| rank[to] - rank[from])
        .sum()
}

/// Orders the nodes within each rank of `rows` to reduce crossings: alternately
/// downwards and upwards, each node moves to the mean position of its neighbours in
/// the rank before (Sugiyama's barycentre heuristic). Linear in the edges per sweep.
///
/// `predecessors` and `successors` are indexed by node, and every node of `rows` is
/// below their length.
pub(super) fn order_ranks(
    rows: &mut [Vec<usize>],
    predecessors: &[Vec<usize>],
    successors: &[Vec<usize>],
) {
    const SWEEPS: usize = 12;
    let levels = rows.len();
    let mut position: Vec<f64> = vec![0.0; predecessors.len()];
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let (order, neighbours): (Vec<usize>, _) = if down {
            ((1..levels).collect(), predecessors)
        } else {
            ((0..levels.saturating_sub(1)).rev().collect(), successors)
        };
        for level in order {
            let before = if down { level - 1 } else { level + 1 };
            for (i, &node) in rows[before].iter().enumerate() {
                position[node] = i as f64;
            }
            sort_by_barycentre(&mut rows[level], neighbours, &position);
        }
    }
}

/// Sorts `row` by the mean position of each node's `neighbours`; a node without any
/// keeps its own position as its key. Ties keep their order.
fn sort_by_barycentre(row: &mut Vec<usize>, neighbours: &[Vec<usize>], position: &[f64]) {
    let mut keyed: Vec<(f64, usize, usize)> = row
        .iter()
        .enumerate()
        .map(|(i, &node)| {
            let around = &neighbours[node];
            let key = if around.is_empty() {
                i as f64
            } else {
                around.iter().map(|&n| position[n]).sum::<f64>() / around.len() as f64
            };
            (key, i, node)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    *row = keyed.into_iter().map(|(_, _, node)| node).collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: usize, b: usize, forward: bool, backward: bool) -> Pair<'static> {
        Pair {
            a,
            b,
            forward: if forward { vec!["x"] } else { Vec::new() },
            backward: if backward { vec!["y"] } else { Vec::new() },
        }
    }

    fn is_acyclic(count: usize, edges: &[(usize, usize)]) -> bool {
        // Kahn's algorithm: every node gets removed only if there is no cycle.
        let mut indegree = vec![0; count];
        for &(_, to) in edges {
            indegree[to] += 1;
        }
        let mut ready: Vec<usize> = (0..count).filter(|&n| indegree[n] == 0).collect();
        let mut removed = 0;
        while let Some(node) = ready.pop() {
            removed += 1;
            for &(from, to) in edges {
                if from == node {
                    indegree[to] -= 1;
                    if indegree[to] == 0 {
                        ready.push(to);
                    }
                }
            }
        }
        removed == count
    }

    #[test]
    fn orientation_follows_relations_without_cycles() {
        // 0 → 1, 2 → 1 (given as 1 ← 2), 0 → 2.
        let pairs = [
            pair(0, 1, true, false),
            pair(1, 2, false, true),
            pair(0, 2, true, false),
        ];
        let (oriented, _) = orient(3, &pairs);
        assert_eq!(oriented, vec![(0, 1), (2, 1), (0, 2)]);
    }

    #[test]
    fn orientation_breaks_cycles() {
        let pairs = [
            pair(0, 1, true, false),
            pair(1, 2, true, false),
            pair(0, 2, false, true),
        ];
        let (oriented, _) = orient(3, &pairs);
        assert!(is_acyclic(3, &oriented), "{oriented:?}");
        // All but one relation keep their direction.
        let kept = [(0, 1), (1, 2), (2, 0)]
            .iter()
            .filter(|e| oriented.contains(e))
            .count();
        assert_eq!(kept, 2);
    }

    #[test]
    fn tangled_graphs_get_a_shallow_orientation() {
        // A long directed path with chords: following it makes 30 ranks.
        let mut pairs: Vec<Pair> = (0..29).map(|i| pair(i, i + 1, true, false)).collect();
        pairs.extend((0..27).map(|i| pair(i, i + 3, true, false)));
        let (oriented, segments) = orient(30, &pairs);
        assert!(is_acyclic(30, &oriented));
        assert!(segments < 29 + 27 * 3, "segments {segments}");
    }

    #[test]
    fn barycentre_ordering_uncrosses_two_edges() {
        // 0 → 3 and 1 → 2: with rank 1 ordered [2, 3] the edges cross.
        let predecessors = vec![vec![], vec![], vec![1], vec![0]];
        let successors = vec![vec![3], vec![2], vec![], vec![]];
        let mut rows = vec![vec![0, 1], vec![2, 3]];
        order_ranks(&mut rows, &predecessors, &successors);
        let position = |n: usize, level: usize| rows[level].iter().position(|&m| m == n);
        assert_eq!(
            position(0, 0) < position(1, 0),
            position(3, 1) < position(2, 1)
        );
    }
}
