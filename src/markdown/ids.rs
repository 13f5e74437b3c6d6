//! Heading ids the way GitHub and mdBook make them, and the numbering of repeats.

use std::collections::{HashMap, HashSet};

use unicode_normalization::char::is_combining_mark;

/// GitHub's rule: lowercase, drop every character that is not a letter, mark, number,
/// connector punctuation (`_`), `-` or space, then turn each space into `-`. Spaces are
/// not collapsed, so `a & b` gives `a--b`, as on GitHub.
pub(crate) fn heading_id(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' => Some('-'),
            c if c.is_alphanumeric() || is_combining_mark(c) || is_connector(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Unicode's connector punctuation (category Pc), which GitHub keeps like `_`.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '_' | '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}' | '\u{FE4D}'
            ..='\u{FE4F}' | '\u{FF3F}'
    )
}

/// Hands out unique ids for one page. Explicit `{#id}`s are taken as written but still
/// reserve their id, so a later heading with the same text gets a `-1` suffix; with
/// mdBook's rule ([`IdAllocator::mdbook`]) they reserve nothing.
#[derive(Debug, Default)]
pub(crate) struct IdAllocator {
    used: HashSet<String>,
    /// The next suffix to try per base id, so many equal headings stay linear.
    next_suffix: HashMap<String, usize>,
    /// Explicit ids seen, when they do not reserve their name in `used`.
    unreserved: Option<HashSet<String>>,
}

impl IdAllocator {
    /// mdBook's rule: an explicit id does not keep a generated one from taking its
    /// name, so a page can end up with the same id twice, as it does in mdBook.
    pub(crate) fn mdbook() -> Self {
        Self {
            unreserved: Some(HashSet::new()),
            ..Self::default()
        }
    }

    /// Records an explicit id; returns false when it was already used on the page.
    pub(crate) fn explicit(&mut self, id: &str) -> bool {
        match &mut self.unreserved {
            Some(seen) => seen.insert(id.to_string()),
            None => self.used.insert(id.to_string()),
        }
    }

    /// A unique id from a generated base: the base itself, else `base-1`, `base-2`…
    pub(crate) fn generated(&mut self, base: String) -> String {
        // A heading of only punctuation has no id text; an empty `id=""` is invalid HTML.
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        self.unique(base)
    }

    /// `base` if no id on the page has it yet, else the first free `base-1`, `base-2`…
    /// (mdBook's rule, which takes `base` as it is, even when empty).
    pub(crate) fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let next = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_github() {
        assert_eq!(heading_id("Hello, World!"), "hello-world");
        assert_eq!(heading_id("Größe & Maß"), "größe--maß");
        assert_eq!(heading_id("a & b"), "a--b");
        assert_eq!(
            heading_id("snake_case and kebab-case"),
            "snake_case-and-kebab-case"
        );
        assert_eq!(heading_id("Version 2.0 (beta)"), "version-20-beta");
        assert_eq!(heading_id("Привет мир"), "привет-мир");
        assert_eq!(heading_id("日本語の見出し"), "日本語の見出し");
        assert_eq!(heading_id("`code` in title"), "code-in-title");
        assert_eq!(heading_id("Don’t stop"), "dont-stop");
    }

    #[test]
    fn combining_marks_are_kept() {
        // "é" written as e + U+0301 keeps its accent, as GitHub's \p{M} does.
        assert_eq!(heading_id("Cafe\u{301}"), "cafe\u{301}");
    }

    #[test]
    fn repeats_are_numbered() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.generated("intro".into()), "intro");
        assert_eq!(ids.generated("intro".into()), "intro-1");
        assert_eq!(ids.generated("intro".into()), "intro-2");
    }

    #[test]
    fn explicit_ids_reserve_their_name() {
        let mut ids = IdAllocator::default();
        assert!(ids.explicit("setup"));
        assert_eq!(ids.generated("setup".into()), "setup-1");
        assert!(!ids.explicit("setup"));
        // A generated suffix that an explicit id already took is skipped.
        assert!(ids.explicit("usage-1"));
        assert_eq!(ids.generated("usage".into()), "usage");
        assert_eq!(ids.generated("usage".into()), "usage-2");
    }

    #[test]
    fn empty_ids_get_a_fallback() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.generated(heading_id("!!!")), "section");
        assert_eq!(ids.generated(heading_id("???")), "section-1");
    }
}
