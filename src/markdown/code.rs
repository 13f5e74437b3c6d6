//! Code blocks: reading the fence's info string (language, `linenos`, `linenostart`,
//! `hl_lines`) and writing the block's `<pre>`, highlighted when the language is known.

use pulldown_cmark_escape::escape_html_body_text;

use super::highlight::{HighlightError, Highlighter, LineOptions};
use super::lines::{self, LineWriter};
use super::links::push_escaped_html;

/// What a fence's info string asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Info<'i> {
    /// The first word, as written (mdBook's `rust,ignore` gives `rust`).
    pub(crate) language: &'i str,
    pub(crate) lines: LineOptions,
}

/// A rendered block, and the reason it was not highlighted when that deserves a warning.
pub(crate) struct Block {
    pub(crate) html: String,
    pub(crate) warning: Option<String>,
}

pub(crate) fn render(info: &str, code: &str, highlighter: &Highlighter) -> Block {
    let Info { language, lines } = parse_info(info);
    let mut html = open_tags(language);
    let warning = push_code(&mut html, language, code, &lines, highlighter);
    html.push_str("</code></pre>\n");
    Block { html, warning }
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
    let mut lines = LineOptions::default();
    parse_options(rest, &mut lines);
    Info { language, lines }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == ','
}

/// Reads `key` and `key=value` words; unknown ones are skipped so fences written for
/// other tools still render.
fn parse_options(mut rest: &str, lines: &mut LineOptions) {
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
                apply(key, value, lines);
                rest = after_value;
            }
            None if key == "linenos" => lines.numbers = true,
            None => {}
        }
    }
}

fn apply(key: &str, value: &str, lines: &mut LineOptions) {
    match key {
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
