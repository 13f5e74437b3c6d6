//! Front matter: splitting the YAML (`---`) or TOML (`+++`) block off a Markdown file
//! and turning it into typed fields, with every error located in the .md file itself.
//!
//! Three steps: `split` finds the block, `yaml` or `toml` loads it into one `tree` that
//! remembers where each node was written (under hard resource limits), and `fields`
//! checks and converts the tree field by field, so one run reports every error, and
//! YAML and TOML pages get the same checks.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use crate::content::date::PartialDate;
use crate::diag::{Diagnostic, Kind, Position, position_of};

use split::{Block, Syntax};
use tree::{Node, Value};

mod fields;
mod records;
mod split;
mod toml;
mod tree;
mod yaml;

/// Every front-matter field folio reads, as the manual names them: `title`, and the
/// keys of a list's items as `events.date`. Taxonomies and relations, which a site
/// declares in book.toml, are not among them.
pub fn known_fields() -> Vec<String> {
    let records = [
        ("events", &records::EVENT_KEYS[..]),
        ("figures", &records::FIGURE_KEYS[..]),
        ("glossary", &records::GLOSSARY_KEYS[..]),
    ];
    let items = records
        .iter()
        .flat_map(|(list, keys)| keys.iter().map(move |key| format!("{list}.{key}")));
    fields::CORE_KEYS
        .iter()
        .map(|key| key.to_string())
        .chain(items)
        .collect()
}

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
    /// Declared relations (`partners`, say): each a top-level key, and a key of
    /// `events`, holding a list of references to other pages.
    pub relations: Vec<String>,
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
    /// Relation name to the pages it names, as written (an id, a path or a title).
    pub relations: BTreeMap<String, Vec<Located<String>>>,
    /// The short form the page's subject goes by (`IAEA`): a glossary term that links
    /// here, and a name for wiki links.
    pub acronym: Option<Located<String>>,
    /// Other names for wiki links.
    pub names: Vec<Located<String>>,
    pub events: Vec<Event>,
    pub figures: Vec<Figure>,
    /// Glossary terms this page defines.
    pub glossary: Vec<GlossaryEntry>,
    /// In a translation: the digest of the page it was made from, as `folio new
    /// --translate` wrote it, so `check` can tell when the page has changed since.
    pub translated_from: Option<Located<String>>,
}

/// Something that happened, at the precision the author knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Missing only when the author forgot it; `check` reports it.
    pub date: Option<PartialDate>,
    /// The last date of a range.
    pub end: Option<PartialDate>,
    pub summary: String,
    /// The id of the heading on the same page that tells of the event, so the timeline
    /// links to that passage rather than to the top of the page.
    pub anchor: Option<Located<String>>,
    /// Relation name to the pages the event names.
    pub relations: BTreeMap<String, Vec<Located<String>>>,
    pub position: Position,
}

/// A key figure: a value with its unit, valid at a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: String,
    /// As written: `"exceeding 3 million"` or `200`.
    pub value: String,
    pub unit: Option<String>,
    pub as_of: Option<PartialDate>,
    pub position: Position,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GlossaryEntry {
    pub term: String,
    pub expansion: String,
    pub position: Position,
}

/// A Markdown file with its front matter parsed.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub front_matter: FrontMatter,
    /// The Markdown after the closing fence line (the whole file when there is no
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
    let split = split::split(source).map_err(|unclosed| {
        let fence = unclosed.syntax.fence();
        vec![
            at_fence(
                path,
                source,
                unclosed.opening,
                Kind::FrontMatterUnclosed,
                "front matter is not closed",
            )
            .label("front matter starts here")
            .help(format!(
                "add a line `{fence}` after the last front-matter line"
            )),
        ]
    })?;
    let front_matter = match &split.block {
        Some(block) => convert(path, source, block, schema)?,
        None => FrontMatter::default(),
    };
    Ok(Parsed {
        front_matter,
        body: split.body,
        body_offset: split.body_offset,
    })
}

/// Loads `block` in the syntax its fence asks for and converts it, field by field.
fn convert(
    path: &Path,
    source: &str,
    block: &Block,
    schema: &Schema,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let loaded = match block.syntax {
        Syntax::Yaml => yaml::load(block.text),
        Syntax::Toml => toml::load(block.text).map(Some),
    };
    let unreadable = match &loaded {
        Err(_) => true,
        Ok(root) => root.as_ref().is_some_and(|root| !is_table(root)),
    };
    if unreadable && let Some(other) = other_syntax(block) {
        return Err(vec![wrong_syntax(path, source, block, other)]);
    }
    let mut report = Report::new(path, source, block);
    let front_matter = match loaded {
        Ok(Some(root)) => fields::convert(&root, schema, &mut report),
        Ok(None) => FrontMatter::default(),
        Err(error) => {
            report.push(report.error(Kind::FrontMatterSyntax, &error.range, error.message));
            FrontMatter::default()
        }
    };
    if report.errors.is_empty() {
        Ok(front_matter)
    } else {
        Err(report.errors)
    }
}

fn is_table(node: &Node) -> bool {
    matches!(&node.value, Value::Map(entries) if !entries.is_empty())
}

/// The other syntax, when `block` reads as a non-empty table in it.
fn other_syntax(block: &Block) -> Option<Syntax> {
    let (other, root) = match block.syntax {
        Syntax::Yaml => (Syntax::Toml, toml::load(block.text).ok()),
        Syntax::Toml => (Syntax::Yaml, yaml::load(block.text).ok().flatten()),
    };
    root.filter(is_table).map(|_| other)
}

/// A block written in `other` syntax between the fences of another.
fn wrong_syntax(path: &Path, source: &str, block: &Block, other: Syntax) -> Diagnostic {
    let (fence, asked) = (block.syntax.fence(), block.syntax.name());
    let message = format!(
        "front matter between `{fence}` lines must be {asked}, but this is {}",
        other.name()
    );
    let help = format!(
        "write it in {asked}, or put it between `{}` lines",
        other.fence()
    );
    at_fence(
        path,
        source,
        block.opening.clone(),
        Kind::FrontMatterSyntax,
        message,
    )
    .label(format!("`{fence}` asks for {asked}"))
    .help(help)
}

/// A front-matter error at the fence line `opening`, always the first line of the file.
fn at_fence(
    path: &Path,
    source: &str,
    opening: Range<usize>,
    kind: Kind,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(kind, message)
        .in_file(path)
        .with_position(position_on_line(source, 0, 0, opening))
}

/// Collects the diagnostics of one file and maps block locations to the .md file.
struct Report<'a> {
    path: &'a Path,
    source: &'a str,
    /// Byte offset of the block in `source`.
    block_start: usize,
    /// The block's syntax, for fixes written the way the rest of the block is.
    syntax: Syntax,
    /// Where each line of the file starts, up to the closing fence: a file may hold
    /// thousands of located values, and each lookup must not rescan the file.
    line_starts: Vec<usize>,
    errors: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    fn new(path: &'a Path, source: &'a str, block: &Block) -> Self {
        let block_end = block.start + block.text.len();
        let newlines = memchr::memchr_iter(b'\n', &source.as_bytes()[..block_end]);
        Report {
            path,
            source,
            block_start: block.start,
            syntax: block.syntax,
            line_starts: std::iter::once(0).chain(newlines.map(|i| i + 1)).collect(),
            errors: Vec::new(),
        }
    }

    /// Where the bytes `range` of the block are in the file.
    fn position(&self, range: &Range<usize>) -> Position {
        let start = self.block_start + range.start;
        let line = self
            .line_starts
            .partition_point(|&s| s <= start)
            .saturating_sub(1);
        let line_start = self.line_starts.get(line).copied().unwrap_or(0);
        position_on_line(
            self.source,
            line,
            line_start,
            start..self.block_start + range.end,
        )
    }

    fn error(&self, kind: Kind, range: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(kind, message)
            .in_file(self.path)
            .with_position(self.position(range))
    }

    /// `key` set to `value` in the block's syntax, for a help: `key: value` or
    /// `key = value`.
    fn assignment(&self, key: &str, value: &str) -> String {
        match self.syntax {
            Syntax::Yaml => format!("{key}: {value}"),
            Syntax::Toml => format!("{key} = {value}"),
        }
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.errors.push(diagnostic);
    }
}

/// `position_of` for `bytes` on the 0-based `line` starting at byte `line_start`, at the
/// cost of that line only. A byte-order mark is not a column of the first line.
fn position_on_line(source: &str, line: usize, line_start: usize, bytes: Range<usize>) -> Position {
    let local = bytes.start.saturating_sub(line_start)..bytes.end.saturating_sub(line_start);
    let mut position = position_of(source.get(line_start..).unwrap_or_default(), local);
    position.line = line;
    if line_start == 0 && position.line_text.starts_with('\u{feff}') {
        let bom = '\u{feff}'.len_utf8();
        position.line_text.drain(..bom);
        position.column = position.column.saturating_sub(1);
        position.underline = position.underline.start.saturating_sub(bom)
            ..position.underline.end.saturating_sub(bom);
    }
    position
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(source: &str) -> Parsed<'_> {
        parse(Path::new("content/a.md"), source, &Schema::default())
            .unwrap_or_else(|e| panic!("{e:#?}"))
    }

    fn errors(source: &str) -> Vec<Diagnostic> {
        parse(Path::new("content/a.md"), source, &Schema::default()).expect_err("should fail")
    }

    /// `line:column` (1-based) and the message of the only diagnostic.
    fn single_error(source: &str) -> (String, Diagnostic) {
        let mut errors = errors(source);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let error = errors.remove(0);
        let p = error.position.as_ref().expect("located");
        (format!("{}:{}", p.line + 1, p.column + 1), error)
    }

    #[test]
    fn the_body_follows_the_front_matter() {
        let source = "---\ntitle: Hello\n---\n# Hello\n\n---\n";
        let parsed = ok(source);
        assert_eq!(parsed.front_matter.title.as_deref(), Some("Hello"));
        assert_eq!(parsed.body, "# Hello\n\n---\n");
        assert_eq!(parsed.body_offset, 21);
        assert_eq!(&source[parsed.body_offset..], parsed.body);
    }

    #[test]
    fn files_without_front_matter_or_with_empty_front_matter_parse() {
        let parsed = ok("\u{feff}# Just text\n");
        assert_eq!((parsed.body, parsed.body_offset), ("# Just text\n", 3));
        assert_eq!(parsed.front_matter, FrontMatter::default());
        assert_eq!(ok("").body, "");
        assert_eq!(ok("---\n---\n").front_matter, FrontMatter::default());
        assert_eq!(
            ok("---\n# nothing yet\n---\n").front_matter,
            FrontMatter::default()
        );
        let only = ok("---\r\ntitle: Only\r\n---");
        assert_eq!(
            (only.front_matter.title.as_deref(), only.body),
            (Some("Only"), "")
        );
    }

    #[test]
    fn an_unclosed_block_is_reported_at_its_first_line() {
        let (at, error) = single_error("\u{feff}---\ntitle: A\n\nSome text\n");
        assert_eq!(at, "1:1");
        assert_eq!(error.message, "front matter is not closed");
        assert_eq!(error.position.unwrap().line_text, "---");
        assert_eq!(
            error.help.as_deref(),
            Some("add a line `---` after the last front-matter line")
        );
        assert_eq!(error.file.as_deref(), Some(Path::new("content/a.md")));
    }

    #[test]
    fn yaml_syntax_errors_are_located_in_the_markdown_file() {
        let (at, error) = single_error("---\ntitle: fine\nweight: [1, 2\nslug: x\n---\nbody\n");
        assert!(
            error.message.starts_with("invalid YAML in front matter"),
            "{error:?}"
        );
        assert!(
            at.starts_with("3:") || at.starts_with("4:"),
            "{at} {error:#?}"
        );
        let (at, error) = single_error("---\n# one\n# two\ntitle: a\n  weight: 2\n---\n");
        assert!(at.starts_with("5:"), "{at} {error:#?}");
    }

    #[test]
    fn field_errors_count_lines_from_the_top_of_the_file() {
        let source = "\u{feff}---\r\n# comment\r\ntitle: Fine\r\ndate: 2016-13\r\n---\r\nbody";
        let (at, error) = single_error(source);
        assert_eq!(at, "4:7");
        assert_eq!(
            error.message,
            "`date` must be a date such as 2016, 2016-03 or 2016-03-01"
        );
        let position = error.position.unwrap();
        assert_eq!(position.line_text, "date: 2016-13");
        assert_eq!(&position.line_text[position.underline], "2016-13");
        assert!(
            error
                .label
                .unwrap()
                .contains("month must be between 01 and 12")
        );
    }

    #[test]
    fn columns_count_characters() {
        let (at, _) = single_error("---\nextra: {é: 1, é: 2}\n---\n");
        assert_eq!(at, "2:15");
    }

    #[test]
    fn located_values_keep_their_position() {
        let parsed =
            ok("---\nslug: my-page\naliases:\n  - /old/\n  - /older/\ntemplate: wide.html\n---\n");
        let fm = parsed.front_matter;
        let slug = fm.slug.unwrap();
        assert_eq!(
            (
                slug.value.as_str(),
                slug.position.line,
                slug.position.column
            ),
            ("my-page", 1, 6)
        );
        let aliases: Vec<_> = fm
            .aliases
            .iter()
            .map(|a| (a.value.as_str(), a.position.line))
            .collect();
        assert_eq!(aliases, [("/old/", 3), ("/older/", 4)]);
        assert_eq!(
            fm.template.unwrap().position.line_text,
            "template: wide.html"
        );
    }

    #[test]
    fn rendering_shows_the_markdown_file_and_line() {
        let error = errors("---\ntitel: A\n---\n").remove(0);
        let text = error.render(false);
        assert!(text.contains("--> content/a.md:2:1"), "{text}");
        assert!(text.contains("titel: A"), "{text}");
        assert!(text.contains("help: did you mean `title`?"), "{text}");
    }

    #[test]
    fn toml_front_matter_parses_like_yaml() {
        let toml = ok("\u{feff}+++\r\ntitle = \"A\"\r\ndate = \"2016-03\"\r\n+++\r\nbody");
        assert_eq!(toml.front_matter.title.as_deref(), Some("A"));
        assert_eq!(toml.body, "body");
        assert_eq!(ok("+++\n+++\n").front_matter, FrontMatter::default());
        assert_eq!(
            ok("+++\n# a comment\n+++\n").front_matter,
            FrontMatter::default()
        );
    }

    #[test]
    fn toml_field_errors_count_lines_from_the_top_of_the_file() {
        let (at, error) = single_error("\u{feff}+++\r\n# comment\r\ndate = \"2016-13\"\r\n+++\r\n");
        assert_eq!(at, "3:8");
        assert_eq!(error.kind, Kind::InvalidValue);
        let (at, error) = single_error("+++\nextra = { é = 1, x = [1, \n+++\n");
        assert!(
            error.message.starts_with("invalid TOML in front matter"),
            "{error:?}"
        );
        assert_eq!(at, "2:25");
    }

    #[test]
    fn a_block_in_the_other_syntax_is_named_at_its_fence() {
        let (at, error) = single_error("\u{feff}+++\ntitle: A\n+++\n");
        assert_eq!(at, "1:1");
        assert_eq!(error.label.as_deref(), Some("`+++` asks for TOML"));
        let (at, error) = single_error("---\ntitle = \"A\"\n---\n");
        assert_eq!(at, "1:1");
        assert_eq!(error.label.as_deref(), Some("`---` asks for YAML"));
        // Text that is neither is reported in the fence's own syntax.
        let (_, error) = single_error("---\njust some words\n---\n");
        assert!(
            error.message.starts_with("front matter must be a mapping"),
            "{error:?}"
        );
        let (_, error) = single_error("+++\njust some words\n+++\n");
        assert!(error.message.starts_with("invalid TOML"), "{error:?}");
    }

    /// Small random edits of valid files: any result is fine, a panic is not.
    #[test]
    fn mutated_input_never_panics() {
        let seeds = [
            "---\ntitle: A\ndate: 2016-03-01\ntags: [a, b]\nextra: {x: &a [1, {y: *a}]}\n---\nbody",
            "\u{feff}---\r\n? [a]\r\n: b\r\n<<: {c: d}\r\n'q': \"\\u00e9\"\r\n---\r\n",
            "---\ndate: 2016-03-01T10:00:00+02:00\nweight: 0x1F\ndraft: true\nslug: é\n---\n",
            "+++\ntitle = \"A\"\ndate = 2016-03-01\ntags = [\"a\"]\n[extra]\nx = { y = [1, 2.5] }\n+++\n",
            "+++\r\n[[events]]\r\ndate = 2016-03-01T10:00:00Z\r\nsummary = 'é'\r\n+++\r\n",
        ];
        let alphabet: Vec<char> = "-:[]{}&*!|>'\"#? \t\n\r,.0123456789TZ+é\u{feff}~="
            .chars()
            .collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut random = move |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        for i in 0..3_000 {
            let mut text: Vec<char> = seeds[i % seeds.len()].chars().collect();
            for _ in 0..=random(5) {
                let at = random(text.len() + 1);
                let c = alphabet[random(alphabet.len())];
                match random(3) {
                    0 if at < text.len() => drop(text.remove(at)),
                    1 if at < text.len() => text[at] = c,
                    _ => text.insert(at, c),
                }
            }
            let text: String = text.into_iter().collect();
            if let Err(errors) = parse(Path::new("a.md"), &text, &Schema::default()) {
                errors.iter().for_each(|e| drop(e.render(false)));
            }
        }
    }

    /// Positions are looked up per line, not by rescanning the file for every value.
    #[test]
    fn many_located_values_stay_fast() {
        let aliases: String = (0..10_000).map(|i| format!("  - /page-{i}/\n")).collect();
        let extra: String = (0..10_000).map(|i| format!("  key{i}: {i}\n")).collect();
        let source = format!("---\naliases:\n{aliases}extra:\n{extra}---\n");
        let start = std::time::Instant::now();
        let fm = ok(&source).front_matter;
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(fm.aliases.len(), 10_000);
        assert_eq!(fm.aliases[9_999].position.line, 10_001);
        assert_eq!(fm.extra.len(), 10_000);
    }
}
