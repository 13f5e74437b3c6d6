//! The lines of a code block: numbering, marking, and keeping highlight spans inside
//! their line so each line can be wrapped in its own element.

use memchr::memchr;

use super::highlight::LineOptions;

/// Collects a code block's lines as HTML, wrapping each in
/// `<span class="line[ hl]">[<span class="ln" aria-hidden="true">N</span>]…</span>`
/// when line numbers or marked lines are asked for, else writing them bare.
pub(crate) struct LineWriter {
    html: String,
    wrap: bool,
    numbers: bool,
    next_number: u64,
    marked: Vec<bool>,
    index: usize,
}

impl LineWriter {
    pub(crate) fn new(options: &LineOptions, line_count: usize, capacity: usize) -> Self {
        Self {
            html: String::with_capacity(capacity),
            wrap: options.numbers || !options.marked.is_empty(),
            numbers: options.numbers,
            next_number: u64::from(options.first_number),
            marked: marked_lines(options, line_count),
            index: 0,
        }
    }

    /// Adds one line's HTML, which must not contain the line end.
    pub(crate) fn push(&mut self, line_html: &str) {
        if self.wrap {
            let marked = self.marked.get(self.index).copied().unwrap_or(false);
            self.html.push_str(if marked {
                "<span class=\"line hl\">"
            } else {
                "<span class=\"line\">"
            });
            if self.numbers {
                // aria-hidden keeps screen readers quiet; the stylesheet makes the
                // number unselectable so copying the code leaves it out.
                self.html
                    .push_str("<span class=\"ln\" aria-hidden=\"true\">");
                self.html.push_str(&self.next_number.to_string());
                self.html.push_str("</span>");
            }
            self.html.push_str(line_html);
            self.html.push_str("</span>");
        } else {
            self.html.push_str(line_html);
        }
        self.html.push('\n');
        self.index += 1;
        self.next_number = self.next_number.saturating_add(1);
    }

    pub(crate) fn finish(self) -> String {
        self.html
    }
}

/// Which lines (0-based) are marked, from 1-based inclusive ranges. A difference array
/// keeps this linear however many or wide the ranges are.
fn marked_lines(options: &LineOptions, line_count: usize) -> Vec<bool> {
    if options.marked.is_empty() || line_count == 0 {
        return Vec::new();
    }
    let mut delta = vec![0i64; line_count + 1];
    for range in &options.marked {
        let first = usize::try_from(*range.start()).unwrap_or(usize::MAX).max(1) - 1;
        let last = usize::try_from(*range.end())
            .unwrap_or(usize::MAX)
            .min(line_count);
        if first < last {
            delta[first] += 1;
            delta[last] -= 1;
        }
    }
    let mut depth = 0;
    delta[..line_count]
        .iter()
        .map(|d| {
            depth += d;
            depth > 0
        })
        .collect()
}

/// The lines of `code`, without their line ends (`\n` or `\r\n`).
pub(crate) fn split(code: &str) -> impl Iterator<Item = &str> {
    code.split_inclusive('\n').map(strip_line_end)
}

pub(crate) fn count(code: &str) -> usize {
    split(code).count()
}

fn strip_line_end(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Makes each line's highlighted HTML self-contained. Syntect leaves a span open at the
/// end of a line when a scope (a block comment, a string) continues on the next; this
/// closes such spans at the line end and reopens them at the start of the next line.
#[derive(Debug, Default)]
pub(crate) struct SpanBalancer {
    open: Vec<String>,
}

impl SpanBalancer {
    /// `line_html` is one line of syntect's output, line end included. Text in it is
    /// escaped, so every `<` starts a tag.
    pub(crate) fn balance(&mut self, line_html: &str) -> String {
        let mut out = String::with_capacity(line_html.len() + 32 * (self.open.len() + 1));
        self.open.iter().for_each(|tag| out.push_str(tag));
        let mut rest = line_html;
        while let Some(lt) = memchr(b'<', rest.as_bytes()) {
            push_text(&mut out, &rest[..lt]);
            rest = self.take_tag(&mut out, &rest[lt..]);
        }
        push_text(&mut out, rest);
        self.open.iter().for_each(|_| out.push_str("</span>"));
        out
    }

    /// Copies the tag at the start of `html` to `out`, tracking open spans; returns
    /// what follows it.
    fn take_tag<'h>(&mut self, out: &mut String, html: &'h str) -> &'h str {
        if let Some(rest) = html.strip_prefix("</span>") {
            // A close without an open would unbalance the line; drop it.
            if self.open.pop().is_some() {
                out.push_str("</span>");
            }
            return rest;
        }
        let end = memchr(b'>', html.as_bytes()).map_or(html.len(), |i| i + 1);
        let tag = &html[..end];
        if tag.starts_with("<span") && tag.ends_with('>') {
            self.open.push(tag.to_string());
        }
        out.push_str(tag);
        &html[end..]
    }
}

fn push_text(out: &mut String, text: &str) {
    out.push_str(strip_line_end(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(numbers: bool, marked: Vec<std::ops::RangeInclusive<u32>>) -> LineOptions {
        LineOptions {
            numbers,
            marked,
            ..LineOptions::default()
        }
    }

    #[test]
    fn bare_lines_are_not_wrapped() {
        let mut writer = LineWriter::new(&LineOptions::default(), 2, 0);
        split("a\nb\n").for_each(|line| writer.push(line));
        assert_eq!(writer.finish(), "a\nb\n");
    }

    #[test]
    fn numbers_and_marks_wrap_each_line() {
        let mut writer = LineWriter::new(&options(true, vec![2..=2]), 2, 0);
        split("a\r\nb").for_each(|line| writer.push(line));
        assert_eq!(
            writer.finish(),
            "<span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">1</span>a</span>\n\
             <span class=\"line hl\"><span class=\"ln\" aria-hidden=\"true\">2</span>b</span>\n"
        );
    }

    #[test]
    fn marks_clamp_to_the_block() {
        let marked = marked_lines(
            &options(
                false,
                vec![0..=1, 3..=u32::MAX, std::ops::RangeInclusive::new(9, 2)],
            ),
            4,
        );
        assert_eq!(marked, [true, false, true, true]);
    }

    #[test]
    fn spans_are_closed_and_reopened_at_line_ends() {
        let mut balancer = SpanBalancer::default();
        let first = balancer.balance("<span class=\"c\">/* one\n");
        let second = balancer.balance("two */</span> x</span>\n");
        assert_eq!(first, "<span class=\"c\">/* one</span>");
        assert_eq!(second, "<span class=\"c\">two */</span> x");
    }
}
