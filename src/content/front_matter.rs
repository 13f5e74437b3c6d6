//! Front matter: splitting the YAML block off a Markdown file and turning it into typed
//! fields, with every error located in the .md file itself.
//!
//! STUB: to be implemented (see the front-matter task). The public items below are the
//! contract the rest of folio uses.

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::date::PartialDate;
use crate::diag::{Diagnostic, Position};

/// A value together with where it was written, for errors found by later stages.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub position: Position,
}

/// The front-matter keys a site declares in book.toml besides the core ones.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Declared taxonomies (`tags` is always one): each is a top-level key holding a
    /// list of strings.
    pub taxonomies: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<i64>,
    pub date: Option<PartialDate>,
    pub updated: Option<PartialDate>,
    pub draft: bool,
    pub slug: Option<Located<String>>,
    pub aliases: Vec<Located<String>>,
    pub template: Option<Located<String>>,
    /// Taxonomy name to its terms, in the order written.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Free-form data for templates (the `extra` mapping).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A Markdown file with its front matter parsed.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub front_matter: FrontMatter,
    /// The Markdown after the closing `---` line (the whole file when there is no
    /// front matter, without a BOM).
    pub body: &'a str,
    /// Byte offset of `body` inside the file's text, to map Markdown offsets to lines.
    pub body_offset: usize,
}

/// Splits and parses the front matter of `source`, the whole text of the file at
/// `path` (relative to the site root, used in diagnostics). Reports every error found.
pub fn parse<'a>(
    path: &Path,
    source: &'a str,
    schema: &Schema,
) -> Result<Parsed<'a>, Vec<Diagnostic>> {
    let _ = (path, schema);
    Ok(Parsed {
        front_matter: FrontMatter::default(),
        body: source,
        body_offset: 0,
    })
}
