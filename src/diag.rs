//! Diagnostics: every error and warning folio reports, with the file and position it
//! belongs to, and the one place that turns them into rustc-style text.
//!
//! Positions are stored 0-based and shown 1-based; columns count characters, not bytes,
//! so a caret lands under the right letter in any script.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file, with the text of its line so the diagnostic can be shown
/// without reading the file again (the file may have changed by then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// 0-based line number, counted from the first line of the file.
    pub line: usize,
    /// 0-based column, in characters.
    pub column: usize,
    /// The whole line, without its line end.
    pub line_text: String,
    /// Byte range inside `line_text` to underline.
    pub underline: std::ops::Range<usize>,
}

/// What a diagnostic is about: the one thing tests and tools match on, so that a
/// message can be reworded without breaking them. Grouped by the stage that finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    // book.toml and the command line
    /// book.toml cannot be read.
    ConfigUnreadable,
    /// book.toml is not valid TOML, or holds a value of the wrong type.
    ConfigSyntax,
    /// A key book.toml does not know.
    UnknownConfigKey,
    /// A value of book.toml, or of a command-line option, that folio cannot use.
    InvalidConfigValue,
    /// A key of an mdBook book.toml that folio accepts but does not act on.
    IgnoredConfigKey,
    /// An mdBook backend (`[output.NAME]`) that folio does not run.
    UnsupportedBackend,
    // reading the site's files
    /// The content folder does not exist.
    ContentMissing,
    /// A file or folder that cannot be read, or vanished while being read.
    Unreadable,
    /// A file, or a file name, that is not UTF-8.
    NotUtf8,
    /// A page larger than folio accepts.
    TooLarge,
    /// A symbolic link out of the site folder, or in a loop.
    BadSymlink,
    /// SUMMARY.md that mdBook's parser rejects, or a chapter it lists that is missing.
    Summary,
    // front matter
    /// Front matter opened but never closed.
    FrontMatterUnclosed,
    /// Front matter that is not valid YAML.
    FrontMatterSyntax,
    /// A front-matter key folio does not know.
    UnknownFrontMatterKey,
    /// A key given twice in one mapping.
    DuplicateKey,
    /// A value of the wrong type (a string for a list, say).
    WrongType,
    /// A value of the right type that folio cannot use (a date that is no date, a slug
    /// with a slash, a number too large).
    InvalidValue,
    /// An item of a list of records without a field it needs.
    MissingField,
    // the site graph
    /// Two sources would be one page or one URL.
    UrlCollision,
    /// A link to a page or file that does not exist, or out of the content folder.
    BrokenLink,
    /// A link to an id the target page does not have.
    BrokenAnchor,
    /// A link to a page left out of this build as a draft.
    DraftLink,
    /// A relation that names no page, or an ambiguous one.
    UnknownRelationTarget,
    /// A glossary term defined twice.
    DuplicateTerm,
    /// A timeline event without a date.
    UndatedEvent,
    /// Markdown folio renders, but not as written (an unsafe link, a code block too
    /// large to highlight, a duplicate heading id).
    Markdown,
    /// A code block's language that no syntax knows: the block is shown as plain text.
    UnknownLanguage,
    /// Raw HTML in Markdown that the sanitiser removes (an element, an attribute, a URL
    /// with a disallowed scheme) because the site does not trust raw HTML.
    RawHtmlRemoved,
    /// A formula whose TeX cannot be turned into MathML: it is shown as plain TeX.
    Math,
    /// A Graphviz (`dot`) block that does not parse: it is shown as code.
    Diagram,
    /// A diagram's part folio or mermaid does not know: a mermaid diagram type, a DOT
    /// shape. The diagram is drawn as well as it can be, or mermaid shows its error.
    DiagramUnknown,
    // includes (mdBook's `{{#include}}` and its kin)
    /// A `{{#…}}` directive that cannot be read: a known name without its argument or its
    /// closing braces, an unknown name close to a known one, or an old name.
    IncludeSyntax,
    /// An included file that does not exist.
    IncludeMissing,
    /// An included path that leads out of the book or site folder.
    IncludeOutside,
    /// An anchor the included file does not have.
    IncludeAnchor,
    /// A line range that selects no line of the included file.
    IncludeRange,
    /// A file that includes itself, directly or through others.
    IncludeCycle,
    /// Includes nested deeper than mdBook follows them.
    IncludeTooDeep,
    // templates
    /// A template that does not parse or refers to what does not exist.
    TemplateSyntax,
    /// A template that fails while rendering a page.
    TemplateRender,
    /// A template the site needs or a page asks for that does not exist.
    MissingTemplate,
    // the plan and the output
    /// Two files of the plan at one path, or a file in a folder folio reserves.
    OutputCollision,
    /// An output folder folio refuses to write to, or a path it refuses to write.
    OutputRefused,
    /// A file that cannot be written, created or replaced.
    WriteFailed,
    /// The search index cannot be made.
    SearchIndex,
    // site-wide advice from `check`
    /// A page no other page links to.
    Orphan,
    /// A title or name that more than one page uses.
    SharedName,
    // a book's own preprocessors
    /// A preprocessor whose command is not installed.
    PreprocessorMissing,
    /// A preprocessor that cannot be started, fails, or answers with something that is
    /// not a book.
    Preprocessor,
    /// Preprocessors whose `before` and `after` form a cycle, or name a preprocessor the
    /// book does not have.
    PreprocessorOrder,
    // commands
    /// `init` or `new` would overwrite or write where it must not.
    Scaffold,
    /// `serve` cannot listen, watch or start.
    Serve,
    // shortcodes
    /// A call of a shortcode that neither folio nor the site's `templates/shortcodes/`
    /// has.
    UnknownShortcode,
    /// A call that cannot be read: its arguments or its closing braces.
    ShortcodeSyntax,
    /// An argument the shortcode does not take (or its template never reads).
    UnknownShortcodeArgument,
    /// A built-in shortcode called without an argument it needs.
    MissingShortcodeArgument,
    /// A built-in shortcode's argument of the wrong type.
    ShortcodeArgumentType,
    /// A body where the shortcode takes none, none where it needs one, or a shortcode
    /// outside the one it belongs in (`tab` outside `tabs`).
    ShortcodeBody,
    /// A shortcode template that fails while rendering a call.
    ShortcodeRender,
    /// `{% name(…) %}` without its `{% end %}`.
    UnclosedShortcode,
    /// `{% end %}` that closes nothing.
    StrayShortcodeEnd,
    /// A call in Hugo's syntax, which folio shows as text.
    HugoShortcode,
    // `check --external`
    /// A link to another site that is certainly wrong: 404 or 410, no such host, a
    /// refused connection, an invalid certificate, a redirect loop.
    ExternalBroken,
    /// A link to another site whose server would not say whether it works (rate
    /// limits, timeouts, server errors, refusals of robots).
    ExternalUnverified,
    /// A link to another site that redirects permanently: it should name the new URL.
    ExternalMoved,
    // multilingual sites
    /// A page named like a translation (`page.fr.md`) into a language book.toml does
    /// not declare.
    UndeclaredLanguage,
    /// A string the theme shows that no translation file has for the page's language.
    MissingThemeString,
    /// A page not translated into a declared language (`check` lists them).
    Untranslated,
    /// A translation whose source page changed since it was made.
    OutdatedTranslation,
}

/// The kinds people meet most, each with the section of the manual's troubleshooting
/// page that explains it: a diagnostic of one of them names that section.
pub const MANUAL_SECTIONS: [(Kind, &str); 13] = [
    (Kind::BrokenLink, "broken-links-and-anchors"),
    (Kind::BrokenAnchor, "broken-links-and-anchors"),
    (Kind::DraftLink, "broken-links-and-anchors"),
    (Kind::UnknownConfigKey, "unknown-keys"),
    (Kind::UnknownFrontMatterKey, "unknown-keys"),
    (Kind::WrongType, "front-matter"),
    (Kind::TemplateSyntax, "template-errors"),
    (Kind::TemplateRender, "template-errors"),
    (Kind::MissingTemplate, "template-errors"),
    (Kind::RawHtmlRemoved, "raw-html-removed"),
    (Kind::UnknownShortcode, "shortcodes"),
    (Kind::UnknownRelationTarget, "relations-and-glossary"),
    (Kind::OutputRefused, "output-refused"),
];

impl Kind {
    /// Where the manual explains this kind, as a path in folio's repository.
    pub fn manual_page(self) -> Option<String> {
        MANUAL_SECTIONS
            .iter()
            .find(|(kind, _)| *kind == self)
            .map(|(_, section)| format!("manual/content/troubleshooting.md#{section}"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
    /// The file, relative to the site root.
    pub file: Option<PathBuf>,
    pub position: Option<Position>,
    /// A label printed under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(kind: Kind, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, kind, message)
    }

    pub fn warning(kind: Kind, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, kind, message)
    }

    fn new(severity: Severity, kind: Kind, message: impl Into<String>) -> Self {
        Self {
            severity,
            kind,
            message: message.into(),
            file: None,
            position: None,
            label: None,
            help: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Locates the diagnostic at a byte range of `source`, the whole text of `file`.
    pub fn at(
        mut self,
        file: impl Into<PathBuf>,
        source: &str,
        bytes: std::ops::Range<usize>,
    ) -> Self {
        self.file = Some(file.into());
        self.position = Some(position_of(source, bytes));
        self
    }

    pub fn with_position(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, 1-based, or just the file, or nothing.
    pub fn location(&self) -> Option<String> {
        let file = display_path(self.file.as_deref()?);
        Some(match &self.position {
            Some(p) => format!("{file}:{}:{}", p.line + 1, p.column + 1),
            None => file,
        })
    }

    /// The diagnostic as rustc would print it: a title, the location, the source line
    /// with a caret, and the help. `styled` adds terminal colours.
    pub fn render(&self, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let path = self.file.as_deref().map(display_path);
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        if let (Some(path), Some(position)) = (&path, &self.position) {
            let mut annotation = AnnotationKind::Primary.span(position.underline.clone());
            if let Some(label) = &self.label {
                annotation = annotation.label(label.as_str());
            }
            group = group.element(
                Snippet::source(position.line_text.as_str())
                    .line_start(position.line + 1)
                    .path(path.as_str())
                    .annotation(annotation),
            );
        } else if let Some(path) = &path {
            group = group.element(annotate_snippets::Origin::path(path.as_str()));
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let manual = self.kind.manual_page();
        if let Some(page) = &manual {
            group = group.element(Level::NOTE.message(format!("see the manual: {page}")));
        }
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location() {
            Some(location) => write!(f, "{location}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Paths print with `/` on every platform, so messages and tests read the same.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The position of a byte range in `source`. Out-of-range or mid-character offsets are
/// clamped, so a wrong offset can never panic.
pub fn position_of(source: &str, bytes: std::ops::Range<usize>) -> Position {
    let start = floor_char_boundary(source, bytes.start.min(source.len()));
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let line_text = source[line_start..line_end].trim_end_matches('\r');
    let line = source[..line_start].bytes().filter(|&b| b == b'\n').count();
    let column = source[line_start..start].chars().count();
    let underline_start = (start - line_start).min(line_text.len());
    let end = floor_char_boundary(source, bytes.end.max(bytes.start).min(source.len()));
    let mut underline_end = end.saturating_sub(line_start).min(line_text.len());
    if underline_end <= underline_start {
        underline_end = line_text[underline_start..]
            .chars()
            .next()
            .map_or(underline_start, |c| underline_start + c.len_utf8());
    }
    Position {
        line,
        column,
        line_text: line_text.to_string(),
        underline: underline_start..underline_end,
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// Whether two keys differ only in case and separators: `base_url`, `baseURL` and
/// `base-url` are one key spelt three ways.
pub fn same_key(a: &str, b: &str) -> bool {
    let loose = |key: &str| {
        key.chars()
            .filter(|c| !matches!(c, '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    loose(a) == loose(b)
}

/// Every diagnostic of a run, so one run can report all of them and decide the exit
/// code at the end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Sorted by file, then position, then message: the order must not depend on which
    /// thread finished first. A diagnostic found twice is kept once: a page each
    /// language's site shows in the default language is checked once per language.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (
                a.file.as_deref(),
                a.position.as_ref().map(|p| (p.line, p.column)),
                &a.message,
            )
                .cmp(&(
                    b.file.as_deref(),
                    b.position.as_ref().map(|p| (p.line, p.column)),
                    &b.message,
                ))
        });
        self.0.dedup();
        self
    }

    /// `failures` with each repeated diagnostic (the same message at the same place)
    /// kept once, its help saying how many more there were: one broken template would
    /// otherwise report the same error for every page it renders.
    pub fn collapsed(failures: impl IntoIterator<Item = Diagnostic>) -> Self {
        let mut kept: Vec<(Diagnostic, usize)> = Vec::new();
        for failure in failures {
            let same = |d: &Diagnostic| {
                d.message == failure.message
                    && d.position == failure.position
                    && d.file == failure.file
            };
            match kept.iter_mut().find(|(d, _)| same(d)) {
                Some((_, count)) => *count += 1,
                None => kept.push((failure, 0)),
            }
        }
        let collapsed = kept.into_iter().map(|(diagnostic, more)| match more {
            0 => diagnostic,
            more => {
                let help = diagnostic.help.clone().unwrap_or_default();
                diagnostic.help(format!("{help} (and {more} more)").trim().to_string())
            }
        });
        Self(collapsed.collect())
    }

    /// Ok when there is no error; the warnings travel on either way.
    pub fn into_result(self) -> Result<Diagnostics, Diagnostics> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Self(diagnostics)
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_zero_based_and_count_characters() {
        let source = "first\nsécond line\r\nthird";
        let offset = source.find("line").unwrap();
        let p = position_of(source, offset..offset + 4);
        assert_eq!((p.line, p.column), (1, 7));
        assert_eq!(p.line_text, "sécond line");
        assert_eq!(&p.line_text[p.underline.clone()], "line");
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_are_clamped() {
        let source = "é";
        assert_eq!(position_of(source, 1..1).column, 0);
        assert_eq!(position_of(source, 99..120).column, 1);
    }

    #[test]
    fn location_is_one_based() {
        let d = Diagnostic::error(Kind::BrokenLink, "bad").at("content/a.md", "x\ny z", 4..5);
        assert_eq!(d.to_string(), "content/a.md:2:3: bad");
    }

    #[test]
    fn rendering_shows_the_line_and_a_caret() {
        let d = Diagnostic::error(Kind::UnknownFrontMatterKey, "unknown thing")
            .at("content/a.md", "one\ntwo three\n", 8..13)
            .help("did you mean `tree`?");
        let text = d.render(false);
        assert!(text.contains("error: unknown thing"), "{text}");
        assert!(text.contains("--> content/a.md:2:5"), "{text}");
        assert!(text.contains("two three"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("help: did you mean `tree`?"), "{text}");
    }

    #[test]
    fn did_you_mean_finds_close_words_only() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
    }

    #[test]
    fn keys_are_the_same_whatever_their_case_and_separators() {
        assert!(same_key("base_url", "base-url"));
        assert!(same_key("baseURL", "base-url"));
        assert!(!same_key("base", "base-url"));
    }
}
