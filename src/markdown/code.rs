//! Code blocks: reading the fence's info string (language, `title`, `linenos`,
//! `linenostart`, `hl_lines`) and writing the block's `<pre>`, highlighted when the
//! language is known, under its title, with a `diff`'s changes marked.

use std::ops::Range;

use pulldown_cmark_escape::escape_html_body_text;

use super::Warning;
use super::highlight::{Change, HighlightError, Highlighter, LineOptions};
use super::lines::{self, LineWriter};
use super::links::push_escaped_html;
use crate::diag::Kind;

/// Languages that mean "no highlighting" (and `mermaid`, which a site draws and a book
/// keeps as code for its own script): never worth a warning.
const UNHIGHLIGHTED: [&str; 7] = [
    "text",
    "plain",
    "plaintext",
    "txt",
    "console",
    "output",
    "mermaid",
];

/// What a fence's info string asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Info<'i> {
    /// The first word, as written (mdBook's `rust,ignore` gives `rust`).
    pub(crate) language: &'i str,
    /// `title="src/main.rs"`: a caption shown above the block.
    pub(crate) title: Option<&'i str>,
    pub(crate) lines: LineOptions,
}

/// A rendered block, and why it is not shown as asked when that deserves a warning
/// (its range is the caller's to set).
pub(crate) struct Block {
    pub(crate) html: String,
    pub(crate) warning: Option<Warning>,
}

impl Warning {
    /// A warning about a code block, located by the caller.
    pub(crate) fn of_block(kind: Kind, message: String, help: Option<String>) -> Self {
        Self {
            kind,
            range: 0..0,
            message,
            help,
        }
    }
}

pub(crate) fn render(info: &str, code: &str, highlighter: &Highlighter) -> Block {
    let Info {
        language,
        title,
        mut lines,
    } = parse_info(info);
    let (syntax, diff) = match language.strip_prefix("diff") {
        Some(rest) if rest.is_empty() || rest.starts_with('-') => {
            (rest.trim_start_matches('-'), true)
        }
        _ => (language, false),
    };
    let unmarked = diff.then(|| split_changes(code, &mut lines));
    let code = unmarked.as_deref().unwrap_or(code);
    let mut html = open_figure(title);
    html.push_str(&open_tags(language));
    let warning = push_code(&mut html, syntax, code, &lines, highlighter)
        .map(|message| Warning::of_block(Kind::Markdown, message, None))
        .or_else(|| unknown_language(syntax, highlighter));
    html.push_str("</code></pre>\n");
    if title.is_some() {
        html.push_str("</figure>\n");
    }
    Block { html, warning }
}

/// A diff's code without its `+`/`-`/` ` markers, which `lines` records instead.
fn split_changes(code: &str, lines: &mut LineOptions) -> String {
    let mut unmarked = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let (change, rest) = Change::of(line);
        lines.changes.push(change);
        unmarked.push_str(rest);
    }
    unmarked
}

/// `<figure class="code-block"><figcaption>…</figcaption>` for a titled block: the
/// caption names the figure for screen readers too.
fn open_figure(title: Option<&str>) -> String {
    let Some(title) = title else {
        return String::new();
    };
    let mut html = String::from("<figure class=\"code-block\"><figcaption class=\"code-title\">");
    push_escaped_html(&mut html, title);
    html.push_str("</figcaption>");
    html
}

/// The warning for a language no syntax knows, with the closest known one.
fn unknown_language(language: &str, highlighter: &Highlighter) -> Option<Warning> {
    let plain = UNHIGHLIGHTED
        .iter()
        .any(|p| p.eq_ignore_ascii_case(language));
    if language.is_empty() || plain || highlighter.find_syntax(language).is_some() {
        return None;
    }
    let message = format!("unknown language `{language}`: the code block is plain text");
    let help = highlighter
        .suggest(language)
        .map(|known| format!("did you mean `{known}`?"));
    Some(Warning::of_block(Kind::UnknownLanguage, message, help))
}

/// Where a fence's language is written, for its warning: the first word after the
/// backticks or tildes of the block's first line; the whole block if there is none.
pub(crate) fn language_range(body: &str, block: Range<usize>) -> Range<usize> {
    let written = body.get(block.clone()).unwrap_or_default();
    let line = written.split('\n').next().unwrap_or_default();
    let info = line
        .trim_start()
        .trim_start_matches(['`', '~'])
        .trim_start();
    let start = block.start + line.len() - info.len();
    let len = info.find(is_separator).unwrap_or(info.len());
    match len {
        0 => block,
        _ => start..start + len,
    }
}

/// Where a fenced block's text is written: from the line after the opening fence to the
/// end of the block (its closing fence included, if any); the whole block if it is empty.
pub(crate) fn content_range(body: &str, block: Range<usize>) -> Range<usize> {
    let written = body.get(block.clone()).unwrap_or_default();
    match written.find('\n') {
        Some(end) if end + 1 < written.len() => block.start + end + 1..block.end,
        _ => block,
    }
}

/// Pushes the HTML inside `<code>`: highlighted when the language is known, else
/// escaped text. Returns why it was not highlighted when that deserves a warning.
pub(crate) fn push_code(
    html: &mut String,
    language: &str,
    code: &str,
    lines: &LineOptions,
    highlighter: &Highlighter,
) -> Option<String> {
    match highlighter.highlight(language, code, lines) {
        Ok(highlighted) => {
            html.push_str(&highlighted);
            None
        }
        Err(error) => {
            html.push_str(&plain(code, lines));
            (error != HighlightError::UnknownLanguage).then(|| error.to_string())
        }
    }
}

/// `<pre class="code" data-lang="…"><code class="language-…">`, the language escaped:
/// an info string is arbitrary text and may try to break out of the attribute.
fn open_tags(language: &str) -> String {
    if language.is_empty() {
        return "<pre class=\"code\"><code>".to_string();
    }
    let mut html = String::from("<pre class=\"code\" data-lang=\"");
    push_escaped_html(&mut html, language);
    html.push_str("\"><code class=\"language-");
    push_escaped_html(&mut html, language);
    html.push_str("\">");
    html
}

/// The block as escaped text, with the same line numbers and marks as if highlighted.
fn plain(code: &str, options: &LineOptions) -> String {
    let mut writer = LineWriter::new(options, lines::count(code), code.len() + code.len() / 8);
    let mut escaped = String::new();
    for line in lines::split(code) {
        escaped.clear();
        let _ = escape_html_body_text(&mut escaped, line); // a String never fails
        writer.push(&escaped);
    }
    writer.finish()
}

pub(crate) fn parse_info(info: &str) -> Info<'_> {
    let info = info.trim();
    let end = info.find(is_separator).unwrap_or(info.len());
    let (language, rest) = info.split_at(end);
    let mut info = Info {
        language,
        title: None,
        lines: LineOptions::default(),
    };
    parse_options(rest, &mut info);
    info
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == ','
}

/// Reads `key` and `key=value` words; unknown ones are skipped so fences written for
/// other tools still render.
fn parse_options<'i>(mut rest: &'i str, info: &mut Info<'i>) {
    loop {
        rest = rest.trim_start_matches(is_separator);
        if rest.is_empty() {
            return;
        }
        let key_end = rest
            .find(|c| is_separator(c) || c == '=')
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = &rest[key_end..];
        match rest.strip_prefix('=') {
            Some(after) => {
                let (value, after_value) = split_value(key, after);
                apply(key, value, info);
                rest = after_value;
            }
            None if key == "linenos" => info.lines.numbers = true,
            None => {}
        }
    }
}

fn apply<'i>(key: &str, value: &'i str, info: &mut Info<'i>) {
    let lines = &mut info.lines;
    match key {
        "title" => info.title = Some(value).filter(|title| !title.is_empty()),
        "linenos" => lines.numbers = value != "false",
        "linenostart" => lines.first_number = value.parse().unwrap_or(lines.first_number),
        "hl_lines" => lines.marked = parse_ranges(value),
        _ => {}
    }
}

/// Splits a value from what follows it: up to the matching quote when quoted; for
/// unquoted `hl_lines`, every following word that looks like a line range (so
/// `hl_lines=1 3-4 linenos` works); else up to the next separator.
fn split_value<'i>(key: &str, text: &'i str) -> (&'i str, &'i str) {
    if let Some(quote) = text.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let inner = &text[1..];
        let end = inner.find(quote).unwrap_or(inner.len());
        return (&inner[..end], inner.get(end + 1..).unwrap_or(""));
    }
    if key == "hl_lines" {
        return text.split_at(ranges_end(text));
    }
    text.split_at(text.find(is_separator).unwrap_or(text.len()))
}

/// The end of the leading run of range words (`1`, `3-5`) and their separators.
fn ranges_end(text: &str) -> usize {
    let mut end = 0;
    loop {
        let word_start = text.len() - text[end..].trim_start_matches(is_separator).len();
        let word = &text[word_start..];
        if !word.starts_with(|c: char| c.is_ascii_digit()) {
            return end;
        }
        let len = word
            .find(|c: char| !(c.is_ascii_digit() || c == '-'))
            .unwrap_or(word.len());
        end = word_start + len;
    }
}

/// `1 3-5,8` as inclusive ranges; malformed words are ignored.
fn parse_ranges(value: &str) -> Vec<std::ops::RangeInclusive<u32>> {
    value
        .split(is_separator)
        .filter_map(|word| {
            let (first, last) = word.split_once('-').unwrap_or((word, word));
            Some(first.parse().ok()?..=last.parse().ok()?)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(info: &str) -> Vec<std::ops::RangeInclusive<u32>> {
        parse_info(info).lines.marked
    }

    #[test]
    fn language_is_the_first_word() {
        assert_eq!(parse_info("rust").language, "rust");
        assert_eq!(parse_info("  rust,ignore").language, "rust");
        assert_eq!(parse_info("").language, "");
        assert_eq!(parse_info("\"><script>x").language, "\"><script>x");
    }

    #[test]
    fn line_options_are_read_in_every_spelling() {
        let info = parse_info("rust linenos hl_lines=3-5");
        assert!(info.lines.numbers);
        assert_eq!(info.lines.marked, [3..=5]);
        assert_eq!(marked("rust hl_lines=1 3-4"), [1..=1, 3..=4]);
        assert_eq!(marked("rust hl_lines=1,3-4 linenos"), [1..=1, 3..=4]);
        assert_eq!(marked("rust hl_lines=\"2 4\" linenos"), [2..=2, 4..=4]);
        assert_eq!(marked("rust hl_lines='7'"), [7..=7]);
        assert!(parse_info("rust hl_lines=1 3-4 linenos").lines.numbers);
        assert_eq!(parse_info("rust linenostart=10").lines.first_number, 10);
    }

    #[test]
    fn malformed_options_are_ignored() {
        assert_eq!(
            marked("rust hl_lines=x-3 2-"),
            Vec::<std::ops::RangeInclusive<u32>>::new()
        );
        assert_eq!(marked("rust hl_lines=\"1 99999999999 2\""), [1..=1, 2..=2]);
        assert!(!parse_info("rust linenos=false").lines.numbers);
        assert_eq!(parse_info("rust linenostart=-4").lines.first_number, 1);
        assert_eq!(marked("rust hl_lines=\"1"), [1..=1]);
        assert_eq!(parse_info("rust = == ,,, =x").language, "rust");
    }

    #[test]
    fn hostile_languages_are_escaped() {
        let open = open_tags("\"><script>alert(1)</script>");
        assert!(!open.contains("<script>"), "{open}");
        assert!(
            open.contains("data-lang=\"&quot;&gt;&lt;script&gt;"),
            "{open}"
        );
    }
}
