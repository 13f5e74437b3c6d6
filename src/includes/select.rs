//! Choosing the lines of an included file that a directive asks for, as mdBook 0.5.4 does:
//! a range of line numbers or the lines between `ANCHOR: name` and `ANCHOR_END: name`,
//! either alone (`{{#include}}`) or with every other line kept but hidden behind `# `
//! (`{{#rustdoc_include}}`).
//!
//! Lines are split as `str::lines` splits them and joined with `\n`, without a final line
//! end, because that is the text mdBook writes into the chapter. Each chosen line remembers
//! where it starts in the file, so a directive inside an included file can be reported at
//! its own line and column.

use std::ops::Range;

/// A line range as written after the path, 1-based and inclusive: `file:3:7`, `file:3`
/// (one line), `file:3:` (to the end), `file::7` (from the start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LineRange {
    pub first: Option<usize>,
    pub last: Option<usize>,
}

impl LineRange {
    /// The 0-based, end-exclusive lines this range selects in a file of `line_count` lines,
    /// or why it selects none (mdBook silently includes nothing then).
    pub fn lines(self, line_count: usize) -> Result<Range<usize>, String> {
        if self.first == Some(0) || self.last == Some(0) {
            return Err("line numbers count from 1".to_string());
        }
        if let (Some(first), Some(last)) = (self.first, self.last)
            && last < first
        {
            return Err(format!(
                "the range ends at line {last}, before its start, line {first}"
            ));
        }
        if let Some(first) = self.first
            && first > line_count
        {
            let lines = if line_count == 1 { "line" } else { "lines" };
            return Err(format!(
                "the range starts at line {first} but the file has {line_count} {lines}"
            ));
        }
        let start = self.first.map_or(0, |first| first - 1);
        Ok(start..self.last.unwrap_or(usize::MAX))
    }
}

/// Chosen lines joined by `\n`, and where each of them starts in the file.
#[derive(Debug, Default)]
pub(super) struct Selection {
    pub text: String,
    pub origins: Vec<Origin>,
}

/// From `expanded` on, the selected text copies the file from byte `original` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Origin {
    pub expanded: usize,
    pub original: usize,
}

/// What becomes of one line of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Keep,
    /// Kept behind `# `, a line rustdoc compiles and the reader does not see.
    Hide,
    Drop,
}

/// `contents` as mdBook's `{{#playground}}` writes it: a `rust` code block with
/// `attributes` joined to its language, ending with a line end.
pub(super) fn playground(contents: &str, attributes: &[&str]) -> Selection {
    let mut text = String::with_capacity(contents.len() + 32);
    text.push_str("```rust");
    for attribute in attributes {
        text.push(',');
        text.push_str(attribute);
    }
    text.push('\n');
    let origins = vec![Origin {
        expanded: text.len(),
        original: 0,
    }];
    text.push_str(contents);
    if !contents.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("```\n");
    Selection { text, origins }
}

/// Where byte `offset` of a selected text comes from in its file: the start of the file
/// for what precedes every origin, such as a code fence.
pub(super) fn original_offset(origins: &[Origin], offset: usize) -> usize {
    let after = origins.partition_point(|origin| origin.expanded <= offset);
    match after.checked_sub(1).map(|index| origins[index]) {
        Some(origin) => origin.original + (offset - origin.expanded),
        None => origins.first().map_or(offset, |origin| origin.original),
    }
}

/// The number of lines `str::lines` finds in `text`.
pub(super) fn line_count(text: &str) -> usize {
    lines(text).count()
}

/// The lines in `range` (0-based, end-exclusive); the others are hidden when
/// `hide_outside`, left out otherwise.
pub(super) fn by_numbers(text: &str, range: Range<usize>, hide_outside: bool) -> Selection {
    select(text, |index, _| {
        match (range.contains(&index), hide_outside) {
            (true, _) => Fate::Keep,
            (false, true) => Fate::Hide,
            (false, false) => Fate::Drop,
        }
    })
}

/// The lines between `ANCHOR: anchor` and `ANCHOR_END: anchor`, without any anchor line
/// of any name; None when the file has no such anchor. Without `hide_outside` only the
/// first section counts (mdBook stops at its end); with it every section of that name is
/// shown and every other line hidden.
pub(super) fn by_anchor(text: &str, anchor: &str, hide_outside: bool) -> Option<Selection> {
    let mut found = false;
    let mut within = false;
    let mut done = false;
    let selection = select(text, |_, line| {
        if within {
            if let Some(name) = anchor_name(line, END_MARKER) {
                within = name != anchor;
                done = !within && !hide_outside;
                return Fate::Drop;
            }
            return match anchor_name(line, START_MARKER) {
                Some(_) => Fate::Drop,
                None => Fate::Keep,
            };
        }
        if let Some(name) = anchor_name(line, START_MARKER) {
            within = name == anchor && !done;
            found |= within;
            return Fate::Drop;
        }
        if hide_outside && anchor_name(line, END_MARKER).is_none() {
            Fate::Hide
        } else {
            Fate::Drop
        }
    });
    found.then_some(selection)
}

/// Every anchor name the file opens, in order, for a "did you mean".
pub(super) fn anchor_names(text: &str) -> Vec<&str> {
    lines(text)
        .filter_map(|(_, line)| anchor_name(line, START_MARKER))
        .collect()
}

const START_MARKER: &str = "ANCHOR:";
const END_MARKER: &str = "ANCHOR_END:";

/// The name after the first `marker` in `line` that has one, as mdBook's regex
/// `ANCHOR:\s*([\w_-]+)` finds it. `\w` is taken as alphanumeric: the same for ASCII, and
/// for letters and digits of any script.
fn anchor_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.match_indices(marker).find_map(|(at, _)| {
        let rest = line[at + marker.len()..].trim_start();
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

fn select(text: &str, mut fate: impl FnMut(usize, &str) -> Fate) -> Selection {
    let mut selection = Selection {
        text: String::with_capacity(text.len()),
        origins: Vec::new(),
    };
    for (index, (offset, line)) in lines(text).enumerate() {
        let fate = fate(index, line);
        if fate == Fate::Drop {
            continue;
        }
        if !selection.origins.is_empty() {
            selection.text.push('\n');
        }
        if fate == Fate::Hide {
            selection.text.push_str("# ");
        }
        selection.origins.push(Origin {
            expanded: selection.text.len(),
            original: offset,
        });
        selection.text.push_str(line);
    }
    selection
}

/// The lines of `text` as `str::lines` splits them (at `\n`, dropping a `\r` before it),
/// each with the byte offset where it starts.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |offset, piece| {
        let start = *offset;
        *offset += piece.len();
        let line = match piece.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => piece,
        };
        Some((start, line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIVE: &str = "Lorem\nipsum\ndolor\nsit\namet";

    fn range(first: Option<usize>, last: Option<usize>) -> LineRange {
        LineRange { first, last }
    }

    #[test]
    fn lines_split_as_str_lines_does() {
        for text in ["a\r\nb\n", "a\nb", "", "\n", "a\r", "a\n\nb\r\n\r\n"] {
            let ours: Vec<&str> = lines(text).map(|(_, line)| line).collect();
            assert_eq!(ours, text.lines().collect::<Vec<_>>(), "{text:?}");
        }
        let offsets: Vec<usize> = lines("ab\r\ncd\nef").map(|(at, _)| at).collect();
        assert_eq!(offsets, [0, 4, 7]);
    }

    #[test]
    fn numbered_lines_are_taken_as_mdbook_takes_them() {
        assert_eq!(by_numbers(FIVE, 1..3, false).text, "ipsum\ndolor");
        assert_eq!(by_numbers(FIVE, 3..usize::MAX, false).text, "sit\namet");
        assert_eq!(by_numbers(FIVE, 0..100, false).text, FIVE);
        assert_eq!(by_numbers("a\r\nb\r\n", 0..9, false).text, "a\nb");
    }

    #[test]
    fn rustdoc_hides_the_lines_outside_the_range() {
        assert_eq!(
            by_numbers(FIVE, 1..3, true).text,
            "# Lorem\nipsum\ndolor\n# sit\n# amet"
        );
        assert_eq!(by_numbers(FIVE, 0..usize::MAX, true).text, FIVE);
    }

    #[test]
    fn selections_remember_where_each_line_starts() {
        let selection = by_numbers("ab\r\ncd\nef", 1..2, true);
        assert_eq!(selection.text, "# ab\ncd\n# ef");
        let starts: Vec<(usize, usize)> = selection
            .origins
            .iter()
            .map(|o| (o.expanded, o.original))
            .collect();
        assert_eq!(starts, [(2, 0), (5, 4), (10, 7)]);
    }

    #[test]
    fn playground_writes_a_rust_block_ending_with_a_line_end() {
        assert_eq!(
            playground("fn main() {}", &[]).text,
            "```rust\nfn main() {}\n```\n"
        );
        let block = playground("x\n", &["editable", "no_run"]);
        assert_eq!(block.text, "```rust,editable,no_run\nx\n```\n");
        assert_eq!(original_offset(&block.origins, 0), 0);
        assert_eq!(original_offset(&block.origins, 25), 1);
    }

    #[test]
    fn ranges_check_their_numbers_against_the_file() {
        assert_eq!(range(Some(2), Some(3)).lines(5), Ok(1..3));
        assert_eq!(range(Some(5), None).lines(5), Ok(4..usize::MAX));
        assert_eq!(range(None, Some(99)).lines(5), Ok(0..99));
        assert_eq!(range(None, None).lines(0), Ok(0..usize::MAX));
        assert_eq!(
            range(Some(0), Some(0)).lines(5),
            Err("line numbers count from 1".to_string())
        );
        assert_eq!(
            range(Some(4), Some(2)).lines(5),
            Err("the range ends at line 2, before its start, line 4".to_string())
        );
        assert_eq!(
            range(Some(6), Some(6)).lines(5),
            Err("the range starts at line 6 but the file has 5 lines".to_string())
        );
    }

    #[test]
    fn anchors_select_their_first_section_without_any_anchor_line() {
        let text = "Lorem\nANCHOR:    outer\nipsum\n// ANCHOR: inner\ndolor\n\
                    /* ANCHOR_END: inner */\nsit\nANCHOR_END:outer\namet\nANCHOR: outer\nagain";
        let outer = by_anchor(text, "outer", false).map(|s| s.text);
        assert_eq!(outer.as_deref(), Some("ipsum\ndolor\nsit"));
        let inner = by_anchor(text, "inner", false).map(|s| s.text);
        assert_eq!(inner.as_deref(), Some("dolor"));
        assert!(by_anchor(text, "missing", false).is_none());
        let open_ended = by_anchor("a\nANCHOR: x\nb\nc", "x", false).map(|s| s.text);
        assert_eq!(open_ended.as_deref(), Some("b\nc"));
    }

    #[test]
    fn rustdoc_anchors_hide_every_other_line_and_show_every_section() {
        let text = "Lorem\nANCHOR: test\nipsum\nANCHOR_END: test\ndolor\nANCHOR: test\nsit\n\
                    ANCHOR_END: test\namet\nANCHOR: other\nmore\nANCHOR_END: other";
        let selection = by_anchor(text, "test", true).map(|s| s.text);
        assert_eq!(
            selection.as_deref(),
            Some("# Lorem\nipsum\n# dolor\nsit\n# amet\n# more")
        );
    }

    #[test]
    fn anchor_names_are_word_characters_and_dashes() {
        assert_eq!(
            anchor_name("// ANCHOR: some-name_1 rest", START_MARKER),
            Some("some-name_1")
        );
        assert_eq!(anchor_name("ANCHOR: é", START_MARKER), Some("é"));
        assert_eq!(anchor_name("ANCHOR: * ANCHOR:x", START_MARKER), Some("x"));
        assert_eq!(anchor_name("ANCHOR_END: x", START_MARKER), None);
        assert_eq!(anchor_names("ANCHOR: a\nb\n// ANCHOR: c"), ["a", "c"]);
    }
}
