//! The body as the parser sees it: NUL characters replaced by U+FFFD, with a map from
//! parser offsets back to offsets in the body as written.
//!
//! NUL is reserved for link placeholders (see `links.rs`). CommonMark says NUL must be
//! read as U+FFFD, but pulldown-cmark 0.13 passes it through, so folio replaces it
//! itself. U+FFFD is three bytes and NUL one, hence the offset map.

use std::borrow::Cow;
use std::ops::Range;

pub(crate) struct Source<'b> {
    text: Cow<'b, str>,
    /// Offsets in `text` of each U+FFFD that replaced a NUL, ascending.
    replaced: Vec<usize>,
}

/// Two bytes more per replacement: U+FFFD is 3 bytes in UTF-8, NUL is 1.
const GROWTH: usize = '\u{FFFD}'.len_utf8() - 1;

impl<'b> Source<'b> {
    pub(crate) fn new(body: &'b str) -> Self {
        if !body.contains('\0') {
            return Self {
                text: Cow::Borrowed(body),
                replaced: Vec::new(),
            };
        }
        let mut text = String::with_capacity(body.len() + 16);
        let mut replaced = Vec::new();
        for piece in body.split_inclusive('\0') {
            match piece.strip_suffix('\0') {
                Some(before) => {
                    text.push_str(before);
                    replaced.push(text.len());
                    text.push('\u{FFFD}');
                }
                None => text.push_str(piece),
            }
        }
        Self {
            text: Cow::Owned(text),
            replaced,
        }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// A range in [`Self::text`] as a range in the original body.
    pub(crate) fn original(&self, range: Range<usize>) -> Range<usize> {
        if self.replaced.is_empty() {
            return range;
        }
        self.original_offset(range.start)..self.original_offset(range.end)
    }

    fn original_offset(&self, offset: usize) -> usize {
        let before = self.replaced.partition_point(|&at| at < offset);
        offset.saturating_sub(GROWTH * before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_nul_is_borrowed() {
        let source = Source::new("plain");
        assert!(matches!(source.text, Cow::Borrowed(_)));
        assert_eq!(source.original(1..3), 1..3);
    }

    #[test]
    fn nul_becomes_replacement_character_and_offsets_map_back() {
        let body = "a\0b\0\0c";
        let source = Source::new(body);
        assert_eq!(source.text(), "a\u{FFFD}b\u{FFFD}\u{FFFD}c");
        let c = source.text().find('c').unwrap();
        assert_eq!(source.original(c..c + 1), 5..6);
        let b = source.text().find('b').unwrap();
        assert_eq!(source.original(0..b), 0..2);
    }
}
