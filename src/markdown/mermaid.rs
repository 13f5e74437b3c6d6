//! Mermaid diagrams: a ```` ```mermaid ```` fence is written as its source in a
//! `<pre class="mermaid">`, which the theme's `mermaid.js` draws in the browser with
//! the vendored mermaid script. No Rust renderer draws mermaid's many diagram types
//! well, so the drawing happens where mermaid runs; the page says it has a diagram
//! ([`Rendered::mermaid`](super::Rendered)) so the templates load the script on that
//! page only. Without JavaScript the source stays readable.
//!
//! At build time only a cheap check runs: the first meaningful line (past blank lines,
//! `%%` comments and a `---` front matter block) must name a diagram type mermaid
//! knows, else the block is a warning with the closest type. Anything subtler is left
//! to mermaid, which shows its own error beside the source on the page.

use std::ops::Range;

use super::links::push_escaped_html;

/// The diagram types mermaid 11 detects, by the word that opens a diagram.
const DIAGRAM_TYPES: [&str; 37] = [
    "flowchart",
    "flowchart-elk",
    "graph",
    "sequenceDiagram",
    "classDiagram",
    "classDiagram-v2",
    "stateDiagram",
    "stateDiagram-v2",
    "erDiagram",
    "gantt",
    "pie",
    "journey",
    "gitGraph",
    "mindmap",
    "timeline",
    "quadrantChart",
    "requirementDiagram",
    "C4Context",
    "C4Container",
    "C4Component",
    "C4Dynamic",
    "C4Deployment",
    "sankey",
    "sankey-beta",
    "xychart",
    "xychart-beta",
    "block",
    "block-beta",
    "packet",
    "packet-beta",
    "kanban",
    "architecture",
    "architecture-beta",
    "radar-beta",
    "treemap",
    "treemap-beta",
    "info",
];

/// A block whose first word names no diagram type: where the word is in the block's
/// text, the message and the closest known type.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UnknownType {
    pub(crate) range: Range<usize>,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

/// The block's HTML: its source in a `<pre class="mermaid">`, under its title if any.
pub(crate) fn html(code: &str, title: Option<&str>) -> String {
    let mut html =
        String::from("<figure class=\"diagram diagram-mermaid\"><pre class=\"mermaid\">");
    push_escaped_html(&mut html, code.trim_end());
    html.push_str("</pre>");
    if let Some(title) = title {
        html.push_str("<figcaption>");
        push_escaped_html(&mut html, title);
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>\n");
    html
}

/// Whether the block opens with a known diagram type; `None` when it does.
pub(crate) fn check(code: &str) -> Option<UnknownType> {
    let (start, word) = first_word(code)?;
    if DIAGRAM_TYPES.contains(&word) {
        return None;
    }
    let known = crate::diag::did_you_mean(word, DIAGRAM_TYPES).or_else(|| {
        DIAGRAM_TYPES
            .iter()
            .copied()
            .find(|t| t.eq_ignore_ascii_case(word))
    });
    Some(UnknownType {
        range: start..start + word.len(),
        message: format!("unknown mermaid diagram type `{word}`: the diagram cannot be drawn"),
        help: Some(match known {
            Some(known) => format!("did you mean `{known}`?"),
            None => "start the block with a diagram type, such as `flowchart LR`".to_string(),
        }),
    })
}

/// The first word of the first meaningful line, and its byte offset; `None` for a
/// block with no such line (mermaid then says so on the page).
fn first_word(code: &str) -> Option<(usize, &str)> {
    let mut in_front_matter = false;
    let mut offset = 0;
    for (index, line) in code.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if index == 0 && trimmed == "---" {
            in_front_matter = true;
            continue;
        }
        if in_front_matter {
            in_front_matter = trimmed != "---";
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with("%%") {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let end = trimmed
            .find(|c: char| c.is_whitespace() || c == ';' || c == ':')
            .unwrap_or(trimmed.len());
        return Some((start + indent, &trimmed[..end]));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_types_pass_past_comments_and_front_matter() {
        for code in [
            "flowchart LR\n  a --> b",
            "graph TD;\na-->b",
            "\n%% a comment\n  sequenceDiagram\n",
            "---\ntitle: Pets\n---\npie title Pets\n",
            "%%{init: {'theme': 'dark'}}%%\nstateDiagram-v2\n",
            "",
        ] {
            assert_eq!(check(code), None, "{code}");
        }
    }

    #[test]
    fn unknown_types_are_located_with_the_closest_one() {
        let code = "%% note\n  flowchat LR\n  a --> b";
        let unknown = check(code).expect("unknown type");
        assert_eq!(&code[unknown.range.clone()], "flowchat");
        assert_eq!(unknown.help.as_deref(), Some("did you mean `flowchart`?"));
        let unknown = check("sequencediagram\n").expect("unknown type");
        assert_eq!(
            unknown.help.as_deref(),
            Some("did you mean `sequenceDiagram`?")
        );
        let unknown = check("zzz").expect("unknown type");
        assert!(unknown.help.is_some_and(|h| h.contains("flowchart LR")));
    }

    #[test]
    fn the_source_is_escaped() {
        let html = html("graph TD\n  a[\"</pre><script>\"] --> b\n", Some("<b>"));
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("<pre class=\"mermaid\">graph TD\n"), "{html}");
    }
}
