//! The lines of a code block: splitting, numbering, marking them and showing a diff's
//! changes.

use super::highlight::{Change, LineOptions};

/// Collects a code block's lines as HTML, wrapping each in
/// `<span class="line[ hl][ ins| del]">[<span class="ln" aria-hidden="true">N</span>][marker]…</span>`
/// when line numbers, marked lines or a diff's changes are asked for, else writing
/// them bare. A diff line's marker (`+`, `-`, ` `) is written back before its code.
pub(crate) struct LineWriter {
    html: String,
    wrap: bool,
    numbers: bool,
    next_number: u64,
    marked: Vec<bool>,
    changes: Vec<Change>,
    index: usize,
}

impl LineWriter {
    pub(crate) fn new(options: &LineOptions, line_count: usize, capacity: usize) -> Self {
        Self {
            html: String::with_capacity(capacity),
            wrap: options.numbers || !options.marked.is_empty() || !options.changes.is_empty(),
            numbers: options.numbers,
            next_number: u64::from(options.first_number),
            marked: marked_lines(options, line_count),
            changes: options.changes.clone(),
            index: 0,
        }
    }

    /// Adds one line's HTML, which must not contain the line end.
    pub(crate) fn push(&mut self, line_html: &str) {
        if self.wrap {
            let marked = self.marked.get(self.index).copied().unwrap_or(false);
            let change = self.changes.get(self.index).copied();
            self.html.push_str("<span class=\"line");
            self.html.push_str(if marked { " hl" } else { "" });
            self.html.push_str(match change {
                Some(Change::Inserted) => " ins\">",
                Some(Change::Deleted) => " del\">",
                _ => "\">",
            });
            if self.numbers {
                // aria-hidden keeps screen readers quiet; the stylesheet makes the
                // number unselectable so copying the code leaves it out.
                self.html
                    .push_str("<span class=\"ln\" aria-hidden=\"true\">");
                self.html.push_str(&self.next_number.to_string());
                self.html.push_str("</span>");
            }
            self.html.push_str(change.map_or("", Change::marker));
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

pub(crate) fn strip_line_end(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
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
    fn changes_class_each_line_and_keep_their_markers() {
        let options = LineOptions {
            numbers: true,
            changes: vec![Change::Inserted, Change::Deleted, Change::Context],
            ..LineOptions::default()
        };
        let mut writer = LineWriter::new(&options, 3, 0);
        split("a\nb\nc").for_each(|line| writer.push(line));
        assert_eq!(
            writer.finish(),
            "<span class=\"line ins\"><span class=\"ln\" aria-hidden=\"true\">1</span>+a</span>\n\
             <span class=\"line del\"><span class=\"ln\" aria-hidden=\"true\">2</span>-b</span>\n\
             <span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">3</span> c</span>\n"
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
}
