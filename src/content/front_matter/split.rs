//! Finding the front-matter block: the lines between a first line `---` (YAML) or `+++`
//! (TOML) and the next line of the same kind. Everything after the closing line is
//! Markdown, even more fence lines.

use std::ops::Range;

const BOM: char = '\u{feff}';

/// The syntax a block's fence line asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Syntax {
    Yaml,
    Toml,
}

impl Syntax {
    /// The fence line that opens and closes a block of this syntax.
    pub fn fence(self) -> &'static str {
        match self {
            Syntax::Yaml => "---",
            Syntax::Toml => "+++",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Syntax::Yaml => "YAML",
            Syntax::Toml => "TOML",
        }
    }

    /// The syntax whose fence `line` is, if any, allowing trailing spaces and the `\r`
    /// of a CRLF line end.
    fn of_fence(line: &str) -> Option<Syntax> {
        let line = line.trim_end_matches([' ', '\t', '\r']);
        [Syntax::Yaml, Syntax::Toml]
            .into_iter()
            .find(|syntax| syntax.fence() == line)
    }
}

/// The text between the fence lines.
#[derive(Debug, PartialEq)]
pub(super) struct Block<'a> {
    pub syntax: Syntax,
    /// The opening fence, for errors about the block as a whole.
    pub opening: Range<usize>,
    /// Byte offset of `text` in the file.
    pub start: usize,
    pub text: &'a str,
}

#[derive(Debug, PartialEq)]
pub(super) struct Split<'a> {
    /// `None` when the file has no front matter.
    pub block: Option<Block<'a>>,
    pub body: &'a str,
    pub body_offset: usize,
}

/// The file opens a front-matter block that never closes; `opening` is its fence.
#[derive(Debug, PartialEq)]
pub(super) struct Unclosed {
    pub syntax: Syntax,
    pub opening: Range<usize>,
}

pub(super) fn split(source: &str) -> Result<Split<'_>, Unclosed> {
    let start = if source.starts_with(BOM) {
        BOM.len_utf8()
    } else {
        0
    };
    let (first, block_start) = line_at(source, start);
    let Some(syntax) = Syntax::of_fence(first) else {
        return Ok(Split {
            block: None,
            body: &source[start..],
            body_offset: start,
        });
    };
    let mut at = block_start;
    while at < source.len() {
        let (line, next) = line_at(source, at);
        if Syntax::of_fence(line) == Some(syntax) {
            return Ok(Split {
                block: Some(Block {
                    syntax,
                    opening: start..start + 3,
                    start: block_start,
                    text: &source[block_start..at],
                }),
                body: &source[next..],
                body_offset: next,
            });
        }
        at = next;
    }
    Err(Unclosed {
        syntax,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(source: &str) -> (Option<&str>, &str, usize) {
        let split = split(source).unwrap();
        assert_eq!(&source[split.body_offset..], split.body);
        if let Some(block) = &split.block {
            assert_eq!(
                &source[block.start..block.start + block.text.len()],
                block.text
            );
        }
        (
            split.block.map(|block| block.text),
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
            Err(Unclosed {
                syntax: Syntax::Yaml,
                opening: 0..3
            })
        );
        assert_eq!(
            split("---"),
            Err(Unclosed {
                syntax: Syntax::Yaml,
                opening: 0..3
            })
        );
        assert_eq!(
            split("\u{feff}---\n----\n"),
            Err(Unclosed {
                syntax: Syntax::Yaml,
                opening: 3..6
            })
        );
    }

    #[test]
    fn plus_fences_open_a_toml_block_closed_only_by_plus_fences() {
        let source = "+++ \r\ntitle = \"A\"\n---\n+++\nbody";
        let block = split(source).unwrap().block.unwrap();
        assert_eq!(
            (block.syntax, block.start, block.text),
            (Syntax::Toml, 6, "title = \"A\"\n---\n")
        );
        assert_eq!(
            parts("---\na: 1\n+++\n---\n"),
            (Some("a: 1\n+++\n"), "", 17)
        );
        assert_eq!(
            split("+++\ntitle = 1\n---\n"),
            Err(Unclosed {
                syntax: Syntax::Toml,
                opening: 0..3
            })
        );
        assert_eq!(parts("++++\n+++\n"), (None, "++++\n+++\n", 0));
    }
}
