//! mdBook 0.5's conventions for the Markdown stage, for books written for mdBook: the
//! ids of headings and definition terms (here), footnotes (`footnotes.rs`), and code
//! blocks with their classes, playground wrapper and hidden lines (`code.rs`,
//! `hidden_lines.rs`).
//!
//! Links into published books name these ids, and themes and scripts written for mdBook
//! look for these classes, so each rule follows mdBook's own, quirks included: an
//! explicit `{#id}` reserves nothing, and a heading of only punctuation gets `id=""`.

mod code;
mod footnotes;
mod hidden_lines;

use std::collections::BTreeMap;

use super::links::push_escaped_html;

pub(crate) use code::render as render_code;
pub(crate) use footnotes::Footnotes;

/// The settings of an mdBook book.toml that change how its Markdown renders.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MdBook {
    /// `[output.html.code.hidelines]`: per language other than Rust, the prefix that
    /// marks a line to hide (`python = "~"`). A fence's own `hidelines=PREFIX` wins.
    pub hidelines: BTreeMap<String, String>,
    /// `[output.html.playground] runnable` (mdBook's default: true): Rust blocks become
    /// playgrounds, wrapped in a hidden `fn main` when they have none.
    pub runnable: bool,
    /// `[output.html.playground] editable` (default false): blocks marked `editable`
    /// then keep their code as written, without the `fn main` wrapper.
    pub editable: bool,
    /// `[rust] edition`: the class a playground block gets when it names no edition.
    pub edition: Option<Edition>,
    /// `[output.html] definition-lists` (default true).
    pub definition_lists: bool,
    /// `[output.html] admonitions` (default true): `> [!NOTE]` and its kin.
    pub admonitions: bool,
}

impl Default for MdBook {
    fn default() -> Self {
        Self {
            hidelines: BTreeMap::new(),
            runnable: true,
            editable: false,
            edition: None,
            definition_lists: true,
            admonitions: true,
        }
    }
}

/// A Rust edition, as `[rust] edition` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
pub enum Edition {
    #[serde(rename = "2015")]
    E2015,
    #[serde(rename = "2018")]
    E2018,
    #[serde(rename = "2021")]
    E2021,
    #[serde(rename = "2024")]
    E2024,
}

impl Edition {
    /// The class mdBook gives code of this edition (`edition2021`).
    pub fn class(self) -> &'static str {
        match self {
            Self::E2015 => "edition2015",
            Self::E2018 => "edition2018",
            Self::E2021 => "edition2021",
            Self::E2024 => "edition2024",
        }
    }
}

/// mdBook's id for a heading or term with this text: trimmed and lowercased; letters,
/// digits, `_` and `-` kept; each whitespace character a `-`; everything else dropped.
/// Unlike GitHub's, marks (accents written apart) are dropped and every Unicode space
/// counts. Repeats are numbered by the caller.
pub(crate) fn id_from_content(content: &str) -> String {
    content
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

/// The link mdBook wraps around a heading's or term's content.
pub(crate) fn header_link(id: &str) -> String {
    let mut html = String::from("<a class=\"header\" href=\"#");
    push_escaped_html(&mut html, id);
    html.push_str("\">");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_mdbook() {
        assert_eq!(
            id_from_content("`--passes`: add more rustdoc passes"),
            "--passes-add-more-rustdoc-passes"
        );
        assert_eq!(
            id_from_content("Method-call 🐙 expressions \u{1f47c}"),
            "method-call--expressions-"
        );
        assert_eq!(
            id_from_content("Rc<T>, the Reference-Counted Smart Pointer"),
            "rct-the-reference-counted-smart-pointer"
        );
        assert_eq!(id_from_content("Introducing ?"), "introducing-");
        assert_eq!(id_from_content("  Über  Größe "), "über--größe");
        assert_eq!(id_from_content("中文標題 CJK title"), "中文標題-cjk-title");
        assert_eq!(id_from_content("a\u{a0}b\tc\nd"), "a-b-c-d");
        assert_eq!(id_from_content("Cafe\u{301}"), "cafe");
        assert_eq!(id_from_content("!!!"), "");
    }

    #[test]
    fn editions_name_their_class() {
        assert_eq!(Edition::E2015.class(), "edition2015");
        assert_eq!(Edition::E2024.class(), "edition2024");
    }

    #[test]
    fn header_links_escape_the_id() {
        assert_eq!(
            header_link("a\"b"),
            "<a class=\"header\" href=\"#a&quot;b\">"
        );
    }
}
