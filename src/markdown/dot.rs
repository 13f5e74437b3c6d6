//! Graphviz diagrams: a ```` ```dot ```` (or `graphviz`) fence becomes an inline SVG at
//! build time, drawn by the charts' graph drawing ([`crate::charts::diagram_svg`]) so it
//! looks like the site's relation maps and follows the light and dark palettes through
//! CSS classes, never fixed colours.
//!
//! `layout-rs` reads the DOT (its `gv` parser); this module turns the parsed graph into
//! nodes and edges and honours what a DOT author expects first: node and edge `label`s,
//! the graph's `label` (the picture's name) and `rankdir`, `node [...]` and `edge [...]`
//! defaults (subgraphs keep their own), and the shapes the drawing has (`box`,
//! `ellipse`, `circle`, `hexagon`, `parallelogram`, `octagon`, `Mrecord`). A shape's
//! colours come with it, as a relation map's group's do. Other attributes are ignored;
//! an unknown shape is drawn as a rounded box with a warning. `RL` and `BT` run like
//! `LR` and `TB`: the layout has no reversed directions. Self-loops are not drawn.
//!
//! The parser gives no position with its errors, so the tokens are read once first
//! with its lexer: a character it cannot read is located exactly, and nesting deeper
//! than [`MAX_NESTING`] (the parser recurses) is refused before parsing. Any other
//! syntax error is located at the block's first line.

use std::collections::BTreeMap;

use layout::gv::parser::ast;
use layout::gv::{DotParser, Lexer, Token};

use crate::charts::{Diagram, Direction, GraphEdge, GraphNode, diagram_svg};

/// How deeply `{` and `[` may nest. The parser recurses once per level; real diagrams
/// nest a few subgraphs.
const MAX_NESTING: usize = 64;

/// Why a block is not a diagram: the message, and the byte offset in the block's text
/// where the problem is when it is known.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct DotError {
    pub(crate) at: Option<usize>,
    pub(crate) message: String,
}

/// How to write DOT, for every syntax error.
pub(crate) const HELP: &str =
    "write a Graphviz graph, such as `digraph { rankdir=LR; a -> b [label=\"uses\"] }`";

/// What to do about a shape the drawing does not have.
pub(crate) const SHAPES_HELP: &str =
    "the shapes drawn are box, ellipse, circle, hexagon, parallelogram, octagon and Mrecord";

/// A drawn diagram, and the shapes it could not draw as asked.
#[derive(Debug)]
pub(crate) struct Drawn {
    pub(crate) html: String,
    pub(crate) unknown_shapes: Vec<String>,
}

/// The diagram of `code` as a `<figure>`, named by `title` (the fence's) or else by the
/// graph's `label`.
pub(crate) fn render(code: &str, title: Option<&str>) -> Result<Drawn, DotError> {
    check_tokens(code)?;
    let graph = DotParser::new(code).process().map_err(|message| DotError {
        at: None,
        message: format!("invalid DOT: {}", parser_message(&message)),
    })?;
    let mut reader = Reader::default();
    reader.statements(&graph.list, &Defaults::default(), true);
    let label = reader.label.take();
    let caption = title.map(str::to_string).or(label);
    let diagram = reader.into_diagram(caption.as_deref().unwrap_or("Diagram"));
    let chart = diagram_svg(&diagram.0);
    let mut html = String::from("<figure class=\"diagram diagram-dot\">");
    html.push_str(&chart.svg);
    if let Some(caption) = caption {
        html.push_str("<figcaption>");
        super::links::push_escaped_html(&mut html, &caption);
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>\n");
    Ok(Drawn {
        html,
        unknown_shapes: diagram.1,
    })
}

/// The parser's message, in words: it says only "port" where a node name is missing.
fn parser_message(message: &str) -> &str {
    match message {
        "port" => "expected a node name",
        other => other.trim_end_matches('.'),
    }
}

/// Reads every token: the lexer's errors are located where it stopped, and nesting is
/// limited before the recursive parser sees it.
fn check_tokens(code: &str) -> Result<(), DotError> {
    let mut lexer = Lexer::from_string(code);
    let mut depth = 0usize;
    loop {
        match lexer.next_token() {
            Token::EOF => return Ok(()),
            Token::Error(pos) => return Err(lexer_error(code, pos, lexer.ch)),
            Token::OpenBrace | Token::OpenBracket => depth += 1,
            Token::CloseBrace | Token::CloseBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_NESTING {
            return Err(DotError {
                at: byte_offset(code, lexer.pos.saturating_sub(2)),
                message: format!("invalid DOT: braces nested more than {MAX_NESTING} deep"),
            });
        }
    }
}

/// The lexer stops one character past the one it cannot read, or at the end of the
/// text inside a string that is never closed (its current character is then `\0`).
fn lexer_error(code: &str, pos: usize, current: char) -> DotError {
    let at = byte_offset(code, pos.saturating_sub(1));
    let message = match (current, at.and_then(|at| code[at..].chars().next())) {
        ('\0', _) | (_, None) => "invalid DOT: a string is never closed".to_string(),
        (_, Some(c)) => format!(
            "invalid DOT: unexpected `{c}` (names of other characters than ASCII letters, \
             digits and `_` go in double quotes)"
        ),
    };
    DotError { at, message }
}

/// The byte offset of the `index`th character.
fn byte_offset(code: &str, index: usize) -> Option<usize> {
    code.char_indices().nth(index).map(|(at, _)| at)
}

/// The attributes that apply to nodes and edges declared from here on in a scope.
#[derive(Default, Clone)]
struct Defaults {
    shape: Option<String>,
    edge_label: Option<String>,
}

/// What has been read so far: nodes by name in order of appearance, edges, and the
/// graph's own attributes.
#[derive(Default)]
struct Reader {
    nodes: BTreeMap<String, (usize, NodeLook)>,
    edges: Vec<GraphEdge>,
    directed: bool,
    label: Option<String>,
    direction: Option<Direction>,
}

#[derive(Default)]
struct NodeLook {
    label: Option<String>,
    shape: Option<String>,
}

impl Reader {
    fn statements(&mut self, list: &ast::StmtList, outer: &Defaults, top: bool) {
        let mut defaults = outer.clone();
        for statement in &list.list {
            match statement {
                ast::Stmt::Node(node) => self.node(&node.id.name, &node.list, &defaults),
                ast::Stmt::Edge(edge) => self.edge(edge, &defaults),
                ast::Stmt::Attribute(attributes) => self.attributes(attributes, &mut defaults, top),
                ast::Stmt::SubGraph(graph) => self.statements(&graph.list, &defaults, false),
            }
        }
    }

    fn attributes(&mut self, statement: &ast::AttrStmt, defaults: &mut Defaults, top: bool) {
        for (key, value) in statement.list.iter() {
            match (&statement.target, key.as_str()) {
                (ast::AttrStmtTarget::Node, "shape") => defaults.shape = Some(value.clone()),
                (ast::AttrStmtTarget::Edge, "label") => defaults.edge_label = Some(value.clone()),
                (ast::AttrStmtTarget::Graph, "label") if top => self.label = Some(value.clone()),
                (ast::AttrStmtTarget::Graph, "rankdir") if top => {
                    self.direction = Some(match value.to_ascii_uppercase().as_str() {
                        "LR" | "RL" => Direction::Across,
                        _ => Direction::Down,
                    })
                }
                _ => {}
            }
        }
    }

    /// Declares a node, or adds to one: a later `label` or `shape` wins.
    fn node(&mut self, name: &str, attributes: &ast::AttributeList, defaults: &Defaults) {
        let order = self.nodes.len();
        let (_, look) = self.nodes.entry(name.to_string()).or_insert_with(|| {
            let look = NodeLook {
                label: None,
                shape: defaults.shape.clone(),
            };
            (order, look)
        });
        for (key, value) in attributes.iter() {
            match key.as_str() {
                "label" => look.label = Some(value.clone()),
                "shape" => look.shape = Some(value.clone()),
                _ => {}
            }
        }
    }

    /// `a -> b -> c [label=x]`: one edge per step, each with the label.
    fn edge(&mut self, edge: &ast::EdgeStmt, defaults: &Defaults) {
        let none = ast::AttributeList::new();
        let label = edge
            .list
            .iter()
            .find(|(key, _)| key == "label")
            .map(|(_, value)| value.clone())
            .or_else(|| defaults.edge_label.clone())
            .unwrap_or_default();
        self.node(&edge.from.name, &none, defaults);
        let mut from = &edge.from.name;
        for (to, kind) in &edge.to {
            self.node(&to.name, &none, defaults);
            self.directed |= matches!(kind, ast::ArrowKind::Arrow);
            self.edges.push(GraphEdge {
                from: from.clone(),
                to: to.name.clone(),
                label: label.clone(),
            });
            from = &to.name;
        }
    }

    /// The graph to draw, and the shapes it draws as rounded boxes instead. Nodes are
    /// identified by their order of appearance, which the drawing sorts them by.
    fn into_diagram(self, title: &str) -> (Diagram, Vec<String>) {
        let id = |order: usize| format!("{order:08}");
        let mut unknown_shapes: Vec<String> = Vec::new();
        let mut nodes = Vec::with_capacity(self.nodes.len());
        for (name, (order, look)) in &self.nodes {
            let shape = look.shape.as_deref().unwrap_or("ellipse");
            let slot = slot_of_shape(shape);
            if slot.is_none() && !unknown_shapes.iter().any(|s| s == shape) {
                unknown_shapes.push(shape.to_string());
            }
            nodes.push(GraphNode {
                id: id(*order),
                label: look.label.clone().unwrap_or_else(|| name.clone()),
                slot,
                ..GraphNode::default()
            });
        }
        let id_of = |name: &str| self.nodes.get(name).map_or_else(String::new, |n| id(n.0));
        let edges = (self.edges.iter())
            .map(|edge| GraphEdge {
                from: id_of(&edge.from),
                to: id_of(&edge.to),
                label: edge.label.clone(),
            })
            .collect();
        let diagram = Diagram {
            nodes,
            edges,
            title: title.to_string(),
            direction: self.direction.unwrap_or(Direction::Down),
            directed: self.directed,
        };
        (diagram, unknown_shapes)
    }
}

/// The palette slot whose shape draws a DOT shape (see the charts' `Shape::BY_SLOT`);
/// `None` for shapes the drawing does not have.
fn slot_of_shape(shape: &str) -> Option<usize> {
    match shape {
        "Mrecord" | "rounded" => Some(0),
        "box" | "rect" | "rectangle" | "square" | "record" => Some(1),
        "ellipse" | "oval" | "circle" | "doublecircle" => Some(2),
        "hexagon" => Some(3),
        "parallelogram" => Some(4),
        "octagon" | "doubleoctagon" => Some(5),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_directions_and_shapes_are_drawn() {
        let drawn = render(
            "digraph { rankdir=LR; label=\"Flow\"; node [shape=box]; a [label=\"Start\"]; \
             a -> b [label=\"next\"]; b -> c; c [shape=diamond] }",
            None,
        )
        .expect("valid DOT");
        let html = &drawn.html;
        assert!(html.contains("role=\"img\""), "{html}");
        assert!(html.contains(">Flow</title>"), "{html}");
        assert!(html.contains("<figcaption>Flow</figcaption>"), "{html}");
        assert!(
            html.contains(">Start</text>") && html.contains(">next</text>"),
            "{html}"
        );
        assert!(
            html.contains("rm-s1") && html.contains("marker-end"),
            "{html}"
        );
        assert_eq!(drawn.unknown_shapes, ["diamond"]);
    }

    #[test]
    fn undirected_graphs_have_no_arrowheads() {
        let html = render("graph { a -- b }", Some("Pair"))
            .expect("valid")
            .html;
        assert!(!html.contains("marker-end") && !html.contains("marker-start"));
        assert!(html.contains(">Pair</title>"), "{html}");
    }

    #[test]
    fn errors_are_located_where_known() {
        let at = |code: &str| render(code, None).map(|_| ()).unwrap_err().at;
        assert_eq!(at("digraph { a -> @ }"), Some(15));
        assert_eq!(at("digraph { \"é\" -> ü }"), Some(18));
        assert_eq!(at("digraph { a [label=\"x }"), Some(22));
        assert_eq!(at("digraph { a -> }"), None);
        let deep = format!("digraph {}{}", "{".repeat(100), "}".repeat(100));
        assert_eq!(at(&deep), Some(8 + MAX_NESTING));
    }

    #[test]
    fn hostile_dot_is_an_error_or_a_drawing_never_a_panic() {
        for code in [
            "",
            "{",
            "}",
            "digraph",
            "digraph {",
            "digraph { a -> }",
            "digraph { a:",
            "digraph { a [",
            "digraph { a [b",
            "digraph { a [b=",
            "graph { a = }",
            "digraph { subgraph",
            "digraph { a -> a }",
            "strict digraph x { } extra",
            "digraph { a -> b -> c -> a }",
            "digraph { {{{ a }}} }",
            "digraph { -1 -> -2.5 }",
            "digraph { \"<script>\" -> b [label=\"</svg>&\"] }",
            "digraph { - }",
        ] {
            let _ = render(code, None);
        }
        let html = render("digraph { \"<script>\" -> b }", None)
            .expect("valid")
            .html;
        assert!(!html.contains("<script>"), "{html}");
    }
}
