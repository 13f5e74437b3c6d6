//! Finding the front-matter block: the lines between a first line `---` and the next
//! line `---`. Everything after the closing line is Markdown, even more `---` lines.

use std::ops::Range;

const BOM: char = '\u{feff}';

#[derive(Debug, PartialEq)]
pub(super) struct Split<'a> {
    /// Byte offset of the YAML in the file, and the YAML itself; `None` when the file
    /// has no front matter.
    pub yaml: Option<(usize, &'a str)>,
    pub body: &'a str,
    pub body_offset: usize,
}

/// The file opens a front-matter block that never closes; `opening` is its `---`.
#[derive(Debug, PartialEq)]
pub(super) struct Unclosed {
    pub opening: Range<usize>,
}

pub(super) fn split(source: &str) -> Result<Split<'_>, Unclosed> {
    let start = if source.starts_with(BOM) {
        BOM.len_utf8()
    } else {
        0
    };
    let (first, yaml_start) = line_at(source, start);
    if !is_fence(first) {
        return Ok(Split {
            yaml: None,
            body: &source[start..],
            body_offset: start,
        });
    }
    let mut at = yaml_start;
    while at < source.len() {
        let (line, next) = line_at(source, at);
        if is_fence(line) {
            return Ok(Split {
                yaml: Some((yaml_start, &source[yaml_start..at])),
                body: &source[next..],
                body_offset: next,
            });
        }
        at = next;
    }
    Err(Unclosed {
        opening: start..start + 3,
    })
}

/// The line starting at `at`, without its line end, and where the next line starts.
fn line_at(source: &str, at: usize) -> (&str, usize) {
    match source[at..].find('\n') {
        Some(i) => (&source[at..at + i], at + i + 1),
        None => (&source[at..], source.len()),
    }
}

/// `---`, allowing trailing spaces and the `\r` of a CRLF line end.
fn is_fence(line: &str) -> bool {
    line.trim_end_matches([' ', '\t', '\r']) == "---"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(source: &str) -> (Option<&str>, &str, usize) {
        let split = split(source).unwrap();
        assert_eq!(&source[split.body_offset..], split.body);
        if let Some((offset, yaml)) = split.yaml {
            assert_eq!(&source[offset..offset + yaml.len()], yaml);
        }
        (
            split.yaml.map(|(_, yaml)| yaml),
            split.body,
            split.body_offset,
        )
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        assert_eq!(parts("# Title\n\ntext\n"), (None, "# Title\n\ntext\n", 0));
        assert_eq!(parts("text\n---\nmore\n"), (None, "text\n---\nmore\n", 0));
        assert_eq!(parts("----\na: b\n----\n"), (None, "----\na: b\n----\n", 0));
        assert_eq!(parts(""), (None, "", 0));
    }

    #[test]
    fn the_block_ends_at_the_first_closing_line() {
        let source = "---\ntitle: A\n---\n# A\n\n---\n\nafter a rule\n";
        assert_eq!(
            parts(source),
            (Some("title: A\n"), "# A\n\n---\n\nafter a rule\n", 17)
        );
    }

    #[test]
    fn fences_may_have_trailing_spaces() {
        assert_eq!(
            parts("---  \na: 1\n--- \t\nbody"),
            (Some("a: 1\n"), "body", 17)
        );
    }

    #[test]
    fn a_bom_and_crlf_line_ends_are_accepted() {
        let source = "\u{feff}---\r\ntitle: A\r\n---\r\nbody\r\n";
        assert_eq!(parts(source), (Some("title: A\r\n"), "body\r\n", 23));
        assert_eq!(parts("\u{feff}text"), (None, "text", 3));
    }

    #[test]
    fn empty_front_matter_and_front_matter_only_are_fine() {
        assert_eq!(parts("---\n---\n"), (Some(""), "", 8));
        assert_eq!(parts("---\n---"), (Some(""), "", 7));
        assert_eq!(parts("---\na: 1\n---"), (Some("a: 1\n"), "", 12));
    }

    #[test]
    fn an_unclosed_block_points_at_its_opening_line() {
        assert_eq!(
            split("---\ntitle: A\n\nbody\n"),
            Err(Unclosed { opening: 0..3 })
        );
        assert_eq!(split("---"), Err(Unclosed { opening: 0..3 }));
        assert_eq!(
            split("\u{feff}---\n----\n"),
            Err(Unclosed { opening: 3..6 })
        );
    }
}
