//! Build-time syntax highlighting with syntect, memoised by a hash of its input.
//!
//! Output uses short CSS classes (`k`, `s`, `c`…, see `token_classes.rs`), never inline
//! styles, so one stylesheet (`theme/highlight.css`, see
//! [`stylesheet`](super::stylesheet())) can switch between a light and a dark palette.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::RangeInclusive;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use pulldown_cmark_escape::escape_html_body_text;
use syntect::highlighting;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use xxhash_rust::xxh3::Xxh3;

use super::highlight_store;
use super::lines::{self, LineWriter};
use super::stylesheet::LIGHT;
use super::token_classes::{Classifier, TokenClass};
use crate::staged::Staged;

/// Part of every cache key: bump it when the HTML written for a block changes, so
/// memoised output from an older folio is never reused.
pub const HIGHLIGHT_VERSION: u32 = 2;

/// Blocks larger than this are not highlighted: syntect's time grows with size, and such
/// blocks are usually generated data nobody reads for its colours.
pub const MAX_BLOCK_BYTES: usize = 512 * 1024;

/// Lines longer than this are not highlighted: regex-based grammars can take quadratic
/// time on one long line (minified code).
pub const MAX_LINE_CHARS: usize = 20_000;

/// How a code block's lines are presented.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LineOptions {
    /// Show a number before each line (`linenos`).
    pub numbers: bool,
    /// The number of the first line (`linenostart=N`), 1 by default.
    pub first_number: u32,
    /// 1-based inclusive ranges of lines to mark with the `hl` class (`hl_lines`).
    pub marked: Vec<RangeInclusive<u32>>,
    /// What each line of a `diff` block does, its marker cut off the code; empty when
    /// the block is not a diff.
    pub changes: Vec<Change>,
}

impl Default for LineOptions {
    fn default() -> Self {
        Self {
            numbers: false,
            first_number: 1,
            marked: Vec::new(),
            changes: Vec::new(),
        }
    }
}

/// A line of a `diff` block, by its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// `+`: written with the `ins` class.
    Inserted,
    /// `-`: written with the `del` class.
    Deleted,
    /// ` `: a line both versions share.
    Context,
    /// Anything else (`@@ -1 +1 @@`, a blank line): nothing was cut off.
    Unmarked,
}

impl Change {
    /// The line's change and its code without the marker.
    pub fn of(line: &str) -> (Self, &str) {
        let change = match line.as_bytes().first() {
            Some(b'+') => Self::Inserted,
            Some(b'-') => Self::Deleted,
            Some(b' ') => Self::Context,
            _ => return (Self::Unmarked, line),
        };
        (change, &line[1..])
    }

    /// The marker as written before the line's code.
    pub fn marker(self) -> &'static str {
        match self {
            Self::Inserted => "+",
            Self::Deleted => "-",
            Self::Context => " ",
            Self::Unmarked => "",
        }
    }
}

/// Why a block was not highlighted. The caller writes it as escaped plain text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HighlightError {
    /// No language given, or none that the syntax set knows. Whether that deserves a
    /// warning is the caller's to say: `text` blocks are common and meant as they are.
    #[error("unknown language")]
    UnknownLanguage,
    #[error("code block not highlighted: {0}")]
    TooLarge(String),
    #[error("code block not highlighted: {0}")]
    Failed(String),
}

/// Shared by all threads; the syntax set loads once, on first use.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    /// The light theme, which resolves scopes to the colours classes are named by.
    theme: OnceLock<(highlighting::Theme, Classifier)>,
    /// Highlighted blocks (the HTML inside `<code>`) by [`cache_key`].
    cache: Mutex<HashMap<u128, Arc<str>>>,
    /// The keys this run asked for: what is worth saving for the next one.
    used: Mutex<HashSet<u128>>,
}

impl fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Highlighter")
            .field("loaded", &self.syntaxes.get().is_some())
            .field("cached_blocks", &self.cache_len())
            .finish()
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Self::default()
    }

    /// A highlighter that starts from the blocks a previous run saved at `path`.
    pub fn with_store(path: &Path) -> Self {
        Self {
            cache: Mutex::new(highlight_store::load(path)),
            ..Self::default()
        }
    }

    /// Writes the blocks this run used beside `path`, for the next run once committed.
    pub fn stage_store(&self, path: &Path) -> std::io::Result<Staged> {
        let cache = self.lock_cache();
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let entries = used
            .iter()
            .filter_map(|key| cache.get(key).map(|html| (*key, &**html)));
        highlight_store::stage(path, entries)
    }

    /// two-face's syntaxes (syntect's defaults plus TOML, TypeScript, Dockerfile…), in
    /// the variant that expects line ends, loaded on first use.
    pub fn syntax_set(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    fn theme(&self) -> &(highlighting::Theme, Classifier) {
        self.theme.get_or_init(|| {
            let theme = two_face::theme::extra().get(LIGHT).clone();
            let classifier = Classifier::new(&theme);
            (theme, classifier)
        })
    }

    /// The syntax for a fence's language: by file extension or name, ignoring case.
    pub fn find_syntax(&self, language: &str) -> Option<&SyntaxReference> {
        if language.is_empty() {
            return None;
        }
        // By extension first, then by name; both ignore ASCII case.
        self.syntax_set().find_syntax_by_token(alias(language))
    }

    /// The known language closest to `language`, when it looks like a typo of one: a
    /// syntax's name or file extension, or a common fence name, all in lower case.
    pub fn suggest(&self, language: &str) -> Option<String> {
        let syntaxes = self.syntax_set().syntaxes().iter();
        let names: Vec<String> = syntaxes
            .flat_map(|syntax| std::iter::once(&syntax.name).chain(&syntax.file_extensions))
            .map(|name| name.to_ascii_lowercase())
            .filter(|name| !name.contains(char::is_whitespace))
            .chain(ALIASES.iter().map(|(name, _)| name.to_string()))
            .collect();
        let language = language.to_ascii_lowercase();
        crate::diag::did_you_mean(&language, names.iter().map(String::as_str)).map(str::to_string)
    }

    /// The HTML inside `<code>` for `code` in `language`: one line per source line,
    /// each with its spans closed, wrapped as `lines` asks. Memoised.
    pub fn highlight(
        &self,
        language: &str,
        code: &str,
        lines: &LineOptions,
    ) -> Result<Arc<str>, HighlightError> {
        if language.is_empty() {
            return Err(HighlightError::UnknownLanguage);
        }
        check_budget(code)?;
        let key = cache_key(language, code, lines);
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key);
        if let Some(html) = self.lock_cache().get(&key) {
            return Ok(Arc::clone(html));
        }
        let syntax = self
            .find_syntax(language)
            .ok_or(HighlightError::UnknownLanguage)?;
        let (theme, classifier) = self.theme();
        let styles = Styles { theme, classifier };
        let html: Arc<str> = highlight_lines(self.syntax_set(), syntax, &styles, code, lines)
            .map_err(|e| HighlightError::Failed(e.to_string()))?
            .into();
        self.lock_cache().insert(key, Arc::clone(&html));
        Ok(html)
    }

    /// How many highlighted blocks are memoised.
    pub fn cache_len(&self) -> usize {
        self.lock_cache().len()
    }

    /// Forgets the blocks not asked for since the last prune, so a long-running server
    /// keeps only what its pages still use.
    pub fn prune(&self) {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        self.lock_cache().retain(|key, _| used.contains(key));
        used.clear();
    }

    /// Forgets every memoised block.
    pub fn clear_cache(&self) {
        self.lock_cache().clear();
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<u128, Arc<str>>> {
        // A panic elsewhere while holding the lock leaves the map intact: keep using it.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Common fence names that match no syntax's extension or name.
const ALIASES: [(&str, &str); 7] = [
    ("shell", "sh"),
    ("console", "sh"),
    ("text", "txt"),
    ("plaintext", "txt"),
    ("golang", "go"),
    ("docker", "Dockerfile"),
    ("jsonc", "json"),
];

fn alias(language: &str) -> &str {
    ALIASES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(language))
        .map_or(language, |(_, target)| target)
}

/// Refuses blocks past the size budget, saying which limit was hit.
fn check_budget(code: &str) -> Result<(), HighlightError> {
    if code.len() > MAX_BLOCK_BYTES {
        return Err(HighlightError::TooLarge(format!(
            "it is larger than {} KiB",
            MAX_BLOCK_BYTES / 1024
        )));
    }
    // Bytes bound characters from above, so counting characters is only needed for
    // lines that are long in bytes.
    let long_line = lines::split(code)
        .position(|line| line.len() > MAX_LINE_CHARS && line.chars().count() > MAX_LINE_CHARS);
    match long_line {
        Some(index) => Err(HighlightError::TooLarge(format!(
            "line {} is longer than {MAX_LINE_CHARS} characters",
            index + 1
        ))),
        None => Ok(()),
    }
}

/// A 128-bit hash of everything the highlighted HTML depends on. Lengths are hashed
/// before strings so that no two different inputs can be written the same way.
fn cache_key(language: &str, code: &str, lines: &LineOptions) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(&HIGHLIGHT_VERSION.to_le_bytes());
    // Grammars and palettes change with folio's dependencies, and so with its version.
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    for text in [language, code] {
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    hasher.update(&[u8::from(lines.numbers)]);
    hasher.update(&lines.first_number.to_le_bytes());
    hasher.update(&(lines.marked.len() as u64).to_le_bytes());
    for range in &lines.marked {
        hasher.update(&range.start().to_le_bytes());
        hasher.update(&range.end().to_le_bytes());
    }
    hasher.update(&(lines.changes.len() as u64).to_le_bytes());
    hasher.update(&lines.changes.iter().map(|c| *c as u8).collect::<Vec<_>>());
    hasher.digest128()
}

/// What turns parsed scopes into classes.
struct Styles<'t> {
    theme: &'t highlighting::Theme,
    classifier: &'t Classifier,
}

fn highlight_lines(
    set: &SyntaxSet,
    syntax: &SyntaxReference,
    styles: &Styles<'_>,
    code: &str,
    options: &LineOptions,
) -> Result<String, syntect::Error> {
    let mut parse_state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut class = styles.class_of(stack.as_slice());
    let mut writer = LineWriter::new(options, lines::count(code), code.len() * 2);
    let mut line_html = String::new();
    for line in code.split_inclusive('\n') {
        let ops = parse_state.parse_line(line, set)?;
        let mut runs = RunWriter::new(&mut line_html);
        // The line end is the writer's to add: no token runs past the code.
        let text = lines::strip_line_end(line);
        let mut start = 0;
        for (at, op) in &ops {
            let end = (*at).clamp(start, text.len());
            runs.push(class, &text[start..end]);
            start = end;
            stack.apply(op)?;
            class = styles.class_of(stack.as_slice());
        }
        runs.push(class, &text[start..]);
        runs.finish();
        writer.push(&line_html);
    }
    Ok(writer.finish())
}

/// The most scope stacks a thread remembers the class of before it starts again.
const CLASS_MEMO_LIMIT: usize = 1 << 14;

thread_local! {
    /// Classes by scope stack. Resolving a stack against the theme tries every rule
    /// of it, and a site's blocks come back to the same few hundred stacks. The theme is
    /// always [`LIGHT`], so a stack's class is the same for every block. Looked up for
    /// every token, so with a quick hash: the standard library's SipHash took 3% of the
    /// time spent highlighting.
    static CLASSES: RefCell<foldhash::HashMap<Vec<Scope>, TokenClass>> = RefCell::default();
}

impl Styles<'_> {
    /// The class of text under `stack`: what syntect's own `HighlightIterator` gives,
    /// which resolves each push against the theme as `style_for_stack` does.
    fn class_of(&self, stack: &[Scope]) -> TokenClass {
        CLASSES.with_borrow_mut(|memo| {
            if let Some(class) = memo.get(stack) {
                return *class;
            }
            // Made only for a stack not seen before: it sorts the theme's rules.
            let highlighter = highlighting::Highlighter::new(self.theme);
            let style = match stack {
                [] => highlighter.get_default(),
                _ => highlighter.style_for_stack(stack),
            };
            let class = self.classifier.classify(style);
            if memo.len() >= CLASS_MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(stack.to_vec(), class);
            class
        })
    }
}

/// Writes one line's tokens as flat spans, one per run of text with the same class.
/// Whitespace between two tokens of a class joins their run when it would look the
/// same, so `pub struct` is one span rather than two.
struct RunWriter<'o> {
    out: &'o mut String,
    open: TokenClass,
    /// Whitespace after the open run, written once the next token shows whether the
    /// run goes on.
    gap: String,
}

impl<'o> RunWriter<'o> {
    fn new(out: &'o mut String) -> Self {
        out.clear();
        Self {
            out,
            open: TokenClass::default(),
            gap: String::new(),
        }
    }

    fn push(&mut self, class: TokenClass, text: &str) {
        if text.is_empty() {
            return;
        }
        let blank = text.bytes().all(|b| b == b' ' || b == b'\t');
        if blank && !self.open.is_plain() && self.open.hides_whitespace() {
            self.gap.push_str(text);
            return;
        }
        if class != self.open {
            self.close();
            if !class.is_plain() {
                self.out.push_str("<span class=\"");
                class.push_attribute(self.out);
                self.out.push_str("\">");
            }
            self.open = class;
        }
        self.out.push_str(&self.gap);
        self.gap.clear();
        let _ = escape_html_body_text(&mut *self.out, text); // a String never fails
    }

    fn close(&mut self) {
        if !self.open.is_plain() {
            self.out.push_str("</span>");
        }
        self.out.push_str(&self.gap);
        self.gap.clear();
    }

    fn finish(mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_refuses_big_blocks_and_long_lines() {
        assert!(check_budget("fn main() {}\n").is_ok());
        let big = "x\n".repeat(MAX_BLOCK_BYTES / 2 + 1);
        assert!(
            matches!(check_budget(&big), Err(HighlightError::TooLarge(m)) if m.contains("512 KiB"))
        );
        let long = format!("ok\n{}\n", "y".repeat(MAX_LINE_CHARS + 1));
        assert!(
            matches!(check_budget(&long), Err(HighlightError::TooLarge(m)) if m.contains("line 2"))
        );
        // Long in bytes but not in characters: still highlighted.
        let wide = "é".repeat(MAX_LINE_CHARS);
        assert!(check_budget(&wide).is_ok());
    }

    #[test]
    fn cache_keys_tell_inputs_apart() {
        let plain = LineOptions::default();
        let numbered = LineOptions {
            numbers: true,
            ..LineOptions::default()
        };
        let key = cache_key("rust", "x", &plain);
        assert_eq!(key, cache_key("rust", "x", &plain));
        assert_ne!(key, cache_key("rus", "tx", &plain));
        assert_ne!(key, cache_key("rust", "x", &numbered));
        assert_ne!(key, cache_key("toml", "x", &plain));
    }

    /// syntect's own way from parsed lines to classes, which [`highlight_lines`] takes
    /// a shorter road to.
    fn highlight_with_syntect_iterator(
        highlighter: &Highlighter,
        language: &str,
        code: &str,
    ) -> String {
        use syntect::highlighting::{HighlightIterator, HighlightState};
        let (theme, classifier) = highlighter.theme();
        let theme_highlighter = highlighting::Highlighter::new(theme);
        let syntax = highlighter.find_syntax(language).unwrap();
        let mut parse_state = ParseState::new(syntax);
        let mut style_state = HighlightState::new(&theme_highlighter, ScopeStack::new());
        let options = LineOptions::default();
        let mut writer = LineWriter::new(&options, lines::count(code), code.len() * 2);
        let mut line_html = String::new();
        for line in code.split_inclusive('\n') {
            let ops = parse_state
                .parse_line(line, highlighter.syntax_set())
                .unwrap();
            let mut runs = RunWriter::new(&mut line_html);
            let mut rest = lines::strip_line_end(line).len();
            for (style, text) in
                HighlightIterator::new(&mut style_state, &ops, line, &theme_highlighter)
            {
                let text = &text[..text.len().min(rest)];
                rest -= text.len();
                runs.push(classifier.classify(style), text);
            }
            runs.finish();
            writer.push(&line_html);
        }
        writer.finish()
    }

    #[test]
    fn classes_are_those_of_syntects_own_iterator() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let samples = [
            ("rust", "src/markdown/highlight.rs"),
            ("rust", "src/markdown/pass.rs"),
            ("toml", "Cargo.toml"),
            ("python", "bench/compare.py"),
            ("sh", ".ci/run"),
            ("js", "theme/search.js"),
            ("css", "theme/highlight.css"),
            ("html", "templates/base.html"),
            ("markdown", "README.md"),
            ("yaml", "content/_index.md"),
        ];
        let highlighter = Highlighter::new();
        for (language, path) in samples {
            let code = std::fs::read_to_string(root.join(path)).unwrap();
            let html = highlighter
                .highlight(language, &code, &LineOptions::default())
                .unwrap();
            let expected = highlight_with_syntect_iterator(&highlighter, language, &code);
            assert!(
                html.matches("<span class=").count() > 10,
                "{path} has few classes"
            );
            assert_eq!(*html, expected, "{path} as {language}");
        }
    }

    #[test]
    fn empty_language_is_unknown_without_loading_syntaxes() {
        let highlighter = Highlighter::new();
        let result = highlighter.highlight("", "x", &LineOptions::default());
        assert_eq!(result, Err(HighlightError::UnknownLanguage));
        assert!(highlighter.syntaxes.get().is_none());
    }
}
